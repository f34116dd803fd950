// Copyright 2026 The gralloc for Linux Authors.
//
// bench/suite.h: what the benchmark suite's path families share: the
// (backend, shape) cases, how a row is named and registered, and how one
// iteration is timed. One binary, //bench:allocation_bench, registers
// every row, so one run gives a row and its floor side by side.
//
// Rows are named "<path>/<backend>/<shape>" (google benchmark appends
// "/iterations:N", "/real_time", "/threads:N"); bench/report.py pairs a
// row with its floor by these three parts:
//
//   path                 what one iteration does              floor
//   FloorAlloc           the backend's raw kernel call + close    -
//   FloorAllocEager      memfd only: + fallocate (populated)      -
//   Negotiate            a whole negotiation                  FloorAlloc
//                        (Allocator::Explain; Allocate keeps
//                        the plans of recent descriptions)
//   Allocate             Allocator::Allocate(info, 1) + drop  FloorAlloc
//   AllocateInterleaved  FloorAlloc's call and Allocate's,   (its own,
//                        in turns of up to 1 ms, each call    interleaved)
//                        timed (RunInterleaved)
//   FloorAllocPair       the raw call (and its name, on a     FloorAlloc
//                        dma-buf) and a sealed metadata
//                        memfd, both closed: the kernel's
//                        part of Allocate, nothing else
//   Service              the same through gralloc-allocatord  Allocate
//                        (a round trip; dropping the handle
//                        frees the buffer, as in the C ABI)
//   FloorRoundTrip       a request and a reply with 2 fds         -
//                        over a socketpair to a forked echo
//                        process, waited for as the client
//                        waits (the kernel's floor for one
//                        exchange with the service)
//   FloorRoundTrip4      the same from 4 threads at once,         -
//                        each with its own echo process
//   FloorServiceAlloc    FloorAllocPair's allocation made by  FloorAllocPair
//                        a forked process per request, its
//                        fds sent back and closed by the
//                        client (the kernel's whole part of
//                        Service, none of the service's work)
//   Service4             Service from 4 clients at once       (its median)
//   FloorAllocOnly       the raw call alone (memfd: with          -
//                        fallocate), the close not timed
//   ServicePooled        the allocation alone, through a      FloorAllocOnly
//                        daemon with the allocate-ahead pool
//                        (--pool-budget), each once the pool
//                        holds the description's buffers
//                        again (the wait is not timed)
//   FloorMap             mmap + munmap of the pixel and the       -
//                        metadata fd (what import + first lock
//                        map)
//   ImportFree           AIMapper importBuffer + freeBuffer   FloorMap
//                        (the pixels wait for the first lock)
//   FloorImport          the syscalls of import + free alone: FloorMap
//                        dup both fds, fstat both, the
//                        metadata's seals, map both, unmap
//                        and close both
//   ImportLockFree       importBuffer, lock + unlock, free:   FloorImport
//                        the pixel mapping included
//   FloorSync{Read,Write,ReadWrite}  DMA_BUF_IOCTL_SYNC START + END
//   Lock{Read,Write,ReadWrite}       AIMapper lock + unlock   FloorSync...
//   FloorFirstWrite      raw call, mmap, sync, memset, sync,      -
//                        munmap, close
//   FloorFirstWritePair  the same with a handle's kernel     FloorFirstWrite
//                        work: FloorAllocPair, FloorImport's
//                        dups and checks, the metadata
//                        mapped and its header page faulted
//   FirstWrite           allocate, import, lock, memset,      FloorFirstWrite
//                        unlock, free, drop
//
// A row that cannot be measured still appears, with an error message: one
// starting "skipped: " is expected (a memfd has no DMA_BUF_IOCTL_SYNC; the
// CMA area is too small for the buffer); any other is a failure that the
// smoke test (bench/smoke_test.sh) reports.
//
// Thread safety: a Suite is built in main() before any benchmark runs and
// only read while they run.

#ifndef GRALLOC_BENCH_SUITE_H_
#define GRALLOC_BENCH_SUITE_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "android/hardware/graphics/mapper/IMapper.h"
#include "bench/backends.h"
#include "bench/latency.h"
#include "bench/shapes.h"
#include "benchmark/benchmark.h"
#include "hal/descriptor/descriptor.h"

namespace gralloc::bench {

// The prefix of an expected skip's message (see the file comment).
inline constexpr char kSkipPrefix[] = "skipped: ";

// One buffer kind on one backend.
struct BenchCase {
  const Backend* backend = nullptr;
  const Shape* shape = nullptr;
  BufferDescriptorInfo info;  // what every path of the case allocates
  uint64_t pixel_bytes = 0;   // what the backend allocated for it
  uint32_t metadata_bytes = 0;
  // Not empty when the case cannot be measured: every row of it reports
  // this as its error ("skipped: ..." when expected).
  std::string unavailable;

  // "<backend>/<shape>", the end of every row name of the case.
  std::string Name() const;
};

struct Suite {
  std::vector<std::unique_ptr<Backend>> backends;
  std::vector<BenchCase> cases;
  // --iterations: every row runs exactly this many iterations (0: google
  // benchmark decides from --benchmark_min_time).
  int64_t iterations = 0;
  // --warmup_time: when a row starts after another row, its iteration runs
  // untimed for this long (at least once) before anything is timed, so
  // the row is timed in its steady state and not in the state the row
  // before it left (bench/PROFILE.md: under emulation, a row run right
  // after a heavy one drifted down through its whole run). 0: none (always
  // with --iterations).
  int64_t warmup_ns = 0;
  // The private daemon's socket; empty when it could not be started (then
  // `service_unavailable` says why).
  std::string service_socket;
  std::string service_unavailable;
  // The same for a daemon with the allocate-ahead pool.
  std::string pooled_socket;
  std::string pooled_unavailable;
  AIMapper* mapper = nullptr;
};

// Allocates one buffer of every shape on every backend, to learn its real
// size (and whether the backend can serve it at all), and fills
// suite->cases. Notes for people go to `notes`.
void BuildCases(Suite* suite, std::vector<std::string>* notes);

// Registers "<path>/<case>" running `body`, in real time (the service's
// time is not this process's CPU time), with the suite's iteration count
// and warm-up (a single-threaded row's first run after another row's owes
// the suite's warm-up, which RunTimed pays before timing). A case that is
// unavailable registers a row that only reports why.
// A row registered with `shares_sync_buffer` may use SharedSyncBuffer();
// any other single-threaded row releases it when it starts.
benchmark::internal::Benchmark* RegisterRow(
    const Suite& suite, const std::string& path, const BenchCase& bench_case,
    std::function<void(benchmark::State&)> body,
    bool shares_sync_buffer = false);

// The one buffer of `bench_case` that its FloorSync<V> and Lock<V> rows
// share, so that a lock row and its floor sync the same dma-buf: on
// udmabuf the sync pair's cost differs from one buffer to another by more
// than lock's +1 us target (bench/PROFILE.md). Allocated by the first of
// those rows that asks, kept while they run (they are registered next to
// each other), released when another row starts. For single-threaded
// rows registered with `shares_sync_buffer` only.
absl::StatusOr<const AllocatedBuffer*> SharedSyncBuffer(
    const BenchCase& bench_case);

// The timed loop most rows use: runs `iteration` once per benchmark
// iteration, timing each call, and reports the percentiles with the case's
// pixel size. When `iteration` fails, the row ends with the status as its
// error. First, untimed, the warm-up the row owes (see RegisterRow); the
// counter warmup_iterations says how many iterations the row has run
// untimed since it started.
void RunTimed(benchmark::State& state, const BenchCase& bench_case,
              const std::function<absl::Status()>& iteration);

// FloorAlloc's iteration: the backend's raw allocation, closed at once.
// In line, so a row's timed call is the same with or without it.
inline absl::Status FloorAllocOnce(const BenchCase& bench_case) {
  absl::StatusOr<UniqueFd> fd =
      bench_case.backend->RawAllocate(bench_case.pixel_bytes);
  return fd.status();
}

// Allocate's iteration: Allocator::Allocate(info, 1), the buffer dropped.
inline absl::Status AllocateOnce(const BenchCase& bench_case) {
  absl::StatusOr<Allocation> allocation =
      bench_case.backend->allocator().Allocate(bench_case.info, 1);
  return allocation.status();  // the buffer is freed here
}

// RunTimed for a path and its floor in turn: each iteration of the row is
// a turn of `floor` calls and then a turn of `path` calls, each turn up to
// 1 ms or 32 calls, every call timed (but a turn's first two, when it has
// more: they pay for the switch), and the row reports the path's
// percentiles (as RunTimed) with the floor's beside them (floor_p50_us,
// floor_p99_us, floor_mean_us, floor_samples; samples counts the path's
// calls). A slow phase of the machine, which under emulation lasts
// seconds, then falls on both, where rows timed one after the other can
// catch it in one and not the other. The warm-up runs both, untimed.
void RunInterleaved(benchmark::State& state, const BenchCase& bench_case,
                    const std::function<absl::Status()>& floor,
                    const std::function<absl::Status()>& path);

// RunTimed for one thread of a multi-threaded row (Threads(n)): each
// thread times its own iterations into `samples`, and thread 0 reports
// every thread's once all are done, however their loops ended. A thread
// whose setup failed passes the row's message as `setup_error` (empty when
// it succeeded) and ends as SkipRow does.
void RunTimedThread(benchmark::State& state, const BenchCase& bench_case,
                    ThreadSamples& samples, const std::string& setup_error,
                    const std::function<absl::Status()>& iteration);

// The error message of a row that failed with `status`: running out of
// memory is an expected skip (a CMA area smaller than the buffer, or than
// four of them); anything else is "error: <status>".
std::string RowError(const absl::Status& status);

// Ends a row whose case cannot run: `message` as its error, and no
// iterations. Call before the loop; multi-threaded rows call it in every
// thread (each must pass its loop).
void SkipRow(benchmark::State& state, const std::string& message);

// A shared, read-write mapping of an fd, unmapped on destruction.
class Mapping final {
 public:
  // mmap(MAP_SHARED) of the first `size_bytes` of `fd`.
  static absl::StatusOr<Mapping> Map(int fd, size_t size_bytes);
  Mapping(Mapping&& other) noexcept
      : data_(std::exchange(other.data_, nullptr)),
        size_bytes_(other.size_bytes_) {}
  Mapping& operator=(Mapping&&) = delete;
  Mapping(const Mapping&) = delete;
  ~Mapping();
  void* data() const { return data_; }

 private:
  Mapping(void* data, size_t size_bytes)
      : data_(data), size_bytes_(size_bytes) {}
  void* data_;
  size_t size_bytes_;
};

// DMA_BUF_IOCTL_SYNC with `flags` on the dma-buf `fd`.
absl::Status SyncDmaBuf(int fd, uint64_t flags);

// The three kinds of CPU lock the suite measures, with the cache
// maintenance each asks of the kernel (the mapper's SyncDirections()).
struct LockVariant {
  const char* name;     // "Read": rows LockRead and FloorSyncRead
  uint64_t cpu_usage;   // CPU_READ_OFTEN, CPU_WRITE_OFTEN or both
  uint64_t sync_flags;  // DMA_BUF_SYNC_READ, _WRITE or _RW
};
absl::Span<const LockVariant> LockVariants();

// The path families (one .cc each): each registers its rows of one case.
// main() calls them case by case, so a row runs right beside its floor.
void RegisterFloorRows(const Suite& suite, const BenchCase& bench_case);
void RegisterAllocatorRows(const Suite& suite, const BenchCase& bench_case);
void RegisterServiceRows(const Suite& suite, const BenchCase& bench_case);
void RegisterMapperRows(const Suite& suite, const BenchCase& bench_case);
// FloorSync<V>, the Lock<V> rows' floors: RegisterMapperRows registers
// them right before the Lock<V> rows, which share their buffer.
void RegisterSyncFloorRows(const Suite& suite, const BenchCase& bench_case);

}  // namespace gralloc::bench

#endif  // GRALLOC_BENCH_SUITE_H_
