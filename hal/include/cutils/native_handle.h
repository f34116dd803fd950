/*
 * Copyright 2026 The gralloc for Linux Authors.
 *
 * cutils/native_handle.h: Android's native_handle_t, the container in which
 * buffers travel between processes and libraries.
 *
 * A native_handle_t is a header (version, numFds, numInts) followed by
 * `numFds` file descriptors and then `numInts` integers, in one allocation.
 * The layout is Android's, so code written against Android's libcutils reads
 * ours unchanged. `version` is sizeof(native_handle_t).
 *
 * Limits: at most NATIVE_HANDLE_MAX_FDS fds and NATIVE_HANDLE_MAX_INTS ints;
 * negative counts are rejected. Functions that reject their arguments return
 * NULL (or a negative errno) and set errno to EINVAL.
 *
 * Ownership: a handle owns nothing by itself. native_handle_close() closes the
 * fds it holds; native_handle_delete() frees the handle's memory only. The
 * usual teardown is close, then delete.
 *
 * Thread safety: the functions keep no state; a handle may be read from many
 * threads, but close/delete need the caller to own it exclusively.
 */
#ifndef GRALLOC_HAL_INCLUDE_CUTILS_NATIVE_HANDLE_H_
#define GRALLOC_HAL_INCLUDE_CUTILS_NATIVE_HANDLE_H_

#include <stddef.h>
#include <stdint.h>
#ifndef __cplusplus
#include <stdalign.h>
#endif

#ifdef __cplusplus
extern "C" {
#endif

#define NATIVE_HANDLE_MAX_FDS 1024
#define NATIVE_HANDLE_MAX_INTS 1024

typedef struct native_handle {
  int version; /* sizeof(native_handle_t) */
  int numFds;  /* number of file descriptors at &data[0] */
  int numInts; /* number of ints at &data[numFds] */
#if defined(__clang__)
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wzero-length-array"
#endif
  int data[0]; /* numFds fds, then numInts ints */
#if defined(__clang__)
#pragma clang diagnostic pop
#endif
} native_handle_t;

typedef const native_handle_t* buffer_handle_t;

/* Storage for a handle with `maxFds` fds and `maxInts` ints on the stack or
 * in a struct; pass it to native_handle_init(). */
#define NATIVE_HANDLE_DECLARE_STORAGE(name, maxFds, maxInts) \
  alignas(native_handle_t) char(                             \
      name)[sizeof(native_handle_t) + sizeof(int) * ((maxFds) + (maxInts))]

/* Initialises a handle in caller-provided storage, which must be at least
 * sizeof(native_handle_t) + sizeof(int) * (numFds + numInts) bytes and
 * aligned for int. The data[] entries are left as they are. Returns NULL for
 * a NULL storage or counts outside the limits. */
native_handle_t* native_handle_init(char* storage, int numFds, int numInts);

/* Allocates a handle for `numFds` fds and `numInts` ints, every entry
 * zeroed. Returns NULL (errno EINVAL) for counts outside the limits, or
 * (errno ENOMEM) when memory runs out. Free it with native_handle_delete(). */
native_handle_t* native_handle_create(int numFds, int numInts);

/* A new handle with dup()ed fds (close-on-exec) and copied ints. Returns
 * NULL if `handle` is NULL or malformed, or if any dup fails; then no fd is
 * left open. */
native_handle_t* native_handle_clone(const native_handle_t* handle);

/* Closes every fd of the handle; the handle itself stays allocated. Returns
 * 0, or -EINVAL for a NULL or malformed handle. */
int native_handle_close(const native_handle_t* handle);

/* Frees a handle made by native_handle_create() or native_handle_clone()
 * without closing its fds. Returns 0 (also for NULL), or -EINVAL if the
 * handle's version is not sizeof(native_handle_t), in which case nothing
 * is freed. */
int native_handle_delete(native_handle_t* handle);

#ifdef __cplusplus
}
#endif

#endif /* GRALLOC_HAL_INCLUDE_CUTILS_NATIVE_HANDLE_H_ */
