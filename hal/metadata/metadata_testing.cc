// Copyright 2026 The gralloc for Linux Authors.

#include "hal/metadata/metadata_testing.h"

#include <sys/mman.h>

#include "absl/status/statusor.h"
#include "hal/handle/buffer_handle.h"
#include "hal/metadata/metadata_buffer_name.h"
#include "hal/metadata/shared_metadata.h"

namespace gralloc::testing {

std::string MetadataHeapName(const native_handle_t* handle,
                             uint64_t metadata_size) {
  void* mapping = mmap(nullptr, metadata_size, PROT_READ | PROT_WRITE,
                       MAP_SHARED, HandleMetadataFd(handle), 0);
  if (mapping == MAP_FAILED) return "(mmap failed)";
  // A buffer nobody imported yet is blank: its name says what it holds.
  absl::StatusOr<SharedMetadata> metadata = SharedMetadata::Attach(
      mapping, metadata_size, [&]() -> absl::StatusOr<SharedMetadataInit> {
        return ReadMetadataBufferName(HandleMetadataFd(handle));
      });
  std::string name = metadata.ok() ? metadata->heap_name() : "(corrupt)";
  munmap(mapping, metadata_size);
  return name;
}

}  // namespace gralloc::testing
