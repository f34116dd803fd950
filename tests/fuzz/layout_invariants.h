// Copyright 2026 The gralloc for Linux Authors.
//
// tests/fuzz/layout_invariants.h: what every consumer of a buffer relies on
// about where its planes lie, checked from first principles.
//
// The fuzz targets hold accepted handles (hal/handle) and negotiated plans
// (allocator/negotiation) to these rules. They are written from the format
// table alone (hal/format/format_table.h), independently of the code under
// test, so that a check the validators forgot shows up here:
//
//  * inside the allocation: every plane's [offset, offset + size) lies in
//    [0, allocation size), computed without overflow;
//  * geometry: a plane's stride holds one row of the plane's samples (width
//    after horizontal subsampling, times the bits per sample, rounded up to
//    bytes), and its size holds stride x rows (height after vertical
//    subsampling).
//
// Both return OK or InvalidArgument naming the plane and the numbers; pure
// functions, thread-safe.

#ifndef GRALLOC_TESTS_FUZZ_LAYOUT_INVARIANTS_H_
#define GRALLOC_TESTS_FUZZ_LAYOUT_INVARIANTS_H_

#include <cstdint>

#include "absl/status/status.h"
#include "hal/layout/buffer_layout.h"

namespace gralloc::fuzz {

// Every plane of `layout` inside [0, allocation_size_bytes).
absl::Status CheckPlanesInsideAllocation(const BufferLayout& layout,
                                         uint64_t allocation_size_bytes);

// Every plane of `layout` (which must name a format with planes) is wide and
// tall enough for a width x height buffer of its format.
absl::Status CheckPlaneGeometry(const BufferLayout& layout, int64_t width,
                                int64_t height);

}  // namespace gralloc::fuzz

#endif  // GRALLOC_TESTS_FUZZ_LAYOUT_INVARIANTS_H_
