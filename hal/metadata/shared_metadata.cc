// Copyright 2026 The gralloc for Linux Authors.

#include "hal/metadata/shared_metadata.h"

#include <errno.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstring>
#include <memory>
#include <optional>
#include <type_traits>

#include "absl/strings/str_cat.h"
#include "hal/base/page_size.h"
#include "hal/base/status_macros.h"

namespace gralloc {
namespace {

// The page, version 3. Every field is a fixed-width integer (floats are
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

// One complete copy of the mutable values.
struct Values {
  BasicSlot basic;
  Smpte2086Slot smpte2086;
  Cta861_3Slot cta861_3;
  Smpte2094Slot smpte2094_40;
  Smpte2094Slot smpte2094_10;
};

struct Page {
  // Constants. `identity` is the magic (low 32 bits) and the version (high
  // 32 bits) once the header is written; 0 while a blank buffer waits for
  // its first importer, and kInitialisingMagic | pid << 32 while that
  // importer writes it.
  uint64_t identity;
  uint64_t total_size;
  uint64_t header_size;  // sizeof(Page) for this version
  uint64_t reserved_offset;
  uint64_t reserved_size;
  uint32_t name_size;
  uint32_t heap_name_size;
  char name[kSharedMetadataMaxNameBytes + 1];
  char heap_name[kSharedMetadataMaxHeapNameBytes + 1];
  // The seqlock (see the header): the low 32 bits count writes, odd while a
  // writer holds it; the high 32 bits are that writer's pid, 0 when even.
  // copies[(count >> 1) & 1] holds the published values.
  uint64_t sequence;
  // The pid namespace (inode of /proc/self/ns/pid) of the writer holding the
  // sequence, 0 when no writer holds it or the writer could not tell.
  uint64_t writer_pid_namespace;
  Values copies[2];
};

static_assert(std::is_standard_layout_v<Page>);
static_assert(std::is_trivially_copyable_v<Page>);
static_assert(sizeof(BasicSlot) % 8 == 0);
static_assert(sizeof(Smpte2086Slot) % 8 == 0);
static_assert(sizeof(Cta861_3Slot) % 8 == 0);
static_assert(sizeof(Smpte2094Slot) % 8 == 0);
static_assert(sizeof(Values) % 8 == 0);
static_assert(offsetof(Page, sequence) % 8 == 0);
static_assert(offsetof(Page, writer_pid_namespace) % 8 == 0);
static_assert(offsetof(Page, copies) % 8 == 0);
static_assert(offsetof(Values, basic) % 8 == 0);
static_assert(offsetof(Values, smpte2086) % 8 == 0);
static_assert(offsetof(Values, cta861_3) % 8 == 0);
static_assert(offsetof(Values, smpte2094_40) % 8 == 0);
static_assert(offsetof(Values, smpte2094_10) % 8 == 0);

constexpr uint64_t kIdentity =
    kSharedMetadataMagic | uint64_t{kSharedMetadataVersion} << 32;
constexpr uint32_t kInitialisingMagic = 0x4752494e;  // 'GRIN'
constexpr bool Initialising(uint64_t identity) {
  return static_cast<uint32_t>(identity) == kInitialisingMagic;
}

// The reserved region starts here (a constant of each version).
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

// How many yields a writer waits on the same holder before it asks whether
// that holder is still alive.
constexpr uint32_t kRoundsBeforeLivenessCheck = 16;

absl::Status Busy() {
  return absl::UnavailableError(
      "shared metadata: a live writer held the sequence too long");
}

constexpr uint32_t Count(uint64_t sequence) {
  return static_cast<uint32_t>(sequence);
}
constexpr pid_t Holder(uint64_t sequence) {
  return static_cast<pid_t>(sequence >> 32);
}
// The copy published at `count`, and still published while a writer that
// took the sequence at `count` (odd) writes the other one.
constexpr size_t PublishedCopy(uint32_t count) { return (count >> 1) & 1; }

// The inode of this process's pid namespace, 0 if /proc cannot say. A
// process never changes pid namespace, so it is cached per pid (a forked
// child, which may be in a new namespace, looks again).
uint64_t OwnPidNamespace(pid_t pid) {
  static std::atomic<pid_t> cached_pid{0};
  static std::atomic<uint64_t> cached_namespace{0};
  if (cached_pid.load(std::memory_order_acquire) == pid) {
    return cached_namespace.load(std::memory_order_relaxed);
  }
  struct stat st {};
  const uint64_t inode = stat("/proc/self/ns/pid", &st) == 0
                             ? static_cast<uint64_t>(st.st_ino)
                             : 0;
  cached_namespace.store(inode, std::memory_order_relaxed);
  cached_pid.store(pid, std::memory_order_release);
  return inode;
}

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434  // the same number on every architecture
#endif

// Whether process `pid` (of this pid namespace) has exited. A zombie has:
// its pidfd polls readable. False whenever it cannot be told (pidfds
// refused, out of fds): a live writer must never be taken for a dead one.
bool HasExited(pid_t pid) {
  const int fd = static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
  if (fd >= 0) {
    pollfd pfd{fd, POLLIN, 0};
    const int ready = poll(&pfd, 1, 0);
    close(fd);
    return ready == 1;
  }
  if (errno == ESRCH) return true;
  if (errno == ENOSYS) return kill(pid, 0) != 0 && errno == ESRCH;
  return false;
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

namespace {

// What InitSharedMetadata() and SharedMetadataPrefix() refuse.
absl::Status CheckInit(size_t size, const SharedMetadataInit& init) {
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
  return absl::OkStatus();
}

template <typename T>
void StoreOnce(T* field, T value) {
  __atomic_store_n(field, value, __ATOMIC_RELAXED);
}

// Everything a new page holds that is not zero, but its identity; all of
// it lies before kPrefixBytes. Single stores: the first importer writes
// into a page other processes map (they read it only after the identity).
void FillPage(Page* page, const SharedMetadataInit& init) {
  StoreOnce(&page->total_size,
            uint64_t{SharedMetadataSize(init.reserved_size)});
  StoreOnce(&page->header_size, uint64_t{sizeof(Page)});
  StoreOnce(&page->reserved_offset, uint64_t{kReservedOffset});
  StoreOnce(&page->reserved_size, init.reserved_size);
  StoreOnce(&page->name_size, static_cast<uint32_t>(init.name.size()));
  for (size_t i = 0; i < init.name.size(); ++i) {
    StoreOnce(&page->name[i], init.name[i]);
  }
  StoreOnce(&page->heap_name_size,
            static_cast<uint32_t>(init.heap_name.size()));
  for (size_t i = 0; i < init.heap_name.size(); ++i) {
    StoreOnce(&page->heap_name[i], init.heap_name[i]);
  }
  // Sequence 0 publishes copies[0].
  BasicSlot& basic = page->copies[0].basic;
  StoreOnce(&basic.dataspace, static_cast<int32_t>(init.dataspace));
  StoreOnce(&basic.blend_mode, static_cast<int32_t>(BlendMode::INVALID));
  StoreOnce(&basic.crop[0], init.crop.left);
  StoreOnce(&basic.crop[1], init.crop.top);
  StoreOnce(&basic.crop[2], init.crop.right);
  StoreOnce(&basic.crop[3], init.crop.bottom);
}

// Writes the header of a blank page (identity 0) as its first importer, or
// waits while another process does. One importer wins the identity word
// with a compare-and-swap (kInitialisingMagic and its pid), writes the
// constants and the default values and publishes the identity; the others
// wait for it. An importer that died in the middle is recognised as a
// dead writer of the seqlock is (same pid namespace, exited) and its claim
// taken over; one that cannot be judged is waited for kSeqlockTimeoutMs,
// then Unavailable. `blank_init` is called only if this importer writes.
absl::Status InitialiseBlank(Page* page, size_t mapping_size,
                             const SharedMetadata::BlankInit& blank_init) {
  const pid_t self = getpid();
  const uint64_t mine =
      kInitialisingMagic | uint64_t{static_cast<uint32_t>(self)} << 32;
  std::optional<SharedMetadataInit> init;
  Backoff backoff;
  uint32_t rounds = 0;
  uint64_t current = __atomic_load_n(&page->identity, __ATOMIC_ACQUIRE);
  for (;;) {
    bool claimable = current == 0;
    if (!claimable && !Initialising(current)) return absl::OkStatus();
    if (!claimable && (++rounds % kRoundsBeforeLivenessCheck) == 0) {
      const auto holder = static_cast<pid_t>(current >> 32);
      const uint64_t pid_namespace =
          __atomic_load_n(&page->writer_pid_namespace, __ATOMIC_ACQUIRE);
      claimable = holder != self && pid_namespace != 0 &&
                  pid_namespace == OwnPidNamespace(self) && HasExited(holder);
    }
    if (claimable) {
      if (!init.has_value()) {
        // Before the claim, so that a buffer whose constants cannot be
        // read stays blank for an importer that can.
        if (!blank_init) {
          return Corrupt(
              "the header is not written and nothing says what "
              "it holds");
        }
        ASSIGN_OR_RETURN(init, blank_init());
        // What the allocator's init would refuse, but here the values come
        // from another process: DataLoss, as for a lying header.
        if (absl::Status fits = CheckInit(mapping_size, *init); !fits.ok()) {
          return Corrupt(absl::StrCat("blank buffer: ", fits.message()));
        }
      }
      if (__atomic_compare_exchange_n(&page->identity, &current, mine,
                                      /*weak=*/false, __ATOMIC_ACQ_REL,
                                      __ATOMIC_ACQUIRE)) {
        __atomic_store_n(&page->writer_pid_namespace, OwnPidNamespace(self),
                         __ATOMIC_RELEASE);
        FillPage(page, *init);
        __atomic_store_n(&page->writer_pid_namespace, 0, __ATOMIC_RELAXED);
        // Release: whoever reads the identity reads the constants too.
        uint64_t claimed = mine;
        __atomic_compare_exchange_n(&page->identity, &claimed, kIdentity,
                                    /*weak=*/false, __ATOMIC_RELEASE,
                                    __ATOMIC_RELAXED);
        return absl::OkStatus();
      }
      continue;  // `current` is the new value
    }
    if (!backoff.Wait()) {
      return absl::UnavailableError(
          "shared metadata: another importer is writing the header and did "
          "not finish in time");
    }
    current = __atomic_load_n(&page->identity, __ATOMIC_ACQUIRE);
  }
}

constexpr size_t kPrefixBytes =
    offsetof(Page, copies) + offsetof(Values, basic) + sizeof(BasicSlot);

}  // namespace

absl::Status InitSharedMetadata(void* mapping, size_t size,
                                const SharedMetadataInit& init) {
  if (mapping == nullptr ||
      reinterpret_cast<uintptr_t>(mapping) % kReservedRegionAlignment != 0) {
    return absl::InvalidArgumentError(
        "shared metadata: mapping is null or misaligned");
  }
  RETURN_IF_ERROR(CheckInit(size, init));
  std::memset(mapping, 0, SharedMetadataSize(init.reserved_size));
  Page* page = static_cast<Page*>(mapping);
  FillPage(page, init);
  page->identity = kIdentity;
  // Publish to other threads of this process (other processes see it through
  // the fd handoff, which is a full barrier).
  __atomic_store_n(&page->sequence, 0, __ATOMIC_RELEASE);
  return absl::OkStatus();
}

absl::StatusOr<std::vector<uint8_t>> SharedMetadataPrefix(
    size_t size, const SharedMetadataInit& init) {
  RETURN_IF_ERROR(CheckInit(size, init));
  auto page = std::make_unique<Page>();  // zeroed
  FillPage(page.get(), init);
  page->identity = kIdentity;
  const auto* bytes = reinterpret_cast<const uint8_t*>(page.get());
  return std::vector<uint8_t>(bytes, bytes + kPrefixBytes);
}

absl::StatusOr<SharedMetadata> SharedMetadata::Attach(
    void* mapping, size_t mapping_size, const BlankInit& blank_init) {
  if (mapping == nullptr || reinterpret_cast<uintptr_t>(mapping) % 8 != 0) {
    return absl::InvalidArgumentError(
        "shared metadata: mapping is null or misaligned");
  }
  if (mapping_size < sizeof(Page)) {
    return Corrupt(absl::StrCat("mapping of ", mapping_size,
                                " bytes is smaller than the header"));
  }
  Page* page = static_cast<Page*>(mapping);
  const uint64_t identity = __atomic_load_n(&page->identity, __ATOMIC_ACQUIRE);
  if (identity == 0 || Initialising(identity)) {
    RETURN_IF_ERROR(InitialiseBlank(page, mapping_size, blank_init));
  }
  // Each field is read once into a local and only the local is trusted: a
  // peer may rewrite the page at any time. Acquire: the constants were
  // written before the identity.
  const uint64_t written = __atomic_load_n(&page->identity, __ATOMIC_ACQUIRE);
  const auto magic = static_cast<uint32_t>(written);
  const auto version = static_cast<uint32_t>(written >> 32);
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
  view.counters_ = std::make_shared<Counters>();
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

struct SharedMetadata::Counters {
  std::atomic<uint64_t> dead_writers_recovered{0};
  std::atomic<uint64_t> timeouts{0};
};

SeqlockStats SharedMetadata::seqlock_stats() const {
  SeqlockStats stats;
  stats.dead_writers_recovered =
      counters_->dead_writers_recovered.load(std::memory_order_relaxed);
  stats.timeouts = counters_->timeouts.load(std::memory_order_relaxed);
  return stats;
}

absl::Status SharedMetadata::TimedOut() const {
  counters_->timeouts.fetch_add(1, std::memory_order_relaxed);
  return Busy();
}

absl::Status SharedMetadata::Read(size_t offset, void* out, size_t size) const {
  Page* page = reinterpret_cast<Page*>(base_);
  uint64_t* dest = static_cast<uint64_t*>(out);
  const size_t count = size / 8;
  Backoff backoff;
  for (;;) {
    // The published copy stays untouched while the writer holding the
    // sequence (live or dead) writes the other one, so an odd sequence is
    // no reason to wait. The copy is overwritten only by the writer after
    // next, which takes the sequence at least 3 past `before`'s even base.
    const uint32_t before =
        Count(__atomic_load_n(&page->sequence, __ATOMIC_ACQUIRE));
    const uint64_t* words = reinterpret_cast<const uint64_t*>(
        reinterpret_cast<const unsigned char*>(
            &page->copies[PublishedCopy(before)]) +
        offset);
    // Acquire loads keep the second sequence read after the copy.
    for (size_t i = 0; i < count; ++i) {
      dest[i] = __atomic_load_n(&words[i], __ATOMIC_ACQUIRE);
    }
    const uint32_t after =
        Count(__atomic_load_n(&page->sequence, __ATOMIC_ACQUIRE));
    if (static_cast<uint32_t>(after - (before & ~1u)) <= 2) {
      return absl::OkStatus();
    }
    if (!backoff.Wait()) return TimedOut();
  }
}

bool SharedMetadata::RecoverDeadWriter(uint64_t observed) const {
  Page* page = reinterpret_cast<Page*>(base_);
  const pid_t holder = Holder(observed);
  if (holder <= 0) return false;
  const pid_t self = getpid();
  if (holder == self) return false;  // another thread of this process
  // A pid means something only in the writer's own pid namespace: a writer
  // from a container sharing the buffer is never judged from outside it.
  const uint64_t pid_namespace =
      __atomic_load_n(&page->writer_pid_namespace, __ATOMIC_ACQUIRE);
  if (pid_namespace == 0 || pid_namespace != OwnPidNamespace(self)) {
    return false;
  }
  if (!HasExited(holder)) return false;
  // Forget the namespace before freeing the sequence, so that no waiter
  // can pair it with the next writer's pid. (A waiter that read it for
  // `observed` can only act through a compare-and-swap on `observed`.)
  __atomic_store_n(&page->writer_pid_namespace, 0, __ATOMIC_RELEASE);
  // From count 2k+1 to 2k+4: even, publishing the same copy as 2k (the one
  // the dead writer did not touch), and never a value seen before, so a
  // reader that started before the crash cannot mistake the repair for
  // "nothing happened".
  uint64_t expected = observed;
  if (__atomic_compare_exchange_n(&page->sequence, &expected,
                                  static_cast<uint64_t>(Count(observed) + 3),
                                  /*weak=*/false, __ATOMIC_ACQ_REL,
                                  __ATOMIC_RELAXED)) {
    counters_->dead_writers_recovered.fetch_add(1, std::memory_order_relaxed);
  }
  return true;
}

absl::StatusOr<uint64_t> SharedMetadata::LockWriter() const {
  Page* page = reinterpret_cast<Page*>(base_);
  const pid_t self = getpid();
  const uint64_t mine = static_cast<uint64_t>(static_cast<uint32_t>(self))
                        << 32;
  Backoff backoff;
  // The odd value last waited on, and for how many rounds: a writer is
  // checked for life only when it has held the sequence for a while, so a
  // writer in its one-memcpy window costs its waiters no syscalls.
  uint64_t waited_on = 0;
  uint32_t rounds = 0;
  // Acquire loads: a holder judged by RecoverDeadWriter() must be paired
  // with a namespace written no earlier than its own hold.
  uint64_t current = __atomic_load_n(&page->sequence, __ATOMIC_ACQUIRE);
  for (;;) {
    const uint32_t count = Count(current);
    if ((count & 1) == 0) {
      const uint64_t held = mine | (count + 1);
      // Release as well as acquire: a waiter that sees `held` sees the
      // previous writer's cleared namespace too.
      if (__atomic_compare_exchange_n(&page->sequence, &current, held,
                                      /*weak=*/false, __ATOMIC_ACQ_REL,
                                      __ATOMIC_ACQUIRE)) {
        __atomic_store_n(&page->writer_pid_namespace, OwnPidNamespace(self),
                         __ATOMIC_RELEASE);
        return held;
      }
      continue;  // `current` is the new value
    }
    if (current != waited_on) {
      waited_on = current;
      rounds = 0;
    }
    const bool repaired = (++rounds % kRoundsBeforeLivenessCheck) == 0 &&
                          RecoverDeadWriter(current);
    if (!repaired && !backoff.Wait()) return TimedOut();
    current = __atomic_load_n(&page->sequence, __ATOMIC_ACQUIRE);
  }
}

unsigned char* SharedMetadata::BeginWrite(uint64_t held) const {
  Page* page = reinterpret_cast<Page*>(base_);
  const size_t published = PublishedCopy(Count(held));
  const uint64_t* from =
      reinterpret_cast<const uint64_t*>(&page->copies[published]);
  uint64_t* to = reinterpret_cast<uint64_t*>(&page->copies[published ^ 1]);
  // The whole published copy, so that the new one is complete. Release
  // stores keep the odd sequence visible before any data.
  for (size_t i = 0; i < sizeof(Values) / 8; ++i) {
    __atomic_store_n(&to[i], __atomic_load_n(&from[i], __ATOMIC_RELAXED),
                     __ATOMIC_RELEASE);
  }
  return reinterpret_cast<unsigned char*>(to);
}

absl::Status SharedMetadata::Publish(uint64_t held) const {
  Page* page = reinterpret_cast<Page*>(base_);
  __atomic_store_n(&page->writer_pid_namespace, 0, __ATOMIC_RELAXED);
  uint64_t expected = held;
  if (!__atomic_compare_exchange_n(
          &page->sequence, &expected, static_cast<uint64_t>(Count(held) + 1),
          /*weak=*/false, __ATOMIC_RELEASE, __ATOMIC_RELAXED)) {
    // Only a peer that took this live writer for a dead one gets here.
    return absl::AbortedError(
        "shared metadata: the write was abandoned by another process");
  }
  return absl::OkStatus();
}

template <typename Slot, typename Fn>
absl::Status SharedMetadata::Update(size_t offset, Fn apply) const {
  static_assert(sizeof(Slot) % 8 == 0);
  constexpr size_t kCount = sizeof(Slot) / 8;
  ASSIGN_OR_RETURN(const uint64_t held, LockWriter());
  // This writer owns the unpublished copy now: fill it from the published
  // one, then read, modify, store the slot. The read-modify-write under the
  // sequence keeps concurrent setters of neighbouring fields (say DATASPACE
  // and BLEND_MODE) from losing each other's update.
  uint64_t* words = reinterpret_cast<uint64_t*>(BeginWrite(held) + offset);
  Slot slot;
  uint64_t* slot_words = reinterpret_cast<uint64_t*>(&slot);
  for (size_t i = 0; i < kCount; ++i) {
    slot_words[i] = __atomic_load_n(&words[i], __ATOMIC_RELAXED);
  }
  apply(slot);
  for (size_t i = 0; i < kCount; ++i) {
    __atomic_store_n(&words[i], slot_words[i], __ATOMIC_RELEASE);
  }
  return Publish(held);
}

absl::Status SharedMetadata::AbandonWriteForTesting() const {
  ASSIGN_OR_RETURN(const uint64_t held, LockWriter());
  // Half a write: the copy being written gets a dataspace no setter wrote.
  BasicSlot* basic =
      reinterpret_cast<BasicSlot*>(BeginWrite(held) + offsetof(Values, basic));
  __atomic_store_n(&basic->dataspace, int32_t{0x7eadbeef}, __ATOMIC_RELEASE);
  return absl::OkStatus();
}

absl::Status SharedMetadata::AbandonInitialisationForTesting(void* mapping) {
  Page* page = static_cast<Page*>(mapping);
  const pid_t self = getpid();
  uint64_t blank = 0;
  if (!__atomic_compare_exchange_n(
          &page->identity, &blank,
          kInitialisingMagic | uint64_t{static_cast<uint32_t>(self)} << 32,
          /*weak=*/false, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
    return absl::FailedPreconditionError("the page is not blank");
  }
  __atomic_store_n(&page->writer_pid_namespace, OwnPidNamespace(self),
                   __ATOMIC_RELEASE);
  StoreOnce(&page->total_size, uint64_t{1});  // half a header
  return absl::OkStatus();
}

#define GRALLOC_READ_SLOT_(slot_type, field, var)               \
  slot_type var;                                                \
  {                                                             \
    absl::Status read_status =                                  \
        Read(offsetof(Values, field), &var, sizeof(slot_type)); \
    if (!read_status.ok()) return read_status;                  \
  }

absl::StatusOr<Dataspace> SharedMetadata::GetDataspace() const {
  GRALLOC_READ_SLOT_(BasicSlot, basic, slot);
  return static_cast<Dataspace>(slot.dataspace);
}

absl::Status SharedMetadata::SetDataspace(Dataspace dataspace) const {
  return Update<BasicSlot>(offsetof(Values, basic), [&](BasicSlot& slot) {
    slot.dataspace = static_cast<int32_t>(dataspace);
  });
}

absl::StatusOr<BlendMode> SharedMetadata::GetBlendMode() const {
  GRALLOC_READ_SLOT_(BasicSlot, basic, slot);
  return static_cast<BlendMode>(slot.blend_mode);
}

absl::Status SharedMetadata::SetBlendMode(BlendMode blend_mode) const {
  return Update<BasicSlot>(offsetof(Values, basic), [&](BasicSlot& slot) {
    slot.blend_mode = static_cast<int32_t>(blend_mode);
  });
}

absl::StatusOr<Rect> SharedMetadata::GetCrop() const {
  GRALLOC_READ_SLOT_(BasicSlot, basic, slot);
  return Rect{slot.crop[0], slot.crop[1], slot.crop[2], slot.crop[3]};
}

absl::Status SharedMetadata::SetCrop(const Rect& crop) const {
  return Update<BasicSlot>(offsetof(Values, basic), [&](BasicSlot& slot) {
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
      offsetof(Values, smpte2086), [&](Smpte2086Slot& slot) {
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
      offsetof(Values, cta861_3), [&](Cta861_3Slot& slot) {
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
  return GetSmpte2094(offsetof(Values, smpte2094_40));
}

absl::Status SharedMetadata::SetSmpte2094_40(
    const std::optional<std::vector<uint8_t>>& value) const {
  return SetSmpte2094(offsetof(Values, smpte2094_40), value);
}

absl::StatusOr<std::optional<std::vector<uint8_t>>>
SharedMetadata::GetSmpte2094_10() const {
  return GetSmpte2094(offsetof(Values, smpte2094_10));
}

absl::Status SharedMetadata::SetSmpte2094_10(
    const std::optional<std::vector<uint8_t>>& value) const {
  return SetSmpte2094(offsetof(Values, smpte2094_10), value);
}

#undef GRALLOC_READ_SLOT_

}  // namespace gralloc
