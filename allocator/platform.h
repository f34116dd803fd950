// Copyright 2026 The gralloc for Linux Authors.
//
// allocator/platform.h: what an allocator runs on — the platform profile
// (built-in or from a JSON file, then refined by probing the machine's DRM
// and V4L2 devices) and the heaps the machine has.
//
// Every entry point that builds an allocator (the C ABI's openInProcess,
// the service, gralloctl) goes through LoadPlatform(), so they agree.

#ifndef GRALLOC_ALLOCATOR_PLATFORM_H_
#define GRALLOC_ALLOCATOR_PLATFORM_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "allocator/heaps/heap_registry.h"
#include "allocator/negotiation/probe.h"
#include "allocator/negotiation/profile.h"

namespace gralloc {

struct PlatformOptions {
  // A JSON profile (allocator/profiles/ has examples); empty: the built-in
  // generic profile.
  std::string profile_path;
  // Refine the profile with what the DRM and V4L2 devices report.
  bool probe_devices = true;
  DeviceProbeOptions devices;
  ProbeOptions heaps;
};

struct Platform {
  Profile profile;
  HeapRegistry heaps;
  // What probing found or skipped, for logs and `gralloctl heaps`.
  std::vector<std::string> notes;
};

// Loads the profile (errors name the file and position), refines it, and
// probes the heaps. Probing never fails: missing devices become notes.
absl::StatusOr<Platform> LoadPlatform(const PlatformOptions& options);

}  // namespace gralloc

#endif  // GRALLOC_ALLOCATOR_PLATFORM_H_
