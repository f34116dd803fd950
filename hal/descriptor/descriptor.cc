// Copyright 2026 The gralloc for Linux Authors.

#include "hal/descriptor/descriptor.h"

#include <cstdint>
#include <limits>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"
#include "hal/base/status_macros.h"
#include "hal/format/format_table.h"
#include "hal/types/pixel_format.h"
#include "hal/usage/usage.h"

namespace gralloc {
namespace {

constexpr int64_t kMaxDimension = std::numeric_limits<int32_t>::max();

absl::Status CheckDimension(absl::string_view what, int64_t value) {
  if (value < 1 || value > kMaxDimension) {
    return absl::InvalidArgumentError(
        absl::StrFormat("descriptor %s %d is out of range [1, %d]", what, value,
                        kMaxDimension));
  }
  return absl::OkStatus();
}

absl::Status CheckName(const std::string& name) {
  if (name.size() > kMaxDescriptorNameBytes) {
    return absl::InvalidArgumentError(
        absl::StrFormat("descriptor name is %d bytes; at most %d fit the C ABI",
                        name.size(), kMaxDescriptorNameBytes));
  }
  if (name.find('\0') != std::string::npos) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "descriptor name \"%s\" contains a NUL byte", absl::CHexEscape(name)));
  }
  return absl::OkStatus();
}

// ceil(a / b) for a >= 0, b > 0, without the overflow of (a + b - 1) / b.
uint64_t DivideRoundingUp(uint64_t a, uint64_t b) {
  return a / b + (a % b != 0 ? 1 : 0);
}

absl::Status SizeOverflow(const FormatInfo& format, int64_t width,
                          int64_t height, int64_t layer_count) {
  return absl::InvalidArgumentError(absl::StrFormat(
      "%s buffer of %dx%d with %d layers: size overflows 64 bits", format.name,
      width, height, layer_count));
}

absl::Status BadOption(absl::string_view name, absl::string_view why) {
  return absl::InvalidArgumentError(
      absl::StrFormat("descriptor option %s %s", absl::CHexEscape(name), why));
}

}  // namespace

bool IsKnownOption(absl::string_view name) {
  for (absl::string_view known :
       {kDataspaceOptionName, kDrmModifierOptionName, kLinearOnlyOptionName,
        kPreferredHeapOptionName, kMinStrideAlignmentOptionName}) {
    if (name == known) return true;
  }
  return false;
}

absl::StatusOr<DescriptorOptions> ParseDescriptorOptions(
    const std::vector<ExtendableType>& options) {
  if (options.size() > kMaxDescriptorOptions) {
    return absl::InvalidArgumentError(
        absl::StrFormat("descriptor has %d options; at most %d are accepted",
                        options.size(), kMaxDescriptorOptions));
  }
  DescriptorOptions parsed;
  bool seen_linear = false;
  bool seen_alignment = false;
  for (const ExtendableType& option : options) {
    const int64_t value = option.value;
    if (option.name == kDataspaceOptionName) {
      if (parsed.dataspace.has_value()) {
        return BadOption(option.name, "is given more than once");
      }
      if (value < std::numeric_limits<int32_t>::min() ||
          value > std::numeric_limits<int32_t>::max()) {
        return BadOption(option.name,
                         absl::StrFormat("has value %d, which is not a "
                                         "32-bit Dataspace",
                                         value));
      }
      parsed.dataspace = static_cast<int32_t>(value);
    } else if (option.name == kDrmModifierOptionName) {
      // DRM_FORMAT_MOD_INVALID names no layout.
      if (static_cast<uint64_t>(value) == 0x00ffffffffffffffull) {
        return BadOption(option.name, "is DRM_FORMAT_MOD_INVALID");
      }
      parsed.drm_modifiers.push_back(static_cast<uint64_t>(value));
    } else if (option.name == kLinearOnlyOptionName) {
      if (seen_linear) return BadOption(option.name, "is given more than once");
      if (value != 0 && value != 1) {
        return BadOption(option.name,
                         absl::StrFormat("has value %d, not 0 or 1", value));
      }
      seen_linear = true;
      parsed.linear_only = value == 1;
    } else if (option.name == kPreferredHeapOptionName) {
      if (parsed.preferred_heap != 0) {
        return BadOption(option.name, "is given more than once");
      }
      if (value < GRALLOC_HEAP_SYSTEM || value > GRALLOC_HEAP_MEMFD) {
        return BadOption(
            option.name,
            absl::StrFormat("has value %d, which is not a "
                            "GrallocHeapClass (%d..%d)",
                            value, GRALLOC_HEAP_SYSTEM, GRALLOC_HEAP_MEMFD));
      }
      parsed.preferred_heap = static_cast<int32_t>(value);
    } else if (option.name == kMinStrideAlignmentOptionName) {
      if (seen_alignment) {
        return BadOption(option.name, "is given more than once");
      }
      if (value < 1 || value > kMaxMinStrideAlignmentBytes) {
        return BadOption(option.name,
                         absl::StrFormat("has value %d, outside 1..%d", value,
                                         kMaxMinStrideAlignmentBytes));
      }
      seen_alignment = true;
      parsed.min_stride_alignment_bytes = static_cast<uint64_t>(value);
    } else {
      return BadOption(option.name, "is not one this allocator knows");
    }
  }
  return parsed;
}

absl::StatusOr<uint64_t> EstimateMinimumSizeBytes(const FormatInfo& format,
                                                  int64_t width, int64_t height,
                                                  int64_t layer_count) {
  if (width < 1 || height < 1 || layer_count < 1) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "%s buffer of %dx%d with %d layers: dimensions must be positive",
        format.name, width, height, layer_count));
  }
  const uint64_t w = static_cast<uint64_t>(width);
  const uint64_t h = static_cast<uint64_t>(height);
  uint64_t bits_per_layer = 0;
  if (format.layout == FormatLayout::kFlexible) {
    if (__builtin_mul_overflow(w, h, &bits_per_layer) ||
        __builtin_mul_overflow(
            bits_per_layer,
            static_cast<uint64_t>(format.flexible_bits_per_pixel),
            &bits_per_layer)) {
      return SizeOverflow(format, width, height, layer_count);
    }
  } else {
    for (const PlaneInfo& plane : format.Planes()) {
      const uint64_t samples_across = DivideRoundingUp(
          w, static_cast<uint64_t>(plane.horizontal_subsampling));
      const uint64_t samples_down = DivideRoundingUp(
          h, static_cast<uint64_t>(plane.vertical_subsampling));
      uint64_t plane_bits = 0;
      if (__builtin_mul_overflow(samples_across, samples_down, &plane_bits) ||
          __builtin_mul_overflow(plane_bits,
                                 static_cast<uint64_t>(plane.bits_per_sample),
                                 &plane_bits) ||
          __builtin_add_overflow(bits_per_layer, plane_bits, &bits_per_layer)) {
        return SizeOverflow(format, width, height, layer_count);
      }
    }
  }
  uint64_t total_bytes = 0;
  if (__builtin_mul_overflow(DivideRoundingUp(bits_per_layer, 8),
                             static_cast<uint64_t>(layer_count),
                             &total_bytes)) {
    return SizeOverflow(format, width, height, layer_count);
  }
  return total_bytes;
}

absl::Status ValidateDescriptor(const BufferDescriptorInfo& info) {
  RETURN_IF_ERROR(CheckName(info.name));
  RETURN_IF_ERROR(CheckDimension("width", info.width));
  RETURN_IF_ERROR(CheckDimension("height", info.height));
  RETURN_IF_ERROR(CheckDimension("layer count", info.layer_count));

  if (info.format == FormatValue(PixelFormat::UNSPECIFIED)) {
    return absl::InvalidArgumentError(
        "descriptor format is UNSPECIFIED (0); a buffer needs a format");
  }
  const FormatInfo* format = FindFormat(info.format);
  if (format == nullptr) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "descriptor format %d (%#x) is not a known pixel format", info.format,
        static_cast<uint32_t>(info.format)));
  }

  RETURN_IF_ERROR(ValidateUsage(info.usage));

  if (info.reserved_size < 0 || info.reserved_size > kMaxReservedSizeBytes) {
    return absl::InvalidArgumentError(
        absl::StrFormat("descriptor reserved size %d is out of range [0, %d]",
                        info.reserved_size, kMaxReservedSizeBytes));
  }

  RETURN_IF_ERROR(ParseDescriptorOptions(info.additional_options).status());
  RETURN_IF_ERROR(CheckFormatRules(*format, info.width, info.height));

  ASSIGN_OR_RETURN(const uint64_t size_bytes,
                   EstimateMinimumSizeBytes(*format, info.width, info.height,
                                            info.layer_count));
  if (size_bytes > kMaxBufferSizeBytes) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "%s buffer of %dx%d with %d layers needs at least %d bytes; the limit "
        "is %d (sizes must fit 32 bits)",
        format->name, info.width, info.height, info.layer_count, size_bytes,
        kMaxBufferSizeBytes));
  }
  return absl::OkStatus();
}

}  // namespace gralloc
