// Copyright 2026 The gralloc for Linux Authors.

#include "allocator/negotiation/profile_json.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <initializer_list>
#include <limits>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "hal/base/status_macros.h"
#include "hal/base/unique_fd.h"

namespace gralloc {
namespace {

using Json = nlohmann::json;

// Profiles are a few kilobytes; anything this large is not a profile.
constexpr size_t kMaxProfileBytes = 4 << 20;

constexpr absl::string_view kTopLevelKeys[] = {
    "name",         "description",     "inherits",
    "heap_order",   "heap_properties", "protected_heaps",
    "participants", "pool_budget_mib"};

constexpr absl::string_view kParticipantKeys[] = {"present",
                                                  "formats",
                                                  "stride_alignment_bytes",
                                                  "height_alignment_rows",
                                                  "base_alignment_bytes",
                                                  "plane_alignment_bytes",
                                                  "contiguous",
                                                  "cache",
                                                  "cache_required",
                                                  "heaps",
                                                  "max_width",
                                                  "max_height",
                                                  "max_size_bytes",
                                                  "dma_address_bits",
                                                  "supports_protected"};

constexpr absl::string_view kFormatObjectKeys[] = {"format", "modifiers"};
constexpr absl::string_view kHeapPropertyKeys[] = {"address_bits"};

// The rules, worded once so messages stay consistent.
constexpr absl::string_view kAlignmentRule =
    "must be an integer >= 1 that fits in 64 bits";
constexpr absl::string_view kSizeLimitRule =
    "must be an integer >= 0 (0: no limit) that fits in 64 bits";
constexpr absl::string_view kDimensionLimitRule =
    "must be an integer from 0 (no limit) to 9223372036854775807";
constexpr absl::string_view kAddressBitsRule =
    "must be an integer from 12 to 64";

// A JSON Pointer (RFC 6901) reference token: '~' and '/' escaped.
std::string PointerToken(absl::string_view key) {
  std::string token;
  for (char c : key) {
    if (c == '~') {
      token += "~0";
    } else if (c == '/') {
      token += "~1";
    } else {
      token += c;
    }
  }
  return token;
}

std::string Child(const std::string& pointer, absl::string_view key) {
  return absl::StrCat(pointer, "/", PointerToken(key));
}

std::string Child(const std::string& pointer, size_t index) {
  return absl::StrCat(pointer, "/", index);
}

// "name.json" for "dir/name.json"; "name" when `strip_json`.
std::string BaseName(absl::string_view path, bool strip_json) {
  size_t slash = path.rfind('/');
  if (slash != absl::string_view::npos) path.remove_prefix(slash + 1);
  if (strip_json && path.size() > 5 &&
      path.substr(path.size() - 5) == ".json") {
    path.remove_suffix(5);
  }
  return std::string(path);
}

// 1-based line and byte column of the 0-based `offset` in `text`.
std::pair<size_t, size_t> LineAndColumn(absl::string_view text, size_t offset) {
  offset = std::min(offset, text.size());
  size_t line = 1;
  size_t line_start = 0;
  for (size_t i = 0; i < offset; ++i) {
    if (text[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
  }
  return {line, offset - line_start + 1};
}

// nlohmann's message without its "[json.exception...] parse error at line
// L, column C: " prefix: we compute the position ourselves.
std::string ParseErrorWhat(const char* what) {
  absl::string_view message(what);
  size_t at = message.find("parse error");
  if (at != absl::string_view::npos) {
    size_t colon = message.find(": ", at);
    if (colon != absl::string_view::npos) {
      return std::string(message.substr(colon + 2));
    }
  }
  return std::string(message);
}

// Hex digits after "0x", at most 64 bits.
bool ParseHex64(absl::string_view digits, uint64_t* out) {
  if (digits.empty()) return false;
  uint64_t value = 0;
  for (char c : digits) {
    int nibble;
    if (c >= '0' && c <= '9') {
      nibble = c - '0';
    } else if (c >= 'a' && c <= 'f') {
      nibble = c - 'a' + 10;
    } else if (c >= 'A' && c <= 'F') {
      nibble = c - 'A' + 10;
    } else {
      return false;
    }
    if (value >> 60 != 0) return false;  // would overflow
    value = value << 4 | static_cast<uint64_t>(nibble);
  }
  *out = value;
  return true;
}

// Maps the parsed tree onto a Profile, checking every value. Messages are
// "<source>: <pointer>: <rule>".
class ProfileReader {
 public:
  explicit ProfileReader(absl::string_view source) : source_(source) {}

  absl::Status Read(const Json& root, Profile* profile) {
    if (!root.is_object()) return Error("", "must be a JSON object");
    RETURN_IF_ERROR(CheckKeys(root, "", kTopLevelKeys));

    bool inherits = false;
    if (auto it = root.find("inherits"); it != root.end() && !it->is_null()) {
      ASSIGN_OR_RETURN(std::string base, String(*it, "/inherits"));
      if (base != "generic") {
        return Error("/inherits",
                     absl::StrCat("unknown base profile \"", base,
                                  "\" (the built-in one is \"generic\")"));
      }
      inherits = true;
    }

    if (inherits) {
      *profile = BuiltinProfile();
      for (ParticipantProfile& participant : profile->participants) {
        participant.source = absl::StrCat(source_, " (inherited generic)");
      }
      profile->at(Participant::kVendor).source = absl::StrCat(
          source_, " (inherited generic: vendor bits carry no constraints)");
    } else {
      *profile = Profile();
      for (ParticipantProfile& participant : profile->participants) {
        participant.source = absl::StrCat(source_, " (no constraints)");
      }
      // A heap is protected only when a profile says so; until this file
      // describes the protected path, nobody can honour PROTECTED.
      profile->at(Participant::kProtected).present = false;
    }
    profile->source = std::string(source_);
    profile->name = BaseName(source_, /*strip_json=*/true);

    if (auto it = root.find("name"); it != root.end()) {
      ASSIGN_OR_RETURN(profile->name, String(*it, "/name"));
      if (profile->name.empty()) return Error("/name", "must not be empty");
    }
    if (auto it = root.find("description"); it != root.end()) {
      RETURN_IF_ERROR(String(*it, "/description").status());
    }
    if (auto it = root.find("heap_order"); it != root.end()) {
      ASSIGN_OR_RETURN(profile->heap_order, NameList(*it, "/heap_order"));
    }
    if (auto it = root.find("protected_heaps"); it != root.end()) {
      ASSIGN_OR_RETURN(profile->protected_heaps,
                       NameList(*it, "/protected_heaps"));
    }
    if (auto it = root.find("heap_properties"); it != root.end()) {
      RETURN_IF_ERROR(ReadHeapProperties(*it, profile));
    }
    if (auto it = root.find("participants"); it != root.end()) {
      RETURN_IF_ERROR(ReadParticipants(*it, profile));
    }
    if (auto it = root.find("pool_budget_mib"); it != root.end()) {
      ASSIGN_OR_RETURN(const uint64_t mib,
                       Unsigned(*it, "/pool_budget_mib", 0, uint64_t{1} << 20,
                                "must be 0 (no pool) to 1048576 MiB"));
      profile->pool_budget_bytes = mib << 20;
    }
    return absl::OkStatus();
  }

 private:
  absl::Status Error(const std::string& pointer, absl::string_view rule) const {
    return absl::InvalidArgumentError(absl::StrCat(
        source_, ": ", pointer.empty() ? "(top level)" : pointer, ": ", rule));
  }

  template <size_t N>
  absl::Status CheckKeys(const Json& object, const std::string& pointer,
                         const absl::string_view (&allowed)[N]) const {
    for (auto it = object.begin(); it != object.end(); ++it) {
      const std::string& key = it.key();
      if (std::find(std::begin(allowed), std::end(allowed), key) ==
          std::end(allowed)) {
        return Error(Child(pointer, key),
                     absl::StrCat("unknown key (expected one of: ",
                                  absl::StrJoin(allowed, ", "), ")"));
      }
    }
    return absl::OkStatus();
  }

  absl::StatusOr<std::string> String(const Json& value,
                                     const std::string& pointer) const {
    if (!value.is_string()) return Error(pointer, "must be a string");
    return value.get<std::string>();
  }

  absl::StatusOr<bool> Bool(const Json& value,
                            const std::string& pointer) const {
    if (!value.is_boolean()) return Error(pointer, "must be true or false");
    return value.get<bool>();
  }

  // An unsigned integer in [min, max]. nlohmann reads a negative integer as
  // number_integer and one beyond 64 bits (or with a fraction or exponent)
  // as number_float; both break the rule.
  absl::StatusOr<uint64_t> Unsigned(const Json& value,
                                    const std::string& pointer, uint64_t min,
                                    uint64_t max,
                                    absl::string_view rule) const {
    if (value.is_number_unsigned()) {
      uint64_t number = value.get<uint64_t>();
      if (number >= min && number <= max) return number;
      return Error(pointer, absl::StrCat(rule, " (got ", number, ")"));
    }
    if (value.is_number_integer()) {
      return Error(pointer,
                   absl::StrCat(rule, " (got ", value.get<int64_t>(), ")"));
    }
    if (value.is_number_float()) {
      return Error(pointer, absl::StrCat(rule, " (got ", value.dump(), ")"));
    }
    return Error(pointer, absl::StrCat(rule, " (got a ", value.type_name(),
                                       ", not a number)"));
  }

  absl::StatusOr<std::vector<std::string>> NameList(
      const Json& value, const std::string& pointer) const {
    if (!value.is_array()) return Error(pointer, "must be an array of names");
    std::vector<std::string> names;
    for (size_t i = 0; i < value.size(); ++i) {
      ASSIGN_OR_RETURN(std::string name, String(value[i], Child(pointer, i)));
      if (name.empty()) return Error(Child(pointer, i), "must not be empty");
      if (std::find(names.begin(), names.end(), name) != names.end()) {
        return Error(Child(pointer, i),
                     absl::StrCat("\"", name, "\" is listed twice"));
      }
      names.push_back(std::move(name));
    }
    return names;
  }

  absl::Status ReadHeapProperties(const Json& value, Profile* profile) const {
    const std::string pointer = "/heap_properties";
    if (!value.is_object()) {
      return Error(pointer, "must be an object of heap name -> properties");
    }
    profile->heap_properties.clear();
    for (auto it = value.begin(); it != value.end(); ++it) {
      const std::string heap_pointer = Child(pointer, it.key());
      if (it.key().empty()) return Error(heap_pointer, "empty heap name");
      if (!it.value().is_object()) {
        return Error(heap_pointer, "must be an object");
      }
      RETURN_IF_ERROR(CheckKeys(it.value(), heap_pointer, kHeapPropertyKeys));
      HeapProperties properties;
      properties.heap = it.key();
      if (auto bits = it.value().find("address_bits");
          bits != it.value().end()) {
        ASSIGN_OR_RETURN(uint64_t address_bits,
                         Unsigned(*bits, Child(heap_pointer, "address_bits"),
                                  12, 64, kAddressBitsRule));
        properties.address_bits = static_cast<int>(address_bits);
      }
      profile->heap_properties.push_back(std::move(properties));
    }
    return absl::OkStatus();
  }

  absl::Status ReadParticipants(const Json& value, Profile* profile) const {
    const std::string pointer = "/participants";
    if (!value.is_object()) {
      return Error(pointer, "must be an object of participant name -> entry");
    }
    for (auto it = value.begin(); it != value.end(); ++it) {
      const std::string entry_pointer = Child(pointer, it.key());
      Participant participant;
      if (!ParticipantFromName(it.key(), &participant)) {
        std::vector<absl::string_view> known;
        for (int i = 0; i < kParticipantCount; ++i) {
          known.push_back(ParticipantName(static_cast<Participant>(i)));
        }
        return Error(entry_pointer,
                     absl::StrCat("unknown participant (expected one of: ",
                                  absl::StrJoin(known, ", "), ")"));
      }
      ParticipantProfile& entry = profile->at(participant);
      RETURN_IF_ERROR(ReadParticipant(it.value(), entry_pointer, &entry));
      entry.source = std::string(source_);
    }
    return absl::OkStatus();
  }

  absl::Status ReadParticipant(const Json& value, const std::string& pointer,
                               ParticipantProfile* entry) const {
    if (!value.is_object()) return Error(pointer, "must be an object");
    RETURN_IF_ERROR(CheckKeys(value, pointer, kParticipantKeys));
    constexpr uint64_t kU64Max = std::numeric_limits<uint64_t>::max();
    constexpr uint64_t kI64Max =
        static_cast<uint64_t>(std::numeric_limits<int64_t>::max());

    for (auto it = value.begin(); it != value.end(); ++it) {
      const std::string& key = it.key();
      const Json& field = it.value();
      const std::string field_pointer = Child(pointer, key);
      if (key == "present") {
        ASSIGN_OR_RETURN(entry->present, Bool(field, field_pointer));
      } else if (key == "formats") {
        ASSIGN_OR_RETURN(entry->formats, Formats(field, field_pointer));
      } else if (key == "stride_alignment_bytes") {
        ASSIGN_OR_RETURN(
            entry->stride_alignment_bytes,
            Unsigned(field, field_pointer, 1, kU64Max, kAlignmentRule));
      } else if (key == "height_alignment_rows") {
        ASSIGN_OR_RETURN(
            entry->height_alignment_rows,
            Unsigned(field, field_pointer, 1, kU64Max, kAlignmentRule));
      } else if (key == "base_alignment_bytes") {
        ASSIGN_OR_RETURN(
            entry->base_alignment_bytes,
            Unsigned(field, field_pointer, 1, kU64Max, kAlignmentRule));
      } else if (key == "plane_alignment_bytes") {
        ASSIGN_OR_RETURN(
            entry->plane_alignment_bytes,
            Unsigned(field, field_pointer, 1, kU64Max, kAlignmentRule));
      } else if (key == "contiguous") {
        ASSIGN_OR_RETURN(entry->contiguous, Bool(field, field_pointer));
      } else if (key == "cache") {
        ASSIGN_OR_RETURN(std::string policy, String(field, field_pointer));
        if (policy == "any") {
          entry->cache = CachePolicy::kAny;
        } else if (policy == "cached") {
          entry->cache = CachePolicy::kCached;
        } else if (policy == "uncached") {
          entry->cache = CachePolicy::kUncached;
        } else {
          return Error(field_pointer,
                       absl::StrCat("unknown cache policy \"", policy,
                                    "\" (expected any, cached or uncached)"));
        }
      } else if (key == "cache_required") {
        ASSIGN_OR_RETURN(entry->cache_required, Bool(field, field_pointer));
      } else if (key == "heaps") {
        ASSIGN_OR_RETURN(entry->heaps, NameList(field, field_pointer));
      } else if (key == "max_width") {
        ASSIGN_OR_RETURN(
            uint64_t width,
            Unsigned(field, field_pointer, 0, kI64Max, kDimensionLimitRule));
        entry->max_width = static_cast<int64_t>(width);
      } else if (key == "max_height") {
        ASSIGN_OR_RETURN(
            uint64_t height,
            Unsigned(field, field_pointer, 0, kI64Max, kDimensionLimitRule));
        entry->max_height = static_cast<int64_t>(height);
      } else if (key == "max_size_bytes") {
        ASSIGN_OR_RETURN(
            entry->max_size_bytes,
            Unsigned(field, field_pointer, 0, kU64Max, kSizeLimitRule));
      } else if (key == "dma_address_bits") {
        ASSIGN_OR_RETURN(uint64_t bits, Unsigned(field, field_pointer, 12, 64,
                                                 kAddressBitsRule));
        entry->dma_address_bits = static_cast<int>(bits);
      } else if (key == "supports_protected") {
        ASSIGN_OR_RETURN(entry->supports_protected, Bool(field, field_pointer));
      }
      // CheckKeys() has refused every other key.
    }
    return absl::OkStatus();
  }

  absl::StatusOr<std::vector<FormatSupport>> Formats(
      const Json& value, const std::string& pointer) const {
    if (!value.is_array()) {
      return Error(pointer,
                   "must be an array of format names or {\"format\", "
                   "\"modifiers\"} objects");
    }
    std::vector<FormatSupport> formats;
    for (size_t i = 0; i < value.size(); ++i) {
      const std::string item_pointer = Child(pointer, i);
      const Json& item = value[i];
      FormatSupport support;
      if (item.is_string()) {
        RETURN_IF_ERROR(FormatName(item, item_pointer, &support));
      } else if (item.is_object()) {
        RETURN_IF_ERROR(CheckKeys(item, item_pointer, kFormatObjectKeys));
        auto name = item.find("format");
        if (name == item.end()) {
          return Error(item_pointer, "needs a \"format\"");
        }
        RETURN_IF_ERROR(
            FormatName(*name, Child(item_pointer, "format"), &support));
        if (auto modifiers = item.find("modifiers"); modifiers != item.end()) {
          ASSIGN_OR_RETURN(
              support.modifiers,
              Modifiers(*modifiers, Child(item_pointer, "modifiers")));
        }
      } else {
        return Error(item_pointer,
                     "must be a format name or a {\"format\", \"modifiers\"} "
                     "object");
      }
      for (const FormatSupport& earlier : formats) {
        if (earlier.fourcc == support.fourcc &&
            earlier.android_format == support.android_format) {
          return Error(item_pointer, "the same format is listed twice");
        }
      }
      formats.push_back(std::move(support));
    }
    return formats;
  }

  absl::Status FormatName(const Json& value, const std::string& pointer,
                          FormatSupport* support) const {
    ASSIGN_OR_RETURN(std::string name, String(value, pointer));
    // ParseFormatSupport takes any four characters as a fourcc; DRM's codes
    // use only capitals, digits and spaces, so "nv12" is a typo, not a
    // format.
    const bool drm_spelling =
        name.size() == 4 && std::all_of(name.begin(), name.end(), [](char c) {
          return absl::ascii_isupper(static_cast<unsigned char>(c)) ||
                 absl::ascii_isdigit(static_cast<unsigned char>(c)) || c == ' ';
        });
    if (!ParseFormatSupport(name, support) ||
        (support->android_format == 0 && !drm_spelling)) {
      return Error(pointer,
                   absl::StrCat("unknown format \"", name,
                                "\" (expected an Android PixelFormat name "
                                "such as RGBA_8888 or a DRM fourcc of four "
                                "capitals, digits or spaces such as NV12)"));
    }
    return absl::OkStatus();
  }

  absl::StatusOr<std::vector<uint64_t>> Modifiers(
      const Json& value, const std::string& pointer) const {
    constexpr absl::string_view kModifierRule =
        "must be a 64-bit modifier: \"0x...\", decimal, \"LINEAR\", or an "
        "unsigned integer";
    if (!value.is_array()) return Error(pointer, "must be an array");
    std::vector<uint64_t> modifiers;
    for (size_t i = 0; i < value.size(); ++i) {
      const std::string item_pointer = Child(pointer, i);
      const Json& item = value[i];
      uint64_t modifier = 0;
      if (item.is_string()) {
        const std::string text = item.get<std::string>();
        bool ok;
        if (text == "LINEAR") {
          modifier = kLinearModifier;
          ok = true;
        } else if (text.size() > 2 && text[0] == '0' &&
                   (text[1] == 'x' || text[1] == 'X')) {
          ok = ParseHex64(absl::string_view(text).substr(2), &modifier);
        } else {
          ok = !text.empty() && absl::ascii_isdigit(text[0]) &&
               absl::SimpleAtoi(text, &modifier);
        }
        if (!ok) {
          return Error(item_pointer,
                       absl::StrCat(kModifierRule, " (got \"", text, "\")"));
        }
      } else {
        ASSIGN_OR_RETURN(
            modifier,
            Unsigned(item, item_pointer, 0,
                     std::numeric_limits<uint64_t>::max(), kModifierRule));
      }
      if (std::find(modifiers.begin(), modifiers.end(), modifier) !=
          modifiers.end()) {
        return Error(item_pointer, "the same modifier is listed twice");
      }
      modifiers.push_back(modifier);
    }
    return modifiers;
  }

  const absl::string_view source_;
};

// nlohmann keeps the last of two equal keys in an object silently; a
// profile with a key given twice is almost always a mistake, so the parse
// callback remembers the first duplicate.
class DuplicateKeyFinder {
 public:
  bool operator()(int depth, Json::parse_event_t event, Json& parsed) {
    switch (event) {
      case Json::parse_event_t::object_start:
        keys_.emplace_back();
        break;
      case Json::parse_event_t::object_end:
        if (!keys_.empty()) keys_.pop_back();
        break;
      case Json::parse_event_t::key:
        if (!keys_.empty() && parsed.is_string() &&
            !keys_.back().insert(parsed.get<std::string>()).second &&
            duplicate_.empty()) {
          duplicate_ = parsed.get<std::string>();
        }
        break;
      default:
        break;
    }
    return true;
  }
  const std::string& duplicate() const { return duplicate_; }

 private:
  std::vector<std::set<std::string>> keys_;
  std::string duplicate_;
};

}  // namespace

absl::StatusOr<Profile> ParseProfileJson(absl::string_view text,
                                         absl::string_view source_name) {
  Json root;
  DuplicateKeyFinder duplicates;
  try {
    root = Json::parse(
        text.begin(), text.end(),
        [&duplicates](int depth, Json::parse_event_t event, Json& parsed) {
          return duplicates(depth, event, parsed);
        });
  } catch (const Json::parse_error& error) {
    // `byte` counts the bytes read, the offending one included.
    size_t offset = error.byte > 0 ? error.byte - 1 : 0;
    auto [line, column] = LineAndColumn(text, offset);
    return absl::InvalidArgumentError(
        absl::StrCat(source_name, ":", line, ":", column, ": ",
                     ParseErrorWhat(error.what())));
  } catch (const Json::exception& error) {
    return absl::InvalidArgumentError(
        absl::StrCat(source_name, ": ", error.what()));
  }
  if (!duplicates.duplicate().empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(source_name, ": key \"", duplicates.duplicate(),
                     "\" appears twice in one object"));
  }
  Profile profile;
  RETURN_IF_ERROR(ProfileReader(source_name).Read(root, &profile));
  return profile;
}

absl::StatusOr<Profile> LoadProfileFile(const std::string& path) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) return ErrnoStatus(absl::StrCat("open ", path));
  std::string text;
  char buffer[16384];
  for (;;) {
    ssize_t n = ::read(fd.get(), buffer, sizeof(buffer));
    if (n < 0) {
      if (errno == EINTR) continue;
      return ErrnoStatus(absl::StrCat("read ", path));
    }
    if (n == 0) break;
    text.append(buffer, static_cast<size_t>(n));
    if (text.size() > kMaxProfileBytes) {
      return absl::InvalidArgumentError(absl::StrCat(
          path, ": larger than ", kMaxProfileBytes, " bytes; not a profile"));
    }
  }
  return ParseProfileJson(text, path);
}

}  // namespace gralloc
