// Copyright 2026 The gralloc for Linux Authors.
//
// bench/backends.h: the kinds of memory the suite measures, each with its
// kernel floor and an in-process allocator that can use only it.
//
// A Backend is one heap of this machine: the memfd fallback everywhere, and
// where the kernel has them the dma-buf heaps (/dev/dma_heap/*: "system",
// the CMA heap "reserved" or "linux,cma", ...) and udmabuf. DRM dumb
// buffers and protected heaps are left out: the first are for scanout and
// need a display's geometry, the second cannot be mapped.
//
// For each, RawAllocate() is the floor of allocation: the kernel calls the
// heap itself makes for one buffer and nothing else: no negotiation, no
// metadata buffer, no BUFFER_ID, no handle.
//
//   backend   RawAllocate()
//   memfd     memfd_create + ftruncate + F_ADD_SEALS (MemfdHeap::kSeals)
//   dma-heap  DMA_HEAP_IOCTL_ALLOC on the heap node, opened once
//   udmabuf   memfd_create + ftruncate + F_SEAL_SHRINK + UDMABUF_CREATE,
//             then close(memfd)
//
// A memfd's pages appear on first touch, while the heaps (and udmabuf,
// which pins the memfd's pages) hand out populated, zeroed memory; so for
// memfd RawAllocateMemfdEager() adds fallocate(), the same work the heaps
// do, as a second floor.
//
// allocator() is an Allocator with the platform's profile and a registry
// of this heap alone, so that it cannot quietly serve from another one.
//
// Ownership: a Backend owns its heap node fd and its allocator. Every fd
// RawAllocate() returns belongs to the caller.
//
// Thread safety: RawAllocate() and allocator() may be used from many
// threads at once (the ioctls are, and so is Allocator).

#ifndef GRALLOC_BENCH_BACKENDS_H_
#define GRALLOC_BENCH_BACKENDS_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "allocator/allocator.h"
#include "allocator/heaps/heap_identity.h"
#include "allocator/heaps/heap_registry.h"
#include "allocator/negotiation/profile.h"
#include "hal/base/unique_fd.h"

namespace gralloc::bench {

class Backend {
 public:
  virtual ~Backend() = default;
  Backend(const Backend&) = delete;
  Backend& operator=(const Backend&) = delete;

  // The heap: its name (in benchmark names) and class (what the suite asks
  // the allocator and the service to prefer).
  const HeapIdentity& heap() const { return heap_; }
  const std::string& name() const { return heap_.name; }
  // Whether `heap` (the one that served an AllocatedBuffer) is this
  // backend's: heap names are unique on a machine.
  bool IsHeap(const HeapIdentity& heap) const {
    return heap.name == heap_.name;
  }
  // Whether its fds are dma-bufs, which take DMA_BUF_IOCTL_SYNC.
  bool is_dma_buf() const {
    return heap_.caps.backend != HandleBackend::kMemfd;
  }

  // The floor: one buffer of `size_bytes` (a multiple of the page size)
  // straight from the kernel. Errors name the failing call.
  virtual absl::StatusOr<UniqueFd> RawAllocate(uint64_t size_bytes) const = 0;

  Allocator& allocator() const { return *allocator_; }

 protected:
  Backend(HeapIdentity heap, std::unique_ptr<Allocator> allocator)
      : heap_(std::move(heap)), allocator_(std::move(allocator)) {}

 private:
  const HeapIdentity heap_;
  const std::unique_ptr<Allocator> allocator_;
};

// The backends among `probed`'s heaps (memfd, udmabuf, unprotected dma-buf
// heaps), in the registry's order; if `only` is not empty, just the heaps it
// names. Each gets an Allocator of `profile` and its own heap, opened again
// from /dev. A heap that cannot be opened is left out with a line in
// `notes`.
std::vector<std::unique_ptr<Backend>> OpenBackends(
    const Profile& profile, const HeapRegistry& probed,
    const std::vector<std::string>& only, std::vector<std::string>* notes);

// The eager memfd floor: memfd_create + ftruncate + fallocate (the pages
// exist and are zeroed) + F_ADD_SEALS.
absl::StatusOr<UniqueFd> RawAllocateMemfdEager(uint64_t size_bytes);

}  // namespace gralloc::bench

#endif  // GRALLOC_BENCH_BACKENDS_H_
