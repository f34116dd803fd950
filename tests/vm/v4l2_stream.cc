// Copyright 2026 The gralloc for Linux Authors.

#include "tests/vm/v4l2_stream.h"

#include <fcntl.h>
#include <poll.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <utility>

#include "absl/strings/str_cat.h"
#include "hal/base/fourcc.h"
#include "hal/base/ioctl.h"
#include "tests/vm/vm_test_util.h"

namespace gralloc::vmtest {
namespace {

absl::Status IoctlError(const char* what, const std::string& detail = "") {
  const int error = errno;
  return absl::ErrnoToStatus(error, absl::StrCat(what, detail));
}

}  // namespace

absl::StatusOr<V4l2Device> V4l2Device::Open(const std::string& path) {
  UniqueFd fd(open(path.c_str(), O_RDWR | O_NONBLOCK | O_CLOEXEC));
  if (!fd) return IoctlError("open ", path);
  v4l2_capability capability{};
  if (RetryIoctl(fd.get(), VIDIOC_QUERYCAP, &capability) != 0) {
    return IoctlError("VIDIOC_QUERYCAP on ", path);
  }
  const uint32_t caps = (capability.capabilities & V4L2_CAP_DEVICE_CAPS)
                            ? capability.device_caps
                            : capability.capabilities;
  return V4l2Device(std::move(fd), caps,
                    reinterpret_cast<const char*>(capability.driver));
}

absl::StatusOr<v4l2_pix_format> V4l2Device::SetFormat(uint32_t type,
                                                      uint32_t width,
                                                      uint32_t height,
                                                      uint32_t pixelformat,
                                                      uint32_t bytesperline) {
  v4l2_format format{};
  format.type = type;
  format.fmt.pix.width = width;
  format.fmt.pix.height = height;
  format.fmt.pix.pixelformat = pixelformat;
  format.fmt.pix.bytesperline = bytesperline;
  format.fmt.pix.field = V4L2_FIELD_NONE;
  if (RetryIoctl(fd(), VIDIOC_S_FMT, &format) != 0) {
    return IoctlError("VIDIOC_S_FMT ", FourccToString(pixelformat));
  }
  return format.fmt.pix;
}

absl::Status V4l2Device::SetControl(uint32_t id, int32_t value) {
  v4l2_control control{};
  control.id = id;
  control.value = value;
  if (RetryIoctl(fd(), VIDIOC_S_CTRL, &control) != 0) {
    return IoctlError("VIDIOC_S_CTRL 0x", absl::StrCat(absl::Hex(id)));
  }
  return absl::OkStatus();
}

absl::Status V4l2Device::SetInput(int index) {
  if (RetryIoctl(fd(), VIDIOC_S_INPUT, &index) != 0) {
    return IoctlError("VIDIOC_S_INPUT");
  }
  return absl::OkStatus();
}

absl::StatusOr<uint32_t> V4l2Device::RequestDmaBufs(uint32_t type,
                                                    uint32_t count) {
  v4l2_requestbuffers request{};
  request.type = type;
  request.memory = V4L2_MEMORY_DMABUF;
  request.count = count;
  if (RetryIoctl(fd(), VIDIOC_REQBUFS, &request) != 0) {
    return IoctlError("VIDIOC_REQBUFS(V4L2_MEMORY_DMABUF)");
  }
  return request.count;
}

absl::Status V4l2Device::QueueDmaBuf(uint32_t type, uint32_t index,
                                     int dmabuf_fd, uint32_t length,
                                     uint32_t bytesused) {
  v4l2_buffer buffer{};
  buffer.type = type;
  buffer.memory = V4L2_MEMORY_DMABUF;
  buffer.index = index;
  buffer.m.fd = dmabuf_fd;
  buffer.length = length;
  buffer.bytesused = bytesused;
  buffer.field = V4L2_FIELD_NONE;
  if (RetryIoctl(fd(), VIDIOC_QBUF, &buffer) != 0) {
    return IoctlError("VIDIOC_QBUF(V4L2_MEMORY_DMABUF) index ",
                      absl::StrCat(index));
  }
  return absl::OkStatus();
}

absl::Status V4l2Device::StreamOn(uint32_t type) {
  int value = static_cast<int>(type);
  if (RetryIoctl(fd(), VIDIOC_STREAMON, &value) != 0) {
    return IoctlError("VIDIOC_STREAMON");
  }
  return absl::OkStatus();
}

absl::Status V4l2Device::StreamOff(uint32_t type) {
  int value = static_cast<int>(type);
  if (RetryIoctl(fd(), VIDIOC_STREAMOFF, &value) != 0) {
    return IoctlError("VIDIOC_STREAMOFF");
  }
  return absl::OkStatus();
}

absl::StatusOr<v4l2_buffer> V4l2Device::Dequeue(uint32_t type, int timeout_ms) {
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  for (;;) {
    v4l2_buffer buffer{};
    buffer.type = type;
    buffer.memory = V4L2_MEMORY_DMABUF;
    // The node is non-blocking: EAGAIN means "no buffer yet", so this one
    // is not RetryIoctl(); an interrupted call is simply polled again.
    if (ioctl(fd(), VIDIOC_DQBUF, &buffer) == 0) return buffer;
    if (errno != EAGAIN && errno != EINTR) return IoctlError("VIDIOC_DQBUF");
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      return absl::DeadlineExceededError(
          absl::StrCat("VIDIOC_DQBUF: no buffer within ", timeout_ms, " ms"));
    }
    // Capture buffers are signalled as POLLIN, output buffers as POLLOUT
    // (a memory-to-memory node has both queues on one fd).
    const short events = V4L2_TYPE_IS_OUTPUT(type) ? POLLOUT : POLLIN;
    pollfd poll_fd{fd(), events, 0};
    const int ready = poll(&poll_fd, 1, static_cast<int>(left.count()));
    if (ready < 0 && errno != EINTR) return IoctlError("poll");
    if (poll_fd.revents & POLLERR) {
      return absl::InternalError("poll: POLLERR (is the queue streaming?)");
    }
  }
}

}  // namespace gralloc::vmtest
