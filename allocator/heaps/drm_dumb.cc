// Copyright 2026 The gralloc for Linux Authors.

#include "allocator/heaps/drm_dumb.h"

#include <fcntl.h>
#include <xf86drm.h>

#include <cerrno>
#include <cstdint>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "allocator/heaps/dma_buf_name.h"
#include "allocator/heaps/heap_util.h"
#include "hal/base/status_macros.h"

namespace gralloc {
namespace {

// Destroys a GEM handle of `card_fd` when it goes out of scope, unless
// released: the rollback for every error path after CREATE_DUMB.
class DumbHandle final {
 public:
  DumbHandle(int card_fd, uint32_t handle)
      : card_fd_(card_fd), handle_(handle) {}
  DumbHandle(const DumbHandle&) = delete;
  DumbHandle& operator=(const DumbHandle&) = delete;
  ~DumbHandle() {
    if (armed_) Destroy().IgnoreError();
  }

  // Destroys the handle now, reporting failure.
  absl::Status Destroy() {
    armed_ = false;
    drm_mode_destroy_dumb destroy = {};
    destroy.handle = handle_;
    if (drmIoctl(card_fd_, DRM_IOCTL_MODE_DESTROY_DUMB, &destroy) == -1) {
      return ErrnoStatus("DRM_IOCTL_MODE_DESTROY_DUMB");
    }
    return absl::OkStatus();
  }

 private:
  const int card_fd_;
  const uint32_t handle_;
  bool armed_ = true;
};

}  // namespace

absl::StatusOr<std::unique_ptr<DrmDumbHeap>> DrmDumbHeap::Open(
    absl::string_view device_path) {
  const std::string path(device_path);
  UniqueFd fd(open(path.c_str(), O_RDWR | O_CLOEXEC));
  if (!fd.valid()) return ErrnoStatus(absl::StrCat("open ", path));

  uint64_t has_dumb = 0;
  if (drmGetCap(fd.get(), DRM_CAP_DUMB_BUFFER, &has_dumb) != 0) {
    return ErrnoStatus(
        absl::StrCat("DRM_IOCTL_GET_CAP(DRM_CAP_DUMB_BUFFER) on ", path));
  }
  if (has_dumb == 0) {
    return absl::UnimplementedError(
        absl::StrCat(path, ": the driver has no dumb buffers"));
  }
  // We never need master; holding it would lock out the display server.
  // Failure to drop (we were not master) is the normal case.
  if (drmIsMaster(fd.get())) (void)drmDropMaster(fd.get());

  std::string driver = "unknown driver";
  if (drmVersionPtr version = drmGetVersion(fd.get())) {
    if (version->name != nullptr && version->name_len > 0) {
      driver.assign(version->name, static_cast<size_t>(version->name_len));
    }
    drmFreeVersion(version);
  }
  const absl::string_view card = heaps_internal::Basename(device_path);
  return std::unique_ptr<DrmDumbHeap>(new DrmDumbHeap(
      std::move(fd), DrmDumbIdentity(card),
      absl::StrCat("DRM dumb buffers on ", path, " (", driver, ")")));
}

DrmDumbHeap::DrmDumbHeap(UniqueFd card_fd, HeapIdentity identity,
                         std::string description)
    : Heap(std::move(identity), std::move(description)),
      card_fd_(std::move(card_fd)) {}

absl::StatusOr<HeapBuffer> DrmDumbHeap::Allocate(const HeapRequest& request) {
  // The driver lays out a dumb buffer as rows of a pitch it chooses: ask
  // for rows of exactly the layout's stride at 8 bits per pixel, enough of
  // them to cover the size, so any other pitch means it cannot serve.
  const uint64_t stride = request.stride_bytes;
  if (stride == 0 || request.size_bytes == 0) {
    return absl::InvalidArgumentError(
        absl::StrCat(name(), " needs a stride and a size; got ", stride,
                     " and ", request.size_bytes));
  }
  const uint64_t rows =
      request.size_bytes / stride + (request.size_bytes % stride != 0 ? 1 : 0);
  if (stride > UINT32_MAX || rows > UINT32_MAX) {
    return absl::InvalidArgumentError(
        absl::StrCat(name(), ": ", rows, " rows of ", stride,
                     " bytes do not fit a dumb buffer's 32-bit geometry"));
  }
  drm_mode_create_dumb create = {};
  create.width = static_cast<uint32_t>(stride);
  create.height = static_cast<uint32_t>(rows);
  create.bpp = 8;
  // drmIoctl() retries EINTR and EAGAIN itself.
  if (drmIoctl(card_fd_.get(), DRM_IOCTL_MODE_CREATE_DUMB, &create) == -1) {
    return ErrnoStatus(absl::StrCat("DRM_IOCTL_MODE_CREATE_DUMB ", stride, "x",
                                    rows, "@8 on ", name()));
  }
  DumbHandle handle(card_fd_.get(), create.handle);

  int prime_fd = -1;
  if (drmPrimeHandleToFD(card_fd_.get(), create.handle, DRM_CLOEXEC | DRM_RDWR,
                         &prime_fd) != 0) {
    return ErrnoStatus(absl::StrCat("drmPrimeHandleToFD on ", name()));
  }
  UniqueFd dmabuf(prime_fd);
  // The dma-buf holds its own reference to the memory; the GEM handle would
  // only pin it until the card fd closes (for a daemon, forever).
  RETURN_IF_ERROR(handle.Destroy());

  if (create.pitch != stride || create.size < request.size_bytes) {
    return absl::InternalError(absl::StrCat(
        name(), ": the driver made rows of ", create.pitch, " bytes and ",
        create.size, " bytes in all, not the layout's ", stride, " and ",
        request.size_bytes));
  }
  HeapBuffer buffer;
  buffer.fd = std::move(dmabuf);
  buffer.size_bytes = create.size;
  if (!request.debug_name.empty()) {
    // Debugging aid only; see NameDmaBuf().
    NameDmaBuf(buffer.fd.get(), request.debug_name).IgnoreError();
  }
  return buffer;
}

}  // namespace gralloc
