// Copyright 2026 The gralloc for Linux Authors.
//
// BUFFER_IDs: non-zero and distinct across threads, and a forked child does
// not hand out the ids its parent has drawn from the kernel already.

#include "allocator/buffer_id.h"

#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <set>
#include <thread>
#include <vector>

#include "gtest/gtest.h"

namespace gralloc {
namespace {

TEST(BufferIdTest, NonZeroAndDistinctAcrossThreads) {
  constexpr int kThreads = 4;
  constexpr int kEach = 1000;  // many batches each
  std::vector<std::vector<uint64_t>> ids(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&ids, t] {
      for (int i = 0; i < kEach; ++i) {
        absl::StatusOr<uint64_t> id = NewBufferId();
        if (id.ok()) ids[t].push_back(*id);
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  std::set<uint64_t> all;
  for (const std::vector<uint64_t>& some : ids) {
    ASSERT_EQ(some.size(), static_cast<size_t>(kEach));
    all.insert(some.begin(), some.end());
  }
  EXPECT_EQ(all.size(), static_cast<size_t>(kThreads * kEach));
  EXPECT_EQ(all.count(0), 0u);
}

TEST(BufferIdTest, AForkedChildDrawsItsOwnIds) {
  // The parent's batch holds ids it has not handed out yet.
  ASSERT_TRUE(NewBufferId().ok());
  int pipe_fds[2];
  ASSERT_EQ(pipe(pipe_fds), 0);
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    close(pipe_fds[0]);
    uint64_t ids[4] = {};
    for (uint64_t& id : ids) id = NewBufferId().value_or(0);
    const bool sent = write(pipe_fds[1], ids, sizeof(ids)) ==
                      static_cast<ssize_t>(sizeof(ids));
    _exit(sent ? 0 : 1);
  }
  close(pipe_fds[1]);
  uint64_t child_ids[4] = {};
  ASSERT_EQ(read(pipe_fds[0], child_ids, sizeof(child_ids)),
            static_cast<ssize_t>(sizeof(child_ids)));
  close(pipe_fds[0]);
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  std::set<uint64_t> parent_ids;
  for (int i = 0; i < 4; ++i) parent_ids.insert(NewBufferId().value());
  for (uint64_t id : child_ids) {
    EXPECT_NE(id, 0u);
    EXPECT_EQ(parent_ids.count(id), 0u) << "the child reused the parent's";
  }
}

}  // namespace
}  // namespace gralloc
