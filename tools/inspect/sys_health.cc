// Copyright 2026 The gralloc for Linux Authors.

#include "tools/inspect/sys_health.h"

#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "tools/inspect/proc_files.h"

namespace gralloc::inspect {
namespace {

std::optional<uint64_t> ReadNumber(const std::string& path) {
  absl::StatusOr<std::string> text = ReadSmallFile(path, 256);
  uint64_t value = 0;
  if (!text.ok() ||
      !absl::SimpleAtoi(absl::StripAsciiWhitespace(*text), &value)) {
    return std::nullopt;
  }
  return value;
}

std::vector<std::string> SortedNames(const std::string& dir) {
  absl::StatusOr<std::vector<std::string>> names = ListDirectory(dir);
  if (!names.ok()) return {};
  std::sort(names->begin(), names->end());
  return *names;
}

std::string UserName(uid_t uid) {
  char buffer[1024];
  struct passwd entry;
  struct passwd* result = nullptr;
  if (getpwuid_r(uid, &entry, buffer, sizeof(buffer), &result) == 0 &&
      result != nullptr) {
    return result->pw_name;
  }
  return absl::StrCat(uid);
}

std::string GroupName(gid_t gid) {
  char buffer[4096];
  struct group entry;
  struct group* result = nullptr;
  if (getgrgid_r(gid, &entry, buffer, sizeof(buffer), &result) == 0 &&
      result != nullptr) {
    return result->gr_name;
  }
  return absl::StrCat(gid);
}

HeapNode ReadNode(const std::string& path, HeapIdentity identity,
                  std::string exporter) {
  HeapNode node;
  node.identity = std::move(identity);
  node.path = path;
  node.exporter = std::move(exporter);
  struct stat st;
  if (stat(path.c_str(), &st) == 0) {
    node.is_char_device = S_ISCHR(st.st_mode);
    node.mode = st.st_mode & 07777;
    node.uid = st.st_uid;
    node.gid = st.st_gid;
    node.owner = UserName(st.st_uid);
    node.group = GroupName(st.st_gid);
    // The allocator opens heaps read-only (DMA_HEAP_IOCTL_ALLOC needs no
    // more) and udmabuf read-write.
    node.we_can_open =
        access(path.c_str(), node.identity.heap_class == HeapClass::kUdmabuf
                                 ? R_OK | W_OK
                                 : R_OK) == 0;
  }
  return node;
}

}  // namespace

void ParseMeminfoCma(const std::string& meminfo,
                     std::optional<uint64_t>* total_bytes,
                     std::optional<uint64_t>* free_bytes) {
  for (absl::string_view line : absl::StrSplit(meminfo, '\n')) {
    std::optional<uint64_t>* target = nullptr;
    if (absl::ConsumePrefix(&line, "CmaTotal:")) target = total_bytes;
    if (absl::ConsumePrefix(&line, "CmaFree:")) target = free_bytes;
    if (target == nullptr) continue;
    line = absl::StripAsciiWhitespace(line);
    absl::ConsumeSuffix(&line, "kB");
    uint64_t kib = 0;
    if (absl::SimpleAtoi(absl::StripAsciiWhitespace(line), &kib)) {
      *target = kib * 1024;
    }
  }
}

SysHealth ReadSysHealth(const HealthRoots& roots) {
  SysHealth health;
  for (const std::string& name : SortedNames(roots.dev_root + "/dma_heap")) {
    health.heaps.push_back(ReadNode(roots.dev_root + "/dma_heap/" + name,
                                    DmaHeapIdentity(name, false), name));
  }
  const std::string udmabuf = roots.dev_root + "/udmabuf";
  if (access(udmabuf.c_str(), F_OK) == 0) {
    health.heaps.push_back(ReadNode(udmabuf, UdmabufIdentity(), "udmabuf"));
  }
  for (const std::string& name : SortedNames(roots.dev_root + "/dri")) {
    if (!absl::StartsWith(name, "card")) continue;
    health.heaps.push_back(ReadNode(roots.dev_root + "/dri/" + name,
                                    DrmDumbIdentity(name), "drm"));
  }

  absl::StatusOr<std::string> meminfo =
      ReadSmallFile(roots.proc_root + "/meminfo");
  if (meminfo.ok()) {
    ParseMeminfoCma(*meminfo, &health.cma_total_bytes, &health.cma_free_bytes);
  }
  const std::string cma_dir = roots.sys_root + "/kernel/mm/cma";
  for (const std::string& name : SortedNames(cma_dir)) {
    const std::string dir = cma_dir + "/" + name + "/";
    CmaArea area;
    area.name = name;
    area.alloc_pages_success = ReadNumber(dir + "alloc_pages_success");
    area.alloc_pages_fail = ReadNumber(dir + "alloc_pages_fail");
    area.release_pages_success = ReadNumber(dir + "release_pages_success");
    area.total_pages = ReadNumber(dir + "total_pages");
    area.available_pages = ReadNumber(dir + "available_pages");
    health.cma_areas.push_back(std::move(area));
  }

  const std::string module = roots.sys_root + "/module/udmabuf";
  health.udmabuf_module_known = access(module.c_str(), F_OK) == 0;
  health.udmabuf_size_limit_mib =
      ReadNumber(module + "/parameters/size_limit_mb");
  health.udmabuf_list_limit = ReadNumber(module + "/parameters/list_limit");

  health.iommus = SortedNames(roots.sys_root + "/class/iommu");
  health.iommu_groups = static_cast<int>(
      SortedNames(roots.sys_root + "/kernel/iommu_groups").size());
  absl::StatusOr<std::string> release =
      ReadSmallFile(roots.proc_root + "/sys/kernel/osrelease", 256);
  if (release.ok()) {
    health.kernel_release =
        std::string(absl::StripTrailingAsciiWhitespace(*release));
  }
  return health;
}

}  // namespace gralloc::inspect
