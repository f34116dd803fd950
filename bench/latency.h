// Copyright 2026 The gralloc for Linux Authors.
//
// bench/latency.h: per-iteration latency samples, their percentiles, and
// how a benchmark row reports them.
//
// Google benchmark reports a mean per row; issue 11's targets are about
// medians and tails. So every row times each iteration itself (two
// clock_gettime(CLOCK_MONOTONIC) calls through the vDSO, about 40 ns, the
// same for a row and its floor), keeps the samples, and reports them as
// counters that bench/report.py reads from the JSON:
//
//   p50_us, p99_us  the median and the 99th percentile (nearest rank)
//   mean_us         the mean, which stays right when the clock is coarse
//                   (see ClockResolutionNs())
//   samples         how many iterations they come from
//   bytes           the buffer's size, for plotting latency against size
//
//   LatencySamples samples;
//   for (auto _ : state) {
//     const int64_t start_ns = NowNs();
//     DoTheWork();
//     samples.Add(NowNs() - start_ns);
//   }
//   ReportLatency(state, samples, size_bytes);
//
// A row with ->Threads(n) keeps one LatencySamples per thread in a
// ThreadSamples made before the benchmark runs, so no thread ever writes
// memory another one touches; thread 0 merges them after the loop (google
// benchmark ends every thread's loop at one barrier) and alone reports.
//
// Thread safety: LatencySamples is not thread-safe; ThreadSamples is safe
// under the protocol above.

#ifndef GRALLOC_BENCH_LATENCY_H_
#define GRALLOC_BENCH_LATENCY_H_

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "benchmark/benchmark.h"

namespace gralloc::bench {

// CLOCK_MONOTONIC in nanoseconds.
int64_t NowNs();

// The smallest step NowNs() is seen to take, in nanoseconds: tens of
// nanoseconds with a TSC clocksource, a whole tick (4 ms at HZ=250) where
// the kernel keeps time in jiffies, as the VM tier's tiny kernel does under
// TCG when it fails to calibrate its TSC (on a busy host, now and then).
// Then single samples are quantised to ticks and percentiles mean
// little, but the mean of many samples is still right (each sample is off
// by less than a tick, either way, with the tick's phase at random), so
// bench/report.py uses mean_us there. Takes up to a few ticks.
int64_t ClockResolutionNs();

class LatencySamples final {
 public:
  // The mean in nanoseconds; 0 when there are no samples.
  double MeanNs() const;

  // Makes room for `count` samples (capped at 4 Mi, 32 MiB), so Add()
  // does not reallocate inside a timed loop.
  void Reserve(size_t count);
  void Add(int64_t ns) {
    ns_.push_back(ns);
    sorted_ = false;
  }
  void Append(const LatencySamples& other);
  void Clear() {
    ns_.clear();
    sorted_ = true;
  }
  size_t size() const { return ns_.size(); }

  // The nearest-rank `percent` percentile (0 < percent <= 100) in
  // nanoseconds: the smallest sample with at least `percent`% of the
  // samples at or below it. 0 when there are no samples. Sorts the samples
  // the first time after an Add().
  int64_t PercentileNs(double percent);

 private:
  std::vector<int64_t> ns_;
  bool sorted_ = true;
};

// One LatencySamples per thread of a multi-threaded row (see the file
// comment).
class ThreadSamples final {
 public:
  explicit ThreadSamples(int threads) : per_thread_(threads) {}
  LatencySamples& ForThread(int thread_index) {
    return per_thread_.at(thread_index);
  }
  // Every thread calls this once after its loop; the thread that reports
  // waits for the others. (google benchmark's own end-of-loop barrier is
  // skipped by a thread that ends its loop with SkipWithError, so it does
  // not make the others' samples safe to read.)
  void Finished() { finished_.fetch_add(1, std::memory_order_acq_rel); }
  // Every thread's samples in one, once all `threads` have called
  // Finished(); resets the count for the next repetition. Call from one
  // thread (thread 0) after its loop.
  LatencySamples Merged(int threads);

 private:
  std::vector<LatencySamples> per_thread_;
  std::atomic<int> finished_{0};
};

// Sets the counters p50_us, p99_us, mean_us, samples and bytes of `state`.
void ReportLatency(benchmark::State& state, LatencySamples& samples,
                   uint64_t size_bytes);

// Sets the counters <prefix>p50_us, <prefix>p99_us, <prefix>mean_us and
// <prefix>samples of `state`: ReportLatency's percentiles, for a second
// set of samples in the same row (a floor timed beside its path).
void ReportPercentiles(benchmark::State& state, LatencySamples& samples,
                       const std::string& prefix);

}  // namespace gralloc::bench

#endif  // GRALLOC_BENCH_LATENCY_H_
