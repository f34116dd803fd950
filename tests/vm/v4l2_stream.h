// Copyright 2026 The gralloc for Linux Authors.
//
// tests/vm/v4l2_stream.h: a V4L2 video node streaming into and out of
// dma-bufs it imports (V4L2_MEMORY_DMABUF), as a camera or codec service
// would use buffers from our allocator. Single-planar API only (vivid's and
// vim2m's defaults). Test-only.
//
//   ASSERT_OK_AND_ASSIGN(V4l2Device camera, V4l2Device::Open(node));
//   ASSERT_OK_AND_ASSIGN(v4l2_pix_format format,
//                        camera.SetFormat(kCapture, 640, 360,
//                                         V4L2_PIX_FMT_RGBA32, stride));
//   ASSERT_OK_AND_ASSIGN(uint32_t count, camera.RequestDmaBufs(kCapture, 4));
//   ASSERT_OK(camera.QueueDmaBuf(kCapture, 0, fd, size_bytes, 0));
//   ASSERT_OK(camera.StreamOn(kCapture));
//   ASSERT_OK_AND_ASSIGN(v4l2_buffer frame, camera.Dequeue(kCapture, 5000));
//
// Errors keep the ioctl's errno and name it. Closing the device (the
// destructor) stops streaming and releases the imported buffers.

#ifndef GRALLOC_TESTS_VM_V4L2_STREAM_H_
#define GRALLOC_TESTS_VM_V4L2_STREAM_H_

#include <linux/videodev2.h>

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "hal/base/unique_fd.h"

namespace gralloc::vmtest {

class V4l2Device final {
 public:
  // Opens `path` read-write, non-blocking, and queries its capabilities.
  static absl::StatusOr<V4l2Device> Open(const std::string& path);

  V4l2Device(V4l2Device&&) = default;
  V4l2Device& operator=(V4l2Device&&) = default;

  int fd() const { return fd_.get(); }
  // The node's own capabilities (device_caps).
  uint32_t caps() const { return caps_; }
  // The driver's name ("vivid", "vim2m").
  const std::string& driver() const { return driver_; }

  // VIDIOC_S_FMT for single-planar `type`; returns what the driver chose,
  // which may differ from what was asked.
  absl::StatusOr<v4l2_pix_format> SetFormat(uint32_t type, uint32_t width,
                                            uint32_t height,
                                            uint32_t pixelformat,
                                            uint32_t bytesperline);
  // VIDIOC_S_CTRL.
  absl::Status SetControl(uint32_t id, int32_t value);
  // VIDIOC_S_INPUT.
  absl::Status SetInput(int index);
  // VIDIOC_REQBUFS with V4L2_MEMORY_DMABUF; returns the count granted.
  absl::StatusOr<uint32_t> RequestDmaBufs(uint32_t type, uint32_t count);
  // VIDIOC_QBUF of the dma-buf `dmabuf_fd` (borrowed) as buffer `index`.
  // `length` is the buffer's size; `bytesused` matters for output queues.
  absl::Status QueueDmaBuf(uint32_t type, uint32_t index, int dmabuf_fd,
                           uint32_t length, uint32_t bytesused);
  absl::Status StreamOn(uint32_t type);
  absl::Status StreamOff(uint32_t type);
  // Waits up to `timeout_ms` for a buffer of `type` and dequeues it
  // (VIDIOC_DQBUF). DeadlineExceeded if none came.
  absl::StatusOr<v4l2_buffer> Dequeue(uint32_t type, int timeout_ms);

 private:
  V4l2Device(UniqueFd fd, uint32_t caps, std::string driver)
      : fd_(std::move(fd)), caps_(caps), driver_(std::move(driver)) {}

  UniqueFd fd_;
  uint32_t caps_ = 0;
  std::string driver_;
};

}  // namespace gralloc::vmtest

#endif  // GRALLOC_TESTS_VM_V4L2_STREAM_H_
