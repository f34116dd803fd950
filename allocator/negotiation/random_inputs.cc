// Copyright 2026 The gralloc for Linux Authors.

#include "allocator/negotiation/random_inputs.h"

#include <algorithm>
#include <climits>
#include <cstdio>
#include <cstdlib>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "allocator/negotiation/participants.h"
#include "hal/base/fourcc.h"
#include "hal/format/format_table.h"
#include "hal/types/buffer_usage.h"
#include "hal/types/pixel_format.h"
#include "hal/usage/usage.h"

namespace gralloc::testing {
namespace {

constexpr uint64_t U(BufferUsage usage) { return static_cast<uint64_t>(usage); }

// Formats as profiles name them: Android names (some flexible, some the
// allocator cannot lay out) and four-character DRM fourccs, some of which
// match a table row (NV12 matches only the flexible NV12 layout) and some
// nothing at all (YU12, BG24).
const std::vector<std::string>& FormatNames() {
  static const auto* names = new std::vector<std::string>{
      "RGBA_8888",     "RGBX_8888",
      "BGRA_8888",     "RGB_888",
      "RGB_565",       "RGBA_FP16",
      "RGBA_1010102",  "BLOB",
      "YV12",          "YCRCB_420_SP",
      "YCBCR_P010",    "Y8",
      "Y16",           "RAW16",
      "RAW10",         "RAW12",
      "R_8",           "R_16_UINT",
      "RG_1616_UINT",  "YCBCR_422_SP",
      "YCBCR_422_I",   "DEPTH_16",
      "HSV_888",       "YCBCR_P210",
      "YCBCR_420_888", "IMPLEMENTATION_DEFINED",
      "RAW_OPAQUE",    "NV12",
      "NV21",          "NV16",
      "AB24",          "XB24",
      "AR24",          "R8  ",
      "P010",          "YU12",
      "YUYV",          "BG24",
      "RG16",
  };
  return *names;
}

const std::vector<uint64_t>& ModifierPool() {
  static const auto* modifiers = new std::vector<uint64_t>{
      kLinearModifier,
      0x0100000000000001,  // I915_FORMAT_MOD_X_TILED
      0x0100000000000002,  // I915_FORMAT_MOD_Y_TILED
      0x0800000000000001,  // an AFBC modifier
      0x0300000000000001,  // a Samsung tiled modifier
      0x00ffffffffffffff,  // DRM_FORMAT_MOD_INVALID
  };
  return *modifiers;
}

// Heap names and classes a profile may list; "secure" and "linux,cma" are
// names, the rest are classes (and "system", "memfd", "udmabuf" also names).
const std::vector<std::string>& HeapListPool() {
  static const auto* heaps = new std::vector<std::string>{
      "system",    "cma",      "reserved",  "udmabuf", "system-uncached",
      "protected", "drm-dumb", "linux,cma", "secure",  "drm-dumb:card0",
  };
  return *heaps;
}

const std::vector<HeapIdentity>& HeapPool() {
  static const auto* heaps = [] {
    HeapIdentity secure = DmaHeapIdentity("secure", /*is_protected=*/true);
    secure.caps.contiguous = true;  // a protected carve-out
    return new std::vector<HeapIdentity>{
        DmaHeapIdentity("system", false),
        DmaHeapIdentity("system-uncached", false),
        DmaHeapIdentity("reserved", false),
        DmaHeapIdentity("linux,cma", false),
        UdmabufIdentity(),
        DrmDumbIdentity("card0"),
        MemfdIdentity(),
        secure,
        DmaHeapIdentity("protected", /*is_protected=*/true),
    };
  }();
  return *heaps;
}

std::string Hex(uint64_t value) { return absl::StrCat("0x", absl::Hex(value)); }

std::string FormatSupportName(const FormatSupport& support) {
  std::string name;
  if (support.android_format != 0) {
    const FormatInfo* row = FindFormat(support.android_format);
    name = row != nullptr ? std::string(row->name)
                          : absl::StrCat(support.android_format);
  }
  if (support.fourcc != 0) {
    absl::StrAppend(&name, name.empty() ? "" : "/", "'",
                    FourccToString(support.fourcc), "'");
  }
  if (!support.modifiers.empty()) {
    std::vector<std::string> modifiers;
    for (uint64_t modifier : support.modifiers)
      modifiers.push_back(Hex(modifier));
    absl::StrAppend(&name, "{", absl::StrJoin(modifiers, ","), "}");
  }
  return name;
}

absl::string_view CacheName(CachePolicy policy) {
  return CachePolicyName(policy);
}

}  // namespace

uint64_t PropertySeed(uint64_t default_seed) {
  const char* text = std::getenv(kPropertySeedVariable);
  if (text == nullptr || *text == '\0') return default_seed;
  uint64_t seed = 0;
  absl::string_view view(text);
  const bool parsed = absl::ConsumePrefix(&view, "0x")
                          ? absl::SimpleHexAtoi(view, &seed)
                          : absl::SimpleAtoi(view, &seed);
  if (!parsed) {
    std::fprintf(stderr, "%s=%s is not a 64-bit number; using %llu\n",
                 kPropertySeedVariable, text,
                 static_cast<unsigned long long>(default_seed));
    return default_seed;
  }
  return seed;
}

uint64_t CaseSeed(uint64_t base, uint64_t index) {
  uint64_t z = base + (index + 1) * 0x9E3779B97F4A7C15ull;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

bool RandomInputs::Chance(double probability) {
  return std::bernoulli_distribution(probability)(engine_);
}

uint64_t RandomInputs::Uniform(uint64_t low, uint64_t high) {
  return std::uniform_int_distribution<uint64_t>(low, high)(engine_);
}

std::vector<uint64_t> RandomInputs::NextModifiers() {
  std::vector<uint64_t> modifiers;
  if (Chance(0.5)) return modifiers;  // linear only
  if (Chance(0.6)) modifiers.push_back(kLinearModifier);
  const uint64_t count = Uniform(1, 3);
  for (uint64_t i = 0; i < count; ++i) {
    const uint64_t modifier = Pick(ModifierPool());
    if (std::find(modifiers.begin(), modifiers.end(), modifier) ==
        modifiers.end()) {
      modifiers.push_back(modifier);
    }
  }
  std::shuffle(modifiers.begin(), modifiers.end(), engine_);
  return modifiers;
}

std::vector<FormatSupport> RandomInputs::NextFormats(
    double any_format, const std::vector<std::string>& core_formats) {
  std::vector<FormatSupport> formats;
  if (Chance(any_format)) return formats;  // any format, linear
  std::vector<std::string> names;
  if (Chance(0.85)) names = core_formats;
  const uint64_t extra = Uniform(Chance(0.3) ? 0 : 1, 6);
  for (uint64_t i = 0; i < extra; ++i) names.push_back(Pick(FormatNames()));
  std::shuffle(names.begin(), names.end(), engine_);
  for (const std::string& name : names) {
    FormatSupport support;
    if (!ParseFormatSupport(name, &support)) continue;
    // Rarely, name a format by its Android value alone, as a profile built
    // in code may.
    if (support.android_format != 0 && Chance(0.03)) support.fourcc = 0;
    support.modifiers = NextModifiers();
    formats.push_back(std::move(support));
  }
  return formats;
}

uint64_t RandomInputs::NextAlignment(bool allow_huge,
                                     const ProfileOptions& options) {
  static const std::vector<uint64_t> kCommon = {1, 1,  1,  1,   2,
                                                4, 16, 64, 256, 4096};
  static const std::vector<uint64_t> kOdd = {3, 5, 48};
  // Huge: alone they make strides or sizes that do not fit; together
  // (2^62 and the largest 64-bit prime) their LCM overflows 64 bits.
  static const std::vector<uint64_t> kHuge = {
      uint64_t{1} << 33, uint64_t{1} << 62, 18446744073709551557ull};
  if (Chance(0.08)) return Pick(kOdd);
  if (allow_huge && Chance(0.01 * options.hard_constraints)) return Pick(kHuge);
  if (Chance(0.003 * options.hard_constraints)) return 0;
  return Pick(kCommon);
}

ParticipantProfile RandomInputs::NextParticipant(
    Participant participant, const ProfileOptions& options,
    const std::vector<std::string>& core_formats,
    const std::vector<std::string>& core_heaps) {
  const double hard = options.hard_constraints;
  ParticipantProfile entry;
  entry.source = absl::StrCat("random ", ParticipantName(participant));
  entry.present =
      participant == Participant::kProtected ? Chance(0.6) : Chance(0.95);
  // The CPU and vendor blocks usually take anything linear.
  entry.formats = NextFormats(
      participant == Participant::kCpu || participant == Participant::kVendor
          ? 0.6
          : 0.25,
      core_formats);
  entry.stride_alignment_bytes = NextAlignment(/*allow_huge=*/true, options);
  entry.height_alignment_rows = NextAlignment(/*allow_huge=*/true, options);
  entry.base_alignment_bytes = NextAlignment(/*allow_huge=*/true, options);
  // No huge plane alignments: an offset of 0 is a multiple of anything, so
  // an overflowing LCM there would not make every plan impossible.
  entry.plane_alignment_bytes = NextAlignment(/*allow_huge=*/false, options);
  entry.contiguous = Chance(0.15 * hard);
  const uint64_t cache = Uniform(0, 4);
  entry.cache =
      cache < 3 ? CachePolicy::kAny
                : (cache == 3 ? CachePolicy::kCached : CachePolicy::kUncached);
  entry.cache_required = Chance(0.5 * hard);
  if (Chance(0.5)) {
    if (Chance(0.6)) entry.heaps = core_heaps;
    const uint64_t count = Uniform(entry.heaps.empty() ? 1 : 0, 2);
    for (uint64_t i = 0; i < count; ++i)
      entry.heaps.push_back(Pick(HeapListPool()));
    if (Chance(options.memfd_in_heap_lists)) {
      entry.heaps.push_back("memfd");
      std::swap(entry.heaps.back(),
                entry.heaps[Uniform(0, entry.heaps.size() - 1)]);
    }
  }
  static const std::vector<int64_t> kMaxDimensions = {16, 64, 1080, 1920, 4096};
  static const std::vector<uint64_t> kMaxSizes = {4096, 65536, 1 << 20,
                                                  8 << 20};
  if (Chance(0.12 * hard)) entry.max_width = Pick(kMaxDimensions);
  if (Chance(0.12 * hard)) entry.max_height = Pick(kMaxDimensions);
  if (Chance(0.12 * hard)) entry.max_size_bytes = Pick(kMaxSizes);
  if (Chance(0.15 * hard)) entry.dma_address_bits = Chance(0.7) ? 32 : 36;
  entry.supports_protected = Chance(0.5);
  return entry;
}

Profile RandomInputs::NextProfile(const ProfileOptions& options) {
  Profile profile;
  profile.name = "random";
  profile.source = "random";
  static const std::vector<std::string> kCoreFormats = {
      "RGBA_8888", "RGBX_8888", "NV12", "YCRCB_420_SP", "YV12",
      "BLOB",      "RAW16",     "R_8",  "YCBCR_P010",   "RGB_565"};
  std::vector<std::string> core_formats;
  for (const std::string& name : kCoreFormats) {
    if (Chance(0.55)) core_formats.push_back(name);
  }
  std::vector<std::string> core_heaps;
  for (const std::string& name : HeapListPool()) {
    if (Chance(0.3)) core_heaps.push_back(name);
  }
  for (int i = 0; i < kParticipantCount; ++i) {
    profile.participants[i] = NextParticipant(
        static_cast<Participant>(i), options, core_formats, core_heaps);
  }
  std::vector<std::string> order = {"system",          "udmabuf",  "cma",
                                    "system-uncached", "drm-dumb", "memfd",
                                    "reserved",        "secure"};
  std::shuffle(order.begin(), order.end(), engine_);
  order.resize(Uniform(0, order.size()));
  profile.heap_order = order;
  if (Chance(0.3)) {
    static const std::vector<int> kBits = {32, 36, 40, 64};
    const uint64_t count = Uniform(1, 3);
    for (uint64_t i = 0; i < count; ++i) {
      profile.heap_properties.push_back({Pick(HeapPool()).name, Pick(kBits)});
      if (Chance(0.5)) {
        profile.heap_properties.back().heap =
            std::string(Pick(HeapPool()).class_name());
      }
    }
  }
  if (Chance(0.6)) profile.protected_heaps.push_back("secure");
  if (Chance(0.3)) profile.protected_heaps.push_back("protected");
  if (Chance(0.1)) profile.protected_heaps.push_back("system");
  return profile;
}

std::vector<HeapIdentity> RandomInputs::NextHeaps() {
  std::vector<HeapIdentity> heaps;
  for (const HeapIdentity& heap : HeapPool()) {
    if (Chance(heap.name == "memfd" ? 0.7 : 0.4)) heaps.push_back(heap);
  }
  std::shuffle(heaps.begin(), heaps.end(), engine_);
  return heaps;
}

int64_t RandomInputs::NextDimension(const DescriptorOptions& options) {
  static const std::vector<int64_t> kOdd = {1, 2, 3, 7, 17, 33, 65, 127, 1080};
  static const std::vector<int64_t> kLarge = {1919,  1920,  4096,  8191,
                                              16384, 65535, 65536, 100000};
  static const std::vector<int64_t> kInvalid = {
      0, -1, INT32_MAX, int64_t{INT32_MAX} + 1, INT64_MIN};
  const uint64_t roll = Uniform(0, 999);
  if (roll < 700) {
    return static_cast<int64_t>(
        Uniform(1, static_cast<uint64_t>(options.common_dimension)));
  }
  if (roll < 900) return Pick(kOdd);
  if (roll < 985) {
    return options.allow_large
               ? Pick(kLarge)
               : static_cast<int64_t>(Uniform(
                     1, 4 * static_cast<uint64_t>(options.common_dimension)));
  }
  return Pick(kInvalid);
}

uint64_t RandomInputs::NextUsage() {
  uint64_t usage = 0;
  static const std::vector<uint64_t> kCpu = {0, 0, 0, 2, 3};
  usage |= Pick(kCpu);
  usage |= Pick(kCpu) << 4;
  if (Chance(0.01)) usage = (usage & ~uint64_t{0xf}) | (Chance(0.5) ? 1 : 7);
  static const std::vector<BufferUsage> kFlags = {
      BufferUsage::GPU_TEXTURE,        BufferUsage::GPU_RENDER_TARGET,
      BufferUsage::COMPOSER_OVERLAY,   BufferUsage::COMPOSER_CLIENT_TARGET,
      BufferUsage::COMPOSER_CURSOR,    BufferUsage::VIDEO_ENCODER,
      BufferUsage::CAMERA_OUTPUT,      BufferUsage::CAMERA_INPUT,
      BufferUsage::RENDERSCRIPT,       BufferUsage::VIDEO_DECODER,
      BufferUsage::SENSOR_DIRECT_DATA, BufferUsage::GPU_DATA_BUFFER,
      BufferUsage::GPU_CUBE_MAP,       BufferUsage::GPU_MIPMAP_COMPLETE,
      BufferUsage::HW_IMAGE_ENCODER,   BufferUsage::FRONT_BUFFER,
  };
  for (BufferUsage flag : kFlags) {
    if (Chance(0.09)) usage |= U(flag);
  }
  if (Chance(0.12)) usage |= U(BufferUsage::PROTECTED);
  if (Chance(0.04)) usage |= uint64_t{1} << (Chance(0.5) ? 10 : 13);  // legacy
  if (Chance(0.05)) usage |= uint64_t{1} << Uniform(28, 31);          // vendor
  if (Chance(0.05)) usage |= uint64_t{1} << Uniform(48, 63);          // vendor
  if (Chance(0.03)) {  // undefined
    static const std::vector<int> kUndefined = {19, 21, 33, 40, 47};
    usage |= uint64_t{1} << Pick(kUndefined);
  }
  return usage;
}

BufferDescriptorInfo RandomInputs::NextDescriptor(
    const DescriptorOptions& options) {
  BufferDescriptorInfo info;
  info.name = "property";
  if (Chance(0.01)) info.name = std::string(kMaxDescriptorNameBytes + 1, 'n');
  if (Chance(0.01)) info.name = std::string("nul\0name", 8);

  const uint64_t roll = Uniform(0, 99);
  const absl::Span<const FormatInfo> all = AllFormats();
  if (roll < 35) {
    info.format = all[Uniform(0, all.size() - 1)].android_value;
  } else if (roll < 93) {
    static const std::vector<PixelFormat> kCommon = {
        PixelFormat::IMPLEMENTATION_DEFINED,
        PixelFormat::YCBCR_420_888,
        PixelFormat::RAW_OPAQUE,
        PixelFormat::RGBA_8888,
        PixelFormat::RGBX_8888,
        PixelFormat::YCRCB_420_SP,
        PixelFormat::YV12,
        PixelFormat::BLOB,
        PixelFormat::YCBCR_P010,
        PixelFormat::RAW10,
        PixelFormat::RAW16,
        PixelFormat::R_8,
        PixelFormat::RGB_565};
    info.format = FormatValue(Pick(kCommon));
  } else {
    static const std::vector<int32_t> kInvalid = {
        0, -1, 0x27, 0x2A, 0x100, 0x1FF, 12345, INT32_MIN};
    info.format = Pick(kInvalid);
  }

  info.width = NextDimension(options);
  info.height = NextDimension(options);
  const FormatInfo* format = FindFormat(info.format);
  if (format != nullptr && format->rules.height_must_be_one && Chance(0.8)) {
    info.height = 1;
  }
  if (format != nullptr && format->rules.width_multiple > 1 && info.width > 0 &&
      Chance(0.8)) {
    info.width = (info.width + 3) / 4 * 4;
  }
  static const std::vector<int64_t> kLayers = {1, 1, 1, 1, 1, 1, 2, 2, 3};
  info.layer_count = Pick(kLayers);
  if (Chance(0.005))
    info.layer_count = Chance(0.5) ? 0 : int64_t{INT32_MAX} + 1;

  info.usage = NextUsage();

  const uint64_t reserved = Uniform(0, 99);
  if (reserved < 75) {
    info.reserved_size = 0;
  } else if (reserved < 95) {
    info.reserved_size = static_cast<int64_t>(Uniform(1, 8192));
  } else {
    static const std::vector<int64_t> kEdges = {kMaxReservedSizeBytes,
                                                kMaxReservedSizeBytes + 1, -1};
    info.reserved_size = Pick(kEdges);
  }

  if (Chance(0.1))
    info.additional_options.push_back({kDataspaceOptionName, 142671872});
  if (Chance(0.01))
    info.additional_options.push_back({kDataspaceOptionName, 0});
  if (Chance(0.01)) {
    info.additional_options.push_back({kDataspaceOptionName, int64_t{1} << 40});
  }
  if (Chance(0.02)) info.additional_options.push_back({"vendor.unknown", 1});
  // The caller's constraints (gralloc/allocator.h), now and then out of
  // range.
  if (Chance(0.1)) {
    const uint64_t count = Uniform(1, 3);
    for (uint64_t i = 0; i < count; ++i) {
      info.additional_options.push_back(
          {kDrmModifierOptionName,
           static_cast<int64_t>(Chance(0.3) ? kLinearModifier
                                            : Pick(ModifierPool()))});
    }
  }
  if (Chance(0.05)) {
    info.additional_options.push_back(
        {kLinearOnlyOptionName, Chance(0.9) ? 1 : 2});
  }
  if (Chance(0.05)) {
    info.additional_options.push_back(
        {kPreferredHeapOptionName, static_cast<int64_t>(Uniform(0, 8))});
  }
  if (Chance(0.05)) {
    static const std::vector<int64_t> kAlignments = {1,    3,     64,   256,
                                                     4096, 65536, 70000};
    info.additional_options.push_back(
        {kMinStrideAlignmentOptionName, Pick(kAlignments)});
  }
  return info;
}

std::string DescribeProfile(const Profile& profile, uint64_t usage) {
  std::string out = absl::StrCat("profile \"", profile.name, "\"\n");
  const ParticipantProfile defaults;
  std::vector<Participant> selected;
  if (ValidateUsage(usage).ok()) {
    for (const SelectedParticipant& s : SelectParticipants(usage)) {
      selected.push_back(s.participant);
    }
  }
  for (int i = 0; i < kParticipantCount; ++i) {
    const Participant p = static_cast<Participant>(i);
    const ParticipantProfile& e = profile.participants[i];
    const bool is_selected =
        std::find(selected.begin(), selected.end(), p) != selected.end();
    std::vector<std::string> fields;
    if (!e.present) fields.push_back("present=no");
    if (!e.formats.empty()) {
      std::vector<std::string> formats;
      for (const FormatSupport& f : e.formats)
        formats.push_back(FormatSupportName(f));
      fields.push_back(
          absl::StrCat("formats=[", absl::StrJoin(formats, " "), "]"));
    }
    if (e.stride_alignment_bytes != 1) {
      fields.push_back(absl::StrCat("stride=", e.stride_alignment_bytes));
    }
    if (e.height_alignment_rows != 1) {
      fields.push_back(absl::StrCat("height=", e.height_alignment_rows));
    }
    if (e.base_alignment_bytes != 1) {
      fields.push_back(absl::StrCat("base=", e.base_alignment_bytes));
    }
    if (e.plane_alignment_bytes != 1) {
      fields.push_back(absl::StrCat("plane=", e.plane_alignment_bytes));
    }
    if (e.contiguous) fields.push_back("contiguous");
    if (e.cache != CachePolicy::kAny || e.cache_required) {
      fields.push_back(
          absl::StrCat("cache=", CacheName(e.cache),
                       e.cache_required ? "(required)" : "(preferred)"));
    }
    if (!e.heaps.empty()) {
      fields.push_back(
          absl::StrCat("heaps=[", absl::StrJoin(e.heaps, " "), "]"));
    }
    if (e.max_width != 0)
      fields.push_back(absl::StrCat("max_width=", e.max_width));
    if (e.max_height != 0)
      fields.push_back(absl::StrCat("max_height=", e.max_height));
    if (e.max_size_bytes != 0) {
      fields.push_back(absl::StrCat("max_size=", e.max_size_bytes));
    }
    if (e.dma_address_bits != defaults.dma_address_bits) {
      fields.push_back(absl::StrCat("dma_bits=", e.dma_address_bits));
    }
    if (e.supports_protected) fields.push_back("supports_protected");
    if (!is_selected && fields.empty()) continue;
    absl::StrAppend(
        &out, "  ", is_selected ? "*" : " ", ParticipantName(p), ": ",
        fields.empty() ? "(defaults)" : absl::StrJoin(fields, " "), "\n");
  }
  absl::StrAppend(&out, "  heap_order=[",
                  absl::StrJoin(profile.heap_order, " "), "]");
  if (!profile.heap_properties.empty()) {
    absl::StrAppend(&out, " heap_properties=[");
    for (const HeapProperties& h : profile.heap_properties) {
      absl::StrAppend(&out, " ", h.heap, ":", h.address_bits, "bit");
    }
    absl::StrAppend(&out, " ]");
  }
  absl::StrAppend(&out, " protected_heaps=[",
                  absl::StrJoin(profile.protected_heaps, " "), "]\n");
  return out;
}

HandleInfo BufferFromPlan(const Plan& plan,
                          const BufferDescriptorInfo& descriptor) {
  HandleInfo buffer;
  buffer.width = static_cast<int32_t>(descriptor.width);
  buffer.height = static_cast<int32_t>(descriptor.height);
  buffer.layer_count = static_cast<int32_t>(descriptor.layer_count);
  buffer.format_requested = descriptor.format;
  buffer.usage = descriptor.usage;
  buffer.allocation_size = plan.layout.total_size_bytes;
  buffer.backend = plan.heap.caps.backend;
  buffer.flags = (plan.is_protected ? kHandleFlagProtected : 0u) |
                 (plan.heap.caps.contiguous ? kHandleFlagContiguous : 0u) |
                 (plan.heap.caps.cached ? 0u : kHandleFlagUncached);
  buffer.layout = plan.layout;
  return buffer;
}

std::string DescribeHeaps(const std::vector<HeapIdentity>& heaps) {
  std::string out = "heaps:";
  if (heaps.empty()) out += " (none)";
  for (const HeapIdentity& h : heaps) {
    absl::StrAppend(&out, " ", h.name, "(", h.class_name(),
                    h.caps.contiguous ? ",contiguous" : "",
                    h.caps.cached ? ",cached" : ",uncached",
                    h.caps.device_importable ? "" : ",cpu-only",
                    h.caps.is_protected ? ",protected" : "", ")");
  }
  return out + "\n";
}

std::string DescribeDescriptor(const BufferDescriptorInfo& d) {
  const FormatInfo* format = FindFormat(d.format);
  std::string out = absl::StrCat(
      "descriptor: ", d.width, "x", d.height, " layers=", d.layer_count,
      " format=", format != nullptr ? std::string(format->name) : "?", "(",
      Hex(static_cast<uint32_t>(d.format)), ") usage=", UsageToString(d.usage),
      " (", Hex(d.usage), ") reserved=", d.reserved_size);
  if (d.name != "property")
    absl::StrAppend(&out, " name_bytes=", d.name.size());
  for (const ExtendableType& option : d.additional_options) {
    absl::StrAppend(&out, " option[", option.name, "=", option.value, "]");
  }
  return out + "\n";
}

}  // namespace gralloc::testing
