// Copyright 2026 The gralloc for Linux Authors.
//
// allocator/heaps/heap_identity.h: which heap a buffer comes from, as one
// value carried from the probe to the plan, the allocation result, the
// service's records and the tools.
//
// A heap has a name (unique on a machine: "system", "reserved", "udmabuf",
// "drm-dumb:card0", "memfd"), a class (what kind of memory it is, the word
// profiles use to name several heaps at once) and caps (what the memory is
// like). The class table below is the only place that knows which heap names
// mean which memory, the way libcamera keeps its table of heap providers:
//
//   class            backend    memory                        names
//   system           dma-heap   cached, scattered pages       system
//   system-uncached  dma-heap   write-combined                system-uncached
//   cma              dma-heap   physically contiguous         reserved,
//                                                             linux,cma,
//                                                             default-pool,
//                                                             default_cma_region
//   protected        dma-heap   no CPU access                 (only by profile)
//   udmabuf          udmabuf    a dma-buf made from a memfd   udmabuf
//   drm-dumb         drm-dumb   a DRM dumb buffer (scanout)   drm-dumb:cardN
//   memfd            memfd      CPU only: no device imports   memfd
//
// A dma-buf heap with a name the table does not know is assumed to be like
// "system". Whether a heap is protected is never guessed from its name: only
// configuration (a profile's protected_heaps) says so.
//
// Thread-safe: the table is static; identities are values.

#ifndef GRALLOC_ALLOCATOR_HEAPS_HEAP_IDENTITY_H_
#define GRALLOC_ALLOCATOR_HEAPS_HEAP_IDENTITY_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "hal/handle/buffer_handle.h"

namespace gralloc {

// What a heap's memory is like. Negotiation compares these with the merged
// constraints of a buffer's participants.
struct HeapCaps {
  // Which kind of fd the heap returns; recorded in the buffer handle.
  HandleBackend backend = HandleBackend::kMemfd;
  // Physically contiguous (CMA and the like), so devices without an IOMMU
  // can use it.
  bool contiguous = false;
  // CPU mappings are cached. False means write-combined or uncached: cheap
  // for devices, slow for CPU reads.
  bool cached = true;
  // A device driver can import the fd (it is a dma-buf).
  bool device_importable = false;
  // Protected (secure) memory: no CPU access at all.
  bool is_protected = false;
  // The memory can be scanned out directly by the display (DRM dumb
  // buffers made on the display's own card).
  bool scanout = false;

  friend bool operator==(const HeapCaps& a, const HeapCaps& b) {
    return a.backend == b.backend && a.contiguous == b.contiguous &&
           a.cached == b.cached && a.device_importable == b.device_importable &&
           a.is_protected == b.is_protected && a.scanout == b.scanout;
  }
};

// The kinds of memory. Values travel in the service protocol and are the
// C ABI's GrallocHeapClass (gralloc/allocator.h); never reuse one.
enum class HeapClass : uint8_t {
  kSystem = 1,
  kSystemUncached = 2,
  kCma = 3,
  kProtected = 4,
  kUdmabuf = 5,
  kDrmDumb = 6,
  kMemfd = 7,
};

// One row of the class table.
struct HeapClassInfo {
  HeapClass heap_class;
  absl::string_view name;          // "system", "cma", ...: profiles use it
  absl::string_view typical_heap;  // the name a heap of the class usually has
  HeapCaps caps;                   // the caps of its heaps
};

// Every class, in HeapClass order.
absl::Span<const HeapClassInfo> HeapClasses();
// The row of `heap_class` (every enumerator has one).
const HeapClassInfo& HeapClassRow(HeapClass heap_class);
// The class called `name` ("cma"), or nullptr.
const HeapClassInfo* FindHeapClass(absl::string_view name);

// One heap.
struct HeapIdentity {
  std::string name;
  HeapClass heap_class = HeapClass::kMemfd;
  HeapCaps caps;

  absl::string_view class_name() const { return HeapClassRow(heap_class).name; }
  // Whether `name_or_class`, an entry of a profile's heap list or heap
  // order, names this heap: its name or its class.
  bool Matches(absl::string_view name_or_class) const {
    return name_or_class == name || name_or_class == class_name();
  }
  // "reserved (cma)".
  std::string ToString() const;

  friend bool operator==(const HeapIdentity& a, const HeapIdentity& b) {
    return a.name == b.name && a.heap_class == b.heap_class && a.caps == b.caps;
  }
};

// The heap /dev/dma_heap/<heap_name>: its class from the table ("system"
// for names it does not know), or protected when configuration says so (then
// uncached, and contiguous if the name is a CMA heap's).
HeapIdentity DmaHeapIdentity(absl::string_view heap_name, bool is_protected);
HeapIdentity UdmabufIdentity();
// The DRM dumb heap of card node `card` ("card0"): "drm-dumb:card0".
HeapIdentity DrmDumbIdentity(absl::string_view card);
HeapIdentity MemfdIdentity();

// A heap named as a person would on the command line: a class name (the
// class's typical heap: "cma" is "reserved") or a dma-buf heap name the
// table knows ("linux,cma"). InvalidArgument listing the choices otherwise.
absl::StatusOr<HeapIdentity> HeapIdentityFromName(absl::string_view name);

// "backend=dma-heap contiguous=no cached=yes importable=yes protected=no
// scanout=no": caps as one line, for dumps and the CLI.
std::string DescribeHeapCaps(const HeapCaps& caps);

}  // namespace gralloc

#endif  // GRALLOC_ALLOCATOR_HEAPS_HEAP_IDENTITY_H_
