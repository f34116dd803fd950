// Copyright 2026 The gralloc for Linux Authors.
//
// mapper/buffer_format.h: which concrete layout an imported handle's planes
// follow, and its PLANE_LAYOUTS.
//
// A handle names the format the client requested (`format_requested`, maybe
// flexible: YCBCR_420_888, IMPLEMENTATION_DEFINED) and the one the allocator
// laid out (`format`, with its DRM `fourcc`). The layout rows come from
// hal/format (FindConcreteLayout); when `format` is itself flexible the DRM
// fourcc names the layout (NV12 for YCBCR_420_888).
//
// Thread-safe; rows are static.

#ifndef GRALLOC_MAPPER_BUFFER_FORMAT_H_
#define GRALLOC_MAPPER_BUFFER_FORMAT_H_

#include <vector>

#include "absl/status/statusor.h"
#include "hal/format/format_table.h"
#include "hal/handle/buffer_handle.h"
#include "hal/types/plane_layout.h"

namespace gralloc::mapper {

// The concrete layout row for `info` (FindConcreteLayout). InvalidArgument
// when no concrete layout is found (an unknown format, a flexible format
// without a known fourcc, or a fourcc that disagrees with the format) or
// the handle's plane count differs from the layout's.
absl::StatusOr<const FormatInfo*> ResolveLayoutFormat(const HandleInfo& info);

// PLANE_LAYOUTS of layer 0: the handle's offsets, strides and sizes with the
// layout row's components, sample increments and subsampling. `format` must
// be ResolveLayoutFormat(info).
std::vector<PlaneLayout> BuildPlaneLayouts(const HandleInfo& info,
                                           const FormatInfo& format);

}  // namespace gralloc::mapper

#endif  // GRALLOC_MAPPER_BUFFER_FORMAT_H_
