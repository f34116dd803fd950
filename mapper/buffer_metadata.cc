// Copyright 2026 The gralloc for Linux Authors.

#include "mapper/buffer_metadata.h"

#include <array>
#include <optional>
#include <vector>

#include "absl/strings/str_cat.h"
#include "hal/base/status_macros.h"
#include "hal/metadata/metadata_codec.h"
#include "hal/types/buffer_usage.h"

namespace gralloc::mapper {
namespace {

using T = StandardMetadataType;

// The codec's types, every one readable; these can also be set.
constexpr bool Settable(T type) {
  return type == T::CROP || type == T::DATASPACE || type == T::BLEND_MODE ||
         type == T::SMPTE2086 || type == T::CTA861_3 ||
         type == T::SMPTE2094_40 || type == T::SMPTE2094_10;
}
#define GRALLOC_SUPPORT_(type, value) {T::type, true, Settable(T::type)},
constexpr std::array<MetadataTypeSupport, 23> kSupported = {
    {GRALLOC_STANDARD_METADATA_TYPES(GRALLOC_SUPPORT_)}};
#undef GRALLOC_SUPPORT_

absl::Status Unsupported(int64_t type, absl::string_view why) {
  return absl::UnimplementedError(
      absl::StrCat("metadata type ", type, ": ", why));
}

// A payload that does not decode is "unsupported", not "bad value": the
// caller speaks an encoding this mapper does not understand.
template <typename V>
absl::StatusOr<V> Decoded(absl::StatusOr<V> value, int64_t type) {
  if (!value.ok()) {
    return Unsupported(
        type, absl::StrCat("malformed value: ", value.status().message()));
  }
  return value;
}

bool HasChroma(const FormatInfo& format) {
  for (const PlaneInfo& plane : format.Planes()) {
    for (const ComponentInfo& component : plane.Components()) {
      if (component.type == PlaneLayoutComponentType::CB ||
          component.type == PlaneLayoutComponentType::CR) {
        return true;
      }
    }
  }
  return false;
}

bool IsProtected(const HandleInfo& info) {
  return (info.flags & kHandleFlagProtected) != 0 ||
         (info.usage & UsageValue(BufferUsage::PROTECTED)) != 0;
}

}  // namespace

absl::Span<const MetadataTypeSupport> SupportedMetadataTypes() {
  return kSupported;
}

absl::StatusOr<size_t> GetStandardMetadata(const Buffer& buffer, int64_t type,
                                           void* dest, size_t dest_size) {
  if (!IsKnownStandardMetadataType(type)) {
    return Unsupported(type, "unknown");
  }
  const HandleInfo& info = buffer.info();
  const SharedMetadata& shared = buffer.metadata();
  switch (static_cast<T>(type)) {
    case T::BUFFER_ID:
      return EncodeMetadata<T::BUFFER_ID>(info.buffer_id, dest, dest_size);
    case T::NAME:
      return EncodeMetadata<T::NAME>(shared.name(), dest, dest_size);
    case T::WIDTH:
      return EncodeMetadata<T::WIDTH>(static_cast<uint64_t>(info.width), dest,
                                      dest_size);
    case T::HEIGHT:
      return EncodeMetadata<T::HEIGHT>(static_cast<uint64_t>(info.height), dest,
                                       dest_size);
    case T::LAYER_COUNT:
      return EncodeMetadata<T::LAYER_COUNT>(
          static_cast<uint64_t>(info.layer_count), dest, dest_size);
    case T::PIXEL_FORMAT_REQUESTED:
      return EncodeMetadata<T::PIXEL_FORMAT_REQUESTED>(
          static_cast<PixelFormat>(info.format_requested), dest, dest_size);
    case T::PIXEL_FORMAT_FOURCC:
      return EncodeMetadata<T::PIXEL_FORMAT_FOURCC>(
          info.layout.format->drm_fourcc, dest, dest_size);
    case T::PIXEL_FORMAT_MODIFIER:
      return EncodeMetadata<T::PIXEL_FORMAT_MODIFIER>(info.layout.modifier,
                                                      dest, dest_size);
    case T::USAGE:
      return EncodeMetadata<T::USAGE>(info.usage, dest, dest_size);
    case T::ALLOCATION_SIZE:
      return EncodeMetadata<T::ALLOCATION_SIZE>(info.allocation_size, dest,
                                                dest_size);
    case T::PROTECTED_CONTENT:
      return EncodeMetadata<T::PROTECTED_CONTENT>(IsProtected(info) ? 1 : 0,
                                                  dest, dest_size);
    case T::COMPRESSION:
      return EncodeMetadata<T::COMPRESSION>(
          StandardCompression(Compression::NONE), dest, dest_size);
    case T::INTERLACED:
      return EncodeMetadata<T::INTERLACED>(StandardInterlaced(Interlaced::NONE),
                                           dest, dest_size);
    case T::CHROMA_SITING:
      return EncodeMetadata<T::CHROMA_SITING>(
          StandardChromaSiting(HasChroma(buffer.layout_format())
                                   ? ChromaSiting::UNKNOWN
                                   : ChromaSiting::NONE),
          dest, dest_size);
    case T::PLANE_LAYOUTS:
      return EncodeMetadata<T::PLANE_LAYOUTS>(buffer.plane_layouts(), dest,
                                              dest_size);
    case T::CROP: {
      ASSIGN_OR_RETURN(const Rect crop, shared.GetCrop());
      return EncodeMetadata<T::CROP>({crop}, dest, dest_size);
    }
    case T::DATASPACE: {
      ASSIGN_OR_RETURN(const Dataspace dataspace, shared.GetDataspace());
      return EncodeMetadata<T::DATASPACE>(dataspace, dest, dest_size);
    }
    case T::BLEND_MODE: {
      ASSIGN_OR_RETURN(const BlendMode blend_mode, shared.GetBlendMode());
      return EncodeMetadata<T::BLEND_MODE>(blend_mode, dest, dest_size);
    }
    case T::SMPTE2086: {
      ASSIGN_OR_RETURN(const auto value, shared.GetSmpte2086());
      return EncodeMetadata<T::SMPTE2086>(value, dest, dest_size);
    }
    case T::CTA861_3: {
      ASSIGN_OR_RETURN(const auto value, shared.GetCta861_3());
      return EncodeMetadata<T::CTA861_3>(value, dest, dest_size);
    }
    case T::SMPTE2094_40: {
      ASSIGN_OR_RETURN(const auto value, shared.GetSmpte2094_40());
      return EncodeMetadata<T::SMPTE2094_40>(value, dest, dest_size);
    }
    case T::SMPTE2094_10: {
      ASSIGN_OR_RETURN(const auto value, shared.GetSmpte2094_10());
      return EncodeMetadata<T::SMPTE2094_10>(value, dest, dest_size);
    }
    case T::STRIDE:
      return EncodeMetadata<T::STRIDE>(
          static_cast<uint32_t>(info.layout.stride_px), dest, dest_size);
    case T::INVALID:
      break;
  }
  return Unsupported(type, "unknown");
}

absl::Status SetStandardMetadata(const Buffer& buffer, int64_t type,
                                 const void* data, size_t size) {
  if (!IsKnownStandardMetadataType(type)) return Unsupported(type, "unknown");
  if (data == nullptr && size != 0) {
    return Unsupported(type, "null value with a non-zero size");
  }
  const SharedMetadata& shared = buffer.metadata();
  switch (static_cast<T>(type)) {
    case T::BUFFER_ID:
    case T::NAME:
    case T::WIDTH:
    case T::HEIGHT:
    case T::LAYER_COUNT:
    case T::PIXEL_FORMAT_REQUESTED:
    case T::USAGE:
      return absl::InvalidArgumentError(
          absl::StrCat("metadata type ", type, " is fixed at allocation"));
    case T::CROP: {
      ASSIGN_OR_RETURN(const std::vector<Rect> crops,
                       Decoded(DecodeMetadata<T::CROP>(data, size), type));
      const HandleInfo& info = buffer.info();
      if (crops.size() != 1 || crops[0].left < 0 || crops[0].top < 0 ||
          crops[0].right < crops[0].left || crops[0].bottom < crops[0].top ||
          crops[0].right > info.width || crops[0].bottom > info.height) {
        return absl::InvalidArgumentError(
            "CROP must be one rect inside the buffer");
      }
      return shared.SetCrop(crops[0]);
    }
    case T::DATASPACE: {
      ASSIGN_OR_RETURN(const Dataspace value,
                       Decoded(DecodeMetadata<T::DATASPACE>(data, size), type));
      return shared.SetDataspace(value);
    }
    case T::BLEND_MODE: {
      ASSIGN_OR_RETURN(
          const BlendMode value,
          Decoded(DecodeMetadata<T::BLEND_MODE>(data, size), type));
      return shared.SetBlendMode(value);
    }
    case T::SMPTE2086: {
      ASSIGN_OR_RETURN(const auto value,
                       Decoded(DecodeMetadata<T::SMPTE2086>(data, size), type));
      return shared.SetSmpte2086(value);
    }
    case T::CTA861_3: {
      ASSIGN_OR_RETURN(const auto value,
                       Decoded(DecodeMetadata<T::CTA861_3>(data, size), type));
      return shared.SetCta861_3(value);
    }
    case T::SMPTE2094_40: {
      ASSIGN_OR_RETURN(
          const auto value,
          Decoded(DecodeMetadata<T::SMPTE2094_40>(data, size), type));
      return shared.SetSmpte2094_40(value);
    }
    case T::SMPTE2094_10: {
      ASSIGN_OR_RETURN(
          const auto value,
          Decoded(DecodeMetadata<T::SMPTE2094_10>(data, size), type));
      return shared.SetSmpte2094_10(value);
    }
    default:
      return Unsupported(type, "not settable");
  }
}

void DumpBuffer(const Buffer& buffer, const DumpCallback& callback) {
  std::vector<uint8_t> bytes;
  for (const MetadataTypeSupport& support : kSupported) {
    if (!support.gettable) continue;
    const int64_t type = static_cast<int64_t>(support.type);
    absl::StatusOr<size_t> size = GetStandardMetadata(buffer, type, nullptr, 0);
    if (!size.ok()) continue;
    bytes.resize(*size);
    size = GetStandardMetadata(buffer, type, bytes.data(), bytes.size());
    // A value can grow between the two calls (another process set it).
    if (!size.ok() || *size > bytes.size()) continue;
    callback(support.type, bytes.data(), *size);
  }
}

}  // namespace gralloc::mapper
