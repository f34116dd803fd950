// Copyright 2026 The gralloc for Linux Authors.
//
// Pins every BufferUsage, PixelFormat and PlaneLayoutComponentType value to
// Android's number, written out by hand from Android's AIDL: these values are
// an ABI, and a typo here would silently mislabel every buffer.

#include <cstdint>

#include "gtest/gtest.h"
#include "hal/types/buffer_usage.h"
#include "hal/types/pixel_format.h"
#include "hal/types/plane_layout.h"

namespace gralloc {
namespace {

TEST(BufferUsageTest, CpuFieldsMatchAndroid) {
  EXPECT_EQ(UsageValue(BufferUsage::CPU_READ_MASK), 0xFu);
  EXPECT_EQ(UsageValue(BufferUsage::CPU_READ_NEVER), 0u);
  EXPECT_EQ(UsageValue(BufferUsage::CPU_READ_RARELY), 2u);
  EXPECT_EQ(UsageValue(BufferUsage::CPU_READ_OFTEN), 3u);
  EXPECT_EQ(UsageValue(BufferUsage::CPU_WRITE_MASK), 0xF0u);
  EXPECT_EQ(UsageValue(BufferUsage::CPU_WRITE_NEVER), 0u);
  EXPECT_EQ(UsageValue(BufferUsage::CPU_WRITE_RARELY), 0x20u);
  EXPECT_EQ(UsageValue(BufferUsage::CPU_WRITE_OFTEN), 0x30u);
}

TEST(BufferUsageTest, FlagsMatchAndroid) {
  EXPECT_EQ(UsageValue(BufferUsage::GPU_TEXTURE), 0x100u);
  EXPECT_EQ(UsageValue(BufferUsage::GPU_RENDER_TARGET), 0x200u);
  EXPECT_EQ(UsageValue(BufferUsage::COMPOSER_OVERLAY), 0x800u);
  EXPECT_EQ(UsageValue(BufferUsage::COMPOSER_CLIENT_TARGET), 0x1000u);
  EXPECT_EQ(UsageValue(BufferUsage::PROTECTED), 0x4000u);
  EXPECT_EQ(UsageValue(BufferUsage::COMPOSER_CURSOR), 0x8000u);
  EXPECT_EQ(UsageValue(BufferUsage::VIDEO_ENCODER), 0x10000u);
  EXPECT_EQ(UsageValue(BufferUsage::CAMERA_OUTPUT), 0x20000u);
  EXPECT_EQ(UsageValue(BufferUsage::CAMERA_INPUT), 0x40000u);
  EXPECT_EQ(UsageValue(BufferUsage::RENDERSCRIPT), 0x100000u);
  EXPECT_EQ(UsageValue(BufferUsage::VIDEO_DECODER), 0x400000u);
  EXPECT_EQ(UsageValue(BufferUsage::SENSOR_DIRECT_DATA), 0x800000u);
  EXPECT_EQ(UsageValue(BufferUsage::GPU_DATA_BUFFER), 0x1000000u);
  EXPECT_EQ(UsageValue(BufferUsage::GPU_CUBE_MAP), 0x2000000u);
  EXPECT_EQ(UsageValue(BufferUsage::GPU_MIPMAP_COMPLETE), 0x4000000u);
  EXPECT_EQ(UsageValue(BufferUsage::HW_IMAGE_ENCODER), 0x8000000u);
  EXPECT_EQ(UsageValue(BufferUsage::FRONT_BUFFER), 0x100000000u);
}

TEST(BufferUsageTest, VendorMasksMatchAndroid) {
  EXPECT_EQ(UsageValue(BufferUsage::VENDOR_MASK), 0xF0000000u);
  EXPECT_EQ(UsageValue(BufferUsage::VENDOR_MASK_HI), 0xFFFF000000000000u);
}

TEST(BufferUsageTest, IsSixtyFourBitsWide) {
  EXPECT_EQ(sizeof(BufferUsage), sizeof(uint64_t));
}

TEST(PixelFormatTest, RgbFormatsMatchAndroid) {
  EXPECT_EQ(FormatValue(PixelFormat::UNSPECIFIED), 0);
  EXPECT_EQ(FormatValue(PixelFormat::RGBA_8888), 1);
  EXPECT_EQ(FormatValue(PixelFormat::RGBX_8888), 2);
  EXPECT_EQ(FormatValue(PixelFormat::RGB_888), 3);
  EXPECT_EQ(FormatValue(PixelFormat::RGB_565), 4);
  EXPECT_EQ(FormatValue(PixelFormat::BGRA_8888), 5);
  EXPECT_EQ(FormatValue(PixelFormat::RGBA_FP16), 0x16);
  EXPECT_EQ(FormatValue(PixelFormat::RGBA_1010102), 0x2B);
  EXPECT_EQ(FormatValue(PixelFormat::HSV_888), 0x37);
  EXPECT_EQ(FormatValue(PixelFormat::R_8), 0x38);
  EXPECT_EQ(FormatValue(PixelFormat::R_16_UINT), 0x39);
  EXPECT_EQ(FormatValue(PixelFormat::RG_1616_UINT), 0x3A);
  EXPECT_EQ(FormatValue(PixelFormat::RGBA_10101010), 0x3B);
  EXPECT_EQ(FormatValue(PixelFormat::R_12_UINT), 0x3D);
  EXPECT_EQ(FormatValue(PixelFormat::R_14_UINT), 0x3E);
  EXPECT_EQ(FormatValue(PixelFormat::RG_1212_UINT), 0x3F);
  EXPECT_EQ(FormatValue(PixelFormat::RG_1414_UINT), 0x40);
  EXPECT_EQ(FormatValue(PixelFormat::RGBA_12121212_UINT), 0x41);
  EXPECT_EQ(FormatValue(PixelFormat::RGBA_14141414_UINT), 0x42);
  EXPECT_EQ(FormatValue(PixelFormat::BGRA_1010102), 0x43);
}

TEST(PixelFormatTest, YuvFormatsMatchAndroid) {
  EXPECT_EQ(FormatValue(PixelFormat::YCBCR_422_SP), 0x10);
  EXPECT_EQ(FormatValue(PixelFormat::YCRCB_420_SP), 0x11);
  EXPECT_EQ(FormatValue(PixelFormat::YCBCR_422_I), 0x14);
  EXPECT_EQ(FormatValue(PixelFormat::YCBCR_420_888), 0x23);
  EXPECT_EQ(FormatValue(PixelFormat::Y8), 0x20203859);
  EXPECT_EQ(FormatValue(PixelFormat::Y16), 0x20363159);
  EXPECT_EQ(FormatValue(PixelFormat::YV12), 0x32315659);
  EXPECT_EQ(FormatValue(PixelFormat::YCBCR_P010), 0x36);
  EXPECT_EQ(FormatValue(PixelFormat::YCBCR_P210), 0x3C);
}

TEST(PixelFormatTest, CameraAndOpaqueFormatsMatchAndroid) {
  EXPECT_EQ(FormatValue(PixelFormat::RAW16), 0x20);
  EXPECT_EQ(FormatValue(PixelFormat::BLOB), 0x21);
  EXPECT_EQ(FormatValue(PixelFormat::IMPLEMENTATION_DEFINED), 0x22);
  EXPECT_EQ(FormatValue(PixelFormat::RAW_OPAQUE), 0x24);
  EXPECT_EQ(FormatValue(PixelFormat::RAW10), 0x25);
  EXPECT_EQ(FormatValue(PixelFormat::RAW12), 0x26);
}

TEST(PixelFormatTest, DepthAndStencilFormatsMatchAndroid) {
  EXPECT_EQ(FormatValue(PixelFormat::DEPTH_16), 0x30);
  EXPECT_EQ(FormatValue(PixelFormat::DEPTH_24), 0x31);
  EXPECT_EQ(FormatValue(PixelFormat::DEPTH_24_STENCIL_8), 0x32);
  EXPECT_EQ(FormatValue(PixelFormat::DEPTH_32F), 0x33);
  EXPECT_EQ(FormatValue(PixelFormat::DEPTH_32F_STENCIL_8), 0x34);
  EXPECT_EQ(FormatValue(PixelFormat::STENCIL_8), 0x35);
}

TEST(PixelFormatTest, IsThirtyTwoBitsWide) {
  EXPECT_EQ(sizeof(PixelFormat), sizeof(int32_t));
}

TEST(PlaneLayoutComponentTypeTest, ValuesMatchAndroid) {
  EXPECT_EQ(static_cast<int64_t>(PlaneLayoutComponentType::Y), 1);
  EXPECT_EQ(static_cast<int64_t>(PlaneLayoutComponentType::CB), 2);
  EXPECT_EQ(static_cast<int64_t>(PlaneLayoutComponentType::CR), 4);
  EXPECT_EQ(static_cast<int64_t>(PlaneLayoutComponentType::R), 0x400);
  EXPECT_EQ(static_cast<int64_t>(PlaneLayoutComponentType::G), 0x800);
  EXPECT_EQ(static_cast<int64_t>(PlaneLayoutComponentType::B), 0x1000);
  EXPECT_EQ(static_cast<int64_t>(PlaneLayoutComponentType::RAW), 0x100000);
  EXPECT_EQ(static_cast<int64_t>(PlaneLayoutComponentType::A), 0x40000000);
}

}  // namespace
}  // namespace gralloc
