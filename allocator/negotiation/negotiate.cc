// Copyright 2026 The gralloc for Linux Authors.

#include "allocator/negotiation/negotiate.h"

#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "hal/base/status_macros.h"
#include "hal/types/pixel_format.h"
#include "hal/usage/usage.h"

namespace gralloc {
namespace {

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

// The concrete layouts `format` may be given, most preferred first (see
// negotiate.h); the first every participant supports wins.
std::vector<const FormatInfo*> Candidates(
    const FormatInfo& format,
    const std::vector<SelectedParticipant>& selected) {
  if (format.layout == FormatLayout::kPlanes) return {&format};
  const FormatInfo* nv12 =
      FlexibleLayouts().empty() ? nullptr : &FlexibleLayouts()[0];
  const std::vector<const FormatInfo*> yuv420 = {
      nv12, Row(PixelFormat::YCRCB_420_SP), Row(PixelFormat::YV12)};
  // Opaque first when only the display reads it, else with alpha first.
  const bool display_only = Selected(selected, Participant::kDisplay) &&
                            !Selected(selected, Participant::kGpu);
  const std::vector<const FormatInfo*> rgb =
      display_only
          ? std::vector<const FormatInfo*>{Row(PixelFormat::RGBX_8888),
                                           Row(PixelFormat::RGBA_8888),
                                           Row(PixelFormat::BGRA_8888)}
          : std::vector<const FormatInfo*>{Row(PixelFormat::RGBA_8888),
                                           Row(PixelFormat::RGBX_8888),
                                           Row(PixelFormat::BGRA_8888)};
  switch (static_cast<PixelFormat>(format.android_value)) {
    case PixelFormat::YCBCR_420_888:
      return yuv420;
    case PixelFormat::IMPLEMENTATION_DEFINED: {
      // Video users (camera, codec) prefer 4:2:0 YUV, everyone else RGB;
      // the other family follows, so what every participant supports wins.
      const bool video = Selected(selected, Participant::kCamera) ||
                         Selected(selected, Participant::kCodec);
      std::vector<const FormatInfo*> all = video ? yuv420 : rgb;
      const std::vector<const FormatInfo*>& rest = video ? rgb : yuv420;
      all.insert(all.end(), rest.begin(), rest.end());
      return all;
    }
    case PixelFormat::RAW_OPAQUE:
      return {Row(PixelFormat::RAW16)};
    default:
      return {};
  }
}

size_t HeapRank(const Profile& profile, const HeapIdentity& heap) {
  for (size_t i = 0; i < profile.heap_order.size(); ++i) {
    if (heap.Matches(profile.heap_order[i])) return i;
  }
  return profile.heap_order.size();
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
    if (!IsKnownOption(option.name)) {
      return absl::UnimplementedError(
          absl::StrCat("unknown additional option '", option.name, "'"));
    }
  }
  RETURN_IF_ERROR(ValidateDescriptor(descriptor));
  ASSIGN_OR_RETURN(const DescriptorOptions options,
                   ParseDescriptorOptions(descriptor.additional_options));
  const FormatInfo* requested = FindFormat(descriptor.format);
  if (requested == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("unknown format ", descriptor.format));
  }

  // 2. The participants, merged.
  ASSIGN_OR_RETURN(Merged merged,
                   MergeUsage(profile, descriptor.usage, options));
  Plan plan;
  plan.participants = merged.participants;
  plan.trace = merged.participant_trace;

  // 3. Format and modifier.
  const std::vector<const FormatInfo*> candidates =
      Candidates(*requested, merged.participants);
  if (candidates.empty()) {
    return Refusal("format", absl::StrCat(requested->name,
                                          " has no layout this allocator "
                                          "makes"));
  }
  // The first candidate the merge accepts (format, modifier, then its
  // layout and the participants' limits) wins. A later one may serve where
  // an earlier does not fit (NV12 within a size limit RGBA exceeds).
  std::vector<std::string> rejections;
  absl::Status layout_refusal;  // the first candidate's that had a format
  for (const FormatInfo* candidate : candidates) {
    if (candidate == nullptr) continue;
    absl::StatusOr<std::vector<uint64_t>> modifiers =
        MergeFormat(profile, merged, *candidate);
    if (!modifiers.ok()) {
      absl::string_view why = modifiers.status().message();
      why.remove_prefix(std::min(why.size(), sizeof("refused: format: ") - 1));
      rejections.emplace_back(why);
      continue;
    }
    absl::StatusOr<BufferLayout> layout =
        ComputeLayout(*candidate, descriptor.width, descriptor.height,
                      descriptor.layer_count, merged.constraints);
    absl::Status fits = layout.status();
    if (fits.ok() && layout->total_size_bytes > kMaxBufferSizeBytes) {
      fits = absl::InvalidArgumentError(absl::StrCat(
          "the laid-out size ", layout->total_size_bytes,
          " exceeds the maximum buffer size ", kMaxBufferSizeBytes));
    }
    if (fits.ok()) {
      fits = CheckLayout(profile, merged, *layout, descriptor.width,
                         descriptor.height, descriptor.layer_count);
    }
    if (!fits.ok()) {
      if (layout_refusal.ok()) layout_refusal = fits;
      continue;
    }
    plan.layout = *std::move(layout);
    plan.layout.modifier = modifiers->front();
    break;
  }
  if (plan.layout.format == nullptr) {
    if (!layout_refusal.ok()) return layout_refusal;
    return Refusal("format",
                   absl::StrCat(requested->name, " for ", Names(merged.who),
                                ": ", absl::StrJoin(rejections, "; ")));
  }
  plan.trace.push_back(absl::StrCat(
      "format ", plan.layout.format->name, " (requested ", requested->name,
      "), modifier 0x", absl::Hex(plan.layout.modifier)));
  plan.trace.insert(plan.trace.end(), merged.trace.begin(), merged.trace.end());
  plan.constraints = merged.constraints;
  plan.base_alignment_bytes = merged.base_alignment_bytes;
  plan.contiguous = merged.contiguous();
  plan.is_protected = merged.is_protected;
  plan.dma_address_bits = merged.dma_address_bits;

  // 4. The heap.
  std::vector<const HeapIdentity*> usable;
  std::vector<std::string> heap_rejections;
  for (const HeapIdentity& heap : heaps) {
    const HeapFit fit = FitHeap(profile, merged, heap);
    if (!fit.ok()) {
      heap_rejections.push_back(absl::StrCat(heap.name, ": ", fit.why));
      continue;
    }
    usable.push_back(&heap);
  }
  if (usable.empty()) {
    std::string field = "heap";
    if (plan.contiguous) field = "contiguous";
    if (plan.is_protected) field = "protected";
    return Refusal(
        field, absl::StrCat(
                   "no heap on this machine serves ", Names(merged.who),
                   heap_rejections.empty()
                       ? std::string(" (no heaps at all)")
                       : absl::StrCat(
                             " (", absl::StrJoin(heap_rejections, "; "), ")")));
  }
  const CachePolicy preferred = merged.preferred_cache;
  auto caller_prefers = [&](const HeapIdentity* heap) {
    return options.preferred_heap != 0 &&
           static_cast<int32_t>(heap->heap_class) == options.preferred_heap;
  };
  auto better = [&](const HeapIdentity* a, const HeapIdentity* b) {
    // Device-importable memory first when a device takes part.
    if (merged.any_device &&
        a->caps.device_importable != b->caps.device_importable) {
      return a->caps.device_importable;
    }
    // Then the caller's preferred heap class, the cache preference, and the
    // profile's order.
    if (caller_prefers(a) != caller_prefers(b)) return caller_prefers(a);
    if (preferred != CachePolicy::kAny) {
      const bool a_fits = (preferred == CachePolicy::kCached) == a->caps.cached;
      const bool b_fits = (preferred == CachePolicy::kCached) == b->caps.cached;
      if (a_fits != b_fits) return a_fits;
    }
    return HeapRank(profile, *a) < HeapRank(profile, *b);
  };
  std::stable_sort(usable.begin(), usable.end(), better);
  plan.heap = *usable.front();
  if (options.preferred_heap != 0 && !caller_prefers(&plan.heap)) {
    plan.trace.push_back(absl::StrCat(
        "heap: the caller's preferred class ",
        HeapClassRow(static_cast<HeapClass>(options.preferred_heap)).name,
        " dropped: no usable heap of it, or none devices can "
        "import"));
  }
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
  std::vector<std::string> fallbacks;
  for (auto it = usable.begin() + 1; it != usable.end(); ++it) {
    if (merged.any_device && plan.heap.caps.device_importable &&
        !(*it)->caps.device_importable) {
      continue;
    }
    plan.fallback_heaps.push_back(**it);
    fallbacks.push_back((*it)->name);
  }
  if (!fallbacks.empty()) {
    plan.trace.push_back(absl::StrCat("out of memory on ", plan.heap.name,
                                      ": then ",
                                      absl::StrJoin(fallbacks, ", ")));
  }
  if (merged.any_device && !plan.heap.caps.device_importable) {
    std::vector<Participant> devices;
    for (Participant p : merged.who) {
      if (p != Participant::kCpu) devices.push_back(p);
    }
    plan.trace.push_back(
        absl::StrCat("warning: ", plan.heap.name,
                     ": no device can import this; device users (",
                     Names(devices), ") will fail at import on this machine"));
  }
  return plan;
}

absl::Status Serves(const Profile& profile, const HandleInfo& buffer,
                    const HeapIdentity& heap, uint64_t additional_usage) {
  const uint64_t usage = buffer.usage | additional_usage;
  auto fails = [&](const absl::Status& refusal) {
    absl::string_view why = refusal.message();
    if (why.substr(0, 9) == "refused: ") why.remove_prefix(9);
    return absl::FailedPreconditionError(
        absl::StrCat("the buffer does not serve ",
                     UsageToString(additional_usage), ": ", why));
  };
  if (absl::Status valid = ValidateUsage(usage); !valid.ok()) {
    return fails(Refusal("usage", valid.message()));
  }
  absl::StatusOr<Merged> merged = MergeUsage(profile, usage);
  if (!merged.ok()) return fails(merged.status());
  if (buffer.layout.format == nullptr) {
    return fails(Refusal("format", "the buffer has no concrete format"));
  }
  absl::StatusOr<std::vector<uint64_t>> modifiers =
      MergeFormat(profile, *merged, *buffer.layout.format);
  if (!modifiers.ok()) return fails(modifiers.status());
  if (!merged->who.empty() &&
      std::find(modifiers->begin(), modifiers->end(), buffer.layout.modifier) ==
          modifiers->end()) {
    return fails(
        Refusal("modifier",
                absl::StrCat("0x", absl::Hex(buffer.layout.modifier),
                             " is not among the modifiers ", Names(merged->who),
                             " share for ", buffer.layout.format->name)));
  }
  if (absl::Status layout =
          CheckLayout(profile, *merged, buffer.layout, buffer.width,
                      buffer.height, buffer.layer_count);
      !layout.ok()) {
    return fails(layout);
  }
  if (const HeapFit fit = FitHeap(profile, *merged, heap); !fit.ok()) {
    return fails(Refusal(fit.field, absl::StrCat("the buffer is in ", heap.name,
                                                 ", ", fit.why)));
  }
  return absl::OkStatus();
}

}  // namespace gralloc
