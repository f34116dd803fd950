// Copyright 2026 The gralloc for Linux Authors.

#include "tools/inspect/maps.h"

#include <sys/sysmacros.h>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"

namespace gralloc::inspect {
namespace {

// The next whitespace-separated field of `*rest`, consumed.
absl::string_view NextField(absl::string_view* rest) {
  *rest = absl::StripLeadingAsciiWhitespace(*rest);
  size_t end = 0;
  while (end < rest->size() &&
         !absl::ascii_isspace(static_cast<unsigned char>((*rest)[end]))) {
    ++end;
  }
  const absl::string_view field = rest->substr(0, end);
  rest->remove_prefix(end);
  return field;
}

bool SplitPair(absl::string_view text, char separator, absl::string_view* a,
               absl::string_view* b) {
  const size_t at = text.find(separator);
  if (at == absl::string_view::npos) return false;
  *a = text.substr(0, at);
  *b = text.substr(at + 1);
  return !a->empty() && !b->empty();
}

}  // namespace

std::optional<MapsEntry> ParseMapsLine(absl::string_view line) {
  absl::string_view rest = line;
  const absl::string_view range = NextField(&rest);
  const absl::string_view perms = NextField(&rest);
  const absl::string_view offset = NextField(&rest);
  const absl::string_view device = NextField(&rest);
  const absl::string_view inode = NextField(&rest);
  MapsEntry entry;
  absl::string_view start, end, major_text, minor_text;
  uint32_t major = 0, minor = 0;
  if (!SplitPair(range, '-', &start, &end) ||
      !absl::SimpleHexAtoi(start, &entry.start) ||
      !absl::SimpleHexAtoi(end, &entry.end) || entry.end < entry.start ||
      perms.size() != 4 || !absl::SimpleHexAtoi(offset, &entry.offset_bytes) ||
      !SplitPair(device, ':', &major_text, &minor_text) ||
      !absl::SimpleHexAtoi(major_text, &major) ||
      !absl::SimpleHexAtoi(minor_text, &minor) ||
      !absl::SimpleAtoi(inode, &entry.inode)) {
    return std::nullopt;
  }
  entry.shared = perms[3] == 's';
  entry.device = makedev(major, minor);
  entry.path = std::string(absl::StripAsciiWhitespace(rest));
  return entry;
}

}  // namespace gralloc::inspect
