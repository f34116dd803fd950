// Copyright 2026 The gralloc for Linux Authors.
//
// Fuzzes negotiation (allocator/negotiation): Negotiate() and Serves() with
// a platform profile parsed from the input's JSON (ParseProfileJson, the
// door a vendor's file enters by; the built-in profile when it does not
// parse), a random set of heaps and a random descriptor.
//
// Input: a fixed block of choices read from the front (FuzzInput: heaps,
// descriptor, extra usage), then the profile's JSON text to the end.
//
// A plan that comes back OK must be one the allocator can carry out and
// every participant can use:
//  * its layout has a concrete format, its planes lie inside the buffer and
//    hold the rows (layout_invariants.h), and its size fits
//    kMaxBufferSizeBytes;
//  * the merged alignments hold: every stride a multiple of the stride
//    alignment (and of the caller's minimum), every offset of the plane
//    alignment, the first plane's rows the aligned height plus padding;
//  * the modifier is one the caller allowed, linear when asked;
//  * the heap is one of the machine's, contiguous and protected as the plan
//    says, and not among its own fallbacks;
//  * the buffer it describes is a valid handle and serves the usage it was
//    made for (Serves with no additional usage).

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "allocator/heaps/heap_identity.h"
#include "allocator/layout/layout.h"
#include "allocator/negotiation/negotiate.h"
#include "allocator/negotiation/profile.h"
#include "allocator/negotiation/profile_json.h"
#include "hal/descriptor/descriptor.h"
#include "hal/format/format_table.h"
#include "hal/handle/buffer_handle.h"
#include "tests/fuzz/fuzz_check.h"
#include "tests/fuzz/layout_invariants.h"

namespace gralloc::fuzz {
namespace {

const std::vector<HeapIdentity>& AllHeaps() {
  static const std::vector<HeapIdentity> heaps = {
      DmaHeapIdentity("system", false),
      DmaHeapIdentity("system-uncached", false),
      DmaHeapIdentity("linux,cma", false),
      DmaHeapIdentity("reserved", false),
      UdmabufIdentity(),
      DrmDumbIdentity("card0"),
      MemfdIdentity(),
      DmaHeapIdentity("secure", true),
      DmaHeapIdentity("protected", true),
  };
  return heaps;
}

std::vector<HeapIdentity> TakeHeaps(FuzzInput& in) {
  const uint16_t mask = in.Take<uint16_t>();
  const size_t rotation = in.Take<uint8_t>();
  const std::vector<HeapIdentity>& all = AllHeaps();
  std::vector<HeapIdentity> heaps;
  for (size_t i = 0; i < all.size(); ++i) {
    const size_t index = (i + rotation) % all.size();
    if ((mask >> index) & 1) heaps.push_back(all[index]);
  }
  return heaps;
}

// CPU fields (any of the 16 values, mostly the defined ones), hardware
// flags, and rarely anything.
uint64_t TakeUsage(FuzzInput& in) {
  const uint8_t cpu = in.Take<uint8_t>();
  const uint32_t hardware = in.Take<uint32_t>();
  uint64_t usage = (hardware & 0x0ffffff00u) | (cpu & 0x33u);
  if ((cpu & 0x40) != 0) usage |= uint64_t{1} << 32;  // FRONT_BUFFER
  if ((cpu & 0x80) != 0) usage = in.Take<uint64_t>();
  return usage;
}

int64_t TakeDimension(FuzzInput& in) {
  const uint8_t choice = in.Take<uint8_t>();
  if (choice < 0xf0) return 1 + in.Take<uint16_t>() % 4096;
  return in.Take<int32_t>();
}

BufferDescriptorInfo TakeDescriptor(FuzzInput& in) {
  BufferDescriptorInfo d;
  d.name = "negotiation-fuzz";
  d.width = TakeDimension(in);
  d.height = TakeDimension(in);
  d.layer_count = 1 + in.Take<uint8_t>() % 4;
  const uint8_t format_choice = in.Take<uint8_t>();
  const absl::Span<const FormatInfo> formats = AllFormats();
  d.format = format_choice < 0xf0
                 ? formats[format_choice % formats.size()].android_value
                 : in.Take<int32_t>();
  d.usage = TakeUsage(in);
  d.reserved_size = in.Take<uint8_t>();
  const uint8_t options = in.Take<uint8_t>();
  if (options & 1) {
    d.additional_options.push_back({kMinStrideAlignmentOptionName,
                                    int64_t{1} << (in.Take<uint8_t>() % 10)});
  }
  if (options & 2) {
    d.additional_options.push_back({kLinearOnlyOptionName, 1});
  }
  if (options & 4) {
    d.additional_options.push_back(
        {kPreferredHeapOptionName, 1 + in.Take<uint8_t>() % 7});
  }
  for (int i = 0; i < ((options >> 3) & 3); ++i) {
    d.additional_options.push_back(
        {kDrmModifierOptionName,
         static_cast<int64_t>(in.TakeBool() ? 0 : in.Take<uint64_t>())});
  }
  return d;
}

bool Contains(const std::vector<HeapIdentity>& heaps, const HeapIdentity& h) {
  for (const HeapIdentity& heap : heaps) {
    if (heap == h) return true;
  }
  return false;
}

void CheckPlan(const Profile& profile, const std::vector<HeapIdentity>& heaps,
               const BufferDescriptorInfo& d, const Plan& plan,
               uint64_t extra_usage) {
  const BufferLayout& layout = plan.layout;
  FUZZ_CHECK(layout.format != nullptr &&
                 layout.format->layout == FormatLayout::kPlanes &&
                 layout.plane_count == layout.format->plane_count,
             "a plan without a concrete layout");
  const absl::Status geometry = CheckPlaneGeometry(layout, d.width, d.height);
  FUZZ_CHECK(geometry.ok(), geometry.ToString());
  const absl::Status inside =
      CheckPlanesInsideAllocation(layout, layout.total_size_bytes);
  FUZZ_CHECK(inside.ok(), inside.ToString());
  FUZZ_CHECK(layout.total_size_bytes > 0 &&
                 layout.total_size_bytes <= kMaxBufferSizeBytes,
             "size ", layout.total_size_bytes);

  // The merged alignments.
  const LayoutConstraints& c = plan.constraints;
  FUZZ_CHECK(c.stride_alignment_bytes > 0 && c.height_alignment_rows > 0 &&
                 c.plane_alignment_bytes > 0,
             "zero alignment in a plan");
  const absl::StatusOr<DescriptorOptions> options =
      ParseDescriptorOptions(d.additional_options);
  FUZZ_CHECK(options.ok(), "a plan for options that do not parse");
  for (int i = 0; i < layout.plane_count; ++i) {
    const LaidOutPlane& plane = layout.planes[i];
    FUZZ_CHECK(plane.stride_bytes % c.stride_alignment_bytes == 0, "plane ", i,
               " stride ", plane.stride_bytes, " vs alignment ",
               c.stride_alignment_bytes);
    FUZZ_CHECK(plane.stride_bytes % options->min_stride_alignment_bytes == 0,
               "plane ", i, " stride ", plane.stride_bytes,
               " ignores the caller's minimum ",
               options->min_stride_alignment_bytes);
    FUZZ_CHECK(plane.offset_bytes % c.plane_alignment_bytes == 0, "plane ", i,
               " offset ", plane.offset_bytes, " vs alignment ",
               c.plane_alignment_bytes);
  }
  const uint64_t rows = layout.Rows();
  FUZZ_CHECK(rows >= static_cast<uint64_t>(d.height) + c.padding_rows &&
                 (rows - c.padding_rows) % c.height_alignment_rows == 0,
             "first plane has ", rows, " rows for height ", d.height,
             ", alignment ", c.height_alignment_rows, ", padding ",
             c.padding_rows);
  if (d.layer_count > 1) {
    FUZZ_CHECK(
        layout.layer_size_bytes % c.plane_alignment_bytes == 0 &&
            layout.total_size_bytes ==
                layout.layer_size_bytes * static_cast<uint64_t>(d.layer_count),
        "layers of ", layout.layer_size_bytes, " bytes, total ",
        layout.total_size_bytes);
  }

  // The modifier the caller allowed.
  if (options->linear_only) {
    FUZZ_CHECK(layout.modifier == kLinearModifier, "linear only, modifier 0x",
               absl::Hex(layout.modifier));
  }
  if (!options->drm_modifiers.empty()) {
    bool allowed = false;
    for (uint64_t m : options->drm_modifiers) allowed |= m == layout.modifier;
    FUZZ_CHECK(allowed, "modifier 0x", absl::Hex(layout.modifier),
               " was not offered");
  }

  // The heap.
  FUZZ_CHECK(Contains(heaps, plan.heap), "the plan's heap ", plan.heap.name,
             " is not one of the machine's");
  FUZZ_CHECK(!Contains(plan.fallback_heaps, plan.heap),
             "the heap is its own fallback");
  for (const HeapIdentity& fallback : plan.fallback_heaps) {
    FUZZ_CHECK(Contains(heaps, fallback), "fallback ", fallback.name,
               " is not one of the machine's");
  }
  FUZZ_CHECK(!plan.contiguous || plan.heap.caps.contiguous,
             "contiguous plan on ", plan.heap.name);
  FUZZ_CHECK(plan.is_protected == plan.heap.caps.is_protected, "protected ",
             plan.is_protected, " on ", plan.heap.name);

  // The buffer it describes: a valid handle that serves its own usage.
  HandleInfo buffer;
  buffer.width = static_cast<int32_t>(d.width);
  buffer.height = static_cast<int32_t>(d.height);
  buffer.layer_count = static_cast<int32_t>(d.layer_count);
  buffer.format_requested = d.format;
  buffer.usage = d.usage;
  buffer.allocation_size = layout.total_size_bytes;
  buffer.reserved_size = static_cast<uint64_t>(d.reserved_size);
  buffer.metadata_size = 4096 + static_cast<uint32_t>(d.reserved_size);
  buffer.backend = plan.heap.caps.backend;
  buffer.flags = (plan.is_protected ? kHandleFlagProtected : 0u) |
                 (plan.heap.caps.contiguous ? kHandleFlagContiguous : 0u) |
                 (plan.heap.caps.cached ? 0u : kHandleFlagUncached);
  buffer.layout = layout;
  const absl::Status handle = ValidateHandleInfo(buffer);
  FUZZ_CHECK(handle.ok(),
             "the plan's buffer is not a valid handle: ", handle.ToString());
  const absl::Status serves = Serves(profile, buffer, plan.heap, 0);
  FUZZ_CHECK(serves.ok(),
             "a buffer does not serve its own usage: ", serves.ToString());
  const absl::Status late = Serves(profile, buffer, plan.heap, extra_usage);
  FUZZ_CHECK(late.ok() || absl::IsFailedPrecondition(late) ||
                 absl::IsUnimplemented(late) || absl::IsInvalidArgument(late),
             "Serves: ", late.ToString());
}

}  // namespace
}  // namespace gralloc::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace gralloc;  // NOLINT(build/namespaces)
  fuzz::FuzzInput in(data, size);
  const std::vector<HeapIdentity> heaps = fuzz::TakeHeaps(in);
  const BufferDescriptorInfo descriptor = fuzz::TakeDescriptor(in);
  const uint64_t extra_usage = fuzz::TakeUsage(in);
  const absl::Span<const uint8_t> json = in.Rest();
  const absl::StatusOr<Profile> parsed = ParseProfileJson(
      absl::string_view(reinterpret_cast<const char*>(json.data()),
                        json.size()),
      "fuzz.json");
  if (!parsed.ok()) {
    FUZZ_CHECK(
        absl::IsInvalidArgument(parsed.status()),
        "a bad profile is not InvalidArgument: ", parsed.status().ToString());
  }
  const Profile profile = parsed.ok() ? *parsed : BuiltinProfile();
  const absl::StatusOr<Plan> plan = Negotiate(profile, heaps, descriptor);
  if (plan.ok()) {
    fuzz::CheckPlan(profile, heaps, descriptor, *plan, extra_usage);
  }
  return 0;
}
