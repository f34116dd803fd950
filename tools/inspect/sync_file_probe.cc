// Copyright 2026 The gralloc for Linux Authors.

#include "tools/inspect/sync_file_probe.h"

#include <fcntl.h>
#include <linux/dma-buf.h>
#include <linux/dma-heap.h>
#include <linux/udmabuf.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <vector>

#include "hal/base/ioctl.h"
#include "hal/base/status_macros.h"
#include "hal/base/unique_fd.h"
#include "tools/inspect/proc_files.h"

namespace gralloc::inspect {
namespace {

constexpr size_t kProbeBytes = 4096;

UniqueFd DmaBufFromHeap(const std::string& path) {
  UniqueFd heap(open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!heap.valid()) return UniqueFd();
  dma_heap_allocation_data data = {};
  data.len = kProbeBytes;
  data.fd_flags = O_RDWR | O_CLOEXEC;
  if (RetryIoctl(heap.get(), DMA_HEAP_IOCTL_ALLOC, &data) != 0) {
    return UniqueFd();
  }
  return UniqueFd(static_cast<int>(data.fd));
}

UniqueFd DmaBufFromUdmabuf(const std::string& path) {
  UniqueFd device(open(path.c_str(), O_RDWR | O_CLOEXEC));
  if (!device.valid()) return UniqueFd();
  UniqueFd memfd(
      memfd_create("gralloc:doctor-probe", MFD_ALLOW_SEALING | MFD_CLOEXEC));
  if (!memfd.valid() || ftruncate(memfd.get(), kProbeBytes) != 0 ||
      fcntl(memfd.get(), F_ADD_SEALS, F_SEAL_SHRINK) != 0) {
    return UniqueFd();
  }
  udmabuf_create create = {};
  create.memfd = static_cast<uint32_t>(memfd.get());
  create.flags = UDMABUF_FLAGS_CLOEXEC;
  create.offset = 0;
  create.size = kProbeBytes;
  const int fd = RetryIoctl(device.get(), UDMABUF_CREATE, &create);
  return UniqueFd(fd >= 0 ? fd : -1);
}

}  // namespace

SyncFileProbe ProbeExportSyncFile(const std::string& dev_root) {
  SyncFileProbe probe;
  UniqueFd buffer;
  absl::StatusOr<std::vector<std::string>> heaps =
      ListDirectory(dev_root + "/dma_heap");
  if (heaps.ok()) {
    std::sort(heaps->begin(), heaps->end());
    for (const std::string& name : *heaps) {
      buffer = DmaBufFromHeap(dev_root + "/dma_heap/" + name);
      if (buffer.valid()) {
        probe.heap = name;
        break;
      }
    }
  }
  if (!buffer.valid()) {
    buffer = DmaBufFromUdmabuf(dev_root + "/udmabuf");
    if (buffer.valid()) probe.heap = "udmabuf";
  }
  if (!buffer.valid()) return probe;
  dma_buf_export_sync_file request = {};
  request.flags = DMA_BUF_SYNC_READ;
  request.fd = -1;
  if (RetryIoctl(buffer.get(), DMA_BUF_IOCTL_EXPORT_SYNC_FILE, &request) != 0) {
    probe.result = ErrnoStatus("DMA_BUF_IOCTL_EXPORT_SYNC_FILE");
    return probe;
  }
  UniqueFd sync_file(request.fd);
  probe.result = absl::OkStatus();
  return probe;
}

}  // namespace gralloc::inspect
