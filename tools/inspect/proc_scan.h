// Copyright 2026 The gralloc for Linux Authors.
//
// tools/inspect/proc_scan.h: every graphics buffer every process holds, read
// from /proc.
//
// A process holds a buffer through an fd (it can pass it on, import it into
// a driver, map it later) or a mapping (it may have closed the fd after
// mmap; the buffer lives on). The scanner reads, for each /proc/<pid>:
//   fd/<n>      the link: which fds are buffers (buffer_link.h);
//   fdinfo/<n>  for dma-bufs: size, count, exporter, name, inode
//               (fdinfo.h);
//   maps        the mappings of buffers, with their inode (maps.h);
// and stat()s fd/<n> (the magic link leads to the file itself) for a
// memfd's size, inode and device. A buffer is identified by its inode on
// its file system, the dma-buf one or shmem's (BufferKey), which is what
// /proc/<pid>/maps, fstat() and the allocator service (LIST's device and
// inode) all report, so the three can be joined.
//
// The tree is read from `proc_root`, so tests point it at a synthetic tree.
// There the fd links dangle ("/dmabuf:x" is no file), so sizes and inodes
// come from fdinfo alone and a memfd's size from its mappings; on a real
// /proc, stat() gives them.
//
// Processes come and go while they are read: one that vanishes (ENOENT,
// ESRCH on any of its files) is dropped quietly and counted; one whose
// files this user may not read is counted and noted once. A malformed
// fdinfo or maps line is skipped with a note. Notes are bounded
// (ScanOptions::max_notes), the count of the rest kept.
//
// Cost: one readlink per fd, one fdinfo read per dma-buf fd, one stat per
// memfd, one maps read per process; a maps line is parsed only if it may
// name a buffer. No file is held open across processes.
//
// Thread safety: ScanProcesses() is reentrant; a Snapshot is a value.

#ifndef GRALLOC_TOOLS_INSPECT_PROC_SCAN_H_
#define GRALLOC_TOOLS_INSPECT_PROC_SCAN_H_

#include <sys/types.h>

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "absl/status/statusor.h"
#include "tools/inspect/buffer_link.h"

namespace gralloc::inspect {

// A buffer's identity: its inode on the dma-buf file system or on shmem
// (memfds). Inode numbers are unique within a file system, and every
// dma-buf lives on the one dma-buf file system, as every memfd on shmem.
struct BufferKey {
  bool dma_buf = false;
  uint64_t inode = 0;

  friend bool operator<(const BufferKey& a, const BufferKey& b) {
    return std::tie(a.dma_buf, a.inode) < std::tie(b.dma_buf, b.inode);
  }
  friend bool operator==(const BufferKey& a, const BufferKey& b) {
    return a.dma_buf == b.dma_buf && a.inode == b.inode;
  }
};

// Where a buffer's size came from.
enum class SizeSource {
  kKernel,    // fdinfo, stat() or /sys/kernel/dmabuf: exact
  kMappings,  // the furthest byte mapped: a lower bound (mapped-only memfd)
};

struct BufferInfo {
  BufferKey key;
  BufferKind kind = BufferKind::kDmaBuf;
  std::string name;      // see LinkIdentity::name; fdinfo's name wins
  std::string exporter;  // fdinfo's exp_name; "memfd" for memfds
  uint64_t size_bytes = 0;
  SizeSource size_source = SizeSource::kKernel;
  uint64_t device = 0;        // st_dev; 0 when nothing reported it
  int64_t kernel_count = -1;  // fdinfo's count (the largest seen); -1: none
};

struct FdRef {
  int fd = -1;
  BufferKey key;
};

struct MapRef {
  BufferKey key;
  uint64_t start = 0;
  uint64_t end = 0;  // exclusive
  uint64_t offset_bytes = 0;
};

// One process that holds at least one buffer.
struct ProcessBuffers {
  pid_t pid = 0;
  std::string comm;  // /proc/<pid>/comm
  uint32_t uid = 0;  // the owner of /proc/<pid>
  std::vector<FdRef> fds;
  std::vector<MapRef> maps;
};

struct ScanOptions {
  std::string proc_root = "/proc";
  // For a dma-buf only mapped, never held by an fd: its size and exporter
  // from <sys_root>/kernel/dmabuf/buffers/<inode> (CONFIG_DMABUF_SYSFS_STATS).
  std::string sys_root = "/sys";
  // Only this process (every process is still listed, for liveness).
  std::optional<pid_t> pid;
  size_t max_notes = 50;
  // Called after the process list is read and before any process is: tests
  // remove processes there, as exits mid-scan do.
  std::function<void()> after_listing;
};

struct Snapshot {
  std::vector<ProcessBuffers> processes;  // ascending pid
  std::map<BufferKey, BufferInfo> buffers;
  std::set<pid_t> live_pids;  // every process listed at the scan's start
  int processes_scanned = 0;
  int processes_vanished = 0;
  int processes_denied = 0;
  std::vector<std::string> notes;
  size_t notes_dropped = 0;

  const BufferInfo* Find(const BufferKey& key) const {
    auto it = buffers.find(key);
    return it == buffers.end() ? nullptr : &it->second;
  }
};

// Scans `options.proc_root`. FailedPrecondition when the root cannot be
// listed; NotFound when options.pid is given and no such process exists.
// Everything below the root is best effort, as described above.
absl::StatusOr<Snapshot> ScanProcesses(const ScanOptions& options);

}  // namespace gralloc::inspect

#endif  // GRALLOC_TOOLS_INSPECT_PROC_SCAN_H_
