// Copyright 2026 The gralloc for Linux Authors.
//
// hal/base/ioctl.h: ioctl() with the project's one retry rule.
//
// The dma-buf, dma-buf heap, udmabuf, DRM and V4L2 ioctls this project issues
// may fail with EINTR when a signal arrives while they wait, and several
// return EAGAIN for the same reason (libdrm's drmIoctl() retries both, and so
// does every gralloc that syncs dma-bufs). RetryIoctl() repeats the call
// while it fails with either, so callers see only real failures.
//
// Not for an ioctl on a non-blocking fd where EAGAIN means "nothing yet"
// (VIDIOC_DQBUF on an O_NONBLOCK V4L2 node): there call ioctl() and poll.
//
// Thread-safe; errno is the failing call's on return.

#ifndef GRALLOC_HAL_BASE_IOCTL_H_
#define GRALLOC_HAL_BASE_IOCTL_H_

#include <sys/ioctl.h>

#include <cerrno>

namespace gralloc {

// ioctl(fd, request, arg), repeated while it fails with EINTR or EAGAIN.
// Returns what the last ioctl() returned.
inline int RetryIoctl(int fd, unsigned long request, void* arg) {
  int result;
  do {
    result = ioctl(fd, request, arg);
  } while (result == -1 && (errno == EINTR || errno == EAGAIN));
  return result;
}

}  // namespace gralloc

#endif  // GRALLOC_HAL_BASE_IOCTL_H_
