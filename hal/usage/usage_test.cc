// Copyright 2026 The gralloc for Linux Authors.

#include "hal/usage/usage.h"

#include <cstdint>
#include <string>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "hal/base/status_matchers.h"
#include "hal/types/buffer_usage.h"

namespace gralloc {
namespace {

using ::gralloc::testing::IsOk;
using ::gralloc::testing::StatusIs;
using ::testing::HasSubstr;

constexpr uint64_t Bit(int n) { return uint64_t{1} << n; }

TEST(UsageTableTest, NamesAreUnique) {
  absl::flat_hash_set<absl::string_view> names;
  for (const UsageBit& row : AllUsageBits()) {
    EXPECT_TRUE(names.insert(row.name).second) << row.name;
  }
}

TEST(UsageTableTest, EveryRowHasAMeaning) {
  for (const UsageBit& row : AllUsageBits()) {
    EXPECT_FALSE(row.meaning.empty()) << row.name;
    EXPECT_EQ(row.value & ~row.mask, 0u) << row.name;
  }
}

TEST(UsageTableTest, FlagsAreSingleBitsThatDoNotOverlap) {
  uint64_t seen = 0;
  for (const UsageBit& row : AllUsageBits()) {
    if (row.kind != UsageKind::kFlag && row.kind != UsageKind::kLegacyFlag) {
      continue;
    }
    EXPECT_EQ(__builtin_popcountll(row.mask), 1) << row.name;
    EXPECT_EQ(seen & row.mask, 0u) << row.name;
    seen |= row.mask;
  }
}

TEST(UsageTableTest, EveryAndroidFlagIsInTheTable) {
  const uint64_t flags[] = {
      UsageValue(BufferUsage::GPU_TEXTURE),
      UsageValue(BufferUsage::GPU_RENDER_TARGET),
      UsageValue(BufferUsage::COMPOSER_OVERLAY),
      UsageValue(BufferUsage::COMPOSER_CLIENT_TARGET),
      UsageValue(BufferUsage::PROTECTED),
      UsageValue(BufferUsage::COMPOSER_CURSOR),
      UsageValue(BufferUsage::VIDEO_ENCODER),
      UsageValue(BufferUsage::CAMERA_OUTPUT),
      UsageValue(BufferUsage::CAMERA_INPUT),
      UsageValue(BufferUsage::RENDERSCRIPT),
      UsageValue(BufferUsage::VIDEO_DECODER),
      UsageValue(BufferUsage::SENSOR_DIRECT_DATA),
      UsageValue(BufferUsage::GPU_DATA_BUFFER),
      UsageValue(BufferUsage::GPU_CUBE_MAP),
      UsageValue(BufferUsage::GPU_MIPMAP_COMPLETE),
      UsageValue(BufferUsage::HW_IMAGE_ENCODER),
      UsageValue(BufferUsage::FRONT_BUFFER),
  };
  for (uint64_t flag : flags) {
    bool found = false;
    for (const UsageBit& row : AllUsageBits()) {
      found = found || (row.kind == UsageKind::kFlag && row.mask == flag);
    }
    EXPECT_TRUE(found) << std::hex << flag;
  }
}

TEST(DecodeCpuTest, DefinedFieldValuesDecode) {
  EXPECT_EQ(DecodeCpuRead(0), CpuAccess::kNever);
  EXPECT_EQ(DecodeCpuRead(2), CpuAccess::kRarely);
  EXPECT_EQ(DecodeCpuRead(3), CpuAccess::kOften);
  EXPECT_EQ(DecodeCpuWrite(0x00), CpuAccess::kNever);
  EXPECT_EQ(DecodeCpuWrite(0x20), CpuAccess::kRarely);
  EXPECT_EQ(DecodeCpuWrite(0x30), CpuAccess::kOften);
}

TEST(DecodeCpuTest, FieldsAreIndependent) {
  const uint64_t usage = UsageValue(BufferUsage::CPU_READ_RARELY) |
                         UsageValue(BufferUsage::CPU_WRITE_OFTEN) |
                         UsageValue(BufferUsage::GPU_TEXTURE);
  EXPECT_EQ(DecodeCpuRead(usage), CpuAccess::kRarely);
  EXPECT_EQ(DecodeCpuWrite(usage), CpuAccess::kOften);
}

TEST(DecodeCpuTest, UndefinedFieldValuesAreInvalidNotMaskTested) {
  for (uint64_t field : {1u, 4u, 5u, 6u, 7u, 8u, 11u, 15u}) {
    EXPECT_EQ(DecodeCpuRead(field), CpuAccess::kInvalid) << field;
    EXPECT_EQ(DecodeCpuWrite(field << 4), CpuAccess::kInvalid) << field;
  }
}

TEST(HasCpuAccessTest, TrueOnlyWhenAFieldIsSet) {
  EXPECT_FALSE(HasCpuAccess(UsageValue(BufferUsage::GPU_TEXTURE)));
  EXPECT_TRUE(HasCpuAccess(UsageValue(BufferUsage::CPU_READ_RARELY)));
  EXPECT_TRUE(HasCpuAccess(UsageValue(BufferUsage::CPU_WRITE_OFTEN)));
}

TEST(ValidateUsageTest, AcceptsEveryDefinedFlag) {
  for (const UsageBit& row : AllUsageBits()) {
    if (row.kind == UsageKind::kMask) continue;
    EXPECT_THAT(ValidateUsage(row.value), IsOk()) << row.name;
  }
}

TEST(ValidateUsageTest, AcceptsLegacyBits10And13) {
  EXPECT_THAT(ValidateUsage(Bit(10)), IsOk());
  EXPECT_THAT(ValidateUsage(Bit(13)), IsOk());
  EXPECT_THAT(
      ValidateUsage(Bit(10) | Bit(13) | UsageValue(BufferUsage::GPU_TEXTURE)),
      IsOk());
}

TEST(ValidateUsageTest, AcceptsVendorBits) {
  EXPECT_THAT(ValidateUsage(UsageValue(BufferUsage::VENDOR_MASK)), IsOk());
  EXPECT_THAT(ValidateUsage(UsageValue(BufferUsage::VENDOR_MASK_HI)), IsOk());
  EXPECT_THAT(ValidateUsage(Bit(63) | Bit(48) | Bit(28)), IsOk());
}

TEST(ValidateUsageTest, RejectsUndefinedBitsNamingTheBit) {
  EXPECT_THAT(
      ValidateUsage(Bit(33)),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("usage bit 33 ")));
  EXPECT_THAT(
      ValidateUsage(Bit(19)),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("usage bit 19 ")));
  EXPECT_THAT(
      ValidateUsage(Bit(21) | UsageValue(BufferUsage::GPU_TEXTURE)),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("usage bit 21 ")));
  EXPECT_THAT(
      ValidateUsage(Bit(47)),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("usage bit 47 ")));
}

TEST(ValidateUsageTest, RejectsEveryBitAndroidLeavesUndefined) {
  for (int bit = 0; bit < 64; ++bit) {
    const bool undefined = bit == 19 || bit == 21 || (bit >= 33 && bit <= 47);
    if (undefined) {
      EXPECT_THAT(ValidateUsage(Bit(bit)),
                  StatusIs(absl::StatusCode::kInvalidArgument))
          << bit;
    }
  }
}

TEST(ValidateUsageTest, RejectsUndefinedCpuFieldValues) {
  EXPECT_THAT(ValidateUsage(1), StatusIs(absl::StatusCode::kInvalidArgument,
                                         HasSubstr("CPU read field 1")));
  EXPECT_THAT(ValidateUsage(0x70), StatusIs(absl::StatusCode::kInvalidArgument,
                                            HasSubstr("CPU write field 7")));
  EXPECT_THAT(ValidateUsage(0xF), StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(UsageToStringTest, ZeroIsZero) { EXPECT_EQ(UsageToString(0), "0"); }

TEST(UsageToStringTest, NamesFlagsInBitOrder) {
  const uint64_t usage = UsageValue(BufferUsage::CAMERA_OUTPUT) |
                         UsageValue(BufferUsage::VIDEO_ENCODER) |
                         UsageValue(BufferUsage::CPU_WRITE_OFTEN);
  EXPECT_EQ(UsageToString(usage),
            "CPU_WRITE_OFTEN|VIDEO_ENCODER|CAMERA_OUTPUT");
}

TEST(UsageToStringTest, NamesCpuFieldsAndFrontBuffer) {
  EXPECT_EQ(UsageToString(UsageValue(BufferUsage::CPU_READ_RARELY) |
                          UsageValue(BufferUsage::CPU_WRITE_RARELY) |
                          UsageValue(BufferUsage::FRONT_BUFFER)),
            "CPU_READ_RARELY|CPU_WRITE_RARELY|FRONT_BUFFER");
}

TEST(UsageToStringTest, NamesLegacyBits) {
  EXPECT_EQ(UsageToString(Bit(10) | Bit(13)), "HW_2D|EXTERNAL_DISP");
}

TEST(UsageToStringTest, PrintsUnnamedBitsAsOneHexNumber) {
  EXPECT_EQ(
      UsageToString(UsageValue(BufferUsage::GPU_TEXTURE) | Bit(28) | Bit(33)),
      "GPU_TEXTURE|0x210000000");
  EXPECT_EQ(UsageToString(1), "0x1");
  EXPECT_EQ(UsageToString(0x70 | UsageValue(BufferUsage::CPU_READ_OFTEN)),
            "CPU_READ_OFTEN|0x70");
}

TEST(ParseUsageTest, ParsesNamesSeparatedByBars) {
  ASSERT_OK_AND_ASSIGN(
      uint64_t usage,
      ParseUsage("CAMERA_OUTPUT|VIDEO_ENCODER|CPU_WRITE_OFTEN"));
  EXPECT_EQ(usage, UsageValue(BufferUsage::CAMERA_OUTPUT) |
                       UsageValue(BufferUsage::VIDEO_ENCODER) |
                       UsageValue(BufferUsage::CPU_WRITE_OFTEN));
}

TEST(ParseUsageTest, IgnoresCaseAndSpaces) {
  ASSERT_OK_AND_ASSIGN(uint64_t usage,
                       ParseUsage(" gpu_texture | Cpu_Read_Often "));
  EXPECT_EQ(usage, UsageValue(BufferUsage::GPU_TEXTURE) |
                       UsageValue(BufferUsage::CPU_READ_OFTEN));
}

TEST(ParseUsageTest, ParsesHexAndDecimalNumbers) {
  ASSERT_OK_AND_ASSIGN(uint64_t hex, ParseUsage("0x100"));
  EXPECT_EQ(hex, 0x100u);
  ASSERT_OK_AND_ASSIGN(uint64_t upper_hex, ParseUsage("0XFFFF000000000000"));
  EXPECT_EQ(upper_hex, 0xFFFF000000000000u);
  ASSERT_OK_AND_ASSIGN(uint64_t decimal, ParseUsage("256"));
  EXPECT_EQ(decimal, 256u);
  ASSERT_OK_AND_ASSIGN(uint64_t mixed, ParseUsage("GPU_TEXTURE|0x30|2"));
  EXPECT_EQ(mixed, 0x132u);
  ASSERT_OK_AND_ASSIGN(uint64_t zero, ParseUsage("0"));
  EXPECT_EQ(zero, 0u);
}

TEST(ParseUsageTest, ParsesMaskAndNeverNames) {
  ASSERT_OK_AND_ASSIGN(uint64_t mask, ParseUsage("VENDOR_MASK_HI"));
  EXPECT_EQ(mask, UsageValue(BufferUsage::VENDOR_MASK_HI));
  ASSERT_OK_AND_ASSIGN(uint64_t never,
                       ParseUsage("CPU_READ_NEVER|CPU_WRITE_NEVER"));
  EXPECT_EQ(never, 0u);
}

TEST(ParseUsageTest, RejectsMalformedInput) {
  for (const char* text :
       {"", "  ", "GPU_TEXTURE|", "|GPU_TEXTURE", "GPU_TEXTURE||CAMERA_INPUT",
        "GPU_TEXTUR", "0x", "0xZZ", "12a", "-1", "+5", "0x10000000000000000",
        "18446744073709551616", "GPU_TEXTURE,CAMERA_INPUT"}) {
    EXPECT_THAT(ParseUsage(text), StatusIs(absl::StatusCode::kInvalidArgument))
        << '"' << text << '"';
  }
}

TEST(ParseUsageTest, ReadsBackEveryPrintedWord) {
  const uint64_t words[] = {
      0,
      1,
      0x33,
      UsageValue(BufferUsage::GPU_TEXTURE) | Bit(10) | Bit(13),
      UsageValue(BufferUsage::FRONT_BUFFER) | Bit(40) | Bit(60) | 0x7,
      ~uint64_t{0},
  };
  for (uint64_t word : words) {
    const std::string text = UsageToString(word);
    ASSERT_OK_AND_ASSIGN(uint64_t parsed, ParseUsage(text));
    EXPECT_EQ(parsed, word) << text;
  }
  for (int bit = 0; bit < 64; ++bit) {
    ASSERT_OK_AND_ASSIGN(uint64_t parsed, ParseUsage(UsageToString(Bit(bit))));
    EXPECT_EQ(parsed, Bit(bit)) << bit;
  }
}

}  // namespace
}  // namespace gralloc
