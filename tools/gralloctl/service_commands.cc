// Copyright 2026 The gralloc for Linux Authors.
//
// gralloctl allocate, stats and list: the allocator service, from the
// command line.

#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "allocator/allocator.h"
#include "allocator/client/service_client.h"
#include "allocator/negotiation/participants.h"
#include "allocator/negotiation/profile.h"
#include "allocator/service/protocol.h"
#include "hal/base/fourcc.h"
#include "hal/base/status_macros.h"
#include "hal/format/format_table.h"
#include "hal/handle/buffer_handle.h"
#include "hal/usage/usage.h"
#include "tools/gralloctl/commands.h"
#include "tools/gralloctl/flags.h"

namespace gralloc::cli {
namespace {

absl::StatusOr<std::unique_ptr<ServiceClient>> ConnectFromFlags(
    const Flags& flags) {
  return ServiceClient::Connect(flags.Get("socket", ""));
}

std::string Bytes(uint64_t bytes) {
  if (bytes >= (uint64_t{1} << 20)) {
    return absl::StrFormat("%d B (%.1f MiB)", bytes,
                           static_cast<double>(bytes) / (1 << 20));
  }
  return absl::StrCat(bytes, " B");
}

void PrintPlan(const Allocation& allocation, uint64_t usage,
               std::ostream& out) {
  const BufferLayout& layout = allocation.layout;
  out << "plan:\n";
  for (const SelectedParticipant& p : SelectParticipants(usage)) {
    out << absl::StrFormat("  participant %-9s <- %s\n",
                           ParticipantName(p.participant), p.reason);
  }
  out << absl::StrFormat(
      "  format %s (fourcc %s), modifier 0x%x, stride %d px\n",
      layout.format->name, FourccToString(layout.format->drm_fourcc),
      layout.modifier, layout.stride_px);
  for (int i = 0; i < layout.plane_count; ++i) {
    const LaidOutPlane& plane = layout.planes[static_cast<size_t>(i)];
    out << absl::StrFormat("  plane %d: offset %d, stride %d B, size %d B\n", i,
                           plane.offset_bytes, plane.stride_bytes,
                           plane.size_bytes);
  }
  out << "  total " << Bytes(layout.total_size_bytes) << "\n";
}

}  // namespace

absl::Status RunAllocate(absl::Span<const std::string> args,
                         std::ostream& out) {
  Flags flags;
  std::vector<std::string> known = kDescriptorFlags;
  known.insert(known.end(), {"socket", "count", "hold"});
  RETURN_IF_ERROR(flags.Parse(args, known));
  ASSIGN_OR_RETURN(BufferDescriptorInfo info,
                   DescriptorFromFlags(flags, "gralloctl",
                                       "CPU_READ_OFTEN|CPU_WRITE_OFTEN"));
  ASSIGN_OR_RETURN(int64_t count, flags.GetInt("count", 1));
  if (count < 1 || count > 1024) {
    return absl::InvalidArgumentError("--count must be in 1..1024");
  }
  ASSIGN_OR_RETURN(std::unique_ptr<ServiceClient> client,
                   ConnectFromFlags(flags));
  ASSIGN_OR_RETURN(Allocation allocation,
                   client->Allocate(info, static_cast<int32_t>(count)));
  out << "allocated " << allocation.buffers.size() << " x " << info.width << "x"
      << info.height << " " << FormatName(info.format) << " ("
      << UsageToString(info.usage) << ") through " << client->socket_path()
      << "\n";
  PrintPlan(allocation, info.usage, out);
  out << "buffers:\n";
  for (const AllocatedBuffer& buffer : allocation.buffers) {
    const HeapCaps& caps = buffer.heap.caps;
    out << absl::StrFormat(
        "  BUFFER_ID 0x%016x  backend %-8s  heap %s%s%s%s  %s\n",
        buffer.info.buffer_id, HandleBackendName(buffer.info.backend),
        buffer.heap.ToString(), caps.contiguous ? ", contiguous" : "",
        caps.cached ? ", cached" : ", uncached",
        caps.is_protected ? ", protected" : "",
        Bytes(buffer.info.allocation_size));
  }
  ASSIGN_OR_RETURN(const int64_t hold_s, flags.GetInt("hold", 0));
  if (hold_s < 0 || hold_s > 24 * 3600) {
    return absl::InvalidArgumentError("--hold must be 0..86400 seconds");
  }
  if (hold_s > 0) {
    out << "(holding them for " << hold_s << " s)" << std::endl;
    std::this_thread::sleep_for(std::chrono::seconds(hold_s));
  }
  out << "(the buffers are freed when gralloctl exits)\n";
  return absl::OkStatus();
}

absl::Status RunServes(absl::Span<const std::string> args, std::ostream& out) {
  Flags flags;
  RETURN_IF_ERROR(flags.Parse(args, {"socket", "buffer", "usage"}));
  if (!flags.Has("buffer") || !flags.Has("usage")) {
    return absl::InvalidArgumentError(
        "--buffer=BUFFER_ID and --usage= are needed");
  }
  ASSIGN_OR_RETURN(const uint64_t buffer_id, flags.GetUint64("buffer", 0));
  ASSIGN_OR_RETURN(const uint64_t usage, ParseUsage(flags.Get("usage", "")));
  ASSIGN_OR_RETURN(std::unique_ptr<ServiceClient> client,
                   ConnectFromFlags(flags));
  ASSIGN_OR_RETURN(const Verdict verdict,
                   client->ServesRecord(buffer_id, usage));
  // What the buffer is, from the service's list (best effort: a record may
  // go between the two requests).
  absl::StatusOr<std::vector<service::ListEntry>> entries = client->List();
  out << absl::StrFormat("BUFFER_ID 0x%016x", buffer_id);
  uint64_t allocated_for = 0;
  if (entries.ok()) {
    for (const service::ListEntry& e : *entries) {
      if (e.buffer_id != buffer_id) continue;
      out << absl::StrFormat(" \"%s\": %dx%d %s for %s, heap %s", e.name,
                             e.width, e.height, FormatName(e.format),
                             UsageToString(e.usage), e.heap);
      allocated_for = e.usage;
    }
  }
  out << "\n  joining " << UsageToString(usage) << ": "
      << (verdict.yes() ? "serves" : "does not serve") << "\n";
  if (!verdict.yes()) {
    out << "  " << verdict.refusal.message() << "\n";
    if (allocated_for != 0) {
      out << "  allocate for " << UsageToString(allocated_for | usage)
          << " to serve them all\n";
    }
    return absl::FailedPreconditionError(verdict.refusal.message());
  }
  return absl::OkStatus();
}

namespace {

void PrintPool(const service::PoolStats& pool, std::ostream& out) {
  if (pool.budget_bytes == 0) {
    out << "allocate-ahead pool: off\n";
    return;
  }
  out << "allocate-ahead pool: " << pool.buffers << " buffers ready, "
      << Bytes(pool.bytes) << " of " << Bytes(pool.budget_bytes) << ", "
      << pool.descriptions << " descriptions\n";
  out << "  " << pool.hits << " taken, " << pool.misses << " missed, "
      << pool.made << " made ahead, " << pool.dropped << " dropped unused, "
      << pool.drains << " drains (" << pool.pressure_events
      << " for memory pressure; PSI trigger "
      << (pool.pressure_trigger ? "on" : "unavailable") << "), "
      << pool.failures << " refills failed\n";
}

}  // namespace

absl::Status RunStats(absl::Span<const std::string> args, std::ostream& out) {
  Flags flags;
  RETURN_IF_ERROR(flags.Parse(args, {"socket"}));
  ASSIGN_OR_RETURN(std::unique_ptr<ServiceClient> client,
                   ConnectFromFlags(flags));
  ASSIGN_OR_RETURN(service::StatsReply stats, client->Stats());
  auto limit = [](uint64_t value) {
    return value == 0 ? std::string("unlimited") : absl::StrCat(value);
  };
  out << "allocator service at " << client->socket_path() << "\n";
  // This command's own connection is one of them.
  out << "clients: " << stats.connections << " connections from "
      << stats.accounts.size() << " processes\n";
  out << "live buffers: " << stats.live_buffers << ", "
      << Bytes(stats.live_bytes) << "\n";
  out << "by heap:\n";
  if (stats.heaps.empty()) out << "  (none)\n";
  for (const service::HeapUsage& heap : stats.heaps) {
    out << absl::StrFormat("  %-20s %6d buffers  %s\n", heap.heap, heap.buffers,
                           Bytes(heap.bytes));
  }
  out << "by client:\n";
  for (const service::AccountUsage& account : stats.accounts) {
    out << absl::StrFormat(
        "  pid %-7d uid %-6d %2d connections %6d buffers  %s\n", account.pid,
        account.uid, account.connections, account.buffers,
        Bytes(account.bytes));
  }
  out << "limits per client: " << limit(stats.max_buffers_per_client)
      << " buffers, " << limit(stats.max_bytes_per_client) << " bytes\n";
  out << "since start: " << stats.allocations_total << " buffers allocated, "
      << stats.refusals_total << " requests refused\n";
  PrintPool(stats.pool, out);
  return absl::OkStatus();
}

absl::Status RunDrainPool(absl::Span<const std::string> args,
                          std::ostream& out) {
  Flags flags;
  RETURN_IF_ERROR(flags.Parse(args, {"socket"}));
  ASSIGN_OR_RETURN(std::unique_ptr<ServiceClient> client,
                   ConnectFromFlags(flags));
  ASSIGN_OR_RETURN(uint32_t dropped, client->DrainPool());
  out << "the pool dropped " << dropped << " buffers\n";
  return absl::OkStatus();
}

absl::Status RunList(absl::Span<const std::string> args, std::ostream& out) {
  Flags flags;
  RETURN_IF_ERROR(flags.Parse(args, {"socket"}));
  ASSIGN_OR_RETURN(std::unique_ptr<ServiceClient> client,
                   ConnectFromFlags(flags));
  ASSIGN_OR_RETURN(std::vector<service::ListEntry> entries, client->List());
  out << absl::StrFormat("%-18s %-7s %-12s %-14s %-16s %-10s %s\n", "BUFFER_ID",
                         "PID", "SIZE", "HEAP", "FORMAT", "WxH", "NAME");
  for (const service::ListEntry& e : entries) {
    out << absl::StrFormat("0x%016x %-7d %-12d %-14s %-16s %-10s %s\n",
                           e.buffer_id, e.pid, e.size_bytes, e.heap,
                           FormatName(e.format),
                           absl::StrCat(e.width, "x", e.height), e.name);
  }
  out << entries.size() << " live allocations\n";
  return absl::OkStatus();
}

}  // namespace gralloc::cli
