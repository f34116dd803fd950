// Copyright 2026 The gralloc for Linux Authors.
//
// The kernel behaviour the service's charges rely on: an inotify watch on
// a memfd reports IN_IGNORED when, and only when, the last fd and the last
// mapping of it are gone, in any process. (The VM tier checks dma-bufs.)

#include "allocator/service/memory_watch.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <climits>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "hal/base/status_matchers.h"
#include "hal/base/unique_fd.h"

namespace gralloc::service {
namespace {

using ::gralloc::testing::IsOk;
using ::gralloc::testing::StatusIs;
using ::testing::HasSubstr;

UniqueFd NewMemfd(size_t size) {
  UniqueFd fd(memfd_create("memory-watch-test", MFD_CLOEXEC));
  EXPECT_TRUE(fd);
  EXPECT_EQ(ftruncate(fd.get(), static_cast<off_t>(size)), 0);
  return fd;
}

bool Contains(const std::vector<uint64_t>& tokens, uint64_t token) {
  return std::find(tokens.begin(), tokens.end(), token) != tokens.end();
}

TEST(MemoryWatchTest, GoneOnlyWhenTheLastFdAndMappingAre) {
  ASSERT_OK_AND_ASSIGN(MemoryWatch watch, MemoryWatch::Create());
  UniqueFd fd = NewMemfd(1 << 20);
  ASSERT_OK_AND_ASSIGN(uint64_t token, watch.Watch(fd.get()));
  UniqueFd copy(dup(fd.get()));
  void* map =
      mmap(nullptr, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd.get(), 0);
  ASSERT_NE(map, MAP_FAILED);
  static_cast<char*>(map)[0] = 1;
  fd.reset();
  EXPECT_TRUE(watch.Collect().empty());
  copy.reset();
  EXPECT_TRUE(watch.Collect().empty());  // the mapping holds it
  munmap(map, 4096);
  EXPECT_TRUE(Contains(watch.Collect(), token));
  EXPECT_FALSE(watch.TakeLostEvents());
}

TEST(MemoryWatchTest, ReservationsKeepToTheLimitAndGoneWatchesFreeRoom) {
  ASSERT_OK_AND_ASSIGN(MemoryWatch watch, MemoryWatch::Create(3));
  ASSERT_THAT(watch.Reserve(2), IsOk());
  EXPECT_THAT(watch.Reserve(2),
              StatusIs(absl::StatusCode::kResourceExhausted,
                       HasSubstr("its limit of 3 (--max-watches")));
  UniqueFd a = NewMemfd(4096);
  UniqueFd b = NewMemfd(4096);
  ASSERT_OK_AND_ASSIGN(uint64_t token_a, watch.Watch(a.get()));
  ASSERT_OK_AND_ASSIGN(uint64_t token_b, watch.Watch(b.get()));
  watch.Unreserve(2);
  EXPECT_EQ(watch.watches(), 2u);
  // Two live watches: room for one more, not two.
  EXPECT_THAT(watch.Reserve(2), StatusIs(absl::StatusCode::kResourceExhausted));
  ASSERT_THAT(watch.Reserve(1), IsOk());
  watch.Unreserve(1);
  a.reset();
  b.reset();
  const std::vector<uint64_t> gone = watch.Collect();
  EXPECT_TRUE(Contains(gone, token_a));
  EXPECT_TRUE(Contains(gone, token_b));
  EXPECT_EQ(watch.watches(), 0u);
  EXPECT_THAT(watch.Reserve(3), IsOk());
}

TEST(MemoryWatchTest, AnotherProcessHoldingTheFdKeepsItAlive) {
  ASSERT_OK_AND_ASSIGN(MemoryWatch watch, MemoryWatch::Create());
  UniqueFd fd = NewMemfd(4096);
  ASSERT_OK_AND_ASSIGN(uint64_t token, watch.Watch(fd.get()));
  int pipe_fds[2];
  ASSERT_EQ(pipe2(pipe_fds, O_CLOEXEC), 0);
  UniqueFd read_end(pipe_fds[0]), write_end(pipe_fds[1]);
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    // Holds its inherited copy of the fd until the parent closes the pipe.
    write_end.reset();
    char byte;
    (void)!read(read_end.get(), &byte, 1);
    _exit(0);
  }
  fd.reset();
  EXPECT_FALSE(Contains(watch.Collect(), token));
  write_end.reset();
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  // fput of the child's files may be deferred a little after exit.
  bool gone = false;
  for (int i = 0; i < 500 && !gone; ++i) {
    gone = Contains(watch.Collect(), token);
    if (!gone) usleep(10000);
  }
  EXPECT_TRUE(gone);
}

TEST(MemoryWatchTest, ManyBuffersEachReportedOnce) {
  ASSERT_OK_AND_ASSIGN(MemoryWatch watch, MemoryWatch::Create());
  std::vector<UniqueFd> fds;
  std::vector<uint64_t> tokens;
  for (int i = 0; i < 200; ++i) {
    fds.push_back(NewMemfd(4096));
    ASSERT_OK_AND_ASSIGN(uint64_t token, watch.Watch(fds.back().get()));
    tokens.push_back(token);
  }
  std::sort(tokens.begin(), tokens.end());
  EXPECT_EQ(std::unique(tokens.begin(), tokens.end()), tokens.end());
  fds.clear();
  std::vector<uint64_t> gone = watch.Collect();
  std::sort(gone.begin(), gone.end());
  EXPECT_EQ(gone, tokens);
  EXPECT_TRUE(watch.Collect().empty());
}

// More events than one read of Collect()'s buffer holds (1024 16-byte
// events; a memfd's watch ends with one, IN_IGNORED): one Collect() still
// reads them all, and the memfd watch needs no fstat to choose its events.
TEST(MemoryWatchTest, MoreEventsThanOneReadHoldsAreCollectedAtOnce) {
  const uint64_t queue = MemoryWatch::KernelQueueLimit();
  if (queue != 0 && queue < 1200) {
    GTEST_SKIP() << "fs.inotify.max_queued_events is " << queue
                 << ", fewer than the 1200 events this test queues";
  }
  ASSERT_OK_AND_ASSIGN(MemoryWatch watch, MemoryWatch::Create());
  std::vector<uint64_t> tokens;
  for (int i = 0; i < 1200; ++i) {
    UniqueFd fd = NewMemfd(4096);
    ASSERT_OK_AND_ASSIGN(uint64_t token, watch.WatchMemfd(fd.get()));
    tokens.push_back(token);
  }  // each closed at once: its events are queued
  std::sort(tokens.begin(), tokens.end());
  std::vector<uint64_t> gone = watch.Collect();
  std::sort(gone.begin(), gone.end());
  EXPECT_EQ(gone, tokens);
  EXPECT_TRUE(watch.Collect().empty());
  EXPECT_FALSE(watch.TakeLostEvents());
}

// More memfds freed than the kernel's queue holds events, with nothing
// read: it drops the rest. TakeLostEvents() says so (once), and Gone()
// names every freed memfd whose end Collect() did not report, and none
// that is still alive; the count of live watches is right again.
TEST(MemoryWatchTest, EventsTheKernelDroppedAreRecoveredFromItsListOfWatches) {
  const uint64_t queue = MemoryWatch::KernelQueueLimit();
  if (queue == 0 || queue > (1u << 17)) {
    GTEST_SKIP() << "fs.inotify.max_queued_events is " << queue
                 << ": overflowing it would take too long here";
  }
  ASSERT_OK_AND_ASSIGN(MemoryWatch watch, MemoryWatch::Create());
  std::vector<UniqueFd> alive;
  std::vector<uint64_t> alive_tokens;
  for (int i = 0; i < 3; ++i) {
    alive.push_back(NewMemfd(4096));
    ASSERT_OK_AND_ASSIGN(uint64_t token, watch.WatchMemfd(alive.back().get()));
    alive_tokens.push_back(token);
  }
  std::vector<uint64_t> freed;
  for (uint64_t i = 0; i < queue + 100; ++i) {
    UniqueFd fd(memfd_create("memory-watch-overflow", MFD_CLOEXEC));
    ASSERT_TRUE(fd);
    ASSERT_OK_AND_ASSIGN(uint64_t token, watch.WatchMemfd(fd.get()));
    freed.push_back(token);
  }  // each closed at once: one event each, queued until the queue is full
  std::vector<uint64_t> reported = watch.Collect();
  EXPECT_LT(reported.size(), freed.size());
  EXPECT_TRUE(watch.TakeLostEvents());
  EXPECT_FALSE(watch.TakeLostEvents());

  std::vector<uint64_t> asked = alive_tokens;
  asked.insert(asked.end(), freed.begin(), freed.end());
  asked.push_back(uint64_t{1} << 62);  // no watch has such a token
  ASSERT_OK_AND_ASSIGN(std::vector<uint64_t> gone, watch.Gone(asked));
  for (uint64_t token : alive_tokens) EXPECT_FALSE(Contains(gone, token));
  EXPECT_FALSE(Contains(gone, uint64_t{1} << 62));
  // What Collect() reported is gone too; together, every freed one.
  std::vector<uint64_t> all = reported;
  all.insert(all.end(), gone.begin(), gone.end());
  std::sort(all.begin(), all.end());
  all.erase(std::unique(all.begin(), all.end()), all.end());
  std::sort(freed.begin(), freed.end());
  EXPECT_EQ(all, freed);
  EXPECT_EQ(watch.watches(), alive.size());

  alive.clear();
  std::vector<uint64_t> last = watch.Collect();
  std::sort(last.begin(), last.end());
  std::sort(alive_tokens.begin(), alive_tokens.end());
  EXPECT_EQ(last, alive_tokens);
  EXPECT_EQ(watch.watches(), 0u);
  EXPECT_FALSE(watch.TakeLostEvents());
}

std::string WorkingDirectory() {
  char path[PATH_MAX];
  return getcwd(path, sizeof(path)) != nullptr ? path : "";
}

TEST(MemoryWatchTest, AThreadWatchingFromTheFdDirectoryWatchesTheRightFile) {
  ASSERT_OK_AND_ASSIGN(MemoryWatch watch, MemoryWatch::Create());
  const std::string before = WorkingDirectory();
  ASSERT_NE(before, "");
  UniqueFd watched = NewMemfd(4096);
  UniqueFd other = NewMemfd(4096);
  std::string thread_directory;
  absl::StatusOr<uint64_t> token = absl::UnknownError("not run");
  std::thread worker([&] {
    ASSERT_THAT(MemoryWatch::WatchFromThisThreadsFdDirectory(), IsOk());
    EXPECT_THAT(MemoryWatch::WatchFromThisThreadsFdDirectory(), IsOk());
    thread_directory = WorkingDirectory();
    token = watch.WatchMemfd(watched.get());
  });
  worker.join();
  ASSERT_OK(token.status());
  EXPECT_EQ(thread_directory, absl::StrCat("/proc/", getpid(), "/fd"));
  // The process, and every other thread, kept its directory.
  EXPECT_EQ(WorkingDirectory(), before);
  // The watch is on the file the fd's number named there, not another.
  other.reset();
  EXPECT_TRUE(watch.Collect().empty());
  watched.reset();
  EXPECT_THAT(watch.Collect(), ::testing::ElementsAre(*token));
}

}  // namespace
}  // namespace gralloc::service
