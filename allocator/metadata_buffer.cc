// Copyright 2026 The gralloc for Linux Authors.

#include "allocator/metadata_buffer.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "hal/base/status_macros.h"
#include "hal/handle/buffer_handle.h"
#include "hal/metadata/metadata_buffer_name.h"

namespace gralloc {

absl::StatusOr<MetadataRecipe> PrepareMetadataBuffer(
    const SharedMetadataInit& init) {
  const size_t size = SharedMetadataSize(init.reserved_size);
  if (size == 0 || size > kHandleMaxMetadataSize) {
    return absl::InvalidArgumentError(
        absl::StrCat("a reserved region of ", init.reserved_size,
                     " bytes does not fit a metadata buffer"));
  }
  MetadataRecipe recipe;
  recipe.size_bytes = static_cast<uint32_t>(size);
  // A new memfd reads as zeros. When its name can carry the header's
  // constants, the first importer writes the header (metadata_buffer_name.h)
  // and allocation touches none of its pages (bench/PROFILE.md); otherwise
  // the header is written at creation, without mapping the buffer.
  recipe.name = EncodeMetadataBufferName(init);
  if (!recipe.name.has_value()) {
    ASSIGN_OR_RETURN(recipe.prefix, SharedMetadataPrefix(size, init));
  }
  return recipe;
}

absl::StatusOr<MetadataBuffer> CreateMetadataBuffer(
    const MetadataRecipe& recipe) {
  UniqueFd fd(memfd_create(
      recipe.name.has_value() ? recipe.name->c_str() : "gralloc-metadata",
      MFD_CLOEXEC | MFD_ALLOW_SEALING));
  if (!fd.valid()) return ErrnoStatus("memfd_create(gralloc-metadata)");
  if (ftruncate(fd.get(), static_cast<off_t>(recipe.size_bytes)) != 0) {
    return ErrnoStatus("ftruncate(gralloc-metadata)");
  }
  const std::vector<uint8_t>& prefix = recipe.prefix;
  for (size_t written = 0; written < prefix.size();) {
    const ssize_t n =
        pwrite(fd.get(), prefix.data() + written, prefix.size() - written,
               static_cast<off_t>(written));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return ErrnoStatus("pwrite(gralloc-metadata)");
    written += static_cast<size_t>(n);
  }
  // Importers map the whole buffer; a fixed size means a mapping can never
  // outlive its pages (no SIGBUS), whoever holds the fd.
  if (fcntl(fd.get(), F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL) !=
      0) {
    return ErrnoStatus("F_ADD_SEALS(gralloc-metadata)");
  }
  MetadataBuffer buffer;
  buffer.fd = std::move(fd);
  buffer.size_bytes = recipe.size_bytes;
  return buffer;
}

}  // namespace gralloc
