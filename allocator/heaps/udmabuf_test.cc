// Copyright 2026 The gralloc for Linux Authors.

#include "allocator/heaps/udmabuf.h"

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

constexpr char kUdmabuf[] = "/dev/udmabuf";

HeapRequest Request(uint64_t size_bytes, std::string debug_name = "") {
  HeapRequest request;
  request.size_bytes = size_bytes;
  request.debug_name = std::move(debug_name);
  return request;
}

TEST(UdmabufHeapTest, MissingNodeIsNotFoundNamingThePath) {
  const std::string path = MakeTempDir() + "/udmabuf";
  EXPECT_THAT(UdmabufHeap::Open(path),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr(path)));
}

TEST(UdmabufHeapTest, FakeNodeFailsAllocateNamingTheIoctlAndLeaksNothing) {
  const std::string path = MakeTempDir() + "/udmabuf";
  MakeRegularFile(path);
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<UdmabufHeap> heap,
                       UdmabufHeap::Open(path));
  EXPECT_EQ(heap->name(), "udmabuf");
  EXPECT_EQ(heap->caps().backend, HandleBackend::kUdmabuf);
  EXPECT_TRUE(heap->caps().device_importable);
  const int fds_before = OpenFdCount();
  for (int i = 0; i < 64; ++i) {
    absl::StatusOr<HeapBuffer> buffer = heap->Allocate(Request(4096));
    ASSERT_FALSE(buffer.ok());
    EXPECT_THAT(buffer.status().message(), HasSubstr("UDMABUF_CREATE"));
  }
  // The memfd made for each attempt was closed.
  EXPECT_EQ(OpenFdCount(), fds_before);
}

TEST(UdmabufHeapTest, ZeroAndOverflowingSizesAreInvalidArgument) {
  const std::string path = MakeTempDir() + "/udmabuf";
  MakeRegularFile(path);
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<UdmabufHeap> heap,
                       UdmabufHeap::Open(path));
  EXPECT_THAT(heap->Allocate(Request(0)),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(heap->Allocate(Request(std::numeric_limits<uint64_t>::max())),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

// The rest needs the kernel's udmabuf driver.
class RealUdmabufTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (access(kUdmabuf, F_OK) != 0) {
      GTEST_SKIP() << "no " << kUdmabuf
                   << " on this machine: " << std::strerror(errno)
                   << " (the VM test tier has CONFIG_UDMABUF)";
    }
    absl::StatusOr<std::unique_ptr<UdmabufHeap>> heap =
        UdmabufHeap::Open(kUdmabuf);
    ASSERT_THAT(heap, IsOk());
    heap_ = *std::move(heap);
  }

  std::unique_ptr<UdmabufHeap> heap_;
};

TEST_F(RealUdmabufTest, AllocatesZeroedNamedDmaBuf) {
  ASSERT_OK_AND_ASSIGN(HeapBuffer buffer,
                       heap_->Allocate(Request(10000, "codec-input")));
  EXPECT_EQ(buffer.size_bytes % static_cast<uint64_t>(getpagesize()), 0u);
  EXPECT_GE(buffer.size_bytes, 10000u);
  ExpectGoodDmaBuf(buffer, "codec-input");
}

TEST_F(RealUdmabufTest, FdCountIsFlatOverManyAllocations) {
  const int fds_before = OpenFdCount();
  for (int i = 0; i < 2048; ++i) {
    ASSERT_THAT(heap_->Allocate(Request(4096)), IsOk()) << "round " << i;
  }
  EXPECT_EQ(OpenFdCount(), fds_before);
}

TEST_F(RealUdmabufTest, ManyThreadsAllocateAtOnce) {
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
