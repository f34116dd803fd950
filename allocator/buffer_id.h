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

#include "absl/status/statusor.h"

namespace gralloc {

// A fresh, non-zero, unguessable id. Fails only if the kernel's random
// source does (ErrnoStatus of getrandom).
absl::StatusOr<uint64_t> NewBufferId();

}  // namespace gralloc

#endif  // GRALLOC_ALLOCATOR_BUFFER_ID_H_
