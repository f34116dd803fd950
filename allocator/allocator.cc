// Copyright 2026 The gralloc for Linux Authors.

#include "allocator/allocator.h"

#include <unistd.h>

#include <atomic>
#include <climits>
#include <cstdint>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/attributes.h"
#include "absl/base/optimization.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "allocator/buffer_id.h"
#include "allocator/mapper_library.h"
#include "allocator/metadata_buffer.h"
#include "hal/base/status_macros.h"
#include "hal/metadata/metadata_types.h"

namespace gralloc {
namespace {

Dataspace InitialDataspace(const BufferDescriptorInfo& descriptor) {
  for (const ExtendableType& option : descriptor.additional_options) {
    if (option.name == kDataspaceOptionName) {
      return static_cast<Dataspace>(static_cast<int32_t>(option.value));
    }
  }
  return Dataspace::UNKNOWN;
}

// a == b, eight bytes at a time in line: a description's strings are
// short, and a call to memcmp() costs more than comparing them when the
// code is emulated (the VM tier), where every return is an indirect jump.
ABSL_ATTRIBUTE_ALWAYS_INLINE inline bool SameString(const std::string& a,
                                                    const std::string& b) {
  const size_t n = a.size();
  if (n != b.size()) return false;
  const char* x = a.data();
  const char* y = b.data();
  auto word = [](const char* p) {
    uint64_t w;
    std::memcpy(&w, p, sizeof(w));
    return w;
  };
  if (n < sizeof(uint64_t)) {
    for (size_t i = 0; i < n; ++i) {
      if (x[i] != y[i]) return false;
    }
    return true;
  }
  for (size_t i = 0; i + sizeof(uint64_t) <= n; i += sizeof(uint64_t)) {
    if (word(x + i) != word(y + i)) return false;
  }
  // The last word, overlapping the one before when n is not a multiple.
  return word(x + n - sizeof(uint64_t)) == word(y + n - sizeof(uint64_t));
}

// Whether `a` and `b` describe the same buffers: every field negotiation
// reads, the name included (it is checked at the door). Compared field by
// field: building a key string for it was a third of the user-space
// instructions of a cached allocation.
ABSL_ATTRIBUTE_ALWAYS_INLINE inline bool SameDescription(
    const BufferDescriptorInfo& a, const BufferDescriptorInfo& b) {
  if (a.width != b.width || a.height != b.height ||
      a.layer_count != b.layer_count || a.format != b.format ||
      a.usage != b.usage || a.reserved_size != b.reserved_size ||
      !SameString(a.name, b.name) ||
      a.additional_options.size() != b.additional_options.size()) {
    return false;
  }
  for (size_t i = 0; i < a.additional_options.size(); ++i) {
    const ExtendableType& x = a.additional_options[i];
    const ExtendableType& y = b.additional_options[i];
    if (x.value != y.value || !SameString(x.name, y.name)) return false;
  }
  return true;
}

// Allocator::serial_ values; 0 is never one.
std::atomic<uint64_t> next_allocator_serial{1};

}  // namespace

Allocator::Allocator(Profile profile, HeapRegistry heaps)
    : serial_(next_allocator_serial.fetch_add(1, std::memory_order_relaxed)),
      profile_(std::move(profile)),
      heaps_(std::move(heaps)) {
  for (const std::unique_ptr<Heap>& heap : heaps_.heaps()) {
    available_.push_back(heap->identity());
  }
}

absl::StatusOr<std::unique_ptr<Allocator>> Allocator::Create(
    Profile profile, HeapRegistry heaps) {
  return std::unique_ptr<Allocator>(
      new Allocator(std::move(profile), std::move(heaps)));
}

absl::StatusOr<Plan> Allocator::Explain(
    const BufferDescriptorInfo& descriptor) const {
  return Negotiate(profile_, available_, descriptor);
}

absl::StatusOr<Verdict> Allocator::IsSupported(
    const BufferDescriptorInfo& descriptor) {
  std::shared_ptr<const CachedPlan> hold;
  return Verdict{PlanFor(descriptor, hold).status()};
}

absl::StatusOr<const Allocator::CachedPlan*> Allocator::PlanFor(
    const BufferDescriptorInfo& descriptor,
    std::shared_ptr<const CachedPlan>& hold) {
  thread_local LastPlan last;
  if (ABSL_PREDICT_TRUE(last.allocator == serial_ &&
                        SameDescription(last.plan->descriptor, descriptor))) {
    return last.plan;
  }
  return PlanFromCache(descriptor, last, hold);
}

absl::StatusOr<const Allocator::CachedPlan*> Allocator::PlanFromCache(
    const BufferDescriptorInfo& descriptor, LastPlan& last,
    std::shared_ptr<const CachedPlan>& hold) {
  std::shared_ptr<const CachedPlan> found;
  {
    MutexLock lock(&plans_mu_);
    for (auto it = plans_.begin(); it != plans_.end(); ++it) {
      if (!SameDescription((*it)->descriptor, descriptor)) continue;
      if (it != plans_.begin()) plans_.splice(plans_.begin(), plans_, it);
      found = plans_.front();
      break;
    }
  }
  if (found == nullptr) {
    // Refusals are not remembered: they are cheap, and rarely repeated.
    ASSIGN_OR_RETURN(Plan plan, Negotiate(profile_, available_, descriptor));
    ASSIGN_OR_RETURN(Prepared first, Prepare(descriptor, plan, plan.heap));
    found = std::make_shared<const CachedPlan>(
        CachedPlan{descriptor, std::move(plan), std::move(first)});
    MutexLock lock(&plans_mu_);
    plans_.push_front(found);
    if (plans_.size() > kPlanCacheSize) plans_.pop_back();
  }
  // What keeps this thread's last plan alive. When the thread ends it is
  // destroyed before the thread_locals made before it, and one of those
  // may still allocate from its destructor: so it clears `last`, and says
  // it is gone, and a plan found after that is held by the caller.
  thread_local bool keeper_gone = false;
  struct Keeper {
    std::shared_ptr<const CachedPlan> plan;
    LastPlan* last = nullptr;
    ~Keeper() {
      if (last != nullptr) *last = LastPlan{};
      keeper_gone = true;
    }
  };
  if (ABSL_PREDICT_FALSE(keeper_gone)) {
    hold = std::move(found);
    return hold.get();
  }
  thread_local Keeper keeper;
  keeper.plan = std::move(found);
  keeper.last = &last;
  last.allocator = serial_;
  last.plan = keeper.plan.get();
  return last.plan;
}

absl::StatusOr<Allocation> Allocator::Allocate(
    const BufferDescriptorInfo& descriptor, int32_t count) {
  // Built where the caller receives it: every return returns `result`, so
  // the compiler elides the move.
  absl::StatusOr<Allocation> result(absl::in_place);
  absl::Status status = AllocateInto(descriptor, count, *result);
  if (ABSL_PREDICT_FALSE(!status.ok())) result = std::move(status);
  return result;
}

absl::Status Allocator::AllocateInto(const BufferDescriptorInfo& descriptor,
                                     int32_t count, Allocation& allocation) {
  if (count < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("buffer count ", count, " is negative"));
  }
  std::shared_ptr<const CachedPlan> hold;
  ASSIGN_OR_RETURN(const CachedPlan* cached, PlanFor(descriptor, hold));
  allocation.layout = cached->plan.layout;
  allocation.buffers.reserve(static_cast<size_t>(count));
  // The fallback heaps prepared so far, for this call's later buffers.
  std::vector<Prepared> fallbacks;
  // On an error the buffers made so far are released with `allocation`.
  for (int32_t i = 0; i < count; ++i) {
    // From the plan's first heap; while heaps are out of memory, from the
    // next the merge accepted.
    absl::StatusOr<HeapBuffer> pixels =
        cached->first.heap->Allocate(cached->first.request);
    if (ABSL_PREDICT_TRUE(pixels.ok())) {
      RETURN_IF_ERROR(Finish(cached->plan, cached->first, *std::move(pixels),
                             {}, allocation.buffers));
      continue;
    }
    if (!absl::IsResourceExhausted(pixels.status())) return pixels.status();
    RETURN_IF_ERROR(AllocateFromFallbacks(descriptor, *cached, pixels.status(),
                                          fallbacks, allocation.buffers));
  }
  return absl::OkStatus();
}

absl::StatusOr<Allocator::Prepared> Allocator::Prepare(
    const BufferDescriptorInfo& descriptor, const Plan& plan,
    const HeapIdentity& identity) const {
  Heap* heap = heaps_.Find(identity.name);
  if (heap == nullptr) {
    return absl::InternalError(
        absl::StrCat("negotiated heap ", identity.name, " is gone"));
  }
  // Heaps return page-aligned memory, which meets any base alignment up to
  // the page size.
  HeapRequest request;
  request.size_bytes = plan.layout.total_size_bytes;
  request.stride_bytes = plan.layout.planes[0].stride_bytes;
  request.debug_name = descriptor.name;

  SharedMetadataInit init;
  init.name = descriptor.name;
  init.heap_name = std::string(heap->name());
  init.reserved_size = static_cast<uint64_t>(descriptor.reserved_size);
  init.dataspace = InitialDataspace(descriptor);
  init.crop = Rect{0, 0, static_cast<int32_t>(descriptor.width),
                   static_cast<int32_t>(descriptor.height)};
  ASSIGN_OR_RETURN(MetadataRecipe metadata, PrepareMetadataBuffer(init));

  // Every field but the buffer id and the allocation size, which the heap
  // may round up from the layout's.
  HandleInfo info;
  info.width = static_cast<int32_t>(descriptor.width);
  info.height = static_cast<int32_t>(descriptor.height);
  info.layer_count = static_cast<int32_t>(descriptor.layer_count);
  info.format_requested = descriptor.format;
  info.usage = descriptor.usage;
  info.allocation_size = plan.layout.total_size_bytes;
  info.reserved_size = static_cast<uint64_t>(descriptor.reserved_size);
  info.metadata_size = metadata.size_bytes;
  info.backend = heap->caps().backend;
  info.flags = (plan.is_protected ? kHandleFlagProtected : 0u) |
               (heap->caps().contiguous ? kHandleFlagContiguous : 0u) |
               (heap->caps().cached ? 0u : kHandleFlagUncached);
  info.layout = plan.layout;
  ASSIGN_OR_RETURN(HandleTemplate handle, HandleTemplate::Create(info));
  return Prepared{heap, std::move(request), std::move(metadata),
                  std::move(handle)};
}

absl::Status Allocator::AllocateFromFallbacks(
    const BufferDescriptorInfo& descriptor, const CachedPlan& cached,
    const absl::Status& first_refusal, std::vector<Prepared>& fallbacks,
    std::vector<AllocatedBuffer>& out) {
  const Plan& plan = cached.plan;
  std::vector<std::string> exhausted = {
      absl::StrCat(plan.heap.ToString(), ": ", first_refusal.message())};
  for (size_t i = 0; i < plan.fallback_heaps.size(); ++i) {
    // Each fallback heap is prepared once per Allocate() call, when first
    // needed, and in order, so fallbacks[i] is plan.fallback_heaps[i].
    if (i == fallbacks.size()) {
      ASSIGN_OR_RETURN(Prepared next,
                       Prepare(descriptor, plan, plan.fallback_heaps[i]));
      fallbacks.push_back(std::move(next));
    }
    const Prepared& used = fallbacks[i];
    absl::StatusOr<HeapBuffer> pixels = used.heap->Allocate(used.request);
    if (pixels.ok()) {
      return Finish(plan, used, *std::move(pixels), std::move(exhausted), out);
    }
    if (!absl::IsResourceExhausted(pixels.status())) return pixels.status();
    exhausted.push_back(absl::StrCat(plan.fallback_heaps[i].ToString(), ": ",
                                     pixels.status().message()));
  }
  return absl::ResourceExhaustedError(
      absl::StrCat("every heap this buffer may use is out of memory: ",
                   absl::StrJoin(exhausted, "; ")));
}

absl::Status Allocator::Finish(const Plan& plan, const Prepared& used,
                               HeapBuffer pixels,
                               std::vector<std::string> exhausted,
                               std::vector<AllocatedBuffer>& out) {
  if (pixels.size_bytes < plan.layout.total_size_bytes) {
    return absl::InternalError(
        absl::StrCat(used.heap->name(), " returned ", pixels.size_bytes,
                     " bytes, fewer than ", plan.layout.total_size_bytes));
  }
  ASSIGN_OR_RETURN(MetadataBuffer metadata,
                   CreateMetadataBuffer(used.metadata));
  ASSIGN_OR_RETURN(const uint64_t buffer_id, NewBufferId());
  const uint64_t size = pixels.size_bytes;
  ASSIGN_OR_RETURN(NativeHandlePtr handle,
                   used.handle.Encode(buffer_id, size, std::move(pixels.fd),
                                      std::move(metadata.fd)));
  AllocatedBuffer& buffer =
      out.emplace_back(std::move(handle), used.handle.info(),
                       used.heap->identity(), std::move(exhausted));
  buffer.info.buffer_id = buffer_id;
  buffer.info.allocation_size = size;
  return absl::OkStatus();
}

HeapIdentity Allocator::HeapOfHandle(const HandleInfo& handle) const {
  const bool contiguous = (handle.flags & kHandleFlagContiguous) != 0;
  const bool cached = (handle.flags & kHandleFlagUncached) == 0;
  const bool is_protected = (handle.flags & kHandleFlagProtected) != 0;
  auto described = [&](const HeapCaps& caps) {
    return caps.backend == handle.backend && caps.contiguous == contiguous &&
           caps.cached == cached && caps.is_protected == is_protected;
  };
  for (const HeapIdentity& heap : available_) {
    if (described(heap.caps)) return heap;
  }
  // Made on another machine or by a heap this allocator does not have: the
  // class whose caps the handle's backend and flags describe.
  for (const HeapClassInfo& row : HeapClasses()) {
    if (described(row.caps)) {
      return HeapIdentity{std::string(row.name), row.heap_class, row.caps};
    }
  }
  HeapIdentity unknown = MemfdIdentity();
  unknown.caps.backend = handle.backend;
  unknown.caps.contiguous = contiguous;
  unknown.caps.cached = cached;
  unknown.caps.is_protected = is_protected;
  unknown.caps.device_importable = handle.backend != HandleBackend::kMemfd;
  return unknown;
}

absl::StatusOr<Verdict> Allocator::Serves(const HandleInfo& buffer,
                                          const HeapIdentity* heap,
                                          uint64_t additional_usage) {
  return Verdict{gralloc::Serves(profile_, buffer,
                                 heap != nullptr ? *heap : HeapOfHandle(buffer),
                                 additional_usage)};
}

absl::Status Allocator::Release(uint64_t) { return absl::OkStatus(); }

absl::StatusOr<std::string> Allocator::MapperLibrary() {
  return FindMapperLibrary();
}

}  // namespace gralloc
