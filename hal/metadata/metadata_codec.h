// Copyright 2026 The gralloc for Linux Authors.
//
// hal/metadata/metadata_codec.h: standard buffer metadata to and from bytes,
// byte-exact with Android's gralloc4 encoding (what IMapper@4's getters
// return and what the stable-C mapper's getStandardMetadata writes).
//
// Every encoded value starts with a 69-byte header naming its type:
//
//   int64  53                  length of the name
//   char   [53]                "android.hardware.graphics.common.
//                               StandardMetadataType", no NUL
//   int64  type                the StandardMetadataType value
//
// followed by the value. All integers are little-endian two's complement and
// floats are IEEE-754 binary32, little-endian, whatever the host. Composite
// values are built from:
//
//   string          int64 length, then that many bytes (no NUL)
//   ExtendableType  string name, int64 value
//   Rect            int32 left, top, right, bottom
//   XyColor         float x, y
//
// The value after the header, per type:
//
//   BUFFER_ID, WIDTH, HEIGHT, LAYER_COUNT,
//   PIXEL_FORMAT_MODIFIER, USAGE,
//   ALLOCATION_SIZE, PROTECTED_CONTENT   uint64
//   PIXEL_FORMAT_FOURCC, STRIDE          uint32
//   PIXEL_FORMAT_REQUESTED, DATASPACE,
//   BLEND_MODE                           int32
//   NAME                                 string
//   COMPRESSION, INTERLACED,
//   CHROMA_SITING                        ExtendableType
//   CROP                                 int64 count, count x Rect
//   PLANE_LAYOUTS                        int64 count, then per plane:
//                                          int64 component count, then per
//                                            component: ExtendableType type,
//                                            int64 offset_in_bits,
//                                            int64 size_in_bits
//                                          int64 offset_in_bytes,
//                                            sample_increment_in_bits,
//                                            stride_in_bytes, width_in_samples,
//                                            height_in_samples,
//                                            total_size_in_bytes,
//                                            horizontal_subsampling,
//                                            vertical_subsampling
//   SMPTE2086                            4 x XyColor (red, green, blue,
//                                          white point), float max_luminance,
//                                          float min_luminance
//   CTA861_3                             float max_content_light_level,
//                                          float max_frame_average_light_level
//   SMPTE2094_40, SMPTE2094_10           int64 length, that many bytes
//
// SMPTE2086, CTA861_3, SMPTE2094_40 and SMPTE2094_10 are optional: unset
// encodes as zero bytes, with no header, and zero bytes decode as unset.
//
// Encoding
// --------
// Every Encode*(value, dest, dest_size) returns the number of bytes the
// encoding takes. It writes them to `dest` only if `dest` is non-null and
// `dest_size` is at least that; otherwise it writes nothing at all, so a
// caller may ask for the size with (value, nullptr, 0), allocate, and call
// again. This is the stable-C mapper's getStandardMetadata contract.
//
// Decoding
// --------
// Every Decode*(src, size) reads exactly `size` bytes at `src` (which may be
// null only when `size` is 0) and returns the value, or InvalidArgument if the
// bytes are not exactly one well-formed encoding of that type: a different
// name or type in the header, a value cut short, bytes left over, or a count
// or length that is negative or exceeds what the remaining bytes could hold.
// Counts are checked against the remaining input before anything is
// allocated, so a hostile count cannot make the decoder allocate more than a
// small multiple of `size`. Values are not otherwise judged: any Dataspace bit
// pattern, any Rect, any plane geometry decodes; whether it is acceptable is
// the caller's decision.
//
// All functions are thread-compatible and keep no state.

#ifndef GRALLOC_HAL_METADATA_METADATA_CODEC_H_
#define GRALLOC_HAL_METADATA_METADATA_CODEC_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "hal/metadata/metadata_types.h"
#include "hal/types/pixel_format.h"
#include "hal/types/plane_layout.h"

namespace gralloc {

// Bytes of the header every (set) standard metadata value starts with.
inline constexpr size_t kMetadataHeaderSize = 8 + 53 + 8;

// Reads only the header at `src` and returns the type it names. Fails with
// InvalidArgument if the bytes are too short to hold a header or the name is
// not kStandardMetadataTypeName, and with Unimplemented if the type is not one
// this library knows (IsKnownStandardMetadataType): a newer client's type is
// unsupported rather than malformed. Bytes after the header are not examined.
absl::StatusOr<StandardMetadataType> PeekType(const void* src, size_t size);

// BUFFER_ID: uint64.
size_t EncodeBufferId(uint64_t buffer_id, void* dest, size_t dest_size);
absl::StatusOr<uint64_t> DecodeBufferId(const void* src, size_t size);

// NAME: string.
size_t EncodeName(absl::string_view name, void* dest, size_t dest_size);
absl::StatusOr<std::string> DecodeName(const void* src, size_t size);

// WIDTH: uint64.
size_t EncodeWidth(uint64_t width, void* dest, size_t dest_size);
absl::StatusOr<uint64_t> DecodeWidth(const void* src, size_t size);

// HEIGHT: uint64.
size_t EncodeHeight(uint64_t height, void* dest, size_t dest_size);
absl::StatusOr<uint64_t> DecodeHeight(const void* src, size_t size);

// LAYER_COUNT: uint64.
size_t EncodeLayerCount(uint64_t layer_count, void* dest, size_t dest_size);
absl::StatusOr<uint64_t> DecodeLayerCount(const void* src, size_t size);

// PIXEL_FORMAT_REQUESTED: a PixelFormat as int32. Any value decodes.
size_t EncodePixelFormatRequested(PixelFormat pixel_format, void* dest,
                                  size_t dest_size);
absl::StatusOr<PixelFormat> DecodePixelFormatRequested(const void* src,
                                                       size_t size);

// PIXEL_FORMAT_FOURCC: a DRM fourcc as uint32.
size_t EncodePixelFormatFourcc(uint32_t fourcc, void* dest, size_t dest_size);
absl::StatusOr<uint32_t> DecodePixelFormatFourcc(const void* src, size_t size);

// PIXEL_FORMAT_MODIFIER: a DRM format modifier as uint64.
size_t EncodePixelFormatModifier(uint64_t modifier, void* dest,
                                 size_t dest_size);
absl::StatusOr<uint64_t> DecodePixelFormatModifier(const void* src,
                                                   size_t size);

// USAGE: BufferUsage bits as uint64.
size_t EncodeUsage(uint64_t usage, void* dest, size_t dest_size);
absl::StatusOr<uint64_t> DecodeUsage(const void* src, size_t size);

// ALLOCATION_SIZE: uint64 bytes.
size_t EncodeAllocationSize(uint64_t size_bytes, void* dest, size_t dest_size);
absl::StatusOr<uint64_t> DecodeAllocationSize(const void* src, size_t size);

// PROTECTED_CONTENT: uint64, 0 or 1 by convention (not checked).
size_t EncodeProtectedContent(uint64_t protected_content, void* dest,
                              size_t dest_size);
absl::StatusOr<uint64_t> DecodeProtectedContent(const void* src, size_t size);

// COMPRESSION: ExtendableType (standard values: StandardCompression()).
size_t EncodeCompression(const ExtendableType& compression, void* dest,
                         size_t dest_size);
absl::StatusOr<ExtendableType> DecodeCompression(const void* src, size_t size);

// INTERLACED: ExtendableType (standard values: StandardInterlaced()).
size_t EncodeInterlaced(const ExtendableType& interlaced, void* dest,
                        size_t dest_size);
absl::StatusOr<ExtendableType> DecodeInterlaced(const void* src, size_t size);

// CHROMA_SITING: ExtendableType (standard values: StandardChromaSiting()).
size_t EncodeChromaSiting(const ExtendableType& chroma_siting, void* dest,
                          size_t dest_size);
absl::StatusOr<ExtendableType> DecodeChromaSiting(const void* src, size_t size);

// PLANE_LAYOUTS: one PlaneLayout per plane, in plane order.
size_t EncodePlaneLayouts(absl::Span<const PlaneLayout> planes, void* dest,
                          size_t dest_size);
absl::StatusOr<std::vector<PlaneLayout>> DecodePlaneLayouts(const void* src,
                                                            size_t size);

// CROP: one Rect per plane, in plane order, in samples relative to the plane.
size_t EncodeCrop(absl::Span<const Rect> crops, void* dest, size_t dest_size);
absl::StatusOr<std::vector<Rect>> DecodeCrop(const void* src, size_t size);

// DATASPACE: int32. Any bit pattern decodes (vendors extend the fields).
size_t EncodeDataspace(Dataspace dataspace, void* dest, size_t dest_size);
absl::StatusOr<Dataspace> DecodeDataspace(const void* src, size_t size);

// BLEND_MODE: int32. Any value decodes.
size_t EncodeBlendMode(BlendMode blend_mode, void* dest, size_t dest_size);
absl::StatusOr<BlendMode> DecodeBlendMode(const void* src, size_t size);

// SMPTE2086: optional; unset is zero bytes.
size_t EncodeSmpte2086(const std::optional<Smpte2086>& smpte2086, void* dest,
                       size_t dest_size);
absl::StatusOr<std::optional<Smpte2086>> DecodeSmpte2086(const void* src,
                                                         size_t size);

// CTA861_3: optional; unset is zero bytes.
size_t EncodeCta861_3(const std::optional<Cta861_3>& cta861_3, void* dest,
                      size_t dest_size);
absl::StatusOr<std::optional<Cta861_3>> DecodeCta861_3(const void* src,
                                                       size_t size);

// SMPTE2094_40: optional opaque bytes; unset is zero bytes. A set but empty
// payload is distinct from unset: it encodes as the header and a zero length.
size_t EncodeSmpte2094_40(const std::optional<std::vector<uint8_t>>& payload,
                          void* dest, size_t dest_size);
absl::StatusOr<std::optional<std::vector<uint8_t>>> DecodeSmpte2094_40(
    const void* src, size_t size);

// SMPTE2094_10: as SMPTE2094_40.
size_t EncodeSmpte2094_10(const std::optional<std::vector<uint8_t>>& payload,
                          void* dest, size_t dest_size);
absl::StatusOr<std::optional<std::vector<uint8_t>>> DecodeSmpte2094_10(
    const void* src, size_t size);

// STRIDE: uint32, in pixels.
size_t EncodeStride(uint32_t stride_pixels, void* dest, size_t dest_size);
absl::StatusOr<uint32_t> DecodeStride(const void* src, size_t size);

}  // namespace gralloc

#endif  // GRALLOC_HAL_METADATA_METADATA_CODEC_H_
