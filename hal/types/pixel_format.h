// Copyright 2026 The gralloc for Linux Authors.
//
// hal/types/pixel_format.h: Android's PixelFormat values, name for name.
//
// The enumerators are Android's (android.hardware.graphics.common.PixelFormat)
// with Android's spelling and numbers, so a format from an Android client
// means the same thing here. What each format looks like in memory (planes,
// components, DRM fourcc, size rules) is data in //hal/format, not here.
//
// Formats travel as a plain int32_t: a value this enum does not name (a vendor
// format in 0x100-0x1FF, or garbage) is representable, and //hal/format's
// FindFormat() is how to tell whether it is one we know.

#ifndef GRALLOC_HAL_TYPES_PIXEL_FORMAT_H_
#define GRALLOC_HAL_TYPES_PIXEL_FORMAT_H_

#include <cstdint>

namespace gralloc {

// Android's PixelFormat. "In memory order" means from the lowest address to
// the highest; "packed" formats are described from the most significant bit
// of a little-endian word.
enum class PixelFormat : int32_t {
  // Not a format: "no preference" where a format is optional.
  UNSPECIFIED = 0,
  RGBA_8888 = 0x1,  // 8-bit R, G, B, A in memory order
  RGBX_8888 = 0x2,  // 8-bit R, G, B, unused in memory order
  RGB_888 = 0x3,    // 8-bit R, G, B in memory order
  RGB_565 = 0x4,    // packed 16-bit, R:G:B 5:6:5 from the MSB
  BGRA_8888 = 0x5,  // 8-bit B, G, R, A in memory order
  // Legacy YUV formats, deprecated in favour of YCBCR_420_888.
  YCBCR_422_SP = 0x10,  // NV16
  YCRCB_420_SP = 0x11,  // NV21
  YCBCR_422_I = 0x14,   // YUY2
  RGBA_FP16 = 0x16,     // 16-bit float R, G, B, A in memory order
  RAW16 = 0x20,         // one 16-bit little-endian sensor sample per pixel
  BLOB = 0x21,          // opaque bytes; height 1, width = size in bytes
  // The allocator picks the real format from the usage.
  IMPLEMENTATION_DEFINED = 0x22,
  // Any 8-bit 4:2:0 YCbCr layout, described at lock time.
  YCBCR_420_888 = 0x23,
  RAW_OPAQUE = 0x24,  // sensor data in an implementation-defined layout
  RAW10 = 0x25,       // 4 pixels packed in 5 bytes
  RAW12 = 0x26,       // 2 pixels packed in 3 bytes
  // 0x27-0x2A are reserved for flexible formats.
  RGBA_1010102 = 0x2B,  // packed 32-bit, A:B:G:R 2:10:10:10 from the MSB
  // 0x100-0x1FF are reserved for vendor formats.
  Y8 = 0x20203859,    // 8-bit luma only
  Y16 = 0x20363159,   // 16-bit little-endian luma only
  YV12 = 0x32315659,  // 4:2:0 planar: Y, then Cr, then Cb
  DEPTH_16 = 0x30,
  DEPTH_24 = 0x31,  // 24-bit depth in a 32-bit word
  DEPTH_24_STENCIL_8 = 0x32,
  DEPTH_32F = 0x33,
  DEPTH_32F_STENCIL_8 = 0x34,
  STENCIL_8 = 0x35,
  YCBCR_P010 = 0x36,  // 4:2:0 semiplanar, 10 bits in the top of 16
  HSV_888 = 0x37,     // 8-bit H, S, V in memory order
  R_8 = 0x38,
  R_16_UINT = 0x39,
  RG_1616_UINT = 0x3A,        // 16-bit R, G in memory order
  RGBA_10101010 = 0x3B,       // 10-bit R, G, B, A
  YCBCR_P210 = 0x3C,          // 4:2:2 semiplanar, 10 bits in the top of 16
  R_12_UINT = 0x3D,           // 12 bits in the top of a 16-bit word
  R_14_UINT = 0x3E,           // 14 bits in the top of a 16-bit word
  RG_1212_UINT = 0x3F,        // R, G in memory order, 12 bits in the top of 16
  RG_1414_UINT = 0x40,        // R, G in memory order, 14 bits in the top of 16
  RGBA_12121212_UINT = 0x41,  // 12 bits in the top of each 16-bit word
  RGBA_14141414_UINT = 0x42,  // 14 bits in the top of each 16-bit word
  BGRA_1010102 = 0x43,        // packed 32-bit, A:R:G:B 2:10:10:10 from the MSB
};

// The value of `format` as Android's int32_t.
inline constexpr int32_t FormatValue(PixelFormat format) {
  return static_cast<int32_t>(format);
}

}  // namespace gralloc

#endif  // GRALLOC_HAL_TYPES_PIXEL_FORMAT_H_
