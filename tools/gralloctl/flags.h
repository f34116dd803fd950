// Copyright 2026 The gralloc for Linux Authors.
//
// tools/gralloctl/flags.h: --key=value arguments of a gralloctl command.

#ifndef GRALLOC_TOOLS_GRALLOCTL_FLAGS_H_
#define GRALLOC_TOOLS_GRALLOCTL_FLAGS_H_

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "allocator/negotiation/profile.h"
#include "hal/descriptor/descriptor.h"

namespace gralloc::cli {

class Flags {
 public:
  // Accepts only --key=value with a key in `known`; anything else is
  // InvalidArgument naming it.
  absl::Status Parse(absl::Span<const std::string> args,
                     const std::vector<std::string>& known);
  // As above, and also a bare --KEY for each key in `switches` (Has() is
  // then true and Get() gives "1"; --KEY=0 turns it off again), and up to
  // `max_positional` arguments that do not start with "--", kept in
  // positional(). More of them is InvalidArgument.
  absl::Status Parse(absl::Span<const std::string> args,
                     const std::vector<std::string>& known,
                     const std::vector<std::string>& switches,
                     size_t max_positional);
  // Whether switch `key` is on: given bare or with a value other than 0.
  bool IsOn(const std::string& key) const;
  const std::vector<std::string>& positional() const { return positional_; }
  bool Has(const std::string& key) const { return values_.count(key) > 0; }
  std::string Get(const std::string& key, const std::string& fallback) const;
  // A decimal or 0x-hex integer.
  absl::StatusOr<int64_t> GetInt(const std::string& key,
                                 int64_t fallback) const;
  // The same, unsigned and 64 bits wide (BUFFER_IDs, modifiers).
  absl::StatusOr<uint64_t> GetUint64(const std::string& key,
                                     uint64_t fallback) const;

 private:
  std::map<std::string, std::string> values_;
  std::vector<std::string> positional_;
};

// The flags that describe a buffer, for every command that takes one:
// --name, --width, --height, --layers, --reserved, --format (an Android
// name or a number) and --usage (names joined by '|').
extern const std::vector<std::string> kDescriptorFlags;

// The buffer --name=... --usage=... describe; `name` and `usage` are the
// defaults of those two, 1920x1080 RGBA_8888 of one layer the rest's.
absl::StatusOr<BufferDescriptorInfo> DescriptorFromFlags(
    const Flags& flags, const std::string& name, const std::string& usage);

// "RGBA_8888" for a known format value, else the number.
std::string FormatName(int32_t value);

// The built-in profile for an empty path, else the JSON profile file.
absl::StatusOr<Profile> LoadProfileForCli(const std::string& path);

}  // namespace gralloc::cli

#endif  // GRALLOC_TOOLS_GRALLOCTL_FLAGS_H_
