// Copyright 2026 The gralloc for Linux Authors.
//
// allocator/negotiation/profile_json.h: platform profiles as JSON files.
//
// A vendor describes a platform in a JSON file instead of code; the allocator
// loads it at start (GrallocAllocator_openInProcess(path), the service's
// --profile flag). Shipped examples live in allocator/profiles/.
//
//   absl::StatusOr<Profile> profile = LoadProfileFile("/etc/gralloc/soc.json");
//   if (!profile.ok()) { std::cerr << profile.status().message(); ... }
//
// The parser is nlohmann::json; this file only maps its tree onto Profile and
// checks every value at the door, so negotiation can trust the result.
//
// Schema. Every key is optional; an unknown key anywhere is an error (a typo
// must not silently become "no constraint").
//
//   {
//     "name": "soc-no-iommu",          // default: the file name without .json
//     "description": "free text",      // for people; ignored
//     "inherits": "generic",           // or null / absent, see below
//     "heap_order": ["system", "cma"], // classes or names, preferred first
//     "heap_properties": {"cma": {"address_bits": 32}},
//     "protected_heaps": ["secure"],   // dma-buf heaps of protected memory
//     "participants": {
//       "camera": {
//         "present": true,
//         "formats": ["NV12", "YCRCB_420_SP",
//                     {"format": "AB24", "modifiers": ["0x0", "LINEAR"]}],
//         "stride_alignment_bytes": 64,
//         "height_alignment_rows": 16,
//         "base_alignment_bytes": 4096,
//         "plane_alignment_bytes": 64,
//         "contiguous": true,
//         "cache": "uncached",           // "any" | "cached" | "uncached"
//         "cache_required": true,        // false: a preference
//         "heaps": ["cma"],
//         "max_width": 4096,             // 0: no limit
//         "max_height": 4096,
//         "max_size_bytes": 67108864,
//         "dma_address_bits": 32,        // 12..64
//         "supports_protected": false
//       }
//     }
//   }
//
// The participant keys are ParticipantProfile's field names (units in the
// names, as everywhere in this project). Participant names are those of
// ParticipantName(): cpu, gpu, display, codec, camera, sensor, protected,
// vendor. A format is an Android PixelFormat name ("RGBA_8888") or a DRM
// fourcc of four capitals, digits or spaces ("NV12", "XR24", "R8  "), as
// ParseFormatSupport() reads them ("nv12" is refused as a likely typo).
// Modifiers are unsigned JSON integers or strings ("0x0100000000000001",
// decimal, or "LINEAR"). Strings are recommended: JSON tools other than this
// parser often keep only 53 bits of a number.
//
// Where values start from:
//   - "inherits": "generic" starts from BuiltinProfile(). Each participant
//     the file names starts from the generic entry, and the keys given
//     replace those fields (a list replaces the whole list); participants
//     the file does not name keep the generic entry. Top-level lists
//     (heap_order, heap_properties, protected_heaps) replace generic's when
//     given.
//   - no "inherits" (or null) starts from an empty, permissive profile:
//     every participant present with no constraints (any format, linear; no
//     alignment; any heap), except "protected", which is absent until the
//     file describes it; no heap order, no heap properties, no protected
//     heaps.
//
// Provenance: Profile::source is the source name; a participant's `source`
// is the source name when the file names it, "<file> (inherited generic)"
// when it comes unchanged from generic, and "<file> (no constraints)" when a
// non-inheriting file leaves it out.
//
// Errors are absl::InvalidArgumentError with a message that points at the
// problem:
//   syntax:    "<file>:<line>:<column>: <what the parser expected>"
//   semantics: "<file>: <JSON pointer>: <rule>", e.g.
//              "soc.json: /participants/camera/stride_alignment_bytes: must
//               be an integer >= 1"
// Lines and columns count from 1; columns count bytes. The position is the
// last byte the parser read: the offending character, or the end of the
// offending token.
//
// Thread safety: both functions are pure (LoadProfileFile reads the file
// once) and may run concurrently.

#ifndef GRALLOC_ALLOCATOR_NEGOTIATION_PROFILE_JSON_H_
#define GRALLOC_ALLOCATOR_NEGOTIATION_PROFILE_JSON_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "allocator/negotiation/profile.h"

namespace gralloc {

// Reads and parses the profile at `path`; messages name the file as `path`
// was given. A file that cannot be read is the open/read errno status
// (NotFound for ENOENT, ...), naming the path.
absl::StatusOr<Profile> LoadProfileFile(const std::string& path);

// Parses `text` as a profile. `source_name` names it in messages and in
// provenance (normally the file's path).
absl::StatusOr<Profile> ParseProfileJson(absl::string_view text,
                                         absl::string_view source_name);

}  // namespace gralloc

#endif  // GRALLOC_ALLOCATOR_NEGOTIATION_PROFILE_JSON_H_
