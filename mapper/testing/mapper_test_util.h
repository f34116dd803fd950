// Copyright 2026 The gralloc for Linux Authors.
//
// mapper/testing/mapper_test_util.h: small helpers shared by the mapper's
// tests that use the C ABI. Test-only.

#ifndef GRALLOC_MAPPER_TESTING_MAPPER_TEST_UTIL_H_
#define GRALLOC_MAPPER_TESTING_MAPPER_TEST_UTIL_H_

#include <sys/eventfd.h>

#include <cstdint>
#include <vector>

#include "android/hardware/graphics/mapper/IMapper.h"
#include "hal/base/unique_fd.h"

namespace gralloc::testing {

// A fence-like fd: an eventfd polls readable (POLLIN) once signalled.
inline UniqueFd MakeFence(bool signalled) {
  UniqueFd fd(eventfd(signalled ? 1 : 0, EFD_CLOEXEC));
  return fd;
}

inline AIMapper_MetadataType StandardType(int64_t value) {
  return AIMapper_MetadataType{
      "android.hardware.graphics.common.StandardMetadataType", value};
}

// getStandardMetadata into a vector: asks for the size, then reads.
inline std::vector<uint8_t> GetStandard(const AIMapper* mapper,
                                        buffer_handle_t buffer, int64_t type,
                                        int32_t* error) {
  const int32_t size = mapper->v5.getStandardMetadata(buffer, type, nullptr, 0);
  *error = size < 0 ? size : 0;
  if (size <= 0) return {};
  std::vector<uint8_t> bytes(static_cast<size_t>(size));
  const int32_t written =
      mapper->v5.getStandardMetadata(buffer, type, bytes.data(), bytes.size());
  if (written != size) *error = written < 0 ? written : -1000;
  return bytes;
}

}  // namespace gralloc::testing

#endif  // GRALLOC_MAPPER_TESTING_MAPPER_TEST_UTIL_H_
