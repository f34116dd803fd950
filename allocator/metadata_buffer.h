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
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "hal/base/unique_fd.h"
#include "hal/metadata/shared_metadata.h"

namespace gralloc {

struct MetadataBuffer {
  UniqueFd fd;  // owned by the caller
  uint32_t size_bytes = 0;
};

// What every metadata buffer made for one SharedMetadataInit shares: its
// size, and the memfd name that carries `init`
// (hal/metadata/metadata_buffer_name.h) or, when no name can, the header
// to write. Worked out once per description (the allocator keeps it with
// the description's plan): encoding the name was a sixth of an
// allocation's user-space instructions.
struct MetadataRecipe {
  uint32_t size_bytes = 0;
  std::optional<std::string> name;  // nullopt: write `prefix`
  std::vector<uint8_t> prefix;      // the header, when there is no name
};

// The recipe for `init`, whose crop must be the whole buffer.
// InvalidArgument when its reserved region cannot fit a metadata buffer.
absl::StatusOr<MetadataRecipe> PrepareMetadataBuffer(
    const SharedMetadataInit& init);

// A memfd of recipe.size_bytes holding the recipe's `init`, sealed against
// shrinking and growing: normally blank, with `init` in its name for the
// first importer to write; otherwise with the header written here. On
// error nothing is left open.
absl::StatusOr<MetadataBuffer> CreateMetadataBuffer(
    const MetadataRecipe& recipe);

}  // namespace gralloc

#endif  // GRALLOC_ALLOCATOR_METADATA_BUFFER_H_
