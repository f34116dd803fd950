// Copyright 2026 The gralloc for Linux Authors.
//
// Loads libgralloc_mapper.so the way an Android process loads a mapper:
// dlopen(), dlsym() of AIMapper_loadIMapper and the version symbols, and
// nothing but the C ABI. The mapper is not linked into this binary.
//
// Usage: dlopen_test <path to libgralloc_mapper.so> [gtest flags]

#include <dlfcn.h>

#include <cstdint>
#include <cstdio>
#include <string>

#include "android/hardware/graphics/mapper/IMapper.h"
#include "gtest/gtest.h"
#include "hal/base/fd_count.h"
#include "mapper/testing/buffer_factory.h"

namespace gralloc {
namespace {

std::string* library_path = nullptr;

using LoadFunction = AIMapper_Error (*)(AIMapper**);

class DlopenTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_NE(library_path, nullptr);
    first_ = dlopen(library_path->c_str(), RTLD_NOW | RTLD_LOCAL);
    ASSERT_NE(first_, nullptr) << dlerror();
    second_ = dlopen(library_path->c_str(), RTLD_NOW | RTLD_LOCAL);
    ASSERT_NE(second_, nullptr) << dlerror();
  }
  void TearDown() override {
    // Never dlclose: a mapper library stays loaded for the process's life,
    // as on Android.
  }
  AIMapper* Load(void* library) {
    auto load =
        reinterpret_cast<LoadFunction>(dlsym(library, "AIMapper_loadIMapper"));
    EXPECT_NE(load, nullptr) << dlerror();
    if (load == nullptr) return nullptr;
    AIMapper* mapper = nullptr;
    EXPECT_EQ(load(&mapper), AIMAPPER_ERROR_NONE);
    return mapper;
  }

  void* first_ = nullptr;
  void* second_ = nullptr;
};

TEST_F(DlopenTest, ExportsTheVersionSymbols) {
  const auto* mapper_version =
      static_cast<const uint32_t*>(dlsym(first_, "ANDROID_HAL_MAPPER_VERSION"));
  const auto* stablec_version = static_cast<const uint32_t*>(
      dlsym(first_, "ANDROID_HAL_STABLEC_VERSION"));
  ASSERT_NE(mapper_version, nullptr);
  ASSERT_NE(stablec_version, nullptr);
  EXPECT_EQ(*mapper_version, 5u);
  EXPECT_EQ(*stablec_version, 5u);
  // Internals stay hidden.
  EXPECT_EQ(dlsym(first_, "native_handle_clone"), nullptr);
}

TEST_F(DlopenTest, LoadingTwiceGivesIdenticalPointers) {
  AIMapper* a = Load(first_);
  AIMapper* b = Load(second_);
  ASSERT_NE(a, nullptr);
  ASSERT_EQ(a, b);
  EXPECT_EQ(a->version, AIMAPPER_VERSION_5);
  const void* const* fa = reinterpret_cast<const void* const*>(&a->v5);
  const void* const* fb = reinterpret_cast<const void* const*>(&b->v5);
  for (size_t i = 0; i < sizeof(AIMapperV5) / sizeof(void*); ++i) {
    EXPECT_NE(fa[i], nullptr) << "function " << i;
    EXPECT_EQ(fa[i], fb[i]) << "function " << i;
  }
}

TEST_F(DlopenTest, ImportThroughOneLoadFreeThroughAnother) {
  AIMapper* a = Load(first_);
  AIMapper* b = Load(second_);
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  absl::StatusOr<testing::TestBuffer> buffer = testing::MakeTestBuffer();
  ASSERT_TRUE(buffer.ok()) << buffer.status();
  const int fds_before = testing::OpenFdCount();
  buffer_handle_t imported = nullptr;
  ASSERT_EQ(a->v5.importBuffer(buffer->handle.get(), &imported),
            AIMAPPER_ERROR_NONE);
  void* data = nullptr;
  ASSERT_EQ(b->v5.lock(imported, testing::kCpuReadWrite, ARect{0, 0, 0, 0}, -1,
                       &data),
            AIMAPPER_ERROR_NONE);
  static_cast<char*>(data)[0] = 1;
  int fence = 0;
  ASSERT_EQ(a->v5.unlock(imported, &fence), AIMAPPER_ERROR_NONE);
  EXPECT_EQ(b->v5.freeBuffer(imported), AIMAPPER_ERROR_NONE);
  EXPECT_EQ(a->v5.freeBuffer(imported), AIMAPPER_ERROR_BAD_BUFFER);
  EXPECT_EQ(testing::OpenFdCount(), fds_before);
}

TEST_F(DlopenTest, ForgedHandlesAreBadBuffer) {
  AIMapper* a = Load(first_);
  ASSERT_NE(a, nullptr);
  buffer_handle_t imported = nullptr;
  EXPECT_EQ(a->v5.importBuffer(nullptr, &imported), AIMAPPER_ERROR_BAD_BUFFER);
  native_handle_t* empty = native_handle_create(0, 0);
  EXPECT_EQ(a->v5.importBuffer(empty, &imported), AIMAPPER_ERROR_BAD_BUFFER);
  native_handle_delete(empty);
  EXPECT_EQ(a->v5.freeBuffer(nullptr), AIMAPPER_ERROR_BAD_BUFFER);
}

}  // namespace
}  // namespace gralloc

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s <libgralloc_mapper.so>\n", argv[0]);
    return 2;
  }
  gralloc::library_path = new std::string(argv[1]);
  // A relative runfiles path: make it explicit for dlopen().
  if (gralloc::library_path->find('/') == std::string::npos ||
      (*gralloc::library_path)[0] != '/') {
    *gralloc::library_path = "./" + *gralloc::library_path;
  }
  return RUN_ALL_TESTS();
}
