// Copyright 2026 The gralloc for Linux Authors.

#include "hal/handle/buffer_handle.h"

#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <utility>

#include "absl/base/attributes.h"
#include "absl/strings/str_cat.h"
#include "hal/base/status_macros.h"
#include "hal/format/format_table.h"

namespace gralloc {
namespace {

int32_t Lo(uint64_t value) { return static_cast<int32_t>(value & 0xffffffffu); }
int32_t Hi(uint64_t value) { return static_cast<int32_t>(value >> 32); }
uint64_t Join(int32_t lo, int32_t hi) {
  return (static_cast<uint64_t>(static_cast<uint32_t>(hi)) << 32) |
         static_cast<uint32_t>(lo);
}

bool IsKnownBackend(int32_t value) {
  return value >= static_cast<int32_t>(HandleBackend::kMemfd) &&
         value <= static_cast<int32_t>(HandleBackend::kDrmDumb);
}

absl::Status Invalid(absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat("buffer handle: ", what));
}

uint64_t CeilDiv(uint64_t value, uint64_t divisor) {
  return value / divisor + (value % divisor != 0);
}

// The bytes `samples` samples of `plane` fill, rounded up to whole bytes;
// false on overflow.
bool RowBytes(const PlaneInfo& plane, uint64_t samples, uint64_t* bytes) {
  uint64_t bits = 0;
  if (__builtin_mul_overflow(
          samples, static_cast<uint64_t>(plane.bits_per_sample), &bits)) {
    return false;
  }
  *bytes = CeilDiv(bits, 8);
  return true;
}

// The geometry `info` states against the planes it states, for a layout
// whose planes already lie inside the allocation (ValidateHandleInfo checks
// that first, so offset + size does not overflow). Each rule is what a
// consumer relies on when it writes the rows it was told about; every
// layout allocator/layout makes satisfies them.
absl::Status ValidateGeometry(const HandleInfo& info) {
  const BufferLayout& layout = info.layout;
  const FormatInfo& format = *layout.format;
  // The descriptor rules of the concrete format (BLOB: one row; RAW10 and
  // RAW12: whole packing groups).
  if (absl::Status rules = CheckFormatRules(format, info.width, info.height);
      !rules.ok()) {
    return Invalid(rules.message());
  }
  uint64_t layer_end = 0;
  for (int i = 0; i < layout.plane_count; ++i) {
    const PlaneInfo& row = format.planes[i];
    const LaidOutPlane& plane = layout.planes[i];
    if (row.bits_per_sample <= 0 || row.horizontal_subsampling <= 0 ||
        row.vertical_subsampling <= 0) {
      return Invalid(absl::StrCat(format.name, " plane ", i,
                                  " has no sample size in the format table"));
    }
    // Each plane holds one layer's samples of `width` x `height` after its
    // subsampling; layers follow each other whole (allocator/layout.h), so
    // no plane holds more than one layer's rows.
    const uint64_t samples = static_cast<uint64_t>(
        PlaneWidthInSamples(row, static_cast<int64_t>(info.width)));
    const uint64_t rows = static_cast<uint64_t>(
        PlaneHeightInSamples(row, static_cast<int64_t>(info.height)));
    uint64_t row_bytes = 0;
    if (!RowBytes(row, samples, &row_bytes) || plane.stride_bytes < row_bytes) {
      return Invalid(absl::StrCat("plane ", i, " stride ", plane.stride_bytes,
                                  " bytes is shorter than a row of ", samples,
                                  " samples (width ", info.width, ")"));
    }
    uint64_t rows_bytes = 0;
    if (__builtin_mul_overflow(plane.stride_bytes, rows, &rows_bytes) ||
        rows_bytes > plane.size_bytes) {
      return Invalid(absl::StrCat(
          "plane ", i, " size ", plane.size_bytes, " bytes cannot hold ", rows,
          " rows (height ", info.height, ") of stride ", plane.stride_bytes));
    }
    layer_end = std::max(layer_end, plane.offset_bytes + plane.size_bytes);
  }
  // Planes never share bytes: a write to one must not change another.
  for (int i = 0; i < layout.plane_count; ++i) {
    for (int j = i + 1; j < layout.plane_count; ++j) {
      const LaidOutPlane& a = layout.planes[i];
      const LaidOutPlane& b = layout.planes[j];
      if (a.offset_bytes < b.offset_bytes + b.size_bytes &&
          b.offset_bytes < a.offset_bytes + a.size_bytes) {
        return Invalid(absl::StrCat("planes ", i, " and ", j, " overlap"));
      }
    }
  }
  // The stride in pixels is what Android clients step rows by: that many
  // pixels of the first plane must fit its stride in bytes. (The allocator
  // writes the most whole pixels that fit.)
  const PlaneInfo& first = format.planes[0];
  uint64_t stride_px_bytes = 0;
  if (!RowBytes(first,
                CeilDiv(static_cast<uint64_t>(layout.stride_px),
                        static_cast<uint64_t>(first.horizontal_subsampling)),
                &stride_px_bytes) ||
      stride_px_bytes > layout.planes[0].stride_bytes) {
    return Invalid(absl::StrCat("stride ", layout.stride_px,
                                " px does not fit plane 0's stride of ",
                                layout.planes[0].stride_bytes, " bytes"));
  }
  // Layer k starts at least k times the end of layer 0's planes in.
  uint64_t layers_bytes = 0;
  if (__builtin_mul_overflow(layer_end, static_cast<uint64_t>(info.layer_count),
                             &layers_bytes) ||
      layers_bytes > info.allocation_size) {
    return Invalid(absl::StrCat("layer count ", info.layer_count, " layers of ",
                                layer_end,
                                " bytes do not fit the allocation of ",
                                info.allocation_size, " bytes"));
  }
  return absl::OkStatus();
}

}  // namespace

bool operator==(const HandleInfo& a, const HandleInfo& b) {
  return a.buffer_id == b.buffer_id && a.width == b.width &&
         a.height == b.height && a.layer_count == b.layer_count &&
         a.format_requested == b.format_requested && a.usage == b.usage &&
         a.allocation_size == b.allocation_size &&
         a.reserved_size == b.reserved_size &&
         a.metadata_size == b.metadata_size && a.backend == b.backend &&
         a.flags == b.flags && a.layout == b.layout;
}

void NativeHandleDeleter::operator()(native_handle_t* handle) const {
  // native_handle_close() then native_handle_delete(), as one function:
  // this runs for every buffer freed, and each call costs more than its
  // body when the code is emulated (the VM tier). The same checks: a handle
  // that is not one is left alone.
  if (handle->version != static_cast<int>(sizeof(native_handle_t)) ||
      handle->numFds < 0 || handle->numFds > NATIVE_HANDLE_MAX_FDS ||
      handle->numInts < 0 || handle->numInts > NATIVE_HANDLE_MAX_INTS) {
    return;
  }
  const int saved_errno = errno;
  for (int i = 0; i < handle->numFds; ++i) {
    if (handle->data[i] >= 0) close(handle->data[i]);
  }
  errno = saved_errno;
  std::free(handle);
}

absl::Status ValidateHandleInfo(const HandleInfo& info) {
  const BufferLayout& layout = info.layout;
  if (info.width <= 0 || info.height <= 0 || info.layer_count <= 0) {
    return Invalid(absl::StrCat("dimensions ", info.width, "x", info.height,
                                "x", info.layer_count, " are not positive"));
  }
  if (layout.stride_px < info.width) {
    return Invalid(absl::StrCat("stride ", layout.stride_px,
                                " px is less than the width ", info.width));
  }
  if (info.allocation_size == 0) return Invalid("allocation size is 0");
  if (!IsKnownBackend(static_cast<int32_t>(info.backend))) {
    return Invalid(
        absl::StrCat("unknown backend ", static_cast<int32_t>(info.backend)));
  }
  if ((info.flags & ~static_cast<uint32_t>(kHandleFlagAll)) != 0) {
    return Invalid(absl::StrCat("unknown flags 0x", absl::Hex(info.flags)));
  }
  if (info.metadata_size == 0 || info.metadata_size > kHandleMaxMetadataSize) {
    return Invalid(absl::StrCat("metadata size ", info.metadata_size,
                                " is outside 1..", kHandleMaxMetadataSize));
  }
  if (info.reserved_size > info.metadata_size) {
    return Invalid(absl::StrCat("reserved size ", info.reserved_size,
                                " exceeds the metadata buffer"));
  }
  if (layout.format == nullptr ||
      layout.format->layout != FormatLayout::kPlanes) {
    return Invalid("the layout has no concrete format");
  }
  if (layout.plane_count != layout.format->plane_count) {
    return Invalid(absl::StrCat(layout.plane_count, " planes, but ",
                                layout.format->name, " has ",
                                layout.format->plane_count));
  }
  for (int i = 0; i < layout.plane_count; ++i) {
    const LaidOutPlane& plane = layout.planes[i];
    if (plane.stride_bytes == 0 || plane.size_bytes == 0 ||
        plane.stride_bytes > UINT32_MAX) {
      return Invalid(absl::StrCat("plane ", i, " stride ", plane.stride_bytes,
                                  " or size ", plane.size_bytes,
                                  " is zero or the stride exceeds 32 bits"));
    }
    uint64_t end = 0;
    if (__builtin_add_overflow(plane.offset_bytes, plane.size_bytes, &end) ||
        end > info.allocation_size) {
      return Invalid(absl::StrCat("plane ", i, " (offset ", plane.offset_bytes,
                                  ", size ", plane.size_bytes,
                                  ") runs past the allocation of ",
                                  info.allocation_size, " bytes"));
    }
  }
  return ValidateGeometry(info);
}

namespace {

// Writes the kHandleNumInts ints of `info`, which passed ValidateHandleInfo,
// to `ints` (straight into a handle, or into a vector): every one of them,
// since HandleOwning() does not zero a new handle's ints.
static_assert(kHandleIntPlanes == kHandleIntPlaneCount + 1,
              "no int lies between the last field and the planes");
void WriteHandleInts(const HandleInfo& info, int32_t* ints) {
  const BufferLayout& layout = info.layout;
  ints[kHandleIntMagic] = kHandleMagic;
  ints[kHandleIntVersion] = kHandleVersion;
  ints[kHandleIntNumInts] = kHandleNumInts;
  ints[kHandleIntBufferId] = Lo(info.buffer_id);
  ints[kHandleIntBufferId + 1] = Hi(info.buffer_id);
  ints[kHandleIntWidth] = info.width;
  ints[kHandleIntHeight] = info.height;
  ints[kHandleIntLayerCount] = info.layer_count;
  ints[kHandleIntFormatRequested] = info.format_requested;
  ints[kHandleIntFormat] = layout.format->android_value;
  ints[kHandleIntFourcc] = static_cast<int32_t>(layout.format->drm_fourcc);
  ints[kHandleIntModifier] = Lo(layout.modifier);
  ints[kHandleIntModifier + 1] = Hi(layout.modifier);
  ints[kHandleIntUsage] = Lo(info.usage);
  ints[kHandleIntUsage + 1] = Hi(info.usage);
  ints[kHandleIntStridePx] = layout.stride_px;
  ints[kHandleIntAllocationSize] = Lo(info.allocation_size);
  ints[kHandleIntAllocationSize + 1] = Hi(info.allocation_size);
  ints[kHandleIntReservedSize] = Lo(info.reserved_size);
  ints[kHandleIntReservedSize + 1] = Hi(info.reserved_size);
  ints[kHandleIntMetadataSize] = static_cast<int32_t>(info.metadata_size);
  ints[kHandleIntBackend] = static_cast<int32_t>(info.backend);
  ints[kHandleIntFlags] = static_cast<int32_t>(info.flags);
  ints[kHandleIntPlaneCount] = layout.plane_count;
  for (int i = 0; i < kHandleMaxPlanes; ++i) {
    int32_t* slot = &ints[kHandleIntPlanes + kHandleIntsPerPlane * i];
    const LaidOutPlane plane =
        i < layout.plane_count ? layout.planes[i] : LaidOutPlane{};
    slot[0] = Lo(plane.offset_bytes);
    slot[1] = Hi(plane.offset_bytes);
    slot[2] = static_cast<int32_t>(plane.stride_bytes);
    slot[3] = Lo(plane.size_bytes);
    slot[4] = Hi(plane.size_bytes);
  }
}

// A new handle owning both fds, its ints still to be written: both callers
// write every one (WriteHandleInts, or a copy of a template's), so they are
// not zeroed first as native_handle_create() would. That zeroing, a
// `rep stos`, was 60 of an allocation's 1,365 user-space instructions
// (callgrind, Allocate/memfd/64x64). The fds are closed on error.
ABSL_ATTRIBUTE_ALWAYS_INLINE inline absl::StatusOr<NativeHandlePtr>
HandleOwning(UniqueFd buffer_fd, UniqueFd metadata_fd) {
  if (!buffer_fd.valid() || !metadata_fd.valid()) {
    return Invalid("both fds must be valid");
  }
  // malloc()ed as native_handle_create()'s are: NativeHandleDeleter and
  // native_handle_delete() free() it.
  void* storage = std::malloc(sizeof(native_handle_t) +
                              sizeof(int) * (kHandleNumFds + kHandleNumInts));
  if (storage == nullptr) {
    return absl::ResourceExhaustedError("no memory for a native_handle_t");
  }
  // What native_handle_init() writes, without the call.
  NativeHandlePtr handle(static_cast<native_handle_t*>(storage));
  handle->version = static_cast<int>(sizeof(native_handle_t));
  handle->numFds = kHandleNumFds;
  handle->numInts = kHandleNumInts;
  handle->data[kHandleFdBuffer] = buffer_fd.release();
  handle->data[kHandleFdMetadata] = metadata_fd.release();
  return handle;
}

}  // namespace

absl::StatusOr<std::vector<int32_t>> EncodeHandleInts(const HandleInfo& info) {
  RETURN_IF_ERROR(ValidateHandleInfo(info));
  std::vector<int32_t> ints(kHandleNumInts, 0);
  WriteHandleInts(info, ints.data());
  return ints;
}

absl::StatusOr<NativeHandlePtr> EncodeHandle(const HandleInfo& info,
                                             UniqueFd buffer_fd,
                                             UniqueFd metadata_fd) {
  RETURN_IF_ERROR(ValidateHandleInfo(info));
  ASSIGN_OR_RETURN(NativeHandlePtr handle,
                   HandleOwning(std::move(buffer_fd), std::move(metadata_fd)));
  WriteHandleInts(info, &handle->data[kHandleNumFds]);
  return handle;
}

absl::StatusOr<HandleTemplate> HandleTemplate::Create(const HandleInfo& info) {
  RETURN_IF_ERROR(ValidateHandleInfo(info));
  HandleTemplate made;
  made.info_ = info;
  WriteHandleInts(info, made.ints_.data());
  return made;
}

absl::StatusOr<NativeHandlePtr> HandleTemplate::Encode(
    uint64_t buffer_id, uint64_t allocation_size, UniqueFd buffer_fd,
    UniqueFd metadata_fd) const {
  if (allocation_size < info_.allocation_size) {
    return Invalid(absl::StrCat("allocation size ", allocation_size,
                                " is below the layout's ",
                                info_.allocation_size));
  }
  ASSIGN_OR_RETURN(NativeHandlePtr handle,
                   HandleOwning(std::move(buffer_fd), std::move(metadata_fd)));
  int32_t* ints = &handle->data[kHandleNumFds];
  std::memcpy(ints, ints_.data(), sizeof(ints_));
  ints[kHandleIntBufferId] = Lo(buffer_id);
  ints[kHandleIntBufferId + 1] = Hi(buffer_id);
  ints[kHandleIntAllocationSize] = Lo(allocation_size);
  ints[kHandleIntAllocationSize + 1] = Hi(allocation_size);
  return handle;
}

absl::StatusOr<HandleInfo> DecodeHandle(const native_handle_t* handle) {
  if (handle == nullptr) return Invalid("null");
  if (handle->version != static_cast<int>(sizeof(native_handle_t))) {
    return Invalid(absl::StrCat("native_handle version ", handle->version));
  }
  if (handle->numFds != kHandleNumFds || handle->numInts != kHandleNumInts) {
    return Invalid(absl::StrCat("holds ", handle->numFds, " fds and ",
                                handle->numInts, " ints, not ", kHandleNumFds,
                                " and ", kHandleNumInts));
  }
  const int buffer_fd = handle->data[kHandleFdBuffer];
  const int metadata_fd = handle->data[kHandleFdMetadata];
  if (buffer_fd < 0 || metadata_fd < 0 || buffer_fd == metadata_fd) {
    return Invalid("fds must be two distinct non-negative descriptors");
  }
  return DecodeHandleInts(
      absl::MakeConstSpan(&handle->data[kHandleNumFds], kHandleNumInts));
}

absl::StatusOr<HandleInfo> DecodeHandleInts(absl::Span<const int32_t> ints) {
  if (ints.size() != static_cast<size_t>(kHandleNumInts)) {
    return Invalid(absl::StrCat(ints.size(), " ints, not ", kHandleNumInts));
  }
  if (ints[kHandleIntMagic] != kHandleMagic) {
    return Invalid(absl::StrCat("bad magic 0x", absl::Hex(static_cast<uint32_t>(
                                                    ints[kHandleIntMagic]))));
  }
  if (ints[kHandleIntVersion] != kHandleVersion) {
    return Invalid(absl::StrCat("unknown version ", ints[kHandleIntVersion]));
  }
  if (ints[kHandleIntNumInts] != kHandleNumInts) {
    return Invalid(absl::StrCat("declares ", ints[kHandleIntNumInts],
                                " ints, not ", kHandleNumInts));
  }
  if (!IsKnownBackend(ints[kHandleIntBackend])) {
    return Invalid(absl::StrCat("unknown backend ", ints[kHandleIntBackend]));
  }
  HandleInfo info;
  info.buffer_id = Join(ints[kHandleIntBufferId], ints[kHandleIntBufferId + 1]);
  info.width = ints[kHandleIntWidth];
  info.height = ints[kHandleIntHeight];
  info.layer_count = ints[kHandleIntLayerCount];
  info.format_requested = ints[kHandleIntFormatRequested];
  info.usage = Join(ints[kHandleIntUsage], ints[kHandleIntUsage + 1]);
  info.allocation_size =
      Join(ints[kHandleIntAllocationSize], ints[kHandleIntAllocationSize + 1]);
  info.reserved_size =
      Join(ints[kHandleIntReservedSize], ints[kHandleIntReservedSize + 1]);
  info.metadata_size = static_cast<uint32_t>(ints[kHandleIntMetadataSize]);
  info.backend = static_cast<HandleBackend>(ints[kHandleIntBackend]);
  info.flags = static_cast<uint32_t>(ints[kHandleIntFlags]);

  BufferLayout& layout = info.layout;
  layout.modifier =
      Join(ints[kHandleIntModifier], ints[kHandleIntModifier + 1]);
  layout.stride_px = ints[kHandleIntStridePx];
  layout.plane_count = ints[kHandleIntPlaneCount];
  if (layout.plane_count < 1 || layout.plane_count > kHandleMaxPlanes) {
    return Invalid(absl::StrCat("plane count ", layout.plane_count,
                                " is outside 1..", kHandleMaxPlanes));
  }
  std::array<LaidOutPlane, kHandleMaxPlanes> slots{};
  for (int i = 0; i < kHandleMaxPlanes; ++i) {
    const int32_t* slot = &ints[kHandleIntPlanes + kHandleIntsPerPlane * i];
    slots[i].offset_bytes = Join(slot[0], slot[1]);
    slots[i].stride_bytes = static_cast<uint32_t>(slot[2]);
    slots[i].size_bytes = Join(slot[3], slot[4]);
    if (i >= layout.plane_count && !(slots[i] == LaidOutPlane{})) {
      return Invalid(absl::StrCat("unused plane slot ", i, " is not zero"));
    }
  }
  const int32_t format = ints[kHandleIntFormat];
  const uint32_t fourcc = static_cast<uint32_t>(ints[kHandleIntFourcc]);
  layout.format = FindConcreteLayout(format, fourcc);
  if (layout.format == nullptr) {
    return Invalid(absl::StrCat("format ", format, " with fourcc 0x",
                                absl::Hex(fourcc),
                                " names no concrete layout"));
  }
  // A plane count other than the row's is ValidateHandleInfo's to report.
  uint64_t end = 0;
  for (int i = 0; i < std::min(layout.plane_count, layout.format->plane_count);
       ++i) {
    const PlaneInfo& row = layout.format->planes[i];
    LaidOutPlane& plane = layout.planes[i];
    plane = slots[i];
    plane.width_in_samples = PlaneWidthInSamples(row, info.width);
    plane.height_in_samples = PlaneHeightInSamples(row, info.height);
    // Overflow is ValidateHandleInfo's to report; saturate meanwhile.
    uint64_t plane_end = 0;
    if (__builtin_add_overflow(plane.offset_bytes, plane.size_bytes,
                               &plane_end)) {
      plane_end = UINT64_MAX;
    }
    end = std::max(end, plane_end);
  }
  // The wire does not carry the distance between layers (buffer_layout.h).
  layout.layer_size_bytes = info.layer_count == 1 ? end : 0;
  layout.total_size_bytes = info.layer_count == 1 ? end : info.allocation_size;
  RETURN_IF_ERROR(ValidateHandleInfo(info));
  return info;
}

const char* HandleBackendName(HandleBackend backend) {
  switch (backend) {
    case HandleBackend::kMemfd:
      return "memfd";
    case HandleBackend::kUdmabuf:
      return "udmabuf";
    case HandleBackend::kDmaHeap:
      return "dma-heap";
    case HandleBackend::kDrmDumb:
      return "drm-dumb";
  }
  return "unknown";
}

}  // namespace gralloc
