// Copyright 2026 The gralloc for Linux Authors.

#include "bench/latency.h"

#include <time.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>

namespace gralloc::bench {

int64_t NowNs() {
  timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return int64_t{now.tv_sec} * 1000000000 + now.tv_nsec;
}

int64_t ClockResolutionNs() {
  int64_t smallest = INT64_MAX;
  for (int i = 0; i < 5; ++i) {
    const int64_t start = NowNs();
    int64_t now = start;
    while (now == start) now = NowNs();
    smallest = std::min(smallest, now - start);
  }
  return smallest;
}

double LatencySamples::MeanNs() const {
  if (ns_.empty()) return 0;
  double sum = 0;
  for (const int64_t ns : ns_) sum += static_cast<double>(ns);
  return sum / static_cast<double>(ns_.size());
}

void LatencySamples::Reserve(size_t count) {
  constexpr size_t kMaxReserved = size_t{4} << 20;
  ns_.reserve(std::min(count, kMaxReserved));
}

void LatencySamples::Append(const LatencySamples& other) {
  ns_.insert(ns_.end(), other.ns_.begin(), other.ns_.end());
  sorted_ = ns_.empty();
}

int64_t LatencySamples::PercentileNs(double percent) {
  if (ns_.empty()) return 0;
  if (!sorted_) {
    std::sort(ns_.begin(), ns_.end());
    sorted_ = true;
  }
  // Nearest rank: ceil(p/100 * n), counted from 1.
  const double rank =
      std::ceil(percent / 100.0 * static_cast<double>(ns_.size()));
  const size_t index =
      rank < 1.0 ? 0 : std::min(ns_.size() - 1, static_cast<size_t>(rank) - 1);
  return ns_[index];
}

LatencySamples ThreadSamples::Merged(int threads) {
  while (finished_.load(std::memory_order_acquire) < threads) {
    timespec one_ms{0, 1000 * 1000};
    nanosleep(&one_ms, nullptr);
  }
  finished_.store(0, std::memory_order_relaxed);
  LatencySamples merged;
  size_t total = 0;
  for (const LatencySamples& samples : per_thread_) total += samples.size();
  merged.Reserve(total);
  for (const LatencySamples& samples : per_thread_) merged.Append(samples);
  return merged;
}

void ReportPercentiles(benchmark::State& state, LatencySamples& samples,
                       const std::string& prefix) {
  state.counters[prefix + "p50_us"] =
      static_cast<double>(samples.PercentileNs(50)) / 1000.0;
  state.counters[prefix + "p99_us"] =
      static_cast<double>(samples.PercentileNs(99)) / 1000.0;
  state.counters[prefix + "mean_us"] = samples.MeanNs() / 1000.0;
  state.counters[prefix + "samples"] = static_cast<double>(samples.size());
}

void ReportLatency(benchmark::State& state, LatencySamples& samples,
                   uint64_t size_bytes) {
  ReportPercentiles(state, samples, "");
  state.counters["bytes"] = static_cast<double>(size_bytes);
  // Measured again for every row: under emulation the kernel can give up
  // its fine clocksource in the middle of a run.
  state.counters["clock_ns"] = static_cast<double>(ClockResolutionNs());
}

}  // namespace gralloc::bench
