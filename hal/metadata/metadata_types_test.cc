// Copyright 2026 The gralloc for Linux Authors.
//
// Pins every enumerator to Android's number, written out by hand from
// android.hardware.graphics.common's AIDL (StandardMetadataType, Dataspace,
// BlendMode, Compression, Interlaced, ChromaSiting). A renumbering here would
// silently break every client, so each value is spelled as a literal.

#include "hal/metadata/metadata_types.h"

#include <cstdint>
#include <cstring>
#include <type_traits>

#include "gtest/gtest.h"
#include "hal/types/plane_layout.h"

namespace gralloc {
namespace {

template <typename E>
constexpr auto V(E e) {
  return static_cast<std::underlying_type_t<E>>(e);
}

TEST(MetadataTypesTest, UnderlyingTypesMatchAndroidBackingTypes) {
  // AIDL @Backing(type="long") is int64_t, "int" is int32_t.
  EXPECT_TRUE(
      (std::is_same_v<std::underlying_type_t<StandardMetadataType>, int64_t>));
  EXPECT_TRUE((std::is_same_v<std::underlying_type_t<Dataspace>, int32_t>));
  EXPECT_TRUE((std::is_same_v<std::underlying_type_t<BlendMode>, int32_t>));
  EXPECT_TRUE((std::is_same_v<std::underlying_type_t<Compression>, int64_t>));
  EXPECT_TRUE((std::is_same_v<std::underlying_type_t<Interlaced>, int64_t>));
  EXPECT_TRUE((std::is_same_v<std::underlying_type_t<ChromaSiting>, int64_t>));
}

TEST(MetadataTypesTest, StandardMetadataTypeValuesAreAndroids) {
  EXPECT_EQ(V(StandardMetadataType::INVALID), 0);
  EXPECT_EQ(V(StandardMetadataType::BUFFER_ID), 1);
  EXPECT_EQ(V(StandardMetadataType::NAME), 2);
  EXPECT_EQ(V(StandardMetadataType::WIDTH), 3);
  EXPECT_EQ(V(StandardMetadataType::HEIGHT), 4);
  EXPECT_EQ(V(StandardMetadataType::LAYER_COUNT), 5);
  EXPECT_EQ(V(StandardMetadataType::PIXEL_FORMAT_REQUESTED), 6);
  EXPECT_EQ(V(StandardMetadataType::PIXEL_FORMAT_FOURCC), 7);
  EXPECT_EQ(V(StandardMetadataType::PIXEL_FORMAT_MODIFIER), 8);
  EXPECT_EQ(V(StandardMetadataType::USAGE), 9);
  EXPECT_EQ(V(StandardMetadataType::ALLOCATION_SIZE), 10);
  EXPECT_EQ(V(StandardMetadataType::PROTECTED_CONTENT), 11);
  EXPECT_EQ(V(StandardMetadataType::COMPRESSION), 12);
  EXPECT_EQ(V(StandardMetadataType::INTERLACED), 13);
  EXPECT_EQ(V(StandardMetadataType::CHROMA_SITING), 14);
  EXPECT_EQ(V(StandardMetadataType::PLANE_LAYOUTS), 15);
  EXPECT_EQ(V(StandardMetadataType::CROP), 16);
  EXPECT_EQ(V(StandardMetadataType::DATASPACE), 17);
  EXPECT_EQ(V(StandardMetadataType::BLEND_MODE), 18);
  EXPECT_EQ(V(StandardMetadataType::SMPTE2086), 19);
  EXPECT_EQ(V(StandardMetadataType::CTA861_3), 20);
  EXPECT_EQ(V(StandardMetadataType::SMPTE2094_40), 21);
  EXPECT_EQ(V(StandardMetadataType::SMPTE2094_10), 22);
  EXPECT_EQ(V(StandardMetadataType::STRIDE), 23);
  EXPECT_EQ(V(kLastStandardMetadataType), 23);
}

TEST(MetadataTypesTest, KnownStandardMetadataTypesAreOneThroughStride) {
  EXPECT_FALSE(IsKnownStandardMetadataType(-1));
  EXPECT_FALSE(IsKnownStandardMetadataType(0));  // INVALID names nothing
  for (int64_t value = 1; value <= 23; ++value) {
    EXPECT_TRUE(IsKnownStandardMetadataType(value)) << value;
  }
  EXPECT_FALSE(IsKnownStandardMetadataType(24));
  EXPECT_FALSE(IsKnownStandardMetadataType(INT64_MAX));
}

TEST(MetadataTypesTest, DataspaceFieldLayoutIsAndroids) {
  EXPECT_EQ(V(Dataspace::STANDARD_SHIFT), 16);
  EXPECT_EQ(V(Dataspace::STANDARD_MASK), 0x003F0000);
  EXPECT_EQ(V(Dataspace::TRANSFER_SHIFT), 22);
  EXPECT_EQ(V(Dataspace::TRANSFER_MASK), 0x07C00000);
  EXPECT_EQ(V(Dataspace::RANGE_SHIFT), 27);
  EXPECT_EQ(V(Dataspace::RANGE_MASK), 0x38000000);
}

TEST(MetadataTypesTest, DataspaceFieldValuesAreAndroids) {
  EXPECT_EQ(V(Dataspace::STANDARD_UNSPECIFIED), 0x00000000);
  EXPECT_EQ(V(Dataspace::STANDARD_BT709), 0x00010000);
  EXPECT_EQ(V(Dataspace::STANDARD_BT601_625), 0x00020000);
  EXPECT_EQ(V(Dataspace::STANDARD_BT601_625_UNADJUSTED), 0x00030000);
  EXPECT_EQ(V(Dataspace::STANDARD_BT601_525), 0x00040000);
  EXPECT_EQ(V(Dataspace::STANDARD_BT601_525_UNADJUSTED), 0x00050000);
  EXPECT_EQ(V(Dataspace::STANDARD_BT2020), 0x00060000);
  EXPECT_EQ(V(Dataspace::STANDARD_BT2020_CONSTANT_LUMINANCE), 0x00070000);
  EXPECT_EQ(V(Dataspace::STANDARD_BT470M), 0x00080000);
  EXPECT_EQ(V(Dataspace::STANDARD_FILM), 0x00090000);
  EXPECT_EQ(V(Dataspace::STANDARD_DCI_P3), 0x000A0000);
  EXPECT_EQ(V(Dataspace::STANDARD_ADOBE_RGB), 0x000B0000);

  EXPECT_EQ(V(Dataspace::TRANSFER_UNSPECIFIED), 0x00000000);
  EXPECT_EQ(V(Dataspace::TRANSFER_LINEAR), 0x00400000);
  EXPECT_EQ(V(Dataspace::TRANSFER_SRGB), 0x00800000);
  EXPECT_EQ(V(Dataspace::TRANSFER_SMPTE_170M), 0x00C00000);
  EXPECT_EQ(V(Dataspace::TRANSFER_GAMMA2_2), 0x01000000);
  EXPECT_EQ(V(Dataspace::TRANSFER_GAMMA2_6), 0x01400000);
  EXPECT_EQ(V(Dataspace::TRANSFER_GAMMA2_8), 0x01800000);
  EXPECT_EQ(V(Dataspace::TRANSFER_ST2084), 0x01C00000);
  EXPECT_EQ(V(Dataspace::TRANSFER_HLG), 0x02000000);

  EXPECT_EQ(V(Dataspace::RANGE_UNSPECIFIED), 0x00000000);
  EXPECT_EQ(V(Dataspace::RANGE_FULL), 0x08000000);
  EXPECT_EQ(V(Dataspace::RANGE_LIMITED), 0x10000000);
  EXPECT_EQ(V(Dataspace::RANGE_EXTENDED), 0x18000000);
}

TEST(MetadataTypesTest, NamedDataspaceValuesAreAndroids) {
  EXPECT_EQ(V(Dataspace::UNKNOWN), 0);
  EXPECT_EQ(V(Dataspace::ARBITRARY), 1);
  EXPECT_EQ(V(Dataspace::SRGB_LINEAR), 138477568);        // 0x08410000
  EXPECT_EQ(V(Dataspace::SCRGB_LINEAR), 406913024);       // 0x18410000
  EXPECT_EQ(V(Dataspace::SRGB), 142671872);               // 0x08810000
  EXPECT_EQ(V(Dataspace::SCRGB), 411107328);              // 0x18810000
  EXPECT_EQ(V(Dataspace::JFIF), 146931712);               // 0x08C20000
  EXPECT_EQ(V(Dataspace::BT601_625), 281149440);          // 0x10C20000
  EXPECT_EQ(V(Dataspace::BT601_525), 281280512);          // 0x10C40000
  EXPECT_EQ(V(Dataspace::BT709), 281083904);              // 0x10C10000
  EXPECT_EQ(V(Dataspace::DCI_P3_LINEAR), 139067392);      // 0x084A0000
  EXPECT_EQ(V(Dataspace::DCI_P3), 155844608);             // 0x094A0000
  EXPECT_EQ(V(Dataspace::DISPLAY_P3_LINEAR), 139067392);  // 0x084A0000
  EXPECT_EQ(V(Dataspace::DISPLAY_P3), 143261696);         // 0x088A0000
  EXPECT_EQ(V(Dataspace::ADOBE_RGB), 151715840);          // 0x090B0000
  EXPECT_EQ(V(Dataspace::BT2020_LINEAR), 0x08460000);
  EXPECT_EQ(V(Dataspace::BT2020), 147193856);     // 0x08C60000
  EXPECT_EQ(V(Dataspace::BT2020_PQ), 163971072);  // 0x09C60000
  EXPECT_EQ(V(Dataspace::DEPTH), 0x1000);
  EXPECT_EQ(V(Dataspace::SENSOR), 0x1001);
  EXPECT_EQ(V(Dataspace::BT2020_ITU), 281411584);      // 0x10C60000
  EXPECT_EQ(V(Dataspace::BT2020_ITU_PQ), 298188800);   // 0x11C60000
  EXPECT_EQ(V(Dataspace::BT2020_ITU_HLG), 302383104);  // 0x12060000
  EXPECT_EQ(V(Dataspace::BT2020_HLG), 168165376);      // 0x0A060000
  EXPECT_EQ(V(Dataspace::DISPLAY_BT2020), 142999552);  // 0x08860000
  EXPECT_EQ(V(Dataspace::DYNAMIC_DEPTH), 0x1002);
  EXPECT_EQ(V(Dataspace::JPEG_APP_SEGMENTS), 0x1003);
  EXPECT_EQ(V(Dataspace::HEIF), 0x1004);
  EXPECT_EQ(V(Dataspace::JPEG_R), 0x1005);
  EXPECT_EQ(V(Dataspace::BT709_FULL_RANGE), 146866176);  // 0x08C10000
}

TEST(MetadataTypesTest, HidlV0DataspaceNamesAliasTheAidlValues) {
  EXPECT_EQ(V(Dataspace::V0_SRGB_LINEAR), 138477568);
  EXPECT_EQ(V(Dataspace::V0_SCRGB_LINEAR), 406913024);
  EXPECT_EQ(V(Dataspace::V0_SRGB), 142671872);
  EXPECT_EQ(V(Dataspace::V0_SCRGB), 411107328);
  EXPECT_EQ(V(Dataspace::V0_JFIF), 146931712);
  EXPECT_EQ(V(Dataspace::V0_BT601_625), 281149440);
  EXPECT_EQ(V(Dataspace::V0_BT601_525), 281280512);
  EXPECT_EQ(V(Dataspace::V0_BT709), 281083904);
}

TEST(MetadataTypesTest, BlendModeValuesAreAndroids) {
  EXPECT_EQ(V(BlendMode::INVALID), 0);
  EXPECT_EQ(V(BlendMode::NONE), 1);
  EXPECT_EQ(V(BlendMode::PREMULTIPLIED), 2);
  EXPECT_EQ(V(BlendMode::COVERAGE), 3);
}

TEST(MetadataTypesTest, ExtendableStandardValuesAreAndroids) {
  EXPECT_EQ(V(Compression::NONE), 0);
  EXPECT_EQ(V(Compression::DISPLAY_STREAM_COMPRESSION), 1);

  EXPECT_EQ(V(Interlaced::NONE), 0);
  EXPECT_EQ(V(Interlaced::TOP_BOTTOM), 1);
  EXPECT_EQ(V(Interlaced::RIGHT_LEFT), 2);

  EXPECT_EQ(V(ChromaSiting::NONE), 0);
  EXPECT_EQ(V(ChromaSiting::UNKNOWN), 1);
  EXPECT_EQ(V(ChromaSiting::SITED_INTERSTITIAL), 2);
  EXPECT_EQ(V(ChromaSiting::COSITED_HORIZONTAL), 3);
  EXPECT_EQ(V(ChromaSiting::COSITED_VERTICAL), 4);
  EXPECT_EQ(V(ChromaSiting::COSITED_BOTH), 5);
}

TEST(MetadataTypesTest, InterfaceNamesAreAndroids) {
  EXPECT_STREQ(kStandardMetadataTypeName,
               "android.hardware.graphics.common.StandardMetadataType");
  EXPECT_EQ(std::strlen(kStandardMetadataTypeName), 53u);
  EXPECT_STREQ(kCompressionName,
               "android.hardware.graphics.common.Compression");
  EXPECT_STREQ(kInterlacedName, "android.hardware.graphics.common.Interlaced");
  EXPECT_STREQ(kChromaSitingName,
               "android.hardware.graphics.common.ChromaSiting");
}

TEST(MetadataTypesTest, StandardHelpersPairNameAndValue) {
  EXPECT_EQ(
      StandardCompression(Compression::DISPLAY_STREAM_COMPRESSION),
      (ExtendableType{"android.hardware.graphics.common.Compression", 1}));
  EXPECT_EQ(StandardInterlaced(Interlaced::RIGHT_LEFT),
            (ExtendableType{"android.hardware.graphics.common.Interlaced", 2}));
  EXPECT_EQ(
      StandardChromaSiting(ChromaSiting::COSITED_BOTH),
      (ExtendableType{"android.hardware.graphics.common.ChromaSiting", 5}));
}

TEST(MetadataTypesTest, HdrStructsCompareFieldByField) {
  Smpte2086 a{{0.68f, 0.32f},    {0.265f, 0.69f}, {0.15f, 0.06f},
              {0.3127f, 0.329f}, 1000.0f,         0.0001f};
  Smpte2086 b = a;
  EXPECT_EQ(a, b);
  b.white_point.y = 0.33f;
  EXPECT_FALSE(a == b);

  Cta861_3 c{1000.0f, 400.0f};
  Cta861_3 d = c;
  EXPECT_EQ(c, d);
  d.max_frame_average_light_level = 401.0f;
  EXPECT_FALSE(c == d);
}

}  // namespace
}  // namespace gralloc
