// Copyright 2026 The gralloc for Linux Authors.
//
// Fuzzes the one check every buffer request passes (hal/descriptor):
// ValidateDescriptor() and ParseDescriptorOptions() on descriptors built
// from the input, with dimensions, formats, usage words and option values
// drawn mostly from their edges (0, 1, INT32_MAX, INT64_MIN, ...) and
// option names mostly from the known ones.
//
// What is accepted must be what the header promises downstream code may
// trust: dimensions that fit int32_t, a format in the table, options in
// range, and a minimum size that fits kMaxBufferSizeBytes and bounds the
// size of any layout the allocator computes (allocator/layout, with no
// extra alignment), whose planes are wide and tall enough
// (layout_invariants.h).

#include <climits>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "allocator/layout/layout.h"
#include "hal/descriptor/descriptor.h"
#include "hal/format/format_table.h"
#include "hal/layout/buffer_layout.h"
#include "tests/fuzz/fuzz_check.h"
#include "tests/fuzz/layout_invariants.h"

namespace gralloc::fuzz {
namespace {

constexpr int64_t kEdges[] = {
    0,
    1,
    2,
    3,
    4,
    15,
    16,
    17,
    64,
    4095,
    4096,
    65535,
    65536,
    65537,
    1 << 20,
    INT32_MAX,
    -1,
    INT32_MIN,
    int64_t{INT32_MAX} + 1,
    INT64_MAX,
    INT64_MIN,
    UINT32_MAX,
};

// An edge value, or any i64.
int64_t TakeValue(FuzzInput& in) {
  const uint8_t choice = in.Take<uint8_t>();
  if (choice < 0x80) return kEdges[choice % std::size(kEdges)];
  if (choice < 0xc0) return in.Take<uint16_t>();
  return in.Take<int64_t>();
}

// A dimension: mostly small, sometimes an edge.
int64_t TakeDimension(FuzzInput& in) {
  const uint8_t choice = in.Take<uint8_t>();
  if (choice < 0xa0) return 1 + in.Take<uint16_t>() % 4096;
  return TakeValue(in);
}

constexpr const char* kOptionNames[] = {
    kDataspaceOptionName,          kDrmModifierOptionName,
    kLinearOnlyOptionName,         kPreferredHeapOptionName,
    kMinStrideAlignmentOptionName,
};

ExtendableType TakeOption(FuzzInput& in) {
  ExtendableType option;
  const uint8_t choice = in.Take<uint8_t>();
  if (choice < 0xe0) {
    option.name = kOptionNames[choice % std::size(kOptionNames)];
  } else {
    option.name = in.TakeString(300);
  }
  option.value = TakeValue(in);
  return option;
}

void CheckOptions(const std::vector<ExtendableType>& given,
                  const DescriptorOptions& parsed) {
  FUZZ_CHECK(given.size() <= kMaxDescriptorOptions, given.size(),
             " options accepted");
  for (const ExtendableType& option : given) {
    FUZZ_CHECK(IsKnownOption(option.name),
               "unknown option accepted: ", option.name);
  }
  FUZZ_CHECK(parsed.min_stride_alignment_bytes >= 1 &&
                 parsed.min_stride_alignment_bytes <=
                     static_cast<uint64_t>(kMaxMinStrideAlignmentBytes),
             "stride alignment ", parsed.min_stride_alignment_bytes);
  FUZZ_CHECK(parsed.drm_modifiers.size() <= given.size(), "modifiers");
  for (uint64_t modifier : parsed.drm_modifiers) {
    FUZZ_CHECK(modifier != 0x00ffffffffffffffull,
               "DRM_FORMAT_MOD_INVALID accepted");
  }
  FUZZ_CHECK(parsed.preferred_heap >= 0, "heap ", parsed.preferred_heap);
}

void CheckAccepted(const BufferDescriptorInfo& info) {
  FUZZ_CHECK(info.name.size() <= kMaxDescriptorNameBytes &&
                 info.name.find('\0') == std::string::npos,
             "name of ", info.name.size(), " bytes");
  FUZZ_CHECK(info.width >= 1 && info.width <= INT32_MAX && info.height >= 1 &&
                 info.height <= INT32_MAX && info.layer_count >= 1 &&
                 info.layer_count <= INT32_MAX,
             "dimensions ", info.width, "x", info.height, "x",
             info.layer_count);
  FUZZ_CHECK(
      info.reserved_size >= 0 && info.reserved_size <= kMaxReservedSizeBytes,
      "reserved ", info.reserved_size);
  const FormatInfo* format = FindFormat(info.format);
  FUZZ_CHECK(format != nullptr, "format ", info.format);
  const absl::Status rules = CheckFormatRules(*format, info.width, info.height);
  FUZZ_CHECK(rules.ok(), rules.ToString());
  const absl::StatusOr<DescriptorOptions> options =
      ParseDescriptorOptions(info.additional_options);
  FUZZ_CHECK(options.ok(), "options refused after the descriptor passed: ",
             options.status().ToString());
  CheckOptions(info.additional_options, *options);
  const absl::StatusOr<uint64_t> minimum = EstimateMinimumSizeBytes(
      *format, info.width, info.height, info.layer_count);
  FUZZ_CHECK(minimum.ok() && *minimum <= kMaxBufferSizeBytes && *minimum > 0,
             "minimum size ", minimum.status().ToString());

  // Any real layout is at least the minimum, and its planes hold the rows.
  if (format->layout != FormatLayout::kPlanes) return;
  const absl::StatusOr<BufferLayout> layout = ComputeLayout(
      *format, info.width, info.height, info.layer_count, LayoutConstraints{});
  if (!layout.ok()) return;  // a stride beyond 32 bits, say
  FUZZ_CHECK(layout->total_size_bytes >= *minimum, format->name, " ",
             info.width, "x", info.height, "x", info.layer_count,
             ": layout of ", layout->total_size_bytes,
             " bytes is below the minimum ", *minimum);
  const absl::Status geometry =
      CheckPlaneGeometry(*layout, info.width, info.height);
  FUZZ_CHECK(geometry.ok(), geometry.ToString());
  const absl::Status inside =
      CheckPlanesInsideAllocation(*layout, layout->total_size_bytes);
  FUZZ_CHECK(inside.ok(), inside.ToString());
}

}  // namespace
}  // namespace gralloc::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using gralloc::BufferDescriptorInfo;
  using gralloc::FormatInfo;
  gralloc::fuzz::FuzzInput in(data, size);
  BufferDescriptorInfo info;
  info.name = in.TakeString(160);
  info.width = gralloc::fuzz::TakeDimension(in);
  info.height = gralloc::fuzz::TakeDimension(in);
  info.layer_count = in.TakeBool() ? 1 : gralloc::fuzz::TakeDimension(in);
  // A format from the table, or any value.
  const uint8_t format_choice = in.Take<uint8_t>();
  const absl::Span<const FormatInfo> formats = gralloc::AllFormats();
  info.format = format_choice < 0xe0
                    ? formats[format_choice % formats.size()].android_value
                    : in.Take<int32_t>();
  info.usage = in.Take<uint64_t>();
  info.reserved_size = in.TakeBool() ? 0 : gralloc::fuzz::TakeValue(in);
  const size_t options = in.Take<uint8_t>() % 70;
  for (size_t i = 0; i < options && in.remaining() > 0; ++i) {
    info.additional_options.push_back(gralloc::fuzz::TakeOption(in));
  }

  const absl::StatusOr<gralloc::DescriptorOptions> parsed =
      gralloc::ParseDescriptorOptions(info.additional_options);
  if (parsed.ok())
    gralloc::fuzz::CheckOptions(info.additional_options, *parsed);
  const absl::Status valid = gralloc::ValidateDescriptor(info);
  if (valid.ok()) {
    gralloc::fuzz::CheckAccepted(info);
  } else {
    FUZZ_CHECK(absl::IsInvalidArgument(valid) || absl::IsUnimplemented(valid),
               "a refusal that is neither InvalidArgument nor Unimplemented: ",
               valid.ToString());
  }
  return 0;
}
