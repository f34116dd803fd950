// Copyright 2026 The gralloc for Linux Authors.
//
// allocator/metadata_buffer.h: creates a buffer's shared metadata buffer.
//
// Metadata lives in its own small sealed memfd, not in the pixel buffer
// (protected memory cannot be mapped, and scanout memory should not carry
// bookkeeping). Every import of the buffer, in any process, maps this fd
// and sees the same values (hal/metadata/shared_metadata.h).

#ifndef GRALLOC_ALLOCATOR_METADATA_BUFFER_H_
#define GRALLOC_ALLOCATOR_METADATA_BUFFER_H_

#include <cstdint>

#include "absl/status/statusor.h"
#include "hal/base/unique_fd.h"
#include "hal/metadata/shared_metadata.h"

namespace gralloc {

struct MetadataBuffer {
  UniqueFd fd;  // owned by the caller
  uint32_t size_bytes = 0;
};

// A memfd of SharedMetadataSize(init.reserved_size) bytes holding `init`,
// sealed against shrinking and growing. `init` is normally carried in the
// memfd's name and the buffer left blank for its first importer to write
// (hal/metadata/metadata_buffer_name.h); its crop must be the whole buffer.
// On error nothing is left open.
absl::StatusOr<MetadataBuffer> CreateMetadataBuffer(
    const SharedMetadataInit& init);

}  // namespace gralloc

#endif  // GRALLOC_ALLOCATOR_METADATA_BUFFER_H_
