// Copyright 2026 The gralloc for Linux Authors.
//
// hal/layout/buffer_layout.h: the one description of a laid-out buffer.
//
// Where each plane of a buffer lies is one fact, so it has one type:
// BufferLayout says which concrete format row (hal/format) the bytes follow,
// the DRM modifier, the stride in pixels, and per plane its offset, stride,
// size and the samples it covers. The allocator's layout code produces it
// (allocator/layout), the handle encodes it into its frozen ints and decodes
// it back (hal/handle), the service sends it in its replies, and the mapper
// (PLANE_LAYOUTS, lock), the late-joiner check and gralloctl read it. Nothing
// converts planes from one struct into another.
//
//   const BufferLayout& layout = info.layout;   // from DecodeHandle()
//   for (const LaidOutPlane& plane : layout.Planes()) {
//     uint8_t* row0 = base + plane.offset_bytes;
//     ... plane.stride_bytes between rows, plane.height_in_samples rows ...
//   }
//
// Offsets are those of layer 0; later layers follow every layer_size_bytes.
// The handle's wire format does not carry the distance between layers, so a
// layout decoded from a handle knows it only for one-layer buffers (where it
// is the end of the last plane); for several layers layer_size_bytes is 0
// ("unknown") and total_size_bytes is the allocation's size, an upper bound.
//
// A layout is a value; it points into the static format table only.

#ifndef GRALLOC_HAL_LAYOUT_BUFFER_LAYOUT_H_
#define GRALLOC_HAL_LAYOUT_BUFFER_LAYOUT_H_

#include <array>
#include <cstdint>
#include <vector>

#include "absl/types/span.h"
#include "hal/format/format_table.h"
#include "hal/types/plane_layout.h"

namespace gralloc {

// DRM_FORMAT_MOD_LINEAR.
inline constexpr uint64_t kLinearModifier = 0;

// One plane of layer 0.
struct LaidOutPlane {
  uint64_t offset_bytes = 0;  // from the start of the buffer
  uint64_t stride_bytes = 0;  // between vertically adjacent samples
  uint64_t size_bytes = 0;    // whole rows: stride_bytes times the rows
  int64_t width_in_samples = 0;
  int64_t height_in_samples = 0;

  friend bool operator==(const LaidOutPlane& a, const LaidOutPlane& b) {
    return a.offset_bytes == b.offset_bytes &&
           a.stride_bytes == b.stride_bytes && a.size_bytes == b.size_bytes &&
           a.width_in_samples == b.width_in_samples &&
           a.height_in_samples == b.height_in_samples;
  }
};

struct BufferLayout {
  // The concrete row laid out (FormatLayout::kPlanes): a table row, or a
  // flexible format's concrete layout (NV12 for YCBCR_420_888).
  const FormatInfo* format = nullptr;
  uint64_t modifier = kLinearModifier;
  int32_t stride_px = 0;  // the first plane's stride in pixels
  int32_t plane_count = 0;
  std::array<LaidOutPlane, kMaxFormatPlanes> planes{};
  uint64_t layer_size_bytes = 0;  // between layers; 0: unknown (see above)
  uint64_t total_size_bytes = 0;  // what all layers need

  // The `plane_count` planes, in memory order.
  absl::Span<const LaidOutPlane> Planes() const {
    return absl::Span<const LaidOutPlane>(planes.data(),
                                          static_cast<size_t>(plane_count));
  }
  // The rows of the first plane, padding included.
  uint64_t Rows() const {
    return plane_count > 0 && planes[0].stride_bytes != 0
               ? planes[0].size_bytes / planes[0].stride_bytes
               : 0;
  }

  friend bool operator==(const BufferLayout& a, const BufferLayout& b) {
    return a.format == b.format && a.modifier == b.modifier &&
           a.stride_px == b.stride_px && a.plane_count == b.plane_count &&
           a.planes == b.planes && a.layer_size_bytes == b.layer_size_bytes &&
           a.total_size_bytes == b.total_size_bytes;
  }
};

// The samples plane `plane` of `format` covers in a width x height buffer:
// ceil(width / horizontal subsampling) x ceil(height / vertical subsampling).
// `width` and `height` must be positive.
int64_t PlaneWidthInSamples(const PlaneInfo& plane, int64_t width);
int64_t PlaneHeightInSamples(const PlaneInfo& plane, int64_t height);

// PLANE_LAYOUTS: the planes of layer 0 in Android's PlaneLayout terms, with
// the format row's components, sample increments and subsampling. Empty for
// a layout without a format.
std::vector<PlaneLayout> ToPlaneLayouts(const BufferLayout& layout);

}  // namespace gralloc

#endif  // GRALLOC_HAL_LAYOUT_BUFFER_LAYOUT_H_
