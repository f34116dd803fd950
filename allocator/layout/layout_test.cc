// Copyright 2026 The gralloc for Linux Authors.

#include "allocator/layout/layout.h"

#include <cstdint>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "hal/base/status_matchers.h"
#include "hal/types/pixel_format.h"

namespace gralloc {
namespace {

using ::gralloc::testing::StatusIs;
using ::testing::HasSubstr;

const FormatInfo& Format(PixelFormat format) {
  const FormatInfo* info = FindFormat(static_cast<int32_t>(format));
  EXPECT_NE(info, nullptr);
  return *info;
}

BufferLayout Lay(PixelFormat format, int64_t width, int64_t height,
                 LayoutConstraints constraints = {}, int64_t layers = 1) {
  auto layout =
      ComputeLayout(Format(format), width, height, layers, constraints);
  EXPECT_TRUE(layout.ok()) << layout.status();
  return layout.ok() ? *layout : BufferLayout{};
}

struct Expected {
  uint64_t offset;
  uint64_t stride;
  uint64_t size;
};

void ExpectPlanes(const BufferLayout& layout,
                  std::initializer_list<Expected> planes) {
  ASSERT_EQ(layout.plane_count, static_cast<int>(planes.size()));
  int i = 0;
  for (const Expected& e : planes) {
    EXPECT_EQ(layout.planes[i].offset_bytes, e.offset) << "plane " << i;
    EXPECT_EQ(layout.planes[i].stride_bytes, e.stride) << "plane " << i;
    EXPECT_EQ(layout.planes[i].size_bytes, e.size) << "plane " << i;
    ++i;
  }
}

TEST(LayoutTest, Rgba8888IsFourBytesPerPixel) {
  BufferLayout layout = Lay(PixelFormat::RGBA_8888, 64, 64);
  EXPECT_EQ(layout.stride_px, 64);
  ExpectPlanes(layout, {{0, 256, 16384}});
  EXPECT_EQ(layout.total_size_bytes, 16384u);
}

TEST(LayoutTest, StrideAlignmentRoundsTheRowUp) {
  LayoutConstraints constraints;
  constraints.stride_alignment_bytes = 64;
  BufferLayout layout = Lay(PixelFormat::RGBA_8888, 100, 10, constraints);
  EXPECT_EQ(layout.stride_px, 112);  // 400 bytes -> 448
  ExpectPlanes(layout, {{0, 448, 4480}});
}

TEST(LayoutTest, RgbxAndBgraMatchRgba) {
  ExpectPlanes(Lay(PixelFormat::RGBX_8888, 3, 2), {{0, 12, 24}});
  ExpectPlanes(Lay(PixelFormat::BGRA_8888, 3, 2), {{0, 12, 24}});
}

TEST(LayoutTest, Rgb888StrideStaysAWholeNumberOfPixels) {
  LayoutConstraints constraints;
  constraints.stride_alignment_bytes = 64;
  BufferLayout layout = Lay(PixelFormat::RGB_888, 10, 4, constraints);
  // 30 bytes; LCM(64, 3) = 192.
  EXPECT_EQ(layout.stride_px, 64);
  ExpectPlanes(layout, {{0, 192, 768}});
}

TEST(LayoutTest, Rgb565AndFp16And1010102) {
  ExpectPlanes(Lay(PixelFormat::RGB_565, 7, 3), {{0, 14, 42}});
  ExpectPlanes(Lay(PixelFormat::RGBA_FP16, 7, 3), {{0, 56, 168}});
  ExpectPlanes(Lay(PixelFormat::RGBA_1010102, 7, 3), {{0, 28, 84}});
}

TEST(LayoutTest, BlobIsWidthBytes) {
  BufferLayout layout = Lay(PixelFormat::BLOB, 1000, 1);
  EXPECT_EQ(layout.stride_px, 1000);
  ExpectPlanes(layout, {{0, 1000, 1000}});
}

TEST(LayoutTest, Yv12PutsCrBeforeCbWithHalfStrides) {
  BufferLayout layout = Lay(PixelFormat::YV12, 64, 64);
  EXPECT_EQ(layout.stride_px, 64);
  ExpectPlanes(layout, {{0, 64, 4096}, {4096, 32, 1024}, {5120, 32, 1024}});
  EXPECT_EQ(layout.total_size_bytes, 6144u);
}

TEST(LayoutTest, Yv12AlignsLumaTo16AndChromaToAlign16OfHalf) {
  // Width 40: luma stride 48 (16 px), chroma ALIGN(24, 16) = 32.
  BufferLayout layout = Lay(PixelFormat::YV12, 40, 10);
  EXPECT_EQ(layout.stride_px, 48);
  ExpectPlanes(layout, {{0, 48, 480}, {480, 32, 160}, {640, 32, 160}});
}

TEST(LayoutTest, Yv12KeepsChromaAlignedUnderALargeStrideAlignment) {
  LayoutConstraints constraints;
  constraints.stride_alignment_bytes = 64;
  BufferLayout layout = Lay(PixelFormat::YV12, 64, 64, constraints);
  EXPECT_EQ(layout.planes[0].stride_bytes % 128, 0u);
  EXPECT_EQ(layout.planes[1].stride_bytes % 64, 0u);
  EXPECT_EQ(layout.planes[1].stride_bytes,
            (layout.planes[0].stride_bytes / 2 + 15) / 16 * 16);
}

TEST(LayoutTest, Nv21InterleavesChromaAtTheLumaStride) {
  BufferLayout layout = Lay(PixelFormat::YCRCB_420_SP, 64, 64);
  ExpectPlanes(layout, {{0, 64, 4096}, {4096, 64, 2048}});
  std::vector<PlaneLayout> planes = ToPlaneLayouts(layout);
  ASSERT_EQ(planes.size(), 2u);
  ASSERT_EQ(planes[1].components.size(), 2u);
  EXPECT_EQ(planes[1].components[0].type.value,
            static_cast<int64_t>(PlaneLayoutComponentType::CR));
  EXPECT_EQ(planes[1].components[1].type.value,
            static_cast<int64_t>(PlaneLayoutComponentType::CB));
  EXPECT_EQ(planes[1].components[1].offset_in_bits, 8);
  EXPECT_EQ(planes[1].sample_increment_in_bits, 16);
  EXPECT_EQ(planes[1].width_in_samples, 32);
  EXPECT_EQ(planes[1].height_in_samples, 32);
}

TEST(LayoutTest, OddDimensionsRoundChromaUp) {
  BufferLayout layout = Lay(PixelFormat::YCRCB_420_SP, 5, 5);
  ExpectPlanes(layout, {{0, 5, 25}, {25, 6, 18}});
  EXPECT_EQ(layout.planes[1].width_in_samples, 3);
  EXPECT_EQ(layout.planes[1].height_in_samples, 3);
}

TEST(LayoutTest, P010HasTenBitsAtBitSixOfSixteen) {
  BufferLayout layout = Lay(PixelFormat::YCBCR_P010, 64, 64);
  ExpectPlanes(layout, {{0, 128, 8192}, {8192, 128, 4096}});
  std::vector<PlaneLayout> planes = ToPlaneLayouts(layout);
  ASSERT_EQ(planes.size(), 2u);
  EXPECT_EQ(planes[0].components[0].offset_in_bits, 6);
  EXPECT_EQ(planes[0].components[0].size_in_bits, 10);
  EXPECT_EQ(planes[0].sample_increment_in_bits, 16);
}

TEST(LayoutTest, Y8Y16AndRaw16AlignTo16Pixels) {
  BufferLayout y8 = Lay(PixelFormat::Y8, 20, 2);
  EXPECT_EQ(y8.stride_px, 32);
  ExpectPlanes(y8, {{0, 32, 64}});
  BufferLayout y16 = Lay(PixelFormat::Y16, 20, 2);
  EXPECT_EQ(y16.stride_px, 32);
  ExpectPlanes(y16, {{0, 64, 128}});
  BufferLayout raw16 = Lay(PixelFormat::RAW16, 20, 2);
  ExpectPlanes(raw16, {{0, 64, 128}});
}

TEST(LayoutTest, Raw10StrideIsInBytesOfPackedGroups) {
  // 4 pixels in 5 bytes: 64 pixels are 80 bytes.
  BufferLayout layout = Lay(PixelFormat::RAW10, 64, 8);
  ExpectPlanes(layout, {{0, 80, 640}});
  EXPECT_EQ(layout.stride_px, 64);
  LayoutConstraints constraints;
  constraints.stride_alignment_bytes = 16;  // LCM(16, 5) = 80
  ExpectPlanes(Lay(PixelFormat::RAW10, 8, 2, constraints), {{0, 80, 160}});
}

TEST(LayoutTest, Raw12PacksTwoPixelsInThreeBytes) {
  ExpectPlanes(Lay(PixelFormat::RAW12, 64, 2), {{0, 96, 192}});
}

TEST(LayoutTest, R8IsOneBytePerPixel) {
  ExpectPlanes(Lay(PixelFormat::R_8, 13, 3), {{0, 13, 39}});
}

TEST(LayoutTest, HeightAlignmentAndPaddingAddRows) {
  LayoutConstraints constraints;
  constraints.height_alignment_rows = 16;
  constraints.padding_rows = 2;
  // 1080 -> 1088 rows + 2 = 1090 luma rows, 545 chroma rows.
  BufferLayout layout = Lay(PixelFormat::YCRCB_420_SP, 1920, 1080, constraints);
  ExpectPlanes(layout,
               {{0, 1920, 1920 * 1090}, {1920 * 1090, 1920, 1920 * 545}});
  // The visible size stays the buffer's.
  EXPECT_EQ(layout.planes[0].height_in_samples, 1080);
}

TEST(LayoutTest, PlaneAlignmentAlignsEveryOffset) {
  LayoutConstraints constraints;
  constraints.plane_alignment_bytes = 4096;
  BufferLayout layout = Lay(PixelFormat::YV12, 40, 10, constraints);
  ExpectPlanes(layout, {{0, 48, 480}, {4096, 32, 160}, {8192, 32, 160}});
}

TEST(LayoutTest, LayersAreStackedWholeLayers) {
  LayoutConstraints constraints;
  constraints.plane_alignment_bytes = 64;
  BufferLayout layout = Lay(PixelFormat::RGB_565, 5, 5, constraints, 3);
  EXPECT_EQ(layout.layer_size_bytes, 64u);  // 50 -> 64
  EXPECT_EQ(layout.total_size_bytes, 192u);
}

TEST(LayoutTest, FlexibleFormatsMustBeResolvedFirst) {
  EXPECT_THAT(
      ComputeLayout(Format(PixelFormat::YCBCR_420_888), 64, 64, 1, {}),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("flexible")));
}

TEST(LayoutTest, OverflowsAreErrorsNotSmallBuffers) {
  LayoutConstraints huge;
  huge.stride_alignment_bytes = uint64_t{1} << 62;
  EXPECT_THAT(ComputeLayout(Format(PixelFormat::RGB_888), 64, 64, 1, huge),
              StatusIs(absl::StatusCode::kInvalidArgument));
  LayoutConstraints rows;
  rows.padding_rows = UINT64_MAX;
  EXPECT_THAT(ComputeLayout(Format(PixelFormat::RGBA_8888), 64, 64, 1, rows),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(ComputeLayout(Format(PixelFormat::RGBA_FP16), INT32_MAX,
                            INT32_MAX, INT32_MAX, {}),
              StatusIs(absl::StatusCode::kInvalidArgument));
  LayoutConstraints zero;
  zero.stride_alignment_bytes = 0;
  EXPECT_THAT(ComputeLayout(Format(PixelFormat::RGBA_8888), 64, 64, 1, zero),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(CheckedMathTest, LcmAndAlign) {
  uint64_t out = 0;
  EXPECT_TRUE(CheckedLcm(64, 3, &out));
  EXPECT_EQ(out, 192u);
  EXPECT_FALSE(CheckedLcm(uint64_t{1} << 63, 3, &out));
  EXPECT_FALSE(CheckedLcm(0, 3, &out));
  EXPECT_TRUE(CheckedAlignUp(100, 64, &out));
  EXPECT_EQ(out, 128u);
  EXPECT_FALSE(CheckedAlignUp(UINT64_MAX, 64, &out));
  EXPECT_FALSE(CheckedAlignUp(1, 0, &out));
}

}  // namespace
}  // namespace gralloc
