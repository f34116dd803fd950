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
  HeapRegistry heaps = HeapRegistry::Probe(options.heaps);
  for (const std::string& note : heaps.probe_notes()) notes.push_back(note);
  return Platform{std::move(profile), std::move(heaps), std::move(notes)};
}

}  // namespace gralloc
