// Copyright 2026 The gralloc for Linux Authors.
//
// tools/inspect/maps.h: one line of /proc/<pid>/maps.
//
//   7f7bf43bb000-7f7bf43bd000 rw-s 00000000 00:01 73820251   /memfd:x (deleted)
//   start-end                 perms offset  dev   inode      path
//
// Addresses and the file offset are hex, the device is major:minor in hex,
// the inode decimal; the path is the rest of the line after the padding
// (it may contain spaces). A dma-buf mapping's path is "/dmabuf:<name>"
// (kernels since 5.3; before that "anon_inode:dmabuf"), a memfd's
// "/memfd:<name> (deleted)".
//
// Thread safety: a pure function.

#ifndef GRALLOC_TOOLS_INSPECT_MAPS_H_
#define GRALLOC_TOOLS_INSPECT_MAPS_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/strings/string_view.h"

namespace gralloc::inspect {

struct MapsEntry {
  uint64_t start = 0;
  uint64_t end = 0;           // exclusive
  uint64_t offset_bytes = 0;  // into the file
  uint64_t device = 0;        // as st_dev: makedev(major, minor)
  uint64_t inode = 0;
  bool shared = false;  // 's' in the permissions
  std::string path;

  uint64_t length_bytes() const { return end - start; }
};

// The entry `line` describes, or nullopt when it is malformed (too few
// fields, a number that does not parse, end before start).
std::optional<MapsEntry> ParseMapsLine(absl::string_view line);

}  // namespace gralloc::inspect

#endif  // GRALLOC_TOOLS_INSPECT_MAPS_H_
