// Copyright 2026 The gralloc for Linux Authors.
//
// bench/shapes.h: the buffers the benchmark suite measures, as a table.
//
//   name           size          format          usage
//   64x64_RGBA     64x64         RGBA_8888       CPU read/write often
//   BLOB_1MiB      1048576 x 1   BLOB            CPU read/write often
//   1080p_YUV420   1920x1080     YCBCR_420_888   CPU + CAMERA_OUTPUT
//                                                + VIDEO_ENCODER
//   1080p_RGBA     1920x1080     RGBA_8888       CPU read/write often
//   2160p_YUV420   3840x2160     YCBCR_420_888   as 1080p_YUV420
//   2160p_RGBA     3840x2160     RGBA_8888       CPU read/write often
//
// BLOB follows the format table's rule (hal/format): one row high, the
// width in bytes. The YUV shapes carry what a camera feeding an encoder
// sets. A platform whose codec cannot take 4:2:0 (the VM tier's vim2m
// stand-in reads only RGB and YUYV) refuses VIDEO_ENCODER for them, so
// each shape names the bits it may drop (`optional_usage`) to stay
// measurable there; the suite says on stderr when it drops them.
//
// Rows of the suite are named "<path>/<backend>/<shape name>", so the
// names here are part of what bench/report.py reads.

#ifndef GRALLOC_BENCH_SHAPES_H_
#define GRALLOC_BENCH_SHAPES_H_

#include <cstdint>

#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "allocator/heaps/heap_identity.h"
#include "hal/descriptor/descriptor.h"
#include "hal/types/pixel_format.h"

namespace gralloc::bench {

struct Shape {
  absl::string_view name;  // in benchmark names: no '/' or spaces
  int64_t width = 0;       // pixels; bytes for BLOB
  int64_t height = 0;
  PixelFormat format = PixelFormat::RGBA_8888;
  uint64_t usage = 0;
  // Bits of `usage` a platform may refuse; dropped only then.
  uint64_t optional_usage = 0;
};

// Every shape, smallest first.
absl::Span<const Shape> Shapes();

// The descriptor of one buffer of `shape` with `usage`, asking for heap
// class `heap` (GRALLOC_OPTION_PREFERRED_HEAP) so that the allocator and
// the service choose the same memory as the row's floor.
BufferDescriptorInfo Descriptor(const Shape& shape, uint64_t usage,
                                HeapClass heap);

}  // namespace gralloc::bench

#endif  // GRALLOC_BENCH_SHAPES_H_
