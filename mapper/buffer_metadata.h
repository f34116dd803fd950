// Copyright 2026 The gralloc for Linux Authors.
//
// mapper/buffer_metadata.h: the standard metadata of an imported buffer, in
// Android's byte encoding (hal/metadata/metadata_codec.h).
//
// Where each value comes from:
//   the handle (fixed at allocation)  BUFFER_ID, WIDTH, HEIGHT, LAYER_COUNT,
//       PIXEL_FORMAT_REQUESTED, PIXEL_FORMAT_FOURCC, PIXEL_FORMAT_MODIFIER,
//       USAGE, ALLOCATION_SIZE, PROTECTED_CONTENT, PLANE_LAYOUTS, STRIDE
//   the shared metadata's constants   NAME
//   fixed by this implementation       COMPRESSION (NONE), INTERLACED (NONE),
//       CHROMA_SITING (NONE for formats without chroma, UNKNOWN otherwise:
//       the allocator records no siting)
//   the shared metadata, settable      DATASPACE, BLEND_MODE, CROP (one
//       rect, inside the buffer), SMPTE2086, CTA861_3, SMPTE2094_40,
//       SMPTE2094_10 (a 0-byte value clears the optional HDR types)
//
// Status conventions (ErrorContext::kArgument at the ABI):
//   Unimplemented     unknown type, unsettable type, malformed payload,
//                     SMPTE2094 payload over kSmpte2094MaxBytes  UNSUPPORTED
//   InvalidArgument   a constant type (BUFFER_ID, NAME, WIDTH, HEIGHT,
//                     LAYER_COUNT, PIXEL_FORMAT_REQUESTED, USAGE), or a CROP
//                     outside the buffer                         BAD_VALUE
//   Unavailable       the shared metadata is busy               NO_RESOURCES
//   DataLoss          the shared metadata is corrupt            BAD_BUFFER
//
// Thread-safe.

#ifndef GRALLOC_MAPPER_BUFFER_METADATA_H_
#define GRALLOC_MAPPER_BUFFER_METADATA_H_

#include <cstddef>
#include <cstdint>
#include <functional>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "hal/metadata/metadata_types.h"
#include "mapper/mapper.h"

namespace gralloc::mapper {

struct MetadataTypeSupport {
  StandardMetadataType type;
  bool gettable;
  bool settable;
};

// Every standard type this mapper knows, BUFFER_ID..STRIDE, in order.
absl::Span<const MetadataTypeSupport> SupportedMetadataTypes();

// Writes the encoding of `type` to `dest` if `dest_size` is enough, and
// returns its size either way (the codec's contract).
absl::StatusOr<size_t> GetStandardMetadata(const Buffer& buffer, int64_t type,
                                           void* dest, size_t dest_size);

// Decodes `size` bytes at `data` as `type` and stores it for every import.
absl::Status SetStandardMetadata(const Buffer& buffer, int64_t type,
                                 const void* data, size_t size);

// Calls `callback` with every gettable value of `buffer`, in type order.
// Values that cannot be read right now are skipped.
using DumpCallback =
    std::function<void(StandardMetadataType, const void*, size_t)>;
void DumpBuffer(const Buffer& buffer, const DumpCallback& callback);

}  // namespace gralloc::mapper

#endif  // GRALLOC_MAPPER_BUFFER_METADATA_H_
