// Copyright 2026 The gralloc for Linux Authors.
//
// Faults around a gralloc-allocatord process: a client SIGKILLed mid-session,
// the service SIGKILLed and restarted, hostile bytes on its socket, quotas,
// and a clean SIGTERM.

#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "allocator/allocator.h"
#include "allocator/client/service_client.h"
#include "allocator/service/protocol.h"
#include "allocator/service/seqpacket.h"
#include "gralloc/allocator.h"
#include "gtest/gtest.h"
#include "hal/base/status_matchers.h"
#include "hal/base/unique_fd.h"
#include "hal/handle/buffer_handle.h"
#include "hal/types/buffer_usage.h"
#include "hal/types/pixel_format.h"
#include "mapper/mapper.h"
#include "tests/integration/service_process.h"

namespace gralloc {
namespace {

using ::gralloc::testing::Eventually;
using ::gralloc::testing::IsOk;
using ::gralloc::testing::ServiceProcess;
using ::gralloc::testing::StatusIs;

constexpr uint64_t kCpu = UsageValue(BufferUsage::CPU_READ_OFTEN) |
                          UsageValue(BufferUsage::CPU_WRITE_OFTEN);

BufferDescriptorInfo Descriptor() {
  BufferDescriptorInfo d;
  d.name = "fault";
  d.width = 64;
  d.height = 64;
  d.layer_count = 1;
  d.format = FormatValue(PixelFormat::RGBA_8888);
  d.usage = kCpu;
  return d;
}

std::string NewSocketPath() {
  return testing::ShortSocketDir() + "/allocator.sock";
}

const service::AccountUsage* FindAccount(const service::StatsReply& stats,
                                         pid_t pid) {
  for (const service::AccountUsage& account : stats.accounts) {
    if (account.pid == pid) return &account;
  }
  return nullptr;
}

TEST(FaultTest, ClientKilledMidSessionLeavesNoRecordsOrQuota) {
  const std::string socket = NewSocketPath();
  ASSERT_OK_AND_ASSIGN(
      std::unique_ptr<ServiceProcess> service,
      ServiceProcess::Start(socket, {"--max-buffers-per-client=8"}));
  int ready[2];
  ASSERT_EQ(pipe(ready), 0);
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    close(ready[0]);
    auto client = ServiceClient::Connect(socket);
    if (!client.ok()) _exit(1);
    auto allocation = (*client)->Allocate(Descriptor(), 5);
    if (!allocation.ok()) _exit(2);
    (void)!write(ready[1], "r", 1);
    for (;;) pause();  // mid-session: holding buffers and the connection
  }
  close(ready[1]);
  char byte = 0;
  ASSERT_EQ(read(ready[0], &byte, 1), 1);
  close(ready[0]);

  ASSERT_OK_AND_ASSIGN(std::unique_ptr<ServiceClient> observer,
                       ServiceClient::Connect(socket));
  ASSERT_OK_AND_ASSIGN(service::StatsReply before, observer->Stats());
  const service::AccountUsage* account = FindAccount(before, child);
  ASSERT_NE(account, nullptr);
  EXPECT_EQ(account->buffers, 5u);
  EXPECT_EQ(before.live_buffers, 5u);

  kill(child, SIGKILL);
  int status;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  EXPECT_TRUE(Eventually([&] {
    auto stats = observer->Stats();
    return stats.ok() && FindAccount(*stats, child) == nullptr &&
           stats->live_buffers == 0 && stats->live_bytes == 0 &&
           stats->connections == 1;
  }));
  // The quota is whole again for a new client.
  ASSERT_OK_AND_ASSIGN(Allocation eight, observer->Allocate(Descriptor(), 8));
  EXPECT_EQ(eight.buffers.size(), 8u);
  EXPECT_OK(service->Terminate());
}

struct Held {
  NativeHandlePtr raw;
  HandleInfo info;
  ino_t inode = 0;
};

std::vector<Held> AllocateAndFill(ServiceClient& client, int count,
                                  uint8_t pattern) {
  std::vector<Held> held;
  auto allocation = client.Allocate(Descriptor(), count);
  EXPECT_THAT(allocation.status(), IsOk());
  if (!allocation.ok()) return held;
  mapper::Mapper mapper;
  for (AllocatedBuffer& allocated : allocation->buffers) {
    NativeHandlePtr& raw = allocated.handle;
    Held h;
    h.info = *DecodeHandle(raw.get());
    struct stat st;
    EXPECT_EQ(fstat(HandleBufferFd(raw.get()), &st), 0);
    h.inode = st.st_ino;
    auto handle = mapper.Import(raw.get());
    EXPECT_THAT(handle.status(), IsOk());
    auto buffer = mapper.Get(*handle);
    {
      auto lock =
          mapper::LockGuard::Acquire(**buffer, kCpu, Rect{}, UniqueFd());
      EXPECT_THAT(lock.status(), IsOk());
      std::memset(lock->data(), pattern, h.info.allocation_size);
    }
    EXPECT_OK(mapper.Free(*handle));
    h.raw = std::move(raw);
    held.push_back(std::move(h));
  }
  return held;
}

// Imports and locks `raw` in a new mapper and checks every byte.
bool StillHolds(const native_handle_t* raw, uint8_t pattern) {
  mapper::Mapper mapper;
  auto handle = mapper.Import(raw);
  if (!handle.ok()) return false;
  auto buffer = mapper.Get(*handle);
  bool same = buffer.ok();
  if (same) {
    auto lock = mapper::LockGuard::Acquire(
        **buffer, UsageValue(BufferUsage::CPU_READ_OFTEN), Rect{}, UniqueFd());
    same = lock.ok();
    if (same) {
      const auto* bytes = static_cast<const uint8_t*>(lock->data());
      for (uint64_t i = 0; i < (*buffer)->info().allocation_size; ++i) {
        if (bytes[i] != pattern) {
          same = false;
          break;
        }
      }
    }
  }
  return mapper.Free(*handle).ok() && same;
}

TEST(FaultTest, ServiceKilledAndRestartedOldBuffersLiveNewOnesNeverAlias) {
  const std::string socket = NewSocketPath();
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<ServiceProcess> service,
                       ServiceProcess::Start(socket));
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<ServiceClient> client,
                       ServiceClient::Connect(socket));
  std::vector<Held> before = AllocateAndFill(*client, 4, 0xa5);
  ASSERT_EQ(before.size(), 4u);

  service->Kill();  // SIGKILL: no clean-up, the socket file stays behind
  service.reset();
  // Between the services, calls fail cleanly.
  EXPECT_THAT(client->Stats().status(),
              StatusIs(absl::StatusCode::kUnavailable));
  ASSERT_OK_AND_ASSIGN(service, ServiceProcess::Start(socket));

  // The same client object reconnects by itself.
  std::vector<Held> after = AllocateAndFill(*client, 4, 0x3c);
  ASSERT_EQ(after.size(), 4u);
  std::set<uint64_t> ids;
  std::set<ino_t> inodes;
  for (const Held& h : before) {
    ids.insert(h.info.buffer_id);
    inodes.insert(h.inode);
  }
  for (const Held& h : after) {
    EXPECT_EQ(ids.count(h.info.buffer_id), 0u) << "a BUFFER_ID was reused";
    EXPECT_EQ(inodes.count(h.inode), 0u) << "a new buffer aliases an old one";
  }
  // Buffers from before the restart still import, lock and hold their
  // pixels, in this process and in another one.
  for (const Held& h : before) {
    EXPECT_TRUE(StillHolds(h.raw.get(), 0xa5));
  }
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    // The child inherited the fds, as a process receiving them would.
    for (const Held& h : before) {
      if (!StillHolds(h.raw.get(), 0xa5)) _exit(1);
    }
    for (const Held& h : after) {
      if (!StillHolds(h.raw.get(), 0x3c)) _exit(2);
    }
    _exit(0);
  }
  int status;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);

  // The new service knows only the new buffers.
  EXPECT_THAT(client->Release(before[0].info.buffer_id),
              StatusIs(absl::StatusCode::kNotFound));
  ASSERT_OK_AND_ASSIGN(service::StatsReply stats, client->Stats());
  EXPECT_EQ(stats.live_buffers, 4u);
  EXPECT_OK(client->Release(after[0].info.buffer_id));
  EXPECT_OK(service->Terminate());
}

TEST(FaultTest, HostileBytesOnTheSocketNeverAffectOtherClients) {
  const std::string socket = NewSocketPath();
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<ServiceProcess> service,
                       ServiceProcess::Start(socket, {"--quiet"}));
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<ServiceClient> good,
                       ServiceClient::Connect(socket));
  ASSERT_OK_AND_ASSIGN(Allocation held, good->Allocate(Descriptor(), 2));
  // The service closes its copies of a reply's fds once it has started
  // their memory watches, after it handed the connection back (another
  // worker may answer the next request first): count the fds once only
  // `good` is connected and the service holds no buffer.
  ASSERT_TRUE(Eventually([&] {
    absl::StatusOr<service::StatsReply> stats = good->Stats();
    return stats.ok() && stats->connections == 1 &&
           service->BufferFdCount() == 0;
  }));
  const int fds_before = service->OpenFdCount();
  ASSERT_GT(fds_before, 0);

  std::mt19937 random(42);
  const std::vector<uint8_t> valid = service::EncodeFrame(
      service::MessageType::kAllocate, false, 1,
      service::EncodeRequest(service::AllocateRequest{Descriptor(), 1}), 0);
  UniqueFd spare_a(dup(STDIN_FILENO)), spare_b(dup(STDIN_FILENO));
  for (int i = 0; i < 300; ++i) {
    std::vector<uint8_t> bytes = valid;
    std::vector<int> fds;
    switch (i % 6) {
      case 0:  // random bytes
        bytes.resize(random() % 300 + 1);
        for (uint8_t& b : bytes) b = static_cast<uint8_t>(random());
        break;
      case 1:  // a truncated header
        bytes.resize(random() % service::kHeaderBytes + 1);
        break;
      case 2:  // a huge payload length
        bytes[16] = 0xff;
        bytes[17] = 0xff;
        bytes[18] = 0xff;
        bytes[19] = static_cast<uint8_t>(random());
        break;
      case 3:  // fds nobody asked for, announced or not
        fds = {spare_a.get(), spare_b.get()};
        if (i % 12 == 3) bytes[20] = 2;
        break;
      case 4:  // a wrong version
        bytes[4] = static_cast<uint8_t>(2 + random() % 200);
        break;
      case 5:  // a flipped byte anywhere
        bytes[random() % bytes.size()] ^=
            static_cast<uint8_t>(1 + random() % 255);
        break;
    }
    ASSERT_OK_AND_ASSIGN(UniqueFd hostile, service::ConnectSeqpacket(socket));
    ASSERT_THAT(service::SendDatagram(hostile.get(), bytes, fds), IsOk());
    ASSERT_THAT(service::SetSocketTimeouts(hostile.get(), 0, 60000), IsOk());
    // Either a reply or a hang-up; both are fine, silence is not.
    absl::StatusOr<service::Datagram> answer =
        service::ReceiveDatagram(hostile.get());
    EXPECT_FALSE(absl::IsDeadlineExceeded(answer.status())) << i;
    if (i % 50 == 0) {
      ASSERT_THAT(good->Stats().status(), IsOk()) << i;
    }
  }
  // Also a message larger than any the service accepts.
  {
    std::vector<uint8_t> oversized(service::kMaxMessageBytes * 2, 0);
    std::copy(valid.begin(), valid.end(), oversized.begin());
    ASSERT_OK_AND_ASSIGN(UniqueFd hostile, service::ConnectSeqpacket(socket));
    ASSERT_THAT(service::SendDatagram(hostile.get(), oversized, {}), IsOk());
    ASSERT_THAT(service::SetSocketTimeouts(hostile.get(), 0, 60000), IsOk());
    (void)service::ReceiveDatagram(hostile.get());
  }
  ASSERT_OK_AND_ASSIGN(Allocation more, good->Allocate(Descriptor(), 1));
  EXPECT_EQ(more.buffers.size(), 1u);
  ASSERT_OK_AND_ASSIGN(service::StatsReply stats, good->Stats());
  EXPECT_EQ(stats.live_buffers, 3u);
  // Every fd the hostile clients sent, and every connection, is closed.
  EXPECT_TRUE(Eventually([&] { return service->OpenFdCount() == fds_before; }))
      << service->OpenFdCount() << " fds now, " << fds_before << " before";
  EXPECT_OK(service->Terminate());
}

TEST(FaultTest, QuotaThroughTheCAbiIsNoResources) {
  const std::string socket = NewSocketPath();
  ASSERT_OK_AND_ASSIGN(
      std::unique_ptr<ServiceProcess> service,
      ServiceProcess::Start(socket, {"--max-buffers-per-client=4",
                                     "--max-bytes-per-client=1048576"}));
  // connect(NULL) reads $GRALLOC_ALLOCATOR_SOCKET.
  ASSERT_EQ(setenv("GRALLOC_ALLOCATOR_SOCKET", socket.c_str(), 1), 0);
  GrallocAllocator* allocator = nullptr;
  ASSERT_EQ(GrallocAllocator_connect(nullptr, &allocator), 0);
  unsetenv("GRALLOC_ALLOCATOR_SOCKET");
  GrallocBufferDescriptorInfo info{};
  std::strcpy(info.name, "quota");
  info.width = 64;
  info.height = 64;
  info.layerCount = 1;
  info.format = FormatValue(PixelFormat::RGBA_8888);
  info.usage = static_cast<int64_t>(kCpu);
  native_handle_t* buffers[5] = {};
  int32_t stride = 0;
  ASSERT_EQ(GrallocAllocator_allocate2(allocator, &info, 4, &stride, buffers),
            0);
  EXPECT_EQ(stride, 64);
  EXPECT_EQ(
      GrallocAllocator_allocate2(allocator, &info, 1, &stride, &buffers[4]),
      5);  // NO_RESOURCES: buffer quota
  EXPECT_EQ(buffers[4], nullptr);
  // A second client process has its own quota; the byte limit binds it.
  info.width = 1024;
  info.height = 512;  // 2 MiB > 1 MiB
  native_handle_t* big = nullptr;
  GrallocAllocator* other = nullptr;
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    if (GrallocAllocator_connect(socket.c_str(), &other) != 0) _exit(1);
    _exit(GrallocAllocator_allocate2(other, &info, 1, &stride, &big) == 5 ? 0
                                                                          : 2);
  }
  int status;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  for (int i = 0; i < 4; ++i) {
    native_handle_close(buffers[i]);
    native_handle_delete(buffers[i]);
  }
  GrallocAllocator_close(allocator);
  EXPECT_OK(service->Terminate());
}

TEST(FaultTest, SigtermStopsCleanlyWithClientsConnected) {
  const std::string socket = NewSocketPath();
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<ServiceProcess> service,
                       ServiceProcess::Start(socket));
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<ServiceClient> idle,
                       ServiceClient::Connect(socket));
  ASSERT_OK_AND_ASSIGN(Allocation held, idle->Allocate(Descriptor(), 1));
  EXPECT_OK(service->Terminate());
  struct stat st;
  EXPECT_NE(stat(socket.c_str(), &st), 0) << "the socket file was left";
  EXPECT_THAT(idle->Stats().status(), StatusIs(absl::StatusCode::kUnavailable));
}

}  // namespace
}  // namespace gralloc
