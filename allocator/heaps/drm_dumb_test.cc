// Copyright 2026 The gralloc for Linux Authors.

#include "allocator/heaps/drm_dumb.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "allocator/heaps/heap_test_util.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "hal/base/fd_count.h"
#include "hal/base/status_matchers.h"

namespace gralloc {
namespace {

using ::gralloc::testing::ExpectGoodDmaBuf;
using ::gralloc::testing::IsOk;
using ::gralloc::testing::MakeRegularFile;
using ::gralloc::testing::MakeTempDir;
using ::gralloc::testing::OpenFdCount;
using ::gralloc::testing::StatusIs;
using ::testing::HasSubstr;

constexpr char kCard0[] = "/dev/dri/card0";

HeapRequest Geometry(uint32_t width, uint32_t height, uint32_t bpp,
                     std::string debug_name = "") {
  HeapRequest request;
  request.width = width;
  request.height = height;
  request.bpp = bpp;
  request.debug_name = std::move(debug_name);
  return request;
}

TEST(DrmDumbHeapTest, MissingNodeIsNotFoundNamingThePath) {
  const std::string path = MakeTempDir() + "/card0";
  EXPECT_THAT(DrmDumbHeap::Open(path),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr(path)));
}

TEST(DrmDumbHeapTest, FakeNodeIsRefusedNamingTheIoctlAndLeaksNothing) {
  const std::string path = MakeTempDir() + "/card0";
  MakeRegularFile(path);
  const int fds_before = OpenFdCount();
  absl::StatusOr<std::unique_ptr<DrmDumbHeap>> heap = DrmDumbHeap::Open(path);
  ASSERT_FALSE(heap.ok());
  EXPECT_THAT(heap.status().message(), HasSubstr("DRM_IOCTL_GET_CAP"));
  EXPECT_THAT(heap.status().message(), HasSubstr(path));
  EXPECT_EQ(OpenFdCount(), fds_before);
}

// The rest needs a DRM card with dumb buffers (vkms in the VM tier).
class RealDrmDumbTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (access(kCard0, F_OK) != 0) {
      GTEST_SKIP() << "no " << kCard0
                   << " on this machine: " << std::strerror(errno)
                   << " (the VM test tier loads vkms)";
    }
    absl::StatusOr<std::unique_ptr<DrmDumbHeap>> heap =
        DrmDumbHeap::Open(kCard0);
    if (absl::IsUnimplemented(heap.status())) {
      GTEST_SKIP() << heap.status();
    }
    ASSERT_THAT(heap, IsOk());
    heap_ = *std::move(heap);
  }

  std::unique_ptr<DrmDumbHeap> heap_;
};

TEST_F(RealDrmDumbTest, AllocatesZeroedNamedDmaBufWithDriverPitch) {
  EXPECT_EQ(heap_->name(), "drm-dumb:card0");
  EXPECT_TRUE(heap_->caps().scanout);
  ASSERT_OK_AND_ASSIGN(HeapBuffer buffer,
                       heap_->Allocate(Geometry(640, 480, 32, "scanout")));
  EXPECT_GE(buffer.pitch_bytes, 640u * 4);
  EXPECT_GE(buffer.size_bytes, uint64_t{buffer.pitch_bytes} * 480);
  ExpectGoodDmaBuf(buffer, "scanout");
}

TEST_F(RealDrmDumbTest, MissingGeometryIsInvalidArgument) {
  HeapRequest request;
  request.size_bytes = 4096;
  EXPECT_THAT(heap_->Allocate(request),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST_F(RealDrmDumbTest, GeometrySmallerThanRequestedSizeIsRefused) {
  const int fds_before = OpenFdCount();
  HeapRequest request = Geometry(16, 16, 32);
  request.size_bytes = uint64_t{1} << 30;
  EXPECT_THAT(heap_->Allocate(request),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(OpenFdCount(), fds_before);
}

TEST_F(RealDrmDumbTest, FdCountIsFlatOverManyAllocations) {
  const int fds_before = OpenFdCount();
  for (int i = 0; i < 2048; ++i) {
    ASSERT_THAT(heap_->Allocate(Geometry(64, 64, 32)), IsOk()) << "round " << i;
  }
  EXPECT_EQ(OpenFdCount(), fds_before);
}

}  // namespace
}  // namespace gralloc
