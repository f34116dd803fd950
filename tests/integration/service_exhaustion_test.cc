// Copyright 2026 The gralloc for Linux Authors.
//
// gralloc-allocatord under resource exhaustion, as a real process: it never
// needs a thread after start, never spins when out of fds, cannot be locked
// out by one user's idle connections, and keeps its log honest and small
// whatever a client sends, and refuses allocations at its limit of memory
// watches.

#include <fcntl.h>
#include <grp.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "allocator/allocator.h"
#include "allocator/client/service_client.h"
#include "allocator/service/protocol.h"
#include "allocator/service/seqpacket.h"
#include "gtest/gtest.h"
#include "hal/base/status_matchers.h"
#include "hal/base/unique_fd.h"
#include "hal/types/buffer_usage.h"
#include "hal/types/pixel_format.h"
#include "tests/integration/service_process.h"

namespace gralloc::testing {
namespace {

using ::gralloc::ServiceClient;

BufferDescriptorInfo Cpu() {
  BufferDescriptorInfo d;
  d.name = "exhaustion";
  d.width = 64;
  d.height = 64;
  d.layer_count = 1;
  d.format = FormatValue(PixelFormat::RGBA_8888);
  d.usage = UsageValue(BufferUsage::CPU_READ_OFTEN) |
            UsageValue(BufferUsage::CPU_WRITE_OFTEN);
  return d;
}

void SleepMs(int ms) {
  timespec t{ms / 1000, (ms % 1000) * 1000000L};
  nanosleep(&t, nullptr);
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

int CountLines(const std::string& text, const std::string& containing) {
  std::istringstream in(text);
  int count = 0;
  for (std::string line; std::getline(in, line);) {
    if (line.find(containing) != std::string::npos) ++count;
  }
  return count;
}

TEST(ServiceExhaustionTest, ThreadsAreFixedAtStartNotPerConnection) {
  const std::string socket = ShortSocketDir() + "/a.sock";
  ASSERT_OK_AND_ASSIGN(
      std::unique_ptr<ServiceProcess> service,
      ServiceProcess::Start(socket,
                            {"--workers=3", "--max-connections-per-user=1000",
                             "--max-clients=1000"}));
  // The event loop and three workers (plus a sanitizer's own thread). The
  // socket may accept a moment before the last worker has started.
  EXPECT_TRUE(Eventually([&] { return service->ThreadCount() >= 4; }));
  SleepMs(200);
  const int threads = service->ThreadCount();
  EXPECT_LE(threads, 5);
  std::vector<std::unique_ptr<ServiceClient>> idle;
  for (int i = 0; i < 300; ++i) {
    ASSERT_OK_AND_ASSIGN(std::unique_ptr<ServiceClient> client,
                         ServiceClient::Connect(socket));
    ASSERT_THAT(client->Stats().status(), IsOk());
    idle.push_back(std::move(client));
  }
  EXPECT_EQ(service->ThreadCount(), threads);
  ASSERT_OK_AND_ASSIGN(service::StatsReply stats, idle[0]->Stats());
  EXPECT_EQ(stats.connections, 300u);
  idle.clear();
  EXPECT_THAT(service->Terminate(), IsOk());
}

TEST(ServiceExhaustionTest, AcceptAtTheFdLimitBacksOffInsteadOfSpinning) {
  const std::string dir = ShortSocketDir();
  const std::string socket = dir + "/a.sock";
  const std::string log = dir + ".log";
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<ServiceProcess> service,
                       ServiceProcess::Start(socket, {}, log));
  // Every path a connection takes, once, before fds run out: UBSan checks
  // a type the first time it sees it, with a pipe (a false "invalid vptr"
  // when no fd is left for it).
  const int idle = service->OpenFdCount();
  {
    ASSERT_OK_AND_ASSIGN(std::unique_ptr<ServiceClient> client,
                         ServiceClient::Connect(socket));
    ASSERT_THAT(client->Allocate(Cpu(), 1).status(), IsOk());
  }
  ASSERT_TRUE(Eventually([&] { return service->OpenFdCount() == idle; }));
  // Room for the service's own fds and a few connections only.
  const int base = service->OpenFdCount();
  ASSERT_GT(base, 0);
  rlimit normal;
  ASSERT_EQ(prlimit(service->pid(), RLIMIT_NOFILE, nullptr, &normal), 0);
  const rlimit limit{static_cast<rlim_t>(base + 8), normal.rlim_max};
  ASSERT_EQ(prlimit(service->pid(), RLIMIT_NOFILE, &limit, nullptr), 0);
  std::vector<UniqueFd> connections;
  for (int i = 0; i < 40; ++i) {
    ASSERT_OK_AND_ASSIGN(UniqueFd connection,
                         service::ConnectSeqpacket(socket));
    connections.push_back(std::move(connection));
  }
  // Out of fds with connections waiting: a spinning loop would burn a
  // whole core; backing off costs next to nothing.
  SleepMs(500);
  const int64_t before = service->CpuTicks();
  SleepMs(2000);
  const int64_t used = service->CpuTicks() - before;
  const int64_t hz = sysconf(_SC_CLK_TCK);
  EXPECT_LT(used, hz) << "the service used " << used << " ticks in 2 s";
  // It says so, a bounded number of times.
  const int lines = CountLines(ReadFile(log), "accept: Too many open files");
  EXPECT_GE(lines, 1);
  EXPECT_LE(lines, 40);
  // And serves again once fds are free.
  connections.clear();
  ASSERT_EQ(prlimit(service->pid(), RLIMIT_NOFILE, &normal, nullptr), 0);
  EXPECT_TRUE(Eventually([&] {
    absl::StatusOr<std::unique_ptr<ServiceClient>> client =
        ServiceClient::Connect(socket);
    return client.ok() && (*client)->Allocate(Cpu(), 1).ok();
  }));
  EXPECT_THAT(service->Terminate(), IsOk());
  if (HasFailure()) {
    const std::string text = ReadFile(log);
    std::printf(
        "the service's log (last 4 KiB):\n%s\n",
        text.substr(text.size() > 4096 ? text.size() - 4096 : 0).c_str());
  }
}

TEST(ServiceExhaustionTest, ConnectionsAreCappedPerUserWithAClearError) {
  const std::string socket = ShortSocketDir() + "/a.sock";
  ASSERT_OK_AND_ASSIGN(
      std::unique_ptr<ServiceProcess> service,
      ServiceProcess::Start(socket, {"--max-connections-per-user=5"}));
  std::vector<std::unique_ptr<ServiceClient>> clients;
  for (int i = 0; i < 5; ++i) {
    ASSERT_OK_AND_ASSIGN(std::unique_ptr<ServiceClient> client,
                         ServiceClient::Connect(socket));
    ASSERT_THAT(client->Stats().status(), IsOk());
    clients.push_back(std::move(client));
  }
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<ServiceClient> extra,
                       ServiceClient::Connect(socket));
  EXPECT_THAT(extra->Stats().status(),
              StatusIs(absl::StatusCode::kResourceExhausted,
                       ::testing::HasSubstr("per user")));
  clients.pop_back();
  EXPECT_TRUE(Eventually([&] {
    absl::StatusOr<std::unique_ptr<ServiceClient>> client =
        ServiceClient::Connect(socket);
    return client.ok() && (*client)->Stats().ok();
  }));
}

TEST(ServiceExhaustionTest, AtItsWatchLimitTheServiceRefusesAllocations) {
  const std::string socket = ShortSocketDir() + "/a.sock";
  // Room for two buffers' memory watches.
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<ServiceProcess> service,
                       ServiceProcess::Start(socket, {"--max-watches=4"}));
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<ServiceClient> client,
                       ServiceClient::Connect(socket));
  ASSERT_OK_AND_ASSIGN(Allocation two, client->Allocate(Cpu(), 2));
  EXPECT_THAT(client->Allocate(Cpu(), 1).status(),
              StatusIs(absl::StatusCode::kResourceExhausted,
                       ::testing::HasSubstr("max_user_watches")));
  two.buffers.pop_back();
  EXPECT_TRUE(Eventually([&] { return client->Allocate(Cpu(), 1).ok(); }));
  EXPECT_FALSE(
      ServiceProcess::Start(ShortSocketDir() + "/b.sock", {"--max-watches=x"})
          .ok());
}

TEST(ServiceExhaustionTest, IdleConnectionsOfOneUserDoNotLockOthersOut) {
  if (geteuid() != 0) {
    GTEST_SKIP() << "needs root to connect as a second user";
  }
  const std::string dir = ShortSocketDir();
  const std::string socket = dir + "/a.sock";
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<ServiceProcess> service,
                       ServiceProcess::Start(socket, {"--socket-mode=0666"}));
  // Let another user reach the socket.
  for (std::string path = dir; path.size() > 1;
       path = path.substr(0, path.rfind('/'))) {
    chmod(path.c_str(), 0755);
    if (path.rfind('/') == 0) break;
  }
  int ready[2];
  int release[2];
  ASSERT_EQ(pipe(ready), 0);
  ASSERT_EQ(pipe(release), 0);
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    close(ready[0]);
    close(release[1]);
    if (setgroups(0, nullptr) != 0 || setgid(65534) != 0 ||
        setuid(65534) != 0) {
      _exit(2);
    }
    // Hundreds of idle connections, held open.
    std::vector<UniqueFd> held;
    for (int i = 0; i < 400; ++i) {
      absl::StatusOr<UniqueFd> connection = service::ConnectSeqpacket(socket);
      if (connection.ok()) held.push_back(std::move(*connection));
    }
    (void)!write(ready[1], "x", 1);
    char byte;
    (void)!read(release[0], &byte, 1);
    _exit(0);
  }
  close(ready[1]);
  close(release[0]);
  char byte;
  ASSERT_EQ(read(ready[0], &byte, 1), 1);
  close(ready[0]);
  // Another user is served all the same.
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<ServiceClient> client,
                       ServiceClient::Connect(socket));
  EXPECT_THAT(client->Allocate(Cpu(), 2).status(), IsOk());
  close(release[1]);
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
}

TEST(ServiceExhaustionTest, LogLinesAreEscapedAndRateLimited) {
  const std::string dir = ShortSocketDir();
  const std::string socket = dir + "/a.sock";
  const std::string log = dir + ".log";
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<ServiceProcess> service,
                       ServiceProcess::Start(socket, {}, log));
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<ServiceClient> client,
                       ServiceClient::Connect(socket));
  // An option name that would forge a log line if written as it is.
  BufferDescriptorInfo forged = Cpu();
  forged.additional_options.push_back(
      {"x\ngralloc-allocatord: FORGED line", 1});
  timespec start;
  clock_gettime(CLOCK_MONOTONIC, &start);
  for (int i = 0; i < 3000; ++i) {
    ASSERT_THAT(client->Allocate(forged, 1).status(),
                StatusIs(absl::StatusCode::kUnimplemented));
  }
  timespec end;
  clock_gettime(CLOCK_MONOTONIC, &end);
  const double seconds =
      static_cast<double>(end.tv_sec - start.tv_sec) +
      1e-9 * static_cast<double>(end.tv_nsec - start.tv_nsec);
  EXPECT_THAT(service->Terminate(), IsOk());
  const std::string text = ReadFile(log);
  EXPECT_EQ(CountLines(text, "FORGED"),
            CountLines(text, "x\\x0agralloc-allocatord: FORGED"));
  EXPECT_GE(CountLines(text, "FORGED"), 1);
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    EXPECT_NE(line.rfind("gralloc-allocatord: FORGED", 0), 0u) << line;
  }
  // The default budget: 200 at once, 20 a second after that.
  EXPECT_LE(CountLines(text, "refused"), 200 + 20 * (seconds + 1));
  // What was dropped is reported, by a later line or as the service stops,
  // however fast the refusals came.
  EXPECT_GE(CountLines(text, "lines suppressed"), 1);
}

}  // namespace
}  // namespace gralloc::testing
