// Copyright 2026 The gralloc for Linux Authors.
//
// The allocate-ahead pool in the real daemon: its budget comes from the
// profile or --pool-budget, SIGUSR1 empties it without stopping the
// service, and a bad size is refused at start.

#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "allocator/allocator.h"
#include "allocator/client/service_client.h"
#include "allocator/service/protocol.h"
#include "gtest/gtest.h"
#include "hal/base/status_matchers.h"
#include "hal/types/buffer_usage.h"
#include "hal/types/pixel_format.h"
#include "tests/integration/service_process.h"

namespace gralloc {
namespace {

using ::gralloc::testing::Eventually;
using ::gralloc::testing::IsOk;
using ::gralloc::testing::ServiceProcess;
using ::gralloc::testing::ShortSocketDir;

BufferDescriptorInfo Descriptor() {
  BufferDescriptorInfo d;
  d.name = "pool-process";
  d.width = 640;
  d.height = 480;
  d.layer_count = 1;
  d.format = FormatValue(PixelFormat::YCBCR_420_888);
  d.usage = UsageValue(BufferUsage::CPU_READ_OFTEN) |
            UsageValue(BufferUsage::CPU_WRITE_OFTEN) |
            UsageValue(BufferUsage::CAMERA_OUTPUT);
  return d;
}

service::PoolStats PoolOf(ServiceClient& client) {
  absl::StatusOr<service::StatsReply> stats = client.Stats();
  EXPECT_THAT(stats.status(), IsOk());
  return stats.ok() ? stats->pool : service::PoolStats{};
}

TEST(PoolProcessTest, SigusrOneEmptiesThePoolAndTheServiceGoesOn) {
  const std::string socket = ShortSocketDir() + "/a.sock";
  ASSERT_OK_AND_ASSIGN(
      std::unique_ptr<ServiceProcess> service,
      ServiceProcess::Start(socket,
                            {"--pool-budget=64M", "--pool-min-available=0"}));
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<ServiceClient> client,
                       ServiceClient::Connect(socket));
  ASSERT_THAT(client->Allocate(Descriptor(), 1).status(), IsOk());
  ASSERT_TRUE(Eventually([&] { return PoolOf(*client).buffers == 2; }));
  EXPECT_EQ(PoolOf(*client).budget_bytes, uint64_t{64} << 20);

  ASSERT_EQ(kill(service->pid(), SIGUSR1), 0);
  ASSERT_TRUE(Eventually([&] { return PoolOf(*client).buffers == 0; }));
  const service::PoolStats drained = PoolOf(*client);
  EXPECT_EQ(drained.bytes, 0u);
  EXPECT_GE(drained.drains, 1u);
  EXPECT_EQ(drained.dropped, 2u);

  // Still serving, and the next request refills it.
  ASSERT_OK_AND_ASSIGN(Allocation again, client->Allocate(Descriptor(), 1));
  EXPECT_EQ(again.buffers.size(), 1u);
  EXPECT_TRUE(Eventually([&] { return PoolOf(*client).buffers == 2; }));
  client.reset();
  EXPECT_THAT(service->Terminate(), IsOk());
}

TEST(PoolProcessTest, TheProfileSetsTheBudgetAndTheFlagOverridesIt) {
  const std::string dir = ShortSocketDir();
  ASSERT_TRUE(mkdir(dir.c_str(), 0700) == 0 || errno == EEXIST);
  const std::string profile = dir + "/pooled.json";
  std::ofstream(profile) << R"({"name": "pooled", "inherits": "generic",
                              "pool_budget_mib": 16})";
  {
    const std::string socket = dir + "/a.sock";
    ASSERT_OK_AND_ASSIGN(
        std::unique_ptr<ServiceProcess> service,
        ServiceProcess::Start(socket, {"--profile=" + profile}));
    ASSERT_OK_AND_ASSIGN(std::unique_ptr<ServiceClient> client,
                         ServiceClient::Connect(socket));
    EXPECT_EQ(PoolOf(*client).budget_bytes, uint64_t{16} << 20);
  }
  {
    const std::string socket = dir + "/b.sock";
    ASSERT_OK_AND_ASSIGN(std::unique_ptr<ServiceProcess> service,
                         ServiceProcess::Start(socket, {"--profile=" + profile,
                                                        "--pool-budget=0"}));
    ASSERT_OK_AND_ASSIGN(std::unique_ptr<ServiceClient> client,
                         ServiceClient::Connect(socket));
    EXPECT_EQ(PoolOf(*client).budget_bytes, 0u);
  }
}

TEST(PoolProcessTest, ABadSizeIsRefusedAtStart) {
  const std::string socket = ShortSocketDir() + "/a.sock";
  EXPECT_FALSE(ServiceProcess::Start(socket, {"--pool-budget=12X"}).ok());
  EXPECT_FALSE(
      ServiceProcess::Start(socket, {"--pool-budget=99999999999999G"}).ok());
}

}  // namespace
}  // namespace gralloc
