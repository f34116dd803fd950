// Copyright 2026 The gralloc for Linux Authors.
//
// gralloc_pipeline: the HAL doing its job, in separate processes.
//
//   service  gralloc_allocatord on a private socket (started here)
//   camera   allocates its frames from the service with
//            CAMERA_OUTPUT|VIDEO_ENCODER|COMPOSER_OVERLAY and CPU access,
//            writes a moving test pattern under lock, sets the dataspace and
//            crop, and passes the handles over Unix sockets (SCM_RIGHTS)
//   codec    imports them, locks for reading, verifies the pattern and
//            computes a checksum, as a CPU encoder stand-in would
//   display  imports them as a composer would and checks the metadata the
//            camera set (dataspace, crop)
//
// It prints the negotiated plan, per-stage latencies (p50/p99) and the
// frames verified, shuts everything down, and exits non-zero on any
// mismatch. The codec reads with the CPU, so the camera names CPU reads in
// its usage too: every future user of a buffer is named up front.
//
//   gralloc_pipeline --service=PATH/gralloc_allocatord [--frames=N]
//                    [--width=W --height=H --buffers=K]
//                    [--corrupt-frame=N]   (self-test: must then fail)

#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "allocator/client/service_client.h"
#include "allocator/negotiation/participants.h"
#include "allocator/service/seqpacket.h"
#include "android/hardware/graphics/mapper/IMapper.h"
#include "cutils/native_handle.h"
#include "hal/handle/buffer_handle.h"
#include "hal/metadata/metadata_codec.h"
#include "hal/metadata/metadata_types.h"
#include "hal/types/buffer_usage.h"
#include "hal/types/pixel_format.h"
#include "hal/usage/usage.h"

namespace gralloc {
namespace {

using Clock = std::chrono::steady_clock;

struct Options {
  std::string service;
  int frames = 120;
  int width = 640;
  int height = 480;
  int buffers = 4;
  // Self-test of the failure path: the camera spoils this frame's pattern,
  // and the pipeline must fail. -1: never.
  int corrupt_frame = -1;
};

constexpr uint64_t U(BufferUsage usage) { return static_cast<uint64_t>(usage); }
const uint64_t kUsage =
    U(BufferUsage::CAMERA_OUTPUT) | U(BufferUsage::VIDEO_ENCODER) |
    U(BufferUsage::COMPOSER_OVERLAY) | U(BufferUsage::CPU_WRITE_OFTEN) |
    U(BufferUsage::CPU_READ_OFTEN);

// What travels between the processes (same binary, so plain structs).
enum MessageType : int32_t { kBuffer = 1, kFrame = 2, kDone = 3, kEnd = 4 };
struct Message {
  MessageType type;
  int32_t buffer;  // index
  int32_t frame;
  int32_t ok;
  uint64_t checksum;
  int32_t ints[kHandleNumInts];
};

// Latency samples in microseconds.
class Samples {
 public:
  void Add(Clock::time_point start) {
    us_.push_back(
        std::chrono::duration<double, std::micro>(Clock::now() - start)
            .count());
  }
  std::string Summary() const {
    if (us_.empty()) return "-";
    std::vector<double> sorted = us_;
    std::sort(sorted.begin(), sorted.end());
    auto at = [&](double q) {
      return sorted[std::min(sorted.size() - 1,
                             static_cast<size_t>(q * sorted.size()))];
    };
    return absl::StrFormat("p50 %7.1f us  p99 %7.1f us  (n=%d)", at(0.5),
                           at(0.99), sorted.size());
  }

 private:
  std::vector<double> us_;
};

int Fail(const std::string& who, const std::string& what) {
  std::fprintf(stderr, "%s: FAILED: %s\n", who.c_str(), what.c_str());
  return 1;
}

bool Send(int socket, const Message& message, const native_handle_t* handle) {
  std::vector<int> fds;
  if (handle != nullptr) {
    for (int i = 0; i < handle->numFds; ++i) fds.push_back(handle->data[i]);
  }
  return service::SendDatagram(
             socket,
             absl::Span<const uint8_t>(
                 reinterpret_cast<const uint8_t*>(&message), sizeof(message)),
             fds)
      .ok();
}

bool Receive(int socket, Message* message, std::vector<UniqueFd>* fds) {
  absl::StatusOr<service::Datagram> datagram = service::ReceiveDatagram(socket);
  if (!datagram.ok() || datagram->bytes.size() != sizeof(Message)) return false;
  std::memcpy(message, datagram->bytes.data(), sizeof(Message));
  if (fds != nullptr) *fds = std::move(datagram->fds);
  return true;
}

// The moving test pattern: each plane's byte at (x, y) of frame f.
uint8_t Pattern(int plane, int64_t x, int64_t y, int frame) {
  return static_cast<uint8_t>(plane * 85 + x * (plane + 1) + y * 3 + frame * 5);
}

// A standard metadata value of `buffer`, read as a client does: the size,
// then the bytes, then the codec.
template <StandardMetadataType type>
absl::StatusOr<MetadataValue<type>> GetMetadata(AIMapper* mapper,
                                                buffer_handle_t buffer) {
  const auto value = static_cast<int64_t>(type);
  const int32_t size =
      mapper->v5.getStandardMetadata(buffer, value, nullptr, 0);
  std::vector<uint8_t> bytes(static_cast<size_t>(std::max(0, size)));
  mapper->v5.getStandardMetadata(buffer, value, bytes.data(), bytes.size());
  return DecodeMetadata<type>(bytes.data(), bytes.size());
}

std::vector<PlaneLayout> PlaneLayouts(AIMapper* mapper,
                                      buffer_handle_t buffer) {
  return GetMetadata<StandardMetadataType::PLANE_LAYOUTS>(mapper, buffer)
      .value_or(std::vector<PlaneLayout>{});
}

// Visits every visible byte of every plane: fn(plane, x_byte, y, pointer).
template <typename Fn>
void ForEachByte(const std::vector<PlaneLayout>& planes, uint8_t* base, Fn fn) {
  for (size_t p = 0; p < planes.size(); ++p) {
    const PlaneLayout& plane = planes[p];
    const int64_t row_bytes =
        plane.width_in_samples * plane.sample_increment_in_bits / 8;
    for (int64_t y = 0; y < plane.height_in_samples; ++y) {
      uint8_t* row = base + plane.offset_in_bytes + y * plane.stride_in_bytes;
      for (int64_t x = 0; x < row_bytes; ++x)
        fn(static_cast<int>(p), x, y, row + x);
    }
  }
}

Rect CropOf(int frame, const Options& options) {
  return Rect{frame % 16, 0, options.width, options.height - 8};
}

buffer_handle_t ImportReceived(AIMapper* mapper, const Message& message,
                               std::vector<UniqueFd>* fds) {
  if (fds->size() != kHandleNumFds) return nullptr;
  native_handle_t* raw = native_handle_create(kHandleNumFds, kHandleNumInts);
  for (int i = 0; i < kHandleNumFds; ++i) raw->data[i] = (*fds)[i].get();
  std::memcpy(&raw->data[kHandleNumFds], message.ints, sizeof(message.ints));
  buffer_handle_t imported = nullptr;
  const bool ok =
      mapper->v5.importBuffer(raw, &imported) == AIMAPPER_ERROR_NONE;
  native_handle_delete(raw);  // the fds stay owned by `fds`
  fds->clear();               // closes them: the import holds its own
  return ok ? imported : nullptr;
}

// Receives the camera's messages until the next frame, importing the
// buffers it announces on the way (timed into `import`): true with
// `*frame` set, false at the end or on an error (`*error` set).
bool NextFrame(int socket, AIMapper* mapper,
               std::vector<buffer_handle_t>* buffers, Samples* import,
               Message* frame, const char** error) {
  for (;;) {
    *frame = Message{};
    std::vector<UniqueFd> fds;
    if (!Receive(socket, frame, &fds)) {
      *error = "lost the camera";
      return false;
    }
    if (frame->type == kEnd) return false;
    if (frame->type != kBuffer) return true;
    const auto start = Clock::now();
    buffer_handle_t buffer = ImportReceived(mapper, *frame, &fds);
    import->Add(start);
    if (buffer == nullptr) {
      *error = "import failed";
      return false;
    }
    buffers->push_back(buffer);
  }
}

// --- the codec ----------------------------------------------------------

int RunCodec(int socket, const Options& options) {
  AIMapper* mapper = nullptr;
  AIMapper_loadIMapper(&mapper);
  std::vector<buffer_handle_t> buffers;
  Samples import, lock, unlock;
  int verified = 0;
  uint64_t checksum = 1469598103934665603ull;  // FNV-1a over every frame
  Message message;
  const char* error = nullptr;
  while (NextFrame(socket, mapper, &buffers, &import, &message, &error)) {
    buffer_handle_t buffer = buffers.at(static_cast<size_t>(message.buffer));
    void* data = nullptr;
    auto start = Clock::now();
    if (mapper->v5.lock(buffer, U(BufferUsage::CPU_READ_OFTEN),
                        ARect{0, 0, 0, 0}, -1, &data) != AIMAPPER_ERROR_NONE) {
      return Fail("codec", "lock failed");
    }
    lock.Add(start);
    bool ok = true;
    ForEachByte(PlaneLayouts(mapper, buffer), static_cast<uint8_t*>(data),
                [&](int plane, int64_t x, int64_t y, uint8_t* byte) {
                  ok &= *byte == Pattern(plane, x, y, message.frame);
                  checksum = (checksum ^ *byte) * 1099511628211ull;
                });
    int fence = -1;
    start = Clock::now();
    mapper->v5.unlock(buffer, &fence);
    unlock.Add(start);
    verified += ok;
    Message reply{};
    reply.type = kDone;
    reply.frame = message.frame;
    reply.ok = ok;
    if (!Send(socket, reply, nullptr)) return Fail("codec", "lost the camera");
  }
  if (error != nullptr) return Fail("codec", error);
  for (buffer_handle_t buffer : buffers) mapper->v5.freeBuffer(buffer);
  std::printf("codec:    import %s\n", import.Summary().c_str());
  std::printf("codec:    lock   %s\n", lock.Summary().c_str());
  std::printf("codec:    unlock %s\n", unlock.Summary().c_str());
  std::printf("codec:    %d/%d frames verified, checksum 0x%016llx\n", verified,
              options.frames, static_cast<unsigned long long>(checksum));
  return verified == options.frames ? 0 : Fail("codec", "pattern mismatch");
}

// --- the display ----------------------------------------------------------

int RunDisplay(int socket, const Options& options) {
  AIMapper* mapper = nullptr;
  AIMapper_loadIMapper(&mapper);
  std::vector<buffer_handle_t> buffers;
  Samples import, metadata;
  int verified = 0;
  Message message;
  const char* error = nullptr;
  while (NextFrame(socket, mapper, &buffers, &import, &message, &error)) {
    buffer_handle_t buffer = buffers.at(static_cast<size_t>(message.buffer));
    const auto start = Clock::now();
    absl::StatusOr<Dataspace> dataspace =
        GetMetadata<StandardMetadataType::DATASPACE>(mapper, buffer);
    absl::StatusOr<std::vector<Rect>> crop =
        GetMetadata<StandardMetadataType::CROP>(mapper, buffer);
    metadata.Add(start);
    const bool ok = dataspace.ok() && *dataspace == Dataspace::BT709 &&
                    crop.ok() && crop->size() == 1 &&
                    (*crop)[0] == CropOf(message.frame, options);
    verified += ok;
    Message reply{};
    reply.type = kDone;
    reply.frame = message.frame;
    reply.ok = ok;
    if (!Send(socket, reply, nullptr))
      return Fail("display", "lost the camera");
  }
  if (error != nullptr) return Fail("display", error);
  for (buffer_handle_t buffer : buffers) mapper->v5.freeBuffer(buffer);
  std::printf("display:  import %s\n", import.Summary().c_str());
  std::printf("display:  read metadata %s\n", metadata.Summary().c_str());
  std::printf(
      "display:  %d/%d frames with the dataspace (BT709) and crop the "
      "camera set\n",
      verified, options.frames);
  return verified == options.frames ? 0 : Fail("display", "metadata mismatch");
}

// --- the camera -----------------------------------------------------------

void PrintPlan(const Allocation& allocation, const Options& options) {
  const BufferLayout& layout = allocation.layout;
  const HeapIdentity& heap = allocation.buffers[0].heap;
  std::vector<std::string> who;
  for (const SelectedParticipant& s : SelectParticipants(kUsage)) {
    who.push_back(
        absl::StrCat(ParticipantName(s.participant), " <- ", s.reason));
  }
  std::printf("plan:     %dx%d YCBCR_420_888 for %s\n", options.width,
              options.height, absl::StrJoin(who, "; ").c_str());
  std::printf(
      "plan:     layout %s, modifier 0x%llx, stride %d px, %llu bytes\n",
      std::string(layout.format->name).c_str(),
      static_cast<unsigned long long>(layout.modifier), layout.stride_px,
      static_cast<unsigned long long>(layout.total_size_bytes));
  for (int i = 0; i < layout.plane_count; ++i) {
    const LaidOutPlane& plane = layout.planes[i];
    std::printf("plan:     plane %d: offset %llu, stride %llu B, %llu bytes\n",
                i, static_cast<unsigned long long>(plane.offset_bytes),
                static_cast<unsigned long long>(plane.stride_bytes),
                static_cast<unsigned long long>(plane.size_bytes));
  }
  std::printf("plan:     heap %s%s\n", heap.ToString().c_str(),
              heap.caps.device_importable
                  ? ""
                  : " -- memfd: no device can import this; on a machine with "
                    "dma-buf heaps the same request lands there");
}

int RunCamera(int codec, int display, const std::string& socket,
              const Options& options) {
  absl::StatusOr<std::unique_ptr<ServiceClient>> client =
      ServiceClient::Connect(socket);
  if (!client.ok())
    return Fail("camera", std::string(client.status().message()));
  AIMapper* mapper = nullptr;
  AIMapper_loadIMapper(&mapper);

  BufferDescriptorInfo info;
  info.name = "camera-frame";
  info.width = options.width;
  info.height = options.height;
  info.layer_count = 1;
  info.format = static_cast<int32_t>(PixelFormat::YCBCR_420_888);
  info.usage = kUsage;

  // Allocation latency over a few extra buffers, released at once.
  Samples allocate;
  for (int i = 0; i < 32; ++i) {
    const auto start = Clock::now();
    absl::StatusOr<Allocation> extra = (*client)->Allocate(info, 1);
    allocate.Add(start);
    if (!extra.ok())
      return Fail("camera", std::string(extra.status().message()));
    (void)(*client)->Release(extra->buffers[0].info.buffer_id);
  }
  std::vector<Allocation> frames;
  for (int i = 0; i < options.buffers; ++i) {
    const auto start = Clock::now();
    absl::StatusOr<Allocation> allocation = (*client)->Allocate(info, 1);
    allocate.Add(start);
    if (!allocation.ok()) {
      return Fail("camera", std::string(allocation.status().message()));
    }
    frames.push_back(std::move(allocation).value());
  }
  PrintPlan(frames[0], options);

  std::vector<buffer_handle_t> buffers;
  for (int i = 0; i < options.buffers; ++i) {
    const native_handle_t* raw = frames[i].buffers[0].handle.get();
    buffer_handle_t imported = nullptr;
    if (mapper->v5.importBuffer(raw, &imported) != AIMAPPER_ERROR_NONE) {
      return Fail("camera", "import failed");
    }
    buffers.push_back(imported);
    Message message{};
    message.type = kBuffer;
    message.buffer = i;
    std::memcpy(message.ints, &raw->data[raw->numFds], sizeof(message.ints));
    if (!Send(codec, message, raw) || !Send(display, message, raw)) {
      return Fail("camera", "could not pass a handle");
    }
  }

  Samples lock, unlock;
  for (int frame = 0; frame < options.frames; ++frame) {
    const int index = frame % options.buffers;
    buffer_handle_t buffer = buffers[index];
    void* data = nullptr;
    auto start = Clock::now();
    if (mapper->v5.lock(buffer, U(BufferUsage::CPU_WRITE_OFTEN),
                        ARect{0, 0, 0, 0}, -1, &data) != AIMAPPER_ERROR_NONE) {
      return Fail("camera", "lock failed");
    }
    lock.Add(start);
    ForEachByte(PlaneLayouts(mapper, buffer), static_cast<uint8_t*>(data),
                [&](int plane, int64_t x, int64_t y, uint8_t* byte) {
                  *byte = Pattern(plane, x, y, frame);
                });
    if (frame == options.corrupt_frame) static_cast<uint8_t*>(data)[7] ^= 0xff;
    int fence = -1;
    start = Clock::now();
    mapper->v5.unlock(buffer, &fence);
    unlock.Add(start);
    // Metadata is written before the buffer is handed on (the mapper's rule:
    // fences do not protect metadata).
    uint8_t bytes[256];
    const size_t dataspace_size =
        EncodeMetadata<StandardMetadataType::DATASPACE>(Dataspace::BT709, bytes,
                                                        sizeof(bytes));
    mapper->v5.setStandardMetadata(
        buffer, static_cast<int64_t>(StandardMetadataType::DATASPACE), bytes,
        dataspace_size);
    const std::vector<Rect> crop = {CropOf(frame, options)};
    const size_t crop_size =
        EncodeMetadata<StandardMetadataType::CROP>(crop, bytes, sizeof(bytes));
    mapper->v5.setStandardMetadata(
        buffer, static_cast<int64_t>(StandardMetadataType::CROP), bytes,
        crop_size);

    Message message{};
    message.type = kFrame;
    message.buffer = index;
    message.frame = frame;
    if (!Send(codec, message, nullptr) || !Send(display, message, nullptr)) {
      return Fail("camera", "lost a consumer");
    }
    Message reply{};
    if (!Receive(codec, &reply, nullptr) ||
        !Receive(display, &reply, nullptr)) {
      return Fail("camera", "lost a consumer");
    }
  }
  Message end{};
  end.type = kEnd;
  Send(codec, end, nullptr);
  Send(display, end, nullptr);
  for (buffer_handle_t buffer : buffers) mapper->v5.freeBuffer(buffer);
  std::printf("camera:   allocate %s\n", allocate.Summary().c_str());
  std::printf("camera:   lock     %s\n", lock.Summary().c_str());
  std::printf("camera:   unlock   %s\n", unlock.Summary().c_str());
  std::printf("camera:   %d frames written\n", options.frames);
  return 0;
}

// --- orchestration --------------------------------------------------------

pid_t StartService(const Options& options, const std::string& socket) {
  const pid_t pid = fork();
  if (pid == 0) {
    execl(options.service.c_str(), options.service.c_str(),
          ("--socket=" + socket).c_str(), static_cast<char*>(nullptr));
    std::perror("exec gralloc_allocatord");
    _exit(127);
  }
  for (int i = 0; i < 400; ++i) {
    struct stat st;
    if (stat(socket.c_str(), &st) == 0 && S_ISSOCK(st.st_mode)) return pid;
    if (waitpid(pid, nullptr, WNOHANG) == pid) return -1;
    usleep(25000);
  }
  return pid;
}

int Main(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    auto value = [&](const char* name) -> const char* {
      const std::string prefix = std::string("--") + name + "=";
      return arg.rfind(prefix, 0) == 0 ? argv[i] + prefix.size() : nullptr;
    };
    if (const char* service = value("service")) {
      options.service = service;
    } else if (const char* frames = value("frames")) {
      options.frames = std::atoi(frames);
    } else if (const char* width = value("width")) {
      options.width = std::atoi(width);
    } else if (const char* height = value("height")) {
      options.height = std::atoi(height);
    } else if (const char* buffers = value("buffers")) {
      options.buffers = std::atoi(buffers);
    } else if (const char* corrupt = value("corrupt-frame")) {
      options.corrupt_frame = std::atoi(corrupt);
    } else {
      std::fprintf(stderr,
                   "usage: gralloc_pipeline --service=PATH [--frames=N "
                   "--width=W --height=H --buffers=K]\n");
      return 2;
    }
  }
  if (options.service.empty() || options.frames < 1 || options.buffers < 1 ||
      options.width < 16 || options.height < 16) {
    std::fprintf(stderr,
                 "gralloc_pipeline: bad arguments (--service is required)\n");
    return 2;
  }
  char dir[] = "/tmp/gralloc-pipeline-XXXXXX";
  if (mkdtemp(dir) == nullptr) return Fail("pipeline", "mkdtemp");
  const std::string socket = std::string(dir) + "/allocator.sock";

  std::printf(
      "gralloc pipeline: camera -> codec (verify) + display (metadata), "
      "%dx%d YCBCR_420_888, %d frames in %d buffers\n",
      options.width, options.height, options.frames, options.buffers);
  std::printf("usage:    %s\n", UsageToString(kUsage).c_str());
  std::fflush(stdout);
  const pid_t service = StartService(options, socket);
  if (service < 0) return Fail("pipeline", "the service did not start");

  int codec_pair[2], display_pair[2];
  if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, codec_pair) != 0 ||
      socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, display_pair) !=
          0) {
    return Fail("pipeline", "socketpair");
  }
  std::fflush(stdout);
  // Each stage names itself (comm), so `gralloctl dump` and ps tell the
  // camera, codec and display apart.
  const pid_t codec = fork();
  if (codec == 0) {
    prctl(PR_SET_NAME, "codec");
    close(codec_pair[0]);
    std::exit(RunCodec(codec_pair[1], options));
  }
  const pid_t display = fork();
  if (display == 0) {
    prctl(PR_SET_NAME, "display");
    close(display_pair[0]);
    std::exit(RunDisplay(display_pair[1], options));
  }
  const pid_t camera = fork();
  if (camera == 0) {
    prctl(PR_SET_NAME, "camera");
    std::exit(RunCamera(codec_pair[0], display_pair[0], socket, options));
  }
  close(codec_pair[0]);
  close(codec_pair[1]);
  close(display_pair[0]);
  close(display_pair[1]);

  int failures = 0;
  for (pid_t child : {camera, codec, display}) {
    int status = 0;
    waitpid(child, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) ++failures;
  }
  kill(service, SIGTERM);
  int service_status = 0;
  waitpid(service, &service_status, 0);
  rmdir(dir);
  if (!WIFEXITED(service_status) || WEXITSTATUS(service_status) != 0)
    ++failures;
  if (failures > 0) {
    std::printf("pipeline: FAILED (%d process(es) reported a problem)\n",
                failures);
    return 1;
  }
  std::printf(
      "pipeline: OK: %d frames written by the camera, verified by the "
      "codec and the display; service stopped cleanly\n",
      options.frames);
  return 0;
}

}  // namespace
}  // namespace gralloc

int main(int argc, char** argv) { return gralloc::Main(argc, argv); }
