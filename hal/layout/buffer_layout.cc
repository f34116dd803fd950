// Copyright 2026 The gralloc for Linux Authors.

#include "hal/layout/buffer_layout.h"

namespace gralloc {
namespace {

int64_t CeilDiv(int64_t value, int64_t divisor) {
  return divisor <= 1 ? value : value / divisor + (value % divisor != 0);
}

}  // namespace

int64_t PlaneWidthInSamples(const PlaneInfo& plane, int64_t width) {
  return CeilDiv(width, plane.horizontal_subsampling);
}

int64_t PlaneHeightInSamples(const PlaneInfo& plane, int64_t height) {
  return CeilDiv(height, plane.vertical_subsampling);
}

std::vector<PlaneLayout> ToPlaneLayouts(const BufferLayout& layout) {
  std::vector<PlaneLayout> planes;
  if (layout.format == nullptr) return planes;
  for (int i = 0; i < layout.plane_count && i < layout.format->plane_count;
       ++i) {
    const PlaneInfo& info = layout.format->planes[i];
    const LaidOutPlane& laid = layout.planes[i];
    PlaneLayout plane;
    for (const ComponentInfo& component : info.Components()) {
      plane.components.push_back(PlaneLayoutComponent{
          StandardComponent(component.type), component.offset_in_bits,
          component.size_in_bits});
    }
    plane.offset_in_bytes = static_cast<int64_t>(laid.offset_bytes);
    plane.sample_increment_in_bits = info.sample_increment_in_bits;
    plane.stride_in_bytes = static_cast<int64_t>(laid.stride_bytes);
    plane.width_in_samples = laid.width_in_samples;
    plane.height_in_samples = laid.height_in_samples;
    plane.total_size_in_bytes = static_cast<int64_t>(laid.size_bytes);
    plane.horizontal_subsampling = info.horizontal_subsampling;
    plane.vertical_subsampling = info.vertical_subsampling;
    planes.push_back(std::move(plane));
  }
  return planes;
}

}  // namespace gralloc
