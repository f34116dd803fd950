// Copyright 2026 The gralloc for Linux Authors.
//
// Heap backends that fail on command, on the real kernel: this binary is
// linked with -Wl,--wrap=ioctl, so every ioctl our code makes goes through
// __wrap_ioctl below, which fails the next N calls of one request with a
// chosen errno before letting them through. EINTR in the middle of
// DMA_HEAP_IOCTL_ALLOC, UDMABUF_CREATE or DMA_BUF_IOCTL_SYNC is retried and
// nobody sees it; ENOMEM and EMFILE come back as NO_RESOURCES (through the
// service too), and no fd, record or charge is left behind.

#include <errno.h>
#include <linux/dma-buf.h>
#include <linux/dma-heap.h>
#include <linux/udmabuf.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "allocator/allocator.h"
#include "allocator/client/service_client.h"
#include "allocator/heaps/dma_heap.h"
#include "allocator/heaps/heap_registry.h"
#include "allocator/heaps/udmabuf.h"
#include "allocator/service/server.h"
#include "gtest/gtest.h"
#include "hal/base/fd_count.h"
#include "hal/base/mutex.h"
#include "hal/base/status_matchers.h"
#include "hal/base/unique_fd.h"
#include "hal/types/buffer_usage.h"
#include "hal/types/pixel_format.h"
#include "mapper/mapper.h"
#include "tests/vm/vm_test_util.h"

namespace {

// The fault plan: the next `remaining` ioctls with `request` fail with
// `error`.
std::atomic<unsigned long> fault_request{0};
std::atomic<int> fault_error{0};
std::atomic<int> fault_remaining{0};
std::atomic<int> faults_injected{0};

}  // namespace

extern "C" int __real_ioctl(int fd, unsigned long request, void* arg);

extern "C" int __wrap_ioctl(int fd, unsigned long request, void* arg) {
  if (request == fault_request.load() && fault_remaining.load() > 0) {
    fault_remaining.fetch_sub(1);
    faults_injected.fetch_add(1);
    errno = fault_error.load();
    return -1;
  }
  return __real_ioctl(fd, request, arg);
}

namespace gralloc {
namespace {

using ::gralloc::testing::IsOk;
using ::gralloc::testing::OpenFdCount;
using ::gralloc::testing::StatusIs;
using ::gralloc::vmtest::PathExists;

constexpr char kSystemHeap[] = "/dev/dma_heap/system";
constexpr char kUdmabuf[] = "/dev/udmabuf";
constexpr uint64_t kCpu = UsageValue(BufferUsage::CPU_READ_OFTEN) |
                          UsageValue(BufferUsage::CPU_WRITE_OFTEN);

void FailNext(unsigned long request, int error, int count) {
  faults_injected.store(0);
  fault_error.store(error);
  fault_request.store(request);
  fault_remaining.store(count);
}

void NoFaults() { fault_remaining.store(0); }

BufferDescriptorInfo Descriptor() {
  BufferDescriptorInfo info;
  info.name = "vm-ioctl-fault";
  info.width = 640;
  info.height = 480;
  info.layer_count = 1;
  info.format = FormatValue(PixelFormat::RGBA_8888);
  info.usage = kCpu | UsageValue(BufferUsage::GPU_TEXTURE);
  return info;
}

struct Backend {
  const char* label;
  const char* node;
  unsigned long request;  // the ioctl that allocates
};

class IoctlFaultVmTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    if (!PathExists(GetParam().node)) {
      GTEST_SKIP() << "no " << GetParam().node
                   << ": not the VM tier's kernel (tools/vm/run_vm.sh)";
    }
    allocator_ = MakeAllocator();
    ASSERT_NE(allocator_, nullptr);
  }
  void TearDown() override { NoFaults(); }

  std::unique_ptr<Allocator> MakeAllocator() {
    std::vector<std::unique_ptr<Heap>> heaps;
    if (std::string(GetParam().label) == "udmabuf") {
      absl::StatusOr<std::unique_ptr<Heap>> heap =
          UdmabufHeap::Open(GetParam().node);
      EXPECT_THAT(heap.status(), IsOk());
      if (!heap.ok()) return nullptr;
      heaps.push_back(std::move(*heap));
    } else {
      absl::StatusOr<std::unique_ptr<Heap>> heap =
          DmaHeap::Open(GetParam().node);
      EXPECT_THAT(heap.status(), IsOk());
      if (!heap.ok()) return nullptr;
      heaps.push_back(std::move(*heap));
    }
    absl::StatusOr<std::unique_ptr<Allocator>> allocator =
        Allocator::Create(BuiltinProfile(), HeapRegistry(std::move(heaps)));
    EXPECT_THAT(allocator.status(), IsOk());
    return allocator.ok() ? std::move(*allocator) : nullptr;
  }

  std::unique_ptr<Allocator> allocator_;
};

TEST_P(IoctlFaultVmTest, EintrMidAllocationIsRetried) {
  FailNext(GetParam().request, EINTR, 3);
  absl::StatusOr<Allocation> allocation = allocator_->Allocate(Descriptor(), 1);
  EXPECT_THAT(allocation.status(), IsOk());
  EXPECT_EQ(faults_injected.load(), 3);
}

TEST_P(IoctlFaultVmTest, EnomemAndEmfileAreNoResourcesAndLeakNothing) {
  for (const int error : {ENOMEM, EMFILE}) {
    const int fds = OpenFdCount();
    FailNext(GetParam().request, error, 1000);
    absl::StatusOr<Allocation> allocation =
        allocator_->Allocate(Descriptor(), 2);
    EXPECT_THAT(allocation.status(),
                StatusIs(absl::StatusCode::kResourceExhausted))
        << strerror(error);
    EXPECT_GE(faults_injected.load(), 1);
    NoFaults();
    EXPECT_EQ(OpenFdCount(), fds) << strerror(error);
    // And the heap works again at once.
    EXPECT_THAT(allocator_->Allocate(Descriptor(), 1).status(), IsOk());
  }
}

TEST_P(IoctlFaultVmTest, EintrInTheCacheSyncOfALockIsRetried) {
  ASSERT_OK_AND_ASSIGN(Allocation allocation,
                       allocator_->Allocate(Descriptor(), 1));
  mapper::Mapper mapper;
  ASSERT_OK_AND_ASSIGN(buffer_handle_t handle,
                       mapper.Import(allocation.buffers[0].handle.get()));
  ASSERT_OK_AND_ASSIGN(std::shared_ptr<mapper::Buffer> buffer,
                       mapper.Get(handle));
  FailNext(DMA_BUF_IOCTL_SYNC, EINTR, 4);
  {
    ASSERT_OK_AND_ASSIGN(
        mapper::LockGuard lock,
        mapper::LockGuard::Acquire(*buffer, kCpu, Rect{}, UniqueFd()));
    static_cast<uint8_t*>(lock.data())[0] = 0x5a;
  }
  EXPECT_EQ(faults_injected.load(), 4);
  buffer.reset();
  EXPECT_THAT(mapper.Free(handle), IsOk());
}

TEST_P(IoctlFaultVmTest, ThroughTheServiceEnomemIsNoResourcesAndNothingStays) {
  service::ServerOptions options;
  options.socket_path = std::string("/tmp/ioctl-fault-") + GetParam().label;
  options.log_refusals = false;
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<service::Server> server,
                       service::Server::Create(options, MakeAllocator()));
  std::thread loop([&] { EXPECT_THAT(server->Run(), IsOk()); });
  {
    ASSERT_OK_AND_ASSIGN(std::unique_ptr<ServiceClient> client,
                         ServiceClient::Connect(options.socket_path));
    ASSERT_THAT(client->Stats().status(), IsOk());
    const int fds = OpenFdCount();
    FailNext(GetParam().request, ENOMEM, 1000);
    EXPECT_THAT(client->Allocate(Descriptor(), 2).status(),
                StatusIs(absl::StatusCode::kResourceExhausted));
    NoFaults();
    EXPECT_EQ(OpenFdCount(), fds);
    EXPECT_EQ(server->ledger().records(), 0u);
    EXPECT_EQ(server->ledger().charges(), 0u);
    EXPECT_THAT(client->Allocate(Descriptor(), 1).status(), IsOk());
  }
  server->Stop();
  loop.join();
}

INSTANTIATE_TEST_SUITE_P(
    Backends, IoctlFaultVmTest,
    ::testing::Values(Backend{"system", kSystemHeap, DMA_HEAP_IOCTL_ALLOC},
                      Backend{"udmabuf", kUdmabuf, UDMABUF_CREATE}),
    [](const ::testing::TestParamInfo<Backend>& param_info) {
      return std::string(param_info.param.label);
    });

}  // namespace
}  // namespace gralloc
