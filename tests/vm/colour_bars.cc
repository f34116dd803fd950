// Copyright 2026 The gralloc for Linux Authors.

#include "tests/vm/colour_bars.h"

#include <array>
#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_format.h"

namespace gralloc::vmtest {
namespace {

struct Rgb {
  int r, g, b;
};

// The 75% colour bars, left to right, as the test pattern generator draws
// them (drivers/media/common/v4l2-tpg: 75% of full scale is 191).
constexpr std::array<Rgb, 8> kBars = {{
    {191, 191, 191},  // white
    {191, 191, 0},    // yellow
    {0, 191, 191},    // cyan
    {0, 191, 0},      // green
    {191, 0, 191},    // magenta
    {191, 0, 0},      // red
    {0, 0, 191},      // blue
    {0, 0, 0},        // black
}};
constexpr const char* kBarNames[] = {"white",   "yellow", "cyan", "green",
                                     "magenta", "red",    "blue", "black"};
constexpr int kTolerance = 28;
constexpr size_t kReported = 10;

bool Near(int value, int expected) {
  return std::abs(value - expected) <= kTolerance;
}

void Report(BarCheck& check, std::string description) {
  if (check.first_mismatches.size() < kReported) {
    check.first_mismatches.push_back(std::move(description));
  }
  ++check.mismatches;
}

}  // namespace

BarCheck CheckRgbaColourBars(const uint8_t* pixels, uint32_t stride_bytes,
                             int width, const std::vector<int>& rows) {
  BarCheck check;
  const int bar_width = width / static_cast<int>(kBars.size());
  for (int y : rows) {
    for (size_t bar = 0; bar < kBars.size(); ++bar) {
      for (int x = static_cast<int>(bar) * bar_width + bar_width / 4;
           x < static_cast<int>(bar + 1) * bar_width - bar_width / 4; ++x) {
        const uint8_t* p = pixels + size_t{stride_bytes} * y + size_t{4} * x;
        const Rgb& want = kBars[bar];
        if (!Near(p[0], want.r) || !Near(p[1], want.g) || !Near(p[2], want.b)) {
          Report(check, absl::StrFormat(
                            "pixel (%d,%d) in the %s bar is (%d,%d,%d), want "
                            "about (%d,%d,%d)",
                            x, y, kBarNames[bar], p[0], p[1], p[2], want.r,
                            want.g, want.b));
        }
      }
    }
  }
  return check;
}

BarCheck CheckNv12ColourBars(const uint8_t* luma, const uint8_t* chroma,
                             uint32_t stride_bytes, int width,
                             const std::vector<int>& rows) {
  BarCheck check;
  const int bar_width = width / static_cast<int>(kBars.size());
  for (int y : rows) {
    int previous = 256;
    for (int bar = 0; bar < static_cast<int>(kBars.size()); ++bar) {
      const int x = bar * bar_width + bar_width / 2;
      const int value = luma[size_t{stride_bytes} * y + x];
      if (value >= previous - 8) {
        Report(check, absl::StrFormat("luma of the %s bar at row %d is %d, "
                                      "not below the previous bar's %d",
                                      kBarNames[bar], y, value, previous));
      }
      previous = value;
      const uint8_t* cbcr = chroma + size_t{stride_bytes} * (y / 2) + (x & ~1);
      if ((bar == 0 || bar == 7) &&
          !(Near(cbcr[0], 128) && Near(cbcr[1], 128))) {
        Report(check, absl::StrFormat("%s has colour at row %d: Cb %d Cr %d",
                                      kBarNames[bar], y, cbcr[0], cbcr[1]));
      }
    }
    const int white = luma[size_t{stride_bytes} * y + bar_width / 2];
    const int black =
        luma[size_t{stride_bytes} * y + 7 * bar_width + bar_width / 2];
    if (!Near(white, 180)) {
      Report(check, absl::StrFormat("white luma %d at row %d", white, y));
    }
    if (!Near(black, 16)) {
      Report(check, absl::StrFormat("black luma %d at row %d", black, y));
    }
  }
  return check;
}

}  // namespace gralloc::vmtest
