// Copyright 2026 The gralloc for Linux Authors.

#include "bench/service_daemon.h"

#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <system_error>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "allocator/client/service_client.h"
#include "hal/base/status_macros.h"

namespace gralloc::bench {
namespace {

constexpr char kDaemonInRunfiles[] =
    "gralloc/allocator/service/gralloc_allocatord";

void SleepMs(int ms) {
  timespec t{ms / 1000, (ms % 1000) * 1000000L};
  nanosleep(&t, nullptr);
}

// The last lines of `path`, for an error message.
std::string Tail(const std::string& path) {
  std::ifstream file(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(file, line);) lines.push_back(line);
  const size_t first = lines.size() > 10 ? lines.size() - 10 : 0;
  return absl::StrJoin(lines.begin() + static_cast<std::ptrdiff_t>(first),
                       lines.end(), " | ");
}

}  // namespace

absl::StatusOr<std::string> FindDaemonBinary() {
  std::vector<std::string> candidates;
  for (const char* variable : {"RUNFILES_DIR", "TEST_SRCDIR"}) {
    const char* root = std::getenv(variable);
    if (root != nullptr && root[0] != '\0') {
      candidates.push_back(absl::StrCat(root, "/", kDaemonInRunfiles));
    }
  }
  std::error_code error;
  const std::filesystem::path self =
      std::filesystem::read_symlink("/proc/self/exe", error);
  if (!error) {
    candidates.push_back(
        absl::StrCat(self.string(), ".runfiles/", kDaemonInRunfiles));
  }
  for (const std::string& candidate : candidates) {
    if (access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return absl::NotFoundError(
      absl::StrCat("no gralloc_allocatord in the runfiles (looked at ",
                   absl::StrJoin(candidates, ", "), "); pass --service=PATH"));
}

absl::StatusOr<std::unique_ptr<ServiceDaemon>> ServiceDaemon::Start(
    const std::string& binary, const std::vector<std::string>& extra_args) {
  char pattern[] = "/tmp/gralloc-bench-XXXXXX";
  if (mkdtemp(pattern) == nullptr) return ErrnoStatus("mkdtemp(/tmp)");
  const std::string directory = pattern;
  const std::string log_path = directory + "/daemon.log";
  // Everything the child needs is built before fork().
  std::vector<std::string> args = {
      binary, absl::StrCat("--socket=", directory, "/allocator.sock"),
      "--quiet"};
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  std::vector<char*> argv;
  for (std::string& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  const pid_t parent = getpid();

  const pid_t pid = fork();
  if (pid < 0) {
    const absl::Status status = ErrnoStatus("fork");
    std::error_code ignored;
    std::filesystem::remove_all(directory, ignored);
    return status;
  }
  if (pid == 0) {
    // Dies with the thread that started it, and not a moment later: if
    // that already happened, getppid() is no longer the parent.
    if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || getppid() != parent) {
      _exit(125);
    }
    const int log =
        open(log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (log < 0 || dup2(log, STDERR_FILENO) < 0) _exit(126);
    execv(argv[0], argv.data());
    _exit(127);
  }
  std::unique_ptr<ServiceDaemon> daemon(new ServiceDaemon(directory, pid));
  ServiceClientOptions options;
  options.reconnect_backoff_ms = 1;
  // 60 s: a loaded 2-core machine under ThreadSanitizer is slow to start.
  for (int waited_ms = 0; waited_ms < 60000; waited_ms += 10) {
    int status = 0;
    if (waitpid(pid, &status, WNOHANG) == pid) {
      daemon->pid_ = -1;
      return absl::InternalError(
          absl::StrCat(binary, " exited during start-up (status ", status,
                       "): ", Tail(log_path)));
    }
    if (ServiceClient::Connect(daemon->socket_path_, options).ok()) {
      return daemon;
    }
    SleepMs(10);
  }
  return absl::DeadlineExceededError(absl::StrCat(binary, " never listened on ",
                                                  daemon->socket_path_, ": ",
                                                  Tail(log_path)));
}

ServiceDaemon::~ServiceDaemon() {
  Stop();
  std::error_code ignored;
  std::filesystem::remove_all(directory_, ignored);
}

void ServiceDaemon::Stop() {
  if (pid_ <= 0) return;
  kill(pid_, SIGTERM);
  int status = 0;
  for (int waited_ms = 0; waited_ms < 10000; waited_ms += 10) {
    const pid_t done = waitpid(pid_, &status, WNOHANG);
    if (done == pid_ || (done < 0 && errno != EINTR)) {
      pid_ = -1;
      return;
    }
    SleepMs(10);
  }
  kill(pid_, SIGKILL);
  while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  pid_ = -1;
}

}  // namespace gralloc::bench
