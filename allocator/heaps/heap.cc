// Copyright 2026 The gralloc for Linux Authors.

#include "allocator/heaps/heap.h"

namespace gralloc {

Heap::~Heap() = default;

}  // namespace gralloc
