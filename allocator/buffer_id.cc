// Copyright 2026 The gralloc for Linux Authors.

#include "allocator/buffer_id.h"

#include <pthread.h>
#include <sys/random.h>

#include <cerrno>

#include "hal/base/status_macros.h"

namespace gralloc {
namespace buffer_id_internal {
namespace {

void ForgetBatchInChild() { batch.left = 0; }

}  // namespace

absl::StatusOr<uint64_t> NewBufferIdFromKernel() {
  // Once per process, before the first batch is drawn; after that only the
  // guard's check (std::call_once would set up its callable again on every
  // call).
  [[maybe_unused]] static const bool registered =
      pthread_atfork(nullptr, nullptr, &ForgetBatchInChild) == 0;
  for (;;) {
    if (batch.left == 0) {
      // Up to 256 bytes from an initialized pool are never short and never
      // interrupted; the loop is for kernels that say otherwise.
      const ssize_t got = getrandom(batch.ids, sizeof(batch.ids), 0);
      if (got < 0) {
        if (errno == EINTR) continue;
        return ErrnoStatus("getrandom");
      }
      if (got != static_cast<ssize_t>(sizeof(batch.ids))) continue;
      batch.left = kBatch;
    }
    const uint64_t id = TakeFromBatch(batch);
    if (id != 0) return id;
  }
}

}  // namespace buffer_id_internal
}  // namespace gralloc
