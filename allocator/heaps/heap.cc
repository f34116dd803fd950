// Copyright 2026 The gralloc for Linux Authors.

#include "allocator/heaps/heap.h"

#include "absl/strings/str_cat.h"

namespace gralloc {

Heap::~Heap() = default;

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
