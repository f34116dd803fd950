// Copyright 2026 The gralloc for Linux Authors.
//
// allocator/heaps/drm_dumb.h: DRM dumb buffers exported as dma-bufs.
//
// For scanout-only devices (a display controller with no heap of its own,
// vkms in the VM tier): each Allocate() asks the card's driver for a dumb
// buffer with the layout's row pitch, exports it with PRIME as a dma-buf, and
// drops the GEM handle. The dma-buf keeps the memory alive. The driver
// chooses the pitch and size; a pitch other than the layout's is refused.
//
// Opening a primary node can make this process DRM master when nobody else
// is; Open() drops master again so a compositor started later is not locked
// out. Dumb buffers need no master rights.
//
// Thread safety: Allocate() may be called from many threads at once. GEM
// handles are per open file, and each call creates and destroys its own.

#ifndef GRALLOC_ALLOCATOR_HEAPS_DRM_DUMB_H_
#define GRALLOC_ALLOCATOR_HEAPS_DRM_DUMB_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "allocator/heaps/heap.h"
#include "hal/base/unique_fd.h"

namespace gralloc {

class DrmDumbHeap final : public Heap {
 public:
  // Opens the DRM card node at `device_path` (e.g. "/dev/dri/card0")
  // read-write, close-on-exec, and checks DRM_CAP_DUMB_BUFFER. The heap is
  // named "drm-dumb:<basename>". Errors: open()'s errno naming the path; the
  // DRM_IOCTL_GET_CAP errno (ENOTTY for a node that is not DRM); Unimplemented
  // when the driver has no dumb buffers.
  static absl::StatusOr<std::unique_ptr<DrmDumbHeap>> Open(
      absl::string_view device_path);

  // Needs request.stride_bytes and size_bytes (InvalidArgument if either is
  // 0 or the rows do not fit 32 bits). DRM_IOCTL_MODE_CREATE_DUMB of
  // ceil(size / stride) rows of `stride` pixels at 8 bpp,
  // drmPrimeHandleToFD(DRM_CLOEXEC | DRM_RDWR), DRM_IOCTL_MODE_DESTROY_DUMB.
  // Internal when the driver chose another pitch or a smaller size. The GEM
  // handle is destroyed and the dma-buf closed on every error path.
  absl::StatusOr<HeapBuffer> Allocate(const HeapRequest& request) override;

 private:
  DrmDumbHeap(UniqueFd card_fd, HeapIdentity identity, std::string description);

  const UniqueFd card_fd_;
};

}  // namespace gralloc

#endif  // GRALLOC_ALLOCATOR_HEAPS_DRM_DUMB_H_
