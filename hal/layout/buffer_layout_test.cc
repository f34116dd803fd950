// Copyright 2026 The gralloc for Linux Authors.

#include "hal/layout/buffer_layout.h"

#include "gtest/gtest.h"
#include "hal/types/pixel_format.h"

namespace gralloc {
namespace {

// A 5x3 NV21 buffer laid out by hand: Y 8 bytes a row, CrCb 8 bytes a row.
BufferLayout Nv21Layout() {
  BufferLayout layout;
  layout.format = FindFormat(FormatValue(PixelFormat::YCRCB_420_SP));
  layout.stride_px = 8;
  layout.plane_count = 2;
  layout.planes[0] = {0, 8, 24, 5, 3};
  layout.planes[1] = {24, 8, 16, 3, 2};
  layout.layer_size_bytes = 40;
  layout.total_size_bytes = 40;
  return layout;
}

TEST(BufferLayoutTest, SamplesRoundSubsampledPlanesUp) {
  const FormatInfo* nv21 = FindFormat(FormatValue(PixelFormat::YCRCB_420_SP));
  ASSERT_NE(nv21, nullptr);
  EXPECT_EQ(PlaneWidthInSamples(nv21->planes[0], 5), 5);
  EXPECT_EQ(PlaneHeightInSamples(nv21->planes[0], 3), 3);
  EXPECT_EQ(PlaneWidthInSamples(nv21->planes[1], 5), 3);
  EXPECT_EQ(PlaneHeightInSamples(nv21->planes[1], 3), 2);
  EXPECT_EQ(PlaneWidthInSamples(nv21->planes[1], 4), 2);
}

TEST(BufferLayoutTest, PlaneLayoutsCarryTheRowsComponentsAndTheLaidOutBytes) {
  const std::vector<PlaneLayout> planes = ToPlaneLayouts(Nv21Layout());
  ASSERT_EQ(planes.size(), 2u);
  EXPECT_EQ(planes[0].offset_in_bytes, 0);
  EXPECT_EQ(planes[0].stride_in_bytes, 8);
  EXPECT_EQ(planes[0].total_size_in_bytes, 24);
  EXPECT_EQ(planes[0].sample_increment_in_bits, 8);
  ASSERT_EQ(planes[0].components.size(), 1u);
  EXPECT_EQ(planes[0].components[0].type.value,
            static_cast<int64_t>(PlaneLayoutComponentType::Y));

  EXPECT_EQ(planes[1].offset_in_bytes, 24);
  EXPECT_EQ(planes[1].width_in_samples, 3);
  EXPECT_EQ(planes[1].height_in_samples, 2);
  EXPECT_EQ(planes[1].horizontal_subsampling, 2);
  EXPECT_EQ(planes[1].vertical_subsampling, 2);
  EXPECT_EQ(planes[1].sample_increment_in_bits, 16);
  ASSERT_EQ(planes[1].components.size(), 2u);
  EXPECT_EQ(planes[1].components[0].type.value,
            static_cast<int64_t>(PlaneLayoutComponentType::CR));
  EXPECT_EQ(planes[1].components[1].offset_in_bits, 8);
}

TEST(BufferLayoutTest, RowsAndEqualityCoverEveryField) {
  const BufferLayout layout = Nv21Layout();
  EXPECT_EQ(layout.Rows(), 3u);
  EXPECT_EQ(layout.Planes().size(), 2u);
  EXPECT_TRUE(layout == Nv21Layout());
  BufferLayout other = layout;
  other.modifier = 1;
  EXPECT_FALSE(other == layout);
  other = layout;
  other.planes[1].height_in_samples = 3;
  EXPECT_FALSE(other == layout);
  EXPECT_TRUE(ToPlaneLayouts(BufferLayout{}).empty());
  EXPECT_EQ(BufferLayout{}.Rows(), 0u);
}

}  // namespace
}  // namespace gralloc
