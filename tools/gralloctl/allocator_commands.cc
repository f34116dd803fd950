// Copyright 2026 The gralloc for Linux Authors.
//
// gralloctl heaps and explain: what this machine has, and how a buffer
// description is negotiated on it.

#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "allocator/allocator.h"
#include "allocator/heaps/heap_registry.h"
#include "allocator/negotiation/negotiate.h"
#include "allocator/negotiation/profile.h"
#include "hal/base/fourcc.h"
#include "hal/base/status_macros.h"
#include "hal/format/format_table.h"
#include "hal/usage/usage.h"
#include "tools/gralloctl/commands.h"
#include "tools/gralloctl/flags.h"

namespace gralloc::cli {
namespace {

std::string Formats(const ParticipantProfile& entry) {
  if (entry.formats.empty()) return "any (linear)";
  std::vector<std::string> names;
  for (const FormatSupport& support : entry.formats) {
    std::string name;
    if (const FormatInfo* format = FindFormat(support.android_format)) {
      name = std::string(format->name);
    } else {
      name = FourccToString(support.fourcc);
    }
    if (!support.modifiers.empty()) {
      absl::StrAppend(&name, "{", support.modifiers.size(), " modifiers}");
    }
    names.push_back(name);
  }
  return absl::StrJoin(names, " ");
}

void PrintParticipant(const SelectedParticipant& selected,
                      const ParticipantProfile& entry, std::ostream& out) {
  out << absl::StrFormat(
      "  %-9s <- %s\n", ParticipantName(selected.participant), selected.reason);
  out << absl::StrFormat("            from: %s\n", entry.source);
  out << absl::StrFormat("            formats: %s\n", Formats(entry));
  out << absl::StrFormat(
      "            stride %d B, height %d rows, plane %d B, base %d B%s\n",
      entry.stride_alignment_bytes, entry.height_alignment_rows,
      entry.plane_alignment_bytes, entry.base_alignment_bytes,
      entry.contiguous ? ", contiguous" : "");
  out << absl::StrFormat(
      "            cache %s%s, heaps %s%s%s\n", CachePolicyName(entry.cache),
      entry.cache == CachePolicy::kAny
          ? ""
          : (entry.cache_required ? " (required)" : " (preferred)"),
      entry.heaps.empty() ? "any" : absl::StrJoin(entry.heaps, ","),
      entry.dma_address_bits < 64
          ? absl::StrCat(", DMA below 2^", entry.dma_address_bits)
          : "",
      entry.max_width > 0 || entry.max_height > 0
          ? absl::StrCat(", max ", entry.max_width, "x", entry.max_height)
          : "");
}

void PrintLayout(const Plan& plan, std::ostream& out) {
  out << absl::StrFormat("  %-5s %-12s %-10s %-12s %-11s %s\n", "plane",
                         "offset", "stride B", "size B", "samples",
                         "components");
  const std::vector<PlaneLayout> planes = ToPlaneLayouts(plan.layout);
  for (size_t i = 0; i < planes.size(); ++i) {
    const PlaneLayout& plane = planes[i];
    std::vector<std::string> components;
    for (const ComponentInfo& c : plan.layout.format->planes[i].Components()) {
      components.push_back(
          absl::StrCat(ComponentTypeName(c.type), c.size_in_bits));
    }
    out << absl::StrFormat(
        "  %-5d %-12d %-10d %-12d %-11s %s\n", i, plane.offset_in_bytes,
        plane.stride_in_bytes, plane.total_size_in_bytes,
        absl::StrCat(plane.width_in_samples, "x", plane.height_in_samples),
        components.empty() ? "bytes" : absl::StrJoin(components, " "));
  }
  out << absl::StrFormat("  total %d bytes, stride %d px\n",
                         plan.layout.total_size_bytes, plan.layout.stride_px);
}

}  // namespace

absl::Status RunHeaps(absl::Span<const std::string> args, std::ostream& out) {
  Flags flags;
  RETURN_IF_ERROR(flags.Parse(args, {}));
  HeapRegistry registry = HeapRegistry::Probe(ProbeOptions());
  out << "Heaps on this machine, in preference order:\n" << registry.Describe();
  ASSIGN_OR_RETURN(std::unique_ptr<Allocator> allocator,
                   Allocator::Create(BuiltinProfile(), std::move(registry)));
  struct Example {
    const char* what;
    const char* usage;
    const char* format;
  };
  const Example examples[] = {
      {"CPU only", "CPU_READ_OFTEN|CPU_WRITE_OFTEN", "RGBA_8888"},
      {"GPU texture", "GPU_TEXTURE|CPU_WRITE_RARELY", "RGBA_8888"},
      {"camera -> encoder + display",
       "CAMERA_OUTPUT|VIDEO_ENCODER|COMPOSER_OVERLAY", "YCBCR_420_888"},
      {"scanout", "COMPOSER_OVERLAY|GPU_RENDER_TARGET", "RGBX_8888"},
  };
  out << "\nWhich heap serves what (built-in generic profile):\n";
  for (const Example& example : examples) {
    BufferDescriptorInfo info;
    info.name = "heaps";
    info.width = 1920;
    info.height = 1080;
    info.layer_count = 1;
    info.format = FindFormatByName(example.format)->android_value;
    info.usage = *ParseUsage(example.usage);
    absl::StatusOr<Plan> plan = allocator->Explain(info);
    out << absl::StrFormat(
        "  %-28s %s\n", example.what,
        plan.ok()
            ? absl::StrCat(plan->heap.name, " (", plan->heap.class_name(), ")")
            : std::string(plan.status().message()));
  }
  return absl::OkStatus();
}

absl::Status RunExplain(absl::Span<const std::string> args, std::ostream& out) {
  Flags flags;
  std::vector<std::string> known = kDescriptorFlags;
  known.insert(known.end(), {"heaps", "profile"});
  RETURN_IF_ERROR(flags.Parse(args, known));
  ASSIGN_OR_RETURN(BufferDescriptorInfo info,
                   DescriptorFromFlags(flags, "explain", "CPU_READ_OFTEN"));
  const std::string format_name = FormatName(info.format);

  ASSIGN_OR_RETURN(Profile profile,
                   LoadProfileForCli(flags.Get("profile", "")));
  std::vector<HeapIdentity> heaps;
  std::string heaps_from;
  if (flags.Has("heaps")) {
    for (absl::string_view name :
         absl::StrSplit(flags.Get("heaps", ""), ',', absl::SkipEmpty())) {
      ASSIGN_OR_RETURN(HeapIdentity heap, HeapIdentityFromName(name));
      heaps.push_back(heap);
    }
    heaps_from = "as given by --heaps";
  } else {
    HeapRegistry registry = HeapRegistry::Probe(ProbeOptions());
    for (const std::unique_ptr<Heap>& heap : registry.heaps()) {
      heaps.push_back(heap->identity());
    }
    heaps_from = "probed on this machine";
  }
  std::vector<std::string> heap_names;
  for (const HeapIdentity& heap : heaps) heap_names.push_back(heap.name);

  out << absl::StrFormat("Descriptor: %dx%d %s, %d layer(s), usage %s\n",
                         info.width, info.height, format_name, info.layer_count,
                         UsageToString(info.usage));
  out << absl::StrFormat("Profile:    %s (%s)\n", profile.name, profile.source);
  out << absl::StrFormat(
      "Heaps:      %s (%s)\n",
      heap_names.empty() ? "none" : absl::StrJoin(heap_names, ", "),
      heaps_from);

  out << "\nParticipants and their constraints:\n";
  absl::Status usage_ok = ValidateUsage(info.usage);
  if (usage_ok.ok()) {
    for (const SelectedParticipant& selected : SelectParticipants(info.usage)) {
      PrintParticipant(selected, profile.at(selected.participant), out);
    }
  }
  absl::StatusOr<Plan> plan = Negotiate(profile, heaps, info);
  if (!plan.ok()) {
    out << "\nResult: REFUSED\n  " << plan.status().message() << "\n";
    return absl::OkStatus();
  }
  out << "\nMerged:\n";
  for (const std::string& line : plan->trace) {
    if (absl::StartsWith(line, "participant ")) continue;
    out << "  " << line << "\n";
  }
  out << "\nLayout (" << plan->layout.format->name << ", DRM "
      << FourccToString(plan->layout.format->drm_fourcc) << ", modifier 0x"
      << absl::StrCat(absl::Hex(plan->layout.modifier)) << "):\n";
  PrintLayout(*plan, out);
  out << "\nResult: heap " << plan->heap.name << " (" << plan->heap.class_name()
      << (plan->heap.caps.contiguous ? ", contiguous" : "")
      << (plan->heap.caps.cached ? ", cached" : ", uncached") << ")"
      << (plan->heap.caps.device_importable
              ? ""
              : " -- memfd: no device can import this")
      << "\n";
  return absl::OkStatus();
}

}  // namespace gralloc::cli
