// Copyright 2026 The gralloc for Linux Authors.

#include "mapper/mapper.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/dma-buf.h>
#include <linux/magic.h>
#include <poll.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <time.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <string>
#include <utility>

#include "absl/base/attributes.h"
#include "absl/strings/str_cat.h"
#include "hal/base/ioctl.h"
#include "hal/base/page_size.h"
#include "hal/base/status_macros.h"
#include "hal/metadata/metadata_buffer_name.h"
#include "hal/types/buffer_usage.h"

#ifndef DMA_BUF_MAGIC
#define DMA_BUF_MAGIC 0x444d4142
#endif

namespace gralloc::mapper {
namespace {

constexpr uint64_t kCpuReadMask = UsageValue(BufferUsage::CPU_READ_MASK);
constexpr uint64_t kCpuWriteMask = UsageValue(BufferUsage::CPU_WRITE_MASK);

absl::Status BadBuffer(absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat("import: ", what));
}

// What kind of file an fd is, and how many bytes it really has.
struct FdFacts {
  FileIdentity id;
  uint64_t size_bytes = 0;
  bool is_dma_buf = false;
  bool cannot_shrink = false;  // dma-buf, or memfd sealed against shrinking
};

// The st_dev of dma-bufs once one has been seen (0 before): every dma-buf
// lives on the kernel's one dma-buf pseudo filesystem, which is never
// unmounted, so no other file can ever have its device number. It saves
// the fstatfs() of every later import.
std::atomic<dev_t> dma_buf_device{0};

absl::StatusOr<FdFacts> InspectFd(int fd, absl::string_view which) {
  struct stat st {};
  if (fstat(fd, &st) != 0) {
    return BadBuffer(absl::StrCat(which, " fd: fstat: ", strerror(errno)));
  }
  FdFacts facts;
  facts.id = FileIdentity{st.st_dev, st.st_ino};
  // Only shmem (memfds) and hugetlbfs files have seals; a dma-buf refuses
  // F_GET_SEALS. So a file with seals is no dma-buf, and only a file
  // without them needs fstatfs() to tell.
  const bool known_dma_buf =
      st.st_dev == dma_buf_device.load(std::memory_order_relaxed);
  const int seals = known_dma_buf ? -1 : fcntl(fd, F_GET_SEALS);
  if (seals < 0) {
    if (known_dma_buf) {
      facts.is_dma_buf = true;
    } else {
      struct statfs fs {};
      if (fstatfs(fd, &fs) != 0) {
        return BadBuffer(
            absl::StrCat(which, " fd: fstatfs: ", strerror(errno)));
      }
      facts.is_dma_buf = static_cast<uint64_t>(fs.f_type) == DMA_BUF_MAGIC;
      if (facts.is_dma_buf) {
        dma_buf_device.store(st.st_dev, std::memory_order_relaxed);
      }
    }
  }
  if (facts.is_dma_buf) {
    // A dma-buf's inode carries its size, which never changes (the kernel
    // sets i_size at export). Where it does not, lseek reports it; the file
    // position is shared with every dup, but nobody reads dma-bufs with
    // read(), so moving it is harmless.
    off_t end = st.st_size;
    if (end <= 0) end = lseek(fd, 0, SEEK_END);
    if (end < 0) {
      return BadBuffer(absl::StrCat(which, " fd: lseek: ", strerror(errno)));
    }
    facts.size_bytes = static_cast<uint64_t>(end);
    facts.cannot_shrink = true;
    return facts;
  }
  if (!S_ISREG(st.st_mode) || st.st_size < 0) {
    return BadBuffer(
        absl::StrCat(which, " fd is neither a dma-buf nor a memfd"));
  }
  facts.size_bytes = static_cast<uint64_t>(st.st_size);
  facts.cannot_shrink = seals >= 0 && (seals & F_SEAL_SHRINK) != 0;
  return facts;
}

absl::Status CheckFd(const FdFacts& facts, uint64_t needed_bytes,
                     absl::string_view which) {
  if (!facts.cannot_shrink) {
    // A file that can shrink could turn any later access into a SIGBUS.
    return BadBuffer(absl::StrCat(which,
                                  " fd can shrink: neither a dma-buf nor a "
                                  "memfd sealed with F_SEAL_SHRINK"));
  }
  if (facts.size_bytes < needed_bytes) {
    return BadBuffer(absl::StrCat(which, " fd has ", facts.size_bytes,
                                  " bytes, the handle claims ", needed_bytes));
  }
  return absl::OkStatus();
}

bool IsProtected(const HandleInfo& info) {
  return (info.flags & kHandleFlagProtected) != 0 ||
         (info.usage & UsageValue(BufferUsage::PROTECTED)) != 0;
}

// The bytes to map for `size` bytes of a file: whole pages. The sizes come
// from a handle already checked against the real fd, so they fit; a size
// that does not is refused rather than wrapped.
absl::StatusOr<size_t> MappingSize(uint64_t size, absl::string_view what) {
  uint64_t rounded = 0;
  if (!RoundUpToPage(size, &rounded) || rounded > SIZE_MAX) {
    return BadBuffer(absl::StrCat(what, " size ", size, " cannot be mapped"));
  }
  return static_cast<size_t>(rounded);
}

absl::Status ValidateRegion(const HandleInfo& info, const Rect& region) {
  // "An all-zero accessRegion means the whole buffer."
  if (region.left == 0 && region.top == 0 && region.right == 0 &&
      region.bottom == 0) {
    return absl::OkStatus();
  }
  if (region.left < 0 || region.top < 0 || region.right <= region.left ||
      region.bottom <= region.top || region.right > info.width ||
      region.bottom > info.height) {
    return absl::InvalidArgumentError(
        absl::StrCat("lock: region [", region.left, ",", region.top, ",",
                     region.right, ",", region.bottom, ") is not inside the ",
                     info.width, "x", info.height, " buffer"));
  }
  return absl::OkStatus();
}

absl::Status ValidateCpuUsage(const HandleInfo& info, uint64_t cpu_usage) {
  if (cpu_usage == 0) {
    return absl::InvalidArgumentError("lock: cpu usage is 0");
  }
  if ((cpu_usage & ~(kCpuReadMask | kCpuWriteMask)) != 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("lock: usage 0x", absl::Hex(cpu_usage),
                     " has bits other than CPU read/write"));
  }
  if ((cpu_usage & kCpuReadMask) != 0 && (info.usage & kCpuReadMask) == 0) {
    return absl::InvalidArgumentError(
        "lock: CPU read on a buffer not allocated for CPU reads");
  }
  if ((cpu_usage & kCpuWriteMask) != 0 && (info.usage & kCpuWriteMask) == 0) {
    return absl::InvalidArgumentError(
        "lock: CPU write on a buffer not allocated for CPU writes");
  }
  return absl::OkStatus();
}

// Out of line: lock and unlock stay short on the path that succeeds.
ABSL_ATTRIBUTE_NOINLINE absl::Status SyncError(uint64_t flags, int error) {
  return absl::UnavailableError(absl::StrCat(
      "DMA_BUF_IOCTL_SYNC(0x", absl::Hex(flags), "): ", strerror(error)));
}

uint64_t SyncDirections(uint64_t cpu_usage) {
  uint64_t flags = 0;
  if ((cpu_usage & kCpuReadMask) != 0) flags |= DMA_BUF_SYNC_READ;
  if ((cpu_usage & kCpuWriteMask) != 0) flags |= DMA_BUF_SYNC_WRITE;
  return flags;
}

// Waits for `fence` to signal (POLLIN), for at most `timeout_ms`.
absl::Status WaitFence(const UniqueFd& fence, int timeout_ms) {
  if (!fence.valid()) return absl::OkStatus();
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    pollfd pfd{fence.get(), POLLIN, 0};
    const int ready =
        poll(&pfd, 1, left.count() < 0 ? 0 : static_cast<int>(left.count()));
    if (ready < 0) {
      if (errno == EINTR) continue;
      return ErrnoStatus("lock: poll(acquire fence)");
    }
    if (ready == 0) {
      return absl::DeadlineExceededError(absl::StrCat(
          "lock: acquire fence not signalled within ", timeout_ms, " ms"));
    }
    if ((pfd.revents & POLLNVAL) != 0) {
      return absl::InvalidArgumentError("lock: acquire fence is not an fd");
    }
    if ((pfd.revents & POLLERR) != 0) {
      return absl::InvalidArgumentError("lock: acquire fence is in error");
    }
    return absl::OkStatus();
  }
}

}  // namespace

// ---------------------------------------------------------------------------
// BufferMapping

absl::StatusOr<std::shared_ptr<BufferMapping>> BufferMapping::Create(
    const HandleInfo& info, int metadata_fd, FileIdentity pixel_id,
    FileIdentity metadata_id) {
  ASSIGN_OR_RETURN(const size_t metadata_size,
                   MappingSize(info.metadata_size, "metadata"));
  void* metadata_mapping = mmap(nullptr, metadata_size, PROT_READ | PROT_WRITE,
                                MAP_SHARED, metadata_fd, 0);
  if (metadata_mapping == MAP_FAILED) {
    return ErrnoStatus("import: mmap(metadata)");
  }
  // Only info.metadata_size bytes are known to exist in the file; the view
  // must not look past them (the rest of the last page would fault).
  // The first import of a buffer writes its header, from what the
  // allocator put in the metadata memfd's name, and the crop from the
  // handle's size.
  const auto blank_init = [&]() -> absl::StatusOr<SharedMetadataInit> {
    ASSIGN_OR_RETURN(SharedMetadataInit init,
                     ReadMetadataBufferName(metadata_fd));
    init.crop = Rect{0, 0, info.width, info.height};
    return init;
  };
  absl::StatusOr<SharedMetadata> view =
      SharedMetadata::Attach(metadata_mapping, info.metadata_size, blank_init);
  if (!view.ok() || view->reserved_size() != info.reserved_size) {
    munmap(metadata_mapping, metadata_size);
    if (!view.ok()) return view.status();
    return absl::DataLossError(
        absl::StrCat("import: metadata reserves ", view->reserved_size(),
                     " bytes, the handle says ", info.reserved_size));
  }
  std::shared_ptr<BufferMapping> mapping(
      new BufferMapping(info, *std::move(view)));
  mapping->metadata_mapping_ = metadata_mapping;
  mapping->metadata_mapping_size_ = metadata_size;
  mapping->pixel_id_ = pixel_id;
  mapping->metadata_id_ = metadata_id;
  if (!IsProtected(info)) {
    // Checked now, so that a handle whose size cannot be mapped is refused
    // at import rather than at its first lock.
    ASSIGN_OR_RETURN(mapping->pixels_size_,
                     MappingSize(info.allocation_size, "pixel buffer"));
  }
  return mapping;
}

absl::StatusOr<void*> BufferMapping::Pixels(int pixel_fd) {
  void* pixels = mapped_pixels();
  if (pixels != nullptr) return pixels;
  if (pixels_size_ == 0) {
    return absl::PermissionDeniedError("lock: the buffer is protected");
  }
  MutexLock lock(&map_mu_);
  pixels = pixels_.load(std::memory_order_relaxed);
  if (pixels != nullptr) return pixels;
  pixels = mmap(nullptr, pixels_size_, PROT_READ | PROT_WRITE, MAP_SHARED,
                pixel_fd, 0);
  if (pixels == MAP_FAILED) {
    const int error = errno;
    const std::string message =
        absl::StrCat("lock: mmap of the pixel buffer (", pixels_size_,
                     " bytes): ", strerror(error));
    if (error == ENOMEM || error == EAGAIN || error == ENFILE) {
      return absl::ResourceExhaustedError(message);
    }
    return absl::UnavailableError(message);
  }
  pixels_.store(pixels, std::memory_order_release);
  return pixels;
}

BufferMapping::~BufferMapping() {
  void* pixels = pixels_.load(std::memory_order_acquire);
  if (pixels != nullptr) munmap(pixels, pixels_size_);
  if (metadata_mapping_ != nullptr) {
    munmap(metadata_mapping_, metadata_mapping_size_);
  }
}

// ---------------------------------------------------------------------------
// Buffer

Buffer::Buffer(NativeHandlePtr handle, const HandleInfo& info,
               std::shared_ptr<BufferMapping> mapping, int fence_timeout_ms)
    : handle_(std::move(handle)),
      info_(info),
      mapping_(std::move(mapping)),
      fence_timeout_ms_(fence_timeout_ms) {}

std::vector<PlaneLayout> Buffer::plane_layouts() const {
  return ToPlaneLayouts(info_.layout);
}

absl::Status Buffer::Sync(uint64_t flags) const {
  // A memfd has no caches to maintain and no such ioctl (ENOTTY); import
  // checked that a memfd backend's pixel fd is one.
  if (info_.backend == HandleBackend::kMemfd) return absl::OkStatus();
  dma_buf_sync sync{};
  sync.flags = flags;
  // This import's own fd: the mapping is shared by every import of the
  // buffer and keeps no fd of its own.
  if (RetryIoctl(HandleBufferFd(handle_.get()), DMA_BUF_IOCTL_SYNC, &sync) ==
      0) {
    return absl::OkStatus();
  }
  return SyncError(flags, errno);
}

absl::StatusOr<void*> Buffer::Lock(uint64_t cpu_usage, const Rect& region,
                                   UniqueFd acquire_fence) {
  RETURN_IF_ERROR(ValidateCpuUsage(info_, cpu_usage));
  RETURN_IF_ERROR(ValidateRegion(info_, region));
  if (IsProtected(info_)) {
    return absl::PermissionDeniedError("lock: the buffer is protected");
  }
  void* pixels = mapping_->mapped_pixels();
  if (pixels == nullptr) {
    ASSIGN_OR_RETURN(pixels, mapping_->Pixels(HandleBufferFd(handle_.get())));
  }
  RETURN_IF_ERROR(WaitFence(acquire_fence, fence_timeout_ms_));
  acquire_fence.reset();

  const uint64_t wanted = SyncDirections(cpu_usage);
  MutexLock lock(&mu_);
  const uint64_t directions = sync_directions_ | wanted;
  if (lock_count_ == 0 || directions != sync_directions_) {
    RETURN_IF_ERROR(Sync(DMA_BUF_SYNC_START | directions));
  }
  sync_directions_ = directions;
  ++lock_count_;
  return pixels;
}

absl::Status Buffer::Unlock() {
  MutexLock lock(&mu_);
  if (lock_count_ == 0) {
    return absl::FailedPreconditionError("unlock: the buffer is not locked");
  }
  if (--lock_count_ > 0) return absl::OkStatus();
  const uint64_t directions = std::exchange(sync_directions_, 0);
  return Sync(DMA_BUF_SYNC_END | directions);
}

absl::Status Buffer::Flush() {
  MutexLock lock(&mu_);
  if (lock_count_ == 0) {
    return absl::FailedPreconditionError("flush: the buffer is not locked");
  }
  RETURN_IF_ERROR(Sync(DMA_BUF_SYNC_END | sync_directions_));
  return Sync(DMA_BUF_SYNC_START | sync_directions_);
}

absl::Status Buffer::Reread() {
  MutexLock lock(&mu_);
  if (lock_count_ == 0) {
    return absl::FailedPreconditionError("reread: the buffer is not locked");
  }
  return Sync(DMA_BUF_SYNC_START | DMA_BUF_SYNC_READ);
}

int Buffer::lock_count() const {
  MutexLock lock(&mu_);
  return lock_count_;
}

// ---------------------------------------------------------------------------
// LockGuard

absl::StatusOr<LockGuard> LockGuard::Acquire(Buffer& buffer, uint64_t cpu_usage,
                                             const Rect& region,
                                             UniqueFd acquire_fence) {
  ASSIGN_OR_RETURN(void* data,
                   buffer.Lock(cpu_usage, region, std::move(acquire_fence)));
  return LockGuard(&buffer, data);
}

LockGuard::~LockGuard() {
  if (buffer_ != nullptr) buffer_->Unlock().IgnoreError();
}

absl::Status LockGuard::Release() {
  Buffer* buffer = std::exchange(buffer_, nullptr);
  if (buffer == nullptr) {
    return absl::FailedPreconditionError("lock guard already released");
  }
  return buffer->Unlock();
}

// ---------------------------------------------------------------------------
// Mapper

absl::StatusOr<buffer_handle_t> Mapper::Import(const native_handle_t* raw) {
  if (raw == nullptr) return BadBuffer("null handle");
  ASSIGN_OR_RETURN(const HandleInfo info, DecodeHandle(raw));

  // From here on only the clone's fds are used: the caller may close the raw
  // handle's fds at any time.
  NativeHandlePtr clone(native_handle_clone(raw));
  if (clone == nullptr) {
    const int error = errno;
    if (error == EMFILE || error == ENFILE || error == ENOMEM) {
      return ErrnoStatus(error, "import: native_handle_clone");
    }
    return BadBuffer(
        absl::StrCat("cannot dup the handle's fds: ", strerror(error)));
  }
  const int pixel_fd = HandleBufferFd(clone.get());
  const int metadata_fd = HandleMetadataFd(clone.get());
  ASSIGN_OR_RETURN(const FdFacts pixel, InspectFd(pixel_fd, "pixel"));
  ASSIGN_OR_RETURN(const FdFacts metadata, InspectFd(metadata_fd, "metadata"));
  RETURN_IF_ERROR(CheckFd(pixel, info.allocation_size, "pixel"));
  RETURN_IF_ERROR(CheckFd(metadata, info.metadata_size, "metadata"));
  if (pixel.id == metadata.id) {
    return BadBuffer("pixel and metadata fds are the same file");
  }
  const bool dma_buf_backend = info.backend != HandleBackend::kMemfd;
  if (pixel.is_dma_buf != dma_buf_backend) {
    return BadBuffer(absl::StrCat("the pixel fd does not match backend ",
                                  HandleBackendName(info.backend)));
  }

  std::shared_ptr<BufferMapping> mapping;
  buffer_handle_t result = clone.get();
  {
    MutexLock lock(&mu_);
    auto it = mappings_.find(pixel.id);
    if (it != mappings_.end()) mapping = it->second.lock();
    if (mapping != nullptr) {
      // Another import of the same buffer: it must say the same thing, or
      // it could claim more memory than was mapped.
      if (!(mapping->info() == info) ||
          !(mapping->metadata_id() == metadata.id)) {
        return BadBuffer(
            "the handle disagrees with an earlier import of the same buffer");
      }
    } else {
      ASSIGN_OR_RETURN(mapping, BufferMapping::Create(info, metadata_fd,
                                                      pixel.id, metadata.id));
      mappings_[pixel.id] = mapping;
    }
    imports_.emplace(result, std::make_shared<Buffer>(
                                 std::move(clone), info, std::move(mapping),
                                 options_.fence_timeout_ms));
  }
  return result;
}

absl::Status Mapper::Free(buffer_handle_t handle) {
  std::shared_ptr<Buffer> buffer;
  FileIdentity id;
  {
    MutexLock lock(&mu_);
    auto it = imports_.find(handle);
    if (it == imports_.end()) {
      return absl::NotFoundError("free: not an imported handle");
    }
    buffer = std::move(it->second);
    imports_.erase(it);
    id = buffer->mapping().pixel_id();
  }
  // Closing and unmapping happen outside the lock (and only once no other
  // thread still uses this import).
  buffer.reset();
  MutexLock lock(&mu_);
  auto it = mappings_.find(id);
  if (it != mappings_.end() && it->second.expired()) mappings_.erase(it);
  return absl::OkStatus();
}

absl::StatusOr<std::shared_ptr<Buffer>> Mapper::Get(
    buffer_handle_t handle) const {
  std::shared_ptr<Buffer> buffer = Find(handle);
  if (buffer == nullptr) return absl::NotFoundError("not an imported handle");
  return buffer;
}

std::shared_ptr<Buffer> Mapper::Find(buffer_handle_t handle) const {
  MutexLock lock(&mu_);
  auto it = imports_.find(handle);
  if (it == imports_.end()) return nullptr;
  return it->second;
}

std::vector<std::shared_ptr<Buffer>> Mapper::DistinctBuffers() const {
  MutexLock lock(&mu_);
  absl::flat_hash_map<FileIdentity, std::shared_ptr<Buffer>> distinct;
  for (const auto& [handle, buffer] : imports_) {
    distinct.emplace(buffer->mapping().pixel_id(), buffer);
  }
  std::vector<std::shared_ptr<Buffer>> buffers;
  buffers.reserve(distinct.size());
  for (auto& [id, buffer] : distinct) buffers.push_back(std::move(buffer));
  return buffers;
}

size_t Mapper::import_count() const {
  MutexLock lock(&mu_);
  return imports_.size();
}

}  // namespace gralloc::mapper
