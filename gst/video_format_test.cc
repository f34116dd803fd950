// Copyright 2026 The gralloc for Linux Authors.

#include "gst/video_format.h"

#include <gst/video/video.h>

#include "gtest/gtest.h"
#include "hal/format/format_table.h"
#include "hal/layout/buffer_layout.h"
#include "hal/types/pixel_format.h"

namespace gralloc::gst {
namespace {

// GStreamer's component for an Android component type, in YUV or RGB terms.
int GstComponent(PlaneLayoutComponentType type) {
  switch (type) {
    case PlaneLayoutComponentType::Y:
    case PlaneLayoutComponentType::R:
      return GST_VIDEO_COMP_Y;  // == GST_VIDEO_COMP_R
    case PlaneLayoutComponentType::CB:
    case PlaneLayoutComponentType::G:
      return GST_VIDEO_COMP_U;  // == GST_VIDEO_COMP_G
    case PlaneLayoutComponentType::CR:
    case PlaneLayoutComponentType::B:
      return GST_VIDEO_COMP_V;  // == GST_VIDEO_COMP_B
    case PlaneLayoutComponentType::A:
      return GST_VIDEO_COMP_A;
    default:
      return -1;
  }
}

// Every row's GStreamer format is, plane for plane and bit for bit, the
// format table's layout for the row's fourcc: no plane is swapped.
TEST(VideoFormatTest, EveryRowMatchesTheFormatTable) {
  for (const VideoFormatRow& row : VideoFormatRows()) {
    SCOPED_TRACE(gst_video_format_to_string(row.gst_format));
    const FormatInfo* format =
        FindConcreteLayout(row.pixel_format, row.drm_fourcc);
    ASSERT_NE(format, nullptr);
    const GstVideoFormatInfo* gst = gst_video_format_get_info(row.gst_format);
    ASSERT_EQ(static_cast<int>(GST_VIDEO_FORMAT_INFO_N_PLANES(gst)),
              format->plane_count);
    int components_seen = 0;
    for (int plane = 0; plane < format->plane_count; ++plane) {
      const PlaneInfo& info = format->planes[plane];
      for (const ComponentInfo& component : info.Components()) {
        const int c = GstComponent(component.type);
        ASSERT_GE(c, 0);
        ++components_seen;
        EXPECT_EQ(static_cast<int>(GST_VIDEO_FORMAT_INFO_PLANE(gst, c)), plane);
        EXPECT_EQ(GST_VIDEO_FORMAT_INFO_PSTRIDE(gst, c) * 8,
                  info.sample_increment_in_bits);
        EXPECT_EQ(1 << GST_VIDEO_FORMAT_INFO_W_SUB(gst, c),
                  info.horizontal_subsampling);
        EXPECT_EQ(1 << GST_VIDEO_FORMAT_INFO_H_SUB(gst, c),
                  info.vertical_subsampling);
        EXPECT_EQ(static_cast<int>(GST_VIDEO_FORMAT_INFO_DEPTH(gst, c)),
                  component.size_in_bits);
        // Where the component sits in its sample. For 8-bit components
        // GStreamer's byte offset is Android's bit offset / 8. (For deeper
        // ones GStreamer 1.22 counts P010's offsets in its own units, so
        // only the shift inside the 16-bit word is compared.)
        if (component.size_in_bits == 8) {
          EXPECT_EQ(static_cast<int>(GST_VIDEO_FORMAT_INFO_POFFSET(gst, c)) * 8,
                    component.offset_in_bits);
        } else if (component.size_in_bits == 10) {
          EXPECT_EQ(static_cast<int>(GST_VIDEO_FORMAT_INFO_SHIFT(gst, c)),
                    component.offset_in_bits % 16);
        }
      }
    }
    // Padding (x) bytes have no component in either description.
    int gst_components = GST_VIDEO_FORMAT_INFO_N_COMPONENTS(gst);
    EXPECT_EQ(components_seen, gst_components);
  }
}

TEST(VideoFormatTest, I420AndBgrxHaveNoRow) {
  EXPECT_EQ(FindVideoFormatRow(GST_VIDEO_FORMAT_I420), nullptr);
  EXPECT_EQ(FindVideoFormatRow(GST_VIDEO_FORMAT_BGRx), nullptr);
  ASSERT_NE(FindVideoFormatRow(GST_VIDEO_FORMAT_NV12), nullptr);
}

TEST(VideoFormatTest, ServableCapsListNamesEveryRow) {
  gst_init(nullptr, nullptr);  // caps need GStreamer's types
  GstCaps* caps = gst_caps_from_string(
      (std::string("video/x-raw,format=") + ServableFormatsCapsList()).c_str());
  ASSERT_NE(caps, nullptr);
  const GValue* list =
      gst_structure_get_value(gst_caps_get_structure(caps, 0), "format");
  ASSERT_EQ(gst_value_list_get_size(list), VideoFormatRows().size());
  for (guint i = 0; i < gst_value_list_get_size(list); ++i) {
    const char* name = g_value_get_string(gst_value_list_get_value(list, i));
    EXPECT_NE(FindVideoFormatRow(gst_video_format_from_string(name)), nullptr)
        << name;
  }
  gst_caps_unref(caps);
}

BufferLayout Nv12Layout(uint64_t stride, uint64_t rows) {
  BufferLayout layout;
  layout.format =
      FindConcreteLayout(FormatValue(PixelFormat::YCBCR_420_888),
                         FindVideoFormatRow(GST_VIDEO_FORMAT_NV12)->drm_fourcc);
  layout.plane_count = 2;
  layout.stride_px = static_cast<int32_t>(stride);
  layout.planes[0] = {0, stride, stride * rows, 636, 478};
  layout.planes[1] = {stride * rows, stride, stride * rows / 2, 318, 239};
  layout.total_size_bytes = stride * rows * 3 / 2;
  return layout;
}

TEST(VideoFormatTest, LayoutBecomesVideoInfo) {
  GstVideoInfo caps_info;
  gst_video_info_set_format(&caps_info, GST_VIDEO_FORMAT_NV12, 636, 478);
  const BufferLayout padded = Nv12Layout(640, 480);
  const VideoFormatRow& row = *FindVideoFormatRow(GST_VIDEO_FORMAT_NV12);
  ASSERT_TRUE(CheckLayout(row, padded).ok());
  const GstVideoInfo info = VideoInfoForLayout(caps_info, padded);
  EXPECT_EQ(GST_VIDEO_INFO_PLANE_STRIDE(&info, 0), 640);
  EXPECT_EQ(GST_VIDEO_INFO_PLANE_OFFSET(&info, 1), 640u * 480);
  EXPECT_EQ(GST_VIDEO_INFO_SIZE(&info), 640u * 480 * 3 / 2);
  EXPECT_FALSE(IsDefaultLayout(caps_info, padded));
  EXPECT_TRUE(IsDefaultLayout(caps_info, Nv12Layout(636, 478)));
}

TEST(VideoFormatTest, OtherFourccOrModifierIsRefused) {
  const VideoFormatRow& nv12 = *FindVideoFormatRow(GST_VIDEO_FORMAT_NV12);
  BufferLayout layout = Nv12Layout(640, 480);
  layout.modifier = 0x0100000000000001;  // I915_FORMAT_MOD_X_TILED
  EXPECT_FALSE(CheckLayout(nv12, layout).ok());
  layout = Nv12Layout(640, 480);
  layout.format = FindFormat(FormatValue(PixelFormat::YCRCB_420_SP));
  const absl::Status nv21 = CheckLayout(nv12, layout);
  EXPECT_FALSE(nv21.ok());
  EXPECT_NE(nv21.message().find("YCRCB_420_SP"), absl::string_view::npos)
      << nv21;
}

}  // namespace
}  // namespace gralloc::gst
