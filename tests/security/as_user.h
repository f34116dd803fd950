// Copyright 2026 The gralloc for Linux Authors.
//
// tests/security/as_user.h: running a piece of a test as another user, in a
// forked child, for the access-control tests. Needs root (the tests skip
// with a reason otherwise). Test-only.

#ifndef GRALLOC_TESTS_SECURITY_AS_USER_H_
#define GRALLOC_TESTS_SECURITY_AS_USER_H_

#include <sys/types.h>

#include <functional>
#include <string>
#include <vector>

namespace gralloc::testing {

// An unprivileged uid/gid no real account uses ("nobody"-like).
inline constexpr uid_t kStrangerUid = 65534;
inline constexpr uid_t kOtherStrangerUid = 65533;

// Forks; the child drops to `uid`/`gid` with `groups` as its supplementary
// groups, runs `body` and exits with its return value (0 for success).
// Returns the child's exit code, or -1 if it did not exit normally. Call
// while the test is single-threaded.
int RunAs(uid_t uid, gid_t gid, const std::vector<gid_t>& groups,
          const std::function<int()>& body);

// Makes `path` and every directory above it traversable by everyone, so
// another user can reach a socket in it.
void MakeReachable(const std::string& path);

}  // namespace gralloc::testing

#endif  // GRALLOC_TESTS_SECURITY_AS_USER_H_
