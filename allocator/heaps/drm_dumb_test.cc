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

// Rows of `stride_bytes`, `rows` of them.
HeapRequest Rows(uint64_t stride_bytes, uint64_t rows,
                 std::string debug_name = "") {
  HeapRequest request;
  request.stride_bytes = stride_bytes;
  request.size_bytes = stride_bytes * rows;
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

TEST_F(RealDrmDumbTest, AllocatesZeroedNamedDmaBufWithTheLayoutsPitch) {
  EXPECT_EQ(heap_->name(), card_name_);
  EXPECT_TRUE(heap_->caps().scanout);
  ASSERT_OK_AND_ASSIGN(HeapBuffer buffer,
                       heap_->Allocate(Rows(640 * 4, 480, "scanout")));
  EXPECT_GE(buffer.size_bytes, uint64_t{640 * 4} * 480);
  ExpectGoodDmaBuf(buffer, "scanout");
  // A size that is not whole rows is rounded up to whole rows.
  HeapRequest partial = Rows(256, 4);
  partial.size_bytes += 1;
  ASSERT_OK_AND_ASSIGN(buffer, heap_->Allocate(partial));
  EXPECT_GE(buffer.size_bytes, 256u * 5);
}

TEST_F(RealDrmDumbTest, MissingStrideOrSizeIsInvalidArgument) {
  HeapRequest request;
  request.size_bytes = 4096;
  EXPECT_THAT(heap_->Allocate(request),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(heap_->Allocate(Rows(256, 0)),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST_F(RealDrmDumbTest, RowsBeyondThirtyTwoBitsAreRefusedLeakingNothing) {
  const int fds_before = OpenFdCount();
  HeapRequest request = Rows(1, 1);
  request.size_bytes = uint64_t{1} << 33;
  EXPECT_THAT(heap_->Allocate(request),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(OpenFdCount(), fds_before);
}

TEST_F(RealDrmDumbTest, FdCountIsFlatOverManyAllocations) {
  const int fds_before = OpenFdCount();
  for (int i = 0; i < 2048; ++i) {
    ASSERT_THAT(heap_->Allocate(Rows(64 * 4, 64)), IsOk()) << "round " << i;
  }
  EXPECT_EQ(OpenFdCount(), fds_before);
}

}  // namespace
}  // namespace gralloc
