// Copyright 2026 The gralloc for Linux Authors.

#include "allocator/heaps/dma_buf_name.h"

#include <sys/mman.h>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "hal/base/status_matchers.h"
#include "hal/base/unique_fd.h"

namespace gralloc {
namespace {

using ::gralloc::testing::StatusIs;
using ::testing::HasSubstr;

// Success on a real dma-buf is checked by each backend's test (the name
// shows up in fdinfo); here, the failure a caller may choose to ignore.
TEST(NameDmaBufTest, MemfdIsRefusedWithTheIoctlNamed) {
  UniqueFd memfd(memfd_create("not-a-dma-buf", MFD_CLOEXEC));
  ASSERT_TRUE(memfd.valid());
  absl::Status status = NameDmaBuf(memfd.get(), "camera");
  EXPECT_FALSE(status.ok());
  EXPECT_THAT(status.message(), HasSubstr("DMA_BUF_SET_NAME"));
}

TEST(NameDmaBufTest, BadFdIsRefused) {
  EXPECT_THAT(NameDmaBuf(-1, "camera"),
              StatusIs(absl::StatusCode::kFailedPrecondition));
}

}  // namespace
}  // namespace gralloc
