// Copyright 2026 The gralloc for Linux Authors.
//
// Bug class: metadata payloads whose lengths are taken on trust.
//
// setMetadata decodes bytes a client chose: counts and length prefixes
// that claim more than the bytes hold (or overflow when multiplied), blobs
// larger than the shared buffer reserves for them. getMetadata writes into
// a caller's buffer of a stated size. A decoder that believed a length
// would read past the caller's bytes or allocate without bound; a store
// that believed it would write past its slot into the client's reserved
// region (or beyond). Each malformed or oversized payload must be refused
// (UNSUPPORTED, as Android's VTS expects for values it cannot store), must
// leave the previous value in place, and nothing outside the value's own
// slot may change.

#include <cstdint>
#include <cstring>
#include <optional>
#include <vector>

#include "android/hardware/graphics/mapper/IMapper.h"
#include "gtest/gtest.h"
#include "hal/base/fd_count.h"
#include "hal/base/status_matchers.h"
#include "hal/metadata/metadata_codec.h"
#include "hal/metadata/metadata_types.h"
#include "hal/metadata/shared_metadata.h"
#include "mapper/testing/buffer_factory.h"
#include "tests/security/security_test_util.h"

namespace gralloc {
namespace {

using ::gralloc::testing::LoadMapper;
using ::gralloc::testing::MakeTestBuffer;
using ::gralloc::testing::MapperAttackTest;
using ::gralloc::testing::OpenFdCount;
using ::gralloc::testing::StandardMetadata;
using ::gralloc::testing::TestBuffer;
using ::gralloc::testing::TestBufferSpec;
using T = StandardMetadataType;

using Blob = std::optional<std::vector<uint8_t>>;

std::vector<uint8_t> EncodeBlob(const std::vector<uint8_t>& payload) {
  const Blob value(payload);
  std::vector<uint8_t> bytes(
      EncodeMetadata<T::SMPTE2094_40>(value, nullptr, 0));
  EncodeMetadata<T::SMPTE2094_40>(value, bytes.data(), bytes.size());
  return bytes;
}

// Rewrites the int64 length (or count) right after the header.
void SetLengthPrefix(std::vector<uint8_t>* bytes, uint64_t length) {
  for (int i = 0; i < 8; ++i) {
    (*bytes)[kMetadataHeaderSize + i] = static_cast<uint8_t>(length >> (8 * i));
  }
}

class UnboundedMetadataPayloadsTest : public MapperAttackTest {
 protected:
  void SetUp() override {
    MapperAttackTest::SetUp();
    TestBufferSpec spec;
    spec.reserved_size = 4096;
    ASSERT_OK_AND_ASSIGN(TestBuffer buffer, MakeTestBuffer(spec));
    ASSERT_EQ(mapper_->v5.importBuffer(buffer.handle.get(), &buffer_),
              AIMAPPER_ERROR_NONE);
    // The client's reserved region, filled with a pattern no metadata
    // write may touch.
    ASSERT_EQ(
        mapper_->v5.getReservedRegion(buffer_, &reserved_, &reserved_size_),
        AIMAPPER_ERROR_NONE);
    ASSERT_EQ(reserved_size_, 4096u);
    std::memset(reserved_, 0xc3, reserved_size_);
  }
  void TearDown() override {
    const uint8_t* reserved = static_cast<const uint8_t*>(reserved_);
    for (uint64_t i = 0; i < reserved_size_; ++i) {
      ASSERT_EQ(reserved[i], 0xc3) << "reserved byte " << i << " changed";
    }
    EXPECT_EQ(mapper_->v5.freeBuffer(buffer_), AIMAPPER_ERROR_NONE);
    MapperAttackTest::TearDown();
  }

  AIMapper_Error Set(T type, const std::vector<uint8_t>& bytes) {
    return mapper_->v5.setStandardMetadata(buffer_, static_cast<int64_t>(type),
                                           bytes.data(), bytes.size());
  }
  // The decoded SMPTE2094_40 value, through getStandardMetadata.
  Blob Get40() {
    const int64_t type = static_cast<int64_t>(T::SMPTE2094_40);
    const int32_t size =
        mapper_->v5.getStandardMetadata(buffer_, type, nullptr, 0);
    EXPECT_GE(size, 0);
    if (size <= 0) return std::nullopt;
    std::vector<uint8_t> bytes(static_cast<size_t>(size));
    EXPECT_EQ(mapper_->v5.getStandardMetadata(buffer_, type, bytes.data(),
                                              bytes.size()),
              size);
    auto value = DecodeMetadata<T::SMPTE2094_40>(bytes.data(), bytes.size());
    EXPECT_TRUE(value.ok()) << value.status();
    return value.ok() ? *value : std::nullopt;
  }

  buffer_handle_t buffer_ = nullptr;
  void* reserved_ = nullptr;
  uint64_t reserved_size_ = 0;
};

TEST_F(UnboundedMetadataPayloadsTest, BlobsUpToTheCapFitTheirSlotOnly) {
  const std::vector<uint8_t> full(kSmpte2094MaxBytes, 0x11);
  ASSERT_EQ(Set(T::SMPTE2094_40, EncodeBlob(full)), AIMAPPER_ERROR_NONE);
  std::vector<uint8_t> full10 =
      EncodeBlob(std::vector<uint8_t>(kSmpte2094MaxBytes, 0x22));
  // The same encoding with SMPTE2094_10's type in the header.
  full10[kMetadataHeaderSize - 8] = static_cast<uint8_t>(T::SMPTE2094_10);
  ASSERT_EQ(Set(T::SMPTE2094_10, full10), AIMAPPER_ERROR_NONE);
  EXPECT_EQ(Get40(), Blob(full));
  // TearDown checks the reserved region after the slots is untouched.
}

TEST_F(UnboundedMetadataPayloadsTest, BlobsBeyondTheCapAreUnsupported) {
  const std::vector<uint8_t> before = {1, 2, 3};
  ASSERT_EQ(Set(T::SMPTE2094_40, EncodeBlob(before)), AIMAPPER_ERROR_NONE);
  for (size_t size :
       {kSmpte2094MaxBytes + 1, kSmpte2094MaxBytes * 4, size_t{1} << 20}) {
    EXPECT_EQ(Set(T::SMPTE2094_40, EncodeBlob(std::vector<uint8_t>(size, 9))),
              AIMAPPER_ERROR_UNSUPPORTED)
        << size;
  }
  EXPECT_EQ(Get40(), Blob(before));
}

TEST_F(UnboundedMetadataPayloadsTest, LyingLengthPrefixesAreUnsupported) {
  const std::vector<uint8_t> before = {7, 7};
  ASSERT_EQ(Set(T::SMPTE2094_40, EncodeBlob(before)), AIMAPPER_ERROR_NONE);
  for (uint64_t lie :
       {uint64_t{17}, uint64_t{15}, uint64_t{1} << 32, uint64_t{1} << 62,
        uint64_t{INT64_MAX}, ~uint64_t{0} /* -1 */,
        uint64_t{1} << 63 /* INT64_MIN */}) {
    std::vector<uint8_t> bytes = EncodeBlob(std::vector<uint8_t>(16, 5));
    SetLengthPrefix(&bytes, lie);
    EXPECT_EQ(Set(T::SMPTE2094_40, bytes), AIMAPPER_ERROR_UNSUPPORTED) << lie;
  }
  EXPECT_EQ(Get40(), Blob(before));
}

TEST_F(UnboundedMetadataPayloadsTest, CountsThatOverflowAreUnsupported) {
  // CROP: int64 count, then 16-byte rects. A count whose product with 16
  // wraps to a small number must not pass.
  std::vector<uint8_t> crop(
      EncodeMetadata<T::CROP>(std::vector<Rect>{Rect{0, 0, 8, 8}}, nullptr, 0));
  EncodeMetadata<T::CROP>(std::vector<Rect>{Rect{0, 0, 8, 8}}, crop.data(),
                          crop.size());
  ASSERT_EQ(Set(T::CROP, crop), AIMAPPER_ERROR_NONE);
  for (uint64_t count : {uint64_t{2}, (uint64_t{1} << 60) + 1,
                         uint64_t{1} << 63, ~uint64_t{0}}) {
    std::vector<uint8_t> forged = crop;
    SetLengthPrefix(&forged, count);
    EXPECT_EQ(Set(T::CROP, forged), AIMAPPER_ERROR_UNSUPPORTED) << count;
  }
  // PLANE_LAYOUTS is not settable whatever it says.
  EXPECT_EQ(Set(T::PLANE_LAYOUTS, crop), AIMAPPER_ERROR_UNSUPPORTED);
}

TEST_F(UnboundedMetadataPayloadsTest, TruncatedAndOversizedInputsAreRefused) {
  std::vector<uint8_t> bytes = EncodeBlob(std::vector<uint8_t>(32, 1));
  for (size_t size : {size_t{1}, kMetadataHeaderSize - 1, kMetadataHeaderSize,
                      kMetadataHeaderSize + 7, bytes.size() - 1}) {
    EXPECT_EQ(
        mapper_->v5.setStandardMetadata(
            buffer_, static_cast<int64_t>(T::SMPTE2094_40), bytes.data(), size),
        AIMAPPER_ERROR_UNSUPPORTED)
        << size;
  }
  bytes.push_back(0);  // one byte left over
  EXPECT_EQ(Set(T::SMPTE2094_40, bytes), AIMAPPER_ERROR_UNSUPPORTED);
  // A null value with a huge size is refused before anything is read.
  EXPECT_NE(
      mapper_->v5.setStandardMetadata(
          buffer_, static_cast<int64_t>(T::SMPTE2094_40), nullptr, SIZE_MAX),
      AIMAPPER_ERROR_NONE);
  EXPECT_NE(mapper_->v5.setMetadata(
                buffer_, StandardMetadata(static_cast<int64_t>(T::DATASPACE)),
                nullptr, SIZE_MAX),
            AIMAPPER_ERROR_NONE);
}

TEST_F(UnboundedMetadataPayloadsTest, OutOfRangeTypesAreUnsupported) {
  const std::vector<uint8_t> bytes = EncodeBlob({1});
  for (int64_t type :
       {int64_t{0}, int64_t{-1}, int64_t{24}, INT64_MAX, INT64_MIN}) {
    EXPECT_EQ(mapper_->v5.setStandardMetadata(buffer_, type, bytes.data(),
                                              bytes.size()),
              AIMAPPER_ERROR_UNSUPPORTED)
        << type;
    EXPECT_EQ(mapper_->v5.getStandardMetadata(buffer_, type, nullptr, 0),
              -AIMAPPER_ERROR_UNSUPPORTED)
        << type;
  }
}

TEST_F(UnboundedMetadataPayloadsTest, GetWritesOnlyTheValueWhateverTheSize) {
  const std::vector<uint8_t> payload(100, 0x42);
  ASSERT_EQ(Set(T::SMPTE2094_40, EncodeBlob(payload)), AIMAPPER_ERROR_NONE);
  const int64_t type = static_cast<int64_t>(T::SMPTE2094_40);
  const int32_t size =
      mapper_->v5.getStandardMetadata(buffer_, type, nullptr, 0);
  ASSERT_GT(size, 0);
  // A buffer one byte short: nothing written, the size returned.
  std::vector<uint8_t> dest(static_cast<size_t>(size) + 64, 0xee);
  EXPECT_EQ(mapper_->v5.getStandardMetadata(buffer_, type, dest.data(),
                                            static_cast<size_t>(size) - 1),
            size);
  for (uint8_t byte : dest) ASSERT_EQ(byte, 0xee);
  // A caller that states a huge size gets exactly the value's bytes.
  EXPECT_EQ(
      mapper_->v5.getStandardMetadata(buffer_, type, dest.data(), SIZE_MAX),
      size);
  for (size_t i = static_cast<size_t>(size); i < dest.size(); ++i) {
    ASSERT_EQ(dest[i], 0xee) << i;
  }
}

}  // namespace
}  // namespace gralloc
