// Copyright 2026 The gralloc for Linux Authors.
//
// Bug class: size arithmetic that wraps.
//
// Offsets, sizes and strides travel as 32- and 64-bit integers. A check
// written as `offset + size <= allocation` or `stride * rows <= size` that
// wraps (near 2^32 in 32-bit code, near 2^64 in 64-bit code) accepts a plane
// that runs past the buffer. Each handle below would pass such a wrapped
// check against a real, correctly sized fd; each must be BAD_BUFFER. Lock
// regions with extreme coordinates must be BAD_VALUE.

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

using ::gralloc::testing::CloneHandle;
using ::gralloc::testing::HandleInt;
using ::gralloc::testing::LoadMapper;
using ::gralloc::testing::MakeTestBuffer;
using ::gralloc::testing::MapperAttackTest;
using ::gralloc::testing::MapperAttackWithBufferTest;
using ::gralloc::testing::OpenFdCount;
using ::gralloc::testing::TestBuffer;

constexpr uint64_t kCpuReadWrite = 0x33;
constexpr int kPlane0 = kHandleIntPlanes;

void Set64(native_handle_t* handle, int index, uint64_t value) {
  HandleInt(handle, index) = static_cast<int32_t>(value & 0xffffffffu);
  HandleInt(handle, index + 1) = static_cast<int32_t>(value >> 32);
}

class OverflowingSizeArithmeticTest : public MapperAttackWithBufferTest {
 protected:
  template <typename Forge>
  AIMapper_Error ImportForged(Forge forge) {
    return MapperAttackTest::ImportForged(buffer_.handle.get(), forge);
  }
};

TEST_F(OverflowingSizeArithmeticTest, OffsetPlusSizeWrapping64BitsIsBad) {
  // offset 2^64 - 4096 plus 8192 bytes is 4096 in wrapped arithmetic.
  EXPECT_EQ(ImportForged([](native_handle_t* h) {
              Set64(h, kPlane0, ~uint64_t{0} - 4095);
            }),
            AIMAPPER_ERROR_BAD_BUFFER);
  // offset 1 plus a size of 2^64 - 1 is 0.
  EXPECT_EQ(ImportForged([](native_handle_t* h) {
              Set64(h, kPlane0, 1);
              Set64(h, kPlane0 + 3, ~uint64_t{0});
            }),
            AIMAPPER_ERROR_BAD_BUFFER);
}

TEST_F(OverflowingSizeArithmeticTest, StrideTimesRowsWrapping32BitsIsBad) {
  // 65536 rows of 65536 bytes is 2^32: 0 in 32-bit arithmetic.
  EXPECT_EQ(ImportForged([](native_handle_t* h) {
              HandleInt(h, kHandleIntHeight) = 65536;
              HandleInt(h, kPlane0 + 2) = 65536;
              HandleInt(h, kHandleIntStridePx) = 65536 / 4;
            }),
            AIMAPPER_ERROR_BAD_BUFFER);
  // 2^31 - 1 rows of a 0xffffffff-byte stride: near 2^63, no wrap in 64
  // bits, still far past the plane.
  EXPECT_EQ(ImportForged([](native_handle_t* h) {
              HandleInt(h, kHandleIntHeight) = INT32_MAX;
              HandleInt(h, kPlane0 + 2) = -1;
            }),
            AIMAPPER_ERROR_BAD_BUFFER);
}

TEST_F(OverflowingSizeArithmeticTest, StrideInPixelsTimesBytesWrappingIsBad) {
  // 2^30 pixels of 4 bytes is 2^32: 0 in 32-bit arithmetic.
  EXPECT_EQ(ImportForged([](native_handle_t* h) {
              HandleInt(h, kHandleIntStridePx) = 1 << 30;
            }),
            AIMAPPER_ERROR_BAD_BUFFER);
  EXPECT_EQ(ImportForged([](native_handle_t* h) {
              HandleInt(h, kHandleIntStridePx) = INT32_MAX;
            }),
            AIMAPPER_ERROR_BAD_BUFFER);
}

TEST_F(OverflowingSizeArithmeticTest, LayersTimesLayerSizeWrappingIsBad) {
  // 2^19 layers of 8192 bytes is 2^32; 2^51 would wrap 64 bits but the
  // count is 32-bit, so also try the largest.
  for (int32_t layers : {1 << 19, INT32_MAX}) {
    EXPECT_EQ(ImportForged([layers](native_handle_t* h) {
                HandleInt(h, kHandleIntLayerCount) = layers;
              }),
              AIMAPPER_ERROR_BAD_BUFFER)
        << layers;
  }
}

TEST_F(OverflowingSizeArithmeticTest, SizesNear2To32And2To64AreBad) {
  // The allocation and the plane grown past 2^32 (the fd has 8192 bytes).
  EXPECT_EQ(ImportForged([](native_handle_t* h) {
              Set64(h, kHandleIntAllocationSize, (uint64_t{1} << 32) + 8192);
            }),
            AIMAPPER_ERROR_BAD_BUFFER);
  EXPECT_EQ(ImportForged([](native_handle_t* h) {
              Set64(h, kHandleIntAllocationSize, ~uint64_t{0});
              Set64(h, kPlane0 + 3, ~uint64_t{0});
            }),
            AIMAPPER_ERROR_BAD_BUFFER);
  // Reserved and metadata sizes at their type's limits.
  EXPECT_EQ(ImportForged([](native_handle_t* h) {
              Set64(h, kHandleIntReservedSize, ~uint64_t{0});
            }),
            AIMAPPER_ERROR_BAD_BUFFER);
  EXPECT_EQ(ImportForged([](native_handle_t* h) {
              HandleInt(h, kHandleIntMetadataSize) = -1;  // 0xffffffff
            }),
            AIMAPPER_ERROR_BAD_BUFFER);
  // Sanity: the unforged clone imports.
  EXPECT_EQ(ImportForged([](native_handle_t*) {}), AIMAPPER_ERROR_NONE);
}

TEST_F(OverflowingSizeArithmeticTest, ExtremeLockRegionsAreBadValue) {
  buffer_handle_t imported = nullptr;
  ASSERT_EQ(mapper_->v5.importBuffer(buffer_.handle.get(), &imported),
            AIMAPPER_ERROR_NONE);
  for (const ARect& region : {
           ARect{0, 0, INT32_MAX, INT32_MAX},
           ARect{INT32_MIN, INT32_MIN, 1, 1},
           ARect{INT32_MAX - 1, 0, INT32_MAX, 1},
           ARect{0, 0, 65, 32},  // one column past the width
           ARect{0, 0, 64, 33},  // one row past the height
           ARect{10, 10, 5, 20},
       }) {
    void* data = nullptr;
    EXPECT_EQ(mapper_->v5.lock(imported, kCpuReadWrite, region, -1, &data),
              AIMAPPER_ERROR_BAD_VALUE)
        << region.left << "," << region.top << "," << region.right << ","
        << region.bottom;
  }
  void* data = nullptr;
  ASSERT_EQ(
      mapper_->v5.lock(imported, kCpuReadWrite, ARect{0, 0, 64, 32}, -1, &data),
      AIMAPPER_ERROR_NONE);
  int release = -2;
  EXPECT_EQ(mapper_->v5.unlock(imported, &release), AIMAPPER_ERROR_NONE);
  EXPECT_EQ(mapper_->v5.freeBuffer(imported), AIMAPPER_ERROR_NONE);
}

}  // namespace
}  // namespace gralloc
