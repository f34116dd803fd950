// Copyright 2026 The gralloc for Linux Authors.

#include "gst/metadata_map.h"

#include <gst/video/video.h>

#include "gtest/gtest.h"

namespace gralloc::gst {
namespace {

GstVideoColorimetry Colorimetry(const char* name) {
  GstVideoColorimetry colorimetry;
  EXPECT_TRUE(gst_video_colorimetry_from_string(&colorimetry, name)) << name;
  return colorimetry;
}

int32_t Value(Dataspace dataspace) { return static_cast<int32_t>(dataspace); }

TEST(MetadataMapTest, NamedColorimetriesAreAndroidsDataspaces) {
  EXPECT_EQ(DataspaceFromColorimetry(Colorimetry("bt709"), false),
            Value(Dataspace::BT709));
  EXPECT_EQ(DataspaceFromColorimetry(Colorimetry("bt601"), false),
            Value(Dataspace::BT601_525));
  EXPECT_EQ(DataspaceFromColorimetry(Colorimetry("bt2100-pq"), false),
            Value(Dataspace::BT2020_ITU_PQ));
  EXPECT_EQ(DataspaceFromColorimetry(Colorimetry("bt2100-hlg"), false),
            Value(Dataspace::BT2020_ITU_HLG));
  EXPECT_EQ(DataspaceFromColorimetry(Colorimetry("sRGB"), true),
            Value(Dataspace::SRGB));
}

TEST(MetadataMapTest, UnknownPairsStayUnspecified) {
  GstVideoColorimetry odd = Colorimetry("bt709");
  odd.matrix = GST_VIDEO_COLOR_MATRIX_BT601;  // BT.709 primaries, 601 matrix
  const int32_t dataspace = DataspaceFromColorimetry(odd, false);
  EXPECT_EQ(dataspace & Value(Dataspace::STANDARD_MASK),
            Value(Dataspace::STANDARD_UNSPECIFIED));
  GstVideoColorimetry unknown{};
  EXPECT_EQ(DataspaceFromColorimetry(unknown, false), 0);
}

TEST(MetadataMapTest, DataspaceRoundTrips) {
  for (const char* name : {"bt709", "bt601", "bt2100-pq", "bt2100-hlg"}) {
    const GstVideoColorimetry colorimetry = Colorimetry(name);
    const int32_t dataspace = DataspaceFromColorimetry(colorimetry, false);
    const GstVideoColorimetry back = ColorimetryFromDataspace(dataspace, false);
    EXPECT_EQ(DataspaceFromColorimetry(back, false), dataspace) << name;
    EXPECT_EQ(back.primaries, colorimetry.primaries) << name;
    EXPECT_EQ(back.matrix, colorimetry.matrix) << name;
    EXPECT_EQ(back.range, colorimetry.range) << name;
  }
  const GstVideoColorimetry srgb =
      ColorimetryFromDataspace(Value(Dataspace::SRGB), true);
  const GstVideoColorimetry expected = Colorimetry("sRGB");
  EXPECT_TRUE(gst_video_colorimetry_is_equal(&srgb, &expected));
}

TEST(MetadataMapTest, CropIsOneRectInPixels) {
  const std::vector<Rect> rects = CropRectsFromPixels(10, 20, 300, 200);
  ASSERT_EQ(rects.size(), 1u);
  EXPECT_EQ(rects[0], (Rect{10, 20, 310, 220}));
  const std::optional<PixelCrop> back = PixelCropFromRects(rects);
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->x, 10u);
  EXPECT_EQ(back->y, 20u);
  EXPECT_EQ(back->width, 300u);
  EXPECT_EQ(back->height, 200u);
  EXPECT_FALSE(PixelCropFromRects({}).has_value());
  EXPECT_FALSE(PixelCropFromRects({Rect{5, 5, 5, 9}}).has_value());
  EXPECT_FALSE(PixelCropFromRects({Rect{-1, 0, 5, 9}}).has_value());
}

TEST(MetadataMapTest, MasteringDisplayRoundTrips) {
  GstVideoMasteringDisplayInfo info;
  ASSERT_TRUE(gst_video_mastering_display_info_from_string(
      &info, "35400:14600:8500:39850:6550:2300:15635:16450:10000000:50"));
  const Smpte2086 value = Smpte2086FromMasteringDisplay(info);
  EXPECT_FLOAT_EQ(value.primary_red.x, 0.708f);
  EXPECT_FLOAT_EQ(value.primary_red.y, 0.292f);
  EXPECT_FLOAT_EQ(value.primary_green.y, 0.797f);
  EXPECT_FLOAT_EQ(value.primary_blue.x, 0.131f);
  EXPECT_FLOAT_EQ(value.white_point.x, 0.3127f);
  EXPECT_FLOAT_EQ(value.max_luminance, 1000.0f);
  EXPECT_FLOAT_EQ(value.min_luminance, 0.005f);
  const GstVideoMasteringDisplayInfo back =
      MasteringDisplayFromSmpte2086(value);
  EXPECT_TRUE(gst_video_mastering_display_info_is_equal(&info, &back));
}

TEST(MetadataMapTest, ContentLightLevelRoundTrips) {
  GstVideoContentLightLevel level;
  ASSERT_TRUE(gst_video_content_light_level_from_string(&level, "1000:400"));
  const Cta861_3 value = Cta861_3FromContentLightLevel(level);
  EXPECT_EQ(value.max_content_light_level, 1000.0f);
  EXPECT_EQ(value.max_frame_average_light_level, 400.0f);
  const GstVideoContentLightLevel back = ContentLightLevelFromCta861_3(value);
  EXPECT_TRUE(gst_video_content_light_level_is_equal(&level, &back));
}

}  // namespace
}  // namespace gralloc::gst
