// Copyright 2026 The gralloc for Linux Authors.
//
// Codec stand-in: vim2m, the kernel's virtual memory-to-memory device,
// processes one of our buffers into another, both imported as dma-bufs
// (V4L2_MEMORY_DMABUF on its OUTPUT and CAPTURE queues). The source is
// RGB_565 (V4L2 RGB565) written through the mapper, the destination RGB_888
// (V4L2 RGB24), with vertical flip on, so the device really transforms the
// picture. The result, read through the mapper, must be the upside-down
// source with each channel widened to 8 bits: the top 5, 6 and 5 bits of
// each output channel are exactly the source's. (The other direction is
// avoided: vim2m in Linux 6.1 writes the first pixel of each pair twice
// when it packs RGB565.)

#include <linux/videodev2.h>

#include <cstdint>
#include <iostream>
#include <memory>
#include <string>

#include "absl/strings/str_format.h"
#include "allocator/allocator.h"
#include "gtest/gtest.h"
#include "hal/base/fourcc.h"
#include "hal/base/status_matchers.h"
#include "hal/base/unique_fd.h"
#include "hal/types/buffer_usage.h"
#include "hal/types/pixel_format.h"
#include "hal/types/plane_layout.h"
#include "mapper/mapper.h"
#include "tests/vm/v4l2_stream.h"
#include "tests/vm/vm_test_util.h"

namespace gralloc {
namespace {

using ::gralloc::mapper::Buffer;
using ::gralloc::mapper::LockGuard;
using ::gralloc::mapper::Mapper;
using ::gralloc::vmtest::AllocateOne;
using ::gralloc::vmtest::FindVideoNode;
using ::gralloc::vmtest::MakeVmAllocator;
using ::gralloc::vmtest::V4l2Device;
using ::gralloc::vmtest::VmBuffer;

constexpr uint32_t kOutput = V4L2_BUF_TYPE_VIDEO_OUTPUT;    // into vim2m
constexpr uint32_t kCapture = V4L2_BUF_TYPE_VIDEO_CAPTURE;  // out of vim2m
constexpr int kWidth = 640;  // vim2m's largest size
constexpr int kHeight = 480;
constexpr int kTimeoutMs = 10000;

// The source's 5-6-5 channels: a ramp across, a ramp down, a diagonal.
int SourceRed5(int x, int y) { return x * 31 / (kWidth - 1); }
int SourceGreen6(int x, int y) { return y * 63 / (kHeight - 1); }
int SourceBlue5(int x, int y) { return (x + 2 * y) & 31; }

uint16_t SourcePixel(int x, int y) {
  return static_cast<uint16_t>(SourceRed5(x, y) << 11 |
                               SourceGreen6(x, y) << 5 | SourceBlue5(x, y));
}

class Vim2mCodecTest : public ::testing::Test {
 protected:
  void SetUp() override {
    node_ = FindVideoNode("vim2m");
    if (node_.empty()) {
      GTEST_SKIP() << "no vim2m node: not the VM tier's kernel "
                      "(tools/vm/run_vm.sh)";
    }
    ASSERT_OK_AND_ASSIGN(allocator_, MakeVmAllocator());
  }

  std::string node_;
  std::unique_ptr<Allocator> allocator_;
};

TEST_F(Vim2mCodecTest, ProcessesOneOfOurBuffersIntoAnother) {
  BufferDescriptorInfo source_info;
  source_info.name = "vm-vim2m-source";
  source_info.width = kWidth;
  source_info.height = kHeight;
  source_info.layer_count = 1;
  source_info.format = FormatValue(PixelFormat::RGB_565);
  source_info.usage = UsageValue(BufferUsage::VIDEO_ENCODER) |
                      UsageValue(BufferUsage::CPU_WRITE_OFTEN);
  ASSERT_OK_AND_ASSIGN(VmBuffer source, AllocateOne(*allocator_, source_info));

  BufferDescriptorInfo result_info = source_info;
  result_info.name = "vm-vim2m-result";
  result_info.format = FormatValue(PixelFormat::RGB_888);
  result_info.usage = UsageValue(BufferUsage::VIDEO_DECODER) |
                      UsageValue(BufferUsage::CPU_READ_OFTEN);
  ASSERT_OK_AND_ASSIGN(VmBuffer result, AllocateOne(*allocator_, result_info));
  std::cout << "source "
            << FourccToString(source.info.layout.format->drm_fourcc)
            << " stride " << source.info.layout.planes[0].stride_bytes
            << ", result "
            << FourccToString(result.info.layout.format->drm_fourcc)
            << " stride " << result.info.layout.planes[0].stride_bytes << "\n";

  // Write the source through the mapper.
  Mapper mapper;
  ASSERT_OK_AND_ASSIGN(buffer_handle_t source_handle,
                       mapper.Import(source.handle.get()));
  ASSERT_OK_AND_ASSIGN(std::shared_ptr<Buffer> source_buffer,
                       mapper.Get(source_handle));
  const uint32_t source_stride = source.info.layout.planes[0].stride_bytes;
  {
    ASSERT_OK_AND_ASSIGN(
        LockGuard lock,
        LockGuard::Acquire(*source_buffer,
                           UsageValue(BufferUsage::CPU_WRITE_OFTEN), Rect{},
                           UniqueFd()));
    auto* pixels = static_cast<uint8_t*>(lock.data());
    for (int y = 0; y < kHeight; ++y) {
      uint8_t* row = pixels + size_t{source_stride} * y;
      for (int x = 0; x < kWidth; ++x) {
        // RGB_565 is little-endian R:G:B in 16 bits, as V4L2's RGB565.
        const uint16_t pixel = SourcePixel(x, y);
        row[2 * x] = static_cast<uint8_t>(pixel & 0xff);
        row[2 * x + 1] = static_cast<uint8_t>(pixel >> 8);
      }
    }
  }

  ASSERT_OK_AND_ASSIGN(V4l2Device codec, V4l2Device::Open(node_));
  ASSERT_TRUE(codec.caps() & V4L2_CAP_VIDEO_M2M)
      << node_ << " is not a single-planar memory-to-memory node";
  // vim2m fixes bytesperline to width * bytes per pixel: the negotiated
  // strides must be exactly that for the device to use our buffers.
  ASSERT_OK_AND_ASSIGN(v4l2_pix_format in_format,
                       codec.SetFormat(kOutput, kWidth, kHeight,
                                       V4L2_PIX_FMT_RGB565, source_stride));
  ASSERT_EQ(in_format.pixelformat, V4L2_PIX_FMT_RGB565);
  ASSERT_EQ(in_format.bytesperline, source_stride);
  ASSERT_LE(in_format.sizeimage, source.info.allocation_size);
  const uint32_t result_stride = result.info.layout.planes[0].stride_bytes;
  ASSERT_OK_AND_ASSIGN(v4l2_pix_format out_format,
                       codec.SetFormat(kCapture, kWidth, kHeight,
                                       V4L2_PIX_FMT_RGB24, result_stride));
  ASSERT_EQ(out_format.pixelformat, V4L2_PIX_FMT_RGB24);
  ASSERT_EQ(out_format.width, static_cast<uint32_t>(kWidth));
  ASSERT_EQ(out_format.height, static_cast<uint32_t>(kHeight));
  ASSERT_EQ(out_format.bytesperline, result_stride);
  ASSERT_LE(out_format.sizeimage, result.info.allocation_size);
  ASSERT_OK(codec.SetControl(V4L2_CID_VFLIP, 1));

  ASSERT_OK_AND_ASSIGN(uint32_t in_count, codec.RequestDmaBufs(kOutput, 1));
  ASSERT_GE(in_count, 1u);
  ASSERT_OK_AND_ASSIGN(uint32_t out_count, codec.RequestDmaBufs(kCapture, 1));
  ASSERT_GE(out_count, 1u);
  ASSERT_OK(codec.QueueDmaBuf(
      kOutput, 0, source.fd(),
      static_cast<uint32_t>(source.info.allocation_size), in_format.sizeimage));
  ASSERT_OK(
      codec.QueueDmaBuf(kCapture, 0, result.fd(),
                        static_cast<uint32_t>(result.info.allocation_size), 0));
  ASSERT_OK(codec.StreamOn(kOutput));
  ASSERT_OK(codec.StreamOn(kCapture));
  ASSERT_OK_AND_ASSIGN(v4l2_buffer done, codec.Dequeue(kCapture, kTimeoutMs));
  EXPECT_EQ(done.flags & V4L2_BUF_FLAG_ERROR, 0u);
  EXPECT_EQ(done.bytesused, out_format.sizeimage);
  ASSERT_OK_AND_ASSIGN(v4l2_buffer consumed,
                       codec.Dequeue(kOutput, kTimeoutMs));
  EXPECT_EQ(consumed.index, 0u);
  ASSERT_OK(codec.StreamOff(kCapture));
  ASSERT_OK(codec.StreamOff(kOutput));

  // Read the result through the mapper.
  ASSERT_OK_AND_ASSIGN(buffer_handle_t result_handle,
                       mapper.Import(result.handle.get()));
  ASSERT_OK_AND_ASSIGN(std::shared_ptr<Buffer> result_buffer,
                       mapper.Get(result_handle));
  ASSERT_OK_AND_ASSIGN(
      LockGuard lock,
      LockGuard::Acquire(*result_buffer,
                         UsageValue(BufferUsage::CPU_READ_OFTEN), Rect{},
                         UniqueFd()));
  const auto* pixels = static_cast<const uint8_t*>(lock.data());
  int mismatches = 0;
  for (int y = 0; y < kHeight; ++y) {
    const uint8_t* row = pixels + size_t{result_stride} * y;
    for (int x = 0; x < kWidth; ++x) {
      const int flipped = kHeight - 1 - y;
      // RGB_888 is R, G, B in memory, as V4L2's RGB24.
      const uint8_t* p = row + 3 * x;
      const int want_r = SourceRed5(x, flipped);
      const int want_g = SourceGreen6(x, flipped);
      const int want_b = SourceBlue5(x, flipped);
      if ((p[0] >> 3 != want_r || p[1] >> 2 != want_g || p[2] >> 3 != want_b) &&
          ++mismatches <= 10) {
        ADD_FAILURE() << absl::StrFormat(
            "pixel (%d,%d) is (%d,%d,%d), want 5-6-5 (%d,%d,%d) widened", x, y,
            p[0], p[1], p[2], want_r, want_g, want_b);
      }
    }
  }
  EXPECT_EQ(mismatches, 0);
  ASSERT_OK(lock.Release());
  EXPECT_OK(mapper.Free(result_handle));
  EXPECT_OK(mapper.Free(source_handle));
}

}  // namespace
}  // namespace gralloc
