// Copyright 2026 The gralloc for Linux Authors.
//
// Bug class: quota evasion. A client must not get more memory than its
// quota by forking (children are the same user), by releasing its
// BUFFER_IDs or reconnecting while keeping the fds, or by asking for
// little pixels and a large reserved region. Against the real service.

#include <sys/wait.h>
#include <unistd.h>

#include <memory>
#include <string>
#include <vector>

#include "allocator/allocator.h"
#include "allocator/client/service_client.h"
#include "gtest/gtest.h"
#include "hal/base/status_matchers.h"
#include "hal/base/unique_fd.h"
#include "hal/handle/buffer_handle.h"
#include "hal/types/buffer_usage.h"
#include "hal/types/pixel_format.h"
#include "tests/integration/service_process.h"

namespace gralloc::testing {
namespace {

BufferDescriptorInfo Cpu(int64_t reserved = 0) {
  BufferDescriptorInfo d;
  d.name = "quota-evasion";
  d.width = 64;
  d.height = 64;
  d.layer_count = 1;
  d.format = FormatValue(PixelFormat::RGBA_8888);
  d.usage = UsageValue(BufferUsage::CPU_READ_OFTEN) |
            UsageValue(BufferUsage::CPU_WRITE_OFTEN);
  d.reserved_size = reserved;
  return d;
}

std::unique_ptr<ServiceProcess> StartService(std::vector<std::string> args) {
  absl::StatusOr<std::unique_ptr<ServiceProcess>> service =
      ServiceProcess::Start(ShortSocketDir() + "/a.sock", std::move(args));
  EXPECT_THAT(service.status(), IsOk());
  return service.ok() ? std::move(service).value() : nullptr;
}

TEST(QuotaEvasionByForkTest, ForkedChildrenShareTheirUsersLimit) {
  std::unique_ptr<ServiceProcess> service =
      StartService({"--max-buffers-per-client=4", "--max-buffers-per-user=6"});
  ASSERT_NE(service, nullptr);
  const std::string socket = service->socket_path();
  // Three children each try for their full per-process quota and hold
  // what they get until every child has tried.
  int results[2], release[2];
  ASSERT_EQ(pipe(results), 0);
  ASSERT_EQ(pipe(release), 0);
  std::vector<pid_t> children;
  for (int i = 0; i < 3; ++i) {
    const pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      close(results[0]);
      close(release[1]);
      uint8_t got = 0;
      std::vector<Allocation> held;
      absl::StatusOr<std::unique_ptr<ServiceClient>> client =
          ServiceClient::Connect(socket);
      for (int j = 0; client.ok() && j < 4; ++j) {
        absl::StatusOr<Allocation> allocation = (*client)->Allocate(Cpu(), 1);
        if (!allocation.ok()) continue;
        held.push_back(std::move(*allocation));
        ++got;
      }
      (void)!write(results[1], &got, 1);
      char byte;
      (void)!read(release[0], &byte, 1);
      _exit(0);
    }
    children.push_back(child);
  }
  close(results[1]);
  close(release[0]);
  int total = 0;
  for (int i = 0; i < 3; ++i) {
    uint8_t got = 0;
    ASSERT_EQ(read(results[0], &got, 1), 1);
    total += got;
  }
  close(release[1]);
  for (pid_t child : children) waitpid(child, nullptr, 0);
  close(results[0]);
  EXPECT_EQ(total, 6) << "three processes of one user got " << total
                      << " buffers; the user's limit is 6";
}

TEST(QuotaEvasionByForkTest, ReleasingIdsWhileKeepingTheFdsKeepsTheCharge) {
  std::unique_ptr<ServiceProcess> service =
      StartService({"--max-buffers-per-client=3"});
  ASSERT_NE(service, nullptr);
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<ServiceClient> client,
                       ServiceClient::Connect(service->socket_path()));
  std::vector<Allocation> kept;
  for (int round = 0; round < 4; ++round) {
    absl::StatusOr<Allocation> allocation = client->Allocate(Cpu(), 1);
    if (round < 3) {
      ASSERT_THAT(allocation.status(), IsOk()) << round;
    } else {
      EXPECT_THAT(allocation.status(),
                  StatusIs(absl::StatusCode::kResourceExhausted));
      break;
    }
    ASSERT_OK_AND_ASSIGN(HandleInfo info,
                         DecodeHandle(allocation->buffers[0].handle.get()));
    // Give the id back, keep the memory.
    ASSERT_THAT(client->Release(info.buffer_id), IsOk());
    kept.push_back(std::move(*allocation));
  }
  // Dropping the fds is what gives the quota back.
  kept.clear();
  EXPECT_TRUE(Eventually([&] { return client->Allocate(Cpu(), 3).ok(); }));
}

TEST(QuotaEvasionByForkTest, ReconnectingKeepsTheCharge) {
  std::unique_ptr<ServiceProcess> service =
      StartService({"--max-buffers-per-client=2"});
  ASSERT_NE(service, nullptr);
  std::vector<Allocation> kept;
  for (int i = 0; i < 2; ++i) {
    ASSERT_OK_AND_ASSIGN(std::unique_ptr<ServiceClient> client,
                         ServiceClient::Connect(service->socket_path()));
    ASSERT_OK_AND_ASSIGN(Allocation allocation, client->Allocate(Cpu(), 1));
    kept.push_back(std::move(allocation));
  }  // each connection ends here, the buffers stay
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<ServiceClient> client,
                       ServiceClient::Connect(service->socket_path()));
  EXPECT_THAT(client->Allocate(Cpu(), 1).status(),
              StatusIs(absl::StatusCode::kResourceExhausted));
  kept.clear();
  EXPECT_TRUE(Eventually([&] { return client->Allocate(Cpu(), 2).ok(); }));
}

TEST(QuotaEvasionByForkTest, ReservedRegionsAndMetadataAreCharged) {
  // 32 MiB per process; each buffer is 16 KiB of pixels and an 8 MiB
  // reserved region in its metadata buffer.
  std::unique_ptr<ServiceProcess> service =
      StartService({"--max-bytes-per-client=33554432"});
  ASSERT_NE(service, nullptr);
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<ServiceClient> client,
                       ServiceClient::Connect(service->socket_path()));
  std::vector<Allocation> held;
  for (int i = 0; i < 10; ++i) {
    absl::StatusOr<Allocation> allocation =
        client->Allocate(Cpu(/*reserved=*/int64_t{8} << 20), 1);
    if (!allocation.ok()) {
      EXPECT_THAT(allocation.status(),
                  StatusIs(absl::StatusCode::kResourceExhausted));
      break;
    }
    held.push_back(std::move(*allocation));
  }
  EXPECT_EQ(held.size(), 3u);
}

}  // namespace
}  // namespace gralloc::testing
