// Copyright 2026 The gralloc for Linux Authors.
//
// allocator/service/ledger.h: who the service allocated what for, what it
// costs them, and what they may still ask for.
//
// The ledger is the service's only shared state. It has three kinds of
// entries:
//   connections  one per client socket: the peer's pid, uid and whether it
//                may see everyone's buffers;
//   records      one per buffer handed out and not yet released: what
//                LIST shows, what SERVES by BUFFER_ID reads, what RELEASE
//                removes; a record also goes when its memory is gone. When
//                its connection ends first, the record stays as an orphan
//                (requester_gone: others may still hold the memory, and
//                `gralloctl dump` shows who) until the memory goes; without
//                a memory watch it goes with the connection;
//   charges      one per piece of memory the service allocated for a
//                client (a buffer's pixels, its metadata buffer with the
//                reserved region): the bytes are charged to the requesting
//                process and its user until the memory is gone from every
//                process (MemoryGone(), see memory_watch.h). Releasing a
//                record or disconnecting does not end a charge, unless the
//                kernel cannot report memory gone (no inotify): then a
//                ledger made with charges_follow_memory = false ends a
//                buffer's charges with its record, and says so in STATS'
//                absence of lingering charges.
// Limits hold per process and per user (so forked children share their
// user's limit), on live buffers, on bytes (pixels + metadata) and on
// connections. An allocation first Reserve()s its estimated cost, so
// concurrent requests cannot overshoot a limit together, and then either
// Commit()s what it really made or Cancel()s.
//
// Views: STATS and LIST show an unprivileged caller only its own user's
// processes and buffers; a privileged one sees everything. Their cost is
// the caller's own: totals are kept incrementally, and a user's records
// are indexed by user, so no request walks other clients' entries.
//
// The ledger does no I/O and knows nothing of sockets or allocators;
// ledger_test.cc drives it directly.
//
// Thread safety: every method is thread-safe (one mutex, held for
// bookkeeping only).

#ifndef GRALLOC_ALLOCATOR_SERVICE_LEDGER_H_
#define GRALLOC_ALLOCATOR_SERVICE_LEDGER_H_

#include <sys/types.h>

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "allocator/heaps/heap_identity.h"
#include "allocator/service/protocol.h"
#include "hal/base/mutex.h"
#include "hal/handle/buffer_handle.h"

namespace gralloc::service {

// 0 is "no limit" for every field.
struct Limits {
  uint64_t max_buffers_per_process = 4096;
  uint64_t max_bytes_per_process = uint64_t{4} << 30;
  uint64_t max_buffers_per_user = 8192;
  uint64_t max_bytes_per_user = uint64_t{8} << 30;
  uint32_t max_connections_per_user = 64;
  uint32_t max_connections = 1024;
};

struct Peer {
  pid_t pid = 0;
  uid_t uid = 0;
  bool privileged = false;  // sees every client in STATS and LIST
  // When the process started (/proc/<pid>/stat), so that a process that
  // reuses the pid of one whose memory is still charged is not charged
  // for it.
  uint64_t start_time = 0;
};

// What STATS reports as the heap of metadata buffers.
inline constexpr char kMetadataHeapName[] = "(metadata)";

class Ledger final {
 public:
  // `charges_follow_memory`: charges end at MemoryGone() (the service has
  // inotify); false: they end with the buffer's record.
  explicit Ledger(Limits limits, bool charges_follow_memory = true)
      : limits_(limits), charges_follow_memory_(charges_follow_memory) {}
  Ledger(const Ledger&) = delete;
  Ledger& operator=(const Ledger&) = delete;

  const Limits& limits() const { return limits_; }

  // A new connection, or ResourceExhausted when the service or the peer's
  // user is at its connection limit.
  absl::StatusOr<uint64_t> Connect(const Peer& peer);
  // Ends a connection. Its records stay, marked requester_gone, until their
  // memory is gone (without a memory watch they are dropped now, and their
  // charges end with them).
  void Disconnect(uint64_t connection);

  // A reservation of `count` buffers of `bytes` in all (a lower bound).
  struct Reservation {
    uint64_t connection = 0;
    uint64_t count = 0;
    uint64_t bytes = 0;
  };
  // ResourceExhausted naming the limit when the connection's process or
  // user cannot have that much more.
  absl::StatusOr<Reservation> Reserve(uint64_t connection, uint64_t count,
                                      uint64_t bytes);
  void Cancel(const Reservation& reservation);

  // One piece of memory a buffer is made of, and the token its end will
  // be reported with (MemoryGone).
  struct Piece {
    uint64_t token = 0;
    uint64_t bytes = 0;
  };
  struct NewBuffer {
    ListEntry entry;    // pid, uid and size are filled in by Commit()
    HandleInfo info;    // what its handle says, for SERVES
    HeapIdentity heap;  // where its pixels live
    Piece pixels;
    Piece metadata;
  };
  // Records and charges `buffers` (reservation.count of them) in place of
  // the reservation. ResourceExhausted when their real size breaks a byte
  // limit; then nothing is recorded and the reservation is gone (the
  // caller frees the buffers). Either way the reservation is used up.
  absl::Status Commit(const Reservation& reservation,
                      std::vector<NewBuffer> buffers);

  // Removes the records in `ids` that the connection's process made (any
  // of its connections); others are ignored. Returns how many went.
  uint32_t Release(uint64_t connection, absl::Span<const uint64_t> ids);

  // The service starts a buffer's memory watches after Commit() (after it
  // answered): the charge Commit() made under `provisional` (a token no
  // watch reports) moves to `token`. (Its record keeps up.)
  void Rekey(uint64_t provisional, uint64_t token);
  // The memory of `buffer_id`, whose charges are under `pixels_token` and
  // `metadata_token`, could not be watched: they end with its record, as
  // in a ledger made with charges_follow_memory = false (at once if the
  // record is released already or its requester gone).
  void Unwatched(uint64_t buffer_id, uint64_t pixels_token,
                 uint64_t metadata_token);

  // The memory behind `token` is gone from every process: its charge ends
  // (and the record of a buffer whose pixels are gone). Unknown tokens are
  // ignored.
  void MemoryGone(uint64_t token);
  // Every token a charge is under now, provisional ones included (for the
  // service's rescan of its watches after lost events).
  std::vector<uint64_t> ChargeTokens() const;

  // The record of `buffer_id` as the connection may see it: NotFound if
  // there is none or it belongs to another user and the connection is not
  // privileged.
  struct Found {
    HandleInfo info;
    HeapIdentity heap;
  };
  absl::StatusOr<Found> Find(uint64_t connection, uint64_t buffer_id) const;

  // STATS and LIST as `connection` may see them.
  StatsReply Stats(uint64_t connection) const;
  // STATS as a privileged client sees it.
  StatsReply Snapshot() const;
  ListReply List(uint64_t connection, const ListRequest& request) const;

  // Counts a refused request against the connection's user.
  void CountRefusal(uint64_t connection);

  // Whether anything at all is recorded or charged (for tests and
  // shutdown checks).
  size_t records() const;
  size_t charges() const;

 private:
  // A process: its pid and start time.
  using ProcessKey = std::pair<pid_t, uint64_t>;
  static ProcessKey KeyOf(const Peer& peer) {
    return {peer.pid, peer.start_time};
  }

  struct Usage {
    uint64_t buffers = 0;  // live pixel charges plus reservations
    uint64_t bytes = 0;    // charged bytes plus reservations
  };
  struct Process {
    uid_t uid = 0;
    uint32_t connections = 0;
    Usage usage;
  };
  struct User {
    uint32_t connections = 0;
    Usage usage;
    std::map<std::string, HeapUsage> heaps;
    std::set<uint64_t> records;  // BUFFER_IDs
    uint64_t allocations = 0;
    uint64_t refusals = 0;
  };
  struct Connection {
    Peer peer;
    std::set<uint64_t> records;
  };
  struct Record {
    uint64_t connection = 0;
    ProcessKey process;
    uint64_t pixels_token = 0;
    uint64_t metadata_token = 0;
    // False when the charges end with the record (the ledger's
    // charges_follow_memory_, or Unwatched()).
    bool charges_follow_memory = true;
    ListEntry entry;
    HandleInfo info;
    HeapIdentity heap;
  };
  struct Charge {
    ProcessKey process;
    uid_t uid = 0;
    uint64_t bytes = 0;
    bool is_pixels = false;
    uint64_t buffer_id = 0;
    std::string heap;
  };

  // ResourceExhausted if `usage` plus the addition breaks a limit.
  absl::Status CheckLimit(const Usage& usage, uint64_t buffers, uint64_t bytes,
                          uint64_t max_buffers, uint64_t max_bytes,
                          const char* per) const;
  // CheckLimit() for the process, then for its user.
  absl::Status CheckLimits(const Process& process, const User& user,
                           uint64_t buffers, uint64_t bytes) const;
  void AddCharge(const Charge& charge) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void DropRecord(uint64_t buffer_id) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void EndCharge(uint64_t token) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void MaybeForget(const ProcessKey& process, uid_t uid)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  const Connection* FindConnection(uint64_t id) const
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Everyone's, or `uid`'s own.
  StatsReply StatsOf(bool everyone, uid_t uid) const
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const Limits limits_;
  const bool charges_follow_memory_;
  mutable Mutex mu_;
  uint64_t next_connection_ ABSL_GUARDED_BY(mu_) = 1;
  uint32_t connection_count_ ABSL_GUARDED_BY(mu_) = 0;
  absl::flat_hash_map<uint64_t, Connection> connections_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<ProcessKey, Process> processes_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<uid_t, User> users_ ABSL_GUARDED_BY(mu_);
  std::map<uint64_t, Record> records_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<uint64_t, Charge> charges_ ABSL_GUARDED_BY(mu_);
  // Everyone's totals, for privileged STATS.
  Usage total_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, HeapUsage> heaps_ ABSL_GUARDED_BY(mu_);
  uint64_t allocations_total_ ABSL_GUARDED_BY(mu_) = 0;
  uint64_t refusals_total_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace gralloc::service

#endif  // GRALLOC_ALLOCATOR_SERVICE_LEDGER_H_
