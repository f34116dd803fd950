// Copyright 2026 The gralloc for Linux Authors.
//
// allocator/heaps/dma_heap.h: buffers from a kernel dma-buf heap
// (/dev/dma_heap/<name>).
//
// The heap's device node is opened once; each Allocate() is one
// DMA_HEAP_IOCTL_ALLOC on it, returning a dma-buf any importing driver can
// use. What the memory is like depends on the heap, and the kernel does not
// say, so the class and caps come from well-known heap names
// (DmaHeapIdentity(), heap_identity.h).
//
// Thread safety: Allocate() may be called from many threads at once (the
// ioctl is; the heap holds no mutable state).

#ifndef GRALLOC_ALLOCATOR_HEAPS_DMA_HEAP_H_
#define GRALLOC_ALLOCATOR_HEAPS_DMA_HEAP_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "allocator/heaps/heap.h"
#include "hal/base/unique_fd.h"

namespace gralloc {

class DmaHeap final : public Heap {
 public:
  // Opens the heap node at `device_path` (e.g. "/dev/dma_heap/system")
  // read-only, close-on-exec. Its identity is DmaHeapIdentity(basename,
  // is_protected): the heap is named by its basename ("system",
  // "reserved"). Errors keep open()'s errno and name the path.
  static absl::StatusOr<std::unique_ptr<DmaHeap>> Open(
      absl::string_view device_path, bool is_protected = false);

  // DMA_HEAP_IOCTL_ALLOC of the page-rounded size (fd flags O_RDWR |
  // O_CLOEXEC, no heap flags), retried on EINTR/EAGAIN. The dma-buf is
  // named with the debug name (best-effort). ENOMEM becomes
  // ResourceExhausted; every error names the ioctl and the heap.
  absl::StatusOr<HeapBuffer> Allocate(const HeapRequest& request) override;

 private:
  DmaHeap(UniqueFd heap_fd, HeapIdentity identity, std::string description);

  const UniqueFd heap_fd_;
};

}  // namespace gralloc

#endif  // GRALLOC_ALLOCATOR_HEAPS_DMA_HEAP_H_
