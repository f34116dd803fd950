// Copyright 2026 The gralloc for Linux Authors.

#include "tools/inspect/doctor.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gralloc::inspect {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;

HeapNode Node(const std::string& name, uint32_t mode, bool can_open) {
  HeapNode node;
  node.identity =
      name == "udmabuf" ? UdmabufIdentity() : DmaHeapIdentity(name, false);
  node.path = name == "udmabuf" ? "/dev/udmabuf" : "/dev/dma_heap/" + name;
  node.mode = mode;
  node.owner = "root";
  node.group = "gralloc-allocatord";
  node.we_can_open = can_open;
  return node;
}

const Check& Find(const std::vector<Check>& checks, const std::string& id) {
  for (const Check& check : checks) {
    if (check.id == id) return check;
  }
  static const Check missing{"missing", Verdict::kSkip, "", ""};
  ADD_FAILURE() << "no check " << id;
  return missing;
}

DoctorInputs HealthyMachine() {
  DoctorInputs inputs;
  inputs.health.heaps = {Node("reserved", 0660, true),
                         Node("system", 0660, true),
                         Node("udmabuf", 0660, true)};
  inputs.health.iommus = {"dmar0"};
  inputs.health.iommu_groups = 4;
  inputs.export_sync_file = absl::OkStatus();
  inputs.export_sync_file_from = "system";
  inputs.socket.path = "/run/gralloc/allocator.sock";
  inputs.socket.exists = true;
  inputs.socket.mode = 0660;
  inputs.socket.connect = absl::OkStatus();
  return inputs;
}

TEST(DoctorTest, HealthyMachinePassesEveryCheck) {
  const std::vector<Check> checks = RunDoctorChecks(HealthyMachine());
  ASSERT_EQ(checks.size(), 8u);
  for (const Check& check : checks) {
    EXPECT_EQ(check.verdict, Verdict::kOk) << check.id << ": " << check.detail;
    EXPECT_THAT(check.remedy, IsEmpty()) << check.id;
  }
  EXPECT_THAT(Find(checks, "cma-heap-names").detail, HasSubstr("legacy name"));
}

TEST(DoctorTest, BareHostFailsWithRemedies) {
  // The development machine: no heaps, no udmabuf, no service.
  DoctorInputs inputs;
  inputs.socket.path = "/run/gralloc/allocator.sock";
  inputs.socket.connect = absl::UnavailableError("connect: No such file");
  const std::vector<Check> checks = RunDoctorChecks(inputs);
  EXPECT_EQ(Find(checks, "dma-buf-heaps").verdict, Verdict::kFail);
  EXPECT_THAT(Find(checks, "dma-buf-heaps").remedy,
              HasSubstr("CONFIG_DMABUF_HEAPS_SYSTEM"));
  EXPECT_EQ(Find(checks, "udmabuf").verdict, Verdict::kWarn);
  EXPECT_EQ(Find(checks, "heap-permissions").verdict, Verdict::kSkip);
  EXPECT_EQ(Find(checks, "cma-heap-names").verdict, Verdict::kWarn);
  EXPECT_EQ(Find(checks, "export-sync-file").verdict, Verdict::kSkip);
  EXPECT_EQ(Find(checks, "iommu").verdict, Verdict::kSkip);
  EXPECT_EQ(Find(checks, "service").verdict, Verdict::kFail);
  EXPECT_THAT(Find(checks, "service").remedy, HasSubstr("systemctl start"));
  EXPECT_EQ(Find(checks, "socket-permissions").verdict, Verdict::kSkip);
}

TEST(DoctorTest, HeapThisUserCannotOpenFails) {
  DoctorInputs inputs = HealthyMachine();
  inputs.health.heaps[1] = Node("system", 0600, false);
  const std::vector<Check> checks = RunDoctorChecks(inputs);
  const Check& check = Find(checks, "heap-permissions");
  EXPECT_EQ(check.verdict, Verdict::kFail);
  EXPECT_THAT(check.remedy, HasSubstr("/dev/dma_heap/system"));
  EXPECT_THAT(check.remedy, HasSubstr("60-gralloc-allocatord.rules"));
  EXPECT_THAT(check.detail, HasSubstr("/dev/dma_heap/system 0600"));
}

TEST(DoctorTest, WorldWritableHeapWarns) {
  DoctorInputs inputs = HealthyMachine();
  inputs.health.heaps[1] = Node("system", 0666, true);
  const std::vector<Check> checks = RunDoctorChecks(inputs);
  const Check& check = Find(checks, "heap-permissions");
  EXPECT_EQ(check.verdict, Verdict::kWarn);
  EXPECT_THAT(check.remedy, HasSubstr("past the service's quotas"));
}

TEST(DoctorTest, LegacyAndNewCmaNamesSideBySideWarn) {
  DoctorInputs inputs = HealthyMachine();
  inputs.health.heaps.push_back(Node("default_cma_region", 0660, true));
  const std::vector<Check> checks = RunDoctorChecks(inputs);
  const Check& check = Find(checks, "cma-heap-names");
  EXPECT_EQ(check.verdict, Verdict::kWarn);
  EXPECT_THAT(check.remedy, HasSubstr("\"cma\""));
}

TEST(DoctorTest, OldKernelWithoutExportSyncFileWarns) {
  DoctorInputs inputs = HealthyMachine();
  inputs.export_sync_file =
      absl::InvalidArgumentError("DMA_BUF_IOCTL_EXPORT_SYNC_FILE: ENOTTY");
  const std::vector<Check> checks = RunDoctorChecks(inputs);
  const Check& check = Find(checks, "export-sync-file");
  EXPECT_EQ(check.verdict, Verdict::kWarn);
  EXPECT_THAT(check.remedy, HasSubstr("6.0"));
}

TEST(DoctorTest, UdmabufWithoutIommuWarns) {
  DoctorInputs inputs = HealthyMachine();
  inputs.health.iommus.clear();
  inputs.health.iommu_groups = 0;
  const std::vector<Check> checks = RunDoctorChecks(inputs);
  const Check& check = Find(checks, "iommu");
  EXPECT_EQ(check.verdict, Verdict::kWarn);
  EXPECT_THAT(check.remedy, HasSubstr("scatter-gather"));
}

TEST(DoctorTest, SocketAnyoneMayUseWarnsAndDeadServiceFails) {
  DoctorInputs inputs = HealthyMachine();
  inputs.socket.mode = 0666;
  inputs.socket.connect = absl::UnavailableError("connection refused");
  const std::vector<Check> checks = RunDoctorChecks(inputs);
  EXPECT_EQ(Find(checks, "socket-permissions").verdict, Verdict::kWarn);
  EXPECT_EQ(Find(checks, "service").verdict, Verdict::kFail);
  EXPECT_THAT(Find(checks, "service").remedy,
              HasSubstr("socket exists but the service does not answer"));
}

}  // namespace
}  // namespace gralloc::inspect
