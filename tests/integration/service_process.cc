// Copyright 2026 The gralloc for Linux Authors.

#include "tests/integration/service_process.h"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "hal/base/fd_count.h"
#include "hal/base/short_temp_dir.h"

namespace gralloc::testing {
namespace {

std::string ServiceBinary() {
  const char* srcdir = std::getenv("TEST_SRCDIR");
  const char* workspace = std::getenv("TEST_WORKSPACE");
  return absl::StrCat(srcdir != nullptr ? srcdir : ".", "/",
                      workspace != nullptr ? workspace : "gralloc",
                      "/allocator/service/gralloc_allocatord");
}

void SleepMs(int ms) {
  timespec t{ms / 1000, (ms % 1000) * 1000000L};
  nanosleep(&t, nullptr);
}

// Whether a Unix socket bound at `path` listens, from /proc/net/unix:
// "Num RefCount Protocol Flags Type St Inode Path", where a listening
// socket's flags hold __SO_ACCEPTCON (0x10000).
bool IsListening(const std::string& path) {
  std::ifstream table("/proc/net/unix");
  std::string line;
  std::getline(table, line);  // the header
  while (std::getline(table, line)) {
    std::istringstream fields(line);
    std::string num, refcount, protocol, flags, type, state, inode, bound;
    if (!(fields >> num >> refcount >> protocol >> flags >> type >> state >>
          inode >> bound) ||
        bound != path) {
      continue;
    }
    if ((std::strtoul(flags.c_str(), nullptr, 16) & 0x10000) != 0) return true;
  }
  return false;
}

}  // namespace

std::string ShortSocketDir() {
  // One short root per test binary, removed when it exits; a fresh
  // directory in it per call (the daemon creates it).
  static ShortTempDir root;
  static std::atomic<int> counter{0};
  return root.File("d" + std::to_string(counter++));
}

bool Eventually(const std::function<bool()>& condition) {
  for (int i = 0; i < 6000; ++i) {
    if (condition()) return true;
    SleepMs(10);
  }
  return condition();
}

absl::StatusOr<std::unique_ptr<ServiceProcess>> ServiceProcess::Start(
    const std::string& socket_path, std::vector<std::string> extra_args,
    const std::string& log_path) {
  const std::string binary = ServiceBinary();
  if (access(binary.c_str(), X_OK) != 0) {
    return absl::NotFoundError(absl::StrCat("no service binary at ", binary));
  }
  // Everything the child needs is built before fork().
  std::vector<std::string> args = {binary, "--socket=" + socket_path};
  for (std::string& arg : extra_args) args.push_back(std::move(arg));
  std::vector<char*> argv;
  for (std::string& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  // Under ASan, a small quarantine keeps the service's RSS a measure of
  // what it holds rather than of what it freed recently.
  std::string asan = "ASAN_OPTIONS=quarantine_size_mb=4";
  if (const char* existing = std::getenv("ASAN_OPTIONS")) {
    asan = absl::StrCat("ASAN_OPTIONS=", existing, ":quarantine_size_mb=4");
  }
  std::vector<std::string> env_strings;
  for (char** e = environ; *e != nullptr; ++e) {
    if (std::string(*e).rfind("ASAN_OPTIONS=", 0) == 0) continue;
    env_strings.emplace_back(*e);
  }
  env_strings.push_back(asan);
  std::vector<char*> envp;
  for (std::string& e : env_strings) envp.push_back(e.data());
  envp.push_back(nullptr);

  const pid_t pid = fork();
  if (pid < 0) return absl::InternalError("fork failed");
  if (pid == 0) {
    if (!log_path.empty()) {
      const int log =
          open(log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      if (log < 0 || dup2(log, STDERR_FILENO) < 0) _exit(126);
    }
    execve(argv[0], argv.data(), envp.data());
    _exit(127);
  }
  auto process =
      std::unique_ptr<ServiceProcess>(new ServiceProcess(pid, socket_path));
  // Ready when the socket listens. Probing with a connection would leave
  // one the service has yet to see hang up, counted against the per-user
  // connection limit of whatever connects next.
  const bool ready = Eventually([&] {
    int status;
    if (waitpid(pid, &status, WNOHANG) == pid) {
      process->pid_ = -1;
      return true;  // died: reported below
    }
    return IsListening(socket_path);
  });
  if (process->pid_ < 0) {
    return absl::InternalError("the service exited during start-up");
  }
  if (!ready) return absl::DeadlineExceededError("the service never listened");
  return process;
}

ServiceProcess::~ServiceProcess() {
  if (pid_ > 0) Kill();
}

absl::Status ServiceProcess::Wait(int* status) {
  for (;;) {
    if (waitpid(pid_, status, 0) == pid_) break;
    if (errno != EINTR) return absl::InternalError("waitpid failed");
  }
  pid_ = -1;
  return absl::OkStatus();
}

absl::Status ServiceProcess::Terminate() {
  if (pid_ <= 0) return absl::FailedPreconditionError("not running");
  kill(pid_, SIGTERM);
  int status = 0;
  if (absl::Status waited = Wait(&status); !waited.ok()) return waited;
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return absl::InternalError(
        absl::StrCat("the service did not exit cleanly: status ", status));
  }
  return absl::OkStatus();
}

void ServiceProcess::Kill() {
  if (pid_ <= 0) return;
  kill(pid_, SIGKILL);
  int status;
  (void)Wait(&status);
}

namespace {

int CountEntries(const std::string& path) {
  DIR* dir = opendir(path.c_str());
  if (dir == nullptr) return -1;
  int count = 0;
  while (const dirent* entry = readdir(dir)) {
    if (entry->d_name[0] != '.') ++count;
  }
  closedir(dir);
  return count;
}

}  // namespace

int ServiceProcess::OpenFdCount() const {
  return CountEntries(absl::StrCat("/proc/", pid_, "/fd"));
}

int ServiceProcess::SettledFdCount() const {
  int last = OpenFdCount();
  for (int i = 0; i < 100; ++i) {
    SleepMs(20);
    const int now = OpenFdCount();
    if (now == last) return now;
    last = now;
  }
  return last;
}

int ServiceProcess::BufferFdCount() const {
  return ::gralloc::testing::BufferFdCount(absl::StrCat("/proc/", pid_, "/fd"));
}

int ServiceProcess::ThreadCount() const {
  return CountEntries(absl::StrCat("/proc/", pid_, "/task"));
}

int64_t ServiceProcess::CpuTicks() const {
  std::ifstream stat(absl::StrCat("/proc/", pid_, "/stat"));
  std::string line;
  if (!std::getline(stat, line)) return -1;
  // Fields after the command name (which may hold spaces), from field 3.
  const size_t close = line.rfind(')');
  if (close == std::string::npos) return -1;
  std::istringstream fields(line.substr(close + 2));
  std::string field;
  int64_t utime = -1, stime = -1;
  for (int i = 3; fields >> field; ++i) {
    if (i == 14) utime = std::stoll(field);
    if (i == 15) {
      stime = std::stoll(field);
      break;
    }
  }
  return utime < 0 || stime < 0 ? -1 : utime + stime;
}

int64_t ServiceProcess::RssBytes() const {
  std::ifstream statm(absl::StrCat("/proc/", pid_, "/statm"));
  int64_t size = 0, resident = -1;
  if (!(statm >> size >> resident)) return -1;
  return resident * sysconf(_SC_PAGESIZE);
}

}  // namespace gralloc::testing
