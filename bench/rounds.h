// Copyright 2026 The gralloc for Linux Authors.
//
// bench/rounds.h: the whole suite run several times over, one sample of
// every row per round, into one JSON.
//
// google benchmark's --benchmark_repetitions runs a row's repetitions back
// to back, so a slow phase of the machine (the VM tier's emulated CPU has
// them, tens of seconds long) lands on a few rows and skews their ratios
// to floors measured before or after it. Rounds interleave instead: round
// k measures every row once, in order, so a phase lands on neighbours of
// one round and the median over rounds sets it aside. (The library's own
// --benchmark_enable_random_interleaving crashes in 1.7.1: README.md,
// "Measured".)
//
// bench/report.py reads the JSON as it reads repetitions: each row appears
// once per round, and its figures are the median over them.

#ifndef GRALLOC_BENCH_ROUNDS_H_
#define GRALLOC_BENCH_ROUNDS_H_

#include <string>

#include "benchmark/benchmark.h"

namespace gralloc::bench {

// The output flags --rounds takes over from google benchmark (which would
// reopen, and so empty, its output file at every round); main.cc takes
// them out of argv.
struct RoundsOutput {
  std::string path;             // --benchmark_out; empty: none
  std::string format = "json";  // --benchmark_out_format; only json
};

// Runs every registered benchmark `rounds` times (each time with the
// library's own flags: filter, min time), printing to the console and
// writing one JSON document to output.path. False, with a message, when
// the output file cannot be written.
bool RunRounds(int rounds, const RoundsOutput& output);

}  // namespace gralloc::bench

#endif  // GRALLOC_BENCH_ROUNDS_H_
