// Copyright 2026 The gralloc for Linux Authors.

#include "hal/metadata/metadata_codec.h"

#include <cstring>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "hal/base/status_macros.h"

namespace gralloc {
namespace {

static_assert(std::numeric_limits<float>::is_iec559 && sizeof(float) == 4,
              "the encoding carries IEEE-754 binary32 floats");
static_assert(sizeof(kStandardMetadataTypeName) - 1 == 53,
              "the header's name is 53 bytes");

// The smallest encodings of the repeated items, used to bound a decoded count
// by the bytes that remain before anything is allocated.
constexpr size_t kMinComponentBytes = 8 + 8 + 8 + 8;  // empty name
constexpr size_t kMinPlaneBytes = 8 + 8 * 8;          // no components
constexpr size_t kRectBytes = 4 * 4;

// Appends little-endian values to a caller's buffer, or only counts them.
//
// With a null `dest` it counts. Otherwise it writes while the bytes fit in
// `capacity` and silently stops writing (but keeps counting) once they do
// not; Encode() below runs a counting pass first, so in practice a writing
// Writer always has room. The count saturates at SIZE_MAX instead of wrapping.
class Writer {
 public:
  Writer(uint8_t* dest, size_t capacity) : dest_(dest), capacity_(capacity) {}

  size_t size() const { return size_; }

  void Uint32(uint32_t value) { Unsigned(value, 4); }
  void Uint64(uint64_t value) { Unsigned(value, 8); }
  void Int32(int32_t value) { Unsigned(static_cast<uint32_t>(value), 4); }
  void Int64(int64_t value) { Unsigned(static_cast<uint64_t>(value), 8); }

  void Float(float value) {
    uint32_t bits;
    std::memcpy(&bits, &value, sizeof(bits));
    Uint32(bits);
  }

  // An int64 length, then the bytes.
  void LengthPrefixed(const void* data, size_t length) {
    // No in-memory object is longer than INT64_MAX bytes.
    Int64(static_cast<int64_t>(length));
    if (uint8_t* out = Reserve(length)) {
      if (length > 0) std::memcpy(out, data, length);
    }
  }

  void String(absl::string_view value) {
    LengthPrefixed(value.data(), value.size());
  }

  void Extendable(const ExtendableType& value) {
    String(value.name);
    Int64(value.value);
  }

  void Header(StandardMetadataType type) {
    String(kStandardMetadataTypeName);
    Int64(static_cast<int64_t>(type));
  }

  void Xy(const XyColor& value) {
    Float(value.x);
    Float(value.y);
  }

 private:
  // Counts `length` more bytes and returns where they go, or null if they are
  // only counted.
  uint8_t* Reserve(size_t length) {
    const size_t offset = size_;
    if (__builtin_add_overflow(size_, length, &size_)) {
      size_ = std::numeric_limits<size_t>::max();
      return nullptr;
    }
    if (dest_ == nullptr || size_ > capacity_) return nullptr;
    return dest_ + offset;
  }

  void Unsigned(uint64_t value, size_t width) {
    if (uint8_t* out = Reserve(width)) {
      for (size_t i = 0; i < width; ++i) {
        out[i] = static_cast<uint8_t>(value >> (8 * i));
      }
    }
  }

  uint8_t* const dest_;
  const size_t capacity_;
  size_t size_ = 0;
};

// Encodes the header for `type` and then whatever `body(Writer&)` writes,
// under the all-or-nothing contract in the header file.
template <typename Body>
size_t Encode(StandardMetadataType type, void* dest, size_t dest_size,
              const Body& body) {
  Writer counter(nullptr, 0);
  counter.Header(type);
  body(counter);
  const size_t needed = counter.size();
  if (dest != nullptr && dest_size >= needed &&
      needed != std::numeric_limits<size_t>::max()) {
    Writer writer(static_cast<uint8_t*>(dest), dest_size);
    writer.Header(type);
    body(writer);
  }
  return needed;
}

absl::Status Malformed(absl::string_view what) {
  return absl::InvalidArgumentError(
      absl::StrCat("malformed standard metadata: ", what));
}

// Reads little-endian values from untrusted bytes, checking every length
// against what remains.
class Reader {
 public:
  Reader(const void* src, size_t size)
      : next_(static_cast<const uint8_t*>(src)), remaining_(size) {}

  absl::Status Uint32(uint32_t* value, absl::string_view what) {
    uint64_t wide = 0;
    RETURN_IF_ERROR(Unsigned(4, &wide, what));
    *value = static_cast<uint32_t>(wide);
    return absl::OkStatus();
  }

  absl::Status Uint64(uint64_t* value, absl::string_view what) {
    return Unsigned(8, value, what);
  }

  absl::Status Int32(int32_t* value, absl::string_view what) {
    uint32_t bits;
    RETURN_IF_ERROR(Uint32(&bits, what));
    *value = static_cast<int32_t>(bits);  // two's complement (C++20 defines it)
    return absl::OkStatus();
  }

  absl::Status Int64(int64_t* value, absl::string_view what) {
    uint64_t bits = 0;
    RETURN_IF_ERROR(Uint64(&bits, what));
    *value = static_cast<int64_t>(bits);
    return absl::OkStatus();
  }

  absl::Status Float(float* value, absl::string_view what) {
    uint32_t bits;
    RETURN_IF_ERROR(Uint32(&bits, what));
    std::memcpy(value, &bits, sizeof(bits));
    return absl::OkStatus();
  }

  // An int64 count of items each at least `min_item_bytes` long, checked to
  // fit in the bytes that remain.
  absl::StatusOr<size_t> Count(size_t min_item_bytes, absl::string_view what) {
    int64_t count;
    RETURN_IF_ERROR(Int64(&count, what));
    if (count < 0) {
      return Malformed(absl::StrCat(what, " is negative (", count, ")"));
    }
    if (static_cast<uint64_t>(count) > remaining_ / min_item_bytes) {
      return Malformed(absl::StrCat(what, " is ", count, " but only ",
                                    remaining_, " bytes remain"));
    }
    return static_cast<size_t>(count);
  }

  // An int64 length and that many bytes, returned in place.
  absl::StatusOr<absl::string_view> LengthPrefixed(absl::string_view what) {
    ASSIGN_OR_RETURN(const size_t length, Count(1, what));
    ASSIGN_OR_RETURN(const uint8_t* bytes, Take(length, what));
    return absl::string_view(reinterpret_cast<const char*>(bytes), length);
  }

  absl::Status String(std::string* value, absl::string_view what) {
    ASSIGN_OR_RETURN(const absl::string_view bytes, LengthPrefixed(what));
    value->assign(bytes.data(), bytes.size());
    return absl::OkStatus();
  }

  absl::Status ByteVector(std::vector<uint8_t>* value, absl::string_view what) {
    ASSIGN_OR_RETURN(const absl::string_view bytes, LengthPrefixed(what));
    value->assign(bytes.begin(), bytes.end());
    return absl::OkStatus();
  }

  absl::Status Extendable(ExtendableType* value, absl::string_view what) {
    RETURN_IF_ERROR(String(&value->name, what));
    return Int64(&value->value, what);
  }

  absl::Status Xy(XyColor* value, absl::string_view what) {
    RETURN_IF_ERROR(Float(&value->x, what));
    return Float(&value->y, what);
  }

  // The header: kStandardMetadataTypeName and the type value, unchecked.
  absl::StatusOr<int64_t> HeaderType() {
    ASSIGN_OR_RETURN(const absl::string_view name,
                     LengthPrefixed("header name length"));
    if (name != kStandardMetadataTypeName) {
      return Malformed(absl::StrCat("header names \"",
                                    absl::CEscape(name.substr(0, 80)),
                                    "\", not a standard metadata type"));
    }
    int64_t type;
    RETURN_IF_ERROR(Int64(&type, "header type"));
    return type;
  }

  absl::Status Header(StandardMetadataType expected) {
    ASSIGN_OR_RETURN(const int64_t type, HeaderType());
    if (type != static_cast<int64_t>(expected)) {
      return Malformed(absl::StrCat("header has type ", type, ", want ",
                                    static_cast<int64_t>(expected)));
    }
    return absl::OkStatus();
  }

  // Fails if any bytes are left.
  absl::Status Finish() const {
    if (remaining_ != 0) {
      return Malformed(absl::StrCat(remaining_, " trailing bytes"));
    }
    return absl::OkStatus();
  }

 private:
  absl::StatusOr<const uint8_t*> Take(size_t length, absl::string_view what) {
    if (length > remaining_) {
      return Malformed(absl::StrCat("truncated: ", what, " needs ", length,
                                    " bytes, ", remaining_, " remain"));
    }
    const uint8_t* bytes = next_;
    next_ += length;
    remaining_ -= length;
    return bytes;
  }

  absl::Status Unsigned(size_t width, uint64_t* value, absl::string_view what) {
    ASSIGN_OR_RETURN(const uint8_t* bytes, Take(width, what));
    uint64_t result = 0;
    for (size_t i = 0; i < width; ++i) {
      result |= static_cast<uint64_t>(bytes[i]) << (8 * i);
    }
    *value = result;
    return absl::OkStatus();
  }

  const uint8_t* next_;
  size_t remaining_;
};

// Decodes exactly one encoding of `type`: the header, whatever
// `body(Reader&, T&)` reads, and nothing more.
template <typename T, typename Body>
absl::StatusOr<T> Decode(StandardMetadataType type, const void* src,
                         size_t size, const Body& body) {
  if (src == nullptr && size != 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("null standard metadata of ", size, " bytes"));
  }
  Reader reader(src, size);
  RETURN_IF_ERROR(reader.Header(type));
  T value{};
  RETURN_IF_ERROR(body(reader, value));
  RETURN_IF_ERROR(reader.Finish());
  return value;
}

// Decode() for the optional types, where zero bytes mean "unset".
template <typename T, typename Body>
absl::StatusOr<std::optional<T>> DecodeOptional(StandardMetadataType type,
                                                const void* src, size_t size,
                                                const Body& body) {
  if (size == 0) return std::optional<T>();
  ASSIGN_OR_RETURN(T value, Decode<T>(type, src, size, body));
  return std::optional<T>(std::move(value));
}

size_t EncodeUint64(StandardMetadataType type, uint64_t value, void* dest,
                    size_t dest_size) {
  return Encode(type, dest, dest_size,
                [value](Writer& out) { out.Uint64(value); });
}

absl::StatusOr<uint64_t> DecodeUint64(StandardMetadataType type,
                                      const void* src, size_t size) {
  return Decode<uint64_t>(type, src, size, [](Reader& in, uint64_t& value) {
    return in.Uint64(&value, "value");
  });
}

size_t EncodeUint32(StandardMetadataType type, uint32_t value, void* dest,
                    size_t dest_size) {
  return Encode(type, dest, dest_size,
                [value](Writer& out) { out.Uint32(value); });
}

absl::StatusOr<uint32_t> DecodeUint32(StandardMetadataType type,
                                      const void* src, size_t size) {
  return Decode<uint32_t>(type, src, size, [](Reader& in, uint32_t& value) {
    return in.Uint32(&value, "value");
  });
}

size_t EncodeInt32(StandardMetadataType type, int32_t value, void* dest,
                   size_t dest_size) {
  return Encode(type, dest, dest_size,
                [value](Writer& out) { out.Int32(value); });
}

absl::StatusOr<int32_t> DecodeInt32(StandardMetadataType type, const void* src,
                                    size_t size) {
  return Decode<int32_t>(type, src, size, [](Reader& in, int32_t& value) {
    return in.Int32(&value, "value");
  });
}

size_t EncodeExtendable(StandardMetadataType type, const ExtendableType& value,
                        void* dest, size_t dest_size) {
  return Encode(type, dest, dest_size,
                [&value](Writer& out) { out.Extendable(value); });
}

absl::StatusOr<ExtendableType> DecodeExtendable(StandardMetadataType type,
                                                const void* src, size_t size) {
  return Decode<ExtendableType>(type, src, size,
                                [](Reader& in, ExtendableType& value) {
                                  return in.Extendable(&value, "value");
                                });
}

size_t EncodeOptionalBytes(StandardMetadataType type,
                           const std::optional<std::vector<uint8_t>>& payload,
                           void* dest, size_t dest_size) {
  if (!payload.has_value()) return 0;
  return Encode(type, dest, dest_size, [&payload](Writer& out) {
    out.LengthPrefixed(payload->data(), payload->size());
  });
}

absl::StatusOr<std::optional<std::vector<uint8_t>>> DecodeOptionalBytes(
    StandardMetadataType type, const void* src, size_t size) {
  return DecodeOptional<std::vector<uint8_t>>(
      type, src, size, [](Reader& in, std::vector<uint8_t>& value) {
        return in.ByteVector(&value, "payload length");
      });
}

}  // namespace

absl::StatusOr<StandardMetadataType> PeekType(const void* src, size_t size) {
  if (src == nullptr && size != 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("null standard metadata of ", size, " bytes"));
  }
  Reader reader(src, size);
  ASSIGN_OR_RETURN(const int64_t type, reader.HeaderType());
  if (!IsKnownStandardMetadataType(type)) {
    return absl::UnimplementedError(
        absl::StrCat("unknown standard metadata type ", type));
  }
  return static_cast<StandardMetadataType>(type);
}

size_t EncodeBufferId(uint64_t buffer_id, void* dest, size_t dest_size) {
  return EncodeUint64(StandardMetadataType::BUFFER_ID, buffer_id, dest,
                      dest_size);
}
absl::StatusOr<uint64_t> DecodeBufferId(const void* src, size_t size) {
  return DecodeUint64(StandardMetadataType::BUFFER_ID, src, size);
}

size_t EncodeName(absl::string_view name, void* dest, size_t dest_size) {
  return Encode(StandardMetadataType::NAME, dest, dest_size,
                [name](Writer& out) { out.String(name); });
}
absl::StatusOr<std::string> DecodeName(const void* src, size_t size) {
  return Decode<std::string>(
      StandardMetadataType::NAME, src, size,
      [](Reader& in, std::string& name) { return in.String(&name, "name"); });
}

size_t EncodeWidth(uint64_t width, void* dest, size_t dest_size) {
  return EncodeUint64(StandardMetadataType::WIDTH, width, dest, dest_size);
}
absl::StatusOr<uint64_t> DecodeWidth(const void* src, size_t size) {
  return DecodeUint64(StandardMetadataType::WIDTH, src, size);
}

size_t EncodeHeight(uint64_t height, void* dest, size_t dest_size) {
  return EncodeUint64(StandardMetadataType::HEIGHT, height, dest, dest_size);
}
absl::StatusOr<uint64_t> DecodeHeight(const void* src, size_t size) {
  return DecodeUint64(StandardMetadataType::HEIGHT, src, size);
}

size_t EncodeLayerCount(uint64_t layer_count, void* dest, size_t dest_size) {
  return EncodeUint64(StandardMetadataType::LAYER_COUNT, layer_count, dest,
                      dest_size);
}
absl::StatusOr<uint64_t> DecodeLayerCount(const void* src, size_t size) {
  return DecodeUint64(StandardMetadataType::LAYER_COUNT, src, size);
}

size_t EncodePixelFormatRequested(PixelFormat pixel_format, void* dest,
                                  size_t dest_size) {
  return EncodeInt32(StandardMetadataType::PIXEL_FORMAT_REQUESTED,
                     static_cast<int32_t>(pixel_format), dest, dest_size);
}
absl::StatusOr<PixelFormat> DecodePixelFormatRequested(const void* src,
                                                       size_t size) {
  ASSIGN_OR_RETURN(
      const int32_t value,
      DecodeInt32(StandardMetadataType::PIXEL_FORMAT_REQUESTED, src, size));
  return static_cast<PixelFormat>(value);
}

size_t EncodePixelFormatFourcc(uint32_t fourcc, void* dest, size_t dest_size) {
  return EncodeUint32(StandardMetadataType::PIXEL_FORMAT_FOURCC, fourcc, dest,
                      dest_size);
}
absl::StatusOr<uint32_t> DecodePixelFormatFourcc(const void* src, size_t size) {
  return DecodeUint32(StandardMetadataType::PIXEL_FORMAT_FOURCC, src, size);
}

size_t EncodePixelFormatModifier(uint64_t modifier, void* dest,
                                 size_t dest_size) {
  return EncodeUint64(StandardMetadataType::PIXEL_FORMAT_MODIFIER, modifier,
                      dest, dest_size);
}
absl::StatusOr<uint64_t> DecodePixelFormatModifier(const void* src,
                                                   size_t size) {
  return DecodeUint64(StandardMetadataType::PIXEL_FORMAT_MODIFIER, src, size);
}

size_t EncodeUsage(uint64_t usage, void* dest, size_t dest_size) {
  return EncodeUint64(StandardMetadataType::USAGE, usage, dest, dest_size);
}
absl::StatusOr<uint64_t> DecodeUsage(const void* src, size_t size) {
  return DecodeUint64(StandardMetadataType::USAGE, src, size);
}

size_t EncodeAllocationSize(uint64_t size_bytes, void* dest, size_t dest_size) {
  return EncodeUint64(StandardMetadataType::ALLOCATION_SIZE, size_bytes, dest,
                      dest_size);
}
absl::StatusOr<uint64_t> DecodeAllocationSize(const void* src, size_t size) {
  return DecodeUint64(StandardMetadataType::ALLOCATION_SIZE, src, size);
}

size_t EncodeProtectedContent(uint64_t protected_content, void* dest,
                              size_t dest_size) {
  return EncodeUint64(StandardMetadataType::PROTECTED_CONTENT,
                      protected_content, dest, dest_size);
}
absl::StatusOr<uint64_t> DecodeProtectedContent(const void* src, size_t size) {
  return DecodeUint64(StandardMetadataType::PROTECTED_CONTENT, src, size);
}

size_t EncodeCompression(const ExtendableType& compression, void* dest,
                         size_t dest_size) {
  return EncodeExtendable(StandardMetadataType::COMPRESSION, compression, dest,
                          dest_size);
}
absl::StatusOr<ExtendableType> DecodeCompression(const void* src, size_t size) {
  return DecodeExtendable(StandardMetadataType::COMPRESSION, src, size);
}

size_t EncodeInterlaced(const ExtendableType& interlaced, void* dest,
                        size_t dest_size) {
  return EncodeExtendable(StandardMetadataType::INTERLACED, interlaced, dest,
                          dest_size);
}
absl::StatusOr<ExtendableType> DecodeInterlaced(const void* src, size_t size) {
  return DecodeExtendable(StandardMetadataType::INTERLACED, src, size);
}

size_t EncodeChromaSiting(const ExtendableType& chroma_siting, void* dest,
                          size_t dest_size) {
  return EncodeExtendable(StandardMetadataType::CHROMA_SITING, chroma_siting,
                          dest, dest_size);
}
absl::StatusOr<ExtendableType> DecodeChromaSiting(const void* src,
                                                  size_t size) {
  return DecodeExtendable(StandardMetadataType::CHROMA_SITING, src, size);
}

size_t EncodePlaneLayouts(absl::Span<const PlaneLayout> planes, void* dest,
                          size_t dest_size) {
  return Encode(
      StandardMetadataType::PLANE_LAYOUTS, dest, dest_size,
      [planes](Writer& out) {
        out.Int64(static_cast<int64_t>(planes.size()));
        for (const PlaneLayout& plane : planes) {
          out.Int64(static_cast<int64_t>(plane.components.size()));
          for (const PlaneLayoutComponent& component : plane.components) {
            out.Extendable(component.type);
            out.Int64(component.offset_in_bits);
            out.Int64(component.size_in_bits);
          }
          out.Int64(plane.offset_in_bytes);
          out.Int64(plane.sample_increment_in_bits);
          out.Int64(plane.stride_in_bytes);
          out.Int64(plane.width_in_samples);
          out.Int64(plane.height_in_samples);
          out.Int64(plane.total_size_in_bytes);
          out.Int64(plane.horizontal_subsampling);
          out.Int64(plane.vertical_subsampling);
        }
      });
}

absl::StatusOr<std::vector<PlaneLayout>> DecodePlaneLayouts(const void* src,
                                                            size_t size) {
  return Decode<std::vector<PlaneLayout>>(
      StandardMetadataType::PLANE_LAYOUTS, src, size,
      [](Reader& in, std::vector<PlaneLayout>& planes) -> absl::Status {
        ASSIGN_OR_RETURN(const size_t plane_count,
                         in.Count(kMinPlaneBytes, "plane count"));
        planes.resize(plane_count);
        for (PlaneLayout& plane : planes) {
          ASSIGN_OR_RETURN(const size_t component_count,
                           in.Count(kMinComponentBytes, "component count"));
          plane.components.resize(component_count);
          for (PlaneLayoutComponent& component : plane.components) {
            RETURN_IF_ERROR(in.Extendable(&component.type, "component type"));
            RETURN_IF_ERROR(
                in.Int64(&component.offset_in_bits, "component offset"));
            RETURN_IF_ERROR(
                in.Int64(&component.size_in_bits, "component size"));
          }
          RETURN_IF_ERROR(in.Int64(&plane.offset_in_bytes, "plane offset"));
          RETURN_IF_ERROR(in.Int64(&plane.sample_increment_in_bits,
                                   "plane sample increment"));
          RETURN_IF_ERROR(in.Int64(&plane.stride_in_bytes, "plane stride"));
          RETURN_IF_ERROR(in.Int64(&plane.width_in_samples, "plane width"));
          RETURN_IF_ERROR(in.Int64(&plane.height_in_samples, "plane height"));
          RETURN_IF_ERROR(
              in.Int64(&plane.total_size_in_bytes, "plane total size"));
          RETURN_IF_ERROR(in.Int64(&plane.horizontal_subsampling,
                                   "plane horizontal subsampling"));
          RETURN_IF_ERROR(in.Int64(&plane.vertical_subsampling,
                                   "plane vertical subsampling"));
        }
        return absl::OkStatus();
      });
}

size_t EncodeCrop(absl::Span<const Rect> crops, void* dest, size_t dest_size) {
  return Encode(StandardMetadataType::CROP, dest, dest_size,
                [crops](Writer& out) {
                  out.Int64(static_cast<int64_t>(crops.size()));
                  for (const Rect& crop : crops) {
                    out.Int32(crop.left);
                    out.Int32(crop.top);
                    out.Int32(crop.right);
                    out.Int32(crop.bottom);
                  }
                });
}

absl::StatusOr<std::vector<Rect>> DecodeCrop(const void* src, size_t size) {
  return Decode<std::vector<Rect>>(
      StandardMetadataType::CROP, src, size,
      [](Reader& in, std::vector<Rect>& crops) -> absl::Status {
        ASSIGN_OR_RETURN(const size_t count,
                         in.Count(kRectBytes, "crop count"));
        crops.resize(count);
        for (Rect& crop : crops) {
          RETURN_IF_ERROR(in.Int32(&crop.left, "crop left"));
          RETURN_IF_ERROR(in.Int32(&crop.top, "crop top"));
          RETURN_IF_ERROR(in.Int32(&crop.right, "crop right"));
          RETURN_IF_ERROR(in.Int32(&crop.bottom, "crop bottom"));
        }
        return absl::OkStatus();
      });
}

size_t EncodeDataspace(Dataspace dataspace, void* dest, size_t dest_size) {
  return EncodeInt32(StandardMetadataType::DATASPACE,
                     static_cast<int32_t>(dataspace), dest, dest_size);
}
absl::StatusOr<Dataspace> DecodeDataspace(const void* src, size_t size) {
  ASSIGN_OR_RETURN(const int32_t value,
                   DecodeInt32(StandardMetadataType::DATASPACE, src, size));
  return static_cast<Dataspace>(value);
}

size_t EncodeBlendMode(BlendMode blend_mode, void* dest, size_t dest_size) {
  return EncodeInt32(StandardMetadataType::BLEND_MODE,
                     static_cast<int32_t>(blend_mode), dest, dest_size);
}
absl::StatusOr<BlendMode> DecodeBlendMode(const void* src, size_t size) {
  ASSIGN_OR_RETURN(const int32_t value,
                   DecodeInt32(StandardMetadataType::BLEND_MODE, src, size));
  return static_cast<BlendMode>(value);
}

size_t EncodeSmpte2086(const std::optional<Smpte2086>& smpte2086, void* dest,
                       size_t dest_size) {
  if (!smpte2086.has_value()) return 0;
  return Encode(StandardMetadataType::SMPTE2086, dest, dest_size,
                [&value = *smpte2086](Writer& out) {
                  out.Xy(value.primary_red);
                  out.Xy(value.primary_green);
                  out.Xy(value.primary_blue);
                  out.Xy(value.white_point);
                  out.Float(value.max_luminance);
                  out.Float(value.min_luminance);
                });
}

absl::StatusOr<std::optional<Smpte2086>> DecodeSmpte2086(const void* src,
                                                         size_t size) {
  return DecodeOptional<Smpte2086>(
      StandardMetadataType::SMPTE2086, src, size,
      [](Reader& in, Smpte2086& value) -> absl::Status {
        RETURN_IF_ERROR(in.Xy(&value.primary_red, "primary red"));
        RETURN_IF_ERROR(in.Xy(&value.primary_green, "primary green"));
        RETURN_IF_ERROR(in.Xy(&value.primary_blue, "primary blue"));
        RETURN_IF_ERROR(in.Xy(&value.white_point, "white point"));
        RETURN_IF_ERROR(in.Float(&value.max_luminance, "max luminance"));
        return in.Float(&value.min_luminance, "min luminance");
      });
}

size_t EncodeCta861_3(const std::optional<Cta861_3>& cta861_3, void* dest,
                      size_t dest_size) {
  if (!cta861_3.has_value()) return 0;
  return Encode(StandardMetadataType::CTA861_3, dest, dest_size,
                [&value = *cta861_3](Writer& out) {
                  out.Float(value.max_content_light_level);
                  out.Float(value.max_frame_average_light_level);
                });
}

absl::StatusOr<std::optional<Cta861_3>> DecodeCta861_3(const void* src,
                                                       size_t size) {
  return DecodeOptional<Cta861_3>(
      StandardMetadataType::CTA861_3, src, size,
      [](Reader& in, Cta861_3& value) -> absl::Status {
        RETURN_IF_ERROR(in.Float(&value.max_content_light_level,
                                 "max content light level"));
        return in.Float(&value.max_frame_average_light_level,
                        "max frame average light level");
      });
}

size_t EncodeSmpte2094_40(const std::optional<std::vector<uint8_t>>& payload,
                          void* dest, size_t dest_size) {
  return EncodeOptionalBytes(StandardMetadataType::SMPTE2094_40, payload, dest,
                             dest_size);
}
absl::StatusOr<std::optional<std::vector<uint8_t>>> DecodeSmpte2094_40(
    const void* src, size_t size) {
  return DecodeOptionalBytes(StandardMetadataType::SMPTE2094_40, src, size);
}

size_t EncodeSmpte2094_10(const std::optional<std::vector<uint8_t>>& payload,
                          void* dest, size_t dest_size) {
  return EncodeOptionalBytes(StandardMetadataType::SMPTE2094_10, payload, dest,
                             dest_size);
}
absl::StatusOr<std::optional<std::vector<uint8_t>>> DecodeSmpte2094_10(
    const void* src, size_t size) {
  return DecodeOptionalBytes(StandardMetadataType::SMPTE2094_10, src, size);
}

size_t EncodeStride(uint32_t stride_pixels, void* dest, size_t dest_size) {
  return EncodeUint32(StandardMetadataType::STRIDE, stride_pixels, dest,
                      dest_size);
}
absl::StatusOr<uint32_t> DecodeStride(const void* src, size_t size) {
  return DecodeUint32(StandardMetadataType::STRIDE, src, size);
}

}  // namespace gralloc
