// Copyright 2026 The gralloc for Linux Authors.
//
// Property tests of Negotiate() over random profiles, heap sets and
// descriptors (random_inputs.h):
//
//  * soundness: every plan it returns satisfies every participant's
//    constraints, as profile.h states them;
//  * completeness: it refuses only when no plan exists, which a brute-force
//    search over every candidate format, modifier and heap confirms;
//  * codes: InvalidArgument only for a descriptor ValidateDescriptor()
//    rejects or a size that does not fit; Unimplemented for the rest.
//
// The checker and the search below are written from the documentation
// (profile.h, negotiate.h, layout.h), not from negotiate.cc: they share
// only ComputeLayout() with it, which has its own exact tests. A failure
// prints the seed, the case and a shrunk (minimal) version of it; rerun one
// seed with GRALLOC_PROPERTY_SEED=<seed>.

#include <algorithm>
#include <cstdint>
#include <functional>
#include <iostream>
#include <map>
#include <numeric>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "allocator/layout/layout.h"
#include "allocator/negotiation/negotiate.h"
#include "allocator/negotiation/profile.h"
#include "allocator/negotiation/random_inputs.h"
#include "gtest/gtest.h"
#include "hal/base/fourcc.h"
#include "hal/descriptor/descriptor.h"
#include "hal/format/format_table.h"
#include "hal/types/buffer_usage.h"
#include "hal/types/pixel_format.h"
#include "hal/usage/usage.h"

namespace gralloc {
namespace {

using ::gralloc::testing::CaseSeed;
using ::gralloc::testing::DescribeDescriptor;
using ::gralloc::testing::DescribeHeaps;
using ::gralloc::testing::DescribeProfile;
using ::gralloc::testing::DescriptorOptions;
using ::gralloc::testing::ProfileOptions;
using ::gralloc::testing::PropertySeed;
using ::gralloc::testing::RandomInputs;

constexpr uint64_t kDefaultSeed = 0x6772616c6c6f63;  // "gralloc"
// 10,000 is the floor the issue sets; each case costs tens of microseconds,
// so even the sanitizer builds run them all.
constexpr int kCases = 50000;
// Every heap hands out page-aligned memory (allocator.cc), and nothing more
// is promised about where a buffer starts.
constexpr uint64_t kPageBytes = 4096;

constexpr uint64_t U(BufferUsage usage) { return static_cast<uint64_t>(usage); }

// --- The rules, restated from the documentation
// -------------------------------

// participants.h's table: which usage bits name which participant.
std::vector<Participant> ParticipantsOf(uint64_t usage) {
  struct Rule {
    Participant participant;
    uint64_t mask;
  };
  static const Rule kRules[] = {
      {Participant::kCpu,
       U(BufferUsage::CPU_READ_MASK) | U(BufferUsage::CPU_WRITE_MASK)},
      {Participant::kGpu,
       U(BufferUsage::GPU_TEXTURE) | U(BufferUsage::GPU_RENDER_TARGET) |
           U(BufferUsage::GPU_DATA_BUFFER) | U(BufferUsage::GPU_CUBE_MAP) |
           U(BufferUsage::GPU_MIPMAP_COMPLETE) | U(BufferUsage::RENDERSCRIPT)},
      {Participant::kDisplay, U(BufferUsage::COMPOSER_OVERLAY) |
                                  U(BufferUsage::COMPOSER_CLIENT_TARGET) |
                                  U(BufferUsage::COMPOSER_CURSOR) |
                                  U(BufferUsage::FRONT_BUFFER)},
      {Participant::kCodec, U(BufferUsage::VIDEO_ENCODER) |
                                U(BufferUsage::VIDEO_DECODER) |
                                U(BufferUsage::HW_IMAGE_ENCODER)},
      {Participant::kCamera,
       U(BufferUsage::CAMERA_OUTPUT) | U(BufferUsage::CAMERA_INPUT)},
      {Participant::kSensor, U(BufferUsage::SENSOR_DIRECT_DATA)},
      {Participant::kProtected, U(BufferUsage::PROTECTED)},
      {Participant::kVendor,
       U(BufferUsage::VENDOR_MASK) | U(BufferUsage::VENDOR_MASK_HI)},
  };
  std::vector<Participant> out;
  for (const Rule& rule : kRules) {
    if ((usage & rule.mask) != 0) out.push_back(rule.participant);
  }
  return out;
}

bool Has(const std::vector<Participant>& who, Participant p) {
  return std::find(who.begin(), who.end(), p) != who.end();
}

const FormatInfo* Nv12Layout() {
  for (const FormatInfo& layout : FlexibleLayouts()) {
    if (layout.drm_fourcc == FourccCode('N', 'V', '1', '2')) return &layout;
  }
  return nullptr;
}

const FormatInfo* Row(PixelFormat format) {
  return FindFormat(FormatValue(format));
}

// negotiate.h step 3 / negotiate.cc Candidates(): the concrete layouts a
// requested format may be given, most preferred first.
//  * a format with planes: itself;
//  * YCBCR_420_888: NV12, NV21, YV12;
//  * IMPLEMENTATION_DEFINED: for camera or codec users the 4:2:0 list, then
//    RGB; for others RGB, then 4:2:0. RGB is RGBX, RGBA, BGRA for a display
//    without a GPU, else RGBA, RGBX, BGRA;
//  * RAW_OPAQUE: RAW16;
//  * anything else flexible: nothing.
std::vector<const FormatInfo*> CandidatesFor(
    const FormatInfo& requested, const std::vector<Participant>& who) {
  if (requested.layout == FormatLayout::kPlanes) return {&requested};
  std::vector<const FormatInfo*> yuv420 = {
      Nv12Layout(), Row(PixelFormat::YCRCB_420_SP), Row(PixelFormat::YV12)};
  std::vector<const FormatInfo*> rgb = {Row(PixelFormat::RGBA_8888),
                                        Row(PixelFormat::RGBX_8888),
                                        Row(PixelFormat::BGRA_8888)};
  if (Has(who, Participant::kDisplay) && !Has(who, Participant::kGpu)) {
    std::swap(rgb[0], rgb[1]);
  }
  switch (static_cast<PixelFormat>(requested.android_value)) {
    case PixelFormat::YCBCR_420_888:
      return yuv420;
    case PixelFormat::IMPLEMENTATION_DEFINED:
      if (Has(who, Participant::kCamera) || Has(who, Participant::kCodec)) {
        yuv420.insert(yuv420.end(), rgb.begin(), rgb.end());
        return yuv420;
      }
      rgb.insert(rgb.end(), yuv420.begin(), yuv420.end());
      return rgb;
    case PixelFormat::RAW_OPAQUE:
      return {Row(PixelFormat::RAW16)};
    default:
      return {};
  }
}

// profile.h: "Matches a concrete layout by DRM fourcc when both have one,
// otherwise by Android format value"; an empty list serves any format,
// linear only. merge.h: the display also takes a format with alpha when it
// lists the format's opaque twin.
const FormatSupport* SupportFor(Participant p, const ParticipantProfile& entry,
                                const FormatInfo& concrete) {
  static const FormatSupport kAnyLinear;
  if (entry.formats.empty()) return &kAnyLinear;
  for (const FormatSupport& support : entry.formats) {
    if (support.fourcc != 0 && concrete.drm_fourcc != 0) {
      if (support.fourcc == concrete.drm_fourcc) return &support;
    } else if (support.android_format != 0 &&
               support.android_format == concrete.android_value) {
      return &support;
    }
  }
  if (p == Participant::kDisplay) {
    const uint32_t twin = OpaqueTwinFourcc(concrete.drm_fourcc);
    for (const FormatSupport& support : entry.formats) {
      if (twin != 0 && support.fourcc == twin) return &support;
    }
  }
  return nullptr;
}

// The caller's constraints, as gralloc/allocator.h states them.
::gralloc::DescriptorOptions CallerOf(const BufferDescriptorInfo& d) {
  absl::StatusOr<::gralloc::DescriptorOptions> options =
      ParseDescriptorOptions(d.additional_options);
  return options.ok() ? *options : ::gralloc::DescriptorOptions{};
}

// "empty means linear only".
std::vector<uint64_t> ModifiersOf(const FormatSupport& support) {
  if (support.modifiers.empty()) return {kLinearModifier};
  return support.modifiers;
}

// HeapProperties: by heap name, else by class; 64 bits if neither is listed.
int AddressBitsOf(const Profile& profile, const HeapIdentity& heap) {
  for (const HeapProperties& p : profile.heap_properties) {
    if (p.heap == heap.name) return p.address_bits;
  }
  for (const HeapProperties& p : profile.heap_properties) {
    if (p.heap == heap.class_name()) return p.address_bits;
  }
  return 64;
}

bool Lcm(uint64_t a, uint64_t b, uint64_t* out) {
  if (a == 0 || b == 0) return false;
  const unsigned __int128 lcm =
      static_cast<unsigned __int128>(a / std::gcd(a, b)) * b;
  if (lcm > UINT64_MAX) return false;
  *out = static_cast<uint64_t>(lcm);
  return true;
}

uint64_t CeilDiv(uint64_t a, uint64_t b) { return a / b + (a % b != 0); }

bool OptionsKnown(const BufferDescriptorInfo& d) {
  return std::all_of(d.additional_options.begin(), d.additional_options.end(),
                     [](const ExtendableType& o) {
                       return o.name == kDataspaceOptionName ||
                              o.name == kDrmModifierOptionName ||
                              o.name == kLinearOnlyOptionName ||
                              o.name == kPreferredHeapOptionName ||
                              o.name == kMinStrideAlignmentOptionName;
                     });
}

// --- The checker
// ---------------------------------------------------------------

// A complete answer to a descriptor: what a plan decides. The layout names
// the format and the modifier.
struct Proposal {
  BufferLayout layout;
  HeapIdentity heap;
  bool is_protected = false;
  uint64_t base_alignment_bytes = 1;
};

// Every way `proposal` fails the buffer `d` or a participant `d` names, as
// one line each; empty if it serves them all. `d` must be a valid
// descriptor. `check_format_request`: whether the format must be one the
// requested format resolves to (a new buffer), or any format (an existing
// buffer a new user joins).
std::vector<std::string> Violations(const Profile& profile,
                                    const BufferDescriptorInfo& d,
                                    const Proposal& proposal,
                                    bool check_format_request = true) {
  std::vector<std::string> out;
  auto fail = [&](auto&&... parts) { out.push_back(absl::StrCat(parts...)); };
  const std::vector<Participant> who = ParticipantsOf(d.usage);
  const FormatInfo& format = *proposal.layout.format;
  const BufferLayout& layout = proposal.layout;
  const FormatInfo* requested = FindFormat(d.format);

  // The buffer itself.
  const std::vector<const FormatInfo*> candidates =
      CandidatesFor(*requested, who);
  if (check_format_request && std::find(candidates.begin(), candidates.end(),
                                        &format) == candidates.end()) {
    fail("format ", format.name, " is not a layout of ", requested->name);
  }
  if (layout.plane_count != format.plane_count) {
    fail("the layout is not of ", format.name);
    return out;
  }
  if (layout.total_size_bytes == 0 ||
      layout.total_size_bytes > kMaxBufferSizeBytes) {
    fail("total size ", layout.total_size_bytes, " is outside [1, 2^32)");
  }
  if (layout.stride_px < d.width) {
    fail("stride ", layout.stride_px, " px is less than the width ", d.width);
  }
  std::vector<std::pair<uint64_t, uint64_t>> extents;  // [offset, end)
  for (int i = 0; i < layout.plane_count; ++i) {
    const PlaneInfo& info = format.planes[i];
    const LaidOutPlane& plane = layout.planes[i];
    const uint64_t samples_wide =
        CeilDiv(static_cast<uint64_t>(d.width), info.horizontal_subsampling);
    const uint64_t rows_needed =
        CeilDiv(static_cast<uint64_t>(d.height), info.vertical_subsampling);
    const uint64_t row_bytes =
        CeilDiv(samples_wide * static_cast<uint64_t>(info.bits_per_sample), 8);
    if (plane.stride_bytes < row_bytes) {
      fail("plane ", i, " stride ", plane.stride_bytes, " < ", row_bytes,
           " bytes of ", samples_wide, " samples");
    }
    if (plane.stride_bytes == 0 || plane.size_bytes % plane.stride_bytes != 0 ||
        plane.size_bytes / plane.stride_bytes < rows_needed) {
      fail("plane ", i, " size ", plane.size_bytes, " is not whole rows of ",
           plane.stride_bytes, " covering ", rows_needed, " rows");
    }
    if (plane.width_in_samples != static_cast<int64_t>(samples_wide) ||
        plane.height_in_samples != static_cast<int64_t>(rows_needed)) {
      fail("plane ", i, " reports ", plane.width_in_samples, "x",
           plane.height_in_samples, " samples, not ", samples_wide, "x",
           rows_needed);
    }
    extents.emplace_back(plane.offset_bytes,
                         plane.offset_bytes + plane.size_bytes);
  }
  std::sort(extents.begin(), extents.end());
  for (size_t i = 1; i < extents.size(); ++i) {
    if (extents[i].first < extents[i - 1].second) {
      fail("planes overlap at byte ", extents[i].first);
    }
  }
  const uint64_t end = extents.back().second;
  if (d.layer_count == 1) {
    if (layout.total_size_bytes < end) {
      fail("total size ", layout.total_size_bytes, " < end of planes ", end);
    }
  } else {
    const unsigned __int128 needed =
        static_cast<unsigned __int128>(layout.layer_size_bytes) *
            static_cast<uint64_t>(d.layer_count - 1) +
        end;
    if (layout.layer_size_bytes < end || layout.total_size_bytes < needed) {
      fail("layers of ", layout.layer_size_bytes, " bytes (total ",
           layout.total_size_bytes, ") do not hold ", d.layer_count,
           " layers of ", end, " bytes");
    }
  }
  if (proposal.heap.caps.is_protected != proposal.is_protected) {
    fail(proposal.is_protected ? "a protected buffer in unprotected heap "
                               : "an unprotected buffer in protected heap ",
         proposal.heap.name);
  }
  if (proposal.is_protected != Has(who, Participant::kProtected)) {
    fail("protected is ", proposal.is_protected, " but PROTECTED is ",
         Has(who, Participant::kProtected));
  }
  if (proposal.is_protected &&
      std::find(profile.protected_heaps.begin(), profile.protected_heaps.end(),
                proposal.heap.name) == profile.protected_heaps.end()) {
    fail("heap ", proposal.heap.name,
         " is not one the profile calls protected");
  }

  // The caller (the descriptor's options).
  const ::gralloc::DescriptorOptions caller = CallerOf(d);
  if (caller.linear_only && layout.modifier != kLinearModifier) {
    fail("caller: linear only, modifier 0x", absl::Hex(layout.modifier));
  }
  if (!caller.drm_modifiers.empty() &&
      std::find(caller.drm_modifiers.begin(), caller.drm_modifiers.end(),
                layout.modifier) == caller.drm_modifiers.end()) {
    fail("caller: modifier 0x", absl::Hex(layout.modifier),
         " is not in its list");
  }
  for (int i = 0; i < layout.plane_count; ++i) {
    if (layout.planes[i].stride_bytes % caller.min_stride_alignment_bytes !=
        0) {
      fail("caller: plane ", i, " stride ", layout.planes[i].stride_bytes,
           " is not a multiple of ", caller.min_stride_alignment_bytes);
    }
  }

  // Every participant.
  for (Participant p : who) {
    const ParticipantProfile& e = profile.at(p);
    const std::string name(ParticipantName(p));
    if (!e.present) fail(name, ": the platform lacks it");
    const FormatSupport* support = SupportFor(p, e, format);
    if (support == nullptr) {
      fail(name, ": format ", format.name, " is not in its list");
    } else {
      const std::vector<uint64_t> modifiers = ModifiersOf(*support);
      if (std::find(modifiers.begin(), modifiers.end(),
                    proposal.layout.modifier) == modifiers.end()) {
        fail(name, ": modifier 0x", absl::Hex(proposal.layout.modifier),
             " is not among its modifiers for ", format.name);
      }
    }
    if (e.stride_alignment_bytes == 0 || e.height_alignment_rows == 0 ||
        e.base_alignment_bytes == 0 || e.plane_alignment_bytes == 0) {
      fail(name, ": an alignment of 0 cannot be met");
      continue;
    }
    for (int i = 0; i < layout.plane_count; ++i) {
      if (layout.planes[i].stride_bytes % e.stride_alignment_bytes != 0) {
        fail(name, ": plane ", i, " stride ", layout.planes[i].stride_bytes,
             " is not a multiple of ", e.stride_alignment_bytes);
      }
      if (layout.planes[i].offset_bytes % e.plane_alignment_bytes != 0) {
        fail(name, ": plane ", i, " offset ", layout.planes[i].offset_bytes,
             " is not a multiple of ", e.plane_alignment_bytes);
      }
    }
    if (d.layer_count > 1 &&
        layout.layer_size_bytes % e.plane_alignment_bytes != 0) {
      fail(name, ": layer size ", layout.layer_size_bytes,
           " puts later layers' planes off ", e.plane_alignment_bytes);
    }
    if (layout.planes[0].stride_bytes != 0) {
      const uint64_t rows =
          layout.planes[0].size_bytes / layout.planes[0].stride_bytes;
      if (rows % e.height_alignment_rows != 0) {
        fail(name, ": ", rows, " rows are not a multiple of ",
             e.height_alignment_rows);
      }
    }
    if (proposal.base_alignment_bytes % e.base_alignment_bytes != 0) {
      fail(name, ": base alignment ", proposal.base_alignment_bytes,
           " is not a multiple of ", e.base_alignment_bytes);
    }
    // Heaps hand out page-aligned memory and promise nothing more, so a
    // base alignment that does not divide the page cannot be met.
    if (kPageBytes % e.base_alignment_bytes != 0) {
      fail(name, ": base alignment ", e.base_alignment_bytes,
           " is beyond the page alignment heaps guarantee");
    }
    if (e.contiguous && !proposal.heap.caps.contiguous) {
      fail(name, ": needs contiguous memory, ", proposal.heap.name, " is not");
    }
    if (e.cache_required && e.cache != CachePolicy::kAny &&
        proposal.heap.caps.cached != (e.cache == CachePolicy::kCached)) {
      fail(name, ": requires ", CachePolicyName(e.cache), " memory, ",
           proposal.heap.name, " is not");
    }
    if (!e.heaps.empty() &&
        std::find(e.heaps.begin(), e.heaps.end(), proposal.heap.name) ==
            e.heaps.end() &&
        std::find(e.heaps.begin(), e.heaps.end(), proposal.heap.class_name()) ==
            e.heaps.end()) {
      fail(name, ": heap ", proposal.heap.name, " is not among its heaps");
    }
    if (AddressBitsOf(profile, proposal.heap) > e.dma_address_bits) {
      fail(name, ": heap ", proposal.heap.name, " allocates above ",
           e.dma_address_bits, "-bit addresses");
    }
    if (e.max_width > 0 && d.width > e.max_width) {
      fail(name, ": width ", d.width, " > its maximum ", e.max_width);
    }
    if (e.max_height > 0 && d.height > e.max_height) {
      fail(name, ": height ", d.height, " > its maximum ", e.max_height);
    }
    if (e.max_size_bytes > 0 && layout.total_size_bytes > e.max_size_bytes) {
      fail(name, ": size ", layout.total_size_bytes, " > its maximum ",
           e.max_size_bytes);
    }
    if (proposal.is_protected) {
      if (p == Participant::kCpu) fail("cpu: CPU access to a protected buffer");
      if (p != Participant::kProtected && !e.supports_protected) {
        fail(name, ": cannot access protected memory");
      }
    }
  }
  return out;
}

// --- The brute-force search
// ---------------------------------------------------

// The constraints every participant's alignments LCM to, or false if an LCM
// overflows or an alignment is 0 (then no stride, row count or base can be
// a multiple of all of them).
bool MergedAlignments(const Profile& profile,
                      const std::vector<Participant>& who,
                      LayoutConstraints* constraints, uint64_t* base) {
  *constraints = LayoutConstraints{};
  *base = 1;
  for (Participant p : who) {
    const ParticipantProfile& e = profile.at(p);
    if (!Lcm(constraints->stride_alignment_bytes, e.stride_alignment_bytes,
             &constraints->stride_alignment_bytes) ||
        !Lcm(constraints->height_alignment_rows, e.height_alignment_rows,
             &constraints->height_alignment_rows) ||
        !Lcm(constraints->plane_alignment_bytes, e.plane_alignment_bytes,
             &constraints->plane_alignment_bytes) ||
        !Lcm(*base, e.base_alignment_bytes, base)) {
      return false;
    }
  }
  return true;
}

struct Search {
  bool found = false;
  Proposal witness;
  // Whether some candidate's layout under the merged constraints does not
  // fit (ComputeLayout fails, or the size exceeds kMaxBufferSizeBytes).
  bool some_layout_too_large = false;
};

// Every candidate format, every modifier of the first participant's list
// (any common modifier is in it), every heap: is there a proposal that
// serves everyone? `only_candidate`, if set, restricts the formats;
// `only_importable` the heaps.
Search FindPlan(const Profile& profile, absl::Span<const HeapIdentity> heaps,
                const BufferDescriptorInfo& d,
                const FormatInfo* only_candidate = nullptr,
                bool only_importable = false) {
  Search search;
  if (!ValidateUsage(d.usage).ok() || !OptionsKnown(d) ||
      !ValidateDescriptor(d).ok()) {
    return search;
  }
  const std::vector<Participant> who = ParticipantsOf(d.usage);
  LayoutConstraints constraints;
  uint64_t base = 1;
  if (!MergedAlignments(profile, who, &constraints, &base)) return search;
  // The caller's minimum stride alignment joins the LCM; with nobody taking
  // part, its modifier list (or linear) is what there is to choose from.
  const ::gralloc::DescriptorOptions caller = CallerOf(d);
  if (!Lcm(constraints.stride_alignment_bytes,
           caller.min_stride_alignment_bytes,
           &constraints.stride_alignment_bytes)) {
    return search;
  }
  for (const FormatInfo* candidate :
       CandidatesFor(*FindFormat(d.format), who)) {
    if (candidate == nullptr) continue;
    if (only_candidate != nullptr && candidate != only_candidate) continue;
    absl::StatusOr<BufferLayout> layout = ComputeLayout(
        *candidate, d.width, d.height, d.layer_count, constraints);
    if (!layout.ok() || layout->total_size_bytes > kMaxBufferSizeBytes) {
      search.some_layout_too_large = true;
      continue;
    }
    std::vector<uint64_t> modifiers =
        caller.drm_modifiers.empty() ? std::vector<uint64_t>{kLinearModifier}
                                     : caller.drm_modifiers;
    if (!who.empty()) {
      const FormatSupport* support =
          SupportFor(who[0], profile.at(who[0]), *candidate);
      if (support == nullptr) continue;
      modifiers = ModifiersOf(*support);
    }
    for (uint64_t modifier : modifiers) {
      for (const HeapIdentity& heap : heaps) {
        if (only_importable && !heap.caps.device_importable) continue;
        Proposal proposal;
        proposal.layout = *layout;
        proposal.layout.modifier = modifier;
        proposal.heap = heap;
        proposal.is_protected = Has(who, Participant::kProtected);
        proposal.base_alignment_bytes = base;
        if (Violations(profile, d, proposal).empty()) {
          search.found = true;
          search.witness = std::move(proposal);
          return search;
        }
      }
    }
  }
  return search;
}

std::string DescribeProposal(const Proposal& p) {
  std::string out =
      absl::StrCat("format ", p.layout.format->name, " modifier 0x",
                   absl::Hex(p.layout.modifier), " heap ", p.heap.name,
                   " size ", p.layout.total_size_bytes, " planes");
  for (int i = 0; i < p.layout.plane_count; ++i) {
    absl::StrAppend(&out, " [@", p.layout.planes[i].offset_bytes, " stride ",
                    p.layout.planes[i].stride_bytes, " size ",
                    p.layout.planes[i].size_bytes, "]");
  }
  return out;
}

// --- The properties
// -------------------------------------------------------------

struct Case {
  Profile profile;
  std::vector<HeapIdentity> heaps;
  BufferDescriptorInfo descriptor;
};

Case Generate(uint64_t seed) {
  RandomInputs random(seed);
  Case c;
  c.profile = random.NextProfile(ProfileOptions());
  c.heaps = random.NextHeaps();
  c.descriptor = random.NextDescriptor(DescriptorOptions());
  return c;
}

struct Tally {
  int plans = 0;
  int plans_on_cpu_only_heap_for_devices = 0;
  int plans_with_base_beyond_page = 0;
  int unimplemented = 0;
  int invalid_argument = 0;
  int refusals_with_valid_descriptor = 0;
  // Refusals of valid descriptors by the field negotiate.cc names
  // ("refused: <field>: ..."), to show what the generator exercises.
  std::map<std::string, int> refused_fields;
};

// The failure of `c`, as "<property>: <why>", or "" if every property
// holds.
std::string Check(const Case& c, Tally* tally) {
  const BufferDescriptorInfo& d = c.descriptor;
  const absl::StatusOr<Plan> plan = Negotiate(c.profile, c.heaps, d);
  const bool usage_ok = ValidateUsage(d.usage).ok();
  const bool descriptor_ok = ValidateDescriptor(d).ok();

  if (plan.ok()) {
    ++tally->plans;
    if (!usage_ok || !OptionsKnown(d) || !descriptor_ok) {
      return "soundness: a plan for a descriptor ValidateDescriptor rejects";
    }
    const std::vector<Participant> who = ParticipantsOf(d.usage);
    std::vector<Participant> theirs;
    for (const SelectedParticipant& s : plan->participants) {
      theirs.push_back(s.participant);
    }
    if (theirs != who) return "soundness: the plan names other participants";
    if (std::find_if(c.heaps.begin(), c.heaps.end(),
                     [&](const HeapIdentity& h) { return h == plan->heap; }) ==
        c.heaps.end()) {
      return absl::StrCat("soundness: heap ", plan->heap.name,
                          " is not one of this machine's");
    }
    if (plan->cache != (plan->heap.caps.cached ? CachePolicy::kCached
                                               : CachePolicy::kUncached)) {
      return "soundness: the plan's cache policy is not its heap's";
    }
    if (plan->contiguous && !plan->heap.caps.contiguous) {
      return "soundness: the plan says contiguous, its heap is not";
    }
    Proposal proposal;
    proposal.layout = plan->layout;
    proposal.heap = plan->heap;
    proposal.is_protected = plan->is_protected;
    proposal.base_alignment_bytes = plan->base_alignment_bytes;
    const std::vector<std::string> violations =
        Violations(c.profile, d, proposal);
    if (!violations.empty()) {
      return absl::StrCat("soundness: ", DescribeProposal(proposal), ": ",
                          absl::StrJoin(violations, "; "));
    }
    // Preferences, as negotiate.h orders them: an earlier candidate format
    // is never passed over if it could have served, and memory no device
    // can import is chosen for devices only when nothing else serves.
    for (const FormatInfo* earlier :
         CandidatesFor(*FindFormat(d.format), who)) {
      if (earlier == plan->layout.format) break;
      if (earlier != nullptr &&
          FindPlan(c.profile, c.heaps, d, earlier).found) {
        return absl::StrCat("preference: ", plan->layout.format->name,
                            " chosen over ", earlier->name,
                            ", which also serves");
      }
    }
    const bool any_device =
        std::any_of(who.begin(), who.end(),
                    [](Participant p) { return p != Participant::kCpu; });
    if (any_device && !plan->heap.caps.device_importable) {
      ++tally->plans_on_cpu_only_heap_for_devices;
      const Search importable =
          FindPlan(c.profile, c.heaps, d, plan->layout.format,
                   /*only_importable=*/true);
      if (importable.found) {
        return absl::StrCat("preference: ", plan->heap.name,
                            " (no device can import it) chosen for devices "
                            "although this serves: ",
                            DescribeProposal(importable.witness));
      }
    }
    if (kPageBytes % plan->base_alignment_bytes != 0) {
      ++tally->plans_with_base_beyond_page;
    }
    return "";
  }

  const absl::StatusCode code = plan.status().code();
  const std::string refusal = absl::StrCat(absl::StatusCodeToString(code), ": ",
                                           plan.status().message());
  if (code == absl::StatusCode::kUnimplemented) {
    ++tally->unimplemented;
  } else if (code == absl::StatusCode::kInvalidArgument) {
    ++tally->invalid_argument;
  } else {
    return absl::StrCat("codes: unexpected ", refusal);
  }
  if (!usage_ok || !OptionsKnown(d)) {
    return code == absl::StatusCode::kUnimplemented
               ? ""
               : absl::StrCat("codes: an unknown usage bit or option gave ",
                              refusal);
  }
  if (!descriptor_ok) {
    return code == absl::StatusCode::kInvalidArgument
               ? ""
               : absl::StrCat(
                     "codes: a descriptor ValidateDescriptor rejects gave ",
                     refusal);
  }
  ++tally->refusals_with_valid_descriptor;
  {
    absl::string_view message = plan.status().message();
    absl::ConsumePrefix(&message, "refused: ");
    ++tally->refused_fields[code == absl::StatusCode::kUnimplemented
                                ? std::string(
                                      message.substr(0, message.find(':')))
                                : "(size)"];
  }
  const Search search = FindPlan(c.profile, c.heaps, d);
  if (search.found) {
    return absl::StrCat(
        "completeness: refused (", refusal,
        ") but this plan serves everyone: ", DescribeProposal(search.witness));
  }
  if (code == absl::StatusCode::kInvalidArgument &&
      !search.some_layout_too_large) {
    return absl::StrCat("codes: ", refusal,
                        " for a valid descriptor whose layouts all fit");
  }
  return "";
}

// --- Shrinking ---------------------------------------------------------------

// One simplification of a case; false if it does not apply.
using Mutation = std::function<bool(Case*)>;

std::vector<Mutation> Mutations(const Case& c) {
  std::vector<Mutation> out;
  auto set = [&](auto getter, auto value) {
    out.push_back([getter, value](Case* k) {
      auto& field = getter(k);
      if (field == value) return false;
      field = value;
      return true;
    });
  };
  auto erase_each = [&](auto getter, size_t count) {
    for (size_t i = 0; i < count; ++i) {
      out.push_back([getter, i](Case* k) {
        auto& list = getter(k);
        if (i >= list.size()) return false;
        list.erase(list.begin() + static_cast<std::ptrdiff_t>(i));
        return true;
      });
    }
  };
  for (int p = 0; p < kParticipantCount; ++p) {
    auto entry = [p](Case* k) -> ParticipantProfile& {
      return k->profile.participants[p];
    };
    const ParticipantProfile& e = c.profile.participants[p];
    set([entry](Case* k) -> bool& { return entry(k).present; }, true);
    erase_each(
        [entry](Case* k) -> std::vector<FormatSupport>& {
          return entry(k).formats;
        },
        e.formats.size());
    for (size_t f = 0; f < e.formats.size(); ++f) {
      erase_each(
          [entry, f](Case* k) -> std::vector<uint64_t>& {
            return entry(k).formats[f].modifiers;
          },
          e.formats[f].modifiers.size());
    }
    set([entry](
            Case* k) -> uint64_t& { return entry(k).stride_alignment_bytes; },
        uint64_t{1});
    set([entry](
            Case* k) -> uint64_t& { return entry(k).height_alignment_rows; },
        uint64_t{1});
    set([entry](Case* k) -> uint64_t& { return entry(k).base_alignment_bytes; },
        uint64_t{1});
    set([entry](
            Case* k) -> uint64_t& { return entry(k).plane_alignment_bytes; },
        uint64_t{1});
    set([entry](Case* k) -> bool& { return entry(k).contiguous; }, false);
    set([entry](Case* k) -> CachePolicy& { return entry(k).cache; },
        CachePolicy::kAny);
    set([entry](Case* k) -> bool& { return entry(k).cache_required; }, false);
    erase_each(
        [entry](Case* k) -> std::vector<std::string>& {
          return entry(k).heaps;
        },
        e.heaps.size());
    set([entry](Case* k) -> int64_t& { return entry(k).max_width; },
        int64_t{0});
    set([entry](Case* k) -> int64_t& { return entry(k).max_height; },
        int64_t{0});
    set([entry](Case* k) -> uint64_t& { return entry(k).max_size_bytes; },
        uint64_t{0});
    set([entry](Case* k) -> int& { return entry(k).dma_address_bits; }, 64);
    set([entry](Case* k) -> bool& { return entry(k).supports_protected; },
        false);
  }
  erase_each(
      [](Case* k) -> std::vector<std::string>& {
        return k->profile.heap_order;
      },
      c.profile.heap_order.size());
  erase_each(
      [](Case* k) -> std::vector<HeapProperties>& {
        return k->profile.heap_properties;
      },
      c.profile.heap_properties.size());
  erase_each(
      [](Case* k) -> std::vector<std::string>& {
        return k->profile.protected_heaps;
      },
      c.profile.protected_heaps.size());
  erase_each([](Case* k) -> std::vector<HeapIdentity>& { return k->heaps; },
             c.heaps.size());
  erase_each(
      [](Case* k) -> std::vector<ExtendableType>& {
        return k->descriptor.additional_options;
      },
      c.descriptor.additional_options.size());
  set([](Case* k) -> std::string& { return k->descriptor.name; },
      std::string("property"));
  set([](Case* k) -> int64_t& { return k->descriptor.reserved_size; },
      int64_t{0});
  set([](Case* k) -> int64_t& { return k->descriptor.layer_count; },
      int64_t{1});
  for (int bit = 0; bit < 64; ++bit) {
    if ((c.descriptor.usage >> bit & 1) == 0) continue;
    out.push_back([bit](Case* k) {
      k->descriptor.usage &= ~(uint64_t{1} << bit);
      return true;
    });
  }
  for (auto dimension :
       {&BufferDescriptorInfo::width, &BufferDescriptorInfo::height}) {
    out.push_back([dimension](Case* k) {
      int64_t& value = k->descriptor.*dimension;
      if (value <= 1) return false;
      value = value / 2;
      return true;
    });
  }
  return out;
}

std::string Kind(const std::string& failure) {
  return failure.substr(0, failure.find(':'));
}

// Greedily applies simplifications while the case still fails the same
// property.
Case Shrink(Case c, const std::string& failure) {
  Tally ignored;
  for (int round = 0; round < 2000; ++round) {
    bool simpler = false;
    for (const Mutation& mutation : Mutations(c)) {
      Case candidate = c;
      if (!mutation(&candidate)) continue;
      const std::string again = Check(candidate, &ignored);
      if (!again.empty() && Kind(again) == Kind(failure)) {
        c = std::move(candidate);
        simpler = true;
        break;
      }
    }
    if (!simpler) break;
  }
  return c;
}

std::string Describe(const Case& c) {
  return absl::StrCat(DescribeProfile(c.profile, c.descriptor.usage),
                      DescribeHeaps(c.heaps), DescribeDescriptor(c.descriptor));
}

// Runs every case; prints the first few failures in full, each shrunk.
Tally RunProperties(uint64_t seed, int* failures) {
  Tally tally;
  for (int i = 0; i < kCases; ++i) {
    const Case c = Generate(CaseSeed(seed, static_cast<uint64_t>(i)));
    const std::string failure = Check(c, &tally);
    if (failure.empty() || ++*failures > 3) continue;
    const Case minimal = Shrink(c, failure);
    Tally ignored;
    ADD_FAILURE() << "case " << i << " of "
                  << ::gralloc::testing::kPropertySeedVariable << "=" << seed
                  << "\n"
                  << failure << "\n--- the case:\n"
                  << Describe(c) << "--- shrunk to:\n"
                  << Check(minimal, &ignored) << "\n"
                  << Describe(minimal);
  }
  return tally;
}

TEST(NegotiatePropertyTest,
     PlansServeEveryParticipantAndRefusalsOnlyWhenNoPlanCan) {
  const uint64_t seed = PropertySeed(kDefaultSeed);
  int failures = 0;
  const Tally tally = RunProperties(seed, &failures);
  EXPECT_EQ(failures, 0) << "of " << kCases << " cases";
  std::cout << "seed " << seed << ": " << kCases << " cases, " << tally.plans
            << " plans (" << tally.plans_on_cpu_only_heap_for_devices
            << " on memfd for devices, " << tally.plans_with_base_beyond_page
            << " with a base alignment page-aligned heaps do not promise), "
            << tally.unimplemented << " Unimplemented, "
            << tally.invalid_argument << " InvalidArgument, "
            << tally.refusals_with_valid_descriptor
            << " refusals of valid descriptors checked by search:";
  for (const auto& [field, count] : tally.refused_fields) {
    std::cout << " " << field << "=" << count;
  }
  std::cout << "\n";
  // The generator must exercise both outcomes in earnest, or the properties
  // hold vacuously.
  EXPECT_GE(tally.plans, kCases / 10);
  EXPECT_GE(tally.refusals_with_valid_descriptor, kCases / 10);
  EXPECT_GE(tally.invalid_argument, kCases / 100);
}

// The checker is only as good as what it notices: break accepted plans one
// way at a time and make sure each is caught.
TEST(NegotiatePropertyTest, TheCheckerCatchesBrokenPlans) {
  using Break = std::function<bool(const Case&, Proposal*)>;
  const std::vector<std::pair<std::string, Break>> breaks = {
      {"unlisted modifier",
       [](const Case& c, Proposal* p) {
         p->layout.modifier = 0xdead;
         return !ParticipantsOf(c.descriptor.usage).empty();
       }},
      {"one byte short",
       [](const Case& c, Proposal* p) {
         --p->layout.total_size_bytes;
         // Later layers are padded to the plane alignment, and that
         // padding may be cut.
         return c.descriptor.layer_count == 1;
       }},
      {"stride below the width",
       [](const Case& c, Proposal* p) {
         p->layout.stride_px = static_cast<int32_t>(c.descriptor.width - 1);
         return true;
       }},
      {"protection flipped",
       [](const Case&, Proposal* p) {
         p->heap.caps.is_protected = !p->heap.caps.is_protected;
         return true;
       }},
      {"overlapping planes",
       [](const Case&, Proposal* p) {
         p->layout.planes[1].offset_bytes = p->layout.planes[0].offset_bytes;
         return p->layout.plane_count > 1;
       }},
      {"misaligned stride",
       [](const Case& c, Proposal* p) {
         p->layout.planes[0].stride_bytes += 1;
         for (Participant who : ParticipantsOf(c.descriptor.usage)) {
           if (c.profile.at(who).stride_alignment_bytes > 1) return true;
         }
         return false;
       }},
      {"not contiguous",
       [](const Case& c, Proposal* p) {
         p->heap.caps.contiguous = false;
         for (Participant who : ParticipantsOf(c.descriptor.usage)) {
           if (c.profile.at(who).contiguous) return true;
         }
         return false;
       }},
  };
  std::map<std::string, int> caught;
  for (int i = 0; i < kCases / 10; ++i) {
    const Case c = Generate(CaseSeed(kDefaultSeed, static_cast<uint64_t>(i)));
    const absl::StatusOr<Plan> plan =
        Negotiate(c.profile, c.heaps, c.descriptor);
    if (!plan.ok()) continue;
    Proposal good;
    good.layout = plan->layout;
    good.heap = plan->heap;
    good.is_protected = plan->is_protected;
    good.base_alignment_bytes = plan->base_alignment_bytes;
    for (const auto& [name, apply] : breaks) {
      Proposal broken = good;
      if (!apply(c, &broken)) continue;
      EXPECT_FALSE(Violations(c.profile, c.descriptor, broken).empty())
          << name << " not noticed in case " << i << "\n"
          << Describe(c);
      ++caught[name];
    }
  }
  for (const auto& [name, unused] : breaks) {
    EXPECT_GE(caught[name], 10) << name << " was hardly exercised";
  }
}

// --- The late joiner
// ----------------------------------------------------------

// At least this many Serves() answers are checked (the issue's floor is
// 20,000); each costs a few microseconds.
constexpr int kServesChecks = 30000;

// Every heap hands out page-aligned memory, so that is the base alignment
// an existing buffer has, whatever its plan asked for.
Proposal ExistingBuffer(const Plan& plan) {
  Proposal proposal;
  proposal.layout = plan.layout;
  proposal.heap = plan.heap;
  proposal.is_protected = plan.is_protected;
  proposal.base_alignment_bytes = kPageBytes;
  return proposal;
}

// The oracle, from negotiate.h: a buffer made for A serves A|B exactly when
// what it is (format, modifier, layout, heap, protection) meets every
// participant of A|B, the checker above says so, and A|B is a valid usage.
// Which format the request could have resolved to no longer matters.
std::vector<std::string> JoinViolations(const Profile& profile,
                                        const BufferDescriptorInfo& d,
                                        const Plan& plan, uint64_t more) {
  BufferDescriptorInfo joined = d;
  joined.usage = d.usage | more;
  if (!ValidateUsage(joined.usage).ok()) return {"usage is not valid"};
  return Violations(profile, joined, ExistingBuffer(plan),
                    /*check_format_request=*/false);
}

struct ServesTally {
  int checks = 0;
  int serves = 0;
  int refuses = 0;
  int refused_for_base = 0;
  std::map<std::string, int> refused_fields;
};

// The failure of one check, or "".
std::string CheckServes(const Case& c, const Plan& plan, uint64_t more,
                        ServesTally* tally) {
  const BufferDescriptorInfo& d = c.descriptor;
  const absl::Status answer =
      Serves(c.profile, testing::BufferFromPlan(plan, d), plan.heap, more);
  const std::vector<std::string> violations =
      JoinViolations(c.profile, d, plan, more);
  ++tally->checks;
  if (answer.ok()) {
    ++tally->serves;
    if (!violations.empty()) {
      return absl::StrCat("serves ", UsageToString(more),
                          " although: ", absl::StrJoin(violations, "; "));
    }
    // A buffer that serves A|B is proof that A|B can be negotiated on its
    // heap, when the format was asked for by name.
    if (FindFormat(d.format)->layout == FormatLayout::kPlanes) {
      BufferDescriptorInfo joined = d;
      joined.usage |= more;
      const absl::StatusOr<Plan> again =
          Negotiate(c.profile, {plan.heap}, joined);
      if (!again.ok()) {
        return absl::StrCat("serves ", UsageToString(more),
                            " but negotiating it on ", plan.heap.name,
                            " is refused: ", again.status().message());
      }
    }
    return "";
  }
  ++tally->refuses;
  if (answer.code() != absl::StatusCode::kFailedPrecondition) {
    return absl::StrCat("codes: ", answer.ToString());
  }
  absl::string_view message = answer.message();
  const size_t colon = message.find(": ");
  if (colon != absl::string_view::npos) {
    absl::string_view field = message.substr(colon + 2);
    field = field.substr(0, field.find(':'));
    ++tally->refused_fields[std::string(field)];
    if (field == "base alignment") ++tally->refused_for_base;
  }
  if (violations.empty()) {
    return absl::StrCat("refuses ", UsageToString(more), " (", answer.message(),
                        ") although it meets every rule");
  }
  return "";
}

TEST(ServesPropertyTest,
     ABufferServesAJoinerExactlyWhenTheMergeForBothAcceptsIt) {
  const uint64_t seed = PropertySeed(kDefaultSeed);
  ServesTally tally;
  int failures = 0;
  for (uint64_t i = 0; tally.checks < kServesChecks && i < 50 * kServesChecks;
       ++i) {
    const Case c = Generate(CaseSeed(seed, i));
    const absl::StatusOr<Plan> plan =
        Negotiate(c.profile, c.heaps, c.descriptor);
    if (!plan.ok()) continue;
    RandomInputs random(CaseSeed(seed ^ 0x5e7e5, i));
    for (int joiner = 0; joiner < 4; ++joiner) {
      // Mostly a single new user, as "record" joining a preview is.
      uint64_t more = random.NextUsage();
      if (random.Chance(0.5)) {
        const std::vector<SelectedParticipant> selected =
            SelectParticipants(more & ~uint64_t{0xff});
        if (!selected.empty()) more = random.Pick(selected).usage_bits;
      }
      const std::string failure = CheckServes(c, *plan, more, &tally);
      if (failure.empty() || ++failures > 3) continue;
      ADD_FAILURE() << "case " << i << " of "
                    << ::gralloc::testing::kPropertySeedVariable << "=" << seed
                    << ", joining " << UsageToString(more) << "\n"
                    << failure << "\n--- the case:\n"
                    << Describe(c) << "--- the buffer: "
                    << DescribeProposal(ExistingBuffer(*plan)) << "\n";
    }
  }
  EXPECT_EQ(failures, 0);
  std::cout << "seed " << seed << ": " << tally.checks << " joiners checked, "
            << tally.serves << " served, " << tally.refuses << " refused:";
  for (const auto& [field, count] : tally.refused_fields) {
    std::cout << " " << field << "=" << count;
  }
  std::cout << "\n";
  EXPECT_GE(tally.checks, kServesChecks);
  // Both answers, and the base-alignment class in particular, in earnest.
  EXPECT_GE(tally.serves, tally.checks / 10);
  EXPECT_GE(tally.refuses, tally.checks / 10);
  EXPECT_GE(tally.refused_for_base, 20);
}

}  // namespace
}  // namespace gralloc
