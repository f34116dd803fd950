// Copyright 2026 The gralloc for Linux Authors.

#include "tools/gralloctl/inspect_view.h"

#include <time.h>

#include <chrono>
#include <memory>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "allocator/client/service_client.h"
#include "hal/base/status_macros.h"
#include "hal/usage/usage.h"

namespace gralloc::cli {

const std::vector<std::string> kInspectFlags = {"proc-root", "sys-root",
                                                "socket"};
const std::vector<std::string> kInspectSwitches = {"json", "no-service"};

const service::ListEntry* InspectView::RecordOf(
    const inspect::BufferKey& key) const {
  auto it = join.records.find(key);
  return it == join.records.end() ? nullptr : &it->second;
}

const inspect::ProcessHoldings* InspectView::Process(pid_t pid) const {
  for (const inspect::ProcessHoldings& process : report.processes) {
    if (process.pid == pid) return &process;
  }
  return nullptr;
}

absl::StatusOr<InspectView> GatherInspectView(const Flags& flags,
                                              std::optional<pid_t> pid) {
  InspectView view;
  inspect::ScanOptions options;
  options.proc_root = flags.Get("proc-root", options.proc_root);
  options.sys_root = flags.Get("sys-root", options.sys_root);
  options.pid = pid;
  view.proc_root = options.proc_root;
  const auto start = std::chrono::steady_clock::now();
  ASSIGN_OR_RETURN(view.snapshot, inspect::ScanProcesses(options));
  view.report = inspect::SummarizeHoldings(view.snapshot);
  view.scan_ms = std::chrono::duration<double, std::milli>(
                     std::chrono::steady_clock::now() - start)
                     .count();

  std::vector<service::ListEntry> records;
  std::vector<service::AccountUsage> accounts;
  view.socket_path = flags.Get("socket", DefaultServiceSocketPath());
  if (flags.IsOn("no-service")) {
    view.service_error = "not asked (--no-service)";
  } else {
    ServiceClientOptions client_options;
    client_options.reconnect_backoff_ms = 0;
    client_options.reply_timeout_ms = 5000;
    absl::StatusOr<std::unique_ptr<ServiceClient>> client =
        ServiceClient::Connect(view.socket_path, client_options);
    absl::Status status = client.status();
    if (status.ok()) {
      absl::StatusOr<std::vector<service::ListEntry>> list = (*client)->List();
      absl::StatusOr<service::StatsReply> stats = (*client)->Stats();
      status = !list.ok() ? list.status() : stats.status();
      if (status.ok()) {
        records = std::move(*list);
        accounts = std::move(stats->accounts);
      }
    }
    view.service_reachable = status.ok();
    if (!status.ok()) view.service_error = std::string(status.message());
  }
  view.join = inspect::JoinServiceRecords(view.snapshot, records, accounts);
  return view;
}

std::string SizeText(double bytes) {
  if (bytes < 10 * 1024) return absl::StrFormat("%.0f B", bytes);
  if (bytes < (1 << 20)) return absl::StrFormat("%.1f KiB", bytes / 1024);
  if (bytes < (1 << 30)) return absl::StrFormat("%.1f MiB", bytes / (1 << 20));
  return absl::StrFormat("%.1f GiB", bytes / (1 << 30));
}

std::string Printable(const std::string& text) {
  std::string out;
  for (char c : text) {
    const unsigned char byte = static_cast<unsigned char>(c);
    if (absl::ascii_isprint(byte) && c != '\\') {
      out += c;
    } else {
      absl::StrAppendFormat(&out, "\\x%02x", byte);
    }
  }
  return out;
}

double AgeSeconds(const service::ListEntry& record) {
  if (record.allocated_ns == 0) return -1;
  timespec now{};
  clock_gettime(CLOCK_BOOTTIME, &now);
  const uint64_t now_ns = static_cast<uint64_t>(now.tv_sec) * 1000000000u +
                          static_cast<uint64_t>(now.tv_nsec);
  if (now_ns < record.allocated_ns) return 0;
  return static_cast<double>(now_ns - record.allocated_ns) * 1e-9;
}

std::string AgeText(const service::ListEntry& record) {
  const double seconds = AgeSeconds(record);
  if (seconds < 0) return "-";
  if (seconds < 120) return absl::StrFormat("%.1f s", seconds);
  if (seconds < 7200) return absl::StrFormat("%.1f min", seconds / 60);
  return absl::StrFormat("%.1f h", seconds / 3600);
}

nlohmann::json RecordJson(const InspectView& view,
                          const service::ListEntry& record) {
  return {
      {"buffer_id", absl::StrFormat("0x%016x", record.buffer_id)},
      {"pid", record.pid},
      {"uid", record.uid},
      {"usage", UsageToString(record.usage)},
      {"usage_bits", record.usage},
      {"format", FormatName(record.format)},
      {"width", record.width},
      {"height", record.height},
      {"layers", record.layer_count},
      {"heap", record.heap},
      {"name", record.name},
      {"size_bytes", record.size_bytes},
      {"requester_alive", view.snapshot.live_pids.count(record.pid) > 0},
      {"requester_gone", record.requester_gone},
      {"allocated_ns", record.allocated_ns},
      {"age_s", AgeSeconds(record)},
  };
}

nlohmann::json BufferJson(const InspectView& view,
                          const inspect::BufferInfo& info) {
  nlohmann::json json = {
      {"kind", std::string(inspect::BufferKindName(info.kind))},
      {"inode", info.key.inode},
      {"device", info.device},
      {"name", info.name},
      {"exporter", info.exporter},
      {"size_bytes", info.size_bytes},
      {"size_exact", info.size_source == inspect::SizeSource::kKernel},
      {"kernel_count", info.kernel_count},
  };
  auto totals = view.report.buffers.find(info.key);
  if (totals != view.report.buffers.end()) {
    json["holders"] = totals->second.holders;
    json["fd_refs"] = totals->second.fd_refs;
    json["map_refs"] = totals->second.map_refs;
    json["rss_bytes"] = totals->second.rss_bytes;
    json["pss_bytes"] = totals->second.pss_bytes;
  }
  const service::ListEntry* record = view.RecordOf(info.key);
  json["record"] =
      record != nullptr ? RecordJson(view, *record) : nlohmann::json(nullptr);
  json["orphaned"] = view.join.orphans.count(info.key) > 0;
  return json;
}

nlohmann::json ScanJson(const InspectView& view) {
  nlohmann::json notes = nlohmann::json::array();
  for (const std::string& note : view.snapshot.notes) notes.push_back(note);
  return {
      {"proc_root", view.proc_root},
      {"processes_scanned", view.snapshot.processes_scanned},
      {"processes_vanished", view.snapshot.processes_vanished},
      {"processes_denied", view.snapshot.processes_denied},
      {"scan_ms", view.scan_ms},
      {"notes", notes},
      {"notes_dropped", view.snapshot.notes_dropped},
      {"service",
       {{"socket", view.socket_path},
        {"reachable", view.service_reachable},
        {"error", view.service_error},
        {"records", view.join.records.size()},
        {"records_unmatched", view.join.unmatched.size()}}},
  };
}

}  // namespace gralloc::cli
