// Copyright 2026 The gralloc for Linux Authors.

#include "tools/inspect/doctor.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"

namespace gralloc::inspect {
namespace {

// CMA heap names: the older kernels' (the default area's "reserved", a
// device tree's "linux,cma") and the name newer kernels give the default
// area.
bool IsLegacyCmaName(const std::string& name) {
  return name == "reserved" || name == "linux,cma";
}
constexpr char kNewCmaName[] = "default_cma_region";

Check HeapsPresent(const SysHealth& health) {
  Check check{"dma-buf-heaps", Verdict::kOk, "", ""};
  std::vector<std::string> names;
  for (const HeapNode& node : health.heaps) {
    if (node.identity.caps.backend == HandleBackend::kDmaHeap) {
      names.push_back(node.identity.name);
    }
  }
  if (names.empty()) {
    check.verdict = Verdict::kFail;
    check.detail = "no /dev/dma_heap/* heap";
    check.remedy =
        "build the kernel with CONFIG_DMABUF_HEAPS_SYSTEM=y (and "
        "CONFIG_DMABUF_HEAPS_CMA=y for contiguous memory); until then only "
        "udmabuf or memfd can serve, and memfd buffers no device imports";
  } else {
    check.detail = absl::StrCat("heaps: ", absl::StrJoin(names, ", "));
  }
  return check;
}

Check UdmabufPresent(const SysHealth& health) {
  Check check{"udmabuf", Verdict::kOk, "", ""};
  for (const HeapNode& node : health.heaps) {
    if (node.identity.heap_class != HeapClass::kUdmabuf) continue;
    check.detail = absl::StrCat(node.path, " present");
    if (health.udmabuf_size_limit_mib.has_value()) {
      absl::StrAppend(&check.detail, ", buffers up to ",
                      *health.udmabuf_size_limit_mib, " MiB");
    }
    return check;
  }
  check.verdict = Verdict::kWarn;
  check.detail = "no /dev/udmabuf";
  check.remedy =
      "CONFIG_UDMABUF=y (or modprobe udmabuf): the fallback that still makes "
      "dma-bufs where a heap is missing or full";
  return check;
}

Check HeapPermissions(const SysHealth& health) {
  Check check{"heap-permissions", Verdict::kOk, "", ""};
  std::vector<std::string> seen, closed, open_to_all;
  for (const HeapNode& node : health.heaps) {
    if (node.identity.heap_class == HeapClass::kDrmDumb) continue;
    seen.push_back(absl::StrFormat("%s %04o %s:%s", node.path, node.mode,
                                   node.owner, node.group));
    if (!node.we_can_open) closed.push_back(node.path);
    if ((node.mode & 0006) != 0) open_to_all.push_back(node.path);
  }
  if (seen.empty()) {
    check.verdict = Verdict::kSkip;
    check.detail = "no heap node";
    return check;
  }
  check.detail = absl::StrJoin(seen, "; ");
  if (!closed.empty()) {
    check.verdict = Verdict::kFail;
    check.remedy = absl::StrCat(
        "this user cannot open ", absl::StrJoin(closed, ", "),
        ": install allocator/service/60-gralloc-allocatord.rules (group "
        "gralloc-allocatord, mode 0660) and run the service as its user, or "
        "run this check as the service's user");
  } else if (!open_to_all.empty()) {
    check.verdict = Verdict::kWarn;
    check.remedy = absl::StrCat(
        "anyone may allocate from ", absl::StrJoin(open_to_all, ", "),
        " directly, past the service's quotas: make them 0660 for the "
        "service's group (the udev rule above)");
  }
  return check;
}

Check CmaNames(const SysHealth& health) {
  Check check{"cma-heap-names", Verdict::kOk, "", ""};
  std::vector<std::string> legacy, current, other;
  for (const HeapNode& node : health.heaps) {
    if (node.identity.heap_class != HeapClass::kCma) continue;
    const std::string& name = node.identity.name;
    (IsLegacyCmaName(name) ? legacy
     : name == kNewCmaName ? current
                           : other)
        .push_back(name);
  }
  if (legacy.empty() && current.empty() && other.empty()) {
    check.verdict = Verdict::kWarn;
    check.detail = "no CMA heap";
    check.remedy =
        "participants that need contiguous memory (no IOMMU) are refused: "
        "CONFIG_DMABUF_HEAPS_CMA=y and a CMA area (cma=64M on the kernel "
        "command line)";
    return check;
  }
  std::vector<std::string> all = legacy;
  all.insert(all.end(), current.begin(), current.end());
  all.insert(all.end(), other.begin(), other.end());
  check.detail = absl::StrCat("CMA heaps: ", absl::StrJoin(all, ", "));
  if (!legacy.empty() && !current.empty()) {
    check.verdict = Verdict::kWarn;
    check.remedy = absl::StrCat(
        "the default CMA area appears under its legacy name (",
        absl::StrJoin(legacy, ", "), ") and its new one (", kNewCmaName,
        "): profiles should name the class \"cma\", not a heap name, so "
        "either kernel matches");
  } else if (!legacy.empty()) {
    absl::StrAppend(&check.detail,
                    " (legacy name; newer kernels call the "
                    "default area ",
                    kNewCmaName, ", and the allocator knows both)");
  }
  return check;
}

Check ExportSyncFile(const DoctorInputs& inputs) {
  Check check{"export-sync-file", Verdict::kOk, "", ""};
  if (!inputs.export_sync_file.has_value()) {
    check.verdict = Verdict::kSkip;
    check.detail = "no dma-buf could be made to ask (no usable heap)";
    return check;
  }
  if (inputs.export_sync_file->ok()) {
    check.detail = absl::StrCat(
        "DMA_BUF_IOCTL_EXPORT_SYNC_FILE works (asked a buffer from ",
        inputs.export_sync_file_from, ")");
    return check;
  }
  check.verdict = Verdict::kWarn;
  check.detail = absl::StrCat("DMA_BUF_IOCTL_EXPORT_SYNC_FILE: ",
                              inputs.export_sync_file->message());
  check.remedy =
      "a kernel of 6.0 or later exports a dma-buf's implicit fences as a "
      "sync_file; without it, explicit-fence users must wait with "
      "DMA_BUF_IOCTL_SYNC";
  return check;
}

Check Iommu(const SysHealth& health) {
  Check check{"iommu", Verdict::kOk, "", ""};
  bool udmabuf = false;
  for (const HeapNode& node : health.heaps) {
    udmabuf |= node.identity.heap_class == HeapClass::kUdmabuf;
  }
  const bool iommu = !health.iommus.empty() || health.iommu_groups > 0;
  check.detail =
      iommu ? absl::StrCat("IOMMU: ",
                           health.iommus.empty()
                               ? std::string("present")
                               : absl::StrJoin(health.iommus, ", "),
                           " (", health.iommu_groups, " groups)")
            : "no IOMMU (/sys/class/iommu and /sys/kernel/iommu_groups empty)";
  if (!udmabuf) {
    check.verdict = iommu ? Verdict::kOk : Verdict::kSkip;
    return check;
  }
  if (!iommu) {
    check.verdict = Verdict::kWarn;
    check.remedy =
        "udmabuf buffers are scattered pages: without an IOMMU only devices "
        "with scatter-gather DMA can import them; a profile for this machine "
        "should keep cameras, codecs and displays on the CMA heap";
  }
  return check;
}

Check Service(const SocketProbe& socket) {
  Check check{"service", Verdict::kOk, "", ""};
  if (socket.connect.ok()) {
    check.detail = absl::StrCat("gralloc-allocatord answers at ", socket.path);
    return check;
  }
  check.verdict = Verdict::kFail;
  check.detail = absl::StrCat(socket.path, ": ", socket.connect.message());
  check.remedy =
      socket.exists
          ? "the socket exists but the service does not answer: is "
            "gralloc-allocatord running (systemctl status "
            "gralloc-allocatord), and is this user allowed "
            "(--allow-users/--allow-groups)?"
          : "start the service (systemctl start gralloc-allocatord), or "
            "point clients at it with $GRALLOC_ALLOCATOR_SOCKET";
  return check;
}

Check SocketPermissions(const SocketProbe& socket) {
  Check check{"socket-permissions", Verdict::kOk, "", ""};
  if (!socket.exists) {
    check.verdict = Verdict::kSkip;
    check.detail = absl::StrCat(socket.path, " does not exist");
    return check;
  }
  check.detail = absl::StrFormat("%s %04o %s:%s", socket.path, socket.mode,
                                 socket.owner, socket.group);
  if ((socket.mode & 0002) != 0) {
    check.verdict = Verdict::kWarn;
    check.remedy =
        "anyone may connect and allocate: run the service with "
        "--socket-mode=0660 --socket-group=gralloc (the installed unit "
        "does)";
  }
  return check;
}

}  // namespace

absl::string_view VerdictName(Verdict verdict) {
  switch (verdict) {
    case Verdict::kOk:
      return "ok";
    case Verdict::kWarn:
      return "warn";
    case Verdict::kFail:
      return "FAIL";
    case Verdict::kSkip:
      return "skip";
  }
  return "?";
}

std::vector<Check> RunDoctorChecks(const DoctorInputs& inputs) {
  return {
      HeapsPresent(inputs.health),    UdmabufPresent(inputs.health),
      HeapPermissions(inputs.health), CmaNames(inputs.health),
      ExportSyncFile(inputs),         Iommu(inputs.health),
      Service(inputs.socket),         SocketPermissions(inputs.socket),
  };
}

}  // namespace gralloc::inspect
