// Copyright 2026 The gralloc for Linux Authors.

#include "allocator/service/memory_watch.h"

#include <sys/inotify.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "hal/base/status_macros.h"

namespace gralloc::service {

absl::StatusOr<MemoryWatch> MemoryWatch::Create() {
  UniqueFd inotify(inotify_init1(IN_NONBLOCK | IN_CLOEXEC));
  if (!inotify) return ErrnoStatus("inotify_init1");
  return MemoryWatch(std::move(inotify));
}

absl::StatusOr<uint64_t> MemoryWatch::Watch(int fd) {
  const std::string path = absl::StrCat("/proc/self/fd/", fd);
  // IN_IGNORED is always reported; the mask only has to be valid and must
  // not produce events of its own on a buffer's ordinary use (reads,
  // writes, closes of one of several references).
  const int wd = inotify_add_watch(inotify_.get(), path.c_str(),
                                   IN_DELETE_SELF | IN_EXCL_UNLINK);
  if (wd < 0) {
    const int error = errno;
    if (error == ENOSPC || error == ENOMEM) {
      return absl::ResourceExhaustedError(absl::StrCat(
          "cannot account for the buffer: no inotify watch left (",
          std::strerror(error), "; raise fs.inotify.max_user_watches)"));
    }
    return ErrnoStatus(error, "inotify_add_watch on a new buffer");
  }
  return static_cast<uint64_t>(wd);
}

std::vector<uint64_t> MemoryWatch::Collect() {
  std::vector<uint64_t> gone;
  alignas(inotify_event) char buffer[16 * 1024];
  for (;;) {
    const ssize_t n = read(inotify_.get(), buffer, sizeof(buffer));
    if (n <= 0) break;  // EAGAIN: nothing more
    for (ssize_t at = 0;
         at + static_cast<ssize_t>(sizeof(inotify_event)) <= n;) {
      inotify_event event;
      std::memcpy(&event, buffer + at, sizeof(event));
      if ((event.mask & IN_Q_OVERFLOW) != 0) overflowed_ = true;
      if ((event.mask & IN_IGNORED) != 0 && event.wd >= 0) {
        gone.push_back(static_cast<uint64_t>(event.wd));
      }
      at += static_cast<ssize_t>(sizeof(inotify_event) + event.len);
    }
  }
  return gone;
}

}  // namespace gralloc::service
