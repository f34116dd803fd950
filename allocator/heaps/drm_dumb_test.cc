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
  // The first card that offers dumb buffers: card numbers depend on probe
  // order (in the VM, card0 is vgem, which has none, and card1 vkms).
  void SetUp() override {
    std::string tried;
    for (int card = 0; card < 8; ++card) {
      const std::string path = "/dev/dri/card" + std::to_string(card);
      if (access(path.c_str(), F_OK) != 0) continue;
      absl::StatusOr<std::unique_ptr<DrmDumbHeap>> heap =
          DrmDumbHeap::Open(path);
      if (heap.ok()) {
        heap_ = *std::move(heap);
        card_name_ = "drm-dumb:card" + std::to_string(card);
        return;
      }
      tried += " " + path + ": " + std::string(heap.status().message());
    }
    GTEST_SKIP() << "no DRM card with dumb buffers on this machine"
                 << (tried.empty() ? " (no /dev/dri/card*)" : ":" + tried)
                 << " (the VM test tier loads vkms)";
  }

  std::string card_name_;

  std::unique_ptr<DrmDumbHeap> heap_;
};

TEST_F(RealDrmDumbTest, AllocatesZeroedNamedDmaBufWithDriverPitch) {
  EXPECT_EQ(heap_->name(), card_name_);
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
