// Copyright 2026 The gralloc for Linux Authors.

#include "allocator/heaps/udmabuf.h"

#include <fcntl.h>
#include <linux/udmabuf.h>

#include <utility>

#include "absl/strings/str_cat.h"
#include "allocator/heaps/dma_buf_name.h"
#include "allocator/heaps/heap_util.h"
#include "hal/base/ioctl.h"
#include "hal/base/status_macros.h"

namespace gralloc {
absl::StatusOr<std::unique_ptr<UdmabufHeap>> UdmabufHeap::Open(
    absl::string_view device_path) {
  const std::string path(device_path);
  UniqueFd fd(open(path.c_str(), O_RDWR | O_CLOEXEC));
  if (!fd.valid()) return ErrnoStatus(absl::StrCat("open ", path));
  return std::unique_ptr<UdmabufHeap>(new UdmabufHeap(
      std::move(fd),
      absl::StrCat("udmabuf: dma-bufs of memfd pages (", path, ")")));
}

UdmabufHeap::UdmabufHeap(UniqueFd device_fd, std::string description)
    : Heap(UdmabufIdentity(), std::move(description)),
      device_fd_(std::move(device_fd)) {}

absl::StatusOr<HeapBuffer> UdmabufHeap::Allocate(const HeapRequest& request) {
  ASSIGN_OR_RETURN(uint64_t size_bytes,
                   heaps_internal::PageAlignedSize(request.size_bytes));
  // Owned here and closed on return, success or not: once UDMABUF_CREATE has
  // succeeded the dma-buf holds its own references to the pages.
  ASSIGN_OR_RETURN(UniqueFd memfd, heaps_internal::CreateSizedMemfd(
                                       request.debug_name, size_bytes));
  // udmabuf insists on F_SEAL_SHRINK (pages must not disappear under a
  // device) and refuses memfds carrying F_SEAL_WRITE (the buffer must stay
  // writable).
  RETURN_IF_ERROR(heaps_internal::AddSeals(memfd.get(), F_SEAL_SHRINK));

  udmabuf_create create = {};
  create.memfd = static_cast<__u32>(memfd.get());
  create.flags = UDMABUF_FLAGS_CLOEXEC;
  create.offset = 0;
  create.size = size_bytes;
  const int dmabuf_fd = RetryIoctl(device_fd_.get(), UDMABUF_CREATE, &create);
  if (dmabuf_fd == -1) {
    return ErrnoStatus(
        absl::StrCat("UDMABUF_CREATE of ", size_bytes, " bytes on udmabuf"));
  }
  HeapBuffer buffer;
  buffer.fd = UniqueFd(dmabuf_fd);
  buffer.size_bytes = size_bytes;
  if (!request.debug_name.empty()) {
    // Debugging aid only; see NameDmaBuf().
    NameDmaBuf(buffer.fd.get(), request.debug_name).IgnoreError();
  }
  return buffer;
}

}  // namespace gralloc
