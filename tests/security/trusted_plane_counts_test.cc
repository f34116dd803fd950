// Copyright 2026 The gralloc for Linux Authors.
//
// Bug class: a plane count taken on trust.
//
// The handle states how many planes follow (1..4 slots) and which format
// they belong to. A mapper that believed the count would index past its
// plane array (5, -1), describe a buffer with no planes (0), or hand a
// client fewer or more planes than the format has, which it then walks as
// the format says. The count must equal the format's, every unused slot
// must be zero, and the format and fourcc must agree; anything else is
// BAD_BUFFER.

#include <climits>
#include <cstdint>
#include <vector>

#include "android/hardware/graphics/mapper/IMapper.h"
#include "gtest/gtest.h"
#include "hal/base/fd_count.h"
#include "hal/base/status_matchers.h"
#include "hal/handle/buffer_handle.h"
#include "hal/types/pixel_format.h"
#include "mapper/testing/buffer_factory.h"
#include "tests/security/security_test_util.h"

namespace gralloc {
namespace {

using ::gralloc::testing::CloneHandle;
using ::gralloc::testing::HandleInt;
using ::gralloc::testing::LoadMapper;
using ::gralloc::testing::MakeTestBuffer;
using ::gralloc::testing::MapperAttackTest;
using ::gralloc::testing::OpenFdCount;
using ::gralloc::testing::TestBuffer;
using ::gralloc::testing::TestBufferSpec;

class TrustedPlaneCountsTest : public MapperAttackTest {};

TestBufferSpec Yv12() {
  TestBufferSpec spec;
  spec.format = PixelFormat::YV12;
  return spec;
}

TEST_F(TrustedPlaneCountsTest, CountsOutsideTheSlotsAreBadBuffer) {
  ASSERT_OK_AND_ASSIGN(TestBuffer buffer, MakeTestBuffer());
  for (int32_t count : {0, 5, -1, 1000, INT32_MAX, INT32_MIN}) {
    EXPECT_EQ(ImportForged(buffer.handle.get(),
                           [count](native_handle_t* h) {
                             HandleInt(h, kHandleIntPlaneCount) = count;
                           }),
              AIMAPPER_ERROR_BAD_BUFFER)
        << count;
  }
}

TEST_F(TrustedPlaneCountsTest, MorePlanesThanTheFormatHasAreBadBuffer) {
  // RGBA_8888 has one plane; the handle claims four, with real-looking
  // slots after the first.
  ASSERT_OK_AND_ASSIGN(TestBuffer buffer, MakeTestBuffer());
  for (int32_t count : {2, 4}) {
    EXPECT_EQ(ImportForged(buffer.handle.get(),
                           [count](native_handle_t* h) {
                             HandleInt(h, kHandleIntPlaneCount) = count;
                             for (int i = 1; i < count; ++i) {
                               int32_t* slot =
                                   &HandleInt(h, kHandleIntPlanes +
                                                     kHandleIntsPerPlane * i);
                               slot[0] = 0;    // offset
                               slot[2] = 256;  // stride
                               slot[3] = 256;  // size
                             }
                           }),
              AIMAPPER_ERROR_BAD_BUFFER)
        << count;
  }
}

TEST_F(TrustedPlaneCountsTest, FewerPlanesThanTheFormatHasAreBadBuffer) {
  // YV12 has three planes. Claiming one (its other slots zeroed, so the
  // handle is self-consistent) or two must not describe a smaller buffer.
  ASSERT_OK_AND_ASSIGN(TestBuffer buffer, MakeTestBuffer(Yv12()));
  for (int32_t count : {1, 2}) {
    EXPECT_EQ(ImportForged(buffer.handle.get(),
                           [count](native_handle_t* h) {
                             HandleInt(h, kHandleIntPlaneCount) = count;
                             for (int i = kHandleIntPlanes +
                                          kHandleIntsPerPlane * count;
                                  i < kHandleNumInts; ++i) {
                               HandleInt(h, i) = 0;
                             }
                           }),
              AIMAPPER_ERROR_BAD_BUFFER)
        << count;
  }
}

TEST_F(TrustedPlaneCountsTest, NonZeroUnusedSlotsAreBadBuffer) {
  ASSERT_OK_AND_ASSIGN(TestBuffer buffer, MakeTestBuffer());
  for (int index = kHandleIntPlanes + kHandleIntsPerPlane;
       index < kHandleNumInts; ++index) {
    EXPECT_EQ(
        ImportForged(buffer.handle.get(),
                     [index](native_handle_t* h) { HandleInt(h, index) = 1; }),
        AIMAPPER_ERROR_BAD_BUFFER)
        << "int " << index;
  }
}

TEST_F(TrustedPlaneCountsTest, AFormatThatDisagreesWithThePlanesIsBad) {
  ASSERT_OK_AND_ASSIGN(TestBuffer yv12, MakeTestBuffer(Yv12()));
  // Three real planes under a one-plane format.
  EXPECT_EQ(ImportForged(yv12.handle.get(),
                         [](native_handle_t* h) {
                           HandleInt(h, kHandleIntFormat) =
                               static_cast<int32_t>(PixelFormat::RGBA_8888);
                           HandleInt(h, kHandleIntFourcc) = 0;
                         }),
            AIMAPPER_ERROR_BAD_BUFFER);
  // A fourcc naming another layout (NV12 for YV12).
  EXPECT_EQ(ImportForged(yv12.handle.get(),
                         [](native_handle_t* h) {
                           HandleInt(h, kHandleIntFourcc) = 0x3231564e;
                         }),
            AIMAPPER_ERROR_BAD_BUFFER);
  // A flexible format with no concrete layout named.
  EXPECT_EQ(ImportForged(yv12.handle.get(),
                         [](native_handle_t* h) {
                           HandleInt(h, kHandleIntFormat) =
                               static_cast<int32_t>(
                                   PixelFormat::IMPLEMENTATION_DEFINED);
                         }),
            AIMAPPER_ERROR_BAD_BUFFER);
}

TEST_F(TrustedPlaneCountsTest, PlaneLayoutsReportExactlyTheFormatsPlanes) {
  ASSERT_OK_AND_ASSIGN(TestBuffer yv12, MakeTestBuffer(Yv12()));
  buffer_handle_t imported = nullptr;
  ASSERT_EQ(mapper_->v5.importBuffer(yv12.handle.get(), &imported),
            AIMAPPER_ERROR_NONE);
  const int64_t kPlaneLayouts = 15;
  const int32_t size =
      mapper_->v5.getStandardMetadata(imported, kPlaneLayouts, nullptr, 0);
  ASSERT_GT(size, 0);
  std::vector<uint8_t> bytes(static_cast<size_t>(size));
  ASSERT_EQ(mapper_->v5.getStandardMetadata(imported, kPlaneLayouts,
                                            bytes.data(), bytes.size()),
            size);
  // After the 69-byte header: int64 plane count, little-endian.
  int64_t planes = 0;
  for (int i = 7; i >= 0; --i) planes = (planes << 8) | bytes[69 + i];
  EXPECT_EQ(planes, 3);
  EXPECT_EQ(mapper_->v5.freeBuffer(imported), AIMAPPER_ERROR_NONE);
}

}  // namespace
}  // namespace gralloc
