// Copyright 2026 The gralloc for Linux Authors.
//
// Many rounds and many threads: no fd leaks, no races (run under
// --config=tsan), consistent lock counts.

#include <atomic>
#include <cstdint>
#include <cstring>
#include <thread>
#include <vector>

#include "android/hardware/graphics/mapper/IMapper.h"
#include "gtest/gtest.h"
#include "hal/base/fd_count.h"
#include "hal/base/status_matchers.h"
#include "hal/metadata/metadata_codec.h"
#include "hal/metadata/metadata_types.h"
#include "mapper/testing/buffer_factory.h"
#include "mapper/testing/mapper_test_util.h"

namespace gralloc {
namespace {

using ::gralloc::testing::kCpuReadWrite;
using ::gralloc::testing::MakeFence;
using ::gralloc::testing::MakeTestBuffer;
using ::gralloc::testing::OpenFdCount;
using ::gralloc::testing::TestBuffer;

constexpr ARect kWholeBuffer{0, 0, 0, 0};

AIMapper* LoadMapper() {
  AIMapper* mapper = nullptr;
  EXPECT_EQ(AIMapper_loadIMapper(&mapper), AIMAPPER_ERROR_NONE);
  return mapper;
}

TEST(StressTest, ImportLockUnlockFree2048RoundsKeepsTheFdCountFlat) {
  AIMapper* mapper = LoadMapper();
  ASSERT_OK_AND_ASSIGN(TestBuffer buffer, MakeTestBuffer());
  const int fds_before = OpenFdCount();
  for (int round = 0; round < 2048; ++round) {
    buffer_handle_t imported = nullptr;
    ASSERT_EQ(mapper->v5.importBuffer(buffer.handle.get(), &imported),
              AIMAPPER_ERROR_NONE);
    void* data = nullptr;
    ASSERT_EQ(mapper->v5.lock(imported, kCpuReadWrite, kWholeBuffer,
                              MakeFence(true).release(), &data),
              AIMAPPER_ERROR_NONE);
    static_cast<uint8_t*>(data)[round % 64] = static_cast<uint8_t>(round);
    int release_fence = 0;
    ASSERT_EQ(mapper->v5.unlock(imported, &release_fence), AIMAPPER_ERROR_NONE);
    ASSERT_EQ(release_fence, -1);
    ASSERT_EQ(mapper->v5.freeBuffer(imported), AIMAPPER_ERROR_NONE);
  }
  EXPECT_EQ(OpenFdCount(), fds_before);
}

// Threads import, lock, write, set and get metadata and free, some on one
// shared buffer and some on buffers of their own.
TEST(StressTest, ManyThreadsOnSameAndDifferentBuffers) {
  AIMapper* mapper = LoadMapper();
  ASSERT_OK_AND_ASSIGN(TestBuffer shared, MakeTestBuffer());
  buffer_handle_t shared_import = nullptr;
  ASSERT_EQ(mapper->v5.importBuffer(shared.handle.get(), &shared_import),
            AIMAPPER_ERROR_NONE);
  const int fds_before = OpenFdCount();
  constexpr int kThreads = 8;
  constexpr int kRounds = 64;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      absl::StatusOr<TestBuffer> own = MakeTestBuffer();
      if (!own.ok()) {
        ++failures;
        return;
      }
      for (int round = 0; round < kRounds; ++round) {
        const native_handle_t* raw =
            (round + t) % 2 == 0 ? shared.handle.get() : own->handle.get();
        buffer_handle_t imported = nullptr;
        if (mapper->v5.importBuffer(raw, &imported) != AIMAPPER_ERROR_NONE) {
          ++failures;
          continue;
        }
        void* data = nullptr;
        if (mapper->v5.lock(imported, kCpuReadWrite, kWholeBuffer, -1, &data) !=
            AIMAPPER_ERROR_NONE) {
          ++failures;
        } else {
          // Each thread writes its own bytes: the pixels are the client's
          // business, the mapper only has to keep them mapped.
          static_cast<uint8_t*>(data)[t] = static_cast<uint8_t>(round);
          int fence = 0;
          if (mapper->v5.unlock(imported, &fence) != AIMAPPER_ERROR_NONE) {
            ++failures;
          }
        }
        // The shared import is locked and unlocked concurrently too.
        if (mapper->v5.lock(shared_import, kCpuReadWrite, kWholeBuffer, -1,
                            &data) == AIMAPPER_ERROR_NONE) {
          int fence = 0;
          if (mapper->v5.unlock(shared_import, &fence) != AIMAPPER_ERROR_NONE) {
            ++failures;
          }
        } else {
          ++failures;
        }
        const Dataspace dataspace =
            round % 2 ? Dataspace::SRGB : Dataspace::DISPLAY_P3;
        uint8_t bytes[128];
        const size_t size = EncodeMetadata<StandardMetadataType::DATASPACE>(
            dataspace, bytes, sizeof(bytes));
        if (mapper->v5.setStandardMetadata(
                imported, static_cast<int64_t>(StandardMetadataType::DATASPACE),
                bytes, size) != AIMAPPER_ERROR_NONE) {
          ++failures;
        }
        const int32_t got = mapper->v5.getStandardMetadata(
            imported, static_cast<int64_t>(StandardMetadataType::DATASPACE),
            bytes, sizeof(bytes));
        if (got <= 0 || !DecodeMetadata<StandardMetadataType::DATASPACE>(
                             bytes, static_cast<size_t>(got))
                             .ok()) {
          ++failures;
        }
        if (mapper->v5.freeBuffer(imported) != AIMAPPER_ERROR_NONE) {
          ++failures;
        }
      }
    });
  }
  // Dumps run while everything else happens.
  threads.emplace_back([&] {
    for (int i = 0; i < 32; ++i) {
      mapper->v5.dumpAllBuffers(
          [](void*) {},
          [](void*, AIMapper_MetadataType, const void*, size_t) {}, nullptr);
    }
  });
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(mapper->v5.freeBuffer(shared_import), AIMAPPER_ERROR_NONE);
  // Each thread's own buffer was closed when the thread ended.
  EXPECT_LE(OpenFdCount(), fds_before);
}

// Racing frees of one handle: exactly one wins, the rest are BAD_BUFFER.
TEST(StressTest, ConcurrentFreesOfOneHandleSucceedOnce) {
  AIMapper* mapper = LoadMapper();
  ASSERT_OK_AND_ASSIGN(TestBuffer buffer, MakeTestBuffer());
  for (int round = 0; round < 32; ++round) {
    buffer_handle_t imported = nullptr;
    ASSERT_EQ(mapper->v5.importBuffer(buffer.handle.get(), &imported),
              AIMAPPER_ERROR_NONE);
    std::atomic<int> successes{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
      threads.emplace_back([&] {
        if (mapper->v5.freeBuffer(imported) == AIMAPPER_ERROR_NONE) {
          ++successes;
        }
      });
    }
    for (std::thread& thread : threads) thread.join();
    EXPECT_EQ(successes.load(), 1);
  }
}

}  // namespace
}  // namespace gralloc
