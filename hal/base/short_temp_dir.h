// Copyright 2026 The gralloc for Linux Authors.
//
// hal/base/short_temp_dir.h: a temporary directory with a short path, for
// Unix socket paths in tests (sun_path holds 107 bytes; TEST_TMPDIR can be
// longer). The directory and everything in it are removed on destruction,
// by the process that made it only (a forked child that exits leaves it).
// Test-only.

#ifndef GRALLOC_HAL_BASE_SHORT_TEMP_DIR_H_
#define GRALLOC_HAL_BASE_SHORT_TEMP_DIR_H_

#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <system_error>

namespace gralloc::testing {

class ShortTempDir final {
 public:
  ShortTempDir() {
    char pattern[] = "/tmp/gralloc-XXXXXX";
    if (mkdtemp(pattern) != nullptr) path_ = pattern;
    owner_ = getpid();
  }
  ShortTempDir(const ShortTempDir&) = delete;
  ShortTempDir& operator=(const ShortTempDir&) = delete;
  ~ShortTempDir() {
    if (path_.empty() || getpid() != owner_) return;
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }

  // The directory, or "" if it could not be made.
  const std::string& path() const { return path_; }
  // `name` inside the directory.
  std::string File(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
  pid_t owner_ = 0;
};

}  // namespace gralloc::testing

#endif  // GRALLOC_HAL_BASE_SHORT_TEMP_DIR_H_
