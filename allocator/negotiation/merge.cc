// Copyright 2026 The gralloc for Linux Authors.

#include "allocator/negotiation/merge.h"

#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "hal/base/page_size.h"
#include "hal/base/status_macros.h"
#include "hal/usage/usage.h"

namespace gralloc {
namespace {

std::string Who(const ParticipantProfile& entry, Participant p) {
  return absl::StrCat(ParticipantName(p), " (", entry.source, ")");
}

// The entry of `entry.formats` that serves `format`, or nullptr. An empty
// list serves any format (linear only). The display also takes a format
// with alpha through its opaque twin (see merge.h).
const FormatSupport* Supports(Participant participant,
                              const ParticipantProfile& entry,
                              const FormatInfo& format) {
  static const FormatSupport kAnyLinear;
  if (entry.formats.empty()) return &kAnyLinear;
  for (const FormatSupport& support : entry.formats) {
    if (support.fourcc != 0 && support.fourcc == format.drm_fourcc) {
      return &support;
    }
    if (support.android_format != 0 &&
        support.android_format == format.android_value) {
      return &support;
    }
  }
  const uint32_t twin = OpaqueTwinFourcc(format.drm_fourcc);
  if (participant == Participant::kDisplay && twin != 0) {
    for (const FormatSupport& support : entry.formats) {
      if (support.fourcc == twin) return &support;
    }
  }
  return nullptr;
}

std::vector<uint64_t> ModifiersOf(const FormatSupport& support) {
  if (support.modifiers.empty()) return {kLinearModifier};
  return support.modifiers;
}

int HeapAddressBits(const Profile& profile, const HeapIdentity& heap) {
  for (const HeapProperties& properties : profile.heap_properties) {
    if (properties.heap == heap.name) return properties.address_bits;
  }
  for (const HeapProperties& properties : profile.heap_properties) {
    if (properties.heap == heap.class_name()) return properties.address_bits;
  }
  return 64;
}

// One LCM-merged alignment: its value and "display=64"-style sources.
struct Alignment {
  Alignment(absl::string_view field_name, absl::string_view unit_name,
            uint64_t ParticipantProfile::*profile_member)
      : field(field_name), unit(unit_name), member(profile_member) {}

  absl::string_view field;  // "stride alignment"
  absl::string_view unit;   // "bytes", "rows"
  uint64_t ParticipantProfile::*member;
  uint64_t value = 1;
  std::vector<std::string> from;
};

absl::Status MergeAlignment(Participant p, const ParticipantProfile& entry,
                            Alignment* alignment) {
  const uint64_t value = entry.*(alignment->member);
  if (value == 0) {
    return Refusal(alignment->field, absl::StrCat(Who(entry, p), " gives 0"));
  }
  if (value > 1) {
    alignment->from.push_back(absl::StrCat(ParticipantName(p), "=", value));
  }
  if (!CheckedLcm(alignment->value, value, &alignment->value)) {
    return Refusal(alignment->field,
                   absl::StrCat("the LCM including ", Who(entry, p),
                                " overflows 64 bits"));
  }
  return absl::OkStatus();
}

std::string From(const std::vector<std::string>& from) {
  return from.empty() ? "(nobody asks for more)"
                      : absl::StrCat("LCM of ", absl::StrJoin(from, ", "));
}

// The participants of `merged` whose own `member` alignment `value` is not a
// multiple of, with their values: "codec=16".
std::string Failing(const Profile& profile, const Merged& merged,
                    uint64_t ParticipantProfile::*member, uint64_t value) {
  std::vector<std::string> failing;
  for (Participant p : merged.who) {
    const uint64_t wanted = profile.at(p).*member;
    if (wanted > 1 && value % wanted != 0) {
      failing.push_back(absl::StrCat(ParticipantName(p), "=", wanted));
    }
  }
  return absl::StrJoin(failing, ", ");
}

}  // namespace

absl::Status Refusal(absl::string_view field, absl::string_view why) {
  return absl::UnimplementedError(absl::StrCat("refused: ", field, ": ", why));
}

std::string Names(const std::vector<Participant>& participants) {
  std::vector<std::string> names;
  for (Participant p : participants) names.emplace_back(ParticipantName(p));
  return names.empty() ? "nobody" : absl::StrJoin(names, ", ");
}

absl::StatusOr<Merged> MergeUsage(const Profile& profile, uint64_t usage,
                                  const DescriptorOptions& caller) {
  Merged merged;
  merged.caller_modifiers = caller.drm_modifiers;
  merged.linear_only = caller.linear_only;
  merged.participants = SelectParticipants(usage);
  for (const SelectedParticipant& s : merged.participants) {
    merged.who.push_back(s.participant);
    if (s.participant != Participant::kCpu) merged.any_device = true;
    const ParticipantProfile& entry = profile.at(s.participant);
    merged.participant_trace.push_back(
        absl::StrCat("participant ", ParticipantName(s.participant), " <- ",
                     s.reason, " [", entry.source, "]"));
    if (!entry.present) {
      return Refusal(
          "participants",
          absl::StrCat(s.reason, " names ", ParticipantName(s.participant),
                       ", which ", entry.source, " says this platform lacks"));
    }
  }

  // Protected: all or nothing.
  merged.is_protected = std::find(merged.who.begin(), merged.who.end(),
                                  Participant::kProtected) != merged.who.end();
  if (merged.is_protected) {
    if (HasCpuAccess(usage)) {
      return Refusal("protected",
                     absl::StrCat("PROTECTED buffers cannot have CPU access (",
                                  UsageToString(usage & 0xff), ")"));
    }
    std::vector<Participant> unable;
    for (Participant p : merged.who) {
      if (p != Participant::kProtected && !profile.at(p).supports_protected) {
        unable.push_back(p);
      }
    }
    if (!unable.empty()) {
      return Refusal("protected", absl::StrCat(Names(unable),
                                               " cannot access protected "
                                               "memory"));
    }
  }

  using P = ParticipantProfile;
  Alignment stride("stride alignment", "bytes", &P::stride_alignment_bytes);
  Alignment height("height alignment", "rows", &P::height_alignment_rows);
  Alignment plane("plane alignment", "bytes", &P::plane_alignment_bytes);
  Alignment base("base alignment", "bytes", &P::base_alignment_bytes);
  std::vector<std::pair<Participant, CachePolicy>> preferred;
  for (Participant p : merged.who) {
    const ParticipantProfile& entry = profile.at(p);
    for (Alignment* alignment : {&stride, &height, &base, &plane}) {
      RETURN_IF_ERROR(MergeAlignment(p, entry, alignment));
    }
    if (entry.contiguous) merged.contiguous_from.push_back(p);
    CachePolicy cache = entry.cache;
    bool required = entry.cache_required;
    if (p == Participant::kCpu && cache == CachePolicy::kAny &&
        CpuAccessIsFrequent(usage)) {
      // Frequent CPU access wants caches, but that is the usage's hint,
      // not the profile's requirement: it stays a preference even when the
      // profile marks the CPU's (absent) policy required.
      cache = CachePolicy::kCached;
      required = false;
    }
    if (cache != CachePolicy::kAny) {
      if (required) {
        if (merged.required_cache != CachePolicy::kAny &&
            merged.required_cache != cache) {
          return Refusal(
              "cache policy",
              absl::StrCat(Names(merged.required_cache_from), " require ",
                           CachePolicyName(merged.required_cache),
                           " memory but ", Who(entry, p), " requires ",
                           CachePolicyName(cache)));
        }
        merged.required_cache = cache;
        merged.required_cache_from.push_back(p);
      } else {
        preferred.emplace_back(p, cache);
      }
    }
    if (entry.dma_address_bits < merged.dma_address_bits) {
      merged.dma_address_bits = entry.dma_address_bits;
      merged.dma_address_from = {p};
    }
  }
  if (caller.min_stride_alignment_bytes > 1) {
    stride.from.push_back(
        absl::StrCat("caller=", caller.min_stride_alignment_bytes));
    if (!CheckedLcm(stride.value, caller.min_stride_alignment_bytes,
                    &stride.value)) {
      return Refusal("stride alignment",
                     "the LCM including the caller's overflows 64 bits");
    }
  }
  // Heaps hand out page-aligned memory and promise nothing more, so a base
  // alignment that does not divide the (smallest, 4 KiB) page cannot be met.
  if (kMinPageSizeBytes % base.value != 0) {
    return Refusal("base alignment",
                   absl::StrCat(From(base.from), " = ", base.value,
                                " bytes, beyond the ", kMinPageSizeBytes,
                                "-byte alignment every heap guarantees"));
  }
  merged.constraints.stride_alignment_bytes = stride.value;
  merged.constraints.height_alignment_rows = height.value;
  merged.constraints.plane_alignment_bytes = plane.value;
  merged.base_alignment_bytes = base.value;
  for (const Alignment* alignment : {&stride, &height, &plane, &base}) {
    merged.trace.push_back(absl::StrCat(alignment->field, " ", alignment->value,
                                        " ", alignment->unit, ": ",
                                        From(alignment->from)));
  }
  merged.trace.push_back(merged.contiguous()
                             ? absl::StrCat("contiguous: required by ",
                                            Names(merged.contiguous_from))
                             : "contiguous: nobody needs it");

  // Preferences agree or are dropped.
  bool preference_conflict = false;
  for (const auto& [p, policy] : preferred) {
    if (merged.required_cache != CachePolicy::kAny &&
        policy != merged.required_cache) {
      merged.trace.push_back(absl::StrCat(
          "cache: dropped ", ParticipantName(p), "'s preference for ",
          CachePolicyName(policy), " (", Names(merged.required_cache_from),
          " require ", CachePolicyName(merged.required_cache), ")"));
      continue;
    }
    if (merged.preferred_cache != CachePolicy::kAny &&
        merged.preferred_cache != policy) {
      preference_conflict = true;
    }
    merged.preferred_cache = policy;
  }
  if (preference_conflict) {
    merged.trace.push_back("cache: preferences conflict and are dropped");
    merged.preferred_cache = CachePolicy::kAny;
  }
  return merged;
}

absl::StatusOr<std::vector<uint64_t>> MergeFormat(const Profile& profile,
                                                  const Merged& merged,
                                                  const FormatInfo& format) {
  std::vector<Participant> lacking;
  // When nobody takes part, the caller's list or linear.
  std::vector<uint64_t> modifiers = merged.caller_modifiers.empty()
                                        ? std::vector<uint64_t>{kLinearModifier}
                                        : merged.caller_modifiers;
  bool first = true;
  for (Participant p : merged.who) {
    const FormatSupport* support = Supports(p, profile.at(p), format);
    if (support == nullptr) {
      lacking.push_back(p);
      continue;
    }
    const std::vector<uint64_t> theirs = ModifiersOf(*support);
    if (first) {
      modifiers = theirs;
      first = false;
      continue;
    }
    modifiers.erase(std::remove_if(modifiers.begin(), modifiers.end(),
                                   [&](uint64_t m) {
                                     return std::find(theirs.begin(),
                                                      theirs.end(),
                                                      m) == theirs.end();
                                   }),
                    modifiers.end());
  }
  if (!lacking.empty()) {
    return Refusal("format", absl::StrCat(format.name, " (not supported by ",
                                          Names(lacking), ")"));
  }
  // The caller's constraints keep the participants' order.
  const std::vector<uint64_t>& listed = merged.caller_modifiers;
  modifiers.erase(
      std::remove_if(modifiers.begin(), modifiers.end(),
                     [&](uint64_t m) {
                       return (merged.linear_only && m != kLinearModifier) ||
                              (!listed.empty() &&
                               std::find(listed.begin(), listed.end(), m) ==
                                   listed.end());
                     }),
      modifiers.end());
  if (modifiers.empty()) {
    return Refusal(
        "format",
        absl::StrCat(
            format.name, " (no DRM modifier common to ", Names(merged.who),
            listed.empty() ? "" : " and the caller's list",
            merged.linear_only ? " and the caller's linear-only" : "", ")"));
  }
  return modifiers;
}

absl::Status CheckLayout(const Profile& profile, const Merged& merged,
                         const BufferLayout& layout, int64_t width,
                         int64_t height, int64_t layer_count) {
  const LayoutConstraints& c = merged.constraints;
  for (int i = 0; i < layout.plane_count; ++i) {
    const LaidOutPlane& plane = layout.planes[i];
    if (plane.stride_bytes % c.stride_alignment_bytes != 0) {
      return Refusal(
          "stride alignment",
          absl::StrCat("plane ", i, " stride ", plane.stride_bytes,
                       " is not a multiple of ",
                       Failing(profile, merged,
                               &ParticipantProfile::stride_alignment_bytes,
                               plane.stride_bytes)));
    }
    if (plane.offset_bytes % c.plane_alignment_bytes != 0) {
      return Refusal(
          "plane alignment",
          absl::StrCat("plane ", i, " offset ", plane.offset_bytes,
                       " is not a multiple of ",
                       Failing(profile, merged,
                               &ParticipantProfile::plane_alignment_bytes,
                               plane.offset_bytes)));
    }
  }
  if (layer_count > 1 &&
      layout.layer_size_bytes % c.plane_alignment_bytes != 0) {
    return Refusal(
        "plane alignment",
        layout.layer_size_bytes == 0
            ? absl::StrCat("the distance between layers is unknown, so later "
                           "layers cannot be shown to be aligned to ",
                           c.plane_alignment_bytes, " bytes")
            : absl::StrCat("layers ", layout.layer_size_bytes,
                           " bytes apart put later planes off ",
                           Failing(profile, merged,
                                   &ParticipantProfile::plane_alignment_bytes,
                                   layout.layer_size_bytes)));
  }
  if (layout.Rows() % c.height_alignment_rows != 0) {
    return Refusal(
        "height alignment",
        absl::StrCat(
            layout.Rows(), " rows are not a multiple of ",
            Failing(profile, merged, &ParticipantProfile::height_alignment_rows,
                    layout.Rows())));
  }
  for (Participant p : merged.who) {
    const ParticipantProfile& entry = profile.at(p);
    if (entry.max_width > 0 && width > entry.max_width) {
      return Refusal("max width",
                     absl::StrCat(Who(entry, p), " handles at most ",
                                  entry.max_width, " px, not ", width));
    }
    if (entry.max_height > 0 && height > entry.max_height) {
      return Refusal("max height",
                     absl::StrCat(Who(entry, p), " handles at most ",
                                  entry.max_height, " rows, not ", height));
    }
    if (entry.max_size_bytes > 0 &&
        layout.total_size_bytes > entry.max_size_bytes) {
      return Refusal(
          "max size",
          absl::StrCat(Who(entry, p), " handles at most ", entry.max_size_bytes,
                       " bytes, not ", layout.total_size_bytes));
    }
  }
  return absl::OkStatus();
}

HeapFit FitHeap(const Profile& profile, const Merged& merged,
                const HeapIdentity& heap) {
  if (heap.caps.is_protected != merged.is_protected) {
    return {"protected", merged.is_protected ? "not protected" : "protected"};
  }
  if (merged.is_protected &&
      std::find(profile.protected_heaps.begin(), profile.protected_heaps.end(),
                heap.name) == profile.protected_heaps.end()) {
    return {"protected", "not named protected by the profile"};
  }
  if (merged.contiguous() && !heap.caps.contiguous) {
    return {"contiguous",
            absl::StrCat("not contiguous (", Names(merged.contiguous_from),
                         " need it)")};
  }
  if (merged.required_cache == CachePolicy::kCached && !heap.caps.cached) {
    return {"cache policy",
            absl::StrCat("uncached (", Names(merged.required_cache_from),
                         " require cached)")};
  }
  if (merged.required_cache == CachePolicy::kUncached && heap.caps.cached) {
    return {"cache policy",
            absl::StrCat("cached (", Names(merged.required_cache_from),
                         " require uncached)")};
  }
  if (HeapAddressBits(profile, heap) > merged.dma_address_bits) {
    return {
        "dma address",
        absl::StrCat("allocates above ", merged.dma_address_bits,
                     "-bit addresses (", Names(merged.dma_address_from), ")")};
  }
  for (Participant p : merged.who) {
    const ParticipantProfile& entry = profile.at(p);
    if (!entry.heaps.empty() &&
        std::none_of(
            entry.heaps.begin(), entry.heaps.end(),
            [&](const std::string& name) { return heap.Matches(name); })) {
      return {"heap",
              absl::StrCat("not among ", ParticipantName(p), "'s heaps")};
    }
  }
  return {};
}

}  // namespace gralloc
