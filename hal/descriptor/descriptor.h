// Copyright 2026 The gralloc for Linux Authors.
//
// hal/descriptor/descriptor.h: what a client asks to allocate, and the one
// check every request passes before anything is allocated.
//
// BufferDescriptorInfo mirrors Android's type of the same name. Its numeric
// fields are deliberately wider than Android's (64-bit width, height and
// layer count) so that a value from the C ABI or an IPC message that does
// not fit is rejected here, never truncated on the way in.
//
//   BufferDescriptorInfo info;
//   info.width = 1920; info.height = 1080; info.layer_count = 1;
//   info.format = FormatValue(PixelFormat::YCRCB_420_SP);
//   info.usage = UsageValue(BufferUsage::CAMERA_OUTPUT);
//   RETURN_IF_ERROR(ValidateDescriptor(info));
//   // From here on the descriptor's values can be trusted: dimensions fit
//   // int32_t, the format is in the table, the minimum size fits 32 bits.
//
// Everything here is a pure function of its arguments and thread-safe.

#ifndef GRALLOC_HAL_DESCRIPTOR_DESCRIPTOR_H_
#define GRALLOC_HAL_DESCRIPTOR_DESCRIPTOR_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "gralloc/allocator.h"
#include "hal/format/format_table.h"
#include "hal/types/plane_layout.h"

namespace gralloc {

// The additional options a descriptor may carry, named as the C ABI names
// them (gralloc/allocator.h, which says what each means):
//  * the buffer's initial Dataspace (Android's; an int32_t, at most once);
inline constexpr char kDataspaceOptionName[] = GRALLOC_OPTION_DATASPACE;
//  * a DRM modifier the buffer may have, once per modifier (not
//    DRM_FORMAT_MOD_INVALID);
inline constexpr char kDrmModifierOptionName[] = GRALLOC_OPTION_DRM_MODIFIER;
//  * linear only (0 or 1, at most once);
inline constexpr char kLinearOnlyOptionName[] = GRALLOC_OPTION_LINEAR_ONLY;
//  * a preferred heap class (a GrallocHeapClass, at most once);
inline constexpr char kPreferredHeapOptionName[] =
    GRALLOC_OPTION_PREFERRED_HEAP;
//  * a minimum stride alignment in bytes (1..kMaxMinStrideAlignmentBytes,
//    at most once).
inline constexpr char kMinStrideAlignmentOptionName[] =
    GRALLOC_OPTION_MIN_STRIDE_ALIGNMENT;
inline constexpr int64_t kMaxMinStrideAlignmentBytes = 65536;
// The most options one descriptor carries (the service's limit too): a
// modifier list is rarely more than a dozen.
inline constexpr size_t kMaxDescriptorOptions = 64;

// What a descriptor's options ask, parsed.
struct DescriptorOptions {
  std::optional<int32_t> dataspace;
  std::vector<uint64_t> drm_modifiers;  // empty: no restriction
  bool linear_only = false;
  int32_t preferred_heap = 0;  // a GrallocHeapClass; 0: none
  uint64_t min_stride_alignment_bytes = 1;
};

// Whether `name` is an option this allocator knows. A descriptor naming
// another is unsupported (Unimplemented), not invalid.
bool IsKnownOption(absl::string_view name);

// Parses `options`: InvalidArgument naming the option for an unknown name,
// a value out of range, a once-only option given twice, or more than
// kMaxDescriptorOptions options.
absl::StatusOr<DescriptorOptions> ParseDescriptorOptions(
    const std::vector<ExtendableType>& options);

// The longest name accepted, in bytes. The C ABI stores names in 128-byte
// fields with a terminating NUL, so a longer name could not round-trip;
// rejecting it beats truncating it silently.
inline constexpr size_t kMaxDescriptorNameBytes = 127;

// The largest reserved (client-owned metadata) region: 8 MiB. The region
// lives in the buffer's shared metadata buffer, which is mapped into every
// process that imports the buffer and capped at 16 MiB by the handle format
// (kHandleMaxMetadataSize); a test checks the largest reserved region still
// fits, so isSupported and allocation agree.
inline constexpr int64_t kMaxReservedSizeBytes = int64_t{8} << 20;

// The largest buffer accepted: 4 GiB - 1, the largest size a 32-bit length
// can hold. V4L2's plane length and the transfer lengths of most DMA engines
// and display controllers are 32-bit, so a buffer of 4 GiB or more could not
// be handed to them whole, and the arithmetic of every user downstream may
// assume sizes fit uint32_t.
inline constexpr uint64_t kMaxBufferSizeBytes = (uint64_t{1} << 32) - 1;

// A request to allocate buffers. Mirrors Android's BufferDescriptorInfo.
struct BufferDescriptorInfo {
  // For debugging only (dumps, dma-buf names): at most
  // kMaxDescriptorNameBytes bytes, no NUL bytes.
  std::string name;
  int64_t width = 0;        // pixels; for BLOB, bytes
  int64_t height = 0;       // pixels; 1 for BLOB
  int64_t layer_count = 0;  // at least 1
  int32_t format = 0;       // an Android PixelFormat value
  uint64_t usage = 0;       // an Android BufferUsage word
  // Bytes of client-owned metadata to allocate alongside the buffer.
  int64_t reserved_size = 0;
  // The options above (ParseDescriptorOptions).
  std::vector<ExtendableType> additional_options;
};

// Checks `info` once, at the door, and returns InvalidArgument with the
// reason if any of these fails:
//
//  * name: at most kMaxDescriptorNameBytes bytes and no NUL byte;
//  * width, height, layer_count: each in [1, INT32_MAX];
//  * format: in the format table (so not UNSPECIFIED, not a vendor value);
//  * usage: ValidateUsage() (no undefined bits except the legacy 10 and 13,
//    CPU read/write fields NEVER, RARELY or OFTEN);
//  * reserved_size: in [0, kMaxReservedSizeBytes];
//  * additional_options: ParseDescriptorOptions();
//  * the format's rules: CheckFormatRules() (BLOB height 1, RAW10/RAW12
//    width a multiple of 4);
//  * EstimateMinimumSizeBytes() neither overflows nor exceeds
//    kMaxBufferSizeBytes.
absl::Status ValidateDescriptor(const BufferDescriptorInfo& info);

// A lower bound on the bytes a buffer of `format` needs: for each plane,
// ceil(width / horizontal_subsampling) * ceil(height / vertical_subsampling)
// samples of bits_per_sample bits, summed over planes, rounded up to whole
// bytes per layer, times `layer_count`. For a flexible format, width * height
// * flexible_bits_per_pixel. Stride and plane alignment only add to this, so
// the allocator's real size is at least this.
//
// All arithmetic is checked 64-bit; returns InvalidArgument if a dimension
// is not positive or the size overflows 64 bits. Does not apply
// kMaxBufferSizeBytes; ValidateDescriptor() does.
absl::StatusOr<uint64_t> EstimateMinimumSizeBytes(const FormatInfo& format,
                                                  int64_t width, int64_t height,
                                                  int64_t layer_count);

}  // namespace gralloc

#endif  // GRALLOC_HAL_DESCRIPTOR_DESCRIPTOR_H_
