// Copyright 2026 The gralloc for Linux Authors.
//
// Each value's fields are listed once, in a Fields() function that encoding
// and decoding both run (hal/base/wire.h).

#include "hal/metadata/metadata_codec.h"

#include <cstring>
#include <limits>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/types/span.h"
#include "hal/base/wire.h"

namespace gralloc {
namespace {

static_assert(sizeof(kStandardMetadataTypeName) - 1 == 53,
              "the header's name is 53 bytes");

constexpr size_t kNoMax = std::numeric_limits<size_t>::max();
// The smallest encodings of the repeated items, which bound a decoded count
// by the bytes that remain before anything is allocated.
constexpr size_t kMinComponentBytes = 8 + 8 + 8 + 8;  // empty name
constexpr size_t kMinPlaneBytes = 8 + 8 * 8;          // no components
constexpr size_t kRectBytes = 4 * 4;

// Scalars: integers and the int32 enums.
template <
    typename Io, typename T,
    typename = std::enable_if_t<std::is_arithmetic_v<T> || std::is_enum_v<T>>>
void Fields(Io& io, T& value) {
  io.Int("value", value);
}

template <typename Io>
void Fields(Io& io, std::string& name) {
  io.template Blob<int64_t>("name length", name);
}

template <typename Io>
void Fields(Io& io, std::vector<uint8_t>& payload) {
  io.template Blob<int64_t>("payload length", payload);
}

template <typename Io>
void Fields(Io& io, ExtendableType& value) {
  io.template Blob<int64_t>("extendable name length", value.name);
  io.Int("extendable value", value.value);
}

template <typename Io>
void Fields(Io& io, Rect& crop) {
  io.Int("crop left", crop.left);
  io.Int("crop top", crop.top);
  io.Int("crop right", crop.right);
  io.Int("crop bottom", crop.bottom);
}

template <typename Io>
void Fields(Io& io, std::vector<Rect>& crops) {
  io.template List<int64_t>("crop count", crops, kNoMax, kRectBytes,
                            [&io](Rect& crop) { Fields(io, crop); });
}

template <typename Io>
void Fields(Io& io, std::vector<PlaneLayout>& planes) {
  io.template List<int64_t>(
      "plane count", planes, kNoMax, kMinPlaneBytes, [&io](PlaneLayout& p) {
        io.template List<int64_t>(
            "component count", p.components, kNoMax, kMinComponentBytes,
            [&io](PlaneLayoutComponent& c) {
              Fields(io, c.type);
              io.Int("component offset", c.offset_in_bits);
              io.Int("component size", c.size_in_bits);
            });
        io.Int("plane offset", p.offset_in_bytes);
        io.Int("plane sample increment", p.sample_increment_in_bits);
        io.Int("plane stride", p.stride_in_bytes);
        io.Int("plane width", p.width_in_samples);
        io.Int("plane height", p.height_in_samples);
        io.Int("plane total size", p.total_size_in_bytes);
        io.Int("plane horizontal subsampling", p.horizontal_subsampling);
        io.Int("plane vertical subsampling", p.vertical_subsampling);
      });
}

template <typename Io>
void Fields(Io& io, XyColor& color, const char* x, const char* y) {
  io.Float(x, color.x);
  io.Float(y, color.y);
}

template <typename Io>
void Fields(Io& io, Smpte2086& value) {
  Fields(io, value.primary_red, "primary red x", "primary red y");
  Fields(io, value.primary_green, "primary green x", "primary green y");
  Fields(io, value.primary_blue, "primary blue x", "primary blue y");
  Fields(io, value.white_point, "white point x", "white point y");
  io.Float("max luminance", value.max_luminance);
  io.Float("min luminance", value.min_luminance);
}

template <typename Io>
void Fields(Io& io, Cta861_3& value) {
  io.Float("max content light level", value.max_content_light_level);
  io.Float("max frame average light level",
           value.max_frame_average_light_level);
}

// The header: kStandardMetadataTypeName, then the type.
template <typename Io>
void Header(Io& io, int64_t& type) {
  static constexpr absl::string_view kName(
      kStandardMetadataTypeName, sizeof(kStandardMetadataTypeName) - 1);
  if constexpr (Io::kReading) {
    const absl::Span<const uint8_t> bytes =
        io.template BlobView<int64_t>("header name length");
    const absl::string_view name(reinterpret_cast<const char*>(bytes.data()),
                                 bytes.size());
    if (io.ok() && name != kName) {
      io.Fail("header",
              absl::StrCat("names \"", absl::CEscape(name.substr(0, 80)),
                           "\", not a standard metadata type"));
    }
  } else {
    io.template Blob<int64_t>("header name length", kName);
  }
  io.Int("header type", type);
}

template <typename T>
struct IsOptional : std::false_type {};
template <typename T>
struct IsOptional<std::optional<T>> : std::true_type {};

absl::Status Malformed(const absl::Status& status) {
  return absl::InvalidArgumentError(
      absl::StrCat("malformed standard metadata: ", status.message()));
}

absl::Span<const uint8_t> Bytes(const void* src, size_t size) {
  return {static_cast<const uint8_t*>(src), size};
}

}  // namespace

absl::StatusOr<StandardMetadataType> PeekType(const void* src, size_t size) {
  if (src == nullptr && size != 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("null standard metadata of ", size, " bytes"));
  }
  WireReader reader(Bytes(src, size));
  int64_t type = 0;
  Header(reader, type);
  if (!reader.ok()) return Malformed(reader.Finish());
  if (!IsKnownStandardMetadataType(type)) {
    return absl::UnimplementedError(
        absl::StrCat("unknown standard metadata type ", type));
  }
  return static_cast<StandardMetadataType>(type);
}

template <StandardMetadataType type>
size_t EncodeMetadata(const MetadataValue<type>& value, void* dest,
                      size_t dest_size) {
  using Value = MetadataValue<type>;
  if constexpr (IsOptional<Value>::value) {
    if (!value.has_value()) return 0;  // unset: zero bytes
  }
  WireWriter writer;
  int64_t type_value = static_cast<int64_t>(type);
  Header(writer, type_value);
  // Fields() takes references for both directions; a writer only reads.
  if constexpr (IsOptional<Value>::value) {
    Fields(writer, const_cast<typename Value::value_type&>(*value));
  } else {
    Fields(writer, const_cast<Value&>(value));
  }
  const absl::Span<const uint8_t> bytes = writer.bytes();
  if (dest != nullptr && dest_size >= bytes.size()) {
    std::memcpy(dest, bytes.data(), bytes.size());
  }
  return bytes.size();
}

template <StandardMetadataType type>
absl::StatusOr<MetadataValue<type>> DecodeMetadata(const void* src,
                                                   size_t size) {
  using Value = MetadataValue<type>;
  if (src == nullptr && size != 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("null standard metadata of ", size, " bytes"));
  }
  if constexpr (IsOptional<Value>::value) {
    if (size == 0) return Value();  // unset
  }
  WireReader reader(Bytes(src, size));
  int64_t decoded_type = 0;
  Header(reader, decoded_type);
  if (reader.ok() && decoded_type != static_cast<int64_t>(type)) {
    reader.Fail("header", absl::StrCat("has type ", decoded_type, ", want ",
                                       static_cast<int64_t>(type)));
  }
  Value value{};
  if constexpr (IsOptional<Value>::value) {
    value.emplace();
    Fields(reader, *value);
  } else {
    Fields(reader, value);
  }
  if (absl::Status status = reader.Finish(); !status.ok()) {
    return Malformed(status);
  }
  return value;
}

#define GRALLOC_INSTANTIATE_(type, value)                                    \
  template size_t EncodeMetadata<StandardMetadataType::type>(const value&,   \
                                                             void*, size_t); \
  template absl::StatusOr<value> DecodeMetadata<StandardMetadataType::type>( \
      const void*, size_t);
GRALLOC_STANDARD_METADATA_TYPES(GRALLOC_INSTANTIATE_)
#undef GRALLOC_INSTANTIATE_

}  // namespace gralloc
