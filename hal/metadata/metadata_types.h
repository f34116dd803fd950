// Copyright 2026 The gralloc for Linux Authors.
//
// hal/metadata/metadata_types.h: the vocabulary of Android's standard buffer
// metadata (android.hardware.graphics.common): which metadata a buffer has
// (StandardMetadataType), and the value types some of it carries (Dataspace,
// BlendMode, Compression, Interlaced, ChromaSiting, Smpte2086, Cta861_3).
//
// Every enumerator has Android's value, bit for bit, and the same underlying
// width as Android's AIDL backing type: a value read from Android's headers
// means the same thing here. metadata_types_test.cc pins each one.
//
// Compression, Interlaced and ChromaSiting travel as ExtendableType (a name and
// a value) so vendors can add their own; the enums below are the standard
// values, valid only together with the matching k*Name. The Standard*()
// helpers build the pair.
//
// The byte encodings of these values live in metadata_codec.h.

#ifndef GRALLOC_HAL_METADATA_METADATA_TYPES_H_
#define GRALLOC_HAL_METADATA_METADATA_TYPES_H_

#include <cstdint>

#include "hal/types/plane_layout.h"

namespace gralloc {

// The name every standard metadata type is encoded under.
inline constexpr char kStandardMetadataTypeName[] =
    "android.hardware.graphics.common.StandardMetadataType";

// ExtendableType names of the standard values below.
inline constexpr char kCompressionName[] =
    "android.hardware.graphics.common.Compression";
inline constexpr char kInterlacedName[] =
    "android.hardware.graphics.common.Interlaced";
inline constexpr char kChromaSitingName[] =
    "android.hardware.graphics.common.ChromaSiting";

// The standard metadata a buffer can carry. The comment gives the value type;
// metadata_codec.h gives its encoding. Android's AIDL backs this with a long.
enum class StandardMetadataType : int64_t {
  INVALID = 0,
  BUFFER_ID = 1,               // uint64_t, pseudorandom, fixed at allocation
  NAME = 2,                    // string, from the descriptor
  WIDTH = 3,                   // uint64_t, from the descriptor
  HEIGHT = 4,                  // uint64_t, from the descriptor
  LAYER_COUNT = 5,             // uint64_t, from the descriptor
  PIXEL_FORMAT_REQUESTED = 6,  // PixelFormat (int32_t), from the descriptor
  PIXEL_FORMAT_FOURCC = 7,     // uint32_t, a DRM fourcc
  PIXEL_FORMAT_MODIFIER = 8,   // uint64_t, a DRM format modifier
  USAGE = 9,                   // uint64_t BufferUsage bits, from the descriptor
  ALLOCATION_SIZE = 10,        // uint64_t, bytes of memory the buffer uses
  PROTECTED_CONTENT = 11,      // uint64_t, 0 or 1
  COMPRESSION = 12,            // ExtendableType (Compression)
  INTERLACED = 13,             // ExtendableType (Interlaced)
  CHROMA_SITING = 14,          // ExtendableType (ChromaSiting)
  PLANE_LAYOUTS = 15,          // vector<PlaneLayout>, one per plane
  CROP = 16,                   // vector<Rect>, one per plane
  DATASPACE = 17,              // Dataspace (int32_t), settable
  BLEND_MODE = 18,             // BlendMode (int32_t), settable
  SMPTE2086 = 19,              // optional<Smpte2086>, settable
  CTA861_3 = 20,               // optional<Cta861_3>, settable
  SMPTE2094_40 = 21,           // optional<vector<uint8_t>>, settable
  SMPTE2094_10 = 22,           // optional<vector<uint8_t>>, settable
  STRIDE = 23,                 // uint32_t, in pixels (mapper5)
};

// The highest StandardMetadataType Android defines at the time of writing. A
// newer client may name a higher one; that is "unsupported", not malformed.
inline constexpr StandardMetadataType kLastStandardMetadataType =
    StandardMetadataType::STRIDE;

// True for BUFFER_ID .. kLastStandardMetadataType: the values that name real
// metadata (INVALID does not).
constexpr bool IsKnownStandardMetadataType(int64_t value) {
  return value >= static_cast<int64_t>(StandardMetadataType::BUFFER_ID) &&
         value <= static_cast<int64_t>(kLastStandardMetadataType);
}

// How to interpret a buffer's samples as colour (or as non-colour data).
//
// A colour dataspace packs three fields into an int32_t:
//
//   bits 16..21  STANDARD_*  primaries and luma coefficients
//   bits 22..26  TRANSFER_*  transfer function
//   bits 27..29  RANGE_*     code value range
//
// and the named colour spaces are fixed combinations of them. Values below
// 0x10000 (UNKNOWN, ARBITRARY, DEPTH, ...) name non-colour or opaque content.
// Several names share a value (DISPLAY_P3_LINEAR and DCI_P3_LINEAR; every
// *_UNSPECIFIED field value is 0). Android's AIDL backs this with an int.
enum class Dataspace : int32_t {
  UNKNOWN = 0x0,
  ARBITRARY = 0x1,

  // The standard field: primaries.
  STANDARD_SHIFT = 16,
  STANDARD_MASK = 63 << 16,
  STANDARD_UNSPECIFIED = 0 << 16,
  STANDARD_BT709 = 1 << 16,
  STANDARD_BT601_625 = 2 << 16,
  STANDARD_BT601_625_UNADJUSTED = 3 << 16,
  STANDARD_BT601_525 = 4 << 16,
  STANDARD_BT601_525_UNADJUSTED = 5 << 16,
  STANDARD_BT2020 = 6 << 16,
  STANDARD_BT2020_CONSTANT_LUMINANCE = 7 << 16,
  STANDARD_BT470M = 8 << 16,
  STANDARD_FILM = 9 << 16,
  STANDARD_DCI_P3 = 10 << 16,
  STANDARD_ADOBE_RGB = 11 << 16,

  // The transfer field: the opto-electronic transfer function.
  TRANSFER_SHIFT = 22,
  TRANSFER_MASK = 31 << 22,
  TRANSFER_UNSPECIFIED = 0 << 22,
  TRANSFER_LINEAR = 1 << 22,
  TRANSFER_SRGB = 2 << 22,
  TRANSFER_SMPTE_170M = 3 << 22,
  TRANSFER_GAMMA2_2 = 4 << 22,
  TRANSFER_GAMMA2_6 = 5 << 22,
  TRANSFER_GAMMA2_8 = 6 << 22,
  TRANSFER_ST2084 = 7 << 22,  // PQ
  TRANSFER_HLG = 8 << 22,

  // The range field.
  RANGE_SHIFT = 27,
  RANGE_MASK = 7 << 27,
  RANGE_UNSPECIFIED = 0 << 27,
  RANGE_FULL = 1 << 27,
  RANGE_LIMITED = 2 << 27,
  RANGE_EXTENDED = 3 << 27,

  // Named colour spaces: STANDARD | TRANSFER | RANGE.
  SRGB_LINEAR = STANDARD_BT709 | TRANSFER_LINEAR | RANGE_FULL,
  SCRGB_LINEAR = STANDARD_BT709 | TRANSFER_LINEAR | RANGE_EXTENDED,
  SRGB = STANDARD_BT709 | TRANSFER_SRGB | RANGE_FULL,
  SCRGB = STANDARD_BT709 | TRANSFER_SRGB | RANGE_EXTENDED,
  JFIF = STANDARD_BT601_625 | TRANSFER_SMPTE_170M | RANGE_FULL,
  BT601_625 = STANDARD_BT601_625 | TRANSFER_SMPTE_170M | RANGE_LIMITED,
  BT601_525 = STANDARD_BT601_525 | TRANSFER_SMPTE_170M | RANGE_LIMITED,
  BT709 = STANDARD_BT709 | TRANSFER_SMPTE_170M | RANGE_LIMITED,
  DCI_P3_LINEAR = STANDARD_DCI_P3 | TRANSFER_LINEAR | RANGE_FULL,
  DCI_P3 = STANDARD_DCI_P3 | TRANSFER_GAMMA2_6 | RANGE_FULL,
  DISPLAY_P3_LINEAR = STANDARD_DCI_P3 | TRANSFER_LINEAR | RANGE_FULL,
  DISPLAY_P3 = STANDARD_DCI_P3 | TRANSFER_SRGB | RANGE_FULL,
  ADOBE_RGB = STANDARD_ADOBE_RGB | TRANSFER_GAMMA2_2 | RANGE_FULL,
  BT2020_LINEAR = STANDARD_BT2020 | TRANSFER_LINEAR | RANGE_FULL,
  BT2020 = STANDARD_BT2020 | TRANSFER_SMPTE_170M | RANGE_FULL,
  BT2020_PQ = STANDARD_BT2020 | TRANSFER_ST2084 | RANGE_FULL,

  // Non-colour content.
  DEPTH = 0x1000,   // depth camera ranges (Y16) or a point cloud (BLOB)
  SENSOR = 0x1001,  // sensor direct-report events (BLOB)

  BT2020_ITU = STANDARD_BT2020 | TRANSFER_SMPTE_170M | RANGE_LIMITED,
  BT2020_ITU_PQ = STANDARD_BT2020 | TRANSFER_ST2084 | RANGE_LIMITED,
  BT2020_ITU_HLG = STANDARD_BT2020 | TRANSFER_HLG | RANGE_LIMITED,
  BT2020_HLG = STANDARD_BT2020 | TRANSFER_HLG | RANGE_FULL,
  DISPLAY_BT2020 = STANDARD_BT2020 | TRANSFER_SRGB | RANGE_FULL,

  // Container and compressed-image content (BLOB).
  DYNAMIC_DEPTH = 0x1002,      // ISO 16684-1 dynamic depth metadata
  JPEG_APP_SEGMENTS = 0x1003,  // JPEG APP1..APPn segments, no image
  HEIF = 0x1004,               // ISO/IEC 23008-12 HEIC image
  JPEG_R = 0x1005,             // Ultra HDR JPEG with a recovery map

  BT709_FULL_RANGE = STANDARD_BT709 | TRANSFER_SMPTE_170M | RANGE_FULL,

  // The names graphics.common@1.0 (HIDL) gave the same colour spaces before
  // AIDL dropped the "V0_" prefix. Same values; kept so code written against
  // the HIDL names ports unchanged. (HIDL's deprecated legacy values such as
  // 0x200 for SRGB_LINEAR are not here: AIDL reused those names.)
  V0_SRGB_LINEAR = SRGB_LINEAR,
  V0_SCRGB_LINEAR = SCRGB_LINEAR,
  V0_SRGB = SRGB,
  V0_SCRGB = SCRGB,
  V0_JFIF = JFIF,
  V0_BT601_625 = BT601_625,
  V0_BT601_525 = BT601_525,
  V0_BT709 = BT709,
};

// How a layer's colour combines with what is beneath it. Android's AIDL backs
// this with an int.
enum class BlendMode : int32_t {
  INVALID = 0,
  NONE = 1,           // out = src
  PREMULTIPLIED = 2,  // out = src + dst * (1 - src.alpha)
  COVERAGE = 3,       // out = src * src.alpha + dst * (1 - src.alpha)
};

// Standard compression strategies (with kCompressionName).
enum class Compression : int64_t {
  NONE = 0,                        // uncompressed
  DISPLAY_STREAM_COMPRESSION = 1,  // VESA DSC
};

// Standard interlacing (with kInterlacedName).
enum class Interlaced : int64_t {
  NONE = 0,
  TOP_BOTTOM = 1,  // planes interlaced horizontally, each half the height
  RIGHT_LEFT = 2,  // planes interlaced vertically, each half the width
};

// Standard chroma siting (with kChromaSitingName).
enum class ChromaSiting : int64_t {
  NONE = 0,                // the format has no chroma siting
  UNKNOWN = 1,             // it has one, but which is not known
  SITED_INTERSTITIAL = 2,  // between luma samples both ways (JPEG 4:2:0)
  COSITED_HORIZONTAL = 3,  // on luma horizontally, between vertically (MPEG-2)
  COSITED_VERTICAL = 4,    // between luma horizontally, on luma vertically
  COSITED_BOTH = 5,        // on a luma sample both ways
};

// The standard values as the ExtendableType metadata carries them.
inline ExtendableType StandardCompression(Compression value) {
  return ExtendableType{kCompressionName, static_cast<int64_t>(value)};
}
inline ExtendableType StandardInterlaced(Interlaced value) {
  return ExtendableType{kInterlacedName, static_cast<int64_t>(value)};
}
inline ExtendableType StandardChromaSiting(ChromaSiting value) {
  return ExtendableType{kChromaSitingName, static_cast<int64_t>(value)};
}

// A CIE 1931 chromaticity coordinate.
struct XyColor {
  float x = 0;
  float y = 0;

  friend bool operator==(const XyColor& a, const XyColor& b) {
    return a.x == b.x && a.y == b.y;
  }
};

// Static HDR metadata of SMPTE ST 2086: the mastering display's colour volume.
// Luminance is in cd/m^2. Field order is the order of the encoding.
struct Smpte2086 {
  XyColor primary_red;
  XyColor primary_green;
  XyColor primary_blue;
  XyColor white_point;
  float max_luminance = 0;
  float min_luminance = 0;

  friend bool operator==(const Smpte2086& a, const Smpte2086& b) {
    return a.primary_red == b.primary_red &&
           a.primary_green == b.primary_green &&
           a.primary_blue == b.primary_blue && a.white_point == b.white_point &&
           a.max_luminance == b.max_luminance &&
           a.min_luminance == b.min_luminance;
  }
};

// Static HDR metadata of CTA-861.3, in cd/m^2. Field order is the order of
// the encoding.
struct Cta861_3 {
  float max_content_light_level = 0;
  float max_frame_average_light_level = 0;

  friend bool operator==(const Cta861_3& a, const Cta861_3& b) {
    return a.max_content_light_level == b.max_content_light_level &&
           a.max_frame_average_light_level == b.max_frame_average_light_level;
  }
};

}  // namespace gralloc

#endif  // GRALLOC_HAL_METADATA_METADATA_TYPES_H_
