// Copyright 2026 The gralloc for Linux Authors.

#include "hal/usage/usage.h"

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "hal/types/buffer_usage.h"

namespace gralloc {
namespace {

constexpr uint64_t kCpuReadMask = UsageValue(BufferUsage::CPU_READ_MASK);
constexpr uint64_t kCpuWriteMask = UsageValue(BufferUsage::CPU_WRITE_MASK);
constexpr int kCpuWriteShift = 4;

// Shorthands that keep each row of the table on a line or two.
constexpr UsageBit Field(absl::string_view name, BufferUsage mask,
                         BufferUsage value, absl::string_view meaning) {
  return {name, UsageValue(mask), UsageValue(value), UsageKind::kFieldValue,
          meaning};
}
constexpr UsageBit Flag(absl::string_view name, BufferUsage bit,
                        absl::string_view meaning) {
  return {name, UsageValue(bit), UsageValue(bit), UsageKind::kFlag, meaning};
}

// The table. Names and values are Android's; a bit that is in no row is
// undefined. Order is bit order, which is also the order UsageToString()
// prints in.
constexpr UsageBit kUsageBits[] = {
    {"CPU_READ_MASK", kCpuReadMask, kCpuReadMask, UsageKind::kMask,
     "bits 0-3: how often the CPU reads the buffer (a value, not flags)"},
    Field("CPU_READ_NEVER", BufferUsage::CPU_READ_MASK,
          BufferUsage::CPU_READ_NEVER, "the CPU never reads the buffer"),
    Field("CPU_READ_RARELY", BufferUsage::CPU_READ_MASK,
          BufferUsage::CPU_READ_RARELY,
          "the CPU reads the buffer now and then; uncached mappings are fine"),
    Field("CPU_READ_OFTEN", BufferUsage::CPU_READ_MASK,
          BufferUsage::CPU_READ_OFTEN,
          "the CPU reads the buffer often; prefer cached memory"),
    {"CPU_WRITE_MASK", kCpuWriteMask, kCpuWriteMask, UsageKind::kMask,
     "bits 4-7: how often the CPU writes the buffer (a value, not flags)"},
    Field("CPU_WRITE_NEVER", BufferUsage::CPU_WRITE_MASK,
          BufferUsage::CPU_WRITE_NEVER, "the CPU never writes the buffer"),
    Field("CPU_WRITE_RARELY", BufferUsage::CPU_WRITE_MASK,
          BufferUsage::CPU_WRITE_RARELY,
          "the CPU writes the buffer now and then"),
    Field("CPU_WRITE_OFTEN", BufferUsage::CPU_WRITE_MASK,
          BufferUsage::CPU_WRITE_OFTEN, "the CPU writes the buffer often"),
    Flag("GPU_TEXTURE", BufferUsage::GPU_TEXTURE, "sampled by the GPU"),
    Flag("GPU_RENDER_TARGET", BufferUsage::GPU_RENDER_TARGET,
         "rendered to by the GPU"),
    {"HW_2D", uint64_t{1} << 10, uint64_t{1} << 10, UsageKind::kLegacyFlag,
     "gralloc0's 2D-engine flag; undefined in Android's BufferUsage, ignored"},
    Flag("COMPOSER_OVERLAY", BufferUsage::COMPOSER_OVERLAY,
         "scanned out by the display as an overlay plane"),
    Flag("COMPOSER_CLIENT_TARGET", BufferUsage::COMPOSER_CLIENT_TARGET,
         "the composer's client target (the framebuffer the GPU composes)"),
    {"EXTERNAL_DISP", uint64_t{1} << 13, uint64_t{1} << 13,
     UsageKind::kLegacyFlag,
     "gralloc0's external-display flag; undefined in Android's BufferUsage, "
     "ignored"},
    Flag("PROTECTED", BufferUsage::PROTECTED,
         "contents must never reach unprotected memory"),
    Flag("COMPOSER_CURSOR", BufferUsage::COMPOSER_CURSOR,
         "scanned out as the display's cursor plane"),
    Flag("VIDEO_ENCODER", BufferUsage::VIDEO_ENCODER,
         "read by a video encoder"),
    Flag("CAMERA_OUTPUT", BufferUsage::CAMERA_OUTPUT,
         "written by the camera pipeline"),
    Flag("CAMERA_INPUT", BufferUsage::CAMERA_INPUT,
         "read by the camera pipeline (reprocessing)"),
    Flag("RENDERSCRIPT", BufferUsage::RENDERSCRIPT,
         "a RenderScript allocation"),
    Flag("VIDEO_DECODER", BufferUsage::VIDEO_DECODER,
         "written by a video decoder"),
    Flag("SENSOR_DIRECT_DATA", BufferUsage::SENSOR_DIRECT_DATA,
         "written by sensors' direct report channel"),
    Flag("GPU_DATA_BUFFER", BufferUsage::GPU_DATA_BUFFER,
         "a GPU shader storage or uniform buffer"),
    Flag("GPU_CUBE_MAP", BufferUsage::GPU_CUBE_MAP,
         "sampled by the GPU as a cube map"),
    Flag("GPU_MIPMAP_COMPLETE", BufferUsage::GPU_MIPMAP_COMPLETE,
         "holds a complete mipmap chain"),
    Flag("HW_IMAGE_ENCODER", BufferUsage::HW_IMAGE_ENCODER,
         "read by a hardware image (HEIC) encoder"),
    {"VENDOR_MASK", UsageValue(BufferUsage::VENDOR_MASK),
     UsageValue(BufferUsage::VENDOR_MASK), UsageKind::kVendorRange,
     "bits 28-31: vendor extensions, passed through untouched"},
    Flag("FRONT_BUFFER", BufferUsage::FRONT_BUFFER,
         "front-buffer rendering: shared, in-place access by every user"),
    {"VENDOR_MASK_HI", UsageValue(BufferUsage::VENDOR_MASK_HI),
     UsageValue(BufferUsage::VENDOR_MASK_HI), UsageKind::kVendorRange,
     "bits 48-63: vendor extensions, passed through untouched"},
};

// Every bit some row is about; the rest are undefined.
constexpr uint64_t DefinedBits() {
  uint64_t bits = 0;
  for (const UsageBit& row : kUsageBits) bits |= row.mask;
  return bits;
}
constexpr uint64_t kDefinedBits = DefinedBits();

// Bits 10, 13, 19, 21 and 33-47 are what Android leaves undefined; the legacy
// rows make 10 and 13 defined-but-ignored here.
static_assert(~kDefinedBits == ((uint64_t{1} << 19) | (uint64_t{1} << 21) |
                                (uint64_t{0x7FFF} << 33)),
              "the usage table must cover exactly Android's defined bits");

CpuAccess DecodeCpuField(uint64_t field) {
  switch (field) {
    case 0:
      return CpuAccess::kNever;
    case 2:
      return CpuAccess::kRarely;
    case 3:
      return CpuAccess::kOften;
    default:
      return CpuAccess::kInvalid;
  }
}

std::string Hex(uint64_t value) { return absl::StrFormat("%#x", value); }

absl::StatusOr<uint64_t> ParseNumber(absl::string_view term) {
  uint64_t value = 0;
  if (absl::StartsWithIgnoreCase(term, "0x")) {
    absl::string_view digits = term.substr(2);
    bool all_hex = !digits.empty();
    for (char c : digits) all_hex = all_hex && absl::ascii_isxdigit(c);
    if (all_hex && absl::SimpleHexAtoi(digits, &value)) return value;
  } else {
    bool all_digits = true;
    for (char c : term) all_digits = all_digits && absl::ascii_isdigit(c);
    if (all_digits && absl::SimpleAtoi(term, &value)) return value;
  }
  return absl::InvalidArgumentError(absl::StrFormat(
      "usage term \"%s\" is not a 64-bit number", absl::CHexEscape(term)));
}

}  // namespace

absl::Span<const UsageBit> AllUsageBits() { return kUsageBits; }

CpuAccess DecodeCpuRead(uint64_t usage) {
  return DecodeCpuField(usage & kCpuReadMask);
}

CpuAccess DecodeCpuWrite(uint64_t usage) {
  return DecodeCpuField((usage & kCpuWriteMask) >> kCpuWriteShift);
}

bool HasCpuAccess(uint64_t usage) {
  return (usage & (kCpuReadMask | kCpuWriteMask)) != 0;
}

absl::Status ValidateUsage(uint64_t usage) {
  const uint64_t undefined = usage & ~kDefinedBits;
  if (undefined != 0) {
    const int bit = __builtin_ctzll(undefined);
    return absl::InvalidArgumentError(absl::StrFormat(
        "usage bit %d (%#x) is not defined by Android's BufferUsage "
        "(undefined bits in usage %#x: %#x)",
        bit, uint64_t{1} << bit, usage, undefined));
  }
  if (DecodeCpuRead(usage) == CpuAccess::kInvalid) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "usage %#x has CPU read field %u; Android defines only 0 (NEVER), "
        "2 (RARELY) and 3 (OFTEN)",
        usage, static_cast<unsigned>(usage & kCpuReadMask)));
  }
  if (DecodeCpuWrite(usage) == CpuAccess::kInvalid) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "usage %#x has CPU write field %u; Android defines only 0 (NEVER), "
        "2 (RARELY) and 3 (OFTEN)",
        usage,
        static_cast<unsigned>((usage & kCpuWriteMask) >> kCpuWriteShift)));
  }
  return absl::OkStatus();
}

std::string UsageToString(uint64_t usage) {
  if (usage == 0) return "0";
  std::vector<absl::string_view> names;
  uint64_t unnamed = usage;
  for (const UsageBit& row : kUsageBits) {
    switch (row.kind) {
      case UsageKind::kFieldValue:
        if ((usage & row.mask) == row.value) {
          // A defined field value accounts for the whole field; NEVER is
          // the absence of access and goes unsaid.
          unnamed &= ~row.mask;
          if (row.value != 0) names.push_back(row.name);
        }
        break;
      case UsageKind::kFlag:
      case UsageKind::kLegacyFlag:
        if ((usage & row.mask) != 0) {
          unnamed &= ~row.mask;
          names.push_back(row.name);
        }
        break;
      case UsageKind::kMask:
      case UsageKind::kVendorRange:
        // Vendor bits and undefined CPU field values have no names; they
        // stay in `unnamed` and print as a number.
        break;
    }
  }
  std::string text = absl::StrJoin(names, "|");
  if (unnamed != 0) {
    if (!text.empty()) text += '|';
    text += Hex(unnamed);
  }
  return text;
}

absl::StatusOr<uint64_t> ParseUsage(absl::string_view text) {
  if (absl::StripAsciiWhitespace(text).empty()) {
    return absl::InvalidArgumentError("usage string is empty");
  }
  uint64_t usage = 0;
  for (absl::string_view term : absl::StrSplit(text, '|')) {
    term = absl::StripAsciiWhitespace(term);
    if (term.empty()) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "usage string \"%s\" has an empty term", absl::CHexEscape(text)));
    }
    if (absl::ascii_isdigit(term.front())) {
      absl::StatusOr<uint64_t> number = ParseNumber(term);
      if (!number.ok()) return number.status();
      usage |= *number;
      continue;
    }
    bool found = false;
    for (const UsageBit& row : kUsageBits) {
      if (absl::EqualsIgnoreCase(term, row.name)) {
        usage |= row.value;
        found = true;
        break;
      }
    }
    if (!found) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "\"%s\" is not a BufferUsage name", absl::CHexEscape(term)));
    }
  }
  return usage;
}

}  // namespace gralloc
