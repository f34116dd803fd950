// Copyright 2026 The gralloc for Linux Authors.
//
// The checks the kernel's own dma-buf heap selftest makes
// (tools/testing/selftests/dmabuf-heaps), made here through our heap
// backend (allocator/heaps/dma_heap.h) for every heap under /dev/dma_heap:
//   - a buffer allocates, maps, syncs, and imports into another driver
//     (vgem, by PRIME);
//   - memory is zeroed, even when it was just freed dirty;
//   - invalid fd flags and heap flags are rejected by the kernel (these go
//     straight to DMA_HEAP_IOCTL_ALLOC, because our backend never sends
//     them), and the backend rejects what it cannot express before the
//     kernel sees it.

#include <dirent.h>
#include <fcntl.h>
#include <linux/dma-buf.h>
#include <linux/dma-heap.h>
#include <sys/mman.h>
#include <unistd.h>
#include <xf86drm.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "allocator/heaps/dma_heap.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "hal/base/fd_count.h"
#include "hal/base/ioctl.h"
#include "hal/base/status_matchers.h"
#include "hal/base/unique_fd.h"
#include "tests/vm/vm_test_util.h"

namespace gralloc {
namespace {

using ::gralloc::testing::OpenFdCount;
using ::gralloc::testing::StatusIs;
using ::gralloc::vmtest::FindDrmCard;

constexpr char kHeapDir[] = "/dev/dma_heap";
constexpr uint64_t kOneMiB = uint64_t{1} << 20;

// The heaps under /dev/dma_heap, sorted; empty if there are none.
std::vector<std::string> HeapNames() {
  std::vector<std::string> names;
  DIR* dir = opendir(kHeapDir);
  if (dir == nullptr) return names;
  while (dirent* entry = readdir(dir)) {
    if (entry->d_name[0] != '.') names.push_back(entry->d_name);
  }
  closedir(dir);
  std::sort(names.begin(), names.end());
  return names;
}

HeapRequest Request(uint64_t size_bytes) {
  HeapRequest request;
  request.size_bytes = size_bytes;
  request.debug_name = "vm-heap-selftest";
  return request;
}

class DmaHeapSelftest : public ::testing::Test {
 protected:
  void SetUp() override {
    names_ = HeapNames();
    if (names_.empty()) {
      GTEST_SKIP() << "no heaps under " << kHeapDir
                   << ": not the VM tier's kernel (tools/vm/run_vm.sh)";
    }
  }

  absl::StatusOr<std::unique_ptr<DmaHeap>> Open(const std::string& name) {
    return DmaHeap::Open(absl::StrCat(kHeapDir, "/", name));
  }

  std::vector<std::string> names_;
};

TEST_F(DmaHeapSelftest, AllocateMapSyncAndImportIntoVgem) {
  const std::string vgem = FindDrmCard("vgem");
  ASSERT_FALSE(vgem.empty()) << "the VM tier's kernel has vgem";
  UniqueFd importer(open(vgem.c_str(), O_RDWR | O_CLOEXEC));
  ASSERT_TRUE(importer) << vgem << ": " << std::strerror(errno);

  for (const std::string& name : names_) {
    SCOPED_TRACE(name);
    ASSERT_OK_AND_ASSIGN(std::unique_ptr<DmaHeap> heap, Open(name));
    ASSERT_OK_AND_ASSIGN(HeapBuffer buffer, heap->Allocate(Request(kOneMiB)));
    ASSERT_EQ(buffer.size_bytes, kOneMiB);

    void* data = mmap(nullptr, buffer.size_bytes, PROT_READ | PROT_WRITE,
                      MAP_SHARED, buffer.fd.get(), 0);
    ASSERT_NE(data, MAP_FAILED) << std::strerror(errno);
    dma_buf_sync sync{};
    sync.flags = DMA_BUF_SYNC_START | DMA_BUF_SYNC_RW;
    EXPECT_EQ(RetryIoctl(buffer.fd.get(), DMA_BUF_IOCTL_SYNC, &sync), 0)
        << std::strerror(errno);
    std::memset(data, 0x5a, buffer.size_bytes);
    sync.flags = DMA_BUF_SYNC_END | DMA_BUF_SYNC_RW;
    EXPECT_EQ(RetryIoctl(buffer.fd.get(), DMA_BUF_IOCTL_SYNC, &sync), 0)
        << std::strerror(errno);
    munmap(data, buffer.size_bytes);

    uint32_t gem_handle = 0;
    ASSERT_EQ(drmPrimeFDToHandle(importer.get(), buffer.fd.get(), &gem_handle),
              0)
        << "vgem refused the " << name
        << " heap's dma-buf: " << std::strerror(errno);
    EXPECT_NE(gem_handle, 0u);
    EXPECT_EQ(drmCloseBufferHandle(importer.get(), gem_handle), 0);
  }
}

TEST_F(DmaHeapSelftest, MemoryIsZeroedAfterDirtyBuffersAreFreed) {
  // As the selftest does: fill 32 small buffers, free them, allocate 32
  // again and check every byte, so freed dirty pages come back.
  constexpr int kBuffers = 32;
  constexpr uint64_t kSize = 4096;
  for (const std::string& name : names_) {
    SCOPED_TRACE(name);
    ASSERT_OK_AND_ASSIGN(std::unique_ptr<DmaHeap> heap, Open(name));
    for (int round = 0; round < 2; ++round) {
      std::vector<HeapBuffer> buffers;
      for (int i = 0; i < kBuffers; ++i) {
        ASSERT_OK_AND_ASSIGN(buffers.emplace_back(),
                             heap->Allocate(Request(kSize)));
        const HeapBuffer& buffer = buffers.back();
        ASSERT_EQ(buffer.size_bytes, kSize);
        auto* bytes =
            static_cast<uint8_t*>(mmap(nullptr, kSize, PROT_READ | PROT_WRITE,
                                       MAP_SHARED, buffer.fd.get(), 0));
        ASSERT_NE(static_cast<void*>(bytes), MAP_FAILED);
        const bool zeroed = std::all_of(bytes, bytes + kSize,
                                        [](uint8_t byte) { return byte == 0; });
        std::memset(bytes, 0xff, kSize);
        munmap(bytes, kSize);
        ASSERT_TRUE(zeroed) << "round " << round << " buffer " << i;
      }
    }
  }
}

TEST_F(DmaHeapSelftest, KernelRejectsInvalidFlags) {
  struct Case {
    const char* what;
    uint32_t fd_flags;
    uint64_t heap_flags;
  };
  const Case cases[] = {
      {"invalid fd flags", ~uint32_t{0}, 0},
      {"invalid heap flags", O_RDWR | O_CLOEXEC, ~uint64_t{0}},
      {"both invalid", ~uint32_t{0}, ~uint64_t{0}},
  };
  for (const std::string& name : names_) {
    const std::string path = absl::StrCat(kHeapDir, "/", name);
    UniqueFd heap(open(path.c_str(), O_RDONLY | O_CLOEXEC));
    ASSERT_TRUE(heap) << path << ": " << std::strerror(errno);
    const int fds_before = OpenFdCount();
    for (const Case& c : cases) {
      dma_heap_allocation_data data{};
      data.len = kOneMiB;
      data.fd_flags = c.fd_flags;
      data.heap_flags = c.heap_flags;
      EXPECT_EQ(RetryIoctl(heap.get(), DMA_HEAP_IOCTL_ALLOC, &data), -1)
          << name << ": " << c.what;
      EXPECT_EQ(errno, EINVAL) << name << ": " << c.what;
    }
    // The valid request on the same node works, so the rejections above
    // were about the flags.
    dma_heap_allocation_data valid{};
    valid.len = kOneMiB;
    valid.fd_flags = O_RDWR | O_CLOEXEC;
    ASSERT_EQ(RetryIoctl(heap.get(), DMA_HEAP_IOCTL_ALLOC, &valid), 0)
        << name << ": " << std::strerror(errno);
    close(static_cast<int>(valid.fd));
    EXPECT_EQ(OpenFdCount(), fds_before) << name;
  }
}

TEST_F(DmaHeapSelftest, BackendRejectsWhatItCannotExpress) {
  for (const std::string& name : names_) {
    SCOPED_TRACE(name);
    ASSERT_OK_AND_ASSIGN(std::unique_ptr<DmaHeap> heap, Open(name));
    const int fds_before = OpenFdCount();
    EXPECT_THAT(heap->Allocate(Request(0)),
                StatusIs(absl::StatusCode::kInvalidArgument));
    EXPECT_THAT(heap->Allocate(Request(std::numeric_limits<uint64_t>::max())),
                StatusIs(absl::StatusCode::kInvalidArgument));
    EXPECT_EQ(OpenFdCount(), fds_before);
  }
}

TEST_F(DmaHeapSelftest, CmaHeapOutOfMemoryIsResourceExhausted) {
  if (std::find(names_.begin(), names_.end(), "reserved") == names_.end()) {
    GTEST_SKIP() << "no CMA heap (/dev/dma_heap/reserved)";
  }
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<DmaHeap> heap, Open("reserved"));
  // The VM's CMA area is 32 MiB (CONFIG_CMA_SIZE_MBYTES): twice that cannot
  // be found, and must be reported as exhaustion, not as a bad request.
  const int fds_before = OpenFdCount();
  EXPECT_THAT(heap->Allocate(Request(64 * kOneMiB)),
              StatusIs(absl::StatusCode::kResourceExhausted));
  EXPECT_EQ(OpenFdCount(), fds_before);
}

}  // namespace
}  // namespace gralloc
