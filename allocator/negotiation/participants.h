// Copyright 2026 The gralloc for Linux Authors.
//
// allocator/negotiation/participants.h: which usage bits name which
// participant.
//
// The table (kUsageParticipants in participants.cc) is the whole rule: a
// participant is selected when any of its bits is set. The CPU is selected
// by a non-NEVER read or write field; its frequency is kept, because CPU
// access that is OFTEN prefers cached memory.

#ifndef GRALLOC_ALLOCATOR_NEGOTIATION_PARTICIPANTS_H_
#define GRALLOC_ALLOCATOR_NEGOTIATION_PARTICIPANTS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "allocator/negotiation/profile.h"
#include "hal/usage/usage.h"

namespace gralloc {

struct SelectedParticipant {
  Participant participant;
  uint64_t usage_bits;  // the bits of the usage that selected it
  std::string reason;   // "CAMERA_OUTPUT" / "CPU_READ_OFTEN|CPU_WRITE_RARELY"
};

// The participants `usage` names, in Participant order. `usage` must have
// passed ValidateUsage().
std::vector<SelectedParticipant> SelectParticipants(uint64_t usage);

// The usage bits that select `participant` (0 for the CPU, whose fields are
// not flags).
uint64_t ParticipantUsageMask(Participant participant);

// Whether the CPU reads or writes OFTEN.
bool CpuAccessIsFrequent(uint64_t usage);

}  // namespace gralloc

#endif  // GRALLOC_ALLOCATOR_NEGOTIATION_PARTICIPANTS_H_
