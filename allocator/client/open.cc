// Copyright 2026 The gralloc for Linux Authors.

#include "allocator/client/open.h"

#include <utility>

#include "absl/status/status.h"
#include "hal/base/status_macros.h"

namespace gralloc {

absl::StatusOr<std::unique_ptr<AllocatorApi>> OpenInProcess(
    const std::string& profile_path) {
  if (!profile_path.empty()) {
    // Profile files arrive with the JSON loader; until then only the
    // built-in profile can be used.
    return absl::UnimplementedError(
        "profile files are not supported yet; pass NULL for the built-in "
        "profile");
  }
  ASSIGN_OR_RETURN(std::unique_ptr<Allocator> allocator,
                   Allocator::Create(BuiltinProfile(),
                                     HeapRegistry::Probe(ProbeOptions())));
  return std::unique_ptr<AllocatorApi>(std::move(allocator));
}

absl::StatusOr<std::unique_ptr<AllocatorApi>> ConnectToService(
    const std::string& socket_path) {
  (void)socket_path;
  return absl::UnimplementedError(
      "the allocator service is not available in this build yet");
}

}  // namespace gralloc
