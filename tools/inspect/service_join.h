// Copyright 2026 The gralloc for Linux Authors.
//
// tools/inspect/service_join.h: the allocator service's records joined to
// what the kernel says processes hold.
//
// The service records, for each buffer it handed out, the BUFFER_ID, the
// requesting pid, usage, format and heap, and the device and inode of the
// pixel fd (LIST, allocator/service/protocol.h). The scan identifies
// buffers by the same inode, so each record lands on the buffer it
// describes. What the join can tell:
//   - who asked for a buffer and who holds it now;
//   - orphans: buffers someone still holds whose requester is gone. The
//     service keeps a record whose connection closed while its memory
//     lives, marked requester_gone, so a buffer is an orphan when its
//     record says so or names a pid that no longer runs; the service's
//     STATS also keeps charging an exited process for memory others still
//     hold (exited_requesters);
//   - age: when the service handed the buffer out (allocated_ns,
//     CLOCK_BOOTTIME).
// Metadata buffers have no record of their own; they are matched to
// nothing.
//
// Thread safety: a pure function.

#ifndef GRALLOC_TOOLS_INSPECT_SERVICE_JOIN_H_
#define GRALLOC_TOOLS_INSPECT_SERVICE_JOIN_H_

#include <map>
#include <set>
#include <vector>

#include "absl/types/span.h"
#include "allocator/service/protocol.h"
#include "tools/inspect/proc_scan.h"

namespace gralloc::inspect {

struct ServiceJoin {
  std::map<BufferKey, service::ListEntry> records;
  // Records no scanned process holds: the holders could not be read
  // (another user's processes), or the buffer went since LIST.
  std::vector<service::ListEntry> unmatched;
  // Held buffers whose record names a requester that no longer runs.
  std::set<BufferKey> orphans;
  // Accounts still charged for buffers, whose process no longer runs: it
  // exited, and others hold what it asked for.
  std::vector<service::AccountUsage> exited_requesters;
};

// Joins by inode, and by device too when both sides know it. A pid is
// alive when it is in snapshot.live_pids.
ServiceJoin JoinServiceRecords(
    const Snapshot& snapshot, absl::Span<const service::ListEntry> records,
    absl::Span<const service::AccountUsage> accounts);

}  // namespace gralloc::inspect

#endif  // GRALLOC_TOOLS_INSPECT_SERVICE_JOIN_H_
