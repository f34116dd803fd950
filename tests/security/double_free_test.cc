// Copyright 2026 The gralloc for Linux Authors.
//
// Bug class: freeing what is not (or no longer) an import.
//
// freeBuffer closes an import's fds and unmaps its memory. Freed twice, it
// would close fds by then reused by someone else and unmap memory twice;
// given the caller's own raw handle (never imported) it would close the
// caller's fds; given a pointer to anything else it would dereference it.
// Each must be BAD_BUFFER, with no crash and no fd closed that the mapper
// does not own, and a freed handle must be unknown to every other call.

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <cstring>
#include <thread>
#include <vector>

#include "android/hardware/graphics/mapper/IMapper.h"
#include "gtest/gtest.h"
#include "hal/base/fd_count.h"
#include "hal/base/status_matchers.h"
#include "hal/handle/buffer_handle.h"
#include "mapper/testing/buffer_factory.h"
#include "tests/security/security_test_util.h"

namespace gralloc {
namespace {

using ::gralloc::testing::LoadMapper;
using ::gralloc::testing::MakeTestBuffer;
using ::gralloc::testing::MapperAttackWithBufferTest;
using ::gralloc::testing::OpenFdCount;
using ::gralloc::testing::StandardMetadata;
using ::gralloc::testing::TestBuffer;

constexpr uint64_t kCpuReadWrite = 0x33;
constexpr int64_t kDataspace = 17;

bool IsOpen(int fd) { return fcntl(fd, F_GETFD) >= 0; }

class DoubleFreeTest : public MapperAttackWithBufferTest {
 protected:
  buffer_handle_t Import() {
    buffer_handle_t imported = nullptr;
    EXPECT_EQ(mapper_->v5.importBuffer(buffer_.handle.get(), &imported),
              AIMAPPER_ERROR_NONE);
    return imported;
  }
};

TEST_F(DoubleFreeTest, FreeingTwiceIsBadBufferAndClosesNothingElse) {
  const int with_buffer = OpenFdCount();
  buffer_handle_t imported = Import();
  ASSERT_NE(imported, nullptr);
  const int with_import = OpenFdCount();
  EXPECT_GT(with_import, with_buffer);
  EXPECT_EQ(mapper_->v5.freeBuffer(imported), AIMAPPER_ERROR_NONE);
  EXPECT_EQ(OpenFdCount(), with_buffer);
  // The import's fd numbers are free now; take them, so a second close by
  // the mapper would hit these.
  std::vector<int> squatters;
  for (int i = 0; i < with_import - with_buffer; ++i) {
    squatters.push_back(
        fcntl(HandleBufferFd(buffer_.handle.get()), F_DUPFD_CLOEXEC, 0));
  }
  EXPECT_EQ(mapper_->v5.freeBuffer(imported), AIMAPPER_ERROR_BAD_BUFFER);
  for (int fd : squatters) {
    EXPECT_TRUE(IsOpen(fd)) << fd;
    close(fd);
  }
}

TEST_F(DoubleFreeTest, FreeingTheRawHandleIsBadBufferAndKeepsItsFds) {
  buffer_handle_t imported = Import();
  EXPECT_EQ(mapper_->v5.freeBuffer(buffer_.handle.get()),
            AIMAPPER_ERROR_BAD_BUFFER);
  EXPECT_TRUE(IsOpen(HandleBufferFd(buffer_.handle.get())));
  EXPECT_TRUE(IsOpen(HandleMetadataFd(buffer_.handle.get())));
  // The real import is untouched.
  void* data = nullptr;
  EXPECT_EQ(
      mapper_->v5.lock(imported, kCpuReadWrite, ARect{0, 0, 0, 0}, -1, &data),
      AIMAPPER_ERROR_NONE);
  int release = -2;
  EXPECT_EQ(mapper_->v5.unlock(imported, &release), AIMAPPER_ERROR_NONE);
  EXPECT_EQ(mapper_->v5.freeBuffer(imported), AIMAPPER_ERROR_NONE);
}

TEST_F(DoubleFreeTest, FreeingANeverImportedHandleIsBadBuffer) {
  EXPECT_EQ(mapper_->v5.freeBuffer(buffer_.handle.get()),
            AIMAPPER_ERROR_BAD_BUFFER);
  EXPECT_TRUE(IsOpen(HandleBufferFd(buffer_.handle.get())));
  EXPECT_TRUE(IsOpen(HandleMetadataFd(buffer_.handle.get())));
  EXPECT_EQ(mapper_->v5.freeBuffer(nullptr), AIMAPPER_ERROR_BAD_BUFFER);
}

TEST_F(DoubleFreeTest, FreeingGarbageIsBadBufferWithoutReadingIt) {
  // A pointer to bytes that look nothing like a handle, and one to a handle
  // shaped structure whose "fds" are stdin/stdout: neither may be read as
  // an import, nor may its fds be closed.
  alignas(native_handle_t) unsigned char garbage[256];
  std::memset(garbage, 0xa5, sizeof(garbage));
  EXPECT_EQ(
      mapper_->v5.freeBuffer(reinterpret_cast<const native_handle_t*>(garbage)),
      AIMAPPER_ERROR_BAD_BUFFER);
  native_handle_t* fake = native_handle_create(2, kHandleNumInts);
  ASSERT_NE(fake, nullptr);
  fake->data[0] = 0;
  fake->data[1] = 1;
  EXPECT_EQ(mapper_->v5.freeBuffer(fake), AIMAPPER_ERROR_BAD_BUFFER);
  EXPECT_TRUE(IsOpen(0));
  EXPECT_TRUE(IsOpen(1));
  native_handle_delete(fake);
}

TEST_F(DoubleFreeTest, AFreedHandleIsUnknownToEveryCall) {
  buffer_handle_t imported = Import();
  ASSERT_EQ(mapper_->v5.freeBuffer(imported), AIMAPPER_ERROR_NONE);
  void* data = nullptr;
  const int fence = gralloc::testing::NewFence(true);
  ASSERT_GE(fence, 0);
  EXPECT_EQ(mapper_->v5.lock(imported, kCpuReadWrite, ARect{0, 0, 0, 0}, fence,
                             &data),
            AIMAPPER_ERROR_BAD_BUFFER);
  EXPECT_TRUE(gralloc::testing::IsClosed(fence));
  int release = -2;
  EXPECT_EQ(mapper_->v5.unlock(imported, &release), AIMAPPER_ERROR_BAD_BUFFER);
  EXPECT_EQ(mapper_->v5.getStandardMetadata(imported, kDataspace, nullptr, 0),
            -AIMAPPER_ERROR_BAD_BUFFER);
  const int32_t value = 0;
  EXPECT_EQ(mapper_->v5.setMetadata(imported, StandardMetadata(kDataspace),
                                    &value, sizeof(value)),
            AIMAPPER_ERROR_BAD_BUFFER);
  uint32_t fds = 0;
  uint32_t ints = 0;
  EXPECT_EQ(mapper_->v5.getTransportSize(imported, &fds, &ints),
            AIMAPPER_ERROR_BAD_BUFFER);
  void* region = nullptr;
  uint64_t size = 0;
  EXPECT_EQ(mapper_->v5.getReservedRegion(imported, &region, &size),
            AIMAPPER_ERROR_BAD_BUFFER);
}

TEST_F(DoubleFreeTest, FreeingOneImportLeavesTheOtherUsable) {
  buffer_handle_t first = Import();
  buffer_handle_t second = Import();
  ASSERT_NE(first, second);
  EXPECT_EQ(mapper_->v5.freeBuffer(first), AIMAPPER_ERROR_NONE);
  EXPECT_EQ(mapper_->v5.freeBuffer(first), AIMAPPER_ERROR_BAD_BUFFER);
  void* data = nullptr;
  ASSERT_EQ(
      mapper_->v5.lock(second, kCpuReadWrite, ARect{0, 0, 0, 0}, -1, &data),
      AIMAPPER_ERROR_NONE);
  std::memset(data, 0x3c, buffer_.info.allocation_size);  // still mapped
  int release = -2;
  EXPECT_EQ(mapper_->v5.unlock(second, &release), AIMAPPER_ERROR_NONE);
  EXPECT_EQ(mapper_->v5.freeBuffer(second), AIMAPPER_ERROR_NONE);
}

TEST_F(DoubleFreeTest, ConcurrentFreesOfOneImportSucceedExactlyOnce) {
  for (int round = 0; round < 50; ++round) {
    buffer_handle_t imported = Import();
    std::atomic<int> ok{0};
    std::atomic<int> bad{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
      threads.emplace_back([&] {
        const AIMapper_Error error = mapper_->v5.freeBuffer(imported);
        if (error == AIMAPPER_ERROR_NONE) ++ok;
        if (error == AIMAPPER_ERROR_BAD_BUFFER) ++bad;
      });
    }
    for (std::thread& thread : threads) thread.join();
    ASSERT_EQ(ok.load(), 1);
    ASSERT_EQ(bad.load(), 3);
  }
}

}  // namespace
}  // namespace gralloc
