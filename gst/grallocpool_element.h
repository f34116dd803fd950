// Copyright 2026 The gralloc for Linux Authors.
//
// gst/grallocpool_element.h: the `grallocpool` element.
//
// A passthrough for raw video that proposes a gralloc buffer pool
// (gst/gralloc_pool.h) upstream, so an unmodified producer (v4l2src,
// videotestsrc, a decoder) fills gralloc buffers that every device named by
// `usage` can use, and downstream elements receive them as dma-buf (or, on
// the memfd fallback, fd) memory with a GstVideoMeta:
//
//   videotestsrc ! video/x-raw,format=NV12,width=1920,height=1080 !
//     grallocpool usage="CAMERA_OUTPUT|VIDEO_ENCODER|COMPOSER_OVERLAY" !
//     videoconvert ! autovideosink
//
// Negotiation: when caps arrive, the element configures its pool, which asks
// the allocator IsSupported(); a refusal fails the caps event
// (not-negotiated) and posts an element error whose message is the
// allocator's reason, naming the participant and the field. No frame flows.
//
// Properties (each readable; the writable ones take effect at the next
// READY -> PAUSED):
//   usage        BufferUsage names joined by '|' (hal/usage's table), or a
//                number; the devices that will touch the buffers.
//   cpu-access   adds CPU_READ_OFTEN|CPU_WRITE_OFTEN (default true): software
//                elements (videoconvert, encoders in software, filesink's
//                upstream) map the buffers. Turn off for all-hardware
//                pipelines so the CPU's constraints do not enter negotiation.
//   socket       the allocator service's socket; empty: in-process allocation.
//   profile      a JSON platform profile for in-process allocation (empty:
//                the built-in one). The service has its own --profile.
//   min-buffers  the pool's buffers, allocated in one batch at start; the
//                pool never holds more (upstream waits for a free one).
//   require-own  error out when a buffer that is not from a gralloc pool
//                passes (a producer that ignored the proposal).
//   buffers-allocated, frames-passed   read-only counters.
//
// Downstream must understand GstVideoMeta when the layout pads rows (the
// usual case): otherwise the element does not propose its pool and warns,
// rather than have downstream misread every frame.
//
// Per frame, a GstVideoCropMeta becomes the buffer's CROP metadata (the
// whole frame without one), so a display service importing the buffer crops
// as the pipeline did; a CROP another process set on a frame without a crop
// meta becomes a GstVideoCropMeta when the buffer is writable.

#ifndef GRALLOC_GST_GRALLOCPOOL_ELEMENT_H_
#define GRALLOC_GST_GRALLOCPOOL_ELEMENT_H_

#include <gst/gst.h>

namespace gralloc::gst {

// The element's GType (registered on first call).
GType GrallocPoolElementType();

}  // namespace gralloc::gst

#endif  // GRALLOC_GST_GRALLOCPOOL_ELEMENT_H_
