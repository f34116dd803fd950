// Copyright 2026 The gralloc for Linux Authors.
//
// tools/gralloctl/commands.h: the subcommands of gralloctl, as functions
// that write text to a stream, so tests can check their output.

#ifndef GRALLOC_TOOLS_GRALLOCTL_COMMANDS_H_
#define GRALLOC_TOOLS_GRALLOCTL_COMMANDS_H_

#include <ostream>
#include <string>

#include "absl/status/status.h"
#include "absl/types/span.h"

namespace gralloc::cli {

// `gralloctl formats`: every pixel format with its Android value, DRM
// fourcc and planes.
absl::Status RunFormats(absl::Span<const std::string> args, std::ostream& out);

// `gralloctl heaps`: the heaps this machine has, why others were skipped,
// and which heap would serve typical usages.
absl::Status RunHeaps(absl::Span<const std::string> args, std::ostream& out);

// `gralloctl explain --width=W --height=H --format=F --usage=U [--layers=N]
// [--reserved=B] [--profile=FILE] [--heaps=a,b,...]`: the participants, each
// constraint with the profile entry it came from, the merged result, the
// layout and the heap; or the refusal and its reason. --heaps explains as if
// the machine had exactly those heaps.
absl::Status RunExplain(absl::Span<const std::string> args, std::ostream& out);

// The allocator service (--socket=PATH; default $GRALLOC_ALLOCATOR_SOCKET,
// else /run/gralloc/allocator.sock):
// `gralloctl allocate [--width= --height= --format= --usage= --layers=
// --reserved= --name= --count= --hold=SECONDS]`: allocates through the
// service and prints the plan, each BUFFER_ID and the heap. The buffers are
// freed when the command exits, after --hold seconds (0).
absl::Status RunAllocate(absl::Span<const std::string> args, std::ostream& out);
// `gralloctl serves --buffer=BUFFER_ID --usage=U`: whether a buffer the
// service holds also serves the users U names. A "no" is FailedPrecondition
// with the reason (gralloctl exits 3), so scripts can tell it from errors.
absl::Status RunServes(absl::Span<const std::string> args, std::ostream& out);
// `gralloctl stats`: clients, live buffers and bytes by heap and by client,
// and the allocate-ahead pool.
absl::Status RunStats(absl::Span<const std::string> args, std::ostream& out);
// `gralloctl drain-pool`: empties the service's allocate-ahead pool
// (privileged clients only).
absl::Status RunDrainPool(absl::Span<const std::string> args,
                          std::ostream& out);
// `gralloctl list`: every live allocation (id, pid, size, heap, format).
absl::Status RunList(absl::Span<const std::string> args, std::ostream& out);

// Who holds the frames (tools/inspect). Every one takes --json (stable
// keys); dump and who take --proc-root, --sys-root, --socket and
// --no-service (the service's records are joined when it answers).
//
// `gralloctl dump [PID] [--all] [--buffers]`: every process holding
// dma-bufs or our memfd buffers, each buffer's name, size, exporter,
// inode, fd and mapping counts, RSS and PSS; --buffers adds per-buffer and
// per-exporter totals, --all a buffer x process grid. NotFound (exit 4)
// when no process holds a buffer.
absl::Status RunDump(absl::Span<const std::string> args, std::ostream& out);
// `gralloctl who BUFFER_ID|INODE`: who holds it now, who asked for it,
// and whether the requester is gone. NotFound (exit 4) when nobody holds
// it and the service has no such record.
absl::Status RunWho(absl::Span<const std::string> args, std::ostream& out);
// `gralloctl top [--interval=S] [--count=N]`: the service refreshed:
// bytes by heap and client, allocations and refusals per second, headroom
// under the per-client limits, the pool.
absl::Status RunTop(absl::Span<const std::string> args, std::ostream& out);
// `gralloctl heaps --health [--profile=FILE --dev-root= --sys-root=
// --proc-root=]`: per heap its node's mode and group, whether this user
// may open it, its exporter name, which participants it serves under the
// profile; CMA totals and counters, udmabuf's limits, the IOMMU.
absl::Status RunHeapsHealth(absl::Span<const std::string> args,
                            std::ostream& out);
// `gralloctl doctor [--socket= --dev-root= --sys-root= --proc-root=]`:
// each check with a verdict and, when not ok, what to do.
// FailedPrecondition (exit 3) when a check failed.
absl::Status RunDoctor(absl::Span<const std::string> args, std::ostream& out);

}  // namespace gralloc::cli

#endif  // GRALLOC_TOOLS_GRALLOCTL_COMMANDS_H_
