// Copyright 2026 The gralloc for Linux Authors.

#include "allocator/negotiation/negotiate.h"

#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "hal/base/page_size.h"
#include "hal/base/status_macros.h"
#include "hal/types/pixel_format.h"
#include "hal/usage/usage.h"

namespace gralloc {
namespace {

// Every heap returns page-aligned memory; nothing guarantees more.
constexpr uint64_t kHeapBaseAlignmentBytes = kMinPageSizeBytes;

absl::Status Refuse(absl::string_view field, absl::string_view why) {
  return absl::UnimplementedError(absl::StrCat("refused: ", field, ": ", why));
}

std::string Names(const std::vector<Participant>& participants) {
  std::vector<std::string> names;
  for (Participant p : participants) names.emplace_back(ParticipantName(p));
  return names.empty() ? "nobody" : absl::StrJoin(names, ", ");
}

std::string Who(const ParticipantProfile& entry, Participant p) {
  return absl::StrCat(ParticipantName(p), " (", entry.source, ")");
}

// --- format resolution -------------------------------------------------------

const FormatInfo* Row(PixelFormat format) {
  return FindFormat(static_cast<int32_t>(format));
}

bool Selected(const std::vector<SelectedParticipant>& selected,
              Participant participant) {
  return std::any_of(selected.begin(), selected.end(),
                     [&](const SelectedParticipant& s) {
                       return s.participant == participant;
                     });
}

// The concrete layouts `format` may be given, most preferred first.
std::vector<const FormatInfo*> Candidates(
    const FormatInfo& format,
    const std::vector<SelectedParticipant>& selected) {
  if (format.layout == FormatLayout::kPlanes) return {&format};
  const FormatInfo* nv12 =
      FlexibleLayouts().empty() ? nullptr : &FlexibleLayouts()[0];
  std::vector<const FormatInfo*> yuv420 = {nv12, Row(PixelFormat::YCRCB_420_SP),
                                           Row(PixelFormat::YV12)};
  switch (static_cast<PixelFormat>(format.android_value)) {
    case PixelFormat::YCBCR_420_888:
      return yuv420;
    case PixelFormat::IMPLEMENTATION_DEFINED:
      // Camera and codec users get a 4:2:0 YUV layout, others RGB; a
      // buffer only the display reads needs no alpha.
      if (Selected(selected, Participant::kCamera) ||
          Selected(selected, Participant::kCodec)) {
        return yuv420;
      }
      if (Selected(selected, Participant::kDisplay) &&
          !Selected(selected, Participant::kGpu)) {
        return {Row(PixelFormat::RGBX_8888), Row(PixelFormat::RGBA_8888)};
      }
      return {Row(PixelFormat::RGBA_8888), Row(PixelFormat::RGBX_8888)};
    case PixelFormat::RAW_OPAQUE:
      return {Row(PixelFormat::RAW16)};
    default:
      return {};
  }
}

// The entry of `entry.formats` that serves `format`, or nullptr. An empty
// list serves any format (linear only).
const FormatSupport* Supports(const ParticipantProfile& entry,
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
  return nullptr;
}

std::vector<uint64_t> ModifiersOf(const FormatSupport& support) {
  if (support.modifiers.empty()) return {kLinearModifier};
  return support.modifiers;
}

// --- heaps -------------------------------------------------------------------

bool HeapListed(const std::vector<std::string>& list,
                const HeapIdentity& heap) {
  return std::any_of(list.begin(), list.end(), [&](const std::string& name) {
    return heap.Matches(name);
  });
}

size_t HeapRank(const Profile& profile, const HeapIdentity& heap) {
  for (size_t i = 0; i < profile.heap_order.size(); ++i) {
    if (heap.Matches(profile.heap_order[i])) return i;
  }
  return profile.heap_order.size();
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

struct Merge {
  std::vector<Participant> who;  // device participants and the CPU
  uint64_t stride = 1, height = 1, base = 1, plane = 1;
  std::vector<std::string> stride_from, height_from, base_from, plane_from;
  std::vector<Participant> contiguous_from;
  CachePolicy required = CachePolicy::kAny;
  std::vector<Participant> required_from;
  std::vector<std::pair<Participant, CachePolicy>> preferred;
  int address_bits = 64;
  std::vector<Participant> address_from;
};

absl::Status MergeAlignment(uint64_t value, Participant p,
                            const ParticipantProfile& entry,
                            absl::string_view field, uint64_t* merged,
                            std::vector<std::string>* from) {
  if (value == 0) {
    return Refuse(field, absl::StrCat(Who(entry, p), " gives 0"));
  }
  if (value > 1) from->push_back(absl::StrCat(ParticipantName(p), "=", value));
  if (!CheckedLcm(*merged, value, merged)) {
    return Refuse(field, absl::StrCat("the LCM including ", Who(entry, p),
                                      " overflows 64 bits"));
  }
  return absl::OkStatus();
}

std::string From(const std::vector<std::string>& from) {
  return from.empty() ? "(nobody asks for more)"
                      : absl::StrCat("LCM of ", absl::StrJoin(from, ", "));
}

}  // namespace

absl::StatusOr<Plan> Negotiate(const Profile& profile,
                               absl::Span<const HeapIdentity> heaps,
                               const BufferDescriptorInfo& descriptor) {
  // 1. At the door. Unknown usage bits and options are "unsupported", the
  // rest of a bad descriptor is "bad descriptor".
  if (absl::Status usage = ValidateUsage(descriptor.usage); !usage.ok()) {
    return absl::UnimplementedError(usage.message());
  }
  for (const ExtendableType& option : descriptor.additional_options) {
    if (option.name != kDataspaceOptionName) {
      return absl::UnimplementedError(
          absl::StrCat("unknown additional option '", option.name, "'"));
    }
  }
  RETURN_IF_ERROR(ValidateDescriptor(descriptor));
  const FormatInfo* requested = FindFormat(descriptor.format);
  if (requested == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("unknown format ", descriptor.format));
  }

  Plan plan;
  // 2. Participants.
  plan.participants = SelectParticipants(descriptor.usage);
  std::vector<Participant> everyone;
  for (const SelectedParticipant& s : plan.participants) {
    everyone.push_back(s.participant);
    const ParticipantProfile& entry = profile.at(s.participant);
    plan.trace.push_back(absl::StrCat("participant ",
                                      ParticipantName(s.participant), " <- ",
                                      s.reason, " [", entry.source, "]"));
    if (!entry.present) {
      return Refuse(
          "participants",
          absl::StrCat(s.reason, " names ", ParticipantName(s.participant),
                       ", which ", entry.source, " says this platform lacks"));
    }
  }
  const bool cpu = HasCpuAccess(descriptor.usage);

  // 3. Protected: all or nothing.
  plan.is_protected = Selected(plan.participants, Participant::kProtected);
  if (plan.is_protected) {
    if (cpu) {
      return Refuse("protected",
                    absl::StrCat("PROTECTED buffers cannot have CPU access (",
                                 UsageToString(descriptor.usage & 0xff), ")"));
    }
    std::vector<Participant> unable;
    for (Participant p : everyone) {
      if (p != Participant::kProtected && !profile.at(p).supports_protected) {
        unable.push_back(p);
      }
    }
    if (!unable.empty()) {
      return Refuse(
          "protected",
          absl::StrCat(Names(unable), " cannot access protected memory"));
    }
  }

  // 4. Format and modifier.
  const std::vector<const FormatInfo*> candidates =
      Candidates(*requested, plan.participants);
  if (candidates.empty()) {
    return Refuse(
        "format",
        absl::StrCat(requested->name, " has no layout this allocator makes"));
  }
  const FormatInfo* chosen = nullptr;
  uint64_t modifier = kLinearModifier;
  std::vector<std::string> rejections;
  for (const FormatInfo* candidate : candidates) {
    if (candidate == nullptr) continue;
    std::vector<Participant> lacking;
    std::vector<uint64_t> modifiers;
    bool first = true;
    for (Participant p : everyone) {
      const FormatSupport* support = Supports(profile.at(p), *candidate);
      if (support == nullptr) {
        lacking.push_back(p);
        continue;
      }
      std::vector<uint64_t> theirs = ModifiersOf(*support);
      if (first) {
        modifiers = theirs;
        first = false;
      } else {
        modifiers.erase(std::remove_if(modifiers.begin(), modifiers.end(),
                                       [&](uint64_t m) {
                                         return std::find(theirs.begin(),
                                                          theirs.end(),
                                                          m) == theirs.end();
                                       }),
                        modifiers.end());
      }
    }
    if (first) modifiers = {kLinearModifier};  // no participant at all
    if (!lacking.empty()) {
      rejections.push_back(absl::StrCat(candidate->name, " (not supported by ",
                                        Names(lacking), ")"));
      continue;
    }
    if (modifiers.empty()) {
      rejections.push_back(absl::StrCat(candidate->name,
                                        " (no DRM modifier common to ",
                                        Names(everyone), ")"));
      continue;
    }
    chosen = candidate;
    modifier = modifiers.front();
    break;
  }
  if (chosen == nullptr) {
    return Refuse("format",
                  absl::StrCat(requested->name, " for ", Names(everyone), ": ",
                               absl::StrJoin(rejections, "; ")));
  }
  plan.trace.push_back(absl::StrCat("format ", chosen->name, " (requested ",
                                    requested->name, "), modifier 0x",
                                    absl::Hex(modifier)));

  // 5. Merge the rest.
  Merge merge;
  for (Participant p : everyone) {
    const ParticipantProfile& entry = profile.at(p);
    RETURN_IF_ERROR(MergeAlignment(entry.stride_alignment_bytes, p, entry,
                                   "stride alignment", &merge.stride,
                                   &merge.stride_from));
    RETURN_IF_ERROR(MergeAlignment(entry.height_alignment_rows, p, entry,
                                   "height alignment", &merge.height,
                                   &merge.height_from));
    RETURN_IF_ERROR(MergeAlignment(entry.base_alignment_bytes, p, entry,
                                   "base alignment", &merge.base,
                                   &merge.base_from));
    RETURN_IF_ERROR(MergeAlignment(entry.plane_alignment_bytes, p, entry,
                                   "plane alignment", &merge.plane,
                                   &merge.plane_from));
    if (entry.contiguous) merge.contiguous_from.push_back(p);
    CachePolicy cache = entry.cache;
    bool required = entry.cache_required;
    if (p == Participant::kCpu && cache == CachePolicy::kAny &&
        CpuAccessIsFrequent(descriptor.usage)) {
      // Frequent CPU access wants caches, but that is the usage's hint,
      // not the profile's requirement: it stays a preference even when the
      // profile marks the CPU's (absent) policy required.
      cache = CachePolicy::kCached;
      required = false;
    }
    if (cache != CachePolicy::kAny) {
      if (required) {
        if (merge.required != CachePolicy::kAny && merge.required != cache) {
          return Refuse("cache policy",
                        absl::StrCat(Names(merge.required_from), " require ",
                                     CachePolicyName(merge.required),
                                     " memory but ", Who(entry, p),
                                     " requires ", CachePolicyName(cache)));
        }
        merge.required = cache;
        merge.required_from.push_back(p);
      } else {
        merge.preferred.emplace_back(p, cache);
      }
    }
    if (entry.dma_address_bits < merge.address_bits) {
      merge.address_bits = entry.dma_address_bits;
      merge.address_from = {p};
    }
  }
  // Heaps hand out page-aligned memory and promise nothing more, so a base
  // alignment that does not divide the (smallest, 4 KiB) page cannot be met.
  if (kHeapBaseAlignmentBytes % merge.base != 0) {
    return Refuse("base alignment",
                  absl::StrCat(From(merge.base_from), " = ", merge.base,
                               " bytes, beyond the ", kHeapBaseAlignmentBytes,
                               "-byte alignment every heap guarantees"));
  }
  plan.constraints.stride_alignment_bytes = merge.stride;
  plan.constraints.height_alignment_rows = merge.height;
  plan.constraints.plane_alignment_bytes = merge.plane;
  plan.base_alignment_bytes = merge.base;
  plan.contiguous = !merge.contiguous_from.empty();
  plan.dma_address_bits = merge.address_bits;
  plan.trace.push_back(absl::StrCat("stride alignment ", merge.stride,
                                    " bytes: ", From(merge.stride_from)));
  plan.trace.push_back(absl::StrCat("height alignment ", merge.height,
                                    " rows: ", From(merge.height_from)));
  plan.trace.push_back(absl::StrCat("plane alignment ", merge.plane,
                                    " bytes: ", From(merge.plane_from)));
  plan.trace.push_back(absl::StrCat("base alignment ", merge.base,
                                    " bytes: ", From(merge.base_from)));
  plan.trace.push_back(plan.contiguous
                           ? absl::StrCat("contiguous: required by ",
                                          Names(merge.contiguous_from))
                           : "contiguous: nobody needs it");

  // Preferences agree or are dropped.
  CachePolicy preferred = CachePolicy::kAny;
  bool preference_conflict = false;
  for (const auto& [p, policy] : merge.preferred) {
    if (merge.required != CachePolicy::kAny && policy != merge.required) {
      plan.trace.push_back(absl::StrCat(
          "cache: dropped ", ParticipantName(p), "'s preference for ",
          CachePolicyName(policy), " (", Names(merge.required_from),
          " require ", CachePolicyName(merge.required), ")"));
      continue;
    }
    if (preferred != CachePolicy::kAny && preferred != policy) {
      preference_conflict = true;
    }
    preferred = policy;
  }
  if (preference_conflict) {
    plan.trace.push_back("cache: preferences conflict and are dropped");
    preferred = CachePolicy::kAny;
  }

  // 6. Layout and limits.
  ASSIGN_OR_RETURN(plan.layout,
                   ComputeLayout(*chosen, descriptor.width, descriptor.height,
                                 descriptor.layer_count, plan.constraints));
  plan.layout.modifier = modifier;
  if (plan.layout.total_size_bytes > kMaxBufferSizeBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("the laid-out size ", plan.layout.total_size_bytes,
                     " exceeds the maximum buffer size ", kMaxBufferSizeBytes));
  }
  for (Participant p : everyone) {
    const ParticipantProfile& entry = profile.at(p);
    if (entry.max_width > 0 && descriptor.width > entry.max_width) {
      return Refuse(
          "max width",
          absl::StrCat(Who(entry, p), " handles at most ", entry.max_width,
                       " px, not ", descriptor.width));
    }
    if (entry.max_height > 0 && descriptor.height > entry.max_height) {
      return Refuse(
          "max height",
          absl::StrCat(Who(entry, p), " handles at most ", entry.max_height,
                       " rows, not ", descriptor.height));
    }
    if (entry.max_size_bytes > 0 &&
        plan.layout.total_size_bytes > entry.max_size_bytes) {
      return Refuse(
          "max size",
          absl::StrCat(Who(entry, p), " handles at most ", entry.max_size_bytes,
                       " bytes, not ", plan.layout.total_size_bytes));
    }
  }

  // 7. The heap.
  std::vector<const HeapIdentity*> usable;
  std::vector<std::string> heap_rejections;
  const bool any_device =
      std::any_of(everyone.begin(), everyone.end(),
                  [](Participant p) { return p != Participant::kCpu; });
  for (const HeapIdentity& heap : heaps) {
    std::string why;
    if (heap.caps.is_protected != plan.is_protected) {
      why = plan.is_protected ? "not protected" : "protected";
    } else if (plan.is_protected &&
               std::find(profile.protected_heaps.begin(),
                         profile.protected_heaps.end(),
                         heap.name) == profile.protected_heaps.end()) {
      why = "not named protected by the profile";
    } else if (plan.contiguous && !heap.caps.contiguous) {
      why = absl::StrCat("not contiguous (", Names(merge.contiguous_from),
                         " need it)");
    } else if (merge.required == CachePolicy::kCached && !heap.caps.cached) {
      why = absl::StrCat("uncached (", Names(merge.required_from),
                         " require cached)");
    } else if (merge.required == CachePolicy::kUncached && heap.caps.cached) {
      why = absl::StrCat("cached (", Names(merge.required_from),
                         " require uncached)");
    } else if (HeapAddressBits(profile, heap) > merge.address_bits) {
      why = absl::StrCat("allocates above ", merge.address_bits,
                         "-bit addresses (", Names(merge.address_from), ")");
    } else {
      for (Participant p : everyone) {
        const ParticipantProfile& entry = profile.at(p);
        if (!entry.heaps.empty() && !HeapListed(entry.heaps, heap)) {
          why = absl::StrCat("not among ", ParticipantName(p), "'s heaps");
          break;
        }
      }
    }
    if (!why.empty()) {
      heap_rejections.push_back(absl::StrCat(heap.name, ": ", why));
      continue;
    }
    usable.push_back(&heap);
  }
  if (usable.empty()) {
    std::string field = "heap";
    if (plan.contiguous) field = "contiguous";
    if (plan.is_protected) field = "protected";
    return Refuse(
        field, absl::StrCat(
                   "no heap on this machine serves ", Names(everyone),
                   heap_rejections.empty()
                       ? std::string(" (no heaps at all)")
                       : absl::StrCat(
                             " (", absl::StrJoin(heap_rejections, "; "), ")")));
  }
  auto better = [&](const HeapIdentity* a, const HeapIdentity* b) {
    // Device-importable memory first when a device takes part.
    if (any_device && a->caps.device_importable != b->caps.device_importable) {
      return a->caps.device_importable;
    }
    // Then the cache preference, then the profile's order.
    if (preferred != CachePolicy::kAny) {
      const bool a_fits = (preferred == CachePolicy::kCached) == a->caps.cached;
      const bool b_fits = (preferred == CachePolicy::kCached) == b->caps.cached;
      if (a_fits != b_fits) return a_fits;
    }
    return HeapRank(profile, *a) < HeapRank(profile, *b);
  };
  std::stable_sort(usable.begin(), usable.end(), better);
  plan.heap = *usable.front();
  if (preferred != CachePolicy::kAny &&
      (preferred == CachePolicy::kCached) != plan.heap.caps.cached) {
    plan.trace.push_back(absl::StrCat("cache: preference for ",
                                      CachePolicyName(preferred),
                                      " dropped: no usable heap offers it"));
  }
  plan.cache =
      plan.heap.caps.cached ? CachePolicy::kCached : CachePolicy::kUncached;
  plan.trace.push_back(absl::StrCat("heap ", plan.heap.name, " (",
                                    plan.heap.class_name(), ", ",
                                    CachePolicyName(plan.cache), ")"));
  if (any_device && !plan.heap.caps.device_importable) {
    std::vector<Participant> devices;
    for (Participant p : everyone) {
      if (p != Participant::kCpu) devices.push_back(p);
    }
    plan.trace.push_back(
        absl::StrCat("warning: ", plan.heap.name,
                     ": no device can import this; device users (",
                     Names(devices), ") will fail at import on this machine"));
  }
  return plan;
}

absl::Status PlanServes(const Plan& plan, const Profile& profile,
                        uint64_t additional_usage) {
  if (absl::Status usage = ValidateUsage(additional_usage); !usage.ok()) {
    return absl::FailedPreconditionError(usage.message());
  }
  for (const SelectedParticipant& s : SelectParticipants(additional_usage)) {
    const Participant p = s.participant;
    const ParticipantProfile& entry = profile.at(p);
    auto fails = [&](absl::string_view field, absl::string_view why) {
      return absl::FailedPreconditionError(
          absl::StrCat("the buffer does not serve ", ParticipantName(p), " (",
                       s.reason, "): ", field, ": ", why));
    };
    if (!entry.present) return fails("participants", "the platform lacks it");
    if (plan.is_protected &&
        (p == Participant::kCpu || !entry.supports_protected)) {
      return fails("protected", "it cannot access protected memory");
    }
    if (p == Participant::kProtected && !plan.is_protected) {
      return fails("protected", "the buffer is not in protected memory");
    }
    const FormatSupport* support = Supports(entry, *plan.layout.format);
    if (support == nullptr) {
      return fails("format",
                   absl::StrCat(plan.layout.format->name, " is not supported"));
    }
    std::vector<uint64_t> modifiers = ModifiersOf(*support);
    if (std::find(modifiers.begin(), modifiers.end(), plan.layout.modifier) ==
        modifiers.end()) {
      return fails("modifier",
                   absl::StrCat("0x", absl::Hex(plan.layout.modifier),
                                " is not supported"));
    }
    for (int i = 0; i < plan.layout.plane_count; ++i) {
      if (plan.layout.planes[i].stride_bytes % entry.stride_alignment_bytes !=
          0) {
        return fails("stride alignment",
                     absl::StrCat("plane ", i, " stride ",
                                  plan.layout.planes[i].stride_bytes,
                                  " is not a multiple of ",
                                  entry.stride_alignment_bytes));
      }
      if (plan.layout.planes[i].offset_bytes % entry.plane_alignment_bytes !=
          0) {
        return fails("plane alignment",
                     absl::StrCat("plane ", i, " offset is not a multiple of ",
                                  entry.plane_alignment_bytes));
      }
    }
    if (plan.base_alignment_bytes % entry.base_alignment_bytes != 0 &&
        entry.base_alignment_bytes > 4096) {
      return fails("base alignment",
                   absl::StrCat("needs ", entry.base_alignment_bytes));
    }
    const uint64_t rows = plan.layout.planes[0].stride_bytes == 0
                              ? 0
                              : plan.layout.planes[0].size_bytes /
                                    plan.layout.planes[0].stride_bytes;
    if (rows % entry.height_alignment_rows != 0) {
      return fails("height alignment",
                   absl::StrCat(rows, " rows are not a multiple of ",
                                entry.height_alignment_rows));
    }
    if (entry.contiguous && !plan.contiguous && !plan.heap.caps.contiguous) {
      return fails("contiguous",
                   absl::StrCat("the buffer is in ", plan.heap.name,
                                ", which is not contiguous"));
    }
    if (entry.cache != CachePolicy::kAny && entry.cache_required &&
        entry.cache != plan.cache) {
      return fails(
          "cache policy",
          absl::StrCat("requires ", CachePolicyName(entry.cache),
                       ", the buffer is ", CachePolicyName(plan.cache)));
    }
    if (!entry.heaps.empty() && !HeapListed(entry.heaps, plan.heap)) {
      return fails("heap",
                   absl::StrCat(plan.heap.name, " is not among its heaps"));
    }
    if (HeapAddressBits(profile, plan.heap) > entry.dma_address_bits) {
      return fails("dma address",
                   absl::StrCat(plan.heap.name, " may allocate above ",
                                entry.dma_address_bits, " bits"));
    }
    if (p != Participant::kCpu && !plan.heap.caps.device_importable) {
      return fails("heap",
                   absl::StrCat(plan.heap.name, ": no device can import this"));
    }
    if ((entry.max_width > 0 &&
         plan.layout.planes[0].width_in_samples > entry.max_width) ||
        (entry.max_height > 0 &&
         plan.layout.planes[0].height_in_samples > entry.max_height) ||
        (entry.max_size_bytes > 0 &&
         plan.layout.total_size_bytes > entry.max_size_bytes)) {
      return fails("size", "the buffer exceeds its maximum");
    }
  }
  return absl::OkStatus();
}

}  // namespace gralloc
