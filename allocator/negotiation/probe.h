// Copyright 2026 The gralloc for Linux Authors.
//
// allocator/negotiation/probe.h: refine a platform profile with what the
// machine's devices report.
//
// A profile (built-in or a file) says what a platform's participants
// support; the drivers know better. Probing replaces a participant's format
// list with what its device reports, and leaves every other field (alignment,
// contiguity, heaps) to the profile, because drivers do not report those:
//
//   - display: the DRM/KMS device's planes. Each plane's IN_FORMATS blob
//     lists formats with the modifiers each can use; a driver without it
//     (no modifier support) gives its plane format list, linear only. The
//     display's formats become the UNION over the primary and overlay
//     planes, because the composer can put a buffer on whichever plane takes
//     its format; cursor planes are left out (small, special-purpose, not a
//     home for gralloc buffers). max_width/max_height become the mode
//     configuration's framebuffer limits.
//   - camera / codec: a V4L2 device's pixel formats (VIDIOC_ENUM_FMT),
//     mapped to DRM fourccs by memory layout (V4l2ToDrm). A camera's are
//     those of its capture queue; a codec's the union of its output (it
//     reads) and capture (it writes) queues, single- and multi-planar API.
//
// The new source of a refined entry is "probed <node>" (plus the driver's
// card name for V4L2). A device that reports no format we can map leaves
// the entry alone, with a note.
//
//   Profile profile = BuiltinProfile();
//   std::vector<std::string> notes;
//   RETURN_IF_ERROR(ProbeAndRefine(DeviceProbeOptions(), &profile, &notes));
//
// Thread safety: the functions touch only their arguments and the device
// nodes they open (and close before returning); they may run concurrently
// on different profiles.

#ifndef GRALLOC_ALLOCATOR_NEGOTIATION_PROBE_H_
#define GRALLOC_ALLOCATOR_NEGOTIATION_PROBE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "allocator/negotiation/profile.h"

namespace gralloc {

// Where ProbeAndRefine() looks. Tests point both roots at a temporary tree.
// (Named apart from heap_registry.h's ProbeOptions, which finds heaps.)
struct DeviceProbeOptions {
  std::string dev_root = "/dev";  // dri/card<N>, video<N>
  std::string sys_root = "/sys";  // class/video4linux/video<N>/name
  bool probe_drm = true;
  bool probe_v4l2 = true;
};

// Refines the display participant from the DRM device `card_path` (see the
// file comment). Sets display.present. Errors: the open/ioctl errno status
// naming the node and the call (a node without KMS, such as vgem, is
// FailedPrecondition "no planes"); `profile` is then unchanged. `notes` gets
// one line per decision (may be null).
absl::Status RefineWithDrm(const std::string& card_path, Profile* profile,
                           std::vector<std::string>* notes);

// Refines `participant` (kCamera or kCodec; anything else is
// InvalidArgument) from the V4L2 device `video_path`. Errors as above;
// a device with neither queue the participant needs is FailedPrecondition.
absl::Status RefineWithV4l2(const std::string& video_path,
                            Participant participant, Profile* profile,
                            std::vector<std::string>* notes);

// Finds the devices under `options` and refines `profile` with them:
//   - the first <dev_root>/dri/card<N> (by N) that has planes -> display;
//   - each <dev_root>/video<N> (by N), classified by its V4L2 capabilities:
//     memory-to-memory -> codec, video capture -> camera; touch, output-only,
//     metadata, VBI, radio and SDR nodes are skipped. The sysfs name
//     (<sys_root>/class/video4linux/video<N>/name: "vivid-000-vid-cap",
//     "vim2m") only labels notes. The first node of each kind wins; the
//     others are noted and ignored (a profile entry describes one device).
// Nodes that are absent, not character devices, or fail to probe change
// nothing and are noted. Never fails for a missing or odd device; returns
// InvalidArgument only for a null profile.
absl::Status ProbeAndRefine(const DeviceProbeOptions& options, Profile* profile,
                            std::vector<std::string>* notes);

// --- The pieces, exposed for tests and tools. ---

// Parses an IN_FORMATS property blob (struct drm_format_modifier_blob,
// drm_mode.h): the formats in blob order, each with the modifiers the blob
// pairs with it (in blob order, DRM_FORMAT_MOD_INVALID dropped). A format no
// modifier names is kept linear-only (empty list). Every count and offset is
// bounds-checked against `blob`: a truncated blob, offsets or counts that
// point outside it, and arrays that overlap the header or each other are
// InvalidArgument, never a read past the end.
absl::StatusOr<std::vector<FormatSupport>> ParseInFormatsBlob(
    absl::Span<const uint8_t> blob);

// Adds `format` to `formats`, or merges its modifiers into the entry with
// the same fourcc and Android format (union, order kept).
void AddFormatUnion(const FormatSupport& format,
                    std::vector<FormatSupport>* formats);

// The format, as a profile names it, with the memory layout of V4L2 pixel
// format `v4l2_pixelformat`: a DRM fourcc, or an Android format for the
// MIPI-packed and 16-bit Bayer layouts DRM has no code for. False if there
// is none (compressed formats, multi-buffer "M" variants, LSB-aligned
// 10/12-bit samples, big-endian layouts, ...). The table with the reasoning
// is in probe.cc.
bool V4l2ToDrm(uint32_t v4l2_pixelformat, FormatSupport* out);

}  // namespace gralloc

#endif  // GRALLOC_ALLOCATOR_NEGOTIATION_PROBE_H_
