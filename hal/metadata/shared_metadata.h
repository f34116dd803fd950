// Copyright 2026 The gralloc for Linux Authors.
//
// hal/metadata/shared_metadata.h: the layout of a buffer's small shared
// metadata buffer, and a validated view of it.
//
// Every buffer has, beside its pixels, a small buffer (a sealed memfd or a
// system-heap dma-buf, see DESIGN.md) that every import in every process maps.
// Mappers attach a SharedMetadata view to their mapping of it. The header is
// written once: normally by the buffer's first importer, from the handle and
// the constants the allocator put in the memfd's name
// (metadata_buffer_name.h), so that allocation touches none of its pages;
// or by the allocator before the handle leaves (SharedMetadataPrefix(),
// InitSharedMetadata()) when the names do not fit in a memfd name.
//
//   offset 0      header (constants, written once)
//                   identity: magic 'GRMD' and version (3); 0 while blank,
//                   'GRIN' and a pid while the first importer writes it,
//                   total size, header size,
//                   reserved region offset and size,
//                   NAME (<= 127 bytes) and the heap name (<= 63 bytes)
//                 the seqlock: sequence word, writer's pid namespace
//                 two copies of the mutable standard metadata
//                   DATASPACE, BLEND_MODE, CROP (one rect),
//                   SMPTE2086 (present + value), CTA861_3 (present + value),
//                   SMPTE2094_40 and SMPTE2094_10 (present, length, bytes
//                   up to kSmpte2094MaxBytes each)
//   reserved_offset  the client's reserved region (64-byte aligned)
//   total_size       page-rounded end
//
// Version 2 added the second copy and the writer's identity, version 3 the
// blank page that its first importer writes; an older page is refused by
// Attach() (DataLoss, so BAD_BUFFER at import): the allocator and the
// mapper of one release agree on the version.
//
// Concurrency across processes: a double-buffered seqlock
// -------------------------------------------------------
// Writers (setMetadata, in any process) serialise on a 64-bit sequence word:
// its low 32 bits count writes and are odd while a writer holds it, its high
// 32 bits name the holder's pid. Bit 1 of the count selects the published
// copy. A writer takes the word from even to odd with a compare-and-swap
// (recording its pid in the same store, and its pid namespace beside it),
// copies the published values into the other copy, changes its field there
// and publishes by moving the count to the next even number, which selects
// that copy. A reader copies the field from the published copy between two
// reads of the sequence and retries only if the copy may have been
// overwritten meanwhile (a write after the next): readers never wait for a
// writer. Every shared word is accessed with atomic loads and stores, so no
// reader ever sees a torn value and ThreadSanitizer sees no data race.
//
// Why a seqlock rather than a process-shared pthread mutex in the page:
//  * readers (the hot path: compositors read DATASPACE every frame) never
//    write the shared page and can never block or wedge a writer;
//  * the page holds only plain fixed-width integers, so 32- and 64-bit
//    processes and different C libraries agree on it, which they would not
//    on the layout of a pthread_mutex_t;
//  * no syscalls on a reader's path; a writer makes one (getpid; a
//    process's first write also reads its pid namespace from /proc).
// A writer that dies between its two sequence updates leaves the sequence
// odd and half of the unpublished copy written. Readers are unaffected: the
// published copy is intact. The next writer that finds the same holder for
// a while asks whether it is alive (pidfd_open / poll: a zombie counts as
// dead); if it has exited and shares the waiter's pid namespace, the waiter
// moves the count from 2k+1 to 2k+4, which publishes the untouched copy
// again and is a value no reader has seen, and goes on. A holder that is
// alive (or whose liveness cannot be told: another pid namespace, pidfds
// refused, its pid already reused by a new process) is waited for at most
// kSeqlockTimeoutMs, then the write fails with Unavailable, so a hostile
// peer that holds the sequence odd cannot hang a caller either. The cost of the
// two copies is about 8 KiB more per buffer. The pixels and the constants are
// never affected.
//
// Nothing in the page is trusted: Attach() checks the header against the
// mapping size and keeps its own copy of the constants, so a peer that
// rewrites the header later cannot move the reserved region or a string out
// of bounds, and every variable-length value read is bounds-checked again.
//
// Thread safety: SharedMetadata is thread-safe (it is a view; all shared
// state is accessed atomically). The mapping must outlive every view on it.

#ifndef GRALLOC_HAL_METADATA_SHARED_METADATA_H_
#define GRALLOC_HAL_METADATA_SHARED_METADATA_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "hal/metadata/metadata_types.h"
#include "hal/types/plane_layout.h"

namespace gralloc {

inline constexpr uint32_t kSharedMetadataMagic = 0x47524d44;  // 'GRMD'
inline constexpr uint32_t kSharedMetadataVersion = 3;

// Longest NAME kept, in bytes (longer names are refused at init).
inline constexpr size_t kSharedMetadataMaxNameBytes = 127;
// Longest heap (backend) name kept, in bytes.
inline constexpr size_t kSharedMetadataMaxHeapNameBytes = 63;
// Largest SMPTE2094_40 / SMPTE2094_10 payload. Real dynamic-metadata blobs
// (HDR10+, Dolby Vision RPUs carried this way) are a few hundred bytes; a
// larger set is Unimplemented, which the mapper reports as UNSUPPORTED: it
// can never succeed for this buffer, so NO_RESOURCES ("try later") would be
// a lie.
inline constexpr size_t kSmpte2094MaxBytes = 4096;
// Alignment of the reserved region.
inline constexpr size_t kReservedRegionAlignment = 64;
// How long a writer waits for a live concurrent writer, and a reader for a
// value that concurrent writers keep overwriting.
inline constexpr int kSeqlockTimeoutMs = 200;

// What the seqlock of one view (and its copies) has had to do.
struct SeqlockStats {
  // Writers found dead holding the sequence, whose hold this view undid.
  uint64_t dead_writers_recovered = 0;
  // Calls that gave up with Unavailable after kSeqlockTimeoutMs.
  uint64_t timeouts = 0;
};

// What the allocator knows when it creates the buffer.
struct SharedMetadataInit {
  std::string name;       // NAME, at most kSharedMetadataMaxNameBytes
  std::string heap_name;  // backend/heap, at most 63 bytes, for dumps
  uint64_t reserved_size = 0;
  Dataspace dataspace = Dataspace::UNKNOWN;
  Rect crop;  // normally the full buffer: {0, 0, width, height}
};

// The bytes a metadata buffer with `reserved_size` reserved bytes needs,
// rounded up to the page size; 0 if that does not fit in size_t.
size_t SharedMetadataSize(uint64_t reserved_size);

// Writes a fresh header and default values into `mapping` (`size` bytes, at
// least SharedMetadataSize(init.reserved_size)): dataspace from `init`, blend
// mode INVALID, every HDR type unset, crop from `init`, the reserved region
// zeroed. InvalidArgument for a null mapping, a short size or over-long
// strings. Call it before the buffer is shared: it is not atomic.
absl::Status InitSharedMetadata(void* mapping, size_t size,
                                const SharedMetadataInit& init);

// The same for a buffer that is already all zero (a fresh memfd): the bytes
// to write at its offset 0, a few hundred, after which it holds what
// InitSharedMetadata() would have written. The allocator writes them with
// pwrite(), so it neither maps the buffer nor touches its other pages.
// Errors as InitSharedMetadata()'s.
absl::StatusOr<std::vector<uint8_t>> SharedMetadataPrefix(
    size_t size, const SharedMetadataInit& init);

// A validated view of a mapped metadata buffer. Copyable; copies view the
// same memory.
class SharedMetadata final {
 public:
  // What a blank page's header is to hold (the constants, the dataspace and
  // the crop), asked for only when this view writes it.
  using BlankInit = std::function<absl::StatusOr<SharedMetadataInit>()>;

  // Checks the header at `mapping` (`mapping_size` bytes mapped, writable if
  // the page may be blank): magic, version, header size, total size <=
  // mapping_size, the reserved region inside it and aligned, string
  // lengths. DataLoss naming the field if any check fails; InvalidArgument
  // for a null or tiny mapping.
  // A blank page (all zero: the allocator left the header to the first
  // importer) is first written from `blank_init` (its errors are returned
  // and the page stays blank; DataLoss without one), or waited for while
  // another importer writes it (Unavailable after kSeqlockTimeoutMs).
  static absl::StatusOr<SharedMetadata> Attach(
      void* mapping, size_t mapping_size,
      const BlankInit& blank_init = nullptr);

  // Constants, copied at Attach().
  const std::string& name() const { return name_; }
  const std::string& heap_name() const { return heap_name_; }
  // The reserved region: exactly reserved_size() bytes, 64-byte aligned,
  // valid as long as the mapping. Non-null even when the size is 0.
  void* reserved_region() const { return reserved_; }
  uint64_t reserved_size() const { return reserved_size_; }

  // Mutable values. Setters are const: they change the shared page, not the
  // view. Getters fail with Unavailable only when writers keep overwriting
  // the value for longer than kSeqlockTimeoutMs, and with DataLoss when a
  // stored length is out of range. Setters fail with Unavailable when a
  // live writer holds the sequence for longer than kSeqlockTimeoutMs (a
  // dead one is recovered from), and with Aborted in the one case a peer
  // took this writer for dead and undid its write.
  absl::StatusOr<Dataspace> GetDataspace() const;
  absl::Status SetDataspace(Dataspace dataspace) const;
  absl::StatusOr<BlendMode> GetBlendMode() const;
  absl::Status SetBlendMode(BlendMode blend_mode) const;
  absl::StatusOr<Rect> GetCrop() const;
  absl::Status SetCrop(const Rect& crop) const;
  absl::StatusOr<std::optional<Smpte2086>> GetSmpte2086() const;
  absl::Status SetSmpte2086(const std::optional<Smpte2086>& value) const;
  absl::StatusOr<std::optional<Cta861_3>> GetCta861_3() const;
  absl::Status SetCta861_3(const std::optional<Cta861_3>& value) const;
  // SMPTE2094: a set value longer than kSmpte2094MaxBytes is Unimplemented.
  absl::StatusOr<std::optional<std::vector<uint8_t>>> GetSmpte2094_40() const;
  absl::Status SetSmpte2094_40(
      const std::optional<std::vector<uint8_t>>& value) const;
  absl::StatusOr<std::optional<std::vector<uint8_t>>> GetSmpte2094_10() const;
  absl::Status SetSmpte2094_10(
      const std::optional<std::vector<uint8_t>>& value) const;

  // Counters of this view and its copies (not of other views of the page).
  SeqlockStats seqlock_stats() const;

  // Tests only: takes the writer side as a setter does, half-writes the
  // unpublished copy and returns holding the sequence, as a writer killed
  // mid-write would leave it. The caller is expected to exit.
  absl::Status AbandonWriteForTesting() const;

  // Tests only: claims a blank page as its first importer does and returns
  // with the header half written, as an importer killed while writing it
  // would leave it. The caller is expected to exit.
  static absl::Status AbandonInitialisationForTesting(void* mapping);

 private:
  struct Counters;

  SharedMetadata() = default;

  // Unavailable, counted.
  absl::Status TimedOut() const;
  // Takes the writer side; returns the sequence value held.
  absl::StatusOr<uint64_t> LockWriter() const;
  // If the writer holding `observed` has exited, undoes its hold. True if
  // the sequence may have moved on (the caller should look again).
  bool RecoverDeadWriter(uint64_t observed) const;
  // Fills the unpublished copy from the published one; returns its start.
  unsigned char* BeginWrite(uint64_t held) const;
  // Publishes the copy written under `held`.
  absl::Status Publish(uint64_t held) const;

  // Copies `size` bytes (a multiple of 8) at `offset` in the published copy
  // of the values, retrying while writers may have overwritten it.
  absl::Status Read(size_t offset, void* out, size_t size) const;
  // Takes the writer side of the seqlock, lets `apply` modify the Slot at
  // `offset` of the unpublished copy, and publishes it. Defined and used in
  // the .cc only.
  template <typename Slot, typename Fn>
  absl::Status Update(size_t offset, Fn apply) const;
  absl::StatusOr<std::optional<std::vector<uint8_t>>> GetSmpte2094(
      size_t offset) const;
  absl::Status SetSmpte2094(
      size_t offset, const std::optional<std::vector<uint8_t>>& value) const;

  unsigned char* base_ = nullptr;
  void* reserved_ = nullptr;
  uint64_t reserved_size_ = 0;
  std::string name_;
  std::string heap_name_;
  std::shared_ptr<Counters> counters_;
};

}  // namespace gralloc

#endif  // GRALLOC_HAL_METADATA_SHARED_METADATA_H_
