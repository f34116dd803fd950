// Copyright 2026 The gralloc for Linux Authors.
//
// lock / unlock / flushLockedBuffer / rereadLockedBuffer, through the C ABI
// and the C++ API (LockGuard).

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "android/hardware/graphics/mapper/IMapper.h"
#include "gtest/gtest.h"
#include "hal/base/fd_count.h"
#include "hal/base/status_matchers.h"
#include "hal/handle/buffer_handle.h"
#include "hal/types/buffer_usage.h"
#include "mapper/mapper.h"
#include "mapper/testing/buffer_factory.h"
#include "mapper/testing/mapper_test_util.h"

namespace gralloc {
namespace {

using ::gralloc::testing::kCpuReadWrite;
using ::gralloc::testing::MakeFence;
using ::gralloc::testing::MakeTestBuffer;
using ::gralloc::testing::OpenFdCount;
using ::gralloc::testing::StatusIs;
using ::gralloc::testing::TestBuffer;
using ::gralloc::testing::TestBufferSpec;

constexpr uint64_t kCpuRead = UsageValue(BufferUsage::CPU_READ_OFTEN);
constexpr uint64_t kCpuWrite = UsageValue(BufferUsage::CPU_WRITE_OFTEN);
constexpr ARect kWholeBuffer{0, 0, 0, 0};

class LockTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(AIMapper_loadIMapper(&mapper_), AIMAPPER_ERROR_NONE);
    Import(TestBufferSpec{});
  }
  void TearDown() override {
    if (imported_ != nullptr) {
      EXPECT_EQ(mapper_->v5.freeBuffer(imported_), AIMAPPER_ERROR_NONE);
    }
  }
  void Import(const TestBufferSpec& spec) {
    if (imported_ != nullptr) mapper_->v5.freeBuffer(imported_);
    imported_ = nullptr;
    absl::StatusOr<TestBuffer> buffer = MakeTestBuffer(spec);
    ASSERT_TRUE(buffer.ok()) << buffer.status();
    buffer_ = *std::move(buffer);
    ASSERT_EQ(mapper_->v5.importBuffer(buffer_.handle.get(), &imported_),
              AIMAPPER_ERROR_NONE);
  }
  AIMapper_Error Lock(uint64_t usage, ARect region, int fence = -1) {
    void* data = nullptr;
    return mapper_->v5.lock(imported_, usage, region, fence, &data);
  }
  AIMapper_Error Unlock() {
    int fence = 0;
    AIMapper_Error error = mapper_->v5.unlock(imported_, &fence);
    EXPECT_EQ(fence, -1);
    return error;
  }

  AIMapper* mapper_ = nullptr;
  TestBuffer buffer_;
  buffer_handle_t imported_ = nullptr;
};

TEST_F(LockTest, LockGivesTheStartOfTheBufferAndDataPersists) {
  void* data = nullptr;
  ASSERT_EQ(mapper_->v5.lock(imported_, kCpuWrite, kWholeBuffer, -1, &data),
            AIMAPPER_ERROR_NONE);
  ASSERT_NE(data, nullptr);
  std::memset(data, 0xab, buffer_.info.allocation_size);
  ASSERT_EQ(Unlock(), AIMAPPER_ERROR_NONE);
  void* again = nullptr;
  ASSERT_EQ(
      mapper_->v5.lock(imported_, kCpuRead, ARect{1, 1, 2, 2}, -1, &again),
      AIMAPPER_ERROR_NONE);
  // Lock never remaps; outData is the start whatever the region.
  EXPECT_EQ(again, data);
  EXPECT_EQ(static_cast<uint8_t*>(again)[buffer_.info.allocation_size - 1],
            0xab);
  ASSERT_EQ(Unlock(), AIMAPPER_ERROR_NONE);
}

TEST_F(LockTest, LockUnlockNested) {
  ASSERT_EQ(Lock(kCpuRead, kWholeBuffer), AIMAPPER_ERROR_NONE);
  ASSERT_EQ(Lock(kCpuWrite, kWholeBuffer), AIMAPPER_ERROR_NONE);
  ASSERT_EQ(Lock(kCpuReadWrite, kWholeBuffer), AIMAPPER_ERROR_NONE);
  EXPECT_EQ(Unlock(), AIMAPPER_ERROR_NONE);
  EXPECT_EQ(Unlock(), AIMAPPER_ERROR_NONE);
  EXPECT_EQ(mapper_->v5.flushLockedBuffer(imported_), AIMAPPER_ERROR_NONE);
  EXPECT_EQ(Unlock(), AIMAPPER_ERROR_NONE);
  EXPECT_EQ(Unlock(), AIMAPPER_ERROR_BAD_BUFFER);
}

TEST_F(LockTest, UnlockWhenNotLockedIsBadBuffer) {
  EXPECT_EQ(Unlock(), AIMAPPER_ERROR_BAD_BUFFER);
  int fence = 0;
  EXPECT_EQ(mapper_->v5.unlock(nullptr, &fence), AIMAPPER_ERROR_BAD_BUFFER);
}

TEST_F(LockTest, FlushAndRereadNeedALock) {
  EXPECT_EQ(mapper_->v5.flushLockedBuffer(imported_),
            AIMAPPER_ERROR_BAD_BUFFER);
  EXPECT_EQ(mapper_->v5.rereadLockedBuffer(imported_),
            AIMAPPER_ERROR_BAD_BUFFER);
  ASSERT_EQ(Lock(kCpuReadWrite, kWholeBuffer), AIMAPPER_ERROR_NONE);
  EXPECT_EQ(mapper_->v5.flushLockedBuffer(imported_), AIMAPPER_ERROR_NONE);
  EXPECT_EQ(mapper_->v5.rereadLockedBuffer(imported_), AIMAPPER_ERROR_NONE);
  EXPECT_EQ(Unlock(), AIMAPPER_ERROR_NONE);
  EXPECT_EQ(mapper_->v5.flushLockedBuffer(nullptr), AIMAPPER_ERROR_BAD_BUFFER);
  EXPECT_EQ(mapper_->v5.rereadLockedBuffer(nullptr), AIMAPPER_ERROR_BAD_BUFFER);
}

TEST_F(LockTest, LockWithZeroOrNonCpuUsageIsBadValue) {
  EXPECT_EQ(Lock(0, kWholeBuffer), AIMAPPER_ERROR_BAD_VALUE);
  EXPECT_EQ(Lock(UsageValue(BufferUsage::GPU_TEXTURE), kWholeBuffer),
            AIMAPPER_ERROR_BAD_VALUE);
  EXPECT_EQ(Lock(kCpuRead | UsageValue(BufferUsage::GPU_TEXTURE), kWholeBuffer),
            AIMAPPER_ERROR_BAD_VALUE);
  EXPECT_EQ(Unlock(), AIMAPPER_ERROR_BAD_BUFFER);  // nothing was held
}

TEST_F(LockTest, LockWithUsageTheBufferWasNotAllocatedForIsBadValue) {
  TestBufferSpec spec;
  spec.usage = kCpuRead | UsageValue(BufferUsage::GPU_TEXTURE);
  Import(spec);
  EXPECT_EQ(Lock(kCpuWrite, kWholeBuffer), AIMAPPER_ERROR_BAD_VALUE);
  EXPECT_EQ(Lock(kCpuRead, kWholeBuffer), AIMAPPER_ERROR_NONE);
  EXPECT_EQ(Unlock(), AIMAPPER_ERROR_NONE);
}

TEST_F(LockTest, LockRegionOutsideBufferIsBadValue) {
  const int32_t w = buffer_.info.width;
  const int32_t h = buffer_.info.height;
  EXPECT_EQ(Lock(kCpuRead, ARect{0, 0, w + 1, h}), AIMAPPER_ERROR_BAD_VALUE);
  EXPECT_EQ(Lock(kCpuRead, ARect{0, 0, w, h + 1}), AIMAPPER_ERROR_BAD_VALUE);
  EXPECT_EQ(Lock(kCpuRead, ARect{-1, 0, w, h}), AIMAPPER_ERROR_BAD_VALUE);
  EXPECT_EQ(Lock(kCpuRead, ARect{0, -1, w, h}), AIMAPPER_ERROR_BAD_VALUE);
  EXPECT_EQ(Lock(kCpuRead, ARect{10, 0, 5, h}), AIMAPPER_ERROR_BAD_VALUE);
  EXPECT_EQ(Lock(kCpuRead, ARect{0, 10, w, 5}), AIMAPPER_ERROR_BAD_VALUE);
  EXPECT_EQ(Lock(kCpuRead, ARect{0, 0, INT32_MAX, INT32_MAX}),
            AIMAPPER_ERROR_BAD_VALUE);
  EXPECT_EQ(Lock(kCpuRead, ARect{INT32_MIN, INT32_MIN, 1, 1}),
            AIMAPPER_ERROR_BAD_VALUE);
  EXPECT_EQ(Unlock(), AIMAPPER_ERROR_BAD_BUFFER);
  EXPECT_EQ(Lock(kCpuRead, ARect{0, 0, w, h}), AIMAPPER_ERROR_NONE);
  EXPECT_EQ(Unlock(), AIMAPPER_ERROR_NONE);
}

TEST_F(LockTest, LockProtectedBufferIsRefused) {
  TestBufferSpec spec;
  spec.flags = kHandleFlagProtected;
  spec.usage = kCpuReadWrite | UsageValue(BufferUsage::PROTECTED);
  Import(spec);
  EXPECT_EQ(Lock(kCpuRead, kWholeBuffer), AIMAPPER_ERROR_BAD_VALUE);
  EXPECT_EQ(Unlock(), AIMAPPER_ERROR_BAD_BUFFER);
}

TEST_F(LockTest, LockUnknownBufferIsBadBuffer) {
  void* data = nullptr;
  EXPECT_EQ(mapper_->v5.lock(nullptr, kCpuRead, kWholeBuffer, -1, &data),
            AIMAPPER_ERROR_BAD_BUFFER);
}

TEST_F(LockTest, AcquireFenceIsConsumedOnEveryPath) {
  const int fds_before = OpenFdCount();
  void* data = nullptr;
  // Unknown buffer.
  EXPECT_EQ(mapper_->v5.lock(nullptr, kCpuRead, kWholeBuffer,
                             MakeFence(true).release(), &data),
            AIMAPPER_ERROR_BAD_BUFFER);
  // Bad usage, bad region, null out pointer.
  EXPECT_EQ(Lock(0, kWholeBuffer, MakeFence(true).release()),
            AIMAPPER_ERROR_BAD_VALUE);
  EXPECT_EQ(Lock(kCpuRead, ARect{0, 0, 1000, 1000}, MakeFence(true).release()),
            AIMAPPER_ERROR_BAD_VALUE);
  EXPECT_EQ(mapper_->v5.lock(imported_, kCpuRead, kWholeBuffer,
                             MakeFence(true).release(), nullptr),
            AIMAPPER_ERROR_BAD_VALUE);
  // Success.
  EXPECT_EQ(Lock(kCpuRead, kWholeBuffer, MakeFence(true).release()),
            AIMAPPER_ERROR_NONE);
  EXPECT_EQ(Unlock(), AIMAPPER_ERROR_NONE);
  EXPECT_EQ(OpenFdCount(), fds_before);
}

TEST_F(LockTest, LockWaitsForTheAcquireFence) {
  UniqueFd fence = MakeFence(false);
  const int raw = fence.release();
  std::thread signaller([dup_fd = dup(raw)] {
    usleep(20000);
    const uint64_t one = 1;
    EXPECT_EQ(write(dup_fd, &one, sizeof(one)),
              static_cast<ssize_t>(sizeof(one)));
    close(dup_fd);
  });
  EXPECT_EQ(Lock(kCpuRead, kWholeBuffer, raw), AIMAPPER_ERROR_NONE);
  signaller.join();
  EXPECT_EQ(Unlock(), AIMAPPER_ERROR_NONE);
}

TEST(MapperLockTest, UnsignalledFenceTimesOutWithNothingHeld) {
  mapper::MapperOptions options;
  options.fence_timeout_ms = 30;
  mapper::Mapper mapper(options);
  ASSERT_OK_AND_ASSIGN(TestBuffer buffer, MakeTestBuffer());
  ASSERT_OK_AND_ASSIGN(buffer_handle_t handle,
                       mapper.Import(buffer.handle.get()));
  ASSERT_OK_AND_ASSIGN(std::shared_ptr<mapper::Buffer> imported,
                       mapper.Get(handle));
  const int fds_before = OpenFdCount();
  EXPECT_THAT(imported->Lock(kCpuRead, Rect{}, MakeFence(false)),
              StatusIs(absl::StatusCode::kDeadlineExceeded));
  EXPECT_EQ(OpenFdCount(), fds_before);
  EXPECT_EQ(imported->lock_count(), 0);
  EXPECT_OK(mapper.Free(handle));
}

// How many of this process's mappings are of the file with this inode
// (/proc/self/maps: address perms offset dev inode path).
int MappingsOfInode(ino_t inode) {
  std::ifstream maps("/proc/self/maps");
  std::string line;
  int count = 0;
  while (std::getline(maps, line)) {
    std::istringstream fields(line);
    std::string address, perms, offset, device;
    uint64_t mapped_inode = 0;
    if (fields >> address >> perms >> offset >> device >> mapped_inode &&
        mapped_inode == inode) {
      ++count;
    }
  }
  return count;
}

TEST(MapperLockTest, PixelsAreMappedAtTheFirstLockAndUntilTheLastFree) {
  mapper::Mapper mapper;
  ASSERT_OK_AND_ASSIGN(TestBuffer buffer, MakeTestBuffer());
  struct stat pixel {};
  ASSERT_EQ(fstat(HandleBufferFd(buffer.handle.get()), &pixel), 0);
  ASSERT_OK_AND_ASSIGN(buffer_handle_t first,
                       mapper.Import(buffer.handle.get()));
  ASSERT_OK_AND_ASSIGN(buffer_handle_t second,
                       mapper.Import(buffer.handle.get()));
  ASSERT_OK_AND_ASSIGN(std::shared_ptr<mapper::Buffer> a, mapper.Get(first));
  ASSERT_OK_AND_ASSIGN(std::shared_ptr<mapper::Buffer> b, mapper.Get(second));
  // Import maps only the metadata: a consumer that never locks never maps
  // the pixels.
  EXPECT_EQ(a->mapping().mapped_pixels(), nullptr);
  EXPECT_EQ(MappingsOfInode(pixel.st_ino), 0);

  ASSERT_OK_AND_ASSIGN(void* data, a->Lock(kCpuWrite, Rect{}, UniqueFd()));
  EXPECT_NE(b->mapping().mapped_pixels(), nullptr);
  EXPECT_EQ(MappingsOfInode(pixel.st_ino), 1);
  std::memset(data, 0x5a, buffer.info.allocation_size);
  EXPECT_OK(a->Unlock());
  // The other import of the same buffer shares the mapping, and a lock
  // never maps again.
  ASSERT_OK_AND_ASSIGN(void* again, b->Lock(kCpuRead, Rect{}, UniqueFd()));
  EXPECT_EQ(again, data);
  EXPECT_EQ(static_cast<unsigned char*>(again)[0], 0x5a);
  EXPECT_OK(b->Unlock());
  EXPECT_EQ(MappingsOfInode(pixel.st_ino), 1);

  EXPECT_OK(mapper.Free(first));
  a.reset();
  EXPECT_EQ(MappingsOfInode(pixel.st_ino), 1);  // `second` still holds it
  EXPECT_OK(mapper.Free(second));
  b.reset();
  EXPECT_EQ(MappingsOfInode(pixel.st_ino), 0);
}

TEST(MapperLockTest, ConcurrentFirstLocksMapThePixelsOnce) {
  mapper::Mapper mapper;
  ASSERT_OK_AND_ASSIGN(TestBuffer buffer, MakeTestBuffer());
  struct stat pixel {};
  ASSERT_EQ(fstat(HandleBufferFd(buffer.handle.get()), &pixel), 0);
  constexpr int kThreads = 8;
  std::vector<std::shared_ptr<mapper::Buffer>> imports;
  std::vector<buffer_handle_t> handles;
  for (int i = 0; i < kThreads; ++i) {
    ASSERT_OK_AND_ASSIGN(buffer_handle_t handle,
                         mapper.Import(buffer.handle.get()));
    ASSERT_OK_AND_ASSIGN(std::shared_ptr<mapper::Buffer> imported,
                         mapper.Get(handle));
    handles.push_back(handle);
    imports.push_back(std::move(imported));
  }
  std::vector<void*> data(kThreads, nullptr);
  std::atomic<bool> go{false};
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      while (!go.load(std::memory_order_acquire)) std::this_thread::yield();
      absl::StatusOr<void*> locked =
          imports[i]->Lock(kCpuWrite, Rect{}, UniqueFd());
      if (locked.ok()) {
        data[i] = *locked;
        static_cast<unsigned char*>(*locked)[i] = static_cast<unsigned char>(i);
        EXPECT_OK(imports[i]->Unlock());
      }
    });
  }
  go.store(true, std::memory_order_release);
  for (std::thread& thread : threads) thread.join();
  for (int i = 0; i < kThreads; ++i) {
    ASSERT_NE(data[i], nullptr) << "thread " << i;
    EXPECT_EQ(data[i], data[0]);
    EXPECT_EQ(static_cast<unsigned char*>(data[0])[i], i);
  }
  EXPECT_EQ(MappingsOfInode(pixel.st_ino), 1);
  for (buffer_handle_t handle : handles) EXPECT_OK(mapper.Free(handle));
  imports.clear();
  EXPECT_EQ(MappingsOfInode(pixel.st_ino), 0);
}

TEST(MapperLockTest, PixelsThatCannotBeMappedFailTheLockWithNothingHeld) {
  // A memfd sealed against writes cannot be mapped writable. The allocator
  // never makes one; a hostile peer might send one. Import checks only that
  // it cannot shrink, so the first lock is where the mapping fails.
  TestBufferSpec spec;
  spec.seal = false;
  ASSERT_OK_AND_ASSIGN(TestBuffer buffer, MakeTestBuffer(spec));
  const int pixel_fd = HandleBufferFd(buffer.handle.get());
  ASSERT_EQ(fcntl(pixel_fd, F_ADD_SEALS,
                  F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL),
            0);
  ASSERT_EQ(fcntl(HandleMetadataFd(buffer.handle.get()), F_ADD_SEALS,
                  F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL),
            0);
  mapper::Mapper mapper;
  ASSERT_OK_AND_ASSIGN(buffer_handle_t handle,
                       mapper.Import(buffer.handle.get()));
  ASSERT_OK_AND_ASSIGN(std::shared_ptr<mapper::Buffer> imported,
                       mapper.Get(handle));
  UniqueFd fence = MakeFence(true);
  const int fds_before = OpenFdCount();
  EXPECT_THAT(imported->Lock(kCpuRead, Rect{}, std::move(fence)),
              StatusIs(absl::StatusCode::kUnavailable,
                       ::testing::HasSubstr("mmap of the pixel buffer")));
  EXPECT_EQ(OpenFdCount(), fds_before - 1);  // the fence, consumed
  EXPECT_EQ(imported->lock_count(), 0);
  EXPECT_EQ(imported->mapping().mapped_pixels(), nullptr);
  // The metadata still works, and the buffer frees cleanly.
  EXPECT_OK(imported->metadata().SetDataspace(Dataspace::SRGB));
  EXPECT_OK(mapper.Free(handle));
}

TEST(MapperLockTest, LockGuardUnlocksAtScopeEnd) {
  mapper::Mapper mapper;
  ASSERT_OK_AND_ASSIGN(TestBuffer buffer, MakeTestBuffer());
  ASSERT_OK_AND_ASSIGN(buffer_handle_t handle,
                       mapper.Import(buffer.handle.get()));
  ASSERT_OK_AND_ASSIGN(std::shared_ptr<mapper::Buffer> imported,
                       mapper.Get(handle));
  {
    ASSERT_OK_AND_ASSIGN(
        mapper::LockGuard outer,
        mapper::LockGuard::Acquire(*imported, kCpuWrite, Rect{}, UniqueFd()));
    ASSERT_NE(outer.data(), nullptr);
    EXPECT_EQ(imported->lock_count(), 1);
    {
      ASSERT_OK_AND_ASSIGN(
          mapper::LockGuard inner,
          mapper::LockGuard::Acquire(*imported, kCpuRead, Rect{0, 0, 4, 4},
                                     UniqueFd()));
      EXPECT_EQ(inner.data(), outer.data());
      EXPECT_EQ(imported->lock_count(), 2);
    }
    EXPECT_EQ(imported->lock_count(), 1);
    EXPECT_OK(outer.Release());
    EXPECT_EQ(imported->lock_count(), 0);
  }
  EXPECT_THAT(imported->Unlock(),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_OK(mapper.Free(handle));
  EXPECT_THAT(mapper.Free(handle), StatusIs(absl::StatusCode::kNotFound));
}

TEST_F(LockTest, EveryYuvFormatLocksWithPlainLock) {
  for (PixelFormat format :
       {PixelFormat::YCRCB_420_SP, PixelFormat::YV12, PixelFormat::YCBCR_P010,
        PixelFormat::YCBCR_422_SP, PixelFormat::YCBCR_422_I}) {
    TestBufferSpec spec;
    spec.format = format;
    Import(spec);
    EXPECT_EQ(Lock(kCpuReadWrite, kWholeBuffer), AIMAPPER_ERROR_NONE)
        << static_cast<int>(format);
    EXPECT_EQ(Unlock(), AIMAPPER_ERROR_NONE);
  }
  // YCBCR_420_888 resolved to NV21, and to NV12 (named by fourcc).
  TestBufferSpec flexible;
  flexible.format = PixelFormat::YCBCR_420_888;
  flexible.layout_format = PixelFormat::YCRCB_420_SP;
  Import(flexible);
  EXPECT_EQ(Lock(kCpuReadWrite, kWholeBuffer), AIMAPPER_ERROR_NONE);
  EXPECT_EQ(Unlock(), AIMAPPER_ERROR_NONE);
}

}  // namespace
}  // namespace gralloc
