// Copyright 2026 The gralloc for Linux Authors.
//
// gralloctl: inspect what the gralloc HAL knows and does.
//
//   gralloctl formats     every pixel format: value, DRM fourcc, planes
//   gralloctl heaps       this machine's heaps and which serves what
//   gralloctl explain     how a buffer description is negotiated
//   gralloctl allocate    allocate through the service: plan and BUFFER_IDs
//   gralloctl serves      does a buffer the service holds serve more users?
//   gralloctl stats       the service's clients and live buffers by heap
//   gralloctl list        the service's live allocations
//   gralloctl dump        who holds which graphics buffer, system-wide
//   gralloctl who         who holds one buffer, and who asked for it
//   gralloctl top         the service, refreshed
//   gralloctl doctor      is this machine set up for the allocator?
//
// Exit codes: 0 success, 1 error, 2 usage, 3 a "no" answer (serves: the
// buffer does not serve; doctor: a check failed), 4 nothing found (dump,
// who).

#include <cstring>
#include <iostream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/types/span.h"
#include "tools/gralloctl/commands.h"

namespace {

struct Command {
  const char* name;
  const char* help;
  absl::Status (*run)(absl::Span<const std::string> args, std::ostream& out);
  // FailedPrecondition is an answer ("no"), exit 3.
  bool answers = false;
  // NotFound is "nothing found", exit 4.
  bool finds = false;
};

constexpr int kExitNo = 3;
constexpr int kExitNothingFound = 4;

// `heaps --health` is its own command behind the same name.
absl::Status RunHeapsOrHealth(absl::Span<const std::string> args,
                              std::ostream& out) {
  for (const std::string& arg : args) {
    if (arg == "--health") return gralloc::cli::RunHeapsHealth(args, out);
  }
  return gralloc::cli::RunHeaps(args, out);
}

constexpr Command kCommands[] = {
    {"formats", "list every pixel format with its DRM fourcc and planes",
     gralloc::cli::RunFormats},
    {"heaps",
     "list this machine's heaps and which would serve what; --health: "
     "permissions, exporters, CMA, udmabuf limits, participants served "
     "[--json --profile= --dev-root= --sys-root= --proc-root=]",
     RunHeapsOrHealth},
    {"explain",
     "negotiate a descriptor: --width= --height= --format= --usage= "
     "[--layers= --reserved= --profile= --heaps=a,b] and options "
     "[--modifiers=0x0,.. --linear=1 --prefer-heap=CLASS --min-stride=N]",
     gralloc::cli::RunExplain},
    {"allocate",
     "allocate through the service: [--socket= --width= --height= "
     "--format= --usage= --count=]; prints the plan and BUFFER_IDs",
     gralloc::cli::RunAllocate},
    {"serves",
     "whether a buffer the service holds also serves more users: "
     "--buffer=BUFFER_ID --usage=U [--socket=]; exits 3 when it does not",
     gralloc::cli::RunServes, /*answers=*/true},
    {"stats",
     "the service's clients, live buffers and bytes by heap, and its pool "
     "[--socket=]",
     gralloc::cli::RunStats},
    {"drain-pool",
     "empty the service's allocate-ahead pool (privileged) [--socket=]",
     gralloc::cli::RunDrainPool},
    {"list", "the service's live allocations [--socket=]",
     gralloc::cli::RunList},
    {"dump",
     "who holds which dma-buf and memfd buffer: [PID] [--buffers --all "
     "--json --socket= --no-service --proc-root= --sys-root=]; exits 4 "
     "when nobody holds one",
     gralloc::cli::RunDump, false, /*finds=*/true},
    {"who",
     "who holds a buffer and who asked for it: BUFFER_ID|INODE [--json "
     "--socket= --proc-root=]; exits 4 when nobody does",
     gralloc::cli::RunWho, false, /*finds=*/true},
    {"top",
     "the service refreshed: bytes by heap and client, rates, headroom, "
     "pool [--socket= --interval=S --count=N --json]",
     gralloc::cli::RunTop},
    {"doctor",
     "check the machine's set-up for the allocator, with fixes [--json "
     "--socket= --dev-root= --sys-root=]; exits 3 when a check fails",
     gralloc::cli::RunDoctor, /*answers=*/true},
};

void PrintUsage(std::ostream& out) {
  out << "usage: gralloctl COMMAND [ARGS]\n\ncommands:\n";
  for (const Command& command : kCommands) {
    out << "  " << command.name << "\t" << command.help << "\n";
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || std::strcmp(argv[1], "help") == 0 ||
      std::strcmp(argv[1], "--help") == 0) {
    PrintUsage(argc < 2 ? std::cerr : std::cout);
    return argc < 2 ? 2 : 0;
  }
  const std::vector<std::string> args(argv + 2, argv + argc);
  for (const Command& command : kCommands) {
    if (std::strcmp(argv[1], command.name) != 0) continue;
    absl::Status status = command.run(args, std::cout);
    if (status.ok()) return 0;
    // A "no" is an answer (printed, with its reason), not an error; and
    // so is "nothing found".
    if (absl::IsFailedPrecondition(status) && command.answers) return kExitNo;
    if (absl::IsNotFound(status) && command.finds) {
      std::cerr << "gralloctl " << command.name << ": " << status.message()
                << "\n";
      return kExitNothingFound;
    }
    std::cerr << "gralloctl " << command.name << ": " << status.message()
              << "\n";
    return 1;
  }
  std::cerr << "gralloctl: unknown command '" << argv[1] << "'\n";
  PrintUsage(std::cerr);
  return 2;
}
