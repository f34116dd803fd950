/*
 * Copyright 2026 The gralloc for Linux Authors.
 *
 * The implementation of cutils/native_handle.h. Every count is checked
 * against the limits before any size arithmetic, so the allocation size
 * cannot overflow; the checks are repeated on every entry point because
 * handles arrive from other processes.
 */
#include "cutils/native_handle.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int counts_are_valid(int numFds, int numInts) {
  return numFds >= 0 && numInts >= 0 && numFds <= NATIVE_HANDLE_MAX_FDS &&
         numInts <= NATIVE_HANDLE_MAX_INTS;
}

static int handle_is_valid(const native_handle_t* h) {
  return h != NULL && h->version == (int)sizeof(native_handle_t) &&
         counts_are_valid(h->numFds, h->numInts);
}

/* Bytes for a handle of these counts; the counts must be valid (at most
 * 2048 ints in all, so no overflow is possible). */
static size_t handle_size(int numFds, int numInts) {
  return sizeof(native_handle_t) +
         sizeof(int) * ((size_t)numFds + (size_t)numInts);
}

native_handle_t* native_handle_init(char* storage, int numFds, int numInts) {
  if (storage == NULL || !counts_are_valid(numFds, numInts)) {
    errno = EINVAL;
    return NULL;
  }
  native_handle_t* h = (native_handle_t*)(void*)storage;
  h->version = (int)sizeof(native_handle_t);
  h->numFds = numFds;
  h->numInts = numInts;
  return h;
}

native_handle_t* native_handle_create(int numFds, int numInts) {
  if (!counts_are_valid(numFds, numInts)) {
    errno = EINVAL;
    return NULL;
  }
  /* Not calloc: glibc's calloc bypasses the thread's cache of small chunks,
   * which made it a tenth of an allocation's user-space instructions
   * (bench/PROFILE.md). The header is written and only the data zeroed, so
   * that the compiler does not turn malloc + memset back into calloc. */
  native_handle_t* h = (native_handle_t*)malloc(handle_size(numFds, numInts));
  if (h == NULL) {
    errno = ENOMEM;
    return NULL;
  }
  h->version = (int)sizeof(native_handle_t);
  h->numFds = numFds;
  h->numInts = numInts;
  memset(h->data, 0, sizeof(int) * ((size_t)numFds + (size_t)numInts));
  return h;
}

native_handle_t* native_handle_clone(const native_handle_t* handle) {
  if (!handle_is_valid(handle)) {
    errno = EINVAL;
    return NULL;
  }
  native_handle_t* clone =
      native_handle_create(handle->numFds, handle->numInts);
  if (clone == NULL) return NULL;
  for (int i = 0; i < handle->numFds; ++i) {
    clone->data[i] = fcntl(handle->data[i], F_DUPFD_CLOEXEC, 0);
    if (clone->data[i] < 0) {
      int saved_errno = errno;
      for (int j = 0; j < i; ++j) close(clone->data[j]);
      free(clone);
      errno = saved_errno;
      return NULL;
    }
  }
  if (handle->numInts > 0) {
    memcpy(&clone->data[handle->numFds], &handle->data[handle->numFds],
           sizeof(int) * (size_t)handle->numInts);
  }
  return clone;
}

int native_handle_close(const native_handle_t* handle) {
  if (!handle_is_valid(handle)) return -EINVAL;
  int saved_errno = errno;
  for (int i = 0; i < handle->numFds; ++i) {
    if (handle->data[i] >= 0) close(handle->data[i]);
  }
  errno = saved_errno;
  return 0;
}

int native_handle_delete(native_handle_t* handle) {
  if (handle == NULL) return 0;
  if (handle->version != (int)sizeof(native_handle_t)) return -EINVAL;
  free(handle);
  return 0;
}
