// Copyright 2026 The gralloc for Linux Authors.

#include "allocator/heaps/dma_heap.h"

#include <fcntl.h>
#include <linux/dma-heap.h>

#include <utility>

#include "absl/strings/str_cat.h"
#include "allocator/heaps/dma_buf_name.h"
#include "allocator/heaps/heap_util.h"
#include "hal/base/ioctl.h"
#include "hal/base/status_macros.h"

namespace gralloc {
absl::StatusOr<std::unique_ptr<DmaHeap>> DmaHeap::Open(
    absl::string_view device_path, bool is_protected) {
  const std::string path(device_path);
  UniqueFd fd(open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd.valid()) return ErrnoStatus(absl::StrCat("open ", path));
  const absl::string_view heap_name = heaps_internal::Basename(device_path);
  std::string description =
      absl::StrCat("dma-buf heap ", path, is_protected ? " (protected)" : "");
  return std::unique_ptr<DmaHeap>(
      new DmaHeap(std::move(fd), DmaHeapIdentity(heap_name, is_protected),
                  std::move(description)));
}

DmaHeap::DmaHeap(UniqueFd heap_fd, HeapIdentity identity,
                 std::string description)
    : Heap(std::move(identity), std::move(description)),
      heap_fd_(std::move(heap_fd)) {}

absl::StatusOr<HeapBuffer> DmaHeap::Allocate(const HeapRequest& request) {
  ASSIGN_OR_RETURN(uint64_t size_bytes,
                   heaps_internal::PageAlignedSize(request.size_bytes));
  dma_heap_allocation_data data = {};
  data.len = size_bytes;
  data.fd_flags = O_RDWR | O_CLOEXEC;
  data.heap_flags = 0;
  if (RetryIoctl(heap_fd_.get(), DMA_HEAP_IOCTL_ALLOC, &data) == -1) {
    return ErrnoStatus(absl::StrCat("DMA_HEAP_IOCTL_ALLOC of ", size_bytes,
                                    " bytes from dma-buf heap ", name()));
  }
  HeapBuffer buffer;
  buffer.fd = UniqueFd(static_cast<int>(data.fd));
  buffer.size_bytes = size_bytes;
  if (!request.debug_name.empty()) {
    // Naming is for debugging only; an old kernel refusing it is no reason
    // to fail the allocation.
    NameDmaBuf(buffer.fd.get(), request.debug_name).IgnoreError();
  }
  return buffer;
}

}  // namespace gralloc
