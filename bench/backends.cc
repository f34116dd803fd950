// Copyright 2026 The gralloc for Linux Authors.

#include "bench/backends.h"

#include <fcntl.h>
#include <linux/dma-heap.h>
#include <linux/udmabuf.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "allocator/heaps/dma_heap.h"
#include "allocator/heaps/memfd_heap.h"
#include "allocator/heaps/udmabuf.h"
#include "hal/base/status_macros.h"

namespace gralloc::bench {
namespace {

// memfd_create + ftruncate, as every memfd-backed heap starts.
absl::StatusOr<UniqueFd> SizedMemfd(uint64_t size_bytes) {
  UniqueFd fd(memfd_create("gralloc:floor", MFD_CLOEXEC | MFD_ALLOW_SEALING));
  if (!fd) return ErrnoStatus("memfd_create");
  if (ftruncate(fd.get(), static_cast<off_t>(size_bytes)) != 0) {
    return ErrnoStatus("ftruncate(memfd)");
  }
  return fd;
}

class MemfdBackend final : public Backend {
 public:
  MemfdBackend(HeapIdentity heap, std::unique_ptr<Allocator> allocator)
      : Backend(std::move(heap), std::move(allocator)) {}

  absl::StatusOr<UniqueFd> RawAllocate(uint64_t size_bytes) const override {
    ASSIGN_OR_RETURN(UniqueFd fd, SizedMemfd(size_bytes));
    if (fcntl(fd.get(), F_ADD_SEALS, MemfdHeap::kSeals) != 0) {
      return ErrnoStatus("F_ADD_SEALS(memfd)");
    }
    return fd;
  }
};

class DmaHeapBackend final : public Backend {
 public:
  DmaHeapBackend(HeapIdentity heap, std::unique_ptr<Allocator> allocator,
                 UniqueFd heap_fd)
      : Backend(std::move(heap), std::move(allocator)),
        heap_fd_(std::move(heap_fd)) {}

  absl::StatusOr<UniqueFd> RawAllocate(uint64_t size_bytes) const override {
    dma_heap_allocation_data data = {};
    data.len = size_bytes;
    data.fd_flags = O_RDWR | O_CLOEXEC;
    if (ioctl(heap_fd_.get(), DMA_HEAP_IOCTL_ALLOC, &data) != 0) {
      return ErrnoStatus(absl::StrCat("DMA_HEAP_IOCTL_ALLOC on ", name()));
    }
    return UniqueFd(static_cast<int>(data.fd));
  }

 private:
  const UniqueFd heap_fd_;
};

class UdmabufBackend final : public Backend {
 public:
  UdmabufBackend(HeapIdentity heap, std::unique_ptr<Allocator> allocator,
                 UniqueFd device_fd)
      : Backend(std::move(heap), std::move(allocator)),
        device_fd_(std::move(device_fd)) {}

  absl::StatusOr<UniqueFd> RawAllocate(uint64_t size_bytes) const override {
    ASSIGN_OR_RETURN(UniqueFd memfd, SizedMemfd(size_bytes));
    if (fcntl(memfd.get(), F_ADD_SEALS, F_SEAL_SHRINK) != 0) {
      return ErrnoStatus("F_ADD_SEALS(memfd)");
    }
    udmabuf_create create = {};
    create.memfd = static_cast<__u32>(memfd.get());
    create.flags = UDMABUF_FLAGS_CLOEXEC;
    create.offset = 0;
    create.size = size_bytes;
    UniqueFd dmabuf(ioctl(device_fd_.get(), UDMABUF_CREATE, &create));
    if (!dmabuf) return ErrnoStatus("UDMABUF_CREATE");
    return dmabuf;  // `memfd` is closed here: the dma-buf holds the pages
  }

 private:
  const UniqueFd device_fd_;
};

absl::StatusOr<UniqueFd> OpenNode(const std::string& path, int flags) {
  UniqueFd fd(open(path.c_str(), flags | O_CLOEXEC));
  if (!fd) return ErrnoStatus(absl::StrCat("open(", path, ")"));
  return fd;
}

absl::StatusOr<std::unique_ptr<Allocator>> SingleHeapAllocator(
    const Profile& profile, std::unique_ptr<Heap> heap) {
  std::vector<std::unique_ptr<Heap>> heaps;
  heaps.push_back(std::move(heap));
  return Allocator::Create(profile, HeapRegistry(std::move(heaps)));
}

absl::StatusOr<std::unique_ptr<Backend>> OpenBackend(
    const Profile& profile, const HeapIdentity& identity) {
  switch (identity.caps.backend) {
    case HandleBackend::kMemfd: {
      ASSIGN_OR_RETURN(
          std::unique_ptr<Allocator> allocator,
          SingleHeapAllocator(profile, std::make_unique<MemfdHeap>()));
      return std::unique_ptr<Backend>(
          new MemfdBackend(identity, std::move(allocator)));
    }
    case HandleBackend::kDmaHeap: {
      const std::string path = absl::StrCat("/dev/dma_heap/", identity.name);
      ASSIGN_OR_RETURN(std::unique_ptr<DmaHeap> heap, DmaHeap::Open(path));
      ASSIGN_OR_RETURN(std::unique_ptr<Allocator> allocator,
                       SingleHeapAllocator(profile, std::move(heap)));
      ASSIGN_OR_RETURN(UniqueFd heap_fd, OpenNode(path, O_RDONLY));
      return std::unique_ptr<Backend>(new DmaHeapBackend(
          identity, std::move(allocator), std::move(heap_fd)));
    }
    case HandleBackend::kUdmabuf: {
      const std::string path = "/dev/udmabuf";
      ASSIGN_OR_RETURN(std::unique_ptr<UdmabufHeap> heap,
                       UdmabufHeap::Open(path));
      ASSIGN_OR_RETURN(std::unique_ptr<Allocator> allocator,
                       SingleHeapAllocator(profile, std::move(heap)));
      ASSIGN_OR_RETURN(UniqueFd device_fd, OpenNode(path, O_RDWR));
      return std::unique_ptr<Backend>(new UdmabufBackend(
          identity, std::move(allocator), std::move(device_fd)));
    }
    case HandleBackend::kDrmDumb:
      break;
  }
  return absl::UnimplementedError(
      absl::StrCat(identity.ToString(), ": not a backend the suite measures"));
}

}  // namespace

std::vector<std::unique_ptr<Backend>> OpenBackends(
    const Profile& profile, const HeapRegistry& probed,
    const std::vector<std::string>& only, std::vector<std::string>* notes) {
  std::vector<std::unique_ptr<Backend>> backends;
  for (const std::unique_ptr<Heap>& heap : probed.heaps()) {
    const HeapIdentity& identity = heap->identity();
    if (!only.empty() &&
        std::find(only.begin(), only.end(), identity.name) == only.end()) {
      continue;
    }
    if (identity.caps.backend == HandleBackend::kDrmDumb ||
        identity.caps.is_protected) {
      continue;
    }
    absl::StatusOr<std::unique_ptr<Backend>> backend =
        OpenBackend(profile, identity);
    if (!backend.ok()) {
      notes->push_back(absl::StrCat(
          identity.name, ": left out: ", backend.status().message()));
      continue;
    }
    backends.push_back(*std::move(backend));
  }
  return backends;
}

absl::StatusOr<UniqueFd> RawAllocateMemfdEager(uint64_t size_bytes) {
  ASSIGN_OR_RETURN(UniqueFd fd, SizedMemfd(size_bytes));
  if (fallocate(fd.get(), 0, 0, static_cast<off_t>(size_bytes)) != 0) {
    return ErrnoStatus("fallocate(memfd)");
  }
  if (fcntl(fd.get(), F_ADD_SEALS, MemfdHeap::kSeals) != 0) {
    return ErrnoStatus("F_ADD_SEALS(memfd)");
  }
  return fd;
}

}  // namespace gralloc::bench
