// Copyright 2026 The gralloc for Linux Authors.

#include "allocator/service/memory_watch.h"

#include <sched.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "hal/base/status_macros.h"

namespace gralloc::service {

namespace {

// The number in /proc/sys/fs/inotify/<name>, or 0 if it cannot be read.
uint64_t KernelInotifyLimit(const char* name) {
  const std::string path = absl::StrCat("/proc/sys/fs/inotify/", name);
  FILE* file = fopen(path.c_str(), "re");
  if (file == nullptr) return 0;
  unsigned long long value = 0;  // NOLINT(runtime/int): fscanf's type
  const bool read = fscanf(file, "%llu", &value) == 1;
  fclose(file);
  return read ? value : 0;
}

// Whether this thread's working directory is its process's /proc/<pid>/fd
// (WatchFromThisThreadsFdDirectory()).
thread_local bool cwd_is_fd_directory = false;

// What a memfd's watch asks for. The kernel queues IN_IGNORED when the
// inode goes, whatever the mask, and that is the one event wanted; but a
// watch must ask for something. An unlinked file is in no directory, so it
// is never moved: this mask adds no event. (IN_DELETE_SELF, asked before,
// came with every IN_IGNORED and doubled what the queue had to hold.)
constexpr uint32_t kMemfdMask = IN_MOVE_SELF;

// The watch descriptors /proc/self/fdinfo lists for the inotify instance
// `fd`, one line "inotify wd:<hex> ino:..." a watch.
absl::StatusOr<std::vector<int>> ListedWatches(int fd) {
  const std::string path = absl::StrCat("/proc/self/fdinfo/", fd);
  FILE* file = fopen(path.c_str(), "re");
  if (file == nullptr) return ErrnoStatus(absl::StrCat("open ", path));
  std::vector<int> watches;
  char line[512];
  while (fgets(line, sizeof(line), file) != nullptr) {
    // A longer line (a long file handle) is read in pieces; only a piece
    // at the start of a line begins with "inotify wd:".
    int wd = 0;
    if (sscanf(line, "inotify wd:%x ", &wd) == 1) watches.push_back(wd);
  }
  const bool failed = ferror(file) != 0;
  fclose(file);
  if (failed) return absl::InternalError(absl::StrCat("reading ", path));
  return watches;
}

}  // namespace

absl::Status MemoryWatch::WatchFromThisThreadsFdDirectory() {
  if (cwd_is_fd_directory) return absl::OkStatus();
  if (unshare(CLONE_FS) != 0) return ErrnoStatus("unshare(CLONE_FS)");
  if (chdir("/proc/self/fd") != 0) return ErrnoStatus("chdir(/proc/self/fd)");
  cwd_is_fd_directory = true;
  return absl::OkStatus();
}

absl::StatusOr<MemoryWatch> MemoryWatch::Create(uint64_t max_watches) {
  UniqueFd inotify(inotify_init1(IN_NONBLOCK | IN_CLOEXEC));
  if (!inotify) return ErrnoStatus("inotify_init1");
  if (max_watches == 0) max_watches = KernelInotifyLimit("max_user_watches");
  return MemoryWatch(std::move(inotify), max_watches);
}

absl::Status MemoryWatch::Reserve(uint64_t count) {
  const uint64_t reserved = counts_->reserved.fetch_add(count) + count;
  if (max_watches_ == 0 || counts_->live.load() + reserved <= max_watches_) {
    return absl::OkStatus();
  }
  counts_->reserved.fetch_sub(count);
  return absl::ResourceExhaustedError(
      absl::StrCat("cannot account for the buffer: the service has ",
                   counts_->live.load(), " memory watches (two a buffer), and ",
                   count, " more would pass its limit of ", max_watches_,
                   " (--max-watches, by default fs.inotify.max_user_watches); "
                   "raise it"));
}

void MemoryWatch::Unreserve(uint64_t count) {
  counts_->reserved.fetch_sub(count);
}

absl::StatusOr<uint64_t> MemoryWatch::Watch(int fd, const struct stat* known) {
  struct stat st;
  if (known != nullptr) {
    st = *known;
  } else if (fstat(fd, &st) != 0) {
    return ErrnoStatus("fstat of a new buffer");
  }
  // An unlinked file (a memfd) reports IN_IGNORED when its inode goes with
  // the last file and mapping; it may have several open files (it can be
  // reopened through /proc), so its closes say nothing. A dma-buf is a
  // pseudo file that has a link and exactly one open file (it cannot be
  // reopened); a watch pins its inode, so its end is that file's release:
  // IN_CLOSE_*, after the last fd, mapping and in-kernel reference.
  return AddWatch(fd, st.st_nlink == 0
                          ? kMemfdMask
                          : IN_DELETE_SELF | IN_CLOSE_WRITE | IN_CLOSE_NOWRITE);
}

absl::StatusOr<uint64_t> MemoryWatch::WatchMemfd(int fd) {
  return AddWatch(fd, kMemfdMask);
}

absl::StatusOr<uint64_t> MemoryWatch::AddWatch(int fd, uint32_t mask) {
  // From the fd directory itself, the fd's number is its path there.
  const std::string path =
      absl::StrCat(cwd_is_fd_directory ? "" : "/proc/self/fd/", fd);
  const int wd = inotify_add_watch(inotify_.get(), path.c_str(), mask);
  if (wd < 0) {
    const int error = errno;
    if (error == ENOSPC || error == ENOMEM) {
      return absl::ResourceExhaustedError(absl::StrCat(
          "cannot account for the buffer: no inotify watch left (",
          std::strerror(error), "; raise fs.inotify.max_user_watches)"));
    }
    return ErrnoStatus(error, "inotify_add_watch on a new buffer");
  }
  counts_->live.fetch_add(1);
  return static_cast<uint64_t>(wd);
}

std::vector<uint64_t> MemoryWatch::Collect() {
  std::vector<uint64_t> gone;
  alignas(inotify_event) char buffer[16 * 1024];
  // A read that left room for the largest event emptied the queue: the
  // loop does not ask again only to hear EAGAIN (one syscall per settling,
  // that is per buffer freed). What arrives later makes the fd readable
  // again.
  constexpr ssize_t kDrained =
      sizeof(buffer) - (sizeof(inotify_event) + NAME_MAX + 1);
  for (ssize_t n = kDrained + 1; n > kDrained;) {
    n = read(inotify_.get(), buffer, sizeof(buffer));
    if (n <= 0) break;  // EAGAIN: nothing more
    for (ssize_t at = 0;
         at + static_cast<ssize_t>(sizeof(inotify_event)) <= n;) {
      inotify_event event;
      std::memcpy(&event, buffer + at, sizeof(event));
      if ((event.mask & IN_Q_OVERFLOW) != 0) lost_events_ = true;
      if (event.wd >= 0 && (event.mask & IN_IGNORED) != 0) {
        // Every watch ends with IN_IGNORED, whether the kernel removed it
        // (a memfd's inode freed) or Collect() did (a dma-buf released).
        // Never below 0: after Gone() set the count from the kernel's list,
        // the end of a watch already missing from it may still arrive.
        uint64_t live = counts_->live.load();
        while (live > 0 &&
               !counts_->live.compare_exchange_weak(live, live - 1)) {
        }
        gone.push_back(static_cast<uint64_t>(event.wd));
      } else if (event.wd >= 0 && (event.mask & IN_CLOSE) != 0) {
        // The one file of a dma-buf is released: its memory is gone. Drop
        // the watch, which unpins the inode (its IN_IGNORED then names a
        // token already reported, which callers ignore).
        gone.push_back(static_cast<uint64_t>(event.wd));
        inotify_rm_watch(inotify_.get(), event.wd);
      }
      at += static_cast<ssize_t>(sizeof(inotify_event) + event.len);
    }
  }
  return gone;
}

uint64_t MemoryWatch::KernelQueueLimit() {
  return KernelInotifyLimit("max_queued_events");
}

bool MemoryWatch::TakeLostEvents() {
  return std::exchange(lost_events_, false);
}

absl::StatusOr<std::vector<uint64_t>> MemoryWatch::Gone(
    absl::Span<const uint64_t> tokens) {
  ASSIGN_OR_RETURN(std::vector<int> listed, ListedWatches(inotify_.get()));
  counts_->live.store(listed.size());
  std::sort(listed.begin(), listed.end());
  std::vector<uint64_t> gone;
  for (const uint64_t token : tokens) {
    if (token > static_cast<uint64_t>(INT_MAX)) continue;  // not a watch
    if (!std::binary_search(listed.begin(), listed.end(),
                            static_cast<int>(token))) {
      gone.push_back(token);
    }
  }
  return gone;
}

}  // namespace gralloc::service
