// Copyright 2026 The gralloc for Linux Authors.
//
// hal/base/mutex.h: a mutex that both clang's thread-safety analysis and
// ThreadSanitizer understand, and that costs a handful of instructions when
// nobody else holds it.
//
// abseil's Mutex would be the first choice, but Debian's abseil is not built
// with TSan annotations, so TSan cannot see its happens-before edges and
// reports false races. std::mutex is seen by TSan but goes through
// pthread_mutex_lock and _unlock: about 55 instructions a pair where a
// compare-and-swap and an exchange do. The mapper takes two of them on
// every lock and every unlock, and under emulation those instructions are
// most of what lock + unlock adds to the two sync ioctls (bench/PROFILE.md).
//
// So this is the classic three-state futex mutex (0 free, 1 held, 2 held
// with sleepers; the sleepers wait in FUTEX_WAIT on the word). TSan sees
// its atomics, which is all it needs for the happens-before edges, and
// abseil's capability annotations stay, so shared state is still declared
// with ABSL_GUARDED_BY(mu_) and checked by clang.
//
//   gralloc::Mutex mu_;
//   int count_ ABSL_GUARDED_BY(mu_);
//   void Add() { gralloc::MutexLock lock(&mu_); ++count_; }

#ifndef GRALLOC_HAL_BASE_MUTEX_H_
#define GRALLOC_HAL_BASE_MUTEX_H_

#include <atomic>
#include <cstdint>

#include "absl/base/optimization.h"
#include "absl/base/thread_annotations.h"

namespace gralloc {

class ABSL_LOCKABLE Mutex final {
 public:
  Mutex() = default;
  Mutex(const Mutex&) = delete;
  Mutex& operator=(const Mutex&) = delete;

  void Lock() ABSL_EXCLUSIVE_LOCK_FUNCTION() {
    uint32_t free = kFree;
    if (ABSL_PREDICT_TRUE(state_.compare_exchange_strong(
            free, kHeld, std::memory_order_acquire,
            std::memory_order_relaxed))) {
      return;
    }
    LockSlow();
  }
  void Unlock() ABSL_UNLOCK_FUNCTION() {
    if (ABSL_PREDICT_FALSE(state_.exchange(kFree, std::memory_order_release) ==
                           kContended)) {
      WakeOne();
    }
  }
  bool TryLock() ABSL_EXCLUSIVE_TRYLOCK_FUNCTION(true) {
    uint32_t free = kFree;
    return state_.compare_exchange_strong(
        free, kHeld, std::memory_order_acquire, std::memory_order_relaxed);
  }
  // Documents (to the analysis) that the caller holds the lock.
  void AssertHeld() const ABSL_ASSERT_EXCLUSIVE_LOCK() {}

 private:
  friend class CondVar;
  static constexpr uint32_t kFree = 0;
  static constexpr uint32_t kHeld = 1;
  static constexpr uint32_t kContended = 2;  // held, and someone may sleep

  // Marks the word contended and sleeps until it is free; returns holding
  // it (still marked contended, since other sleepers may remain).
  void LockSlow();
  void WakeOne();

  std::atomic<uint32_t> state_{kFree};
  static_assert(sizeof(std::atomic<uint32_t>) == sizeof(uint32_t),
                "a futex word is 32 bits");
};

// Holds `mu` for the scope of the object.
class ABSL_SCOPED_LOCKABLE MutexLock final {
 public:
  explicit MutexLock(Mutex* mu) ABSL_EXCLUSIVE_LOCK_FUNCTION(mu) : mu_(mu) {
    mu_->Lock();
  }
  MutexLock(const MutexLock&) = delete;
  MutexLock& operator=(const MutexLock&) = delete;
  ~MutexLock() ABSL_UNLOCK_FUNCTION() { mu_->Unlock(); }

 private:
  Mutex* const mu_;
};

// A condition variable for Mutex, so waiting code keeps its annotations:
//   MutexLock lock(&mu_);
//   while (queue_.empty()) cv_.Wait(&mu_);
// The condition must be changed under `mu`; Signal may then come with or
// without it.
class CondVar final {
 public:
  CondVar() = default;
  CondVar(const CondVar&) = delete;
  CondVar& operator=(const CondVar&) = delete;

  // Releases `mu` (held by the caller), waits for a Signal, and takes `mu`
  // again. Wakeups may be spurious: wait in a loop on the condition.
  void Wait(Mutex* mu) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu);
  // Wakes one waiter, or all of them; nothing when none waits.
  void Signal() { Wake(1); }
  void SignalAll() { Wake(-1); }

 private:
  void Wake(int count);

  // Bumped by every Signal: a waiter sleeps only while it has not moved
  // since the waiter read it under the mutex, so no Signal is lost.
  std::atomic<uint32_t> sequence_{0};
  // Threads between reading `sequence_` and leaving Wait.
  std::atomic<uint32_t> waiters_{0};
};

}  // namespace gralloc

#endif  // GRALLOC_HAL_BASE_MUTEX_H_
