// Copyright 2026 The gralloc for Linux Authors.

#include "allocator/heaps/heap_util.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "hal/base/page_size.h"
#include "hal/base/status_macros.h"

namespace gralloc::heaps_internal {
namespace {

// memfd_create() refuses names longer than NAME_MAX minus its "memfd:"
// prefix; stay well below.
constexpr size_t kMaxMemfdNameBytes = 200;

}  // namespace

absl::Status PageAlignedSizeError(uint64_t size_bytes) {
  if (size_bytes == 0) {
    return absl::InvalidArgumentError("buffer size is 0 bytes");
  }
  uint64_t aligned = 0;
  if (!RoundUpToPage(size_bytes, &aligned)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "buffer size ", size_bytes, " overflows when rounded up to the ",
        PageSizeBytes(), "-byte page size"));
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "buffer size ", size_bytes, " exceeds the largest file size"));
}

absl::StatusOr<UniqueFd> CreateSizedMemfd(absl::string_view debug_name,
                                          uint64_t size_bytes) {
  // On the stack: this runs for every memfd buffer allocated.
  constexpr absl::string_view kPrefix = "gralloc:";
  // Not zeroed first: only the bytes written and the NUL after them.
  char name[kPrefix.size() + kMaxMemfdNameBytes + 1];
  kPrefix.copy(name, kPrefix.size());
  const size_t copied =
      debug_name.copy(name + kPrefix.size(), kMaxMemfdNameBytes);
  name[kPrefix.size() + copied] = '\0';
  UniqueFd fd(memfd_create(name, MFD_ALLOW_SEALING | MFD_CLOEXEC));
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
