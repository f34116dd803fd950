// Copyright 2026 The gralloc for Linux Authors.
//
// tools/inspect/sync_file_probe.h: whether this kernel exports a dma-buf's
// implicit fences as a sync_file (DMA_BUF_IOCTL_EXPORT_SYNC_FILE, Linux
// 6.0), asked of a real one-page dma-buf from the first heap that gives
// one: a dma-buf heap under <dev_root>/dma_heap, else udmabuf. The buffer
// and every fd are closed before returning.
//
// Thread safety: reentrant.

#ifndef GRALLOC_TOOLS_INSPECT_SYNC_FILE_PROBE_H_
#define GRALLOC_TOOLS_INSPECT_SYNC_FILE_PROBE_H_

#include <optional>
#include <string>

#include "absl/status/status.h"

namespace gralloc::inspect {

struct SyncFileProbe {
  // nullopt when no dma-buf could be made (no heap this user may use).
  std::optional<absl::Status> result;
  std::string heap;  // the node that made the buffer
};

SyncFileProbe ProbeExportSyncFile(const std::string& dev_root);

}  // namespace gralloc::inspect

#endif  // GRALLOC_TOOLS_INSPECT_SYNC_FILE_PROBE_H_
