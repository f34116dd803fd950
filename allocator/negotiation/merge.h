// Copyright 2026 The gralloc for Linux Authors.
//
// allocator/negotiation/merge.h: the merge rules, in one place.
//
// Every question the allocator answers about who can share a buffer runs
// these rules and no others: "can a buffer for this usage be made"
// (Negotiate(), which isSupported and allocate share) and "does this
// existing buffer also serve that usage" (Serves(), the late joiner). Both
// live in negotiate.h; they only differ in what they compare the merge
// with: candidate formats, a fresh layout and the machine's heaps, or the
// one format, layout and heap a buffer already has.
//
// The rules:
//
//  * Participants: usage bits select them (participants.h); one the
//    platform lacks refuses.
//  * Protected is all-or-nothing: every participant must support it and the
//    CPU may not take part.
//  * Alignments (stride, height, plane, base) merge by LCM, 64-bit and
//    overflow-checked; an alignment of 0 refuses. Heaps promise page-aligned
//    memory and nothing more, so a base alignment that does not divide the
//    smallest page (4 KiB) refuses.
//  * Contiguity is required if anyone needs it.
//  * Cache policies: required ones must agree; preferences that conflict
//    with a requirement or with each other are dropped.
//  * The narrowest DMA address limit wins.
//  * Formats: a concrete format serves when every participant lists it (an
//    empty list is any format, linear only); the modifiers are those every
//    participant lists for it, in the first participant's order. The
//    display also takes a format with alpha when it lists the format's
//    opaque twin (XRGB8888 for ARGB8888, OpaqueTwinFourcc()): a plane that
//    ignores alpha scans such a buffer out through a framebuffer of the twin,
//    and composites it as opaque.
//  * The caller's constraints (the descriptor's options) merge like a
//    participant's: a minimum stride alignment by LCM, a modifier list or
//    "linear only" by intersection.
//  * A layout serves when its strides, plane offsets, row count and layer
//    size are multiples of the merged alignments and it is within every
//    participant's maximum width, height and size.
//  * A heap serves when its protection matches, it is contiguous if
//    required, its caching meets a required policy, it allocates below the
//    DMA limit, every participant with a heap list names it (by name or
//    class), and a protected heap is one the profile names protected. Memory
//    no device can import (memfd) is not refused here: Negotiate() takes it
//    for devices only when nothing else serves, and says so.
//
// Every refusal is absl::StatusCode::kUnimplemented with a message
// "refused: <field>: <why>" that names the participants and, where it comes
// from a profile, the profile entry.
//
// Thread-safe: pure functions of their arguments.

#ifndef GRALLOC_ALLOCATOR_NEGOTIATION_MERGE_H_
#define GRALLOC_ALLOCATOR_NEGOTIATION_MERGE_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "allocator/heaps/heap_identity.h"
#include "allocator/layout/layout.h"
#include "allocator/negotiation/participants.h"
#include "allocator/negotiation/profile.h"
#include "hal/descriptor/descriptor.h"
#include "hal/format/format_table.h"
#include "hal/layout/buffer_layout.h"

namespace gralloc {

// What the participants of one usage need, merged.
struct Merged {
  std::vector<SelectedParticipant> participants;
  std::vector<Participant> who;  // the participants, in Participant order
  bool any_device = false;       // someone other than the CPU
  bool is_protected = false;
  LayoutConstraints constraints;  // stride, height and plane LCMs
  uint64_t base_alignment_bytes = 1;
  std::vector<Participant> contiguous_from;  // contiguity if not empty
  CachePolicy required_cache = CachePolicy::kAny;
  std::vector<Participant> required_cache_from;
  CachePolicy preferred_cache = CachePolicy::kAny;  // after conflicts
  int dma_address_bits = 64;
  std::vector<Participant> dma_address_from;
  // The caller's modifier list (empty: any) and linear-only wish.
  std::vector<uint64_t> caller_modifiers;
  bool linear_only = false;
  // "participant camera <- CAMERA_OUTPUT [built-in generic]", one per
  // participant, then one line per merged field (explain shows both).
  std::vector<std::string> participant_trace;
  std::vector<std::string> trace;

  bool contiguous() const { return !contiguous_from.empty(); }
};

// "refused: <field>: <why>", as Unimplemented.
absl::Status Refusal(absl::string_view field, absl::string_view why);

// "camera, codec", or "nobody".
std::string Names(const std::vector<Participant>& participants);

// Merges the participants `usage` names (participants, protection,
// alignments, contiguity, cache, DMA limit), and the caller's constraints
// from the descriptor's options. `usage` must be valid (ValidateUsage).
absl::StatusOr<Merged> MergeUsage(const Profile& profile, uint64_t usage,
                                  const DescriptorOptions& caller = {});

// The modifiers with which every participant of `merged` (and the caller)
// can use the concrete `format`, in the first participant's order; a
// refusal "format: ..." naming who lacks the format or a common modifier.
// When nobody takes part nothing constrains the modifier: the list is then
// the caller's, or linear, as what a new buffer takes.
absl::StatusOr<std::vector<uint64_t>> MergeFormat(const Profile& profile,
                                                  const Merged& merged,
                                                  const FormatInfo& format);

// Whether `layout`, for a width x height buffer of `layer_count` layers,
// meets the merged alignments and every participant's limits. A refusal
// names the field ("stride alignment", "max size", ...) and the
// participants whose own constraint the layout fails. A layer size of 0
// (unknown: a layout decoded from a handle of several layers) meets no
// plane alignment above 1.
absl::Status CheckLayout(const Profile& profile, const Merged& merged,
                         const BufferLayout& layout, int64_t width,
                         int64_t height, int64_t layer_count);

// Whether a heap can hold a buffer the merge describes: `why` is empty when
// it can, else the reason ("not contiguous (camera need it)") and `field`
// the merged field it fails ("contiguous", "cache policy", ...).
struct HeapFit {
  absl::string_view field;
  std::string why;
  bool ok() const { return why.empty(); }
};
HeapFit FitHeap(const Profile& profile, const Merged& merged,
                const HeapIdentity& heap);

}  // namespace gralloc

#endif  // GRALLOC_ALLOCATOR_NEGOTIATION_MERGE_H_
