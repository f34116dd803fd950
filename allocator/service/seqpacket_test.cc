// Copyright 2026 The gralloc for Linux Authors.
//
// allocator/service/seqpacket_test.cc: waiting for an answer, spinning first
// (AwaitDatagram). The datagram format itself is covered through the server
// (server_test.cc) and the fault tests.

#include "allocator/service/seqpacket.h"

#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "hal/base/status_matchers.h"
#include "hal/base/unique_fd.h"

namespace gralloc::service {
namespace {

using ::gralloc::testing::IsOk;
using ::gralloc::testing::StatusIs;

constexpr int64_t kLongSpinNs = 1000 * 1000;  // 1 ms
constexpr int64_t kShortSpinNs = 100 * 1000;  // 100 us

struct SocketPair {
  UniqueFd ours;
  UniqueFd theirs;
};

SocketPair MakeSocketPair() {
  int fds[2] = {-1, -1};
  EXPECT_EQ(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, fds), 0);
  return {UniqueFd(fds[0]), UniqueFd(fds[1])};
}

TEST(AwaitDatagramTest, TakesAnAnswerThatIsAlreadyWaitingWithItsFds) {
  SocketPair pair = MakeSocketPair();
  UniqueFd memfd(memfd_create("seqpacket-test", MFD_CLOEXEC));
  ASSERT_TRUE(memfd);
  ASSERT_EQ(ftruncate(memfd.get(), 4096), 0);
  const std::vector<uint8_t> bytes = {1, 2, 3, 4};
  const int fds[] = {memfd.get()};
  ASSERT_THAT(SendDatagram(pair.theirs.get(), bytes, fds), IsOk());

  ASSERT_OK_AND_ASSIGN(Datagram datagram,
                       AwaitDatagram(pair.ours.get(), kLongSpinNs));
  EXPECT_EQ(datagram.bytes, bytes);
  ASSERT_EQ(datagram.fds.size(), 1u);
  struct stat received {};
  struct stat sent {};
  ASSERT_EQ(fstat(datagram.fds[0].get(), &received), 0);
  ASSERT_EQ(fstat(memfd.get(), &sent), 0);
  EXPECT_EQ(received.st_ino, sent.st_ino);
  EXPECT_FALSE(datagram.truncated);
}

// An answer that comes after the spin is over is waited for asleep, not
// reported as a timeout.
TEST(AwaitDatagramTest, SleepsForAnAnswerThatComesAfterTheSpin) {
  SocketPair pair = MakeSocketPair();
  const std::vector<uint8_t> bytes = {9, 8, 7};
  std::thread peer([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    EXPECT_THAT(SendDatagram(pair.theirs.get(), bytes, {}), IsOk());
  });
  absl::StatusOr<Datagram> datagram =
      AwaitDatagram(pair.ours.get(), kShortSpinNs);
  peer.join();
  ASSERT_THAT(datagram.status(), IsOk());
  EXPECT_EQ(datagram->bytes, bytes);
}

TEST(AwaitDatagramTest, ReportsThePeersCloseDuringTheSpin) {
  SocketPair pair = MakeSocketPair();
  std::thread peer([&] {
    std::this_thread::sleep_for(std::chrono::microseconds(200));
    pair.theirs.reset();
  });
  absl::StatusOr<Datagram> datagram =
      AwaitDatagram(pair.ours.get(), kLongSpinNs * 100);
  peer.join();
  EXPECT_THAT(datagram.status(), StatusIs(absl::StatusCode::kUnavailable));
}

TEST(AwaitDatagramTest, WithoutASpinBudgetIsAPlainReceive) {
  SocketPair pair = MakeSocketPair();
  const std::vector<uint8_t> bytes = {5};
  ASSERT_THAT(SendDatagram(pair.theirs.get(), bytes, {}), IsOk());
  ASSERT_OK_AND_ASSIGN(Datagram datagram, AwaitDatagram(pair.ours.get(), 0));
  EXPECT_EQ(datagram.bytes, bytes);
  // A receive timeout still applies after the spin.
  ASSERT_THAT(SetSocketTimeouts(pair.ours.get(), 0, 20), IsOk());
  EXPECT_THAT(AwaitDatagram(pair.ours.get(), kShortSpinNs).status(),
              StatusIs(absl::StatusCode::kDeadlineExceeded));
}

// Many threads of one process waiting at once (only one of them may spin,
// the others sleep) each get their own answer.
TEST(AwaitDatagramTest, ConcurrentWaitersEachGetTheirOwnAnswer) {
  constexpr int kThreads = 4;
  constexpr int kRounds = 200;
  std::vector<SocketPair> pairs;
  for (int i = 0; i < kThreads; ++i) pairs.push_back(MakeSocketPair());
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      std::thread peer([&] {
        for (int round = 0; round < kRounds; ++round) {
          ASSERT_OK_AND_ASSIGN(Datagram request,
                               ReceiveDatagram(pairs[i].theirs.get()));
          EXPECT_THAT(SendDatagram(pairs[i].theirs.get(), request.bytes, {}),
                      IsOk());
        }
      });
      for (int round = 0; round < kRounds; ++round) {
        const std::vector<uint8_t> bytes = {static_cast<uint8_t>(i),
                                            static_cast<uint8_t>(round)};
        ASSERT_THAT(SendDatagram(pairs[i].ours.get(), bytes, {}), IsOk());
        absl::StatusOr<Datagram> answer =
            AwaitDatagram(pairs[i].ours.get(), kShortSpinNs);
        ASSERT_THAT(answer.status(), IsOk());
        EXPECT_EQ(answer->bytes, bytes);
      }
      peer.join();
    });
  }
  for (std::thread& thread : threads) thread.join();
}

TEST(SpinBudgetTest, IsZeroOnAMachineWithOneCpu) {
  const bool several_cpus = sysconf(_SC_NPROCESSORS_ONLN) > 1;
  EXPECT_EQ(SpinBudgetNs(kShortSpinNs), several_cpus ? kShortSpinNs : 0);
  EXPECT_EQ(SpinBudgetNs(0), 0);
}

}  // namespace
}  // namespace gralloc::service
