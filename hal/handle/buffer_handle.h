// Copyright 2026 The gralloc for Linux Authors.
//
// hal/handle/buffer_handle.h: the frozen wire format of a buffer handle.
//
// A buffer travels between processes as a native_handle_t. Its layout is a
// contract between the allocator (which writes it), the mapper (which reads
// it in every process) and any vendor code that inspects it, so it is
// frozen: a test pins every index below, and a change needs a new version.
//
//   fds  [0] the pixel buffer (a dma-buf, or a memfd for CPU-only buffers)
//        [1] the shared metadata buffer (see mapper/ and DESIGN.md)
//   ints [0]  magic 'GRAL' (0x4752414c)          [1]  version (1)
//        [2]  number of ints (44)                [3,4] BUFFER_ID lo, hi
//        [5]  width  [6] height  [7] layer count  [8] format requested
//        [9]  format allocated (concrete, e.g. YCBCR_420_888 resolved)
//        [10] DRM fourcc                          [11,12] modifier lo, hi
//        [13,14] usage lo, hi                     [15] stride in pixels
//        [16,17] allocation size in bytes lo, hi  [18,19] reserved size lo, hi
//        [20] metadata buffer size in bytes       [21] backend (HandleBackend)
//        [22] flags (HandleFlags)                 [23] plane count (1..4)
//        [24 + 5*i ...] plane i: offset lo, hi; stride in bytes; size lo, hi
//        (all 4 plane slots are always present; unused ones are zero)
//
// 64-bit values are split into two ints, low half first; every int is
// written and read as its 32-bit two's-complement bit pattern.
//
// DecodeHandle() checks the structure (counts, magic, version, ranges,
// overflow-checked plane bounds against the allocation size) and the
// geometry (width, height, layers and strides against the planes and the
// format table: ValidateHandleInfo) without any I/O. It does not trust the
// handle: a process that receives one must still check the sizes against the
// real fds (the mapper's import does).

#ifndef GRALLOC_HAL_HANDLE_BUFFER_HANDLE_H_
#define GRALLOC_HAL_HANDLE_BUFFER_HANDLE_H_

#include <array>
#include <cstdint>
#include <memory>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "cutils/native_handle.h"
#include "hal/base/unique_fd.h"
#include "hal/layout/buffer_layout.h"

namespace gralloc {

inline constexpr int32_t kHandleMagic = 0x4752414c;  // 'GRAL'
inline constexpr int32_t kHandleVersion = 1;
inline constexpr int kHandleMaxPlanes = 4;

// Fd indices.
inline constexpr int kHandleFdBuffer = 0;
inline constexpr int kHandleFdMetadata = 1;
inline constexpr int kHandleNumFds = 2;

// Int indices (relative to the first int, data[numFds]).
inline constexpr int kHandleIntMagic = 0;
inline constexpr int kHandleIntVersion = 1;
inline constexpr int kHandleIntNumInts = 2;
inline constexpr int kHandleIntBufferId = 3;  // 2 ints
inline constexpr int kHandleIntWidth = 5;
inline constexpr int kHandleIntHeight = 6;
inline constexpr int kHandleIntLayerCount = 7;
inline constexpr int kHandleIntFormatRequested = 8;
inline constexpr int kHandleIntFormat = 9;
inline constexpr int kHandleIntFourcc = 10;
inline constexpr int kHandleIntModifier = 11;  // 2 ints
inline constexpr int kHandleIntUsage = 13;     // 2 ints
inline constexpr int kHandleIntStridePx = 15;
inline constexpr int kHandleIntAllocationSize = 16;  // 2 ints
inline constexpr int kHandleIntReservedSize = 18;    // 2 ints
inline constexpr int kHandleIntMetadataSize = 20;
inline constexpr int kHandleIntBackend = 21;
inline constexpr int kHandleIntFlags = 22;
inline constexpr int kHandleIntPlaneCount = 23;
inline constexpr int kHandleIntPlanes = 24;
inline constexpr int kHandleIntsPerPlane = 5;
inline constexpr int kHandleNumInts =
    kHandleIntPlanes + kHandleIntsPerPlane * kHandleMaxPlanes;  // 44

// Which kind of memory holds the pixels. Values are part of the wire format.
enum class HandleBackend : int32_t {
  kMemfd = 1,    // CPU-only: no device can import it
  kUdmabuf = 2,  // a dma-buf made from a memfd
  kDmaHeap = 3,  // a dma-buf from /dev/dma_heap/*
  kDrmDumb = 4,  // a DRM dumb buffer exported as a dma-buf
};

// Properties of the memory. Values are part of the wire format.
enum HandleFlags : uint32_t {
  kHandleFlagProtected = 1u << 0,   // no CPU access
  kHandleFlagContiguous = 1u << 1,  // physically contiguous
  kHandleFlagUncached = 1u << 2,    // CPU mappings are write-combined
  kHandleFlagAll = (1u << 3) - 1,
};

// Everything the ints of a handle say, decoded. The planes, strides, format
// and modifier are the buffer's one description, BufferLayout
// (hal/layout): the ints [9..12], [15] and [23..43] encode it.
struct HandleInfo {
  uint64_t buffer_id = 0;
  int32_t width = 0;
  int32_t height = 0;
  int32_t layer_count = 0;
  int32_t format_requested = 0;  // PixelFormat the client asked for
  uint64_t usage = 0;            // BufferUsage bits
  uint64_t allocation_size = 0;  // bytes of the pixel buffer
  uint64_t reserved_size = 0;    // client-reserved bytes in the metadata
  uint32_t metadata_size = 0;    // bytes of the metadata buffer
  HandleBackend backend = HandleBackend::kMemfd;
  uint32_t flags = 0;  // HandleFlags
  // Written as: format allocated = layout.format->android_value (for a
  // flexible format's concrete layout, the flexible value), its DRM fourcc,
  // the modifier, the stride in pixels and each plane's offset, stride and
  // size. Decoding finds the row again (FindConcreteLayout) and computes
  // each plane's samples from width and height.
  BufferLayout layout;

  friend bool operator==(const HandleInfo& a, const HandleInfo& b);
};

// Owns a native_handle_t and the fds in it: closes and deletes on
// destruction.
struct NativeHandleDeleter {
  void operator()(native_handle_t* handle) const;
};
using NativeHandlePtr = std::unique_ptr<native_handle_t, NativeHandleDeleter>;

// The largest metadata buffer a handle may name (16 MiB): far above the
// header plus the largest reserved region the descriptor rules allow.
inline constexpr uint32_t kHandleMaxMetadataSize = 16u << 20;

// Checks that `info` describes a well-formed buffer, so that a consumer
// writing the rows it states never leaves its planes:
//  * positive dimensions that follow the concrete format's rules
//    (CheckFormatRules: BLOB one row high, RAW10/RAW12 whole groups), known
//    backend and flags, a reserved region inside the metadata buffer;
//  * a concrete format row with as many planes as the layout;
//  * each plane inside the allocation, with a stride that fits 32 bits and
//    holds a row of `width` pixels after the plane's horizontal subsampling,
//    and a size that holds `height` rows (after vertical subsampling) of
//    that stride; no two planes overlap;
//  * stride_px >= width, and stride_px pixels of the first plane fit its
//    stride in bytes;
//  * layer_count layers, each as long as the end of layer 0's planes, fit
//    the allocation (layers follow each other whole: allocator/layout.h).
// All arithmetic is overflow-checked. Every layout the allocator's layout
// code makes passes. InvalidArgument otherwise, naming the field.
absl::Status ValidateHandleInfo(const HandleInfo& info);

// Builds a handle. On success the handle owns both fds; on error they are
// closed (the UniqueFds are consumed either way).
absl::StatusOr<NativeHandlePtr> EncodeHandle(const HandleInfo& info,
                                             UniqueFd buffer_fd,
                                             UniqueFd metadata_fd);

// The handles of buffers that differ only in BUFFER_ID and allocation size,
// as an allocator's buffers of one description do: `info` is validated
// once, at Create(), with its allocation size as the least any of them may
// have (a larger one keeps every plane and layer inside), and each handle
// is then one copy of the ints with two fields patched.
class HandleTemplate {
 public:
  // InvalidArgument when `info` fails ValidateHandleInfo.
  static absl::StatusOr<HandleTemplate> Create(const HandleInfo& info);

  // What EncodeHandle() builds for info() with `buffer_id` and
  // `allocation_size`; InvalidArgument (the fds closed) when
  // `allocation_size` is below info()'s or an fd is invalid.
  absl::StatusOr<NativeHandlePtr> Encode(uint64_t buffer_id,
                                         uint64_t allocation_size,
                                         UniqueFd buffer_fd,
                                         UniqueFd metadata_fd) const;

  const HandleInfo& info() const { return info_; }

 private:
  HandleTemplate() = default;
  HandleInfo info_;
  std::array<int32_t, kHandleNumInts> ints_{};
};

// The kHandleNumInts ints EncodeHandle() writes for `info` (which must pass
// ValidateHandleInfo), for sending a handle's description without its fds.
absl::StatusOr<std::vector<int32_t>> EncodeHandleInts(const HandleInfo& info);

// Decodes and structurally validates a handle. Nothing is read but the
// handle's own memory, and the fds are neither used nor owned. A format and
// fourcc that name no concrete layout, or a plane count other than the
// layout's, are invalid. Errors are InvalidArgument naming what is wrong.
absl::StatusOr<HandleInfo> DecodeHandle(const native_handle_t* handle);

// The same for a handle's ints alone (kHandleNumInts of them), as they
// travel when no fds need to: the structure, the format and every range.
absl::StatusOr<HandleInfo> DecodeHandleInts(absl::Span<const int32_t> ints);

// The fds of a handle that DecodeHandle() accepted.
inline int HandleBufferFd(const native_handle_t* handle) {
  return handle->data[kHandleFdBuffer];
}
inline int HandleMetadataFd(const native_handle_t* handle) {
  return handle->data[kHandleFdMetadata];
}

// "memfd", "udmabuf", "dma-heap", "drm-dumb".
const char* HandleBackendName(HandleBackend backend);

}  // namespace gralloc

#endif  // GRALLOC_HAL_HANDLE_BUFFER_HANDLE_H_
