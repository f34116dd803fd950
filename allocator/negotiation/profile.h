// Copyright 2026 The gralloc for Linux Authors.
//
// allocator/negotiation/profile.h: what a platform's participants support
// and require, as data.
//
// A participant is a kind of future user of a buffer, selected by usage bits
// (participants.h): the CPU, the GPU, the display, a codec, a camera, a
// sensor hub, the protected-content path, a vendor block. A platform profile
// says, for each participant, which formats and DRM modifiers it reads and
// writes, which alignments and memory properties it needs, and which heaps
// it can import from. Negotiation (negotiate.h) merges the entries of the
// participants a buffer names.
//
// Profiles come from three places: the built-in "generic" default
// (BuiltinProfile), a JSON file (profile_json.h; examples under
// allocator/profiles/), and probing (probe.h) which refines a profile with
// what the machine's DRM and V4L2 devices report. Every field records where
// its value came from, so `gralloctl explain` can show it.

#ifndef GRALLOC_ALLOCATOR_NEGOTIATION_PROFILE_H_
#define GRALLOC_ALLOCATOR_NEGOTIATION_PROFILE_H_

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "hal/layout/buffer_layout.h"

namespace gralloc {

enum class Participant : int {
  kCpu = 0,
  kGpu,
  kDisplay,
  kCodec,
  kCamera,
  kSensor,
  kProtected,
  kVendor,
};
inline constexpr int kParticipantCount = 8;

// "cpu", "gpu", "display", "codec", "camera", "sensor", "protected",
// "vendor": the names profiles and messages use.
absl::string_view ParticipantName(Participant participant);
// The participant named `name`, or false.
bool ParticipantFromName(absl::string_view name, Participant* out);

// A format a participant supports. Matches a concrete layout by DRM fourcc
// when both have one, otherwise by Android format value.
struct FormatSupport {
  uint32_t fourcc = 0;         // 0: none
  int32_t android_format = 0;  // 0: none
  // Modifiers the participant can use with this format; empty means linear
  // only.
  std::vector<uint64_t> modifiers;
};

enum class CachePolicy { kAny, kCached, kUncached };
absl::string_view CachePolicyName(CachePolicy policy);

// One participant's constraints. Zero for a limit means "no limit"; an empty
// list means "anything".
struct ParticipantProfile {
  // False when the platform has no such device: a usage naming it is
  // refused, because nobody could honour it.
  bool present = true;
  std::vector<FormatSupport> formats;  // empty: any format, linear
  uint64_t stride_alignment_bytes = 1;
  uint64_t height_alignment_rows = 1;
  uint64_t base_alignment_bytes = 1;   // start of the buffer
  uint64_t plane_alignment_bytes = 1;  // offset of every plane
  bool contiguous = false;             // needs physically contiguous memory
  CachePolicy cache = CachePolicy::kAny;
  bool cache_required = false;  // false: a preference, dropped on conflict
  // Heaps it can import from: heap names ("reserved") or classes ("system",
  // "system-uncached", "cma", "udmabuf", "drm-dumb", "memfd", "protected").
  // Empty: any heap a device can import (memfd only for the CPU).
  std::vector<std::string> heaps;
  int64_t max_width = 0;
  int64_t max_height = 0;
  uint64_t max_size_bytes = 0;
  // Widest DMA address the device can use without an IOMMU (32 for an old
  // DMA engine); 64 when it has an IOMMU or no limit.
  int dma_address_bits = 64;
  bool supports_protected = false;
  // Where these values came from ("built-in generic", "file.json",
  // "probed /dev/dri/card0").
  std::string source;
};

// Properties of a heap class or heap name that only the platform knows.
struct HeapProperties {
  std::string heap;       // a heap name or class
  int address_bits = 64;  // highest physical address bit it allocates from
};

struct Profile {
  std::string name;
  std::string source;
  std::array<ParticipantProfile, kParticipantCount> participants;
  // Heap classes or names, most preferred first. A heap not listed is used
  // only after every listed one.
  std::vector<std::string> heap_order;
  std::vector<HeapProperties> heap_properties;
  // dma-buf heap names that hold protected memory (never probed: a heap is
  // protected only when a profile says so).
  std::vector<std::string> protected_heaps;
  // The service's allocate-ahead pool budget (allocator/service/pool.h);
  // 0: no pool. Not negotiation, but the platform's to size: the
  // profile's "pool_budget_mib"; gralloc-allocatord --pool-budget
  // overrides it.
  uint64_t pool_budget_bytes = 0;

  ParticipantProfile& at(Participant p) {
    return participants[static_cast<int>(p)];
  }
  const ParticipantProfile& at(Participant p) const {
    return participants[static_cast<int>(p)];
  }
};

// The built-in default: an IOMMU-style platform where every device can
// import any dma-buf heap's memory, nothing needs contiguity, the GPU and
// display want 64-byte strides, and codecs and cameras speak the common YUV
// formats. Used when no profile file is given.
Profile BuiltinProfile();

// Parses a format as profiles name it: an Android PixelFormat name
// ("RGBA_8888", "BLOB", matched ignoring case) or a DRM fourcc of exactly
// four characters ("NV12", "AB24"). False if it is neither.
bool ParseFormatSupport(absl::string_view text, FormatSupport* out);

}  // namespace gralloc

#endif  // GRALLOC_ALLOCATOR_NEGOTIATION_PROFILE_H_
