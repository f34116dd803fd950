// Copyright 2026 The gralloc for Linux Authors.
//
// allocator/service/service_log.h: the service's log lines, safe against
// the clients they describe.
//
// Everything the service logs may carry client-chosen text (a buffer name,
// an option name, a reason that quotes them), so every line is escaped:
// control characters, backslashes and bytes outside printable ASCII become
// \xNN (a newline in a name cannot forge a second line). And a client can
// make the service refuse as fast as it can send, so lines are
// rate-limited: a token bucket allows bursts of `burst` lines and
// `per_second` lines a second after that; what it drops is counted and
// reported on the next line that passes ("N lines suppressed").
//
//   RateLimitedLog log(/*per_second=*/20, /*burst=*/200);
//   log.Line(absl::StrCat("refused ALLOCATE from pid ", pid, ": ", why));
//   log.Flush();  // at exit: drops no later line reported
//
// Thread safety: Line() is thread-safe; one write() per line, so lines from
// many threads never interleave.

#ifndef GRALLOC_ALLOCATOR_SERVICE_SERVICE_LOG_H_
#define GRALLOC_ALLOCATOR_SERVICE_SERVICE_LOG_H_

#include <cstdint>
#include <functional>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/strings/string_view.h"
#include "hal/base/mutex.h"

namespace gralloc::service {

// `text` with every byte that is not printable ASCII, and the backslash,
// written as \xNN.
std::string EscapeForLog(absl::string_view text);

class RateLimitedLog final {
 public:
  // Where lines go: by default stderr, prefixed "gralloc-allocatord: ".
  using Sink = std::function<void(absl::string_view line)>;
  // Nanoseconds of a monotonic clock; replaceable for tests.
  using Clock = std::function<int64_t()>;

  RateLimitedLog(double per_second, double burst, Sink sink = nullptr,
                 Clock clock = nullptr);

  // Escapes `what` and writes it as one line, unless the bucket is empty.
  // Returns whether the line was written.
  bool Line(absl::string_view what);

  // Writes "(N lines suppressed)" if lines were dropped since the last line
  // that passed, whatever the bucket holds; the service calls it as it
  // stops, so no drop goes unreported.
  void Flush();

  // Lines dropped since start.
  uint64_t suppressed_total() const;

 private:
  const double per_second_;
  const double burst_;
  const Sink sink_;
  const Clock clock_;
  mutable Mutex mu_;
  double tokens_ ABSL_GUARDED_BY(mu_);
  int64_t last_ns_ ABSL_GUARDED_BY(mu_) = 0;
  uint64_t suppressed_ ABSL_GUARDED_BY(mu_) = 0;  // since the last line
  uint64_t suppressed_total_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace gralloc::service

#endif  // GRALLOC_ALLOCATOR_SERVICE_SERVICE_LOG_H_
