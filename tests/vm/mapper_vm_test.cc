// Copyright 2026 The gralloc for Linux Authors.
//
// The mapper on real dma-bufs (system heap, CMA heap, udmabuf):
//   - lock and unlock issue DMA_BUF_IOCTL_SYNC, and the kernel accepts every
//     one of them (the mapper reports a refused sync as Unavailable);
//   - lock really goes through the kernel's sync: with an unsignalled write
//     fence attached to the dma-buf (DMA_BUF_IOCTL_IMPORT_SYNC_FILE), a read
//     lock waits until the fence signals, as DMA_BUF_IOCTL_SYNC START does;
//   - an explicit acquire fence (a real sync_file from sw_sync) is waited
//     for, and one that never signals times out, consumed either way;
//   - pixels written under lock in one process, and the metadata it sets,
//     are seen by another process that imports the same handle.

#include <fcntl.h>
#include <linux/dma-buf.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "allocator/allocator.h"
#include "allocator/heaps/dma_heap.h"
#include "allocator/heaps/heap_registry.h"
#include "allocator/heaps/udmabuf.h"
#include "allocator/negotiation/profile.h"
#include "gtest/gtest.h"
#include "hal/base/fd_count.h"
#include "hal/base/ioctl.h"
#include "hal/base/status_matchers.h"
#include "hal/base/unique_fd.h"
#include "hal/metadata/metadata_types.h"
#include "hal/types/buffer_usage.h"
#include "hal/types/pixel_format.h"
#include "hal/types/plane_layout.h"
#include "mapper/mapper.h"
#include "tests/vm/vm_test_util.h"

namespace gralloc {
namespace {

using ::gralloc::mapper::Buffer;
using ::gralloc::mapper::LockGuard;
using ::gralloc::mapper::Mapper;
using ::gralloc::mapper::MapperOptions;
using ::gralloc::testing::OpenFdCount;
using ::gralloc::testing::StatusIs;
using ::gralloc::vmtest::AllocateOne;
using ::gralloc::vmtest::PathExists;
using ::gralloc::vmtest::VmBuffer;

constexpr uint64_t kCpuRead = UsageValue(BufferUsage::CPU_READ_OFTEN);
constexpr uint64_t kCpuWrite = UsageValue(BufferUsage::CPU_WRITE_OFTEN);
constexpr int kWidth = 256;
constexpr int kHeight = 128;

// sw_sync, the kernel's software fence timeline (debugfs, CONFIG_SW_SYNC).
// Its ioctls are not in the UAPI headers; these match
// drivers/dma-buf/sw_sync.c.
constexpr char kSwSync[] = "/sys/kernel/debug/sync/sw_sync";
struct SwSyncCreateFenceData {
  uint32_t value;
  char name[32];
  int32_t fence;
};
#define GRALLOC_SW_SYNC_IOC_CREATE_FENCE \
  _IOWR('W', 0, struct SwSyncCreateFenceData)
#define GRALLOC_SW_SYNC_IOC_INC _IOW('W', 1, uint32_t)

// A sw_sync timeline and fences on it; the fences signal when Advance()
// passes their value.
class SwSyncTimeline {
 public:
  bool Open() {
    fd_ = UniqueFd(open(kSwSync, O_RDWR | O_CLOEXEC));
    return static_cast<bool>(fd_);
  }
  // A sync_file fd that signals when the timeline reaches `value`.
  UniqueFd Fence(uint32_t value) {
    SwSyncCreateFenceData data{};
    data.value = value;
    std::strncpy(data.name, "gralloc-vm", sizeof(data.name) - 1);
    if (RetryIoctl(fd_.get(), GRALLOC_SW_SYNC_IOC_CREATE_FENCE, &data) != 0) {
      return UniqueFd();
    }
    return UniqueFd(data.fence);
  }
  bool Advance(uint32_t steps) {
    return RetryIoctl(fd_.get(), GRALLOC_SW_SYNC_IOC_INC, &steps) == 0;
  }

 private:
  UniqueFd fd_;
};

uint8_t PatternByte(int x, int y, int seed) {
  return static_cast<uint8_t>(x * 7 + y * 13 + seed);
}

// Fills the RGBA buffer at `data` (rows `stride_bytes` apart).
void FillPattern(void* data, uint32_t stride_bytes, int seed) {
  for (int y = 0; y < kHeight; ++y) {
    auto* row = static_cast<uint8_t*>(data) + size_t{stride_bytes} * y;
    for (int x = 0; x < kWidth * 4; ++x) row[x] = PatternByte(x, y, seed);
  }
}

// The first byte that differs from the pattern, or "" if none.
std::string CheckPattern(const void* data, uint32_t stride_bytes, int seed) {
  for (int y = 0; y < kHeight; ++y) {
    const auto* row =
        static_cast<const uint8_t*>(data) + size_t{stride_bytes} * y;
    for (int x = 0; x < kWidth * 4; ++x) {
      if (row[x] != PatternByte(x, y, seed)) {
        return "byte " + std::to_string(x) + " of row " + std::to_string(y);
      }
    }
  }
  return "";
}

struct HeapCase {
  const char* label;
  const char* node;
  HandleBackend backend;
};

class RealDmaBufMapperTest : public ::testing::TestWithParam<HeapCase> {
 protected:
  void SetUp() override {
    if (!PathExists(GetParam().node)) {
      GTEST_SKIP() << "no " << GetParam().node
                   << ": not the VM tier's kernel (tools/vm/run_vm.sh)";
    }
    std::vector<std::unique_ptr<Heap>> heaps;
    if (GetParam().backend == HandleBackend::kUdmabuf) {
      ASSERT_OK_AND_ASSIGN(heaps.emplace_back(),
                           UdmabufHeap::Open(GetParam().node));
    } else {
      ASSERT_OK_AND_ASSIGN(heaps.emplace_back(),
                           DmaHeap::Open(GetParam().node));
    }
    ASSERT_OK_AND_ASSIGN(
        allocator_,
        Allocator::Create(BuiltinProfile(), HeapRegistry(std::move(heaps))));
    BufferDescriptorInfo info;
    info.name = std::string("vm-mapper-") + GetParam().label;
    info.width = kWidth;
    info.height = kHeight;
    info.layer_count = 1;
    info.format = FormatValue(PixelFormat::RGBA_8888);
    info.usage = kCpuRead | kCpuWrite | UsageValue(BufferUsage::GPU_TEXTURE);
    ASSERT_OK_AND_ASSIGN(buffer_, AllocateOne(*allocator_, info));
    ASSERT_EQ(buffer_.info.backend, GetParam().backend);
  }

  uint32_t stride_bytes() const {
    return buffer_.info.layout.planes[0].stride_bytes;
  }

  std::unique_ptr<Allocator> allocator_;
  VmBuffer buffer_;
};

TEST_P(RealDmaBufMapperTest, LockAndUnlockSyncWithTheKernel) {
  // The fd answers dma-buf ioctls for real: a sync with bad flags is
  // refused, so a successful lock below was a sync the kernel performed.
  dma_buf_sync bad{};
  bad.flags = ~uint64_t{0};
  EXPECT_EQ(RetryIoctl(buffer_.fd(), DMA_BUF_IOCTL_SYNC, &bad), -1);
  EXPECT_EQ(errno, EINVAL);

  Mapper mapper;
  ASSERT_OK_AND_ASSIGN(buffer_handle_t handle,
                       mapper.Import(buffer_.handle.get()));
  ASSERT_OK_AND_ASSIGN(std::shared_ptr<Buffer> buffer, mapper.Get(handle));
  for (int seed = 0; seed < 3; ++seed) {
    {
      ASSERT_OK_AND_ASSIGN(
          LockGuard lock,
          LockGuard::Acquire(*buffer, kCpuWrite, Rect{}, UniqueFd()));
      FillPattern(lock.data(), stride_bytes(), seed);
      ASSERT_OK(lock.Release());
    }
    ASSERT_OK_AND_ASSIGN(
        LockGuard lock,
        LockGuard::Acquire(*buffer, kCpuRead, Rect{}, UniqueFd()));
    EXPECT_EQ(CheckPattern(lock.data(), stride_bytes(), seed), "");
    // Nested lock adding a direction, then flush and reread: each a sync.
    ASSERT_OK(buffer->Lock(kCpuWrite, Rect{}, UniqueFd()).status());
    EXPECT_OK(buffer->Flush());
    EXPECT_OK(buffer->Reread());
    EXPECT_OK(buffer->Unlock());
    ASSERT_OK(lock.Release());
  }
  EXPECT_OK(mapper.Free(handle));
}

TEST_P(RealDmaBufMapperTest, ReadLockWaitsForTheDmaBufsWriteFence) {
  SwSyncTimeline timeline;
  if (!timeline.Open()) {
    GTEST_SKIP() << "no " << kSwSync << " (debugfs, CONFIG_SW_SYNC)";
  }
  UniqueFd fence = timeline.Fence(1);
  ASSERT_TRUE(fence);
  // A device "still writing": its fence is now the dma-buf's write fence.
  dma_buf_import_sync_file import{};
  import.flags = DMA_BUF_SYNC_WRITE;
  import.fd = fence.get();
  ASSERT_EQ(RetryIoctl(buffer_.fd(), DMA_BUF_IOCTL_IMPORT_SYNC_FILE, &import),
            0)
      << std::strerror(errno);

  Mapper mapper;
  ASSERT_OK_AND_ASSIGN(buffer_handle_t handle,
                       mapper.Import(buffer_.handle.get()));
  ASSERT_OK_AND_ASSIGN(std::shared_ptr<Buffer> buffer, mapper.Get(handle));
  std::atomic<bool> locked{false};
  absl::Status lock_status;
  std::thread reader([&] {
    lock_status = buffer->Lock(kCpuRead, Rect{}, UniqueFd()).status();
    locked = true;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_FALSE(locked) << "lock did not wait for the dma-buf's write fence";
  ASSERT_TRUE(timeline.Advance(1));
  reader.join();
  EXPECT_TRUE(locked);
  EXPECT_OK(lock_status);
  EXPECT_OK(buffer->Unlock());
  EXPECT_OK(mapper.Free(handle));
}

TEST_P(RealDmaBufMapperTest, LockWaitsForARealAcquireFence) {
  SwSyncTimeline timeline;
  if (!timeline.Open()) {
    GTEST_SKIP() << "no " << kSwSync << " (debugfs, CONFIG_SW_SYNC)";
  }
  Mapper mapper;
  ASSERT_OK_AND_ASSIGN(buffer_handle_t handle,
                       mapper.Import(buffer_.handle.get()));
  ASSERT_OK_AND_ASSIGN(std::shared_ptr<Buffer> buffer, mapper.Get(handle));
  const int fds_before = OpenFdCount();
  UniqueFd fence = timeline.Fence(1);
  ASSERT_TRUE(fence);
  std::thread producer([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    timeline.Advance(1);
  });
  const auto start = std::chrono::steady_clock::now();
  EXPECT_OK(buffer->Lock(kCpuWrite, Rect{}, std::move(fence)).status());
  const auto waited = std::chrono::steady_clock::now() - start;
  producer.join();
  EXPECT_GE(waited, std::chrono::milliseconds(150));
  EXPECT_OK(buffer->Unlock());
  EXPECT_EQ(OpenFdCount(), fds_before) << "the fence was not consumed";
  EXPECT_OK(mapper.Free(handle));
}

TEST_P(RealDmaBufMapperTest, FenceThatNeverSignalsTimesOutAndIsConsumed) {
  SwSyncTimeline timeline;
  if (!timeline.Open()) {
    GTEST_SKIP() << "no " << kSwSync << " (debugfs, CONFIG_SW_SYNC)";
  }
  MapperOptions options;
  options.fence_timeout_ms = 200;
  Mapper mapper(options);
  ASSERT_OK_AND_ASSIGN(buffer_handle_t handle,
                       mapper.Import(buffer_.handle.get()));
  ASSERT_OK_AND_ASSIGN(std::shared_ptr<Buffer> buffer, mapper.Get(handle));
  const int fds_before = OpenFdCount();
  UniqueFd fence = timeline.Fence(1);
  ASSERT_TRUE(fence);
  EXPECT_THAT(buffer->Lock(kCpuRead, Rect{}, std::move(fence)).status(),
              StatusIs(absl::StatusCode::kDeadlineExceeded));
  EXPECT_EQ(buffer->lock_count(), 0);
  EXPECT_EQ(OpenFdCount(), fds_before) << "the fence was not consumed";
  EXPECT_OK(mapper.Free(handle));
}

// Runs `child` in a forked process and returns its exit status (0: all
// checks passed). The child never returns into gtest.
int RunInChild(const std::function<int()>& child) {
  const pid_t pid = fork();
  if (pid == 0) _exit(child());
  if (pid < 0) return -1;
  int status = 0;
  if (waitpid(pid, &status, 0) != pid) return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

TEST_P(RealDmaBufMapperTest, WritesInOneProcessAreReadInAnother) {
  // The child imports the handle it inherited, writes under lock and sets
  // the dataspace; exit codes say which step failed.
  const native_handle_t* raw = buffer_.handle.get();
  const uint32_t stride = stride_bytes();
  const int child_status = RunInChild([raw, stride] {
    Mapper child_mapper;
    absl::StatusOr<buffer_handle_t> child_handle = child_mapper.Import(raw);
    if (!child_handle.ok()) return 10;
    absl::StatusOr<std::shared_ptr<Buffer>> child_buffer =
        child_mapper.Get(*child_handle);
    if (!child_buffer.ok()) return 11;
    absl::StatusOr<void*> data =
        (*child_buffer)->Lock(kCpuWrite, Rect{}, UniqueFd());
    if (!data.ok()) return 12;
    FillPattern(*data, stride, /*seed=*/42);
    if (!(*child_buffer)->Unlock().ok()) return 13;
    if (!(*child_buffer)->metadata().SetDataspace(Dataspace::SRGB).ok())
      return 14;
    if (!child_mapper.Free(*child_handle).ok()) return 15;
    return 0;
  });
  ASSERT_EQ(child_status, 0) << "the writing child failed (see exit codes)";

  Mapper mapper;
  ASSERT_OK_AND_ASSIGN(buffer_handle_t handle, mapper.Import(raw));
  ASSERT_OK_AND_ASSIGN(std::shared_ptr<Buffer> buffer, mapper.Get(handle));
  {
    ASSERT_OK_AND_ASSIGN(
        LockGuard lock,
        LockGuard::Acquire(*buffer, kCpuRead, Rect{}, UniqueFd()));
    EXPECT_EQ(CheckPattern(lock.data(), stride, 42), "");
  }
  ASSERT_OK_AND_ASSIGN(Dataspace dataspace, buffer->metadata().GetDataspace());
  EXPECT_EQ(dataspace, Dataspace::SRGB);

  // And back: the parent writes, a second child reads.
  {
    ASSERT_OK_AND_ASSIGN(
        LockGuard lock,
        LockGuard::Acquire(*buffer, kCpuWrite, Rect{}, UniqueFd()));
    FillPattern(lock.data(), stride, /*seed=*/7);
  }
  const int reader_status = RunInChild([raw, stride] {
    Mapper child_mapper;
    absl::StatusOr<buffer_handle_t> child_handle = child_mapper.Import(raw);
    if (!child_handle.ok()) return 20;
    absl::StatusOr<std::shared_ptr<Buffer>> child_buffer =
        child_mapper.Get(*child_handle);
    if (!child_buffer.ok()) return 21;
    absl::StatusOr<void*> data =
        (*child_buffer)->Lock(kCpuRead, Rect{}, UniqueFd());
    if (!data.ok()) return 22;
    if (!CheckPattern(*data, stride, 7).empty()) return 23;
    if (!(*child_buffer)->Unlock().ok()) return 24;
    return 0;
  });
  EXPECT_EQ(reader_status, 0) << "the reading child failed (see exit codes)";
  EXPECT_OK(mapper.Free(handle));
}

INSTANTIATE_TEST_SUITE_P(
    Heaps, RealDmaBufMapperTest,
    ::testing::Values(
        HeapCase{"system", "/dev/dma_heap/system", HandleBackend::kDmaHeap},
        HeapCase{"cma", "/dev/dma_heap/reserved", HandleBackend::kDmaHeap},
        HeapCase{"udmabuf", "/dev/udmabuf", HandleBackend::kUdmabuf}),
    [](const ::testing::TestParamInfo<HeapCase>& param_info) {
      return std::string(param_info.param.label);
    });

}  // namespace
}  // namespace gralloc
