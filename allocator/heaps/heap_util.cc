// Copyright 2026 The gralloc for Linux Authors.

#include "allocator/heaps/heap_util.h"

#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <limits>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "hal/base/status_macros.h"

namespace gralloc::heaps_internal {
namespace {

// memfd_create() refuses names longer than NAME_MAX minus its "memfd:"
// prefix; stay well below.
constexpr size_t kMaxMemfdNameBytes = 200;

}  // namespace

uint64_t PageSizeBytes() {
  static const uint64_t page_size_bytes = [] {
    long value = sysconf(_SC_PAGESIZE);
    return value > 0 ? static_cast<uint64_t>(value) : uint64_t{4096};
  }();
  return page_size_bytes;
}

absl::StatusOr<uint64_t> PageAlignedSize(uint64_t size_bytes) {
  if (size_bytes == 0) {
    return absl::InvalidArgumentError("buffer size is 0 bytes");
  }
  const uint64_t page_bytes = PageSizeBytes();
  uint64_t padded = 0;
  if (__builtin_add_overflow(size_bytes, page_bytes - 1, &padded)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "buffer size ", size_bytes, " overflows when rounded up to the ",
        page_bytes, "-byte page size"));
  }
  const uint64_t aligned = padded & ~(page_bytes - 1);
  if (aligned > static_cast<uint64_t>(std::numeric_limits<off_t>::max())) {
    return absl::InvalidArgumentError(absl::StrCat(
        "buffer size ", size_bytes, " exceeds the largest file size"));
  }
  return aligned;
}

int RetryIoctl(int fd, unsigned long request, void* arg) {
  int result;
  do {
    result = ioctl(fd, request, arg);
  } while (result == -1 && (errno == EINTR || errno == EAGAIN));
  return result;
}

absl::StatusOr<UniqueFd> CreateSizedMemfd(absl::string_view debug_name,
                                          uint64_t size_bytes) {
  std::string name =
      absl::StrCat("gralloc:", debug_name.substr(0, kMaxMemfdNameBytes));
  UniqueFd fd(memfd_create(name.c_str(), MFD_ALLOW_SEALING | MFD_CLOEXEC));
  if (!fd.valid()) return ErrnoStatus("memfd_create");
  int result;
  do {
    result = ftruncate(fd.get(), static_cast<off_t>(size_bytes));
  } while (result == -1 && errno == EINTR);
  if (result == -1) {
    return ErrnoStatus(
        absl::StrCat("ftruncate of memfd to ", size_bytes, " bytes"));
  }
  return fd;
}

absl::string_view Basename(absl::string_view path) {
  while (path.size() > 1 && path.back() == '/') path.remove_suffix(1);
  const size_t slash = path.rfind('/');
  return slash == absl::string_view::npos ? path : path.substr(slash + 1);
}

absl::Status AddSeals(int fd, unsigned int seals) {
  if (fcntl(fd, F_ADD_SEALS, seals) == -1) {
    return ErrnoStatus(
        absl::StrCat("fcntl(F_ADD_SEALS, 0x", absl::Hex(seals), ")"));
  }
  return absl::OkStatus();
}

}  // namespace gralloc::heaps_internal
