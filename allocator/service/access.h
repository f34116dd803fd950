// Copyright 2026 The gralloc for Linux Authors.
//
// allocator/service/access.h: who may use the service, and who may see
// everyone's buffers.
//
// Three layers, outermost first:
//   1. The socket file: its mode, owner and group (ServerOptions; the
//      systemd unit runs the service as its own user in a runtime
//      directory, socket mode 0660, group "gralloc"), so the kernel keeps
//      out whoever may not even connect.
//   2. The allow-list, checked on every connection with the peer's
//      credentials as the kernel reports them (SO_PEERCRED and
//      SO_PEERGROUPS, which a client cannot forge): when it names any user
//      or group, a peer must have one of those uids, or one of those
//      groups as its primary or a supplementary group. A peer that is not
//      allowed gets one error reply, PERMISSION_DENIED naming its uid and
//      the flags to change, and the connection ends.
//   3. Privilege: STATS and LIST show a client only its own user's
//      processes and buffers, and SERVES by BUFFER_ID finds only its own
//      user's, unless the peer is privileged (an admin user or group).
// Root and the service's own user are always allowed and privileged.

#ifndef GRALLOC_ALLOCATOR_SERVICE_ACCESS_H_
#define GRALLOC_ALLOCATOR_SERVICE_ACCESS_H_

#include <sys/types.h>

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace gralloc::service {

struct AccessPolicy {
  // Who may connect; both empty: anyone who can open the socket.
  std::vector<uid_t> allowed_users;
  std::vector<gid_t> allowed_groups;
  // Who sees everyone in STATS and LIST.
  std::vector<uid_t> admin_users;
  std::vector<gid_t> admin_groups;
};

struct PeerCredentials {
  pid_t pid = 0;
  // The process's start time (/proc/<pid>/stat, clock ticks since boot; 0
  // if it could not be read), which tells a reused pid apart.
  uint64_t start_time = 0;
  uid_t uid = 0;
  gid_t gid = 0;
  std::vector<gid_t> groups;  // supplementary
};

// The peer of a connected Unix socket, as the kernel recorded it, and the
// start time of its process.
absl::StatusOr<PeerCredentials> ReadPeerCredentials(int socket);

// OK, or PermissionDenied saying who was refused and why.
absl::Status CheckAccess(const AccessPolicy& policy,
                         const PeerCredentials& peer, uid_t service_uid);

bool IsPrivileged(const AccessPolicy& policy, const PeerCredentials& peer,
                  uid_t service_uid);

// A user or group by name or number ("video", "44").
absl::StatusOr<uid_t> ResolveUser(absl::string_view name);
absl::StatusOr<gid_t> ResolveGroup(absl::string_view name);

}  // namespace gralloc::service

#endif  // GRALLOC_ALLOCATOR_SERVICE_ACCESS_H_
