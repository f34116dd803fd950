// Copyright 2026 The gralloc for Linux Authors.
//
// tests/vm/inspect_vm_test.cc: gralloctl dump and doctor on a real kernel.
//
// The scanner (tools/inspect) reads what the kernel says about dma-bufs:
// fdinfo's size, count, exp_name and name, and /proc/<pid>/maps'
// "/dmabuf:<name>" lines. On the host there are none; here buffers from the
// system and CMA heaps (and udmabuf) are held by this process and a forked
// child, one mapping each, and the scan must show them with their
// exporters ("system", the CMA heap's name) and the names the allocator
// gave them, with the right holders, RSS and PSS. Doctor's checks must pass
// on a kernel that has everything.

#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "allocator/heaps/heap_registry.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "hal/base/status_matchers.h"
#include "hal/base/unique_fd.h"
#include "tools/gralloctl/commands.h"
#include "tools/inspect/doctor.h"
#include "tools/inspect/holdings.h"
#include "tools/inspect/proc_scan.h"
#include "tools/inspect/sync_file_probe.h"
#include "tools/inspect/sys_health.h"

namespace gralloc {
namespace {

using ::gralloc::testing::IsOk;
using ::testing::Contains;

constexpr uint64_t kBytes = 64 * 1024;

struct Held {
  std::string heap;      // "system", "reserved", "udmabuf"
  std::string exporter;  // what fdinfo must say
  std::string name;
  UniqueFd fd;
  uint64_t inode = 0;
};

// One buffer from each dma-buf heap class the VM has, named.
std::vector<Held> AllocateFromEveryHeap() {
  std::vector<Held> held;
  HeapRegistry registry = HeapRegistry::Probe(ProbeOptions());
  for (const std::unique_ptr<Heap>& heap : registry.heaps()) {
    const HeapIdentity& identity = heap->identity();
    if (identity.heap_class != HeapClass::kSystem &&
        identity.heap_class != HeapClass::kCma &&
        identity.heap_class != HeapClass::kUdmabuf) {
      continue;
    }
    HeapRequest request;
    request.size_bytes = kBytes;
    request.debug_name = "inspect-" + identity.name;
    absl::StatusOr<HeapBuffer> buffer = heap->Allocate(request);
    if (!buffer.ok()) {
      ADD_FAILURE() << identity.name << ": " << buffer.status();
      continue;
    }
    Held h;
    h.heap = identity.name;
    // A dma-buf heap's buffers carry the heap's name as exporter; udmabuf's
    // its module's.
    h.exporter =
        identity.heap_class == HeapClass::kUdmabuf ? "udmabuf" : identity.name;
    h.name = request.debug_name;
    h.fd = std::move(buffer->fd);
    struct stat st;
    if (fstat(h.fd.get(), &st) == 0) h.inode = st.st_ino;
    held.push_back(std::move(h));
  }
  return held;
}

TEST(InspectVmTest, DumpShowsRealDmaBufsWithExportersNamesAndHolders) {
  if (access("/dev/dma_heap/system", F_OK) != 0) {
    GTEST_SKIP() << "no /dev/dma_heap/system (not the VM tier's kernel)";
  }
  std::vector<Held> held = AllocateFromEveryHeap();
  ASSERT_GE(held.size(), 2u) << "the VM has the system and CMA heaps";
  bool cma = false;
  for (const Held& h : held)
    cma |= h.exporter != "system" && h.exporter != "udmabuf";
  EXPECT_TRUE(cma) << "no CMA heap buffer";

  // The child inherits every fd and maps the odd-numbered buffers; this
  // process maps the even ones, after the fork, so each has one mapper.
  int ready[2], done[2];
  ASSERT_EQ(pipe(ready), 0);
  ASSERT_EQ(pipe(done), 0);
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    for (size_t i = 1; i < held.size(); i += 2) {
      if (mmap(nullptr, kBytes, PROT_READ, MAP_SHARED, held[i].fd.get(), 0) ==
          MAP_FAILED) {
        _exit(1);
      }
    }
    char byte = 1;
    if (write(ready[1], &byte, 1) != 1) _exit(1);
    if (read(done[0], &byte, 1) < 0) _exit(1);
    _exit(0);
  }
  std::vector<void*> mappings;
  for (size_t i = 0; i < held.size(); i += 2) {
    void* mapping =
        mmap(nullptr, kBytes, PROT_READ, MAP_SHARED, held[i].fd.get(), 0);
    ASSERT_NE(mapping, MAP_FAILED);
    mappings.push_back(mapping);
  }
  char byte = 0;
  ASSERT_EQ(read(ready[0], &byte, 1), 1);

  absl::StatusOr<inspect::Snapshot> snapshot =
      inspect::ScanProcesses(inspect::ScanOptions());
  ASSERT_THAT(snapshot, IsOk());
  const inspect::HoldingsReport report = inspect::SummarizeHoldings(*snapshot);
  std::ostringstream dump;
  const absl::Status dump_status =
      cli::RunDump({"--json", "--no-service"}, dump);

  byte = 0;
  EXPECT_EQ(write(done[1], &byte, 1), 1);
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  for (void* mapping : mappings) munmap(mapping, kBytes);

  for (size_t i = 0; i < held.size(); ++i) {
    const Held& h = held[i];
    SCOPED_TRACE(h.heap);
    const inspect::BufferInfo* info =
        snapshot->Find(inspect::BufferKey{true, h.inode});
    ASSERT_NE(info, nullptr);
    EXPECT_EQ(info->kind, inspect::BufferKind::kDmaBuf);
    EXPECT_EQ(info->exporter, h.exporter);
    EXPECT_EQ(info->name, h.name);
    EXPECT_EQ(info->size_bytes, kBytes);
    EXPECT_EQ(info->size_source, inspect::SizeSource::kKernel);
    // Two fds (ours and the child's) and one mapping hold the file.
    EXPECT_GE(info->kernel_count, 3);
    const inspect::BufferTotals& totals =
        report.buffers.at(inspect::BufferKey{true, h.inode});
    EXPECT_THAT(totals.holders, Contains(getpid()));
    EXPECT_THAT(totals.holders, Contains(child));
    EXPECT_EQ(totals.fd_refs, 2);
    EXPECT_EQ(totals.map_refs, 1);
    EXPECT_EQ(totals.rss_bytes, kBytes);
    EXPECT_DOUBLE_EQ(totals.pss_bytes, kBytes);
    const pid_t mapper = i % 2 == 0 ? getpid() : child;
    for (const inspect::ProcessHoldings& process : report.processes) {
      for (const inspect::Holding& holding : process.holdings) {
        if (!(holding.key == inspect::BufferKey{true, h.inode})) continue;
        EXPECT_EQ(holding.rss_bytes, process.pid == mapper ? kBytes : 0)
            << "pid " << process.pid;
      }
    }
  }

  // The same through gralloctl dump --json, as an operator sees it.
  ASSERT_TRUE(dump_status.ok()) << dump_status;
  const nlohmann::json json = nlohmann::json::parse(dump.str());
  std::vector<std::string> exporters, names;
  for (const nlohmann::json& buffer : json["buffers"]) {
    exporters.push_back(buffer["exporter"]);
    names.push_back(buffer["name"]);
  }
  for (const Held& h : held) {
    EXPECT_THAT(exporters, Contains(h.exporter));
    EXPECT_THAT(names, Contains(h.name));
  }
  std::printf("gralloctl dump --json saw %zu buffers; ours:\n",
              json["buffers"].size());
  for (const nlohmann::json& buffer : json["buffers"]) {
    const std::string name = buffer["name"];
    if (name.rfind("inspect-", 0) != 0) continue;
    std::printf(
        "  inode %llu exp_name %s name %s size %llu holders %s\n",
        static_cast<unsigned long long>(buffer["inode"].get<uint64_t>()),
        buffer["exporter"].get<std::string>().c_str(), name.c_str(),
        static_cast<unsigned long long>(buffer["size_bytes"].get<uint64_t>()),
        buffer["holders"].dump().c_str());
  }
}

TEST(InspectVmTest, DoctorPassesOnAKernelThatHasEverything) {
  if (access("/dev/dma_heap/system", F_OK) != 0) {
    GTEST_SKIP() << "no /dev/dma_heap/system (not the VM tier's kernel)";
  }
  inspect::DoctorInputs inputs;
  inputs.health = inspect::ReadSysHealth(inspect::HealthRoots());
  const inspect::SyncFileProbe probe = inspect::ProbeExportSyncFile("/dev");
  inputs.export_sync_file = probe.result;
  inputs.export_sync_file_from = probe.heap;
  inputs.socket.path = "/nonexistent/allocator.sock";
  inputs.socket.connect = absl::UnavailableError("not started in this test");
  for (const inspect::Check& check : inspect::RunDoctorChecks(inputs)) {
    std::printf("%-5s %-19s %s\n",
                std::string(inspect::VerdictName(check.verdict)).c_str(),
                check.id.c_str(), check.detail.c_str());
    if (check.id == "service" || check.id == "socket-permissions") continue;
    EXPECT_NE(check.verdict, inspect::Verdict::kFail) << check.id;
    if (check.id == "dma-buf-heaps" || check.id == "udmabuf" ||
        check.id == "export-sync-file" || check.id == "heap-permissions") {
      EXPECT_EQ(check.verdict, inspect::Verdict::kOk)
          << check.id << ": " << check.detail;
    }
  }
  // The VM's kernel has a 32 MiB CMA area (tools/vm/kernel.config.fragment).
  ASSERT_TRUE(inputs.health.cma_total_bytes.has_value());
  EXPECT_GT(*inputs.health.cma_total_bytes, 0u);
  bool system = false;
  for (const inspect::HeapNode& node : inputs.health.heaps) {
    system |= node.identity.name == "system" && node.exporter == "system" &&
              node.is_char_device;
  }
  EXPECT_TRUE(system);
}

}  // namespace
}  // namespace gralloc
