// Copyright 2026 The gralloc for Linux Authors.
//
// Camera: vivid, the kernel's virtual camera, captures into buffers from our
// allocator. The buffers are allocated for CAMERA_OUTPUT|CPU_READ with the
// VM profile refined by probing vivid's formats, imported by the driver as
// dma-bufs (V4L2_MEMORY_DMABUF: REQBUFS, QBUF, STREAMON, DQBUF), and read
// back through the mapper. vivid's webcam input draws its default pattern,
// 75% colour bars; the frame must show the eight bars in order
// (colour_bars.h). One frame is saved as vm-camera-frame.ppm
// (tools/vm/run_vm.sh brings it home as docs/vm-camera-frame.png).

#include <linux/videodev2.h>

#include <cstdint>
#include <iostream>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "allocator/allocator.h"
#include "gtest/gtest.h"
#include "hal/base/fourcc.h"
#include "hal/base/status_matchers.h"
#include "hal/base/unique_fd.h"
#include "hal/types/buffer_usage.h"
#include "hal/types/pixel_format.h"
#include "hal/types/plane_layout.h"
#include "mapper/mapper.h"
#include "tests/vm/colour_bars.h"
#include "tests/vm/v4l2_stream.h"
#include "tests/vm/vm_test_util.h"

namespace gralloc {
namespace {

using ::gralloc::mapper::Buffer;
using ::gralloc::mapper::LockGuard;
using ::gralloc::mapper::Mapper;
using ::gralloc::vmtest::ArtifactDir;
using ::gralloc::vmtest::BarCheck;
using ::gralloc::vmtest::CheckNv12ColourBars;
using ::gralloc::vmtest::CheckRgbaColourBars;
using ::gralloc::vmtest::FindVideoNode;
using ::gralloc::vmtest::MakeVmAllocator;
using ::gralloc::vmtest::V4l2Device;
using ::gralloc::vmtest::WritePpm;

constexpr uint32_t kCapture = V4L2_BUF_TYPE_VIDEO_CAPTURE;
constexpr uint64_t kCameraUsage = UsageValue(BufferUsage::CAMERA_OUTPUT) |
                                  UsageValue(BufferUsage::CPU_READ_OFTEN);
// vivid's webcam sizes are discrete; 640x360 is one of them.
constexpr int kWidth = 640;
constexpr int kHeight = 360;
constexpr int kBufferCount = 4;
constexpr int kFrameTimeoutMs = 10000;  // TCG is slow; vivid runs at 30 fps

// vivid's private control "OSD Text Mode" (drivers/media/test-drivers/
// vivid/vivid-ctrls.c: VIVID_CID_VIVID_BASE + 1) and its value "None": no
// text drawn over the top rows of the pattern.
constexpr uint32_t kVividOsdTextMode = 0x00f0f000 + 1;
constexpr int32_t kOsdNone = 2;

class VividCameraTest : public ::testing::Test {
 protected:
  void SetUp() override {
    node_ = FindVideoNode("vivid-000-vid-cap");
    if (node_.empty()) {
      GTEST_SKIP() << "no vivid capture node: not the VM tier's kernel "
                      "(tools/vm/run_vm.sh)";
    }
    ASSERT_OK_AND_ASSIGN(allocator_, MakeVmAllocator());
  }

  // Captures one frame of `format` (an Android format whose layout's fourcc
  // vivid also speaks) into buffers from our allocator and returns the
  // buffer it landed in, imported through the mapper, plus the V4L2 format.
  struct Frame {
    std::shared_ptr<Buffer> buffer;
    v4l2_pix_format format;
    uint32_t sequence;
  };
  void Capture(PixelFormat format, uint32_t v4l2_format, Frame* frame) {
    BufferDescriptorInfo info;
    info.name = "vm-vivid-capture";
    info.width = kWidth;
    info.height = kHeight;
    info.layer_count = 1;
    info.format = FormatValue(format);
    info.usage = kCameraUsage;
    ASSERT_OK_AND_ASSIGN(Allocation allocation,
                         allocator_->Allocate(info, kBufferCount));
    ASSERT_EQ(allocation.buffers.size(), static_cast<size_t>(kBufferCount));
    std::vector<HandleInfo> infos;
    for (const AllocatedBuffer& buffer : allocation.buffers) {
      ASSERT_OK_AND_ASSIGN(infos.emplace_back(),
                           DecodeHandle(buffer.handle.get()));
      // Real dma-bufs, or vivid could not import them.
      ASSERT_NE(infos.back().backend, HandleBackend::kMemfd);
    }
    // The buffer's own fourcc is the V4L2 pixel format: the codes agree for
    // the formats used here (AB24 is RGBA32, NV12 is NV12).
    ASSERT_EQ(infos[0].layout.format->drm_fourcc, v4l2_format)
        << "negotiated " << FourccToString(infos[0].layout.format->drm_fourcc);
    std::cout << "camera buffers: "
              << FourccToString(infos[0].layout.format->drm_fourcc) << " "
              << kWidth << "x" << kHeight << " stride "
              << infos[0].layout.planes[0].stride_bytes << " size "
              << infos[0].allocation_size << " on "
              << allocation.buffers[0].heap.name << "\n";

    ASSERT_OK_AND_ASSIGN(V4l2Device camera, V4l2Device::Open(node_));
    ASSERT_TRUE(camera.caps() & V4L2_CAP_VIDEO_CAPTURE)
        << node_ << " is not a single-planar capture node";
    ASSERT_TRUE(camera.caps() & V4L2_CAP_STREAMING);
    ASSERT_OK(camera.SetInput(0));  // the webcam input
    const absl::Status osd = camera.SetControl(kVividOsdTextMode, kOsdNone);
    osd_off_ = osd.ok();
    if (!osd_off_) std::cout << "OSD text stays on: " << osd << "\n";

    // Our stride goes to the driver; it must keep it, since the buffer was
    // laid out with it.
    const LaidOutPlane& plane = infos[0].layout.planes[0];
    ASSERT_OK_AND_ASSIGN(
        frame->format, camera.SetFormat(kCapture, kWidth, kHeight, v4l2_format,
                                        plane.stride_bytes));
    ASSERT_EQ(frame->format.pixelformat, v4l2_format);
    ASSERT_EQ(frame->format.width, static_cast<uint32_t>(kWidth));
    ASSERT_EQ(frame->format.height, static_cast<uint32_t>(kHeight));
    ASSERT_EQ(frame->format.bytesperline, plane.stride_bytes);
    ASSERT_LE(frame->format.sizeimage, infos[0].allocation_size);

    ASSERT_OK_AND_ASSIGN(uint32_t granted,
                         camera.RequestDmaBufs(kCapture, kBufferCount));
    ASSERT_EQ(granted, static_cast<uint32_t>(kBufferCount));
    for (int i = 0; i < kBufferCount; ++i) {
      ASSERT_OK(camera.QueueDmaBuf(
          kCapture, i, HandleBufferFd(allocation.buffers[i].handle.get()),
          static_cast<uint32_t>(infos[i].allocation_size), 0));
    }
    ASSERT_OK(camera.StreamOn(kCapture));
    // Two frames: the second proves buffers cycle, and by then the
    // control changes above have certainly reached the generator.
    v4l2_buffer dequeued{};
    for (int n = 0; n < 2; ++n) {
      ASSERT_OK_AND_ASSIGN(dequeued, camera.Dequeue(kCapture, kFrameTimeoutMs));
      ASSERT_EQ(dequeued.flags & V4L2_BUF_FLAG_ERROR, 0u);
      ASSERT_EQ(dequeued.bytesused, frame->format.sizeimage);
      ASSERT_LT(dequeued.index, static_cast<uint32_t>(kBufferCount));
      if (n == 0) {
        ASSERT_OK(camera.QueueDmaBuf(
            kCapture, dequeued.index,
            HandleBufferFd(allocation.buffers[dequeued.index].handle.get()),
            static_cast<uint32_t>(infos[dequeued.index].allocation_size), 0));
      }
    }
    frame->sequence = dequeued.sequence;
    ASSERT_OK(camera.StreamOff(kCapture));

    ASSERT_OK_AND_ASSIGN(
        buffer_handle_t imported,
        mapper_.Import(allocation.buffers[dequeued.index].handle.get()));
    ASSERT_OK_AND_ASSIGN(frame->buffer, mapper_.Get(imported));
  }

  // Rows to check: the top rows when the on-screen text is off (as the
  // pattern starts there), and rows below any text either way.
  std::vector<int> RowsToCheck() const {
    std::vector<int> rows = {kHeight / 2, kHeight - 4};
    if (osd_off_) rows.insert(rows.begin(), {0, 2, 8});
    return rows;
  }

  std::string node_;
  std::unique_ptr<Allocator> allocator_;
  Mapper mapper_;
  bool osd_off_ = false;
};

TEST_F(VividCameraTest, CapturesColourBarsIntoOurRgbaBuffers) {
  Frame frame;
  ASSERT_NO_FATAL_FAILURE(
      Capture(PixelFormat::RGBA_8888, V4L2_PIX_FMT_RGBA32, &frame));
  const uint32_t stride = frame.format.bytesperline;
  ASSERT_OK_AND_ASSIGN(
      LockGuard lock,
      LockGuard::Acquire(*frame.buffer, UsageValue(BufferUsage::CPU_READ_OFTEN),
                         Rect{}, UniqueFd()));
  const auto* pixels = static_cast<const uint8_t*>(lock.data());

  const BarCheck bars =
      CheckRgbaColourBars(pixels, stride, kWidth, RowsToCheck());
  for (const std::string& mismatch : bars.first_mismatches) {
    ADD_FAILURE() << mismatch;
  }
  EXPECT_EQ(bars.mismatches, 0);

  // Keep the frame for people to look at.
  const std::string dir = ArtifactDir();
  if (!dir.empty()) {
    std::vector<uint8_t> rgb;
    rgb.reserve(size_t{kWidth} * kHeight * 3);
    for (int y = 0; y < kHeight; ++y) {
      const uint8_t* row = pixels + size_t{stride} * y;
      for (int x = 0; x < kWidth; ++x) {
        rgb.insert(rgb.end(), row + 4 * x, row + 4 * x + 3);
      }
    }
    const std::string path = dir + "/vm-camera-frame.ppm";
    EXPECT_OK(WritePpm(path, kWidth, kHeight, rgb));
    std::cout << "wrote " << path << " (frame " << frame.sequence << ")\n";
  }
}

TEST_F(VividCameraTest, CapturesColourBarsIntoOurNv12Buffers) {
  // YCBCR_420_888 is flexible; for the camera it resolves to NV12, which
  // vivid writes as one buffer: Y rows, then interleaved CbCr rows.
  Frame frame;
  ASSERT_NO_FATAL_FAILURE(
      Capture(PixelFormat::YCBCR_420_888, V4L2_PIX_FMT_NV12, &frame));
  const HandleInfo& info = frame.buffer->info();
  const uint32_t stride = frame.format.bytesperline;
  ASSERT_EQ(info.layout.plane_count, 2);
  // Single-planar NV12 puts CbCr right after the Y plane.
  ASSERT_EQ(info.layout.planes[1].offset_bytes, uint64_t{stride} * kHeight)
      << "our layout and V4L2's single-planar NV12 disagree";
  ASSERT_OK_AND_ASSIGN(
      LockGuard lock,
      LockGuard::Acquire(*frame.buffer, UsageValue(BufferUsage::CPU_READ_OFTEN),
                         Rect{}, UniqueFd()));
  const auto* luma = static_cast<const uint8_t*>(lock.data());
  const uint8_t* chroma = luma + info.layout.planes[1].offset_bytes;

  // Luma falls from bar to bar, white and black have no colour
  // (colour_bars.h).
  const BarCheck bars =
      CheckNv12ColourBars(luma, chroma, stride, kWidth, RowsToCheck());
  for (const std::string& mismatch : bars.first_mismatches) {
    ADD_FAILURE() << mismatch;
  }
  EXPECT_EQ(bars.mismatches, 0);
}

}  // namespace
}  // namespace gralloc
