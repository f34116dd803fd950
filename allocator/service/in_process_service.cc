// Copyright 2026 The gralloc for Linux Authors.

#include "allocator/service/in_process_service.h"

#include <utility>
#include <vector>

#include "allocator/heaps/heap_registry.h"
#include "allocator/heaps/memfd_heap.h"
#include "allocator/negotiation/profile.h"
#include "hal/base/short_temp_dir.h"
#include "hal/base/status_macros.h"

namespace gralloc::service {

absl::StatusOr<std::unique_ptr<InProcessService>> InProcessService::Start(
    ServerOptions options, std::unique_ptr<AllocatorApi> allocator) {
  auto dir = std::make_unique<testing::ShortTempDir>();
  if (options.socket_path == kDefaultSocketPath) {
    if (dir->path().empty()) {
      return absl::InternalError("cannot make a directory under /tmp");
    }
    options.socket_path = dir->File("a.sock");
  }
  if (allocator == nullptr) {
    std::vector<std::unique_ptr<Heap>> heaps;
    heaps.push_back(std::make_unique<MemfdHeap>());
    ASSIGN_OR_RETURN(
        allocator,
        Allocator::Create(BuiltinProfile(), HeapRegistry(std::move(heaps))));
  }
  ASSIGN_OR_RETURN(std::unique_ptr<Server> server,
                   Server::Create(std::move(options), std::move(allocator)));
  return std::unique_ptr<InProcessService>(
      new InProcessService(std::move(dir), std::move(server)));
}

InProcessService::InProcessService(std::unique_ptr<testing::ShortTempDir> dir,
                                   std::unique_ptr<Server> server)
    : dir_(std::move(dir)),
      server_(std::move(server)),
      loop_([this] { (void)server_->Run(); }) {}

InProcessService::~InProcessService() {
  server_->Stop();
  loop_.join();
  server_.reset();  // removes its socket before the directory goes
}

}  // namespace gralloc::service
