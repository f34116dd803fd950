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
// so the two agree except when memory runs out. When the plan's heap runs
// out (a full CMA area), Allocate() tries the next heap the same merge
// accepted, in the plan's order, and says which heap served each buffer.
//
// Errors: InvalidArgument for a bad description (BAD_DESCRIPTOR at the ABI),
// Unimplemented for a refusal or an unknown usage bit/option (UNSUPPORTED),
// ResourceExhausted when every usable heap is out of memory (NO_RESOURCES).
//
// Thread safety: every method may be called from many threads at once.

#ifndef GRALLOC_ALLOCATOR_ALLOCATOR_H_
#define GRALLOC_ALLOCATOR_ALLOCATOR_H_

#include <cstdint>
#include <list>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/attributes.h"
#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "allocator/heaps/heap_registry.h"
#include "allocator/metadata_buffer.h"
#include "allocator/negotiation/negotiate.h"
#include "allocator/negotiation/profile.h"
#include "hal/base/mutex.h"
#include "hal/descriptor/descriptor.h"
#include "hal/handle/buffer_handle.h"

namespace gralloc {

// One buffer Allocate() made.
struct AllocatedBuffer {
  AllocatedBuffer() = default;
  // Each member from its argument, for emplace_back(): value-initialising
  // a buffer (a zero fill of several hundred bytes) and then assigning each
  // member would write it twice.
  AllocatedBuffer(NativeHandlePtr handle_in, const HandleInfo& info_in,
                  const HeapIdentity& heap_in,
                  std::vector<std::string> exhausted_in = {})
      : handle(std::move(handle_in)),
        info(info_in),
        heap(heap_in),
        exhausted(std::move(exhausted_in)) {}

  NativeHandlePtr handle;  // owns the pixel and metadata fds
  HandleInfo info;         // what the handle says (BUFFER_ID, sizes, layout)
  HeapIdentity heap;       // the heap that served it
  // The plan's heaps that were out of memory before `heap` served, each
  // with why ("reserved (cma): ..."); empty when the first heap served.
  std::vector<std::string> exhausted;
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
// The answer to a question (IsSupported, Serves): yes, or no with the
// reason, the text `gralloctl explain` prints. A method returning
// StatusOr<Verdict> fails only when the question cannot be answered at all
// (the service is gone); a "no" is a Verdict. (Not StatusOr<Status>, where
// an error and a "no" would be the same thing.)
struct Verdict {
  absl::Status refusal;  // OK for yes
  bool yes() const { return refusal.ok(); }
};

class AllocatorApi {
 public:
  virtual ~AllocatorApi() = default;
  // Whether Allocate() would succeed when memory is available: yes, or the
  // refusal Allocate() would give (InvalidArgument for a bad description,
  // Unimplemented when no plan serves its users).
  virtual absl::StatusOr<Verdict> IsSupported(
      const BufferDescriptorInfo& descriptor) = 0;
  // `count` buffers; count 0 returns none (after checking the
  // description); a negative count is InvalidArgument.
  virtual absl::StatusOr<Allocation> Allocate(
      const BufferDescriptorInfo& descriptor, int32_t count) = 0;
  // "A user joining later": whether the buffer `buffer` describes (what a
  // handle of this platform's says) also serves `additional_usage`: yes, or
  // FailedPrecondition naming the participant and the constraint, so the
  // caller can reallocate instead of failing at import. `heap` is the heap
  // holding it when the caller knows (the service's records), else null:
  // the heap of this platform with the handle's backend and flags.
  virtual absl::StatusOr<Verdict> Serves(const HandleInfo& buffer,
                                         const HeapIdentity* heap,
                                         uint64_t additional_usage) = 0;
  // Gives the quota `buffer_id` is charged to back, without closing
  // anything: the buffer lives as long as its fds. In-process nothing is
  // charged, so this is OK; through the service NotFound when it has no
  // record of the buffer for this client.
  virtual absl::Status Release(uint64_t buffer_id) = 0;
  // The mapper library to dlopen() for these buffers: a path, or a bare
  // name for the dynamic loader's search path (mapper_library.h).
  virtual absl::StatusOr<std::string> MapperLibrary() = 0;
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

  absl::StatusOr<Verdict> IsSupported(
      const BufferDescriptorInfo& descriptor) override;
  absl::StatusOr<Allocation> Allocate(const BufferDescriptorInfo& descriptor,
                                      int32_t count) override;
  absl::StatusOr<Verdict> Serves(const HandleInfo& buffer,
                                 const HeapIdentity* heap,
                                 uint64_t additional_usage) override;
  absl::Status Release(uint64_t buffer_id) override;
  absl::StatusOr<std::string> MapperLibrary() override;

  const Profile& profile() const { return profile_; }
  const HeapRegistry& heaps() const { return heaps_; }

 private:
  Allocator(Profile profile, HeapRegistry heaps);

  // The heap of this allocator that could have made `handle` (same backend
  // and flags), or the class that describes it.
  HeapIdentity HeapOfHandle(const HandleInfo& handle) const;

  // What a buffer of one description from one heap needs besides its fds:
  // the heap's request, the metadata buffer's recipe and the handle's
  // template (validated). Made once per cached description for its plan's
  // first heap, and for a fallback heap when one is used.
  struct Prepared {
    Heap* heap;
    HeapRequest request;
    MetadataRecipe metadata;
    HandleTemplate handle;
  };
  // A cached description, its plan, and its plan's first heap prepared.
  struct CachedPlan {
    BufferDescriptorInfo descriptor;
    Plan plan;
    Prepared first;
  };

  absl::StatusOr<Prepared> Prepare(const BufferDescriptorInfo& descriptor,
                                   const Plan& plan,
                                   const HeapIdentity& heap) const;

  // Allocate()'s work, into the object it returns. In line: Allocate() is
  // its only caller.
  ABSL_ATTRIBUTE_ALWAYS_INLINE inline absl::Status AllocateInto(
      const BufferDescriptorInfo& descriptor, int32_t count,
      Allocation& allocation);
  // One buffer of `cached`'s plan, appended to `out`, once its first heap
  // is out of memory (`first_refusal`): from the next heap the merge
  // accepted that has memory. `fallbacks` keeps the fallback heaps prepared
  // by earlier buffers of the same Allocate() call.
  absl::Status AllocateFromFallbacks(const BufferDescriptorInfo& descriptor,
                                     const CachedPlan& cached,
                                     const absl::Status& first_refusal,
                                     std::vector<Prepared>& fallbacks,
                                     std::vector<AllocatedBuffer>& out);
  // The metadata buffer, the buffer id and the handle for `pixels`, from
  // `used`'s heap, appended to `out`. In line in both callers: every
  // buffer takes this path, and a call costs more than it seems when the
  // code is emulated (the VM tier).
  ABSL_ATTRIBUTE_ALWAYS_INLINE static inline absl::Status Finish(
      const Plan& plan, const Prepared& used, HeapBuffer pixels,
      std::vector<std::string> exhausted, std::vector<AllocatedBuffer>& out);

  // Negotiate() and Prepare() for `descriptor`, remembered for the last
  // kPlanCacheSize descriptions: negotiation is a pure function of the
  // profile, the heaps (both fixed) and the description, and frame
  // pipelines repeat theirs. Each thread also keeps the last plan it was
  // given, which spares a pipeline's thread the cache's lock and list; the
  // plan returned stays valid until the thread's next PlanFor() or until
  // `hold` goes, whichever is later (`hold` is set only while the thread is
  // ending). In line: every allocation asks.
  ABSL_ATTRIBUTE_ALWAYS_INLINE inline absl::StatusOr<const CachedPlan*> PlanFor(
      const BufferDescriptorInfo& descriptor,
      std::shared_ptr<const CachedPlan>& hold);
  // A thread's last plan, and the allocator that gave it: what PlanFor()
  // reads. Trivially destructible, so reading it costs no check that it
  // was initialised; PlanFromCache() keeps the plan alive, and clears this
  // when the thread ends. It may outlive that allocator: a plan holds no
  // reference into it that is read again (its heap pointer only after its
  // allocator's serial matched).
  struct LastPlan {
    uint64_t allocator = 0;  // serial_; 0: none
    const CachedPlan* plan = nullptr;
  };
  // PlanFor() when `last` is not the plan: from the cache, or negotiated.
  absl::StatusOr<const CachedPlan*> PlanFromCache(
      const BufferDescriptorInfo& descriptor, LastPlan& last,
      std::shared_ptr<const CachedPlan>& hold);

  // This allocator among the process's, for the threads' last plans: an
  // address could be reused by the next allocator.
  const uint64_t serial_;
  const Profile profile_;
  const HeapRegistry heaps_;
  // The registry's heaps as negotiation sees them, in registry order.
  std::vector<HeapIdentity> available_;

  static constexpr size_t kPlanCacheSize = 16;
  Mutex plans_mu_;
  // Most recent first.
  std::list<std::shared_ptr<const CachedPlan>> plans_
      ABSL_GUARDED_BY(plans_mu_);
};

}  // namespace gralloc

#endif  // GRALLOC_ALLOCATOR_ALLOCATOR_H_
