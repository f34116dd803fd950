// Copyright 2026 The gralloc for Linux Authors.

#include "hal/format/format_table.h"

#include <drm_fourcc.h>

#include <cstdint>
#include <iterator>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "hal/base/status_matchers.h"
#include "hal/types/pixel_format.h"
#include "hal/types/plane_layout.h"

namespace gralloc {
namespace {

using ::gralloc::testing::IsOk;
using ::gralloc::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

// Every Android format and the DRM format it must map to, written out by
// hand; 0 where DRM has no equivalent.
struct ExpectedFourcc {
  PixelFormat format;
  uint32_t fourcc;
};
constexpr ExpectedFourcc kExpectedFourccs[] = {
    {PixelFormat::RGBA_8888, DRM_FORMAT_ABGR8888},
    {PixelFormat::RGBX_8888, DRM_FORMAT_XBGR8888},
    {PixelFormat::RGB_888, DRM_FORMAT_BGR888},
    {PixelFormat::RGB_565, DRM_FORMAT_RGB565},
    {PixelFormat::BGRA_8888, DRM_FORMAT_ARGB8888},
    {PixelFormat::YCBCR_422_SP, DRM_FORMAT_NV16},
    {PixelFormat::YCRCB_420_SP, DRM_FORMAT_NV21},
    {PixelFormat::YCBCR_422_I, DRM_FORMAT_YUYV},
    {PixelFormat::RGBA_FP16, DRM_FORMAT_ABGR16161616F},
    {PixelFormat::RAW16, 0},
    {PixelFormat::BLOB, 0},
    {PixelFormat::IMPLEMENTATION_DEFINED, 0},
    {PixelFormat::YCBCR_420_888, 0},
    {PixelFormat::RAW_OPAQUE, 0},
    {PixelFormat::RAW10, 0},
    {PixelFormat::RAW12, 0},
    {PixelFormat::RGBA_1010102, DRM_FORMAT_ABGR2101010},
    {PixelFormat::Y8, DRM_FORMAT_R8},
    {PixelFormat::Y16, DRM_FORMAT_R16},
    {PixelFormat::YV12, DRM_FORMAT_YVU420},
    {PixelFormat::DEPTH_16, 0},
    {PixelFormat::DEPTH_24, 0},
    {PixelFormat::DEPTH_24_STENCIL_8, 0},
    {PixelFormat::DEPTH_32F, 0},
    {PixelFormat::DEPTH_32F_STENCIL_8, 0},
    {PixelFormat::STENCIL_8, 0},
    {PixelFormat::YCBCR_P010, DRM_FORMAT_P010},
    {PixelFormat::HSV_888, 0},
    {PixelFormat::R_8, DRM_FORMAT_R8},
    {PixelFormat::R_16_UINT, DRM_FORMAT_R16},
    {PixelFormat::RG_1616_UINT, DRM_FORMAT_GR1616},
    {PixelFormat::RGBA_10101010, DRM_FORMAT_AXBXGXRX106106106106},
    {PixelFormat::YCBCR_P210, DRM_FORMAT_P210},
    {PixelFormat::R_12_UINT, 0},
    {PixelFormat::R_14_UINT, 0},
    {PixelFormat::RG_1212_UINT, 0},
    {PixelFormat::RG_1414_UINT, 0},
    {PixelFormat::RGBA_12121212_UINT, 0},
    {PixelFormat::RGBA_14141414_UINT, 0},
    {PixelFormat::BGRA_1010102, DRM_FORMAT_ARGB2101010},
};

const FormatInfo& Find(PixelFormat format) {
  const FormatInfo* info = FindFormat(FormatValue(format));
  if (info == nullptr) {
    ADD_FAILURE() << "format " << FormatValue(format) << " not in the table";
    return AllFormats().front();
  }
  return *info;
}

// A plane as one line, "increment/storage bits, subsampling: components",
// e.g. "32/32 1x1: R@0:8 G@8:8 B@16:8 A@24:8", so expectations read like
// the table's comments.
std::string Describe(const PlaneInfo& plane) {
  std::vector<std::string> components;
  for (const ComponentInfo& c : plane.Components()) {
    components.push_back(absl::StrCat(ComponentTypeName(c.type), "@",
                                      c.offset_in_bits, ":", c.size_in_bits));
  }
  return absl::StrCat(
      plane.sample_increment_in_bits, "/", plane.bits_per_sample, " ",
      plane.horizontal_subsampling, "x", plane.vertical_subsampling, ":",
      components.empty() ? "" : " ", absl::StrJoin(components, " "));
}

std::vector<std::string> DescribePlanes(PixelFormat format) {
  std::vector<std::string> planes;
  for (const PlaneInfo& plane : Find(format).Planes()) {
    planes.push_back(Describe(plane));
  }
  return planes;
}

TEST(FormatTableTest, FourccOfEveryFormatMatchesDrm) {
  for (const ExpectedFourcc& expected : kExpectedFourccs) {
    const FormatInfo& info = Find(expected.format);
    EXPECT_EQ(info.drm_fourcc, expected.fourcc) << info.name;
  }
}

TEST(FormatTableTest, HoldsExactlyAndroidsFormats) {
  EXPECT_EQ(AllFormats().size(), std::size(kExpectedFourccs));
  EXPECT_EQ(FindFormat(FormatValue(PixelFormat::UNSPECIFIED)), nullptr);
}

TEST(FormatTableTest, NoDuplicateValuesOrNames) {
  absl::flat_hash_set<int32_t> values;
  absl::flat_hash_set<std::string> names;
  for (const FormatInfo& info : AllFormats()) {
    EXPECT_TRUE(values.insert(info.android_value).second) << info.name;
    EXPECT_TRUE(names.insert(absl::AsciiStrToUpper(info.name)).second)
        << info.name;
  }
}

TEST(FormatTableTest, NamesMatchAndroidValues) {
  EXPECT_EQ(Find(PixelFormat::RGBA_8888).name, "RGBA_8888");
  EXPECT_EQ(Find(PixelFormat::YCRCB_420_SP).name, "YCRCB_420_SP");
  EXPECT_EQ(Find(PixelFormat::IMPLEMENTATION_DEFINED).name,
            "IMPLEMENTATION_DEFINED");
  EXPECT_EQ(Find(PixelFormat::YV12).name, "YV12");
  EXPECT_EQ(Find(PixelFormat::BGRA_1010102).name, "BGRA_1010102");
  for (const FormatInfo& info : AllFormats()) {
    const FormatInfo* by_name = FindFormatByName(info.name);
    ASSERT_NE(by_name, nullptr) << info.name;
    EXPECT_EQ(by_name->android_value, info.android_value) << info.name;
  }
}

TEST(FormatTableTest, EveryPlanarRowIsConsistent) {
  for (const FormatInfo& info : AllFormats()) {
    SCOPED_TRACE(info.name);
    if (info.layout == FormatLayout::kFlexible) {
      EXPECT_EQ(info.plane_count, 0);
      EXPECT_GT(info.flexible_bits_per_pixel, 0);
      continue;
    }
    EXPECT_GE(info.plane_count, 1);
    EXPECT_LE(info.plane_count, kMaxFormatPlanes);
    EXPECT_EQ(info.flexible_bits_per_pixel, 0);
    EXPECT_GE(info.rules.width_multiple, 1);
    for (const PlaneInfo& plane : info.Planes()) {
      EXPECT_GT(plane.bits_per_sample, 0);
      EXPECT_GE(plane.horizontal_subsampling, 1);
      EXPECT_GE(plane.vertical_subsampling, 1);
      int32_t previous_end = 0;
      for (const ComponentInfo& c : plane.Components()) {
        if (c.offset_in_bits < 0) continue;  // not describable
        // Components lie inside the sample, in order, without overlap.
        EXPECT_GE(c.offset_in_bits, previous_end);
        EXPECT_LE(c.offset_in_bits + c.size_in_bits,
                  plane.sample_increment_in_bits);
        previous_end = c.offset_in_bits + c.size_in_bits;
      }
    }
  }
}

TEST(FormatTableTest, FlexibleFormatsHaveNoPlanes) {
  EXPECT_EQ(Find(PixelFormat::IMPLEMENTATION_DEFINED).layout,
            FormatLayout::kFlexible);
  EXPECT_EQ(Find(PixelFormat::YCBCR_420_888).layout, FormatLayout::kFlexible);
  EXPECT_EQ(Find(PixelFormat::RAW_OPAQUE).layout, FormatLayout::kFlexible);
  EXPECT_TRUE(Find(PixelFormat::YCBCR_420_888).Planes().empty());
}

TEST(FormatPlanesTest, Rgba8888IsRgbaInMemoryOrder) {
  EXPECT_THAT(DescribePlanes(PixelFormat::RGBA_8888),
              ElementsAre("32/32 1x1: R@0:8 G@8:8 B@16:8 A@24:8"));
}

TEST(FormatPlanesTest, Rgb565HasRedInTheTopBits) {
  EXPECT_THAT(DescribePlanes(PixelFormat::RGB_565),
              ElementsAre("16/16 1x1: B@0:5 G@5:6 R@11:5"));
}

TEST(FormatPlanesTest, Bgra8888IsBgraInMemoryOrder) {
  EXPECT_THAT(DescribePlanes(PixelFormat::BGRA_8888),
              ElementsAre("32/32 1x1: B@0:8 G@8:8 R@16:8 A@24:8"));
}

TEST(FormatPlanesTest, Yv12IsYThenCrThenCb) {
  EXPECT_THAT(
      DescribePlanes(PixelFormat::YV12),
      ElementsAre("8/8 1x1: Y@0:8", "8/8 2x2: CR@0:8", "8/8 2x2: CB@0:8"));
  const FormatRules& rules = Find(PixelFormat::YV12).rules;
  EXPECT_EQ(rules.stride_alignment_pixels, 16);
  EXPECT_EQ(rules.chroma_stride_alignment_bytes, 16);
}

TEST(FormatPlanesTest, Nv21HasCrBeforeCb) {
  EXPECT_THAT(DescribePlanes(PixelFormat::YCRCB_420_SP),
              ElementsAre("8/8 1x1: Y@0:8", "16/16 2x2: CR@0:8 CB@8:8"));
}

TEST(FormatPlanesTest, Nv16HasCbBeforeCrAndFullHeightChroma) {
  EXPECT_THAT(DescribePlanes(PixelFormat::YCBCR_422_SP),
              ElementsAre("8/8 1x1: Y@0:8", "16/16 2x1: CB@0:8 CR@8:8"));
}

TEST(FormatPlanesTest, Yuy2HasExactLumaAndUndescribableChroma) {
  EXPECT_THAT(DescribePlanes(PixelFormat::YCBCR_422_I),
              ElementsAre("16/16 1x1: Y@0:8 CB@-1:8 CR@-1:8"));
}

TEST(FormatPlanesTest, P010HasTenBitsInTheTopOfSixteen) {
  EXPECT_THAT(DescribePlanes(PixelFormat::YCBCR_P010),
              ElementsAre("16/16 1x1: Y@6:10", "32/32 2x2: CB@6:10 CR@22:10"));
  EXPECT_THAT(DescribePlanes(PixelFormat::YCBCR_P210),
              ElementsAre("16/16 1x1: Y@6:10", "32/32 2x1: CB@6:10 CR@22:10"));
}

TEST(FormatPlanesTest, Raw10IsPackedAndUndescribablePerSample) {
  // Android's VTS: RAW10's and RAW12's one component at offset 0, of size
  // -1 ("cannot be described").
  EXPECT_THAT(DescribePlanes(PixelFormat::RAW10),
              ElementsAre("0/10 1x1: RAW@0:-1"));
  EXPECT_THAT(DescribePlanes(PixelFormat::RAW12),
              ElementsAre("0/12 1x1: RAW@0:-1"));
  EXPECT_THAT(DescribePlanes(PixelFormat::RAW16),
              ElementsAre("16/16 1x1: RAW@0:16"));
}

TEST(FormatPlanesTest, Y8IsOneLumaByte) {
  EXPECT_THAT(DescribePlanes(PixelFormat::Y8), ElementsAre("8/8 1x1: Y@0:8"));
  EXPECT_EQ(Find(PixelFormat::Y8).rules.stride_alignment_pixels, 16);
  EXPECT_THAT(DescribePlanes(PixelFormat::Y16),
              ElementsAre("16/16 1x1: Y@0:16"));
}

TEST(FormatPlanesTest, BlobIsBytesWithoutComponents) {
  EXPECT_THAT(DescribePlanes(PixelFormat::BLOB), ElementsAre("8/8 1x1:"));
  EXPECT_TRUE(Find(PixelFormat::BLOB).rules.height_must_be_one);
}

TEST(FormatPlanesTest, PackedTenBitRgbMatchesDrmBitOrder) {
  EXPECT_THAT(DescribePlanes(PixelFormat::RGBA_1010102),
              ElementsAre("32/32 1x1: R@0:10 G@10:10 B@20:10 A@30:2"));
  EXPECT_THAT(DescribePlanes(PixelFormat::BGRA_1010102),
              ElementsAre("32/32 1x1: B@0:10 G@10:10 R@20:10 A@30:2"));
  EXPECT_THAT(DescribePlanes(PixelFormat::RGBA_10101010),
              ElementsAre("64/64 1x1: R@6:10 G@22:10 B@38:10 A@54:10"));
}

TEST(FormatPlanesTest, OtherRgbFormats) {
  EXPECT_THAT(DescribePlanes(PixelFormat::RGB_888),
              ElementsAre("24/24 1x1: R@0:8 G@8:8 B@16:8"));
  EXPECT_THAT(DescribePlanes(PixelFormat::RGBA_FP16),
              ElementsAre("64/64 1x1: R@0:16 G@16:16 B@32:16 A@48:16"));
  EXPECT_THAT(DescribePlanes(PixelFormat::RG_1616_UINT),
              ElementsAre("32/32 1x1: R@0:16 G@16:16"));
  EXPECT_THAT(DescribePlanes(PixelFormat::R_12_UINT),
              ElementsAre("16/16 1x1: R@4:12"));
}

TEST(FindFormatTest, UnknownValuesAreNull) {
  EXPECT_EQ(FindFormat(0), nullptr);
  EXPECT_EQ(FindFormat(0x27), nullptr);   // reserved for flexible formats
  EXPECT_EQ(FindFormat(0x100), nullptr);  // vendor range
  EXPECT_EQ(FindFormat(-1), nullptr);
}

TEST(FindFormatTest, ByFourccPrefersTheLowerAndroidValue) {
  const FormatInfo* r8 = FindFormatByFourcc(DRM_FORMAT_R8);
  ASSERT_NE(r8, nullptr);
  EXPECT_EQ(r8->android_value, FormatValue(PixelFormat::R_8));
  const FormatInfo* r16 = FindFormatByFourcc(DRM_FORMAT_R16);
  ASSERT_NE(r16, nullptr);
  EXPECT_EQ(r16->android_value, FormatValue(PixelFormat::R_16_UINT));
  const FormatInfo* nv21 = FindFormatByFourcc(DRM_FORMAT_NV21);
  ASSERT_NE(nv21, nullptr);
  EXPECT_EQ(nv21->android_value, FormatValue(PixelFormat::YCRCB_420_SP));
}

TEST(FindFormatTest, ByFourccWithoutAndroidFormatIsNull) {
  EXPECT_EQ(FindFormatByFourcc(0), nullptr);
  EXPECT_EQ(FindFormatByFourcc(DRM_FORMAT_NV12), nullptr);
  EXPECT_EQ(FindFormatByFourcc(DRM_FORMAT_XRGB8888), nullptr);
}

TEST(FindFormatTest, ByNameIgnoresCase) {
  const FormatInfo* info = FindFormatByName("ycbcr_p010");
  ASSERT_NE(info, nullptr);
  EXPECT_EQ(info->android_value, FormatValue(PixelFormat::YCBCR_P010));
  EXPECT_EQ(FindFormatByName("NV12"), nullptr);
  EXPECT_EQ(FindFormatByName(""), nullptr);
  EXPECT_EQ(FindFormatByName("UNSPECIFIED"), nullptr);
}

TEST(CheckFormatRulesTest, BlobMustBeOneRowHigh) {
  const FormatInfo& blob = Find(PixelFormat::BLOB);
  EXPECT_THAT(CheckFormatRules(blob, 4096, 1), IsOk());
  EXPECT_THAT(
      CheckFormatRules(blob, 4096, 2),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("height of 1")));
}

TEST(CheckFormatRulesTest, PackedRawWidthMustBeAMultipleOfFour) {
  const FormatInfo& raw10 = Find(PixelFormat::RAW10);
  EXPECT_THAT(CheckFormatRules(raw10, 8, 2), IsOk());
  EXPECT_THAT(
      CheckFormatRules(raw10, 6, 2),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("multiple of 4")));
  const FormatInfo& raw12 = Find(PixelFormat::RAW12);
  EXPECT_THAT(CheckFormatRules(raw12, 4000, 3000), IsOk());
  EXPECT_THAT(CheckFormatRules(raw12, 4002, 3000),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(CheckFormatRulesTest, OddSizesAreFineForSubsampledFormats) {
  EXPECT_THAT(CheckFormatRules(Find(PixelFormat::YV12), 33, 17), IsOk());
  EXPECT_THAT(CheckFormatRules(Find(PixelFormat::YCBCR_P010), 1, 1), IsOk());
}

TEST(CheckFormatRulesTest, NonPositiveSizesAreRejected) {
  const FormatInfo& rgba = Find(PixelFormat::RGBA_8888);
  EXPECT_THAT(CheckFormatRules(rgba, 0, 1),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(CheckFormatRules(rgba, 1, -1),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace gralloc

namespace gralloc {
namespace {

TEST(FlexibleLayoutTest, Nv12IsTheConcreteYcbcr420888Layout) {
  const FormatInfo* nv12 = FindConcreteLayout(
      static_cast<int32_t>(PixelFormat::YCBCR_420_888), DRM_FORMAT_NV12);
  ASSERT_NE(nv12, nullptr);
  EXPECT_EQ(nv12->layout, FormatLayout::kPlanes);
  ASSERT_EQ(nv12->plane_count, 2);
  EXPECT_EQ(nv12->planes[1].components[0].type, PlaneLayoutComponentType::CB);
  EXPECT_EQ(nv12->planes[1].components[1].type, PlaneLayoutComponentType::CR);
  EXPECT_EQ(nv12->planes[1].components[1].offset_in_bits, 8);
  EXPECT_EQ(nv12->planes[1].horizontal_subsampling, 2);
  EXPECT_EQ(nv12->planes[1].vertical_subsampling, 2);
  EXPECT_EQ(FlexibleLayouts().size(), 1u);
}

TEST(FlexibleLayoutTest, ConcreteFormatsResolveToThemselves) {
  const int32_t yv12 = static_cast<int32_t>(PixelFormat::YV12);
  EXPECT_EQ(FindConcreteLayout(yv12, 0), FindFormat(yv12));
  EXPECT_EQ(FindConcreteLayout(yv12, DRM_FORMAT_YVU420), FindFormat(yv12));
  // A handle whose fourcc disagrees with its format lies.
  EXPECT_EQ(FindConcreteLayout(yv12, DRM_FORMAT_NV12), nullptr);
  EXPECT_EQ(
      FindConcreteLayout(static_cast<int32_t>(PixelFormat::YCBCR_420_888), 0),
      nullptr);
  EXPECT_EQ(FindConcreteLayout(0x7fff, DRM_FORMAT_NV12), nullptr);
}

TEST(OpaqueTwinTest, FormatsWithAlphaHaveTheirOpaqueTwin) {
  EXPECT_EQ(OpaqueTwinFourcc(DRM_FORMAT_ARGB8888), DRM_FORMAT_XRGB8888);
  EXPECT_EQ(OpaqueTwinFourcc(DRM_FORMAT_ABGR8888), DRM_FORMAT_XBGR8888);
  EXPECT_EQ(OpaqueTwinFourcc(DRM_FORMAT_ABGR16161616F),
            DRM_FORMAT_XBGR16161616F);
  // No alpha, no twin; and a twin is never a format of another layout.
  EXPECT_EQ(OpaqueTwinFourcc(DRM_FORMAT_XRGB8888), 0u);
  EXPECT_EQ(OpaqueTwinFourcc(DRM_FORMAT_NV12), 0u);
  EXPECT_EQ(OpaqueTwinFourcc(0), 0u);
  // Every Android format with an alpha channel and a fourcc has one, but
  // RGBA_10101010: DRM has no opaque AXBXGXRX106106106106.
  for (const FormatInfo& format : AllFormats()) {
    if (format.android_value == FormatValue(PixelFormat::RGBA_10101010)) {
      continue;
    }
    bool alpha = false;
    for (const PlaneInfo& plane : format.Planes()) {
      for (const ComponentInfo& c : plane.Components()) {
        alpha |= c.type == PlaneLayoutComponentType::A;
      }
    }
    if (!alpha || format.drm_fourcc == 0) continue;
    const uint32_t twin = OpaqueTwinFourcc(format.drm_fourcc);
    EXPECT_NE(twin, 0u) << format.name;
  }
}

}  // namespace
}  // namespace gralloc
