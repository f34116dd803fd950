// Copyright 2026 The gralloc for Linux Authors.

#include "allocator/heaps/heap_identity.h"

#include <array>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gralloc/allocator.h"

namespace gralloc {
namespace {

constexpr HeapCaps Caps(HandleBackend backend, bool contiguous, bool cached,
                        bool device_importable, bool is_protected,
                        bool scanout) {
  HeapCaps caps;
  caps.backend = backend;
  caps.contiguous = contiguous;
  caps.cached = cached;
  caps.device_importable = device_importable;
  caps.is_protected = is_protected;
  caps.scanout = scanout;
  return caps;
}

// The class table (see the header). Columns of Caps(): backend, contiguous,
// cached, importable, protected, scanout.
constexpr std::array<HeapClassInfo, 7> kClasses = {{
    {HeapClass::kSystem, "system", "system",
     Caps(HandleBackend::kDmaHeap, false, true, true, false, false)},
    {HeapClass::kSystemUncached, "system-uncached", "system-uncached",
     Caps(HandleBackend::kDmaHeap, false, false, true, false, false)},
    {HeapClass::kCma, "cma", "reserved",
     Caps(HandleBackend::kDmaHeap, true, true, true, false, false)},
    {HeapClass::kProtected, "protected", "protected",
     Caps(HandleBackend::kDmaHeap, false, false, true, true, false)},
    {HeapClass::kUdmabuf, "udmabuf", "udmabuf",
     Caps(HandleBackend::kUdmabuf, false, true, true, false, false)},
    {HeapClass::kDrmDumb, "drm-dumb", "drm-dumb:card0",
     Caps(HandleBackend::kDrmDumb, false, false, true, false, true)},
    {HeapClass::kMemfd, "memfd", "memfd",
     Caps(HandleBackend::kMemfd, false, true, false, false, false)},
}};

// Names the kernel gives dma-buf heaps, and their class: "reserved" is the
// default CMA area from the command line, "linux,cma" the device tree's
// shared pool, and vendor trees use the other two for the same pool.
struct KnownHeapName {
  absl::string_view name;
  HeapClass heap_class;
};
constexpr std::array<KnownHeapName, 6> kKnownDmaHeaps = {{
    {"system", HeapClass::kSystem},
    {"system-uncached", HeapClass::kSystemUncached},
    {"reserved", HeapClass::kCma},
    {"linux,cma", HeapClass::kCma},
    {"default-pool", HeapClass::kCma},
    {"default_cma_region", HeapClass::kCma},
}};

HeapClass ClassOfDmaHeap(absl::string_view heap_name) {
  for (const KnownHeapName& known : kKnownDmaHeaps) {
    if (known.name == heap_name) return known.heap_class;
  }
  return HeapClass::kSystem;
}

HeapIdentity Identity(std::string name, HeapClass heap_class) {
  return HeapIdentity{std::move(name), heap_class,
                      HeapClassRow(heap_class).caps};
}

// The C ABI names classes for GRALLOC_OPTION_PREFERRED_HEAP by these values.
static_assert(
    static_cast<int>(HeapClass::kSystem) == GRALLOC_HEAP_SYSTEM &&
        static_cast<int>(HeapClass::kSystemUncached) ==
            GRALLOC_HEAP_SYSTEM_UNCACHED &&
        static_cast<int>(HeapClass::kCma) == GRALLOC_HEAP_CMA &&
        static_cast<int>(HeapClass::kProtected) == GRALLOC_HEAP_PROTECTED &&
        static_cast<int>(HeapClass::kUdmabuf) == GRALLOC_HEAP_UDMABUF &&
        static_cast<int>(HeapClass::kDrmDumb) == GRALLOC_HEAP_DRM_DUMB &&
        static_cast<int>(HeapClass::kMemfd) == GRALLOC_HEAP_MEMFD,
    "HeapClass and GrallocHeapClass disagree");

}  // namespace

absl::Span<const HeapClassInfo> HeapClasses() { return kClasses; }

const HeapClassInfo& HeapClassRow(HeapClass heap_class) {
  for (const HeapClassInfo& row : kClasses) {
    if (row.heap_class == heap_class) return row;
  }
  return kClasses.back();  // unreachable for a valid enumerator
}

const HeapClassInfo* FindHeapClass(absl::string_view name) {
  for (const HeapClassInfo& row : kClasses) {
    if (row.name == name) return &row;
  }
  return nullptr;
}

std::string HeapIdentity::ToString() const {
  return absl::StrCat(name, " (", class_name(), ")");
}

HeapIdentity DmaHeapIdentity(absl::string_view heap_name, bool is_protected) {
  const HeapClass known = ClassOfDmaHeap(heap_name);
  if (!is_protected) return Identity(std::string(heap_name), known);
  HeapIdentity identity =
      Identity(std::string(heap_name), HeapClass::kProtected);
  identity.caps.contiguous = HeapClassRow(known).caps.contiguous;
  return identity;
}

HeapIdentity UdmabufIdentity() {
  return Identity("udmabuf", HeapClass::kUdmabuf);
}

HeapIdentity DrmDumbIdentity(absl::string_view card) {
  return Identity(absl::StrCat("drm-dumb:", card), HeapClass::kDrmDumb);
}

HeapIdentity MemfdIdentity() { return Identity("memfd", HeapClass::kMemfd); }

absl::StatusOr<HeapIdentity> HeapIdentityFromName(absl::string_view name) {
  if (const HeapClassInfo* row = FindHeapClass(name)) {
    if (row->heap_class == HeapClass::kProtected) {
      return DmaHeapIdentity(row->typical_heap, /*is_protected=*/true);
    }
    return Identity(std::string(row->typical_heap), row->heap_class);
  }
  for (const KnownHeapName& known : kKnownDmaHeaps) {
    if (known.name == name)
      return Identity(std::string(name), known.heap_class);
  }
  std::vector<absl::string_view> choices;
  for (const HeapClassInfo& row : kClasses) choices.push_back(row.name);
  for (const KnownHeapName& known : kKnownDmaHeaps) {
    if (FindHeapClass(known.name) == nullptr) choices.push_back(known.name);
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "unknown heap '", name, "' (", absl::StrJoin(choices, ", "), ")"));
}

std::string DescribeHeapCaps(const HeapCaps& caps) {
  auto yes_no = [](bool value) { return value ? "yes" : "no"; };
  return absl::StrCat("backend=", HandleBackendName(caps.backend),
                      " contiguous=", yes_no(caps.contiguous),
                      " cached=", yes_no(caps.cached),
                      " importable=", yes_no(caps.device_importable),
                      " protected=", yes_no(caps.is_protected),
                      " scanout=", yes_no(caps.scanout));
}

}  // namespace gralloc
