// Copyright 2026 The gralloc for Linux Authors.
//
// The expected encodings here are written out by hand from the layout
// Android documents for each StandardMetadataType (and its gralloc4 encoder
// implements), never produced by the encoder under test: int64 groups are
// eight literal bytes, least significant first.

#include "hal/metadata/metadata_codec.h"

#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "hal/base/status_matchers.h"
#include "hal/metadata/metadata_types.h"
#include "hal/types/pixel_format.h"
#include "hal/types/plane_layout.h"

namespace gralloc {
namespace {

using ::gralloc::testing::IsOk;
using ::gralloc::testing::StatusIs;
using ::testing::Each;
using ::testing::ElementsAreArray;
using ::testing::Eq;
using ::testing::HasSubstr;

using Bytes = std::vector<uint8_t>;

// Later abseil's absl_testing::IsOkAndHolds, for a plain expected value.
MATCHER_P(IsOkAndHolds, expected, "is OK and holds the expected value") {
  if (!arg.ok()) {
    *result_listener << "status is " << arg.status();
    return false;
  }
  return ::testing::ExplainMatchResult(expected, *arg, result_listener);
}

Bytes Cat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const Bytes& part : parts)
    out.insert(out.end(), part.begin(), part.end());
  return out;
}

// The characters of `text`, without a length or a NUL.
Bytes Text(const char* text) { return Bytes(text, text + std::strlen(text)); }

// The 69-byte header: int64 53, the name, int64 `type` (all types fit a byte).
Bytes Header(uint8_t type) {
  return Cat({{0x35, 0, 0, 0, 0, 0, 0, 0},
              Text("android.hardware.graphics.common.StandardMetadataType"),
              {type, 0, 0, 0, 0, 0, 0, 0}});
}

// int64 57 and "android.hardware.graphics.common.PlaneLayoutComponentType".
Bytes ComponentTypeName() {
  return Cat(
      {{0x39, 0, 0, 0, 0, 0, 0, 0},
       Text("android.hardware.graphics.common.PlaneLayoutComponentType")});
}

// Encodes with `encode(args..., dest, dest_size)` the way a caller would:
// ask for the size, allocate exactly that, encode.
template <typename Encoder, typename... Args>
Bytes Encoded(Encoder encode, const Args&... args) {
  const size_t size = encode(args..., nullptr, 0);
  Bytes out(size, 0xEE);
  EXPECT_EQ(encode(args..., out.data(), out.size()), size);
  return out;
}

// A heap copy of the first `size` bytes, so AddressSanitizer sees any read
// past the end.
Bytes Prefix(const Bytes& bytes, size_t size) {
  return Bytes(bytes.begin(), bytes.begin() + size);
}

PlaneLayoutComponent Component(PlaneLayoutComponentType type,
                               int64_t offset_in_bits, int64_t size_in_bits) {
  return PlaneLayoutComponent{StandardComponent(type), offset_in_bits,
                              size_in_bits};
}

// RGBA_8888 at 64x64: one plane, R G B A bytes in memory order.
std::vector<PlaneLayout> Rgba8888Planes() {
  PlaneLayout plane;
  plane.components = {Component(PlaneLayoutComponentType::R, 0, 8),
                      Component(PlaneLayoutComponentType::G, 8, 8),
                      Component(PlaneLayoutComponentType::B, 16, 8),
                      Component(PlaneLayoutComponentType::A, 24, 8)};
  plane.offset_in_bytes = 0;
  plane.sample_increment_in_bits = 32;
  plane.stride_in_bytes = 256;
  plane.width_in_samples = 64;
  plane.height_in_samples = 64;
  plane.total_size_in_bytes = 16384;
  plane.horizontal_subsampling = 1;
  plane.vertical_subsampling = 1;
  return {plane};
}

// YV12 at 64x64: Y, then Cr, then Cb, chroma subsampled 2x2.
std::vector<PlaneLayout> Yv12Planes() {
  PlaneLayout y;
  y.components = {Component(PlaneLayoutComponentType::Y, 0, 8)};
  y.offset_in_bytes = 0;
  y.sample_increment_in_bits = 8;
  y.stride_in_bytes = 64;
  y.width_in_samples = 64;
  y.height_in_samples = 64;
  y.total_size_in_bytes = 4096;
  y.horizontal_subsampling = 1;
  y.vertical_subsampling = 1;

  PlaneLayout cr;
  cr.components = {Component(PlaneLayoutComponentType::CR, 0, 8)};
  cr.offset_in_bytes = 4096;
  cr.sample_increment_in_bits = 8;
  cr.stride_in_bytes = 32;
  cr.width_in_samples = 32;
  cr.height_in_samples = 32;
  cr.total_size_in_bytes = 1024;
  cr.horizontal_subsampling = 2;
  cr.vertical_subsampling = 2;

  PlaneLayout cb = cr;
  cb.components = {Component(PlaneLayoutComponentType::CB, 0, 8)};
  cb.offset_in_bytes = 5120;
  return {y, cr, cb};
}

Smpte2086 SampleSmpte2086() {
  return Smpte2086{{0.5f, 0.25f},  {0.25f, 0.5f}, {0.125f, 0.125f},
                   {0.25f, 0.25f}, 1000.0f,       0.5f};
}

// --- The header ------------------------------------------------------------

TEST(MetadataCodecTest, HeaderIs69Bytes) {
  EXPECT_EQ(kMetadataHeaderSize, 69u);
  EXPECT_EQ(Header(1).size(), 69u);
}

TEST(MetadataCodecTest, PeekTypeReadsOnlyTheHeader) {
  const Bytes width = Cat({Header(3), {0x40, 0, 0, 0, 0, 0, 0, 0}});
  EXPECT_THAT(PeekType(width.data(), width.size()),
              IsOkAndHolds(StandardMetadataType::WIDTH));
  const Bytes bare = Header(15);  // no value: PeekType does not care
  EXPECT_THAT(PeekType(bare.data(), bare.size()),
              IsOkAndHolds(StandardMetadataType::PLANE_LAYOUTS));
  const Bytes stride = Header(23);
  EXPECT_THAT(PeekType(stride.data(), stride.size()),
              IsOkAndHolds(StandardMetadataType::STRIDE));
}

TEST(MetadataCodecTest, PeekTypeOfUnknownTypeIsUnimplemented) {
  const Bytes newer = Header(24);
  EXPECT_THAT(PeekType(newer.data(), newer.size()),
              StatusIs(absl::StatusCode::kUnimplemented));
  const Bytes invalid = Header(0);
  EXPECT_THAT(PeekType(invalid.data(), invalid.size()),
              StatusIs(absl::StatusCode::kUnimplemented));
}

TEST(MetadataCodecTest, PeekTypeOfTruncatedHeaderIsInvalidArgument) {
  const Bytes header = Header(1);
  for (size_t size = 0; size < header.size(); ++size) {
    const Bytes prefix = Prefix(header, size);
    EXPECT_THAT(PeekType(prefix.data(), prefix.size()),
                StatusIs(absl::StatusCode::kInvalidArgument))
        << "size " << size;
  }
}

TEST(MetadataCodecTest, PeekTypeOfVendorNameIsInvalidArgument) {
  const Bytes vendor = Cat({{0x0B, 0, 0, 0, 0, 0, 0, 0},
                            Text("vendor.acme"),
                            {1, 0, 0, 0, 0, 0, 0, 0}});
  EXPECT_THAT(PeekType(vendor.data(), vendor.size()),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("not a standard metadata type")));
}

TEST(MetadataCodecTest, PeekTypeOfNullWithSizeIsInvalidArgument) {
  EXPECT_THAT(PeekType(nullptr, 69),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(PeekType(nullptr, 0),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

// --- Byte-exact encodings ----------------------------------------------------

TEST(MetadataCodecTest, BufferIdEncodingIsAndroids) {
  const Bytes expected = {
      // int64 53: the length of the name.
      0x35, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
      // "android.hardware.graphics.common.StandardMetadataType", no NUL.
      'a', 'n', 'd', 'r', 'o', 'i', 'd', '.', 'h', 'a', 'r', 'd', 'w', 'a', 'r',
      'e', '.', 'g', 'r', 'a', 'p', 'h', 'i', 'c', 's', '.', 'c', 'o', 'm', 'm',
      'o', 'n', '.', 'S', 't', 'a', 'n', 'd', 'a', 'r', 'd', 'M', 'e', 't', 'a',
      'd', 'a', 't', 'a', 'T', 'y', 'p', 'e',
      // int64 1: BUFFER_ID.
      0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
      // uint64 0x0123456789ABCDEF, little-endian.
      0xEF, 0xCD, 0xAB, 0x89, 0x67, 0x45, 0x23, 0x01};
  ASSERT_EQ(expected.size(), 77u);
  EXPECT_THAT(Encoded(EncodeMetadata<StandardMetadataType::BUFFER_ID>,
                      uint64_t{0x0123456789ABCDEF}),
              ElementsAreArray(expected));
}

TEST(MetadataCodecTest, NameEncodingIsLengthThenBytes) {
  EXPECT_THAT(
      Encoded(EncodeMetadata<StandardMetadataType::NAME>, "cam0"),
      ElementsAreArray(
          Cat({Header(2), {0x04, 0, 0, 0, 0, 0, 0, 0}, {'c', 'a', 'm', '0'}})));
  EXPECT_THAT(Encoded(EncodeMetadata<StandardMetadataType::NAME>, ""),
              ElementsAreArray(Cat({Header(2), {0, 0, 0, 0, 0, 0, 0, 0}})));
}

TEST(MetadataCodecTest, ScalarEncodingsHaveAndroidsWidths) {
  // 64-bit values.
  EXPECT_THAT(
      Encoded(EncodeMetadata<StandardMetadataType::WIDTH>, uint64_t{64}),
      ElementsAreArray(Cat({Header(3), {0x40, 0, 0, 0, 0, 0, 0, 0}})));
  EXPECT_THAT(
      Encoded(EncodeMetadata<StandardMetadataType::HEIGHT>, uint64_t{480}),
      ElementsAreArray(Cat({Header(4), {0xE0, 1, 0, 0, 0, 0, 0, 0}})));
  EXPECT_THAT(
      Encoded(EncodeMetadata<StandardMetadataType::LAYER_COUNT>, uint64_t{1}),
      ElementsAreArray(Cat({Header(5), {1, 0, 0, 0, 0, 0, 0, 0}})));
  EXPECT_THAT(
      Encoded(EncodeMetadata<StandardMetadataType::PIXEL_FORMAT_MODIFIER>,
              uint64_t{0x0100000000000001}),
      ElementsAreArray(Cat({Header(8), {1, 0, 0, 0, 0, 0, 0, 0x01}})));
  EXPECT_THAT(Encoded(EncodeMetadata<StandardMetadataType::USAGE>,
                      uint64_t{0x0000000300000033}),
              ElementsAreArray(Cat({Header(9), {0x33, 0, 0, 0, 3, 0, 0, 0}})));
  EXPECT_THAT(
      Encoded(EncodeMetadata<StandardMetadataType::ALLOCATION_SIZE>,
              uint64_t{16384}),
      ElementsAreArray(Cat({Header(10), {0x00, 0x40, 0, 0, 0, 0, 0, 0}})));
  EXPECT_THAT(Encoded(EncodeMetadata<StandardMetadataType::PROTECTED_CONTENT>,
                      uint64_t{1}),
              ElementsAreArray(Cat({Header(11), {1, 0, 0, 0, 0, 0, 0, 0}})));

  // 32-bit values.
  EXPECT_THAT(
      Encoded(EncodeMetadata<StandardMetadataType::PIXEL_FORMAT_REQUESTED>,
              PixelFormat::YV12),
      ElementsAreArray(Cat({Header(6), {0x59, 0x56, 0x31, 0x32}})));
  EXPECT_THAT(Encoded(EncodeMetadata<StandardMetadataType::PIXEL_FORMAT_FOURCC>,
                      uint32_t{0x34324241}),  // AB24
              ElementsAreArray(Cat({Header(7), {'A', 'B', '2', '4'}})));
  EXPECT_THAT(Encoded(EncodeMetadata<StandardMetadataType::BLEND_MODE>,
                      BlendMode::PREMULTIPLIED),
              ElementsAreArray(Cat({Header(18), {2, 0, 0, 0}})));
  EXPECT_THAT(
      Encoded(EncodeMetadata<StandardMetadataType::STRIDE>, uint32_t{64}),
      ElementsAreArray(Cat({Header(23), {0x40, 0, 0, 0}})));
}

TEST(MetadataCodecTest, DataspaceEncodingIsInt32) {
  // BT709 = STANDARD_BT709 | TRANSFER_SMPTE_170M | RANGE_LIMITED = 0x10C10000.
  EXPECT_THAT(Encoded(EncodeMetadata<StandardMetadataType::DATASPACE>,
                      Dataspace::BT709),
              ElementsAreArray(Cat({Header(17), {0x00, 0x00, 0xC1, 0x10}})));
  EXPECT_THAT(Encoded(EncodeMetadata<StandardMetadataType::DATASPACE>,
                      Dataspace::UNKNOWN),
              ElementsAreArray(Cat({Header(17), {0, 0, 0, 0}})));
}

TEST(MetadataCodecTest, ExtendableEncodingIsNameThenValue) {
  const Bytes expected =
      Cat({Header(12),
           {0x2C, 0, 0, 0, 0, 0, 0, 0},  // 44
           Text("android.hardware.graphics.common.Compression"),
           {1, 0, 0, 0, 0, 0, 0, 0}});  // DISPLAY_STREAM_COMPRESSION
  EXPECT_THAT(
      Encoded(EncodeMetadata<StandardMetadataType::COMPRESSION>,
              StandardCompression(Compression::DISPLAY_STREAM_COMPRESSION)),
      ElementsAreArray(expected));

  EXPECT_THAT(Encoded(EncodeMetadata<StandardMetadataType::INTERLACED>,
                      ExtendableType{"v", -1}),
              ElementsAreArray(
                  Cat({Header(13),
                       {1, 0, 0, 0, 0, 0, 0, 0},
                       {'v'},
                       {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF}})));
  EXPECT_THAT(Encoded(EncodeMetadata<StandardMetadataType::CHROMA_SITING>,
                      StandardChromaSiting(ChromaSiting::SITED_INTERSTITIAL)),
              ElementsAreArray(Cat({Header(14),
                                    {0x2D, 0, 0, 0, 0, 0, 0, 0},  // 45
                                    Text("android.hardware.graphics.common."
                                         "ChromaSiting"),
                                    {2, 0, 0, 0, 0, 0, 0, 0}})));
}

TEST(MetadataCodecTest, PlaneLayoutsEncodingOfRgba8888IsAndroids) {
  const Bytes expected = Cat({
      Header(15),
      {1, 0, 0, 0, 0, 0, 0, 0},  // one plane
      {4, 0, 0, 0, 0, 0, 0, 0},  // four components
      // R = 1 << 10, bits 0..7.
      ComponentTypeName(),
      {0x00, 0x04, 0, 0, 0, 0, 0, 0},
      {0, 0, 0, 0, 0, 0, 0, 0},
      {8, 0, 0, 0, 0, 0, 0, 0},
      // G = 1 << 11, bits 8..15.
      ComponentTypeName(),
      {0x00, 0x08, 0, 0, 0, 0, 0, 0},
      {8, 0, 0, 0, 0, 0, 0, 0},
      {8, 0, 0, 0, 0, 0, 0, 0},
      // B = 1 << 12, bits 16..23.
      ComponentTypeName(),
      {0x00, 0x10, 0, 0, 0, 0, 0, 0},
      {0x10, 0, 0, 0, 0, 0, 0, 0},
      {8, 0, 0, 0, 0, 0, 0, 0},
      // A = 1 << 30, bits 24..31.
      ComponentTypeName(),
      {0, 0, 0, 0x40, 0, 0, 0, 0},
      {0x18, 0, 0, 0, 0, 0, 0, 0},
      {8, 0, 0, 0, 0, 0, 0, 0},
      {0, 0, 0, 0, 0, 0, 0, 0},        // offset_in_bytes 0
      {0x20, 0, 0, 0, 0, 0, 0, 0},     // sample_increment_in_bits 32
      {0x00, 0x01, 0, 0, 0, 0, 0, 0},  // stride_in_bytes 256
      {0x40, 0, 0, 0, 0, 0, 0, 0},     // width_in_samples 64
      {0x40, 0, 0, 0, 0, 0, 0, 0},     // height_in_samples 64
      {0x00, 0x40, 0, 0, 0, 0, 0, 0},  // total_size_in_bytes 16384
      {1, 0, 0, 0, 0, 0, 0, 0},        // horizontal_subsampling
      {1, 0, 0, 0, 0, 0, 0, 0},        // vertical_subsampling
  });
  // 69 + 8 + 8 + 4 * (8 + 57 + 8 + 8 + 8) + 8 * 8.
  ASSERT_EQ(expected.size(), 505u);
  EXPECT_THAT(Encoded(EncodeMetadata<StandardMetadataType::PLANE_LAYOUTS>,
                      Rgba8888Planes()),
              ElementsAreArray(expected));
}

TEST(MetadataCodecTest, PlaneLayoutsEncodingOfYv12IsAndroids) {
  const Bytes expected = Cat({
      Header(15),
      {3, 0, 0, 0, 0, 0, 0, 0},  // three planes
      // Y plane.
      {1, 0, 0, 0, 0, 0, 0, 0},
      ComponentTypeName(),
      {1, 0, 0, 0, 0, 0, 0, 0},  // Y = 1 << 0
      {0, 0, 0, 0, 0, 0, 0, 0},
      {8, 0, 0, 0, 0, 0, 0, 0},
      {0, 0, 0, 0, 0, 0, 0, 0},        // offset 0
      {8, 0, 0, 0, 0, 0, 0, 0},        // sample increment 8
      {0x40, 0, 0, 0, 0, 0, 0, 0},     // stride 64
      {0x40, 0, 0, 0, 0, 0, 0, 0},     // width 64
      {0x40, 0, 0, 0, 0, 0, 0, 0},     // height 64
      {0x00, 0x10, 0, 0, 0, 0, 0, 0},  // total 4096
      {1, 0, 0, 0, 0, 0, 0, 0},
      {1, 0, 0, 0, 0, 0, 0, 0},
      // Cr plane.
      {1, 0, 0, 0, 0, 0, 0, 0},
      ComponentTypeName(),
      {4, 0, 0, 0, 0, 0, 0, 0},  // CR = 1 << 2
      {0, 0, 0, 0, 0, 0, 0, 0},
      {8, 0, 0, 0, 0, 0, 0, 0},
      {0x00, 0x10, 0, 0, 0, 0, 0, 0},  // offset 4096
      {8, 0, 0, 0, 0, 0, 0, 0},
      {0x20, 0, 0, 0, 0, 0, 0, 0},     // stride 32
      {0x20, 0, 0, 0, 0, 0, 0, 0},     // width 32
      {0x20, 0, 0, 0, 0, 0, 0, 0},     // height 32
      {0x00, 0x04, 0, 0, 0, 0, 0, 0},  // total 1024
      {2, 0, 0, 0, 0, 0, 0, 0},
      {2, 0, 0, 0, 0, 0, 0, 0},
      // Cb plane.
      {1, 0, 0, 0, 0, 0, 0, 0},
      ComponentTypeName(),
      {2, 0, 0, 0, 0, 0, 0, 0},  // CB = 1 << 1
      {0, 0, 0, 0, 0, 0, 0, 0},
      {8, 0, 0, 0, 0, 0, 0, 0},
      {0x00, 0x14, 0, 0, 0, 0, 0, 0},  // offset 5120
      {8, 0, 0, 0, 0, 0, 0, 0},
      {0x20, 0, 0, 0, 0, 0, 0, 0},
      {0x20, 0, 0, 0, 0, 0, 0, 0},
      {0x20, 0, 0, 0, 0, 0, 0, 0},
      {0x00, 0x04, 0, 0, 0, 0, 0, 0},
      {2, 0, 0, 0, 0, 0, 0, 0},
      {2, 0, 0, 0, 0, 0, 0, 0},
  });
  // 69 + 8 + 3 * (8 + (8 + 57 + 8 + 8 + 8) + 8 * 8).
  ASSERT_EQ(expected.size(), 560u);
  EXPECT_THAT(Encoded(EncodeMetadata<StandardMetadataType::PLANE_LAYOUTS>,
                      Yv12Planes()),
              ElementsAreArray(expected));
}

TEST(MetadataCodecTest, CropEncodingIsCountThenInt32Rects) {
  const std::vector<Rect> crops = {{0, 0, 64, 64}, {-1, 2, 32, 0x12345678}};
  const Bytes expected = Cat({
      Header(16),
      {2, 0, 0, 0, 0, 0, 0, 0},  // two rects
      // {0, 0, 64, 64}
      {0, 0, 0, 0},
      {0, 0, 0, 0},
      {0x40, 0, 0, 0},
      {0x40, 0, 0, 0},
      // {-1, 2, 32, 0x12345678}
      {0xFF, 0xFF, 0xFF, 0xFF},
      {2, 0, 0, 0},
      {0x20, 0, 0, 0},
      {0x78, 0x56, 0x34, 0x12},
  });
  EXPECT_THAT(Encoded(EncodeMetadata<StandardMetadataType::CROP>, crops),
              ElementsAreArray(expected));
  EXPECT_THAT(
      Encoded(EncodeMetadata<StandardMetadataType::CROP>, std::vector<Rect>{}),
      ElementsAreArray(Cat({Header(16), {0, 0, 0, 0, 0, 0, 0, 0}})));
}

TEST(MetadataCodecTest, Smpte2086EncodingIsTenLittleEndianFloats) {
  const Bytes expected = Cat({
      Header(19),
      // primary_red 0.5, 0.25
      {0, 0, 0, 0x3F},
      {0, 0, 0x80, 0x3E},
      // primary_green 0.25, 0.5
      {0, 0, 0x80, 0x3E},
      {0, 0, 0, 0x3F},
      // primary_blue 0.125, 0.125
      {0, 0, 0, 0x3E},
      {0, 0, 0, 0x3E},
      // white_point 0.25, 0.25
      {0, 0, 0x80, 0x3E},
      {0, 0, 0x80, 0x3E},
      // max_luminance 1000, min_luminance 0.5
      {0, 0, 0x7A, 0x44},
      {0, 0, 0, 0x3F},
  });
  ASSERT_EQ(expected.size(), 69u + 40u);
  EXPECT_THAT(Encoded(EncodeMetadata<StandardMetadataType::SMPTE2086>,
                      std::optional(SampleSmpte2086())),
              ElementsAreArray(expected));
}

TEST(MetadataCodecTest, UnsetOptionalMetadataEncodesAsNothing) {
  uint8_t canary[128];
  std::memset(canary, 0xAA, sizeof(canary));
  EXPECT_EQ(EncodeMetadata<StandardMetadataType::SMPTE2086>(
                std::nullopt, canary, sizeof(canary)),
            0u);
  EXPECT_EQ(EncodeMetadata<StandardMetadataType::CTA861_3>(std::nullopt, canary,
                                                           sizeof(canary)),
            0u);
  EXPECT_EQ(EncodeMetadata<StandardMetadataType::SMPTE2094_40>(
                std::nullopt, canary, sizeof(canary)),
            0u);
  EXPECT_EQ(EncodeMetadata<StandardMetadataType::SMPTE2094_10>(
                std::nullopt, canary, sizeof(canary)),
            0u);
  EXPECT_EQ(
      EncodeMetadata<StandardMetadataType::SMPTE2086>(std::nullopt, nullptr, 0),
      0u);
  EXPECT_THAT(canary, Each(Eq(0xAA)));
}

TEST(MetadataCodecTest, Cta861_3EncodingIsTwoLittleEndianFloats) {
  EXPECT_THAT(Encoded(EncodeMetadata<StandardMetadataType::CTA861_3>,
                      std::optional(Cta861_3{1000.0f, 400.0f})),
              ElementsAreArray(Cat({Header(20),
                                    {0, 0, 0x7A, 0x44},      // 1000
                                    {0, 0, 0xC8, 0x43}})));  // 400
}

TEST(MetadataCodecTest, Smpte2094EncodingIsLengthThenBytes) {
  EXPECT_THAT(Encoded(EncodeMetadata<StandardMetadataType::SMPTE2094_40>,
                      std::optional(Bytes{0xDE, 0xAD, 0xBE})),
              ElementsAreArray(Cat(
                  {Header(21), {3, 0, 0, 0, 0, 0, 0, 0}, {0xDE, 0xAD, 0xBE}})));
  // Set but empty is not unset: it has a header and a zero length.
  EXPECT_THAT(Encoded(EncodeMetadata<StandardMetadataType::SMPTE2094_10>,
                      std::optional(Bytes{})),
              ElementsAreArray(Cat({Header(22), {0, 0, 0, 0, 0, 0, 0, 0}})));
}

// --- The size contract -------------------------------------------------------

TEST(MetadataCodecTest, NullDestinationReportsSize) {
  EXPECT_EQ(EncodeMetadata<StandardMetadataType::BUFFER_ID>(1, nullptr, 0),
            77u);
  EXPECT_EQ(EncodeMetadata<StandardMetadataType::BUFFER_ID>(1, nullptr, 4096),
            77u);
  EXPECT_EQ(EncodeMetadata<StandardMetadataType::STRIDE>(1, nullptr, 0), 73u);
  EXPECT_EQ(EncodeMetadata<StandardMetadataType::NAME>("abc", nullptr, 0),
            69u + 8u + 3u);
  EXPECT_EQ(EncodeMetadata<StandardMetadataType::PLANE_LAYOUTS>(
                Rgba8888Planes(), nullptr, 0),
            505u);
  EXPECT_EQ(EncodeMetadata<StandardMetadataType::PLANE_LAYOUTS>(Yv12Planes(),
                                                                nullptr, 0),
            560u);
  EXPECT_EQ(EncodeMetadata<StandardMetadataType::CROP>(std::vector<Rect>(3),
                                                       nullptr, 0),
            69u + 8u + 48u);
}

TEST(MetadataCodecTest, TooSmallDestinationIsLeftUntouched) {
  const std::vector<PlaneLayout> planes = Yv12Planes();
  for (size_t capacity : {size_t{0}, size_t{1}, size_t{68}, size_t{69},
                          size_t{300}, size_t{559}}) {
    Bytes dest(capacity, 0xAA);
    EXPECT_EQ(EncodeMetadata<StandardMetadataType::PLANE_LAYOUTS>(
                  planes, dest.data(), dest.size()),
              560u);
    EXPECT_THAT(dest, Each(Eq(0xAA))) << "capacity " << capacity;
  }
  Bytes dest(76, 0xAA);
  EXPECT_EQ(EncodeMetadata<StandardMetadataType::BUFFER_ID>(7, dest.data(),
                                                            dest.size()),
            77u);
  EXPECT_THAT(dest, Each(Eq(0xAA)));
}

TEST(MetadataCodecTest, LargerDestinationKeepsBytesPastTheEncoding) {
  Bytes dest(100, 0xAA);
  ASSERT_EQ(EncodeMetadata<StandardMetadataType::STRIDE>(64, dest.data(),
                                                         dest.size()),
            73u);
  EXPECT_THAT(Prefix(dest, 73),
              ElementsAreArray(Cat({Header(23), {0x40, 0, 0, 0}})));
  EXPECT_THAT(Bytes(dest.begin() + 73, dest.end()), Each(Eq(0xAA)));
}

// --- Round trips -------------------------------------------------------------

TEST(MetadataCodecTest, ScalarsRoundTrip) {
  Bytes bytes = Encoded(EncodeMetadata<StandardMetadataType::BUFFER_ID>,
                        uint64_t{0xFEDCBA9876543210});
  EXPECT_THAT(DecodeMetadata<StandardMetadataType::BUFFER_ID>(bytes.data(),
                                                              bytes.size()),
              IsOkAndHolds(uint64_t{0xFEDCBA9876543210}));
  bytes = Encoded(EncodeMetadata<StandardMetadataType::WIDTH>, uint64_t{1920});
  EXPECT_THAT(
      DecodeMetadata<StandardMetadataType::WIDTH>(bytes.data(), bytes.size()),
      IsOkAndHolds(uint64_t{1920}));
  bytes = Encoded(EncodeMetadata<StandardMetadataType::HEIGHT>, uint64_t{1080});
  EXPECT_THAT(
      DecodeMetadata<StandardMetadataType::HEIGHT>(bytes.data(), bytes.size()),
      IsOkAndHolds(uint64_t{1080}));
  bytes =
      Encoded(EncodeMetadata<StandardMetadataType::LAYER_COUNT>, uint64_t{6});
  EXPECT_THAT(DecodeMetadata<StandardMetadataType::LAYER_COUNT>(bytes.data(),
                                                                bytes.size()),
              IsOkAndHolds(uint64_t{6}));
  bytes = Encoded(EncodeMetadata<StandardMetadataType::PIXEL_FORMAT_REQUESTED>,
                  PixelFormat::RGBA_8888);
  EXPECT_THAT(DecodeMetadata<StandardMetadataType::PIXEL_FORMAT_REQUESTED>(
                  bytes.data(), bytes.size()),
              IsOkAndHolds(PixelFormat::RGBA_8888));
  bytes = Encoded(EncodeMetadata<StandardMetadataType::PIXEL_FORMAT_FOURCC>,
                  uint32_t{0x32315659});
  EXPECT_THAT(DecodeMetadata<StandardMetadataType::PIXEL_FORMAT_FOURCC>(
                  bytes.data(), bytes.size()),
              IsOkAndHolds(uint32_t{0x32315659}));
  bytes = Encoded(EncodeMetadata<StandardMetadataType::PIXEL_FORMAT_MODIFIER>,
                  uint64_t{0x00ffffffffffffff});
  EXPECT_THAT(DecodeMetadata<StandardMetadataType::PIXEL_FORMAT_MODIFIER>(
                  bytes.data(), bytes.size()),
              IsOkAndHolds(uint64_t{0x00ffffffffffffff}));
  bytes = Encoded(EncodeMetadata<StandardMetadataType::USAGE>,
                  uint64_t{0x8000000000000000});
  EXPECT_THAT(
      DecodeMetadata<StandardMetadataType::USAGE>(bytes.data(), bytes.size()),
      IsOkAndHolds(uint64_t{0x8000000000000000}));
  bytes = Encoded(EncodeMetadata<StandardMetadataType::ALLOCATION_SIZE>,
                  uint64_t{1} << 40);
  EXPECT_THAT(DecodeMetadata<StandardMetadataType::ALLOCATION_SIZE>(
                  bytes.data(), bytes.size()),
              IsOkAndHolds(uint64_t{1} << 40));
  bytes = Encoded(EncodeMetadata<StandardMetadataType::PROTECTED_CONTENT>,
                  uint64_t{1});
  EXPECT_THAT(DecodeMetadata<StandardMetadataType::PROTECTED_CONTENT>(
                  bytes.data(), bytes.size()),
              IsOkAndHolds(uint64_t{1}));
  bytes = Encoded(EncodeMetadata<StandardMetadataType::DATASPACE>,
                  Dataspace::BT2020_ITU_PQ);
  EXPECT_THAT(DecodeMetadata<StandardMetadataType::DATASPACE>(bytes.data(),
                                                              bytes.size()),
              IsOkAndHolds(Dataspace::BT2020_ITU_PQ));
  bytes = Encoded(EncodeMetadata<StandardMetadataType::BLEND_MODE>,
                  BlendMode::COVERAGE);
  EXPECT_THAT(DecodeMetadata<StandardMetadataType::BLEND_MODE>(bytes.data(),
                                                               bytes.size()),
              IsOkAndHolds(BlendMode::COVERAGE));
  bytes = Encoded(EncodeMetadata<StandardMetadataType::STRIDE>,
                  uint32_t{0xFFFFFFFF});
  EXPECT_THAT(
      DecodeMetadata<StandardMetadataType::STRIDE>(bytes.data(), bytes.size()),
      IsOkAndHolds(uint32_t{0xFFFFFFFF}));
}

TEST(MetadataCodecTest, VendorDataspaceBitsSurviveDecoding) {
  const Bytes bytes = Cat({Header(17), {0x78, 0x56, 0x34, 0x92}});
  ASSERT_OK_AND_ASSIGN(const Dataspace dataspace,
                       DecodeMetadata<StandardMetadataType::DATASPACE>(
                           bytes.data(), bytes.size()));
  EXPECT_EQ(static_cast<uint32_t>(dataspace), 0x92345678u);
}

TEST(MetadataCodecTest, StringsAndExtendablesRoundTrip) {
  const std::string name("camera\0preview", 14);  // embedded NUL kept
  Bytes bytes = Encoded(EncodeMetadata<StandardMetadataType::NAME>, name);
  EXPECT_THAT(
      DecodeMetadata<StandardMetadataType::NAME>(bytes.data(), bytes.size()),
      IsOkAndHolds(name));

  const ExtendableType vendor{"vendor.acme.Compression", 7};
  bytes = Encoded(EncodeMetadata<StandardMetadataType::COMPRESSION>, vendor);
  EXPECT_THAT(DecodeMetadata<StandardMetadataType::COMPRESSION>(bytes.data(),
                                                                bytes.size()),
              IsOkAndHolds(vendor));
  bytes = Encoded(EncodeMetadata<StandardMetadataType::INTERLACED>,
                  StandardInterlaced(Interlaced::TOP_BOTTOM));
  EXPECT_THAT(DecodeMetadata<StandardMetadataType::INTERLACED>(bytes.data(),
                                                               bytes.size()),
              IsOkAndHolds(StandardInterlaced(Interlaced::TOP_BOTTOM)));
  bytes = Encoded(EncodeMetadata<StandardMetadataType::CHROMA_SITING>,
                  StandardChromaSiting(ChromaSiting::COSITED_BOTH));
  EXPECT_THAT(DecodeMetadata<StandardMetadataType::CHROMA_SITING>(bytes.data(),
                                                                  bytes.size()),
              IsOkAndHolds(StandardChromaSiting(ChromaSiting::COSITED_BOTH)));
}

TEST(MetadataCodecTest, PlaneLayoutsAndCropRoundTrip) {
  for (const std::vector<PlaneLayout>& planes :
       {Rgba8888Planes(), Yv12Planes(), std::vector<PlaneLayout>{}}) {
    const Bytes bytes =
        Encoded(EncodeMetadata<StandardMetadataType::PLANE_LAYOUTS>, planes);
    EXPECT_THAT(DecodeMetadata<StandardMetadataType::PLANE_LAYOUTS>(
                    bytes.data(), bytes.size()),
                IsOkAndHolds(planes));
  }
  const std::vector<Rect> crops = {{1, 2, 3, 4}, {INT32_MIN, 0, INT32_MAX, -5}};
  const Bytes bytes =
      Encoded(EncodeMetadata<StandardMetadataType::CROP>, crops);
  EXPECT_THAT(
      DecodeMetadata<StandardMetadataType::CROP>(bytes.data(), bytes.size()),
      IsOkAndHolds(crops));
}

TEST(MetadataCodecTest, HdrMetadataRoundTripsSetAndUnset) {
  Bytes bytes = Encoded(EncodeMetadata<StandardMetadataType::SMPTE2086>,
                        std::optional(SampleSmpte2086()));
  EXPECT_THAT(DecodeMetadata<StandardMetadataType::SMPTE2086>(bytes.data(),
                                                              bytes.size()),
              IsOkAndHolds(std::optional(SampleSmpte2086())));
  EXPECT_THAT(DecodeMetadata<StandardMetadataType::SMPTE2086>(nullptr, 0),
              IsOkAndHolds(std::optional<Smpte2086>()));

  bytes = Encoded(EncodeMetadata<StandardMetadataType::CTA861_3>,
                  std::optional(Cta861_3{1000.0f, 400.0f}));
  EXPECT_THAT(DecodeMetadata<StandardMetadataType::CTA861_3>(bytes.data(),
                                                             bytes.size()),
              IsOkAndHolds(std::optional(Cta861_3{1000.0f, 400.0f})));
  EXPECT_THAT(DecodeMetadata<StandardMetadataType::CTA861_3>(nullptr, 0),
              IsOkAndHolds(std::optional<Cta861_3>()));

  const std::optional<Bytes> payload = Bytes{1, 2, 3, 4, 5};
  bytes = Encoded(EncodeMetadata<StandardMetadataType::SMPTE2094_40>, payload);
  EXPECT_THAT(DecodeMetadata<StandardMetadataType::SMPTE2094_40>(bytes.data(),
                                                                 bytes.size()),
              IsOkAndHolds(payload));
  bytes = Encoded(EncodeMetadata<StandardMetadataType::SMPTE2094_10>,
                  std::optional(Bytes{}));
  EXPECT_THAT(DecodeMetadata<StandardMetadataType::SMPTE2094_10>(bytes.data(),
                                                                 bytes.size()),
              IsOkAndHolds(std::optional(Bytes{})));
  EXPECT_THAT(DecodeMetadata<StandardMetadataType::SMPTE2094_10>(nullptr, 0),
              IsOkAndHolds(std::optional<Bytes>()));
}

// --- Malformed input ---------------------------------------------------------

TEST(MetadataCodecTest, TruncationAtEveryByteIsInvalidArgument) {
  const Bytes name =
      Encoded(EncodeMetadata<StandardMetadataType::NAME>, "camera");
  const Bytes planes = Encoded(
      EncodeMetadata<StandardMetadataType::PLANE_LAYOUTS>, Yv12Planes());
  const Bytes crop =
      Encoded(EncodeMetadata<StandardMetadataType::CROP>, std::vector<Rect>(2));
  const Bytes compression =
      Encoded(EncodeMetadata<StandardMetadataType::COMPRESSION>,
              StandardCompression(Compression::NONE));
  const Bytes stride =
      Encoded(EncodeMetadata<StandardMetadataType::STRIDE>, uint32_t{64});
  const Bytes smpte2086 =
      Encoded(EncodeMetadata<StandardMetadataType::SMPTE2086>,
              std::optional(SampleSmpte2086()));
  const Bytes smpte2094 =
      Encoded(EncodeMetadata<StandardMetadataType::SMPTE2094_40>,
              std::optional(Bytes(9)));

  for (size_t size = 0; size < planes.size(); ++size) {
    const auto check = [size](const Bytes& full, auto decode) {
      if (size >= full.size()) return;
      const Bytes prefix = Prefix(full, size);
      EXPECT_THAT(decode(prefix.data(), prefix.size()),
                  StatusIs(absl::StatusCode::kInvalidArgument))
          << size << " of " << full.size() << " bytes";
    };
    check(name, DecodeMetadata<StandardMetadataType::NAME>);
    check(planes, DecodeMetadata<StandardMetadataType::PLANE_LAYOUTS>);
    check(crop, DecodeMetadata<StandardMetadataType::CROP>);
    check(compression, DecodeMetadata<StandardMetadataType::COMPRESSION>);
    check(stride, DecodeMetadata<StandardMetadataType::STRIDE>);
    if (size > 0) {  // zero bytes is a valid "unset"
      check(smpte2086, DecodeMetadata<StandardMetadataType::SMPTE2086>);
      check(smpte2094, DecodeMetadata<StandardMetadataType::SMPTE2094_40>);
    }
  }
}

TEST(MetadataCodecTest, TrailingBytesAreInvalidArgument) {
  Bytes bytes = Cat(
      {Encoded(EncodeMetadata<StandardMetadataType::BUFFER_ID>, uint64_t{1}),
       {0}});
  EXPECT_THAT(DecodeMetadata<StandardMetadataType::BUFFER_ID>(bytes.data(),
                                                              bytes.size()),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("1 trailing bytes")));
  bytes = Cat({Encoded(EncodeMetadata<StandardMetadataType::PLANE_LAYOUTS>,
                       Rgba8888Planes()),
               {0xAB, 0xCD}});
  EXPECT_THAT(DecodeMetadata<StandardMetadataType::PLANE_LAYOUTS>(bytes.data(),
                                                                  bytes.size()),
              StatusIs(absl::StatusCode::kInvalidArgument));
  bytes = Cat({Encoded(EncodeMetadata<StandardMetadataType::SMPTE2086>,
                       std::optional(SampleSmpte2086())),
               {0, 0, 0, 0}});
  EXPECT_THAT(DecodeMetadata<StandardMetadataType::SMPTE2086>(bytes.data(),
                                                              bytes.size()),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(MetadataCodecTest, WrongNameIsInvalidArgument) {
  Bytes bytes =
      Encoded(EncodeMetadata<StandardMetadataType::WIDTH>, uint64_t{64});
  bytes[8 + 33] = 'X';  // "...common.XtandardMetadataType"
  EXPECT_THAT(
      DecodeMetadata<StandardMetadataType::WIDTH>(bytes.data(), bytes.size()),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("not a standard metadata type")));
}

TEST(MetadataCodecTest, WrongNameLengthIsInvalidArgument) {
  // 52, and the name without its final 'e': a shorter name, the rest shifted.
  const Bytes shorter =
      Cat({{0x34, 0, 0, 0, 0, 0, 0, 0},
           Text("android.hardware.graphics.common.StandardMetadataTyp"),
           {3, 0, 0, 0, 0, 0, 0, 0},
           {0x40, 0, 0, 0, 0, 0, 0, 0}});
  EXPECT_THAT(DecodeMetadata<StandardMetadataType::WIDTH>(shorter.data(),
                                                          shorter.size()),
              StatusIs(absl::StatusCode::kInvalidArgument));
  // 2^62.
  Bytes huge =
      Encoded(EncodeMetadata<StandardMetadataType::WIDTH>, uint64_t{64});
  huge[0] = 0;
  huge[7] = 0x40;
  EXPECT_THAT(
      DecodeMetadata<StandardMetadataType::WIDTH>(huge.data(), huge.size()),
      StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(PeekType(huge.data(), huge.size()),
              StatusIs(absl::StatusCode::kInvalidArgument));
  // -1.
  Bytes negative =
      Encoded(EncodeMetadata<StandardMetadataType::WIDTH>, uint64_t{64});
  std::memset(negative.data(), 0xFF, 8);
  EXPECT_THAT(
      DecodeMetadata<StandardMetadataType::WIDTH>(negative.data(),
                                                  negative.size()),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("negative")));
}

TEST(MetadataCodecTest, WrongTypeIsInvalidArgument) {
  const Bytes buffer_id =
      Encoded(EncodeMetadata<StandardMetadataType::BUFFER_ID>, uint64_t{64});
  EXPECT_THAT(DecodeMetadata<StandardMetadataType::WIDTH>(buffer_id.data(),
                                                          buffer_id.size()),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("type 1, want 3")));
  // Same payload size, different type: still refused.
  const Bytes stride =
      Encoded(EncodeMetadata<StandardMetadataType::STRIDE>, uint32_t{64});
  EXPECT_THAT(DecodeMetadata<StandardMetadataType::PIXEL_FORMAT_FOURCC>(
                  stride.data(), stride.size()),
              StatusIs(absl::StatusCode::kInvalidArgument));
  const Bytes cta = Encoded(EncodeMetadata<StandardMetadataType::CTA861_3>,
                            std::optional(Cta861_3{1, 2}));
  EXPECT_THAT(
      DecodeMetadata<StandardMetadataType::SMPTE2086>(cta.data(), cta.size()),
      StatusIs(absl::StatusCode::kInvalidArgument));
  const Bytes smpte2094_40 =
      Encoded(EncodeMetadata<StandardMetadataType::SMPTE2094_40>,
              std::optional(Bytes{1}));
  EXPECT_THAT(DecodeMetadata<StandardMetadataType::SMPTE2094_10>(
                  smpte2094_40.data(), smpte2094_40.size()),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(MetadataCodecTest, StringLongerThanRemainingIsInvalidArgument) {
  const Bytes bytes =
      Cat({Header(2), {0x64, 0, 0, 0, 0, 0, 0, 0}, {'a', 'b', 'c'}});
  EXPECT_THAT(
      DecodeMetadata<StandardMetadataType::NAME>(bytes.data(), bytes.size()),
      StatusIs(absl::StatusCode::kInvalidArgument));
  const Bytes huge =
      Cat({Header(2), {0, 0, 0, 0, 0, 0, 0, 0x40}, {'a', 'b', 'c'}});
  EXPECT_THAT(
      DecodeMetadata<StandardMetadataType::NAME>(huge.data(), huge.size()),
      StatusIs(absl::StatusCode::kInvalidArgument));
  const Bytes max =
      Cat({Header(2), {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F}});
  EXPECT_THAT(
      DecodeMetadata<StandardMetadataType::NAME>(max.data(), max.size()),
      StatusIs(absl::StatusCode::kInvalidArgument));
  const Bytes payload = Cat({Header(21), {4, 0, 0, 0, 0, 0, 0, 0}, {1, 2, 3}});
  EXPECT_THAT(DecodeMetadata<StandardMetadataType::SMPTE2094_40>(
                  payload.data(), payload.size()),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(MetadataCodecTest, HugeCountsAreInvalidArgumentWithoutAllocating) {
  // Plane count 2^62.
  const Bytes planes = Cat({Header(15), {0, 0, 0, 0, 0, 0, 0, 0x40}});
  EXPECT_THAT(DecodeMetadata<StandardMetadataType::PLANE_LAYOUTS>(
                  planes.data(), planes.size()),
              StatusIs(absl::StatusCode::kInvalidArgument));
  // Plane count -1.
  const Bytes negative =
      Cat({Header(15), {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF}});
  EXPECT_THAT(
      DecodeMetadata<StandardMetadataType::PLANE_LAYOUTS>(negative.data(),
                                                          negative.size()),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("negative")));
  // One plane claimed, 71 bytes (one short of the smallest plane) follow.
  const Bytes short_plane =
      Cat({Header(15), {1, 0, 0, 0, 0, 0, 0, 0}, Bytes(71, 0)});
  EXPECT_THAT(DecodeMetadata<StandardMetadataType::PLANE_LAYOUTS>(
                  short_plane.data(), short_plane.size()),
              StatusIs(absl::StatusCode::kInvalidArgument));
  // One plane with 2^62 components.
  const Bytes components = Cat({Header(15),
                                {1, 0, 0, 0, 0, 0, 0, 0},
                                {0, 0, 0, 0, 0, 0, 0, 0x40},
                                Bytes(64, 0)});
  EXPECT_THAT(DecodeMetadata<StandardMetadataType::PLANE_LAYOUTS>(
                  components.data(), components.size()),
              StatusIs(absl::StatusCode::kInvalidArgument));
  // Crop count 2^62 and 2^60 (2^60 * 16 would wrap a 64-bit size).
  const Bytes crops = Cat({Header(16), {0, 0, 0, 0, 0, 0, 0, 0x40}});
  EXPECT_THAT(
      DecodeMetadata<StandardMetadataType::CROP>(crops.data(), crops.size()),
      StatusIs(absl::StatusCode::kInvalidArgument));
  const Bytes wrapping =
      Cat({Header(16), {0, 0, 0, 0, 0, 0, 0, 0x10}, Bytes(16, 0)});
  EXPECT_THAT(DecodeMetadata<StandardMetadataType::CROP>(wrapping.data(),
                                                         wrapping.size()),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(MetadataCodecTest, EmptyInputIsInvalidForRequiredMetadata) {
  EXPECT_THAT(DecodeMetadata<StandardMetadataType::BUFFER_ID>(nullptr, 0),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(DecodeMetadata<StandardMetadataType::PLANE_LAYOUTS>(nullptr, 0),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(DecodeMetadata<StandardMetadataType::NAME>(nullptr, 0),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(MetadataCodecTest, NullInputWithSizeIsInvalidArgument) {
  EXPECT_THAT(DecodeMetadata<StandardMetadataType::BUFFER_ID>(nullptr, 77),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(DecodeMetadata<StandardMetadataType::SMPTE2086>(nullptr, 109),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace gralloc
