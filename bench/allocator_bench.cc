// Copyright 2026 The gralloc for Linux Authors.
//
// The in-process allocator, beside FloorAlloc:
//
//   Negotiate   Allocator::Explain: a whole negotiation, as Allocate()
//               runs it the first time it sees a description (it keeps
//               the plans of recent ones)
//   Allocate    Allocator::Allocate(info, 1), then dropping the buffer:
//               negotiation, the pixel memory, the metadata buffer, a
//               BUFFER_ID, the handle, and closing both fds
//   AllocateInterleaved  FloorAlloc's allocation and Allocate's in turns
//               of up to 1 ms, each call timed (RunInterleaved): Allocate's
//               ratio to FloorAlloc again, where a slow phase of an
//               emulated machine, seconds long, cannot fall on one of the
//               two and miss the other

#include "bench/suite.h"

namespace gralloc::bench {

void RegisterAllocatorRows(const Suite& suite, const BenchCase& bench_case) {
  const BenchCase* c = &bench_case;
  RegisterRow(suite, "Negotiate", bench_case, [c](benchmark::State& state) {
    RunTimed(state, *c, [c]() -> absl::Status {
      return c->backend->allocator().Explain(c->info).status();
    });
  });

  RegisterRow(suite, "Allocate", bench_case, [c](benchmark::State& state) {
    RunTimed(state, *c, [c]() { return AllocateOnce(*c); });
  });

  RegisterRow(suite, "AllocateInterleaved", bench_case,
              [c](benchmark::State& state) {
                RunInterleaved(
                    state, *c, [c]() { return FloorAllocOnce(*c); },
                    [c]() { return AllocateOnce(*c); });
              });
}

}  // namespace gralloc::bench
