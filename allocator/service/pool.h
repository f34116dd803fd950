// Copyright 2026 The gralloc for Linux Authors.
//
// allocator/service/pool.h: the allocate-ahead pool.
//
// Frame pipelines ask for the same few buffer descriptions again and again.
// For the descriptions asked for most recently, the pool keeps fresh
// buffers made ahead of time, on its own thread, off the request path; an
// ALLOCATE of such a description takes them instead of waiting for the
// kernel. The refill stays out of the requests' way: it starts
// kRefillQuietMs after the last Take() (a pipeline asks for its buffers in
// a burst), and its thread runs at SCHED_IDLE, so it never preempts a
// request. Both matter where there is one CPU: reading /proc/meminfo and
// zeroing a 2160p buffer would otherwise run while the next request
// waits. What it keeps:
//
//   - Only new allocations. A pooled buffer is made by the allocator for
//     the pool and handed out once; nothing a client ever held comes back,
//     so no buffer is handed out while anyone else may hold it, and every
//     buffer is as zeroed as the heap made it.
//   - Populated memory. A heap hands out populated pages; a memfd would
//     fault its pages in at first touch, so the pool fallocate()s a
//     memfd's pages ahead too, off the hot path.
//   - Within a budget of bytes (pixels and metadata), for at most
//     max_descriptions descriptions, at most max_depth buffers each (the
//     largest count recently asked for, at least min_depth). The most
//     recently asked description is refilled first; the least recent one
//     loses its buffers first when the budget or the description count
//     runs out.
//   - Only while memory is plentiful. Before every refill the pool reads
//     MemAvailable; below min_available_bytes it drops everything it
//     holds and forgets what it kept, as every drain does. Where the kernel
//     offers a memory pressure trigger (PSI, /proc/pressure/memory), a stall
//     empties the pool at once and pauses refilling for pressure_pause_ms.
//     Drain() (SIGUSR1, the DRAIN_POOL request) empties it on demand.
//
// Buffers taken from the pool are charged like any other (the server
// reserves and commits them in its ledger); the pool's own buffers belong
// to the service until taken and show in STATS as the pool's.
//
//   ASSIGN_OR_RETURN(std::unique_ptr<Pool> pool,
//                    Pool::Create(options, allocator.get()));
//   Allocation taken = pool->Take(descriptor, count);  // maybe fewer
//   ... allocate the rest; once that succeeded:
//   pool->Remember(descriptor, count);
//
// Only a description the allocator has served is remembered, so requests
// it refuses never take a place in the pool.
//
// Thread safety: every method may be called from any thread. The
// destructor stops the refill thread and closes every pooled buffer.

#ifndef GRALLOC_ALLOCATOR_SERVICE_POOL_H_
#define GRALLOC_ALLOCATOR_SERVICE_POOL_H_

#include <cstdint>
#include <deque>
#include <functional>
#include <list>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "allocator/allocator.h"
#include "allocator/service/protocol.h"
#include "hal/base/mutex.h"
#include "hal/base/unique_fd.h"
#include "hal/descriptor/descriptor.h"

namespace gralloc::service {

// What PoolOptions::prepare did for a buffer the pool made, handed over
// with it by Take(): the service's memory watch tokens (memory_watch.h) and
// the identity of the pixels' file, so the request that takes the buffer
// walks no /proc path and asks no fstat().
struct PoolPrepared {
  uint64_t pixels_token = 0;
  uint64_t metadata_token = 0;
  uint64_t device = 0;  // st_dev of the pixels' file
  uint64_t inode = 0;   // st_ino of the pixels' file
};

struct PoolOptions {
  // Bytes (pixels and metadata) the pool may hold; 0: no pool.
  uint64_t budget_bytes = 0;
  int max_descriptions = 8;
  int min_depth = 2;
  int max_depth = 8;
  // Below this much MemAvailable the pool holds nothing.
  uint64_t min_available_bytes = uint64_t{256} << 20;
  // How long refilling pauses after a memory pressure event.
  int pressure_pause_ms = 10000;
  // Where MemAvailable comes from; empty: /proc/meminfo. (Tests inject
  // memory pressure here.)
  std::function<absl::StatusOr<uint64_t>()> available_bytes;
  // Whether to ask the kernel for PSI memory pressure events.
  bool use_pressure_trigger = true;
  // Called with a line for the log (drains and their reasons); may be empty.
  std::function<void(absl::string_view)> log;
  // Called on the refill thread with every buffer the pool made, before it
  // is pooled. A buffer it fails for is pooled all the same, unprepared
  // (its taker does the work on the request path). A pooled buffer that is
  // dropped, not taken, is closed with what was prepared for it (its
  // memory watches then report tokens no one was charged for). May be
  // empty: nothing is prepared.
  std::function<absl::StatusOr<PoolPrepared>(const AllocatedBuffer&)> prepare;
};

class Pool final {
 public:
  // Starts the refill thread. `allocator` must outlive the pool.
  static absl::StatusOr<std::unique_ptr<Pool>> Create(PoolOptions options,
                                                      AllocatorApi* allocator);
  ~Pool();
  Pool(const Pool&) = delete;
  Pool& operator=(const Pool&) = delete;

  // Up to `count` pooled buffers of `descriptor` (none if it has none),
  // which leave the pool; the caller allocates the rest. A remembered
  // description becomes the most recent, and its depth grows to `count`
  // (within max_depth); the pool refills. The returned layout is set only
  // when some buffer was taken. If `prepared` is given, it receives what
  // options.prepare did for each buffer taken, in order (nullopt: nothing).
  Allocation Take(const BufferDescriptorInfo& descriptor, int32_t count,
                  std::vector<std::optional<PoolPrepared>>* prepared = nullptr);

  // After the allocator served `count` buffers of `descriptor` that the
  // pool did not have: keep some ready from now on (the least recent
  // description is forgotten when there are too many).
  void Remember(const BufferDescriptorInfo& descriptor, int32_t count);

  // Closes every pooled buffer now and forgets the descriptions, so
  // nothing is made again until a request asks (Remember()). Returns how
  // many buffers it dropped.
  uint64_t Drain(absl::string_view why);

  PoolStats Stats() const;

 private:
  struct Pooled {
    AllocatedBuffer buffer;
    std::optional<PoolPrepared> prepared;
  };

  struct Entry {
    std::string key;  // the descriptor's wire encoding
    BufferDescriptorInfo descriptor;
    int want = 0;
    uint64_t buffer_bytes = 0;  // of one buffer, once one was made
    int failures = 0;           // refills refused in a row
    BufferLayout layout;
    std::deque<Pooled> buffers;
  };

  // A buffer the refill thread should make.
  struct Work {
    std::string key;
    BufferDescriptorInfo descriptor;
    uint64_t generation = 0;
  };

  Pool(PoolOptions options, AllocatorApi* allocator, UniqueFd wake,
       UniqueFd pressure);
  void Refill();
  void Wake();
  static std::string Key(const BufferDescriptorInfo& descriptor);
  // The entry of `key`, made the most recent and at least `count` deep;
  // null if there is none.
  Entry* Find(const std::string& key, int32_t count)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // The most recent entry below its depth with room in the budget.
  std::optional<Work> NextWork() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Moves buffers of entries less recent than `keep` to `out`, least
  // recent first, until `bytes` more fit the budget; false if they cannot.
  bool MakeRoom(uint64_t bytes, const Entry* keep,
                std::vector<AllocatedBuffer>* out)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Moves `entry`'s buffers to `out` (closed by the caller after
  // unlocking), counting them dropped.
  void DropBuffersOf(Entry& entry, std::vector<AllocatedBuffer>* out)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Moves every pooled buffer to `out` (the caller closes them after
  // unlocking) and forgets every description; returns how many buffers.
  uint64_t DropAll(absl::string_view why, std::vector<AllocatedBuffer>* out)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::StatusOr<uint64_t> AvailableBytes() const;

  const PoolOptions options_;
  AllocatorApi* const allocator_;
  UniqueFd wake_;      // eventfd: new demand, Drain(), stop
  UniqueFd pressure_;  // PSI trigger, or empty

  mutable Mutex mu_;
  // Most recently asked first.
  std::list<Entry> entries_ ABSL_GUARDED_BY(mu_);
  uint64_t bytes_ ABSL_GUARDED_BY(mu_) = 0;
  uint64_t buffers_ ABSL_GUARDED_BY(mu_) = 0;
  // Bumped by every drop, so a refill in flight during a drain does not
  // put its buffer back.
  uint64_t generation_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t paused_until_ms_ ABSL_GUARDED_BY(mu_) = 0;
  // No refill before then: a Take() is likely one of a burst (a pipeline
  // allocating its buffers), which the refill should not compete with.
  int64_t quiet_until_ms_ ABSL_GUARDED_BY(mu_) = 0;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  PoolStats counters_ ABSL_GUARDED_BY(mu_);
  std::thread thread_;
};

// The size of a buffer in the budget: its pixels and its metadata.
uint64_t PooledBytes(const AllocatedBuffer& buffer);

}  // namespace gralloc::service

#endif  // GRALLOC_ALLOCATOR_SERVICE_POOL_H_
