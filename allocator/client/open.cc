// Copyright 2026 The gralloc for Linux Authors.

#include "allocator/client/open.h"

#include <utility>

#include "absl/status/status.h"
#include "allocator/client/service_client.h"
#include "allocator/platform.h"
#include "hal/base/status_macros.h"

namespace gralloc {

absl::StatusOr<std::unique_ptr<AllocatorApi>> OpenInProcess(
    const std::string& profile_path) {
  PlatformOptions options;
  options.profile_path = profile_path;
  ASSIGN_OR_RETURN(Platform platform, LoadPlatform(options));
  ASSIGN_OR_RETURN(std::unique_ptr<Allocator> allocator,
                   Allocator::Create(std::move(platform.profile),
                                     std::move(platform.heaps)));
  return std::unique_ptr<AllocatorApi>(std::move(allocator));
}

absl::StatusOr<std::unique_ptr<AllocatorApi>> ConnectToService(
    const std::string& socket_path) {
  ASSIGN_OR_RETURN(std::unique_ptr<ServiceClient> client,
                   ServiceClient::Connect(socket_path));
  return std::unique_ptr<AllocatorApi>(std::move(client));
}

}  // namespace gralloc
