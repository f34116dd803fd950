// Copyright 2026 The gralloc for Linux Authors.

#include <stdlib.h>

#include <cstdlib>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "allocator/client/service_client.h"
#include "allocator/service/in_process_service.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tools/gralloctl/commands.h"

namespace gralloc::cli {
namespace {

using ::testing::HasSubstr;

class ServiceCommandsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    service::ServerOptions options;
    options.log_refusals = false;
    auto service = service::InProcessService::Start(std::move(options));
    ASSERT_TRUE(service.ok()) << service.status();
    service_ = std::move(service).value();
    socket_ = service_->socket();
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

  std::unique_ptr<service::InProcessService> service_;
  std::string socket_;
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
  EXPECT_THAT(stats, HasSubstr("allocate-ahead pool: off"));
  EXPECT_THAT(Run(RunDrainPool, {}), HasSubstr("the pool dropped 0 buffers"));
  const std::string list = Run(RunList, {});
  EXPECT_THAT(list, HasSubstr("BUFFER_ID"));
  EXPECT_THAT(list, HasSubstr("0 live allocations"));
}

// Preview first, record later, for a buffer another process holds.
TEST_F(ServiceCommandsTest, ServesSaysWhetherAHeldBufferServesMoreUsers) {
  auto client = ServiceClient::Connect(socket_);
  ASSERT_TRUE(client.ok());
  BufferDescriptorInfo preview;
  preview.name = "preview";
  preview.width = 1920;
  preview.height = 1080;
  preview.layer_count = 1;
  preview.format = 0x23;            // YCBCR_420_888
  preview.usage = 0x20000 | 0x800;  // CAMERA_OUTPUT|COMPOSER_OVERLAY
  auto held = (*client)->Allocate(preview, 1);
  ASSERT_TRUE(held.ok()) << held.status();
  const std::string id =
      absl::StrCat("--buffer=0x", absl::Hex(held->buffers[0].info.buffer_id));

  std::ostringstream out;
  const absl::Status no =
      RunServes({id, "--usage=VIDEO_ENCODER", "--socket=" + socket_}, out);
  EXPECT_TRUE(absl::IsFailedPrecondition(no)) << no;
  EXPECT_THAT(no.message(), HasSubstr("height alignment"));
  EXPECT_THAT(no.message(), HasSubstr("codec=16"));
  EXPECT_THAT(out.str(),
              HasSubstr("\"preview\": 1920x1080 YCBCR_420_888 for "
                        "COMPOSER_OVERLAY|CAMERA_OUTPUT, heap memfd"));
  EXPECT_THAT(out.str(), HasSubstr("joining VIDEO_ENCODER: does not serve\n"
                                   "  the buffer does not serve VIDEO_ENCODER: "
                                   "height alignment"));
  EXPECT_THAT(out.str(),
              HasSubstr("allocate for COMPOSER_OVERLAY|VIDEO_ENCODER|"
                        "CAMERA_OUTPUT to serve them all"));

  EXPECT_THAT(Run(RunServes, {id, "--usage=CPU_READ_RARELY"}),
              HasSubstr("joining CPU_READ_RARELY: serves"));
  std::ostringstream ignored;
  EXPECT_TRUE(absl::IsNotFound(RunServes(
      {"--buffer=0x1234", "--usage=GPU_TEXTURE", "--socket=" + socket_},
      ignored)));
  EXPECT_TRUE(absl::IsInvalidArgument(
      RunServes({"--usage=GPU_TEXTURE", "--socket=" + socket_}, ignored)));
}

TEST_F(ServiceCommandsTest, NoServiceIsAnError) {
  std::ostringstream out;
  EXPECT_FALSE(RunStats({"--socket=/nonexistent/gralloc.sock"}, out).ok());
  EXPECT_FALSE(RunAllocate({"--bogus=1"}, out).ok());
}

}  // namespace
}  // namespace gralloc::cli
