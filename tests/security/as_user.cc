// Copyright 2026 The gralloc for Linux Authors.

#include "tests/security/as_user.h"

#include <grp.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>

namespace gralloc::testing {

int RunAs(uid_t uid, gid_t gid, const std::vector<gid_t>& groups,
          const std::function<int()>& body) {
  const pid_t child = fork();
  if (child < 0) return -1;
  if (child == 0) {
    if (setgroups(groups.size(), groups.data()) != 0 || setgid(gid) != 0 ||
        setuid(uid) != 0) {
      _exit(100);
    }
    _exit(body());
  }
  int status = 0;
  while (waitpid(child, &status, 0) < 0) {
    if (errno != EINTR) return -1;
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

void MakeReachable(const std::string& path) {
  for (std::string dir = path; !dir.empty() && dir != "/";
       dir = dir.substr(0, dir.rfind('/'))) {
    struct stat st;
    if (stat(dir.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) {
      chmod(dir.c_str(), (st.st_mode & 07777) | 0755);
    }
  }
}

}  // namespace gralloc::testing
