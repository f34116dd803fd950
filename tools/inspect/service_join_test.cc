// Copyright 2026 The gralloc for Linux Authors.

#include "tools/inspect/service_join.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gralloc::inspect {
namespace {

using ::testing::ElementsAre;

Snapshot TwoBuffers() {
  Snapshot snapshot;
  const BufferKey frame{true, 5001};
  const BufferKey metadata{false, 6001};
  snapshot.buffers[frame] =
      BufferInfo{frame, BufferKind::kDmaBuf, "frame", "system",
                 4096,  SizeSource::kKernel, 13,      2};
  snapshot.buffers[metadata] =
      BufferInfo{metadata, BufferKind::kMetadata, "frame", "memfd",
                 4096,     SizeSource::kKernel,   1,       -1};
  snapshot.live_pids = {100, 200};
  return snapshot;
}

service::ListEntry Record(uint64_t id, int32_t pid, uint64_t device,
                          uint64_t inode) {
  service::ListEntry entry;
  entry.buffer_id = id;
  entry.pid = pid;
  entry.device = device;
  entry.inode = inode;
  return entry;
}

TEST(ServiceJoinTest, RecordsLandOnTheirBufferByDeviceAndInode) {
  const Snapshot snapshot = TwoBuffers();
  const ServiceJoin join = JoinServiceRecords(
      snapshot, {Record(0xa, 100, 13, 5001), Record(0xb, 100, 99, 5001)}, {});
  ASSERT_EQ(join.records.size(), 1u);
  EXPECT_EQ(join.records.at(BufferKey{true, 5001}).buffer_id, 0xau);
  // Same inode on another device: another file system's file.
  ASSERT_EQ(join.unmatched.size(), 1u);
  EXPECT_EQ(join.unmatched[0].buffer_id, 0xbu);
  EXPECT_TRUE(join.orphans.empty());
}

TEST(ServiceJoinTest, MetadataBuffersAreNeverMatched) {
  const ServiceJoin join =
      JoinServiceRecords(TwoBuffers(), {Record(0xc, 100, 1, 6001)}, {});
  EXPECT_TRUE(join.records.empty());
  EXPECT_EQ(join.unmatched.size(), 1u);
}

TEST(ServiceJoinTest, UnknownDeviceJoinsByInode) {
  Snapshot snapshot = TwoBuffers();
  snapshot.buffers.begin()->second.device = 0;  // dma-buf: synthetic tree
  const ServiceJoin join =
      JoinServiceRecords(snapshot, {Record(0xa, 100, 13, 5001)}, {});
  EXPECT_EQ(join.records.size(), 1u);
}

TEST(ServiceJoinTest, HeldBufferOfAnExitedRequesterIsAnOrphan) {
  const ServiceJoin join =
      JoinServiceRecords(TwoBuffers(), {Record(0xa, 4242, 13, 5001)}, {});
  EXPECT_THAT(join.orphans, ElementsAre(BufferKey{true, 5001}));
}

TEST(ServiceJoinTest, ARecordWhoseRequesterLeftTheServiceIsAnOrphan) {
  // The pid still runs (or was reused), but the service says its
  // connection closed while others hold the memory.
  service::ListEntry record = Record(0xa, 100, 13, 5001);
  record.requester_gone = true;
  const ServiceJoin join = JoinServiceRecords(TwoBuffers(), {record}, {});
  EXPECT_THAT(join.orphans, ElementsAre(BufferKey{true, 5001}));
}

TEST(ServiceJoinTest, ChargedAccountsOfExitedProcessesAreReported) {
  service::AccountUsage alive{100, 1000, 1, 3, 3 << 20};
  service::AccountUsage exited{4242, 1000, 0, 2, 2 << 20};
  service::AccountUsage exited_empty{4343, 1000, 0, 0, 0};
  const ServiceJoin join =
      JoinServiceRecords(TwoBuffers(), {}, {alive, exited, exited_empty});
  ASSERT_EQ(join.exited_requesters.size(), 1u);
  EXPECT_EQ(join.exited_requesters[0].pid, 4242);
}

}  // namespace
}  // namespace gralloc::inspect
