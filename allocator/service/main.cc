// Copyright 2026 The gralloc for Linux Authors.
//
// gralloc-allocatord: the allocator service.
//
//   gralloc-allocatord [--socket=PATH] [--profile=FILE] [options]
//
// (--help lists the options: socket mode and owner, allow-lists, quotas,
// workers.)
//
// Serves until SIGTERM or SIGINT, then closes every connection and exits 0.
// Under systemd (Type=notify) it reports READY=1 once the socket accepts.

#include <signal.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <iostream>
#include <memory>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "allocator/allocator.h"
#include "allocator/heaps/heap_registry.h"
#include "allocator/platform.h"
#include "allocator/service/access.h"
#include "allocator/service/server.h"
#include "hal/base/status_macros.h"
#include "hal/base/unique_fd.h"

namespace gralloc::service {
namespace {

constexpr char kUsage[] =
    "usage: gralloc-allocatord [--socket=PATH] [--profile=FILE] [options]\n"
    "  --socket                    default /run/gralloc/allocator.sock\n"
    "  --profile                   a JSON platform profile (default: "
    "built-in)\n"
    " who may connect (root and the service's own user always may):\n"
    "  --socket-mode=OCTAL         the socket file's mode (default 0660)\n"
    "  --socket-user=USER          the socket file's owner\n"
    "  --socket-group=GROUP        the socket file's group\n"
    "  --allow-users=U,...         only these users (names or uids) ...\n"
    "  --allow-groups=G,...        ... or members of these groups\n"
    "  --admin-users=U,...         see every client in STATS and LIST\n"
    "  --admin-groups=G,...\n"
    " quotas (0: no limit); bytes count pixels and metadata, and stay\n"
    " charged until the memory is gone from every process:\n"
    "  --max-buffers-per-client=N  live buffers per client process\n"
    "  --max-bytes-per-client=N    live bytes per client process\n"
    "  --max-buffers-per-user=N    live buffers per user\n"
    "  --max-bytes-per-user=N      live bytes per user\n"
    "  --max-connections-per-user=N\n"
    "  --max-clients=N             connections in all\n"
    "  --workers=N                 threads that run requests (default 4)\n"
    "  --max-watches=N             memory watches (two a live buffer) before\n"
    "                              refusing allocations (default: the\n"
    "                              kernel's fs.inotify.max_user_watches)\n"
    " the allocate-ahead pool (fresh buffers of recent descriptions, made\n"
    " ahead; SIGUSR1 empties it):\n"
    "  --pool-budget=SIZE          bytes it may hold (K, M, G suffixes; 0:\n"
    "                              none; default: the profile's "
    "pool_budget_mib)\n"
    "  --pool-min-available=SIZE   hold nothing while MemAvailable is "
    "below\n"
    "                              (default 256M)\n"
    "  --mapper-library=PATH       what clients are told to dlopen "
    "(default:\n"
    "                              libgralloc_mapper.so beside this "
    "binary's\n"
    "                              lib/, else the bare name)\n"
    "  --quiet                     do not log refusals\n";

struct Flags {
  ServerOptions server;
  std::string profile_path;
  bool pool_budget_set = false;
};

absl::StatusOr<uint64_t> ParseCount(absl::string_view flag,
                                    absl::string_view text) {
  uint64_t value = 0;
  if (!absl::SimpleAtoi(text, &value)) {
    return absl::InvalidArgumentError(
        absl::StrCat(flag, "=", text, " is not a non-negative integer"));
  }
  return value;
}

// A byte count with an optional K, M or G (powers of 1024).
absl::StatusOr<uint64_t> ParseSize(absl::string_view flag,
                                   absl::string_view text) {
  int shift = 0;
  if (!text.empty()) {
    switch (text.back()) {
      case 'K':
      case 'k':
        shift = 10;
        break;
      case 'M':
      case 'm':
        shift = 20;
        break;
      case 'G':
      case 'g':
        shift = 30;
        break;
    }
  }
  if (shift != 0) text.remove_suffix(1);
  uint64_t value = 0;
  if (!absl::SimpleAtoi(text, &value) || value > (~uint64_t{0} >> shift)) {
    return absl::InvalidArgumentError(absl::StrCat(
        flag, "=", text, " is not a size (bytes, or N with K, M or G)"));
  }
  return value << shift;
}

absl::StatusOr<uint32_t> ParseSmall(absl::string_view flag,
                                    absl::string_view text, uint32_t low) {
  ASSIGN_OR_RETURN(uint64_t n, ParseCount(flag, text));
  if (n < low || n > 1000000) {
    return absl::InvalidArgumentError(
        absl::StrCat(flag, " must be in ", low, "..1000000"));
  }
  return static_cast<uint32_t>(n);
}

template <typename Id>
absl::StatusOr<std::vector<Id>> ParseIds(
    absl::string_view text, absl::StatusOr<Id> (*resolve)(absl::string_view)) {
  std::vector<Id> ids;
  for (absl::string_view name : absl::StrSplit(text, ',', absl::SkipEmpty())) {
    ASSIGN_OR_RETURN(Id id, resolve(name));
    ids.push_back(id);
  }
  return ids;
}

absl::StatusOr<Flags> ParseFlags(int argc, char** argv) {
  Flags flags;
  ServerOptions& server = flags.server;
  Limits& limits = server.limits;
  AccessPolicy& access = server.access;
  for (int i = 1; i < argc; ++i) {
    const absl::string_view arg = argv[i];
    const size_t equals = arg.find('=');
    const absl::string_view key = arg.substr(0, equals);
    const absl::string_view value =
        equals == absl::string_view::npos ? "" : arg.substr(equals + 1);
    if (arg == "--quiet") {
      server.log_refusals = false;
    } else if (key == "--socket" && !value.empty()) {
      server.socket_path = std::string(value);
    } else if (key == "--mapper-library" && !value.empty()) {
      server.mapper_library = std::string(value);
    } else if (key == "--profile" && !value.empty()) {
      flags.profile_path = std::string(value);
    } else if (key == "--socket-mode") {
      uint32_t mode = 0;
      bool octal = !value.empty() && value.size() <= 4;
      for (const char c : value) {
        octal = octal && c >= '0' && c <= '7';
        mode = mode * 8 + static_cast<uint32_t>(c - '0');
      }
      if (!octal || mode > 0777) {
        return absl::InvalidArgumentError(
            absl::StrCat("--socket-mode=", value, " is not an octal mode"));
      }
      server.socket_mode = static_cast<int>(mode);
    } else if (key == "--socket-user") {
      ASSIGN_OR_RETURN(uid_t uid, ResolveUser(value));
      server.socket_uid = static_cast<int>(uid);
    } else if (key == "--socket-group") {
      ASSIGN_OR_RETURN(gid_t gid, ResolveGroup(value));
      server.socket_gid = static_cast<int>(gid);
    } else if (key == "--allow-users") {
      ASSIGN_OR_RETURN(access.allowed_users, ParseIds(value, &ResolveUser));
    } else if (key == "--allow-groups") {
      ASSIGN_OR_RETURN(access.allowed_groups, ParseIds(value, &ResolveGroup));
    } else if (key == "--admin-users") {
      ASSIGN_OR_RETURN(access.admin_users, ParseIds(value, &ResolveUser));
    } else if (key == "--admin-groups") {
      ASSIGN_OR_RETURN(access.admin_groups, ParseIds(value, &ResolveGroup));
    } else if (key == "--max-buffers-per-client") {
      ASSIGN_OR_RETURN(limits.max_buffers_per_process, ParseCount(key, value));
    } else if (key == "--max-bytes-per-client") {
      ASSIGN_OR_RETURN(limits.max_bytes_per_process, ParseCount(key, value));
    } else if (key == "--max-buffers-per-user") {
      ASSIGN_OR_RETURN(limits.max_buffers_per_user, ParseCount(key, value));
    } else if (key == "--max-bytes-per-user") {
      ASSIGN_OR_RETURN(limits.max_bytes_per_user, ParseCount(key, value));
    } else if (key == "--max-connections-per-user") {
      ASSIGN_OR_RETURN(limits.max_connections_per_user,
                       ParseSmall(key, value, 1));
    } else if (key == "--max-clients") {
      ASSIGN_OR_RETURN(limits.max_connections, ParseSmall(key, value, 1));
    } else if (key == "--pool-budget") {
      ASSIGN_OR_RETURN(server.pool.budget_bytes, ParseSize(key, value));
      flags.pool_budget_set = true;
    } else if (key == "--pool-min-available") {
      ASSIGN_OR_RETURN(server.pool.min_available_bytes, ParseSize(key, value));
    } else if (key == "--max-watches") {
      ASSIGN_OR_RETURN(server.max_watches, ParseCount(key, value));
    } else if (key == "--workers") {
      ASSIGN_OR_RETURN(uint32_t workers, ParseSmall(key, value, 1));
      if (workers > 256) {
        return absl::InvalidArgumentError("--workers must be in 1..256");
      }
      server.workers = static_cast<int>(workers);
    } else {
      return absl::InvalidArgumentError(
          absl::StrCat("unknown argument '", arg, "'"));
    }
  }
  return flags;
}

// Every connection and every live buffer (two watches, transiently two
// fds) costs the service fds: take the hard limit.
void RaiseFdLimit() {
  rlimit limit;
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0 &&
      limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    (void)setrlimit(RLIMIT_NOFILE, &limit);
  }
}

// Tells systemd (Type=notify) that the service is ready; a no-op elsewhere.
void NotifyReady() {
  const char* path = std::getenv("NOTIFY_SOCKET");
  if (path == nullptr || path[0] == '\0') return;
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  const size_t length = std::strlen(path);
  if (length >= sizeof(address.sun_path)) return;
  std::memcpy(address.sun_path, path, length);
  if (address.sun_path[0] == '@') address.sun_path[0] = '\0';  // abstract
  UniqueFd socket(::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  if (!socket) return;
  static constexpr char kReady[] = "READY=1";
  (void)sendto(
      socket.get(), kReady, sizeof(kReady) - 1, MSG_NOSIGNAL,
      reinterpret_cast<const sockaddr*>(&address),
      static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + length));
}

std::string Limit(uint64_t value) {
  return value == 0 ? std::string("unlimited") : absl::StrCat(value);
}

absl::Status Main(int argc, char** argv) {
  ASSIGN_OR_RETURN(Flags flags, ParseFlags(argc, argv));
  const Limits limits = flags.server.limits;

  // Block the stop signals before any thread exists, so every thread
  // inherits the mask and only the signalfd sees them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGUSR1);
  if (pthread_sigmask(SIG_BLOCK, &signals, nullptr) != 0) {
    return absl::InternalError("pthread_sigmask failed");
  }
  UniqueFd signal_fd(signalfd(-1, &signals, SFD_CLOEXEC));
  if (!signal_fd) return ErrnoStatus("signalfd");
  signal(SIGPIPE, SIG_IGN);
  RaiseFdLimit();

  PlatformOptions platform_options;
  platform_options.profile_path = flags.profile_path;
  ASSIGN_OR_RETURN(Platform platform, LoadPlatform(platform_options));
  for (const std::string& note : platform.notes) {
    std::cerr << "gralloc-allocatord: " << note << "\n";
  }
  std::vector<std::string> heap_names;
  for (const std::unique_ptr<Heap>& heap : platform.heaps.heaps()) {
    heap_names.emplace_back(heap->name());
  }
  ASSIGN_OR_RETURN(std::unique_ptr<Allocator> allocator,
                   Allocator::Create(std::move(platform.profile),
                                     std::move(platform.heaps)));
  const std::string profile_name = allocator->profile().name;
  if (!flags.pool_budget_set) {
    flags.server.pool.budget_bytes = allocator->profile().pool_budget_bytes;
  }
  const uint64_t pool_budget = flags.server.pool.budget_bytes;
  ASSIGN_OR_RETURN(std::unique_ptr<Server> server,
                   Server::Create(flags.server, std::move(allocator)));
  std::cerr << "gralloc-allocatord: serving " << server->socket_path()
            << " (profile " << profile_name << "; heaps "
            << absl::StrJoin(heap_names, ", ") << "; per client "
            << Limit(limits.max_buffers_per_process) << " buffers, "
            << Limit(limits.max_bytes_per_process) << " bytes; per user "
            << Limit(limits.max_buffers_per_user) << " buffers, "
            << Limit(limits.max_bytes_per_user) << " bytes, "
            << Limit(limits.max_connections_per_user) << " connections; pool "
            << (pool_budget == 0 ? std::string("off")
                                 : absl::StrCat(pool_budget, " bytes"))
            << ")" << std::endl;
  NotifyReady();
  RETURN_IF_ERROR(server->Run(signal_fd.get()));
  server.reset();
  std::cerr << "gralloc-allocatord: stopped" << std::endl;
  return absl::OkStatus();
}

}  // namespace
}  // namespace gralloc::service

int main(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--help") == 0 ||
        std::strcmp(argv[i], "-h") == 0) {
      std::cout << gralloc::service::kUsage;
      return 0;
    }
  }
  absl::Status status = gralloc::service::Main(argc, argv);
  if (!status.ok()) {
    std::cerr << "gralloc-allocatord: " << status.message() << "\n";
    if (absl::IsInvalidArgument(status)) std::cerr << gralloc::service::kUsage;
    return absl::IsInvalidArgument(status) ? 2 : 1;
  }
  return 0;
}
