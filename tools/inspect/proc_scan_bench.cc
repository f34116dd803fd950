// Copyright 2026 The gralloc for Linux Authors.
//
// proc_scan_bench: how long `gralloctl dump` takes to scan and summarise
// 500 processes of 50 fds each (a synthetic tree, as in proc_scan_test),
// and this machine's real /proc. Timing is printed, never judged.
//
//   bazel run -c opt //tools/inspect:proc_scan_bench

#include <stdlib.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "tools/inspect/fake_proc_tree.h"
#include "tools/inspect/holdings.h"
#include "tools/inspect/proc_scan.h"

namespace gralloc::inspect {
namespace {

constexpr uint64_t kPage = 4096;

// Median milliseconds of `runs` scans and summaries of `options`.
double MedianScanMs(const ScanOptions& options, int runs, size_t* buffers,
                    size_t* processes) {
  std::vector<double> ms;
  for (int i = 0; i < runs; ++i) {
    const auto start = std::chrono::steady_clock::now();
    absl::StatusOr<Snapshot> snapshot = ScanProcesses(options);
    if (!snapshot.ok()) {
      std::fprintf(stderr, "scan failed: %s\n",
                   std::string(snapshot.status().message()).c_str());
      return -1;
    }
    const HoldingsReport report = SummarizeHoldings(*snapshot);
    ms.push_back(std::chrono::duration<double, std::milli>(
                     std::chrono::steady_clock::now() - start)
                     .count());
    *buffers = snapshot->buffers.size();
    *processes = report.processes.size();
  }
  std::sort(ms.begin(), ms.end());
  return ms[ms.size() / 2];
}

int Main() {
  char pattern[] = "/tmp/gralloc-scan-bench-XXXXXX";
  if (mkdtemp(pattern) == nullptr) return 1;
  const std::string root = pattern;
  {
    testing::FakeProcTree tree(root);
    for (pid_t pid = 1000; pid < 1500; ++pid) {
      tree.AddProcess(pid, "worker");
      for (int fd = 0; fd < 50; ++fd) {
        if (fd < 10) {
          const uint64_t inode = 10000 + (pid * 10 + fd) % 100;
          tree.AddDmaBufFd(pid, fd, inode, 64 * kPage, "system", "shared", 50);
          tree.AddMapping(pid, 0x100000000 + fd * 0x100000,
                          0x100000000 + fd * 0x100000 + 64 * kPage, 0, 0x0d,
                          inode, "/dmabuf:shared");
        } else if (fd < 12) {
          tree.AddMemfdFd(pid, fd, 20000 + pid * 2 + (fd - 10),
                          "gralloc:private");
        } else {
          tree.AddOtherFd(pid, fd,
                          absl::StrCat("socket:[", pid * 100 + fd, "]"));
        }
      }
    }
    ScanOptions options;
    options.proc_root = tree.proc_root();
    options.sys_root = tree.sys_root();
    size_t buffers = 0, processes = 0;
    const double ms = MedianScanMs(options, 5, &buffers, &processes);
    std::printf(
        "synthetic 500 processes x 50 fds: %.1f ms (median of 5; %zu "
        "buffers in %zu processes)\n",
        ms, buffers, processes);
  }
  std::error_code error;
  std::filesystem::remove_all(root, error);

  ScanOptions real;
  size_t buffers = 0, processes = 0;
  const double ms = MedianScanMs(real, 5, &buffers, &processes);
  std::printf(
      "this machine's /proc: %.1f ms (median of 5; %zu buffers in %zu "
      "processes)\n",
      ms, buffers, processes);
  return 0;
}

}  // namespace
}  // namespace gralloc::inspect

int main() { return gralloc::inspect::Main(); }
