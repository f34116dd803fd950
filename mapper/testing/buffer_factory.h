// Copyright 2026 The gralloc for Linux Authors.
//
// mapper/testing/buffer_factory.h: memfd-backed buffers for mapper tests,
// made the way the allocator makes them: a pixel memfd sized by
// ComputeLayout(), a metadata memfd written by InitSharedMetadata(), both
// sealed against resizing, in a handle from EncodeHandle().
//
// Test-only. The returned handle owns its fds (NativeHandlePtr).

#ifndef GRALLOC_MAPPER_TESTING_BUFFER_FACTORY_H_
#define GRALLOC_MAPPER_TESTING_BUFFER_FACTORY_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "hal/handle/buffer_handle.h"
#include "hal/metadata/metadata_types.h"
#include "hal/types/buffer_usage.h"
#include "hal/types/pixel_format.h"

namespace gralloc::testing {

inline constexpr uint64_t kCpuReadWrite =
    UsageValue(BufferUsage::CPU_READ_OFTEN) |
    UsageValue(BufferUsage::CPU_WRITE_OFTEN);

struct TestBufferSpec {
  int32_t width = 64;
  int32_t height = 32;
  int32_t layer_count = 1;
  PixelFormat format = PixelFormat::RGBA_8888;  // requested
  // The concrete format laid out; UNSPECIFIED means `format`.
  PixelFormat layout_format = PixelFormat::UNSPECIFIED;
  // With a flexible layout_format, the DRM fourcc of its concrete layout
  // (NV12 for YCBCR_420_888: FindConcreteLayout()).
  uint32_t layout_fourcc = 0;
  uint64_t usage = kCpuReadWrite;
  uint32_t flags = 0;  // HandleFlags
  uint64_t reserved_size = 0;
  std::string name = "test-buffer";
  Dataspace dataspace = Dataspace::UNKNOWN;
  // Bytes the pixel memfd really gets; -1: the layout's size. Lets tests
  // make fds shorter than the handle claims.
  int64_t pixel_file_size = -1;
  // Seal both memfds against shrinking and growing (the allocator does).
  bool seal = true;
  // Leave the metadata header to the first importer and carry it in the
  // memfd's name, as the allocator does when the name fits
  // (hal/metadata/metadata_buffer_name.h); false writes it now.
  bool blank_header = true;
  // With blank_header, the metadata memfd's name instead of the one the
  // allocator would give (to forge one).
  std::string blank_name;
};

struct TestBuffer {
  NativeHandlePtr handle;
  HandleInfo info;
};

absl::StatusOr<TestBuffer> MakeTestBuffer(const TestBufferSpec& spec = {});

// A copy of `handle` (dup'ed fds, same ints), for forging variants.
NativeHandlePtr CloneHandle(const native_handle_t* handle);

// The int at `index` (kHandleInt*) of a handle.
inline int32_t& HandleInt(native_handle_t* handle, int index) {
  return handle->data[handle->numFds + index];
}

}  // namespace gralloc::testing

#endif  // GRALLOC_MAPPER_TESTING_BUFFER_FACTORY_H_
