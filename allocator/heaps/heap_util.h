// Copyright 2026 The gralloc for Linux Authors.
//
// allocator/heaps/heap_util.h: small system-call helpers the heap backends
// share. Private to allocator/heaps.

#ifndef GRALLOC_ALLOCATOR_HEAPS_HEAP_UTIL_H_
#define GRALLOC_ALLOCATOR_HEAPS_HEAP_UTIL_H_

#include <sys/types.h>

#include <cstdint>
#include <limits>

#include "absl/base/optimization.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "hal/base/page_size.h"
#include "hal/base/unique_fd.h"

namespace gralloc::heaps_internal {

// PageAlignedSize()'s refusal of `size_bytes`.
absl::Status PageAlignedSizeError(uint64_t size_bytes);

// `size_bytes` rounded up to a whole number of pages. InvalidArgument when
// it is 0, when rounding overflows 64 bits, or when the result does not fit
// an off_t (no file, memfd or dma-buf can be that large). Inline: every
// allocation asks.
inline absl::StatusOr<uint64_t> PageAlignedSize(uint64_t size_bytes) {
  uint64_t aligned = 0;
  if (ABSL_PREDICT_TRUE(size_bytes != 0 &&
                        RoundUpToPage(size_bytes, &aligned) &&
                        aligned <= static_cast<uint64_t>(
                                       std::numeric_limits<off_t>::max()))) {
    return aligned;
  }
  return PageAlignedSizeError(size_bytes);
}

// A close-on-exec memfd that allows sealing, named "gralloc:<debug_name>"
// (truncated to what memfd_create accepts), grown to `size_bytes` (already
// page-aligned by the caller). No seals are added. Errors name the call.
absl::StatusOr<UniqueFd> CreateSizedMemfd(absl::string_view debug_name,
                                          uint64_t size_bytes);

// The last component of `path` ("system" for "/dev/dma_heap/system/").
absl::string_view Basename(absl::string_view path);

// fcntl(fd, F_ADD_SEALS, seals); errors name the call.
absl::Status AddSeals(int fd, unsigned int seals);

}  // namespace gralloc::heaps_internal

#endif  // GRALLOC_ALLOCATOR_HEAPS_HEAP_UTIL_H_
