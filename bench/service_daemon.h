// Copyright 2026 The gralloc for Linux Authors.
//
// bench/service_daemon.h: a private gralloc-allocatord for the service rows
// of the benchmark suite.
//
// Start() makes a fresh directory under /tmp (a socket path must fit
// sun_path's 108 bytes, which a runfiles or TEST_TMPDIR path may not),
// forks and execs the daemon on a socket in it with --quiet, its stderr in
// a log file there, and returns once a client can connect. The destructor
// stops it: SIGTERM, then SIGKILL if it has not exited within 10 s, and
// removes the directory. The daemon never outlives the suite: the child
// asks the kernel for SIGKILL when the thread that started it dies
// (PR_SET_PDEATHSIG), which covers a crash or an exit() that skips
// destructors; so call Start() from the main thread.
//
// FindDaemonBinary() looks where Bazel puts a `data` dependency:
// $RUNFILES_DIR, then $TEST_SRCDIR (tests, and the VM tier's init), then
// the runfiles tree beside /proc/self/exe.
//
// Not thread-safe; one owner.

#ifndef GRALLOC_BENCH_SERVICE_DAEMON_H_
#define GRALLOC_BENCH_SERVICE_DAEMON_H_

#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace gralloc::bench {

// The path of //allocator/service:gralloc_allocatord in this binary's
// runfiles, or NotFound naming every place looked at.
absl::StatusOr<std::string> FindDaemonBinary();

class ServiceDaemon final {
 public:
  // Starts `binary` on a private socket, with `extra_args`. Errors: the
  // daemon did not start or never listened within 60 s (the message
  // carries the end of its log).
  static absl::StatusOr<std::unique_ptr<ServiceDaemon>> Start(
      const std::string& binary,
      const std::vector<std::string>& extra_args = {});
  ~ServiceDaemon();
  ServiceDaemon(const ServiceDaemon&) = delete;
  ServiceDaemon& operator=(const ServiceDaemon&) = delete;

  const std::string& socket_path() const { return socket_path_; }

 private:
  ServiceDaemon(std::string directory, pid_t pid)
      : directory_(std::move(directory)),
        socket_path_(directory_ + "/allocator.sock"),
        pid_(pid) {}
  void Stop();

  const std::string directory_;
  const std::string socket_path_;
  pid_t pid_;
};

}  // namespace gralloc::bench

#endif  // GRALLOC_BENCH_SERVICE_DAEMON_H_
