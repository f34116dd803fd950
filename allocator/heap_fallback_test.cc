// Copyright 2026 The gralloc for Linux Authors.
//
// Heap fallback, on the host: a heap that runs out of memory on command (a
// stand-in for a full CMA area) in front of the memfd heap. When the plan's
// heap is out of memory, Allocate() takes the next heap the same merge
// accepted, and the plan, the allocation result and the buffer's metadata
// say which heap served; it refuses with NO_RESOURCES only when none can.
// The VM tier shows the same on a real, exhausted CMA heap.

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_join.h"
#include "allocator/allocator.h"
#include "allocator/heaps/memfd_heap.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "hal/base/fd_count.h"
#include "hal/base/status_matchers.h"
#include "hal/metadata/metadata_testing.h"
#include "hal/types/buffer_usage.h"
#include "hal/types/pixel_format.h"

namespace gralloc {
namespace {

using ::gralloc::testing::IsOk;
using ::gralloc::testing::MetadataHeapName;
using ::gralloc::testing::OpenFdCount;
using ::gralloc::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

constexpr uint64_t U(BufferUsage usage) { return static_cast<uint64_t>(usage); }

// A CMA heap called "reserved" whose memory is memfd pages (so its handles
// stay honest about their fds), and which runs out when told to. It may
// claim, like the real one, that devices can import it.
class ExhaustibleCmaHeap final : public Heap {
 public:
  explicit ExhaustibleCmaHeap(bool importable = false)
      : Heap(Identity(importable), "a CMA stand-in for tests") {}
  absl::StatusOr<HeapBuffer> Allocate(const HeapRequest& request) override {
    ++calls_;
    if (exhausted_ || (serve_limit_ >= 0 && calls_ > serve_limit_)) {
      return absl::ResourceExhaustedError(
          "DMA_HEAP_IOCTL_ALLOC: Cannot allocate memory (test)");
    }
    return memory_.Allocate(request);
  }

  void set_exhausted(bool exhausted) { exhausted_ = exhausted; }
  // Serves the first `calls` calls in all, then is out of memory.
  void set_serve_limit(int calls) { serve_limit_ = calls; }
  int calls() const { return calls_; }

 private:
  static HeapIdentity Identity(bool importable) {
    HeapIdentity identity = DmaHeapIdentity("reserved", false);
    identity.caps.backend = HandleBackend::kMemfd;
    identity.caps.device_importable = importable;
    return identity;
  }

  MemfdHeap memory_;
  std::atomic<bool> exhausted_{false};
  std::atomic<int> calls_{0};
  std::atomic<int> serve_limit_{-1};
};

class HeapFallbackTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::vector<std::unique_ptr<Heap>> heaps;
    auto cma = std::make_unique<ExhaustibleCmaHeap>();
    cma_ = cma.get();
    heaps.push_back(std::move(cma));
    heaps.push_back(std::make_unique<MemfdHeap>());
    Profile profile = BuiltinProfile();
    // CMA before memfd, as on a platform that keeps buffers contiguous when
    // it can.
    profile.heap_order = {"cma", "memfd"};
    ASSERT_OK_AND_ASSIGN(
        allocator_, Allocator::Create(profile, HeapRegistry(std::move(heaps))));
  }

  static BufferDescriptorInfo Cpu() {
    BufferDescriptorInfo info;
    info.name = "fallback";
    info.width = 64;
    info.height = 64;
    info.layer_count = 1;
    info.format = FormatValue(PixelFormat::RGBA_8888);
    info.usage =
        U(BufferUsage::CPU_READ_OFTEN) | U(BufferUsage::CPU_WRITE_OFTEN);
    return info;
  }

  // The heap name the buffer's metadata records.
  static std::string MetadataHeap(const AllocatedBuffer& buffer) {
    return MetadataHeapName(buffer.handle.get(), buffer.info.metadata_size);
  }

  ExhaustibleCmaHeap* cma_ = nullptr;
  std::unique_ptr<Allocator> allocator_;
};

TEST_F(HeapFallbackTest, ThePlanNamesItsHeapAndWhereItFallsBack) {
  ASSERT_OK_AND_ASSIGN(Plan plan, allocator_->Explain(Cpu()));
  EXPECT_EQ(plan.heap.name, "reserved");
  ASSERT_EQ(plan.fallback_heaps.size(), 1u);
  EXPECT_EQ(plan.fallback_heaps[0].name, "memfd");
  EXPECT_THAT(absl::StrJoin(plan.trace, "\n"),
              HasSubstr("out of memory on reserved: then memfd"));
}

TEST_F(HeapFallbackTest, AnExhaustedHeapHandsOverToTheNextAndSaysSo) {
  ASSERT_OK_AND_ASSIGN(Allocation first, allocator_->Allocate(Cpu(), 1));
  EXPECT_EQ(first.buffers[0].heap.name, "reserved");
  EXPECT_THAT(first.buffers[0].exhausted, IsEmpty());
  EXPECT_EQ(MetadataHeap(first.buffers[0]), "reserved");
  EXPECT_NE(first.buffers[0].info.flags & kHandleFlagContiguous, 0u);

  cma_->set_exhausted(true);
  const int fds_before = OpenFdCount();
  ASSERT_OK_AND_ASSIGN(Allocation later, allocator_->Allocate(Cpu(), 2));
  for (const AllocatedBuffer& buffer : later.buffers) {
    EXPECT_EQ(buffer.heap.name, "memfd");
    EXPECT_THAT(buffer.exhausted,
                ElementsAre(HasSubstr("reserved (cma): DMA_HEAP_IOCTL_ALLOC")));
    EXPECT_EQ(MetadataHeap(buffer), "memfd");
    // The handle describes the memory it really got.
    EXPECT_EQ(buffer.info.flags & kHandleFlagContiguous, 0u);
  }
  EXPECT_EQ(later.layout, first.layout);
  later.buffers.clear();
  EXPECT_EQ(OpenFdCount(), fds_before);

  cma_->set_exhausted(false);
  ASSERT_OK_AND_ASSIGN(Allocation again, allocator_->Allocate(Cpu(), 1));
  EXPECT_EQ(again.buffers[0].heap.name, "reserved");
}

TEST_F(HeapFallbackTest, AHeapThatFillsMidRequestHandsOverItsLaterBuffers) {
  cma_->set_serve_limit(1);
  const int fds_before = OpenFdCount();
  ASSERT_OK_AND_ASSIGN(Allocation allocation, allocator_->Allocate(Cpu(), 3));
  ASSERT_EQ(allocation.buffers.size(), 3u);
  EXPECT_EQ(allocation.buffers[0].heap.name, "reserved");
  EXPECT_THAT(allocation.buffers[0].exhausted, IsEmpty());
  EXPECT_EQ(MetadataHeap(allocation.buffers[0]), "reserved");
  // The later buffers each tried the full heap first, and each says so.
  for (size_t i = 1; i < allocation.buffers.size(); ++i) {
    const AllocatedBuffer& buffer = allocation.buffers[i];
    EXPECT_EQ(buffer.heap.name, "memfd");
    EXPECT_THAT(buffer.exhausted,
                ElementsAre(HasSubstr("reserved (cma): DMA_HEAP_IOCTL_ALLOC")));
    EXPECT_EQ(MetadataHeap(buffer), "memfd");
    EXPECT_NE(buffer.info.buffer_id, allocation.buffers[i - 1].info.buffer_id);
  }
  EXPECT_EQ(cma_->calls(), 3);
  allocation.buffers.clear();
  EXPECT_EQ(OpenFdCount(), fds_before);
}

TEST_F(HeapFallbackTest, NoResourcesOnlyWhenNoHeapTheMergeAcceptsCanServe) {
  // A camera that needs contiguous memory: only the CMA heap will do.
  Profile profile = allocator_->profile();
  profile.at(Participant::kCamera).contiguous = true;
  profile.at(Participant::kCamera).heaps = {};
  std::vector<std::unique_ptr<Heap>> heaps;
  auto cma = std::make_unique<ExhaustibleCmaHeap>();
  cma->set_exhausted(true);
  ExhaustibleCmaHeap* exhausted = cma.get();
  heaps.push_back(std::move(cma));
  heaps.push_back(std::make_unique<MemfdHeap>());
  ASSERT_OK_AND_ASSIGN(
      std::unique_ptr<Allocator> allocator,
      Allocator::Create(profile, HeapRegistry(std::move(heaps))));
  BufferDescriptorInfo camera = Cpu();
  camera.usage |= U(BufferUsage::CAMERA_OUTPUT);
  // Still supported: memory may come back.
  ASSERT_OK_AND_ASSIGN(Verdict supported, allocator->IsSupported(camera));
  EXPECT_THAT(supported.refusal, IsOk());
  const int fds_before = OpenFdCount();
  EXPECT_THAT(allocator->Allocate(camera, 1),
              StatusIs(absl::StatusCode::kResourceExhausted,
                       AllOf(HasSubstr("every heap this buffer may use is out "
                                       "of memory"),
                             HasSubstr("reserved (cma)"))));
  EXPECT_EQ(exhausted->calls(), 1);
  EXPECT_EQ(OpenFdCount(), fds_before);
}

TEST_F(HeapFallbackTest, DevicesAreNotHandedMemoryTheyCannotImport) {
  // The camera can import the CMA heap but not memfd: when CMA is full, the
  // answer is NO_RESOURCES, not a buffer the camera cannot use.
  std::vector<std::unique_ptr<Heap>> heaps;
  auto cma = std::make_unique<ExhaustibleCmaHeap>(/*importable=*/true);
  ExhaustibleCmaHeap* stand_in = cma.get();
  heaps.push_back(std::move(cma));
  heaps.push_back(std::make_unique<MemfdHeap>());
  ASSERT_OK_AND_ASSIGN(
      std::unique_ptr<Allocator> allocator,
      Allocator::Create(BuiltinProfile(), HeapRegistry(std::move(heaps))));
  BufferDescriptorInfo camera = Cpu();
  camera.format = FormatValue(PixelFormat::YCBCR_420_888);
  camera.usage = U(BufferUsage::CAMERA_OUTPUT);
  ASSERT_OK_AND_ASSIGN(Plan plan, allocator->Explain(camera));
  EXPECT_EQ(plan.heap.name, "reserved");
  EXPECT_THAT(plan.fallback_heaps, IsEmpty());
  stand_in->set_exhausted(true);
  EXPECT_THAT(allocator->Allocate(camera, 1),
              StatusIs(absl::StatusCode::kResourceExhausted));
  // The CPU alone may fall back to memfd.
  ASSERT_OK_AND_ASSIGN(Allocation cpu, allocator->Allocate(Cpu(), 1));
  EXPECT_EQ(cpu.buffers[0].heap.name, "memfd");
}

}  // namespace
}  // namespace gralloc
