// Copyright 2026 The gralloc for Linux Authors.

#include "bench/suite.h"

#include <linux/dma-buf.h>
#include <sys/mman.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "hal/base/ioctl.h"
#include "hal/base/status_macros.h"
#include "hal/types/buffer_usage.h"
#include "hal/usage/usage.h"

namespace gralloc::bench {
namespace {

// The warm-up of the single-threaded row this thread runs. RegisterRow's
// wrapper sets it when a run of another row begins; TimeIterations pays it.
// Per thread: a multi-threaded row's threads owe none (and the main
// thread, which runs its thread 0, is told so), so no thread reads
// another's.
struct RowWarmup {
  std::string row;         // the row this thread last started a run of
  int64_t owed_ns = 0;     // to run untimed before the next timed loop
  int64_t iterations = 0;  // run untimed since `row` started
};
thread_local RowWarmup row_warmup;

// SharedSyncBuffer()'s buffer, and the case it is of. Per thread, like
// RowWarmup: only the main thread, which runs every single-threaded row,
// ever holds one.
struct SyncBufferSlot {
  const BenchCase* bench_case = nullptr;
  std::unique_ptr<Allocation> allocation;
};
thread_local SyncBufferSlot sync_buffer;

void StartRun(const std::string& row, int64_t warmup_ns,
              bool shares_sync_buffer) {
  RowWarmup& warmup = row_warmup;
  if (warmup.row == row) return;  // google benchmark's next run of it
  warmup.row = row;
  warmup.owed_ns = warmup_ns;
  warmup.iterations = 0;
  if (!shares_sync_buffer) sync_buffer = SyncBufferSlot();
}

// Why a case cannot be measured, from the status of its first allocation.
std::string Unavailable(const BenchCase& bench_case,
                        const absl::Status& status) {
  if (absl::IsUnimplemented(status)) {
    // A refusal: this memory cannot serve these users on this platform
    // (memfd for a camera where device memory exists).
    return absl::StrCat(kSkipPrefix, bench_case.backend->name(),
                        " cannot serve ", bench_case.shape->name, ": ",
                        status.message());
  }
  return RowError(status);
}

constexpr uint64_t kCpuReadOften =
    static_cast<uint64_t>(BufferUsage::CPU_READ_OFTEN);
constexpr uint64_t kCpuWriteOften =
    static_cast<uint64_t>(BufferUsage::CPU_WRITE_OFTEN);

constexpr LockVariant kLockVariants[] = {
    {"Read", kCpuReadOften, DMA_BUF_SYNC_READ},
    {"Write", kCpuWriteOften, DMA_BUF_SYNC_WRITE},
    {"ReadWrite", kCpuReadOften | kCpuWriteOften, DMA_BUF_SYNC_RW},
};

}  // namespace

std::string RowError(const absl::Status& status) {
  if (absl::IsResourceExhausted(status)) {
    return absl::StrCat(kSkipPrefix, "resource exhausted: ", status.message());
  }
  return absl::StrCat("error: ", status.ToString());
}

absl::StatusOr<Mapping> Mapping::Map(int fd, size_t size_bytes) {
  void* data =
      mmap(nullptr, size_bytes, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  if (data == MAP_FAILED) return ErrnoStatus("mmap");
  return Mapping(data, size_bytes);
}

Mapping::~Mapping() {
  if (data_ != nullptr) munmap(data_, size_bytes_);
}

absl::Status SyncDmaBuf(int fd, uint64_t flags) {
  dma_buf_sync sync = {};
  sync.flags = flags;
  if (RetryIoctl(fd, DMA_BUF_IOCTL_SYNC, &sync) != 0) {
    return ErrnoStatus("DMA_BUF_IOCTL_SYNC");
  }
  return absl::OkStatus();
}

absl::Span<const LockVariant> LockVariants() { return kLockVariants; }

std::string BenchCase::Name() const {
  return absl::StrCat(backend->name(), "/", shape->name);
}

void BuildCases(Suite* suite, std::vector<std::string>* notes) {
  for (const std::unique_ptr<Backend>& backend : suite->backends) {
    for (const Shape& shape : Shapes()) {
      BenchCase bench_case;
      bench_case.backend = backend.get();
      bench_case.shape = &shape;
      const HeapClass heap_class = backend->heap().heap_class;
      bench_case.info = Descriptor(shape, shape.usage, heap_class);
      absl::StatusOr<Allocation> allocation =
          backend->allocator().Allocate(bench_case.info, 1);
      if (!allocation.ok() && absl::IsUnimplemented(allocation.status()) &&
          shape.optional_usage != 0) {
        BufferDescriptorInfo reduced =
            Descriptor(shape, shape.usage & ~shape.optional_usage, heap_class);
        absl::StatusOr<Allocation> retry =
            backend->allocator().Allocate(reduced, 1);
        if (retry.ok()) {
          notes->push_back(absl::StrCat(bench_case.Name(), ": without ",
                                        UsageToString(shape.optional_usage),
                                        ", which this platform refuses: ",
                                        allocation.status().message()));
          bench_case.info = std::move(reduced);
          allocation = std::move(retry);
        }
      }
      if (!allocation.ok()) {
        bench_case.unavailable = Unavailable(bench_case, allocation.status());
      } else {
        const AllocatedBuffer& buffer = allocation->buffers.front();
        bench_case.pixel_bytes = buffer.info.allocation_size;
        bench_case.metadata_bytes = buffer.info.metadata_size;
        if (!backend->IsHeap(buffer.heap)) {
          bench_case.unavailable =
              absl::StrCat("error: the allocator of heap ", backend->name(),
                           " served from ", buffer.heap.name);
        }
      }
      notes->push_back(
          bench_case.unavailable.empty()
              ? absl::StrCat(bench_case.Name(), ": ", bench_case.pixel_bytes,
                             " B + ", bench_case.metadata_bytes,
                             " B metadata, usage ",
                             UsageToString(bench_case.info.usage))
              : absl::StrCat(bench_case.Name(), ": ", bench_case.unavailable));
      suite->cases.push_back(std::move(bench_case));
    }
  }
}

benchmark::internal::Benchmark* RegisterRow(
    const Suite& suite, const std::string& path, const BenchCase& bench_case,
    std::function<void(benchmark::State&)> body, bool shares_sync_buffer) {
  const std::string name = absl::StrCat(path, "/", bench_case.Name());
  benchmark::internal::Benchmark* row;
  if (bench_case.unavailable.empty()) {
    const int64_t warmup_ns = suite.warmup_ns;
    row = benchmark::RegisterBenchmark(
        name.c_str(), [name, warmup_ns, shares_sync_buffer,
                       body = std::move(body)](benchmark::State& state) {
          StartRun(name, state.threads() == 1 ? warmup_ns : 0,
                   shares_sync_buffer);
          body(state);
        });
  } else {
    row = benchmark::RegisterBenchmark(
        name.c_str(),
        [message = bench_case.unavailable](benchmark::State& state) {
          SkipRow(state, message);
        });
  }
  row->UseRealTime();
  if (suite.iterations > 0) row->Iterations(suite.iterations);
  return row;
}

namespace {

// The benchmark loop: times each call of `iteration` into `samples`, and
// ends the row with the first failure as its error.
void TimeIterations(benchmark::State& state,
                    const std::function<absl::Status()>& iteration,
                    LatencySamples& samples) {
  RowWarmup& warmup = row_warmup;
  if (warmup.owed_ns > 0) {
    // The drift the warm-up is for was a few microseconds per iteration
    // over a tenth of a second; where one iteration takes a millisecond or
    // more it is lost in the iteration, and three of them warm the row up
    // (its pages faulted in, its code translated under emulation).
    constexpr int64_t kSlowIterationNs = 1000 * 1000;
    constexpr int64_t kSlowRowWarmupIterations = 3;
    const int64_t start_ns = NowNs();
    const int64_t owed_ns = warmup.owed_ns;
    warmup.owed_ns = 0;
    int64_t run = 0;
    for (;;) {
      const absl::Status status = iteration();
      if (!status.ok()) {
        SkipRow(state, RowError(status));
        return;
      }
      ++run;
      const int64_t elapsed_ns = NowNs() - start_ns;
      if (elapsed_ns >= owed_ns) break;
      if (run >= kSlowRowWarmupIterations &&
          elapsed_ns >= run * kSlowIterationNs) {
        break;
      }
    }
    warmup.iterations += run;
  }
  samples.Reserve(static_cast<size_t>(state.max_iterations));
  for (auto _ : state) {
    const int64_t start_ns = NowNs();
    const absl::Status status = iteration();
    const int64_t end_ns = NowNs();
    if (!status.ok()) {
      state.SkipWithError(RowError(status).c_str());
      break;
    }
    samples.Add(end_ns - start_ns);
  }
}

}  // namespace

void RunTimed(benchmark::State& state, const BenchCase& bench_case,
              const std::function<absl::Status()>& iteration) {
  LatencySamples samples;
  TimeIterations(state, iteration, samples);
  ReportLatency(state, samples, bench_case.pixel_bytes);
  state.counters["warmup_iterations"] =
      static_cast<double>(row_warmup.iterations);
}

void RunInterleaved(benchmark::State& state, const BenchCase& bench_case,
                    const std::function<absl::Status()>& floor,
                    const std::function<absl::Status()>& path) {
  // Turns of up to a millisecond: far shorter than the machine's slow
  // phases, and long enough that most calls follow calls of their own
  // kind, as in a row of their own. A call right after the other kind's
  // finds the emulator's caches full of the other's code and data (in
  // strict alternation FloorAlloc took 2 us more at 64x64, and Allocate no
  // more), so the first kSettleCalls calls of a turn are not counted, when
  // it has more; a turn of fewer is a turn of slow calls (a millisecond
  // and more), which a switch does not move.
  constexpr int64_t kTurnNs = 1000 * 1000;
  constexpr int kTurnCalls = 32;
  constexpr int kSettleCalls = 2;
  // Every call's time, the warm-up's first, and where each iteration's
  // began: the timed loop's are the last `timed.size()` iterations
  // (TimeIterations times each iteration as a whole).
  std::vector<int64_t> floor_ns;
  std::vector<int64_t> path_ns;
  std::vector<std::pair<size_t, size_t>> starts;
  const size_t expected = std::min<size_t>(
      (static_cast<size_t>(state.max_iterations) + 256) * kTurnCalls,
      size_t{4} << 20);
  floor_ns.reserve(expected);
  path_ns.reserve(expected);
  starts.reserve(static_cast<size_t>(state.max_iterations) + 256);
  LatencySamples timed;
  TimeIterations(
      state,
      [&]() -> absl::Status {
        starts.emplace_back(floor_ns.size(), path_ns.size());
        for (const bool is_path : {false, true}) {
          std::vector<int64_t>& into = is_path ? path_ns : floor_ns;
          const size_t turn_start = into.size();
          int64_t turn_ns = 0;
          int n = 0;
          for (; n < kTurnCalls && turn_ns < kTurnNs; ++n) {
            const int64_t start_ns = NowNs();
            RETURN_IF_ERROR(is_path ? path() : floor());
            const int64_t ns = NowNs() - start_ns;
            into.push_back(ns);
            turn_ns += ns;
          }
          if (n > kSettleCalls) {
            into.erase(into.begin() + static_cast<std::ptrdiff_t>(turn_start),
                       into.begin() + static_cast<std::ptrdiff_t>(
                                          turn_start + kSettleCalls));
          }
        }
        return absl::OkStatus();
      },
      timed);
  if (state.error_occurred()) return;
  const auto [floor_from, path_from] = starts[starts.size() - timed.size()];
  LatencySamples floor_samples;
  LatencySamples path_samples;
  floor_samples.Reserve(floor_ns.size() - floor_from);
  path_samples.Reserve(path_ns.size() - path_from);
  for (size_t i = floor_from; i < floor_ns.size(); ++i) {
    floor_samples.Add(floor_ns[i]);
  }
  for (size_t i = path_from; i < path_ns.size(); ++i) {
    path_samples.Add(path_ns[i]);
  }
  ReportLatency(state, path_samples, bench_case.pixel_bytes);
  ReportPercentiles(state, floor_samples, "floor_");
  state.counters["warmup_iterations"] =
      static_cast<double>(row_warmup.iterations);
}

void RunTimedThread(benchmark::State& state, const BenchCase& bench_case,
                    ThreadSamples& samples, const std::string& setup_error,
                    const std::function<absl::Status()>& iteration) {
  LatencySamples& mine = samples.ForThread(state.thread_index());
  mine.Clear();
  if (!setup_error.empty()) {
    SkipRow(state, setup_error);
  } else {
    TimeIterations(state, iteration, mine);
  }
  samples.Finished();
  if (state.thread_index() == 0) {
    LatencySamples all = samples.Merged(state.threads());
    if (setup_error.empty()) {
      ReportLatency(state, all, bench_case.pixel_bytes);
    }
  }
}

absl::StatusOr<const AllocatedBuffer*> SharedSyncBuffer(
    const BenchCase& bench_case) {
  SyncBufferSlot& slot = sync_buffer;
  if (slot.bench_case != &bench_case || slot.allocation == nullptr) {
    slot = SyncBufferSlot();  // another case's buffer goes first
    ASSIGN_OR_RETURN(
        Allocation allocation,
        bench_case.backend->allocator().Allocate(bench_case.info, 1));
    slot.allocation = std::make_unique<Allocation>(std::move(allocation));
    slot.bench_case = &bench_case;
  }
  return &slot.allocation->buffers[0];
}

void SkipRow(benchmark::State& state, const std::string& message) {
  state.SkipWithError(message.c_str());
  for (auto _ : state) {
  }
}

}  // namespace gralloc::bench
