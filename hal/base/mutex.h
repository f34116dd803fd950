// Copyright 2026 The gralloc for Linux Authors.
//
// hal/base/mutex.h: a mutex that both clang's thread-safety analysis and
// ThreadSanitizer understand.
//
// abseil's Mutex would be the first choice, but Debian's abseil is not built
// with TSan annotations, so TSan cannot see its happens-before edges and
// reports false races. This wraps std::mutex (which TSan intercepts through
// pthreads) and carries abseil's capability annotations, so shared state is
// still declared with ABSL_GUARDED_BY(mu_) and checked by clang.
//
//   gralloc::Mutex mu_;
//   int count_ ABSL_GUARDED_BY(mu_);
//   void Add() { gralloc::MutexLock lock(&mu_); ++count_; }

#ifndef GRALLOC_HAL_BASE_MUTEX_H_
#define GRALLOC_HAL_BASE_MUTEX_H_

#include <condition_variable>
#include <mutex>

#include "absl/base/thread_annotations.h"

namespace gralloc {

class ABSL_LOCKABLE Mutex final {
 public:
  Mutex() = default;
  Mutex(const Mutex&) = delete;
  Mutex& operator=(const Mutex&) = delete;

  void Lock() ABSL_EXCLUSIVE_LOCK_FUNCTION() { mu_.lock(); }
  void Unlock() ABSL_UNLOCK_FUNCTION() { mu_.unlock(); }
  bool TryLock() ABSL_EXCLUSIVE_TRYLOCK_FUNCTION(true) {
    return mu_.try_lock();
  }
  // Documents (to the analysis) that the caller holds the lock.
  void AssertHeld() const ABSL_ASSERT_EXCLUSIVE_LOCK() {}

  // For std::condition_variable_any and friends.
  std::mutex& native() { return mu_; }

 private:
  std::mutex mu_;
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
class CondVar final {
 public:
  // Releases `mu` (held by the caller), waits for a Signal, and takes `mu`
  // again. Wakeups may be spurious: wait in a loop on the condition.
  void Wait(Mutex* mu) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu) {
    std::unique_lock<std::mutex> lock(mu->native(), std::adopt_lock);
    cv_.wait(lock);
    lock.release();
  }
  void Signal() { cv_.notify_one(); }
  void SignalAll() { cv_.notify_all(); }

 private:
  std::condition_variable cv_;
};

}  // namespace gralloc

#endif  // GRALLOC_HAL_BASE_MUTEX_H_
