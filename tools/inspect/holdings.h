// Copyright 2026 The gralloc for Linux Authors.
//
// tools/inspect/holdings.h: who holds how much of which buffer, from a
// scan (proc_scan.h).
//
// Three measures per process and buffer:
//   held  the buffer's whole size, if the process holds it at all (an fd or
//         a mapping): the memory it keeps alive. Summed over processes it
//         counts shared buffers once per holder.
//   rss   the bytes of the buffer the process has mapped (the union of its
//         mappings' file ranges, within the buffer): dma-buf heap and memfd
//         pages are resident from allocation, so mapped is resident.
//   pss   rss with each mapped byte divided among the processes that map
//         it: a page three processes map counts a third to each. Summed
//         over processes it gives each mapped byte once.
// A buffer held only by fds has rss and pss 0 in every process: nobody
// maps it, yet it is held; "held" and the fd counts show it.
//
// Thread safety: pure functions; the results are values.

#ifndef GRALLOC_TOOLS_INSPECT_HOLDINGS_H_
#define GRALLOC_TOOLS_INSPECT_HOLDINGS_H_

#include <sys/types.h>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "tools/inspect/proc_scan.h"

namespace gralloc::inspect {

// One buffer in one process.
struct Holding {
  BufferKey key;
  int fd_refs = 0;   // its fds of the buffer
  int map_refs = 0;  // its mappings of the buffer
  std::vector<int> fds;
  uint64_t rss_bytes = 0;
  double pss_bytes = 0;
};

struct ProcessHoldings {
  pid_t pid = 0;
  std::string comm;
  uint32_t uid = 0;
  std::vector<Holding> holdings;  // by key
  uint64_t held_bytes = 0;
  uint64_t rss_bytes = 0;
  double pss_bytes = 0;
};

// One buffer across processes.
struct BufferTotals {
  BufferKey key;
  std::vector<pid_t> holders;  // ascending
  int fd_refs = 0;
  int map_refs = 0;
  uint64_t rss_bytes = 0;  // summed over processes
  double pss_bytes = 0;    // summed: each mapped byte once
};

struct ExporterTotals {
  std::string exporter;
  int buffers = 0;
  uint64_t size_bytes = 0;  // each buffer once
  uint64_t rss_bytes = 0;
  double pss_bytes = 0;
};

struct HoldingsReport {
  std::vector<ProcessHoldings> processes;     // ascending pid
  std::map<BufferKey, BufferTotals> buffers;  // every buffer held
  std::vector<ExporterTotals> exporters;      // by exporter name
};

HoldingsReport SummarizeHoldings(const Snapshot& snapshot);

// The PSS arithmetic on its own, for one buffer of `size_bytes`: for each
// process, the file ranges [begin, end) it maps (overlaps allowed). Fills
// `rss` and `pss` (bytes per process, same order). Ranges past the size
// are cut at it.
struct FileRange {
  uint64_t begin = 0;
  uint64_t end = 0;
};
void ShareMappedBytes(uint64_t size_bytes,
                      const std::vector<std::vector<FileRange>>& per_process,
                      std::vector<uint64_t>* rss, std::vector<double>* pss);

}  // namespace gralloc::inspect

#endif  // GRALLOC_TOOLS_INSPECT_HOLDINGS_H_
