// Copyright 2026 The gralloc for Linux Authors.
//
// hal/metadata/metadata_testing.h: reading a buffer's shared metadata from
// its raw handle, for tests that check what the allocator recorded there.

#ifndef GRALLOC_HAL_METADATA_METADATA_TESTING_H_
#define GRALLOC_HAL_METADATA_METADATA_TESTING_H_

#include <cstdint>
#include <string>

#include "cutils/native_handle.h"

namespace gralloc::testing {

// The heap name the metadata of the buffer `handle` (whose metadata buffer
// is `metadata_size` bytes) records, or "(mmap failed)" / "(corrupt)".
std::string MetadataHeapName(const native_handle_t* handle,
                             uint64_t metadata_size);

}  // namespace gralloc::testing

#endif  // GRALLOC_HAL_METADATA_METADATA_TESTING_H_
