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
// EncodeMetadata<type>(value, dest, dest_size) returns the number of bytes
// the encoding takes. It writes them to `dest` only if `dest` is non-null
// and `dest_size` is at least that; otherwise it writes nothing at all, so a
// caller may ask for the size with (value, nullptr, 0), allocate, and call
// again. This is the stable-C mapper's getStandardMetadata contract.
//
// Decoding
// --------
// DecodeMetadata<type>(src, size) reads exactly `size` bytes at `src` (which
// may be null only when `size` is 0) and returns the value, or
// InvalidArgument if the bytes are not exactly one well-formed encoding of
// that type: a different name or type in the header, a value cut short,
// bytes left over, or a count or length that is negative or exceeds what the
// remaining bytes could hold. Counts are checked against the remaining input
// before anything is allocated, so a hostile count cannot make the decoder
// allocate more than a small multiple of `size`. Values are not otherwise
// judged: any Dataspace bit pattern, any Rect, any plane geometry decodes;
// whether it is acceptable is the caller's decision.
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
#include "hal/metadata/metadata_types.h"
#include "hal/types/pixel_format.h"
#include "hal/types/plane_layout.h"

namespace gralloc {

// Bytes of the header every (set) standard metadata value starts with.
inline constexpr size_t kMetadataHeaderSize = 8 + 53 + 8;

// Each standard metadata type this library encodes, with its C++ value
// (the encodings are in the table above): X(TYPE, value type).
// PIXEL_FORMAT_REQUESTED, DATASPACE and BLEND_MODE decode any value;
// PROTECTED_CONTENT is 0 or 1 by convention (not checked); COMPRESSION,
// INTERLACED and CHROMA_SITING take their standard values from
// StandardCompression() and the like; CROP is one Rect per plane, in
// samples relative to the plane. The optional types encode unset as zero
// bytes; a set but empty SMPTE2094 payload is the header and a zero length.
#define GRALLOC_STANDARD_METADATA_TYPES(X)             \
  X(BUFFER_ID, uint64_t)                               \
  X(NAME, std::string)                                 \
  X(WIDTH, uint64_t)                                   \
  X(HEIGHT, uint64_t)                                  \
  X(LAYER_COUNT, uint64_t)                             \
  X(PIXEL_FORMAT_REQUESTED, PixelFormat)               \
  X(PIXEL_FORMAT_FOURCC, uint32_t)                     \
  X(PIXEL_FORMAT_MODIFIER, uint64_t)                   \
  X(USAGE, uint64_t)                                   \
  X(ALLOCATION_SIZE, uint64_t)                         \
  X(PROTECTED_CONTENT, uint64_t)                       \
  X(COMPRESSION, ExtendableType)                       \
  X(INTERLACED, ExtendableType)                        \
  X(CHROMA_SITING, ExtendableType)                     \
  X(PLANE_LAYOUTS, std::vector<PlaneLayout>)           \
  X(CROP, std::vector<Rect>)                           \
  X(DATASPACE, Dataspace)                              \
  X(BLEND_MODE, BlendMode)                             \
  X(SMPTE2086, std::optional<Smpte2086>)               \
  X(CTA861_3, std::optional<Cta861_3>)                 \
  X(SMPTE2094_40, std::optional<std::vector<uint8_t>>) \
  X(SMPTE2094_10, std::optional<std::vector<uint8_t>>) \
  X(STRIDE, uint32_t)

// MetadataValue<StandardMetadataType::WIDTH> is uint64_t, and so on.
template <StandardMetadataType type>
struct MetadataValueOf;
#define GRALLOC_METADATA_VALUE_(type, value)           \
  template <>                                          \
  struct MetadataValueOf<StandardMetadataType::type> { \
    using Type = value;                                \
  };
GRALLOC_STANDARD_METADATA_TYPES(GRALLOC_METADATA_VALUE_)
#undef GRALLOC_METADATA_VALUE_
template <StandardMetadataType type>
using MetadataValue = typename MetadataValueOf<type>::Type;

// Reads only the header at `src` and returns the type it names. Fails with
// InvalidArgument if the bytes are too short to hold a header or the name is
// not kStandardMetadataTypeName, and with Unimplemented if the type is not one
// this library knows (IsKnownStandardMetadataType): a newer client's type is
// unsupported rather than malformed. Bytes after the header are not examined.
absl::StatusOr<StandardMetadataType> PeekType(const void* src, size_t size);

// The encoding of `value` as metadata of `type` (see "Encoding" above).
template <StandardMetadataType type>
size_t EncodeMetadata(const MetadataValue<type>& value, void* dest,
                      size_t dest_size);

// The value of `type` encoded in `size` bytes at `src` (see "Decoding").
template <StandardMetadataType type>
absl::StatusOr<MetadataValue<type>> DecodeMetadata(const void* src,
                                                   size_t size);

}  // namespace gralloc

#endif  // GRALLOC_HAL_METADATA_METADATA_CODEC_H_
