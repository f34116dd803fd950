// Copyright 2026 The gralloc for Linux Authors.

#include "mapper/buffer_format.h"

#include "absl/strings/str_cat.h"

namespace gralloc::mapper {
namespace {

int64_t DivideRoundingUp(int64_t value, int64_t divisor) {
  return divisor <= 1 ? value : (value + divisor - 1) / divisor;
}

}  // namespace

absl::StatusOr<const FormatInfo*> ResolveLayoutFormat(const HandleInfo& info) {
  const FormatInfo* row = FindConcreteLayout(info.format, info.fourcc);
  if (row == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("buffer handle: format ", info.format, " with fourcc 0x",
                     absl::Hex(info.fourcc), " names no concrete layout"));
  }
  if (info.plane_count != row->plane_count) {
    return absl::InvalidArgumentError(
        absl::StrCat("buffer handle: ", info.plane_count, " planes, but ",
                     row->name, " has ", row->plane_count));
  }
  return row;
}

std::vector<PlaneLayout> BuildPlaneLayouts(const HandleInfo& info,
                                           const FormatInfo& format) {
  std::vector<PlaneLayout> planes;
  planes.reserve(info.plane_count);
  for (int i = 0; i < info.plane_count && i < format.plane_count; ++i) {
    const PlaneInfo& row = format.planes[i];
    const HandlePlane& plane = info.planes[i];
    PlaneLayout layout;
    for (const ComponentInfo& component : row.Components()) {
      layout.components.push_back(PlaneLayoutComponent{
          StandardComponent(component.type), component.offset_in_bits,
          component.size_in_bits});
    }
    layout.offset_in_bytes = static_cast<int64_t>(plane.offset_bytes);
    layout.sample_increment_in_bits = row.sample_increment_in_bits;
    layout.stride_in_bytes = plane.stride_bytes;
    layout.width_in_samples =
        DivideRoundingUp(info.width, row.horizontal_subsampling);
    layout.height_in_samples =
        DivideRoundingUp(info.height, row.vertical_subsampling);
    layout.total_size_in_bytes = static_cast<int64_t>(plane.size_bytes);
    layout.horizontal_subsampling = row.horizontal_subsampling;
    layout.vertical_subsampling = row.vertical_subsampling;
    planes.push_back(std::move(layout));
  }
  return planes;
}

}  // namespace gralloc::mapper
