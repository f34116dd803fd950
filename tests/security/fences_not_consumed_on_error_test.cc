// Copyright 2026 The gralloc for Linux Authors.
//
// Bug class: an acquire fence not consumed on an error path.
//
// lock() takes ownership of its acquire fence (mapper/c_api.cc adopts it on
// the first line: "Fence fds passed in are always consumed", DESIGN.md). An
// implementation that returned early before adopting it would leak the fd on
// that error path; one that closed it and then let an owner close it again
// would close some other file that reused the number. Every lock below,
// failing or not, must leave the fence closed and the fd count where it
// was; unlock must hand back no fence (-1) for CPU work that is done.

#include <fcntl.h>
#include <unistd.h>

#include <cstdint>
#include <string>

#include "android/hardware/graphics/mapper/IMapper.h"
#include "gtest/gtest.h"
#include "hal/base/fd_count.h"
#include "hal/base/status_matchers.h"
#include "hal/handle/buffer_handle.h"
#include "hal/types/buffer_usage.h"
#include "mapper/testing/buffer_factory.h"
#include "tests/security/security_test_util.h"

namespace gralloc {
namespace {

using ::gralloc::testing::IsClosed;
using ::gralloc::testing::LoadMapper;
using ::gralloc::testing::MakeTestBuffer;
using ::gralloc::testing::MapperAttackTest;
using ::gralloc::testing::NewFence;
using ::gralloc::testing::OpenFdCount;
using ::gralloc::testing::TestBuffer;
using ::gralloc::testing::TestBufferSpec;

constexpr uint64_t kCpuRead = UsageValue(BufferUsage::CPU_READ_OFTEN);
constexpr uint64_t kCpuWrite = UsageValue(BufferUsage::CPU_WRITE_OFTEN);
constexpr ARect kWholeBuffer{0, 0, 0, 0};

class FencesNotConsumedOnErrorTest : public MapperAttackTest {
 protected:
  // Imports a buffer made from `spec`; the raw handle is freed at once.
  buffer_handle_t Import(const TestBufferSpec& spec = {}) {
    auto buffer = MakeTestBuffer(spec);
    EXPECT_TRUE(buffer.ok()) << buffer.status();
    if (!buffer.ok()) return nullptr;
    buffer_handle_t imported = nullptr;
    EXPECT_EQ(mapper_->v5.importBuffer(buffer->handle.get(), &imported),
              AIMAPPER_ERROR_NONE);
    return imported;
  }

  // Locks with a fresh fence and checks that, whatever the result, the
  // fence is closed and the fd count is back to what it was before it was
  // made. Returns lock's result.
  AIMapper_Error LockWithFence(buffer_handle_t buffer, uint64_t usage,
                               ARect region, bool signalled, void** out_data) {
    const int fds = OpenFdCount();
    const int fence = NewFence(signalled);
    EXPECT_GE(fence, 0);
    const AIMapper_Error error =
        mapper_->v5.lock(buffer, usage, region, fence, out_data);
    EXPECT_TRUE(IsClosed(fence))
        << "fence " << fence << " leaked, error " << error;
    EXPECT_EQ(OpenFdCount(), fds) << "error " << error;
    return error;
  }

  void Free(buffer_handle_t buffer) {
    EXPECT_EQ(mapper_->v5.freeBuffer(buffer), AIMAPPER_ERROR_NONE);
  }
};

TEST_F(FencesNotConsumedOnErrorTest, ASuccessfulLockConsumesTheFence) {
  buffer_handle_t buffer = Import();
  void* data = nullptr;
  EXPECT_EQ(LockWithFence(buffer, kCpuWrite, kWholeBuffer, true, &data),
            AIMAPPER_ERROR_NONE);
  EXPECT_NE(data, nullptr);
  int release = -2;
  EXPECT_EQ(mapper_->v5.unlock(buffer, &release), AIMAPPER_ERROR_NONE);
  EXPECT_EQ(release, -1);
  Free(buffer);
}

TEST_F(FencesNotConsumedOnErrorTest, UnknownOrNullBufferConsumesTheFence) {
  void* data = nullptr;
  EXPECT_EQ(LockWithFence(nullptr, kCpuWrite, kWholeBuffer, true, &data),
            AIMAPPER_ERROR_BAD_BUFFER);
  ASSERT_OK_AND_ASSIGN(TestBuffer raw, MakeTestBuffer());
  EXPECT_EQ(
      LockWithFence(raw.handle.get(), kCpuWrite, kWholeBuffer, true, &data),
      AIMAPPER_ERROR_BAD_BUFFER);
  buffer_handle_t freed = Import();
  Free(freed);
  EXPECT_EQ(LockWithFence(freed, kCpuWrite, kWholeBuffer, true, &data),
            AIMAPPER_ERROR_BAD_BUFFER);
}

TEST_F(FencesNotConsumedOnErrorTest, NullOutDataConsumesTheFence) {
  buffer_handle_t buffer = Import();
  EXPECT_EQ(LockWithFence(buffer, kCpuWrite, kWholeBuffer, true, nullptr),
            AIMAPPER_ERROR_BAD_VALUE);
  Free(buffer);
}

TEST_F(FencesNotConsumedOnErrorTest, BadUsageConsumesTheFence) {
  TestBufferSpec read_only;
  read_only.usage = kCpuRead;
  buffer_handle_t buffer = Import(read_only);
  void* data = nullptr;
  for (uint64_t usage :
       {uint64_t{0}, kCpuWrite, UsageValue(BufferUsage::GPU_TEXTURE),
        kCpuRead | UsageValue(BufferUsage::COMPOSER_OVERLAY)}) {
    EXPECT_EQ(LockWithFence(buffer, usage, kWholeBuffer, true, &data),
              AIMAPPER_ERROR_BAD_VALUE)
        << usage;
  }
  Free(buffer);
}

TEST_F(FencesNotConsumedOnErrorTest, BadRegionConsumesTheFence) {
  buffer_handle_t buffer = Import();
  void* data = nullptr;
  EXPECT_EQ(LockWithFence(buffer, kCpuWrite, ARect{0, 0, 65, 32}, true, &data),
            AIMAPPER_ERROR_BAD_VALUE);
  EXPECT_EQ(LockWithFence(buffer, kCpuWrite, ARect{-1, 0, 4, 4}, true, &data),
            AIMAPPER_ERROR_BAD_VALUE);
  Free(buffer);
}

TEST_F(FencesNotConsumedOnErrorTest, AProtectedBufferConsumesTheFence) {
  TestBufferSpec spec;
  spec.flags = kHandleFlagProtected;
  buffer_handle_t buffer = Import(spec);
  void* data = nullptr;
  const AIMapper_Error error =
      LockWithFence(buffer, kCpuWrite, kWholeBuffer, true, &data);
  EXPECT_NE(error, AIMAPPER_ERROR_NONE);
  EXPECT_EQ(data, nullptr);
  Free(buffer);
}

TEST_F(FencesNotConsumedOnErrorTest, AFenceThatNeverSignalsIsConsumed) {
  // Waits for the mapper's fence timeout (3 s) once.
  buffer_handle_t buffer = Import();
  void* data = nullptr;
  EXPECT_EQ(LockWithFence(buffer, kCpuWrite, kWholeBuffer, false, &data),
            AIMAPPER_ERROR_NO_RESOURCES);
  // The failed lock holds nothing: unlock has nothing to end.
  int release = -2;
  EXPECT_NE(mapper_->v5.unlock(buffer, &release), AIMAPPER_ERROR_NONE);
  Free(buffer);
}

TEST_F(FencesNotConsumedOnErrorTest, ANestedLockConsumesItsFenceToo) {
  buffer_handle_t buffer = Import();
  void* data = nullptr;
  ASSERT_EQ(LockWithFence(buffer, kCpuWrite, kWholeBuffer, true, &data),
            AIMAPPER_ERROR_NONE);
  EXPECT_EQ(LockWithFence(buffer, kCpuRead, kWholeBuffer, true, &data),
            AIMAPPER_ERROR_NONE);
  EXPECT_EQ(LockWithFence(buffer, 0, kWholeBuffer, true, &data),
            AIMAPPER_ERROR_BAD_VALUE);
  int release = -2;
  EXPECT_EQ(mapper_->v5.unlock(buffer, &release), AIMAPPER_ERROR_NONE);
  EXPECT_EQ(mapper_->v5.unlock(buffer, &release), AIMAPPER_ERROR_NONE);
  EXPECT_EQ(release, -1);
  Free(buffer);
}

// The fence's number is reused as soon as the mapper closes it. A mapper
// that closed it a second time (after the caller reused the number) would
// close the caller's new file; run each path, then reuse the number at once
// and check the new file survives the next calls.
TEST_F(FencesNotConsumedOnErrorTest, AConsumedFenceIsClosedOnlyOnce) {
  buffer_handle_t buffer = Import();
  for (int round = 0; round < 3; ++round) {
    void* data = nullptr;
    const int fence = NewFence(true);
    ASSERT_GE(fence, 0);
    EXPECT_EQ(mapper_->v5.lock(buffer, 0, kWholeBuffer, fence, &data),
              AIMAPPER_ERROR_BAD_VALUE);
    const int reused = NewFence(true);
    EXPECT_EQ(reused, fence);  // the lowest free number
    EXPECT_EQ(mapper_->v5.lock(buffer, kCpuWrite, kWholeBuffer, -1, &data),
              AIMAPPER_ERROR_NONE);
    int release = -2;
    EXPECT_EQ(mapper_->v5.unlock(buffer, &release), AIMAPPER_ERROR_NONE);
    EXPECT_FALSE(IsClosed(reused));
    close(reused);
  }
  Free(buffer);
}

}  // namespace
}  // namespace gralloc
