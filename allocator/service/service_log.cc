// Copyright 2026 The gralloc for Linux Authors.

#include "allocator/service/service_log.h"

#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"

namespace gralloc::service {
namespace {

int64_t MonotonicNs() {
  timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return int64_t{now.tv_sec} * 1000000000 + now.tv_nsec;
}

void WriteToStderr(absl::string_view line) {
  const std::string text = absl::StrCat("gralloc-allocatord: ", line, "\n");
  (void)!write(STDERR_FILENO, text.data(), text.size());
}

}  // namespace

std::string EscapeForLog(absl::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x20 && byte < 0x7f && byte != '\\') {
      out.push_back(c);
    } else {
      out += {'\\', 'x', kHex[byte >> 4], kHex[byte & 15]};
    }
  }
  return out;
}

RateLimitedLog::RateLimitedLog(double per_second, double burst, Sink sink,
                               Clock clock)
    : per_second_(per_second),
      burst_(burst),
      sink_(sink ? std::move(sink) : Sink(WriteToStderr)),
      clock_(clock ? std::move(clock) : Clock(MonotonicNs)),
      tokens_(burst) {
  last_ns_ = clock_();
}

bool RateLimitedLog::Line(absl::string_view what) {
  uint64_t dropped = 0;
  {
    MutexLock lock(&mu_);
    const int64_t now = clock_();
    tokens_ = std::min(burst_, tokens_ + static_cast<double>(now - last_ns_) *
                                             1e-9 * per_second_);
    last_ns_ = now;
    if (tokens_ < 1) {
      ++suppressed_;
      ++suppressed_total_;
      return false;
    }
    tokens_ -= 1;
    dropped = std::exchange(suppressed_, 0);
  }
  std::string line = EscapeForLog(what);
  if (dropped != 0) {
    line = absl::StrCat("(", dropped, " lines suppressed) ", line);
  }
  sink_(line);
  return true;
}

void RateLimitedLog::Flush() {
  uint64_t dropped = 0;
  {
    MutexLock lock(&mu_);
    dropped = std::exchange(suppressed_, 0);
  }
  if (dropped != 0) sink_(absl::StrCat("(", dropped, " lines suppressed)"));
}

uint64_t RateLimitedLog::suppressed_total() const {
  MutexLock lock(&mu_);
  return suppressed_total_;
}

}  // namespace gralloc::service
