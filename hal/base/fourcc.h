// Copyright 2026 The gralloc for Linux Authors.
//
// hal/base/fourcc.h: DRM and V4L2 four-character codes.
//
// Both DRM (drm_fourcc.h) and V4L2 (videodev2.h) name pixel formats by four
// ASCII characters packed little-endian into 32 bits; bit 31 marks a
// big-endian variant in both. These helpers build and print such codes the
// same way everywhere (profiles, probing, the CLI, test output).
//
// Thread-safe; pure functions.

#ifndef GRALLOC_HAL_BASE_FOURCC_H_
#define GRALLOC_HAL_BASE_FOURCC_H_

#include <cstdint>
#include <string>

namespace gralloc {

// The code of four characters: FourccCode('N', 'V', '1', '2').
constexpr uint32_t FourccCode(char a, char b, char c, char d) {
  return static_cast<uint32_t>(static_cast<unsigned char>(a)) |
         static_cast<uint32_t>(static_cast<unsigned char>(b)) << 8 |
         static_cast<uint32_t>(static_cast<unsigned char>(c)) << 16 |
         static_cast<uint32_t>(static_cast<unsigned char>(d)) << 24;
}

// The big-endian flag of DRM_FORMAT_BIG_ENDIAN and V4L2's *_BE codes.
inline constexpr uint32_t kFourccBigEndianBit = 1u << 31;

// "NV12" for NV12; "-" for 0; an unprintable character as '?'; a big-endian
// code gets "-BE" after its four characters ("RGBR-BE").
inline std::string FourccToString(uint32_t fourcc) {
  if (fourcc == 0) return "-";
  const uint32_t code = fourcc & ~kFourccBigEndianBit;
  std::string text;
  for (int shift = 0; shift < 32; shift += 8) {
    const char c = static_cast<char>((code >> shift) & 0xff);
    text.push_back(c >= 0x20 && c < 0x7f ? c : '?');
  }
  if ((fourcc & kFourccBigEndianBit) != 0) text += "-BE";
  return text;
}

}  // namespace gralloc

#endif  // GRALLOC_HAL_BASE_FOURCC_H_
