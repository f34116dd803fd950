// Copyright 2026 The gralloc for Linux Authors.

#include "gst/video_format.h"

#include <drm_fourcc.h>

#include "absl/strings/str_cat.h"
#include "hal/base/fourcc.h"
#include "hal/types/pixel_format.h"

namespace gralloc::gst {
namespace {

constexpr VideoFormatRow kRows[] = {
    // 8-bit 4:2:0 as Android's flexible format, checked to be laid out NV12.
    {GST_VIDEO_FORMAT_NV12, FormatValue(PixelFormat::YCBCR_420_888),
     DRM_FORMAT_NV12},
    {GST_VIDEO_FORMAT_NV21, FormatValue(PixelFormat::YCRCB_420_SP),
     DRM_FORMAT_NV21},
    {GST_VIDEO_FORMAT_YV12, FormatValue(PixelFormat::YV12), DRM_FORMAT_YVU420},
    // Bytes R, G, B, A.
    {GST_VIDEO_FORMAT_RGBA, FormatValue(PixelFormat::RGBA_8888),
     DRM_FORMAT_ABGR8888},
    // Bytes B, G, R, A.
    {GST_VIDEO_FORMAT_BGRA, FormatValue(PixelFormat::BGRA_8888),
     DRM_FORMAT_ARGB8888},
    // Bytes R, G, B, unused.
    {GST_VIDEO_FORMAT_RGBx, FormatValue(PixelFormat::RGBX_8888),
     DRM_FORMAT_XBGR8888},
    // 16-bit little-endian words, R in the top five bits.
    {GST_VIDEO_FORMAT_RGB16, FormatValue(PixelFormat::RGB_565),
     DRM_FORMAT_RGB565},
    // Y8 has DRM R8's bytes (the table's Y8 row says so).
    {GST_VIDEO_FORMAT_GRAY8, FormatValue(PixelFormat::Y8), DRM_FORMAT_R8},
    // 10 bits in the top of 16, luma then interleaved Cb, Cr.
    {GST_VIDEO_FORMAT_P010_10LE, FormatValue(PixelFormat::YCBCR_P010),
     DRM_FORMAT_P010},
};

}  // namespace

absl::Span<const VideoFormatRow> VideoFormatRows() { return kRows; }

const VideoFormatRow* FindVideoFormatRow(GstVideoFormat format) {
  for (const VideoFormatRow& row : kRows) {
    if (row.gst_format == format) return &row;
  }
  return nullptr;
}

const char* ServableFormatsCapsList() {
  return "{ NV12, NV21, YV12, RGBA, BGRA, RGBx, RGB16, GRAY8, P010_10LE }";
}

absl::Status CheckLayout(const VideoFormatRow& row,
                         const BufferLayout& layout) {
  const char* gst_name = gst_video_format_to_string(row.gst_format);
  if (layout.format == nullptr) {
    return absl::FailedPreconditionError(
        absl::StrCat("the allocator gave ", gst_name, " no layout"));
  }
  if (layout.format->drm_fourcc != row.drm_fourcc) {
    return absl::FailedPreconditionError(absl::StrCat(
        "caps ask ", gst_name, " (", FourccToString(row.drm_fourcc),
        ") but these users get ", layout.format->name, " (",
        FourccToString(layout.format->drm_fourcc), ")"));
  }
  if (layout.modifier != kLinearModifier) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the buffers have DRM modifier 0x", absl::Hex(layout.modifier),
        "; GStreamer ", GST_VERSION_MAJOR, ".", GST_VERSION_MINOR,
        " caps describe linear buffers only"));
  }
  const GstVideoFormatInfo* info = gst_video_format_get_info(row.gst_format);
  if (static_cast<int32_t>(GST_VIDEO_FORMAT_INFO_N_PLANES(info)) !=
      layout.plane_count) {
    return absl::FailedPreconditionError(
        absl::StrCat(gst_name, " has ", GST_VIDEO_FORMAT_INFO_N_PLANES(info),
                     " planes, the buffers ", layout.plane_count));
  }
  return absl::OkStatus();
}

GstVideoInfo VideoInfoForLayout(const GstVideoInfo& caps_info,
                                const BufferLayout& layout) {
  GstVideoInfo info = caps_info;
  for (int i = 0; i < layout.plane_count; ++i) {
    info.offset[i] = static_cast<gsize>(layout.planes[i].offset_bytes);
    info.stride[i] = static_cast<gint>(layout.planes[i].stride_bytes);
  }
  info.size = static_cast<gsize>(layout.total_size_bytes);
  return info;
}

bool IsDefaultLayout(const GstVideoInfo& caps_info,
                     const BufferLayout& layout) {
  for (int i = 0; i < layout.plane_count; ++i) {
    if (caps_info.offset[i] != layout.planes[i].offset_bytes ||
        static_cast<uint64_t>(caps_info.stride[i]) !=
            layout.planes[i].stride_bytes) {
      return false;
    }
  }
  return true;
}

}  // namespace gralloc::gst
