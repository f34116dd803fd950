// Copyright 2026 The gralloc for Linux Authors.

#include "allocator/negotiation/profile.h"

#include <array>
#include <initializer_list>

#include "hal/base/fourcc.h"
#include "hal/format/format_table.h"

namespace gralloc {
namespace {

constexpr std::array<absl::string_view, kParticipantCount> kNames = {
    "cpu",    "gpu",    "display",   "codec",
    "camera", "sensor", "protected", "vendor"};

std::vector<FormatSupport> Formats(std::initializer_list<const char*> names) {
  std::vector<FormatSupport> formats;
  for (const char* name : names) {
    FormatSupport support;
    if (ParseFormatSupport(name, &support)) formats.push_back(support);
  }
  return formats;
}

}  // namespace

absl::string_view ParticipantName(Participant participant) {
  return kNames[static_cast<int>(participant)];
}

bool ParticipantFromName(absl::string_view name, Participant* out) {
  for (int i = 0; i < kParticipantCount; ++i) {
    if (kNames[i] == name) {
      *out = static_cast<Participant>(i);
      return true;
    }
  }
  return false;
}

absl::string_view CachePolicyName(CachePolicy policy) {
  switch (policy) {
    case CachePolicy::kAny:
      return "any";
    case CachePolicy::kCached:
      return "cached";
    case CachePolicy::kUncached:
      return "uncached";
  }
  return "?";
}

bool ParseFormatSupport(absl::string_view text, FormatSupport* out) {
  if (const FormatInfo* format = FindFormatByName(text)) {
    out->android_format = format->android_value;
    out->fourcc = format->drm_fourcc;
    return true;
  }
  if (text.size() == 4) {
    out->android_format = 0;
    out->fourcc = FourccCode(text[0], text[1], text[2], text[3]);
    return true;
  }
  return false;
}

Profile BuiltinProfile() {
  Profile profile;
  profile.name = "generic";
  profile.source = "built-in";
  for (int i = 0; i < kParticipantCount; ++i) {
    profile.participants[i].source = "built-in generic";
  }

  // The CPU maps anything linear from any heap, memfd included.
  ParticipantProfile& cpu = profile.at(Participant::kCpu);
  (void)cpu;

  ParticipantProfile& gpu = profile.at(Participant::kGpu);
  gpu.formats =
      Formats({"RGBA_8888", "RGBX_8888", "BGRA_8888", "RGB_888", "RGB_565",
               "RGBA_FP16", "RGBA_1010102", "R_8", "RG_1616_UINT", "NV12",
               "YCRCB_420_SP", "YV12", "YCBCR_P010", "BLOB"});
  gpu.stride_alignment_bytes = 64;

  ParticipantProfile& display = profile.at(Participant::kDisplay);
  display.formats =
      Formats({"RGBA_8888", "RGBX_8888", "BGRA_8888", "RGB_565", "RGBA_1010102",
               "NV12", "YCRCB_420_SP", "YCBCR_P010"});
  display.stride_alignment_bytes = 64;
  display.cache = CachePolicy::kUncached;  // scanout reads bypass the CPU
  display.cache_required = false;

  ParticipantProfile& codec = profile.at(Participant::kCodec);
  codec.formats =
      Formats({"NV12", "YCRCB_420_SP", "YV12", "YCBCR_P010", "BLOB", "Y8"});
  codec.stride_alignment_bytes = 16;
  codec.height_alignment_rows = 16;  // whole macroblocks

  ParticipantProfile& camera = profile.at(Participant::kCamera);
  camera.formats =
      Formats({"NV12", "YCRCB_420_SP", "YV12", "YCBCR_P010", "Y8", "Y16",
               "RAW16", "RAW10", "RAW12", "BLOB", "RGBA_8888"});
  camera.stride_alignment_bytes = 16;

  ParticipantProfile& sensor = profile.at(Participant::kSensor);
  sensor.formats = Formats({"BLOB"});

  // No protected heap is known on a generic machine.
  profile.at(Participant::kProtected).present = false;

  // Vendor bits mean nothing to a generic platform: allowed, unconstrained.
  profile.at(Participant::kVendor).source =
      "built-in generic (vendor bits carry no constraints)";

  profile.heap_order = {"system",          "udmabuf",  "cma",
                        "system-uncached", "drm-dumb", "memfd"};
  return profile;
}

}  // namespace gralloc
