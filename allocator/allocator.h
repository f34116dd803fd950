// Copyright 2026 The gralloc for Linux Authors.
//
// allocator/allocator.h: the in-process allocator.
//
// An Allocator owns a platform profile and the heaps this machine has. For a
// buffer description it negotiates a plan (negotiation/negotiate.h),
// allocates the pixel memory from the plan's heap, creates and initialises
// the shared metadata buffer, gives the buffer a unique, unguessable
// BUFFER_ID, and returns raw handles in the frozen wire format
// (hal/handle/buffer_handle.h).
//
//   ASSIGN_OR_RETURN(std::unique_ptr<Allocator> allocator,
//                    Allocator::Create(BuiltinProfile(),
//                                      HeapRegistry::Probe(ProbeOptions())));
//   ASSIGN_OR_RETURN(Allocation allocation, allocator->Allocate(info, 3));
//
// IsSupported() runs the same negotiation as Allocate() and nothing else,
// so the two agree except when memory runs out.
//
// Errors: InvalidArgument for a bad description (BAD_DESCRIPTOR at the ABI),
// Unimplemented for a refusal or an unknown usage bit/option (UNSUPPORTED),
// ResourceExhausted when memory runs out (NO_RESOURCES).
//
// Thread safety: every method may be called from many threads at once.

#ifndef GRALLOC_ALLOCATOR_ALLOCATOR_H_
#define GRALLOC_ALLOCATOR_ALLOCATOR_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "allocator/heaps/heap_registry.h"
#include "allocator/negotiation/negotiate.h"
#include "allocator/negotiation/profile.h"
#include "hal/descriptor/descriptor.h"
#include "hal/handle/buffer_handle.h"

namespace gralloc {

// One buffer Allocate() made.
struct AllocatedBuffer {
  NativeHandlePtr handle;  // owns the pixel and metadata fds
  HandleInfo info;         // what the handle says (BUFFER_ID, sizes, layout)
  HeapIdentity heap;       // the heap that served it
};

// What Allocate() returns: the buffers' one description (the same for every
// buffer; its stride_px is the stride the C ABI reports) and the buffers.
// The negotiation's Plan stays inside the allocator (Explain() shows it).
struct Allocation {
  BufferLayout layout;
  std::vector<AllocatedBuffer> buffers;
};

// The operations every allocator offers, in-process or through the service
// (allocator/client), so callers and the C ABI need not know which.
class AllocatorApi {
 public:
  virtual ~AllocatorApi() = default;
  // Whether Allocate() would succeed when memory is available. An error
  // only when the question cannot be answered (e.g. the service is gone).
  virtual absl::StatusOr<bool> IsSupported(
      const BufferDescriptorInfo& descriptor) = 0;
  // `count` buffers; count 0 returns none (after checking the
  // description); a negative count is InvalidArgument.
  virtual absl::StatusOr<Allocation> Allocate(
      const BufferDescriptorInfo& descriptor, int32_t count) = 0;
};

class Allocator final : public AllocatorApi {
 public:
  // An allocator with `profile` and the heaps of `heaps`.
  static absl::StatusOr<std::unique_ptr<Allocator>> Create(Profile profile,
                                                           HeapRegistry heaps);

  Allocator(const Allocator&) = delete;
  Allocator& operator=(const Allocator&) = delete;

  // The negotiation alone, with its trace: `gralloctl explain`.
  absl::StatusOr<Plan> Explain(const BufferDescriptorInfo& descriptor) const;

  absl::StatusOr<bool> IsSupported(
      const BufferDescriptorInfo& descriptor) override;
  absl::StatusOr<Allocation> Allocate(const BufferDescriptorInfo& descriptor,
                                      int32_t count) override;

  // "A user joining later": OK if the buffer described by `handle` (one
  // this allocator's platform made) also serves `additional_usage`;
  // FailedPrecondition naming the participant and the constraint if not,
  // so the application can reallocate instead of failing at import.
  absl::Status Serves(const HandleInfo& handle,
                      uint64_t additional_usage) const;

  const Profile& profile() const { return profile_; }
  const std::vector<HeapIdentity>& available_heaps() const {
    return available_;
  }
  const HeapRegistry& heaps() const { return heaps_; }

 private:
  Allocator(Profile profile, HeapRegistry heaps);

  // The heap of this allocator that could have made `handle` (same backend
  // and flags), or the class that describes it.
  HeapIdentity HeapOfHandle(const HandleInfo& handle) const;

  absl::StatusOr<AllocatedBuffer> AllocateOne(
      const BufferDescriptorInfo& descriptor, const Plan& plan);

  const Profile profile_;
  const HeapRegistry heaps_;
  // The registry's heaps as negotiation sees them, in registry order.
  std::vector<HeapIdentity> available_;
  std::vector<Heap*> by_index_;  // parallel to available_
};

}  // namespace gralloc

#endif  // GRALLOC_ALLOCATOR_ALLOCATOR_H_
