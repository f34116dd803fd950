// Copyright 2026 The gralloc for Linux Authors.
//
// hal/types/buffer_usage.h: Android's BufferUsage values, name for name.
//
// A buffer's usage is a 64-bit word: two 4-bit enumerated fields saying how
// often the CPU reads and writes it, single-bit flags for each hardware
// consumer or producer, and two ranges left to vendors. The enumerators below
// are Android's (android.hardware.graphics.common.BufferUsage), bit for bit,
// so usage words from Android clients mean the same thing here.
//
// Usage travels as a plain uint64_t (several flags at once); this enum names
// the individual values. //hal/usage holds the table that prints, parses and
// validates whole words.

#ifndef GRALLOC_HAL_TYPES_BUFFER_USAGE_H_
#define GRALLOC_HAL_TYPES_BUFFER_USAGE_H_

#include <cstdint>

namespace gralloc {

// Android's BufferUsage. Enumerator names keep Android's spelling so that the
// two can be compared line by line. Bits 10, 13, 19, 21 and 33-47 are not
// defined here: Android says they must be zero (//hal/usage tolerates 10 and
// 13, which older gralloc versions used).
enum class BufferUsage : uint64_t {
  // Bits 0-3: a 4-bit enumerated field, not flags.
  CPU_READ_MASK = 0xFull,
  CPU_READ_NEVER = 0,
  CPU_READ_RARELY = 2,
  CPU_READ_OFTEN = 3,

  // Bits 4-7: a 4-bit enumerated field, not flags.
  CPU_WRITE_MASK = 0xFull << 4,
  CPU_WRITE_NEVER = 0ull << 4,
  CPU_WRITE_RARELY = 2ull << 4,
  CPU_WRITE_OFTEN = 3ull << 4,

  GPU_TEXTURE = 1ull << 8,
  GPU_RENDER_TARGET = 1ull << 9,
  COMPOSER_OVERLAY = 1ull << 11,
  COMPOSER_CLIENT_TARGET = 1ull << 12,
  // Hardware protection against copying the contents to unprotected memory.
  PROTECTED = 1ull << 14,
  COMPOSER_CURSOR = 1ull << 15,
  VIDEO_ENCODER = 1ull << 16,
  CAMERA_OUTPUT = 1ull << 17,
  CAMERA_INPUT = 1ull << 18,
  RENDERSCRIPT = 1ull << 20,
  VIDEO_DECODER = 1ull << 22,
  SENSOR_DIRECT_DATA = 1ull << 23,
  // An OpenGL shader storage or uniform buffer object.
  GPU_DATA_BUFFER = 1ull << 24,
  GPU_CUBE_MAP = 1ull << 25,
  GPU_MIPMAP_COMPLETE = 1ull << 26,
  // Input to a HEIC (image) encoder.
  HW_IMAGE_ENCODER = 1ull << 27,
  // Bits 28-31: vendor extensions.
  VENDOR_MASK = 0xFull << 28,
  // Front-buffer rendering: the buffer behaves as shared memory for every
  // user, and CPU locks happen in place.
  FRONT_BUFFER = 1ull << 32,
  // Bits 48-63: vendor extensions.
  VENDOR_MASK_HI = 0xFFFFull << 48,
};

// The value of `usage` as a usage word, for or-ing into a uint64_t.
inline constexpr uint64_t UsageValue(BufferUsage usage) {
  return static_cast<uint64_t>(usage);
}

}  // namespace gralloc

#endif  // GRALLOC_HAL_TYPES_BUFFER_USAGE_H_
