// Copyright 2026 The gralloc for Linux Authors.
//
// allocator/negotiation/negotiate.h: the two questions negotiation answers,
// both with the merge rules of merge.h and nothing else.
//
// Negotiate() is the user-space answer to dma-buf's backing-storage problem:
// every future user of a buffer is named up front by its usage bits, so
// their constraints can be merged before anything is allocated:
//
//   1. The descriptor is checked at the door (hal/descriptor): bad
//      dimensions or option values are InvalidArgument (BAD_DESCRIPTOR at
//      the ABI); unknown usage bits or option names are Unimplemented
//      (UNSUPPORTED).
//   2. The usage's participants, and the caller's options, are merged
//      (MergeUsage).
//   3. The requested format resolves to concrete layouts, most preferred
//      first; the first the merge accepts wins: its format (MergeFormat,
//      with the first common modifier) and its layout, computed under the
//      merged alignments (ComputeLayout), within every participant's limits
//      (CheckLayout). A format with planes resolves to itself;
//      YCBCR_420_888 to the 4:2:0 layouts NV12, NV21 (YCRCB_420_SP), YV12;
//      IMPLEMENTATION_DEFINED to those for camera or codec users, then RGB
//      (RGBA_8888, RGBX_8888, BGRA_8888; RGBX first when only the display
//      reads it), and for everyone else to RGB, then the 4:2:0 layouts;
//      RAW_OPAQUE to RAW16.
//   4. Every heap of the machine that the merge accepts (FitHeap) is
//      usable; they are ranked: memory a device can import first when a
//      device takes part, then the caller's preferred heap class, then the
//      cache preference, then the profile's heap order. The first is the
//      plan's heap, the rest its fallbacks.
//
// Serves() is the late joiner ("preview first, record later"): a buffer
// made for usage A serves A|B exactly when the merge for A|B accepts the
// buffer's format and modifier (MergeFormat), its layout (CheckLayout) and
// its heap and protection (FitHeap). A property test holds the two to
// that.
//
// Thread-safe: pure functions of their arguments.

#ifndef GRALLOC_ALLOCATOR_NEGOTIATION_NEGOTIATE_H_
#define GRALLOC_ALLOCATOR_NEGOTIATION_NEGOTIATE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "allocator/heaps/heap_identity.h"
#include "allocator/layout/layout.h"
#include "allocator/negotiation/merge.h"
#include "allocator/negotiation/participants.h"
#include "allocator/negotiation/profile.h"
#include "hal/descriptor/descriptor.h"
#include "hal/format/format_table.h"
#include "hal/handle/buffer_handle.h"

namespace gralloc {

// The outcome of a negotiation: everything needed to allocate and to write
// the handle, and the reasoning for `gralloctl explain`.
struct Plan {
  std::vector<SelectedParticipant> participants;
  LayoutConstraints constraints;
  uint64_t base_alignment_bytes = 1;
  // The buffer's one description: the concrete format chosen, the
  // modifier, and where every plane lies.
  BufferLayout layout;
  bool contiguous = false;
  bool is_protected = false;
  CachePolicy cache = CachePolicy::kAny;
  int dma_address_bits = 64;
  HeapIdentity heap;
  // The other heaps the merge accepts, best first: where Allocate() turns
  // when `heap` is out of memory. When a device takes part and `heap` is
  // one it can import, memory it cannot (memfd) is not among them.
  std::vector<HeapIdentity> fallback_heaps;
  // One line per decision: what was merged, from which participants and
  // profile entries, and what was dropped.
  std::vector<std::string> trace;
};

// Merges the constraints of every participant `descriptor` names and plans
// a buffer on one of `heaps`. See the file comment for the steps; a refusal
// is Unimplemented naming the field and the participants.
absl::StatusOr<Plan> Negotiate(const Profile& profile,
                               absl::Span<const HeapIdentity> heaps,
                               const BufferDescriptorInfo& descriptor);

// Whether the existing buffer `buffer` (allocated for buffer.usage, on
// `heap`) also serves the participants of `additional_usage`. OK if it does;
// otherwise FailedPrecondition "the buffer does not serve <usage>: <field>:
// <why>", naming the participants and the constraint (format, modifier,
// alignment, contiguity, cache, heap, size, protection), so the caller can
// reallocate instead of failing at import.
absl::Status Serves(const Profile& profile, const HandleInfo& buffer,
                    const HeapIdentity& heap, uint64_t additional_usage);

}  // namespace gralloc

#endif  // GRALLOC_ALLOCATOR_NEGOTIATION_NEGOTIATE_H_
