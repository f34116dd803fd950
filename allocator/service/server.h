// Copyright 2026 The gralloc for Linux Authors.
//
// allocator/service/server.h: the allocator service (gralloc-allocatord).
//
// A Server listens on a Unix SOCK_SEQPACKET socket and answers the requests
// of protocol.h with an AllocatorApi (normally the in-process Allocator):
// IS_SUPPORTED, SERVES, MAPPER_LIBRARY, ALLOCATE (buffers go back as fds
// with SCM_RIGHTS), RELEASE, STATS and LIST. What it allocated for whom,
// the quotas and the statistics are the Ledger's (ledger.h); who may
// connect and who sees what is access.h; the server only moves messages.
//
//   ASSIGN_OR_RETURN(std::unique_ptr<Server> server,
//                    Server::Create(options, std::move(allocator)));
//   RETURN_IF_ERROR(server->Run(signal_fd));  // until SIGTERM or Stop()
//
// Design note: the concurrency model.
//
// One event loop and a fixed pool of worker threads, all created by
// Create() (so the service never needs a thread it cannot get later). The
// loop, on the thread that calls Run(), accepts connections, watches for
// buffers whose memory is gone (memory_watch.h) and closes connections.
// The workers wait on a second epoll set that holds every connection
// (EPOLLONESHOT): the worker the kernel wakes for a readable connection
// reads the request, decodes it, calls the allocator, settles the ledger,
// sends the reply (non-blocking: a client whose receive queue is full does
// not read its replies, and its connection ends), makes the new buffers'
// memory watches, serves the connection's next requests while they are
// already waiting and another worker is idle (at most 16 in a row; with
// every worker busy, other connections may be waiting, so it goes back to
// the epoll set, whose ready list takes them in turn) and re-arms the
// socket; a
// connection to close goes back to the loop. So a request costs at most
// one wake-up in the service, not a hand-off from the loop to a worker,
// and a client's back-to-back requests none. A connection has at most one
// request in flight, so a client spamming requests occupies one worker,
// never the others, and requests are answered in order. The ledger's lock
// is held for bookkeeping only, and STATS and LIST cost the asker's own
// entries, not everyone's; so one client's requests delay another's by at
// most their own work.
//
// Resource exhaustion: an idle connection costs an fd and a few hundred
// bytes, and connections are capped per user and in all (Limits). When
// accept() fails for want of fds or memory, the loop stops accepting for a
// while (100 ms, doubling to 1 s while it persists) instead of spinning,
// and says so in the log. Every log line is escaped and rate-limited
// (service_log.h), so no client can forge lines or flood the log.
//
// Malformed input never reaches the allocator: a datagram that fails
// DecodeFrame() (short, bad magic, wrong version, wrong length or fd count,
// oversized) gets an error reply when it can be addressed and then ends the
// connection, because a peer that gets framing wrong cannot be trusted to
// get the next message right. A well-framed request with a bad payload or
// a descriptor the allocator refuses gets an error reply and the connection
// stays. A peer refused at connection time (not allowed, or over a
// connection limit) gets its first request answered with the refusal, and
// the connection ends.
//
// Thread safety: Create() and Run() once, from one thread; Stop() and
// Snapshot() from any thread, any time.

#ifndef GRALLOC_ALLOCATOR_SERVICE_SERVER_H_
#define GRALLOC_ALLOCATOR_SERVICE_SERVER_H_

#include <sys/stat.h>
#include <sys/types.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "allocator/allocator.h"
#include "allocator/service/access.h"
#include "allocator/service/ledger.h"
#include "allocator/service/memory_watch.h"
#include "allocator/service/pool.h"
#include "allocator/service/protocol.h"
#include "allocator/service/seqpacket.h"
#include "allocator/service/service_log.h"
#include "hal/base/mutex.h"
#include "hal/base/unique_fd.h"

namespace gralloc::service {

inline constexpr char kDefaultSocketPath[] = "/run/gralloc/allocator.sock";

struct ServerOptions {
  std::string socket_path = kDefaultSocketPath;
  // The socket file's permission bits, owner and group (-1: the service's
  // own); with the directory's, they decide who may connect at all.
  int socket_mode = 0660;
  int socket_uid = -1;
  int socket_gid = -1;
  // Who may use the service and who sees everyone (access.h).
  AccessPolicy access;
  // Quotas and connection caps (ledger.h).
  Limits limits;
  // Threads that run requests.
  int workers = 4;
  // The most memory watches (two a buffer) the service makes before it
  // refuses allocations (memory_watch.h); 0: the kernel's
  // fs.inotify.max_user_watches.
  uint64_t max_watches = 0;
  // The allocate-ahead pool (pool.h); budget 0: none. Its log goes to the
  // service's.
  PoolOptions pool;
  // Log refusals, heap fallbacks and resource trouble (escaped, at most
  // log_burst lines at once and log_per_second after that).
  bool log_refusals = true;
  double log_per_second = 20;
  double log_burst = 200;
  // What MAPPER_LIBRARY answers; empty: FindMapperLibrary() as the
  // allocator sees it (the unit file sets the installed path).
  std::string mapper_library;
};

class Server final {
 public:
  // Binds options.socket_path, creating its directory (mode 0755) if
  // needed, sets the socket's mode and owner, and starts the workers. A
  // stale socket file (nobody accepting) is replaced; a live one is
  // FailedPrecondition ("another service is running").
  static absl::StatusOr<std::unique_ptr<Server>> Create(
      ServerOptions options, std::unique_ptr<AllocatorApi> allocator);

  // Stops (if running), joins the workers, closes every connection and
  // removes the socket file.
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Serves until Stop() is called or `stop_fd` (e.g. a signalfd for
  // SIGTERM/SIGINT; -1 for none) becomes readable; then lets the requests
  // in flight finish and closes every connection. OK on a clean stop.
  // If `stop_fd` is a signalfd, SIGUSR1 on it empties the pool instead.
  absl::Status Run(int stop_fd = -1);

  // Asks Run() to return. Thread-safe and async-signal-safe.
  void Stop();

  // The STATS reply a privileged client would get now.
  StatsReply Snapshot();

  // The ledger, for tests that check what is charged.
  const Ledger& ledger() const { return ledger_; }
  // The pool's statistics (all zero without a pool).
  PoolStats pool_stats() const;

  const std::string& socket_path() const { return options_.socket_path; }

 private:
  struct Connection {
    uint64_t serial = 0;  // its epoll tag and key in connections_
    UniqueFd socket;
    PeerCredentials peer;
    uint64_t ledger_id = 0;  // 0: refused; `refusal` says why
    absl::Status refusal;
    bool privileged = false;
  };
  Server(ServerOptions options, std::unique_ptr<AllocatorApi> allocator,
         UniqueFd listener, ino_t socket_inode,
         std::optional<MemoryWatch> watch);

  absl::Status StartLoop();
  // Loop thread: `stop_fd` is readable; false to go on serving (SIGUSR1).
  bool StopSignalled(int stop_fd);
  // Loop thread.
  void Accept();
  void PauseAccepting(int error);
  void ResumeAccepting();
  // Adds (or re-arms) a connection in the workers' epoll set.
  void ArmConnection(const Connection& connection, bool add);
  // Closes the connections the workers handed back.
  void Finished();
  // Sets the listener's events (0: not accepting).
  void ArmListener(uint32_t events);
  // Any thread: ends the charges of memory the watch reports gone. The
  // loop does as the watch reports; a refused reservation, STATS and LIST
  // also do first, so they never act on charges that lag behind frees.
  void SettleCharges() ABSL_LOCKS_EXCLUDED(settle_mu_);
  // After the watch's events were dropped: ends the charges whose watches
  // the kernel no longer has.
  void RecoverLostEvents() ABSL_EXCLUSIVE_LOCKS_REQUIRED(settle_mu_);
  void Close(uint64_t serial);
  void CloseAll();
  // Lets the requests in flight finish and joins the workers (once; later
  // calls do nothing).
  void StopWorkers();
  // Workers.
  void Work();
  // Reads and answers one request; false if the connection should close.
  // A new buffer whose memory watches start once its reply is sent, while
  // the service still holds its fds (memory_watch.h).
  struct PendingWatch {
    uint64_t buffer_id = 0;
    int pixels_fd = -1;
    int metadata_fd = -1;
    struct stat pixels_stat {};
    uint64_t pixels_token = 0;  // provisional, until Rekey()
    uint64_t metadata_token = 0;
  };
  // What a worker does once it has answered, before it serves the
  // connection's next request (so that the client need not wait for it
  // for this one's reply): the new buffers' memory watches, then closing
  // the service's copies of their fds.
  struct AfterReply {
    std::vector<PendingWatch> pending;
    std::vector<NativeHandlePtr> handles;
  };
  // What Serve() did: answered a request, found none waiting (the socket
  // is non-blocking: a spurious wake-up, or the look-ahead in Work()
  // finding nothing), or the connection should end.
  enum class Served { kRequest, kNothing, kEnd };
  Served Serve(Connection& connection, AfterReply* after);
  bool Handle(Connection& connection, Datagram& datagram, AfterReply* after);
  void Reply(Connection& connection, MessageType type, uint64_t request_id,
             const std::vector<uint8_t>& payload, absl::Span<const int> fds,
             bool* keep);
  std::vector<uint8_t> HandleAllocate(Connection& connection,
                                      absl::Span<const uint8_t> payload,
                                      std::vector<NativeHandlePtr>* handles,
                                      std::vector<PendingWatch>* pending);
  // The ledger's records of `allocation`'s buffers, with their memory
  // watches' tokens: the pool's, where `prepared` has them; else
  // provisional ones, the buffer added to `pending` (with a memory watch),
  // or plain counters (without).
  absl::StatusOr<std::vector<Ledger::NewBuffer>> Describe(
      const AllocateRequest& request, const Allocation& allocation,
      const std::vector<std::optional<PoolPrepared>>& prepared,
      std::vector<PendingWatch>* pending);
  // Starts the watches of `pending` (reserved by HandleAllocate) and moves
  // their charges to them.
  void StartWatches(const std::vector<PendingWatch>& pending);
  absl::StatusOr<Verdict> Serves(const Connection& connection,
                                 absl::Span<const uint8_t> payload);
  // The pool's buffers of the descriptor, then fresh ones; `prepared`
  // receives what the pool prepared for each (nullopt for the fresh ones).
  absl::StatusOr<Allocation> AllocateBuffers(
      const BufferDescriptorInfo& descriptor, int32_t count,
      std::vector<std::optional<PoolPrepared>>* prepared);
  // Starts the memory watches of a buffer the pool made (its refill
  // thread calls this).
  absl::StatusOr<PoolPrepared> WatchPooled(const AllocatedBuffer& buffer);
  void Refuse(const Connection& connection, absl::string_view request,
              const absl::Status& status);
  void Log(absl::string_view what);

  const ServerOptions options_;
  const std::unique_ptr<AllocatorApi> allocator_;
  // Null without a budget. Its refill thread uses the allocator, watch_
  // and log_: the destructor stops it first.
  std::unique_ptr<Pool> pool_;
  const uid_t service_uid_;
  UniqueFd listener_;
  ino_t socket_inode_ = 0;  // of the socket file this server bound
  // Absent when the kernel has no inotify: charges then end with their
  // records (ledger.h), and tokens come from next_token_ (which also makes
  // the provisional tokens of charges whose watches are pending).
  std::optional<MemoryWatch> watch_;
  std::atomic<uint64_t> next_token_{1};
  UniqueFd epoll_;         // the loop's
  UniqueFd requests_;      // the workers': every connection, and workers_stop_
  UniqueFd workers_stop_;  // eventfd: readable once the workers should end
  UniqueFd wake_;          // eventfd: Stop() and connections to close
  UniqueFd timer_;         // timerfd: resume accepting
  std::atomic<bool> stopping_{false};
  // Workers waiting in epoll_wait: while one is, no connection waits for
  // a worker, and a busy worker may serve its connection's next request.
  std::atomic<int> idle_workers_{0};
  Ledger ledger_;
  RateLimitedLog log_;

  // Added and removed by the loop; workers look up the connection of an
  // event. (The loop closes only connections no worker holds: one whose
  // request is in flight is disarmed until its worker re-arms it or hands
  // it back.)
  Mutex connections_mu_;
  absl::flat_hash_map<uint64_t, std::shared_ptr<Connection>> connections_
      ABSL_GUARDED_BY(connections_mu_);

  // Loop thread only.
  uint64_t next_serial_;  // the next connection's

  size_t refused_pending_ = 0;
  int accept_backoff_ms_ = 0;  // 0: accepting

  // One SettleCharges() at a time: the watch's queue is read in order.
  Mutex settle_mu_;
  // How many times the kernel dropped memory watch events.
  uint64_t overflows_ ABSL_GUARDED_BY(settle_mu_) = 0;

  // The serials of connections the workers hand back to the loop to close
  // (each stays in connections_ until then).
  Mutex done_mu_;
  std::vector<uint64_t> done_ ABSL_GUARDED_BY(done_mu_);
  std::vector<std::thread> workers_;
};

}  // namespace gralloc::service

#endif  // GRALLOC_ALLOCATOR_SERVICE_SERVER_H_
