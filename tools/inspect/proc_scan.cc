// Copyright 2026 The gralloc for Linux Authors.

#include "tools/inspect/proc_scan.h"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "hal/base/status_macros.h"
#include "tools/inspect/fdinfo.h"
#include "tools/inspect/maps.h"
#include "tools/inspect/proc_files.h"

namespace gralloc::inspect {
namespace {

// maps of a large process run to megabytes; more than this is cut (and its
// last, partial line is malformed and skipped).
constexpr size_t kMaxMapsBytes = 32 << 20;

class Scanner {
 public:
  Scanner(const ScanOptions& options, Snapshot* snapshot)
      : options_(options), snapshot_(snapshot) {}

  void Note(std::string note) {
    if (snapshot_->notes.size() < options_.max_notes) {
      snapshot_->notes.push_back(std::move(note));
    } else {
      ++snapshot_->notes_dropped;
    }
  }

  // Reads one process. Returns false when it vanished or was unreadable;
  // nothing of it is kept then.
  bool ScanProcess(pid_t pid, ProcessBuffers* process);

  // Sizes the buffers no fd reported: /sys/kernel/dmabuf, else mappings.
  void SizeMappedOnly();

 private:
  // Adds what fd `fd` of `pid` (a buffer of `identity`) is. Returns false
  // when the fd (or the process) is gone.
  bool ScanFd(const std::string& dir, int fd, const LinkIdentity& identity,
              ProcessBuffers* process);
  BufferInfo& Upsert(const BufferKey& key, const LinkIdentity& identity);

  const ScanOptions& options_;
  Snapshot* snapshot_;
};

BufferInfo& Scanner::Upsert(const BufferKey& key,
                            const LinkIdentity& identity) {
  auto [it, inserted] = snapshot_->buffers.try_emplace(key);
  BufferInfo& info = it->second;
  if (inserted) {
    info.key = key;
    info.kind = identity.kind;
    info.name = identity.name;
    if (identity.kind != BufferKind::kDmaBuf) info.exporter = "memfd";
  }
  return info;
}

bool Scanner::ScanFd(const std::string& dir, int fd,
                     const LinkIdentity& identity, ProcessBuffers* process) {
  const std::string fd_path = absl::StrCat(dir, "/fd/", fd);
  std::optional<FdInfo> fdinfo;
  auto read_fdinfo = [&]() -> bool {
    absl::StatusOr<std::string> text =
        ReadSmallFile(absl::StrCat(dir, "/fdinfo/", fd));
    if (!text.ok()) {
      if (!IsVanished(text.status())) {
        Note(absl::StrCat("pid ", process->pid, " fd ", fd, ": ",
                          text.status().message()));
      }
      return false;
    }
    std::vector<std::string> malformed;
    fdinfo = ParseFdinfo(*text, &malformed);
    for (const std::string& line : malformed) {
      Note(absl::StrCat("fdinfo of pid ", process->pid, " fd ", fd, ": ", line,
                        ", skipped"));
    }
    return true;
  };
  // A dma-buf's size, count and exporter are only in its fdinfo.
  if (identity.kind == BufferKind::kDmaBuf && !read_fdinfo()) return false;
  struct stat st;
  const bool stat_ok = stat(fd_path.c_str(), &st) == 0;
  if (!stat_ok && !fdinfo.has_value() && !read_fdinfo()) return false;

  BufferKey key;
  key.dma_buf = identity.kind == BufferKind::kDmaBuf;
  if (stat_ok) {
    key.inode = st.st_ino;
  } else if (fdinfo.has_value() && fdinfo->inode.has_value()) {
    key.inode = *fdinfo->inode;
  } else {
    Note(absl::StrCat("pid ", process->pid, " fd ", fd,
                      ": no inode (stat failed and fdinfo has no ino:), "
                      "skipped"));
    return true;
  }
  BufferInfo& info = Upsert(key, identity);
  if (stat_ok) {
    info.device = st.st_dev;
    if (identity.kind != BufferKind::kDmaBuf || info.size_bytes == 0) {
      info.size_bytes = static_cast<uint64_t>(st.st_size);
    }
  }
  if (fdinfo.has_value()) {
    if (fdinfo->size_bytes.has_value()) info.size_bytes = *fdinfo->size_bytes;
    if (fdinfo->exporter.has_value()) info.exporter = *fdinfo->exporter;
    if (fdinfo->name.has_value()) info.name = *fdinfo->name;
    if (fdinfo->count.has_value()) {
      info.kernel_count = std::max(info.kernel_count, *fdinfo->count);
    }
  }
  process->fds.push_back(FdRef{fd, key});
  return true;
}

bool Scanner::ScanProcess(pid_t pid, ProcessBuffers* process) {
  process->pid = pid;
  const std::string dir = absl::StrCat(options_.proc_root, "/", pid);
  auto unreadable = [&](const absl::Status& status) {
    if (IsVanished(status)) {
      ++snapshot_->processes_vanished;
    } else if (absl::IsPermissionDenied(status)) {
      ++snapshot_->processes_denied;
    } else {
      Note(absl::StrCat("pid ", pid, ": ", status.message()));
    }
    return false;
  };
  absl::StatusOr<std::vector<std::string>> fds =
      ListDirectory(absl::StrCat(dir, "/fd"));
  if (!fds.ok()) return unreadable(fds.status());
  for (const std::string& name : *fds) {
    int fd = -1;
    if (!absl::SimpleAtoi(name, &fd)) continue;
    absl::StatusOr<std::string> link =
        ReadLinkAt(absl::StrCat(dir, "/fd/", name));
    if (!link.ok()) continue;  // closed meanwhile
    std::optional<LinkIdentity> identity = ClassifyLink(*link);
    if (!identity.has_value()) continue;
    ScanFd(dir, fd, *identity, process);
  }
  absl::StatusOr<std::string> maps =
      ReadSmallFile(absl::StrCat(dir, "/maps"), kMaxMapsBytes);
  if (!maps.ok()) return unreadable(maps.status());
  int line_number = 0;
  for (absl::string_view line : absl::StrSplit(*maps, '\n')) {
    ++line_number;
    if (!MapsLineMayBeBuffer(line)) continue;
    std::optional<MapsEntry> entry = ParseMapsLine(line);
    if (!entry.has_value()) {
      Note(absl::StrCat("maps of pid ", pid, ": line ", line_number,
                        " is malformed, skipped"));
      continue;
    }
    std::optional<LinkIdentity> identity = ClassifyLink(entry->path);
    if (!identity.has_value()) continue;
    BufferKey key{identity->kind == BufferKind::kDmaBuf, entry->inode};
    BufferInfo& info = Upsert(key, *identity);
    if (info.device == 0) info.device = entry->device;
    process->maps.push_back(
        MapRef{key, entry->start, entry->end, entry->offset_bytes});
  }
  if (process->fds.empty() && process->maps.empty()) return true;
  absl::StatusOr<std::string> comm = ReadSmallFile(dir + "/comm", 256);
  if (!comm.ok() && IsVanished(comm.status())) return unreadable(comm.status());
  if (comm.ok()) {
    process->comm = std::string(absl::StripTrailingAsciiWhitespace(*comm));
  }
  struct stat st;
  if (stat(dir.c_str(), &st) == 0) process->uid = st.st_uid;
  return true;
}

void Scanner::SizeMappedOnly() {
  std::map<BufferKey, uint64_t> furthest;
  for (const ProcessBuffers& process : snapshot_->processes) {
    for (const MapRef& map : process.maps) {
      uint64_t& end = furthest[map.key];
      end = std::max(end, map.offset_bytes + (map.end - map.start));
    }
  }
  for (auto& [key, info] : snapshot_->buffers) {
    if (info.size_bytes != 0) continue;
    if (key.dma_buf) {
      const std::string dir =
          absl::StrCat(options_.sys_root, "/kernel/dmabuf/buffers/", key.inode);
      absl::StatusOr<std::string> size = ReadSmallFile(dir + "/size", 64);
      uint64_t bytes = 0;
      if (size.ok() &&
          absl::SimpleAtoi(absl::StripAsciiWhitespace(*size), &bytes)) {
        info.size_bytes = bytes;
        absl::StatusOr<std::string> exporter =
            ReadSmallFile(dir + "/exporter_name", 256);
        if (exporter.ok()) {
          info.exporter =
              std::string(absl::StripTrailingAsciiWhitespace(*exporter));
        }
        continue;
      }
    }
    info.size_bytes = furthest[key];
    info.size_source = SizeSource::kMappings;
  }
}

}  // namespace

absl::StatusOr<Snapshot> ScanProcesses(const ScanOptions& options) {
  absl::StatusOr<std::vector<std::string>> names =
      ListDirectory(options.proc_root);
  if (!names.ok()) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot list processes: ", names.status().message()));
  }
  Snapshot snapshot;
  std::vector<pid_t> pids;
  for (const std::string& name : *names) {
    pid_t pid = 0;
    if (absl::SimpleAtoi(name, &pid) && pid > 0) pids.push_back(pid);
  }
  std::sort(pids.begin(), pids.end());
  snapshot.live_pids.insert(pids.begin(), pids.end());
  if (options.pid.has_value()) {
    if (snapshot.live_pids.count(*options.pid) == 0) {
      return absl::NotFoundError(
          absl::StrCat("no process ", *options.pid, " in ", options.proc_root));
    }
    pids = {*options.pid};
  }
  if (options.after_listing) options.after_listing();
  Scanner scanner(options, &snapshot);
  for (pid_t pid : pids) {
    ++snapshot.processes_scanned;
    ProcessBuffers process;
    if (!scanner.ScanProcess(pid, &process)) continue;
    if (!process.fds.empty() || !process.maps.empty()) {
      snapshot.processes.push_back(std::move(process));
    }
  }
  scanner.SizeMappedOnly();
  // Buffers only a vanished process held are nobody's now.
  std::set<BufferKey> held;
  for (const ProcessBuffers& process : snapshot.processes) {
    for (const FdRef& fd : process.fds) held.insert(fd.key);
    for (const MapRef& map : process.maps) held.insert(map.key);
  }
  for (auto it = snapshot.buffers.begin(); it != snapshot.buffers.end();) {
    it = held.count(it->first) ? std::next(it) : snapshot.buffers.erase(it);
  }
  if (snapshot.processes_denied > 0) {
    scanner.Note(absl::StrCat("permission denied reading ",
                              snapshot.processes_denied,
                              " processes: run as root to see every holder"));
  }
  return snapshot;
}

}  // namespace gralloc::inspect
