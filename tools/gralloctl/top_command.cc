// Copyright 2026 The gralloc for Linux Authors.
//
// gralloctl top: the allocator service, refreshed: bytes by heap and by
// client, allocations and refusals per second (from the differences of
// STATS' totals between two samples), each client's headroom under the
// per-client limits, and the allocate-ahead pool's occupancy.

#include <unistd.h>

#include <chrono>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "allocator/client/service_client.h"
#include "allocator/service/protocol.h"
#include "hal/base/status_macros.h"
#include "tools/gralloctl/commands.h"
#include "tools/gralloctl/flags.h"
#include "tools/gralloctl/inspect_view.h"

namespace gralloc::cli {
namespace {

// "unlimited", or what is left of `limit` after `used`.
std::string Headroom(uint64_t limit, uint64_t used, bool bytes) {
  if (limit == 0) return "unlimited";
  const uint64_t left = used >= limit ? 0 : limit - used;
  return bytes ? SizeText(static_cast<double>(left)) : absl::StrCat(left);
}

nlohmann::json SampleJson(const service::StatsReply& stats,
                          double allocations_per_s, double refusals_per_s) {
  nlohmann::json heaps = nlohmann::json::array();
  for (const service::HeapUsage& heap : stats.heaps) {
    heaps.push_back({{"heap", heap.heap},
                     {"buffers", heap.buffers},
                     {"bytes", heap.bytes}});
  }
  nlohmann::json clients = nlohmann::json::array();
  for (const service::AccountUsage& account : stats.accounts) {
    clients.push_back({{"pid", account.pid},
                       {"uid", account.uid},
                       {"connections", account.connections},
                       {"buffers", account.buffers},
                       {"bytes", account.bytes}});
  }
  const service::PoolStats& pool = stats.pool;
  return {
      {"connections", stats.connections},
      {"live_buffers", stats.live_buffers},
      {"live_bytes", stats.live_bytes},
      {"allocations_total", stats.allocations_total},
      {"refusals_total", stats.refusals_total},
      {"allocations_per_s", allocations_per_s},
      {"refusals_per_s", refusals_per_s},
      {"max_buffers_per_client", stats.max_buffers_per_client},
      {"max_bytes_per_client", stats.max_bytes_per_client},
      {"heaps", heaps},
      {"clients", clients},
      {"pool",
       {{"budget_bytes", pool.budget_bytes},
        {"buffers", pool.buffers},
        {"bytes", pool.bytes},
        {"hits", pool.hits},
        {"misses", pool.misses}}},
  };
}

void PrintSample(const std::string& socket, int interval_s,
                 const service::StatsReply& stats, double allocations_per_s,
                 double refusals_per_s, std::ostream& out) {
  out << absl::StrFormat("gralloc-allocatord at %s, every %d s\n", socket,
                         interval_s);
  out << absl::StrFormat(
      "%d connections from %d processes; %d live buffers, %s\n",
      stats.connections, stats.accounts.size(), stats.live_buffers,
      SizeText(static_cast<double>(stats.live_bytes)));
  out << absl::StrFormat(
      "allocations %.1f/s, refusals %.1f/s (since start: %d allocated, %d "
      "refused)\n",
      allocations_per_s, refusals_per_s, stats.allocations_total,
      stats.refusals_total);
  out << absl::StrFormat("\n%-20s %8s %12s\n", "HEAP", "BUFFERS", "BYTES");
  for (const service::HeapUsage& heap : stats.heaps) {
    out << absl::StrFormat("%-20s %8d %12s\n", Printable(heap.heap),
                           heap.buffers,
                           SizeText(static_cast<double>(heap.bytes)));
  }
  out << absl::StrFormat("\n%-8s %-6s %5s %8s %12s %14s %14s\n", "PID", "UID",
                         "CONNS", "BUFFERS", "BYTES", "HEADROOM BUF",
                         "HEADROOM BYTES");
  for (const service::AccountUsage& account : stats.accounts) {
    out << absl::StrFormat(
        "%-8d %-6d %5d %8d %12s %14s %14s\n", account.pid, account.uid,
        account.connections, account.buffers,
        SizeText(static_cast<double>(account.bytes)),
        Headroom(stats.max_buffers_per_client, account.buffers, false),
        Headroom(stats.max_bytes_per_client, account.bytes, true));
  }
  const service::PoolStats& pool = stats.pool;
  if (pool.budget_bytes == 0) {
    out << "\npool: off\n";
  } else {
    out << absl::StrFormat(
        "\npool: %d buffers ready, %s of %s (%.0f%%), %d taken, %d missed\n",
        pool.buffers, SizeText(static_cast<double>(pool.bytes)),
        SizeText(static_cast<double>(pool.budget_bytes)),
        100.0 * static_cast<double>(pool.bytes) /
            static_cast<double>(pool.budget_bytes),
        pool.hits, pool.misses);
  }
}

}  // namespace

absl::Status RunTop(absl::Span<const std::string> args, std::ostream& out) {
  Flags flags;
  RETURN_IF_ERROR(
      flags.Parse(args, {"socket", "interval", "count"}, {"json"}, 0));
  ASSIGN_OR_RETURN(const int64_t interval_s, flags.GetInt("interval", 1));
  ASSIGN_OR_RETURN(const int64_t count, flags.GetInt("count", 0));
  if (interval_s < 1 || interval_s > 3600 || count < 0) {
    return absl::InvalidArgumentError(
        "--interval must be 1..3600 seconds and --count >= 0 (0: forever)");
  }
  ServiceClientOptions options;
  options.reply_timeout_ms = 5000;
  ASSIGN_OR_RETURN(std::unique_ptr<ServiceClient> client,
                   ServiceClient::Connect(flags.Get("socket", ""), options));
  // Clearing the screen only makes sense on a terminal.
  const bool clear =
      &out == &std::cout && isatty(STDOUT_FILENO) && !flags.IsOn("json");
  ASSIGN_OR_RETURN(service::StatsReply previous, client->Stats());
  auto previous_time = std::chrono::steady_clock::now();
  for (int64_t sample = 0; count == 0 || sample < count; ++sample) {
    std::this_thread::sleep_for(std::chrono::seconds(interval_s));
    ASSIGN_OR_RETURN(service::StatsReply stats, client->Stats());
    const auto now = std::chrono::steady_clock::now();
    const double seconds =
        std::chrono::duration<double>(now - previous_time).count();
    // A restarted service starts its totals again: no negative rates.
    auto rate = [&](uint64_t now_total, uint64_t before) {
      return now_total >= before
                 ? static_cast<double>(now_total - before) / seconds
                 : 0.0;
    };
    const double allocations_per_s =
        rate(stats.allocations_total, previous.allocations_total);
    const double refusals_per_s =
        rate(stats.refusals_total, previous.refusals_total);
    if (flags.IsOn("json")) {
      out << SampleJson(stats, allocations_per_s, refusals_per_s).dump()
          << std::endl;
    } else {
      if (clear) out << "\033[H\033[2J";
      PrintSample(client->socket_path(), static_cast<int>(interval_s), stats,
                  allocations_per_s, refusals_per_s, out);
      out << std::flush;
    }
    previous = std::move(stats);
    previous_time = now;
  }
  return absl::OkStatus();
}

}  // namespace gralloc::cli
