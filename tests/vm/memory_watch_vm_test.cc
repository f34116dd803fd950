// Copyright 2026 The gralloc for Linux Authors.
//
// The service charges a client for a buffer until the memory is gone from
// every process, and learns that from an inotify watch on the buffer's
// inode (allocator/service/memory_watch.h). The host tier proves it for
// memfds; this proves it for every kind of dma-buf the allocator makes:
// the system and CMA heaps, udmabuf and DRM dumb buffers. An mmap or a
// device import (here: another fd of the same file) keeps it alive; the
// last close reports it gone.

#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "allocator/allocator.h"
#include "allocator/client/service_client.h"
#include "allocator/heaps/dma_heap.h"
#include "allocator/heaps/drm_dumb.h"
#include "allocator/heaps/heap_registry.h"
#include "allocator/heaps/udmabuf.h"
#include "allocator/platform.h"
#include "allocator/service/memory_watch.h"
#include "allocator/service/server.h"
#include "gtest/gtest.h"
#include "hal/base/status_matchers.h"
#include "hal/base/unique_fd.h"
#include "hal/types/buffer_usage.h"
#include "hal/types/pixel_format.h"
#include "tests/vm/vm_test_util.h"

namespace gralloc {
namespace {

using ::gralloc::service::MemoryWatch;
using ::gralloc::testing::IsOk;
using ::gralloc::testing::StatusIs;
using ::gralloc::vmtest::AllocateOne;
using ::gralloc::vmtest::FindDrmCard;
using ::gralloc::vmtest::PathExists;
using ::gralloc::vmtest::VmBuffer;

struct Backend {
  const char* label;
  const char* node;  // a heap node, or a DRM driver name for dumb buffers
};

bool Contains(const std::vector<uint64_t>& tokens, uint64_t token) {
  return std::find(tokens.begin(), tokens.end(), token) != tokens.end();
}

// Collects until `token` shows up (fput after the last close may be
// deferred to a work queue), for up to 5 s.
bool GoneSoon(MemoryWatch& watch, uint64_t token) {
  for (int i = 0; i < 500; ++i) {
    if (Contains(watch.Collect(), token)) return true;
    usleep(10000);
  }
  return false;
}

class MemoryWatchVmTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    const std::string label = GetParam().label;
    std::vector<std::unique_ptr<Heap>> heaps;
    if (label == "dumb") {
      const std::string card = FindDrmCard(GetParam().node);
      if (card.empty()) {
        GTEST_SKIP() << "no vkms card: not the VM tier's kernel "
                        "(tools/vm/run_vm.sh)";
      }
      ASSERT_OK_AND_ASSIGN(heaps.emplace_back(), DrmDumbHeap::Open(card));
    } else if (!PathExists(GetParam().node)) {
      GTEST_SKIP() << "no " << GetParam().node
                   << ": not the VM tier's kernel (tools/vm/run_vm.sh)";
    } else if (label == "udmabuf") {
      ASSERT_OK_AND_ASSIGN(heaps.emplace_back(),
                           UdmabufHeap::Open(GetParam().node));
    } else {
      ASSERT_OK_AND_ASSIGN(heaps.emplace_back(),
                           DmaHeap::Open(GetParam().node));
    }
    ASSERT_OK_AND_ASSIGN(
        allocator_,
        Allocator::Create(BuiltinProfile(), HeapRegistry(std::move(heaps))));
  }

  BufferDescriptorInfo Descriptor() const {
    BufferDescriptorInfo info;
    info.name = std::string("vm-watch-") + GetParam().label;
    info.width = 256;
    info.height = 256;
    info.layer_count = 1;
    info.format = FormatValue(PixelFormat::RGBA_8888);
    info.usage = UsageValue(BufferUsage::CPU_READ_OFTEN) |
                 UsageValue(BufferUsage::CPU_WRITE_OFTEN) |
                 UsageValue(BufferUsage::GPU_TEXTURE);
    return info;
  }

  std::unique_ptr<Allocator> allocator_;
};

TEST_P(MemoryWatchVmTest, GoneWhenTheLastFdAndMappingAreClosed) {
  ASSERT_OK_AND_ASSIGN(MemoryWatch watch, MemoryWatch::Create());
  ASSERT_OK_AND_ASSIGN(VmBuffer buffer, AllocateOne(*allocator_, Descriptor()));
  ASSERT_OK_AND_ASSIGN(uint64_t pixels, watch.Watch(buffer.fd()));
  ASSERT_OK_AND_ASSIGN(uint64_t metadata,
                       watch.Watch(HandleMetadataFd(buffer.handle.get())));
  const size_t size = buffer.info.allocation_size;
  void* map =
      mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_SHARED, buffer.fd(), 0);
  ASSERT_NE(map, MAP_FAILED);
  static_cast<char*>(map)[0] = 1;
  UniqueFd other(dup(buffer.fd()));
  buffer.handle.reset();  // closes both of the handle's fds
  EXPECT_TRUE(GoneSoon(watch, metadata));
  // The dup and the mapping hold the pixels.
  EXPECT_FALSE(Contains(watch.Collect(), pixels));
  other.reset();
  usleep(50000);
  EXPECT_FALSE(Contains(watch.Collect(), pixels));
  munmap(map, size);
  EXPECT_TRUE(GoneSoon(watch, pixels));
  EXPECT_FALSE(watch.TakeLostEvents());
}

// The same through the service, on the platform's real heaps: a client that
// releases its BUFFER_ID but keeps the dma-buf stays charged; dropping the
// dma-buf ends the charge.
TEST(ServiceChargesVmTest, AReleasedDmaBufStaysChargedUntilItIsClosed) {
  if (!PathExists("/dev/dma_heap/system")) {
    GTEST_SKIP() << "no /dev/dma_heap/system: not the VM tier's kernel "
                    "(tools/vm/run_vm.sh)";
  }
  ASSERT_OK_AND_ASSIGN(Platform platform, LoadPlatform(PlatformOptions{}));
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Allocator> allocator,
                       Allocator::Create(std::move(platform.profile),
                                         std::move(platform.heaps)));
  service::ServerOptions options;
  options.socket_path = "/tmp/memory-watch-vm.sock";
  options.limits.max_buffers_per_process = 1;
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<service::Server> server,
                       service::Server::Create(options, std::move(allocator)));
  std::thread loop([&] { EXPECT_THAT(server->Run(), IsOk()); });
  {
    ASSERT_OK_AND_ASSIGN(std::unique_ptr<ServiceClient> client,
                         ServiceClient::Connect(options.socket_path));
    BufferDescriptorInfo info;
    info.name = "vm-service-charge";
    info.width = 640;
    info.height = 480;
    info.layer_count = 1;
    info.format = FormatValue(PixelFormat::YCBCR_420_888);
    info.usage = UsageValue(BufferUsage::CAMERA_OUTPUT) |
                 UsageValue(BufferUsage::CPU_READ_OFTEN);
    ASSERT_OK_AND_ASSIGN(Allocation held, client->Allocate(info, 1));
    EXPECT_NE(held.buffers[0].heap.name, "memfd");
    ASSERT_OK_AND_ASSIGN(HandleInfo handle,
                         DecodeHandle(held.buffers[0].handle.get()));
    ASSERT_THAT(client->Release(handle.buffer_id), IsOk());
    EXPECT_THAT(client->Allocate(info, 1).status(),
                StatusIs(absl::StatusCode::kResourceExhausted));
    held.buffers.clear();
    bool served = false;
    for (int i = 0; i < 500 && !served; ++i) {
      served = client->Allocate(info, 1).ok();
      if (!served) usleep(10000);
    }
    EXPECT_TRUE(served);
  }
  server->Stop();
  loop.join();
}

INSTANTIATE_TEST_SUITE_P(
    Backends, MemoryWatchVmTest,
    ::testing::Values(Backend{"system", "/dev/dma_heap/system"},
                      Backend{"cma", "/dev/dma_heap/reserved"},
                      Backend{"udmabuf", "/dev/udmabuf"},
                      Backend{"dumb", "vkms"}),
    [](const ::testing::TestParamInfo<Backend>& param_info) {
      return std::string(param_info.param.label);
    });

}  // namespace
}  // namespace gralloc
