// Copyright 2026 The gralloc for Linux Authors.

#include "tools/inspect/fdinfo.h"

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace gralloc::inspect {
namespace {

// Malformed lines are quoted in notes; a hostile line must not make a note
// long or multi-line.
std::string Quote(absl::string_view line) {
  std::string quoted;
  for (char c : line.substr(0, 60)) {
    if (c == '\t') {
      quoted += ' ';
    } else {
      quoted += absl::ascii_isprint(static_cast<unsigned char>(c)) ? c : '?';
    }
  }
  if (line.size() > 60) quoted += "...";
  return quoted;
}

}  // namespace

FdInfo ParseFdinfo(absl::string_view text,
                   std::vector<std::string>* malformed) {
  FdInfo info;
  int line_number = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++line_number;
    if (line.empty()) continue;
    auto fail = [&]() {
      if (malformed != nullptr) {
        malformed->push_back(absl::StrCat("line ", line_number, " '",
                                          Quote(line), "' is malformed"));
      }
    };
    const size_t colon = line.find(':');
    if (colon == absl::string_view::npos) {
      fail();
      continue;
    }
    const absl::string_view key = line.substr(0, colon);
    const absl::string_view value =
        absl::StripAsciiWhitespace(line.substr(colon + 1));
    if (key == "ino" || key == "size") {
      uint64_t number = 0;
      if (!absl::SimpleAtoi(value, &number)) {
        fail();
        continue;
      }
      (key == "ino" ? info.inode : info.size_bytes) = number;
    } else if (key == "count") {
      int64_t number = 0;
      if (!absl::SimpleAtoi(value, &number) || number < 0) {
        fail();
        continue;
      }
      info.count = number;
    } else if (key == "exp_name") {
      info.exporter = std::string(value);
    } else if (key == "name") {
      info.name = std::string(value);
    }
  }
  return info;
}

}  // namespace gralloc::inspect
