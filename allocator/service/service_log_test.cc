// Copyright 2026 The gralloc for Linux Authors.

#include "allocator/service/service_log.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace gralloc::service {
namespace {

TEST(EscapeForLogTest, NoClientTextCanStartALineOrHideBytes) {
  EXPECT_EQ(EscapeForLog("plain text: 1 2 3"), "plain text: 1 2 3");
  EXPECT_EQ(EscapeForLog("a\nfake: line"), "a\\x0afake: line");
  EXPECT_EQ(EscapeForLog("cr\r tab\t esc\x1b[31m"),
            "cr\\x0d tab\\x09 esc\\x1b[31m");
  EXPECT_EQ(EscapeForLog("back\\slash"), "back\\x5cslash");
  EXPECT_EQ(EscapeForLog(std::string("nul\0byte", 8)), "nul\\x00byte");
  EXPECT_EQ(EscapeForLog("\xc3\xa9\x7f"), "\\xc3\\xa9\\x7f");
}

TEST(RateLimitedLogTest, BurstThenRateAndTheDropsAreReported) {
  std::vector<std::string> lines;
  int64_t now = 0;
  RateLimitedLog log(
      /*per_second=*/2, /*burst=*/3,
      [&](absl::string_view line) { lines.emplace_back(line); },
      [&] { return now; });
  for (int i = 0; i < 10; ++i) log.Line("refused\nforged");
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0], "refused\\x0aforged");
  EXPECT_EQ(log.suppressed_total(), 7u);
  // Half a second buys one line, which says what was dropped.
  now += 500'000'000;
  EXPECT_TRUE(log.Line("next"));
  EXPECT_FALSE(log.Line("dropped"));
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_EQ(lines[3], "(7 lines suppressed) next");
  // A long quiet period refills only up to the burst.
  now += 3600'000'000'000;
  for (int i = 0; i < 10; ++i) log.Line("again");
  EXPECT_EQ(lines.size(), 7u);
  EXPECT_EQ(lines[4], "(1 lines suppressed) again");
  // Drops that no later line reported are written by Flush, once.
  log.Flush();
  ASSERT_EQ(lines.size(), 8u);
  EXPECT_EQ(lines[7], "(7 lines suppressed)");
  log.Flush();
  EXPECT_EQ(lines.size(), 8u);
}

}  // namespace
}  // namespace gralloc::service
