// Copyright 2026 The gralloc for Linux Authors.

#include "cutils/native_handle.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <climits>

#include "gtest/gtest.h"
#include "hal/base/fd_count.h"

namespace {

using ::gralloc::testing::OpenFdCount;

TEST(NativeHandleTest, CreateHasAndroidLayoutAndZeroedData) {
  native_handle_t* h = native_handle_create(2, 3);
  ASSERT_NE(h, nullptr);
  EXPECT_EQ(h->version, static_cast<int>(sizeof(native_handle_t)));
  EXPECT_EQ(h->version, 12);
  EXPECT_EQ(h->numFds, 2);
  EXPECT_EQ(h->numInts, 3);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(h->data[i], 0) << i;
  EXPECT_EQ(native_handle_delete(h), 0);
}

TEST(NativeHandleTest, EmptyHandleIsAllowed) {
  native_handle_t* h = native_handle_create(0, 0);
  ASSERT_NE(h, nullptr);
  EXPECT_EQ(h->numFds, 0);
  EXPECT_EQ(h->numInts, 0);
  EXPECT_EQ(native_handle_close(h), 0);
  EXPECT_EQ(native_handle_delete(h), 0);
}

TEST(NativeHandleTest, LimitsAre1024FdsAnd1024Ints) {
  native_handle_t* h = native_handle_create(1024, 1024);
  ASSERT_NE(h, nullptr);
  EXPECT_EQ(native_handle_delete(h), 0);

  errno = 0;
  EXPECT_EQ(native_handle_create(1025, 0), nullptr);
  EXPECT_EQ(errno, EINVAL);
  EXPECT_EQ(native_handle_create(0, 1025), nullptr);
}

TEST(NativeHandleTest, NegativeAndOverflowingCountsAreRejected) {
  EXPECT_EQ(native_handle_create(-1, 0), nullptr);
  EXPECT_EQ(native_handle_create(0, -1), nullptr);
  EXPECT_EQ(native_handle_create(INT_MIN, 0), nullptr);
  // Counts whose byte size would overflow a 32-bit or 64-bit computation.
  EXPECT_EQ(native_handle_create(INT_MAX, INT_MAX), nullptr);
  EXPECT_EQ(native_handle_create(INT_MAX / 4 + 1, 0), nullptr);
}

TEST(NativeHandleTest, InitUsesCallerStorageAndChecksLimits) {
  NATIVE_HANDLE_DECLARE_STORAGE(storage, 1, 2);
  native_handle_t* h = native_handle_init(storage, 1, 2);
  ASSERT_NE(h, nullptr);
  EXPECT_EQ(static_cast<void*>(h), static_cast<void*>(storage));
  EXPECT_EQ(h->numFds, 1);
  EXPECT_EQ(h->numInts, 2);
  EXPECT_EQ(native_handle_init(storage, -1, 0), nullptr);
  EXPECT_EQ(native_handle_init(storage, 0, 1025), nullptr);
  EXPECT_EQ(native_handle_init(nullptr, 0, 0), nullptr);
}

TEST(NativeHandleTest, CloneDuplicatesFdsAndCopiesInts) {
  const int before = OpenFdCount();
  native_handle_t* h = native_handle_create(1, 2);
  ASSERT_NE(h, nullptr);
  h->data[0] = open("/dev/null", O_RDONLY | O_CLOEXEC);
  ASSERT_GE(h->data[0], 0);
  h->data[1] = 0x1234;
  h->data[2] = -7;

  native_handle_t* clone = native_handle_clone(h);
  ASSERT_NE(clone, nullptr);
  EXPECT_EQ(clone->numFds, 1);
  EXPECT_EQ(clone->numInts, 2);
  EXPECT_NE(clone->data[0], h->data[0]);
  EXPECT_GE(fcntl(clone->data[0], F_GETFD), 0);
  EXPECT_TRUE(fcntl(clone->data[0], F_GETFD) & FD_CLOEXEC);
  EXPECT_EQ(clone->data[1], 0x1234);
  EXPECT_EQ(clone->data[2], -7);
  EXPECT_EQ(OpenFdCount(), before + 2);

  EXPECT_EQ(native_handle_close(clone), 0);
  EXPECT_EQ(native_handle_delete(clone), 0);
  EXPECT_EQ(native_handle_close(h), 0);
  EXPECT_EQ(native_handle_delete(h), 0);
  EXPECT_EQ(OpenFdCount(), before);
}

TEST(NativeHandleTest, CloneWithABadFdLeaksNothing) {
  const int before = OpenFdCount();
  native_handle_t* h = native_handle_create(3, 0);
  ASSERT_NE(h, nullptr);
  h->data[0] = open("/dev/null", O_RDONLY | O_CLOEXEC);
  h->data[1] = open("/dev/null", O_RDONLY | O_CLOEXEC);
  h->data[2] = 1 << 20;  // not an open fd: dup fails after two succeeded
  EXPECT_EQ(native_handle_clone(h), nullptr);
  EXPECT_EQ(OpenFdCount(), before + 2);
  h->data[2] = -1;  // close() skips negative entries
  EXPECT_EQ(native_handle_close(h), 0);
  EXPECT_EQ(native_handle_delete(h), 0);
  EXPECT_EQ(OpenFdCount(), before);
}

TEST(NativeHandleTest, MalformedHandlesAreRejected) {
  EXPECT_EQ(native_handle_clone(nullptr), nullptr);
  EXPECT_EQ(native_handle_close(nullptr), -EINVAL);
  EXPECT_EQ(native_handle_delete(nullptr), 0);

  NATIVE_HANDLE_DECLARE_STORAGE(storage, 0, 0);
  native_handle_t* h = native_handle_init(storage, 0, 0);
  ASSERT_NE(h, nullptr);
  h->version = 99;
  EXPECT_EQ(native_handle_clone(h), nullptr);
  EXPECT_EQ(native_handle_close(h), -EINVAL);
  EXPECT_EQ(native_handle_delete(h), -EINVAL);  // not freed: not ours
  h->version = static_cast<int>(sizeof(native_handle_t));
  h->numFds = 5000;
  EXPECT_EQ(native_handle_clone(h), nullptr);
  EXPECT_EQ(native_handle_close(h), -EINVAL);
}

}  // namespace
