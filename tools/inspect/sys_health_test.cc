// Copyright 2026 The gralloc for Linux Authors.

#include "tools/inspect/sys_health.h"

#include <stdlib.h>
#include <sys/stat.h>

#include <filesystem>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tools/inspect/fake_proc_tree.h"

namespace gralloc::inspect {
namespace {

using ::testing::ElementsAre;

class SysHealthTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/gralloc-health-XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    root_ = pattern;
    tree_ = std::make_unique<testing::FakeProcTree>(root_);
    roots_.dev_root = tree_->dev_root();
    roots_.sys_root = tree_->sys_root();
    roots_.proc_root = tree_->proc_root();
  }
  void TearDown() override {
    std::error_code error;
    std::filesystem::remove_all(root_, error);
  }

  std::string root_;
  std::unique_ptr<testing::FakeProcTree> tree_;
  HealthRoots roots_;
};

TEST_F(SysHealthTest, EmptyMachineHasNothing) {
  const SysHealth health = ReadSysHealth(roots_);
  EXPECT_TRUE(health.heaps.empty());
  EXPECT_FALSE(health.cma_total_bytes.has_value());
  EXPECT_TRUE(health.cma_areas.empty());
  EXPECT_FALSE(health.udmabuf_module_known);
  EXPECT_TRUE(health.iommus.empty());
  EXPECT_EQ(health.iommu_groups, 0);
}

TEST_F(SysHealthTest, HeapsCmaUdmabufAndIommu) {
  tree_->WriteFile("dev/dma_heap/system", "");
  tree_->WriteFile("dev/dma_heap/reserved", "");
  tree_->WriteFile("dev/udmabuf", "");
  tree_->WriteFile("dev/dri/card0", "");
  tree_->WriteFile("dev/dri/renderD128", "");
  ASSERT_EQ(chmod((root_ + "/dev/dma_heap/system").c_str(), 0660), 0);
  ASSERT_EQ(chmod((root_ + "/dev/dma_heap/reserved").c_str(), 0666), 0);
  tree_->WriteFile("proc/meminfo",
                   "MemTotal:        2000000 kB\nCmaTotal:          32768 kB\n"
                   "CmaFree:           30720 kB\n");
  tree_->WriteFile("sys/kernel/mm/cma/reserved/alloc_pages_success", "512\n");
  tree_->WriteFile("sys/kernel/mm/cma/reserved/alloc_pages_fail", "3\n");
  tree_->WriteFile("sys/kernel/mm/cma/reserved/release_pages_success", "0\n");
  tree_->WriteFile("sys/module/udmabuf/parameters/size_limit_mb", "64\n");
  tree_->WriteFile("sys/module/udmabuf/parameters/list_limit", "1024\n");
  tree_->WriteFile("sys/class/iommu/dmar0/uevent", "");
  tree_->WriteFile("sys/kernel/iommu_groups/0/type", "DMA\n");
  tree_->WriteFile("sys/kernel/iommu_groups/1/type", "DMA\n");
  tree_->WriteFile("proc/sys/kernel/osrelease", "6.1.0-test\n");

  const SysHealth health = ReadSysHealth(roots_);
  ASSERT_EQ(health.heaps.size(), 4u);  // renderD128 is no card
  EXPECT_EQ(health.heaps[0].identity.name, "reserved");
  EXPECT_EQ(health.heaps[0].identity.heap_class, HeapClass::kCma);
  EXPECT_EQ(health.heaps[0].exporter, "reserved");
  EXPECT_EQ(health.heaps[0].mode, 0666u);
  EXPECT_FALSE(health.heaps[0].is_char_device);
  EXPECT_EQ(health.heaps[1].identity.name, "system");
  EXPECT_EQ(health.heaps[1].mode, 0660u);
  EXPECT_EQ(health.heaps[2].identity.heap_class, HeapClass::kUdmabuf);
  EXPECT_EQ(health.heaps[2].exporter, "udmabuf");
  EXPECT_EQ(health.heaps[3].identity.name, "drm-dumb:card0");
  EXPECT_EQ(health.heaps[3].exporter, "drm");
  EXPECT_EQ(health.cma_total_bytes, 32768u * 1024);
  EXPECT_EQ(health.cma_free_bytes, 30720u * 1024);
  ASSERT_EQ(health.cma_areas.size(), 1u);
  EXPECT_EQ(health.cma_areas[0].name, "reserved");
  EXPECT_EQ(health.cma_areas[0].alloc_pages_success, 512u);
  EXPECT_EQ(health.cma_areas[0].alloc_pages_fail, 3u);
  EXPECT_FALSE(health.cma_areas[0].total_pages.has_value());
  EXPECT_TRUE(health.udmabuf_module_known);
  EXPECT_EQ(health.udmabuf_size_limit_mib, 64u);
  EXPECT_EQ(health.udmabuf_list_limit, 1024u);
  EXPECT_THAT(health.iommus, ElementsAre("dmar0"));
  EXPECT_EQ(health.iommu_groups, 2);
  EXPECT_EQ(health.kernel_release, "6.1.0-test");
}

TEST(ParseMeminfoCmaTest, MalformedValuesAreAbsent) {
  std::optional<uint64_t> total, free_bytes;
  ParseMeminfoCma("CmaTotal:   many kB\nCmaFree: 4 kB\n", &total, &free_bytes);
  EXPECT_FALSE(total.has_value());
  EXPECT_EQ(free_bytes, 4096u);
}

}  // namespace
}  // namespace gralloc::inspect
