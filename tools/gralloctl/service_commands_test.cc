// Copyright 2026 The gralloc for Linux Authors.

#include <stdlib.h>

#include <cstdlib>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "allocator/allocator.h"
#include "allocator/heaps/heap_registry.h"
#include "allocator/heaps/memfd_heap.h"
#include "allocator/negotiation/profile.h"
#include "allocator/service/server.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "hal/base/short_temp_dir.h"
#include "tools/gralloctl/commands.h"

namespace gralloc::cli {
namespace {

using ::testing::HasSubstr;

class ServiceCommandsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(dir_.path().empty());
    socket_ = dir_.File("a.sock");
    std::vector<std::unique_ptr<Heap>> heaps;
    heaps.push_back(std::make_unique<MemfdHeap>());
    auto allocator =
        Allocator::Create(BuiltinProfile(), HeapRegistry(std::move(heaps)));
    ASSERT_TRUE(allocator.ok());
    service::ServerOptions options;
    options.socket_path = socket_;
    options.log_refusals = false;
    auto server =
        service::Server::Create(options, std::move(allocator).value());
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(server).value();
    thread_ = std::thread([this] { (void)server_->Run(); });
  }
  testing::ShortTempDir dir_;
  void TearDown() override {
    if (server_ == nullptr) return;
    server_->Stop();
    thread_.join();
    server_.reset();
  }
  std::string Run(absl::Status (*command)(absl::Span<const std::string>,
                                          std::ostream&),
                  std::vector<std::string> args) {
    args.push_back("--socket=" + socket_);
    std::ostringstream out;
    absl::Status status = command(args, out);
    EXPECT_TRUE(status.ok()) << status;
    return out.str();
  }

  std::string socket_;
  std::unique_ptr<service::Server> server_;
  std::thread thread_;
};

TEST_F(ServiceCommandsTest, AllocatePrintsPlanBufferIdsAndBackend) {
  const std::string out =
      Run(RunAllocate, {"--width=64", "--height=32", "--format=RGBA_8888",
                        "--usage=CPU_READ_OFTEN|CPU_WRITE_OFTEN", "--count=2"});
  EXPECT_THAT(out, HasSubstr("allocated 2 x 64x32 RGBA_8888"));
  EXPECT_THAT(out, HasSubstr("participant cpu"));
  EXPECT_THAT(out, HasSubstr("heap memfd (memfd)"));
  EXPECT_THAT(out, HasSubstr("plane 0: offset 0, stride 256 B"));
  EXPECT_THAT(out, HasSubstr("BUFFER_ID 0x"));
  EXPECT_THAT(out, HasSubstr("backend memfd"));
}

TEST_F(ServiceCommandsTest, StatsAndListOfAnIdleService) {
  const std::string stats = Run(RunStats, {});
  EXPECT_THAT(stats, HasSubstr("clients: 1 connections from 1 processes"));
  EXPECT_THAT(stats, HasSubstr("live buffers: 0, 0 B"));
  EXPECT_THAT(stats, HasSubstr("limits per client: 4096 buffers"));
  const std::string list = Run(RunList, {});
  EXPECT_THAT(list, HasSubstr("BUFFER_ID"));
  EXPECT_THAT(list, HasSubstr("0 live allocations"));
}

TEST_F(ServiceCommandsTest, NoServiceIsAnError) {
  std::ostringstream out;
  EXPECT_FALSE(RunStats({"--socket=/nonexistent/gralloc.sock"}, out).ok());
  EXPECT_FALSE(RunAllocate({"--bogus=1"}, out).ok());
}

}  // namespace
}  // namespace gralloc::cli
