// Copyright 2026 The gralloc for Linux Authors.
//
// Bug class: unprivileged access. Who may connect to gralloc-allocatord,
// and what a client may learn about other users' buffers. Each test runs
// the real service and acts as other users from forked children, so it
// needs root; without it, it skips and says so.

#include <unistd.h>

#include <cstdio>
#include <memory>
#include <string>

#include "allocator/allocator.h"
#include "allocator/client/service_client.h"
#include "allocator/service/protocol.h"
#include "gtest/gtest.h"
#include "hal/base/status_matchers.h"
#include "hal/handle/buffer_handle.h"
#include "hal/types/buffer_usage.h"
#include "hal/types/pixel_format.h"
#include "tests/integration/service_process.h"
#include "tests/security/as_user.h"

namespace gralloc::testing {
namespace {

BufferDescriptorInfo Cpu() {
  BufferDescriptorInfo d;
  d.name = "unprivileged";
  d.width = 32;
  d.height = 32;
  d.layer_count = 1;
  d.format = FormatValue(PixelFormat::RGBA_8888);
  d.usage = UsageValue(BufferUsage::CPU_READ_OFTEN) |
            UsageValue(BufferUsage::CPU_WRITE_OFTEN);
  return d;
}

// Fails the child with a message.
int Fail(const std::string& what) {
  std::fprintf(stderr, "child: %s\n", what.c_str());
  return 1;
}

class UnprivilegedAccessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (geteuid() != 0) {
      GTEST_SKIP() << "needs root to act as other users (setuid in a child)";
    }
  }
  void Start(std::vector<std::string> args) {
    dir_ = ShortSocketDir();
    socket_ = dir_ + "/a.sock";
    ASSERT_OK_AND_ASSIGN(service_,
                         ServiceProcess::Start(socket_, std::move(args)));
    MakeReachable(dir_);
  }
  std::string dir_;
  std::string socket_;
  std::unique_ptr<ServiceProcess> service_;
};

TEST_F(UnprivilegedAccessTest, TheDefaultSocketModeKeepsOtherUsersOut) {
  Start({});
  const int code = RunAs(kStrangerUid, kStrangerUid, {}, [&] {
    absl::StatusOr<std::unique_ptr<ServiceClient>> client =
        ServiceClient::Connect(socket_);
    if (client.ok()) return Fail("a stranger connected through mode 0660");
    if (client.status().message().find("Permission denied") ==
        absl::string_view::npos) {
      return Fail(std::string(client.status().message()));
    }
    return 0;
  });
  EXPECT_EQ(code, 0);
}

TEST_F(UnprivilegedAccessTest, TheAllowListRefusesWithAClearError) {
  constexpr gid_t kVideo = 4242;
  Start({"--socket-mode=0666", "--allow-groups=4242"});
  // Not in the group: one clear error, nothing allocated.
  EXPECT_EQ(RunAs(kStrangerUid, kStrangerUid, {},
                  [&] {
                    absl::StatusOr<std::unique_ptr<ServiceClient>> client =
                        ServiceClient::Connect(socket_);
                    if (!client.ok()) return Fail("connect failed");
                    absl::StatusOr<Allocation> allocation =
                        (*client)->Allocate(Cpu(), 1);
                    if (allocation.ok()) return Fail("a stranger allocated");
                    if (!absl::IsPermissionDenied(allocation.status()) ||
                        allocation.status().message().find(
                            "may not use this allocator service") ==
                            absl::string_view::npos) {
                      return Fail(allocation.status().ToString());
                    }
                    return 0;
                  }),
            0);
  // In the group (as a supplementary group): served.
  EXPECT_EQ(
      RunAs(kStrangerUid, kStrangerUid, {kVideo},
            [&] {
              absl::StatusOr<std::unique_ptr<ServiceClient>> client =
                  ServiceClient::Connect(socket_);
              if (!client.ok()) return Fail("connect failed");
              absl::StatusOr<Allocation> allocation =
                  (*client)->Allocate(Cpu(), 1);
              return allocation.ok() ? 0 : Fail(allocation.status().ToString());
            }),
      0);
}

TEST_F(UnprivilegedAccessTest, ListAndStatsShowOnlyTheCallersOwnBuffers) {
  Start({"--socket-mode=0666"});
  // Root (privileged) holds two buffers.
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<ServiceClient> root,
                       ServiceClient::Connect(socket_));
  ASSERT_OK_AND_ASSIGN(Allocation mine, root->Allocate(Cpu(), 2));
  ASSERT_OK_AND_ASSIGN(HandleInfo info,
                       DecodeHandle(mine.buffers[0].handle.get()));
  const uint64_t root_buffer = info.buffer_id;
  EXPECT_EQ(
      RunAs(kStrangerUid, kStrangerUid, {},
            [&] {
              absl::StatusOr<std::unique_ptr<ServiceClient>> client =
                  ServiceClient::Connect(socket_);
              if (!client.ok()) return Fail("connect failed");
              absl::StatusOr<Allocation> own = (*client)->Allocate(Cpu(), 1);
              if (!own.ok()) return Fail(own.status().ToString());
              absl::StatusOr<std::vector<service::ListEntry>> list =
                  (*client)->List();
              if (!list.ok() || list->size() != 1 ||
                  (*list)[0].uid != kStrangerUid) {
                return Fail("LIST showed more than the caller's own buffer");
              }
              absl::StatusOr<service::StatsReply> stats = (*client)->Stats();
              if (!stats.ok() || stats->live_buffers != 1 ||
                  stats->connections != 1) {
                return Fail("STATS counted other users");
              }
              for (const service::AccountUsage& account : stats->accounts) {
                if (account.uid != kStrangerUid) {
                  return Fail("STATS showed another user's process");
                }
              }
              absl::StatusOr<Verdict> serves = (*client)->ServesRecord(
                  root_buffer, UsageValue(BufferUsage::CPU_READ_OFTEN));
              if (!absl::IsNotFound(serves.status())) {
                return Fail("SERVES found another user's record");
              }
              return 0;
            }),
      0);
  // Root sees everyone's.
  ASSERT_OK_AND_ASSIGN(std::vector<service::ListEntry> all, root->List());
  EXPECT_GE(all.size(), 2u);
  ASSERT_OK_AND_ASSIGN(service::StatsReply stats, root->Stats());
  EXPECT_GE(stats.live_buffers, 2u);
}

}  // namespace
}  // namespace gralloc::testing
