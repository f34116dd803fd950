// Copyright 2026 The gralloc for Linux Authors.
//
// hal/base/wire.h: little-endian wire formats, each type's fields listed
// once.
//
// A format lists a type's fields in one function template,
//
//   template <typename Io> void Fields(Io& io, Rect& r) {
//     io.Int("left", r.left); ...
//   }
//
// which both directions run: with a WireWriter it appends the fields, with a
// WireReader it reads and checks them. An encoder and a decoder written
// apart can drift; these cannot. The allocator service's protocol and
// Android's standard metadata encoding are both written this way.
//
// Integers (and enums, as their underlying type) are little-endian two's
// complement, floats IEEE-754 binary32, whatever the host. Byte strings and
// lists carry a length or count of the type the format chooses (`Length`:
// u16 or u32 in the protocol, i64 in Android's metadata). The reader checks
// each against its maximum and against the bytes that remain (each entry
// at least `min_entry_bytes`), so a lying count cannot make it allocate
// much, and a negative signed count fails. The reader's first failure
// sticks and names the field; later reads do nothing.

#ifndef GRALLOC_HAL_BASE_WIRE_H_
#define GRALLOC_HAL_BASE_WIRE_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <type_traits>
#include <utility>
#include <vector>

#include "absl/base/optimization.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace gralloc {

static_assert(std::numeric_limits<float>::is_iec559 && sizeof(float) == 4,
              "wire formats carry IEEE-754 binary32 floats");

namespace wire_internal {
// The unsigned integer of T's width (T an integer or an enum).
template <typename T, bool = std::is_enum_v<T>>
struct Bits {
  using type = std::make_unsigned_t<T>;
};
template <typename T>
struct Bits<T, true> {
  using type = std::make_unsigned_t<std::underlying_type_t<T>>;
};
template <typename T>
using BitsOf = typename Bits<T>::type;
}  // namespace wire_internal

// Appends fields to a byte vector. A writer trusts its values: bounds are
// the reader's to check (a byte string or list longer than its maximum is
// cut there, so a length never lies).
class WireWriter {
 public:
  static constexpr bool kReading = false;

  WireWriter() = default;
  // The data may point into the object itself.
  WireWriter(const WireWriter&) = delete;
  WireWriter& operator=(const WireWriter&) = delete;

  template <typename T>
  void Int(const char*, T& value) {
    const uint64_t bits = static_cast<wire_internal::BitsOf<T>>(value);
    uint8_t* out = Extend(sizeof(T));
    for (size_t i = 0; i < sizeof(T); ++i) {
      out[i] = static_cast<uint8_t>(bits >> (8 * i));
    }
  }
  void Bool(const char* field, bool& value) {
    uint8_t byte = value ? 1 : 0;
    Int(field, byte);
  }
  void Float(const char* field, float& value) {
    uint32_t bits;
    std::memcpy(&bits, &value, sizeof(bits));
    Int(field, bits);
  }
  // A `Length`, then the bytes of `bytes` (a std::string or byte vector).
  template <typename Length, typename Bytes>
  void Blob(const char* field, Bytes& bytes,
            size_t max_bytes = std::numeric_limits<size_t>::max()) {
    auto length = static_cast<Length>(std::min(bytes.size(), max_bytes));
    Int(field, length);
    const size_t n = static_cast<size_t>(length);
    if (n > 0) std::memcpy(Extend(n), bytes.data(), n);
  }
  // A `Length` count, then each entry through `each(entry)`.
  template <typename Length, typename T, typename Each>
  void List(const char* field, std::vector<T>& entries, size_t max_entries,
            size_t /*min_entry_bytes*/, Each each) {
    auto count = static_cast<Length>(std::min(entries.size(), max_entries));
    Int(field, count);
    for (size_t i = 0; i < static_cast<size_t>(count); ++i) each(entries[i]);
  }
  void Check(bool, const char*, absl::string_view) {}
  void Fail(const char*, absl::string_view) {}
  bool ok() const { return true; }

  absl::Span<const uint8_t> bytes() const { return {data_, size_}; }
  // The bytes written, as a vector; the writer is then empty.
  std::vector<uint8_t> Take() {
    std::vector<uint8_t> taken;
    if (data_ == heap_.data()) {
      heap_.resize(size_);
      taken = std::move(heap_);
    } else {
      taken.assign(data_, data_ + size_);
    }
    heap_.clear();
    data_ = inline_;
    size_ = 0;
    capacity_ = sizeof(inline_);
    return taken;
  }

 private:
  // `n` more bytes at the end, to be written by the caller. An integer is
  // appended with one bounds check, not one push_back per byte: the
  // service encodes a reply of some 400 bytes per allocation.
  uint8_t* Extend(size_t n) {
    if (ABSL_PREDICT_FALSE(capacity_ - size_ < n)) Grow(n);
    uint8_t* out = data_ + size_;
    size_ += n;
    return out;
  }
  void Grow(size_t n) {
    std::vector<uint8_t> bigger(std::max(2 * capacity_, size_ + n));
    std::memcpy(bigger.data(), data_, size_);
    heap_ = std::move(bigger);
    data_ = heap_.data();
    capacity_ = heap_.size();
  }

  // Small encodings (a metadata value, most messages) stay off the heap.
  uint8_t inline_[256];
  std::vector<uint8_t> heap_;
  uint8_t* data_ = inline_;
  size_t size_ = 0;
  size_t capacity_ = sizeof(inline_);
};

// Reads fields from untrusted bytes, checking every length against what
// remains.
class WireReader {
 public:
  static constexpr bool kReading = true;

  explicit WireReader(absl::Span<const uint8_t> bytes) : bytes_(bytes) {}

  template <typename T>
  void Int(const char* field, T& value) {
    value = T{};
    if (!status_.ok()) return;
    if (bytes_.size() < sizeof(T)) {
      Fail(field, absl::StrCat("is truncated: ", sizeof(T), " bytes needed, ",
                               bytes_.size(), " remain"));
      return;
    }
    uint64_t bits = 0;
    for (size_t i = 0; i < sizeof(T); ++i) {
      bits |= uint64_t{bytes_[i]} << (8 * i);
    }
    value = static_cast<T>(static_cast<wire_internal::BitsOf<T>>(bits));
    bytes_.remove_prefix(sizeof(T));
  }
  void Bool(const char* field, bool& value) {
    uint8_t byte = 0;
    Int(field, byte);
    Check(byte <= 1, field, "is not 0 or 1");
    value = byte == 1;
  }
  void Float(const char* field, float& value) {
    uint32_t bits = 0;
    Int(field, bits);
    std::memcpy(&value, &bits, sizeof(bits));
  }
  template <typename Length, typename Bytes>
  void Blob(const char* field, Bytes& bytes,
            size_t max_bytes = std::numeric_limits<size_t>::max()) {
    const absl::Span<const uint8_t> view = BlobView<Length>(field, max_bytes);
    bytes.assign(view.begin(), view.end());
  }
  // The same, in place in the input (reading only).
  template <typename Length>
  absl::Span<const uint8_t> BlobView(
      const char* field,
      size_t max_bytes = std::numeric_limits<size_t>::max()) {
    size_t length = 0;
    if (!Count<Length>(field, max_bytes, 1, &length)) return {};
    const absl::Span<const uint8_t> view = bytes_.first(length);
    bytes_.remove_prefix(length);
    return view;
  }
  template <typename Length, typename T, typename Each>
  void List(const char* field, std::vector<T>& entries, size_t max_entries,
            size_t min_entry_bytes, Each each) {
    entries.clear();
    size_t count = 0;
    if (!Count<Length>(field, max_entries, min_entry_bytes, &count)) return;
    entries.resize(count);
    for (size_t i = 0; i < count && status_.ok(); ++i) each(entries[i]);
  }
  // `what` is built by the caller whether or not the check fails: a message
  // that costs building (StrCat) goes to Fail() under an if instead, so
  // that a message that decodes well builds none.
  void Check(bool condition, const char* field, absl::string_view what) {
    if (!condition) Fail(field, what);
  }
  void Fail(const char* field, absl::string_view what) {
    if (status_.ok()) {
      status_ = absl::InvalidArgumentError(absl::StrCat(field, " ", what));
    }
  }
  bool ok() const { return status_.ok(); }
  size_t remaining() const { return bytes_.size(); }
  // OK only if every read succeeded and nothing is left over.
  absl::Status Finish() {
    if (status_.ok() && !bytes_.empty()) {
      status_ = absl::InvalidArgumentError(
          absl::StrCat(bytes_.size(), " trailing bytes"));
    }
    return status_;
  }

 private:
  // Reads a `Length` and checks it: not negative, at most `max`, and
  // `min_entry_bytes` each within what remains.
  template <typename Length>
  bool Count(const char* field, size_t max, size_t min_entry_bytes,
             size_t* count) {
    Length raw{};
    Int(field, raw);
    if (!status_.ok()) return false;
    if constexpr (std::is_signed_v<Length>) {
      if (raw < 0) {
        Fail(field, absl::StrCat("is negative (", raw, ")"));
        return false;
      }
    }
    const uint64_t value = static_cast<uint64_t>(raw);
    if (value > max) {
      Fail(field, absl::StrCat("is ", value, ", more than ", max));
      return false;
    }
    if (value > bytes_.size() / std::max<size_t>(min_entry_bytes, 1)) {
      Fail(field, absl::StrCat("is ", value, " but only ", bytes_.size(),
                               " bytes remain"));
      return false;
    }
    *count = static_cast<size_t>(value);
    return true;
  }

  absl::Span<const uint8_t> bytes_;
  absl::Status status_;
};

}  // namespace gralloc

#endif  // GRALLOC_HAL_BASE_WIRE_H_
