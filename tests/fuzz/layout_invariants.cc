// Copyright 2026 The gralloc for Linux Authors.

#include "tests/fuzz/layout_invariants.h"

#include "absl/strings/str_cat.h"
#include "hal/format/format_table.h"

namespace gralloc::fuzz {
namespace {

// ceil(a / b) for b > 0, without the overflow of (a + b - 1) / b.
uint64_t CeilDiv(uint64_t a, uint64_t b) { return a / b + (a % b != 0); }

}  // namespace

absl::Status CheckPlanesInsideAllocation(const BufferLayout& layout,
                                         uint64_t allocation_size_bytes) {
  for (int i = 0; i < layout.plane_count; ++i) {
    const LaidOutPlane& plane = layout.planes[i];
    uint64_t end = 0;
    if (__builtin_add_overflow(plane.offset_bytes, plane.size_bytes, &end) ||
        end > allocation_size_bytes) {
      return absl::InvalidArgumentError(absl::StrCat(
          "plane ", i, " [", plane.offset_bytes, ", ", plane.offset_bytes,
          " + ", plane.size_bytes, ") is not inside the allocation of ",
          allocation_size_bytes, " bytes"));
    }
  }
  return absl::OkStatus();
}

absl::Status CheckPlaneGeometry(const BufferLayout& layout, int64_t width,
                                int64_t height) {
  if (layout.format == nullptr || width <= 0 || height <= 0 ||
      layout.plane_count != layout.format->plane_count) {
    return absl::InvalidArgumentError(
        absl::StrCat("no format, ", layout.plane_count,
                     " planes or dimensions ", width, "x", height));
  }
  for (int i = 0; i < layout.plane_count; ++i) {
    const PlaneInfo& row = layout.format->planes[i];
    const LaidOutPlane& plane = layout.planes[i];
    if (row.bits_per_sample <= 0 || row.horizontal_subsampling <= 0 ||
        row.vertical_subsampling <= 0) {
      return absl::InvalidArgumentError(
          absl::StrCat(layout.format->name, " plane ", i, " has no samples"));
    }
    const uint64_t samples =
        CeilDiv(static_cast<uint64_t>(width),
                static_cast<uint64_t>(row.horizontal_subsampling));
    const uint64_t rows =
        CeilDiv(static_cast<uint64_t>(height),
                static_cast<uint64_t>(row.vertical_subsampling));
    // width <= INT64_MAX and bits_per_sample < 2^31: no overflow in 128 bits,
    // but in 64 it can; an overflowing row cannot fit a 64-bit stride.
    uint64_t row_bits = 0;
    if (__builtin_mul_overflow(
            samples, static_cast<uint64_t>(row.bits_per_sample), &row_bits)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "plane ", i, ": a row of ", samples, " samples overflows 64 bits"));
    }
    const uint64_t row_bytes = CeilDiv(row_bits, 8);
    if (plane.stride_bytes < row_bytes) {
      return absl::InvalidArgumentError(absl::StrCat(
          layout.format->name, " plane ", i, ": stride ", plane.stride_bytes,
          " bytes < the ", row_bytes, " bytes of a row of ", samples,
          " samples (width ", width, ")"));
    }
    uint64_t rows_bytes = 0;
    if (__builtin_mul_overflow(plane.stride_bytes, rows, &rows_bytes) ||
        rows_bytes > plane.size_bytes) {
      return absl::InvalidArgumentError(
          absl::StrCat(layout.format->name, " plane ", i, ": size ",
                       plane.size_bytes, " bytes < stride ", plane.stride_bytes,
                       " x ", rows, " rows (height ", height, ")"));
    }
  }
  return absl::OkStatus();
}

}  // namespace gralloc::fuzz
