// Copyright 2026 The gralloc for Linux Authors.

#include "tests/vm/vm_test_util.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xf86drm.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "allocator/platform.h"
#include "hal/base/status_macros.h"

namespace gralloc::vmtest {
namespace {

// The numbers N of the entries called <prefix>N in `dir`, sorted.
std::vector<int> NumberedEntries(const std::string& dir,
                                 absl::string_view prefix) {
  std::vector<int> numbers;
  DIR* d = opendir(dir.c_str());
  if (d == nullptr) return numbers;
  while (dirent* entry = readdir(d)) {
    absl::string_view name = entry->d_name;
    int n = 0;
    if (absl::ConsumePrefix(&name, prefix) && absl::SimpleAtoi(name, &n)) {
      numbers.push_back(n);
    }
  }
  closedir(d);
  std::sort(numbers.begin(), numbers.end());
  return numbers;
}

std::string ReadFirstLine(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  return line;
}

}  // namespace

bool PathExists(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0;
}

std::string FindVideoNode(absl::string_view sysfs_name) {
  for (int n : NumberedEntries("/sys/class/video4linux", "video")) {
    const std::string name =
        ReadFirstLine(absl::StrCat("/sys/class/video4linux/video", n, "/name"));
    if (name == sysfs_name) return absl::StrCat("/dev/video", n);
  }
  return "";
}

std::string FindDrmCard(absl::string_view driver_name) {
  for (int n : NumberedEntries("/dev/dri", "card")) {
    const std::string path = absl::StrCat("/dev/dri/card", n);
    UniqueFd fd(open(path.c_str(), O_RDWR | O_CLOEXEC));
    if (!fd) continue;
    drmVersionPtr version = drmGetVersion(fd.get());
    if (version == nullptr) continue;
    const bool match =
        absl::string_view(version->name, version->name_len) == driver_name;
    drmFreeVersion(version);
    if (match) return path;
  }
  return "";
}

std::string FdinfoValue(int fd, absl::string_view key) {
  std::ifstream in(absl::StrCat("/proc/self/fdinfo/", fd));
  std::string line;
  while (std::getline(in, line)) {
    absl::string_view rest = line;
    if (absl::ConsumePrefix(&rest, key) && absl::ConsumePrefix(&rest, ":")) {
      return std::string(absl::StripAsciiWhitespace(rest));
    }
  }
  return "<absent>";
}

absl::StatusOr<std::unique_ptr<Allocator>> MakeVmAllocator(bool probe_devices) {
  const char* srcdir = std::getenv("TEST_SRCDIR");
  const char* workspace = std::getenv("TEST_WORKSPACE");
  if (srcdir == nullptr) {
    return absl::FailedPreconditionError(
        "TEST_SRCDIR is not set: run under bazel test or tools/vm/run_vm.sh");
  }
  PlatformOptions options;
  options.profile_path =
      absl::StrCat(srcdir, "/", workspace != nullptr ? workspace : "gralloc",
                   "/allocator/profiles/vm-virtual-devices.json");
  options.probe_devices = probe_devices;
  ASSIGN_OR_RETURN(Platform platform, LoadPlatform(options));
  return Allocator::Create(std::move(platform.profile),
                           std::move(platform.heaps));
}

absl::StatusOr<VmBuffer> AllocateOne(AllocatorApi& allocator,
                                     const BufferDescriptorInfo& descriptor) {
  ASSIGN_OR_RETURN(Allocation allocation, allocator.Allocate(descriptor, 1));
  if (allocation.buffers.size() != 1) {
    return absl::InternalError(
        absl::StrCat("asked for 1 buffer, got ", allocation.buffers.size()));
  }
  VmBuffer buffer;
  buffer.handle = std::move(allocation.buffers[0].handle);
  // What another process would see: the handle, decoded.
  ASSIGN_OR_RETURN(buffer.info, DecodeHandle(buffer.handle.get()));
  return buffer;
}

std::string ArtifactDir() {
  for (const char* name :
       {"GRALLOC_VM_ARTIFACTS", "TEST_UNDECLARED_OUTPUTS_DIR"}) {
    const char* value = std::getenv(name);
    if (value != nullptr && value[0] != '\0') return value;
  }
  return "";
}

absl::Status WritePpm(const std::string& path, int width, int height,
                      const std::vector<uint8_t>& rgb) {
  if (width <= 0 || height <= 0 ||
      rgb.size() != static_cast<size_t>(width) * height * 3) {
    return absl::InvalidArgumentError(absl::StrCat(
        "WritePpm: ", rgb.size(), " bytes for ", width, "x", height));
  }
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << "P6\n" << width << " " << height << "\n255\n";
  out.write(reinterpret_cast<const char*>(rgb.data()),
            static_cast<std::streamsize>(rgb.size()));
  out.close();
  if (!out) {
    return absl::ErrnoToStatus(errno, absl::StrCat("writing ", path));
  }
  return absl::OkStatus();
}

}  // namespace gralloc::vmtest
