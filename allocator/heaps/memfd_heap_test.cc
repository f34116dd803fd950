// Copyright 2026 The gralloc for Linux Authors.

#include "allocator/heaps/memfd_heap.h"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdint>
#include <limits>
#include <string>
#include <thread>
#include <vector>

#include "allocator/heaps/heap_test_util.h"
#include "allocator/heaps/heap_util.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "hal/base/fd_count.h"
#include "hal/base/page_size.h"
#include "hal/base/status_matchers.h"

namespace gralloc {
namespace {

using ::gralloc::heaps_internal::PageAlignedSize;
using ::gralloc::testing::FdSizeBytes;
using ::gralloc::testing::IsOk;
using ::gralloc::testing::MappingIsZeroedAndWritable;
using ::gralloc::testing::OpenFdCount;
using ::gralloc::testing::StatusIs;
using ::testing::HasSubstr;

HeapRequest Request(uint64_t size_bytes, std::string debug_name = "") {
  HeapRequest request;
  request.size_bytes = size_bytes;
  request.debug_name = std::move(debug_name);
  return request;
}

TEST(PageAlignedSizeTest, RoundsUpToWholePages) {
  const uint64_t page = PageSizeBytes();
  EXPECT_EQ(*PageAlignedSize(1), page);
  EXPECT_EQ(*PageAlignedSize(page), page);
  EXPECT_EQ(*PageAlignedSize(page + 1), 2 * page);
}

TEST(PageAlignedSizeTest, ZeroAndOverflowingSizesAreInvalidArgument) {
  EXPECT_THAT(PageAlignedSize(0), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(
      PageAlignedSize(std::numeric_limits<uint64_t>::max()),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("overflows")));
  EXPECT_THAT(
      PageAlignedSize(uint64_t{std::numeric_limits<int64_t>::max()} + 1),
      StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(MemfdHeapTest, CapsSayNoDeviceCanImport) {
  MemfdHeap heap;
  EXPECT_EQ(heap.name(), "memfd");
  EXPECT_EQ(heap.description(), "memfd: no device can import this");
  EXPECT_EQ(heap.caps().backend, HandleBackend::kMemfd);
  EXPECT_FALSE(heap.caps().device_importable);
  EXPECT_FALSE(heap.caps().is_protected);
  EXPECT_FALSE(heap.caps().contiguous);
  EXPECT_TRUE(heap.caps().cached);
}

TEST(MemfdHeapTest, AllocateRoundsUpToPageAndIsZeroed) {
  MemfdHeap heap;
  Heap& as_heap = heap;  // used through the interface, as the allocator does
  ASSERT_OK_AND_ASSIGN(HeapBuffer buffer, as_heap.Allocate(Request(5000)));
  const uint64_t expected =
      ((5000 + PageSizeBytes() - 1) / PageSizeBytes()) * PageSizeBytes();
  EXPECT_EQ(buffer.size_bytes, expected);
  EXPECT_EQ(FdSizeBytes(buffer.fd.get()), static_cast<int64_t>(expected));
  EXPECT_TRUE(MappingIsZeroedAndWritable(buffer.fd.get(), buffer.size_bytes));
}

TEST(MemfdHeapTest, FdIsCloseOnExecAndReadWrite) {
  MemfdHeap heap;
  ASSERT_OK_AND_ASSIGN(HeapBuffer buffer, heap.Allocate(Request(4096)));
  EXPECT_NE(fcntl(buffer.fd.get(), F_GETFD) & FD_CLOEXEC, 0);
  EXPECT_EQ(fcntl(buffer.fd.get(), F_GETFL) & O_ACCMODE, O_RDWR);
}

TEST(MemfdHeapTest, SealsFixTheSizeButAllowWrites) {
  MemfdHeap heap;
  ASSERT_OK_AND_ASSIGN(HeapBuffer buffer, heap.Allocate(Request(8192)));
  const int fd = buffer.fd.get();
  EXPECT_EQ(fcntl(fd, F_GET_SEALS), F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL);

  errno = 0;
  EXPECT_EQ(ftruncate(fd, static_cast<off_t>(buffer.size_bytes * 2)), -1);
  EXPECT_EQ(errno, EPERM) << "growing must be refused";
  errno = 0;
  EXPECT_EQ(ftruncate(fd, 0), -1);
  EXPECT_EQ(errno, EPERM) << "shrinking must be refused";
  // F_SEAL_SEAL: nobody who receives the fd can add F_SEAL_WRITE later.
  errno = 0;
  EXPECT_EQ(fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE), -1);
  EXPECT_EQ(errno, EPERM);

  const char data[] = "pixels";
  EXPECT_EQ(pwrite(fd, data, sizeof(data), 0),
            static_cast<ssize_t>(sizeof(data)));
  EXPECT_EQ(FdSizeBytes(fd), static_cast<int64_t>(buffer.size_bytes));
}

TEST(MemfdHeapTest, DebugNameNamesTheMemfd) {
  MemfdHeap heap;
  ASSERT_OK_AND_ASSIGN(HeapBuffer buffer,
                       heap.Allocate(Request(4096, "thumbnail")));
  char target[256] = {};
  const std::string link = "/proc/self/fd/" + std::to_string(buffer.fd.get());
  ASSERT_GT(readlink(link.c_str(), target, sizeof(target) - 1), 0);
  EXPECT_THAT(std::string(target), HasSubstr("memfd:gralloc:thumbnail"));
}

TEST(MemfdHeapTest, LongDebugNameIsTruncatedNotRefused) {
  MemfdHeap heap;
  ASSERT_OK_AND_ASSIGN(HeapBuffer buffer,
                       heap.Allocate(Request(4096, std::string(4000, 'x'))));
  // The first 200 bytes of the name, and nothing after them.
  char target[512] = {};
  const std::string link = "/proc/self/fd/" + std::to_string(buffer.fd.get());
  ASSERT_GT(readlink(link.c_str(), target, sizeof(target) - 1), 0);
  EXPECT_EQ(std::string(target),
            "/memfd:gralloc:" + std::string(200, 'x') + " (deleted)");
}

TEST(MemfdHeapTest, ZeroSizeIsInvalidArgument) {
  MemfdHeap heap;
  EXPECT_THAT(heap.Allocate(Request(0)),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(MemfdHeapTest, SizeThatOverflowsWhenPageRoundedIsInvalidArgument) {
  MemfdHeap heap;
  const int fds_before = OpenFdCount();
  EXPECT_THAT(heap.Allocate(Request(std::numeric_limits<uint64_t>::max())),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(heap.Allocate(Request(std::numeric_limits<uint64_t>::max() -
                                    PageSizeBytes() + 2)),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(OpenFdCount(), fds_before);
}

TEST(MemfdHeapTest, FdCountIsFlatOverManyAllocations) {
  MemfdHeap heap;
  const int fds_before = OpenFdCount();
  ASSERT_GT(fds_before, 0);
  for (int i = 0; i < 2048; ++i) {
    absl::StatusOr<HeapBuffer> buffer = heap.Allocate(Request(4096));
    ASSERT_THAT(buffer, IsOk()) << "round " << i;
  }
  EXPECT_EQ(OpenFdCount(), fds_before);
}

TEST(MemfdHeapTest, ManyThreadsAllocateAtOnce) {
  MemfdHeap heap;
  const int fds_before = OpenFdCount();
  constexpr int kThreads = 8;
  constexpr int kRounds = 128;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&heap, &failures, t] {
      for (int i = 0; i < kRounds; ++i) {
        absl::StatusOr<HeapBuffer> buffer =
            heap.Allocate(Request(4096 * (1 + (t + i) % 4), "worker"));
        if (!buffer.ok() || FdSizeBytes(buffer->fd.get()) !=
                                static_cast<int64_t>(buffer->size_bytes)) {
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
