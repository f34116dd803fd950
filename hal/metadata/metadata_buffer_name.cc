// Copyright 2026 The gralloc for Linux Authors.

#include "hal/metadata/metadata_buffer_name.h"

#include <errno.h>
#include <unistd.h>

#include <cstdint>
#include <cstring>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "hal/base/status_macros.h"

namespace gralloc {
namespace {

constexpr absl::string_view kPrefix = "gralloc-md:";
constexpr absl::string_view kLinkPrefix = "/memfd:";
constexpr absl::string_view kLinkSuffix = " (deleted)";

bool NeedsEscape(unsigned char byte) {
  return byte <= 0x20 || byte >= 0x7f || byte == '%' || byte == '/' ||
         byte == ':';
}

// Writes a name into a buffer of kMemfdNameMaxBytes + 1 bytes, a run of
// bytes at a time: appending byte by byte (to a std::string, or through a
// size the compiler must reload after every char store) was most of an
// encode's instructions. Whatever does not fit is dropped and remembered.
class NameWriter {
 public:
  void Put(absl::string_view text) {
    if (text.empty()) return;
    if (text.size() > sizeof(bytes_) - size_) {
      overflow_ = true;
      return;
    }
    std::memcpy(bytes_ + size_, text.data(), text.size());
    size_ += text.size();
  }
  void PutEscaped(absl::string_view text) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    while (!text.empty()) {
      size_t plain = 0;
      while (plain < text.size() &&
             !NeedsEscape(static_cast<unsigned char>(text[plain]))) {
        ++plain;
      }
      Put(text.substr(0, plain));
      if (plain == text.size()) return;
      const auto byte = static_cast<unsigned char>(text[plain]);
      const char escape[3] = {'%', kHex[byte >> 4], kHex[byte & 15]};
      Put(absl::string_view(escape, 3));
      text.remove_prefix(plain + 1);
    }
  }
  // `value` in lower-case hex digits, at least `min_digits` (at most 16) of
  // them, zero padded, as ParseHex() reads them.
  void PutHex(uint64_t value, int min_digits) {
    static constexpr char kDigits[] = "0123456789abcdef";
    char digits[16];
    int first = 16;
    do {
      digits[--first] = kDigits[value & 15];
      value >>= 4;
    } while (value != 0);
    while (first > 0 && 16 - first < min_digits) digits[--first] = '0';
    Put(absl::string_view(digits + first, static_cast<size_t>(16 - first)));
  }
  // The name, or nullopt if it did not fit.
  std::optional<std::string> Take() const {
    if (overflow_ || size_ > kMemfdNameMaxBytes) return std::nullopt;
    return std::string(bytes_, size_);
  }

 private:
  char bytes_[kMemfdNameMaxBytes + 1];
  size_t size_ = 0;
  bool overflow_ = false;
};

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The inverse of NameWriter::PutEscaped(): false for a byte that should have
// been escaped, a bad escape, or more than `max_bytes` bytes.
bool Unescape(absl::string_view text, size_t max_bytes, std::string* out) {
  out->clear();
  for (size_t i = 0; i < text.size(); ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte != '%') {
      if (NeedsEscape(byte)) return false;
      out->push_back(text[i]);
    } else {
      if (i + 2 >= text.size()) return false;
      const int high = HexDigit(text[i + 1]);
      const int low = HexDigit(text[i + 2]);
      if (high < 0 || low < 0) return false;
      out->push_back(static_cast<char>(high << 4 | low));
      i += 2;
    }
    if (out->size() > max_bytes) return false;
  }
  return true;
}

// Lower-case hex digits, as NameWriter::PutHex() writes them: 1 to 16 of them.
bool ParseHex(absl::string_view text, uint64_t* value) {
  if (text.empty() || text.size() > 16) return false;
  *value = 0;
  for (const char c : text) {
    int digit = -1;
    if (c >= '0' && c <= '9') digit = c - '0';
    if (c >= 'a' && c <= 'f') digit = c - 'a' + 10;
    if (digit < 0) return false;
    *value = *value << 4 | static_cast<uint64_t>(digit);
  }
  return true;
}

absl::Status Malformed(absl::string_view link) {
  return absl::DataLossError(absl::StrCat("metadata buffer name \"",
                                          absl::CEscape(link),
                                          "\" is not one the allocator gives"));
}

}  // namespace

std::optional<std::string> EncodeMetadataBufferName(
    const SharedMetadataInit& init) {
  if (init.name.size() > kSharedMetadataMaxNameBytes ||
      init.heap_name.size() > kSharedMetadataMaxHeapNameBytes) {
    return std::nullopt;
  }
  NameWriter out;
  out.Put(kPrefix);
  out.PutHex(static_cast<uint32_t>(init.dataspace), /*min_digits=*/8);
  out.Put(":");
  out.PutHex(init.reserved_size, /*min_digits=*/1);
  out.Put(":");
  out.PutEscaped(init.heap_name);
  out.Put(":");
  out.PutEscaped(init.name);
  return out.Take();
}

absl::Status DecodeMetadataBufferName(absl::string_view link,
                                      SharedMetadataInit* init) {
  absl::string_view rest = link;
  if (!absl::ConsumePrefix(&rest, kLinkPrefix) ||
      !absl::ConsumeSuffix(&rest, kLinkSuffix) ||
      rest.size() > kMemfdNameMaxBytes ||
      !absl::ConsumePrefix(&rest, kPrefix) || rest.size() < 10 ||
      rest[8] != ':') {
    return Malformed(link);
  }
  uint64_t dataspace = 0;
  if (!ParseHex(rest.substr(0, 8), &dataspace)) return Malformed(link);
  rest.remove_prefix(9);
  size_t colon = rest.find(':');
  uint64_t reserved_size = 0;
  if (colon == absl::string_view::npos || colon > 16 ||
      !ParseHex(rest.substr(0, colon), &reserved_size)) {
    return Malformed(link);
  }
  rest.remove_prefix(colon + 1);
  colon = rest.find(':');
  if (colon == absl::string_view::npos) return Malformed(link);
  std::string heap_name;
  std::string name;
  if (!Unescape(rest.substr(0, colon), kSharedMetadataMaxHeapNameBytes,
                &heap_name) ||
      !Unescape(rest.substr(colon + 1), kSharedMetadataMaxNameBytes, &name)) {
    return Malformed(link);
  }
  init->name = std::move(name);
  init->heap_name = std::move(heap_name);
  init->dataspace = static_cast<Dataspace>(
      static_cast<int32_t>(static_cast<uint32_t>(dataspace)));
  init->reserved_size = reserved_size;
  return absl::OkStatus();
}

absl::StatusOr<SharedMetadataInit> ReadMetadataBufferName(int fd) {
  const std::string path = absl::StrCat("/proc/self/fd/", fd);
  // Room for the longest link this format makes, and one byte to tell a
  // longer one.
  char link[kLinkPrefix.size() + kMemfdNameMaxBytes + kLinkSuffix.size() + 1];
  const ssize_t size = readlink(path.c_str(), link, sizeof(link));
  if (size < 0) {
    return absl::UnavailableError(
        absl::StrCat("shared metadata: the header is not written yet and ",
                     path, " cannot say what it holds: ", strerror(errno)));
  }
  SharedMetadataInit init;
  RETURN_IF_ERROR(DecodeMetadataBufferName(
      absl::string_view(link, static_cast<size_t>(size)), &init));
  return init;
}

}  // namespace gralloc
