// Copyright 2026 The gralloc for Linux Authors.
//
// allocator/client/open.h: how the C ABI obtains an allocator.

#ifndef GRALLOC_ALLOCATOR_CLIENT_OPEN_H_
#define GRALLOC_ALLOCATOR_CLIENT_OPEN_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "allocator/allocator.h"

namespace gralloc {

// An in-process allocator: the profile from the JSON file `profile_path`
// (empty: the built-in generic profile) and the heaps this machine has.
absl::StatusOr<std::unique_ptr<AllocatorApi>> OpenInProcess(
    const std::string& profile_path);

// A client of the allocator service at `socket_path` (empty:
// $GRALLOC_ALLOCATOR_SOCKET, else /run/gralloc/allocator.sock).
absl::StatusOr<std::unique_ptr<AllocatorApi>> ConnectToService(
    const std::string& socket_path);

}  // namespace gralloc

#endif  // GRALLOC_ALLOCATOR_CLIENT_OPEN_H_
