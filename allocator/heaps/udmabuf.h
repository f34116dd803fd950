// Copyright 2026 The gralloc for Linux Authors.
//
// allocator/heaps/udmabuf.h: dma-bufs made from memfd pages (/dev/udmabuf).
//
// Where a kernel has no dma-buf heaps but has udmabuf (common on desktop and
// virtual machines), this still gives real dma-bufs that drivers can import.
// Each Allocate() makes a memfd, seals it against shrinking (udmabuf
// requires that, so the pages cannot vanish under a device), and turns it
// into a dma-buf with UDMABUF_CREATE. The memfd is then closed: the dma-buf
// holds the pages.
//
// The memory is ordinary shmem: cached, not contiguous. udmabuf limits each
// buffer's size (its size_limit_mb parameter, 64 MiB by default); larger
// requests fail with the kernel's EINVAL.
//
// Thread safety: Allocate() may be called from many threads at once.

#ifndef GRALLOC_ALLOCATOR_HEAPS_UDMABUF_H_
#define GRALLOC_ALLOCATOR_HEAPS_UDMABUF_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "allocator/heaps/heap.h"
#include "hal/base/unique_fd.h"

namespace gralloc {

class UdmabufHeap final : public Heap {
 public:
  // Opens the udmabuf device at `device_path` (normally "/dev/udmabuf")
  // read-write, close-on-exec, as UdmabufIdentity() ("udmabuf"). Errors keep
  // open()'s errno and name the path.
  static absl::StatusOr<std::unique_ptr<UdmabufHeap>> Open(
      absl::string_view device_path);

  // memfd_create(MFD_ALLOW_SEALING | MFD_CLOEXEC), ftruncate to the
  // page-rounded size, F_SEAL_SHRINK (never F_SEAL_WRITE, which udmabuf
  // refuses), UDMABUF_CREATE with UDMABUF_FLAGS_CLOEXEC. The dma-buf is
  // named with the debug name (best-effort). Every error names the failing
  // call; the memfd is closed on every path.
  absl::StatusOr<HeapBuffer> Allocate(const HeapRequest& request) override;

 private:
  UdmabufHeap(UniqueFd device_fd, std::string description);

  const UniqueFd device_fd_;
};

}  // namespace gralloc

#endif  // GRALLOC_ALLOCATOR_HEAPS_UDMABUF_H_
