// Copyright 2026 The gralloc for Linux Authors.

#include "tools/gralloctl/flags.h"

#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "allocator/heaps/heap_identity.h"
#include "allocator/negotiation/profile_json.h"
#include "hal/base/status_macros.h"
#include "hal/format/format_table.h"
#include "hal/usage/usage.h"

namespace gralloc::cli {

absl::Status Flags::Parse(absl::Span<const std::string> args,
                          const std::vector<std::string>& known) {
  for (const std::string& arg : args) {
    const size_t equals = arg.find('=');
    if (!absl::StartsWith(arg, "--") || equals == std::string::npos) {
      return absl::InvalidArgumentError(
          absl::StrCat("expected --key=value, got '", arg, "'"));
    }
    const std::string key = arg.substr(2, equals - 2);
    if (std::find(known.begin(), known.end(), key) == known.end()) {
      return absl::InvalidArgumentError(absl::StrCat("unknown flag --", key));
    }
    values_[key] = arg.substr(equals + 1);
  }
  return absl::OkStatus();
}

absl::Status Flags::Parse(absl::Span<const std::string> args,
                          const std::vector<std::string>& known,
                          const std::vector<std::string>& switches,
                          size_t max_positional) {
  std::vector<std::string> valued;
  for (const std::string& arg : args) {
    if (!absl::StartsWith(arg, "--")) {
      if (positional_.size() >= max_positional) {
        return absl::InvalidArgumentError(
            absl::StrCat("unexpected argument '", arg, "'"));
      }
      positional_.push_back(arg);
      continue;
    }
    const std::string key = arg.substr(2);
    if (std::find(switches.begin(), switches.end(), key) != switches.end()) {
      values_[key] = "1";
      continue;
    }
    valued.push_back(arg);
  }
  std::vector<std::string> all_known = known;
  all_known.insert(all_known.end(), switches.begin(), switches.end());
  return Parse(valued, all_known);
}

bool Flags::IsOn(const std::string& key) const {
  auto it = values_.find(key);
  return it != values_.end() && it->second != "0";
}

std::string Flags::Get(const std::string& key,
                       const std::string& fallback) const {
  auto it = values_.find(key);
  return it == values_.end() ? fallback : it->second;
}

namespace {

// A decimal or 0x-hex integer.
template <typename T>
bool ParseNumber(absl::string_view text, T* value) {
  return absl::ConsumePrefix(&text, "0x") ? absl::SimpleHexAtoi(text, value)
                                          : absl::SimpleAtoi(text, value);
}

template <typename T>
absl::StatusOr<T> ParseInteger(const std::map<std::string, std::string>& values,
                               const std::string& key, T fallback) {
  auto it = values.find(key);
  if (it == values.end()) return fallback;
  T value = 0;
  if (!ParseNumber(it->second, &value)) {
    return absl::InvalidArgumentError(
        absl::StrCat("--", key, "=", it->second, " is not an integer"));
  }
  return value;
}

}  // namespace

absl::StatusOr<int64_t> Flags::GetInt(const std::string& key,
                                      int64_t fallback) const {
  return ParseInteger(values_, key, fallback);
}

absl::StatusOr<uint64_t> Flags::GetUint64(const std::string& key,
                                          uint64_t fallback) const {
  return ParseInteger(values_, key, fallback);
}

const std::vector<std::string> kDescriptorFlags = {
    "name",  "width",     "height", "layers",      "reserved",  "format",
    "usage", "modifiers", "linear", "prefer-heap", "min-stride"};

absl::StatusOr<BufferDescriptorInfo> DescriptorFromFlags(
    const Flags& flags, const std::string& name, const std::string& usage) {
  BufferDescriptorInfo info;
  info.name = flags.Get("name", name);
  ASSIGN_OR_RETURN(info.width, flags.GetInt("width", 1920));
  ASSIGN_OR_RETURN(info.height, flags.GetInt("height", 1080));
  ASSIGN_OR_RETURN(info.layer_count, flags.GetInt("layers", 1));
  ASSIGN_OR_RETURN(info.reserved_size, flags.GetInt("reserved", 0));
  const std::string format = flags.Get("format", "RGBA_8888");
  if (const FormatInfo* row = FindFormatByName(format)) {
    info.format = row->android_value;
  } else {
    ASSIGN_OR_RETURN(const int64_t value, flags.GetInt("format", 0));
    info.format = static_cast<int32_t>(value);
  }
  ASSIGN_OR_RETURN(info.usage, ParseUsage(flags.Get("usage", usage)));
  // The options (gralloc/allocator.h's GRALLOC_OPTION_*); Negotiate checks
  // their values.
  auto option = [&](const char* option_name, int64_t value) {
    info.additional_options.push_back(ExtendableType{option_name, value});
  };
  if (flags.Has("modifiers")) {
    for (absl::string_view text :
         absl::StrSplit(flags.Get("modifiers", ""), ',')) {
      uint64_t modifier = 0;
      if (!ParseNumber(text, &modifier)) {
        return absl::InvalidArgumentError(
            absl::StrCat("--modifiers: '", text, "' is not a number"));
      }
      option(kDrmModifierOptionName, static_cast<int64_t>(modifier));
    }
  }
  if (flags.Has("linear")) {
    ASSIGN_OR_RETURN(const int64_t linear, flags.GetInt("linear", 0));
    option(kLinearOnlyOptionName, linear);
  }
  if (flags.Has("prefer-heap")) {
    const std::string heap = flags.Get("prefer-heap", "");
    const HeapClassInfo* heap_class = FindHeapClass(heap);
    if (heap_class == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat("--prefer-heap: no heap class '", heap, "'"));
    }
    option(kPreferredHeapOptionName,
           static_cast<int64_t>(heap_class->heap_class));
  }
  if (flags.Has("min-stride")) {
    ASSIGN_OR_RETURN(const int64_t alignment, flags.GetInt("min-stride", 1));
    option(kMinStrideAlignmentOptionName, alignment);
  }
  return info;
}

std::string FormatName(int32_t value) {
  const FormatInfo* format = FindFormat(value);
  return format != nullptr ? std::string(format->name) : absl::StrCat(value);
}

absl::StatusOr<Profile> LoadProfileForCli(const std::string& path) {
  if (path.empty()) return BuiltinProfile();
  return LoadProfileFile(path);
}

}  // namespace gralloc::cli
