// Copyright 2026 The gralloc for Linux Authors.

#include "allocator/buffer_id.h"

#include <pthread.h>
#include <sys/random.h>

#include <cerrno>

#include "hal/base/status_macros.h"

namespace gralloc {
namespace {

// Ids come from the kernel a batch at a time: one getrandom() for every
// kBatch allocations rather than one each (a syscall is several
// microseconds under emulation, and allocation is a hot path). Each thread
// keeps its own batch, so there is no lock; a forked child forgets the
// batch its parent's thread had, or parent and child would hand out the
// same ids.
// 256 bytes: the most getrandom() returns whole and uninterrupted, so one
// system call per 32 buffers.
constexpr int kBatch = 32;
static_assert(sizeof(uint64_t) * kBatch == 256);

struct Batch {
  uint64_t ids[kBatch];
  int next = kBatch;  // kBatch: empty
};

thread_local Batch batch;

void ForgetBatchInChild() { batch.next = kBatch; }

}  // namespace

absl::StatusOr<uint64_t> NewBufferId() {
  // Once per process; after that only the guard's check (std::call_once
  // would set up its callable again on every call).
  [[maybe_unused]] static const bool registered =
      pthread_atfork(nullptr, nullptr, &ForgetBatchInChild) == 0;
  for (;;) {
    if (batch.next == kBatch) {
      // Up to 256 bytes from an initialized pool are never short and never
      // interrupted; the loop is for kernels that say otherwise.
      const ssize_t got = getrandom(batch.ids, sizeof(batch.ids), 0);
      if (got < 0) {
        if (errno == EINTR) continue;
        return ErrnoStatus("getrandom");
      }
      if (got != static_cast<ssize_t>(sizeof(batch.ids))) continue;
      batch.next = 0;
    }
    const uint64_t id = batch.ids[batch.next];
    // Spent ids do not stay in memory.
    batch.ids[batch.next++] = 0;
    if (id != 0) return id;
  }
}

}  // namespace gralloc
