// Copyright 2026 The gralloc for Linux Authors.
//
// Bug class: a handle whose geometry or sizes exceed what its fds hold.
//
// A handle states a width, a height, a layer count, strides and plane and
// buffer sizes; a consumer that locks the buffer writes the rows it was told
// about. If the mapper imported a handle whose rows, strides or layers do
// not fit its planes, or whose planes or metadata do not fit the real fds,
// that write would run past the plane (into the next plane, past the
// mapping: SIGSEGV, or over other memory). Every such handle must be
// refused at import with BAD_BUFFER, leaking no fd.

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <functional>
#include <string>

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
using ::gralloc::testing::OpenFdCount;
using ::gralloc::testing::TestBuffer;
using ::gralloc::testing::TestBufferSpec;

constexpr uint64_t kCpuReadWrite = 0x33;  // CPU_READ_OFTEN | CPU_WRITE_OFTEN

class HandleGeometryExceedsFdsTest : public MapperAttackTest {
 protected:
  // Makes a real 64x32 RGBA_8888 buffer (256-byte rows, 8192 bytes), lets
  // `forge` rewrite a copy of its handle and imports the copy, which must be
  // refused. Had it been imported, the test locks it and reports how far
  // past the buffer a write of the rows the handle claims would have run.
  void ExpectRefused(const std::function<void(native_handle_t*)>& forge,
                     TestBufferSpec spec = {}) {
    ASSERT_OK_AND_ASSIGN(TestBuffer buffer, MakeTestBuffer(spec));
    NativeHandlePtr forged = CloneHandle(buffer.handle.get());
    ASSERT_NE(forged, nullptr);
    forge(forged.get());
    buffer_handle_t imported = nullptr;
    const AIMapper_Error error =
        mapper_->v5.importBuffer(forged.get(), &imported);
    if (error == AIMAPPER_ERROR_NONE) {
      void* data = nullptr;
      const AIMapper_Error locked = mapper_->v5.lock(
          imported, kCpuReadWrite, ARect{0, 0, 0, 0}, -1, &data);
      native_handle_t* h = forged.get();
      const uint64_t rows =
          static_cast<uint64_t>(HandleInt(h, kHandleIntHeight)) *
          static_cast<uint64_t>(HandleInt(h, kHandleIntLayerCount));
      const uint64_t row_bytes = std::max<uint64_t>(
          static_cast<uint32_t>(HandleInt(h, kHandleIntPlanes + 2)),
          4 * static_cast<uint64_t>(HandleInt(h, kHandleIntStridePx)));
      ADD_FAILURE() << "imported (lock returned " << locked
                    << ") a handle whose " << rows << " rows of " << row_bytes
                    << " bytes run to byte " << rows * row_bytes << " of a "
                    << buffer.info.allocation_size << "-byte buffer";
      if (locked == AIMAPPER_ERROR_NONE) {
        int release = -1;
        mapper_->v5.unlock(imported, &release);
      }
      mapper_->v5.freeBuffer(imported);
    }
    EXPECT_EQ(error, AIMAPPER_ERROR_BAD_BUFFER);
  }
};

TEST_F(HandleGeometryExceedsFdsTest,
       TheRealHandleImportsAndItsRowsAreWritable) {
  ASSERT_OK_AND_ASSIGN(TestBuffer buffer, MakeTestBuffer());
  buffer_handle_t imported = nullptr;
  ASSERT_EQ(mapper_->v5.importBuffer(buffer.handle.get(), &imported),
            AIMAPPER_ERROR_NONE);
  void* data = nullptr;
  ASSERT_EQ(
      mapper_->v5.lock(imported, kCpuReadWrite, ARect{0, 0, 0, 0}, -1, &data),
      AIMAPPER_ERROR_NONE);
  const LaidOutPlane& plane = buffer.info.layout.planes[0];
  std::memset(static_cast<uint8_t*>(data) + plane.offset_bytes, 0x5a,
              plane.stride_bytes * static_cast<uint64_t>(buffer.info.height));
  int release = -2;
  EXPECT_EQ(mapper_->v5.unlock(imported, &release), AIMAPPER_ERROR_NONE);
  EXPECT_EQ(release, -1);
  EXPECT_EQ(mapper_->v5.freeBuffer(imported), AIMAPPER_ERROR_NONE);
}

TEST_F(HandleGeometryExceedsFdsTest, MoreRowsThanThePlaneIsBadBuffer) {
  ExpectRefused([](native_handle_t* h) {
    HandleInt(h, kHandleIntHeight) = 32 * 1000;  // the plane holds 32 rows
  });
  ExpectRefused(
      [](native_handle_t* h) { HandleInt(h, kHandleIntHeight) = 0x7fffffff; });
}

TEST_F(HandleGeometryExceedsFdsTest, AWiderStrideThanThePlaneIsBadBuffer) {
  ExpectRefused([](native_handle_t* h) {
    // 32 rows of 1 MiB in an 8 KiB plane, stride_px agreeing.
    HandleInt(h, kHandleIntPlanes + 2) = 1 << 20;
    HandleInt(h, kHandleIntStridePx) = (1 << 20) / 4;
  });
}

TEST_F(HandleGeometryExceedsFdsTest, AWiderStrideInPixelsIsBadBuffer) {
  ExpectRefused([](native_handle_t* h) {
    HandleInt(h, kHandleIntStridePx) = 64 * 1024;  // 256 KiB rows
  });
}

TEST_F(HandleGeometryExceedsFdsTest, AWiderBufferThanItsStrideIsBadBuffer) {
  ExpectRefused([](native_handle_t* h) {
    HandleInt(h, kHandleIntWidth) = 4096;
    HandleInt(h, kHandleIntStridePx) = 4096;  // 16 KiB rows, 256-byte stride
  });
}

TEST_F(HandleGeometryExceedsFdsTest, MoreLayersThanTheBufferHoldsIsBadBuffer) {
  ExpectRefused(
      [](native_handle_t* h) { HandleInt(h, kHandleIntLayerCount) = 1000; });
  ExpectRefused([](native_handle_t* h) {
    HandleInt(h, kHandleIntLayerCount) = 0x7fffffff;
  });
}

TEST_F(HandleGeometryExceedsFdsTest, APixelFdShorterThanThePlanesIsBadBuffer) {
  TestBufferSpec spec;
  spec.pixel_file_size = 4096;  // the planes need 8192
  ExpectRefused([](native_handle_t*) {}, spec);
}

TEST_F(HandleGeometryExceedsFdsTest, APlaneBeyondTheRealFdIsBadBuffer) {
  // The handle grows the allocation and the plane to match, past the fd.
  ExpectRefused([](native_handle_t* h) {
    HandleInt(h, kHandleIntAllocationSize) = 1 << 20;
    HandleInt(h, kHandleIntPlanes + 3) = 1 << 20;
  });
}

TEST_F(HandleGeometryExceedsFdsTest, AMetadataFdSmallerThanStatedIsBadBuffer) {
  ExpectRefused([](native_handle_t* h) {
    HandleInt(h, kHandleIntMetadataSize) += 1 << 20;
  });
}

TEST_F(HandleGeometryExceedsFdsTest, AMetadataSizeShorterThanItsHeaderIsBad) {
  // The handle says 4 KiB; the metadata's own header says it is larger, so
  // a view of 4 KiB would read past what is mapped.
  ExpectRefused(
      [](native_handle_t* h) { HandleInt(h, kHandleIntMetadataSize) = 4096; });
}

}  // namespace
}  // namespace gralloc
