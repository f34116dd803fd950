// Copyright 2026 The gralloc for Linux Authors.
//
// allocator/heaps/heap_registry.h: the set of heaps this machine offers.
//
// The allocator service builds one registry at start-up, either by probing
// the device nodes (Probe()) or, in tests, from injected heaps, and then
// picks heaps from it by name and caps. There is no global registry.
//
//   HeapRegistry registry = HeapRegistry::Probe(ProbeOptions());
//   for (const auto& heap : registry.heaps()) { ... heap->caps() ... }
//   if (Heap* system = registry.Find("system")) { ... }
//   std::cout << registry.Describe();  // the CLI's "heaps" command
//
// Heap names: "<name>" for each /dev/dma_heap/<name>, "udmabuf",
// "drm-dumb:cardN" for each /dev/dri/cardN with dumb buffers, "memfd".
//
// Thread safety: a registry is immutable once built. All its methods may be
// called from any number of threads, and so may each heap's Allocate().

#ifndef GRALLOC_ALLOCATOR_HEAPS_HEAP_REGISTRY_H_
#define GRALLOC_ALLOCATOR_HEAPS_HEAP_REGISTRY_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "allocator/heaps/heap.h"

namespace gralloc {

struct ProbeOptions {
  // Where the device nodes live; tests point this at a temporary directory.
  std::string dev_root = "/dev";
  // dma-buf heap names (file names under <dev_root>/dma_heap) that hold
  // protected memory. Heap names do not say so reliably; only heaps listed
  // here get caps.is_protected.
  std::vector<std::string> protected_heaps;
  // Which kinds of backend to look for.
  bool probe_dma_heaps = true;
  bool probe_udmabuf = true;
  bool probe_drm_dumb = true;
  // Add the CPU-only memfd heap (always last).
  bool allow_memfd = true;
};

class HeapRegistry final {
 public:
  // Finds the heaps under options.dev_root, in this order: every
  // dma_heap/* entry (sorted by name), udmabuf, every dri/card<N> whose
  // driver has dumb buffers (by N), then memfd. Never fails: a node that is
  // absent, not a character device, cannot be opened, or is not usable is
  // skipped, and why is recorded in probe_notes().
  static HeapRegistry Probe(const ProbeOptions& options);

  // Takes the given heaps, in order (for tests and custom set-ups). Null
  // entries are dropped; a heap whose name is already taken is dropped with
  // a probe note, so names stay unique.
  explicit HeapRegistry(std::vector<std::unique_ptr<Heap>> heaps);

  HeapRegistry(HeapRegistry&&) = default;
  HeapRegistry& operator=(HeapRegistry&&) = default;
  HeapRegistry(const HeapRegistry&) = delete;
  HeapRegistry& operator=(const HeapRegistry&) = delete;

  // The heap called `name`, or nullptr. The registry keeps ownership; the
  // pointer is valid while the registry lives.
  Heap* Find(absl::string_view name) const;

  // All heaps, in preference order (see Probe()).
  absl::Span<const std::unique_ptr<Heap>> heaps() const { return heaps_; }

  // One sentence per skipped node or ignored setting, for the CLI and logs,
  // e.g. "/dev/udmabuf: absent".
  absl::Span<const std::string> probe_notes() const { return probe_notes_; }

  // A text listing, one line per heap ("<name>  <caps>  <description>"),
  // followed by the probe notes. Ends with a newline.
  std::string Describe() const;

 private:
  HeapRegistry(std::vector<std::unique_ptr<Heap>> heaps,
               std::vector<std::string> probe_notes);

  std::vector<std::unique_ptr<Heap>> heaps_;
  std::vector<std::string> probe_notes_;
};

}  // namespace gralloc

#endif  // GRALLOC_ALLOCATOR_HEAPS_HEAP_REGISTRY_H_
