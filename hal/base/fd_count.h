// Copyright 2026 The gralloc for Linux Authors.
//
// hal/base/fd_count.h: counts this process's open file descriptors, for
// tests that prove no path leaks an fd. Test-only.

#ifndef GRALLOC_HAL_BASE_FD_COUNT_H_
#define GRALLOC_HAL_BASE_FD_COUNT_H_

#include <dirent.h>

namespace gralloc::testing {

// The number of entries in /proc/self/fd, not counting the directory handle
// used to read it. Returns -1 if /proc is not mounted.
inline int OpenFdCount() {
  DIR* dir = opendir("/proc/self/fd");
  if (dir == nullptr) return -1;
  int count = 0;
  while (const dirent* entry = readdir(dir)) {
    if (entry->d_name[0] != '.') ++count;
  }
  closedir(dir);
  return count - 1;
}

}  // namespace gralloc::testing

#endif  // GRALLOC_HAL_BASE_FD_COUNT_H_
