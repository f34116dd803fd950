// Copyright 2026 The gralloc for Linux Authors.

#include "allocator/buffer_id.h"

#include <sys/random.h>

#include <cerrno>

#include "hal/base/status_macros.h"

namespace gralloc {

absl::StatusOr<uint64_t> NewBufferId() {
  for (;;) {
    uint64_t id = 0;
    const ssize_t got = getrandom(&id, sizeof(id), 0);
    if (got < 0) {
      if (errno == EINTR) continue;
      return ErrnoStatus("getrandom");
    }
    if (got == static_cast<ssize_t>(sizeof(id)) && id != 0) return id;
  }
}

}  // namespace gralloc
