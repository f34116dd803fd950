// Copyright 2026 The gralloc for Linux Authors.
//
// tests/vm/colour_bars.h: vivid's 75% colour bars, checked in a captured
// frame. Test-only.
//
// vivid's webcam input draws its default pattern, eight vertical bars of
// 75% colour (white, yellow, cyan, green, magenta, red, blue, black, left
// to right). The camera tests capture it into our buffers, directly
// (camera_vm_test) and through GStreamer's v4l2src (gstreamer_vm_test), and
// check the same rows the same way:
//
//   BarCheck check = CheckRgbaColourBars(pixels, stride, width, rows);
//   for (const std::string& m : check.first_mismatches) ADD_FAILURE() << m;
//   EXPECT_EQ(check.mismatches, 0);

#ifndef GRALLOC_TESTS_VM_COLOUR_BARS_H_
#define GRALLOC_TESTS_VM_COLOUR_BARS_H_

#include <cstdint>
#include <string>
#include <vector>

namespace gralloc::vmtest {

// What a check found: how many samples were off, and a description of the
// first few (pixel, bar, value and what was expected).
struct BarCheck {
  int mismatches = 0;
  std::vector<std::string> first_mismatches;
};

// An RGBA frame (bytes R, G, B, A; rows `stride_bytes` apart, `width`
// pixels wide): in each of `rows`, the middle half of each bar (edges may be
// filtered) must be the bar's colour, within a tolerance generous enough
// for limited-range quantization (191 -> 180, 0 -> 16) and far too tight to
// confuse one bar with another.
BarCheck CheckRgbaColourBars(const uint8_t* pixels, uint32_t stride_bytes,
                             int width, const std::vector<int>& rows);

// An NV12 frame (`luma` rows and interleaved CbCr rows at `chroma`, both
// `stride_bytes` apart): in each of `rows`, luma falls from bar to bar
// whatever the YCbCr encoding, white and black sit at the ends of the range
// (about 180 and 16), and neither has colour (Cb and Cr about 128).
BarCheck CheckNv12ColourBars(const uint8_t* luma, const uint8_t* chroma,
                             uint32_t stride_bytes, int width,
                             const std::vector<int>& rows);

}  // namespace gralloc::vmtest

#endif  // GRALLOC_TESTS_VM_COLOUR_BARS_H_
