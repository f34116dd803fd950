// Copyright 2026 The gralloc for Linux Authors.
//
// gst/gralloc_memory.h: a gralloc buffer as GstMemory.
//
// WrapBuffer() imports a buffer the allocator made into this process's
// mapper and returns one GstMemory covering the whole buffer, every plane
// included (GstVideoMeta says where the planes are):
//
//  * dma-buf backends (dma-buf heaps, udmabuf, DRM dumb): memory of a
//    GstDmaBufAllocator subclass, so gst_is_dmabuf_memory() is true and
//    v4l2 and kmssink elements import the fd without a copy;
//  * the memfd fallback: memory of a GstFdAllocator subclass. No device can
//    import a memfd, so the memory does not claim to be a dma-buf (an
//    importer would fail, and GstDmaBufAllocator's own map would issue
//    DMA_BUF_IOCTL_SYNC on a file that is not a dma-buf).
//
// Ownership: the memory owns the buffer. The handle the mapper imported
// (its dup'ed fds and its mapping) lives in the memory's qdata and is freed
// exactly once, when the memory is (sub-memories from gst_memory_share()
// keep their parent, and so the buffer, alive). The GstMemory's fd is the
// imported handle's pixel fd, not a dup: the memory is marked DONT_CLOSE and
// the mapper closes it with the import. The raw handle the allocator
// returned is closed by WrapBuffer() once imported. Through the service, the
// memory also holds the client connection, and tells the service at free
// that the buffer is released (so `gralloctl list` drops it at once).
//
// CPU access: gst_memory_map() on either kind is the mapper's lock() with
// the CPU usage of the map flags (GST_MAP_READ: the buffer's CPU_READ_*
// field, GST_MAP_WRITE: its CPU_WRITE_* field), and unmap its unlock(): on a
// dma-buf that is DMA_BUF_IOCTL_SYNC START and END, bracketing the access
// exactly as for any other mapper client, and the mapping is the mapper's
// one mapping of the buffer, made at import. A map the buffer's usage does
// not allow (write to a buffer allocated without CPU_WRITE_*) fails.
//
// Thread safety: memories may be mapped, shared and freed from any thread;
// the mapper's lock counts are per import and thread-safe.

#ifndef GRALLOC_GST_GRALLOC_MEMORY_H_
#define GRALLOC_GST_GRALLOC_MEMORY_H_

#include <gst/gst.h>

#include <cstdint>
#include <memory>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "allocator/allocator.h"
#include "cutils/native_handle.h"
#include "hal/base/status_macros.h"
#include "hal/handle/buffer_handle.h"
#include "hal/metadata/metadata_codec.h"

namespace gralloc::gst {

// The allocator whose GstMemory wraps buffers of `backend`: a process-wide
// instance of the dma-buf or the fd subclass (never freed). Thread-safe.
GstAllocator* AllocatorForBackend(HandleBackend backend);

// Imports `buffer` into the mapper and returns a new GstMemory of
// `layout.total_size_bytes` bytes (maxsize: the whole allocation) that owns
// it. `allocator`, if not null, is told Release(buffer_id) when the memory
// is freed. On error nothing is left: the raw handle is closed either way.
absl::StatusOr<GstMemory*> WrapBuffer(AllocatedBuffer buffer,
                                      uint64_t size_bytes,
                                      std::shared_ptr<AllocatorApi> allocator);

// What a gralloc memory holds, for the pool and the element.
struct GrallocBufferRef {
  buffer_handle_t imported = nullptr;  // the mapper's handle, owned by it
  HandleInfo info;                     // what the handle says
};

// The buffer behind `memory` (or behind the memory it was shared from), or
// nullptr when `memory` is not a gralloc buffer. Valid while `memory` is.
const GrallocBufferRef* GrallocBufferOf(GstMemory* memory);

// The buffer's standard metadata through the mapper (getStandardMetadata /
// setStandardMetadata), so every process that imports the buffer sees it.
// The raw encoded bytes; the templates below encode and decode them.
absl::Status SetEncodedMetadata(const GrallocBufferRef& buffer,
                                StandardMetadataType type,
                                const std::vector<uint8_t>& encoded);
absl::StatusOr<std::vector<uint8_t>> GetEncodedMetadata(
    const GrallocBufferRef& buffer, StandardMetadataType type);

template <StandardMetadataType type>
absl::Status SetMetadata(const GrallocBufferRef& buffer,
                         const MetadataValue<type>& value) {
  std::vector<uint8_t> encoded(EncodeMetadata<type>(value, nullptr, 0));
  EncodeMetadata<type>(value, encoded.data(), encoded.size());
  return SetEncodedMetadata(buffer, type, encoded);
}

template <StandardMetadataType type>
absl::StatusOr<MetadataValue<type>> GetMetadata(
    const GrallocBufferRef& buffer) {
  ASSIGN_OR_RETURN(std::vector<uint8_t> encoded,
                   GetEncodedMetadata(buffer, type));
  return DecodeMetadata<type>(encoded.data(), encoded.size());
}

}  // namespace gralloc::gst

#endif  // GRALLOC_GST_GRALLOC_MEMORY_H_
