// Copyright 2026 The gralloc for Linux Authors.

#include "bench/latency.h"

#include <thread>
#include <vector>

#include "gtest/gtest.h"

namespace gralloc::bench {
namespace {

TEST(LatencySamplesTest, NoSamplesIsZero) {
  LatencySamples samples;
  EXPECT_EQ(samples.PercentileNs(50), 0);
  EXPECT_EQ(samples.PercentileNs(99), 0);
}

TEST(LatencySamplesTest, OneSampleIsEveryPercentile) {
  LatencySamples samples;
  samples.Add(7);
  EXPECT_EQ(samples.PercentileNs(1), 7);
  EXPECT_EQ(samples.PercentileNs(50), 7);
  EXPECT_EQ(samples.PercentileNs(100), 7);
}

TEST(LatencySamplesTest, NearestRankOfOneToHundred) {
  LatencySamples samples;
  // Added out of order: percentiles sort.
  for (int i = 100; i >= 1; --i) samples.Add(i);
  EXPECT_EQ(samples.PercentileNs(50), 50);
  EXPECT_EQ(samples.PercentileNs(99), 99);
  EXPECT_EQ(samples.PercentileNs(100), 100);
  EXPECT_EQ(samples.PercentileNs(0.5), 1);
}

TEST(LatencySamplesTest, MedianOfEvenCountIsTheLowerMiddle) {
  LatencySamples samples;
  for (int v : {40, 10, 30, 20}) samples.Add(v);
  EXPECT_EQ(samples.PercentileNs(50), 20);
}

TEST(LatencySamplesTest, P99OfAHundredIsNotTheWorst) {
  // One outlier in 100 samples is the 100th percentile, not the 99th: a
  // single page-fault storm does not make a row's tail.
  LatencySamples samples;
  for (int i = 0; i < 99; ++i) samples.Add(10);
  samples.Add(1000000);
  EXPECT_EQ(samples.PercentileNs(99), 10);
  EXPECT_EQ(samples.PercentileNs(100), 1000000);
}

TEST(LatencySamplesTest, AddAfterAPercentileSortsAgain) {
  LatencySamples samples;
  samples.Add(5);
  EXPECT_EQ(samples.PercentileNs(50), 5);
  samples.Add(1);
  samples.Add(2);
  EXPECT_EQ(samples.PercentileNs(50), 2);
}

TEST(LatencySamplesTest, ClearForgetsEverything) {
  LatencySamples samples;
  samples.Add(5);
  samples.Clear();
  EXPECT_EQ(samples.size(), 0u);
  EXPECT_EQ(samples.PercentileNs(50), 0);
}

TEST(LatencySamplesTest, MeanOfSamples) {
  LatencySamples samples;
  EXPECT_EQ(samples.MeanNs(), 0);
  for (int v : {1, 2, 3, 10}) samples.Add(v);
  EXPECT_DOUBLE_EQ(samples.MeanNs(), 4.0);
}

TEST(ThreadSamplesTest, MergesEveryThreadsSamples) {
  ThreadSamples per_thread(4);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&per_thread, t] {
      LatencySamples& mine = per_thread.ForThread(t);
      for (int i = 0; i < 25; ++i) mine.Add(t * 25 + i + 1);
      per_thread.Finished();
    });
  }
  // Merged() waits for every thread's Finished(), joined or not.
  LatencySamples all = per_thread.Merged(4);
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(all.size(), 100u);
  EXPECT_EQ(all.PercentileNs(50), 50);
  EXPECT_EQ(all.PercentileNs(99), 99);
}

TEST(ClockResolutionNsTest, IsPositiveAndAtMostATick) {
  const int64_t resolution_ns = ClockResolutionNs();
  EXPECT_GT(resolution_ns, 0);
  EXPECT_LE(resolution_ns, 10000000);  // HZ=100 at the coarsest
}

TEST(NowNsTest, IsMonotonic) {
  const int64_t first = NowNs();
  const int64_t second = NowNs();
  EXPECT_GT(first, 0);
  EXPECT_GE(second, first);
}

}  // namespace
}  // namespace gralloc::bench
