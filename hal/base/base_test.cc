// Copyright 2026 The gralloc for Linux Authors.

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "hal/base/fd_count.h"
#include "hal/base/fourcc.h"
#include "hal/base/ioctl.h"
#include "hal/base/mutex.h"
#include "hal/base/page_size.h"
#include "hal/base/status_macros.h"
#include "hal/base/status_matchers.h"
#include "hal/base/unique_fd.h"

namespace gralloc {
namespace {

using ::gralloc::testing::BufferFdCount;
using ::gralloc::testing::IsOk;
using ::gralloc::testing::OpenFdCount;
using ::gralloc::testing::StatusIs;
using ::testing::HasSubstr;
using ::testing::Not;

bool IsOpen(int fd) { return fcntl(fd, F_GETFD) != -1; }

TEST(UniqueFdTest, ClosesOnDestruction) {
  int raw = open("/dev/null", O_RDONLY | O_CLOEXEC);
  ASSERT_GE(raw, 0);
  {
    UniqueFd fd(raw);
    EXPECT_TRUE(IsOpen(raw));
  }
  EXPECT_FALSE(IsOpen(raw));
}

TEST(UniqueFdTest, MoveTransfersOwnershipAndClosesOnce) {
  const int before = OpenFdCount();
  {
    UniqueFd a(open("/dev/null", O_RDONLY | O_CLOEXEC));
    ASSERT_TRUE(a.valid());
    const int raw = a.get();
    UniqueFd b(std::move(a));
    EXPECT_FALSE(a.valid());  // NOLINT(bugprone-use-after-move): the contract
    EXPECT_EQ(b.get(), raw);
    UniqueFd c;
    c = std::move(b);
    EXPECT_EQ(c.get(), raw);
    // Self-move keeps the fd. Through a reference, so that clang's
    // -Wself-move lets the test say it.
    UniqueFd& same = c;
    c = std::move(same);
    EXPECT_EQ(c.get(), raw);
  }
  EXPECT_EQ(OpenFdCount(), before);
}

TEST(UniqueFdTest, ReleaseGivesUpOwnership) {
  UniqueFd fd(open("/dev/null", O_RDONLY | O_CLOEXEC));
  int raw = fd.release();
  EXPECT_FALSE(fd.valid());
  EXPECT_TRUE(IsOpen(raw));
  close(raw);
}

TEST(UniqueFdTest, NegativeIsEmpty) {
  UniqueFd fd(-42);
  EXPECT_FALSE(fd.valid());
  EXPECT_EQ(fd.get(), -1);
}

absl::StatusOr<int> Half(int value) {
  if (value % 2 != 0) return absl::InvalidArgumentError("odd");
  return value / 2;
}

absl::StatusOr<int> Quarter(int value) {
  ASSIGN_OR_RETURN(int half, Half(value));
  ASSIGN_OR_RETURN(half, Half(half));
  return half;
}

absl::Status CheckEven(int value) {
  RETURN_IF_ERROR(Half(value));
  return absl::OkStatus();
}

TEST(StatusMacrosTest, PropagateErrorsAndValues) {
  EXPECT_THAT(Quarter(8), IsOk());
  EXPECT_EQ(*Quarter(8), 2);
  EXPECT_THAT(Quarter(6), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(CheckEven(3),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("odd")));
  EXPECT_THAT(CheckEven(4), IsOk());
  EXPECT_THAT(CheckEven(3), Not(IsOk()));
}

TEST(StatusMacrosTest, ErrnoStatusKeepsTheCodeAndNamesTheOperation) {
  EXPECT_THAT(ErrnoStatus(ENOMEM, "DMA_HEAP_IOCTL_ALLOC"),
              StatusIs(absl::StatusCode::kResourceExhausted,
                       HasSubstr("DMA_HEAP_IOCTL_ALLOC")));
  EXPECT_THAT(ErrnoStatus(EINVAL, "mmap"),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(ErrnoStatus(ENOENT, "open"),
              StatusIs(absl::StatusCode::kNotFound));
}

TEST(MutexTest, ProtectsACounterAcrossThreads) {
  Mutex mu;
  int counter = 0;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 10000; ++i) {
        MutexLock lock(&mu);
        ++counter;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(counter, 40000);
}

// Whether `mu` was free: takes it and gives it back if so.
bool WasFree(Mutex& mu) {
  if (!mu.TryLock()) return false;
  mu.Unlock();
  return true;
}

TEST(MutexTest, TryLockFailsWhileHeldAndSucceedsOnceFree) {
  Mutex mu;
  {
    MutexLock lock(&mu);
    std::thread([&] { EXPECT_FALSE(WasFree(mu)); }).join();
  }
  std::thread([&] { EXPECT_TRUE(WasFree(mu)); }).join();
}

// Sleepers (the contended path): each thread holds the lock long enough
// for the others to find it taken and wait in the kernel.
TEST(MutexTest, SleepersAreWokenAndExcludedFromEachOther) {
  Mutex mu;
  int inside = 0;
  int most_inside = 0;
  int entries = 0;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 50; ++i) {
        MutexLock lock(&mu);
        ++inside;
        most_inside = std::max(most_inside, inside);
        std::this_thread::sleep_for(std::chrono::microseconds(100));
        ++entries;
        --inside;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(entries, 200);
  EXPECT_EQ(most_inside, 1);
}

TEST(CondVarTest, HandsEveryItemFromProducersToConsumers) {
  Mutex mu;
  CondVar cv;
  std::vector<int> queue;
  int consumed = 0;
  long long sum = 0;
  constexpr int kPerProducer = 2000;
  std::vector<std::thread> threads;
  for (int c = 0; c < 2; ++c) {
    threads.emplace_back([&] {
      for (;;) {
        MutexLock lock(&mu);
        while (queue.empty() && consumed < 2 * kPerProducer) cv.Wait(&mu);
        if (queue.empty()) return;
        sum += queue.back();
        queue.pop_back();
        if (++consumed == 2 * kPerProducer) cv.SignalAll();
      }
    });
  }
  for (int p = 0; p < 2; ++p) {
    threads.emplace_back([&] {
      for (int i = 1; i <= kPerProducer; ++i) {
        {
          MutexLock lock(&mu);
          queue.push_back(i);
        }
        cv.Signal();
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(consumed, 2 * kPerProducer);
  EXPECT_EQ(sum, 2LL * kPerProducer * (kPerProducer + 1) / 2);
}

TEST(CondVarTest, SignalAllWakesEveryWaiter) {
  Mutex mu;
  CondVar cv;
  bool go = false;
  int waiting = 0;
  int woken = 0;
  std::vector<std::thread> threads;
  for (int t = 0; t < 3; ++t) {
    threads.emplace_back([&] {
      MutexLock lock(&mu);
      ++waiting;
      cv.SignalAll();  // tells the main thread one more is in
      while (!go) cv.Wait(&mu);
      ++woken;
    });
  }
  {
    MutexLock lock(&mu);
    while (waiting < 3) cv.Wait(&mu);
    go = true;
  }
  cv.SignalAll();
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(woken, 3);
}

TEST(FourccTest, BuildsAndPrintsCodes) {
  EXPECT_EQ(FourccCode('N', 'V', '1', '2'), 0x3231564eu);
  EXPECT_EQ(FourccToString(FourccCode('N', 'V', '1', '2')), "NV12");
  EXPECT_EQ(FourccToString(0), "-");
  EXPECT_EQ(FourccToString(FourccCode('A', 'B', '\x01', '4')), "AB?4");
  EXPECT_EQ(
      FourccToString(FourccCode('R', 'G', 'B', 'R') | kFourccBigEndianBit),
      "RGBR-BE");
}

TEST(PageSizeTest, RoundsUpToWholePagesAndRefusesOverflow) {
  const uint64_t page = PageSizeBytes();
  ASSERT_GE(page, kMinPageSizeBytes);
  EXPECT_EQ(page & (page - 1), 0u) << "not a power of two";
  uint64_t rounded = 1;
  ASSERT_TRUE(RoundUpToPage(0, &rounded));
  EXPECT_EQ(rounded, 0u);
  ASSERT_TRUE(RoundUpToPage(1, &rounded));
  EXPECT_EQ(rounded, page);
  ASSERT_TRUE(RoundUpToPage(page, &rounded));
  EXPECT_EQ(rounded, page);
  EXPECT_FALSE(RoundUpToPage(UINT64_MAX, &rounded));
}

TEST(IoctlTest, KeepsTheErrnoOfARealFailure) {
  int unused = 0;
  errno = 0;
  // FIONREAD on a directory is not a retryable failure: one call, its errno.
  UniqueFd dir(open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  ASSERT_TRUE(dir.valid());
  EXPECT_EQ(RetryIoctl(dir.get(), 0xdeadbeef, &unused), -1);
  EXPECT_NE(errno, EINTR);
  EXPECT_NE(errno, EAGAIN);
  EXPECT_NE(errno, 0);
}

TEST(FdCountTest, SeesANewFd) {
  const int before = OpenFdCount();
  ASSERT_GT(before, 0);
  UniqueFd fd(open("/dev/null", O_RDONLY | O_CLOEXEC));
  EXPECT_EQ(OpenFdCount(), before + 1);
}

}  // namespace
}  // namespace gralloc
