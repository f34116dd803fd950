// Copyright 2026 The gralloc for Linux Authors.
//
// gralloc-allocatord: the allocator service.
//
//   gralloc-allocatord [--socket=PATH] [--profile=FILE]
//                      [--max-buffers-per-client=N] [--max-bytes-per-client=N]
//                      [--max-clients=N] [--send-timeout-ms=N]
//                      [--mapper-library=PATH] [--quiet]
//
// Serves until SIGTERM or SIGINT, then closes every connection and exits 0.
// Under systemd (Type=notify) it reports READY=1 once the socket accepts.

#include <signal.h>
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
#include "allocator/allocator.h"
#include "allocator/heaps/heap_registry.h"
#include "allocator/platform.h"
#include "allocator/service/server.h"
#include "hal/base/status_macros.h"
#include "hal/base/unique_fd.h"

namespace gralloc::service {
namespace {

constexpr char kUsage[] =
    "usage: gralloc-allocatord [--socket=PATH] [--profile=FILE]\n"
    "         [--max-buffers-per-client=N] [--max-bytes-per-client=N]\n"
    "         [--max-clients=N] [--send-timeout-ms=N]\n"
    "         [--mapper-library=PATH] [--quiet]\n"
    "  --socket                  default /run/gralloc/allocator.sock\n"
    "  --profile                 a JSON platform profile (default: built-in)\n"
    "  --max-buffers-per-client  live buffers per client process (0: none)\n"
    "  --max-bytes-per-client    live bytes per client process (0: none)\n"
    "  --max-clients             connections at once\n"
    "  --send-timeout-ms         how long a reply waits for a slow client\n"
    "  --mapper-library          what clients are told to dlopen (default:\n"
    "                            libgralloc_mapper.so beside this binary's\n"
    "                            lib/, else the bare name)\n"
    "  --quiet                   do not log refusals\n";

struct Flags {
  ServerOptions server;
  std::string profile_path;
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

absl::StatusOr<Flags> ParseFlags(int argc, char** argv) {
  Flags flags;
  for (int i = 1; i < argc; ++i) {
    const absl::string_view arg = argv[i];
    const size_t equals = arg.find('=');
    const absl::string_view key = arg.substr(0, equals);
    const absl::string_view value =
        equals == absl::string_view::npos ? "" : arg.substr(equals + 1);
    if (arg == "--quiet") {
      flags.server.log_refusals = false;
    } else if (key == "--socket" && !value.empty()) {
      flags.server.socket_path = std::string(value);
    } else if (key == "--mapper-library" && !value.empty()) {
      flags.server.mapper_library = std::string(value);
    } else if (key == "--profile" && !value.empty()) {
      flags.profile_path = std::string(value);
    } else if (key == "--max-buffers-per-client") {
      ASSIGN_OR_RETURN(flags.server.max_buffers_per_client,
                       ParseCount(key, value));
    } else if (key == "--max-bytes-per-client") {
      ASSIGN_OR_RETURN(flags.server.max_bytes_per_client,
                       ParseCount(key, value));
    } else if (key == "--max-clients" || key == "--send-timeout-ms") {
      ASSIGN_OR_RETURN(uint64_t n, ParseCount(key, value));
      if (n < 1 || n > 1000000) {
        return absl::InvalidArgumentError(
            absl::StrCat(key, " must be in 1..1000000"));
      }
      (key == "--max-clients" ? flags.server.max_clients
                              : flags.server.send_timeout_ms) =
          static_cast<int>(n);
    } else {
      return absl::InvalidArgumentError(
          absl::StrCat("unknown argument '", arg, "'"));
    }
  }
  return flags;
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

absl::Status Main(int argc, char** argv) {
  ASSIGN_OR_RETURN(Flags flags, ParseFlags(argc, argv));

  // Block the stop signals before any thread exists, so every thread
  // inherits the mask and only the signalfd sees them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  if (pthread_sigmask(SIG_BLOCK, &signals, nullptr) != 0) {
    return absl::InternalError("pthread_sigmask failed");
  }
  UniqueFd signal_fd(signalfd(-1, &signals, SFD_CLOEXEC));
  if (!signal_fd) return ErrnoStatus("signalfd");
  signal(SIGPIPE, SIG_IGN);

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
  ASSIGN_OR_RETURN(std::unique_ptr<Server> server,
                   Server::Create(flags.server, std::move(allocator)));
  std::cerr << "gralloc-allocatord: serving " << server->socket_path()
            << " (profile " << profile_name << "; heaps "
            << absl::StrJoin(heap_names, ", ") << "; per client "
            << (flags.server.max_buffers_per_client == 0
                    ? std::string("unlimited")
                    : absl::StrCat(flags.server.max_buffers_per_client))
            << " buffers, "
            << (flags.server.max_bytes_per_client == 0
                    ? std::string("unlimited")
                    : absl::StrCat(flags.server.max_bytes_per_client))
            << " bytes)" << std::endl;
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
