// Copyright 2026 The gralloc for Linux Authors.
//
// allocator/buffer_id.h: BUFFER_ID values.
//
// A BUFFER_ID names a buffer across every process that imports it. It is
// 64 random bits from the kernel (getrandom, a batch at a time per thread;
// a forked child draws its own), never 0, so ids of buffers made before
// and after a service restart do not collide in practice and cannot be
// guessed by another client.

#ifndef GRALLOC_ALLOCATOR_BUFFER_ID_H_
#define GRALLOC_ALLOCATOR_BUFFER_ID_H_

#include <cstdint>

#include "absl/base/optimization.h"
#include "absl/status/statusor.h"

namespace gralloc {
namespace buffer_id_internal {

// Ids come from the kernel a batch at a time: one getrandom() for every
// kBatch allocations rather than one each (a syscall is several
// microseconds under emulation, and allocation is a hot path). Each thread
// keeps its own batch, so there is no lock; a forked child forgets the
// batch its parent's thread had, or parent and child would hand out the
// same ids.
// 256 bytes: the most getrandom() returns whole and uninterrupted, so one
// system call per 32 buffers.
inline constexpr int kBatch = 32;
static_assert(sizeof(uint64_t) * kBatch == 256);

// Trivial, and empty when zero: a thread's batch then needs no initialiser,
// so reading it takes no call to one.
struct Batch {
  uint64_t ids[kBatch];
  int left;  // ids not yet handed out: ids[kBatch - left] is the next
};

// This thread's batch.
inline thread_local Batch batch;

// The batch's next id, taken out of it (spent ids do not stay in memory);
// the batch must not be empty. 0 is not an id: the caller draws again.
inline uint64_t TakeFromBatch(Batch& from) {
  uint64_t& slot = from.ids[kBatch - from.left--];
  const uint64_t id = slot;
  slot = 0;
  return id;
}

// NewBufferId() when the batch is spent: refills it from the kernel (the
// first call in a process also registers the fork handler).
absl::StatusOr<uint64_t> NewBufferIdFromKernel();

}  // namespace buffer_id_internal

// A fresh, non-zero, unguessable id. Fails only if the kernel's random
// source does (ErrnoStatus of getrandom). In line: every allocation takes
// one, and all but one in kBatch come from the batch.
inline absl::StatusOr<uint64_t> NewBufferId() {
  buffer_id_internal::Batch& batch = buffer_id_internal::batch;
  if (ABSL_PREDICT_TRUE(batch.left > 0)) {
    const uint64_t id = buffer_id_internal::TakeFromBatch(batch);
    if (ABSL_PREDICT_TRUE(id != 0)) return id;
  }
  return buffer_id_internal::NewBufferIdFromKernel();
}

}  // namespace gralloc

#endif  // GRALLOC_ALLOCATOR_BUFFER_ID_H_
