// Copyright 2026 The gralloc for Linux Authors.
//
// allocator/heaps/dma_buf_name.h: naming a dma-buf for debugging.
//
// The kernel shows a dma-buf's name in /proc/<pid>/fdinfo/<fd> ("name:")
// and in /sys/kernel/debug/dma_buf/bufinfo, which is how one finds out who
// holds 200 MB of buffers. Backends that produce dma-bufs name each one with
// the request's debug name.

#ifndef GRALLOC_ALLOCATOR_HEAPS_DMA_BUF_NAME_H_
#define GRALLOC_ALLOCATOR_HEAPS_DMA_BUF_NAME_H_

#include <linux/dma-buf.h>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "hal/base/ioctl.h"
#include "hal/base/status_macros.h"

namespace gralloc {

// Sets the debug name of dma-buf `fd` (DMA_BUF_SET_NAME). Names longer than
// DMA_BUF_NAME_LEN - 1 bytes are truncated, since the kernel rejects them
// whole. The fd is borrowed, not owned.
//
// Best-effort: a non-dma-buf fd (a memfd) or an old kernel fails with the
// ioctl's errno (ENOTTY, EINVAL, EBUSY on kernels that refuse to rename an
// attached buffer). Callers that only want the name for debugging may
// ignore the status.
// In line: every dma-buf allocated is named, and a call costs more than it
// seems when the code is emulated (the VM tier).
inline absl::Status NameDmaBuf(int fd, absl::string_view name) {
  // The kernel copies at most DMA_BUF_NAME_LEN bytes including the NUL and
  // fails with EINVAL if the string is longer, so truncate here.
  // On the stack: this runs for every buffer allocated.
  char truncated[DMA_BUF_NAME_LEN] = {};
  name.copy(truncated, DMA_BUF_NAME_LEN - 1);
  if (RetryIoctl(fd, DMA_BUF_SET_NAME, truncated) == -1) {
    return ErrnoStatus("DMA_BUF_SET_NAME");
  }
  return absl::OkStatus();
}

}  // namespace gralloc

#endif  // GRALLOC_ALLOCATOR_HEAPS_DMA_BUF_NAME_H_
