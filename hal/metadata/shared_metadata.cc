// Copyright 2026 The gralloc for Linux Authors.

#include "hal/metadata/shared_metadata.h"

#include <sched.h>
#include <unistd.h>

#include <chrono>
#include <cstddef>
#include <cstring>
#include <memory>
#include <type_traits>

#include "absl/strings/str_cat.h"
#include "hal/base/page_size.h"
#include "hal/base/status_macros.h"

namespace gralloc {
namespace {

// The page, version 1. Every field is a fixed-width integer (floats are
// stored as their bit patterns through memcpy), every slot 8-byte aligned and
// a multiple of 8 bytes, so the seqlock can copy slots as 64-bit words.
struct BasicSlot {
  int32_t dataspace;
  int32_t blend_mode;
  int32_t crop[4];  // left, top, right, bottom
};
struct Smpte2086Slot {
  uint32_t present;
  float values[10];  // red xy, green xy, blue xy, white xy, max, min
  uint32_t padding;
};
struct Cta861_3Slot {
  uint32_t present;
  float values[2];
  uint32_t padding;
};
struct Smpte2094Slot {
  uint32_t present;
  uint32_t size_bytes;
  uint8_t bytes[kSmpte2094MaxBytes];
};

struct Page {
  // Constants.
  uint32_t magic;
  uint32_t version;
  uint64_t total_size;
  uint64_t header_size;  // sizeof(Page) for this version
  uint64_t reserved_offset;
  uint64_t reserved_size;
  uint32_t name_size;
  uint32_t heap_name_size;
  char name[kSharedMetadataMaxNameBytes + 1];
  char heap_name[kSharedMetadataMaxHeapNameBytes + 1];
  // The seqlock: odd while a writer is storing.
  uint64_t sequence;
  // Mutable values.
  BasicSlot basic;
  Smpte2086Slot smpte2086;
  Cta861_3Slot cta861_3;
  Smpte2094Slot smpte2094_40;
  Smpte2094Slot smpte2094_10;
};

static_assert(std::is_standard_layout_v<Page>);
static_assert(std::is_trivially_copyable_v<Page>);
static_assert(sizeof(BasicSlot) % 8 == 0);
static_assert(sizeof(Smpte2086Slot) % 8 == 0);
static_assert(sizeof(Cta861_3Slot) % 8 == 0);
static_assert(sizeof(Smpte2094Slot) % 8 == 0);
static_assert(offsetof(Page, sequence) % 8 == 0);
static_assert(offsetof(Page, basic) % 8 == 0);
static_assert(offsetof(Page, smpte2086) % 8 == 0);
static_assert(offsetof(Page, cta861_3) % 8 == 0);
static_assert(offsetof(Page, smpte2094_40) % 8 == 0);
static_assert(offsetof(Page, smpte2094_10) % 8 == 0);

// The reserved region starts here (a constant of version 1).
constexpr size_t kReservedOffset =
    (sizeof(Page) + kReservedRegionAlignment - 1) / kReservedRegionAlignment *
    kReservedRegionAlignment;

absl::Status Corrupt(absl::string_view what) {
  return absl::DataLossError(absl::StrCat("shared metadata: ", what));
}

template <typename T>
T LoadOnce(const T* field) {
  return __atomic_load_n(field, __ATOMIC_RELAXED);
}

// Waits a little for a concurrent writer; false once `deadline` has passed.
class Backoff {
 public:
  Backoff()
      : deadline_(std::chrono::steady_clock::now() +
                  std::chrono::milliseconds(kSeqlockTimeoutMs)) {}
  bool Wait() {
    if ((++spins_ & 63) == 0 && std::chrono::steady_clock::now() > deadline_) {
      return false;
    }
    sched_yield();
    return true;
  }

 private:
  std::chrono::steady_clock::time_point deadline_;
  uint32_t spins_ = 0;
};

absl::Status Busy() {
  return absl::UnavailableError(
      "shared metadata: a writer held the sequence too long");
}

}  // namespace

size_t SharedMetadataSize(uint64_t reserved_size) {
  uint64_t end = 0;
  if (__builtin_add_overflow(static_cast<uint64_t>(kReservedOffset),
                             reserved_size, &end) ||
      !RoundUpToPage(end, &end) || end > SIZE_MAX) {
    return 0;
  }
  return static_cast<size_t>(end);
}

absl::Status InitSharedMetadata(void* mapping, size_t size,
                                const SharedMetadataInit& init) {
  if (mapping == nullptr ||
      reinterpret_cast<uintptr_t>(mapping) % kReservedRegionAlignment != 0) {
    return absl::InvalidArgumentError(
        "shared metadata: mapping is null or misaligned");
  }
  const size_t needed = SharedMetadataSize(init.reserved_size);
  if (needed == 0 || size < needed) {
    return absl::InvalidArgumentError(
        absl::StrCat("shared metadata: ", size, " bytes cannot hold ",
                     init.reserved_size, " reserved bytes"));
  }
  if (init.name.size() > kSharedMetadataMaxNameBytes ||
      init.heap_name.size() > kSharedMetadataMaxHeapNameBytes) {
    return absl::InvalidArgumentError(absl::StrCat(
        "shared metadata: name (", init.name.size(), " bytes) or heap name (",
        init.heap_name.size(), " bytes) too long"));
  }
  std::memset(mapping, 0, needed);
  Page* page = static_cast<Page*>(mapping);
  page->magic = kSharedMetadataMagic;
  page->version = kSharedMetadataVersion;
  page->total_size = needed;
  page->header_size = sizeof(Page);
  page->reserved_offset = kReservedOffset;
  page->reserved_size = init.reserved_size;
  page->name_size = static_cast<uint32_t>(init.name.size());
  std::memcpy(page->name, init.name.data(), init.name.size());
  page->heap_name_size = static_cast<uint32_t>(init.heap_name.size());
  std::memcpy(page->heap_name, init.heap_name.data(), init.heap_name.size());
  page->basic.dataspace = static_cast<int32_t>(init.dataspace);
  page->basic.blend_mode = static_cast<int32_t>(BlendMode::INVALID);
  page->basic.crop[0] = init.crop.left;
  page->basic.crop[1] = init.crop.top;
  page->basic.crop[2] = init.crop.right;
  page->basic.crop[3] = init.crop.bottom;
  // Publish to other threads of this process (other processes see it through
  // the fd handoff, which is a full barrier).
  __atomic_store_n(&page->sequence, 0, __ATOMIC_RELEASE);
  return absl::OkStatus();
}

absl::StatusOr<SharedMetadata> SharedMetadata::Attach(void* mapping,
                                                      size_t mapping_size) {
  if (mapping == nullptr || reinterpret_cast<uintptr_t>(mapping) % 8 != 0) {
    return absl::InvalidArgumentError(
        "shared metadata: mapping is null or misaligned");
  }
  if (mapping_size < sizeof(Page)) {
    return Corrupt(absl::StrCat("mapping of ", mapping_size,
                                " bytes is smaller than the header"));
  }
  const Page* page = static_cast<const Page*>(mapping);
  // Each field is read once into a local and only the local is trusted: a
  // peer may rewrite the page at any time.
  const uint32_t magic = LoadOnce(&page->magic);
  const uint32_t version = LoadOnce(&page->version);
  if (magic != kSharedMetadataMagic) {
    return Corrupt(absl::StrCat("bad magic 0x", absl::Hex(magic)));
  }
  if (version != kSharedMetadataVersion) {
    return Corrupt(absl::StrCat("unknown version ", version));
  }
  const uint64_t header_size = LoadOnce(&page->header_size);
  const uint64_t total_size = LoadOnce(&page->total_size);
  const uint64_t reserved_offset = LoadOnce(&page->reserved_offset);
  const uint64_t reserved_size = LoadOnce(&page->reserved_size);
  const uint32_t name_size = LoadOnce(&page->name_size);
  const uint32_t heap_name_size = LoadOnce(&page->heap_name_size);
  if (header_size != sizeof(Page)) {
    return Corrupt(absl::StrCat("header size ", header_size));
  }
  if (total_size < header_size || total_size > mapping_size) {
    return Corrupt(absl::StrCat("total size ", total_size, " outside ",
                                header_size, "..", mapping_size));
  }
  uint64_t reserved_end = 0;
  if (reserved_offset < header_size ||
      reserved_offset % kReservedRegionAlignment != 0 ||
      __builtin_add_overflow(reserved_offset, reserved_size, &reserved_end) ||
      reserved_end > total_size) {
    return Corrupt(absl::StrCat("reserved region (offset ", reserved_offset,
                                ", size ", reserved_size,
                                ") outside the buffer of ", total_size));
  }
  if (name_size > kSharedMetadataMaxNameBytes ||
      heap_name_size > kSharedMetadataMaxHeapNameBytes) {
    return Corrupt("string length out of range");
  }
  SharedMetadata view;
  view.base_ = static_cast<unsigned char*>(mapping);
  view.reserved_ = view.base_ + reserved_offset;
  view.reserved_size_ = reserved_size;
  // Copied byte by byte with single loads: the page is shared.
  view.name_.resize(name_size);
  for (uint32_t i = 0; i < name_size; ++i) {
    view.name_[i] = LoadOnce(&page->name[i]);
  }
  view.heap_name_.resize(heap_name_size);
  for (uint32_t i = 0; i < heap_name_size; ++i) {
    view.heap_name_[i] = LoadOnce(&page->heap_name[i]);
  }
  return view;
}

absl::Status SharedMetadata::Read(size_t offset, void* out, size_t size) const {
  uint64_t* sequence = &reinterpret_cast<Page*>(base_)->sequence;
  const uint64_t* words = reinterpret_cast<const uint64_t*>(base_ + offset);
  uint64_t* dest = static_cast<uint64_t*>(out);
  const size_t count = size / 8;
  Backoff backoff;
  for (;;) {
    const uint64_t before = __atomic_load_n(sequence, __ATOMIC_ACQUIRE);
    if ((before & 1) == 0) {
      // Acquire loads keep the second sequence read after the copy.
      for (size_t i = 0; i < count; ++i) {
        dest[i] = __atomic_load_n(&words[i], __ATOMIC_ACQUIRE);
      }
      if (__atomic_load_n(sequence, __ATOMIC_ACQUIRE) == before) {
        return absl::OkStatus();
      }
    }
    if (!backoff.Wait()) return Busy();
  }
}

template <typename Slot, typename Fn>
absl::Status SharedMetadata::Update(size_t offset, Fn apply) const {
  static_assert(sizeof(Slot) % 8 == 0);
  uint64_t* sequence = &reinterpret_cast<Page*>(base_)->sequence;
  uint64_t* words = reinterpret_cast<uint64_t*>(base_ + offset);
  constexpr size_t kCount = sizeof(Slot) / 8;
  Backoff backoff;
  uint64_t current = __atomic_load_n(sequence, __ATOMIC_RELAXED);
  for (;;) {
    if ((current & 1) == 0 &&
        __atomic_compare_exchange_n(sequence, &current, current + 1,
                                    /*weak=*/false, __ATOMIC_ACQUIRE,
                                    __ATOMIC_RELAXED)) {
      break;
    }
    if (!backoff.Wait()) return Busy();
    current = __atomic_load_n(sequence, __ATOMIC_RELAXED);
  }
  // This writer owns the slot now: read, modify, store. The read-modify-write
  // under the sequence keeps concurrent setters of neighbouring fields (say
  // DATASPACE and BLEND_MODE) from losing each other's update.
  Slot slot;
  uint64_t* slot_words = reinterpret_cast<uint64_t*>(&slot);
  for (size_t i = 0; i < kCount; ++i) {
    slot_words[i] = __atomic_load_n(&words[i], __ATOMIC_RELAXED);
  }
  apply(slot);
  // Release stores keep the odd sequence visible before any data.
  for (size_t i = 0; i < kCount; ++i) {
    __atomic_store_n(&words[i], slot_words[i], __ATOMIC_RELEASE);
  }
  __atomic_store_n(sequence, current + 2, __ATOMIC_RELEASE);
  return absl::OkStatus();
}

#define GRALLOC_READ_SLOT_(slot_type, field, var)             \
  slot_type var;                                              \
  {                                                           \
    absl::Status read_status =                                \
        Read(offsetof(Page, field), &var, sizeof(slot_type)); \
    if (!read_status.ok()) return read_status;                \
  }

absl::StatusOr<Dataspace> SharedMetadata::GetDataspace() const {
  GRALLOC_READ_SLOT_(BasicSlot, basic, slot);
  return static_cast<Dataspace>(slot.dataspace);
}

absl::Status SharedMetadata::SetDataspace(Dataspace dataspace) const {
  return Update<BasicSlot>(offsetof(Page, basic), [&](BasicSlot& slot) {
    slot.dataspace = static_cast<int32_t>(dataspace);
  });
}

absl::StatusOr<BlendMode> SharedMetadata::GetBlendMode() const {
  GRALLOC_READ_SLOT_(BasicSlot, basic, slot);
  return static_cast<BlendMode>(slot.blend_mode);
}

absl::Status SharedMetadata::SetBlendMode(BlendMode blend_mode) const {
  return Update<BasicSlot>(offsetof(Page, basic), [&](BasicSlot& slot) {
    slot.blend_mode = static_cast<int32_t>(blend_mode);
  });
}

absl::StatusOr<Rect> SharedMetadata::GetCrop() const {
  GRALLOC_READ_SLOT_(BasicSlot, basic, slot);
  return Rect{slot.crop[0], slot.crop[1], slot.crop[2], slot.crop[3]};
}

absl::Status SharedMetadata::SetCrop(const Rect& crop) const {
  return Update<BasicSlot>(offsetof(Page, basic), [&](BasicSlot& slot) {
    slot.crop[0] = crop.left;
    slot.crop[1] = crop.top;
    slot.crop[2] = crop.right;
    slot.crop[3] = crop.bottom;
  });
}

absl::StatusOr<std::optional<Smpte2086>> SharedMetadata::GetSmpte2086() const {
  GRALLOC_READ_SLOT_(Smpte2086Slot, smpte2086, slot);
  if (slot.present == 0) return std::optional<Smpte2086>();
  const float* v = slot.values;
  Smpte2086 value;
  value.primary_red = {v[0], v[1]};
  value.primary_green = {v[2], v[3]};
  value.primary_blue = {v[4], v[5]};
  value.white_point = {v[6], v[7]};
  value.max_luminance = v[8];
  value.min_luminance = v[9];
  return std::optional<Smpte2086>(value);
}

absl::Status SharedMetadata::SetSmpte2086(
    const std::optional<Smpte2086>& value) const {
  return Update<Smpte2086Slot>(
      offsetof(Page, smpte2086), [&](Smpte2086Slot& slot) {
        slot = Smpte2086Slot{};
        if (!value.has_value()) return;
        slot.present = 1;
        const float v[10] = {value->primary_red.x,   value->primary_red.y,
                             value->primary_green.x, value->primary_green.y,
                             value->primary_blue.x,  value->primary_blue.y,
                             value->white_point.x,   value->white_point.y,
                             value->max_luminance,   value->min_luminance};
        std::memcpy(slot.values, v, sizeof(v));
      });
}

absl::StatusOr<std::optional<Cta861_3>> SharedMetadata::GetCta861_3() const {
  GRALLOC_READ_SLOT_(Cta861_3Slot, cta861_3, slot);
  if (slot.present == 0) return std::optional<Cta861_3>();
  return std::optional<Cta861_3>(Cta861_3{slot.values[0], slot.values[1]});
}

absl::Status SharedMetadata::SetCta861_3(
    const std::optional<Cta861_3>& value) const {
  return Update<Cta861_3Slot>(
      offsetof(Page, cta861_3), [&](Cta861_3Slot& slot) {
        slot = Cta861_3Slot{};
        if (!value.has_value()) return;
        slot.present = 1;
        slot.values[0] = value->max_content_light_level;
        slot.values[1] = value->max_frame_average_light_level;
      });
}

absl::StatusOr<std::optional<std::vector<uint8_t>>>
SharedMetadata::GetSmpte2094(size_t offset) const {
  // 4 KiB on the stack would be fine too; the heap keeps frames small.
  auto slot = std::make_unique<Smpte2094Slot>();
  RETURN_IF_ERROR(Read(offset, slot.get(), sizeof(Smpte2094Slot)));
  if (slot->present == 0) return std::optional<std::vector<uint8_t>>();
  if (slot->size_bytes > kSmpte2094MaxBytes) {
    return Corrupt(absl::StrCat("SMPTE2094 length ", slot->size_bytes));
  }
  return std::optional<std::vector<uint8_t>>(
      std::vector<uint8_t>(slot->bytes, slot->bytes + slot->size_bytes));
}

absl::Status SharedMetadata::SetSmpte2094(
    size_t offset, const std::optional<std::vector<uint8_t>>& value) const {
  if (value.has_value() && value->size() > kSmpte2094MaxBytes) {
    return absl::UnimplementedError(
        absl::StrCat("shared metadata: SMPTE2094 payload of ", value->size(),
                     " bytes exceeds the ", kSmpte2094MaxBytes, "-byte cap"));
  }
  return Update<Smpte2094Slot>(offset, [&](Smpte2094Slot& slot) {
    slot.present = value.has_value() ? 1 : 0;
    slot.size_bytes =
        value.has_value() ? static_cast<uint32_t>(value->size()) : 0;
    std::memset(slot.bytes, 0, sizeof(slot.bytes));
    if (value.has_value() && !value->empty()) {
      std::memcpy(slot.bytes, value->data(), value->size());
    }
  });
}

absl::StatusOr<std::optional<std::vector<uint8_t>>>
SharedMetadata::GetSmpte2094_40() const {
  return GetSmpte2094(offsetof(Page, smpte2094_40));
}

absl::Status SharedMetadata::SetSmpte2094_40(
    const std::optional<std::vector<uint8_t>>& value) const {
  return SetSmpte2094(offsetof(Page, smpte2094_40), value);
}

absl::StatusOr<std::optional<std::vector<uint8_t>>>
SharedMetadata::GetSmpte2094_10() const {
  return GetSmpte2094(offsetof(Page, smpte2094_10));
}

absl::Status SharedMetadata::SetSmpte2094_10(
    const std::optional<std::vector<uint8_t>>& value) const {
  return SetSmpte2094(offsetof(Page, smpte2094_10), value);
}

#undef GRALLOC_READ_SLOT_

}  // namespace gralloc
