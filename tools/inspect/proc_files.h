// Copyright 2026 The gralloc for Linux Authors.
//
// tools/inspect/proc_files.h: reading /proc and /sys files the way a
// scanner of live processes must.
//
// Processes exit while they are scanned, and their files go with them
// halfway through a read. The helpers here turn that into one status code
// the scanner can act on:
//   NotFound          the process, the fd or the file is gone (ENOENT,
//                     ESRCH): skip it quietly, it is not an error;
//   PermissionDenied  EACCES or EPERM: another user's process; the scanner
//                     counts it and says so once;
//   anything else     a real error, naming the path.
// Every read is bounded, so a hostile or huge file cannot exhaust memory.
//
// Thread safety: pure functions over the file system.

#ifndef GRALLOC_TOOLS_INSPECT_PROC_FILES_H_
#define GRALLOC_TOOLS_INSPECT_PROC_FILES_H_

#include <cstddef>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace gralloc::inspect {

// The whole of `path`, at most `max_bytes` of it (the rest is dropped, and
// the caller sees a truncated last line, which its parser must survive).
absl::StatusOr<std::string> ReadSmallFile(const std::string& path,
                                          size_t max_bytes = 64 * 1024);

// The target of the symbolic link `path` ("/dmabuf:camera-frame").
absl::StatusOr<std::string> ReadLinkAt(const std::string& path);

// The names in directory `path` other than "." and "..", unsorted.
absl::StatusOr<std::vector<std::string>> ListDirectory(const std::string& path);

// Whether `status` says the thing read is gone (the process exited or the
// fd was closed between listing and reading it).
inline bool IsVanished(const absl::Status& status) {
  return absl::IsNotFound(status);
}

}  // namespace gralloc::inspect

#endif  // GRALLOC_TOOLS_INSPECT_PROC_FILES_H_
