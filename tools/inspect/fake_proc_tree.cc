// Copyright 2026 The gralloc for Linux Authors.

#include "tools/inspect/fake_proc_tree.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <system_error>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "gtest/gtest.h"

namespace gralloc::inspect::testing {
namespace {

namespace fs = std::filesystem;

void Write(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::trunc);
  if (!out) {
    // Parents are made only when missing: trees of 25,000 files are built.
    std::error_code error;
    fs::create_directories(fs::path(path).parent_path(), error);
    out.open(path, std::ios::trunc);
  }
  out << text;
  if (!out) ADD_FAILURE() << "cannot write " << path;
}

}  // namespace

FakeProcTree::FakeProcTree(const std::string& root) : root_(root) {
  for (const char* dir : {"/proc", "/sys", "/dev"}) {
    std::error_code error;
    fs::create_directories(root_ + dir, error);
    if (error) ADD_FAILURE() << "cannot make " << root_ << dir;
  }
}

std::string FakeProcTree::ProcessDir(pid_t pid) const {
  return absl::StrCat(root_, "/proc/", pid);
}

void FakeProcTree::AddProcess(pid_t pid, const std::string& comm) {
  const std::string dir = ProcessDir(pid);
  std::error_code error;
  fs::create_directories(dir + "/fd", error);
  fs::create_directories(dir + "/fdinfo", error);
  Write(dir + "/comm", comm + "\n");
  Write(dir + "/maps", "");
  maps_[pid] = "";
}

void FakeProcTree::RemoveProcess(pid_t pid) {
  std::error_code error;
  fs::remove_all(ProcessDir(pid), error);
  maps_.erase(pid);
}

void FakeProcTree::AddOtherFd(pid_t pid, int fd, const std::string& link) {
  const std::string path = absl::StrCat(ProcessDir(pid), "/fd/", fd);
  if (symlink(link.c_str(), path.c_str()) != 0) {
    ADD_FAILURE() << "symlink " << path;
  }
}

void FakeProcTree::AddDmaBufFd(pid_t pid, int fd, uint64_t inode,
                               uint64_t size_bytes, const std::string& exporter,
                               const std::string& name, int64_t count) {
  AddOtherFd(pid, fd, absl::StrCat("/dmabuf:", name));
  std::string text = absl::StrCat(
      "pos:\t0\nflags:\t02000002\nmnt_id:\t16\nino:\t", inode, "\nsize:\t",
      size_bytes, "\ncount:\t", count, "\nexp_name:\t", exporter, "\n");
  if (!name.empty()) absl::StrAppend(&text, "name:\t", name, "\n");
  SetFdinfo(pid, fd, text);
}

void FakeProcTree::AddMemfdFd(pid_t pid, int fd, uint64_t inode,
                              const std::string& memfd_name) {
  AddOtherFd(pid, fd, absl::StrCat("/memfd:", memfd_name, " (deleted)"));
  SetFdinfo(pid, fd,
            absl::StrCat("pos:\t0\nflags:\t02100002\nmnt_id:\t0\nino:\t", inode,
                         "\n"));
}

void FakeProcTree::SetFdinfo(pid_t pid, int fd, const std::string& text) {
  Write(absl::StrCat(ProcessDir(pid), "/fdinfo/", fd), text);
}

void FakeProcTree::AddMapping(pid_t pid, uint64_t start, uint64_t end,
                              uint64_t offset, uint32_t minor, uint64_t inode,
                              const std::string& path) {
  AddMapsLine(pid, absl::StrFormat("%x-%x rw-s %08x 00:%02x %d%*s%s", start,
                                   end, offset, minor, inode, 19, "", path));
}

void FakeProcTree::AddMapsLine(pid_t pid, const std::string& line) {
  std::string& maps = maps_[pid];
  absl::StrAppend(&maps, line, "\n");
  Write(ProcessDir(pid) + "/maps", maps);
}

void FakeProcTree::WriteFile(const std::string& relative,
                             const std::string& text) {
  Write(absl::StrCat(root_, "/", relative), text);
}

void FakeProcTree::Remove(const std::string& relative) {
  std::error_code error;
  fs::remove_all(absl::StrCat(root_, "/", relative), error);
}

}  // namespace gralloc::inspect::testing
