/*
 * Copyright 2026 The gralloc for Linux Authors.
 *
 * android/rect.h: ARect, a rectangle in pixels as Android's NDK defines it.
 * left and top are inclusive, right and bottom exclusive.
 */
#ifndef GRALLOC_HAL_INCLUDE_ANDROID_RECT_H_
#define GRALLOC_HAL_INCLUDE_ANDROID_RECT_H_

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ARect {
  int32_t left;
  int32_t top;
  int32_t right;
  int32_t bottom;
} ARect;

#ifdef __cplusplus
}
#endif

#endif /* GRALLOC_HAL_INCLUDE_ANDROID_RECT_H_ */
