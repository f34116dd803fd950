// Copyright 2026 The gralloc for Linux Authors.
//
// allocation_bench: issue 11's benchmark suite (bench/suite.h lists the
// rows). Every path of every shape on every backend of this machine, each
// beside its kernel floor, in one run:
//
//   allocation_bench [--service=PATH] [--iterations=N] [--backends=A,B]
//                    [--rounds=N] [--warmup_time=S] [google benchmark flags]
//
//   --service     the gralloc_allocatord to start for the service rows
//                 (default: the one in this binary's runfiles)
//   --iterations  run every row exactly N times (the smoke test's 3);
//                 otherwise --benchmark_min_time decides
//   --backends    only these heaps ("memfd", "system", "reserved",
//                 "udmabuf"); default: every one this machine has
//   --rounds      run the whole suite N times over, one sample of every
//                 row per round, into one JSON (bench/rounds.h): what the
//                 VM tier, whose emulated CPU has slow phases, reports
//   --warmup_time seconds each row runs untimed when it starts after
//                 another row, before it is timed (default 0.1; 0: none;
//                 --iterations turns it off)
//
// Each row reports the counters p50_us, p99_us, samples and bytes;
// bench/report.py turns the JSON (--benchmark_out=FILE
// --benchmark_out_format=json) into tables with ratios. What the suite
// found (backends, buffer sizes, skipped cases) goes to stderr first.

#include <execinfo.h>
#include <unistd.h>

#include <csignal>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "allocator/platform.h"
#include "bench/backends.h"
#include "bench/latency.h"
#include "bench/rounds.h"
#include "bench/service_daemon.h"
#include "bench/suite.h"
#include "benchmark/benchmark.h"

namespace gralloc::bench {
namespace {

struct Flags {
  std::string service;
  int64_t iterations = 0;
  std::vector<std::string> backends;
  int rounds = 1;
  double warmup_s = 0.1;
  // With more than one round, google benchmark's output flags are ours
  // (bench/rounds.h); with one, they go back to the library.
  RoundsOutput output;
};

// Takes this binary's own flags out of argv (google benchmark rejects
// flags it does not know), and, for more than one round, the library's
// output flags. False, with a message, for a bad value.
bool TakeFlags(int* argc, char** argv, Flags* flags) {
  int kept = 1;
  std::vector<char*> output_args;  // to give back for a single round
  for (int i = 1; i < *argc; ++i) {
    absl::string_view arg = argv[i];
    if (absl::ConsumePrefix(&arg, "--service=")) {
      flags->service = std::string(arg);
    } else if (absl::ConsumePrefix(&arg, "--iterations=")) {
      if (!absl::SimpleAtoi(arg, &flags->iterations) || flags->iterations < 1) {
        std::cerr << "allocation_bench: --iterations=" << arg
                  << " is not a positive integer\n";
        return false;
      }
    } else if (absl::ConsumePrefix(&arg, "--rounds=")) {
      if (!absl::SimpleAtoi(arg, &flags->rounds) || flags->rounds < 1) {
        std::cerr << "allocation_bench: --rounds=" << arg
                  << " is not a positive integer\n";
        return false;
      }
    } else if (absl::ConsumePrefix(&arg, "--warmup_time=")) {
      if (!absl::SimpleAtod(arg, &flags->warmup_s) ||
          !(flags->warmup_s >= 0 && flags->warmup_s <= 60)) {
        std::cerr << "allocation_bench: --warmup_time=" << arg
                  << " is not a number of seconds from 0 to 60\n";
        return false;
      }
    } else if (absl::ConsumePrefix(&arg, "--backends=")) {
      flags->backends = absl::StrSplit(arg, ',', absl::SkipWhitespace());
    } else if (absl::ConsumePrefix(&arg, "--benchmark_out=")) {
      flags->output.path = std::string(arg);
      output_args.push_back(argv[i]);
    } else if (absl::ConsumePrefix(&arg, "--benchmark_out_format=")) {
      flags->output.format = std::string(arg);
      output_args.push_back(argv[i]);
    } else {
      argv[kept++] = argv[i];
    }
  }
  if (flags->rounds == 1) {
    for (char* arg : output_args) argv[kept++] = arg;
    flags->output = RoundsOutput();
  } else if (flags->output.format != "json") {
    std::cerr << "allocation_bench: --rounds writes json only, not "
              << flags->output.format << "\n";
    return false;
  }
  *argc = kept;
  argv[kept] = nullptr;
  return true;
}

// Starts `binary` with `args` as the `what` of the suite: its socket in
// `socket`, or why there is none in `unavailable`; a note either way.
std::unique_ptr<ServiceDaemon> StartDaemon(
    const absl::StatusOr<std::string>& binary,
    const std::vector<std::string>& args, const std::string& what,
    std::string* socket, std::string* unavailable,
    std::vector<std::string>* notes) {
  absl::StatusOr<std::unique_ptr<ServiceDaemon>> started =
      binary.ok()
          ? ServiceDaemon::Start(*binary, args)
          : absl::StatusOr<std::unique_ptr<ServiceDaemon>>(binary.status());
  if (!started.ok()) {
    *unavailable =
        absl::StrCat("error: no ", what, ": ", started.status().ToString());
    notes->push_back(*unavailable);
    return nullptr;
  }
  *socket = (*started)->socket_path();
  notes->push_back(absl::StrCat(what, ": ", *binary, " on ", *socket));
  return *std::move(started);
}

// A crash prints its stack, as return addresses (`addr2line -f -C -e` on
// the build's binary names them): the VM tier keeps only the console.
// glibc's unwinder, unlike a frame-pointer walk, goes through libraries
// built without frame pointers (libstdc++'s).
void PrintStackAndDie(int signal_number) {
  void* frames[64];
  const int count = backtrace(frames, 64);
  backtrace_symbols_fd(frames, count, STDERR_FILENO);
  std::signal(signal_number, SIG_DFL);
  raise(signal_number);
}

void PrintStackOnCrash() {
  void* first[1];
  backtrace(first, 1);  // loads the unwinder now, not in the handler
  for (const int signal_number : {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT}) {
    std::signal(signal_number, PrintStackAndDie);
  }
}

int Main(int argc, char** argv) {
  PrintStackOnCrash();
  Flags flags;
  if (!TakeFlags(&argc, argv, &flags)) return 2;
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 2;

  // The platform the service would run on (the profile refined by this
  // machine's devices), minus DRM dumb buffers (see backends.h).
  PlatformOptions platform_options;
  platform_options.heaps.probe_drm_dumb = false;
  absl::StatusOr<Platform> platform = LoadPlatform(platform_options);
  if (!platform.ok()) {
    std::cerr << "allocation_bench: " << platform.status() << "\n";
    return 1;
  }
  std::vector<std::string> notes = platform->notes;

  Suite suite;
  suite.iterations = flags.iterations;
  // Rows run exactly --iterations times have no warm-up.
  suite.warmup_ns =
      flags.iterations > 0 ? 0 : static_cast<int64_t>(flags.warmup_s * 1e9);
  suite.backends =
      OpenBackends(platform->profile, platform->heaps, flags.backends, &notes);
  if (suite.backends.empty()) {
    std::cerr << "allocation_bench: no backend to measure (--backends="
              << absl::StrJoin(flags.backends, ",") << ")\n";
    return 1;
  }
  if (AIMapper_loadIMapper(&suite.mapper) != AIMAPPER_ERROR_NONE) {
    std::cerr << "allocation_bench: AIMapper_loadIMapper failed\n";
    return 1;
  }
  BuildCases(&suite, &notes);

  // Before any benchmark thread exists: the daemon dies with this thread.
  absl::StatusOr<std::string> binary =
      flags.service.empty() ? FindDaemonBinary()
                            : absl::StatusOr<std::string>(flags.service);
  std::unique_ptr<ServiceDaemon> daemon =
      StartDaemon(binary, {}, "service", &suite.service_socket,
                  &suite.service_unavailable, &notes);
  // A second daemon, with the allocate-ahead pool (budget for the two
  // buffers it keeps of the largest shape, and more), for ServicePooled.
  std::unique_ptr<ServiceDaemon> pooled =
      StartDaemon(binary, {"--pool-budget=256M", "--pool-min-available=0"},
                  "pooled service", &suite.pooled_socket,
                  &suite.pooled_unavailable, &notes);

  std::vector<std::string> names;
  for (const std::unique_ptr<Backend>& backend : suite.backends) {
    names.push_back(backend->name());
  }
  for (const std::string& note : notes) {
    std::cerr << "allocation_bench: " << note << "\n";
  }
  benchmark::AddCustomContext("gralloc_backends", absl::StrJoin(names, " "));
  benchmark::AddCustomContext("gralloc_clock_resolution_ns",
                              absl::StrCat(ClockResolutionNs()));
  benchmark::AddCustomContext("gralloc_rounds", absl::StrCat(flags.rounds));
  benchmark::AddCustomContext(
      "gralloc_warmup_s",
      absl::StrCat(static_cast<double>(suite.warmup_ns) / 1e9));

  for (const BenchCase& bench_case : suite.cases) {
    RegisterFloorRows(suite, bench_case);
    RegisterAllocatorRows(suite, bench_case);
    RegisterServiceRows(suite, bench_case);
    RegisterMapperRows(suite, bench_case);
  }
  int status = 0;
  if (flags.rounds > 1) {
    if (!RunRounds(flags.rounds, flags.output)) status = 1;
  } else {
    benchmark::RunSpecifiedBenchmarks();
  }
  benchmark::Shutdown();
  return status;  // `daemon` stops here
}

}  // namespace
}  // namespace gralloc::bench

int main(int argc, char** argv) { return gralloc::bench::Main(argc, argv); }
