// Copyright 2026 The gralloc for Linux Authors.

#include "hal/descriptor/descriptor.h"

#include <cstdint>
#include <limits>
#include <string>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "hal/base/status_matchers.h"
#include "hal/format/format_table.h"
#include "hal/types/buffer_usage.h"
#include "hal/types/pixel_format.h"
#include "hal/types/plane_layout.h"

namespace gralloc {
namespace {

using ::gralloc::testing::IsOk;
using ::gralloc::testing::StatusIs;
using ::testing::HasSubstr;

constexpr int64_t kInt32Max = std::numeric_limits<int32_t>::max();

// A small, valid RGBA_8888 descriptor for tests to spoil one field at a time.
BufferDescriptorInfo ValidInfo() {
  BufferDescriptorInfo info;
  info.name = "test buffer";
  info.width = 64;
  info.height = 32;
  info.layer_count = 1;
  info.format = FormatValue(PixelFormat::RGBA_8888);
  info.usage = UsageValue(BufferUsage::GPU_TEXTURE) |
               UsageValue(BufferUsage::CPU_WRITE_OFTEN);
  return info;
}

BufferDescriptorInfo Blob(int64_t width, int64_t height) {
  BufferDescriptorInfo info = ValidInfo();
  info.format = FormatValue(PixelFormat::BLOB);
  info.width = width;
  info.height = height;
  return info;
}

const FormatInfo& Find(PixelFormat format) {
  return *FindFormat(FormatValue(format));
}

MATCHER_P(IsInvalidArgumentWith, substring, "") {
  return ::testing::ExplainMatchResult(
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr(substring)), arg,
      result_listener);
}

TEST(ValidateDescriptorTest, AcceptsAPlainDescriptor) {
  EXPECT_THAT(ValidateDescriptor(ValidInfo()), IsOk());
}

TEST(ValidateDescriptorTest, RejectsZeroAndNegativeWidth) {
  BufferDescriptorInfo info = ValidInfo();
  info.width = 0;
  EXPECT_THAT(ValidateDescriptor(info), IsInvalidArgumentWith("width 0"));
  info.width = -1;
  EXPECT_THAT(ValidateDescriptor(info), IsInvalidArgumentWith("width -1"));
}

TEST(ValidateDescriptorTest, RejectsBadHeightAndLayerCount) {
  BufferDescriptorInfo info = ValidInfo();
  info.height = 0;
  EXPECT_THAT(ValidateDescriptor(info), IsInvalidArgumentWith("height 0"));
  info = ValidInfo();
  info.layer_count = 0;
  EXPECT_THAT(ValidateDescriptor(info), IsInvalidArgumentWith("layer count 0"));
  info.layer_count = -3;
  EXPECT_THAT(ValidateDescriptor(info),
              IsInvalidArgumentWith("layer count -3"));
}

TEST(ValidateDescriptorTest, RejectsDimensionsBeyondInt32InsteadOfTruncating) {
  BufferDescriptorInfo info = ValidInfo();
  info.width = kInt32Max + 1;
  EXPECT_THAT(ValidateDescriptor(info), IsInvalidArgumentWith("out of range"));
  info = ValidInfo();
  info.height = int64_t{1} << 32;  // would truncate to 0
  EXPECT_THAT(ValidateDescriptor(info), IsInvalidArgumentWith("out of range"));
  info = ValidInfo();
  info.layer_count = (int64_t{1} << 32) + 1;  // would truncate to 1
  EXPECT_THAT(ValidateDescriptor(info), IsInvalidArgumentWith("out of range"));
}

TEST(ValidateDescriptorTest, RejectsBlobWidthOfFourGiB) {
  EXPECT_THAT(ValidateDescriptor(Blob(int64_t{1} << 32, 1)),
              IsInvalidArgumentWith("width"));
}

TEST(ValidateDescriptorTest, AcceptsBlobOfTwoGiB) {
  EXPECT_THAT(ValidateDescriptor(Blob(kInt32Max, 1)), IsOk());
}

TEST(ValidateDescriptorTest, RejectsBlobHeightTwo) {
  EXPECT_THAT(ValidateDescriptor(Blob(4096, 2)),
              IsInvalidArgumentWith("height of 1"));
}

TEST(ValidateDescriptorTest, RejectsRaw10WidthNotMultipleOfFour) {
  BufferDescriptorInfo info = ValidInfo();
  info.format = FormatValue(PixelFormat::RAW10);
  info.usage = UsageValue(BufferUsage::CAMERA_OUTPUT);
  info.width = 6;
  info.height = 4;
  EXPECT_THAT(ValidateDescriptor(info), IsInvalidArgumentWith("multiple of 4"));
  info.width = 8;
  EXPECT_THAT(ValidateDescriptor(info), IsOk());
}

TEST(ValidateDescriptorTest, RejectsRgbaFp16Of65536Squared) {
  // 2^32 pixels of 8 bytes: 32 GiB.
  BufferDescriptorInfo info = ValidInfo();
  info.format = FormatValue(PixelFormat::RGBA_FP16);
  info.width = 65536;
  info.height = 65536;
  EXPECT_THAT(ValidateDescriptor(info),
              IsInvalidArgumentWith("needs at least 34359738368 bytes"));
}

TEST(ValidateDescriptorTest, SizeLimitIsJustUnderFourGiB) {
  BufferDescriptorInfo info = ValidInfo();
  info.width = 32768;
  info.height = 32768;  // exactly 4 GiB of RGBA_8888
  EXPECT_THAT(ValidateDescriptor(info), IsInvalidArgumentWith("limit"));
  info.height = 32767;
  EXPECT_THAT(ValidateDescriptor(info), IsOk());
}

TEST(ValidateDescriptorTest, LayersCountTowardsTheSizeLimit) {
  BufferDescriptorInfo info = ValidInfo();
  info.width = 16384;
  info.height = 16384;  // 1 GiB per layer
  info.layer_count = 3;
  EXPECT_THAT(ValidateDescriptor(info), IsOk());
  info.layer_count = 4;
  EXPECT_THAT(ValidateDescriptor(info), IsInvalidArgumentWith("limit"));
}

TEST(ValidateDescriptorTest, RejectsHugeDimensionsWithoutOverflowing) {
  BufferDescriptorInfo info = ValidInfo();
  info.format = FormatValue(PixelFormat::RGBA_14141414_UINT);
  info.width = kInt32Max;
  info.height = kInt32Max;
  info.layer_count = kInt32Max;
  EXPECT_THAT(ValidateDescriptor(info), IsInvalidArgumentWith("overflows"));
}

TEST(ValidateDescriptorTest, RejectsUnspecifiedAndUnknownFormats) {
  BufferDescriptorInfo info = ValidInfo();
  info.format = 0;
  EXPECT_THAT(ValidateDescriptor(info), IsInvalidArgumentWith("UNSPECIFIED"));
  info.format = 0x27;
  EXPECT_THAT(ValidateDescriptor(info),
              IsInvalidArgumentWith("not a known pixel format"));
  info.format = 0x100;
  EXPECT_THAT(ValidateDescriptor(info),
              IsInvalidArgumentWith("not a known pixel format"));
  info.format = -1;
  EXPECT_THAT(ValidateDescriptor(info),
              IsInvalidArgumentWith("not a known pixel format"));
}

TEST(ValidateDescriptorTest, AcceptsEveryFormatAtASmallSize) {
  for (const FormatInfo& format : AllFormats()) {
    BufferDescriptorInfo info = ValidInfo();
    info.format = format.android_value;
    if (format.rules.height_must_be_one) info.height = 1;
    EXPECT_THAT(ValidateDescriptor(info), IsOk()) << format.name;
  }
}

TEST(ValidateDescriptorTest, RejectsUsageBit33) {
  BufferDescriptorInfo info = ValidInfo();
  info.usage |= uint64_t{1} << 33;
  EXPECT_THAT(ValidateDescriptor(info), IsInvalidArgumentWith("bit 33"));
}

TEST(ValidateDescriptorTest, AcceptsLegacyUsageBits10And13) {
  BufferDescriptorInfo info = ValidInfo();
  info.usage |= uint64_t{1} << 10;
  EXPECT_THAT(ValidateDescriptor(info), IsOk());
  info.usage |= uint64_t{1} << 13;
  EXPECT_THAT(ValidateDescriptor(info), IsOk());
}

TEST(ValidateDescriptorTest, RejectsUndefinedCpuFieldValues) {
  BufferDescriptorInfo info = ValidInfo();
  info.usage = UsageValue(BufferUsage::GPU_TEXTURE) | 0x1;
  EXPECT_THAT(ValidateDescriptor(info), IsInvalidArgumentWith("CPU read"));
  info.usage = UsageValue(BufferUsage::GPU_TEXTURE) | 0x40;
  EXPECT_THAT(ValidateDescriptor(info), IsInvalidArgumentWith("CPU write"));
}

TEST(ValidateDescriptorTest, AcceptsDataspaceOption) {
  BufferDescriptorInfo info = ValidInfo();
  info.additional_options.push_back({kDataspaceOptionName, 142671872});
  EXPECT_THAT(ValidateDescriptor(info), IsOk());
}

TEST(ValidateDescriptorTest, RejectsUnknownOption) {
  BufferDescriptorInfo info = ValidInfo();
  info.additional_options.push_back({"vendor.acme.Compression", 1});
  EXPECT_THAT(ValidateDescriptor(info),
              IsInvalidArgumentWith("vendor.acme.Compression"));
}

TEST(ValidateDescriptorTest, RejectsDuplicateDataspaceOption) {
  BufferDescriptorInfo info = ValidInfo();
  info.additional_options.push_back({kDataspaceOptionName, 0});
  info.additional_options.push_back({kDataspaceOptionName, 0});
  EXPECT_THAT(ValidateDescriptor(info),
              IsInvalidArgumentWith("more than once"));
}

TEST(ValidateDescriptorTest, RejectsDataspaceBeyondInt32) {
  BufferDescriptorInfo info = ValidInfo();
  info.additional_options.push_back({kDataspaceOptionName, int64_t{1} << 32});
  EXPECT_THAT(ValidateDescriptor(info), IsInvalidArgumentWith("32-bit"));
}

TEST(DescriptorOptionsTest, ParsesEveryKnownOption) {
  ASSERT_OK_AND_ASSIGN(
      DescriptorOptions options,
      ParseDescriptorOptions({{kDrmModifierOptionName, 0x0100000000000001},
                              {kDrmModifierOptionName, 0},
                              {kLinearOnlyOptionName, 1},
                              {kPreferredHeapOptionName, GRALLOC_HEAP_CMA},
                              {kMinStrideAlignmentOptionName, 256},
                              {kDataspaceOptionName, 142671872}}));
  EXPECT_EQ(options.drm_modifiers,
            (std::vector<uint64_t>{0x0100000000000001, 0}));
  EXPECT_TRUE(options.linear_only);
  EXPECT_EQ(options.preferred_heap, GRALLOC_HEAP_CMA);
  EXPECT_EQ(options.min_stride_alignment_bytes, 256u);
  EXPECT_EQ(options.dataspace, 142671872);
  ASSERT_OK_AND_ASSIGN(options, ParseDescriptorOptions({}));
  EXPECT_TRUE(options.drm_modifiers.empty());
  EXPECT_FALSE(options.linear_only);
  EXPECT_EQ(options.min_stride_alignment_bytes, 1u);
  EXPECT_TRUE(IsKnownOption(kPreferredHeapOptionName));
  EXPECT_FALSE(IsKnownOption("vendor.acme.Compression"));
}

TEST(DescriptorOptionsTest, BadValuesAndRepeatsAreInvalidAndNamed) {
  struct Case {
    std::vector<ExtendableType> options;
    const char* why;
  };
  const std::vector<Case> cases = {
      {{{kDrmModifierOptionName, 0x00ffffffffffffff}}, "MOD_INVALID"},
      {{{kLinearOnlyOptionName, 2}}, "not 0 or 1"},
      {{{kLinearOnlyOptionName, 1}, {kLinearOnlyOptionName, 1}},
       "more than once"},
      {{{kPreferredHeapOptionName, 0}}, "GrallocHeapClass"},
      {{{kPreferredHeapOptionName, 8}}, "GrallocHeapClass"},
      {{{kPreferredHeapOptionName, 1}, {kPreferredHeapOptionName, 3}},
       "more than once"},
      {{{kMinStrideAlignmentOptionName, 0}}, "outside 1..65536"},
      {{{kMinStrideAlignmentOptionName, 65537}}, "outside 1..65536"},
      {{{kMinStrideAlignmentOptionName, 4}, {kMinStrideAlignmentOptionName, 4}},
       "more than once"},
      {std::vector<ExtendableType>(65, {kDrmModifierOptionName, 0}),
       "at most 64"},
  };
  for (const Case& c : cases) {
    EXPECT_THAT(ParseDescriptorOptions(c.options), IsInvalidArgumentWith(c.why))
        << c.why;
    BufferDescriptorInfo info = ValidInfo();
    info.additional_options = c.options;
    EXPECT_THAT(ValidateDescriptor(info), IsInvalidArgumentWith(c.why));
  }
}

TEST(ValidateDescriptorTest, AcceptsNameOf127BytesRejects128) {
  BufferDescriptorInfo info = ValidInfo();
  info.name = std::string(127, 'n');
  EXPECT_THAT(ValidateDescriptor(info), IsOk());
  info.name = std::string(128, 'n');
  EXPECT_THAT(ValidateDescriptor(info), IsInvalidArgumentWith("128 bytes"));
}

TEST(ValidateDescriptorTest, RejectsNameWithNul) {
  BufferDescriptorInfo info = ValidInfo();
  info.name = std::string("abc\0def", 7);
  EXPECT_THAT(ValidateDescriptor(info), IsInvalidArgumentWith("NUL"));
}

TEST(ValidateDescriptorTest, ReservedSizeMustBeWithinCap) {
  BufferDescriptorInfo info = ValidInfo();
  info.reserved_size = kMaxReservedSizeBytes;
  EXPECT_THAT(ValidateDescriptor(info), IsOk());
  info.reserved_size = kMaxReservedSizeBytes + 1;
  EXPECT_THAT(ValidateDescriptor(info), IsInvalidArgumentWith("reserved"));
  info.reserved_size = -1;
  EXPECT_THAT(ValidateDescriptor(info), IsInvalidArgumentWith("reserved"));
}

TEST(EstimateMinimumSizeBytesTest, SumsPlanesWithSubsampling) {
  // NV21 64x32: 2048 bytes of Y, 32x16 CrCb pairs of 2 bytes.
  ASSERT_OK_AND_ASSIGN(
      uint64_t nv21,
      EstimateMinimumSizeBytes(Find(PixelFormat::YCRCB_420_SP), 64, 32, 1));
  EXPECT_EQ(nv21, 2048u + 1024u);
  // YV12 with odd sizes rounds chroma up: 5x3 luma, 3x2 of each chroma.
  ASSERT_OK_AND_ASSIGN(uint64_t yv12, EstimateMinimumSizeBytes(
                                          Find(PixelFormat::YV12), 5, 3, 1));
  EXPECT_EQ(yv12, 15u + 6u + 6u);
  // P010: 2 bytes per luma sample, 4 per chroma pair.
  ASSERT_OK_AND_ASSIGN(
      uint64_t p010,
      EstimateMinimumSizeBytes(Find(PixelFormat::YCBCR_P010), 4, 4, 2));
  EXPECT_EQ(p010, 2u * (32u + 16u));
}

TEST(EstimateMinimumSizeBytesTest, PackedRawUsesAverageBits) {
  ASSERT_OK_AND_ASSIGN(uint64_t raw10, EstimateMinimumSizeBytes(
                                           Find(PixelFormat::RAW10), 8, 2, 1));
  EXPECT_EQ(raw10, 20u);  // 2 rows of 2 groups of 5 bytes
  ASSERT_OK_AND_ASSIGN(uint64_t raw12, EstimateMinimumSizeBytes(
                                           Find(PixelFormat::RAW12), 4, 1, 1));
  EXPECT_EQ(raw12, 6u);
}

TEST(EstimateMinimumSizeBytesTest, BlobIsItsWidth) {
  ASSERT_OK_AND_ASSIGN(
      uint64_t blob,
      EstimateMinimumSizeBytes(Find(PixelFormat::BLOB), 12345, 1, 1));
  EXPECT_EQ(blob, 12345u);
}

TEST(EstimateMinimumSizeBytesTest, FlexibleFormatsUseTheirLowerBound) {
  ASSERT_OK_AND_ASSIGN(
      uint64_t flexible,
      EstimateMinimumSizeBytes(Find(PixelFormat::YCBCR_420_888), 16, 16, 1));
  EXPECT_EQ(flexible, 16u * 16u * 12u / 8u);
}

TEST(EstimateMinimumSizeBytesTest, OverflowIsAnErrorNotAWrap) {
  EXPECT_THAT(
      EstimateMinimumSizeBytes(Find(PixelFormat::RGBA_FP16),
                               std::numeric_limits<int64_t>::max(), 2, 1),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("overflows")));
  EXPECT_THAT(EstimateMinimumSizeBytes(Find(PixelFormat::R_8), kInt32Max,
                                       kInt32Max, kInt32Max),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(EstimateMinimumSizeBytes(Find(PixelFormat::R_8), 0, 1, 1),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace gralloc
