// Copyright 2026 The gralloc for Linux Authors.
//
// gst/video_format.h: which GStreamer video formats the gralloc pool serves,
// and how a buffer's laid-out planes become a GstVideoInfo.
//
// One row per GstVideoFormat: the Android PixelFormat the pool asks the
// allocator for, and the DRM fourcc the buffer's layout must then have. The
// plane description itself is not repeated here: it is the project's format
// table (hal/format), and a test checks, row by row, that GStreamer's idea of
// each format (planes, components, subsampling, bit positions) is the
// table's. Where the two disagree there is no row:
//
//  * I420 (Y, Cb, Cr) has no Android format with Cb before Cr in three
//    planes; YV12 is Y, Cr, Cb. Serving I420 from YV12 would swap the
//    chroma planes behind the caller's back, so I420 waits for a Cb-first
//    three-plane row in the format table.
//  * BGRx has no Android format (Android's opaque 8888 is RGBX only).
//
// NV12 is asked as YCBCR_420_888, Android's way of saying "8-bit 4:2:0, the
// allocator picks", and its layout checked to be NV12: when the users'
// formats make the allocator pick NV21 or YV12 instead, CheckLayout() refuses
// rather than describing NV21 bytes as NV12.
//
// GStreamer 1.22 has no DMA_DRM caps (1.24), so it can only describe linear
// buffers: the pool asks for linear buffers and CheckLayout() rejects any
// other modifier.
//
// Everything here is a pure function and thread-safe.

#ifndef GRALLOC_GST_VIDEO_FORMAT_H_
#define GRALLOC_GST_VIDEO_FORMAT_H_

#include <gst/video/video.h>

#include <cstdint>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "hal/layout/buffer_layout.h"

namespace gralloc::gst {

struct VideoFormatRow {
  GstVideoFormat gst_format;
  int32_t pixel_format;  // the Android PixelFormat asked for
  uint32_t drm_fourcc;   // the layout the buffers must have
};

// Every row, in GstVideoFormat order.
absl::Span<const VideoFormatRow> VideoFormatRows();

// The row for `format`, or nullptr when the pool cannot serve it.
const VideoFormatRow* FindVideoFormatRow(GstVideoFormat format);

// The "format=..." list of every servable format, for the element's caps
// ("{ NV12, NV21, ... }").
const char* ServableFormatsCapsList();

// OK when `layout` is the bytes GStreamer expects for `row`: the row's
// fourcc, a linear modifier and GStreamer's plane count. FailedPrecondition
// naming what differs otherwise.
absl::Status CheckLayout(const VideoFormatRow& row, const BufferLayout& layout);

// `caps_info` (from the caps: format, size, colorimetry, ...) with the
// offsets, strides and size of `layout`'s planes, for GstVideoMeta and the
// pool's buffer size. `layout` must have passed CheckLayout().
GstVideoInfo VideoInfoForLayout(const GstVideoInfo& caps_info,
                                const BufferLayout& layout);

// Whether `layout` places every plane where GStreamer's default layout for
// `caps_info` does, so an element that ignores GstVideoMeta still reads it
// right.
bool IsDefaultLayout(const GstVideoInfo& caps_info, const BufferLayout& layout);

}  // namespace gralloc::gst

#endif  // GRALLOC_GST_VIDEO_FORMAT_H_
