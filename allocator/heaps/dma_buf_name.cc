// Copyright 2026 The gralloc for Linux Authors.

#include "allocator/heaps/dma_buf_name.h"

#include <linux/dma-buf.h>
#include <sys/ioctl.h>

#include <cerrno>

#include "hal/base/ioctl.h"
#include "hal/base/status_macros.h"

namespace gralloc {

absl::Status NameDmaBuf(int fd, absl::string_view name) {
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
