// Copyright 2026 The gralloc for Linux Authors.
//
// dump, who, top, heaps --health and doctor: on synthetic /proc, /sys and
// /dev trees for what the kernel would show, and against a real service
// (memfd heap, in this process) for the join of its records.

#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "allocator/allocator.h"
#include "allocator/client/service_client.h"
#include "allocator/service/in_process_service.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "hal/base/short_temp_dir.h"
#include "tools/gralloctl/commands.h"
#include "tools/inspect/fake_proc_tree.h"

namespace gralloc::cli {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

using Command = absl::Status (*)(absl::Span<const std::string>, std::ostream&);

constexpr uint64_t kFrameBytes = 460800;

class InspectCommandsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(dir_.path().empty());
    tree_ = std::make_unique<inspect::testing::FakeProcTree>(dir_.path());
    // camera (the requester) maps and holds frame 5001; the codec maps and
    // holds it; the display holds it by fd only; a viewer maps a thumbnail
    // it closed the fd of; an old client holds a frame whose requester
    // exited.
    tree_->AddProcess(100, "camera");
    tree_->AddDmaBufFd(100, 7, 5001, kFrameBytes, "system", "camera-frame", 5);
    tree_->AddMapping(100, 0x7f0000000000, 0x7f0000000000 + kFrameBytes, 0,
                      0x0d, 5001, "/dmabuf:camera-frame");
    tree_->AddProcess(200, "codec");
    tree_->AddDmaBufFd(200, 4, 5001, kFrameBytes, "system", "camera-frame", 5);
    tree_->AddMapping(200, 0x7e0000000000, 0x7e0000000000 + kFrameBytes, 0,
                      0x0d, 5001, "/dmabuf:camera-frame");
    tree_->AddProcess(300, "display");
    tree_->AddDmaBufFd(300, 9, 5001, kFrameBytes, "system", "camera-frame", 5);
    tree_->AddDmaBufFd(300, 10, 5002, 8192, "reserved", "cursor", 1);
    tree_->AddProcess(400, "viewer");
    tree_->AddMapping(400, 0x1000000, 0x1002000, 0, 0x0d, 5003,
                      "/dmabuf:thumb");
    tree_->WriteFile("sys/kernel/dmabuf/buffers/5003/size", "8192\n");
    tree_->WriteFile("sys/kernel/dmabuf/buffers/5003/exporter_name",
                     "system\n");
  }

  std::vector<std::string> TreeArgs() const {
    return {"--proc-root=" + tree_->proc_root(),
            "--sys-root=" + tree_->sys_root(), "--no-service"};
  }

  // Runs `command`, expecting `code`.
  std::string Run(Command command, std::vector<std::string> args,
                  absl::StatusCode code = absl::StatusCode::kOk) {
    std::ostringstream out;
    const absl::Status status = command(args, out);
    EXPECT_EQ(status.code(), code) << status;
    return out.str();
  }
  std::vector<std::string> With(std::vector<std::string> extra) const {
    std::vector<std::string> args = TreeArgs();
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
  }

  testing::ShortTempDir dir_;
  std::unique_ptr<inspect::testing::FakeProcTree> tree_;
};

TEST_F(InspectCommandsTest, DumpShowsEachProcessHoldings) {
  const std::string out = Run(RunDump, TreeArgs());
  EXPECT_THAT(out, HasSubstr("4 processes hold 3 buffers"));
  EXPECT_THAT(out, HasSubstr("pid 100 camera:"));
  EXPECT_THAT(out, HasSubstr("pid 300 display:"));
  EXPECT_THAT(out, HasSubstr("camera-frame"));
  EXPECT_THAT(out, HasSubstr("cursor"));
  EXPECT_THAT(out, HasSubstr("service: none joined"));
  EXPECT_THAT(out, Not(HasSubstr("Buffers:")));
}

TEST_F(InspectCommandsTest, DumpBuffersAndGrid) {
  const std::string out = Run(RunDump, With({"--buffers", "--all"}));
  EXPECT_THAT(out, HasSubstr("Buffers:"));
  EXPECT_THAT(out, HasSubstr("100,200,300"));
  EXPECT_THAT(out, HasSubstr("By exporter:"));
  EXPECT_THAT(out, HasSubstr("reserved"));
  EXPECT_THAT(out, HasSubstr("Buffer x process"));
  // The frame: camera and codec f1m1, display f1, viewer not at all.
  EXPECT_THAT(out, HasSubstr("5001       camera-frame             f1m1     "
                             "f1m1       f1        -"));
}

TEST_F(InspectCommandsTest, DumpJsonHasStableKeysAndPssAddsUp) {
  const nlohmann::json json =
      nlohmann::json::parse(Run(RunDump, With({"--json"})));
  for (const char* key :
       {"proc_root", "processes_scanned", "processes_vanished",
        "processes_denied", "scan_ms", "notes", "service", "buffers",
        "processes", "exporters", "exited_requesters"}) {
    EXPECT_TRUE(json.contains(key)) << key;
  }
  ASSERT_EQ(json["buffers"].size(), 3u);
  const nlohmann::json& frame = json["buffers"][0];
  EXPECT_EQ(frame["inode"], 5001);
  EXPECT_EQ(frame["kind"], "dma-buf");
  EXPECT_EQ(frame["exporter"], "system");
  EXPECT_EQ(frame["size_bytes"], kFrameBytes);
  EXPECT_EQ(frame["holders"], nlohmann::json({100, 200, 300}));
  EXPECT_EQ(frame["fd_refs"], 3);
  EXPECT_EQ(frame["map_refs"], 2);
  EXPECT_EQ(frame["rss_bytes"], 2 * kFrameBytes);
  EXPECT_DOUBLE_EQ(frame["pss_bytes"].get<double>(), kFrameBytes);
  EXPECT_TRUE(frame["record"].is_null());
  EXPECT_EQ(frame["orphaned"], false);
  const nlohmann::json& camera = json["processes"][0];
  EXPECT_EQ(camera["pid"], 100);
  EXPECT_EQ(camera["comm"], "camera");
  EXPECT_DOUBLE_EQ(camera["pss_bytes"].get<double>(), kFrameBytes / 2.0);
  EXPECT_EQ(camera["buffers"][0]["fds"], nlohmann::json({7}));
  EXPECT_EQ(json["service"]["reachable"], false);
}

TEST_F(InspectCommandsTest, DumpOfOneProcess) {
  const std::string out = Run(RunDump, With({"300"}));
  EXPECT_THAT(out, HasSubstr("1 processes hold 2 buffers"));
  EXPECT_THAT(out, Not(HasSubstr("pid 100")));
}

TEST_F(InspectCommandsTest, NothingFoundIsNotFoundAndErrorsAreNot) {
  tree_->RemoveProcess(100);
  tree_->RemoveProcess(200);
  tree_->RemoveProcess(300);
  tree_->RemoveProcess(400);
  tree_->AddProcess(500, "bash");
  tree_->AddOtherFd(500, 0, "/dev/pts/0");
  Run(RunDump, TreeArgs(), absl::StatusCode::kNotFound);
  Run(RunDump, With({"--json"}), absl::StatusCode::kNotFound);
  Run(RunDump, With({"12345"}), absl::StatusCode::kNotFound);
  Run(RunWho, With({"5001"}), absl::StatusCode::kNotFound);
  Run(RunDump, {"--proc-root=" + dir_.path() + "/nope", "--no-service"},
      absl::StatusCode::kFailedPrecondition);
  Run(RunDump, With({"--bogus"}), absl::StatusCode::kInvalidArgument);
  Run(RunDump, With({"1", "2"}), absl::StatusCode::kInvalidArgument);
  Run(RunWho, TreeArgs(), absl::StatusCode::kInvalidArgument);
}

TEST_F(InspectCommandsTest, WhoByInodeListsHolders) {
  const std::string out = Run(RunWho, With({"5001"}));
  EXPECT_THAT(out, HasSubstr("inode 5001: dma-buf from system"));
  EXPECT_THAT(out, HasSubstr("pid 100"));
  EXPECT_THAT(out, HasSubstr("pid 200"));
  EXPECT_THAT(out, HasSubstr("pid 300"));
  const nlohmann::json json =
      nlohmann::json::parse(Run(RunWho, With({"5003", "--json"})));
  ASSERT_EQ(json["buffers"].size(), 1u);
  EXPECT_EQ(json["buffers"][0]["held_by"][0]["pid"], 400);
  EXPECT_EQ(json["buffers"][0]["held_by"][0]["map_refs"], 1);
  EXPECT_EQ(json["buffers"][0]["size_bytes"], 8192);
}

TEST_F(InspectCommandsTest, HostileNamesAreEscaped) {
  tree_->AddProcess(600, "evil\x1b[2J");
  tree_->AddDmaBufFd(600, 3, 6001, 4096, "system", "x\x1b]0;pwned\x07", 1);
  const std::string out = Run(RunDump, TreeArgs());
  EXPECT_THAT(out, Not(HasSubstr("\x1b")));
  EXPECT_THAT(out, HasSubstr("evil\\x1b[2J"));
}

TEST_F(InspectCommandsTest, HeapsHealthOnASyntheticMachine) {
  tree_->WriteFile("dev/dma_heap/system", "");
  tree_->WriteFile("dev/dma_heap/reserved", "");
  tree_->WriteFile("dev/udmabuf", "");
  tree_->WriteFile("proc/meminfo", "CmaTotal: 32768 kB\nCmaFree: 16384 kB\n");
  tree_->WriteFile("sys/kernel/mm/cma/reserved/alloc_pages_fail", "7\n");
  tree_->WriteFile("sys/module/udmabuf/parameters/size_limit_mb", "64\n");
  const std::vector<std::string> roots = {
      "--health", "--dev-root=" + tree_->dev_root(),
      "--sys-root=" + tree_->sys_root(), "--proc-root=" + tree_->proc_root()};
  const std::string out = Run(RunHeapsHealth, roots);
  EXPECT_THAT(out, HasSubstr("reserved (cma)"));
  EXPECT_THAT(out, HasSubstr("exporter \"reserved\""));
  EXPECT_THAT(out, HasSubstr("(not a device!)"));
  EXPECT_THAT(out, HasSubstr("serves: cpu gpu display codec camera"));
  EXPECT_THAT(out, HasSubstr("32.0 MiB total, 16.0 MiB free"));
  EXPECT_THAT(out, HasSubstr("7 allocations failed"));
  EXPECT_THAT(out, HasSubstr("buffers up to 64 MiB"));
  std::vector<std::string> json_args = roots;
  json_args.push_back("--json");
  const nlohmann::json json =
      nlohmann::json::parse(Run(RunHeapsHealth, json_args));
  ASSERT_EQ(json["heaps"].size(), 4u);  // reserved, system, udmabuf, memfd
  EXPECT_EQ(json["heaps"][0]["name"], "reserved");
  EXPECT_EQ(json["heaps"][0]["class"], "cma");
  EXPECT_EQ(json["heaps"][3]["name"], "memfd");
  // memfd serves the CPU and no device.
  EXPECT_EQ(json["heaps"][3]["serves"], nlohmann::json({"cpu"}));
  EXPECT_TRUE(json["heaps"][3]["refuses"].contains("camera"));
  EXPECT_EQ(json["cma"]["total_bytes"], 32768 * 1024);
  EXPECT_EQ(json["udmabuf"]["size_limit_mib"], 64);
}

TEST_F(InspectCommandsTest, DoctorOnABareMachineFailsWithFixes) {
  const std::vector<std::string> args = {
      "--dev-root=" + tree_->dev_root(), "--sys-root=" + tree_->sys_root(),
      "--proc-root=" + tree_->proc_root(),
      "--socket=" + dir_.path() + "/absent.sock"};
  const std::string out =
      Run(RunDoctor, args, absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(out, HasSubstr("FAIL  dma-buf-heaps"));
  EXPECT_THAT(out, HasSubstr("fix: build the kernel with"));
  EXPECT_THAT(out, HasSubstr("FAIL  service"));
  EXPECT_THAT(out, HasSubstr("skip  export-sync-file"));
  std::vector<std::string> json_args = args;
  json_args.push_back("--json");
  const nlohmann::json json = nlohmann::json::parse(
      Run(RunDoctor, json_args, absl::StatusCode::kFailedPrecondition));
  ASSERT_EQ(json["checks"].size(), 8u);
  EXPECT_EQ(json["checks"][0]["check"], "dma-buf-heaps");
  EXPECT_EQ(json["checks"][0]["verdict"], "FAIL");
  EXPECT_EQ(json["fail"], 2);
}

// A real service in this process (memfd heap): its records join the scan
// of this process by inode, so dump and who name the BUFFER_ID.
class InspectWithServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    service::ServerOptions options;
    options.log_refusals = false;
    auto service = service::InProcessService::Start(std::move(options));
    ASSERT_TRUE(service.ok()) << service.status();
    service_ = std::move(service).value();
    socket_ = service_->socket();
  }

  std::unique_ptr<service::InProcessService> service_;
  std::string socket_;
};

TEST_F(InspectWithServiceTest, DumpAndWhoJoinTheServiceRecords) {
  auto client = ServiceClient::Connect(socket_);
  ASSERT_TRUE(client.ok()) << client.status();
  BufferDescriptorInfo info;
  info.name = "joined-frame";
  info.width = 64;
  info.height = 64;
  info.layer_count = 1;
  info.format = 1;    // RGBA_8888
  info.usage = 0x33;  // CPU_READ_OFTEN|CPU_WRITE_OFTEN
  absl::StatusOr<Allocation> allocation = (*client)->Allocate(info, 2);
  ASSERT_TRUE(allocation.ok()) << allocation.status();
  const uint64_t buffer_id = allocation->buffers[0].info.buffer_id;

  std::ostringstream out;
  absl::Status status =
      RunDump({absl::StrCat(getpid()), "--socket=" + socket_, "--json"}, out);
  if (absl::IsNotFound(status)) {
    GTEST_SKIP() << "this /proc does not show the test's own fds: " << status;
  }
  ASSERT_TRUE(status.ok()) << status;
  const nlohmann::json json = nlohmann::json::parse(out.str());
  EXPECT_EQ(json["service"]["reachable"], true);
  int pixels = 0, metadata = 0;
  bool joined = false;
  for (const nlohmann::json& buffer : json["buffers"]) {
    if (buffer["kind"] == "memfd" && buffer["name"] == "joined-frame") {
      ++pixels;
      EXPECT_EQ(buffer["size_bytes"], 64 * 64 * 4);
      ASSERT_FALSE(buffer["record"].is_null());
      EXPECT_EQ(buffer["record"]["pid"], getpid());
      EXPECT_EQ(buffer["record"]["requester_alive"], true);
      EXPECT_EQ(buffer["record"]["format"], "RGBA_8888");
      EXPECT_EQ(buffer["record"]["heap"], "memfd");
      joined |= buffer["record"]["buffer_id"] ==
                absl::StrFormat("0x%016x", buffer_id);
    }
    if (buffer["kind"] == "metadata" && buffer["name"] == "joined-frame") {
      ++metadata;
    }
  }
  EXPECT_EQ(pixels, 2);
  EXPECT_EQ(metadata, 2);
  EXPECT_TRUE(joined);

  std::ostringstream who;
  ASSERT_TRUE(
      RunWho({absl::StrFormat("0x%x", buffer_id), "--socket=" + socket_}, who)
          .ok());
  EXPECT_THAT(who.str(), HasSubstr("\"joined-frame\": 64x64 RGBA_8888"));
  EXPECT_THAT(who.str(),
              HasSubstr(absl::StrCat("asked for by pid ", getpid())));
  EXPECT_THAT(who.str(), HasSubstr("(requester)"));
  EXPECT_THAT(who.str(), Not(HasSubstr("EXITED")));
}

TEST_F(InspectWithServiceTest, TopReportsRatesAndHeadroom) {
  std::thread allocate([this] {
    auto client = ServiceClient::Connect(socket_);
    ASSERT_TRUE(client.ok());
    BufferDescriptorInfo info;
    info.name = "top";
    info.width = 16;
    info.height = 16;
    info.layer_count = 1;
    info.format = 1;
    info.usage = 0x33;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    ASSERT_TRUE((*client)->Allocate(info, 3).ok());
  });
  std::ostringstream out;
  ASSERT_TRUE(RunTop({"--socket=" + socket_, "--count=1", "--json"}, out).ok());
  allocate.join();
  const nlohmann::json json = nlohmann::json::parse(out.str());
  EXPECT_EQ(json["allocations_total"], 3);
  EXPECT_GT(json["allocations_per_s"].get<double>(), 0.0);
  EXPECT_EQ(json["pool"]["budget_bytes"], 0);
  std::ostringstream text;
  ASSERT_TRUE(RunTop({"--socket=" + socket_, "--count=1"}, text).ok());
  EXPECT_THAT(text.str(), HasSubstr("HEADROOM BYTES"));
  EXPECT_THAT(text.str(), HasSubstr("pool: off"));
}

}  // namespace
}  // namespace gralloc::cli
