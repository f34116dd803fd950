// Copyright 2026 The gralloc for Linux Authors.
//
// hal/usage/usage.h: what each bit of a buffer usage word means, as one table,
// and the printing, parsing and validation built on it.
//
// A usage word (Android's BufferUsage, see hal/types/buffer_usage.h) is made
// of:
//
//   bits 0-3    CPU read frequency, a 4-bit enumerated field:
//               0 NEVER, 2 RARELY, 3 OFTEN; 1 and 4-15 are not defined
//   bits 4-7    CPU write frequency, the same enumeration shifted by 4
//   bits 8-27   one flag per hardware user (GPU_TEXTURE, CAMERA_OUTPUT, ...)
//   bits 28-31  vendor extensions (VENDOR_MASK)
//   bit  32     FRONT_BUFFER
//   bits 48-63  vendor extensions (VENDOR_MASK_HI)
//
// Bits 10, 13, 19, 21 and 33-47 are undefined: Android says they must be
// zero. Bits 10 (HW_2D) and 13 (EXTERNAL_DISP) were gralloc0 flags that old
// clients still set, so ValidateUsage() tolerates them and ignores them.
//
//   ASSIGN_OR_RETURN(uint64_t usage, ParseUsage("GPU_TEXTURE|CPU_READ_OFTEN"));
//   RETURN_IF_ERROR(ValidateUsage(usage));
//   std::string text = UsageToString(usage);  // "CPU_READ_OFTEN|GPU_TEXTURE"
//
// Everything here is a pure function of its arguments and thread-safe.

#ifndef GRALLOC_HAL_USAGE_USAGE_H_
#define GRALLOC_HAL_USAGE_USAGE_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace gralloc {

// What kind of thing a row of the usage table names.
enum class UsageKind {
  // One value of a multi-bit enumerated field (the CPU read/write fields):
  // the word holds it when (usage & mask) == value.
  kFieldValue,
  // A whole field or range, named for parsing only (CPU_READ_MASK, ...).
  kMask,
  // A single-bit flag Android defines: set when (usage & mask) != 0.
  kFlag,
  // A gralloc0 flag Android no longer defines, tolerated on input.
  kLegacyFlag,
  // A range Android leaves to vendors; any of its bits may be set.
  kVendorRange,
};

// One row of the usage table.
struct UsageBit {
  absl::string_view name;  // Android's enumerator name
  uint64_t mask;           // the bits this row is about
  uint64_t value;          // the value of those bits (== mask for flags)
  UsageKind kind;
  absl::string_view meaning;  // one line, for --help texts and tools
};

// Every row of the table, in bit order: each CPU field's values, then the
// flags, legacy flags and vendor ranges. The span refers to static storage.
absl::Span<const UsageBit> AllUsageBits();

// How often the CPU reads (or writes) a buffer, decoded from one 4-bit field.
enum class CpuAccess {
  kNever,   // field value 0
  kRarely,  // field value 2
  kOften,   // field value 3
  kInvalid  // field value 1 or 4-15: undefined by Android
};

// Decode the CPU read field (bits 0-3) / write field (bits 4-7) of `usage`.
//
// Android defines each field as a 4-bit enumeration, not as flags, so the
// whole field is compared: 3 is OFTEN, 2 is RARELY, 0 is NEVER, and every
// other value (including 1 and 7, which a mask test such as
// `(field & 3) == 3` would take for RARELY or OFTEN) is kInvalid.
CpuAccess DecodeCpuRead(uint64_t usage);
CpuAccess DecodeCpuWrite(uint64_t usage);

// True if either CPU field asks for access (RARELY or OFTEN).
bool HasCpuAccess(uint64_t usage);

// Checks that `usage` is a usage word Android could send:
//
//  * no undefined bit is set, except the legacy bits 10 and 13; an error
//    names the lowest offending bit ("usage bit 33 (0x200000000) is not
//    defined"). Vendor ranges may hold anything.
//  * each CPU field holds NEVER, RARELY or OFTEN.
//
// Returns InvalidArgument otherwise.
absl::Status ValidateUsage(uint64_t usage);

// Names the bits of `usage`, joined by '|', in table order:
//
//   CPU_WRITE_OFTEN|VIDEO_ENCODER|CAMERA_OUTPUT
//
// CPU fields appear by value name unless NEVER; legacy flags by their gralloc0
// names (HW_2D, EXTERNAL_DISP); an undefined CPU field value, vendor bits and
// undefined bits as hex numbers ("0x1", "0x10000000"). A zero word prints as
// "0". ParseUsage() reads every string this returns back to the same word.
std::string UsageToString(uint64_t usage);

// Reads a usage word from `text`: terms separated by '|' (spaces around terms
// are ignored), each either a name from the table (case-insensitive, e.g.
// "GPU_TEXTURE", "cpu_read_often", "VENDOR_MASK") or a number in hex ("0x..")
// or decimal. The result is the bitwise OR of the terms.
//
// Only the syntax is checked: the result may have undefined bits, which
// ValidateUsage() reports. Returns InvalidArgument for an empty string, an
// empty term, an unknown name or a number that does not fit 64 bits.
absl::StatusOr<uint64_t> ParseUsage(absl::string_view text);

}  // namespace gralloc

#endif  // GRALLOC_HAL_USAGE_USAGE_H_
