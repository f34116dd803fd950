// Copyright 2026 The gralloc for Linux Authors.

#include "allocator/heaps/memfd_heap.h"

#include <utility>

#include "allocator/heaps/heap_util.h"
#include "hal/base/status_macros.h"

namespace gralloc {

MemfdHeap::MemfdHeap()
    : Heap(MemfdIdentity(), "memfd: no device can import this") {}

absl::StatusOr<HeapBuffer> MemfdHeap::Allocate(const HeapRequest& request) {
  ASSIGN_OR_RETURN(uint64_t size_bytes,
                   heaps_internal::PageAlignedSize(request.size_bytes));
  ASSIGN_OR_RETURN(UniqueFd fd, heaps_internal::CreateSizedMemfd(
                                    request.debug_name, size_bytes));
  RETURN_IF_ERROR(heaps_internal::AddSeals(fd.get(), kSeals));
  HeapBuffer buffer;
  buffer.fd = std::move(fd);
  buffer.size_bytes = size_bytes;
  return buffer;
}

}  // namespace gralloc
