// Copyright 2026 The gralloc for Linux Authors.

#include "tools/inspect/holdings.h"

#include <algorithm>
#include <utility>

namespace gralloc::inspect {
namespace {

// `ranges` cut at `size_bytes`, sorted and merged.
std::vector<FileRange> Union(std::vector<FileRange> ranges,
                             uint64_t size_bytes) {
  std::vector<FileRange> merged;
  for (FileRange& range : ranges) range.end = std::min(range.end, size_bytes);
  std::sort(
      ranges.begin(), ranges.end(),
      [](const FileRange& a, const FileRange& b) { return a.begin < b.begin; });
  for (const FileRange& range : ranges) {
    if (range.begin >= range.end) continue;
    if (!merged.empty() && range.begin <= merged.back().end) {
      merged.back().end = std::max(merged.back().end, range.end);
    } else {
      merged.push_back(range);
    }
  }
  return merged;
}

bool Covers(const std::vector<FileRange>& ranges, uint64_t begin,
            uint64_t end) {
  for (const FileRange& range : ranges) {
    if (range.begin <= begin && end <= range.end) return true;
  }
  return false;
}

}  // namespace

void ShareMappedBytes(uint64_t size_bytes,
                      const std::vector<std::vector<FileRange>>& per_process,
                      std::vector<uint64_t>* rss, std::vector<double>* pss) {
  const size_t n = per_process.size();
  rss->assign(n, 0);
  pss->assign(n, 0.0);
  std::vector<std::vector<FileRange>> unions(n);
  std::vector<uint64_t> bounds;
  for (size_t i = 0; i < n; ++i) {
    unions[i] = Union(per_process[i], size_bytes);
    for (const FileRange& range : unions[i]) {
      (*rss)[i] += range.end - range.begin;
      bounds.push_back(range.begin);
      bounds.push_back(range.end);
    }
  }
  std::sort(bounds.begin(), bounds.end());
  bounds.erase(std::unique(bounds.begin(), bounds.end()), bounds.end());
  // Between two consecutive bounds, every process maps all of the piece or
  // none of it; the mappers share it equally.
  std::vector<size_t> mappers;
  for (size_t b = 0; b + 1 < bounds.size(); ++b) {
    const uint64_t begin = bounds[b];
    const uint64_t end = bounds[b + 1];
    mappers.clear();
    for (size_t i = 0; i < n; ++i) {
      if (Covers(unions[i], begin, end)) mappers.push_back(i);
    }
    if (mappers.empty()) continue;
    const double share =
        static_cast<double>(end - begin) / static_cast<double>(mappers.size());
    for (size_t i : mappers) (*pss)[i] += share;
  }
}

HoldingsReport SummarizeHoldings(const Snapshot& snapshot) {
  HoldingsReport report;
  // Per buffer: the processes that hold it, and each one's mapped ranges.
  struct PerBuffer {
    std::vector<size_t> process_index;  // into report.processes
    std::vector<size_t> holding_index;  // into that process's holdings
    std::vector<std::vector<FileRange>> ranges;
  };
  std::map<BufferKey, PerBuffer> per_buffer;
  for (const ProcessBuffers& process : snapshot.processes) {
    ProcessHoldings out;
    out.pid = process.pid;
    out.comm = process.comm;
    out.uid = process.uid;
    std::map<BufferKey, Holding> by_key;
    std::map<BufferKey, std::vector<FileRange>> ranges;
    for (const FdRef& fd : process.fds) {
      Holding& holding = by_key[fd.key];
      holding.key = fd.key;
      ++holding.fd_refs;
      holding.fds.push_back(fd.fd);
    }
    for (const MapRef& map : process.maps) {
      Holding& holding = by_key[map.key];
      holding.key = map.key;
      ++holding.map_refs;
      ranges[map.key].push_back(FileRange{
          map.offset_bytes, map.offset_bytes + (map.end - map.start)});
    }
    const size_t process_index = report.processes.size();
    for (auto& [key, holding] : by_key) {
      std::sort(holding.fds.begin(), holding.fds.end());
      PerBuffer& buffer = per_buffer[key];
      buffer.process_index.push_back(process_index);
      buffer.holding_index.push_back(out.holdings.size());
      buffer.ranges.push_back(ranges[key]);
      out.holdings.push_back(std::move(holding));
    }
    report.processes.push_back(std::move(out));
  }
  std::map<std::string, ExporterTotals> exporters;
  for (auto& [key, buffer] : per_buffer) {
    const BufferInfo* info = snapshot.Find(key);
    const uint64_t size_bytes = info != nullptr ? info->size_bytes : 0;
    std::vector<uint64_t> rss;
    std::vector<double> pss;
    ShareMappedBytes(size_bytes, buffer.ranges, &rss, &pss);
    BufferTotals totals;
    totals.key = key;
    for (size_t i = 0; i < buffer.process_index.size(); ++i) {
      ProcessHoldings& process = report.processes[buffer.process_index[i]];
      Holding& holding = process.holdings[buffer.holding_index[i]];
      holding.rss_bytes = rss[i];
      holding.pss_bytes = pss[i];
      process.held_bytes += size_bytes;
      process.rss_bytes += rss[i];
      process.pss_bytes += pss[i];
      totals.holders.push_back(process.pid);
      totals.fd_refs += holding.fd_refs;
      totals.map_refs += holding.map_refs;
      totals.rss_bytes += rss[i];
      totals.pss_bytes += pss[i];
    }
    std::sort(totals.holders.begin(), totals.holders.end());
    const std::string exporter =
        info != nullptr && !info->exporter.empty() ? info->exporter : "?";
    ExporterTotals& by_exporter = exporters[exporter];
    by_exporter.exporter = exporter;
    ++by_exporter.buffers;
    by_exporter.size_bytes += size_bytes;
    by_exporter.rss_bytes += totals.rss_bytes;
    by_exporter.pss_bytes += totals.pss_bytes;
    report.buffers.emplace(key, std::move(totals));
  }
  for (auto& [name, totals] : exporters) {
    report.exporters.push_back(std::move(totals));
  }
  return report;
}

}  // namespace gralloc::inspect
