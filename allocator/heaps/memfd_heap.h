// Copyright 2026 The gralloc for Linux Authors.
//
// allocator/heaps/memfd_heap.h: the CPU-only fallback heap.
//
// Serves every machine, including ones with no dma-buf heap, udmabuf or DRM
// device: each buffer is a sealed memfd. It is honest about what that is:
// no device driver can import a memfd, so its caps say
// device_importable=false and negotiation only picks it for buffers that
// only the CPU touches (or when the platform profile allows nothing else).
//
// Seals: F_SEAL_SHRINK and F_SEAL_GROW fix the size, so an importer can
// trust fstat() and a peer cannot truncate the file under someone else's
// mapping (which would SIGBUS them). F_SEAL_SEAL stops any holder adding
// more seals later. F_SEAL_WRITE is deliberately absent: the memfd *is* the
// pixel storage and producers write it through shared mappings.
//
// Thread safety: Allocate() may be called from many threads at once.

#ifndef GRALLOC_ALLOCATOR_HEAPS_MEMFD_HEAP_H_
#define GRALLOC_ALLOCATOR_HEAPS_MEMFD_HEAP_H_

#include <fcntl.h>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "allocator/heaps/heap.h"

namespace gralloc {

class MemfdHeap final : public Heap {
 public:
  // The seals every buffer carries (see the file comment).
  static constexpr unsigned int kSeals =
      F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL;

  // MemfdIdentity() ("memfd"), described exactly as "memfd: no device can
  // import this".
  MemfdHeap();

  // A zero-filled memfd of the page-rounded size with kSeals applied,
  // named "gralloc:<debug_name>".
  absl::StatusOr<HeapBuffer> Allocate(const HeapRequest& request) override;
};

}  // namespace gralloc

#endif  // GRALLOC_ALLOCATOR_HEAPS_MEMFD_HEAP_H_
