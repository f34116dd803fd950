// Copyright 2026 The gralloc for Linux Authors.

#include "allocator/layout/layout.h"

#include <climits>
#include <numeric>

#include "absl/strings/str_cat.h"

namespace gralloc {
namespace {

absl::Status Overflow(const FormatInfo& format, absl::string_view what) {
  return absl::InvalidArgumentError(
      absl::StrCat(format.name, ": ", what, " overflows 64 bits"));
}

bool CheckedMul(uint64_t a, uint64_t b, uint64_t* out) {
  return !__builtin_mul_overflow(a, b, out);
}

bool CheckedAdd(uint64_t a, uint64_t b, uint64_t* out) {
  return !__builtin_add_overflow(a, b, out);
}

uint64_t CeilDiv(uint64_t a, uint64_t b) { return a / b + (a % b != 0); }

// The smallest run of samples that fills whole bytes: RAW10 packs 4 samples
// into 5 bytes, 8-bit samples 1 into 1.
struct PackingGroup {
  uint64_t samples;
  uint64_t bytes;
};

PackingGroup GroupOf(const PlaneInfo& plane) {
  const uint64_t bits = static_cast<uint64_t>(plane.bits_per_sample);
  const uint64_t samples = 8 / std::gcd(bits, uint64_t{8});
  return {samples, samples * bits / 8};
}

}  // namespace

bool CheckedAlignUp(uint64_t value, uint64_t alignment, uint64_t* out) {
  if (alignment == 0) return false;
  const uint64_t remainder = value % alignment;
  if (remainder == 0) {
    *out = value;
    return true;
  }
  return CheckedAdd(value, alignment - remainder, out);
}

bool CheckedLcm(uint64_t a, uint64_t b, uint64_t* out) {
  if (a == 0 || b == 0) return false;
  return CheckedMul(a / std::gcd(a, b), b, out);
}

absl::StatusOr<BufferLayout> ComputeLayout(
    const FormatInfo& format, int64_t width, int64_t height,
    int64_t layer_count, const LayoutConstraints& constraints) {
  if (format.layout != FormatLayout::kPlanes || format.plane_count < 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        format.name, " is flexible: resolve it to a concrete layout first"));
  }
  if (width <= 0 || height <= 0 || layer_count <= 0 || width > INT32_MAX ||
      height > INT32_MAX || layer_count > INT32_MAX) {
    return absl::InvalidArgumentError(
        absl::StrCat(format.name, ": dimensions ", width, "x", height, "x",
                     layer_count, " are out of range"));
  }
  if (constraints.stride_alignment_bytes == 0 ||
      constraints.height_alignment_rows == 0 ||
      constraints.plane_alignment_bytes == 0) {
    return absl::InvalidArgumentError("layout alignments must be positive");
  }
  for (const PlaneInfo& plane : format.Planes()) {
    if (plane.bits_per_sample <= 0 || plane.horizontal_subsampling <= 0 ||
        plane.vertical_subsampling <= 0) {
      return absl::InvalidArgumentError(
          absl::StrCat(format.name, ": the table has no sample size"));
    }
  }

  const PlaneInfo& first = format.planes[0];
  const PackingGroup first_group = GroupOf(first);
  const uint64_t w = static_cast<uint64_t>(width);
  const uint64_t h = static_cast<uint64_t>(height);
  const uint64_t stride_alignment = constraints.stride_alignment_bytes;
  const bool chroma_rule = format.rules.chroma_stride_alignment_bytes > 0;

  // The first plane's stride alignment.
  uint64_t alignment = stride_alignment;
  if (!CheckedLcm(alignment, first_group.bytes, &alignment)) {
    return Overflow(format, "stride alignment");
  }
  if (format.rules.stride_alignment_pixels > 1) {
    uint64_t pixel_bytes = 0;
    if (!CheckedMul(static_cast<uint64_t>(format.rules.stride_alignment_pixels),
                    static_cast<uint64_t>(first.bits_per_sample),
                    &pixel_bytes)) {
      return Overflow(format, "stride alignment");
    }
    if (!CheckedLcm(alignment, CeilDiv(pixel_bytes, 8), &alignment)) {
      return Overflow(format, "stride alignment");
    }
  }
  if (chroma_rule && stride_alignment > 1) {
    // YV12: chroma = ALIGN(luma / 2, 16) must itself be stride-aligned; a
    // luma stride that is a multiple of 2 * alignment guarantees it.
    uint64_t doubled = 0;
    if (!CheckedMul(stride_alignment, 2, &doubled) ||
        !CheckedLcm(alignment, doubled, &alignment)) {
      return Overflow(format, "stride alignment");
    }
  }

  BufferLayout layout;
  layout.format = &format;
  layout.plane_count = format.plane_count;

  uint64_t first_row_bytes = 0;
  if (!CheckedMul(CeilDiv(w, first_group.samples), first_group.bytes,
                  &first_row_bytes)) {
    return Overflow(format, "row size");
  }
  uint64_t first_stride = 0;
  if (!CheckedAlignUp(first_row_bytes, alignment, &first_stride)) {
    return Overflow(format, "stride");
  }
  if (first_stride > static_cast<uint64_t>(INT32_MAX)) {
    return absl::InvalidArgumentError(
        absl::StrCat(format.name, ": a stride of ", first_stride,
                     " bytes does not fit 32 bits"));
  }
  uint64_t rows = 0;
  if (!CheckedAlignUp(h, constraints.height_alignment_rows, &rows) ||
      !CheckedAdd(rows, constraints.padding_rows, &rows)) {
    return Overflow(format, "row count");
  }

  uint64_t offset = 0;
  for (int i = 0; i < format.plane_count; ++i) {
    const PlaneInfo& plane = format.planes[i];
    const PackingGroup group = GroupOf(plane);
    const uint64_t hs = static_cast<uint64_t>(plane.horizontal_subsampling);
    const uint64_t vs = static_cast<uint64_t>(plane.vertical_subsampling);
    LaidOutPlane& out = layout.planes[i];
    out.width_in_samples = PlaneWidthInSamples(plane, width);
    out.height_in_samples = PlaneHeightInSamples(plane, height);

    uint64_t stride = first_stride;
    if (i > 0) {
      // Follow the first plane: stride * (bits per pixel of this plane) /
      // (bits per pixel of the first), where a plane's bits per pixel are
      // its bits per sample over its horizontal subsampling.
      uint64_t numerator = 0;
      uint64_t denominator = 0;
      if (!CheckedMul(first_stride,
                      static_cast<uint64_t>(plane.bits_per_sample) *
                          static_cast<uint64_t>(first.horizontal_subsampling),
                      &numerator) ||
          !CheckedMul(hs, static_cast<uint64_t>(first.bits_per_sample),
                      &denominator)) {
        return Overflow(format, "chroma stride");
      }
      stride = CeilDiv(numerator, denominator);
      if (chroma_rule &&
          !CheckedAlignUp(
              stride,
              static_cast<uint64_t>(format.rules.chroma_stride_alignment_bytes),
              &stride)) {
        return Overflow(format, "chroma stride");
      }
      uint64_t min_row = 0;
      if (!CheckedMul(CeilDiv(static_cast<uint64_t>(out.width_in_samples),
                              group.samples),
                      group.bytes, &min_row)) {
        return Overflow(format, "chroma row");
      }
      if (stride < min_row) stride = min_row;
      if (!CheckedAlignUp(stride, stride_alignment, &stride)) {
        return Overflow(format, "chroma stride");
      }
    }
    out.stride_bytes = stride;

    const uint64_t plane_rows = CeilDiv(rows, vs);
    if (!CheckedMul(stride, plane_rows, &out.size_bytes)) {
      return Overflow(format, "plane size");
    }
    if (!CheckedAlignUp(offset, constraints.plane_alignment_bytes, &offset)) {
      return Overflow(format, "plane offset");
    }
    out.offset_bytes = offset;
    if (!CheckedAdd(offset, out.size_bytes, &offset)) {
      return Overflow(format, "buffer size");
    }
  }
  if (!CheckedAlignUp(offset, constraints.plane_alignment_bytes,
                      &layout.layer_size_bytes) ||
      !CheckedMul(layout.layer_size_bytes, static_cast<uint64_t>(layer_count),
                  &layout.total_size_bytes)) {
    return Overflow(format, "buffer size");
  }
  // A single-layer buffer needs no padding after its last plane.
  if (layer_count == 1) layout.total_size_bytes = offset;

  const uint64_t stride_px =
      first_stride / first_group.bytes * first_group.samples *
      static_cast<uint64_t>(first.horizontal_subsampling);
  if (stride_px > static_cast<uint64_t>(INT32_MAX)) {
    return absl::InvalidArgumentError(
        absl::StrCat(format.name, ": stride does not fit 32 bits"));
  }
  layout.stride_px = static_cast<int32_t>(stride_px);
  return layout;
}

}  // namespace gralloc
