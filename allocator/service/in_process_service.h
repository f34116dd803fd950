// Copyright 2026 The gralloc for Linux Authors.
//
// allocator/service/in_process_service.h: a real Server running its loop
// on a thread of the test process, for tests that talk to the service
// through its socket but also want to look inside (its ledger, its
// Snapshot()).
//
//   ASSERT_OK_AND_ASSIGN(auto service, InProcessService::Start());
//   ServiceClient::Connect(service->socket());
//
// The socket lives in a new directory under /tmp (sun_path is 108 bytes,
// which TEST_TMPDIR may exceed) unless the options name one. Without an
// allocator, the service allocates from a memfd heap under the built-in
// profile, which every machine has. Stopped and joined at destruction.
//
// Test-only. Thread safety: server() is the Server's own (see server.h).

#ifndef GRALLOC_ALLOCATOR_SERVICE_IN_PROCESS_SERVICE_H_
#define GRALLOC_ALLOCATOR_SERVICE_IN_PROCESS_SERVICE_H_

#include <memory>
#include <string>
#include <thread>

#include "absl/status/statusor.h"
#include "allocator/allocator.h"
#include "allocator/service/server.h"
#include "hal/base/short_temp_dir.h"

namespace gralloc::service {

class InProcessService final {
 public:
  static absl::StatusOr<std::unique_ptr<InProcessService>> Start(
      ServerOptions options = {},
      std::unique_ptr<AllocatorApi> allocator = nullptr);
  ~InProcessService();
  InProcessService(const InProcessService&) = delete;
  InProcessService& operator=(const InProcessService&) = delete;

  Server& server() { return *server_; }
  const std::string& socket() const { return server_->socket_path(); }

 private:
  InProcessService(std::unique_ptr<testing::ShortTempDir> dir,
                   std::unique_ptr<Server> server);

  std::unique_ptr<testing::ShortTempDir> dir_;  // the socket's
  std::unique_ptr<Server> server_;
  std::thread loop_;
};

}  // namespace gralloc::service

#endif  // GRALLOC_ALLOCATOR_SERVICE_IN_PROCESS_SERVICE_H_
