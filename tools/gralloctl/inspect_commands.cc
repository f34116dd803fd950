// Copyright 2026 The gralloc for Linux Authors.
//
// gralloctl dump and who: who holds which graphics buffer, system-wide.
// The Linux counterpart of Android's dmabuf_dump, joined to the allocator
// service's records.

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/strip.h"
#include "hal/base/status_macros.h"
#include "hal/usage/usage.h"
#include "tools/gralloctl/commands.h"
#include "tools/gralloctl/flags.h"
#include "tools/gralloctl/inspect_view.h"

namespace gralloc::cli {
namespace {

using inspect::BufferInfo;
using inspect::BufferKey;
using inspect::Holding;
using inspect::ProcessHoldings;

std::string BufferIdText(const service::ListEntry* record) {
  return record != nullptr ? absl::StrFormat("0x%016x", record->buffer_id)
                           : std::string("-");
}

// "812" / "812 (exited)" / "812 (gone)" (its connection closed) / "-".
std::string RequesterText(const InspectView& view,
                          const service::ListEntry* record) {
  if (record == nullptr) return "-";
  if (view.snapshot.live_pids.count(record->pid) == 0) {
    return absl::StrCat(record->pid, " (exited)");
  }
  return absl::StrCat(record->pid, record->requester_gone ? " (gone)" : "");
}

std::string SizeOf(const BufferInfo& info) {
  return absl::StrCat(
      SizeText(static_cast<double>(info.size_bytes)),
      info.size_source == inspect::SizeSource::kMappings ? "+" : "");
}

void PrintHeader(const InspectView& view, std::ostream& out) {
  uint64_t bytes = 0;
  for (const auto& [key, info] : view.snapshot.buffers) {
    bytes += info.size_bytes;
  }
  out << absl::StrFormat(
      "%d processes hold %d buffers, %s in all (scanned %d processes of %s "
      "in %.1f ms",
      view.report.processes.size(), view.snapshot.buffers.size(),
      SizeText(static_cast<double>(bytes)), view.snapshot.processes_scanned,
      view.proc_root, view.scan_ms);
  if (view.snapshot.processes_vanished > 0) {
    out << "; " << view.snapshot.processes_vanished << " exited meanwhile";
  }
  out << ")\n";
  if (view.service_reachable) {
    out << "service: " << view.join.records.size() << " of its records joined ("
        << view.socket_path << ")\n";
  } else {
    out << "service: none joined (" << view.socket_path << ": "
        << view.service_error << ")\n";
  }
}

void PrintProcesses(const InspectView& view, std::ostream& out) {
  out << absl::StrFormat("\n%-7s %-16s %-6s %7s %12s %12s %12s\n", "PID",
                         "COMM", "UID", "BUFFERS", "HELD", "RSS", "PSS");
  for (const ProcessHoldings& process : view.report.processes) {
    out << absl::StrFormat("%-7d %-16s %-6d %7d %12s %12s %12s\n", process.pid,
                           Printable(process.comm), process.uid,
                           process.holdings.size(),
                           SizeText(static_cast<double>(process.held_bytes)),
                           SizeText(static_cast<double>(process.rss_bytes)),
                           SizeText(process.pss_bytes));
  }
  for (const ProcessHoldings& process : view.report.processes) {
    out << absl::StrFormat("\npid %d %s:\n", process.pid,
                           Printable(process.comm));
    out << absl::StrFormat(
        "  %-10s %-8s %-9s %11s %-9s %4s %11s %11s %-18s %s\n", "INODE", "KIND",
        "EXPORTER", "SIZE", "FDS", "MAPS", "RSS", "PSS", "BUFFER_ID", "NAME");
    for (const Holding& holding : process.holdings) {
      const BufferInfo* info = view.snapshot.Find(holding.key);
      if (info == nullptr) continue;
      const service::ListEntry* record = view.RecordOf(holding.key);
      std::string fds;
      for (int fd : holding.fds) {
        absl::StrAppend(&fds, fds.empty() ? "" : ",", fd);
      }
      out << absl::StrFormat(
          "  %-10d %-8s %-9s %11s %-9s %4d %11s %11s %-18s %s%s\n",
          holding.key.inode, inspect::BufferKindName(info->kind),
          Printable(info->exporter), SizeOf(*info), fds.empty() ? "-" : fds,
          holding.map_refs, SizeText(static_cast<double>(holding.rss_bytes)),
          SizeText(holding.pss_bytes), BufferIdText(record),
          Printable(info->name),
          view.join.orphans.count(holding.key) ? "  [orphan: requester gone]"
                                               : "");
    }
  }
}

void PrintBuffers(const InspectView& view, std::ostream& out) {
  out << absl::StrFormat(
      "\nBuffers:\n  %-10s %-8s %-9s %11s %-14s %4s %4s %11s %11s %-18s %-10s "
      "%s\n",
      "INODE", "KIND", "EXPORTER", "SIZE", "HOLDERS", "FDS", "MAPS", "RSS",
      "PSS", "BUFFER_ID", "REQUESTER", "NAME");
  for (const auto& [key, totals] : view.report.buffers) {
    const BufferInfo* info = view.snapshot.Find(key);
    if (info == nullptr) continue;
    const service::ListEntry* record = view.RecordOf(key);
    std::string holders;
    for (pid_t pid : totals.holders) {
      absl::StrAppend(&holders, holders.empty() ? "" : ",", pid);
    }
    out << absl::StrFormat(
        "  %-10d %-8s %-9s %11s %-14s %4d %4d %11s %11s %-18s %-10s %s\n",
        key.inode, inspect::BufferKindName(info->kind),
        Printable(info->exporter), SizeOf(*info), holders, totals.fd_refs,
        totals.map_refs, SizeText(static_cast<double>(totals.rss_bytes)),
        SizeText(totals.pss_bytes), BufferIdText(record),
        RequesterText(view, record), Printable(info->name));
  }
  out << absl::StrFormat("\nBy exporter:\n  %-12s %7s %12s %12s %12s\n",
                         "EXPORTER", "BUFFERS", "SIZE", "RSS", "PSS");
  for (const inspect::ExporterTotals& exporter : view.report.exporters) {
    out << absl::StrFormat("  %-12s %7d %12s %12s %12s\n",
                           Printable(exporter.exporter), exporter.buffers,
                           SizeText(static_cast<double>(exporter.size_bytes)),
                           SizeText(static_cast<double>(exporter.rss_bytes)),
                           SizeText(exporter.pss_bytes));
  }
}

// Rows are buffers, columns processes; a cell says how: "f2m1" is two fds
// and one mapping, "-" not at all.
void PrintGrid(const InspectView& view, std::ostream& out) {
  out << "\nBuffer x process (fN: N fds, mN: N mappings):\n";
  out << absl::StrFormat("  %-10s %-20s", "INODE", "NAME");
  for (const ProcessHoldings& process : view.report.processes) {
    out << absl::StrFormat(" %8d", process.pid);
  }
  out << "\n";
  for (const auto& [key, totals] : view.report.buffers) {
    const BufferInfo* info = view.snapshot.Find(key);
    out << absl::StrFormat(
        "  %-10d %-20s", key.inode,
        Printable(info != nullptr ? info->name : "").substr(0, 20));
    for (const ProcessHoldings& process : view.report.processes) {
      std::string cell = "-";
      for (const Holding& holding : process.holdings) {
        if (!(holding.key == key)) continue;
        cell.clear();
        if (holding.fd_refs > 0) absl::StrAppend(&cell, "f", holding.fd_refs);
        if (holding.map_refs > 0) absl::StrAppend(&cell, "m", holding.map_refs);
      }
      out << absl::StrFormat(" %8s", cell);
    }
    out << "\n";
  }
}

void PrintFlags(const InspectView& view, std::ostream& out) {
  for (const BufferKey& key : view.join.orphans) {
    const service::ListEntry* record = view.RecordOf(key);
    out << absl::StrFormat(
        "\nORPHANED: inode %d (BUFFER_ID %s) is still held, but pid %d that "
        "asked for it has exited\n",
        key.inode, BufferIdText(record), record != nullptr ? record->pid : 0);
  }
  for (const service::AccountUsage& account : view.join.exited_requesters) {
    out << absl::StrFormat(
        "\nORPHANED: pid %d (uid %d) has exited, yet %d buffers (%s) it asked "
        "the service for are still held by others\n",
        account.pid, account.uid, account.buffers,
        SizeText(static_cast<double>(account.bytes)));
  }
  for (const std::string& note : view.snapshot.notes) {
    out << "note: " << Printable(note) << "\n";
  }
  if (view.snapshot.notes_dropped > 0) {
    out << "note: " << view.snapshot.notes_dropped << " more notes dropped\n";
  }
}

nlohmann::json DumpJson(const InspectView& view) {
  nlohmann::json json = ScanJson(view);
  json["buffers"] = nlohmann::json::array();
  for (const auto& [key, info] : view.snapshot.buffers) {
    json["buffers"].push_back(BufferJson(view, info));
  }
  json["processes"] = nlohmann::json::array();
  for (const ProcessHoldings& process : view.report.processes) {
    nlohmann::json holdings = nlohmann::json::array();
    for (const Holding& holding : process.holdings) {
      holdings.push_back({
          {"inode", holding.key.inode},
          {"kind", holding.key.dma_buf ? "dma-buf" : "shmem"},
          {"fds", holding.fds},
          {"fd_refs", holding.fd_refs},
          {"map_refs", holding.map_refs},
          {"rss_bytes", holding.rss_bytes},
          {"pss_bytes", holding.pss_bytes},
      });
    }
    json["processes"].push_back({
        {"pid", process.pid},
        {"comm", process.comm},
        {"uid", process.uid},
        {"held_bytes", process.held_bytes},
        {"rss_bytes", process.rss_bytes},
        {"pss_bytes", process.pss_bytes},
        {"buffers", holdings},
    });
  }
  json["exporters"] = nlohmann::json::array();
  for (const inspect::ExporterTotals& exporter : view.report.exporters) {
    json["exporters"].push_back({
        {"exporter", exporter.exporter},
        {"buffers", exporter.buffers},
        {"size_bytes", exporter.size_bytes},
        {"rss_bytes", exporter.rss_bytes},
        {"pss_bytes", exporter.pss_bytes},
    });
  }
  json["exited_requesters"] = nlohmann::json::array();
  for (const service::AccountUsage& account : view.join.exited_requesters) {
    json["exited_requesters"].push_back({{"pid", account.pid},
                                         {"uid", account.uid},
                                         {"buffers", account.buffers},
                                         {"bytes", account.bytes}});
  }
  return json;
}

absl::StatusOr<uint64_t> ParseId(const std::string& text) {
  uint64_t value = 0;
  absl::string_view digits = text;
  const bool ok = absl::ConsumePrefix(&digits, "0x")
                      ? absl::SimpleHexAtoi(digits, &value)
                      : absl::SimpleAtoi(digits, &value);
  if (!ok) {
    return absl::InvalidArgumentError(
        absl::StrCat("'", text, "' is not a BUFFER_ID, inode or pid"));
  }
  return value;
}

}  // namespace

absl::Status RunDump(absl::Span<const std::string> args, std::ostream& out) {
  Flags flags;
  std::vector<std::string> switches = kInspectSwitches;
  switches.insert(switches.end(), {"all", "buffers"});
  RETURN_IF_ERROR(flags.Parse(args, kInspectFlags, switches, 1));
  std::optional<pid_t> pid;
  if (!flags.positional().empty()) {
    ASSIGN_OR_RETURN(const uint64_t value, ParseId(flags.positional()[0]));
    if (value == 0 || value > 0x7fffffff) {
      return absl::InvalidArgumentError("PID out of range");
    }
    pid = static_cast<pid_t>(value);
  }
  ASSIGN_OR_RETURN(const InspectView view, GatherInspectView(flags, pid));
  if (flags.IsOn("json")) {
    out << DumpJson(view).dump(2) << "\n";
  } else {
    PrintHeader(view, out);
    if (!view.report.processes.empty()) {
      PrintProcesses(view, out);
      if (flags.IsOn("buffers")) PrintBuffers(view, out);
      if (flags.IsOn("all")) PrintGrid(view, out);
    }
    PrintFlags(view, out);
  }
  if (view.report.processes.empty()) {
    return absl::NotFoundError(
        pid.has_value() ? absl::StrCat("pid ", *pid, " holds no buffers")
                        : "no process holds a graphics buffer");
  }
  return absl::OkStatus();
}

absl::Status RunWho(absl::Span<const std::string> args, std::ostream& out) {
  Flags flags;
  RETURN_IF_ERROR(flags.Parse(args, kInspectFlags, kInspectSwitches, 1));
  if (flags.positional().empty()) {
    return absl::InvalidArgumentError("usage: gralloctl who BUFFER_ID|INODE");
  }
  ASSIGN_OR_RETURN(const uint64_t id, ParseId(flags.positional()[0]));
  ASSIGN_OR_RETURN(const InspectView view,
                   GatherInspectView(flags, std::nullopt));

  // A BUFFER_ID the service knows wins; otherwise the number is an inode.
  const service::ListEntry* record = nullptr;
  for (const auto& [key, entry] : view.join.records) {
    if (entry.buffer_id == id) record = &entry;
  }
  for (const service::ListEntry& entry : view.join.unmatched) {
    if (entry.buffer_id == id) record = &entry;
  }
  std::vector<const BufferInfo*> buffers;
  for (const auto& [key, info] : view.snapshot.buffers) {
    if (record != nullptr ? view.RecordOf(key) == record : key.inode == id) {
      buffers.push_back(&info);
    }
  }
  if (buffers.empty() && record == nullptr) {
    if (flags.IsOn("json")) {
      out << nlohmann::json({{"query", flags.positional()[0]},
                             {"scan", ScanJson(view)},
                             {"buffers", nlohmann::json::array()},
                             {"record", nullptr}})
                 .dump(2)
          << "\n";
    }
    return absl::NotFoundError(absl::StrCat(
        "no process holds a buffer with inode ", id,
        view.service_reachable ? ", and the service has no BUFFER_ID " : "",
        view.service_reachable ? flags.positional()[0] : ""));
  }

  if (flags.IsOn("json")) {
    nlohmann::json json = {{"query", flags.positional()[0]},
                           {"scan", ScanJson(view)}};
    json["record"] =
        record != nullptr ? RecordJson(view, *record) : nlohmann::json(nullptr);
    json["buffers"] = nlohmann::json::array();
    for (const BufferInfo* info : buffers) {
      nlohmann::json buffer = BufferJson(view, *info);
      nlohmann::json holders = nlohmann::json::array();
      for (const ProcessHoldings& process : view.report.processes) {
        for (const Holding& holding : process.holdings) {
          if (!(holding.key == info->key)) continue;
          holders.push_back({{"pid", process.pid},
                             {"comm", process.comm},
                             {"fds", holding.fds},
                             {"map_refs", holding.map_refs},
                             {"rss_bytes", holding.rss_bytes},
                             {"pss_bytes", holding.pss_bytes}});
        }
      }
      buffer["held_by"] = holders;
      json["buffers"].push_back(buffer);
    }
    out << json.dump(2) << "\n";
    return absl::OkStatus();
  }

  if (record != nullptr) {
    const bool alive = view.snapshot.live_pids.count(record->pid) > 0;
    out << absl::StrFormat(
        "BUFFER_ID 0x%016x \"%s\": %dx%d %s, %s, heap %s, %s\n",
        record->buffer_id, Printable(record->name), record->width,
        record->height, FormatName(record->format),
        UsageToString(record->usage), Printable(record->heap),
        SizeText(static_cast<double>(record->size_bytes)));
    out << absl::StrFormat("  asked for by pid %d (uid %d) %s ago%s\n",
                           record->pid, record->uid, AgeText(*record),
                           !alive ? ": that process has EXITED"
                           : record->requester_gone
                               ? ": it has closed its connection"
                               : "");
  }
  for (const BufferInfo* info : buffers) {
    out << absl::StrFormat(
        "inode %d: %s from %s \"%s\", %s%s\n", info->key.inode,
        inspect::BufferKindName(info->kind), Printable(info->exporter),
        Printable(info->name), SizeOf(*info),
        info->kernel_count >= 0
            ? absl::StrCat(", ", info->kernel_count, " kernel references")
            : "");
    out << "  held by:\n";
    for (const ProcessHoldings& process : view.report.processes) {
      for (const Holding& holding : process.holdings) {
        if (!(holding.key == info->key)) continue;
        std::string fds;
        for (int fd : holding.fds) {
          absl::StrAppend(&fds, fds.empty() ? "" : ",", fd);
        }
        out << absl::StrFormat(
            "    pid %-7d %-16s fds %-8s maps %d  rss %s  pss %s%s\n",
            process.pid, Printable(process.comm), fds.empty() ? "-" : fds,
            holding.map_refs, SizeText(static_cast<double>(holding.rss_bytes)),
            SizeText(holding.pss_bytes),
            record != nullptr && process.pid == record->pid ? "  (requester)"
                                                            : "");
      }
    }
    if (view.join.orphans.count(info->key)) {
      out << "  ORPHANED: still held, but its requester is gone\n";
    }
  }
  if (buffers.empty()) {
    out << "  no process this user can read holds it now (the service still "
           "records it)\n";
  }
  return absl::OkStatus();
}

}  // namespace gralloc::cli
