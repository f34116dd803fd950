// Copyright 2026 The gralloc for Linux Authors.
//
// Camera: vivid, the kernel's virtual camera, captures into buffers from our
// allocator. The buffers are allocated for CAMERA_OUTPUT|CPU_READ with the
// VM profile refined by probing vivid's formats, imported by the driver as
// dma-bufs (V4L2_MEMORY_DMABUF: REQBUFS, QBUF, STREAMON, DQBUF), and read
// back through the mapper. vivid's webcam input draws its default pattern,
// 75% colour bars; the frame must show the eight bars in order. One frame
// is saved as vm-camera-frame.ppm (tools/vm/run_vm.sh brings it home as
// docs/vm-camera-frame.png).

#include <linux/videodev2.h>

#include <array>
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
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
using ::gralloc::vmtest::ArtifactDir;
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

struct Rgb {
  int r, g, b;
};

// The 75% colour bars, left to right, as the test pattern generator draws
// them (drivers/media/common/v4l2-tpg: 75% of full scale is 191).
constexpr std::array<Rgb, 8> kBars = {{
    {191, 191, 191},  // white
    {191, 191, 0},    // yellow
    {0, 191, 191},    // cyan
    {0, 191, 0},      // green
    {191, 0, 191},    // magenta
    {191, 0, 0},      // red
    {0, 0, 191},      // blue
    {0, 0, 0},        // black
}};
constexpr const char* kBarNames[] = {"white",   "yellow", "cyan", "green",
                                     "magenta", "red",    "blue", "black"};
// Generous enough for limited-range quantization (191 -> 180, 0 -> 16),
// far too tight to confuse one bar with another.
constexpr int kTolerance = 28;

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

bool Near(int value, int expected) {
  return std::abs(value - expected) <= kTolerance;
}

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

  const int bar_width = kWidth / static_cast<int>(kBars.size());
  int mismatches = 0;
  for (int y : RowsToCheck()) {
    for (size_t bar = 0; bar < kBars.size(); ++bar) {
      // The middle half of each bar: edges may be filtered.
      for (int x = static_cast<int>(bar) * bar_width + bar_width / 4;
           x < static_cast<int>(bar + 1) * bar_width - bar_width / 4; ++x) {
        const uint8_t* p = pixels + size_t{stride} * y + size_t{4} * x;
        const Rgb& want = kBars[bar];
        if (!Near(p[0], want.r) || !Near(p[1], want.g) || !Near(p[2], want.b)) {
          if (++mismatches <= 10) {
            ADD_FAILURE() << absl::StrFormat(
                "pixel (%d,%d) in the %s bar is (%d,%d,%d), want about "
                "(%d,%d,%d)",
                x, y, kBarNames[bar], p[0], p[1], p[2], want.r, want.g, want.b);
          }
        }
      }
    }
  }
  EXPECT_EQ(mismatches, 0);

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

  // Luma falls from bar to bar (white, yellow, cyan, ... black), whatever
  // the YCbCr encoding; white and black are at the ends of the range, and
  // neither has colour (Cb and Cr at the midpoint).
  const int bar_width = kWidth / 8;
  for (int y : RowsToCheck()) {
    int previous = 256;
    for (int bar = 0; bar < 8; ++bar) {
      const int x = bar * bar_width + bar_width / 2;
      const int value = luma[size_t{stride} * y + x];
      EXPECT_LT(value, previous - 8)
          << "luma of the " << kBarNames[bar] << " bar at row " << y;
      previous = value;
      const uint8_t* cbcr = chroma + size_t{stride} * (y / 2) + (x & ~1);
      if (bar == 0 || bar == 7) {
        EXPECT_TRUE(Near(cbcr[0], 128) && Near(cbcr[1], 128))
            << kBarNames[bar] << " has colour: Cb " << int{cbcr[0]} << " Cr "
            << int{cbcr[1]};
      }
    }
    const int white = luma[size_t{stride} * y + bar_width / 2];
    const int black = luma[size_t{stride} * y + 7 * bar_width + bar_width / 2];
    EXPECT_TRUE(Near(white, 180)) << "white luma " << white;
    EXPECT_TRUE(Near(black, 16)) << "black luma " << black;
  }
}

}  // namespace
}  // namespace gralloc
