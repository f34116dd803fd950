// Copyright 2026 The gralloc for Linux Authors.
//
// tools/inspect/fake_proc_tree.h: synthetic /proc and /sys trees for tests
// of the scanner and the health checks (test-only).
//
// A process is a directory <root>/proc/<pid> with comm, fd/<n> symbolic
// links whose targets are what the kernel would show ("/dmabuf:frame",
// "/memfd:gralloc:frame (deleted)", "socket:[123]"), fdinfo/<n> files and a
// maps file. The links dangle, as far as stat() is concerned, so the
// scanner learns sizes and inodes from fdinfo, as it would on a kernel
// where stat() of a vanished fd fails. Files under <root>/sys and
// <root>/dev are written as given.
//
// Every method aborts the test (ADD_FAILURE) on an I/O error.

#ifndef GRALLOC_TOOLS_INSPECT_FAKE_PROC_TREE_H_
#define GRALLOC_TOOLS_INSPECT_FAKE_PROC_TREE_H_

#include <sys/types.h>

#include <cstdint>
#include <map>
#include <string>

namespace gralloc::inspect::testing {

class FakeProcTree {
 public:
  // Makes <root>/proc, <root>/sys and <root>/dev under `root`, which must
  // exist.
  explicit FakeProcTree(const std::string& root);

  std::string proc_root() const { return root_ + "/proc"; }
  std::string sys_root() const { return root_ + "/sys"; }
  std::string dev_root() const { return root_ + "/dev"; }

  void AddProcess(pid_t pid, const std::string& comm);
  void RemoveProcess(pid_t pid);
  // A dma-buf fd as a 6.x kernel shows it. An empty name leaves out the
  // "name:" line (a never-named buffer).
  void AddDmaBufFd(pid_t pid, int fd, uint64_t inode, uint64_t size_bytes,
                   const std::string& exporter, const std::string& name,
                   int64_t count);
  // A memfd called `memfd_name` ("gralloc:frame").
  void AddMemfdFd(pid_t pid, int fd, uint64_t inode,
                  const std::string& memfd_name);
  // Any other fd: a pipe, a socket, a file. It gets no fdinfo: the scanner
  // reads fdinfo only of buffers.
  void AddOtherFd(pid_t pid, int fd, const std::string& link);
  // Replaces an fd's fdinfo with `text`.
  void SetFdinfo(pid_t pid, int fd, const std::string& text);
  // A line of maps: [start, end) at file offset `offset`, of `inode` on
  // device 0:`minor`, shown as `path`.
  void AddMapping(pid_t pid, uint64_t start, uint64_t end, uint64_t offset,
                  uint32_t minor, uint64_t inode, const std::string& path);
  void AddMapsLine(pid_t pid, const std::string& line);
  // Writes `text` to <root>/<relative> (parents made).
  void WriteFile(const std::string& relative, const std::string& text);
  void Remove(const std::string& relative);

 private:
  std::string ProcessDir(pid_t pid) const;

  std::string root_;
  std::map<pid_t, std::string> maps_;
};

}  // namespace gralloc::inspect::testing

#endif  // GRALLOC_TOOLS_INSPECT_FAKE_PROC_TREE_H_
