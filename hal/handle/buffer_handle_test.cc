// Copyright 2026 The gralloc for Linux Authors.

#include "hal/handle/buffer_handle.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "hal/base/fd_count.h"
#include "hal/base/status_matchers.h"

namespace gralloc {
namespace {

using ::gralloc::testing::IsOk;
using ::gralloc::testing::OpenFdCount;
using ::gralloc::testing::StatusIs;
using ::testing::ElementsAreArray;
using ::testing::HasSubstr;

UniqueFd NewFd() { return UniqueFd(memfd_create("test", MFD_CLOEXEC)); }

// A 64x64 YV12 buffer: Y 4096 bytes, then Cr and Cb 1024 bytes each.
HandleInfo Yv12Info() {
  HandleInfo info;
  info.buffer_id = 0x1122334455667788ull;
  info.width = 64;
  info.height = 64;
  info.layer_count = 1;
  info.format_requested = 0x32315659;  // YV12
  info.usage = 0x0000000100020033ull;  // FRONT_BUFFER|CAMERA_OUTPUT|CPU_*_OFTEN
  info.allocation_size = 6144;
  info.reserved_size = 16;
  info.metadata_size = 4096;
  info.backend = HandleBackend::kUdmabuf;
  info.flags = kHandleFlagContiguous;
  // YV12, DRM_FORMAT_YVU420 'YV12': Y 64x64 samples, Cr and Cb 32x32 each.
  info.layout.format = FindFormat(0x32315659);
  info.layout.modifier = 0x0100000000000001ull;
  info.layout.stride_px = 64;
  info.layout.plane_count = 3;
  info.layout.planes[0] = {0, 64, 4096, 64, 64};
  info.layout.planes[1] = {4096, 32, 1024, 32, 32};
  info.layout.planes[2] = {5120, 32, 1024, 32, 32};
  info.layout.layer_size_bytes = 6144;
  info.layout.total_size_bytes = 6144;
  return info;
}

std::vector<int32_t> IntsOf(const native_handle_t* handle) {
  return std::vector<int32_t>(&handle->data[handle->numFds],
                              &handle->data[handle->numFds + handle->numInts]);
}

// This test fails if the wire format changes. The expected ints are written
// out by hand from the layout documented in buffer_handle.h; a deliberate
// change needs a new kHandleVersion and a new expectation here.
TEST(BufferHandleTest, WireLayoutIsFrozen) {
  ASSERT_OK_AND_ASSIGN(NativeHandlePtr handle,
                       EncodeHandle(Yv12Info(), NewFd(), NewFd()));
  EXPECT_EQ(handle->version, 12);
  EXPECT_EQ(handle->numFds, 2);
  EXPECT_EQ(handle->numInts, 44);
  // clang-format off
  const std::vector<int32_t> expected = {
      0x4752414c,                              // magic 'GRAL'
      1,                                       // version
      44,                                      // number of ints
      0x55667788, 0x11223344,                  // BUFFER_ID lo, hi
      64, 64, 1,                               // width, height, layers
      0x32315659, 0x32315659,                  // format requested, allocated
      0x32315659,                              // fourcc
      0x00000001, 0x01000000,                  // modifier lo, hi
      0x00020033, 0x00000001,                  // usage lo, hi
      64,                                      // stride in pixels
      6144, 0,                                 // allocation size lo, hi
      16, 0,                                   // reserved size lo, hi
      4096,                                    // metadata size
      2,                                       // backend: udmabuf
      2,                                       // flags: contiguous
      3,                                       // plane count
      0, 0, 64, 4096, 0,                       // plane 0
      4096, 0, 32, 1024, 0,                    // plane 1
      5120, 0, 32, 1024, 0,                    // plane 2
      0, 0, 0, 0, 0,                           // plane 3 (unused)
  };
  // clang-format on
  EXPECT_THAT(IntsOf(handle.get()), ElementsAreArray(expected));
  EXPECT_EQ(kHandleNumInts, 44);
  EXPECT_EQ(kHandleFdBuffer, 0);
  EXPECT_EQ(kHandleFdMetadata, 1);
}

TEST(BufferHandleTest, DecodeRoundTripsEveryField) {
  HandleInfo info = Yv12Info();
  info.usage = 0xFFFF000000000000ull | 0x33;  // high bits survive the split
  info.allocation_size = (1ull << 33) + 6144;
  ASSERT_OK_AND_ASSIGN(NativeHandlePtr handle,
                       EncodeHandle(info, NewFd(), NewFd()));
  ASSERT_OK_AND_ASSIGN(HandleInfo decoded, DecodeHandle(handle.get()));
  EXPECT_TRUE(decoded == info);
  EXPECT_GE(HandleBufferFd(handle.get()), 0);
  EXPECT_NE(HandleBufferFd(handle.get()), HandleMetadataFd(handle.get()));
}

TEST(BufferHandleTest, HandleOwnsItsFdsAndErrorsCloseThem) {
  const int before = OpenFdCount();
  {
    ASSERT_OK_AND_ASSIGN(NativeHandlePtr handle,
                         EncodeHandle(Yv12Info(), NewFd(), NewFd()));
    EXPECT_EQ(OpenFdCount(), before + 2);
  }
  EXPECT_EQ(OpenFdCount(), before);
  HandleInfo bad = Yv12Info();
  bad.layout.plane_count = 0;
  EXPECT_THAT(EncodeHandle(bad, NewFd(), NewFd()),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(OpenFdCount(), before);
  EXPECT_THAT(EncodeHandle(Yv12Info(), NewFd(), UniqueFd()),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(OpenFdCount(), before);
}

// A new handle's ints are not zeroed before they are written, so every one
// must be written. Each handle here is built in memory just freed full of
// 0xA5 bytes (malloc hands a freed chunk of the same size back first), and
// its ints must still equal EncodeHandleInts', which start from zeros.
TEST(BufferHandleTest, EveryIntIsWrittenOverReusedMemory) {
  ASSERT_OK_AND_ASSIGN(const std::vector<int32_t> expected,
                       EncodeHandleInts(Yv12Info()));
  ASSERT_OK_AND_ASSIGN(const HandleTemplate made,
                       HandleTemplate::Create(Yv12Info()));
  const size_t handle_bytes =
      sizeof(native_handle_t) + sizeof(int) * (kHandleNumFds + kHandleNumInts);
  for (const bool from_template : {false, true}) {
    SCOPED_TRACE(from_template ? "HandleTemplate::Encode" : "EncodeHandle");
    void* garbage = std::malloc(handle_bytes);
    ASSERT_NE(garbage, nullptr);
    std::memset(garbage, 0xA5, handle_bytes);
    // So that the compiler keeps the writes and the free (memory it never
    // reads is memory it may never allocate).
    asm volatile("" : : "r"(garbage) : "memory");
    std::free(garbage);
    const HandleInfo info = Yv12Info();
    absl::StatusOr<NativeHandlePtr> handle =
        from_template ? made.Encode(info.buffer_id, info.allocation_size,
                                    NewFd(), NewFd())
                      : EncodeHandle(info, NewFd(), NewFd());
    ASSERT_THAT(handle, IsOk());
    EXPECT_THAT(IntsOf(handle->get()), ElementsAreArray(expected));
  }
}

TEST(HandleTemplateTest, EncodesWhatEncodeHandleDoesWithTheIdAndSize) {
  ASSERT_OK_AND_ASSIGN(const HandleTemplate made,
                       HandleTemplate::Create(Yv12Info()));
  EXPECT_TRUE(made.info() == Yv12Info());
  HandleInfo info = Yv12Info();
  info.buffer_id = 0xA1B2C3D4E5F60718ull;
  info.allocation_size = (1ull << 33) + 8192;  // a heap may round up
  ASSERT_OK_AND_ASSIGN(NativeHandlePtr expected,
                       EncodeHandle(info, NewFd(), NewFd()));
  ASSERT_OK_AND_ASSIGN(
      NativeHandlePtr stamped,
      made.Encode(info.buffer_id, info.allocation_size, NewFd(), NewFd()));
  EXPECT_EQ(stamped->numFds, expected->numFds);
  EXPECT_THAT(IntsOf(stamped.get()), ElementsAreArray(IntsOf(expected.get())));
  ASSERT_OK_AND_ASSIGN(HandleInfo decoded, DecodeHandle(stamped.get()));
  EXPECT_TRUE(decoded == info);
}

TEST(HandleTemplateTest, RefusesABadInfoASmallerAllocationAndMissingFds) {
  HandleInfo bad = Yv12Info();
  bad.layout.planes[2].offset_bytes = 5000;  // overlaps plane 1
  EXPECT_THAT(
      HandleTemplate::Create(bad),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("overlap")));
  ASSERT_OK_AND_ASSIGN(const HandleTemplate made,
                       HandleTemplate::Create(Yv12Info()));
  const int before = OpenFdCount();
  // Below the validated size a plane would run past the allocation.
  EXPECT_THAT(made.Encode(1, 6143, NewFd(), NewFd()),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("allocation size 6143")));
  EXPECT_THAT(made.Encode(1, 6144, NewFd(), UniqueFd()),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(OpenFdCount(), before);
}

class ForgedHandleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto handle = EncodeHandle(Yv12Info(), NewFd(), NewFd());
    ASSERT_THAT(handle, IsOk());
    handle_ = std::move(handle).value();
  }
  int32_t& Int(int index) { return handle_->data[kHandleNumFds + index]; }
  absl::Status Decode() { return DecodeHandle(handle_.get()).status(); }

  NativeHandlePtr handle_;
};

TEST_F(ForgedHandleTest, NullAndEmptyHandlesAreRejected) {
  EXPECT_THAT(DecodeHandle(nullptr),
              StatusIs(absl::StatusCode::kInvalidArgument));
  native_handle_t* empty = native_handle_create(0, 0);
  EXPECT_THAT(DecodeHandle(empty),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("0 fds")));
  native_handle_delete(empty);
}

TEST_F(ForgedHandleTest, WrongCountsAreRejected) {
  handle_->numInts = 43;
  EXPECT_THAT(Decode(), StatusIs(absl::StatusCode::kInvalidArgument));
  handle_->numInts = 44;
  handle_->numFds = 1;
  EXPECT_THAT(Decode(), StatusIs(absl::StatusCode::kInvalidArgument));
  handle_->numFds = 2;
  handle_->version = 16;
  EXPECT_THAT(Decode(), StatusIs(absl::StatusCode::kInvalidArgument));
  handle_->version = 12;
  EXPECT_THAT(Decode(), IsOk());
}

TEST_F(ForgedHandleTest, BadMagicVersionOrIntCountIsRejected) {
  Int(kHandleIntMagic) = 0x12345678;
  EXPECT_THAT(Decode(),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("magic")));
  Int(kHandleIntMagic) = kHandleMagic;
  Int(kHandleIntVersion) = 2;
  EXPECT_THAT(Decode(), StatusIs(absl::StatusCode::kInvalidArgument,
                                 HasSubstr("version")));
  Int(kHandleIntVersion) = 1;
  Int(kHandleIntNumInts) = 45;
  EXPECT_THAT(Decode(), StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST_F(ForgedHandleTest, NegativeOrSharedFdsAreRejected) {
  const int saved = handle_->data[1];
  handle_->data[1] = -1;
  EXPECT_THAT(Decode(), StatusIs(absl::StatusCode::kInvalidArgument));
  handle_->data[1] = handle_->data[0];
  EXPECT_THAT(Decode(), StatusIs(absl::StatusCode::kInvalidArgument));
  handle_->data[1] = saved;
}

TEST_F(ForgedHandleTest, PlanesOutsideTheAllocationAreRejected) {
  const int plane2 = kHandleIntPlanes + 2 * kHandleIntsPerPlane;
  Int(plane2 + 3) = 1025;  // Cb plane one byte too long
  EXPECT_THAT(Decode(), StatusIs(absl::StatusCode::kInvalidArgument,
                                 HasSubstr("runs past")));
  Int(plane2 + 3) = 1024;
  Int(plane2 + 1) = -1;  // offset 0xffffffff00001400: overflows offset+size
  EXPECT_THAT(Decode(), StatusIs(absl::StatusCode::kInvalidArgument));
  Int(plane2 + 1) = 0;
  EXPECT_THAT(Decode(), IsOk());
}

TEST_F(ForgedHandleTest, ExtraOrMissingPlanesAreRejected) {
  Int(kHandleIntPlaneCount) = 5;
  EXPECT_THAT(Decode(), StatusIs(absl::StatusCode::kInvalidArgument));
  Int(kHandleIntPlaneCount) = 0;
  EXPECT_THAT(Decode(), StatusIs(absl::StatusCode::kInvalidArgument));
  Int(kHandleIntPlaneCount) = -3;
  EXPECT_THAT(Decode(), StatusIs(absl::StatusCode::kInvalidArgument));
  // A count of 2 leaves plane 2's slot non-zero: a forged shape.
  Int(kHandleIntPlaneCount) = 2;
  EXPECT_THAT(Decode(), StatusIs(absl::StatusCode::kInvalidArgument,
                                 HasSubstr("unused plane")));
}

TEST_F(ForgedHandleTest, BadDimensionsStrideBackendAndFlagsAreRejected) {
  struct Case {
    int index;
    int32_t value;
  };
  for (const Case& c : std::vector<Case>{
           {kHandleIntWidth, 0},
           {kHandleIntHeight, -64},
           {kHandleIntLayerCount, 0},
           {kHandleIntStridePx, 63},
           {kHandleIntBackend, 0},
           {kHandleIntBackend, 5},
           {kHandleIntFlags, 8},
           {kHandleIntMetadataSize, 0},
           {kHandleIntMetadataSize, (16 << 20) + 1},
           {kHandleIntReservedSize, 4097},
           {kHandleIntAllocationSize, 0},
       }) {
    const int32_t saved = Int(c.index);
    Int(c.index) = c.value;
    EXPECT_THAT(Decode(), StatusIs(absl::StatusCode::kInvalidArgument))
        << "int " << c.index << " = " << c.value;
    Int(c.index) = saved;
  }
  EXPECT_THAT(Decode(), IsOk());
}

TEST_F(ForgedHandleTest, AFormatWithoutAConcreteLayoutIsRejected) {
  Int(kHandleIntFormat) = 0x23;  // YCBCR_420_888, with YV12's fourcc
  EXPECT_THAT(Decode(), StatusIs(absl::StatusCode::kInvalidArgument,
                                 HasSubstr("names no concrete layout")));
  Int(kHandleIntFormat) = 0x7fff0000;  // no format at all
  EXPECT_THAT(Decode(), StatusIs(absl::StatusCode::kInvalidArgument,
                                 HasSubstr("names no concrete layout")));
  Int(kHandleIntFormat) = 1;  // RGBA_8888: one plane, not three
  Int(kHandleIntFourcc) = 0;
  EXPECT_THAT(Decode(), StatusIs(absl::StatusCode::kInvalidArgument,
                                 HasSubstr("3 planes, but RGBA_8888 has 1")));
}

// The geometry a handle states (width, height, layers, strides) must fit the
// planes it states: a consumer that writes the rows it was told about must
// stay inside its plane. Each forgery below imported and locked before the
// checks existed.
TEST_F(ForgedHandleTest, MoreRowsThanThePlaneHoldsAreRejected) {
  Int(kHandleIntHeight) = 65;  // the Y plane holds 64 rows of 64 bytes
  EXPECT_THAT(Decode(), StatusIs(absl::StatusCode::kInvalidArgument,
                                 HasSubstr("plane 0")));
  Int(kHandleIntHeight) = 0x7fffffff;
  EXPECT_THAT(Decode(), StatusIs(absl::StatusCode::kInvalidArgument,
                                 HasSubstr("plane 0")));
  Int(kHandleIntHeight) = 64;
  EXPECT_THAT(Decode(), IsOk());
}

TEST_F(ForgedHandleTest, AStrideWiderThanThePlaneIsRejected) {
  const int plane0 = kHandleIntPlanes;
  Int(plane0 + 2) = 128;  // 64 rows of 128 bytes in a 4096-byte plane
  EXPECT_THAT(Decode(), StatusIs(absl::StatusCode::kInvalidArgument,
                                 HasSubstr("plane 0")));
  Int(plane0 + 2) = -1;  // 0xffffffff bytes a row
  EXPECT_THAT(Decode(), StatusIs(absl::StatusCode::kInvalidArgument,
                                 HasSubstr("plane 0")));
  Int(plane0 + 2) = 64;
  EXPECT_THAT(Decode(), IsOk());
}

TEST_F(ForgedHandleTest, AStrideShorterThanARowIsRejected) {
  const int plane1 = kHandleIntPlanes + kHandleIntsPerPlane;
  Int(plane1 + 2) = 31;  // Cr: 32 samples of 8 bits need 32 bytes a row
  EXPECT_THAT(Decode(), StatusIs(absl::StatusCode::kInvalidArgument,
                                 HasSubstr("plane 1")));
  Int(plane1 + 2) = 32;
  // Width 64 -> 80 keeps stride_px >= width but needs 80-byte Y rows.
  Int(kHandleIntWidth) = 80;
  Int(kHandleIntStridePx) = 80;
  EXPECT_THAT(Decode(), StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST_F(ForgedHandleTest, AStrideInPixelsWiderThanThePlaneStrideIsRejected) {
  Int(kHandleIntStridePx) = 65;  // 65 one-byte pixels in a 64-byte row
  EXPECT_THAT(Decode(), StatusIs(absl::StatusCode::kInvalidArgument,
                                 HasSubstr("stride")));
  Int(kHandleIntStridePx) = 0x7fffffff;
  EXPECT_THAT(Decode(), StatusIs(absl::StatusCode::kInvalidArgument,
                                 HasSubstr("stride")));
  Int(kHandleIntStridePx) = 64;
  EXPECT_THAT(Decode(), IsOk());
}

TEST_F(ForgedHandleTest, MoreLayersThanTheAllocationHoldsAreRejected) {
  Int(kHandleIntLayerCount) = 2;  // 6144 bytes hold one 6144-byte layer
  EXPECT_THAT(Decode(),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("layer")));
  Int(kHandleIntLayerCount) = 0x7fffffff;
  EXPECT_THAT(Decode(),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("layer")));
  // Two layers fit twice the bytes.
  Int(kHandleIntLayerCount) = 2;
  Int(kHandleIntAllocationSize) = 2 * 6144;
  EXPECT_THAT(Decode(), IsOk());
}

TEST_F(ForgedHandleTest, OverlappingPlanesAreRejected) {
  const int plane2 = kHandleIntPlanes + 2 * kHandleIntsPerPlane;
  Int(plane2) = 4096;  // Cb on top of Cr
  EXPECT_THAT(Decode(), StatusIs(absl::StatusCode::kInvalidArgument,
                                 HasSubstr("overlap")));
  Int(plane2) = 0;  // Cb on top of Y
  EXPECT_THAT(Decode(), StatusIs(absl::StatusCode::kInvalidArgument,
                                 HasSubstr("overlap")));
}

TEST_F(ForgedHandleTest, GeometryArithmeticThatOverflowsIsRejected) {
  // A 2^62-byte allocation: the Y plane fills it but for Cr and Cb. Four
  // layers of it are 2^64 bytes, which wraps to 0 in unchecked arithmetic.
  const uint64_t big = uint64_t{1} << 62;
  auto set64 = [&](int index, uint64_t value) {
    Int(index) = static_cast<int32_t>(value & 0xffffffffu);
    Int(index + 1) = static_cast<int32_t>(value >> 32);
  };
  const int plane0 = kHandleIntPlanes;
  const int plane1 = plane0 + kHandleIntsPerPlane;
  const int plane2 = plane1 + kHandleIntsPerPlane;
  set64(kHandleIntAllocationSize, big);
  set64(plane0 + 3, big - 2048);
  set64(plane1, big - 2048);
  set64(plane2, big - 1024);
  ASSERT_THAT(Decode(), IsOk());
  Int(kHandleIntLayerCount) = 4;
  EXPECT_THAT(Decode(),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("layer")));
  Int(kHandleIntLayerCount) = 1;
  // 0x7fffffff rows of a 0xffffffff-byte stride do not wrap either.
  Int(kHandleIntHeight) = 0x7fffffff;
  Int(plane0 + 2) = -1;
  Int(kHandleIntStridePx) = 0x7fffffff;
  EXPECT_THAT(Decode(), StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST_F(ForgedHandleTest, FormatRulesApplyToTheHandle) {
  // BLOB is one row high; a BLOB handle of 2 rows of 64 bytes lies even
  // when its plane is big enough.
  Int(kHandleIntFormat) = 0x21;  // BLOB
  Int(kHandleIntFormatRequested) = 0x21;
  Int(kHandleIntFourcc) = 0;
  Int(kHandleIntPlaneCount) = 1;
  for (int i = kHandleIntPlanes + kHandleIntsPerPlane; i < kHandleNumInts;
       ++i) {
    Int(i) = 0;
  }
  Int(kHandleIntHeight) = 1;
  EXPECT_THAT(Decode(), IsOk());
  Int(kHandleIntHeight) = 2;
  EXPECT_THAT(Decode(), StatusIs(absl::StatusCode::kInvalidArgument,
                                 HasSubstr("height of 1")));
}

TEST(BufferHandleTest, DecodedLayoutKnowsItsSamplesAndOneLayersSize) {
  ASSERT_OK_AND_ASSIGN(NativeHandlePtr handle,
                       EncodeHandle(Yv12Info(), NewFd(), NewFd()));
  ASSERT_OK_AND_ASSIGN(HandleInfo decoded, DecodeHandle(handle.get()));
  EXPECT_EQ(decoded.layout.format->name, "YV12");
  EXPECT_EQ(decoded.layout.planes[2].width_in_samples, 32);
  EXPECT_EQ(decoded.layout.total_size_bytes, 6144u);
  // Several layers: the wire does not say how far apart they are.
  HandleInfo layered = Yv12Info();
  layered.layer_count = 2;
  layered.allocation_size = 2 * 6144;
  ASSERT_OK_AND_ASSIGN(handle, EncodeHandle(layered, NewFd(), NewFd()));
  ASSERT_OK_AND_ASSIGN(decoded, DecodeHandle(handle.get()));
  EXPECT_EQ(decoded.layout.layer_size_bytes, 0u);
  EXPECT_EQ(decoded.layout.total_size_bytes, decoded.allocation_size);
}

TEST(BufferHandleTest, BackendNames) {
  EXPECT_STREQ(HandleBackendName(HandleBackend::kMemfd), "memfd");
  EXPECT_STREQ(HandleBackendName(HandleBackend::kUdmabuf), "udmabuf");
  EXPECT_STREQ(HandleBackendName(HandleBackend::kDmaHeap), "dma-heap");
  EXPECT_STREQ(HandleBackendName(HandleBackend::kDrmDumb), "drm-dumb");
}

}  // namespace
}  // namespace gralloc
