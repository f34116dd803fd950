// Copyright 2026 The gralloc for Linux Authors.
//
// The ledger alone: quotas, charges that follow the memory, connection
// caps and what each caller may see, with no sockets and no allocator.

#include "allocator/service/ledger.h"

#include <cstdint>
#include <vector>

#include "gtest/gtest.h"
#include "hal/base/status_matchers.h"

namespace gralloc::service {
namespace {

using ::gralloc::testing::IsOk;
using ::gralloc::testing::StatusIs;
using ::testing::HasSubstr;

constexpr uint64_t kKiB = 1024;

// Buffers of `pixels` + `metadata` bytes, with fresh tokens and ids.
class Maker {
 public:
  Ledger::NewBuffer Make(uint64_t pixels, uint64_t metadata) {
    Ledger::NewBuffer buffer;
    buffer.entry.buffer_id = next_id_++;
    buffer.entry.heap = "memfd";
    buffer.entry.name = "ledger-test";
    buffer.heap.name = "memfd";
    buffer.pixels = {next_token_++, pixels};
    buffer.metadata = {next_token_++, metadata};
    return buffer;
  }

 private:
  uint64_t next_id_ = 0x1000;
  uint64_t next_token_ = 1;
};

// Reserves and commits one buffer; returns it (with its tokens).
Ledger::NewBuffer AllocateOne(Ledger& ledger, Maker& maker, uint64_t connection,
                              uint64_t pixels, uint64_t metadata,
                              absl::Status* status) {
  Ledger::NewBuffer buffer = maker.Make(pixels, metadata);
  absl::StatusOr<Ledger::Reservation> reservation =
      ledger.Reserve(connection, 1, pixels);
  if (!reservation.ok()) {
    *status = reservation.status();
    return buffer;
  }
  *status = ledger.Commit(*reservation, {buffer});
  return buffer;
}

TEST(LedgerTest, MetadataAndReservedRegionsAreCharged) {
  Limits limits;
  limits.max_bytes_per_process = 64 * kKiB;
  Ledger ledger(limits);
  Maker maker;
  ASSERT_OK_AND_ASSIGN(uint64_t c, ledger.Connect({100, 1000, false}));
  // 1x1 pixels with an 8 KiB reserved region: the metadata is the cost.
  absl::Status status;
  for (int i = 0; i < 7; ++i) {
    AllocateOne(ledger, maker, c, 64, 8 * kKiB + 256, &status);
    ASSERT_THAT(status, IsOk()) << i;
  }
  AllocateOne(ledger, maker, c, 64, 8 * kKiB + 256, &status);
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kResourceExhausted,
                               HasSubstr("per process")));
  const StatsReply stats = ledger.Snapshot();
  EXPECT_EQ(stats.live_buffers, 7u);
  EXPECT_EQ(stats.live_bytes, 7 * (64 + 8 * kKiB + 256));
}

TEST(LedgerTest, ReleaseAndDisconnectKeepTheChargeUntilTheMemoryIsGone) {
  Limits limits;
  limits.max_buffers_per_process = 2;
  Ledger ledger(limits);
  Maker maker;
  ASSERT_OK_AND_ASSIGN(uint64_t c, ledger.Connect({100, 1000, false}));
  absl::Status status;
  Ledger::NewBuffer a = AllocateOne(ledger, maker, c, 4096, 512, &status);
  ASSERT_THAT(status, IsOk());
  Ledger::NewBuffer b = AllocateOne(ledger, maker, c, 4096, 512, &status);
  ASSERT_THAT(status, IsOk());
  // Releasing the id (keeping the fds) does not give the quota back.
  const uint64_t ids[] = {a.entry.buffer_id};
  EXPECT_EQ(ledger.Release(c, ids), 1u);
  EXPECT_EQ(ledger.records(), 1u);
  AllocateOne(ledger, maker, c, 4096, 512, &status);
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kResourceExhausted));
  // Neither does reconnecting. The record of b stays, an orphan: its
  // memory may live on elsewhere.
  ledger.Disconnect(c);
  EXPECT_EQ(ledger.records(), 1u);
  ASSERT_OK_AND_ASSIGN(c, ledger.Connect({100, 1000, false}));
  AllocateOne(ledger, maker, c, 4096, 512, &status);
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kResourceExhausted));
  EXPECT_EQ(ledger.Stats(c).accounts.at(0).buffers, 2u);
  const std::vector<ListEntry> orphans = ledger.List(c, ListRequest{}).entries;
  ASSERT_EQ(orphans.size(), 1u);
  EXPECT_EQ(orphans[0].buffer_id, b.entry.buffer_id);
  EXPECT_TRUE(orphans[0].requester_gone);
  EXPECT_GT(orphans[0].allocated_ns, 0u);
  // The memory going does.
  ledger.MemoryGone(a.pixels.token);
  ledger.MemoryGone(a.metadata.token);
  ledger.MemoryGone(a.pixels.token);  // twice: ignored
  ledger.MemoryGone(987654321);       // unknown: ignored
  AllocateOne(ledger, maker, c, 4096, 512, &status);
  EXPECT_THAT(status, IsOk());
  ledger.MemoryGone(b.pixels.token);
  EXPECT_EQ(ledger.Snapshot().live_bytes, 512 + 4096 + 512);
  // The orphan went with its memory; the new buffer's record is the one
  // left.
  EXPECT_EQ(ledger.records(), 1u);
}

TEST(LedgerTest, WithoutMemoryWatchingChargesEndWithTheirRecords) {
  Limits limits;
  limits.max_buffers_per_process = 1;
  Ledger ledger(limits, /*charges_follow_memory=*/false);
  Maker maker;
  ASSERT_OK_AND_ASSIGN(uint64_t c, ledger.Connect({100, 1000, false}));
  absl::Status status;
  Ledger::NewBuffer a = AllocateOne(ledger, maker, c, 4096, 512, &status);
  ASSERT_THAT(status, IsOk());
  const uint64_t ids[] = {a.entry.buffer_id};
  EXPECT_EQ(ledger.Release(c, ids), 1u);
  EXPECT_EQ(ledger.charges(), 0u);
  AllocateOne(ledger, maker, c, 4096, 512, &status);
  ASSERT_THAT(status, IsOk());
  ledger.Disconnect(c);
  EXPECT_EQ(ledger.charges(), 0u);
  EXPECT_EQ(ledger.Snapshot().live_bytes, 0u);
  EXPECT_TRUE(ledger.Snapshot().accounts.empty());
}

TEST(LedgerTest, MemoryGoneDropsTheRecordToo) {
  Ledger ledger(Limits{});
  Maker maker;
  ASSERT_OK_AND_ASSIGN(uint64_t c, ledger.Connect({100, 1000, false}));
  absl::Status status;
  Ledger::NewBuffer a = AllocateOne(ledger, maker, c, 4096, 512, &status);
  ASSERT_THAT(status, IsOk());
  ASSERT_EQ(ledger.List(c, ListRequest{}).entries.size(), 1u);
  ledger.MemoryGone(a.pixels.token);
  EXPECT_TRUE(ledger.List(c, ListRequest{}).entries.empty());
  EXPECT_THAT(ledger.Find(c, a.entry.buffer_id).status(),
              StatusIs(absl::StatusCode::kNotFound));
  ledger.MemoryGone(a.metadata.token);
  EXPECT_EQ(ledger.charges(), 0u);
  ledger.Disconnect(c);
  const StatsReply stats = ledger.Snapshot();
  EXPECT_EQ(stats.live_bytes, 0u);
  EXPECT_TRUE(stats.accounts.empty());
  EXPECT_TRUE(stats.heaps.empty());
}

TEST(LedgerTest, ARekeyedChargeEndsWithItsNewTokenOnly) {
  Ledger ledger(Limits{});
  Maker maker;
  ASSERT_OK_AND_ASSIGN(uint64_t c, ledger.Connect({100, 1000, false}));
  absl::Status status;
  Ledger::NewBuffer a = AllocateOne(ledger, maker, c, 4096, 512, &status);
  ASSERT_THAT(status, IsOk());
  ledger.Rekey(a.pixels.token, 7001);
  ledger.Rekey(a.metadata.token, 7002);
  ledger.Rekey(424242, 7003);  // unknown: ignored
  ledger.MemoryGone(a.pixels.token);
  ledger.MemoryGone(a.metadata.token);
  EXPECT_EQ(ledger.charges(), 2u) << "the provisional tokens end nothing";
  EXPECT_EQ(ledger.records(), 1u);
  ledger.MemoryGone(7001);
  EXPECT_EQ(ledger.records(), 0u) << "the pixels' new token drops the record";
  ledger.MemoryGone(7002);
  EXPECT_EQ(ledger.charges(), 0u);
  EXPECT_EQ(ledger.Snapshot().live_bytes, 0u);
}

TEST(LedgerTest, AnUnwatchedBuffersChargesEndWithItsRecord) {
  Limits limits;
  limits.max_buffers_per_process = 1;
  Ledger ledger(limits);
  Maker maker;
  ASSERT_OK_AND_ASSIGN(uint64_t c, ledger.Connect({100, 1000, false}));
  absl::Status status;
  // Released, then found unwatchable: its charges end at once.
  Ledger::NewBuffer a = AllocateOne(ledger, maker, c, 4096, 512, &status);
  ASSERT_THAT(status, IsOk());
  const uint64_t a_ids[] = {a.entry.buffer_id};
  EXPECT_EQ(ledger.Release(c, a_ids), 1u);
  EXPECT_EQ(ledger.charges(), 2u);
  ledger.Unwatched(a.entry.buffer_id, a.pixels.token, a.metadata.token);
  EXPECT_EQ(ledger.charges(), 0u);
  // Unwatchable while recorded: the charges end when it is released.
  Ledger::NewBuffer b = AllocateOne(ledger, maker, c, 4096, 512, &status);
  ASSERT_THAT(status, IsOk());
  ledger.Rekey(b.pixels.token, 8001);  // the pixels' watch worked
  ledger.Unwatched(b.entry.buffer_id, 8001, b.metadata.token);
  EXPECT_EQ(ledger.charges(), 2u);
  AllocateOne(ledger, maker, c, 4096, 512, &status);
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kResourceExhausted));
  const uint64_t b_ids[] = {b.entry.buffer_id};
  EXPECT_EQ(ledger.Release(c, b_ids), 1u);
  EXPECT_EQ(ledger.charges(), 0u);
  // And with its connection, not as an orphan.
  Ledger::NewBuffer d = AllocateOne(ledger, maker, c, 4096, 512, &status);
  ASSERT_THAT(status, IsOk());
  ledger.Unwatched(d.entry.buffer_id, d.pixels.token, d.metadata.token);
  ledger.Disconnect(c);
  EXPECT_EQ(ledger.records(), 0u);
  EXPECT_EQ(ledger.charges(), 0u);
  // An orphan found unwatchable goes at once.
  ASSERT_OK_AND_ASSIGN(c, ledger.Connect({100, 1000, false}));
  Ledger::NewBuffer e = AllocateOne(ledger, maker, c, 4096, 512, &status);
  ASSERT_THAT(status, IsOk());
  ledger.Disconnect(c);
  EXPECT_EQ(ledger.records(), 1u);
  ledger.Unwatched(e.entry.buffer_id, e.pixels.token, e.metadata.token);
  EXPECT_EQ(ledger.records(), 0u);
  EXPECT_EQ(ledger.charges(), 0u);
  EXPECT_EQ(ledger.Snapshot().live_bytes, 0u);
}

TEST(LedgerTest, ForkedChildrenShareTheirUsersLimit) {
  Limits limits;
  limits.max_buffers_per_process = 10;
  limits.max_buffers_per_user = 3;
  Ledger ledger(limits);
  Maker maker;
  absl::Status status;
  // Four processes of one user, one buffer each: the fourth is refused.
  for (pid_t pid = 200; pid < 203; ++pid) {
    ASSERT_OK_AND_ASSIGN(uint64_t c, ledger.Connect({pid, 1000, false}));
    AllocateOne(ledger, maker, c, 4096, 512, &status);
    ASSERT_THAT(status, IsOk());
  }
  ASSERT_OK_AND_ASSIGN(uint64_t fourth, ledger.Connect({203, 1000, false}));
  AllocateOne(ledger, maker, fourth, 4096, 512, &status);
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kResourceExhausted,
                               HasSubstr("per user")));
  // Another user is not affected.
  ASSERT_OK_AND_ASSIGN(uint64_t other, ledger.Connect({300, 1001, false}));
  AllocateOne(ledger, maker, other, 4096, 512, &status);
  EXPECT_THAT(status, IsOk());
}

TEST(LedgerTest, ByteLimitsHoldPerUserAndAtCommit) {
  Limits limits;
  limits.max_bytes_per_user = 16 * kKiB;
  Ledger ledger(limits);
  Maker maker;
  ASSERT_OK_AND_ASSIGN(uint64_t c, ledger.Connect({100, 1000, false}));
  // The estimate fits; what was really made does not.
  ASSERT_OK_AND_ASSIGN(Ledger::Reservation reservation,
                       ledger.Reserve(c, 1, 4 * kKiB));
  EXPECT_THAT(ledger.Commit(reservation, {maker.Make(16 * kKiB, 512)}),
              StatusIs(absl::StatusCode::kResourceExhausted,
                       HasSubstr("bytes per user")));
  // Nothing stays of it: not the reservation, not a record.
  const StatsReply stats = ledger.Snapshot();
  EXPECT_EQ(stats.live_buffers, 0u);
  EXPECT_EQ(stats.live_bytes, 0u);
  EXPECT_EQ(ledger.records(), 0u);
  EXPECT_EQ(ledger.charges(), 0u);
}

TEST(LedgerTest, ReservationsKeepConcurrentRequestsUnderTheLimit) {
  Limits limits;
  limits.max_buffers_per_process = 4;
  Ledger ledger(limits);
  ASSERT_OK_AND_ASSIGN(uint64_t c, ledger.Connect({100, 1000, false}));
  ASSERT_OK_AND_ASSIGN(Ledger::Reservation first, ledger.Reserve(c, 3, 0));
  EXPECT_THAT(ledger.Reserve(c, 2, 0).status(),
              StatusIs(absl::StatusCode::kResourceExhausted));
  ledger.Cancel(first);
  EXPECT_THAT(ledger.Reserve(c, 4, 0).status(), IsOk());
}

TEST(LedgerTest, ConnectionsAreCappedPerUserAndInAll) {
  Limits limits;
  limits.max_connections_per_user = 2;
  limits.max_connections = 3;
  Ledger ledger(limits);
  ASSERT_OK_AND_ASSIGN(uint64_t a, ledger.Connect({100, 1000, false}));
  ASSERT_THAT(ledger.Connect({101, 1000, false}).status(), IsOk());
  EXPECT_THAT(
      ledger.Connect({102, 1000, false}).status(),
      StatusIs(absl::StatusCode::kResourceExhausted, HasSubstr("per user")));
  // A refused user does not use up the others' room.
  ASSERT_THAT(ledger.Connect({200, 1001, false}).status(), IsOk());
  EXPECT_THAT(ledger.Connect({300, 1002, false}).status(),
              StatusIs(absl::StatusCode::kResourceExhausted,
                       HasSubstr("clients are connected")));
  ledger.Disconnect(a);
  EXPECT_THAT(ledger.Connect({300, 1002, false}).status(), IsOk());
  EXPECT_EQ(ledger.Snapshot().connections, 3u);
}

TEST(LedgerTest, UnprivilegedCallersSeeOnlyTheirOwnUser) {
  Ledger ledger(Limits{});
  Maker maker;
  ASSERT_OK_AND_ASSIGN(uint64_t mine, ledger.Connect({100, 1000, false}));
  ASSERT_OK_AND_ASSIGN(uint64_t sibling, ledger.Connect({101, 1000, false}));
  ASSERT_OK_AND_ASSIGN(uint64_t theirs, ledger.Connect({200, 1001, false}));
  ASSERT_OK_AND_ASSIGN(uint64_t admin, ledger.Connect({1, 0, true}));
  absl::Status status;
  Ledger::NewBuffer a = AllocateOne(ledger, maker, mine, 4096, 512, &status);
  Ledger::NewBuffer s = AllocateOne(ledger, maker, sibling, 8192, 512, &status);
  Ledger::NewBuffer t = AllocateOne(ledger, maker, theirs, 4096, 512, &status);
  ASSERT_THAT(status, IsOk());

  const ListReply list = ledger.List(mine, ListRequest{});
  ASSERT_EQ(list.entries.size(), 2u);
  EXPECT_EQ(list.entries[0].buffer_id, a.entry.buffer_id);
  EXPECT_EQ(list.entries[1].buffer_id, s.entry.buffer_id);
  EXPECT_EQ(ledger.List(admin, ListRequest{}).entries.size(), 3u);
  // Paging through one's own entries.
  const ListReply page = ledger.List(mine, ListRequest{a.entry.buffer_id, 1});
  ASSERT_EQ(page.entries.size(), 1u);
  EXPECT_EQ(page.entries[0].buffer_id, s.entry.buffer_id);
  EXPECT_FALSE(page.more);

  const StatsReply stats = ledger.Stats(mine);
  EXPECT_EQ(stats.connections, 2u);
  EXPECT_EQ(stats.live_buffers, 2u);
  EXPECT_EQ(stats.live_bytes, 4096 + 8192 + 2 * 512);
  ASSERT_EQ(stats.accounts.size(), 2u);
  for (const AccountUsage& account : stats.accounts) {
    EXPECT_EQ(account.uid, 1000u);
  }
  const StatsReply everyone = ledger.Stats(admin);
  EXPECT_EQ(everyone.connections, 4u);
  EXPECT_EQ(everyone.live_buffers, 3u);
  EXPECT_EQ(everyone.accounts.size(), 4u);

  // SERVES by id finds only one's own user's records.
  EXPECT_THAT(ledger.Find(mine, s.entry.buffer_id).status(), IsOk());
  EXPECT_THAT(ledger.Find(mine, t.entry.buffer_id).status(),
              StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(ledger.Find(admin, t.entry.buffer_id).status(), IsOk());
}

TEST(LedgerTest, OnlyTheAllocatingProcessReleasesAndForgedIdsAreIgnored) {
  Ledger ledger(Limits{});
  Maker maker;
  ASSERT_OK_AND_ASSIGN(uint64_t owner, ledger.Connect({100, 1000, false}));
  ASSERT_OK_AND_ASSIGN(uint64_t owner2, ledger.Connect({100, 1000, false}));
  ASSERT_OK_AND_ASSIGN(uint64_t other, ledger.Connect({101, 1000, false}));
  absl::Status status;
  Ledger::NewBuffer a = AllocateOne(ledger, maker, owner, 4096, 512, &status);
  ASSERT_THAT(status, IsOk());
  const uint64_t forged[] = {a.entry.buffer_id, a.entry.buffer_id + 1, 0,
                             ~uint64_t{0}};
  EXPECT_EQ(ledger.Release(other, forged), 0u);
  EXPECT_EQ(ledger.records(), 1u);
  // Any connection of the owning process may release it, once.
  EXPECT_EQ(ledger.Release(owner2, forged), 1u);
  EXPECT_EQ(ledger.Release(owner, forged), 0u);
}

TEST(LedgerTest, AProcessThatReusesAPidIsNotChargedForItsPredecessor) {
  Limits limits;
  limits.max_buffers_per_process = 1;
  Ledger ledger(limits);
  Maker maker;
  // Process 100 (started at tick 5) allocates, hands its buffer on and
  // exits; the buffer lives on elsewhere.
  ASSERT_OK_AND_ASSIGN(uint64_t first, ledger.Connect({100, 1000, false, 5}));
  absl::Status status;
  AllocateOne(ledger, maker, first, 4096, 512, &status);
  ASSERT_THAT(status, IsOk());
  ledger.Disconnect(first);
  // A new process with the same pid, another user's even, starts afresh.
  ASSERT_OK_AND_ASSIGN(uint64_t second, ledger.Connect({100, 1001, false, 9}));
  AllocateOne(ledger, maker, second, 4096, 512, &status);
  EXPECT_THAT(status, IsOk());
  // The old process's charge is still its user's, under its own entry.
  const StatsReply stats = ledger.Snapshot();
  ASSERT_EQ(stats.accounts.size(), 2u);
  EXPECT_EQ(stats.accounts[0].uid, 1000u);
  EXPECT_EQ(stats.accounts[0].buffers, 1u);
  EXPECT_EQ(stats.accounts[1].uid, 1001u);
  // And it cannot release its predecessor's records (there are none left;
  // its own one it can).
  EXPECT_EQ(ledger.List(second, ListRequest{}).entries.size(), 1u);
}

TEST(LedgerTest, RefusalsAreCountedPerUser) {
  Ledger ledger(Limits{});
  ASSERT_OK_AND_ASSIGN(uint64_t a, ledger.Connect({100, 1000, false}));
  ASSERT_OK_AND_ASSIGN(uint64_t b, ledger.Connect({200, 1001, false}));
  ledger.CountRefusal(a);
  ledger.CountRefusal(a);
  ledger.CountRefusal(b);
  EXPECT_EQ(ledger.Stats(a).refusals_total, 2u);
  EXPECT_EQ(ledger.Stats(b).refusals_total, 1u);
  EXPECT_EQ(ledger.Snapshot().refusals_total, 3u);
}

}  // namespace
}  // namespace gralloc::service
