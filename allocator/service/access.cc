// Copyright 2026 The gralloc for Linux Authors.

#include "allocator/service/access.h"

#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <string>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "hal/base/status_macros.h"

namespace gralloc::service {
namespace {

template <typename T>
bool Contains(const std::vector<T>& list, T value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

bool InAny(const std::vector<gid_t>& list, const PeerCredentials& peer) {
  if (Contains(list, peer.gid)) return true;
  for (gid_t group : peer.groups) {
    if (Contains(list, group)) return true;
  }
  return false;
}

// Field 22 of /proc/<pid>/stat, after the command name (which may hold
// spaces and parentheses, so fields are counted from its last ')').
uint64_t ProcessStartTime(pid_t pid) {
  const std::string path = absl::StrCat("/proc/", pid, "/stat");
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return 0;
  char buffer[1024];
  const ssize_t n = read(fd, buffer, sizeof(buffer) - 1);
  close(fd);
  if (n <= 0) return 0;
  const absl::string_view text(buffer, static_cast<size_t>(n));
  const size_t close_paren = text.rfind(')');
  if (close_paren == absl::string_view::npos) return 0;
  std::vector<absl::string_view> fields =
      absl::StrSplit(text.substr(close_paren + 1), ' ', absl::SkipEmpty());
  // fields[0] is field 3 (state); field 22 is fields[19].
  uint64_t start = 0;
  if (fields.size() < 20 || !absl::SimpleAtoi(fields[19], &start)) return 0;
  return start;
}

}  // namespace

absl::StatusOr<PeerCredentials> ReadPeerCredentials(int socket) {
  ucred credentials{};
  socklen_t length = sizeof(credentials);
  if (getsockopt(socket, SOL_SOCKET, SO_PEERCRED, &credentials, &length) != 0) {
    return ErrnoStatus("getsockopt(SO_PEERCRED)");
  }
  PeerCredentials peer;
  peer.pid = credentials.pid;
  peer.uid = credentials.uid;
  peer.gid = credentials.gid;
  peer.start_time = ProcessStartTime(peer.pid);
  // SO_PEERGROUPS: ERANGE tells the size needed.
  std::vector<gid_t> groups(64);
  for (int attempt = 0; attempt < 4; ++attempt) {
    socklen_t bytes = static_cast<socklen_t>(groups.size() * sizeof(gid_t));
    if (getsockopt(socket, SOL_SOCKET, SO_PEERGROUPS, groups.data(), &bytes) ==
        0) {
      groups.resize(bytes / sizeof(gid_t));
      peer.groups = std::move(groups);
      return peer;
    }
    if (errno != ERANGE) break;
    groups.resize(bytes / sizeof(gid_t) + 1);
  }
  // No supplementary groups known: only the primary group counts.
  return peer;
}

bool IsPrivileged(const AccessPolicy& policy, const PeerCredentials& peer,
                  uid_t service_uid) {
  return peer.uid == 0 || peer.uid == service_uid ||
         Contains(policy.admin_users, peer.uid) ||
         InAny(policy.admin_groups, peer);
}

absl::Status CheckAccess(const AccessPolicy& policy,
                         const PeerCredentials& peer, uid_t service_uid) {
  if (policy.allowed_users.empty() && policy.allowed_groups.empty()) {
    return absl::OkStatus();
  }
  if (IsPrivileged(policy, peer, service_uid) ||
      Contains(policy.allowed_users, peer.uid) ||
      InAny(policy.allowed_groups, peer)) {
    return absl::OkStatus();
  }
  return absl::PermissionDeniedError(
      absl::StrCat("uid ", peer.uid, " (gid ", peer.gid,
                   ") may not use this allocator service; it allows users [",
                   absl::StrJoin(policy.allowed_users, ","), "] and groups [",
                   absl::StrJoin(policy.allowed_groups, ","),
                   "] (gralloc-allocatord --allow-users/--allow-groups)"));
}

absl::StatusOr<uid_t> ResolveUser(absl::string_view name) {
  uint32_t number = 0;
  if (absl::SimpleAtoi(name, &number)) return static_cast<uid_t>(number);
  const std::string text(name);
  passwd entry;
  passwd* found = nullptr;
  char buffer[4096];
  if (getpwnam_r(text.c_str(), &entry, buffer, sizeof(buffer), &found) != 0 ||
      found == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat("no user '", name, "'"));
  }
  return found->pw_uid;
}

absl::StatusOr<gid_t> ResolveGroup(absl::string_view name) {
  uint32_t number = 0;
  if (absl::SimpleAtoi(name, &number)) return static_cast<gid_t>(number);
  const std::string text(name);
  group entry;
  group* found = nullptr;
  char buffer[16384];
  if (getgrnam_r(text.c_str(), &entry, buffer, sizeof(buffer), &found) != 0 ||
      found == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat("no group '", name, "'"));
  }
  return found->gr_gid;
}

}  // namespace gralloc::service
