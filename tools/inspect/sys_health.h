// Copyright 2026 The gralloc for Linux Authors.
//
// tools/inspect/sys_health.h: how this machine is set up for the
// allocator, read from /dev, /sys and /proc before anything fails.
//
//   heap nodes   /dev/dma_heap/*, /dev/udmabuf, /dev/dri/card*: mode,
//                owner and group (who may open them), whether this process
//                may, and the exporter name their dma-bufs carry in fdinfo
//                (a dma-buf heap's is its own name, udmabuf's "udmabuf",
//                DRM PRIME's "drm")
//   CMA          CmaTotal/CmaFree (/proc/meminfo) and per area the
//                counters of /sys/kernel/mm/cma/<area>/ (CONFIG_CMA_SYSFS):
//                pages allocated, failed, released, and where the kernel has
//                them, total and available pages
//   udmabuf      its module parameters: size_limit_mb (the largest buffer)
//                and list_limit (the most pieces)
//   IOMMU        /sys/class/iommu/* and /sys/kernel/iommu_groups/*
//
// Every root is a parameter, so tests read synthetic trees. Nothing here
// fails: what is absent is recorded as absent.
//
// Thread safety: a pure function over the file system.

#ifndef GRALLOC_TOOLS_INSPECT_SYS_HEALTH_H_
#define GRALLOC_TOOLS_INSPECT_SYS_HEALTH_H_

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "allocator/heaps/heap_identity.h"

namespace gralloc::inspect {

struct HealthRoots {
  std::string dev_root = "/dev";
  std::string sys_root = "/sys";
  std::string proc_root = "/proc";
};

struct HeapNode {
  HeapIdentity identity;  // its name and class, from the heap table
  std::string path;       // "/dev/dma_heap/system"
  bool is_char_device = false;
  uint32_t mode = 0;  // permission bits
  uid_t uid = 0;
  gid_t gid = 0;
  std::string owner;  // user name, or the number
  std::string group;  // group name, or the number
  bool we_can_open = false;
  // The exp_name its dma-bufs show in /proc/<pid>/fdinfo.
  std::string exporter;
};

struct CmaArea {
  std::string name;  // the directory name under /sys/kernel/mm/cma
  std::optional<uint64_t> alloc_pages_success;
  std::optional<uint64_t> alloc_pages_fail;
  std::optional<uint64_t> release_pages_success;
  std::optional<uint64_t> total_pages;
  std::optional<uint64_t> available_pages;
};

struct SysHealth {
  std::vector<HeapNode> heaps;  // dma heaps by name, udmabuf, DRM cards
  std::optional<uint64_t> cma_total_bytes;
  std::optional<uint64_t> cma_free_bytes;
  std::vector<CmaArea> cma_areas;
  bool udmabuf_module_known = false;  // /sys/module/udmabuf exists
  std::optional<uint64_t> udmabuf_size_limit_mib;
  std::optional<uint64_t> udmabuf_list_limit;
  std::vector<std::string> iommus;  // /sys/class/iommu/*
  int iommu_groups = 0;
  std::string kernel_release;  // /proc/sys/kernel/osrelease
};

SysHealth ReadSysHealth(const HealthRoots& roots);

// Parses /proc/meminfo's "CmaTotal:" and "CmaFree:" (kB) into bytes.
void ParseMeminfoCma(const std::string& meminfo,
                     std::optional<uint64_t>* total_bytes,
                     std::optional<uint64_t>* free_bytes);

}  // namespace gralloc::inspect

#endif  // GRALLOC_TOOLS_INSPECT_SYS_HEALTH_H_
