// Copyright 2026 The gralloc for Linux Authors.
//
// gst/metadata_map.h: GStreamer's description of a frame to and from the
// buffer's standard metadata (hal/metadata), which every process that
// imports the buffer sees: a display service learns the colour space and
// the crop of a frame a GStreamer camera pipeline produced, and a pipeline
// learns what a producer outside GStreamer set.
//
//   colorimetry (caps)                      <-> DATASPACE
//   GstVideoCropMeta (per buffer)           <-> CROP (a Rect in pixels)
//   mastering-display-info (caps, HDR10)    <-> SMPTE2086
//   content-light-level (caps, HDR10)       <-> CTA861_3
//
// Dataspace packs primaries-and-matrix (STANDARD_*), transfer and range into
// one word, where GStreamer has four fields. A pair GStreamer names that
// Android has no STANDARD_* for (BT.709 primaries with a BT.601 matrix,
// say) maps to STANDARD_UNSPECIFIED rather than to the nearest standard:
// the consumer then knows it does not know. Transfer functions that are the
// same curve (BT.601, BT.709 and BT.2020's) all map to TRANSFER_SMPTE_170M,
// as Android defines them; the way back gives BT.709's, or BT.2020's for the
// BT.2020 standard, which is what caps for those standards carry.
//
// Everything here is a pure function and thread-safe.

#ifndef GRALLOC_GST_METADATA_MAP_H_
#define GRALLOC_GST_METADATA_MAP_H_

#include <gst/video/video.h>

#include <cstdint>
#include <optional>
#include <vector>

#include "hal/metadata/metadata_types.h"
#include "hal/types/plane_layout.h"

namespace gralloc::gst {

// The Dataspace word for `colorimetry`; `is_rgb` says the matrix is
// irrelevant (RGB formats carry GST_VIDEO_COLOR_MATRIX_RGB).
int32_t DataspaceFromColorimetry(const GstVideoColorimetry& colorimetry,
                                 bool is_rgb);

// The colorimetry `dataspace` means; unknown fields for what it leaves
// unspecified.
GstVideoColorimetry ColorimetryFromDataspace(int32_t dataspace, bool is_rgb);

// CROP for a crop of `x`, `y`, `width` x `height` pixels: one Rect in
// pixels. (Android's CROP is a list with a Rect per plane; this project's
// mapper keeps one Rect, in the buffer's pixels, and refuses other lists.)
std::vector<Rect> CropRectsFromPixels(uint32_t x, uint32_t y, uint32_t width,
                                      uint32_t height);

// The crop in pixels from CROP's first plane (the luma or only plane, in
// pixels); nullopt for an empty list or an empty or negative rectangle.
struct PixelCrop {
  uint32_t x = 0, y = 0, width = 0, height = 0;
};
std::optional<PixelCrop> PixelCropFromRects(const std::vector<Rect>& rects);

// SMPTE ST 2086 in Android's units (chromaticity, cd/m^2) from GStreamer's
// (units of 0.00002 and 0.0001 cd/m^2), and back (rounded to the nearest).
Smpte2086 Smpte2086FromMasteringDisplay(
    const GstVideoMasteringDisplayInfo& info);
GstVideoMasteringDisplayInfo MasteringDisplayFromSmpte2086(
    const Smpte2086& value);

// CTA-861.3 from GStreamer's content light level (cd/m^2), and back.
Cta861_3 Cta861_3FromContentLightLevel(const GstVideoContentLightLevel& level);
GstVideoContentLightLevel ContentLightLevelFromCta861_3(const Cta861_3& value);

}  // namespace gralloc::gst

#endif  // GRALLOC_GST_METADATA_MAP_H_
