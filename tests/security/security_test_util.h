// Copyright 2026 The gralloc for Linux Authors.
//
// tests/security/security_test_util.h: what every test of a known bug class
// needs: the process's Mapper 5 table, the fixture of the mapper attacks,
// fence-like fds, metadata type names, and a check that an fd number is
// closed. Test-only.

#ifndef GRALLOC_TESTS_SECURITY_SECURITY_TEST_UTIL_H_
#define GRALLOC_TESTS_SECURITY_SECURITY_TEST_UTIL_H_

#include <errno.h>
#include <fcntl.h>
#include <sys/eventfd.h>

#include <cstdint>

#include "android/hardware/graphics/mapper/IMapper.h"
#include "gtest/gtest.h"
#include "hal/base/fd_count.h"
#include "hal/base/status_matchers.h"
#include "hal/handle/buffer_handle.h"
#include "mapper/testing/buffer_factory.h"

namespace gralloc::testing {

// The Mapper 5 table the C ABI hands out; fails the test if there is none.
inline AIMapper* LoadMapper() {
  AIMapper* mapper = nullptr;
  EXPECT_EQ(AIMapper_loadIMapper(&mapper), AIMAPPER_ERROR_NONE);
  return mapper;
}

// The fixture of the attacks on the mapper: the loaded Mapper 5 table, and
// a check that each test leaves exactly the fds it found.
class MapperAttackTest : public ::testing::Test {
 protected:
  void SetUp() override {
    mapper_ = LoadMapper();
    ASSERT_NE(mapper_, nullptr);
    fds_before_ = OpenFdCount();
    ASSERT_GE(fds_before_, 0) << "/proc/self/fd is needed to count fds";
  }
  void TearDown() override { EXPECT_EQ(OpenFdCount(), fds_before_); }

  // Imports a copy of `real` that `forge` rewrote; frees it if the mapper
  // took it. Returns what importBuffer said.
  template <typename Forge>
  AIMapper_Error ImportForged(const native_handle_t* real, Forge forge) {
    NativeHandlePtr forged = CloneHandle(real);
    EXPECT_NE(forged, nullptr);
    if (forged == nullptr) return AIMAPPER_ERROR_NO_RESOURCES;
    forge(forged.get());
    buffer_handle_t imported = nullptr;
    const AIMapper_Error error =
        mapper_->v5.importBuffer(forged.get(), &imported);
    if (error == AIMAPPER_ERROR_NONE) mapper_->v5.freeBuffer(imported);
    return error;
  }

  AIMapper* mapper_ = nullptr;
  int fds_before_ = 0;
};

// The same with a real 64x32 RGBA_8888 buffer (one plane of 32 rows of 256
// bytes, 8192 bytes) made for each test.
class MapperAttackWithBufferTest : public MapperAttackTest {
 protected:
  void SetUp() override {
    MapperAttackTest::SetUp();
    ASSERT_OK_AND_ASSIGN(buffer_, MakeTestBuffer());
  }
  void TearDown() override {
    buffer_ = TestBuffer{};
    MapperAttackTest::TearDown();
  }

  TestBuffer buffer_;
};

// A fence-like fd the caller owns: an eventfd polls readable (POLLIN) once
// signalled. -1 if eventfd() fails.
inline int NewFence(bool signalled) {
  return eventfd(signalled ? 1 : 0, EFD_CLOEXEC);
}

// Whether `fd` names no open file in this process.
inline bool IsClosed(int fd) {
  return fcntl(fd, F_GETFD) < 0 && errno == EBADF;
}

inline AIMapper_MetadataType StandardMetadata(int64_t value) {
  return AIMapper_MetadataType{
      "android.hardware.graphics.common.StandardMetadataType", value};
}

}  // namespace gralloc::testing

#endif  // GRALLOC_TESTS_SECURITY_SECURITY_TEST_UTIL_H_
