/*
 * Copyright 2026 The gralloc for Linux Authors.
 *
 * gralloc/allocator.h: the allocator's C ABI.
 *
 * An allocator turns a buffer description (size, format, and the usage bits
 * that name every future user of the buffer) into buffers that all those
 * users can use. It is reached either in-process (openInProcess: the
 * negotiation and heap code run in the caller) or through the allocator
 * service (connect: a Unix socket; buffers arrive as fds). Every call below
 * behaves the same either way.
 *
 * Every function returns 0 on success, else an AIMapper_Error value
 * (AIMAPPER_ERROR_BAD_DESCRIPTOR 1, AIMAPPER_ERROR_BAD_BUFFER 2,
 * AIMAPPER_ERROR_BAD_VALUE 3 for NULL or out-of-range arguments,
 * AIMAPPER_ERROR_NO_RESOURCES 5, AIMAPPER_ERROR_UNSUPPORTED 7). A failure is
 * never reported as 0, and a failed call leaves its out-parameters
 * untouched and allocates nothing.
 *
 * Why: after any call, GrallocAllocator_getLastReason() gives the calling
 * thread the reason of that call's refusal or failure (the text `gralloctl
 * explain` prints: "refused: contiguous: no heap on this machine serves
 * camera (...)"), or an empty string when it succeeded.
 *
 * Thread safety: one GrallocAllocator may be used from many threads at
 * once, except that close() must be the last call on it. Reasons are kept
 * per thread.
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

/* Additional options: constraints from outside the usage bits. A name not
 * listed here makes the descriptor unsupported (UNSUPPORTED, and
 * isSupported false); a known name with a bad value is BAD_DESCRIPTOR.
 * isSupported agrees with allocate2 on all of them. */

/* Android's: the buffer's initial Dataspace (at most once). */
#define GRALLOC_OPTION_DATASPACE "android.hardware.graphics.common.Dataspace"
/* A DRM format modifier the buffer may have (the value's 64 bits); give it
 * once per modifier. The allocator chooses among these only, in the order of
 * the participants' preference, as when a compositor hands "the allocator"
 * the intersection of modifiers its clients support. */
#define GRALLOC_OPTION_DRM_MODIFIER "org.gralloc.drm_modifier"
/* 1: the buffer must be linear (DRM_FORMAT_MOD_LINEAR); 0: no effect. */
#define GRALLOC_OPTION_LINEAR_ONLY "org.gralloc.linear_only"
/* A GrallocHeapClass to prefer over the platform's heap order, among the
 * heaps every user can take (at most once). A preference, never a
 * requirement: another heap serves when none of that class does. */
#define GRALLOC_OPTION_PREFERRED_HEAP "org.gralloc.preferred_heap"
/* Every plane's stride a multiple of this many bytes, 1 to 65536 (at most
 * once); merged with the users' own alignments by LCM. */
#define GRALLOC_OPTION_MIN_STRIDE_ALIGNMENT "org.gralloc.min_stride_alignment"

/* Heap classes, for GRALLOC_OPTION_PREFERRED_HEAP. */
typedef enum {
  GRALLOC_HEAP_SYSTEM = 1,          /* dma-buf system heap: cached pages */
  GRALLOC_HEAP_SYSTEM_UNCACHED = 2, /* dma-buf system-uncached heap */
  GRALLOC_HEAP_CMA = 3,             /* physically contiguous (CMA) */
  GRALLOC_HEAP_PROTECTED = 4,       /* protected memory */
  GRALLOC_HEAP_UDMABUF = 5,         /* dma-bufs made from memfds */
  GRALLOC_HEAP_DRM_DUMB = 6,        /* DRM dumb buffers (scanout) */
  GRALLOC_HEAP_MEMFD = 7,           /* CPU only: no device imports it */
} GrallocHeapClass;

/* What to allocate; Android's BufferDescriptorInfo. */
typedef struct {
  char name[128];       /* a debug name; a name without NUL is cut at 127 */
  int32_t width;        /* pixels, > 0 */
  int32_t height;       /* pixels, > 0; 1 for BLOB */
  int32_t layerCount;   /* > 0 */
  int32_t format;       /* PixelFormat */
  int64_t usage;        /* BufferUsage bits: every future user of the buffer */
  int64_t reservedSize; /* bytes of client-reserved metadata, >= 0 */
  /* GRALLOC_OPTION_* (above); NULL when the count is 0. */
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
 * `*outSupported` is false for an invalid or unsatisfiable description (the
 * reason: getLastReason()); the return value is an error only when the
 * question cannot be answered. */
int GrallocAllocator_isSupported(GrallocAllocator* allocator,
                                 const GrallocBufferDescriptorInfo* info,
                                 bool* outSupported);

/* Allocates `count` buffers described by `info`. On success `*outStride` is
 * the stride in pixels of the first plane and outBuffers[0..count) hold raw
 * handles the caller owns (free each with native_handle_close() and
 * native_handle_delete(), or import it with the mapper). count 0 succeeds
 * and returns nothing. Errors: BAD_DESCRIPTOR for an invalid description,
 * UNSUPPORTED when no participant set can share such a buffer,
 * NO_RESOURCES when memory (or the caller's quota) runs out on every heap
 * the users can share. */
int GrallocAllocator_allocate2(GrallocAllocator* allocator,
                               const GrallocBufferDescriptorInfo* info,
                               int32_t count, int32_t* outStride,
                               native_handle_t** outBuffers);

/* "Preview first, record later": whether `buffer` (a raw handle from
 * allocate2() or one the mapper imported) also serves the users
 * `additionalUsage` names, beside those it was allocated for.
 * `*outServes` false means it does not, and getLastReason() names the user
 * and the constraint ("the buffer does not serve VIDEO_ENCODER: height
 * alignment: 1080 rows are not a multiple of codec=16"): allocate a buffer
 * for all of them before importing it there. BAD_BUFFER for a handle that
 * is not a gralloc buffer. */
int GrallocAllocator_serves(GrallocAllocator* allocator,
                            const native_handle_t* buffer,
                            int64_t additionalUsage, bool* outServes);

/* Gives the quota `buffer` is charged to back to its client without
 * closing the connection; the buffer itself lives as long as its fds.
 * In-process nothing is charged and this succeeds. Through the service
 * BAD_BUFFER when the service has no record of the buffer for this client
 * (already released, or made by another client or service). */
int GrallocAllocator_release(GrallocAllocator* allocator,
                             const native_handle_t* buffer);

/* The reason of this thread's last call on `allocator` (see the top), NUL
 * terminated. `*outLength` (if not NULL) receives its length without the
 * NUL. With reason NULL and reasonSize 0 only the length is given. BAD_VALUE
 * when `reason` is too small for it (nothing is written then). */
int GrallocAllocator_getLastReason(GrallocAllocator* allocator, char* reason,
                                   size_t reasonSize, size_t* outLength);

/* The mapper library to dlopen() for these buffers, NUL terminated: an
 * absolute path when it was found installed beside the allocator (or the
 * service says where), else the bare name "libgralloc_mapper.so" for the
 * dynamic loader's search path; $GRALLOC_MAPPER_LIBRARY overrides both.
 * Size rules as getLastReason(). */
int GrallocAllocator_getMapperLibrary(GrallocAllocator* allocator, char* path,
                                      size_t pathSize, size_t* outLength);

#ifdef __cplusplus
}
#endif

#endif /* GRALLOC_HAL_INCLUDE_GRALLOC_ALLOCATOR_H_ */
