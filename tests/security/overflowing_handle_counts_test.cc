// Copyright 2026 The gralloc for Linux Authors.
//
// Bug class: a handle's fd and int counts taken on trust.
//
// native_handle_t says how many fds and ints follow it (numFds, numInts),
// and our handle repeats the int count in its own ints. A mapper that
// believed a huge count would read (or close) far past the handle; one that
// believed a negative count would index backwards; one that accepted a
// count pair with the right total but the wrong split would read an fd as
// an int. Every such handle must be BAD_BUFFER, read nothing past the
// handle (AddressSanitizer would see it) and leak no fd.

#include <climits>
#include <cstdint>

#include "android/hardware/graphics/mapper/IMapper.h"
#include "gtest/gtest.h"
#include "hal/base/fd_count.h"
#include "hal/base/status_matchers.h"
#include "hal/handle/buffer_handle.h"
#include "mapper/testing/buffer_factory.h"
#include "tests/security/security_test_util.h"

namespace gralloc {
namespace {

using ::gralloc::testing::HandleInt;
using ::gralloc::testing::LoadMapper;
using ::gralloc::testing::MakeTestBuffer;
using ::gralloc::testing::MapperAttackWithBufferTest;
using ::gralloc::testing::OpenFdCount;
using ::gralloc::testing::TestBuffer;

class OverflowingHandleCountsTest : public MapperAttackWithBufferTest {
 protected:
  // Imports the real handle with its header counts replaced, then puts them
  // back (the handle's deleter closes numFds fds).
  AIMapper_Error ImportWithCounts(int num_fds, int num_ints) {
    native_handle_t* handle = buffer_.handle.get();
    const int saved_fds = handle->numFds;
    const int saved_ints = handle->numInts;
    handle->numFds = num_fds;
    handle->numInts = num_ints;
    buffer_handle_t imported = nullptr;
    const AIMapper_Error error = mapper_->v5.importBuffer(handle, &imported);
    handle->numFds = saved_fds;
    handle->numInts = saved_ints;
    if (error == AIMAPPER_ERROR_NONE) mapper_->v5.freeBuffer(imported);
    return error;
  }
};

TEST_F(OverflowingHandleCountsTest, TheRealCountsImport) {
  EXPECT_EQ(ImportWithCounts(kHandleNumFds, kHandleNumInts),
            AIMAPPER_ERROR_NONE);
}

TEST_F(OverflowingHandleCountsTest, HugeCountsAreBadBuffer) {
  EXPECT_EQ(ImportWithCounts(INT_MAX, kHandleNumInts),
            AIMAPPER_ERROR_BAD_BUFFER);
  EXPECT_EQ(ImportWithCounts(kHandleNumFds, INT_MAX),
            AIMAPPER_ERROR_BAD_BUFFER);
  EXPECT_EQ(ImportWithCounts(INT_MAX, INT_MAX), AIMAPPER_ERROR_BAD_BUFFER);
  // Android's own limits, and one past them.
  EXPECT_EQ(ImportWithCounts(1024, 1024), AIMAPPER_ERROR_BAD_BUFFER);
  EXPECT_EQ(ImportWithCounts(1025, kHandleNumInts), AIMAPPER_ERROR_BAD_BUFFER);
}

TEST_F(OverflowingHandleCountsTest, NegativeCountsAreBadBuffer) {
  EXPECT_EQ(ImportWithCounts(-1, kHandleNumInts), AIMAPPER_ERROR_BAD_BUFFER);
  EXPECT_EQ(ImportWithCounts(kHandleNumFds, -1), AIMAPPER_ERROR_BAD_BUFFER);
  EXPECT_EQ(ImportWithCounts(INT_MIN, kHandleNumInts),
            AIMAPPER_ERROR_BAD_BUFFER);
  EXPECT_EQ(ImportWithCounts(kHandleNumFds, INT_MIN),
            AIMAPPER_ERROR_BAD_BUFFER);
  // Sums that wrap to the real total of 46.
  EXPECT_EQ(ImportWithCounts(INT_MIN + 46, INT_MIN), AIMAPPER_ERROR_BAD_BUFFER);
}

TEST_F(OverflowingHandleCountsTest, MismatchedSplitsOfTheRightTotalAreBad) {
  // 46 entries either way: an fd read as an int, or an int as an fd.
  EXPECT_EQ(ImportWithCounts(1, kHandleNumInts + 1), AIMAPPER_ERROR_BAD_BUFFER);
  EXPECT_EQ(ImportWithCounts(3, kHandleNumInts - 1), AIMAPPER_ERROR_BAD_BUFFER);
  EXPECT_EQ(ImportWithCounts(0, kHandleNumInts + 2), AIMAPPER_ERROR_BAD_BUFFER);
  // Fewer entries than the handle has.
  EXPECT_EQ(ImportWithCounts(kHandleNumFds, kHandleNumInts - 1),
            AIMAPPER_ERROR_BAD_BUFFER);
  EXPECT_EQ(ImportWithCounts(0, 0), AIMAPPER_ERROR_BAD_BUFFER);
}

TEST_F(OverflowingHandleCountsTest, ALyingIntCountInsideTheHandleIsBad) {
  native_handle_t* handle = buffer_.handle.get();
  for (int32_t lie :
       {kHandleNumInts + 1, kHandleNumInts - 1, 0, -1, INT32_MAX, INT32_MIN}) {
    HandleInt(handle, kHandleIntNumInts) = lie;
    EXPECT_EQ(ImportWithCounts(kHandleNumFds, kHandleNumInts),
              AIMAPPER_ERROR_BAD_BUFFER)
        << lie;
  }
  HandleInt(handle, kHandleIntNumInts) = kHandleNumInts;
  EXPECT_EQ(ImportWithCounts(kHandleNumFds, kHandleNumInts),
            AIMAPPER_ERROR_NONE);
}

TEST_F(OverflowingHandleCountsTest, ALyingNativeHandleVersionIsBadBuffer) {
  native_handle_t* handle = buffer_.handle.get();
  const int saved = handle->version;
  for (int version : {0, -1, INT_MAX, saved + 4}) {
    handle->version = version;
    EXPECT_EQ(ImportWithCounts(kHandleNumFds, kHandleNumInts),
              AIMAPPER_ERROR_BAD_BUFFER)
        << version;
  }
  handle->version = saved;
}

TEST_F(OverflowingHandleCountsTest, TransportSizeIsTheRealCounts) {
  buffer_handle_t imported = nullptr;
  ASSERT_EQ(mapper_->v5.importBuffer(buffer_.handle.get(), &imported),
            AIMAPPER_ERROR_NONE);
  uint32_t num_fds = 0;
  uint32_t num_ints = 0;
  EXPECT_EQ(mapper_->v5.getTransportSize(imported, &num_fds, &num_ints),
            AIMAPPER_ERROR_NONE);
  EXPECT_EQ(num_fds, static_cast<uint32_t>(kHandleNumFds));
  EXPECT_EQ(num_ints, static_cast<uint32_t>(kHandleNumInts));
  EXPECT_EQ(mapper_->v5.freeBuffer(imported), AIMAPPER_ERROR_NONE);
}

}  // namespace
}  // namespace gralloc
