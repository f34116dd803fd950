/*
 * Copyright 2026 The gralloc for Linux Authors.
 *
 * gralloc/allocator.h: the allocator's C ABI.
 *
 * An allocator turns a buffer description (size, format, and the usage bits
 * that name every future user of the buffer) into buffers that all those
 * users can use. It is reached either in-process (openInProcess: the
 * negotiation and heap code run in the caller) or through the allocator
 * service (connect: a Unix socket; buffers arrive as fds).
 *
 * Every function returns 0 on success, else an AIMapper_Error value
 * (AIMAPPER_ERROR_BAD_DESCRIPTOR 1, AIMAPPER_ERROR_NO_RESOURCES 5,
 * AIMAPPER_ERROR_UNSUPPORTED 7; AIMAPPER_ERROR_BAD_VALUE 3 for NULL
 * arguments). A failure is never reported as 0, and a failed call leaves
 * its out-parameters untouched and allocates nothing.
 *
 * Thread safety: one GrallocAllocator may be used from many threads at
 * once, except that close() must be the last call on it.
 *
 * Link with //allocator:client (Bazel) or `pkg-config gralloc-allocator`.
 */
#ifndef GRALLOC_HAL_INCLUDE_GRALLOC_ALLOCATOR_H_
#define GRALLOC_HAL_INCLUDE_GRALLOC_ALLOCATOR_H_

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cutils/native_handle.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct GrallocAllocator GrallocAllocator;

/* A (name, value) pair, like Android's ExtendableType. */
typedef struct {
  const char* name;
  int64_t value;
} GrallocExtendableType;

/* What to allocate; Android's BufferDescriptorInfo. */
typedef struct {
  char name[128];       /* a debug name; a name without NUL is cut at 127 */
  int32_t width;        /* pixels, > 0 */
  int32_t height;       /* pixels, > 0; 1 for BLOB */
  int32_t layerCount;   /* > 0 */
  int32_t format;       /* PixelFormat */
  int64_t usage;        /* BufferUsage bits: every future user of the buffer */
  int64_t reservedSize; /* bytes of client-reserved metadata, >= 0 */
  /* Extra options; the only one known is
   * {"android.hardware.graphics.common.Dataspace", <Dataspace>}, the
   * buffer's initial dataspace. Any other makes the descriptor unsupported. */
  const GrallocExtendableType* additionalOptions;
  size_t additionalOptionCount;
} GrallocBufferDescriptorInfo;

/* Opens an allocator that runs in this process, with the platform profile
 * read from the JSON file `profilePath` (NULL: the built-in default,
 * refined by probing this machine's devices). */
int GrallocAllocator_openInProcess(const char* profilePath,
                                   GrallocAllocator** out);

/* Connects to the allocator service at `socketPath` (NULL: the value of
 * $GRALLOC_ALLOCATOR_SOCKET, else /run/gralloc/allocator.sock). */
int GrallocAllocator_connect(const char* socketPath, GrallocAllocator** out);

/* Releases the allocator. Buffers it allocated stay valid. NULL is a no-op. */
void GrallocAllocator_close(GrallocAllocator* allocator);

/* Whether allocate2() would succeed for `info` when memory is available. It
 * runs the same negotiation as allocate2() without allocating.
 * `*outSupported` is false for an invalid or unsatisfiable description;
 * the return value is an error only when the question cannot be answered. */
int GrallocAllocator_isSupported(GrallocAllocator* allocator,
                                 const GrallocBufferDescriptorInfo* info,
                                 bool* outSupported);

/* Allocates `count` buffers described by `info`. On success `*outStride` is
 * the stride in pixels of the first plane and outBuffers[0..count) hold raw
 * handles the caller owns (free each with native_handle_close() and
 * native_handle_delete(), or import it with the mapper). count 0 succeeds
 * and returns nothing. Errors: BAD_DESCRIPTOR for an invalid description,
 * UNSUPPORTED when no participant set can share such a buffer,
 * NO_RESOURCES when memory (or the caller's quota) runs out. */
int GrallocAllocator_allocate2(GrallocAllocator* allocator,
                               const GrallocBufferDescriptorInfo* info,
                               int32_t count, int32_t* outStride,
                               native_handle_t** outBuffers);

#ifdef __cplusplus
}
#endif

#endif /* GRALLOC_HAL_INCLUDE_GRALLOC_ALLOCATOR_H_ */
