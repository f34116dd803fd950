// Copyright 2026 The gralloc for Linux Authors.
//
// tools/gralloctl/inspect_view.h: what `gralloctl dump` and `gralloctl who`
// both look at: the scan of /proc (tools/inspect), its holdings, and the
// allocator service's records joined to it, gathered once; and the JSON
// and text pieces both print.
//
// The service is optional: when it does not answer (or --no-service), the
// view has no records and says why, and everything the kernel shows is
// still there.

#ifndef GRALLOC_TOOLS_GRALLOCTL_INSPECT_VIEW_H_
#define GRALLOC_TOOLS_GRALLOCTL_INSPECT_VIEW_H_

#include <sys/types.h>

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "tools/gralloctl/flags.h"
#include "tools/inspect/holdings.h"
#include "tools/inspect/proc_scan.h"
#include "tools/inspect/service_join.h"

namespace gralloc::cli {

// The flags every inspecting command takes.
extern const std::vector<std::string> kInspectFlags;     // with values
extern const std::vector<std::string> kInspectSwitches;  // bare

struct InspectView {
  std::string proc_root;
  inspect::Snapshot snapshot;
  inspect::HoldingsReport report;
  inspect::ServiceJoin join;
  // The service: where it was asked, whether it answered, and if not why.
  std::string socket_path;
  bool service_reachable = false;
  std::string service_error;
  double scan_ms = 0;

  const service::ListEntry* RecordOf(const inspect::BufferKey& key) const;
  const inspect::ProcessHoldings* Process(pid_t pid) const;
};

// Scans (--proc-root, --sys-root; only `pid` if given) and joins the
// service's LIST and STATS (--socket; skipped with --no-service). Errors
// are the scan's (ScanProcesses).
absl::StatusOr<InspectView> GatherInspectView(const Flags& flags,
                                              std::optional<pid_t> pid);

// How long ago the service handed the record's buffer out: "12.3 s",
// "4.0 min", "2.5 h" ("-" when the record does not say).
std::string AgeText(const service::ListEntry& record);
// Seconds since the record's allocation, or -1.
double AgeSeconds(const service::ListEntry& record);

// "460800 B" below 10 KiB, else "450.0 KiB", "3.0 MiB", "1.2 GiB".
std::string SizeText(double bytes);
// `text` with every byte that is not printable ASCII written \xNN: names
// come from other processes and must not steer the terminal.
std::string Printable(const std::string& text);

// The JSON of one buffer (stable keys: kind, inode, device, name,
// exporter, size_bytes, size_exact, kernel_count, holders, fd_refs,
// map_refs, rss_bytes, pss_bytes, record, orphaned).
nlohmann::json BufferJson(const InspectView& view,
                          const inspect::BufferInfo& info);
// The JSON of a service record (buffer_id as "0x..." hex, pid, uid, usage,
// usage_bits, format, width, height, layers, heap, size_bytes,
// requester_alive, requester_gone, allocated_ns, age_s).
nlohmann::json RecordJson(const InspectView& view,
                          const service::ListEntry& record);
// The scan and service summary: proc_root, processes_scanned,
// processes_vanished, processes_denied, scan_ms, service {socket,
// reachable, error, records}, notes.
nlohmann::json ScanJson(const InspectView& view);

}  // namespace gralloc::cli

#endif  // GRALLOC_TOOLS_GRALLOCTL_INSPECT_VIEW_H_
