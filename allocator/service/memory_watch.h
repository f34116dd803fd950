// Copyright 2026 The gralloc for Linux Authors.
//
// allocator/service/memory_watch.h: learning when a buffer's memory is
// gone from every process.
//
// A client's quota is charged for the memory the service allocated for it
// until the last reference to that memory is gone: not until the client
// releases its BUFFER_ID or disconnects, which it can do while keeping the
// fds (and the memory) for ever. The service closes its own copies of the
// fds once they are sent, so "the last reference" is the last fd or
// mapping in any process (or in the kernel: a device that imported a
// dma-buf holds it too), which the service cannot see directly. The kernel
// tells it, through an inotify watch on the buffer's inode, added through
// /proc/self/fd/N while the service still holds the fd:
//   * a memfd (an unlinked file) reports IN_IGNORED when its inode is
//     freed with the last open file and mapping. Its closes say nothing: a
//     memfd can be reopened through /proc, so it may have several files;
//   * a dma-buf (system or CMA heap, udmabuf, DRM dumb) is a pseudo file
//     with exactly one open file (it cannot be reopened) whose release,
//     after the last fd, mapping and in-kernel reference, is its end: the
//     watch reports IN_CLOSE_WRITE or IN_CLOSE_NOWRITE then. The watch pins
//     a dma-buf's inode (not its memory), so it is removed at that point.
// A charge ends when its watch reports either. The VM tier checks every
// kind of dma-buf on a real kernel; the host tier checks memfds.
//
// A watch is one entry of the service user's fs.inotify.max_user_watches.
// The service starts a new buffer's watches after it has answered (they
// are path walks through /proc, a third of a small request under
// emulation), while it still holds the fds, so no memory can go unseen.
// Before answering it Reserve()s them: when this service's own watches
// would pass the limit, the allocation is refused rather than hand out
// memory it could not account for. (Other processes of the service's user
// share the limit; should a Watch() still fail, that buffer's charges end
// with its record, as without inotify, and the service logs it.)
//
// The kernel's event queue holds fs.inotify.max_queued_events (16384 by
// default) and drops what comes beyond; a memfd's watch adds one event, a
// dma-buf's two. A service starved of CPU while its clients free buffers
// fast filled it in a soak on two loaded CPUs. Lost events are recovered:
// TakeLostEvents() says some were dropped, and Gone() then asks the kernel
// which watches remain (/proc/self/fdinfo): a memfd's watch goes with its
// inode, so a missing one is memory gone. A dma-buf's watch pins its inode
// until Collect() sees the release, so a lost release cannot be recovered:
// that charge stays (fail closed: a client is over-charged, never
// under-charged) until the service restarts. A kernel without inotify
// (CONFIG_INOTIFY_USER) makes Create() fail, and the service then ends charges
// with their records instead (ledger.h).
//
// Thread safety: Watch(), Reserve() and Unreserve() are thread-safe;
// Collect(), TakeLostEvents() and Gone() from one thread at a time (the
// service serializes them with a mutex).

#ifndef GRALLOC_ALLOCATOR_SERVICE_MEMORY_WATCH_H_
#define GRALLOC_ALLOCATOR_SERVICE_MEMORY_WATCH_H_

#include <sys/stat.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "hal/base/unique_fd.h"

namespace gralloc::service {

class MemoryWatch final {
 public:
  // `max_watches`: the limit Reserve() keeps to; 0 reads the kernel's
  // (/proc/sys/fs/inotify/max_user_watches; none if it cannot be read).
  static absl::StatusOr<MemoryWatch> Create(uint64_t max_watches = 0);

  // Readable (for epoll) when Collect() has something.
  int fd() const { return inotify_.get(); }

  // Starts watching the file `fd` refers to; the token names it in
  // Collect(). ResourceExhausted when the watch limit is reached. `st`, if
  // given, is the file's fstat() (saves asking again).
  absl::StatusOr<uint64_t> Watch(int fd, const struct stat* st = nullptr);
  // The same for a file the caller knows is a memfd (the allocator's
  // metadata buffers always are): no fstat() to find out.
  absl::StatusOr<uint64_t> WatchMemfd(int fd);

  // Makes the watches the calling thread adds cheaper: the thread gets a
  // working directory of its own (unshare(CLONE_FS); the process's, and
  // every other thread's, is unchanged), this process's /proc/<pid>/fd, so
  // that a watch's path is the fd's number alone. The kernel then walks one
  // name instead of four, /proc/self's link among them: a watch took 6 us
  // instead of 9 on the development machine. For threads that add many (the
  // service's workers), and that open no relative paths. On an error the
  // thread goes on with whole paths, which work as before.
  static absl::Status WatchFromThisThreadsFdDirectory();

  // Room for `count` more watches, held until Unreserve(count) (whether
  // or not Watch() made them): ResourceExhausted, saying how to raise the
  // limit, when this service's watches and reservations would pass it.
  absl::Status Reserve(uint64_t count);
  void Unreserve(uint64_t count);

  // The tokens whose memory is gone since the last call (never blocks).
  std::vector<uint64_t> Collect();

  // This service's live watches (for tests and STATS-like reports).
  uint64_t watches() const { return counts_->live.load(); }

  // fs.inotify.max_queued_events: the events the kernel queues for one
  // inotify instance before it drops the rest; 0 if it cannot be read.
  static uint64_t KernelQueueLimit();

  // Whether the kernel dropped events (IN_Q_OVERFLOW) since the last call,
  // which clears it. Not concurrently with Collect().
  bool TakeLostEvents();

  // After lost events: which of `tokens`, watches made before this call,
  // the kernel no longer has. Each of those ended, and its IN_IGNORED (or a
  // dma-buf's release) may have been dropped; tokens that name no watch
  // (above INT_MAX) are never reported. Also sets watches() to the
  // kernel's count. Not concurrently with Collect().
  absl::StatusOr<std::vector<uint64_t>> Gone(absl::Span<const uint64_t> tokens);

 private:
  struct Counts {
    std::atomic<uint64_t> live{0};      // watches made and not yet gone
    std::atomic<uint64_t> reserved{0};  // Reserve()d, not yet Unreserve()d
  };

  absl::StatusOr<uint64_t> AddWatch(int fd, uint32_t mask);

  MemoryWatch(UniqueFd inotify, uint64_t max_watches)
      : inotify_(std::move(inotify)),
        max_watches_(max_watches),
        counts_(std::make_unique<Counts>()) {}

  UniqueFd inotify_;
  uint64_t max_watches_ = 0;  // 0: unknown, Reserve() always succeeds
  std::unique_ptr<Counts> counts_;
  bool lost_events_ = false;
};

}  // namespace gralloc::service

#endif  // GRALLOC_ALLOCATOR_SERVICE_MEMORY_WATCH_H_
