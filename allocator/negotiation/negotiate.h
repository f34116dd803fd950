// Copyright 2026 The gralloc for Linux Authors.
//
// allocator/negotiation/negotiate.h: usage bits in, a plan (or a reasoned
// refusal) out.
//
// Negotiate() is the user-space answer to dma-buf's backing-storage problem:
// every future user of a buffer is named up front by its usage bits, so
// their constraints can be merged before anything is allocated:
//
//   1. The descriptor is checked at the door (hal/descriptor): bad
//      dimensions are InvalidArgument (BAD_DESCRIPTOR at the ABI); unknown
//      usage bits or options are Unimplemented (UNSUPPORTED).
//   2. Usage bits select participants (participants.h). A participant the
//      platform lacks refuses.
//   3. Protected is all-or-nothing: every participant must support it, the
//      CPU may not take part, and a protected heap must exist.
//   4. The requested format resolves to concrete layouts (a flexible format
//      to several candidates, in order); the first that every participant
//      supports wins. Modifiers are intersected (the CPU reads linear only).
//   5. Alignments merge by LCM (64-bit, overflow-checked); contiguity if
//      anyone needs it; required cache policies must agree, preferences are
//      dropped on conflict; the narrowest DMA address limit wins.
//   6. The layout is computed under the merged constraints and checked
//      against every participant's maximum width, height and size.
//   7. A heap is chosen among those present that satisfy all of that, in
//      the profile's heap order; preferences are dropped before a refusal.
//
// A refusal is absl::StatusCode::kUnimplemented with a message that names
// the field and the participants in conflict. isSupported and allocate run
// exactly this function; only allocation itself can then fail further (out
// of memory). Thread-safe: pure function of its arguments.

#ifndef GRALLOC_ALLOCATOR_NEGOTIATION_NEGOTIATE_H_
#define GRALLOC_ALLOCATOR_NEGOTIATION_NEGOTIATE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "allocator/heaps/heap_identity.h"
#include "allocator/layout/layout.h"
#include "allocator/negotiation/participants.h"
#include "allocator/negotiation/profile.h"
#include "hal/descriptor/descriptor.h"
#include "hal/format/format_table.h"

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
  // One line per decision: what was merged, from which participants and
  // profile entries, and what was dropped.
  std::vector<std::string> trace;
};

// Merges the constraints of every participant `descriptor` names. See the
// file comment for the rules and the error codes.
absl::StatusOr<Plan> Negotiate(const Profile& profile,
                               absl::Span<const HeapIdentity> heaps,
                               const BufferDescriptorInfo& descriptor);

// "A user joining later": whether a buffer allocated with `plan` also serves
// the participants of `additional_usage`, without reallocating. OK if it
// does; otherwise kFailedPrecondition naming the participant and the
// constraint the existing buffer fails (format, modifier, alignment,
// contiguity, cache, heap, size), so the caller can reallocate instead of
// failing at import.
absl::Status PlanServes(const Plan& plan, const Profile& profile,
                        uint64_t additional_usage);

}  // namespace gralloc

#endif  // GRALLOC_ALLOCATOR_NEGOTIATION_NEGOTIATE_H_
