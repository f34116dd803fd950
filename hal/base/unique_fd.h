// Copyright 2026 The gralloc for Linux Authors.
//
// hal/base/unique_fd.h: an owning file descriptor.
//
// `UniqueFd` owns one file descriptor and closes it exactly once, when it is
// destroyed or reset. It is move-only: ownership moves with the object, so an
// fd can never be closed twice or forgotten on an error path. Use it for every
// kernel resource the project opens (dma-bufs, memfds, heap and DRM device
// nodes, sockets, sync_files).
//
// Thread safety: a UniqueFd is a value; distinct objects may be used from
// different threads, one object needs external synchronisation.

#ifndef GRALLOC_HAL_BASE_UNIQUE_FD_H_
#define GRALLOC_HAL_BASE_UNIQUE_FD_H_

#include <unistd.h>

#include <utility>

namespace gralloc {

class UniqueFd final {
 public:
  // An empty UniqueFd (get() == -1).
  UniqueFd() = default;

  // Takes ownership of `fd`. A negative value gives an empty UniqueFd.
  explicit UniqueFd(int fd) : fd_(fd < 0 ? -1 : fd) {}

  UniqueFd(UniqueFd&& other) noexcept : fd_(other.release()) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept {
    if (this != &other) reset(other.release());
    return *this;
  }
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;

  ~UniqueFd() { reset(); }

  // The fd, or -1 when empty. Ownership stays with this object.
  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  explicit operator bool() const { return valid(); }

  // Gives up ownership and returns the fd (or -1); the caller must close it.
  [[nodiscard]] int release() { return std::exchange(fd_, -1); }

  // Closes the owned fd, if any, and takes ownership of `fd`. close() is not
  // retried on EINTR: on Linux the fd is released even then, and a retry
  // could close an fd another thread has just been given.
  void reset(int fd = -1) {
    int old = std::exchange(fd_, fd < 0 ? -1 : fd);
    if (old >= 0) ::close(old);
  }

 private:
  int fd_ = -1;
};

}  // namespace gralloc

#endif  // GRALLOC_HAL_BASE_UNIQUE_FD_H_
