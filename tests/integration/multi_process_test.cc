// Copyright 2026 The gralloc for Linux Authors.
//
// Many client processes against one gralloc-allocatord process: 16 forked
// clients x 200 rounds of allocate -> import -> lock/write -> lock/read ->
// free -> release, and the service's open fds and memory flat afterwards.

#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "allocator/allocator.h"
#include "allocator/client/service_client.h"
#include "gtest/gtest.h"
#include "hal/base/status_matchers.h"
#include "hal/base/unique_fd.h"
#include "hal/handle/buffer_handle.h"
#include "hal/types/buffer_usage.h"
#include "hal/types/pixel_format.h"
#include "mapper/mapper.h"
#include "tests/integration/service_process.h"

namespace gralloc {
namespace {

using ::gralloc::testing::Eventually;
using ::gralloc::testing::ServiceProcess;

constexpr int kClients = 16;
constexpr int kRounds = 200;
constexpr uint64_t kCpu = UsageValue(BufferUsage::CPU_READ_OFTEN) |
                          UsageValue(BufferUsage::CPU_WRITE_OFTEN);

#ifdef GRALLOC_UNDER_SANITIZER
constexpr int64_t kRssSlackBytes = 48 << 20;
#else
constexpr int64_t kRssSlackBytes = 16 << 20;
#endif

BufferDescriptorInfo Descriptor(int client) {
  BufferDescriptorInfo d;
  d.name = "multi-process";
  d.width = 64 + client;
  d.height = 48;
  d.layer_count = 1;
  d.format = FormatValue(PixelFormat::RGBA_8888);
  d.usage = kCpu;
  return d;
}

// One client process's work; returns 0 or the number of the failed step.
int ClientMain(const std::string& socket, int client, int rounds) {
  auto connected = ServiceClient::Connect(socket);
  if (!connected.ok()) return 10;
  ServiceClient& allocator = **connected;
  mapper::Mapper mapper;
  for (int round = 0; round < rounds; ++round) {
    auto allocation = allocator.Allocate(Descriptor(client), 1);
    if (!allocation.ok() || allocation->buffers.size() != 1) return 11;
    const native_handle_t* raw = allocation->buffers[0].handle.get();
    auto info = DecodeHandle(raw);
    if (!info.ok()) return 12;
    auto handle = mapper.Import(raw);
    if (!handle.ok()) return 13;
    auto buffer = mapper.Get(*handle);
    if (!buffer.ok()) return 14;
    const uint8_t pattern = static_cast<uint8_t>(client * 16 + round);
    {
      auto lock = mapper::LockGuard::Acquire(
          **buffer, UsageValue(BufferUsage::CPU_WRITE_OFTEN), Rect{},
          UniqueFd());
      if (!lock.ok()) return 15;
      std::memset(lock->data(), pattern, info->allocation_size);
    }
    {
      auto lock = mapper::LockGuard::Acquire(
          **buffer, UsageValue(BufferUsage::CPU_READ_OFTEN), Rect{},
          UniqueFd());
      if (!lock.ok()) return 16;
      const auto* bytes = static_cast<const uint8_t*>(lock->data());
      if (bytes[0] != pattern || bytes[info->allocation_size - 1] != pattern) {
        return 17;
      }
    }
    buffer->reset();
    if (!mapper.Free(*handle).ok()) return 18;
    if (!allocator.Release(info->buffer_id).ok()) return 19;
  }
  return 0;
}

// Forks `kClients` processes running ClientMain; expects all to succeed.
void RunClients(const std::string& socket, int rounds) {
  std::vector<pid_t> children;
  for (int client = 0; client < kClients; ++client) {
    const pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) _exit(ClientMain(socket, client, rounds));
    children.push_back(pid);
  }
  for (size_t i = 0; i < children.size(); ++i) {
    int status = 0;
    ASSERT_EQ(waitpid(children[i], &status, 0), children[i]);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
        << "client " << i << " failed at step " << WEXITSTATUS(status);
  }
}

// Waits until the service has no buffers and no client but `observer`.
bool Idle(ServiceClient& observer) {
  return Eventually([&] {
    auto stats = observer.Stats();
    return stats.ok() && stats->live_buffers == 0 && stats->connections == 1;
  });
}

TEST(MultiProcessTest, SixteenClientsTwoHundredRoundsLeaveTheServiceFlat) {
  const std::string socket = testing::ShortSocketDir() + "/allocator.sock";
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<ServiceProcess> service,
                       ServiceProcess::Start(socket, {"--quiet"}));
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<ServiceClient> observer,
                       ServiceClient::Connect(socket));

  // A warm-up pass brings the service to its steady state (thread stacks,
  // allocator arenas); the measured pass must not grow it.
  RunClients(socket, kRounds / 4);
  ASSERT_TRUE(Idle(*observer));
  const int fds_before = service->SettledFdCount();
  const int64_t rss_before = service->RssBytes();
  ASSERT_GT(fds_before, 0);
  ASSERT_GT(rss_before, 0);

  RunClients(socket, kRounds);
  ASSERT_TRUE(Idle(*observer));
  ASSERT_OK_AND_ASSIGN(service::StatsReply stats, observer->Stats());
  EXPECT_EQ(stats.allocations_total,
            uint64_t{kClients} * (kRounds + kRounds / 4));
  EXPECT_EQ(stats.live_bytes, 0u);
  EXPECT_EQ(stats.refusals_total, 0u);

  EXPECT_TRUE(Eventually([&] { return service->OpenFdCount() == fds_before; }))
      << "service fds: " << service->OpenFdCount() << " after, " << fds_before
      << " before";
  const int64_t rss_after = service->RssBytes();
  EXPECT_LE(rss_after, rss_before + kRssSlackBytes)
      << "service RSS grew from " << rss_before << " to " << rss_after;
  std::printf("service: %d fds before and after; RSS %lld -> %lld bytes\n",
              fds_before, static_cast<long long>(rss_before),
              static_cast<long long>(rss_after));
  observer.reset();
  EXPECT_OK(service->Terminate());
}

}  // namespace
}  // namespace gralloc
