// Copyright 2026 The gralloc for Linux Authors.
//
// tests/integration/service_process.h: gralloc-allocatord as a separate
// process, for tests that kill it, restart it and watch its fds and memory.
//
// Start() forks and execs the binary from the test's runfiles (the test
// needs `data = ["//allocator/service:gralloc_allocatord"]`) and returns
// once the socket accepts connections. Call it while the test process is
// single-threaded (as gtest tests are unless they start threads).
//
// Test-only.

#ifndef GRALLOC_TESTS_INTEGRATION_SERVICE_PROCESS_H_
#define GRALLOC_TESTS_INTEGRATION_SERVICE_PROCESS_H_

#include <sys/types.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace gralloc::testing {

// A new directory under /tmp (socket paths must fit sun_path's 108 bytes,
// which TEST_TMPDIR may not).
std::string ShortSocketDir();

// Polls `condition` every 10 ms for up to 60 s (a loaded 2-core machine
// under a sanitizer is slow; tests wait for outcomes, never for delays).
bool Eventually(const std::function<bool()>& condition);

class ServiceProcess final {
 public:
  // `log_path`, if not empty, receives the service's stderr (its log).
  static absl::StatusOr<std::unique_ptr<ServiceProcess>> Start(
      const std::string& socket_path, std::vector<std::string> extra_args = {},
      const std::string& log_path = "");
  // SIGKILLs the service if it still runs.
  ~ServiceProcess();
  ServiceProcess(const ServiceProcess&) = delete;
  ServiceProcess& operator=(const ServiceProcess&) = delete;

  pid_t pid() const { return pid_; }
  const std::string& socket_path() const { return socket_path_; }

  // SIGTERM, then waits; OK only for exit status 0.
  absl::Status Terminate();
  // SIGKILL, then waits.
  void Kill();

  // Entries of /proc/<pid>/fd, or -1.
  int OpenFdCount() const;
  // OpenFdCount() once two reads 20 ms apart agree (or after 2 s): a
  // baseline to compare with later. The stats stop counting a client that
  // hung up just before the service closes its socket, so a count taken
  // as soon as the stats are idle may still hold that socket.
  int SettledFdCount() const;
  // Those of them that are buffers (hal/base/fd_count.h), or -1.
  int BufferFdCount() const;
  // Resident set size from /proc/<pid>/statm, in bytes, or -1.
  int64_t RssBytes() const;
  // Entries of /proc/<pid>/task (its threads), or -1.
  int ThreadCount() const;
  // User + system CPU time from /proc/<pid>/stat, in clock ticks, or -1.
  int64_t CpuTicks() const;

 private:
  ServiceProcess(pid_t pid, std::string socket_path)
      : pid_(pid), socket_path_(std::move(socket_path)) {}
  absl::Status Wait(int* status);

  pid_t pid_;
  std::string socket_path_;
};

}  // namespace gralloc::testing

#endif  // GRALLOC_TESTS_INTEGRATION_SERVICE_PROCESS_H_
