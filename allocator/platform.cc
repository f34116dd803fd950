// Copyright 2026 The gralloc for Linux Authors.

#include "allocator/platform.h"

#include <utility>

#include "allocator/negotiation/profile_json.h"
#include "hal/base/status_macros.h"

namespace gralloc {

absl::StatusOr<Platform> LoadPlatform(const PlatformOptions& options) {
  Profile profile;
  if (options.profile_path.empty()) {
    profile = BuiltinProfile();
  } else {
    ASSIGN_OR_RETURN(profile, LoadProfileFile(options.profile_path));
  }
  std::vector<std::string> notes;
  if (options.probe_devices) {
    RETURN_IF_ERROR(ProbeAndRefine(options.devices, &profile, &notes));
  }
  // A dma-buf heap holds protected memory only when the profile says so.
  ProbeOptions heap_options = options.heaps;
  for (const std::string& name : profile.protected_heaps) {
    heap_options.protected_heaps.push_back(name);
  }
  HeapRegistry heaps = HeapRegistry::Probe(heap_options);
  for (const std::string& note : heaps.probe_notes()) notes.push_back(note);
  return Platform{std::move(profile), std::move(heaps), std::move(notes)};
}

}  // namespace gralloc
