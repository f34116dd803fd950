// Copyright 2026 The gralloc for Linux Authors.
//
// allocator/client/service_client.h: the allocator, through the service.
//
// ServiceClient implements AllocatorApi over the allocator service's socket
// (allocator/service/protocol.h), with the in-process allocator's semantics:
// the same answers from IsSupported(), the same status codes from
// Allocate(), the stride, a Plan (without the negotiation trace) and raw
// handles that own their fds.
//
//   ASSIGN_OR_RETURN(std::unique_ptr<ServiceClient> client,
//                    ServiceClient::Connect(""));  // $GRALLOC_ALLOCATOR_SOCKET
//   ASSIGN_OR_RETURN(Allocation allocation, client->Allocate(info, 2));
//   ...
//   RETURN_IF_ERROR(client->Release(buffer_id));  // give the quota back
//
// Buffer records and quotas: the service charges every buffer to the client
// that allocated it until Release() or until this client's connection
// closes (destruction, or the process exiting). Release() only returns
// quota; the buffer itself lives as long as anyone holds its fds.
//
// Service restarts: when the connection turns out to be dead (EPIPE,
// ECONNRESET, end of file) or the service is not there (ECONNREFUSED), a
// call reconnects once after a short back-off and retries. Buffers from
// before the restart stay valid; the new service does not know them, so
// Release() of such a buffer is NotFound and changes nothing. Retrying an
// ALLOCATE is safe: buffers made by a service that died before replying
// died with it.
//
// Errors: the service's status, code and message as the allocator produced
// them; Unavailable when the service cannot be reached; DeadlineExceeded
// when a reply does not come in time; DataLoss when the service breaks the
// protocol. After a failed exchange the connection is dropped and the next
// call opens a new one.
//
// Thread safety: all methods may be called from many threads; calls are
// serialised on the one connection.

#ifndef GRALLOC_ALLOCATOR_CLIENT_SERVICE_CLIENT_H_
#define GRALLOC_ALLOCATOR_CLIENT_SERVICE_CLIENT_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "allocator/allocator.h"
#include "allocator/service/protocol.h"
#include "allocator/service/seqpacket.h"
#include "hal/base/mutex.h"
#include "hal/base/unique_fd.h"

namespace gralloc {

// $GRALLOC_CLIENT_SPIN_US if it is a number from 0 to 10000, else 100: the
// default of ServiceClientOptions::reply_spin_us, so that a platform can
// turn the spinning off (0) for every client, C ABI clients included.
int DefaultReplySpinUs();

struct ServiceClientOptions {
  // How long to wait before the one reconnect attempt of a call.
  int reconnect_backoff_ms = 100;
  // How long a reply may take; then the call fails with DeadlineExceeded
  // and the connection is dropped (a late reply must not answer the next
  // call). Allocation of large buffers can take a while.
  int reply_timeout_ms = 60000;
  // How long to wait for a reply on the CPU before sleeping, in
  // microseconds (0: sleep at once). Most replies come within tens of
  // microseconds (a pooled buffer, a small one, a query); a thread that
  // sleeps for them lets its CPU go idle, and waking it is often most of
  // the round trip (bench/PROFILE.md). A reply that takes longer costs at
  // most this much CPU more. Only one thread of a process spins at a time
  // (service::AwaitDatagram), and machines with one CPU never spin.
  int reply_spin_us = DefaultReplySpinUs();
};

// How long a client with `options` spins for a reply, in nanoseconds, on
// this machine (service::SpinBudgetNs: 0 with one CPU).
int64_t ReplySpinNs(const ServiceClientOptions& options);

// $GRALLOC_ALLOCATOR_SOCKET if set and not empty, else the default path.
std::string DefaultServiceSocketPath();

class ServiceClient final : public AllocatorApi {
 public:
  // Connects to `socket_path` (empty: DefaultServiceSocketPath()).
  // Unavailable if no service answers there.
  static absl::StatusOr<std::unique_ptr<ServiceClient>> Connect(
      const std::string& socket_path, ServiceClientOptions options = {});

  ServiceClient(const ServiceClient&) = delete;
  ServiceClient& operator=(const ServiceClient&) = delete;

  absl::StatusOr<Verdict> IsSupported(
      const BufferDescriptorInfo& descriptor) override;
  absl::StatusOr<Allocation> Allocate(const BufferDescriptorInfo& descriptor,
                                      int32_t count) override;
  // The service judges the buffer with its own profile and heaps; `heap` is
  // not sent (the service knows its heaps better than a client).
  absl::StatusOr<Verdict> Serves(const HandleInfo& buffer,
                                 const HeapIdentity* heap,
                                 uint64_t additional_usage) override;
  // The same for a buffer the service holds a record of (any client's):
  // NotFound in the outer status when it has none.
  absl::StatusOr<Verdict> ServesRecord(uint64_t buffer_id,
                                       uint64_t additional_usage);
  absl::StatusOr<std::string> MapperLibrary() override;

  // Tells the service that this process no longer needs the buffer, so it
  // stops counting against the quota. NotFound if the service has no
  // record of it for this process (already released, or allocated before
  // a service restart).
  absl::Status Release(uint64_t buffer_id) override;
  // The same for many; returns how many the service knew.
  absl::StatusOr<uint32_t> Release(absl::Span<const uint64_t> buffer_ids);

  // The service's counters, accounts and heaps.
  absl::StatusOr<service::StatsReply> Stats();
  // Every live allocation the service records, in BUFFER_ID order.
  absl::StatusOr<std::vector<service::ListEntry>> List();
  // Empties the service's allocate-ahead pool; how many buffers it
  // dropped. PermissionDenied for an unprivileged client.
  absl::StatusOr<uint32_t> DrainPool();

  const std::string& socket_path() const { return socket_path_; }

 private:
  ServiceClient(std::string socket_path, ServiceClientOptions options,
                UniqueFd socket);

  struct Reply {
    absl::Status status;            // the service's verdict
    std::vector<uint8_t> datagram;  // the whole reply
    size_t body_offset = 0;         // where the body starts in `datagram`
    std::vector<UniqueFd> fds;
    absl::Span<const uint8_t> body() const {
      return absl::MakeConstSpan(datagram).subspan(body_offset);
    }
  };
  // One request/reply exchange, reconnecting once if the connection is
  // dead. The returned Status is transport or protocol trouble; the
  // service's own status is in Reply::status.
  absl::StatusOr<Reply> Call(service::MessageType type,
                             const std::vector<uint8_t>& payload);
  absl::StatusOr<Reply> CallOnce(service::MessageType type,
                                 const std::vector<uint8_t>& payload)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::Status Reconnect() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // A request the service answers with a status (IS_SUPPORTED, SERVES).
  absl::StatusOr<Verdict> Ask(service::MessageType type,
                              const std::vector<uint8_t>& payload);

  const std::string socket_path_;
  const ServiceClientOptions options_;
  const int64_t reply_spin_ns_;  // ReplySpinNs(options_)
  Mutex mu_;
  UniqueFd socket_ ABSL_GUARDED_BY(mu_);
  uint64_t next_request_id_ ABSL_GUARDED_BY(mu_) = 1;
};

}  // namespace gralloc

#endif  // GRALLOC_ALLOCATOR_CLIENT_SERVICE_CLIENT_H_
