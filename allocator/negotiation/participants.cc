// Copyright 2026 The gralloc for Linux Authors.

#include "allocator/negotiation/participants.h"

#include <array>

#include "hal/types/buffer_usage.h"

namespace gralloc {
namespace {

constexpr uint64_t Bit(BufferUsage usage) {
  return static_cast<uint64_t>(usage);
}

struct UsageParticipant {
  Participant participant;
  uint64_t mask;
};

// The rule, as data. CPU fields are handled apart (they are enums).
constexpr std::array<UsageParticipant, 7> kUsageParticipants = {{
    {Participant::kGpu,
     Bit(BufferUsage::GPU_TEXTURE) | Bit(BufferUsage::GPU_RENDER_TARGET) |
         Bit(BufferUsage::GPU_DATA_BUFFER) | Bit(BufferUsage::GPU_CUBE_MAP) |
         Bit(BufferUsage::GPU_MIPMAP_COMPLETE) |
         Bit(BufferUsage::RENDERSCRIPT)},
    {Participant::kDisplay, Bit(BufferUsage::COMPOSER_OVERLAY) |
                                Bit(BufferUsage::COMPOSER_CLIENT_TARGET) |
                                Bit(BufferUsage::COMPOSER_CURSOR) |
                                Bit(BufferUsage::FRONT_BUFFER)},
    {Participant::kCodec, Bit(BufferUsage::VIDEO_ENCODER) |
                              Bit(BufferUsage::VIDEO_DECODER) |
                              Bit(BufferUsage::HW_IMAGE_ENCODER)},
    {Participant::kCamera,
     Bit(BufferUsage::CAMERA_OUTPUT) | Bit(BufferUsage::CAMERA_INPUT)},
    {Participant::kSensor, Bit(BufferUsage::SENSOR_DIRECT_DATA)},
    {Participant::kProtected, Bit(BufferUsage::PROTECTED)},
    {Participant::kVendor,
     Bit(BufferUsage::VENDOR_MASK) | Bit(BufferUsage::VENDOR_MASK_HI)},
}};

constexpr uint64_t kCpuMask =
    Bit(BufferUsage::CPU_READ_MASK) | Bit(BufferUsage::CPU_WRITE_MASK);

}  // namespace

uint64_t ParticipantUsageMask(Participant participant) {
  for (const UsageParticipant& entry : kUsageParticipants) {
    if (entry.participant == participant) return entry.mask;
  }
  return 0;
}

bool CpuAccessIsFrequent(uint64_t usage) {
  return DecodeCpuRead(usage) == CpuAccess::kOften ||
         DecodeCpuWrite(usage) == CpuAccess::kOften;
}

std::vector<SelectedParticipant> SelectParticipants(uint64_t usage) {
  std::vector<SelectedParticipant> selected;
  if ((usage & kCpuMask) != 0) {
    selected.push_back(
        {Participant::kCpu, usage & kCpuMask, UsageToString(usage & kCpuMask)});
  }
  for (const UsageParticipant& entry : kUsageParticipants) {
    const uint64_t bits = usage & entry.mask;
    if (bits != 0) {
      selected.push_back({entry.participant, bits, UsageToString(bits)});
    }
  }
  return selected;
}

}  // namespace gralloc
