// Copyright 2026 The gralloc for Linux Authors.

#include "hal/format/format_table.h"

#include <drm_fourcc.h>

#include <cstdint>
#include <initializer_list>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "hal/types/pixel_format.h"
#include "hal/types/plane_layout.h"

namespace gralloc {
namespace {

using T = PlaneLayoutComponentType;

// Shorthands so that each row of the table reads as data.

constexpr ComponentInfo C(T type, int32_t offset_in_bits,
                          int32_t size_in_bits) {
  return ComponentInfo{type, offset_in_bits, size_in_bits};
}

// A plane whose samples are `increment_in_bits` apart and hold `components`.
constexpr PlaneInfo Plane(int32_t increment_in_bits,
                          std::initializer_list<ComponentInfo> components,
                          int32_t horizontal_subsampling = 1,
                          int32_t vertical_subsampling = 1) {
  PlaneInfo plane{};
  for (const ComponentInfo& component : components) {
    plane.components[plane.component_count++] = component;
  }
  plane.sample_increment_in_bits = increment_in_bits;
  plane.bits_per_sample = increment_in_bits;
  plane.horizontal_subsampling = horizontal_subsampling;
  plane.vertical_subsampling = vertical_subsampling;
  return plane;
}

// A densely packed sensor plane (RAW10, RAW12): samples are not a whole
// number of bytes apart and each one's bits are split between two places, so
// neither the increment nor the component's size can be given. The one RAW
// component starts the plane: offset 0, size -1, as Android's VTS expects.
constexpr PlaneInfo PackedRawPlane(int32_t bits_per_sample) {
  PlaneInfo plane = Plane(0, {C(T::RAW, 0, -1)});
  plane.bits_per_sample = bits_per_sample;
  return plane;
}

constexpr FormatInfo Format(absl::string_view name, PixelFormat format,
                            uint32_t drm_fourcc,
                            std::initializer_list<PlaneInfo> planes,
                            FormatRules rules = FormatRules{}) {
  FormatInfo info{};
  info.name = name;
  info.android_value = FormatValue(format);
  info.drm_fourcc = drm_fourcc;
  info.layout = FormatLayout::kPlanes;
  for (const PlaneInfo& plane : planes) info.planes[info.plane_count++] = plane;
  info.rules = rules;
  return info;
}

constexpr FormatInfo Flexible(absl::string_view name, PixelFormat format,
                              int32_t min_bits_per_pixel) {
  FormatInfo info{};
  info.name = name;
  info.android_value = FormatValue(format);
  info.layout = FormatLayout::kFlexible;
  info.flexible_bits_per_pixel = min_bits_per_pixel;
  return info;
}

constexpr FormatRules MakeRules(int32_t width_multiple, bool height_must_be_one,
                                int32_t stride_alignment_pixels,
                                int32_t chroma_stride_alignment_bytes) {
  FormatRules rules{};
  rules.width_multiple = width_multiple;
  rules.height_must_be_one = height_must_be_one;
  rules.stride_alignment_pixels = stride_alignment_pixels;
  rules.chroma_stride_alignment_bytes = chroma_stride_alignment_bytes;
  return rules;
}

// BLOB: one row, width in bytes.
constexpr FormatRules kBlobRules = MakeRules(1, true, 1, 0);
// RAW10 / RAW12: whole packing groups.
constexpr FormatRules kPackedRawRules = MakeRules(4, false, 1, 0);
// RAW16, Y8, Y16: "a horizontal stride multiple of 16 pixels".
constexpr FormatRules kStride16Rules = MakeRules(1, false, 16, 0);
// YV12: luma stride a multiple of 16 pixels, chroma stride
// ALIGN(stride / 2, 16).
constexpr FormatRules kYv12Rules = MakeRules(1, false, 16, 16);

// The table, in ascending Android value. Layout comments use drm_fourcc.h's
// notation: bits of the little-endian sample from the most significant end.
constexpr FormatInfo kFormats[] = {
    // [31:0] A:B:G:R 8:8:8:8 little endian (bytes R, G, B, A)
    Format("RGBA_8888", PixelFormat::RGBA_8888, DRM_FORMAT_ABGR8888,
           {Plane(32, {C(T::R, 0, 8), C(T::G, 8, 8), C(T::B, 16, 8),
                       C(T::A, 24, 8)})}),
    // [31:0] x:B:G:R 8:8:8:8 little endian (bytes R, G, B, unused)
    Format("RGBX_8888", PixelFormat::RGBX_8888, DRM_FORMAT_XBGR8888,
           {Plane(32, {C(T::R, 0, 8), C(T::G, 8, 8), C(T::B, 16, 8)})}),
    // [23:0] B:G:R 8:8:8 little endian (bytes R, G, B)
    Format("RGB_888", PixelFormat::RGB_888, DRM_FORMAT_BGR888,
           {Plane(24, {C(T::R, 0, 8), C(T::G, 8, 8), C(T::B, 16, 8)})}),
    // [15:0] R:G:B 5:6:5 little endian
    Format("RGB_565", PixelFormat::RGB_565, DRM_FORMAT_RGB565,
           {Plane(16, {C(T::B, 0, 5), C(T::G, 5, 6), C(T::R, 11, 5)})}),
    // [31:0] A:R:G:B 8:8:8:8 little endian (bytes B, G, R, A)
    Format("BGRA_8888", PixelFormat::BGRA_8888, DRM_FORMAT_ARGB8888,
           {Plane(32, {C(T::B, 0, 8), C(T::G, 8, 8), C(T::R, 16, 8),
                       C(T::A, 24, 8)})}),
    // NV16: Y plane; [15:0] Cr:Cb 8:8 little endian plane, 2x1 subsampled
    Format("YCBCR_422_SP", PixelFormat::YCBCR_422_SP, DRM_FORMAT_NV16,
           {Plane(8, {C(T::Y, 0, 8)}),
            Plane(16, {C(T::CB, 0, 8), C(T::CR, 8, 8)}, 2, 1)}),
    // NV21: Y plane; [15:0] Cb:Cr 8:8 little endian plane, 2x2 subsampled
    Format("YCRCB_420_SP", PixelFormat::YCRCB_420_SP, DRM_FORMAT_NV21,
           {Plane(8, {C(T::Y, 0, 8)}),
            Plane(16, {C(T::CR, 0, 8), C(T::CB, 8, 8)}, 2, 2)}),
    // YUY2: [31:0] Cr0:Y1:Cb0:Y0 8:8:8:8 little endian per pixel pair.
    // A sample is one pixel (16 bits): Y is its low byte. The high byte is
    // Cb for even pixels and Cr for odd ones, which a fixed per-sample offset
    // cannot say, so Cb and Cr carry Android's -1 "not describable" offset.
    Format("YCBCR_422_I", PixelFormat::YCBCR_422_I, DRM_FORMAT_YUYV,
           {Plane(16, {C(T::Y, 0, 8), C(T::CB, -1, 8), C(T::CR, -1, 8)})}),
    // [63:0] A:B:G:R 16:16:16:16 little endian, half floats
    Format("RGBA_FP16", PixelFormat::RGBA_FP16, DRM_FORMAT_ABGR16161616F,
           {Plane(64, {C(T::R, 0, 16), C(T::G, 16, 16), C(T::B, 32, 16),
                       C(T::A, 48, 16)})}),
    // [15:0] RAW little endian; the sensor fills the low bits first
    Format("RAW16", PixelFormat::RAW16, 0, {Plane(16, {C(T::RAW, 0, 16)})},
           kStride16Rules),
    // Opaque bytes: width is the size in bytes
    Format("BLOB", PixelFormat::BLOB, 0, {Plane(8, {})}, kBlobRules),
    Flexible("IMPLEMENTATION_DEFINED", PixelFormat::IMPLEMENTATION_DEFINED,
             /*min_bits_per_pixel=*/12),  // 8-bit 4:2:0, the least chosen
    Flexible("YCBCR_420_888", PixelFormat::YCBCR_420_888,
             /*min_bits_per_pixel=*/12),  // any 8-bit 4:2:0 layout
    Flexible("RAW_OPAQUE", PixelFormat::RAW_OPAQUE,
             /*min_bits_per_pixel=*/8),  // at least one byte per photosite
    // 4 pixels in 5 bytes: bytes 0-3 hold bits [9:2] of pixels 0-3, byte 4
    // holds bits [1:0] of pixels 3:2:1:0 from its MSB
    Format("RAW10", PixelFormat::RAW10, 0, {PackedRawPlane(10)},
           kPackedRawRules),
    // 2 pixels in 3 bytes: bytes 0-1 hold bits [11:4] of pixels 0-1, byte 2
    // holds bits [3:0] of pixels 1:0 from its MSB
    Format("RAW12", PixelFormat::RAW12, 0, {PackedRawPlane(12)},
           kPackedRawRules),
    // [31:0] A:B:G:R 2:10:10:10 little endian
    Format("RGBA_1010102", PixelFormat::RGBA_1010102, DRM_FORMAT_ABGR2101010,
           {Plane(32, {C(T::R, 0, 10), C(T::G, 10, 10), C(T::B, 20, 10),
                       C(T::A, 30, 2)})}),
    // [15:0] depth little endian
    Format("DEPTH_16", PixelFormat::DEPTH_16, 0, {Plane(16, {})}),
    // 32 bits: 24-bit depth and 8 unused bits, placement left to the user
    Format("DEPTH_24", PixelFormat::DEPTH_24, 0, {Plane(32, {})}),
    // 32 bits: 24-bit depth and 8-bit stencil, placement left to the user
    Format("DEPTH_24_STENCIL_8", PixelFormat::DEPTH_24_STENCIL_8, 0,
           {Plane(32, {})}),
    // [31:0] float depth
    Format("DEPTH_32F", PixelFormat::DEPTH_32F, 0, {Plane(32, {})}),
    // 64 bits: 32-bit float depth, 8-bit stencil and 24 unused bits
    Format("DEPTH_32F_STENCIL_8", PixelFormat::DEPTH_32F_STENCIL_8, 0,
           {Plane(64, {})}),
    // [7:0] stencil
    Format("STENCIL_8", PixelFormat::STENCIL_8, 0, {Plane(8, {})}),
    // P010: [15:0] Y:x 10:6 little endian plane; [31:0] Cr:x:Cb:x
    // 10:6:10:6 little endian plane, 2x2 subsampled
    Format("YCBCR_P010", PixelFormat::YCBCR_P010, DRM_FORMAT_P010,
           {Plane(16, {C(T::Y, 6, 10)}),
            Plane(32, {C(T::CB, 6, 10), C(T::CR, 22, 10)}, 2, 2)}),
    // Bytes H, S, V: no standard component types exist for them
    Format("HSV_888", PixelFormat::HSV_888, 0, {Plane(24, {})}),
    // [7:0] R
    Format("R_8", PixelFormat::R_8, DRM_FORMAT_R8, {Plane(8, {C(T::R, 0, 8)})}),
    // [15:0] R little endian
    Format("R_16_UINT", PixelFormat::R_16_UINT, DRM_FORMAT_R16,
           {Plane(16, {C(T::R, 0, 16)})}),
    // [31:0] G:R 16:16 little endian (R first in memory)
    Format("RG_1616_UINT", PixelFormat::RG_1616_UINT, DRM_FORMAT_GR1616,
           {Plane(32, {C(T::R, 0, 16), C(T::G, 16, 16)})}),
    // [63:0] A:x:B:x:G:x:R:x 10:6:10:6:10:6:10:6 little endian. Android's
    // comment says "40-bit"; its AHardwareBuffer and Vulkan equivalents
    // (R10X6G10X6B10X6A10X6) are 64-bit, which is what buffers hold.
    Format("RGBA_10101010", PixelFormat::RGBA_10101010,
           DRM_FORMAT_AXBXGXRX106106106106,
           {Plane(64, {C(T::R, 6, 10), C(T::G, 22, 10), C(T::B, 38, 10),
                       C(T::A, 54, 10)})}),
    // P210: as P010, chroma 2x1 subsampled
    Format("YCBCR_P210", PixelFormat::YCBCR_P210, DRM_FORMAT_P210,
           {Plane(16, {C(T::Y, 6, 10)}),
            Plane(32, {C(T::CB, 6, 10), C(T::CR, 22, 10)}, 2, 1)}),
    // [15:0] R:x 12:4 little endian
    Format("R_12_UINT", PixelFormat::R_12_UINT, 0,
           {Plane(16, {C(T::R, 4, 12)})}),
    // [15:0] R:x 14:2 little endian
    Format("R_14_UINT", PixelFormat::R_14_UINT, 0,
           {Plane(16, {C(T::R, 2, 14)})}),
    // [31:0] G:x:R:x 12:4:12:4 little endian
    Format("RG_1212_UINT", PixelFormat::RG_1212_UINT, 0,
           {Plane(32, {C(T::R, 4, 12), C(T::G, 20, 12)})}),
    // [31:0] G:x:R:x 14:2:14:2 little endian
    Format("RG_1414_UINT", PixelFormat::RG_1414_UINT, 0,
           {Plane(32, {C(T::R, 2, 14), C(T::G, 18, 14)})}),
    // [63:0] A:x:B:x:G:x:R:x 12:4:12:4:12:4:12:4 little endian
    Format("RGBA_12121212_UINT", PixelFormat::RGBA_12121212_UINT, 0,
           {Plane(64, {C(T::R, 4, 12), C(T::G, 20, 12), C(T::B, 36, 12),
                       C(T::A, 52, 12)})}),
    // [63:0] A:x:B:x:G:x:R:x 14:2:14:2:14:2:14:2 little endian
    Format("RGBA_14141414_UINT", PixelFormat::RGBA_14141414_UINT, 0,
           {Plane(64, {C(T::R, 2, 14), C(T::G, 18, 14), C(T::B, 34, 14),
                       C(T::A, 50, 14)})}),
    // [31:0] A:R:G:B 2:10:10:10 little endian
    Format("BGRA_1010102", PixelFormat::BGRA_1010102, DRM_FORMAT_ARGB2101010,
           {Plane(32, {C(T::B, 0, 10), C(T::G, 10, 10), C(T::R, 20, 10),
                       C(T::A, 30, 2)})}),
    // [7:0] Y; the same bytes as DRM's R8
    Format("Y8", PixelFormat::Y8, DRM_FORMAT_R8, {Plane(8, {C(T::Y, 0, 8)})},
           kStride16Rules),
    // [15:0] Y little endian; the same bytes as DRM's R16
    Format("Y16", PixelFormat::Y16, DRM_FORMAT_R16,
           {Plane(16, {C(T::Y, 0, 16)})}, kStride16Rules),
    // YVU420: Y plane, then Cr plane, then Cb plane, chroma 2x2 subsampled
    Format("YV12", PixelFormat::YV12, DRM_FORMAT_YVU420,
           {Plane(8, {C(T::Y, 0, 8)}), Plane(8, {C(T::CR, 0, 8)}, 2, 2),
            Plane(8, {C(T::CB, 0, 8)}, 2, 2)},
           kYv12Rules),
};

// Ascending values make the table easy to read against Android's and rule
// out duplicates; FindFormatByFourcc's tie-break depends on it too.
constexpr bool StrictlyAscending() {
  for (size_t i = 1; i < sizeof(kFormats) / sizeof(kFormats[0]); ++i) {
    if (kFormats[i - 1].android_value >= kFormats[i].android_value) {
      return false;
    }
  }
  return true;
}
static_assert(StrictlyAscending(),
              "kFormats must be in strictly ascending Android value");

// Concrete layouts the allocator may give a flexible format that no Android
// format names. Their android_value is the flexible format's.
constexpr FormatInfo kFlexibleLayouts[] = {
    // NV12: Y plane; then Cb:Cr 8:8 little endian interleaved, 2x2
    // subsampled. The 4:2:0 layout codecs, cameras and displays share most.
    Format("YCBCR_420_888 as NV12", PixelFormat::YCBCR_420_888, DRM_FORMAT_NV12,
           {Plane(8, {C(T::Y, 0, 8)}),
            Plane(16, {C(T::CB, 0, 8), C(T::CR, 8, 8)}, 2, 2)}),
};

}  // namespace

absl::Span<const FormatInfo> FlexibleLayouts() { return kFlexibleLayouts; }

const FormatInfo* FindConcreteLayout(int32_t android_value, uint32_t fourcc) {
  const FormatInfo* format = FindFormat(android_value);
  if (format == nullptr) return nullptr;
  if (format->layout == FormatLayout::kPlanes) {
    return (fourcc == 0 || format->drm_fourcc == 0 ||
            format->drm_fourcc == fourcc)
               ? format
               : nullptr;
  }
  if (fourcc == 0) return nullptr;
  for (const FormatInfo& layout : kFlexibleLayouts) {
    if (layout.android_value == android_value && layout.drm_fourcc == fourcc) {
      return &layout;
    }
  }
  return nullptr;
}

absl::Span<const FormatInfo> AllFormats() { return kFormats; }

const FormatInfo* FindFormat(int32_t android_value) {
  for (const FormatInfo& format : kFormats) {
    if (format.android_value == android_value) return &format;
  }
  return nullptr;
}

uint32_t OpaqueTwinFourcc(uint32_t fourcc) {
  // Same bytes, the alpha bits padding instead.
  static constexpr std::pair<uint32_t, uint32_t> kTwins[] = {
      {DRM_FORMAT_ARGB8888, DRM_FORMAT_XRGB8888},
      {DRM_FORMAT_ABGR8888, DRM_FORMAT_XBGR8888},
      {DRM_FORMAT_RGBA8888, DRM_FORMAT_RGBX8888},
      {DRM_FORMAT_BGRA8888, DRM_FORMAT_BGRX8888},
      {DRM_FORMAT_ARGB2101010, DRM_FORMAT_XRGB2101010},
      {DRM_FORMAT_ABGR2101010, DRM_FORMAT_XBGR2101010},
      {DRM_FORMAT_ARGB16161616F, DRM_FORMAT_XRGB16161616F},
      {DRM_FORMAT_ABGR16161616F, DRM_FORMAT_XBGR16161616F},
      {DRM_FORMAT_ARGB16161616, DRM_FORMAT_XRGB16161616},
      {DRM_FORMAT_ABGR16161616, DRM_FORMAT_XBGR16161616},
      {DRM_FORMAT_ARGB1555, DRM_FORMAT_XRGB1555},
      {DRM_FORMAT_ARGB4444, DRM_FORMAT_XRGB4444},
  };
  for (const auto& [with_alpha, opaque] : kTwins) {
    if (with_alpha == fourcc) return opaque;
  }
  return 0;
}

const FormatInfo* FindFormatByFourcc(uint32_t fourcc) {
  if (fourcc == 0) return nullptr;
  for (const FormatInfo& format : kFormats) {
    if (format.drm_fourcc == fourcc) return &format;
  }
  return nullptr;
}

const FormatInfo* FindFormatByName(absl::string_view name) {
  for (const FormatInfo& format : kFormats) {
    if (absl::EqualsIgnoreCase(format.name, name)) return &format;
  }
  return nullptr;
}

absl::Status CheckFormatRules(const FormatInfo& format, int64_t width,
                              int64_t height) {
  if (width <= 0 || height <= 0) {
    return absl::InvalidArgumentError(
        absl::StrFormat("%s buffer of %dx%d: width and height must be positive",
                        format.name, width, height));
  }
  if (format.rules.height_must_be_one && height != 1) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "%s buffer of height %d: %s buffers must have a height of 1 (the "
        "width is the size in bytes)",
        format.name, height, format.name));
  }
  if (width % format.rules.width_multiple != 0) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "%s buffer of width %d: the width must be a multiple of %d pixels",
        format.name, width, format.rules.width_multiple));
  }
  return absl::OkStatus();
}

}  // namespace gralloc
