// Copyright 2026 The gralloc for Linux Authors.

#include <cstring>

#include "gralloc/allocator.h"
#include "gtest/gtest.h"
#include "hal/base/fd_count.h"
#include "hal/handle/buffer_handle.h"

namespace {

using ::gralloc::testing::OpenFdCount;

GrallocBufferDescriptorInfo Info(int32_t width, int32_t height, int32_t format,
                                 int64_t usage) {
  GrallocBufferDescriptorInfo info;
  std::memset(&info, 0, sizeof(info));
  std::strcpy(info.name, "c-api");
  info.width = width;
  info.height = height;
  info.layerCount = 1;
  info.format = format;
  info.usage = usage;
  return info;
}

constexpr int32_t kRgba8888 = 1;
constexpr int64_t kCpuOften = 0x33;

class CApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(GrallocAllocator_openInProcess(nullptr, &allocator_), 0);
    ASSERT_NE(allocator_, nullptr);
  }
  void TearDown() override { GrallocAllocator_close(allocator_); }
  GrallocAllocator* allocator_ = nullptr;
};

TEST_F(CApiTest, AllocatesAndTheCallerOwnsTheHandles) {
  const int before = OpenFdCount();
  GrallocBufferDescriptorInfo info = Info(64, 64, kRgba8888, kCpuOften);
  native_handle_t* buffers[3] = {};
  int32_t stride = -1;
  ASSERT_EQ(GrallocAllocator_allocate2(allocator_, &info, 3, &stride, buffers),
            0);
  EXPECT_EQ(stride, 64);
  for (native_handle_t* buffer : buffers) {
    ASSERT_NE(buffer, nullptr);
    EXPECT_TRUE(gralloc::DecodeHandle(buffer).ok());
    native_handle_close(buffer);
    native_handle_delete(buffer);
  }
  EXPECT_EQ(OpenFdCount(), before);
}

TEST_F(CApiTest, FailuresAreNeverZeroAndTouchNothing) {
  native_handle_t* buffers[1] = {reinterpret_cast<native_handle_t*>(0x1)};
  int32_t stride = -7;
  GrallocBufferDescriptorInfo zero_width = Info(0, 64, kRgba8888, kCpuOften);
  EXPECT_EQ(
      GrallocAllocator_allocate2(allocator_, &zero_width, 1, &stride, buffers),
      1);  // BAD_DESCRIPTOR
  GrallocBufferDescriptorInfo unknown_bit =
      Info(64, 64, kRgba8888, int64_t{1} << 33);
  EXPECT_EQ(
      GrallocAllocator_allocate2(allocator_, &unknown_bit, 1, &stride, buffers),
      7);  // UNSUPPORTED
  EXPECT_EQ(stride, -7);
  EXPECT_EQ(buffers[0], reinterpret_cast<native_handle_t*>(0x1));
  EXPECT_EQ(
      GrallocAllocator_allocate2(nullptr, &zero_width, 1, &stride, buffers),
      3);  // BAD_VALUE
  EXPECT_EQ(
      GrallocAllocator_allocate2(allocator_, &zero_width, -1, &stride, buffers),
      3);
}

TEST_F(CApiTest, IsSupportedIsFalseForUnknownBitsAndOptions) {
  bool supported = true;
  GrallocBufferDescriptorInfo unknown_bit =
      Info(64, 64, kRgba8888, int64_t{1} << 33);
  ASSERT_EQ(GrallocAllocator_isSupported(allocator_, &unknown_bit, &supported),
            0);
  EXPECT_FALSE(supported);

  GrallocExtendableType option = {"vendor.acme.option", 1};
  GrallocBufferDescriptorInfo with_option = Info(64, 64, kRgba8888, kCpuOften);
  with_option.additionalOptions = &option;
  with_option.additionalOptionCount = 1;
  ASSERT_EQ(GrallocAllocator_isSupported(allocator_, &with_option, &supported),
            0);
  EXPECT_FALSE(supported);
  int32_t stride = 0;
  native_handle_t* buffer = nullptr;
  EXPECT_EQ(
      GrallocAllocator_allocate2(allocator_, &with_option, 1, &stride, &buffer),
      7);

  GrallocExtendableType dataspace = {
      "android.hardware.graphics.common.Dataspace", 0};
  with_option.additionalOptions = &dataspace;
  ASSERT_EQ(GrallocAllocator_isSupported(allocator_, &with_option, &supported),
            0);
  EXPECT_TRUE(supported);
}

TEST_F(CApiTest, CountZeroReturnsNothing) {
  GrallocBufferDescriptorInfo info = Info(64, 64, kRgba8888, kCpuOften);
  int32_t stride = 0;
  EXPECT_EQ(GrallocAllocator_allocate2(allocator_, &info, 0, &stride, nullptr),
            0);
}

TEST_F(CApiTest, ANameWithoutNulIsCutAt127) {
  GrallocBufferDescriptorInfo info = Info(8, 8, kRgba8888, kCpuOften);
  std::memset(info.name, 'x', sizeof(info.name));
  native_handle_t* buffer = nullptr;
  int32_t stride = 0;
  ASSERT_EQ(GrallocAllocator_allocate2(allocator_, &info, 1, &stride, &buffer),
            0);
  native_handle_close(buffer);
  native_handle_delete(buffer);
}

TEST(CApiConnectTest, ConnectWithoutAServiceFails) {
  GrallocAllocator* allocator = nullptr;
  EXPECT_NE(GrallocAllocator_connect("/nonexistent/socket", &allocator), 0);
  EXPECT_EQ(allocator, nullptr);
  EXPECT_EQ(GrallocAllocator_openInProcess(nullptr, nullptr), 3);
}

}  // namespace
