// Copyright 2026 The gralloc for Linux Authors.
//
// tests/fuzz/fuzz_check.h: the two things every fuzz target needs, reading
// structured values from the fuzzer's bytes and stopping loudly when an
// invariant breaks.
//
//   FuzzInput in(data, size);
//   const int32_t width = in.Take<int32_t>();   // 0 once the bytes run out
//   FUZZ_CHECK(layout.ok(), "layout: ", layout.status().ToString());
//
// FUZZ_CHECK prints its message and abort()s, which libFuzzer reports as a
// crash and saves the input as the reproducer. Not thread-safe (a FuzzInput
// is one input's cursor).

#ifndef GRALLOC_TESTS_FUZZ_FUZZ_CHECK_H_
#define GRALLOC_TESTS_FUZZ_FUZZ_CHECK_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <type_traits>

#include "absl/strings/str_cat.h"
#include "absl/types/span.h"

// The message (one or more absl::StrCat arguments) is required: a broken
// invariant should say which values broke it.
#define FUZZ_CHECK(condition, ...)                          \
  do {                                                      \
    if (!(condition)) {                                     \
      ::gralloc::fuzz::Fail(__FILE__, __LINE__, #condition, \
                            ::absl::StrCat(__VA_ARGS__));   \
    }                                                       \
  } while (0)

namespace gralloc::fuzz {

[[noreturn]] inline void Fail(const char* file, int line, const char* what,
                              const std::string& message) {
  std::fprintf(stderr, "%s:%d: FUZZ_CHECK(%s) failed: %s\n", file, line, what,
               message.c_str());
  std::fflush(stderr);
  std::abort();
}

// A cursor over the fuzzer's bytes, read from the front. Reads past the end
// yield zeros (and empty spans), so every input decodes to something.
class FuzzInput {
 public:
  FuzzInput(const uint8_t* data, size_t size) : data_(data), size_(size) {}

  // The next sizeof(T) bytes as a little-endian integer (or enum).
  template <typename T>
  T Take() {
    static_assert(std::is_trivially_copyable_v<T>);
    T value{};
    const size_t n = std::min(sizeof(T), size_);
    std::memcpy(&value, data_, n);
    Skip(n);
    return value;
  }
  bool TakeBool() { return (Take<uint8_t>() & 1) != 0; }
  // One of `count` choices (count > 0), from one byte.
  size_t TakeIndex(size_t count) { return Take<uint8_t>() % count; }
  // An element of `values` (not empty).
  template <typename T>
  const T& Pick(absl::Span<const T> values) {
    return values[TakeIndex(values.size())];
  }
  // Up to `max_bytes` bytes: a length byte (or two for max_bytes > 255),
  // then that many bytes.
  absl::Span<const uint8_t> TakeBytes(size_t max_bytes) {
    size_t n = max_bytes > 255 ? Take<uint16_t>() : Take<uint8_t>();
    n = std::min({n, max_bytes, size_});
    absl::Span<const uint8_t> bytes(data_, n);
    Skip(n);
    return bytes;
  }
  std::string TakeString(size_t max_bytes) {
    absl::Span<const uint8_t> bytes = TakeBytes(max_bytes);
    return std::string(bytes.begin(), bytes.end());
  }
  // Everything not read yet.
  absl::Span<const uint8_t> Rest() {
    absl::Span<const uint8_t> rest(data_, size_);
    Skip(size_);
    return rest;
  }
  size_t remaining() const { return size_; }

 private:
  void Skip(size_t n) {
    data_ += n;
    size_ -= n;
  }

  const uint8_t* data_;
  size_t size_;
};

}  // namespace gralloc::fuzz

#endif  // GRALLOC_TESTS_FUZZ_FUZZ_CHECK_H_
