// Copyright 2026 The gralloc for Linux Authors.
//
// Fuzzes the buffer handle's decoding and validation (hal/handle):
// DecodeHandle() on a native_handle_t built from the input, DecodeHandleInts()
// and ValidateHandleInfo() on a HandleInfo built field by field. Whatever is
// accepted must satisfy what the mapper and the allocator rely on
// (layout_invariants.h) and round-trip through EncodeHandleInts().
//
// Input: one mode byte, then the fields mode selects.
//   mode bit 7 clear: a native_handle_t.
//     bit 0: counts 2 fds and 44 ints, else an i8 numFds and an i8 numInts;
//     bit 1: an i32 version, else sizeof(native_handle_t);
//     bit 2: the magic, version and int count ints forced right;
//     per fd one byte: -1, one of two memfds (resized to a u16 x 64 bytes
//     from the input), or an i32; then the ints, i32 each.
//   mode bit 7 set: a HandleInfo, field by field (FuzzHandleInfo).

#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "cutils/native_handle.h"
#include "hal/base/unique_fd.h"
#include "hal/format/format_table.h"
#include "hal/handle/buffer_handle.h"
#include "tests/fuzz/fuzz_check.h"
#include "tests/fuzz/layout_invariants.h"

namespace gralloc::fuzz {
namespace {

// Two memfds the handles may name; DecodeHandle() must not care what they
// are, but a handle's fds are real fds in the processes that decode them.
int SharedMemfd(int which) {
  static const int fds[2] = {memfd_create("handle-fuzz-a", MFD_CLOEXEC),
                             memfd_create("handle-fuzz-b", MFD_CLOEXEC)};
  return fds[which];
}

struct FreeDeleter {
  void operator()(native_handle_t* handle) const { std::free(handle); }
};

// What an accepted handle promises, and that its ints say it again.
void CheckAccepted(const HandleInfo& info) {
  FUZZ_CHECK(info.width > 0 && info.height > 0 && info.layer_count > 0,
             "dimensions ", info.width, "x", info.height, "x",
             info.layer_count);
  FUZZ_CHECK(info.layout.format != nullptr &&
                 info.layout.format->layout == FormatLayout::kPlanes,
             "accepted without a concrete format");
  FUZZ_CHECK(info.layout.plane_count == info.layout.format->plane_count,
             info.layout.plane_count, " planes for ", info.layout.format->name);
  FUZZ_CHECK(info.reserved_size <= info.metadata_size, "reserved ",
             info.reserved_size, " > metadata ", info.metadata_size);
  const absl::Status inside =
      CheckPlanesInsideAllocation(info.layout, info.allocation_size);
  FUZZ_CHECK(inside.ok(), inside.ToString());
  const absl::Status geometry =
      CheckPlaneGeometry(info.layout, info.width, info.height);
  FUZZ_CHECK(geometry.ok(),
             "accepted handle breaks the geometry rule: ", geometry.ToString());

  // decode(encode(info)) == info.
  const absl::StatusOr<std::vector<int32_t>> ints = EncodeHandleInts(info);
  FUZZ_CHECK(ints.ok(),
             "an accepted handle does not encode: ", ints.status().ToString());
  const absl::StatusOr<HandleInfo> again = DecodeHandleInts(*ints);
  FUZZ_CHECK(again.ok(),
             "re-encoded ints do not decode: ", again.status().ToString());
  FUZZ_CHECK(*again == info, "the round trip changed the handle");
}

void FuzzNativeHandle(FuzzInput& in, uint8_t mode) {
  int num_fds = kHandleNumFds;
  int num_ints = kHandleNumInts;
  if ((mode & 1) == 0) {
    num_fds = in.Take<int8_t>();
    num_ints = in.Take<int8_t>();
  }
  const int version = (mode & 2) != 0
                          ? in.Take<int32_t>()
                          : static_cast<int>(sizeof(native_handle_t));
  // Exactly as much memory as the header declares (none for a negative
  // count), so that reading past it is a heap overflow ASan reports.
  const size_t slots = static_cast<size_t>(std::max(num_fds, 0)) +
                       static_cast<size_t>(std::max(num_ints, 0));
  std::unique_ptr<native_handle_t, FreeDeleter> handle(
      static_cast<native_handle_t*>(
          std::malloc(sizeof(native_handle_t) + slots * sizeof(int))));
  handle->version = version;
  handle->numFds = num_fds;
  handle->numInts = num_ints;
  int* next = handle->data;
  for (int i = 0; i < num_fds; ++i) {
    switch (in.Take<uint8_t>() % 4) {
      case 0:
        *next++ = -1;
        break;
      case 1:
      case 2: {
        const int fd = SharedMemfd(i % 2);
        FUZZ_CHECK(ftruncate(fd, off_t{in.Take<uint16_t>()} * 64) == 0,
                   "ftruncate");
        *next++ = fd;
        break;
      }
      default:
        *next++ = in.Take<int32_t>();
        break;
    }
  }
  int* const ints = next;
  for (int i = 0; i < num_ints; ++i) *next++ = in.Take<int32_t>();
  if ((mode & 4) != 0 && num_ints == kHandleNumInts) {
    ints[kHandleIntMagic] = kHandleMagic;
    ints[kHandleIntVersion] = kHandleVersion;
    ints[kHandleIntNumInts] = kHandleNumInts;
  }

  const absl::StatusOr<HandleInfo> info = DecodeHandle(handle.get());
  if (num_ints == kHandleNumInts) {
    // The ints alone decode the same way, whatever the fds.
    const absl::StatusOr<HandleInfo> from_ints = DecodeHandleInts(
        absl::MakeConstSpan(ints, static_cast<size_t>(num_ints)));
    if (info.ok()) {
      FUZZ_CHECK(from_ints.ok() && *from_ints == *info,
                 "DecodeHandle accepts what DecodeHandleInts does not: ",
                 from_ints.status().ToString());
    }
    if (from_ints.ok()) CheckAccepted(*from_ints);
  }
  if (!info.ok()) return;
  FUZZ_CHECK(handle->numFds == kHandleNumFds, "fds");
  FUZZ_CHECK(HandleBufferFd(handle.get()) >= 0 &&
                 HandleMetadataFd(handle.get()) >= 0 &&
                 HandleBufferFd(handle.get()) != HandleMetadataFd(handle.get()),
             "accepted fds ", HandleBufferFd(handle.get()), " and ",
             HandleMetadataFd(handle.get()));
  CheckAccepted(*info);
}

// A dimension: mostly small, sometimes any i32.
int32_t TakeDimension(FuzzInput& in) {
  const uint8_t choice = in.Take<uint8_t>();
  if (choice < 0xc0) return 1 + in.Take<uint8_t>();
  return in.Take<int32_t>();
}

// A byte count: mostly small, sometimes any u64.
uint64_t TakeBytes64(FuzzInput& in) {
  const uint8_t choice = in.Take<uint8_t>();
  if (choice < 0xc0) return in.Take<uint16_t>();
  return in.Take<uint64_t>();
}

void FuzzHandleInfo(FuzzInput& in) {
  HandleInfo info;
  info.buffer_id = in.Take<uint64_t>();
  info.width = TakeDimension(in);
  info.height = TakeDimension(in);
  info.layer_count = TakeDimension(in);
  info.format_requested = in.Take<int32_t>();
  info.usage = in.Take<uint64_t>();
  info.allocation_size = TakeBytes64(in);
  info.reserved_size = TakeBytes64(in);
  info.metadata_size = static_cast<uint32_t>(TakeBytes64(in));
  info.backend = static_cast<HandleBackend>(in.Take<uint8_t>() % 6);
  info.flags = in.Take<uint8_t>();
  BufferLayout& layout = info.layout;
  const absl::Span<const FormatInfo> formats = AllFormats();
  const absl::Span<const FormatInfo> flexible = FlexibleLayouts();
  const size_t row = in.Take<uint8_t>() % (formats.size() + flexible.size());
  layout.format =
      row < formats.size() ? &formats[row] : &flexible[row - formats.size()];
  layout.modifier = in.Take<uint64_t>();
  layout.stride_px = TakeDimension(in);
  layout.plane_count = in.Take<uint8_t>() % (kMaxFormatPlanes + 1);
  for (int i = 0; i < layout.plane_count; ++i) {
    LaidOutPlane& plane = layout.planes[i];
    plane.offset_bytes = TakeBytes64(in);
    plane.stride_bytes = TakeBytes64(in);
    plane.size_bytes = TakeBytes64(in);
  }

  if (!ValidateHandleInfo(info).ok()) return;
  const absl::Status inside =
      CheckPlanesInsideAllocation(layout, info.allocation_size);
  FUZZ_CHECK(inside.ok(), inside.ToString());
  // What the encoder writes for a valid info, the decoder must accept, and
  // what it decodes must encode to the same ints.
  const absl::StatusOr<std::vector<int32_t>> ints = EncodeHandleInts(info);
  FUZZ_CHECK(ints.ok(),
             "a valid HandleInfo does not encode: ", ints.status().ToString());
  const absl::StatusOr<HandleInfo> decoded = DecodeHandleInts(*ints);
  FUZZ_CHECK(decoded.ok(), "ValidateHandleInfo accepted what ",
             "DecodeHandleInts refuses: ", decoded.status().ToString());
  CheckAccepted(*decoded);
  const absl::StatusOr<std::vector<int32_t>> again = EncodeHandleInts(*decoded);
  FUZZ_CHECK(again.ok() && *again == *ints, "the ints changed on a round trip");
}

}  // namespace
}  // namespace gralloc::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  gralloc::fuzz::FuzzInput in(data, size);
  const uint8_t mode = in.Take<uint8_t>();
  if ((mode & 0x80) != 0) {
    gralloc::fuzz::FuzzHandleInfo(in);
  } else {
    gralloc::fuzz::FuzzNativeHandle(in, mode);
  }
  return 0;
}
