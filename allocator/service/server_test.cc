// Copyright 2026 The gralloc for Linux Authors.
//
// The server in this process, on a socket under TEST_TMPDIR, with clients
// on threads: the C++ client, the C ABI and raw sockets that misbehave.

#include "allocator/service/server.h"

#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "allocator/allocator.h"
#include "allocator/client/service_client.h"
#include "allocator/heaps/heap_registry.h"
#include "allocator/heaps/memfd_heap.h"
#include "allocator/service/protocol.h"
#include "allocator/service/seqpacket.h"
#include "gralloc/allocator.h"
#include "gtest/gtest.h"
#include "hal/base/fd_count.h"
#include "hal/base/short_temp_dir.h"
#include "hal/base/status_macros.h"
#include "hal/base/status_matchers.h"
#include "hal/base/unique_fd.h"
#include "hal/handle/buffer_handle.h"
#include "hal/types/buffer_usage.h"
#include "hal/types/pixel_format.h"
#include "mapper/mapper.h"

namespace gralloc::service {
namespace {

using ::gralloc::testing::BufferFdCount;
using ::gralloc::testing::IsOk;
using ::gralloc::testing::OpenFdCount;
using ::gralloc::testing::StatusIs;
using ::testing::HasSubstr;

constexpr uint64_t kCpu = UsageValue(BufferUsage::CPU_READ_OFTEN) |
                          UsageValue(BufferUsage::CPU_WRITE_OFTEN);

// A socket path short enough for sun_path (TEST_TMPDIR can be long), in a
// directory removed when the test binary exits.
std::string TestSocketPath() {
  static testing::ShortTempDir dir;
  static std::atomic<int> counter{0};
  return dir.File("s" + std::to_string(counter++) + "/a.sock");
}

BufferDescriptorInfo CpuDescriptor(int64_t width = 64, int64_t height = 32) {
  BufferDescriptorInfo d;
  d.name = "server-test";
  d.width = width;
  d.height = height;
  d.layer_count = 1;
  d.format = FormatValue(PixelFormat::RGBA_8888);
  d.usage = kCpu;
  return d;
}

std::unique_ptr<AllocatorApi> MemfdAllocator() {
  std::vector<std::unique_ptr<Heap>> heaps;
  heaps.push_back(std::make_unique<MemfdHeap>());
  auto allocator =
      Allocator::Create(BuiltinProfile(), HeapRegistry(std::move(heaps)));
  EXPECT_THAT(allocator.status(), IsOk());
  return std::move(allocator).value();
}

// Polls `condition` every 10 ms for up to 30 s: the server notices closed
// connections on its own threads, and a 2-core machine under a sanitizer
// can be slow, so tests wait for an outcome instead of assuming a delay.
bool Eventually(const std::function<bool()>& condition) {
  for (int i = 0; i < 3000; ++i) {
    if (condition()) return true;
    timespec ten_ms{0, 10 * 1000 * 1000};
    nanosleep(&ten_ms, nullptr);
  }
  return condition();
}

class ServerTest : public ::testing::Test {
 protected:
  // Runs a server on a fresh socket, with `allocator` (by default the
  // memfd one).
  void Start(ServerOptions options = {},
             std::unique_ptr<AllocatorApi> allocator = nullptr) {
    options.socket_path = TestSocketPath();
    ASSERT_OK_AND_ASSIGN(
        server_,
        Server::Create(options, allocator != nullptr ? std::move(allocator)
                                                     : MemfdAllocator()));
    thread_ = std::thread([this] { run_status_ = server_->Run(); });
  }
  void TearDown() override {
    if (server_ != nullptr) {
      server_->Stop();
      thread_.join();
      EXPECT_THAT(run_status_, IsOk());
      server_.reset();
    }
  }
  std::unique_ptr<ServiceClient> Client() {
    auto client = ServiceClient::Connect(server_->socket_path());
    EXPECT_THAT(client.status(), IsOk());
    return client.ok() ? std::move(client).value() : nullptr;
  }
  // Waits until the server has exactly `connections` and `buffers`.
  bool SettlesAt(uint32_t connections, uint64_t buffers) {
    return Eventually([&] {
      StatsReply stats = server_->Snapshot();
      return stats.connections == connections && stats.live_buffers == buffers;
    });
  }

  std::unique_ptr<Server> server_;
  std::thread thread_;
  absl::Status run_status_;
};

TEST_F(ServerTest, AllocateImportLockAndRelease) {
  Start();
  std::unique_ptr<ServiceClient> client = Client();
  ASSERT_NE(client, nullptr);
  ASSERT_OK_AND_ASSIGN(Allocation allocation,
                       client->Allocate(CpuDescriptor(), 2));
  ASSERT_EQ(allocation.buffers.size(), 2u);
  EXPECT_GE(allocation.layout.stride_px, 64);
  EXPECT_EQ(allocation.buffers[0].heap, MemfdIdentity());
  ASSERT_NE(allocation.layout.format, nullptr);
  EXPECT_EQ(allocation.layout.format->android_value,
            FormatValue(PixelFormat::RGBA_8888));

  mapper::Mapper mapper;
  std::vector<uint64_t> ids;
  for (const AllocatedBuffer& allocated : allocation.buffers) {
    const NativeHandlePtr& raw = allocated.handle;
    ASSERT_OK_AND_ASSIGN(HandleInfo info, DecodeHandle(raw.get()));
    ids.push_back(info.buffer_id);
    EXPECT_EQ(info.layout, allocation.layout);
    ASSERT_OK_AND_ASSIGN(buffer_handle_t handle, mapper.Import(raw.get()));
    ASSERT_OK_AND_ASSIGN(std::shared_ptr<mapper::Buffer> buffer,
                         mapper.Get(handle));
    {
      ASSERT_OK_AND_ASSIGN(
          mapper::LockGuard lock,
          mapper::LockGuard::Acquire(*buffer, kCpu, Rect{}, UniqueFd()));
      auto* pixels = static_cast<uint8_t*>(lock.data());
      EXPECT_EQ(pixels[0], 0);  // zeroed
      pixels[0] = 0x5a;
    }
    EXPECT_OK(mapper.Free(handle));
  }
  EXPECT_NE(ids[0], ids[1]);

  StatsReply stats = server_->Snapshot();
  EXPECT_EQ(stats.live_buffers, 2u);
  // The pixels' heap, and the metadata buffers (charged too).
  ASSERT_EQ(stats.heaps.size(), 2u);
  EXPECT_EQ(stats.heaps[0].heap, std::string(kMetadataHeapName));
  EXPECT_EQ(stats.heaps[0].buffers, 0u);
  EXPECT_GT(stats.heaps[0].bytes, 0u);
  EXPECT_EQ(stats.heaps[1].heap, "memfd");
  EXPECT_EQ(stats.heaps[1].buffers, 2u);
  ASSERT_EQ(stats.accounts.size(), 1u);
  EXPECT_EQ(stats.accounts[0].pid, getpid());
  EXPECT_EQ(stats.accounts[0].buffers, 2u);

  ASSERT_OK_AND_ASSIGN(std::vector<ListEntry> list, client->List());
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0].pid, getpid());
  EXPECT_EQ(list[0].heap, "memfd");
  EXPECT_EQ(list[0].name, "server-test");
  struct stat st;
  ASSERT_EQ(fstat(HandleBufferFd(allocation.buffers[0].handle.get()), &st), 0);
  EXPECT_TRUE((list[0].inode == st.st_ino) || (list[1].inode == st.st_ino));

  EXPECT_OK(client->Release(ids[0]));
  EXPECT_THAT(client->Release(ids[0]), StatusIs(absl::StatusCode::kNotFound));
  ASSERT_OK_AND_ASSIGN(list, client->List());
  EXPECT_EQ(list.size(), 1u);
  // The released buffer's memory is still held here, and still charged.
  EXPECT_EQ(server_->Snapshot().live_buffers, 2u);
  allocation.buffers.erase(allocation.buffers.begin());
  EXPECT_TRUE(SettlesAt(1, 1));
  ASSERT_OK_AND_ASSIGN(StatsReply remote, client->Stats());
  EXPECT_EQ(remote.live_buffers, 1u);
  EXPECT_EQ(remote.connections, 1u);
}

TEST_F(ServerTest, SameAnswersAsTheInProcessAllocator) {
  Start();
  std::unique_ptr<ServiceClient> client = Client();
  ASSERT_NE(client, nullptr);
  std::unique_ptr<AllocatorApi> local = MemfdAllocator();

  std::vector<BufferDescriptorInfo> cases;
  cases.push_back(CpuDescriptor());
  BufferDescriptorInfo bad_width = CpuDescriptor(0, 32);
  cases.push_back(bad_width);
  BufferDescriptorInfo unknown_bit = CpuDescriptor();
  unknown_bit.usage |= uint64_t{1} << 33;
  cases.push_back(unknown_bit);
  BufferDescriptorInfo unknown_option = CpuDescriptor();
  unknown_option.additional_options.push_back({"vendor.unknown", 1});
  cases.push_back(unknown_option);
  BufferDescriptorInfo huge = CpuDescriptor(int64_t{1} << 40, 1);
  cases.push_back(huge);
  BufferDescriptorInfo long_name = CpuDescriptor();
  long_name.name = std::string(200, 'n');
  cases.push_back(long_name);
  BufferDescriptorInfo camera = CpuDescriptor();
  camera.usage = UsageValue(BufferUsage::CAMERA_OUTPUT) |
                 UsageValue(BufferUsage::COMPOSER_OVERLAY);
  cases.push_back(camera);

  for (size_t i = 0; i < cases.size(); ++i) {
    SCOPED_TRACE(i);
    absl::StatusOr<Verdict> remote = client->IsSupported(cases[i]);
    absl::StatusOr<Verdict> expected = local->IsSupported(cases[i]);
    ASSERT_THAT(remote.status(), IsOk());
    ASSERT_THAT(expected.status(), IsOk());
    // The same verdict and the same reason.
    EXPECT_EQ(remote->refusal, expected->refusal);
    absl::StatusOr<Allocation> remote_allocation =
        client->Allocate(cases[i], 1);
    absl::StatusOr<Allocation> local_allocation = local->Allocate(cases[i], 1);
    EXPECT_EQ(remote_allocation.status().code(),
              local_allocation.status().code())
        << remote_allocation.status() << " vs " << local_allocation.status();
  }
  EXPECT_THAT(client->Allocate(CpuDescriptor(), -1).status(),
              StatusIs(absl::StatusCode::kInvalidArgument));
  ASSERT_OK_AND_ASSIGN(Allocation none, client->Allocate(CpuDescriptor(), 0));
  EXPECT_TRUE(none.buffers.empty());
  EXPECT_GT(none.layout.stride_px, 0);
}

TEST_F(ServerTest, MoreBuffersThanOneMessageHolds) {
  Start();
  std::unique_ptr<ServiceClient> client = Client();
  ASSERT_NE(client, nullptr);
  ASSERT_OK_AND_ASSIGN(Allocation allocation,
                       client->Allocate(CpuDescriptor(8, 8), 150));
  EXPECT_EQ(allocation.buffers.size(), 150u);
  EXPECT_EQ(server_->Snapshot().live_buffers, 150u);
}

TEST_F(ServerTest, BufferQuotaIsNoResources) {
  ServerOptions options;
  options.limits.max_buffers_per_process = 3;
  Start(options);
  GrallocAllocator* allocator = nullptr;
  ASSERT_EQ(
      GrallocAllocator_connect(server_->socket_path().c_str(), &allocator), 0);
  GrallocBufferDescriptorInfo info{};
  std::snprintf(info.name, sizeof(info.name), "quota");
  info.width = 16;
  info.height = 16;
  info.layerCount = 1;
  info.format = FormatValue(PixelFormat::RGBA_8888);
  info.usage = static_cast<int64_t>(kCpu);
  native_handle_t* buffers[4] = {};
  int32_t stride = 0;
  ASSERT_EQ(GrallocAllocator_allocate2(allocator, &info, 3, &stride, buffers),
            0);
  native_handle_t* extra = nullptr;
  EXPECT_EQ(GrallocAllocator_allocate2(allocator, &info, 1, &stride, &extra),
            5);  // NO_RESOURCES
  EXPECT_EQ(extra, nullptr);
  EXPECT_GE(server_->Snapshot().refusals_total, 1u);
  for (int i = 0; i < 3; ++i) {
    native_handle_close(buffers[i]);
    native_handle_delete(buffers[i]);
  }
  // Closing the allocator ends the connection and returns the quota.
  GrallocAllocator_close(allocator);
  EXPECT_TRUE(SettlesAt(0, 0));
}

TEST_F(ServerTest, ByteQuotaIsNoResources) {
  ServerOptions options;
  // 128x128 RGBA is 64 KiB, plus its metadata buffer: one fits, a second
  // does not.
  options.limits.max_bytes_per_process = 100 * 1024;
  Start(options);
  std::unique_ptr<ServiceClient> client = Client();
  ASSERT_NE(client, nullptr);
  ASSERT_OK_AND_ASSIGN(Allocation first,
                       client->Allocate(CpuDescriptor(128, 128), 1));
  EXPECT_THAT(
      client->Allocate(CpuDescriptor(128, 128), 1).status(),
      StatusIs(absl::StatusCode::kResourceExhausted, HasSubstr("quota")));
  // Releasing the record is not enough while the memory lives: the charge
  // follows the memory.
  ASSERT_OK_AND_ASSIGN(HandleInfo info,
                       DecodeHandle(first.buffers[0].handle.get()));
  EXPECT_OK(client->Release(info.buffer_id));
  EXPECT_THAT(client->Allocate(CpuDescriptor(128, 128), 1).status(),
              StatusIs(absl::StatusCode::kResourceExhausted));
  // Freeing it gives the bytes back.
  first.buffers.clear();
  EXPECT_TRUE(Eventually(
      [&] { return client->Allocate(CpuDescriptor(128, 128), 1).ok(); }));
}

TEST_F(ServerTest, QuotaCountsEveryConnectionOfAProcess) {
  ServerOptions options;
  options.limits.max_buffers_per_process = 2;
  Start(options);
  std::unique_ptr<ServiceClient> a = Client();
  std::unique_ptr<ServiceClient> b = Client();
  ASSERT_OK_AND_ASSIGN(Allocation one, a->Allocate(CpuDescriptor(), 2));
  EXPECT_THAT(b->Allocate(CpuDescriptor(), 1).status(),
              StatusIs(absl::StatusCode::kResourceExhausted));
}

TEST_F(ServerTest, DisconnectOrphansRecordsAndBuffersStayValid) {
  Start();
  std::unique_ptr<ServiceClient> client = Client();
  ASSERT_OK_AND_ASSIGN(Allocation allocation,
                       client->Allocate(CpuDescriptor(), 3));
  EXPECT_EQ(server_->Snapshot().live_buffers, 3u);
  client.reset();
  // The records stay while the memory lives, marked as orphans (their
  // requester is gone), and so do the charges.
  EXPECT_TRUE(Eventually([&] { return server_->Snapshot().connections == 0; }));
  EXPECT_TRUE(SettlesAt(0, 3));
  EXPECT_EQ(server_->ledger().records(), 3u);
  {
    std::unique_ptr<ServiceClient> viewer = Client();
    ASSERT_OK_AND_ASSIGN(std::vector<ListEntry> entries, viewer->List());
    ASSERT_EQ(entries.size(), 3u);
    for (const ListEntry& entry : entries) {
      EXPECT_TRUE(entry.requester_gone) << entry.buffer_id;
      EXPECT_GT(entry.allocated_ns, 0u);
    }
  }
  mapper::Mapper mapper;
  ASSERT_OK_AND_ASSIGN(buffer_handle_t handle,
                       mapper.Import(allocation.buffers[0].handle.get()));
  ASSERT_OK_AND_ASSIGN(std::shared_ptr<mapper::Buffer> buffer,
                       mapper.Get(handle));
  EXPECT_THAT(
      mapper::LockGuard::Acquire(*buffer, kCpu, Rect{}, UniqueFd()).status(),
      IsOk());
  EXPECT_OK(mapper.Free(handle));
  // The last mapping and the last fds go: so do the charges.
  buffer.reset();
  allocation.buffers.clear();
  EXPECT_TRUE(SettlesAt(0, 0));
  // The metadata buffers' ends are reported apart from the pixels'; the
  // orphaned records go with the memory.
  EXPECT_TRUE(Eventually([&] { return server_->ledger().charges() == 0; }));
  EXPECT_EQ(server_->ledger().records(), 0u);
}

// Sends raw bytes (and fds) as one datagram on a new connection and
// returns the connection.
UniqueFd SendRaw(const std::string& path, const std::vector<uint8_t>& bytes,
                 const std::vector<int>& fds = {}) {
  absl::StatusOr<UniqueFd> socket = ConnectSeqpacket(path);
  EXPECT_THAT(socket.status(), IsOk());
  if (!socket.ok()) return UniqueFd();
  EXPECT_THAT(SendDatagram(socket->get(), bytes, fds), IsOk());
  return std::move(socket).value();
}

// The connection ends; if the server replied first, the reply is an error.
void ExpectErrorThenClose(int socket) {
  ASSERT_THAT(SetSocketTimeouts(socket, 0, 30000), IsOk());
  absl::StatusOr<Datagram> reply = ReceiveDatagram(socket);
  if (reply.ok()) {
    FrameHeader header;
    absl::Span<const uint8_t> payload;
    ASSERT_THAT(DecodeFrame(reply->bytes, reply->fds.size(), &header, &payload),
                IsOk());
    absl::Status status;
    absl::Span<const uint8_t> body;
    ASSERT_THAT(DecodeReplyStatus(payload, &status, &body), IsOk());
    EXPECT_FALSE(status.ok());
    reply = ReceiveDatagram(socket);
  }
  EXPECT_THAT(reply.status(), StatusIs(absl::StatusCode::kUnavailable));
}

TEST_F(ServerTest, MalformedMessagesEndOnlyTheirConnection) {
  Start();
  std::unique_ptr<ServiceClient> good = Client();
  ASSERT_OK_AND_ASSIGN(Allocation held, good->Allocate(CpuDescriptor(), 1));
  const std::string path = server_->socket_path();
  // Once the server has closed its copies of the allocation's fds (after
  // their memory watches, which may come after the next exchange), the
  // client's two are the only buffer fds in the process.
  ASSERT_THAT(good->Stats().status(), IsOk());
  ASSERT_TRUE(Eventually([] { return BufferFdCount() == 2; }));
  const int fds_before = OpenFdCount();

  std::vector<std::vector<uint8_t>> messages;
  messages.push_back({1, 2, 3});                                 // short
  messages.push_back(std::vector<uint8_t>(kHeaderBytes, 0xee));  // bad magic
  std::vector<uint8_t> stats =
      EncodeFrame(MessageType::kStats, false, 9, {}, 0);
  std::vector<uint8_t> truncated_header(stats.begin(), stats.begin() + 20);
  messages.push_back(truncated_header);
  std::vector<uint8_t> version = stats;
  version[4] = 7;
  messages.push_back(version);
  std::vector<uint8_t> huge_length = stats;
  huge_length[19] = 0x7f;
  messages.push_back(huge_length);
  std::vector<uint8_t> oversized(kMaxMessageBytes + 100, 0);
  std::copy(stats.begin(), stats.end(), oversized.begin());
  messages.push_back(oversized);
  std::vector<uint8_t> reply_bit = stats;
  reply_bit[7] = 0x80;
  messages.push_back(reply_bit);
  for (size_t i = 0; i < messages.size(); ++i) {
    SCOPED_TRACE(i);
    UniqueFd socket = SendRaw(path, messages[i]);
    ExpectErrorThenClose(socket.get());
  }
  {
    // A request with fds, announced or not: they are closed, the
    // connection ends.
    UniqueFd a(dup(0)), b(dup(0));
    std::vector<uint8_t> announced =
        EncodeFrame(MessageType::kStats, false, 3, {}, 2);
    UniqueFd one = SendRaw(path, announced, {a.get(), b.get()});
    ExpectErrorThenClose(one.get());
    UniqueFd two = SendRaw(path, stats, {a.get()});
    ExpectErrorThenClose(two.get());
  }
  {
    // A well-framed request with a bad payload: an error reply, and the
    // connection stays.
    std::vector<uint8_t> payload = EncodeRequest(ListRequest{0, 0});
    UniqueFd socket =
        SendRaw(path, EncodeFrame(MessageType::kList, false, 4, payload, 0));
    ASSERT_THAT(SetSocketTimeouts(socket.get(), 0, 30000), IsOk());
    ASSERT_OK_AND_ASSIGN(Datagram reply, ReceiveDatagram(socket.get()));
    FrameHeader header;
    absl::Span<const uint8_t> view;
    ASSERT_THAT(DecodeFrame(reply.bytes, 0, &header, &view), IsOk());
    EXPECT_EQ(header.request_id, 4u);
    absl::Status status;
    absl::Span<const uint8_t> body;
    ASSERT_THAT(DecodeReplyStatus(view, &status, &body), IsOk());
    EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument));
    ASSERT_THAT(SendDatagram(socket.get(), stats, {}), IsOk());
    ASSERT_OK_AND_ASSIGN(Datagram second, ReceiveDatagram(socket.get()));
    ASSERT_THAT(DecodeFrame(second.bytes, 0, &header, &view), IsOk());
    ASSERT_THAT(DecodeReplyStatus(view, &status, &body), IsOk());
    EXPECT_OK(status);
  }
  // The good client never noticed, and nothing leaked in the server.
  ASSERT_OK_AND_ASSIGN(Allocation more, good->Allocate(CpuDescriptor(), 1));
  EXPECT_TRUE(SettlesAt(1, 2));
  more.buffers.clear();
  EXPECT_TRUE(Eventually([&] { return OpenFdCount() <= fds_before + 0; }))
      << OpenFdCount() << " > " << fds_before;
}

// The STATS reply in `datagram`, and its request id; an error for any
// other datagram, or a refusal.
absl::StatusOr<StatsReply> DecodeStats(const Datagram& datagram,
                                       uint64_t* request_id) {
  FrameHeader header;
  absl::Span<const uint8_t> payload;
  RETURN_IF_ERROR(
      DecodeFrame(datagram.bytes, datagram.fds.size(), &header, &payload));
  if (!header.is_reply || header.type != MessageType::kStats) {
    return absl::InvalidArgumentError("not a STATS reply");
  }
  absl::Status status;
  absl::Span<const uint8_t> body;
  RETURN_IF_ERROR(DecodeReplyStatus(payload, &status, &body));
  RETURN_IF_ERROR(status);
  *request_id = header.request_id;
  return DecodeReply<StatsReply>(body);
}

// The request id of a STATS reply, or 0 if `datagram` is not an OK one.
uint64_t StatsReplyId(const Datagram& datagram) {
  uint64_t request_id = 0;
  return DecodeStats(datagram, &request_id).ok() ? request_id : 0;
}

// A worker serves a connection's waiting requests in a row (up to a bound)
// before it re-arms the connection: every request of a client that sends
// many before reading is answered, once and in order, across the bound.
TEST_F(ServerTest, PipelinedRequestsAreAllAnsweredInOrder) {
  ServerOptions options;
  options.workers = 1;
  Start(options);
  ASSERT_OK_AND_ASSIGN(UniqueFd socket,
                       ConnectSeqpacket(server_->socket_path()));
  ASSERT_THAT(SetSocketTimeouts(socket.get(), 30000, 30000), IsOk());
  constexpr uint64_t kRequests = 50;  // more than three times the bound
  for (uint64_t id = 1; id <= kRequests; ++id) {
    ASSERT_THAT(
        SendDatagram(socket.get(),
                     EncodeFrame(MessageType::kStats, false, id, {}, 0), {}),
        IsOk());
  }
  for (uint64_t id = 1; id <= kRequests; ++id) {
    ASSERT_OK_AND_ASSIGN(Datagram reply, ReceiveDatagram(socket.get()));
    EXPECT_EQ(StatsReplyId(reply), id);
  }
}

TEST_F(ServerTest, RandomDatagramsNeverHurtTheServer) {
  Start();
  std::unique_ptr<ServiceClient> good = Client();
  const std::string path = server_->socket_path();
  std::mt19937 random(7);
  const std::vector<uint8_t> seed =
      EncodeFrame(MessageType::kAllocate, false, 1,
                  EncodeRequest(AllocateRequest{CpuDescriptor(), 1}), 0);
  for (int i = 0; i < 200; ++i) {
    std::vector<uint8_t> bytes = seed;
    if (i % 2 == 0) {
      bytes.resize(random() % 200 + 1);
      for (uint8_t& b : bytes) b = static_cast<uint8_t>(random());
    } else {
      for (int f = 0; f < 3; ++f) {
        bytes[random() % bytes.size()] = static_cast<uint8_t>(random());
      }
    }
    UniqueFd socket = SendRaw(path, bytes);
    // Read until the server closes or a reply arrives; either is fine.
    ASSERT_THAT(SetSocketTimeouts(socket.get(), 0, 30000), IsOk());
    (void)ReceiveDatagram(socket.get());
  }
  ASSERT_OK_AND_ASSIGN(StatsReply stats, good->Stats());
  EXPECT_GE(stats.connections, 1u);
  EXPECT_THAT(good->Allocate(CpuDescriptor(), 1).status(), IsOk());
}

TEST_F(ServerTest, AClientThatNeverReadsIsDisconnectedWithoutStallingOthers) {
  Start();
  const std::string path = server_->socket_path();
  ASSERT_OK_AND_ASSIGN(UniqueFd silent, ConnectSeqpacket(path));
  // Queue requests without ever reading a reply, until the socket is full.
  const std::vector<uint8_t> list =
      EncodeFrame(MessageType::kList, false, 1,
                  EncodeRequest(ListRequest{0, kMaxListEntries}), 0);
  std::unique_ptr<ServiceClient> good = Client();
  ASSERT_OK_AND_ASSIGN(Allocation held, good->Allocate(CpuDescriptor(), 40));
  // Blocking sends: they stop when the server stops reading (it is stuck
  // sending a reply nobody takes) or when it hangs up.
  ASSERT_THAT(SetSocketTimeouts(silent.get(), 2000, 0), IsOk());
  int sent = 0;
  for (; sent < 1000000; ++sent) {
    if (send(silent.get(), list.data(), list.size(), MSG_NOSIGNAL) < 0) break;
  }
  EXPECT_GT(sent, 0);
  // Others are served meanwhile, and the silent one is dropped.
  for (int i = 0; i < 5; ++i) {
    EXPECT_THAT(good->Stats().status(), IsOk());
  }
  EXPECT_TRUE(SettlesAt(1, 40));
}

// Delegates to the memfd allocator, but an ALLOCATE of a buffer named
// "block" waits until Unblock(): a request that takes as long as a test
// wants.
class BlockingAllocator final : public AllocatorApi {
 public:
  explicit BlockingAllocator(std::unique_ptr<AllocatorApi> inner)
      : inner_(std::move(inner)) {}
  absl::StatusOr<Verdict> IsSupported(
      const BufferDescriptorInfo& descriptor) override {
    return inner_->IsSupported(descriptor);
  }
  absl::StatusOr<Allocation> Allocate(const BufferDescriptorInfo& descriptor,
                                      int32_t count) override {
    if (descriptor.name == "block") {
      blocked_.store(true);
      while (!unblocked_.load()) std::this_thread::yield();
    }
    return inner_->Allocate(descriptor, count);
  }
  absl::StatusOr<Verdict> Serves(const HandleInfo& buffer,
                                 const HeapIdentity* heap,
                                 uint64_t additional_usage) override {
    return inner_->Serves(buffer, heap, additional_usage);
  }
  absl::Status Release(uint64_t buffer_id) override {
    return inner_->Release(buffer_id);
  }
  absl::StatusOr<std::string> MapperLibrary() override {
    return inner_->MapperLibrary();
  }
  static std::atomic<bool> blocked_;
  static std::atomic<bool> unblocked_;

 private:
  std::unique_ptr<AllocatorApi> inner_;
};
std::atomic<bool> BlockingAllocator::blocked_{false};
std::atomic<bool> BlockingAllocator::unblocked_{false};

TEST_F(ServerTest, ASlowRequestStallsOnlyItsOwnClient) {
  ServerOptions options;
  options.workers = 2;
  Start(options, std::make_unique<BlockingAllocator>(MemfdAllocator()));
  std::unique_ptr<ServiceClient> slow = Client();
  std::unique_ptr<ServiceClient> spammer = Client();
  std::unique_ptr<ServiceClient> other = Client();
  BufferDescriptorInfo blocking = CpuDescriptor();
  blocking.name = "block";
  std::thread stuck(
      [&] { EXPECT_THAT(slow->Allocate(blocking, 1).status(), IsOk()); });
  ASSERT_TRUE(Eventually([] { return BlockingAllocator::blocked_.load(); }));
  // One worker is held by the slow request; everyone else is still
  // served, however fast one of them asks.
  std::atomic<bool> done{false};
  std::thread spam([&] {
    while (!done.load()) EXPECT_THAT(spammer->Stats().status(), IsOk());
  });
  for (int i = 0; i < 50; ++i) {
    ASSERT_OK_AND_ASSIGN(Allocation allocation,
                         other->Allocate(CpuDescriptor(), 1));
  }
  done.store(true);
  spam.join();
  EXPECT_FALSE(BlockingAllocator::unblocked_.load());
  BlockingAllocator::unblocked_.store(true);
  stuck.join();
}

// With every worker busy, a worker does not keep serving its connection's
// waiting requests: another connection's request is taken in turn, not
// after up to 16 of the first one's. The one worker is held inside the
// first connection's first request while both connections queue theirs.
TEST_F(ServerTest, ABusyWorkerLetsAnotherConnectionIn) {
  BlockingAllocator::blocked_.store(false);
  BlockingAllocator::unblocked_.store(false);
  ServerOptions options;
  options.workers = 1;
  Start(options, std::make_unique<BlockingAllocator>(MemfdAllocator()));
  ASSERT_OK_AND_ASSIGN(UniqueFd busy, ConnectSeqpacket(server_->socket_path()));
  ASSERT_OK_AND_ASSIGN(UniqueFd other,
                       ConnectSeqpacket(server_->socket_path()));
  ASSERT_THAT(SetSocketTimeouts(busy.get(), 30000, 30000), IsOk());
  ASSERT_THAT(SetSocketTimeouts(other.get(), 30000, 30000), IsOk());
  // The other connection is accepted and armed: it has been answered.
  ASSERT_THAT(
      SendDatagram(other.get(),
                   EncodeFrame(MessageType::kStats, false, 1, {}, 0), {}),
      IsOk());
  ASSERT_OK_AND_ASSIGN(Datagram first_stats, ReceiveDatagram(other.get()));
  constexpr uint64_t kAllocations = 40;
  BufferDescriptorInfo blocking = CpuDescriptor();
  blocking.name = "block";
  for (uint64_t id = 1; id <= kAllocations; ++id) {
    const std::vector<uint8_t> request =
        EncodeRequest(AllocateRequest{id == 1 ? blocking : CpuDescriptor(), 1});
    ASSERT_THAT(
        SendDatagram(busy.get(),
                     EncodeFrame(MessageType::kAllocate, false, id, request, 0),
                     {}),
        IsOk());
  }
  ASSERT_TRUE(Eventually([] { return BlockingAllocator::blocked_.load(); }));
  ASSERT_THAT(
      SendDatagram(other.get(),
                   EncodeFrame(MessageType::kStats, false, 2, {}, 0), {}),
      IsOk());
  BlockingAllocator::unblocked_.store(true);
  ASSERT_OK_AND_ASSIGN(Datagram reply, ReceiveDatagram(other.get()));
  uint64_t request_id = 0;
  ASSERT_OK_AND_ASSIGN(StatsReply stats, DecodeStats(reply, &request_id));
  EXPECT_EQ(request_id, 2u);
  // The busy connection's allocations answered before the other's second
  // STATS (the same user, so it counts them): the one that held the
  // worker. A worker that kept the busy connection while it had requests
  // waiting answered 16 first.
  EXPECT_LE(stats.allocations_total, 2u);
  for (uint64_t id = 1; id <= kAllocations; ++id) {
    ASSERT_OK_AND_ASSIGN(Datagram allocated, ReceiveDatagram(busy.get()));
  }
  BlockingAllocator::blocked_.store(false);
  BlockingAllocator::unblocked_.store(false);
}

TEST_F(ServerTest, ConcurrentClientsOnThreads) {
  Start();
  const int fds_before = OpenFdCount();
  constexpr int kThreads = 8;
  constexpr int kRounds = 40;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      auto client = ServiceClient::Connect(server_->socket_path());
      if (!client.ok()) {
        ++failures;
        return;
      }
      mapper::Mapper mapper;
      for (int round = 0; round < kRounds; ++round) {
        auto allocation = (*client)->Allocate(CpuDescriptor(32 + t, 16), 1);
        if (!allocation.ok()) {
          ++failures;
          continue;
        }
        auto info = DecodeHandle(allocation->buffers[0].handle.get());
        auto handle = mapper.Import(allocation->buffers[0].handle.get());
        if (!info.ok() || !handle.ok()) {
          ++failures;
          continue;
        }
        if (!mapper.Free(*handle).ok()) ++failures;
        if (!(*client)->Release(info->buffer_id).ok()) ++failures;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_TRUE(SettlesAt(0, 0));
  EXPECT_EQ(server_->Snapshot().allocations_total,
            uint64_t{kThreads} * kRounds);
  EXPECT_TRUE(Eventually([&] { return OpenFdCount() <= fds_before; }));
}

TEST_F(ServerTest, StopEndsIdleConnections) {
  Start();
  std::unique_ptr<ServiceClient> idle = Client();
  ASSERT_THAT(idle->Stats().status(), IsOk());
  server_->Stop();
  thread_.join();
  EXPECT_THAT(run_status_, IsOk());
  const std::string path = server_->socket_path();
  server_.reset();
  struct stat st;
  EXPECT_NE(stat(path.c_str(), &st), 0) << "the socket file was left behind";
  EXPECT_THAT(idle->Stats().status(), StatusIs(absl::StatusCode::kUnavailable));
}

TEST_F(ServerTest, ASecondServerOnALiveSocketIsRefusedAStaleOneReplaced) {
  Start();
  ServerOptions options;
  options.socket_path = server_->socket_path();
  EXPECT_THAT(Server::Create(options, MemfdAllocator()).status(),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  // A stale socket file: bound, never listened on, its owner gone.
  const std::string stale = TestSocketPath();
  {
    ServerOptions first;
    first.socket_path = stale;
    ASSERT_OK_AND_ASSIGN(std::unique_ptr<Server> dead,
                         Server::Create(first, MemfdAllocator()));
    // Leave the file behind as a killed service would.
    const std::string copy = stale + ".keep";
    ASSERT_EQ(link(stale.c_str(), copy.c_str()), 0);
    dead.reset();
    ASSERT_EQ(rename(copy.c_str(), stale.c_str()), 0);
  }
  ServerOptions second;
  second.socket_path = stale;
  EXPECT_THAT(Server::Create(second, MemfdAllocator()).status(), IsOk());
}

}  // namespace
}  // namespace gralloc::service
