// Copyright 2026 The gralloc for Linux Authors.
//
// tools/inspect/doctor.h: is this machine set up for the allocator? Each
// check has a verdict, what it saw, and for anything short of OK what to
// do about it.
//
//   check               fails or warns when
//   dma-buf-heaps       /dev/dma_heap has no heap (devices cannot import
//                       memfd buffers)
//   udmabuf             /dev/udmabuf is absent (no dma-buf without heaps)
//   heap-permissions    a heap node this user cannot open (fail), or one
//                       anyone may open (warn: bypasses the service's
//                       quotas)
//   cma-heap-names      no CMA heap (contiguous requests are refused), or
//                       the legacy and the new name of one area side by
//                       side (profiles naming one miss the other)
//   export-sync-file    DMA_BUF_IOCTL_EXPORT_SYNC_FILE unsupported (kernels
//                       before 6.0: implicit fences cannot be exported)
//   iommu               udmabuf without an IOMMU (its scattered pages reach
//                       only scatter-gather devices)
//   service             the service does not answer at its socket
//   socket-permissions  the socket is missing, or anyone may connect
//
// The live probes (opening heaps, the ioctl, the socket) are done by the
// caller and passed in, so the verdicts are pure and tested on synthetic
// inputs.
//
// Thread safety: a pure function.

#ifndef GRALLOC_TOOLS_INSPECT_DOCTOR_H_
#define GRALLOC_TOOLS_INSPECT_DOCTOR_H_

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "tools/inspect/sys_health.h"

namespace gralloc::inspect {

enum class Verdict { kOk, kWarn, kFail, kSkip };
// "ok", "warn", "FAIL", "skip".
absl::string_view VerdictName(Verdict verdict);

struct Check {
  std::string id;  // stable: the table above
  Verdict verdict = Verdict::kSkip;
  std::string detail;  // what was seen
  std::string remedy;  // empty when OK
};

struct SocketProbe {
  std::string path;
  bool exists = false;
  uint32_t mode = 0;
  std::string owner;
  std::string group;
  absl::Status connect;  // OK when the service answered STATS
};

struct DoctorInputs {
  SysHealth health;
  // The result of DMA_BUF_IOCTL_EXPORT_SYNC_FILE on a fresh dma-buf: OK,
  // or the ioctl's error; nullopt when no dma-buf could be made to ask.
  std::optional<absl::Status> export_sync_file;
  std::string export_sync_file_from;  // which heap made the test buffer
  SocketProbe socket;
};

std::vector<Check> RunDoctorChecks(const DoctorInputs& inputs);

}  // namespace gralloc::inspect

#endif  // GRALLOC_TOOLS_INSPECT_DOCTOR_H_
