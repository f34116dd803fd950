// Copyright 2026 The gralloc for Linux Authors.

#include "allocator/service/access.h"

#include <sys/socket.h>
#include <unistd.h>

#include "gtest/gtest.h"
#include "hal/base/status_matchers.h"
#include "hal/base/unique_fd.h"

namespace gralloc::service {
namespace {

using ::gralloc::testing::IsOk;
using ::gralloc::testing::StatusIs;
using ::testing::HasSubstr;

PeerCredentials Peer(uid_t uid, gid_t gid, std::vector<gid_t> groups = {}) {
  PeerCredentials peer;
  peer.pid = 1234;
  peer.uid = uid;
  peer.gid = gid;
  peer.groups = std::move(groups);
  return peer;
}

constexpr uid_t kService = 990;

TEST(AccessTest, EmptyAllowListAllowsWhoeverReachesTheSocket) {
  EXPECT_THAT(CheckAccess(AccessPolicy{}, Peer(1000, 1000), kService), IsOk());
}

TEST(AccessTest, AllowListByUserPrimaryOrSupplementaryGroup) {
  AccessPolicy policy;
  policy.allowed_users = {1001};
  policy.allowed_groups = {44};
  EXPECT_THAT(CheckAccess(policy, Peer(1001, 1001), kService), IsOk());
  EXPECT_THAT(CheckAccess(policy, Peer(1002, 44), kService), IsOk());
  EXPECT_THAT(CheckAccess(policy, Peer(1003, 1003, {27, 44}), kService),
              IsOk());
  EXPECT_THAT(
      CheckAccess(policy, Peer(1004, 1004, {27}), kService),
      StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("uid 1004")));
  // Root and the service's own user always may.
  EXPECT_THAT(CheckAccess(policy, Peer(0, 0), kService), IsOk());
  EXPECT_THAT(CheckAccess(policy, Peer(kService, kService), kService), IsOk());
}

TEST(AccessTest, PrivilegeIsRootTheServiceOrAnAdmin) {
  AccessPolicy policy;
  policy.admin_users = {1001};
  policy.admin_groups = {50};
  EXPECT_TRUE(IsPrivileged(policy, Peer(0, 0), kService));
  EXPECT_TRUE(IsPrivileged(policy, Peer(kService, 7), kService));
  EXPECT_TRUE(IsPrivileged(policy, Peer(1001, 1001), kService));
  EXPECT_TRUE(IsPrivileged(policy, Peer(1002, 1002, {50}), kService));
  EXPECT_FALSE(IsPrivileged(policy, Peer(1003, 1003, {51}), kService));
}

TEST(AccessTest, PeerCredentialsComeFromTheKernel) {
  int fds[2];
  ASSERT_EQ(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, fds), 0);
  UniqueFd a(fds[0]), b(fds[1]);
  ASSERT_OK_AND_ASSIGN(PeerCredentials peer, ReadPeerCredentials(a.get()));
  EXPECT_EQ(peer.pid, getpid());
  EXPECT_EQ(peer.uid, geteuid());
  EXPECT_EQ(peer.gid, getegid());
  EXPECT_GT(peer.start_time, 0u);
  std::vector<gid_t> groups(static_cast<size_t>(getgroups(0, nullptr)));
  ASSERT_EQ(getgroups(static_cast<int>(groups.size()), groups.data()),
            static_cast<int>(groups.size()));
  EXPECT_EQ(peer.groups.size(), groups.size());
}

TEST(AccessTest, NamesAndNumbersResolve) {
  ASSERT_OK_AND_ASSIGN(uid_t root, ResolveUser("root"));
  EXPECT_EQ(root, 0u);
  ASSERT_OK_AND_ASSIGN(uid_t uid, ResolveUser("4242"));
  EXPECT_EQ(uid, 4242u);
  ASSERT_OK_AND_ASSIGN(gid_t gid, ResolveGroup("root"));
  EXPECT_EQ(gid, 0u);
  EXPECT_THAT(ResolveUser("no-such-user-gralloc").status(),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(ResolveGroup("no-such-group-gralloc").status(),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace gralloc::service
