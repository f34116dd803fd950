// Copyright 2026 The gralloc for Linux Authors.
//
// gst/gralloc_pool.h: a GstBufferPool of gralloc buffers for raw video.
//
// The pool turns a configuration (caps, buffer counts, and the gralloc usage
// word its user adds with PoolConfigSetUsage) into a buffer description and
// asks the allocator:
//
//  * set_config: caps -> PixelFormat (gst/video_format.h), then
//    IsSupported() with the configured usage, then the layout the same
//    negotiation gives (Allocate() of no buffers). A refusal fails
//    set_config, and PoolLastError() gives the allocator's reason, naming
//    the participant and the field ("format: Y8 for display: ..."), so an
//    element can fail caps negotiation with it instead of the first frame.
//    The configured size becomes the layout's.
//  * start: min-buffers buffers in one Allocate() call (one round trip to
//    the service); buffers beyond them (max-buffers 0 or above min) one at a
//    time as GStreamer asks.
//  * each buffer: one GstMemory (gst/gralloc_memory.h) and a GstVideoMeta
//    with the layout's offsets and strides, which differ from GStreamer's
//    defaults wherever the users' alignments pad rows. Its DATASPACE is set
//    from the caps' colorimetry and, for HDR caps, SMPTE2086 from
//    mastering-display-info and CTA861_3 from content-light-level.
//
// Buffers are linear (GStreamer 1.22 cannot describe a modifier; see
// gst/video_format.h).
//
// Thread safety: as any GstBufferPool. PoolLastError() and
// PoolBuffersAllocated() may be called from any thread.

#ifndef GRALLOC_GST_GRALLOC_POOL_H_
#define GRALLOC_GST_GRALLOC_POOL_H_

#include <gst/gst.h>
#include <gst/video/video.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "allocator/allocator.h"

namespace gralloc::gst {

// A new pool (floating reference sunk: the caller owns one) allocating from
// `allocator`; `name` names its buffers (dumps, `gralloctl list`).
GstBufferPool* NewGrallocBufferPool(std::shared_ptr<AllocatorApi> allocator,
                                    const std::string& name);

bool IsGrallocBufferPool(GstBufferPool* pool);

// The gralloc usage word of a pool configuration (0 when not set).
void PoolConfigSetUsage(GstStructure* config, uint64_t usage);
uint64_t PoolConfigGetUsage(GstStructure* config);

// Why the last set_config or start failed; empty after a success.
std::string PoolLastError(GstBufferPool* pool);

// How many buffers the pool has allocated since it was made.
uint64_t PoolBuffersAllocated(GstBufferPool* pool);

// The video info of the configured buffers (offsets, strides and size from
// their layout), or nullopt when not configured.
std::optional<GstVideoInfo> PoolVideoInfo(GstBufferPool* pool);

// Whether the configured layout is GStreamer's default for the caps (an
// element that ignores GstVideoMeta reads it right).
bool PoolHasDefaultLayout(GstBufferPool* pool);

}  // namespace gralloc::gst

#endif  // GRALLOC_GST_GRALLOC_POOL_H_
