// Copyright 2026 The gralloc for Linux Authors.

#include "tools/inspect/service_join.h"

namespace gralloc::inspect {
namespace {

// The pixel buffer `record` describes: a dma-buf or a memfd with its inode
// (and device, where both know it). Never a metadata buffer.
const BufferInfo* FindRecorded(const Snapshot& snapshot,
                               const service::ListEntry& record) {
  for (bool dma_buf : {true, false}) {
    const BufferInfo* info = snapshot.Find(BufferKey{dma_buf, record.inode});
    if (info == nullptr || info->kind == BufferKind::kMetadata) continue;
    if (info->device != 0 && record.device != 0 &&
        info->device != record.device) {
      continue;
    }
    return info;
  }
  return nullptr;
}

}  // namespace

ServiceJoin JoinServiceRecords(
    const Snapshot& snapshot, absl::Span<const service::ListEntry> records,
    absl::Span<const service::AccountUsage> accounts) {
  ServiceJoin join;
  for (const service::ListEntry& record : records) {
    const BufferInfo* info = FindRecorded(snapshot, record);
    if (info == nullptr) {
      join.unmatched.push_back(record);
      continue;
    }
    join.records[info->key] = record;
    if (record.requester_gone || snapshot.live_pids.count(record.pid) == 0) {
      join.orphans.insert(info->key);
    }
  }
  for (const service::AccountUsage& account : accounts) {
    if (account.buffers > 0 && snapshot.live_pids.count(account.pid) == 0) {
      join.exited_requesters.push_back(account);
    }
  }
  return join;
}

}  // namespace gralloc::inspect
