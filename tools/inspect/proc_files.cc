// Copyright 2026 The gralloc for Linux Authors.

#include "tools/inspect/proc_files.h"

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "absl/strings/str_cat.h"
#include "hal/base/status_macros.h"
#include "hal/base/unique_fd.h"

namespace gralloc::inspect {

absl::StatusOr<std::string> ReadSmallFile(const std::string& path,
                                          size_t max_bytes) {
  UniqueFd fd(open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd.valid()) return ErrnoStatus(absl::StrCat("open ", path));
  std::string text;
  // /proc files report size 0, so read until end of file in page steps.
  constexpr size_t kStep = 4096;
  while (text.size() < max_bytes) {
    const size_t old_size = text.size();
    const size_t want = std::min(kStep, max_bytes - old_size);
    text.resize(old_size + want);
    ssize_t n;
    do {
      n = read(fd.get(), text.data() + old_size, want);
    } while (n < 0 && errno == EINTR);
    if (n < 0) return ErrnoStatus(absl::StrCat("read ", path));
    text.resize(old_size + static_cast<size_t>(n));
    if (n == 0) break;
  }
  return text;
}

absl::StatusOr<std::string> ReadLinkAt(const std::string& path) {
  char target[PATH_MAX];
  const ssize_t n = readlink(path.c_str(), target, sizeof(target));
  if (n < 0) return ErrnoStatus(absl::StrCat("readlink ", path));
  return std::string(target, static_cast<size_t>(n));
}

absl::StatusOr<std::vector<std::string>> ListDirectory(
    const std::string& path) {
  DIR* dir = opendir(path.c_str());
  if (dir == nullptr) return ErrnoStatus(absl::StrCat("opendir ", path));
  std::vector<std::string> names;
  errno = 0;
  while (const dirent* entry = readdir(dir)) {
    const char* name = entry->d_name;
    if (name[0] == '.' &&
        (name[1] == '\0' || (name[1] == '.' && name[2] == '\0'))) {
      continue;
    }
    names.emplace_back(name);
  }
  const int saved_errno = errno;
  closedir(dir);
  if (saved_errno != 0) {
    return ErrnoStatus(saved_errno, absl::StrCat("readdir ", path));
  }
  return names;
}

}  // namespace gralloc::inspect
