// Copyright 2026 The gralloc for Linux Authors.

#include "bench/shapes.h"

#include "hal/types/buffer_usage.h"

namespace gralloc::bench {
namespace {

constexpr uint64_t Bits(BufferUsage usage) {
  return static_cast<uint64_t>(usage);
}

constexpr uint64_t kCpuOften =
    Bits(BufferUsage::CPU_READ_OFTEN) | Bits(BufferUsage::CPU_WRITE_OFTEN);
constexpr uint64_t kCamera = kCpuOften | Bits(BufferUsage::CAMERA_OUTPUT) |
                             Bits(BufferUsage::VIDEO_ENCODER);
constexpr uint64_t kEncoder = Bits(BufferUsage::VIDEO_ENCODER);

constexpr Shape kShapes[] = {
    {"64x64_RGBA", 64, 64, PixelFormat::RGBA_8888, kCpuOften, 0},
    {"BLOB_1MiB", 1048576, 1, PixelFormat::BLOB, kCpuOften, 0},
    {"1080p_YUV420", 1920, 1080, PixelFormat::YCBCR_420_888, kCamera, kEncoder},
    {"1080p_RGBA", 1920, 1080, PixelFormat::RGBA_8888, kCpuOften, 0},
    {"2160p_YUV420", 3840, 2160, PixelFormat::YCBCR_420_888, kCamera, kEncoder},
    {"2160p_RGBA", 3840, 2160, PixelFormat::RGBA_8888, kCpuOften, 0},
};

}  // namespace

absl::Span<const Shape> Shapes() { return kShapes; }

BufferDescriptorInfo Descriptor(const Shape& shape, uint64_t usage,
                                HeapClass heap) {
  BufferDescriptorInfo info;
  info.name = "bench";
  info.width = shape.width;
  info.height = shape.height;
  info.layer_count = 1;
  info.format = static_cast<int32_t>(shape.format);
  info.usage = usage;
  info.additional_options.push_back(
      {kPreferredHeapOptionName, static_cast<int64_t>(heap)});
  return info;
}

}  // namespace gralloc::bench
