// Copyright 2026 The gralloc for Linux Authors.

#include "gst/metadata_map.h"

#include <algorithm>
#include <cmath>

namespace gralloc::gst {
namespace {

constexpr int32_t Bits(Dataspace value) { return static_cast<int32_t>(value); }

// (primaries, matrix) <-> STANDARD_*. For RGB the matrix is not compared.
struct StandardRow {
  GstVideoColorPrimaries primaries;
  GstVideoColorMatrix matrix;
  Dataspace standard;
};
constexpr StandardRow kStandards[] = {
    {GST_VIDEO_COLOR_PRIMARIES_BT709, GST_VIDEO_COLOR_MATRIX_BT709,
     Dataspace::STANDARD_BT709},
    {GST_VIDEO_COLOR_PRIMARIES_BT470BG, GST_VIDEO_COLOR_MATRIX_BT601,
     Dataspace::STANDARD_BT601_625},
    {GST_VIDEO_COLOR_PRIMARIES_SMPTE170M, GST_VIDEO_COLOR_MATRIX_BT601,
     Dataspace::STANDARD_BT601_525},
    {GST_VIDEO_COLOR_PRIMARIES_BT2020, GST_VIDEO_COLOR_MATRIX_BT2020,
     Dataspace::STANDARD_BT2020},
    {GST_VIDEO_COLOR_PRIMARIES_BT470M, GST_VIDEO_COLOR_MATRIX_FCC,
     Dataspace::STANDARD_BT470M},
    {GST_VIDEO_COLOR_PRIMARIES_FILM, GST_VIDEO_COLOR_MATRIX_UNKNOWN,
     Dataspace::STANDARD_FILM},
    // Display P3 (DCI-P3 primaries, D65 white): Android's DISPLAY_P3 uses
    // STANDARD_DCI_P3 for it.
    {GST_VIDEO_COLOR_PRIMARIES_SMPTEEG432, GST_VIDEO_COLOR_MATRIX_UNKNOWN,
     Dataspace::STANDARD_DCI_P3},
    {GST_VIDEO_COLOR_PRIMARIES_ADOBERGB, GST_VIDEO_COLOR_MATRIX_UNKNOWN,
     Dataspace::STANDARD_ADOBE_RGB},
};

struct TransferRow {
  GstVideoTransferFunction transfer;
  Dataspace android;
};
// The first row for an Android value is the way back.
constexpr TransferRow kTransfers[] = {
    {GST_VIDEO_TRANSFER_BT709, Dataspace::TRANSFER_SMPTE_170M},
    {GST_VIDEO_TRANSFER_BT601, Dataspace::TRANSFER_SMPTE_170M},
    {GST_VIDEO_TRANSFER_BT2020_10, Dataspace::TRANSFER_SMPTE_170M},
    {GST_VIDEO_TRANSFER_BT2020_12, Dataspace::TRANSFER_SMPTE_170M},
    {GST_VIDEO_TRANSFER_SRGB, Dataspace::TRANSFER_SRGB},
    {GST_VIDEO_TRANSFER_GAMMA10, Dataspace::TRANSFER_LINEAR},
    {GST_VIDEO_TRANSFER_GAMMA22, Dataspace::TRANSFER_GAMMA2_2},
    {GST_VIDEO_TRANSFER_GAMMA28, Dataspace::TRANSFER_GAMMA2_8},
    {GST_VIDEO_TRANSFER_SMPTE2084, Dataspace::TRANSFER_ST2084},
    {GST_VIDEO_TRANSFER_ARIB_STD_B67, Dataspace::TRANSFER_HLG},
};

}  // namespace

int32_t DataspaceFromColorimetry(const GstVideoColorimetry& colorimetry,
                                 bool is_rgb) {
  int32_t dataspace = 0;
  for (const StandardRow& row : kStandards) {
    if (row.primaries != colorimetry.primaries) continue;
    if (!is_rgb && row.matrix != GST_VIDEO_COLOR_MATRIX_UNKNOWN &&
        row.matrix != colorimetry.matrix) {
      continue;
    }
    dataspace |= Bits(row.standard);
    break;
  }
  for (const TransferRow& row : kTransfers) {
    if (row.transfer == colorimetry.transfer) {
      dataspace |= Bits(row.android);
      break;
    }
  }
  if (colorimetry.range == GST_VIDEO_COLOR_RANGE_0_255) {
    dataspace |= Bits(Dataspace::RANGE_FULL);
  } else if (colorimetry.range == GST_VIDEO_COLOR_RANGE_16_235) {
    dataspace |= Bits(Dataspace::RANGE_LIMITED);
  }
  return dataspace;
}

GstVideoColorimetry ColorimetryFromDataspace(int32_t dataspace, bool is_rgb) {
  GstVideoColorimetry colorimetry{};
  colorimetry.range = GST_VIDEO_COLOR_RANGE_UNKNOWN;
  colorimetry.matrix =
      is_rgb ? GST_VIDEO_COLOR_MATRIX_RGB : GST_VIDEO_COLOR_MATRIX_UNKNOWN;
  colorimetry.transfer = GST_VIDEO_TRANSFER_UNKNOWN;
  colorimetry.primaries = GST_VIDEO_COLOR_PRIMARIES_UNKNOWN;
  const int32_t standard = dataspace & Bits(Dataspace::STANDARD_MASK);
  for (const StandardRow& row : kStandards) {
    if (Bits(row.standard) == standard) {
      colorimetry.primaries = row.primaries;
      if (!is_rgb) colorimetry.matrix = row.matrix;
      break;
    }
  }
  const int32_t transfer = dataspace & Bits(Dataspace::TRANSFER_MASK);
  for (const TransferRow& row : kTransfers) {
    if (Bits(row.android) == transfer) {
      colorimetry.transfer = row.transfer;
      break;
    }
  }
  if (transfer == Bits(Dataspace::TRANSFER_SMPTE_170M) &&
      standard == Bits(Dataspace::STANDARD_BT2020)) {
    colorimetry.transfer = GST_VIDEO_TRANSFER_BT2020_10;
  }
  const int32_t range = dataspace & Bits(Dataspace::RANGE_MASK);
  if (range == Bits(Dataspace::RANGE_FULL)) {
    colorimetry.range = GST_VIDEO_COLOR_RANGE_0_255;
  } else if (range == Bits(Dataspace::RANGE_LIMITED)) {
    colorimetry.range = GST_VIDEO_COLOR_RANGE_16_235;
  }
  return colorimetry;
}

std::vector<Rect> CropRectsFromPixels(uint32_t x, uint32_t y, uint32_t width,
                                      uint32_t height) {
  Rect rect;
  rect.left = static_cast<int32_t>(x);
  rect.top = static_cast<int32_t>(y);
  rect.right = static_cast<int32_t>(x + width);
  rect.bottom = static_cast<int32_t>(y + height);
  return {rect};
}

std::optional<PixelCrop> PixelCropFromRects(const std::vector<Rect>& rects) {
  if (rects.empty()) return std::nullopt;
  const Rect& rect = rects[0];
  if (rect.left < 0 || rect.top < 0 || rect.right <= rect.left ||
      rect.bottom <= rect.top) {
    return std::nullopt;
  }
  return PixelCrop{static_cast<uint32_t>(rect.left),
                   static_cast<uint32_t>(rect.top),
                   static_cast<uint32_t>(rect.right - rect.left),
                   static_cast<uint32_t>(rect.bottom - rect.top)};
}

namespace {

// GStreamer's chromaticities are in units of 0.00002, luminance in 0.0001
// cd/m^2 (as in HEVC's mastering display SEI).
constexpr float kChromaticityUnit = 0.00002f;
constexpr float kLuminanceUnit = 0.0001f;

XyColor ToXy(const GstVideoMasteringDisplayInfoCoordinates& c) {
  return XyColor{static_cast<float>(c.x) * kChromaticityUnit,
                 static_cast<float>(c.y) * kChromaticityUnit};
}

template <typename T>
T ToUnits(float value, float unit) {
  const double units = std::round(static_cast<double>(value) / unit);
  return static_cast<T>(
      std::clamp(units, 0.0, static_cast<double>(static_cast<T>(~T{0}))));
}

GstVideoMasteringDisplayInfoCoordinates FromXy(const XyColor& c) {
  return GstVideoMasteringDisplayInfoCoordinates{
      ToUnits<guint16>(c.x, kChromaticityUnit),
      ToUnits<guint16>(c.y, kChromaticityUnit)};
}

}  // namespace

Smpte2086 Smpte2086FromMasteringDisplay(
    const GstVideoMasteringDisplayInfo& info) {
  Smpte2086 value;
  value.primary_red = ToXy(info.display_primaries[0]);
  value.primary_green = ToXy(info.display_primaries[1]);
  value.primary_blue = ToXy(info.display_primaries[2]);
  value.white_point = ToXy(info.white_point);
  value.max_luminance =
      static_cast<float>(info.max_display_mastering_luminance) * kLuminanceUnit;
  value.min_luminance =
      static_cast<float>(info.min_display_mastering_luminance) * kLuminanceUnit;
  return value;
}

GstVideoMasteringDisplayInfo MasteringDisplayFromSmpte2086(
    const Smpte2086& value) {
  GstVideoMasteringDisplayInfo info;
  gst_video_mastering_display_info_init(&info);
  info.display_primaries[0] = FromXy(value.primary_red);
  info.display_primaries[1] = FromXy(value.primary_green);
  info.display_primaries[2] = FromXy(value.primary_blue);
  info.white_point = FromXy(value.white_point);
  info.max_display_mastering_luminance =
      ToUnits<guint32>(value.max_luminance, kLuminanceUnit);
  info.min_display_mastering_luminance =
      ToUnits<guint32>(value.min_luminance, kLuminanceUnit);
  return info;
}

Cta861_3 Cta861_3FromContentLightLevel(const GstVideoContentLightLevel& level) {
  return Cta861_3{static_cast<float>(level.max_content_light_level),
                  static_cast<float>(level.max_frame_average_light_level)};
}

GstVideoContentLightLevel ContentLightLevelFromCta861_3(const Cta861_3& value) {
  GstVideoContentLightLevel level;
  gst_video_content_light_level_init(&level);
  level.max_content_light_level =
      ToUnits<guint16>(value.max_content_light_level, 1.0f);
  level.max_frame_average_light_level =
      ToUnits<guint16>(value.max_frame_average_light_level, 1.0f);
  return level;
}

}  // namespace gralloc::gst
