// Copyright 2026 The gralloc for Linux Authors.
//
// allocator/layout/layout.h: where each byte of a buffer goes.
//
// ComputeLayout() turns a concrete format (a hal/format row whose planes are
// known), the buffer's dimensions and the merged constraints of every
// participant into per-plane offsets, strides and sizes, the allocator's
// stride in pixels and the total size. It is pure arithmetic, 64-bit and
// overflow-checked throughout: a size that does not fit is an error, never a
// small buffer.
//
// The rules, in order:
//  * The first plane's row is the width in bytes, rounded up to whole
//    packing groups (RAW10: 4 pixels in 5 bytes), then to the stride
//    alignment: the LCM of the constraints' stride alignment, the packing
//    group and the format's own pixel alignment (YV12: 16 px).
//  * The first plane's rows are the height rounded up to the height
//    alignment, plus any padding rows.
//  * Every other plane's stride follows the first plane's by the ratio of
//    their bytes per pixel (NV21's interleaved chroma has the luma stride,
//    YV12's chroma half of it), then the format's chroma rule (YV12:
//    ALIGN(stride / 2, 16)) and the stride alignment. For YV12 the luma
//    alignment is raised so the chroma strides stay aligned too.
//  * Subsampled planes have ceil(rows / subsampling) rows.
//  * Planes follow each other in the format's order, each offset rounded up
//    to the plane alignment; layers follow each other, each a whole number
//    of plane-aligned bytes.
//
// Thread-safe; no state.

#ifndef GRALLOC_ALLOCATOR_LAYOUT_LAYOUT_H_
#define GRALLOC_ALLOCATOR_LAYOUT_LAYOUT_H_

#include <cstdint>

#include "absl/status/statusor.h"
#include "hal/format/format_table.h"
#include "hal/layout/buffer_layout.h"

namespace gralloc {

// What the participants need of a layout, already merged (negotiation/).
struct LayoutConstraints {
  uint64_t stride_alignment_bytes = 1;  // every plane's stride
  uint64_t height_alignment_rows = 1;   // the first plane's row count
  uint64_t plane_alignment_bytes = 1;   // every plane's offset
  uint64_t padding_rows = 0;            // rows added after the aligned height
};

// Lays out `format` (which must have FormatLayout::kPlanes) for a buffer of
// width x height pixels and `layer_count` layers, linear (modifier 0; the
// caller records the negotiated modifier). InvalidArgument for a
// flexible format, zero alignments, dimensions out of range or a size that
// overflows 64 bits or a stride that does not fit 32 bits.
absl::StatusOr<BufferLayout> ComputeLayout(
    const FormatInfo& format, int64_t width, int64_t height,
    int64_t layer_count, const LayoutConstraints& constraints);

// Overflow-checked helpers, shared with negotiation/: false on overflow.
bool CheckedAlignUp(uint64_t value, uint64_t alignment, uint64_t* out);
bool CheckedLcm(uint64_t a, uint64_t b, uint64_t* out);

}  // namespace gralloc

#endif  // GRALLOC_ALLOCATOR_LAYOUT_LAYOUT_H_
