// Copyright 2026 The gralloc for Linux Authors.
//
// The allocator through gralloc-allocatord (bench/service_daemon.h starts
// a private one), beside the in-process Allocate row of the same case:
//
//   Service    ServiceClient::Allocate(info, 1) + dropping the buffer: the
//              request and the reply with its two fds over the socket, and
//              the service's records and quota. Closing the fds frees the
//              buffer, as GrallocAllocator clients do; the service learns
//              it from its memory watch, off this path.
//   Service4   the same from 4 threads at once, each with its own
//              connection, as 4 client processes would; the percentiles
//              are over every thread's samples (thread 0 reports them)
//   ServicePooled  the allocation alone (ServiceClient::Allocate), from a
//              daemon with the allocate-ahead pool (--pool-budget): each
//              timed allocation finds the pool refilled, as a pipeline
//              allocating one buffer per frame would. Neither the wait
//              for the refill nor freeing the buffer is timed (its floor,
//              FloorAllocOnly, times the allocation alone too); an
//              allocation the pool did not serve ends the row with an
//              error
//
// The service has all of this machine's heaps; the descriptor's preferred
// heap class makes it choose the case's backend. A buffer from another heap
// (the case's heap was full: a small CMA area, 4 clients) ends the row as a
// skip that says so, rather than timing the wrong memory.

#include <time.h>

#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "allocator/client/service_client.h"
#include "allocator/service/protocol.h"
#include "bench/suite.h"
#include "hal/base/status_macros.h"

namespace gralloc::bench {
namespace {

constexpr int kClients = 4;

// One allocate + drop. When the case's heap is full the service
// serves from another one (the plan's fallback); that is ResourceExhausted
// here, so the row does not measure the wrong memory. (The reply does not
// say which heaps were full, so the message cannot either.)
absl::Status AllocateAndDrop(ServiceClient& client, const BenchCase& c) {
  ASSIGN_OR_RETURN(Allocation allocation, client.Allocate(c.info, 1));
  const AllocatedBuffer& buffer = allocation.buffers.front();
  if (!c.backend->IsHeap(buffer.heap)) {
    return absl::ResourceExhaustedError(absl::StrCat(
        "the service served ", c.Name(), " from ", buffer.heap.name, ", not ",
        c.backend->name(), " (full, or not for these users)",
        buffer.exhausted.empty()
            ? std::string()
            : absl::StrCat(": ", absl::StrJoin(buffer.exhausted, "; "))));
  }
  return absl::OkStatus();
}

// A connection for one thread of a row that has served the case once, or
// the row's error.
absl::StatusOr<std::unique_ptr<ServiceClient>> Connect(
    const std::string& socket, const std::string& unavailable,
    const BenchCase& c, std::string* error) {
  if (socket.empty()) {
    *error = unavailable;
    return absl::UnavailableError(*error);
  }
  absl::StatusOr<std::unique_ptr<ServiceClient>> client =
      ServiceClient::Connect(socket);
  if (!client.ok()) {
    *error = RowError(client.status());
    return client.status();
  }
  if (absl::Status first = AllocateAndDrop(**client, c); !first.ok()) {
    *error = RowError(first);
    return first;
  }
  return client;
}

absl::StatusOr<std::unique_ptr<ServiceClient>> Connect(const Suite& suite,
                                                       const BenchCase& c,
                                                       std::string* error) {
  return Connect(suite.service_socket, suite.service_unavailable, c, error);
}

// One of Service4's threads, each with its own connection.
void RunService4(benchmark::State& state, const Suite& suite,
                 const BenchCase& c, ThreadSamples& samples) {
  std::string error;
  absl::StatusOr<std::unique_ptr<ServiceClient>> client =
      Connect(suite, c, &error);
  if (!client.ok() && error.empty()) error = RowError(client.status());
  RunTimedThread(state, c, samples, client.ok() ? std::string() : error,
                 [&] { return AllocateAndDrop(**client, c); });
}

// Waits (up to 30 s) until the pool holds `buffers` buffers. A pool whose
// refills the heap refused since its failure count was `failures` (a CMA
// area too small for them) is ResourceExhausted, an expected skip.
absl::Status WaitForPool(ServiceClient& client, uint64_t buffers,
                         uint64_t failures) {
  for (int waited_ms = 0;; ++waited_ms) {
    ASSIGN_OR_RETURN(const service::StatsReply stats, client.Stats());
    if (stats.pool.buffers >= buffers) return absl::OkStatus();
    if (stats.pool.failures > failures || stats.pool.descriptions == 0) {
      return absl::ResourceExhaustedError(absl::StrCat(
          "the heap cannot hold the pool's ", buffers, " buffers (",
          stats.pool.failures - failures, " refills refused)"));
    }
    if (waited_ms >= 30000) {
      return absl::DeadlineExceededError(
          absl::StrCat("the pool never refilled (", stats.pool.buffers, " of ",
                       buffers, " buffers)"));
    }
    timespec one_ms{0, 1000 * 1000};
    nanosleep(&one_ms, nullptr);
  }
}

// ServicePooled: the pool is emptied, learns this description from one
// allocation and keeps kPoolDepth of it; each timed allocation takes one,
// once it is back to that depth.
constexpr uint64_t kPoolDepth = 2;

void RunPooled(benchmark::State& state, const Suite& suite,
               const BenchCase& c) {
  std::string error;
  absl::StatusOr<std::unique_ptr<ServiceClient>> client =
      Connect(suite.pooled_socket, suite.pooled_unavailable, c, &error);
  if (!client.ok()) return SkipRow(state, error);
  // Only this description in the pool (and in its budget). Emptying it
  // needs a privileged client, as the suite normally is (root).
  if (absl::StatusOr<uint32_t> drained = (*client)->DrainPool();
      !drained.ok()) {
    return SkipRow(state, absl::StrCat(kSkipPrefix, "cannot empty the pool: ",
                                       drained.status().ToString()));
  }
  absl::StatusOr<service::StatsReply> start = (*client)->Stats();
  if (!start.ok()) return SkipRow(state, RowError(start.status()));
  if (absl::Status first = AllocateAndDrop(**client, c); !first.ok()) {
    return SkipRow(state, RowError(first));
  }
  LatencySamples samples;
  samples.Reserve(static_cast<size_t>(state.max_iterations));
  uint64_t first_hits = 0;
  for (auto _ : state) {
    state.PauseTiming();
    absl::Status ready =
        WaitForPool(**client, kPoolDepth, start->pool.failures);
    absl::StatusOr<service::StatsReply> before =
        ready.ok() ? (*client)->Stats()
                   : absl::StatusOr<service::StatsReply>(ready);
    state.ResumeTiming();
    if (!before.ok()) {
      state.SkipWithError(RowError(before.status()).c_str());
      break;
    }
    const int64_t start_ns = NowNs();
    absl::StatusOr<Allocation> allocation = (*client)->Allocate(c.info, 1);
    const int64_t end_ns = NowNs();
    if (!allocation.ok()) {
      state.SkipWithError(RowError(allocation.status()).c_str());
      break;
    }
    state.PauseTiming();
    const HeapIdentity heap = allocation->buffers[0].heap;
    allocation->buffers.clear();  // freed, untimed
    state.ResumeTiming();
    if (!c.backend->IsHeap(heap)) {
      state.SkipWithError(
          RowError(absl::ResourceExhaustedError(absl::StrCat(
                       "the pool made ", c.Name(), " on ", heap.name)))
              .c_str());
      break;
    }
    if (samples.size() == 0) first_hits = before->pool.hits;
    samples.Add(end_ns - start_ns);
  }
  // Every timed allocation must have come from the pool.
  absl::StatusOr<service::StatsReply> after = (*client)->Stats();
  if (after.ok() && samples.size() > 0 &&
      after->pool.hits - first_hits != samples.size()) {
    state.SkipWithError(absl::StrCat("error: the pool served ",
                                     after->pool.hits - first_hits, " of ",
                                     samples.size(), " timed allocations")
                            .c_str());
  }
  ReportLatency(state, samples, c.pixel_bytes);
}

}  // namespace

void RegisterServiceRows(const Suite& suite, const BenchCase& bench_case) {
  const Suite* s = &suite;
  const BenchCase* c = &bench_case;
  RegisterRow(suite, "Service", bench_case, [s, c](benchmark::State& state) {
    std::string error;
    absl::StatusOr<std::unique_ptr<ServiceClient>> client =
        Connect(*s, *c, &error);
    if (!client.ok()) return SkipRow(state, error);
    RunTimed(state, *c, [&]() { return AllocateAndDrop(**client, *c); });
  });

  auto samples = std::make_shared<ThreadSamples>(kClients);
  RegisterRow(suite, "Service4", bench_case,
              [s, c, samples](benchmark::State& state) {
                RunService4(state, *s, *c, *samples);
              })
      ->Threads(kClients);

  // A refill of the largest buffers takes milliseconds (tens on a VM): a
  // fixed number of samples, not a minimum time.
  RegisterRow(suite, "ServicePooled", bench_case,
              [s, c](benchmark::State& state) { RunPooled(state, *s, *c); })
      ->Iterations(s->iterations > 0 ? s->iterations : 64);
}

}  // namespace gralloc::bench
