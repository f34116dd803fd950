// Copyright 2026 The gralloc for Linux Authors.

#include "gst/gralloc_memory.h"

#include <fcntl.h>
#include <gst/allocators/allocators.h>
#include <gst/gst.h>
#include <unistd.h>

#include <cstring>
#include <memory>

#include "allocator/client/open.h"
#include "gtest/gtest.h"
#include "hal/base/fd_count.h"
#include "hal/types/buffer_usage.h"
#include "hal/types/pixel_format.h"

namespace gralloc::gst {
namespace {

using ::gralloc::testing::OpenFdCount;

class GrallocMemoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    gst_init(nullptr, nullptr);
    absl::StatusOr<std::unique_ptr<AllocatorApi>> opened = OpenInProcess("");
    ASSERT_TRUE(opened.ok()) << opened.status();
    allocator_ = *std::move(opened);
  }

  AllocatedBuffer AllocateOne(uint64_t usage) {
    BufferDescriptorInfo info;
    info.name = "memory-test";
    info.width = 64;
    info.height = 48;
    info.layer_count = 1;
    info.format = FormatValue(PixelFormat::RGBA_8888);
    info.usage = usage;
    absl::StatusOr<Allocation> allocation = allocator_->Allocate(info, 1);
    EXPECT_TRUE(allocation.ok()) << allocation.status();
    return std::move(allocation->buffers.front());
  }

  std::shared_ptr<AllocatorApi> allocator_;
};

constexpr uint64_t kCpuReadWrite = UsageValue(BufferUsage::CPU_READ_OFTEN) |
                                   UsageValue(BufferUsage::CPU_WRITE_OFTEN);

TEST_F(GrallocMemoryTest, MemfdBufferIsFdMemoryNotDmaBuf) {
  AllocatedBuffer buffer = AllocateOne(kCpuReadWrite);
  if (buffer.info.backend != HandleBackend::kMemfd) {
    GTEST_SKIP() << "this machine allocates from "
                 << HandleBackendName(buffer.info.backend) << ", not memfd";
  }
  absl::StatusOr<GstMemory*> memory =
      WrapBuffer(std::move(buffer), 64 * 48 * 4, allocator_);
  ASSERT_TRUE(memory.ok()) << memory.status();
  EXPECT_TRUE(gst_is_fd_memory(*memory));
  EXPECT_FALSE(gst_is_dmabuf_memory(*memory));
  EXPECT_EQ(gst_memory_get_sizes(*memory, nullptr, nullptr), 64u * 48 * 4);
  gst_memory_unref(*memory);
}

TEST_F(GrallocMemoryTest, DmaBufBackendsGiveDmaBufMemory) {
  AllocatedBuffer buffer = AllocateOne(kCpuReadWrite);
  if (buffer.info.backend == HandleBackend::kMemfd) {
    GTEST_SKIP() << "no dma-buf heap or udmabuf on this machine: memfd "
                    "served (the VM tier has them)";
  }
  absl::StatusOr<GstMemory*> memory =
      WrapBuffer(std::move(buffer), 64 * 48 * 4, allocator_);
  ASSERT_TRUE(memory.ok()) << memory.status();
  EXPECT_TRUE(gst_is_dmabuf_memory(*memory));
  gst_memory_unref(*memory);
}

TEST_F(GrallocMemoryTest, SubMemoryReadsWhatTheMapWrote) {
  AllocatedBuffer buffer = AllocateOne(kCpuReadWrite);
  const uint64_t id = buffer.info.buffer_id;
  absl::StatusOr<GstMemory*> memory =
      WrapBuffer(std::move(buffer), 64 * 48 * 4, allocator_);
  ASSERT_TRUE(memory.ok()) << memory.status();
  ASSERT_EQ(GrallocBufferOf(*memory)->info.buffer_id, id);
  GstMapInfo map;
  ASSERT_TRUE(gst_memory_map(*memory, &map, GST_MAP_WRITE));
  std::memset(map.data, 0x5a, map.size);
  gst_memory_unmap(*memory, &map);
  // A sub-memory maps the same bytes (through its parent's buffer).
  GstMemory* tail = gst_memory_share(*memory, 64, 128);
  gst_memory_unref(*memory);  // the share keeps the buffer alive
  ASSERT_NE(GrallocBufferOf(tail), nullptr);
  ASSERT_TRUE(gst_memory_map(tail, &map, GST_MAP_READ));
  ASSERT_EQ(map.size, 128u);
  for (gsize i = 0; i < map.size; ++i) ASSERT_EQ(map.data[i], 0x5a) << i;
  gst_memory_unmap(tail, &map);
  gst_memory_unref(tail);
}

TEST_F(GrallocMemoryTest, MapBeyondTheUsageFails) {
  // Written by the CPU, never read by it.
  AllocatedBuffer buffer =
      AllocateOne(UsageValue(BufferUsage::CPU_WRITE_OFTEN));
  absl::StatusOr<GstMemory*> memory =
      WrapBuffer(std::move(buffer), 64 * 48 * 4, allocator_);
  ASSERT_TRUE(memory.ok()) << memory.status();
  GstMapInfo map;
  EXPECT_FALSE(gst_memory_map(*memory, &map, GST_MAP_READ));
  ASSERT_TRUE(gst_memory_map(*memory, &map, GST_MAP_WRITE));
  gst_memory_unmap(*memory, &map);
  gst_memory_unref(*memory);
}

TEST_F(GrallocMemoryTest, BufferIsFreedExactlyOnceWithTheMemory) {
  // Warm up the process-wide allocators and the mapper.
  {
    absl::StatusOr<GstMemory*> memory =
        WrapBuffer(AllocateOne(kCpuReadWrite), 64 * 48 * 4, allocator_);
    ASSERT_TRUE(memory.ok());
    gst_memory_unref(*memory);
  }
  const int before = OpenFdCount();
  for (int i = 0; i < 100; ++i) {
    absl::StatusOr<GstMemory*> memory =
        WrapBuffer(AllocateOne(kCpuReadWrite), 64 * 48 * 4, allocator_);
    ASSERT_TRUE(memory.ok());
    GstMapInfo map;
    ASSERT_TRUE(gst_memory_map(*memory, &map, GST_MAP_READWRITE));
    gst_memory_unmap(*memory, &map);
    // An fd opened while the memory lives must survive its free: a double
    // close would take it (the lowest free number) with it.
    const int canary = dup(STDERR_FILENO);
    ASSERT_GE(canary, 0);
    gst_memory_unref(*memory);
    EXPECT_EQ(fcntl(canary, F_GETFD), 0) << "the canary fd was closed";
    close(canary);
  }
  EXPECT_EQ(OpenFdCount(), before);
}

}  // namespace
}  // namespace gralloc::gst
