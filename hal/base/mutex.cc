// Copyright 2026 The gralloc for Linux Authors.
//
// The slow paths of hal/base/mutex.h: sleeping on and waking the futex words.

#include "hal/base/mutex.h"

#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <climits>

namespace gralloc {
namespace {

// Sleeps while `*word` is `expected` (EAGAIN when it no longer is, EINTR
// on a signal: the callers look again either way).
void FutexWait(std::atomic<uint32_t>* word, uint32_t expected) {
  syscall(SYS_futex, reinterpret_cast<uint32_t*>(word),
          FUTEX_WAIT | FUTEX_PRIVATE_FLAG, expected, nullptr, nullptr, 0);
}

void FutexWake(std::atomic<uint32_t>* word, int count) {
  syscall(SYS_futex, reinterpret_cast<uint32_t*>(word),
          FUTEX_WAKE | FUTEX_PRIVATE_FLAG, count, nullptr, nullptr, 0);
}

}  // namespace

void Mutex::LockSlow() {
  // Whoever takes the word from here on takes it as contended, so its
  // Unlock wakes the next sleeper; a spurious wake costs one more look.
  while (state_.exchange(kContended, std::memory_order_acquire) != kFree) {
    FutexWait(&state_, kContended);
  }
}

void Mutex::WakeOne() { FutexWake(&state_, 1); }

void CondVar::Wait(Mutex* mu) {
  waiters_.fetch_add(1, std::memory_order_relaxed);
  const uint32_t seen = sequence_.load(std::memory_order_relaxed);
  mu->Unlock();
  FutexWait(&sequence_, seen);
  waiters_.fetch_sub(1, std::memory_order_relaxed);
  mu->Lock();
}

void CondVar::Wake(int count) {
  // A waiter counted itself under the mutex, before the signaller changed
  // the condition (also under the mutex), so a zero here means nobody can
  // be asleep on the old sequence.
  if (waiters_.load(std::memory_order_seq_cst) == 0) return;
  sequence_.fetch_add(1, std::memory_order_seq_cst);
  FutexWake(&sequence_, count < 0 ? INT_MAX : count);
}

}  // namespace gralloc
