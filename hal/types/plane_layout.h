// Copyright 2026 The gralloc for Linux Authors.
//
// hal/types/plane_layout.h: how a buffer's bytes are arranged, in the terms
// of Android's graphics common types (PlaneLayout, PlaneLayoutComponent,
// PlaneLayoutComponentType, ExtendableType, Rect).
//
// These are the values PLANE_LAYOUTS and CROP metadata carry; the enum values
// are Android's, bit for bit, so a client written against Android's
// definitions reads ours unchanged.

#ifndef GRALLOC_HAL_TYPES_PLANE_LAYOUT_H_
#define GRALLOC_HAL_TYPES_PLANE_LAYOUT_H_

#include <cstdint>
#include <string>
#include <vector>

namespace gralloc {

// The name under which Android's standard types travel in ExtendableType.
inline constexpr char kPlaneLayoutComponentTypeName[] =
    "android.hardware.graphics.common.PlaneLayoutComponentType";

// What one component of a plane holds. Values are Android's.
enum class PlaneLayoutComponentType : int64_t {
  Y = 1 << 0,     // luma
  CB = 1 << 1,    // chroma blue
  CR = 1 << 2,    // chroma red
  R = 1 << 10,    // red
  G = 1 << 11,    // green
  B = 1 << 12,    // blue
  RAW = 1 << 20,  // raw sensor data, layout defined by the format
  A = 1 << 30,    // alpha
};

// Android's enumerator name of `type` ("Y", "CB", "RAW", ...), or "?".
constexpr const char* ComponentTypeName(PlaneLayoutComponentType type) {
  switch (type) {
    case PlaneLayoutComponentType::Y:
      return "Y";
    case PlaneLayoutComponentType::CB:
      return "CB";
    case PlaneLayoutComponentType::CR:
      return "CR";
    case PlaneLayoutComponentType::R:
      return "R";
    case PlaneLayoutComponentType::G:
      return "G";
    case PlaneLayoutComponentType::B:
      return "B";
    case PlaneLayoutComponentType::RAW:
      return "RAW";
    case PlaneLayoutComponentType::A:
      return "A";
  }
  return "?";
}

// A (name, value) pair: a standard enum value when `name` is Android's
// interface name, or a vendor extension otherwise.
struct ExtendableType {
  std::string name;
  int64_t value = 0;

  friend bool operator==(const ExtendableType& a, const ExtendableType& b) {
    return a.name == b.name && a.value == b.value;
  }
};

// One component (Y, CB, R, ...) of a plane: where its bits sit within one
// sample, counted from the least significant bit of the sample.
struct PlaneLayoutComponent {
  ExtendableType type;
  int64_t offset_in_bits = 0;
  int64_t size_in_bits = 0;

  friend bool operator==(const PlaneLayoutComponent& a,
                         const PlaneLayoutComponent& b) {
    return a.type == b.type && a.offset_in_bits == b.offset_in_bits &&
           a.size_in_bits == b.size_in_bits;
  }
};

// One plane of a buffer, as Android's PlaneLayout describes it. Field order
// is the order of Android's encoding.
struct PlaneLayout {
  std::vector<PlaneLayoutComponent> components;
  int64_t offset_in_bytes = 0;  // from the start of the buffer
  int64_t sample_increment_in_bits =
      0;                        // between horizontally adjacent samples
  int64_t stride_in_bytes = 0;  // between vertically adjacent samples
  int64_t width_in_samples = 0;
  int64_t height_in_samples = 0;
  int64_t total_size_in_bytes = 0;
  int64_t horizontal_subsampling = 1;  // 2 for 4:2:x chroma
  int64_t vertical_subsampling = 1;    // 2 for 4:2:0 chroma

  friend bool operator==(const PlaneLayout& a, const PlaneLayout& b) {
    return a.components == b.components &&
           a.offset_in_bytes == b.offset_in_bytes &&
           a.sample_increment_in_bits == b.sample_increment_in_bits &&
           a.stride_in_bytes == b.stride_in_bytes &&
           a.width_in_samples == b.width_in_samples &&
           a.height_in_samples == b.height_in_samples &&
           a.total_size_in_bytes == b.total_size_in_bytes &&
           a.horizontal_subsampling == b.horizontal_subsampling &&
           a.vertical_subsampling == b.vertical_subsampling;
  }
};

// A rectangle in pixels: left/top inclusive, right/bottom exclusive.
struct Rect {
  int32_t left = 0;
  int32_t top = 0;
  int32_t right = 0;
  int32_t bottom = 0;

  friend bool operator==(const Rect& a, const Rect& b) {
    return a.left == b.left && a.top == b.top && a.right == b.right &&
           a.bottom == b.bottom;
  }
};

// A standard component type as Android's ExtendableType.
inline ExtendableType StandardComponent(PlaneLayoutComponentType type) {
  return ExtendableType{kPlaneLayoutComponentTypeName,
                        static_cast<int64_t>(type)};
}

}  // namespace gralloc

#endif  // GRALLOC_HAL_TYPES_PLANE_LAYOUT_H_
