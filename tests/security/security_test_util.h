// Copyright 2026 The gralloc for Linux Authors.
//
// tests/security/security_test_util.h: what every test of a known bug class
// needs: the process's Mapper 5 table, fence-like fds, metadata type names,
// and a check that an fd number is closed. Test-only.

#ifndef GRALLOC_TESTS_SECURITY_SECURITY_TEST_UTIL_H_
#define GRALLOC_TESTS_SECURITY_SECURITY_TEST_UTIL_H_

#include <errno.h>
#include <fcntl.h>
#include <sys/eventfd.h>

#include <cstdint>

#include "android/hardware/graphics/mapper/IMapper.h"
#include "gtest/gtest.h"

namespace gralloc::testing {

// The Mapper 5 table the C ABI hands out; fails the test if there is none.
inline AIMapper* LoadMapper() {
  AIMapper* mapper = nullptr;
  EXPECT_EQ(AIMapper_loadIMapper(&mapper), AIMAPPER_ERROR_NONE);
  return mapper;
}

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
