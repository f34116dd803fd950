// Copyright 2026 The gralloc for Linux Authors.
//
// mapper/mapper.h: the mapper's C++ API. Imports buffer handles, maps them
// once, locks them for CPU access with cache maintenance, and reads and
// writes their metadata. The Mapper 5 C ABI (mapper/c_api.cc) is a thin
// layer over this.
//
//   Mapper mapper;
//   ASSIGN_OR_RETURN(buffer_handle_t handle, mapper.Import(raw_handle));
//   ASSIGN_OR_RETURN(std::shared_ptr<Buffer> buffer, mapper.Get(handle));
//   {
//     ASSIGN_OR_RETURN(LockGuard lock,
//                      LockGuard::Acquire(*buffer, kCpuWrite, Rect{},
//                                         std::move(acquire_fence)));
//     FillPixels(lock.data(), buffer->plane_layouts());
//   }  // unlocked: DMA_BUF_IOCTL_SYNC END
//   RETURN_IF_ERROR(buffer->metadata().SetDataspace(Dataspace::SRGB));
//   RETURN_IF_ERROR(mapper.Free(handle));
//
// Import validates the raw handle completely (DecodeHandle, then the real
// fds: sizes from fstat/lseek, seals or dma-buf-ness, the metadata header)
// and every failure is InvalidArgument/DataLoss (BAD_BUFFER at the ABI).
// The metadata buffer is mapped at import and the pixel buffer at the first
// lock (a display or GPU importer that never touches the pixels with the CPU
// never pays for their mapping), each for exactly the size the handle names,
// after import checked that the fds really have that many bytes and cannot
// shrink (memfds must carry F_SEAL_SHRINK; dma-bufs never shrink), so no
// access through a mapping can fault later. Both stay mapped until the last
// import of the buffer is freed: lock and unlock never remap.
//
// Imports of the same buffer (the same kernel object: st_dev and st_ino of
// the pixel fd) share one BufferMapping, reference-counted; each import has
// its own handle (dup'ed fds) and its own lock count.
//
// Thread safety: Mapper and Buffer are thread-safe. A Buffer stays valid for
// as long as a shared_ptr to it is held, even after Free(); Free() only
// makes the handle unknown to the Mapper.

#ifndef GRALLOC_MAPPER_MAPPER_H_
#define GRALLOC_MAPPER_MAPPER_H_

#include <sys/types.h>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "cutils/native_handle.h"
#include "hal/base/mutex.h"
#include "hal/base/unique_fd.h"
#include "hal/format/format_table.h"
#include "hal/handle/buffer_handle.h"
#include "hal/metadata/shared_metadata.h"
#include "hal/types/plane_layout.h"

namespace gralloc::mapper {

// How long lock() waits for an acquire fence before it gives up with
// DeadlineExceeded (NO_RESOURCES at the ABI). Android's mappers wait without
// bound; a bound keeps a client whose producer died from hanging forever,
// and 3 s is far beyond any frame time.
inline constexpr int kDefaultFenceTimeoutMs = 3000;

struct MapperOptions {
  int fence_timeout_ms = kDefaultFenceTimeoutMs;
};

// The kernel's identity of an open file: the same for every fd of the same
// dma-buf or memfd, in any process.
struct FileIdentity {
  dev_t device = 0;
  ino_t inode = 0;

  friend bool operator==(const FileIdentity& a, const FileIdentity& b) {
    return a.device == b.device && a.inode == b.inode;
  }
  template <typename H>
  friend H AbslHashValue(H h, const FileIdentity& id) {
    return H::combine(std::move(h), id.device, id.inode);
  }
};

// One buffer's memory in this process: the metadata mapping and a view of
// it, and the pixel mapping once a lock asked for it (never for protected
// buffers). Shared by every import of the buffer; unmapped when the last
// import goes away.
class BufferMapping final {
 public:
  // Maps `info.metadata_size` bytes of `metadata_fd` (already checked
  // against the real fd) and attaches the metadata view. The fds are not
  // kept: the mapping holds the file, and each import syncs (and maps the
  // pixels) through its own fds.
  static absl::StatusOr<std::shared_ptr<BufferMapping>> Create(
      const HandleInfo& info, int metadata_fd, FileIdentity pixel_id,
      FileIdentity metadata_id);
  ~BufferMapping();
  BufferMapping(const BufferMapping&) = delete;
  BufferMapping& operator=(const BufferMapping&) = delete;

  const HandleInfo& info() const { return info_; }
  // The start of the pixel buffer: maps `info.allocation_size` bytes of
  // `pixel_fd` (an fd of this buffer, checked at import) on the first call,
  // then returns the same address. ResourceExhausted when mmap fails for
  // want of memory or address space, Unavailable for other mmap errors
  // (a heap whose buffers cannot be mapped). Not for protected buffers.
  absl::StatusOr<void*> Pixels(int pixel_fd);
  // The pixels' address once a lock mapped them, else null.
  void* mapped_pixels() const {
    return pixels_.load(std::memory_order_acquire);
  }
  const SharedMetadata& metadata() const { return metadata_; }
  FileIdentity pixel_id() const { return pixel_id_; }
  FileIdentity metadata_id() const { return metadata_id_; }

 private:
  BufferMapping(const HandleInfo& info, SharedMetadata metadata)
      : info_(info), metadata_(std::move(metadata)) {}

  HandleInfo info_;
  SharedMetadata metadata_;
  // Written once, under map_mu_; read without it once non-null.
  std::atomic<void*> pixels_{nullptr};
  Mutex map_mu_;
  size_t pixels_size_ = 0;
  void* metadata_mapping_ = nullptr;
  size_t metadata_mapping_size_ = 0;
  FileIdentity pixel_id_;
  FileIdentity metadata_id_;
};

// One import: its handle (owning dup'ed fds), the shared mapping and its own
// lock state.
class Buffer final {
 public:
  Buffer(NativeHandlePtr handle, const HandleInfo& info,
         std::shared_ptr<BufferMapping> mapping, int fence_timeout_ms);
  Buffer(const Buffer&) = delete;
  Buffer& operator=(const Buffer&) = delete;

  // The imported handle, owned by this object.
  buffer_handle_t handle() const { return handle_.get(); }
  const HandleInfo& info() const { return info_; }
  // The concrete layout row (hal/format, or NV12 for YCBCR_420_888).
  const FormatInfo& layout_format() const { return *info_.layout.format; }
  std::vector<PlaneLayout> plane_layouts() const;
  const SharedMetadata& metadata() const { return mapping_->metadata(); }
  const BufferMapping& mapping() const { return *mapping_; }

  // Locks for CPU access. `cpu_usage` holds only CPU_READ_* / CPU_WRITE_*
  // bits, at least one, each allowed by the buffer's own usage; `region` is
  // inside the buffer, or all zero for the whole buffer. `acquire_fence` is
  // waited on (poll) and closed, on every path. The first lock of the
  // buffer in this process maps its pixels (BufferMapping::Pixels). The
  // first lock of this import issues DMA_BUF_IOCTL_SYNC START with the
  // usage's directions; a nested lock that adds a direction issues START for
  // it. Returns the start of the buffer. Errors: InvalidArgument (usage,
  // region, fence), PermissionDenied (protected buffer), DeadlineExceeded
  // (fence timeout), ResourceExhausted (no memory to map the pixels),
  // Unavailable (mmap or sync failed). A failed lock holds nothing.
  absl::StatusOr<void*> Lock(uint64_t cpu_usage, const Rect& region,
                             UniqueFd acquire_fence);
  // Ends one lock; the last issues DMA_BUF_IOCTL_SYNC END. FailedPrecondition
  // when not locked. The count drops even if END fails (Unavailable).
  absl::Status Unlock();
  // END then START, keeping the lock. FailedPrecondition when not locked.
  absl::Status Flush();
  // START (read), keeping the lock. FailedPrecondition when not locked.
  absl::Status Reread();
  int lock_count() const;

 private:
  absl::Status Sync(uint64_t flags) const;

  NativeHandlePtr handle_;
  const HandleInfo info_;
  const std::shared_ptr<BufferMapping> mapping_;
  const int fence_timeout_ms_;

  mutable Mutex mu_;
  int lock_count_ ABSL_GUARDED_BY(mu_) = 0;
  uint64_t sync_directions_ ABSL_GUARDED_BY(mu_) = 0;  // DMA_BUF_SYNC_RW bits
};

// RAII for Buffer::Lock()/Unlock().
class LockGuard final {
 public:
  static absl::StatusOr<LockGuard> Acquire(Buffer& buffer, uint64_t cpu_usage,
                                           const Rect& region,
                                           UniqueFd acquire_fence);
  LockGuard(LockGuard&& other) noexcept
      : buffer_(std::exchange(other.buffer_, nullptr)), data_(other.data_) {}
  LockGuard& operator=(LockGuard&&) = delete;
  LockGuard(const LockGuard&) = delete;
  ~LockGuard();

  void* data() const { return data_; }
  // Unlocks now and reports the result; the destructor then does nothing.
  absl::Status Release();

 private:
  LockGuard(Buffer* buffer, void* data) : buffer_(buffer), data_(data) {}
  Buffer* buffer_;
  void* data_;
};

class Mapper final {
 public:
  explicit Mapper(MapperOptions options = {}) : options_(options) {}
  Mapper(const Mapper&) = delete;
  Mapper& operator=(const Mapper&) = delete;

  // Validates `raw` and returns a new imported handle (owned by the mapper
  // until Free()). `raw` is not consumed. InvalidArgument or DataLoss for any
  // invalid handle; ResourceExhausted when fds or memory run out.
  absl::StatusOr<buffer_handle_t> Import(const native_handle_t* raw);
  // Forgets an imported handle and closes its fds; the memory is unmapped
  // when the last import of the buffer goes. NotFound for null, unknown or
  // already freed handles (the pointer is never dereferenced).
  absl::Status Free(buffer_handle_t handle);
  // The import behind `handle`, or NotFound.
  absl::StatusOr<std::shared_ptr<Buffer>> Get(buffer_handle_t handle) const;
  // The same, null when `handle` is not an import: for the C ABI, which
  // looks a handle up on every lock and unlock and reports BAD_BUFFER.
  std::shared_ptr<Buffer> Find(buffer_handle_t handle) const;
  // One import per distinct buffer (kernel identity), for dumps.
  std::vector<std::shared_ptr<Buffer>> DistinctBuffers() const;
  // The number of live imports.
  size_t import_count() const;

 private:
  const MapperOptions options_;
  mutable Mutex mu_;
  absl::flat_hash_map<const native_handle_t*, std::shared_ptr<Buffer>> imports_
      ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<FileIdentity, std::weak_ptr<BufferMapping>> mappings_
      ABSL_GUARDED_BY(mu_);
};

}  // namespace gralloc::mapper

#endif  // GRALLOC_MAPPER_MAPPER_H_
