// Copyright 2026 The gralloc for Linux Authors.
//
// allocator/service/server.h: the allocator service (gralloc-allocatord).
//
// A Server listens on a Unix SOCK_SEQPACKET socket and answers the requests
// of protocol.h with an AllocatorApi (normally the in-process Allocator):
// IS_SUPPORTED, ALLOCATE (buffers go back as fds with SCM_RIGHTS), RELEASE,
// STATS and LIST. It records every buffer it hands out against the client
// that asked (see protocol.h for the record semantics) and enforces
// per-client limits on live buffers and bytes.
//
//   ASSIGN_OR_RETURN(std::unique_ptr<Server> server,
//                    Server::Create(options, std::move(allocator)));
//   RETURN_IF_ERROR(server->Run(signal_fd));  // until SIGTERM or Stop()
//
// Design note: the concurrency model.
//
// One thread per connection, plus the thread that calls Run() (it accepts,
// watches the stop fds and reaps finished connection threads). The protocol
// is strictly request/reply on each connection, so a connection has no use
// for concurrency of its own, and its thread can block: in recvmsg() while
// the client is idle, in the allocator while the kernel zeroes pages (the
// slow part of allocation, milliseconds for large buffers), and in
// sendmsg() while the client's receive queue is full. Each of those stalls
// only that client: other clients are served by their own threads, and the
// shared state (records, accounts, counters) is held under one mutex for
// short bookkeeping only, never across I/O or allocation. This buys
// isolation with straight-line code, which matters more here than
// scalability: the clients of a graphics allocator are a few dozen system
// services, not thousands. The cost is bounded by --max-clients (an extra
// connection is refused with a log line), and the blocking points are
// bounded too: a reply that the client does not take within
// send_timeout_ms ends the connection (so a client that never reads cannot
// pin a thread), and Stop() shuts every connection's socket down, which
// wakes its thread. An idle connection costs one sleeping thread and is
// legitimate (a camera service keeps its allocator open for its lifetime),
// so there is no idle timeout.
//
// Malformed input never reaches the allocator: a datagram that fails
// DecodeFrame() (short, bad magic, wrong version, wrong length or fd count,
// oversized) gets an error reply when it can be addressed and then ends the
// connection, because a peer that gets framing wrong cannot be trusted to
// get the next message right. A well-framed request with a bad payload or
// a descriptor the allocator refuses gets an error reply and the connection
// stays. Every refusal is logged as one line on stderr with its reason.
//
// Thread safety: Create() and Run() once, from one thread; Stop() and
// Snapshot() from any thread, any time.

#ifndef GRALLOC_ALLOCATOR_SERVICE_SERVER_H_
#define GRALLOC_ALLOCATOR_SERVICE_SERVER_H_

#include <sys/types.h>

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "allocator/allocator.h"
#include "allocator/service/protocol.h"
#include "allocator/service/seqpacket.h"
#include "hal/base/mutex.h"
#include "hal/base/unique_fd.h"

namespace gralloc::service {

inline constexpr char kDefaultSocketPath[] = "/run/gralloc/allocator.sock";

struct ServerOptions {
  std::string socket_path = kDefaultSocketPath;
  // Permission bits of the socket file (who may connect).
  int socket_mode = 0666;
  // Live buffers / bytes per client process; 0 is no limit.
  uint64_t max_buffers_per_client = 4096;
  uint64_t max_bytes_per_client = uint64_t{4} << 30;
  // Connections at once; more are accepted and closed with a log line.
  int max_clients = 256;
  // How long a reply may wait for room in the client's receive queue.
  int send_timeout_ms = 5000;
  // Log refusals and heap fallbacks (one line each) to stderr.
  bool log_refusals = true;
  // What MAPPER_LIBRARY answers; empty: FindMapperLibrary() as the
  // allocator sees it (the unit file sets the installed path).
  std::string mapper_library;
};

class Server final {
 public:
  // Binds options.socket_path, creating its directory (mode 0755) if
  // needed. A stale socket file (nobody accepting) is replaced; a live one
  // is FailedPrecondition ("another service is running").
  static absl::StatusOr<std::unique_ptr<Server>> Create(
      ServerOptions options, std::unique_ptr<AllocatorApi> allocator);

  // Stops (if running), joins every connection thread, and removes the
  // socket file.
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Serves until Stop() is called or `stop_fd` (e.g. a signalfd for
  // SIGTERM/SIGINT; -1 for none) becomes readable; then shuts every
  // connection down and waits for their threads. Returns OK on a clean stop.
  absl::Status Run(int stop_fd = -1);

  // Asks Run() to return. Thread-safe and async-signal-safe.
  void Stop();

  // The STATS reply as it would be sent now.
  StatsReply Snapshot() const;

  const std::string& socket_path() const { return options_.socket_path; }

 private:
  struct Connection {
    uint64_t id = 0;
    UniqueFd socket;
    pid_t pid = 0;
    uid_t uid = 0;
    gid_t gid = 0;
    std::thread thread;
  };
  struct BufferRecord {
    uint64_t connection_id = 0;
    ListEntry entry;
    HandleInfo info;    // what its handle says, for SERVES
    HeapIdentity heap;  // where it lives
  };
  struct Account {
    uid_t uid = 0;
    uint32_t connections = 0;
    uint64_t buffers = 0;  // live records plus reservations in flight
    uint64_t bytes = 0;
  };

  Server(ServerOptions options, std::unique_ptr<AllocatorApi> allocator,
         UniqueFd listener, UniqueFd wake, ino_t socket_inode);

  void Accept();
  void ReapFinished();
  void CloseConnections();
  void Serve(Connection* connection);
  // false: end the connection.
  bool Handle(Connection& connection, Datagram& datagram);
  void Reply(Connection& connection, MessageType type, uint64_t request_id,
             const std::vector<uint8_t>& payload, absl::Span<const int> fds,
             bool* keep);
  std::vector<uint8_t> HandleAllocate(Connection& connection,
                                      absl::Span<const uint8_t> payload,
                                      std::vector<NativeHandlePtr>* handles);
  std::vector<uint8_t> HandleServes(Connection& connection,
                                    absl::Span<const uint8_t> payload);
  absl::StatusOr<Verdict> Serves(absl::Span<const uint8_t> payload);
  std::vector<uint8_t> HandleRelease(Connection& connection,
                                     absl::Span<const uint8_t> payload);
  std::vector<uint8_t> HandleList(absl::Span<const uint8_t> payload);
  void DropConnection(const Connection& connection);
  void Refuse(const Connection& connection, absl::string_view request,
              const absl::Status& status);
  // One line on stderr, "gralloc-allocatord: <what>".
  static void Log(absl::string_view what);

  const ServerOptions options_;
  const std::unique_ptr<AllocatorApi> allocator_;
  UniqueFd listener_;
  UniqueFd wake_;           // eventfd: Stop() and finished connections
  ino_t socket_inode_ = 0;  // of the socket file this server bound
  std::atomic<bool> stopping_{false};

  mutable Mutex mu_;
  uint64_t next_connection_id_ ABSL_GUARDED_BY(mu_) = 1;
  std::map<uint64_t, std::unique_ptr<Connection>> connections_
      ABSL_GUARDED_BY(mu_);
  std::vector<uint64_t> finished_ ABSL_GUARDED_BY(mu_);
  std::map<uint64_t, BufferRecord> buffers_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<uint64_t, absl::flat_hash_set<uint64_t>>
      buffers_by_connection_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<pid_t, Account> accounts_ ABSL_GUARDED_BY(mu_);
  uint64_t allocations_total_ ABSL_GUARDED_BY(mu_) = 0;
  uint64_t refusals_total_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace gralloc::service

#endif  // GRALLOC_ALLOCATOR_SERVICE_SERVER_H_
