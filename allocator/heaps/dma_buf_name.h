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

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace gralloc {

// Sets the debug name of dma-buf `fd` (DMA_BUF_SET_NAME). Names longer than
// DMA_BUF_NAME_LEN - 1 bytes are truncated, since the kernel rejects them
// whole. The fd is borrowed, not owned.
//
// Best-effort: a non-dma-buf fd (a memfd) or an old kernel fails with the
// ioctl's errno (ENOTTY, EINVAL, EBUSY on kernels that refuse to rename an
// attached buffer). Callers that only want the name for debugging may
// ignore the status.
absl::Status NameDmaBuf(int fd, absl::string_view name);

}  // namespace gralloc

#endif  // GRALLOC_ALLOCATOR_HEAPS_DMA_BUF_NAME_H_
