// Copyright 2026 The gralloc for Linux Authors.
//
// hal/format/format_table.h: every Android pixel format as one row of data.
//
// A row says, for one Android PixelFormat (hal/types/pixel_format.h):
//
//  * its Android name and value,
//  * the DRM fourcc (<drm_fourcc.h>) with the same bytes in memory, or 0,
//  * its planes: per plane the components of one sample (type, and where the
//    component's bits sit counted from the sample's least significant bit,
//    samples being little-endian), the distance between samples, and the
//    chroma subsampling, in the terms of Android's PlaneLayout,
//  * the rules a descriptor and a layout must follow (BLOB is one row high,
//    RAW10 comes in groups of four pixels, YV12's strides are 16-aligned).
//
// The table is the only place this knowledge lives: allocation, metadata
// (PLANE_LAYOUTS) and the tools all read it, none of them switch on formats.
//
//   const FormatInfo* format = FindFormat(descriptor.format);
//   if (format == nullptr) return absl::InvalidArgumentError(...);
//   RETURN_IF_ERROR(CheckFormatRules(*format, width, height));
//   for (const PlaneInfo& plane : format->Planes()) ...
//
// Rows are static and immutable: pointers and spans returned here stay valid
// for the life of the process, and every function is thread-safe.

#ifndef GRALLOC_HAL_FORMAT_FORMAT_TABLE_H_
#define GRALLOC_HAL_FORMAT_FORMAT_TABLE_H_

#include <array>
#include <cstdint>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "hal/types/plane_layout.h"

namespace gralloc {

inline constexpr int kMaxFormatPlanes = 3;
inline constexpr int kMaxPlaneComponents = 4;

// One component of a sample. Offsets count from the least significant bit of
// the little-endian sample, as Android's PlaneLayoutComponent does; -1 in
// either field means "cannot be described this way" (Android's convention):
// RAW10's and RAW12's bits are split across bytes, so their one component
// has offset 0 and size -1, as Android's VTS expects.
struct ComponentInfo {
  PlaneLayoutComponentType type = PlaneLayoutComponentType::Y;
  int32_t offset_in_bits = 0;
  int32_t size_in_bits = 0;
};

// One plane of a format, independent of buffer size.
struct PlaneInfo {
  int32_t component_count = 0;
  std::array<ComponentInfo, kMaxPlaneComponents> components = {};
  // Distance between horizontally adjacent samples, as PlaneLayout reports
  // it. 0 where the distance is not constant (RAW10, RAW12), which is what
  // Android asks for then.
  int32_t sample_increment_in_bits = 0;
  // Average bits of storage per sample, for sizes: equal to the increment,
  // except 10 for RAW10 (4 samples in 5 bytes) and 12 for RAW12.
  int32_t bits_per_sample = 0;
  // Pixels per sample horizontally and vertically: 2 and 2 for 4:2:0 chroma.
  int32_t horizontal_subsampling = 1;
  int32_t vertical_subsampling = 1;

  // The `component_count` components, in order of offset.
  absl::Span<const ComponentInfo> Components() const {
    return absl::Span<const ComponentInfo>(components.data(), component_count);
  }
};

// Whether the table can say where a format's bytes are.
enum class FormatLayout {
  // `planes` describes the format completely. A plane may have no
  // components where Android has no standard type for them (BLOB's bytes,
  // depth, stencil, HSV); its size is still known.
  kPlanes,
  // The allocator chooses the layout when it allocates
  // (IMPLEMENTATION_DEFINED, YCBCR_420_888, RAW_OPAQUE): no planes here.
  kFlexible,
};

// Constraints from Android's definition of a format.
struct FormatRules {
  // Width must be a multiple of this many pixels. 4 for RAW10 and RAW12,
  // whose packing groups (4 pixels in 5 bytes, 2 pixels in 3 bytes, with
  // Android asking for multiples of 4 for both) cannot be cut.
  int32_t width_multiple = 1;
  // BLOB: "Buffers of this format must have a height of 1, and width equal
  // to their size in bytes."
  bool height_must_be_one = false;
  // For the layout, not the descriptor: the luma / only plane's stride must
  // be a multiple of this many pixels (16 for YV12, Y8, Y16, RAW16); 1 if
  // the format does not say.
  int32_t stride_alignment_pixels = 1;
  // For the layout: YV12's chroma planes have stride
  // ALIGN(luma_stride / 2, chroma_stride_alignment_bytes); 0 if the chroma
  // stride simply follows the luma stride.
  int32_t chroma_stride_alignment_bytes = 0;
};

// One row of the table.
struct FormatInfo {
  absl::string_view name;  // Android's enumerator name, e.g. "RGBA_8888"
  int32_t android_value = 0;
  // The DRM format with the same memory layout, or 0 if DRM has none.
  uint32_t drm_fourcc = 0;
  FormatLayout layout = FormatLayout::kPlanes;
  int32_t plane_count = 0;
  std::array<PlaneInfo, kMaxFormatPlanes> planes = {};
  // kFlexible only: a lower bound on the bits per pixel of whatever layout
  // the allocator picks, for minimum-size checks. 0 for kPlanes.
  int32_t flexible_bits_per_pixel = 0;
  FormatRules rules;

  // The `plane_count` planes, in memory order (YV12: Y, Cr, Cb).
  absl::Span<const PlaneInfo> Planes() const {
    return absl::Span<const PlaneInfo>(planes.data(), plane_count);
  }
};

// Every known format, in ascending order of Android value, each value and
// name once. UNSPECIFIED (0) is not a format and is not in the table.
absl::Span<const FormatInfo> AllFormats();

// The row for Android format value `android_value`, or nullptr if the value
// is not a known format (including 0, UNSPECIFIED, and vendor formats).
const FormatInfo* FindFormat(int32_t android_value);

// The row for DRM format `fourcc`, or nullptr if no Android format has that
// layout (or `fourcc` is 0). Where two Android formats share a DRM format
// the one with the lower Android value wins: R_8 for DRM_FORMAT_R8 (Y8 has
// the same bytes), R_16_UINT for DRM_FORMAT_R16 (likewise Y16).
const FormatInfo* FindFormatByFourcc(uint32_t fourcc);

// The row named `name` (Android's enumerator name, compared ignoring case),
// or nullptr.
const FormatInfo* FindFormatByName(absl::string_view name);

// Concrete layouts for flexible formats that no Android format names (NV12
// for YCBCR_420_888). Each row's android_value is the flexible format's.
absl::Span<const FormatInfo> FlexibleLayouts();

// The concrete layout of a buffer whose handle says `android_value` (the
// format allocated) and `fourcc`: the table row when `android_value` is a
// format with planes (and `fourcc` is 0 or agrees), else the flexible layout
// with that fourcc. nullptr when nothing matches: such a handle lies.
const FormatInfo* FindConcreteLayout(int32_t android_value, uint32_t fourcc);

// The DRM fourcc with `fourcc`'s memory layout whose alpha bits are padding
// (DRM_FORMAT_XRGB8888 for DRM_FORMAT_ARGB8888), or 0 when `fourcc` has no
// alpha or no such twin. A display plane that lists only the twin scans a
// buffer of `fourcc` out through a framebuffer of the twin, ignoring alpha.
uint32_t OpaqueTwinFourcc(uint32_t fourcc);

// Checks a buffer's dimensions against `format`'s rules (FormatRules):
// InvalidArgument, naming the format and the rule, if width or height is not
// positive, if a BLOB's height is not 1, or if the width is not a multiple of
// rules.width_multiple. Layout-only rules (stride alignment) are not checked
// here: they constrain the allocator, not the caller.
absl::Status CheckFormatRules(const FormatInfo& format, int64_t width,
                              int64_t height);

}  // namespace gralloc

#endif  // GRALLOC_HAL_FORMAT_FORMAT_TABLE_H_
