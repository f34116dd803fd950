// Copyright 2026 The gralloc for Linux Authors.
//
// The allocator on a real kernel's dma-buf heaps and udmabuf: negotiation
// sends a buffer that needs contiguity to the CMA heap and everything else
// to the system heap; with the heaps hidden it falls back to udmabuf (and
// refuses contiguity, which udmabuf cannot give); every buffer is zeroed,
// even when its pages were just freed dirty; and the descriptor's name shows
// in /proc/self/fdinfo, where people debugging memory look for it. DRM dumb
// buffers from vkms (the scanout-only backend) are real dma-bufs too.

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>
#include <xf86drm.h>

#include <cstdint>
#include <cstring>
#include <iostream>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "allocator/allocator.h"
#include "allocator/heaps/dma_heap.h"
#include "allocator/heaps/drm_dumb.h"
#include "allocator/heaps/heap_registry.h"
#include "allocator/heaps/udmabuf.h"
#include "allocator/negotiation/profile.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "hal/base/fd_count.h"
#include "hal/base/status_matchers.h"
#include "hal/base/unique_fd.h"
#include "hal/metadata/metadata_testing.h"
#include "hal/types/buffer_usage.h"
#include "hal/types/pixel_format.h"
#include "tests/vm/vm_test_util.h"

namespace gralloc {
namespace {

using ::gralloc::testing::MetadataHeapName;
using ::gralloc::testing::OpenFdCount;
using ::gralloc::testing::StatusIs;
using ::gralloc::vmtest::AllocateOne;
using ::gralloc::vmtest::FdinfoValue;
using ::gralloc::vmtest::FindDrmCard;
using ::gralloc::vmtest::PathExists;
using ::gralloc::vmtest::VmBuffer;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr char kSystemHeap[] = "/dev/dma_heap/system";
constexpr char kCmaHeap[] = "/dev/dma_heap/reserved";
constexpr char kUdmabuf[] = "/dev/udmabuf";

constexpr uint64_t kCameraCpuUsage = UsageValue(BufferUsage::CAMERA_OUTPUT) |
                                     UsageValue(BufferUsage::CPU_READ_OFTEN) |
                                     UsageValue(BufferUsage::CPU_WRITE_OFTEN);

BufferDescriptorInfo CameraDescriptor(std::string name) {
  BufferDescriptorInfo info;
  info.name = std::move(name);
  info.width = 640;
  info.height = 480;
  info.layer_count = 1;
  info.format = FormatValue(PixelFormat::YCBCR_420_888);
  info.usage = kCameraCpuUsage;
  return info;
}

// The built-in profile, with a camera that needs physically contiguous
// memory (a camera without an IOMMU).
Profile ContiguousCameraProfile() {
  Profile profile = BuiltinProfile();
  profile.at(Participant::kCamera).contiguous = true;
  profile.at(Participant::kCamera).source = "heaps_vm_test";
  return profile;
}

// Maps the whole buffer and checks every byte is zero.
::testing::AssertionResult IsZeroed(const VmBuffer& buffer) {
  const size_t size = buffer.info.allocation_size;
  void* data = mmap(nullptr, size, PROT_READ, MAP_SHARED, buffer.fd(), 0);
  if (data == MAP_FAILED) {
    return ::testing::AssertionFailure() << "mmap: " << std::strerror(errno);
  }
  const auto* bytes = static_cast<const uint8_t*>(data);
  size_t first_dirty = size;
  for (size_t i = 0; i < size; ++i) {
    if (bytes[i] != 0) {
      first_dirty = i;
      break;
    }
  }
  munmap(data, size);
  if (first_dirty != size) {
    return ::testing::AssertionFailure()
           << "byte " << first_dirty << " of " << size << " is not zero";
  }
  return ::testing::AssertionSuccess();
}

// Fills the whole buffer with `value` through a shared mapping.
void Dirty(const VmBuffer& buffer, uint8_t value) {
  const size_t size = buffer.info.allocation_size;
  void* data =
      mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_SHARED, buffer.fd(), 0);
  ASSERT_NE(data, MAP_FAILED) << std::strerror(errno);
  std::memset(data, value, size);
  munmap(data, size);
}

class RealHeapsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* node : {kSystemHeap, kCmaHeap, kUdmabuf}) {
      if (!PathExists(node)) {
        GTEST_SKIP() << "no " << node
                     << ": not the VM tier's kernel (tools/vm/run_vm.sh)";
      }
    }
  }
};

TEST_F(RealHeapsTest, ProbeFindsSystemCmaAndUdmabuf) {
  const HeapRegistry registry = HeapRegistry::Probe(ProbeOptions());
  SCOPED_TRACE(registry.Describe());

  const Heap* system = registry.Find("system");
  ASSERT_NE(system, nullptr);
  EXPECT_FALSE(system->caps().contiguous);
  EXPECT_TRUE(system->caps().device_importable);

  const Heap* cma = registry.Find("reserved");
  ASSERT_NE(cma, nullptr);
  EXPECT_TRUE(cma->caps().contiguous);
  EXPECT_TRUE(cma->caps().device_importable);

  const Heap* udmabuf = registry.Find("udmabuf");
  ASSERT_NE(udmabuf, nullptr);
  EXPECT_FALSE(udmabuf->caps().contiguous);
  EXPECT_TRUE(udmabuf->caps().device_importable);
}

TEST_F(RealHeapsTest, ContiguousCameraBufferLandsOnCmaHeap) {
  const int fds_before = OpenFdCount();
  {
    ASSERT_OK_AND_ASSIGN(
        std::unique_ptr<Allocator> allocator,
        Allocator::Create(ContiguousCameraProfile(),
                          HeapRegistry::Probe(ProbeOptions())));
    ASSERT_OK_AND_ASSIGN(
        VmBuffer buffer,
        AllocateOne(*allocator, CameraDescriptor("vm-contiguous-camera")));
    EXPECT_EQ(buffer.info.backend, HandleBackend::kDmaHeap);
    EXPECT_NE(buffer.info.flags & kHandleFlagContiguous, 0u);
    // The kernel names the exporter: the CMA heap's dma-bufs say "reserved".
    EXPECT_EQ(FdinfoValue(buffer.fd(), "exp_name"), "reserved");
    EXPECT_TRUE(IsZeroed(buffer));
  }
  EXPECT_EQ(OpenFdCount(), fds_before);
}

TEST_F(RealHeapsTest, OrdinaryCameraBufferLandsOnSystemHeap) {
  ASSERT_OK_AND_ASSIGN(
      std::unique_ptr<Allocator> allocator,
      Allocator::Create(BuiltinProfile(), HeapRegistry::Probe(ProbeOptions())));
  ASSERT_OK_AND_ASSIGN(
      VmBuffer buffer,
      AllocateOne(*allocator, CameraDescriptor("vm-ordinary-camera")));
  EXPECT_EQ(buffer.info.backend, HandleBackend::kDmaHeap);
  EXPECT_EQ(buffer.info.flags & kHandleFlagContiguous, 0u);
  EXPECT_EQ(FdinfoValue(buffer.fd(), "exp_name"), "system");
}

TEST_F(RealHeapsTest, WithDmaHeapsHiddenFallsBackToUdmabuf) {
  ProbeOptions no_heaps;
  no_heaps.probe_dma_heaps = false;
  ASSERT_OK_AND_ASSIGN(
      std::unique_ptr<Allocator> allocator,
      Allocator::Create(BuiltinProfile(), HeapRegistry::Probe(no_heaps)));
  ASSERT_OK_AND_ASSIGN(
      VmBuffer buffer,
      AllocateOne(*allocator, CameraDescriptor("vm-udmabuf-camera")));
  EXPECT_EQ(buffer.info.backend, HandleBackend::kUdmabuf);
  EXPECT_EQ(FdinfoValue(buffer.fd(), "exp_name"), "udmabuf");
  EXPECT_TRUE(IsZeroed(buffer));
}

TEST_F(RealHeapsTest, WithDmaHeapsHiddenContiguityIsRefusedNotFaked) {
  ProbeOptions no_heaps;
  no_heaps.probe_dma_heaps = false;
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Allocator> allocator,
                       Allocator::Create(ContiguousCameraProfile(),
                                         HeapRegistry::Probe(no_heaps)));
  const BufferDescriptorInfo info = CameraDescriptor("vm-no-cma");
  ASSERT_OK_AND_ASSIGN(Verdict supported, allocator->IsSupported(info));
  EXPECT_THAT(supported.refusal, StatusIs(absl::StatusCode::kUnimplemented,
                                          HasSubstr("contiguous")));
  EXPECT_EQ(allocator->Allocate(info, 1).status(), supported.refusal);
}

// Heap fallback on a real CMA area (CONFIG_CMA_SIZE_MBYTES=32): with CMA
// first in the platform's heap order, 4 MiB buffers land on it until it is
// exhausted, then on the system heap, which the same merge accepted; the
// allocation result and the buffer's metadata say so, and the handle no
// longer claims contiguity. A buffer only CMA may serve is then refused
// with NO_RESOURCES, not placed elsewhere.
TEST_F(RealHeapsTest, AnExhaustedCmaHeapFallsBackToTheSystemHeap) {
  Profile profile = BuiltinProfile();
  profile.heap_order = {"cma", "system"};
  ASSERT_OK_AND_ASSIGN(
      std::unique_ptr<Allocator> allocator,
      Allocator::Create(profile, HeapRegistry::Probe(ProbeOptions())));
  BufferDescriptorInfo info;
  info.name = "vm-fill-cma";
  info.width = 1024;
  info.height = 1024;  // 4 MiB of RGBA_8888
  info.layer_count = 1;
  info.format = FormatValue(PixelFormat::RGBA_8888);
  info.usage = UsageValue(BufferUsage::CPU_READ_OFTEN) |
               UsageValue(BufferUsage::CPU_WRITE_OFTEN);
  ASSERT_OK_AND_ASSIGN(Plan plan, allocator->Explain(info));
  ASSERT_EQ(plan.heap.name, "reserved");
  ASSERT_FALSE(plan.fallback_heaps.empty());
  EXPECT_EQ(plan.fallback_heaps[0].name, "system");

  const int fds_before = OpenFdCount();
  std::vector<AllocatedBuffer> held;
  int on_cma = 0;
  // 32 MiB of CMA holds at most eight: stop at the first that falls back.
  for (int i = 0;
       i < 12 && (held.empty() || held.back().heap.name == "reserved"); ++i) {
    ASSERT_OK_AND_ASSIGN(Allocation allocation, allocator->Allocate(info, 1));
    AllocatedBuffer& buffer = allocation.buffers[0];
    if (buffer.heap.name == "reserved") {
      ++on_cma;
      EXPECT_EQ(FdinfoValue(HandleBufferFd(buffer.handle.get()), "exp_name"),
                "reserved");
      EXPECT_NE(buffer.info.flags & kHandleFlagContiguous, 0u);
    }
    held.push_back(std::move(buffer));
  }
  std::cout << on_cma << " buffers of 4 MiB filled the CMA area\n";
  ASSERT_GE(on_cma, 1) << "nothing landed on CMA";
  const AllocatedBuffer& fell_back = held.back();
  ASSERT_EQ(fell_back.heap.name, "system")
      << "the CMA area never ran out in 12 buffers";
  EXPECT_THAT(fell_back.exhausted,
              ElementsAre(HasSubstr("reserved (cma): DMA_HEAP_IOCTL_ALLOC")));
  EXPECT_EQ(FdinfoValue(HandleBufferFd(fell_back.handle.get()), "exp_name"),
            "system");
  EXPECT_EQ(
      MetadataHeapName(fell_back.handle.get(), fell_back.info.metadata_size),
      "system");
  EXPECT_EQ(fell_back.info.flags & kHandleFlagContiguous, 0u);

  // With CMA still full, a camera that needs contiguity (6 MiB, more than
  // the 4 MiB that just failed) has nowhere else to go.
  {
    ASSERT_OK_AND_ASSIGN(
        std::unique_ptr<Allocator> contiguous,
        Allocator::Create(ContiguousCameraProfile(),
                          HeapRegistry::Probe(ProbeOptions())));
    BufferDescriptorInfo camera = CameraDescriptor("vm-cma-full");
    camera.width = 2048;
    camera.height = 2048;
    EXPECT_THAT(
        contiguous->Allocate(camera, 1),
        StatusIs(absl::StatusCode::kResourceExhausted, HasSubstr("reserved")));
  }

  held.clear();
  EXPECT_EQ(OpenFdCount(), fds_before);
  // Freed, the CMA area serves again.
  ASSERT_OK_AND_ASSIGN(Allocation again, allocator->Allocate(info, 1));
  EXPECT_EQ(again.buffers[0].heap.name, "reserved");
}

TEST(DrmDumbOnVkmsTest, DumbBuffersAreZeroedDmaBufsTheDisplayCanImport) {
  // vgem comes first (card0) and has no dumb buffers; find vkms by name.
  const std::string card = FindDrmCard("vkms");
  if (card.empty()) {
    GTEST_SKIP() << "no vkms card: not the VM tier's kernel "
                    "(tools/vm/run_vm.sh)";
  }
  std::vector<std::unique_ptr<Heap>> heaps;
  ASSERT_OK_AND_ASSIGN(heaps.emplace_back(), DrmDumbHeap::Open(card));
  ASSERT_OK_AND_ASSIGN(
      std::unique_ptr<Allocator> allocator,
      Allocator::Create(BuiltinProfile(), HeapRegistry(std::move(heaps))));
  BufferDescriptorInfo info;
  info.name = "vm-dumb-scanout";
  info.width = 1024;
  info.height = 768;
  info.layer_count = 1;
  info.format = FormatValue(PixelFormat::RGB_565);
  info.usage = UsageValue(BufferUsage::COMPOSER_OVERLAY) |
               UsageValue(BufferUsage::CPU_WRITE_OFTEN);
  ASSERT_OK_AND_ASSIGN(VmBuffer buffer, AllocateOne(*allocator, info));
  EXPECT_EQ(buffer.info.backend, HandleBackend::kDrmDumb);
  // The driver took the layout's pitch; the handle carries it.
  EXPECT_GE(buffer.info.layout.planes[0].stride_bytes, 1024u * 2);
  EXPECT_GE(buffer.info.allocation_size,
            uint64_t{buffer.info.layout.planes[0].stride_bytes} * 768);
  EXPECT_EQ(FdinfoValue(buffer.fd(), "name"), "vm-dumb-scanout");
  EXPECT_TRUE(IsZeroed(buffer));

  // A display process opens the card itself and imports the dma-buf.
  UniqueFd display(open(card.c_str(), O_RDWR | O_CLOEXEC));
  ASSERT_TRUE(display);
  uint32_t gem_handle = 0;
  ASSERT_EQ(drmPrimeFDToHandle(display.get(), buffer.fd(), &gem_handle), 0)
      << std::strerror(errno);
  EXPECT_EQ(drmCloseBufferHandle(display.get(), gem_handle), 0);
}

// One allocator per kind of real memory, each with only that heap, so the
// zeroing and naming checks below cover every backend that makes dma-bufs.
struct HeapCase {
  const char* label;
  const char* node;
  const char* exporter;  // fdinfo exp_name
};

class EachRealHeapTest : public ::testing::TestWithParam<HeapCase> {
 protected:
  void SetUp() override {
    if (!PathExists(GetParam().node)) {
      GTEST_SKIP() << "no " << GetParam().node
                   << ": not the VM tier's kernel (tools/vm/run_vm.sh)";
    }
    std::vector<std::unique_ptr<Heap>> heaps;
    if (std::string(GetParam().node) == kUdmabuf) {
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

  std::unique_ptr<Allocator> allocator_;
};

TEST_P(EachRealHeapTest, BuffersAreZeroedAfterDirtyPagesAreFreed) {
  // Dirty 8 MiB and free it, so the next allocations are likely to be
  // served from those very pages (the CMA area is only 32 MiB).
  constexpr int kRounds = 2;
  constexpr int kBuffers = 8;
  for (int round = 0; round < kRounds; ++round) {
    std::vector<VmBuffer> buffers;
    for (int i = 0; i < kBuffers; ++i) {
      BufferDescriptorInfo info = CameraDescriptor(
          absl::StrCat("vm-zero-", GetParam().label, "-", round, "-", i));
      info.format = FormatValue(PixelFormat::RGBA_8888);
      info.width = 512;
      info.height = 512;  // 1 MiB
      ASSERT_OK_AND_ASSIGN(buffers.emplace_back(),
                           AllocateOne(*allocator_, info));
      EXPECT_EQ(FdinfoValue(buffers.back().fd(), "exp_name"),
                GetParam().exporter);
      ASSERT_TRUE(IsZeroed(buffers.back()))
          << GetParam().label << " round " << round << " buffer " << i;
      Dirty(buffers.back(), 0xa5);
    }
  }
}

TEST_P(EachRealHeapTest, DescriptorNameShowsInFdinfo) {
  const std::string name = absl::StrCat("vm-camera-preview-", GetParam().label);
  ASSERT_OK_AND_ASSIGN(VmBuffer buffer,
                       AllocateOne(*allocator_, CameraDescriptor(name)));
  EXPECT_EQ(FdinfoValue(buffer.fd(), "name"), name);
  EXPECT_EQ(FdinfoValue(buffer.fd(), "size"),
            absl::StrCat(buffer.info.allocation_size));
}

INSTANTIATE_TEST_SUITE_P(
    Heaps, EachRealHeapTest,
    ::testing::Values(HeapCase{"system", kSystemHeap, "system"},
                      HeapCase{"cma", kCmaHeap, "reserved"},
                      HeapCase{"udmabuf", kUdmabuf, "udmabuf"}),
    [](const ::testing::TestParamInfo<HeapCase>& param_info) {
      return std::string(param_info.param.label);
    });

}  // namespace
}  // namespace gralloc
