// Copyright 2026 The gralloc for Linux Authors.
//
// allocator/heaps/heap.h: the one interface every memory backend implements.
//
// A `Heap` hands out buffers of one kind of memory: a dma-buf heap
// (/dev/dma_heap/*), udmabuf, DRM dumb buffers, or plain memfds. The
// allocator chooses a heap at run time from the merged constraints of a
// buffer's participants, by looking at each heap's identity (name, class and
// caps, heap_identity.h); it never needs to know which implementation it
// holds. Tests substitute fakes.
//
//   Heap* heap = registry.Find("system");
//   HeapRequest request;
//   request.size_bytes = 4096;
//   request.debug_name = "camera-preview";
//   ASSIGN_OR_RETURN(HeapBuffer buffer, heap->Allocate(request));
//   // buffer.fd is a dma-buf (or, for the memfd heap, a sealed memfd).
//
// Ownership: the fd in a returned `HeapBuffer` belongs to the caller. When
// Allocate() fails, nothing it opened is left open.
//
// Thread safety: Allocate(), identity() and description() may be called
// from any number of threads at once on the same heap. A heap must outlive
// every call into it; buffers it returned may outlive the heap.

#ifndef GRALLOC_ALLOCATOR_HEAPS_HEAP_H_
#define GRALLOC_ALLOCATOR_HEAPS_HEAP_H_

#include <cstdint>
#include <string>
#include <utility>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "allocator/heaps/heap_identity.h"
#include "hal/base/unique_fd.h"

namespace gralloc {

// One allocation request. The front end (the allocator) has already checked
// and computed it; heaps still reject what they cannot serve.
struct HeapRequest {
  // Bytes wanted. Heaps round up to the page size (DRM dumb: to whole rows
  // of stride_bytes); 0 is InvalidArgument.
  uint64_t size_bytes = 0;
  // Shown in /proc/<pid>/fdinfo ("name:") and debugfs for dma-bufs, and in
  // the memfd's name for memfds. Best-effort: may be truncated.
  std::string debug_name;
  // The row pitch the buffer's layout was made with (the first plane's
  // stride). Memory without a pitch ignores it; a heap whose driver chooses
  // the pitch (DRM dumb) asks for exactly this one and refuses another.
  uint64_t stride_bytes = 0;
};

// One allocated buffer.
struct HeapBuffer {
  UniqueFd fd;              // owned by the caller
  uint64_t size_bytes = 0;  // the real size: page-rounded or the driver's
};

class Heap {
 public:
  virtual ~Heap();

  // Which heap this is: a name unique within a registry ("system",
  // "reserved", "udmabuf", "drm-dumb:card0", "memfd"), its class and caps.
  // Fixed for the heap's lifetime.
  const HeapIdentity& identity() const { return identity_; }
  absl::string_view name() const { return identity_.name; }
  const HeapCaps& caps() const { return identity_.caps; }

  // One line for people (CLI, dumps): where the memory comes from and any
  // caveat.
  absl::string_view description() const { return description_; }

  // Allocates one buffer. The fd is opened close-on-exec and read-write. The
  // memory is zero-filled (all backends get it fresh from the kernel).
  // Errors: InvalidArgument for a request the heap cannot express (size 0,
  // a size that overflows when page-rounded, missing geometry);
  // ResourceExhausted when the kernel is out of memory (ENOMEM); otherwise
  // the errno of the failing call, with a message naming it and the heap.
  virtual absl::StatusOr<HeapBuffer> Allocate(const HeapRequest& request) = 0;

 protected:
  Heap(HeapIdentity identity, std::string description)
      : identity_(std::move(identity)), description_(std::move(description)) {}

 private:
  const HeapIdentity identity_;
  const std::string description_;
};

}  // namespace gralloc

#endif  // GRALLOC_ALLOCATOR_HEAPS_HEAP_H_
