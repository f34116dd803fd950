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

}  // namespace gralloc::cli

#endif  // GRALLOC_TOOLS_GRALLOCTL_COMMANDS_H_
