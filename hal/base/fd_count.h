// Copyright 2026 The gralloc for Linux Authors.
//
// hal/base/fd_count.h: counts this process's open file descriptors (all
// of them, or those of buffers), for tests that prove no path leaks an fd.
// Test-only.

#ifndef GRALLOC_HAL_BASE_FD_COUNT_H_
#define GRALLOC_HAL_BASE_FD_COUNT_H_

#include <dirent.h>
#include <unistd.h>

#include <string>

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

// The entries of `fd_dir` (this process's, or another's /proc/<pid>/fd)
// that are gralloc buffers: the memfd backend's pixels and metadata
// ("/memfd:gralloc:..." and "/memfd:gralloc-md:...") and dma-bufs
// ("anon_inode:dmabuf", or "/dmabuf:<name>" on newer kernels). Returns -1
// if the directory cannot be read.
inline int BufferFdCount(const std::string& fd_dir = "/proc/self/fd") {
  DIR* dir = opendir(fd_dir.c_str());
  if (dir == nullptr) return -1;
  int count = 0;
  while (const dirent* entry = readdir(dir)) {
    if (entry->d_name[0] == '.') continue;
    char link[256];
    const std::string path = fd_dir + "/" + entry->d_name;
    const ssize_t length = readlink(path.c_str(), link, sizeof(link) - 1);
    if (length <= 0) continue;
    const std::string target(link, static_cast<size_t>(length));
    if (target.rfind("/memfd:gralloc", 0) == 0 ||
        target.find("dmabuf") != std::string::npos) {
      ++count;
    }
  }
  closedir(dir);
  return count;
}

}  // namespace gralloc::testing

#endif  // GRALLOC_HAL_BASE_FD_COUNT_H_
