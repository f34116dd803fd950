// Copyright 2026 The gralloc for Linux Authors.

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "hal/base/fourcc.h"
#include "hal/format/format_table.h"
#include "tools/gralloctl/commands.h"

namespace gralloc::cli {
namespace {

// "R8@0 G8@8 B8@16 A8@24 /32b" or "CR8@0 CB8@8 /16b 2x2".
std::string DescribePlane(const PlaneInfo& plane) {
  std::vector<std::string> parts;
  for (const ComponentInfo& c : plane.Components()) {
    if (c.size_in_bits < 0 || c.offset_in_bits < 0) {
      parts.push_back(absl::StrCat(ComponentTypeName(c.type), "(packed)"));
    } else {
      parts.push_back(absl::StrCat(ComponentTypeName(c.type), c.size_in_bits,
                                   "@", c.offset_in_bits));
    }
  }
  if (parts.empty()) parts.push_back("bytes");
  std::string text = absl::StrJoin(parts, " ");
  absl::StrAppend(&text, " /", plane.bits_per_sample, "b");
  if (plane.horizontal_subsampling != 1 || plane.vertical_subsampling != 1) {
    absl::StrAppend(&text, " ", plane.horizontal_subsampling, "x",
                    plane.vertical_subsampling);
  }
  return text;
}

}  // namespace

absl::Status RunFormats(absl::Span<const std::string> args, std::ostream& out) {
  if (!args.empty()) {
    return absl::InvalidArgumentError("formats takes no arguments");
  }
  out << absl::StrFormat("%-24s %-10s %-6s %s\n", "FORMAT", "VALUE", "FOURCC",
                         "PLANES (component bits@offset /sample bits, "
                         "subsampling)");
  for (const FormatInfo& format : AllFormats()) {
    std::string planes;
    if (format.layout == FormatLayout::kFlexible) {
      planes = "flexible: the allocator chooses the layout";
    } else {
      std::vector<std::string> described;
      for (const PlaneInfo& plane : format.Planes()) {
        described.push_back(DescribePlane(plane));
      }
      planes = absl::StrJoin(described, " | ");
    }
    std::vector<std::string> rules;
    if (format.rules.height_must_be_one) rules.push_back("height 1");
    if (format.rules.width_multiple > 1) {
      rules.push_back(absl::StrCat("width %", format.rules.width_multiple));
    }
    if (format.rules.stride_alignment_pixels > 1) {
      rules.push_back(
          absl::StrCat("stride %", format.rules.stride_alignment_pixels, "px"));
    }
    if (!rules.empty()) {
      absl::StrAppend(&planes, "  [", absl::StrJoin(rules, ", "), "]");
    }
    out << absl::StrFormat("%-24s 0x%-8x %-6s %s\n", format.name,
                           static_cast<uint32_t>(format.android_value),
                           FourccToString(format.drm_fourcc), planes);
  }
  return absl::OkStatus();
}

}  // namespace gralloc::cli
