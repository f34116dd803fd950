// Copyright 2026 The gralloc for Linux Authors.

#include "allocator/heaps/dma_heap.h"

#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <limits>
#include <string>
#include <thread>
#include <vector>

#include "allocator/heaps/heap_test_util.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "hal/base/fd_count.h"
#include "hal/base/status_matchers.h"

namespace gralloc {
namespace {

using ::gralloc::testing::ExpectGoodDmaBuf;
using ::gralloc::testing::IsOk;
using ::gralloc::testing::MakeRegularFile;
using ::gralloc::testing::MakeTempDir;
using ::gralloc::testing::OpenFdCount;
using ::gralloc::testing::StatusIs;
using ::testing::HasSubstr;

constexpr char kSystemHeap[] = "/dev/dma_heap/system";

HeapRequest Request(uint64_t size_bytes, std::string debug_name = "") {
  HeapRequest request;
  request.size_bytes = size_bytes;
  request.debug_name = std::move(debug_name);
  return request;
}

TEST(DmaHeapTest, MissingNodeIsNotFoundNamingThePath) {
  const std::string path = MakeTempDir() + "/no-such-heap";
  EXPECT_THAT(DmaHeap::Open(path),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr(path)));
}

TEST(DmaHeapTest, FakeNodeFailsAllocateNamingTheIoctlAndHeap) {
  const std::string path = MakeTempDir() + "/system";
  MakeRegularFile(path);
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<DmaHeap> heap, DmaHeap::Open(path));
  EXPECT_EQ(heap->name(), "system");
  EXPECT_THAT(heap->description(), HasSubstr(path));
  const int fds_before = OpenFdCount();
  absl::StatusOr<HeapBuffer> buffer = heap->Allocate(Request(4096));
  EXPECT_FALSE(buffer.ok());
  EXPECT_THAT(buffer.status().message(), HasSubstr("DMA_HEAP_IOCTL_ALLOC"));
  EXPECT_THAT(buffer.status().message(), HasSubstr("dma-buf heap system"));
  EXPECT_EQ(OpenFdCount(), fds_before);
}

TEST(DmaHeapTest, ZeroAndOverflowingSizesAreInvalidArgument) {
  const std::string path = MakeTempDir() + "/system";
  MakeRegularFile(path);
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<DmaHeap> heap, DmaHeap::Open(path));
  EXPECT_THAT(heap->Allocate(Request(0)),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(heap->Allocate(Request(std::numeric_limits<uint64_t>::max())),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

// The rest needs the kernel's system heap.
class SystemDmaHeapTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (access(kSystemHeap, F_OK) != 0) {
      GTEST_SKIP() << "no " << kSystemHeap
                   << " on this machine: " << std::strerror(errno)
                   << " (the VM test tier has CONFIG_DMABUF_HEAPS_SYSTEM)";
    }
    absl::StatusOr<std::unique_ptr<DmaHeap>> heap = DmaHeap::Open(kSystemHeap);
    ASSERT_THAT(heap, IsOk());
    heap_ = *std::move(heap);
  }

  std::unique_ptr<DmaHeap> heap_;
};

TEST_F(SystemDmaHeapTest, AllocatesZeroedNamedDmaBuf) {
  EXPECT_TRUE(heap_->caps().device_importable);
  ASSERT_OK_AND_ASSIGN(HeapBuffer buffer,
                       heap_->Allocate(Request(10000, "camera-preview")));
  EXPECT_EQ(buffer.size_bytes % static_cast<uint64_t>(getpagesize()), 0u);
  EXPECT_GE(buffer.size_bytes, 10000u);
  ExpectGoodDmaBuf(buffer, "camera-preview");
}

TEST_F(SystemDmaHeapTest, LongDebugNameIsTruncated) {
  ASSERT_OK_AND_ASSIGN(HeapBuffer buffer,
                       heap_->Allocate(Request(4096, std::string(100, 'n'))));
  EXPECT_EQ(testing::FdinfoValue(buffer.fd.get(), "name"),
            std::string(31, 'n'));
}

TEST_F(SystemDmaHeapTest, FdCountIsFlatOverManyAllocations) {
  const int fds_before = OpenFdCount();
  for (int i = 0; i < 2048; ++i) {
    ASSERT_THAT(heap_->Allocate(Request(4096)), IsOk()) << "round " << i;
  }
  EXPECT_EQ(OpenFdCount(), fds_before);
}

TEST_F(SystemDmaHeapTest, ManyThreadsAllocateAtOnce) {
  const int fds_before = OpenFdCount();
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([this, &failures] {
      for (int i = 0; i < 64; ++i) {
        if (!heap_->Allocate(Request(65536, "worker")).ok()) {
          failures.fetch_add(1);
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(OpenFdCount(), fds_before);
}

}  // namespace
}  // namespace gralloc
