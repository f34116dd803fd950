// Copyright 2026 The gralloc for Linux Authors.
//
// Faults injected where the allocator meets the kernel, with the service in
// the loop:
//   * syscalls that fail on command: a seccomp filter (installed in a
//     forked child, on every thread) makes memfd_create, ftruncate,
//     pwrite, F_ADD_SEALS or inotify_add_watch fail with ENOMEM,
//     EMFILE or ENOSPC: the client gets NO_RESOURCES (or an error for the
//     others), and no fd, mapping, record or charge is left behind;
//   * EINTR: a storm of signals (a handler without SA_RESTART) at the
//     thread that allocates through the service, imports and locks; every
//     call still succeeds and nothing leaks. In the VM tier the same runs
//     on the real heaps;
//   * a client's RLIMIT_NOFILE too low to receive the fds of its buffers,
//     and RLIMIT_NPROC at zero in a client and in the service.

#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <pthread.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstddef>
#include <cstdio>
#include <fstream>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "allocator/allocator.h"
#include "allocator/client/service_client.h"
#include "allocator/heaps/heap_registry.h"
#include "allocator/platform.h"
#include "allocator/service/in_process_service.h"
#include "allocator/service/server.h"
#include "gralloc/allocator.h"
#include "gtest/gtest.h"
#include "hal/base/fd_count.h"
#include "hal/base/status_macros.h"
#include "hal/base/status_matchers.h"
#include "hal/base/unique_fd.h"
#include "hal/handle/buffer_handle.h"
#include "hal/types/buffer_usage.h"
#include "hal/types/pixel_format.h"
#include "mapper/mapper.h"
#include "tests/integration/service_process.h"

namespace gralloc {
namespace {

using ::gralloc::testing::BufferFdCount;
using ::gralloc::testing::Eventually;
using ::gralloc::testing::IsOk;
using ::gralloc::testing::OpenFdCount;
using ::gralloc::testing::ServiceProcess;
using ::gralloc::testing::ShortSocketDir;

constexpr uint64_t kCpu = UsageValue(BufferUsage::CPU_READ_OFTEN) |
                          UsageValue(BufferUsage::CPU_WRITE_OFTEN);
constexpr int kNoResources = 5;  // AIMAPPER/allocator NO_RESOURCES

GrallocBufferDescriptorInfo CDescriptor(const char* name = nullptr) {
  GrallocBufferDescriptorInfo info{};
  std::snprintf(info.name, sizeof(info.name), "%s",
                name != nullptr ? name : "fault-injection");
  info.width = 64;
  info.height = 64;
  info.layerCount = 1;
  info.format = FormatValue(PixelFormat::RGBA_8888);
  info.usage = static_cast<int64_t>(kCpu);
  return info;
}

// What this process's fds are (for a message when one leaks).
std::string FdList() {
  std::string out;
  for (int fd = 0; fd < 1024; ++fd) {
    char target[256];
    const std::string link = "/proc/self/fd/" + std::to_string(fd);
    const ssize_t n = readlink(link.c_str(), target, sizeof(target) - 1);
    if (n < 0) continue;
    target[n] = '\0';
    out += " " + std::to_string(fd) + "=" + target;
  }
  return out;
}

// Mappings of buffers (memfds and dma-bufs): what a failed allocation
// could leave mapped. (All mappings would count the sanitizers' own.)
int MappingCount() {
  std::ifstream maps("/proc/self/maps");
  int count = 0;
  for (std::string line; std::getline(maps, line);) {
    if (line.find("/memfd:") != std::string::npos ||
        line.find("dmabuf") != std::string::npos) {
      ++count;
    }
  }
  return count;
}

// Runs `body` in a forked child; its return value is an error message
// (empty: success), reported through the exit status and stderr.
void InChild(const std::function<std::string()>& body) {
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    const std::string error = body();
    if (!error.empty()) std::fprintf(stderr, "child: %s\n", error.c_str());
    std::fflush(stderr);
    _exit(error.empty() ? 0 : 1);
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
      << "the child failed (status " << status << "); see its stderr above";
}

// The service on a thread of this process, on the platform's heaps (the
// memfd fallback on the host, the real heaps in the VM tier).
absl::StatusOr<std::unique_ptr<service::InProcessService>> StartService(
    service::ServerOptions options) {
  ASSIGN_OR_RETURN(Platform platform, LoadPlatform(PlatformOptions{}));
  ASSIGN_OR_RETURN(std::unique_ptr<Allocator> allocator,
                   Allocator::Create(std::move(platform.profile),
                                     std::move(platform.heaps)));
  return service::InProcessService::Start(std::move(options),
                                          std::move(allocator));
}

// One syscall that fails with `error` when its argument `arg` (index) has
// `value` (or always, when arg < 0).
struct Fault {
  const char* label;
  int syscall;
  int error;
  int arg = -1;
  uint32_t value = 0;
  bool no_resources = true;
  // The buffer's name, if not the default.
  const char* name = nullptr;
};

// A name whose escaped form does not fit in a memfd name, so the allocator
// writes the metadata header itself (hal/metadata/metadata_buffer_name.h).
constexpr char kHeaderWrittenAtAllocation[] =
    "::::::::::::::::::::::::::::::::::::::::::::::::::::::::::::::::::::::::"
    "::::::::::::::::::::";

// Installs the fault on every thread of this process, for good.
bool InstallFault(const Fault& fault) {
  std::vector<sock_filter> program = {
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, arch)),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, nr)),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, static_cast<uint32_t>(fault.syscall),
               1, 0),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
  };
  if (fault.arg >= 0) {
    program.push_back(
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
                 static_cast<uint32_t>(offsetof(seccomp_data, args) +
                                       sizeof(uint64_t) *
                                           static_cast<size_t>(fault.arg))));
    // Jump over the ALLOW when the argument matches.
    program.push_back(BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, fault.value, 1, 0));
    program.push_back(BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW));
  }
  program.push_back(BPF_STMT(
      BPF_RET | BPF_K,
      SECCOMP_RET_ERRNO | (static_cast<uint32_t>(fault.error) & 0xffff)));
  sock_fprog fprog{static_cast<unsigned short>(program.size()), program.data()};
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) return false;
  return syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
                 SECCOMP_FILTER_FLAG_TSYNC, &fprog) == 0;
}

class SyscallFaultTest : public ::testing::TestWithParam<Fault> {};

TEST_P(SyscallFaultTest, TheClientGetsAnErrorAndNothingLeaks) {
  InChild([]() -> std::string {
    const Fault& fault = GetParam();
    service::ServerOptions options;
    options.log_refusals = false;
    absl::StatusOr<std::unique_ptr<service::InProcessService>> service =
        StartService(options);
    if (!service.ok()) return service.status().ToString();
    service::Server& server = (*service)->server();
    GrallocAllocator* client = nullptr;
    if (GrallocAllocator_connect((*service)->socket().c_str(), &client) != 0) {
      return "connect failed";
    }
    const GrallocBufferDescriptorInfo info = CDescriptor(fault.name);
    int32_t stride = 0;
    native_handle_t* buffer = nullptr;
    // One good allocation first, so lazily made state is in place; then
    // wait for its charges to end, so the ledger starts empty.
    std::string error;
    if (GrallocAllocator_allocate2(client, &info, 1, &stride, &buffer) != 0) {
      error = "the allocation before the fault failed";
    } else {
      native_handle_close(buffer);
      native_handle_delete(buffer);
      buffer = nullptr;
      if (!Eventually([&] { return server.ledger().charges() == 0; })) {
        error = "the warm-up buffer's charges never ended";
      }
    }
    const uint64_t refusals = server.Snapshot().refusals_total;
    const int fds = OpenFdCount();
    const int maps = MappingCount();
    if (error.empty() && !InstallFault(fault)) {
      error =
          std::string("cannot install seccomp filter: ") + std::strerror(errno);
    }
    if (error.empty()) {
      const int result =
          GrallocAllocator_allocate2(client, &info, 2, &stride, &buffer);
      if (result == 0) {
        error = "the allocation succeeded despite the fault";
      } else if (fault.no_resources && result != kNoResources) {
        error = "expected NO_RESOURCES, got " + std::to_string(result);
      } else if (buffer != nullptr) {
        error = "a failed allocation returned a buffer";
      } else if (OpenFdCount() != fds) {
        error = "fds leaked: " + std::to_string(fds) + " -> " +
                std::to_string(OpenFdCount()) + ":" + FdList();
      } else if (MappingCount() != maps) {
        error = "mappings leaked: " + std::to_string(maps) + " -> " +
                std::to_string(MappingCount());
      } else if (server.ledger().charges() != 0) {
        error = "the ledger kept charges of a failed allocation";
      } else if (server.Snapshot().refusals_total != refusals + 1) {
        error = "the refusal was not counted";
      }
    }
    GrallocAllocator_close(client);
    return error;
  });
}

INSTANTIATE_TEST_SUITE_P(
    Faults, SyscallFaultTest,
    ::testing::Values(
        Fault{"memfd_create_ENOMEM", SYS_memfd_create, ENOMEM},
        Fault{"memfd_create_EMFILE", SYS_memfd_create, EMFILE},
        Fault{"ftruncate_ENOMEM", SYS_ftruncate, ENOMEM},
        // The metadata header's pwrite, for a name too long to carry it
        // (the allocator maps nothing).
        Fault{"pwrite_ENOMEM", SYS_pwrite64, ENOMEM, -1, 0, true,
              kHeaderWrittenAtAllocation},
        // fcntl(F_ADD_SEALS): an error, not necessarily NO_RESOURCES.
        Fault{"add_seals_EPERM", SYS_fcntl, EPERM, 1, 1033,
              /*no_resources=*/false}),
    // (inotify_add_watch comes after the answer: a service at its count of
    // memory watches refuses before allocating, WatchLimitTest; the
    // kernel's ENOSPC alone is NoWatchLeftTest.)
    [](const ::testing::TestParamInfo<Fault>& param_info) {
      return std::string(param_info.param.label);
    });

BufferDescriptorInfo Descriptor(const char* name) {
  BufferDescriptorInfo descriptor;
  descriptor.name = name;
  descriptor.width = 64;
  descriptor.height = 64;
  descriptor.layer_count = 1;
  descriptor.format = FormatValue(PixelFormat::RGBA_8888);
  descriptor.usage = kCpu;
  return descriptor;
}

// The service on a thread of this process and a client of it.
struct ServiceAndClient {
  std::unique_ptr<service::InProcessService> service;
  std::unique_ptr<ServiceClient> client;
};
absl::StatusOr<ServiceAndClient> StartWithClient(
    service::ServerOptions options) {
  ServiceAndClient both;
  ASSIGN_OR_RETURN(both.service, StartService(std::move(options)));
  ASSIGN_OR_RETURN(both.client, ServiceClient::Connect(both.service->socket()));
  return both;
}

// A service whose memory watches would pass its limit refuses the
// allocation, saying how to raise it, and leaks nothing; once a buffer's
// memory is gone, its watches are free again.
TEST(WatchLimitTest, AtItsLimitTheServiceRefusesAndThenRecovers) {
  service::ServerOptions options;
  options.log_refusals = false;
  options.max_watches = 3;  // room for one buffer's two
  ASSERT_OK_AND_ASSIGN(ServiceAndClient started, StartWithClient(options));
  std::unique_ptr<service::InProcessService>& service = started.service;
  std::unique_ptr<ServiceClient>& client = started.client;
  const BufferDescriptorInfo descriptor = Descriptor("watch-limit");
  std::optional<Allocation> first;
  {
    ASSERT_OK_AND_ASSIGN(Allocation one, client->Allocate(descriptor, 1));
    first = std::move(one);
  }
  // The service closes its copies of the fds once it has watched them:
  // then the client's two are the only buffer fds in the process.
  ASSERT_TRUE(Eventually([&] { return BufferFdCount() == 2; })) << FdList();
  const size_t charges = service->server().ledger().charges();
  absl::StatusOr<Allocation> refused = client->Allocate(descriptor, 1);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_NE(refused.status().message().find("max_user_watches"),
            std::string::npos)
      << refused.status();
  EXPECT_EQ(BufferFdCount(), 2) << FdList();
  EXPECT_EQ(service->server().ledger().charges(), charges);

  first.reset();
  EXPECT_TRUE(Eventually([&] { return client->Allocate(descriptor, 1).ok(); }));
}

// The kernel refuses a watch the service's own count had room for (other
// processes of its user hold the rest): the buffer was answered already,
// so it is served, its charges end with its record (as without inotify),
// and nothing leaks.
TEST(NoWatchLeftTest, TheBufferIsServedAndChargedUntilItsRecordGoes) {
  InChild([]() -> std::string {
    service::ServerOptions options;
    options.log_refusals = false;
    options.limits.max_buffers_per_process = 1;
    absl::StatusOr<ServiceAndClient> started = StartWithClient(options);
    if (!started.ok()) return started.status().ToString();
    std::unique_ptr<service::InProcessService>& service = started->service;
    std::unique_ptr<ServiceClient>& client = started->client;
    if (!InstallFault(
            Fault{"inotify_add_watch_ENOSPC", SYS_inotify_add_watch, ENOSPC})) {
      return "cannot install seccomp filter";
    }
    const BufferDescriptorInfo descriptor = Descriptor("no-watch-left");
    absl::StatusOr<Allocation> first = client->Allocate(descriptor, 1);
    if (!first.ok()) return first.status().ToString();
    const uint64_t id = first->buffers[0].info.buffer_id;
    if (client->Allocate(descriptor, 1).ok()) {
      return "the quota did not hold";
    }
    if (!client->Release(id).ok()) return "release failed";
    // The client still holds the memory; unwatched, its charge ended with
    // the record.
    if (!Eventually([&] { return client->Allocate(descriptor, 1).ok(); })) {
      return "the charge of an unwatched buffer outlived its record";
    }
    first = absl::StatusOr<Allocation>(absl::CancelledError("closed"));
    client.reset();
    // The second buffer's record goes with the connection, and its charges.
    if (!Eventually(
            [&] { return service->server().ledger().charges() == 0; })) {
      return "an unwatched buffer's charges outlived its connection";
    }
    if (service->server().ledger().records() != 0) {
      return "an unwatched buffer's record stayed as an orphan";
    }
    return "";
  });
}

// A kernel without inotify (CONFIG_INOTIFY_USER off): the service still
// serves, and a charge ends with its record instead of with the memory.
TEST(NoInotifyTest, TheServiceServesAndChargesFollowTheRecords) {
  InChild([]() -> std::string {
    if (!InstallFault(
            Fault{"inotify_init1_ENOSYS", SYS_inotify_init1, ENOSYS})) {
      return "cannot install seccomp filter";
    }
    service::ServerOptions options;
    options.limits.max_buffers_per_process = 1;
    absl::StatusOr<ServiceAndClient> started = StartWithClient(options);
    if (!started.ok()) return started.status().ToString();
    std::unique_ptr<ServiceClient>& client = started->client;
    const BufferDescriptorInfo descriptor = Descriptor("no-inotify");
    absl::StatusOr<Allocation> first = client->Allocate(descriptor, 1);
    if (!first.ok()) return first.status().ToString();
    absl::StatusOr<HandleInfo> info =
        DecodeHandle(first->buffers[0].handle.get());
    if (!info.ok()) return info.status().ToString();
    if (client->Allocate(descriptor, 1).ok()) return "the quota did not hold";
    if (!client->Release(info->buffer_id).ok()) return "release failed";
    if (!client->Allocate(descriptor, 1).ok()) {
      return "the charge outlived the record without inotify";
    }
    return "";
  });
}

// Signals at the allocating thread: every blocking call on the path
// (sendmsg, recvmsg, ioctls on real heaps) may return EINTR, and must be
// retried, not reported.
std::atomic<int> signals_received{0};
void OnSignal(int) { signals_received.fetch_add(1); }

TEST(EintrTest, ASignalStormNeverFailsACallOrLeaks) {
  struct sigaction action {};
  action.sa_handler = OnSignal;  // no SA_RESTART: calls return EINTR
  sigemptyset(&action.sa_mask);
  ASSERT_EQ(sigaction(SIGUSR1, &action, nullptr), 0);
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<service::InProcessService> service,
                       StartService(service::ServerOptions{}));
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<ServiceClient> client,
                       ServiceClient::Connect(service->socket()));
  BufferDescriptorInfo descriptor;
  descriptor.name = "eintr";
  descriptor.width = 256;
  descriptor.height = 256;
  descriptor.layer_count = 1;
  descriptor.format = FormatValue(PixelFormat::RGBA_8888);
  descriptor.usage = kCpu;
  // Warm up, then count once the server (in this process) has closed its
  // copies of the warm-up buffer's fds.
  { ASSERT_THAT(client->Allocate(descriptor, 1).status(), IsOk()); }
  int fds = OpenFdCount();
  for (int i = 0; i < 100; ++i) {
    usleep(10000);
    if (OpenFdCount() == fds) break;
    fds = OpenFdCount();
  }

  std::atomic<bool> done{false};
  std::atomic<int> signals{0};
  const pthread_t target = pthread_self();
  std::thread storm([&] {
    while (!done.load()) {
      pthread_kill(target, SIGUSR1);
      signals.fetch_add(1);
      usleep(20);
    }
  });
  mapper::Mapper mapper;
  int failures = 0;
  int rounds = 0;
  // At least 300 rounds, and on until 300 signals have landed (a loaded
  // machine may starve the storm thread), within 100,000 rounds.
  signals_received.store(0);
  for (; (rounds < 300 || signals_received.load() < 300) && rounds < 100000;
       ++rounds) {
    absl::StatusOr<Allocation> allocation = client->Allocate(descriptor, 1);
    if (!allocation.ok()) {
      ADD_FAILURE() << "allocate: " << allocation.status();
      ++failures;
      continue;
    }
    absl::StatusOr<buffer_handle_t> handle =
        mapper.Import(allocation->buffers[0].handle.get());
    if (!handle.ok()) {
      ADD_FAILURE() << "import: " << handle.status();
      ++failures;
      continue;
    }
    {
      absl::StatusOr<std::shared_ptr<mapper::Buffer>> buffer =
          mapper.Get(*handle);
      if (buffer.ok()) {
        absl::StatusOr<mapper::LockGuard> lock =
            mapper::LockGuard::Acquire(**buffer, kCpu, Rect{}, UniqueFd());
        if (lock.ok()) {
          static_cast<uint8_t*>(lock->data())[0] = 1;
        } else {
          ADD_FAILURE() << "lock: " << lock.status();
          ++failures;
        }
      }
    }
    EXPECT_THAT(mapper.Free(*handle), IsOk());
    if (failures > 5) break;
  }
  done.store(true);
  storm.join();
  EXPECT_EQ(failures, 0);
  EXPECT_GE(signals_received.load(), 300) << signals.load() << " sent";
  EXPECT_TRUE(Eventually([&] { return OpenFdCount() == fds; }))
      << fds << " -> " << OpenFdCount() << ":" << FdList();
  signal(SIGUSR1, SIG_DFL);
}

TEST(RlimitTest, AClientThatCannotReceiveTheFdsGetsAnErrorAndNothingLeaks) {
  ASSERT_OK_AND_ASSIGN(
      std::unique_ptr<ServiceProcess> service,
      ServiceProcess::Start(ShortSocketDir() + "/a.sock", {"--quiet"}));
  const std::string socket = service->socket_path();
  InChild([&]() -> std::string {
    GrallocAllocator* client = nullptr;
    if (GrallocAllocator_connect(socket.c_str(), &client) != 0) {
      return "connect failed";
    }
    const GrallocBufferDescriptorInfo info = CDescriptor();
    int32_t stride = 0;
    native_handle_t* buffers[4] = {};
    // Room for one more fd: two buffers bring four.
    const int fds = OpenFdCount();
    rlimit old;
    getrlimit(RLIMIT_NOFILE, &old);
    const rlimit low{static_cast<rlim_t>(fds + 1), old.rlim_max};
    if (setrlimit(RLIMIT_NOFILE, &low) != 0) return "setrlimit failed";
    const int result =
        GrallocAllocator_allocate2(client, &info, 2, &stride, buffers);
    setrlimit(RLIMIT_NOFILE, &old);
    if (result == 0) return "allocated though the fds could not arrive";
    if (buffers[0] != nullptr) return "a failed allocation returned buffers";
    // (The connection may have ended: a reply whose fds cannot all arrive
    // is not trusted.)
    if (OpenFdCount() > fds) {
      return "fds leaked in the client: " + std::to_string(fds) + " -> " +
             std::to_string(OpenFdCount()) + ":" + FdList();
    }
    GrallocAllocator_close(client);
    return "";
  });
  // The fds the kernel dropped are closed memory: the service's charges
  // and records of them go.
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<ServiceClient> observer,
                       ServiceClient::Connect(socket));
  EXPECT_TRUE(Eventually([&] {
    absl::StatusOr<service::StatsReply> stats = observer->Stats();
    return stats.ok() && stats->live_buffers == 0 && stats->live_bytes == 0;
  }));
}

// A service that cannot get its threads says so and exits; it never aborts
// (a thread per connection used to end in std::system_error and SIGABRT).
TEST(RlimitTest, AServiceThatCannotStartItsWorkersFailsCleanly) {
  if (geteuid() != 0) {
    GTEST_SKIP() << "needs root: RLIMIT_NPROC binds only an unprivileged "
                    "user, so the test drops to one in a child";
  }
  // A socket directory the unprivileged user may create its socket in.
  const std::string dir = ShortSocketDir();
  ASSERT_EQ(mkdir(dir.c_str(), 0700), 0);
  ASSERT_EQ(chown(dir.c_str(), 65534, 65534), 0);
  ASSERT_EQ(chmod(dir.substr(0, dir.rfind('/')).c_str(), 0755), 0);
  InChild([&]() -> std::string {
    if (setgid(65534) != 0 || setuid(65534) != 0) return "setuid failed";
    const rlimit none{0, 0};
    if (setrlimit(RLIMIT_NPROC, &none) != 0) return "setrlimit failed";
    service::ServerOptions options;
    options.socket_path = dir + "/a.sock";
    options.workers = 4;
    absl::StatusOr<std::unique_ptr<service::InProcessService>> service =
        StartService(options);
    if (service.ok()) return "the service started without its workers";
    if (!absl::IsResourceExhausted(service.status()) ||
        service.status().message().find("worker thread") == std::string::npos) {
      return service.status().ToString();
    }
    return "";
  });
}

TEST(RlimitTest, NoProcessesLeftInTheServiceOrTheClientIsFine) {
  ASSERT_OK_AND_ASSIGN(
      std::unique_ptr<ServiceProcess> service,
      ServiceProcess::Start(ShortSocketDir() + "/a.sock", {"--quiet"}));
  // The service made its threads at start; it needs no more.
  const rlimit none{0, 0};
  ASSERT_EQ(prlimit(service->pid(), RLIMIT_NPROC, &none, nullptr), 0);
  const std::string socket = service->socket_path();
  InChild([&]() -> std::string {
    if (setrlimit(RLIMIT_NPROC, &none) != 0) return "setrlimit failed";
    absl::StatusOr<std::unique_ptr<ServiceClient>> client =
        ServiceClient::Connect(socket);
    if (!client.ok()) return client.status().ToString();
    BufferDescriptorInfo descriptor;
    descriptor.name = "nproc";
    descriptor.width = 64;
    descriptor.height = 64;
    descriptor.layer_count = 1;
    descriptor.format = FormatValue(PixelFormat::RGBA_8888);
    descriptor.usage = kCpu;
    mapper::Mapper mapper;
    for (int i = 0; i < 20; ++i) {
      absl::StatusOr<Allocation> allocation =
          (*client)->Allocate(descriptor, 2);
      if (!allocation.ok()) return allocation.status().ToString();
      absl::StatusOr<buffer_handle_t> handle =
          mapper.Import(allocation->buffers[0].handle.get());
      if (!handle.ok()) return handle.status().ToString();
      if (!mapper.Free(*handle).ok()) return "free failed";
    }
    return "";
  });
  EXPECT_THAT(service->Terminate(), IsOk());
}

}  // namespace
}  // namespace gralloc
