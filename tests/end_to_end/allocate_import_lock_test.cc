// Copyright 2026 The gralloc for Linux Authors.
//
// Every supported format, allocated through the allocator's C ABI and used
// through the Mapper 5 C ABI: import, PLANE_LAYOUTS against the allocator's
// stride, a full-buffer write under lock read back through a second import,
// and free. Every other format in the table is either the same or refused,
// consistently by isSupported and allocate.

#include <cstring>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "android/hardware/graphics/mapper/IMapper.h"
#include "gralloc/allocator.h"
#include "gtest/gtest.h"
#include "hal/base/fd_count.h"
#include "hal/format/format_table.h"
#include "hal/metadata/metadata_codec.h"
#include "hal/metadata/metadata_types.h"
#include "hal/types/pixel_format.h"

namespace gralloc {
namespace {

using ::gralloc::testing::OpenFdCount;

constexpr int64_t kCpuOften = 0x33;

GrallocBufferDescriptorInfo Info(int32_t format, int32_t width,
                                 int32_t height) {
  GrallocBufferDescriptorInfo info;
  std::memset(&info, 0, sizeof(info));
  std::strcpy(info.name, "end-to-end");
  info.width = width;
  info.height = height;
  info.layerCount = 1;
  info.format = format;
  info.usage = kCpuOften;
  return info;
}

class EndToEndTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(GrallocAllocator_openInProcess(nullptr, &allocator_), 0);
    ASSERT_EQ(AIMapper_loadIMapper(&mapper_), AIMAPPER_ERROR_NONE);
  }
  void TearDown() override { GrallocAllocator_close(allocator_); }

  std::vector<uint8_t> Metadata(buffer_handle_t buffer,
                                StandardMetadataType type) {
    const int32_t size = mapper_->v5.getStandardMetadata(
        buffer, static_cast<int64_t>(type), nullptr, 0);
    EXPECT_GT(size, 0) << static_cast<int64_t>(type);
    std::vector<uint8_t> bytes(size > 0 ? static_cast<size_t>(size) : 0);
    EXPECT_EQ(
        mapper_->v5.getStandardMetadata(buffer, static_cast<int64_t>(type),
                                        bytes.data(), bytes.size()),
        size);
    return bytes;
  }

  // Allocates, imports twice, writes a pattern through one import and reads
  // it through the other; checks the metadata agrees with the allocation.
  void Exercise(int32_t format, int32_t width, int32_t height) {
    SCOPED_TRACE(
        absl::StrCat("format 0x", absl::Hex(format), " ", width, "x", height));
    GrallocBufferDescriptorInfo info = Info(format, width, height);
    native_handle_t* raw = nullptr;
    int32_t stride = 0;
    ASSERT_EQ(GrallocAllocator_allocate2(allocator_, &info, 1, &stride, &raw),
              0);
    buffer_handle_t writer = nullptr;
    buffer_handle_t reader = nullptr;
    ASSERT_EQ(mapper_->v5.importBuffer(raw, &writer), AIMAPPER_ERROR_NONE);
    ASSERT_EQ(mapper_->v5.importBuffer(raw, &reader), AIMAPPER_ERROR_NONE);
    native_handle_close(raw);
    native_handle_delete(raw);

    auto stride_meta = DecodeMetadata<StandardMetadataType::STRIDE>(
        Metadata(writer, StandardMetadataType::STRIDE).data(),
        Metadata(writer, StandardMetadataType::STRIDE).size());
    ASSERT_TRUE(stride_meta.ok());
    EXPECT_EQ(static_cast<int32_t>(*stride_meta), stride);

    const std::vector<uint8_t> size_bytes =
        Metadata(writer, StandardMetadataType::ALLOCATION_SIZE);
    auto allocation_size =
        DecodeMetadata<StandardMetadataType::ALLOCATION_SIZE>(
            size_bytes.data(), size_bytes.size());
    ASSERT_TRUE(allocation_size.ok());
    const std::vector<uint8_t> layout_bytes =
        Metadata(writer, StandardMetadataType::PLANE_LAYOUTS);
    auto planes = DecodeMetadata<StandardMetadataType::PLANE_LAYOUTS>(
        layout_bytes.data(), layout_bytes.size());
    ASSERT_TRUE(planes.ok()) << planes.status();
    ASSERT_FALSE(planes->empty());
    uint64_t end = 0;
    for (const PlaneLayout& plane : *planes) {
      EXPECT_GE(plane.stride_in_bytes * 8, plane.width_in_samples *
                                               plane.sample_increment_in_bits /
                                               plane.horizontal_subsampling *
                                               plane.horizontal_subsampling);
      end = std::max<uint64_t>(
          end, plane.offset_in_bytes + plane.total_size_in_bytes);
    }
    EXPECT_LE(end, *allocation_size);

    // Write every byte the planes cover under lock through one import...
    void* data = nullptr;
    ASSERT_EQ(mapper_->v5.lock(writer, kCpuOften, ARect{0, 0, 0, 0}, -1, &data),
              AIMAPPER_ERROR_NONE);
    auto* bytes = static_cast<uint8_t*>(data);
    for (uint64_t i = 0; i < end; ++i)
      bytes[i] = static_cast<uint8_t>(i * 7 + 3);
    int release = 0;
    ASSERT_EQ(mapper_->v5.unlock(writer, &release), AIMAPPER_ERROR_NONE);
    EXPECT_EQ(release, -1);
    // ...and read it through the other.
    ASSERT_EQ(
        mapper_->v5.lock(reader, 0x3, ARect{0, 0, width, height}, -1, &data),
        AIMAPPER_ERROR_NONE);
    bytes = static_cast<uint8_t*>(data);
    bool same = true;
    for (uint64_t i = 0; i < end; ++i) {
      same &= bytes[i] == static_cast<uint8_t>(i * 7 + 3);
    }
    EXPECT_TRUE(same);
    ASSERT_EQ(mapper_->v5.unlock(reader, &release), AIMAPPER_ERROR_NONE);

    EXPECT_EQ(mapper_->v5.freeBuffer(writer), AIMAPPER_ERROR_NONE);
    EXPECT_EQ(mapper_->v5.freeBuffer(reader), AIMAPPER_ERROR_NONE);
  }

  GrallocAllocator* allocator_ = nullptr;
  AIMapper* mapper_ = nullptr;
};

int32_t F(PixelFormat format) { return static_cast<int32_t>(format); }

TEST_F(EndToEndTest, EverySupportedFormatAllocatesImportsAndLocks) {
  const int before = OpenFdCount();
  for (PixelFormat format :
       {PixelFormat::RGBA_8888, PixelFormat::RGBX_8888, PixelFormat::BGRA_8888,
        PixelFormat::RGB_888, PixelFormat::RGB_565, PixelFormat::RGBA_FP16,
        PixelFormat::RGBA_1010102, PixelFormat::YV12,
        PixelFormat::YCBCR_420_888, PixelFormat::YCRCB_420_SP,
        PixelFormat::YCBCR_P010, PixelFormat::Y8, PixelFormat::Y16,
        PixelFormat::RAW16, PixelFormat::RAW10, PixelFormat::RAW12,
        PixelFormat::R_8, PixelFormat::IMPLEMENTATION_DEFINED}) {
    Exercise(F(format), 64, 48);
    Exercise(F(format), 36, 10);  // odd strides, chroma rounding
  }
  Exercise(F(PixelFormat::BLOB), 4096, 1);
  Exercise(F(PixelFormat::BLOB), 1000, 1);
  EXPECT_EQ(OpenFdCount(), before);
}

TEST_F(EndToEndTest, Rgba64x64AllocationSizeIsBelowTwiceTheBytes) {
  GrallocBufferDescriptorInfo info = Info(F(PixelFormat::RGBA_8888), 64, 64);
  native_handle_t* raw = nullptr;
  int32_t stride = 0;
  ASSERT_EQ(GrallocAllocator_allocate2(allocator_, &info, 1, &stride, &raw), 0);
  buffer_handle_t buffer = nullptr;
  ASSERT_EQ(mapper_->v5.importBuffer(raw, &buffer), AIMAPPER_ERROR_NONE);
  const std::vector<uint8_t> bytes =
      Metadata(buffer, StandardMetadataType::ALLOCATION_SIZE);
  auto size = DecodeMetadata<StandardMetadataType::ALLOCATION_SIZE>(
      bytes.data(), bytes.size());
  ASSERT_TRUE(size.ok());
  EXPECT_LT(*size, 2u * static_cast<uint64_t>(stride) * 64u * 4u);
  EXPECT_EQ(mapper_->v5.freeBuffer(buffer), AIMAPPER_ERROR_NONE);
  native_handle_close(raw);
  native_handle_delete(raw);
}

// Any other format either works with an exact layout or is reported
// unsupported, and isSupported says which before anything is allocated.
TEST_F(EndToEndTest, EveryFormatInTheTableIsConsistentlySupportedOrNot) {
  for (const FormatInfo& format : AllFormats()) {
    const int32_t height = format.rules.height_must_be_one ? 1 : 16;
    GrallocBufferDescriptorInfo info = Info(format.android_value, 64, height);
    bool supported = false;
    ASSERT_EQ(GrallocAllocator_isSupported(allocator_, &info, &supported), 0);
    native_handle_t* raw = nullptr;
    int32_t stride = 0;
    const int error =
        GrallocAllocator_allocate2(allocator_, &info, 1, &stride, &raw);
    EXPECT_EQ(supported, error == 0) << format.name;
    if (error != 0) {
      EXPECT_EQ(error, AIMAPPER_ERROR_UNSUPPORTED) << format.name;
      continue;
    }
    native_handle_close(raw);
    native_handle_delete(raw);
    Exercise(format.android_value, 64, height);
  }
}

}  // namespace
}  // namespace gralloc
