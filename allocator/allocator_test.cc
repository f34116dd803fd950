// Copyright 2026 The gralloc for Linux Authors.

#include "allocator/allocator.h"

#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "allocator/heaps/memfd_heap.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "hal/base/fd_count.h"
#include "hal/base/fourcc.h"
#include "hal/base/status_macros.h"
#include "hal/base/status_matchers.h"
#include "hal/metadata/metadata_buffer_name.h"
#include "hal/metadata/shared_metadata.h"
#include "hal/types/buffer_usage.h"
#include "hal/types/pixel_format.h"

namespace gralloc {
namespace {

using ::gralloc::testing::IsOk;
using ::gralloc::testing::OpenFdCount;
using ::gralloc::testing::StatusIs;
using ::testing::HasSubstr;

constexpr uint64_t U(BufferUsage usage) { return static_cast<uint64_t>(usage); }
constexpr uint64_t kCpuOften =
    U(BufferUsage::CPU_READ_OFTEN) | U(BufferUsage::CPU_WRITE_OFTEN);

std::unique_ptr<Allocator> MemfdAllocator(Profile profile = BuiltinProfile()) {
  std::vector<std::unique_ptr<Heap>> heaps;
  heaps.push_back(std::make_unique<MemfdHeap>());
  auto allocator =
      Allocator::Create(std::move(profile), HeapRegistry(std::move(heaps)));
  EXPECT_THAT(allocator, IsOk());
  return std::move(allocator).value();
}

BufferDescriptorInfo Descriptor(PixelFormat format, int64_t width,
                                int64_t height, uint64_t usage) {
  BufferDescriptorInfo info;
  info.name = "allocator-test";
  info.width = width;
  info.height = height;
  info.layer_count = 1;
  info.format = static_cast<int32_t>(format);
  info.usage = usage;
  return info;
}

off_t FdSize(int fd) {
  struct stat st;
  return fstat(fd, &st) == 0 ? st.st_size : -1;
}

TEST(AllocatorTest, AllocatesZeroedBuffersWithAValidHandle) {
  auto allocator = MemfdAllocator();
  BufferDescriptorInfo info =
      Descriptor(PixelFormat::RGBA_8888, 64, 64, kCpuOften);
  info.reserved_size = 40;
  ASSERT_OK_AND_ASSIGN(Allocation allocation, allocator->Allocate(info, 2));
  EXPECT_EQ(allocation.layout.stride_px, 64);
  ASSERT_EQ(allocation.buffers.size(), 2u);
  ASSERT_OK_AND_ASSIGN(HandleInfo handle,
                       DecodeHandle(allocation.buffers[0].handle.get()));
  EXPECT_EQ(handle.width, 64);
  EXPECT_EQ(handle.backend, HandleBackend::kMemfd);
  EXPECT_EQ(handle.reserved_size, 40u);
  EXPECT_NE(handle.buffer_id, 0u);
  EXPECT_GE(static_cast<uint64_t>(
                FdSize(HandleBufferFd(allocation.buffers[0].handle.get()))),
            handle.allocation_size);
  // ALLOCATION_SIZE stays below twice stride x height x 4.
  EXPECT_LT(handle.allocation_size, 2u * 64u * 64u * 4u);

  const int fd = HandleBufferFd(allocation.buffers[0].handle.get());
  void* pixels =
      mmap(nullptr, handle.allocation_size, PROT_READ, MAP_SHARED, fd, 0);
  ASSERT_NE(pixels, MAP_FAILED);
  const auto* bytes = static_cast<const unsigned char*>(pixels);
  bool zero = true;
  for (uint64_t i = 0; i < handle.allocation_size; ++i) zero &= bytes[i] == 0;
  EXPECT_TRUE(zero);
  munmap(pixels, handle.allocation_size);
}

// What an importer finds in the buffer's metadata: the header the allocator
// wrote, or the one a blank buffer's name says to write (as the mapper's
// import does).
struct MetadataSeen {
  std::string name;
  std::string heap_name;
  Dataspace dataspace = Dataspace::UNKNOWN;
  Rect crop;
};
absl::StatusOr<MetadataSeen> SeenByImporter(const native_handle_t* handle) {
  ASSIGN_OR_RETURN(const HandleInfo info, DecodeHandle(handle));
  const int fd = HandleMetadataFd(handle);
  void* mapping = mmap(nullptr, info.metadata_size, PROT_READ | PROT_WRITE,
                       MAP_SHARED, fd, 0);
  if (mapping == MAP_FAILED) return absl::InternalError("mmap");
  absl::StatusOr<SharedMetadata> metadata = SharedMetadata::Attach(
      mapping, info.metadata_size, [&]() -> absl::StatusOr<SharedMetadataInit> {
        ASSIGN_OR_RETURN(SharedMetadataInit init, ReadMetadataBufferName(fd));
        init.crop = Rect{0, 0, info.width, info.height};
        return init;
      });
  MetadataSeen seen;
  absl::Status status = metadata.status();
  if (metadata.ok()) {
    seen.name = metadata->name();
    seen.heap_name = metadata->heap_name();
    absl::StatusOr<Dataspace> dataspace = metadata->GetDataspace();
    absl::StatusOr<Rect> crop = metadata->GetCrop();
    status.Update(dataspace.status());
    status.Update(crop.status());
    if (status.ok()) {
      seen.dataspace = *dataspace;
      seen.crop = *crop;
    }
  }
  munmap(mapping, info.metadata_size);
  if (!status.ok()) return status;
  return seen;
}

TEST(AllocatorTest, MetadataBufferIsLeftBlankAndNamedAfterItsHeader) {
  auto allocator = MemfdAllocator();
  BufferDescriptorInfo info =
      Descriptor(PixelFormat::YCBCR_420_888, 64, 48, kCpuOften);
  info.additional_options.push_back(
      {kDataspaceOptionName, static_cast<int64_t>(Dataspace::BT709)});
  ASSERT_OK_AND_ASSIGN(Allocation allocation, allocator->Allocate(info, 1));
  const native_handle_t* handle = allocation.buffers[0].handle.get();
  const int fd = HandleMetadataFd(handle);
  // No page of it was touched at allocation.
  struct stat st {};
  ASSERT_EQ(fstat(fd, &st), 0);
  EXPECT_EQ(st.st_blocks, 0);
  ASSERT_OK_AND_ASSIGN(HandleInfo handle_info, DecodeHandle(handle));
  {
    void* mapping =
        mmap(nullptr, handle_info.metadata_size, PROT_READ, MAP_SHARED, fd, 0);
    ASSERT_NE(mapping, MAP_FAILED);
    // Without the name, a blank header is refused, not guessed.
    EXPECT_THAT(SharedMetadata::Attach(mapping, handle_info.metadata_size),
                StatusIs(absl::StatusCode::kDataLoss));
    munmap(mapping, handle_info.metadata_size);
  }
  ASSERT_OK_AND_ASSIGN(MetadataSeen seen, SeenByImporter(handle));
  EXPECT_EQ(seen.name, "allocator-test");
  EXPECT_EQ(seen.heap_name, "memfd");
  EXPECT_EQ(seen.dataspace, Dataspace::BT709);
  EXPECT_TRUE(seen.crop == (Rect{0, 0, 64, 48}));
  // Written now, and read as written by the next importer.
  ASSERT_EQ(fstat(fd, &st), 0);
  EXPECT_GT(st.st_blocks, 0);
  ASSERT_OK_AND_ASSIGN(MetadataSeen again, SeenByImporter(handle));
  EXPECT_EQ(again.name, "allocator-test");
  // Sealed: nobody can shrink it under another process's mapping.
  EXPECT_NE(ftruncate(fd, 0), 0);
}

TEST(AllocatorTest, ANameTooLongForTheMemfdIsWrittenAtAllocation) {
  auto allocator = MemfdAllocator();
  BufferDescriptorInfo info =
      Descriptor(PixelFormat::RGBA_8888, 16, 16, kCpuOften);
  // 120 bytes that each take three in a memfd name.
  info.name = std::string(120, '\xc3');
  ASSERT_OK_AND_ASSIGN(Allocation allocation, allocator->Allocate(info, 1));
  const native_handle_t* handle = allocation.buffers[0].handle.get();
  ASSERT_OK_AND_ASSIGN(HandleInfo handle_info, DecodeHandle(handle));
  void* mapping = mmap(nullptr, handle_info.metadata_size, PROT_READ,
                       MAP_SHARED, HandleMetadataFd(handle), 0);
  ASSERT_NE(mapping, MAP_FAILED);
  {
    // Readable without any name: the header is there.
    ASSERT_OK_AND_ASSIGN(
        SharedMetadata metadata,
        SharedMetadata::Attach(mapping, handle_info.metadata_size));
    EXPECT_EQ(metadata.name(), info.name);
    EXPECT_EQ(metadata.heap_name(), "memfd");
    ASSERT_OK_AND_ASSIGN(Rect crop, metadata.GetCrop());
    EXPECT_TRUE(crop == (Rect{0, 0, 16, 16}));
  }
  munmap(mapping, handle_info.metadata_size);
}

TEST(AllocatorTest, TheLargestReservedRegionFitsTheMetadataBuffer) {
  EXPECT_LE(SharedMetadataSize(kMaxReservedSizeBytes), kHandleMaxMetadataSize);
  auto allocator = MemfdAllocator();
  BufferDescriptorInfo info =
      Descriptor(PixelFormat::RGBA_8888, 8, 8, kCpuOften);
  info.reserved_size = kMaxReservedSizeBytes;
  ASSERT_OK_AND_ASSIGN(Verdict supported, allocator->IsSupported(info));
  EXPECT_THAT(supported.refusal, IsOk());
  EXPECT_THAT(allocator->Allocate(info, 1), IsOk());
  info.reserved_size = kMaxReservedSizeBytes + 1;
  ASSERT_OK_AND_ASSIGN(supported, allocator->IsSupported(info));
  EXPECT_THAT(supported.refusal, StatusIs(absl::StatusCode::kInvalidArgument,
                                          HasSubstr("reserved size")));
}

TEST(AllocatorTest, EveryBufferGetsItsOwnId) {
  auto allocator = MemfdAllocator();
  ASSERT_OK_AND_ASSIGN(
      Allocation allocation,
      allocator->Allocate(Descriptor(PixelFormat::BLOB, 4096, 1, kCpuOften),
                          16));
  std::set<uint64_t> ids;
  for (const AllocatedBuffer& buffer : allocation.buffers) {
    ASSERT_OK_AND_ASSIGN(HandleInfo handle, DecodeHandle(buffer.handle.get()));
    EXPECT_EQ(handle.buffer_id, buffer.info.buffer_id);
    ids.insert(handle.buffer_id);
  }
  EXPECT_EQ(ids.size(), 16u);
}

TEST(AllocatorTest, YcbcrFlexibleIsAllocatedAsNv12) {
  auto allocator = MemfdAllocator();
  ASSERT_OK_AND_ASSIGN(
      Allocation allocation,
      allocator->Allocate(
          Descriptor(PixelFormat::YCBCR_420_888, 64, 64, kCpuOften), 1));
  ASSERT_OK_AND_ASSIGN(HandleInfo handle,
                       DecodeHandle(allocation.buffers[0].handle.get()));
  EXPECT_EQ(handle.format_requested,
            static_cast<int32_t>(PixelFormat::YCBCR_420_888));
  EXPECT_EQ(handle.layout.format->drm_fourcc, FourccCode('N', 'V', '1', '2'));
  EXPECT_EQ(handle.layout.plane_count, 2);
  EXPECT_EQ(handle.layout.format, allocation.layout.format);
}

TEST(AllocatorTest, CountZeroReturnsNothingButStillChecksTheDescriptor) {
  auto allocator = MemfdAllocator();
  ASSERT_OK_AND_ASSIGN(
      Allocation none,
      allocator->Allocate(Descriptor(PixelFormat::RGBA_8888, 8, 8, kCpuOften),
                          0));
  EXPECT_TRUE(none.buffers.empty());
  EXPECT_THAT(allocator->Allocate(
                  Descriptor(PixelFormat::RGBA_8888, 0, 8, kCpuOften), 0),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(allocator->Allocate(
                  Descriptor(PixelFormat::RGBA_8888, 8, 8, kCpuOften), -1),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(AllocatorTest, IsSupportedAgreesWithAllocate) {
  auto allocator = MemfdAllocator();
  const std::vector<BufferDescriptorInfo> cases = {
      Descriptor(PixelFormat::RGBA_8888, 64, 64, kCpuOften),
      Descriptor(PixelFormat::RGBA_8888, 64, 64, uint64_t{1} << 33),
      Descriptor(PixelFormat::RGBA_FP16, 64, 64, U(BufferUsage::VIDEO_ENCODER)),
      Descriptor(PixelFormat::YV12, 64, 64, U(BufferUsage::CAMERA_OUTPUT)),
      Descriptor(PixelFormat::BLOB, 64, 2, kCpuOften),
      Descriptor(PixelFormat::RAW10, 6, 4, U(BufferUsage::CAMERA_OUTPUT)),
  };
  for (const BufferDescriptorInfo& info : cases) {
    ASSERT_OK_AND_ASSIGN(Verdict supported, allocator->IsSupported(info));
    EXPECT_EQ(supported.refusal, allocator->Allocate(info, 1).status())
        << info.format << " usage 0x" << std::hex << info.usage;
  }
}

// Plans are remembered per description; a repeated description must get
// exactly the plan a fresh negotiation gives, and a description differing
// in any field (the name included: it is checked at the door) its own.
TEST(AllocatorTest, RememberedPlansMatchFreshNegotiation) {
  auto allocator = MemfdAllocator();
  BufferDescriptorInfo base =
      Descriptor(PixelFormat::RGBA_8888, 64, 64, kCpuOften);
  std::vector<BufferDescriptorInfo> variants(7, base);
  variants[1].width = 96;
  variants[2].height = 48;
  variants[3].format = static_cast<int32_t>(PixelFormat::RGB_565);
  variants[4].usage |= U(BufferUsage::GPU_TEXTURE);
  variants[5].reserved_size = 4096;
  variants[6].additional_options.push_back(
      ExtendableType{kMinStrideAlignmentOptionName, 1024});
  for (int round = 0; round < 3; ++round) {
    for (const BufferDescriptorInfo& info : variants) {
      ASSERT_OK_AND_ASSIGN(Plan fresh, allocator->Explain(info));
      ASSERT_OK_AND_ASSIGN(Allocation allocation, allocator->Allocate(info, 1));
      EXPECT_EQ(allocation.layout, fresh.layout) << round;
      EXPECT_EQ(allocation.buffers[0].info.layout, fresh.layout);
    }
  }
  // A name negotiation refuses is refused however often its other fields
  // were seen.
  BufferDescriptorInfo bad_name = base;
  bad_name.name = std::string("bad\0name", 8);
  EXPECT_THAT(allocator->Allocate(bad_name, 1),
              StatusIs(absl::StatusCode::kInvalidArgument));
  ASSERT_OK_AND_ASSIGN(Verdict verdict, allocator->IsSupported(bad_name));
  EXPECT_THAT(verdict.refusal, StatusIs(absl::StatusCode::kInvalidArgument));
}

// Each thread keeps its last plan, matched by comparing descriptions eight
// bytes at a time: names one byte apart, at every position a word compare
// has a seam, must each get their own.
TEST(AllocatorTest, NamesOneByteApartGetTheirOwnPlans) {
  auto allocator = MemfdAllocator();
  for (size_t length : {1, 7, 8, 9, 15, 16, 17, 24}) {
    const std::string base(length, 'a');
    for (size_t at : {size_t{0}, length / 2, length - 1}) {
      std::string other = base;
      other[at] = 'b';
      for (const std::string& name : {base, other, base, other}) {
        BufferDescriptorInfo info =
            Descriptor(PixelFormat::RGBA_8888, 16, 16, kCpuOften);
        info.name = name;
        ASSERT_OK_AND_ASSIGN(Allocation allocation,
                             allocator->Allocate(info, 1));
        ASSERT_OK_AND_ASSIGN(
            MetadataSeen seen,
            SeenByImporter(allocation.buffers[0].handle.get()));
        EXPECT_EQ(seen.name, name) << "length " << length << " at " << at;
      }
    }
  }
}

// A thread's last plan names the allocator it came from by serial, not by
// address: the next allocator is often built where the last one was, and
// its plans differ. (Under ASan, using the old plan would also read the
// old allocator's freed heap.)
TEST(AllocatorTest, AThreadKeepsNoPlanOfAnAllocatorThatIsGone) {
  const BufferDescriptorInfo info =
      Descriptor(PixelFormat::RGBA_8888, 10, 10, kCpuOften);
  Profile aligned = BuiltinProfile();
  aligned.participants[static_cast<int>(Participant::kCpu)]
      .stride_alignment_bytes = 512;
  for (int round = 0; round < 4; ++round) {
    auto allocator =
        MemfdAllocator(round % 2 == 0 ? BuiltinProfile() : aligned);
    ASSERT_OK_AND_ASSIGN(Plan fresh, allocator->Explain(info));
    ASSERT_OK_AND_ASSIGN(Allocation allocation, allocator->Allocate(info, 1));
    EXPECT_EQ(allocation.layout, fresh.layout) << round;
    EXPECT_EQ(allocation.layout.planes[0].stride_bytes % 512 == 0,
              round % 2 == 1)
        << round;
  }
}

// Another thread allocates descriptions of its own, more than the plan
// cache holds, so every plan cached before is dropped from it.
void FillTheCacheFromAnotherThread(Allocator& allocator) {
  std::thread other([&allocator] {
    for (int width = 1; width <= 40; ++width) {
      EXPECT_THAT(
          allocator
              .Allocate(Descriptor(PixelFormat::RGBA_8888, width, 8, kCpuOften),
                        1)
              .status(),
          IsOk());
    }
  });
  other.join();
}

// A plan the cache has dropped stays valid for the thread that still
// keeps it as its last.
TEST(AllocatorTest, APlanTheCacheDroppedServesTheThreadThatKeepsIt) {
  auto allocator = MemfdAllocator();
  const BufferDescriptorInfo kept =
      Descriptor(PixelFormat::RGBA_8888, 64, 64, kCpuOften);
  ASSERT_OK_AND_ASSIGN(Allocation first, allocator->Allocate(kept, 1));
  FillTheCacheFromAnotherThread(*allocator);
  ASSERT_OK_AND_ASSIGN(Allocation again, allocator->Allocate(kept, 1));
  EXPECT_EQ(again.layout, first.layout);
  EXPECT_EQ(again.buffers[0].info.allocation_size,
            first.buffers[0].info.allocation_size);
}

// A thread_local destroyed after the allocator's own per-thread state (it
// was made before the thread's first allocation) may still allocate, even
// when the plan that thread kept is gone from the cache. (Under ASan, a
// fast path that trusted the destroyed state would read a freed plan.)
TEST(AllocatorTest, AThreadMayAllocateWhileItsThreadLocalsAreDestroyed) {
  auto allocator = MemfdAllocator();
  const BufferDescriptorInfo kept =
      Descriptor(PixelFormat::RGBA_8888, 64, 64, kCpuOften);
  struct AllocatesAtExit {
    Allocator* allocator = nullptr;
    BufferDescriptorInfo info;
    absl::StatusOr<Allocation>* result = nullptr;
    ~AllocatesAtExit() {
      if (allocator != nullptr) *result = allocator->Allocate(info, 1);
    }
  };
  absl::StatusOr<Allocation> at_exit = absl::UnknownError("never ran");
  std::thread thread([&] {
    thread_local AllocatesAtExit late;
    late.allocator = allocator.get();
    late.info = kept;
    late.result = &at_exit;
    EXPECT_THAT(allocator->Allocate(kept, 1).status(), IsOk());
    // Only this thread still holds `kept`'s plan.
    FillTheCacheFromAnotherThread(*allocator);
  });
  thread.join();
  ASSERT_THAT(at_exit, IsOk());
  ASSERT_EQ(at_exit->buffers.size(), 1u);
  EXPECT_EQ(at_exit->buffers[0].info.width, 64);
  ASSERT_OK_AND_ASSIGN(Plan fresh, allocator->Explain(kept));
  EXPECT_EQ(at_exit->layout, fresh.layout);
}

TEST(AllocatorTest, UnknownUsageBitIsUnsupportedAndBadSizeIsInvalid) {
  auto allocator = MemfdAllocator();
  EXPECT_THAT(
      allocator->Allocate(
          Descriptor(PixelFormat::RGBA_8888, 64, 64, uint64_t{1} << 33), 1),
      StatusIs(absl::StatusCode::kUnimplemented));
  EXPECT_THAT(
      allocator->Allocate(
          Descriptor(PixelFormat::RGBA_FP16, 65536, 65536, kCpuOften), 1),
      StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(AllocatorTest, FdCountIsFlatOver2048AllocateFreeRounds) {
  auto allocator = MemfdAllocator();
  const BufferDescriptorInfo info =
      Descriptor(PixelFormat::YCBCR_420_888, 32, 32, kCpuOften);
  // Warm up anything lazily opened.
  ASSERT_THAT(allocator->Allocate(info, 1), IsOk());
  const int before = OpenFdCount();
  for (int round = 0; round < 2048; ++round) {
    auto allocation = allocator->Allocate(info, 1);
    ASSERT_THAT(allocation, IsOk()) << "round " << round;
  }
  // And the failure path: refused descriptors leave nothing open either.
  for (int round = 0; round < 64; ++round) {
    ASSERT_FALSE(allocator
                     ->Allocate(Descriptor(PixelFormat::RGBA_FP16, 64, 64,
                                           U(BufferUsage::VIDEO_ENCODER)),
                                1)
                     .ok());
  }
  EXPECT_EQ(OpenFdCount(), before);
}

TEST(AllocatorTest, ServesAnswersForAUserJoiningLater) {
  auto allocator = MemfdAllocator();
  ASSERT_OK_AND_ASSIGN(
      Allocation preview,
      allocator->Allocate(Descriptor(PixelFormat::YCBCR_420_888, 1920, 1080,
                                     U(BufferUsage::CAMERA_OUTPUT) |
                                         U(BufferUsage::COMPOSER_OVERLAY)),
                          1));
  ASSERT_OK_AND_ASSIGN(HandleInfo handle,
                       DecodeHandle(preview.buffers[0].handle.get()));
  EXPECT_THAT(
      allocator->Serves(handle, nullptr, U(BufferUsage::VIDEO_ENCODER))
          ->refusal,
      StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("codec")));
  EXPECT_THAT(
      allocator->Serves(handle, nullptr, U(BufferUsage::CPU_READ_RARELY))
          ->refusal,
      IsOk());
}

TEST(AllocatorTest, ManyThreadsAllocateAtOnce) {
  auto allocator = MemfdAllocator();
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 50; ++i) {
        auto allocation = allocator->Allocate(
            Descriptor(PixelFormat::RGBA_8888, 16, 16, kCpuOften), 2);
        if (!allocation.ok()) failures.fetch_add(1);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
}

}  // namespace
}  // namespace gralloc
