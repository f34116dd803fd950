// Copyright 2026 The gralloc for Linux Authors.
//
// importBuffer / freeBuffer / getTransportSize / getReservedRegion through
// the C ABI, with forged handles.

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <vector>

#include "android/hardware/graphics/mapper/IMapper.h"
#include "gtest/gtest.h"
#include "hal/base/fd_count.h"
#include "hal/base/status_matchers.h"
#include "hal/handle/buffer_handle.h"
#include "hal/metadata/metadata_codec.h"
#include "hal/metadata/metadata_types.h"
#include "hal/metadata/shared_metadata.h"
#include "mapper/testing/buffer_factory.h"
#include "mapper/testing/mapper_test_util.h"

namespace gralloc {
namespace {

using ::gralloc::testing::CloneHandle;
using ::gralloc::testing::HandleInt;
using ::gralloc::testing::MakeTestBuffer;
using ::gralloc::testing::OpenFdCount;
using ::gralloc::testing::TestBuffer;
using ::gralloc::testing::TestBufferSpec;

class ImportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(AIMapper_loadIMapper(&mapper_), AIMAPPER_ERROR_NONE);
    ASSERT_NE(mapper_, nullptr);
  }

  AIMapper_Error Import(const native_handle_t* raw, buffer_handle_t* out) {
    return mapper_->v5.importBuffer(raw, out);
  }

  AIMapper* mapper_ = nullptr;
};

TEST_F(ImportTest, ImportAndFreeRoundTrip) {
  const int fds_before = OpenFdCount();
  {
    ASSERT_OK_AND_ASSIGN(TestBuffer buffer, MakeTestBuffer());
    buffer_handle_t imported = nullptr;
    ASSERT_EQ(Import(buffer.handle.get(), &imported), AIMAPPER_ERROR_NONE);
    ASSERT_NE(imported, nullptr);
    EXPECT_NE(imported, buffer.handle.get());
    EXPECT_EQ(mapper_->v5.freeBuffer(imported), AIMAPPER_ERROR_NONE);
  }
  EXPECT_EQ(OpenFdCount(), fds_before);
}

TEST_F(ImportTest, ImportNullIsBadBuffer) {
  buffer_handle_t imported = nullptr;
  EXPECT_EQ(Import(nullptr, &imported), AIMAPPER_ERROR_BAD_BUFFER);
}

TEST_F(ImportTest, ImportEmptyHandleIsBadBuffer) {
  native_handle_t* empty = native_handle_create(0, 0);
  ASSERT_NE(empty, nullptr);
  buffer_handle_t imported = nullptr;
  EXPECT_EQ(Import(empty, &imported), AIMAPPER_ERROR_BAD_BUFFER);
  native_handle_delete(empty);
}

TEST_F(ImportTest, ImportWrongMagicIsBadBuffer) {
  ASSERT_OK_AND_ASSIGN(TestBuffer buffer, MakeTestBuffer());
  HandleInt(buffer.handle.get(), kHandleIntMagic) ^= 0x1000;
  buffer_handle_t imported = nullptr;
  EXPECT_EQ(Import(buffer.handle.get(), &imported), AIMAPPER_ERROR_BAD_BUFFER);
}

TEST_F(ImportTest, ImportWrongVersionIsBadBuffer) {
  ASSERT_OK_AND_ASSIGN(TestBuffer buffer, MakeTestBuffer());
  HandleInt(buffer.handle.get(), kHandleIntVersion) = 99;
  buffer_handle_t imported = nullptr;
  EXPECT_EQ(Import(buffer.handle.get(), &imported), AIMAPPER_ERROR_BAD_BUFFER);
}

TEST_F(ImportTest, ImportShortPixelFdIsBadBufferNotSigbus) {
  TestBufferSpec spec;
  spec.pixel_file_size = 4096;  // the layout needs 64 * 32 * 4 = 8192
  ASSERT_OK_AND_ASSIGN(TestBuffer buffer, MakeTestBuffer(spec));
  ASSERT_GT(buffer.info.allocation_size, 4096u);
  buffer_handle_t imported = nullptr;
  EXPECT_EQ(Import(buffer.handle.get(), &imported), AIMAPPER_ERROR_BAD_BUFFER);
}

TEST_F(ImportTest, ImportSizesBeyondTheFdAreBadBuffer) {
  ASSERT_OK_AND_ASSIGN(TestBuffer buffer, MakeTestBuffer());
  // Claim a larger allocation and a plane that fills it: structurally fine,
  // but the memfd does not have the bytes.
  native_handle_t* handle = buffer.handle.get();
  const uint64_t claimed = buffer.info.allocation_size * 4;
  HandleInt(handle, kHandleIntAllocationSize) = static_cast<int32_t>(claimed);
  HandleInt(handle, kHandleIntPlanes + 3) = static_cast<int32_t>(claimed);
  buffer_handle_t imported = nullptr;
  EXPECT_EQ(Import(handle, &imported), AIMAPPER_ERROR_BAD_BUFFER);
}

TEST_F(ImportTest, ImportMetadataSizeBeyondTheFdIsBadBuffer) {
  ASSERT_OK_AND_ASSIGN(TestBuffer buffer, MakeTestBuffer());
  HandleInt(buffer.handle.get(), kHandleIntMetadataSize) =
      static_cast<int32_t>(buffer.info.metadata_size * 8);
  buffer_handle_t imported = nullptr;
  EXPECT_EQ(Import(buffer.handle.get(), &imported), AIMAPPER_ERROR_BAD_BUFFER);
}

TEST_F(ImportTest, ImportExtraPlanesIsBadBuffer) {
  ASSERT_OK_AND_ASSIGN(TestBuffer buffer, MakeTestBuffer());
  native_handle_t* handle = buffer.handle.get();
  // RGBA_8888 has one plane; claim a second one inside the allocation.
  HandleInt(handle, kHandleIntPlaneCount) = 2;
  int32_t* plane1 = &HandleInt(handle, kHandleIntPlanes + kHandleIntsPerPlane);
  plane1[0] = 0;
  plane1[2] = 256;
  plane1[3] = 256;
  buffer_handle_t imported = nullptr;
  EXPECT_EQ(Import(handle, &imported), AIMAPPER_ERROR_BAD_BUFFER);
}

TEST_F(ImportTest, ImportUnknownFormatIsBadBuffer) {
  ASSERT_OK_AND_ASSIGN(TestBuffer buffer, MakeTestBuffer());
  HandleInt(buffer.handle.get(), kHandleIntFormat) = 0x7777;
  buffer_handle_t imported = nullptr;
  EXPECT_EQ(Import(buffer.handle.get(), &imported), AIMAPPER_ERROR_BAD_BUFFER);
}

TEST_F(ImportTest, ImportUnsealedMemfdIsBadBuffer) {
  TestBufferSpec spec;
  spec.seal = false;  // could be truncated under our mapping later
  ASSERT_OK_AND_ASSIGN(TestBuffer buffer, MakeTestBuffer(spec));
  buffer_handle_t imported = nullptr;
  EXPECT_EQ(Import(buffer.handle.get(), &imported), AIMAPPER_ERROR_BAD_BUFFER);
}

TEST_F(ImportTest, ImportWithCorruptMetadataHeaderIsBadBuffer) {
  ASSERT_OK_AND_ASSIGN(TestBuffer buffer, MakeTestBuffer());
  const uint32_t garbage = 0xdeadbeef;
  ASSERT_EQ(pwrite(HandleMetadataFd(buffer.handle.get()), &garbage,
                   sizeof(garbage), 0),
            static_cast<ssize_t>(sizeof(garbage)));
  buffer_handle_t imported = nullptr;
  EXPECT_EQ(Import(buffer.handle.get(), &imported), AIMAPPER_ERROR_BAD_BUFFER);
}

TEST_F(ImportTest, ABlankMetadataBufferNotNamedByTheAllocatorIsBadBuffer) {
  for (const char* name : {"gralloc-metadata", "gralloc-md:00000000:0:memfd",
                           "gralloc-md:00000000:0:memfd:a b"}) {
    TestBufferSpec spec;
    spec.blank_name = name;
    ASSERT_OK_AND_ASSIGN(TestBuffer buffer, MakeTestBuffer(spec));
    buffer_handle_t imported = nullptr;
    EXPECT_EQ(Import(buffer.handle.get(), &imported), AIMAPPER_ERROR_BAD_BUFFER)
        << name;
  }
}

TEST_F(ImportTest, TheFirstImportWritesTheHeaderTheNextOnesReadIt) {
  TestBufferSpec spec;
  spec.name = "first: import/writes";
  spec.reserved_size = 64;
  ASSERT_OK_AND_ASSIGN(TestBuffer buffer, MakeTestBuffer(spec));
  struct stat st {};
  ASSERT_EQ(fstat(HandleMetadataFd(buffer.handle.get()), &st), 0);
  EXPECT_EQ(st.st_blocks, 0);  // blank until imported
  buffer_handle_t first = nullptr;
  ASSERT_EQ(Import(buffer.handle.get(), &first), AIMAPPER_ERROR_NONE);
  ASSERT_EQ(fstat(HandleMetadataFd(buffer.handle.get()), &st), 0);
  EXPECT_GT(st.st_blocks, 0);
  // A header written by the allocator reads the same.
  spec.blank_header = false;
  ASSERT_OK_AND_ASSIGN(TestBuffer eager, MakeTestBuffer(spec));
  buffer_handle_t second = nullptr;
  ASSERT_EQ(Import(eager.handle.get(), &second), AIMAPPER_ERROR_NONE);
  std::vector<uint8_t> names[2];
  for (int i = 0; i < 2; ++i) {
    const buffer_handle_t handle = i == 0 ? first : second;
    names[i].resize(256);
    const int32_t size = mapper_->v5.getStandardMetadata(
        handle, static_cast<int64_t>(StandardMetadataType::NAME),
        names[i].data(), names[i].size());
    ASSERT_GT(size, 0);
    names[i].resize(static_cast<size_t>(size));
  }
  EXPECT_EQ(names[0], names[1]);
  EXPECT_EQ(*DecodeMetadata<StandardMetadataType::NAME>(names[0].data(),
                                                        names[0].size()),
            "first: import/writes");
  EXPECT_EQ(mapper_->v5.freeBuffer(first), AIMAPPER_ERROR_NONE);
  EXPECT_EQ(mapper_->v5.freeBuffer(second), AIMAPPER_ERROR_NONE);
}

TEST_F(ImportTest, ImportWithMismatchedReservedSizeIsBadBuffer) {
  TestBufferSpec spec;
  spec.reserved_size = 64;
  ASSERT_OK_AND_ASSIGN(TestBuffer buffer, MakeTestBuffer(spec));
  HandleInt(buffer.handle.get(), kHandleIntReservedSize) = 128;
  buffer_handle_t imported = nullptr;
  EXPECT_EQ(Import(buffer.handle.get(), &imported), AIMAPPER_ERROR_BAD_BUFFER);
}

TEST_F(ImportTest, ImportWithSwappedFdsIsBadBuffer) {
  ASSERT_OK_AND_ASSIGN(TestBuffer buffer, MakeTestBuffer());
  native_handle_t* handle = buffer.handle.get();
  std::swap(handle->data[0], handle->data[1]);
  buffer_handle_t imported = nullptr;
  EXPECT_EQ(Import(handle, &imported), AIMAPPER_ERROR_BAD_BUFFER);
}

TEST_F(ImportTest, ImportFailuresLeakNoFds) {
  ASSERT_OK_AND_ASSIGN(TestBuffer buffer, MakeTestBuffer());
  HandleInt(buffer.handle.get(), kHandleIntMetadataSize) =
      static_cast<int32_t>(buffer.info.metadata_size * 8);
  const int fds_before = OpenFdCount();
  for (int i = 0; i < 16; ++i) {
    buffer_handle_t imported = nullptr;
    EXPECT_EQ(Import(buffer.handle.get(), &imported),
              AIMAPPER_ERROR_BAD_BUFFER);
  }
  EXPECT_EQ(OpenFdCount(), fds_before);
}

TEST_F(ImportTest, FreeNullIsBadBuffer) {
  EXPECT_EQ(mapper_->v5.freeBuffer(nullptr), AIMAPPER_ERROR_BAD_BUFFER);
}

TEST_F(ImportTest, FreeNeverImportedHandleIsBadBuffer) {
  ASSERT_OK_AND_ASSIGN(TestBuffer buffer, MakeTestBuffer());
  EXPECT_EQ(mapper_->v5.freeBuffer(buffer.handle.get()),
            AIMAPPER_ERROR_BAD_BUFFER);
  // A forged pointer is never dereferenced.
  EXPECT_EQ(mapper_->v5.freeBuffer(
                reinterpret_cast<buffer_handle_t>(uintptr_t{0x10})),
            AIMAPPER_ERROR_BAD_BUFFER);
}

TEST_F(ImportTest, FreeTwiceIsBadBuffer) {
  ASSERT_OK_AND_ASSIGN(TestBuffer buffer, MakeTestBuffer());
  buffer_handle_t imported = nullptr;
  ASSERT_EQ(Import(buffer.handle.get(), &imported), AIMAPPER_ERROR_NONE);
  EXPECT_EQ(mapper_->v5.freeBuffer(imported), AIMAPPER_ERROR_NONE);
  EXPECT_EQ(mapper_->v5.freeBuffer(imported), AIMAPPER_ERROR_BAD_BUFFER);
}

TEST_F(ImportTest, EachImportIsDistinctAndSharesOneMapping) {
  ASSERT_OK_AND_ASSIGN(TestBuffer buffer, MakeTestBuffer());
  buffer_handle_t first = nullptr;
  buffer_handle_t second = nullptr;
  ASSERT_EQ(Import(buffer.handle.get(), &first), AIMAPPER_ERROR_NONE);
  ASSERT_EQ(Import(buffer.handle.get(), &second), AIMAPPER_ERROR_NONE);
  EXPECT_NE(first, second);
  // Their fds are their own.
  EXPECT_NE(first->data[0], second->data[0]);

  void* first_data = nullptr;
  void* second_data = nullptr;
  const ARect all{0, 0, 0, 0};
  ASSERT_EQ(
      mapper_->v5.lock(first, testing::kCpuReadWrite, all, -1, &first_data),
      AIMAPPER_ERROR_NONE);
  ASSERT_EQ(
      mapper_->v5.lock(second, testing::kCpuReadWrite, all, -1, &second_data),
      AIMAPPER_ERROR_NONE);
  EXPECT_EQ(first_data, second_data);
  int fence = 0;
  EXPECT_EQ(mapper_->v5.unlock(first, &fence), AIMAPPER_ERROR_NONE);
  EXPECT_EQ(mapper_->v5.unlock(second, &fence), AIMAPPER_ERROR_NONE);

  // Freeing one import leaves the other working.
  EXPECT_EQ(mapper_->v5.freeBuffer(first), AIMAPPER_ERROR_NONE);
  ASSERT_EQ(
      mapper_->v5.lock(second, testing::kCpuReadWrite, all, -1, &second_data),
      AIMAPPER_ERROR_NONE);
  static_cast<uint8_t*>(second_data)[0] = 42;
  EXPECT_EQ(mapper_->v5.unlock(second, &fence), AIMAPPER_ERROR_NONE);
  EXPECT_EQ(mapper_->v5.freeBuffer(second), AIMAPPER_ERROR_NONE);
}

TEST_F(ImportTest, ImportingAnImportedHandleWorks) {
  ASSERT_OK_AND_ASSIGN(TestBuffer buffer, MakeTestBuffer());
  buffer_handle_t first = nullptr;
  ASSERT_EQ(Import(buffer.handle.get(), &first), AIMAPPER_ERROR_NONE);
  buffer_handle_t second = nullptr;
  ASSERT_EQ(Import(first, &second), AIMAPPER_ERROR_NONE);
  EXPECT_EQ(mapper_->v5.freeBuffer(first), AIMAPPER_ERROR_NONE);
  EXPECT_EQ(mapper_->v5.freeBuffer(second), AIMAPPER_ERROR_NONE);
}

TEST_F(ImportTest, DisagreeingImportOfTheSameBufferIsBadBuffer) {
  ASSERT_OK_AND_ASSIGN(TestBuffer buffer, MakeTestBuffer());
  buffer_handle_t first = nullptr;
  ASSERT_EQ(Import(buffer.handle.get(), &first), AIMAPPER_ERROR_NONE);
  NativeHandlePtr forged = CloneHandle(buffer.handle.get());
  ASSERT_NE(forged, nullptr);
  HandleInt(forged.get(), kHandleIntWidth) = 16;  // still fits the stride
  buffer_handle_t second = nullptr;
  EXPECT_EQ(Import(forged.get(), &second), AIMAPPER_ERROR_BAD_BUFFER);
  EXPECT_EQ(mapper_->v5.freeBuffer(first), AIMAPPER_ERROR_NONE);
}

TEST_F(ImportTest, TransportSizeRoundTrips) {
  ASSERT_OK_AND_ASSIGN(TestBuffer buffer, MakeTestBuffer());
  buffer_handle_t imported = nullptr;
  ASSERT_EQ(Import(buffer.handle.get(), &imported), AIMAPPER_ERROR_NONE);
  uint32_t num_fds = 0;
  uint32_t num_ints = 0;
  ASSERT_EQ(mapper_->v5.getTransportSize(imported, &num_fds, &num_ints),
            AIMAPPER_ERROR_NONE);
  EXPECT_LE(num_fds, static_cast<uint32_t>(imported->numFds));
  EXPECT_LE(num_ints, static_cast<uint32_t>(imported->numInts));
  EXPECT_EQ(num_fds, 2u);
  EXPECT_EQ(num_ints, 44u);

  // Rebuild a handle with exactly those counts, as a sender would.
  native_handle_t* rebuilt = native_handle_create(static_cast<int>(num_fds),
                                                  static_cast<int>(num_ints));
  ASSERT_NE(rebuilt, nullptr);
  for (uint32_t i = 0; i < num_fds; ++i) {
    rebuilt->data[i] = fcntl(imported->data[i], F_DUPFD_CLOEXEC, 0);
  }
  std::memcpy(&rebuilt->data[num_fds], &imported->data[imported->numFds],
              num_ints * sizeof(int));
  buffer_handle_t reimported = nullptr;
  EXPECT_EQ(Import(rebuilt, &reimported), AIMAPPER_ERROR_NONE);
  native_handle_close(rebuilt);
  native_handle_delete(rebuilt);
  EXPECT_EQ(mapper_->v5.freeBuffer(reimported), AIMAPPER_ERROR_NONE);
  EXPECT_EQ(mapper_->v5.freeBuffer(imported), AIMAPPER_ERROR_NONE);
}

TEST_F(ImportTest, TransportSizeOfUnknownBufferIsBadBuffer) {
  uint32_t num_fds = 0;
  uint32_t num_ints = 0;
  EXPECT_EQ(mapper_->v5.getTransportSize(nullptr, &num_fds, &num_ints),
            AIMAPPER_ERROR_BAD_BUFFER);
}

TEST_F(ImportTest, ReservedRegionIsExactStableAndShared) {
  TestBufferSpec spec;
  spec.reserved_size = 100;
  ASSERT_OK_AND_ASSIGN(TestBuffer buffer, MakeTestBuffer(spec));
  buffer_handle_t first = nullptr;
  buffer_handle_t second = nullptr;
  ASSERT_EQ(Import(buffer.handle.get(), &first), AIMAPPER_ERROR_NONE);
  ASSERT_EQ(Import(buffer.handle.get(), &second), AIMAPPER_ERROR_NONE);
  void* region = nullptr;
  uint64_t size = 0;
  ASSERT_EQ(mapper_->v5.getReservedRegion(first, &region, &size),
            AIMAPPER_ERROR_NONE);
  EXPECT_EQ(size, 100u);
  ASSERT_NE(region, nullptr);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(region) % sizeof(void*), 0u);
  std::memset(region, 0x5a, size);
  void* again = nullptr;
  ASSERT_EQ(mapper_->v5.getReservedRegion(first, &again, &size),
            AIMAPPER_ERROR_NONE);
  EXPECT_EQ(again, region);
  void* other = nullptr;
  ASSERT_EQ(mapper_->v5.getReservedRegion(second, &other, &size),
            AIMAPPER_ERROR_NONE);
  EXPECT_EQ(static_cast<uint8_t*>(other)[99], 0x5a);
  EXPECT_EQ(mapper_->v5.freeBuffer(first), AIMAPPER_ERROR_NONE);
  EXPECT_EQ(mapper_->v5.freeBuffer(second), AIMAPPER_ERROR_NONE);
}

TEST_F(ImportTest, ReservedRegionOfZeroBytes) {
  ASSERT_OK_AND_ASSIGN(TestBuffer buffer, MakeTestBuffer());
  buffer_handle_t imported = nullptr;
  ASSERT_EQ(Import(buffer.handle.get(), &imported), AIMAPPER_ERROR_NONE);
  void* region = nullptr;
  uint64_t size = 1;
  ASSERT_EQ(mapper_->v5.getReservedRegion(imported, &region, &size),
            AIMAPPER_ERROR_NONE);
  EXPECT_EQ(size, 0u);
  EXPECT_EQ(mapper_->v5.getReservedRegion(nullptr, &region, &size),
            AIMAPPER_ERROR_BAD_BUFFER);
  EXPECT_EQ(mapper_->v5.freeBuffer(imported), AIMAPPER_ERROR_NONE);
}

TEST_F(ImportTest, LoadReturnsTheSameCompleteTable) {
  AIMapper* again = nullptr;
  ASSERT_EQ(AIMapper_loadIMapper(&again), AIMAPPER_ERROR_NONE);
  EXPECT_EQ(again, mapper_);
  EXPECT_EQ(mapper_->version, AIMAPPER_VERSION_5);
  const void* const* functions =
      reinterpret_cast<const void* const*>(&mapper_->v5);
  for (size_t i = 0; i < sizeof(AIMapperV5) / sizeof(void*); ++i) {
    EXPECT_NE(functions[i], nullptr) << "function " << i;
  }
  EXPECT_EQ(AIMapper_loadIMapper(nullptr), AIMAPPER_ERROR_BAD_VALUE);
}

}  // namespace
}  // namespace gralloc
