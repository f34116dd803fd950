// Copyright 2026 The gralloc for Linux Authors.
//
// gralloctl heaps --health and doctor: is this machine set up for the
// allocator, before anything fails? The readings and verdicts are
// tools/inspect's (sys_health.h, doctor.h); this file asks the live
// questions (the socket, the sync-file ioctl, which participants each heap
// serves under the profile) and prints.

#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "allocator/client/service_client.h"
#include "allocator/heaps/heap_identity.h"
#include "allocator/negotiation/negotiate.h"
#include "allocator/negotiation/participants.h"
#include "allocator/negotiation/profile.h"
#include "hal/base/status_macros.h"
#include "hal/format/format_table.h"
#include "hal/types/buffer_usage.h"
#include "tools/gralloctl/commands.h"
#include "tools/gralloctl/flags.h"
#include "tools/gralloctl/inspect_view.h"
#include "tools/inspect/doctor.h"
#include "tools/inspect/sync_file_probe.h"
#include "tools/inspect/sys_health.h"

namespace gralloc::cli {
namespace {

inspect::HealthRoots RootsFromFlags(const Flags& flags) {
  inspect::HealthRoots roots;
  roots.dev_root = flags.Get("dev-root", roots.dev_root);
  roots.sys_root = flags.Get("sys-root", roots.sys_root);
  roots.proc_root = flags.Get("proc-root", roots.proc_root);
  return roots;
}

// Whether `heap` can serve `participant` alone under `profile`: the same
// negotiation an allocation runs, on that one heap, for a small buffer in
// the first common format that works. OK, or the first refusal.
absl::Status HeapServes(const Profile& profile, const HeapIdentity& heap,
                        Participant participant) {
  uint64_t usage = ParticipantUsageMask(participant);
  usage &= ~usage + 1;  // one bit names the participant
  if (participant == Participant::kCpu) {
    usage = static_cast<uint64_t>(BufferUsage::CPU_READ_OFTEN) |
            static_cast<uint64_t>(BufferUsage::CPU_WRITE_OFTEN);
  }
  absl::Status first_refusal;
  for (const char* format : {"YCBCR_420_888", "RGBA_8888", "BLOB"}) {
    BufferDescriptorInfo info;
    info.name = "heaps-health";
    const bool blob = std::string(format) == "BLOB";
    info.width = blob ? 4096 : 64;
    info.height = blob ? 1 : 64;
    info.layer_count = 1;
    info.format = FindFormatByName(format)->android_value;
    info.usage = usage;
    absl::StatusOr<Plan> plan = Negotiate(profile, {heap}, info);
    if (plan.ok()) {
      // The negotiation lands device users on memfd when nothing else is
      // there (the main job does, on a machine without heaps); that is a
      // stand-in, not service: no device can import the memory.
      if (participant != Participant::kCpu &&
          !plan->heap.caps.device_importable) {
        return absl::FailedPreconditionError(
            absl::StrCat(heap.name,
                         " is planned only as a stand-in: no "
                         "device can import its memory"));
      }
      return absl::OkStatus();
    }
    if (first_refusal.ok()) first_refusal = plan.status();
  }
  return first_refusal;
}

std::string ModeText(uint32_t mode) { return absl::StrFormat("%04o", mode); }

std::string Optional(const std::optional<uint64_t>& value) {
  return value.has_value() ? absl::StrCat(*value) : std::string("?");
}

}  // namespace

absl::Status RunHeapsHealth(absl::Span<const std::string> args,
                            std::ostream& out) {
  Flags flags;
  RETURN_IF_ERROR(flags.Parse(args,
                              {"dev-root", "sys-root", "proc-root", "profile"},
                              {"health", "json"}, 0));
  ASSIGN_OR_RETURN(Profile profile,
                   LoadProfileForCli(flags.Get("profile", "")));
  const inspect::SysHealth health =
      inspect::ReadSysHealth(RootsFromFlags(flags));
  std::vector<inspect::HeapNode> heaps = health.heaps;
  inspect::HeapNode memfd;
  memfd.identity = MemfdIdentity();
  memfd.path = "(memfd_create: no device node)";
  memfd.we_can_open = true;
  heaps.push_back(memfd);

  nlohmann::json json = {{"kernel_release", health.kernel_release},
                         {"profile", profile.name},
                         {"heaps", nlohmann::json::array()}};
  if (!flags.IsOn("json")) {
    out << "Heap health"
        << (health.kernel_release.empty()
                ? std::string()
                : absl::StrCat(" (kernel ", health.kernel_release, ")"))
        << ", participants under the " << profile.name << " profile:\n";
  }
  for (const inspect::HeapNode& node : heaps) {
    std::vector<std::string> serves;
    nlohmann::json refuses = nlohmann::json::object();
    std::vector<std::string> refusal_lines;
    for (int p = 0; p < kParticipantCount; ++p) {
      const Participant participant = static_cast<Participant>(p);
      if (!profile.at(participant).present) continue;
      const std::string name(ParticipantName(participant));
      absl::Status status = HeapServes(profile, node.identity, participant);
      if (status.ok()) {
        serves.push_back(name);
      } else {
        refuses[name] = std::string(status.message());
        refusal_lines.push_back(absl::StrCat(name, ": ", status.message()));
      }
    }
    const bool is_memfd = node.identity.heap_class == HeapClass::kMemfd;
    if (flags.IsOn("json")) {
      json["heaps"].push_back({
          {"name", node.identity.name},
          {"class", std::string(node.identity.class_name())},
          {"path", is_memfd ? "" : node.path},
          {"char_device", node.is_char_device},
          {"mode", is_memfd ? "" : ModeText(node.mode)},
          {"owner", node.owner},
          {"group", node.group},
          {"we_can_open", node.we_can_open},
          {"exporter", node.exporter},
          {"serves", serves},
          {"refuses", refuses},
      });
      continue;
    }
    out << absl::StrFormat("\n  %s (%s)\n", node.identity.name,
                           node.identity.class_name());
    if (is_memfd) {
      out << "    no device node; buffers are not dma-bufs (no exporter)\n";
    } else {
      out << absl::StrFormat(
          "    %s %s%s %s:%s; this user %s open it; exporter \"%s\"\n",
          node.path, node.is_char_device ? "" : "(not a device!) ",
          ModeText(node.mode), node.owner, node.group,
          node.we_can_open ? "can" : "CANNOT", node.exporter);
    }
    out << "    serves: "
        << (serves.empty() ? std::string("nobody") : absl::StrJoin(serves, " "))
        << "\n";
    for (const std::string& line : refusal_lines) {
      out << "    not " << line << "\n";
    }
  }

  nlohmann::json areas = nlohmann::json::array();
  for (const inspect::CmaArea& area : health.cma_areas) {
    areas.push_back(
        {{"name", area.name},
         {"alloc_pages_success", area.alloc_pages_success
                                     ? nlohmann::json(*area.alloc_pages_success)
                                     : nlohmann::json(nullptr)},
         {"alloc_pages_fail", area.alloc_pages_fail
                                  ? nlohmann::json(*area.alloc_pages_fail)
                                  : nlohmann::json(nullptr)},
         {"release_pages_success",
          area.release_pages_success
              ? nlohmann::json(*area.release_pages_success)
              : nlohmann::json(nullptr)},
         {"total_pages", area.total_pages ? nlohmann::json(*area.total_pages)
                                          : nlohmann::json(nullptr)},
         {"available_pages", area.available_pages
                                 ? nlohmann::json(*area.available_pages)
                                 : nlohmann::json(nullptr)}});
  }
  auto optional_json = [](const std::optional<uint64_t>& value) {
    return value.has_value() ? nlohmann::json(*value) : nlohmann::json(nullptr);
  };
  if (flags.IsOn("json")) {
    json["cma"] = {{"total_bytes", optional_json(health.cma_total_bytes)},
                   {"free_bytes", optional_json(health.cma_free_bytes)},
                   {"areas", areas}};
    json["udmabuf"] = {
        {"module_known", health.udmabuf_module_known},
        {"size_limit_mib", optional_json(health.udmabuf_size_limit_mib)},
        {"list_limit", optional_json(health.udmabuf_list_limit)}};
    json["iommu"] = {{"iommus", health.iommus},
                     {"groups", health.iommu_groups}};
    out << json.dump(2) << "\n";
    return absl::OkStatus();
  }
  out << "\nCMA: ";
  if (health.cma_total_bytes.has_value()) {
    out << SizeText(static_cast<double>(*health.cma_total_bytes)) << " total, "
        << SizeText(static_cast<double>(health.cma_free_bytes.value_or(0)))
        << " free (/proc/meminfo)\n";
  } else {
    out << "none (/proc/meminfo has no CmaTotal)\n";
  }
  for (const inspect::CmaArea& area : health.cma_areas) {
    out << absl::StrFormat(
        "  area %s: %s pages allocated, %s allocations failed, %s released",
        area.name, Optional(area.alloc_pages_success),
        Optional(area.alloc_pages_fail), Optional(area.release_pages_success));
    if (area.total_pages.has_value()) {
      out << ", " << Optional(area.available_pages) << " of "
          << *area.total_pages << " pages available";
    }
    out << "\n";
  }
  out << "udmabuf: ";
  if (health.udmabuf_module_known) {
    out << "buffers up to " << Optional(health.udmabuf_size_limit_mib)
        << " MiB, of at most " << Optional(health.udmabuf_list_limit)
        << " pieces\n";
  } else {
    out << "not in this kernel (/sys/module/udmabuf absent)\n";
  }
  out << "IOMMU: "
      << (health.iommus.empty() && health.iommu_groups == 0
              ? std::string("none")
              : absl::StrCat(absl::StrJoin(health.iommus, ", "), " (",
                             health.iommu_groups, " groups)"))
      << "\n";
  return absl::OkStatus();
}

absl::Status RunDoctor(absl::Span<const std::string> args, std::ostream& out) {
  Flags flags;
  RETURN_IF_ERROR(flags.Parse(
      args, {"dev-root", "sys-root", "proc-root", "socket"}, {"json"}, 0));
  inspect::DoctorInputs inputs;
  const inspect::HealthRoots roots = RootsFromFlags(flags);
  inputs.health = inspect::ReadSysHealth(roots);
  const inspect::SyncFileProbe probe =
      inspect::ProbeExportSyncFile(roots.dev_root);
  inputs.export_sync_file = probe.result;
  inputs.export_sync_file_from = probe.heap;

  inspect::SocketProbe& socket = inputs.socket;
  socket.path = flags.Get("socket", DefaultServiceSocketPath());
  struct stat st;
  if (stat(socket.path.c_str(), &st) == 0) {
    socket.exists = true;
    socket.mode = st.st_mode & 07777;
    const struct passwd* user = getpwuid(st.st_uid);
    const struct group* group = getgrgid(st.st_gid);
    socket.owner = user != nullptr ? user->pw_name : absl::StrCat(st.st_uid);
    socket.group = group != nullptr ? group->gr_name : absl::StrCat(st.st_gid);
  }
  ServiceClientOptions client_options;
  client_options.reconnect_backoff_ms = 0;
  client_options.reply_timeout_ms = 5000;
  absl::StatusOr<std::unique_ptr<ServiceClient>> client =
      ServiceClient::Connect(socket.path, client_options);
  socket.connect = client.status();
  if (client.ok()) socket.connect = (*client)->Stats().status();

  const std::vector<inspect::Check> checks = inspect::RunDoctorChecks(inputs);
  int counts[4] = {0, 0, 0, 0};
  nlohmann::json json = nlohmann::json::array();
  for (const inspect::Check& check : checks) {
    ++counts[static_cast<int>(check.verdict)];
    if (flags.IsOn("json")) {
      json.push_back(
          {{"check", check.id},
           {"verdict", std::string(inspect::VerdictName(check.verdict))},
           {"detail", check.detail},
           {"remedy", check.remedy}});
      continue;
    }
    out << absl::StrFormat("%-5s %-19s %s\n",
                           inspect::VerdictName(check.verdict), check.id,
                           check.detail);
    if (!check.remedy.empty()) {
      out << absl::StrFormat("      %-19s fix: %s\n", "", check.remedy);
    }
  }
  const int ok = counts[static_cast<int>(inspect::Verdict::kOk)];
  const int warn = counts[static_cast<int>(inspect::Verdict::kWarn)];
  const int fail = counts[static_cast<int>(inspect::Verdict::kFail)];
  const int skip = counts[static_cast<int>(inspect::Verdict::kSkip)];
  if (flags.IsOn("json")) {
    out << nlohmann::json({{"checks", json},
                           {"ok", ok},
                           {"warn", warn},
                           {"fail", fail},
                           {"skip", skip}})
               .dump(2)
        << "\n";
  } else {
    out << absl::StrFormat("%d ok, %d warnings, %d failed, %d skipped\n", ok,
                           warn, fail, skip);
  }
  if (fail > 0) {
    return absl::FailedPreconditionError(absl::StrCat(fail, " checks failed"));
  }
  return absl::OkStatus();
}

}  // namespace gralloc::cli
