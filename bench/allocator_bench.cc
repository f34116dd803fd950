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

#include "bench/suite.h"
#include "hal/base/status_macros.h"

namespace gralloc::bench {

void RegisterAllocatorRows(const Suite& suite, const BenchCase& bench_case) {
  const BenchCase* c = &bench_case;
  RegisterRow(suite, "Negotiate", bench_case, [c](benchmark::State& state) {
    RunTimed(state, *c, [c]() -> absl::Status {
      return c->backend->allocator().Explain(c->info).status();
    });
  });

  RegisterRow(suite, "Allocate", bench_case, [c](benchmark::State& state) {
    RunTimed(state, *c, [c]() -> absl::Status {
      ASSIGN_OR_RETURN(Allocation allocation,
                       c->backend->allocator().Allocate(c->info, 1));
      return absl::OkStatus();  // the buffer is freed here
    });
  });
}

}  // namespace gralloc::bench
