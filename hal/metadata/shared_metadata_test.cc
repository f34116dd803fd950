// Copyright 2026 The gralloc for Linux Authors.

#include "hal/metadata/shared_metadata.h"

#include <signal.h>
#include <sys/mman.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <optional>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "hal/base/status_matchers.h"
#include "hal/metadata/metadata_types.h"

namespace gralloc {
namespace {

using ::gralloc::testing::StatusIs;

MATCHER_P(IsOkAndHolds, matcher, "is OK and holds a matching value") {
  if (!arg.ok()) {
    *result_listener << "status is " << arg.status();
    return false;
  }
  return ::testing::ExplainMatchResult(matcher, *arg, result_listener);
}

// An anonymous shared mapping, unmapped at the end of the test.
class Mapping {
 public:
  explicit Mapping(size_t size) : size_(size) {
    data_ = mmap(nullptr, size_, PROT_READ | PROT_WRITE,
                 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  }
  ~Mapping() {
    if (data_ != MAP_FAILED) munmap(data_, size_);
  }
  void* data() const { return data_; }
  size_t size() const { return size_; }
  uint32_t* words() const { return static_cast<uint32_t*>(data_); }

 private:
  size_t size_;
  void* data_;
};

SharedMetadataInit DefaultInit() {
  SharedMetadataInit init;
  init.name = "camera-preview";
  init.heap_name = "memfd";
  init.reserved_size = 100;
  init.crop = Rect{0, 0, 640, 480};
  return init;
}

TEST(SharedMetadataSizeTest, IsPageRoundedAndCoversTheReservedRegion) {
  const size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  const size_t small = SharedMetadataSize(0);
  EXPECT_GT(small, 0u);
  EXPECT_EQ(small % page, 0u);
  EXPECT_GE(SharedMetadataSize(1 << 20), size_t{1} << 20);
  EXPECT_EQ(SharedMetadataSize(1 << 20) % page, 0u);
}

TEST(SharedMetadataSizeTest, OverflowingReservedSizeIsZero) {
  EXPECT_EQ(SharedMetadataSize(UINT64_MAX), 0u);
  EXPECT_EQ(SharedMetadataSize(UINT64_MAX - 100), 0u);
}

TEST(SharedMetadataTest, InitThenAttachGivesTheDefaults) {
  const SharedMetadataInit init = DefaultInit();
  Mapping mapping(SharedMetadataSize(init.reserved_size));
  ASSERT_OK(InitSharedMetadata(mapping.data(), mapping.size(), init));
  ASSERT_OK_AND_ASSIGN(SharedMetadata view,
                       SharedMetadata::Attach(mapping.data(), mapping.size()));
  EXPECT_EQ(view.name(), "camera-preview");
  EXPECT_EQ(view.heap_name(), "memfd");
  EXPECT_EQ(view.reserved_size(), 100u);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(view.reserved_region()) % 8, 0u);
  const unsigned char* reserved =
      static_cast<const unsigned char*>(view.reserved_region());
  EXPECT_GE(reserved, static_cast<unsigned char*>(mapping.data()));
  EXPECT_LE(reserved + 100,
            static_cast<unsigned char*>(mapping.data()) + mapping.size());
  for (int i = 0; i < 100; ++i) EXPECT_EQ(reserved[i], 0);

  EXPECT_THAT(view.GetDataspace(), IsOkAndHolds(Dataspace::UNKNOWN));
  EXPECT_THAT(view.GetBlendMode(), IsOkAndHolds(BlendMode::INVALID));
  EXPECT_THAT(view.GetCrop(), IsOkAndHolds(Rect{0, 0, 640, 480}));
  ASSERT_OK_AND_ASSIGN(auto smpte2086, view.GetSmpte2086());
  EXPECT_FALSE(smpte2086.has_value());
  ASSERT_OK_AND_ASSIGN(auto cta, view.GetCta861_3());
  EXPECT_FALSE(cta.has_value());
  ASSERT_OK_AND_ASSIGN(auto s40, view.GetSmpte2094_40());
  EXPECT_FALSE(s40.has_value());
  ASSERT_OK_AND_ASSIGN(auto s10, view.GetSmpte2094_10());
  EXPECT_FALSE(s10.has_value());
}

TEST(SharedMetadataTest, InitTakesTheDataspace) {
  SharedMetadataInit init = DefaultInit();
  init.dataspace = Dataspace::SRGB;
  Mapping mapping(SharedMetadataSize(init.reserved_size));
  ASSERT_OK(InitSharedMetadata(mapping.data(), mapping.size(), init));
  ASSERT_OK_AND_ASSIGN(SharedMetadata view,
                       SharedMetadata::Attach(mapping.data(), mapping.size()));
  EXPECT_THAT(view.GetDataspace(), IsOkAndHolds(Dataspace::SRGB));
}

TEST(SharedMetadataTest, InitRejectsShortMappingsAndLongNames) {
  SharedMetadataInit init = DefaultInit();
  Mapping mapping(SharedMetadataSize(init.reserved_size));
  EXPECT_THAT(InitSharedMetadata(nullptr, mapping.size(), init),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(InitSharedMetadata(mapping.data(), 64, init),
              StatusIs(absl::StatusCode::kInvalidArgument));
  init.name = std::string(kSharedMetadataMaxNameBytes + 1, 'x');
  EXPECT_THAT(InitSharedMetadata(mapping.data(), mapping.size(), init),
              StatusIs(absl::StatusCode::kInvalidArgument));
  init.name = std::string(kSharedMetadataMaxNameBytes, 'x');
  EXPECT_OK(InitSharedMetadata(mapping.data(), mapping.size(), init));
  init.heap_name = std::string(kSharedMetadataMaxHeapNameBytes + 1, 'h');
  EXPECT_THAT(InitSharedMetadata(mapping.data(), mapping.size(), init),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(SharedMetadataTest, SettersRoundTrip) {
  const SharedMetadataInit init = DefaultInit();
  Mapping mapping(SharedMetadataSize(init.reserved_size));
  ASSERT_OK(InitSharedMetadata(mapping.data(), mapping.size(), init));
  ASSERT_OK_AND_ASSIGN(SharedMetadata view,
                       SharedMetadata::Attach(mapping.data(), mapping.size()));
  ASSERT_OK(view.SetDataspace(Dataspace::BT2020_PQ));
  ASSERT_OK(view.SetBlendMode(BlendMode::PREMULTIPLIED));
  ASSERT_OK(view.SetCrop(Rect{1, 2, 3, 4}));
  Smpte2086 smpte2086;
  smpte2086.primary_red = {0.68f, 0.32f};
  smpte2086.white_point = {0.3127f, 0.329f};
  smpte2086.max_luminance = 1000;
  smpte2086.min_luminance = 0.005f;
  ASSERT_OK(view.SetSmpte2086(smpte2086));
  ASSERT_OK(view.SetCta861_3(Cta861_3{1000, 400}));
  const std::vector<uint8_t> payload = {1, 2, 3, 4, 5};
  ASSERT_OK(view.SetSmpte2094_40(payload));
  ASSERT_OK(view.SetSmpte2094_10(std::vector<uint8_t>{}));

  // A second view of the same memory sees every value.
  ASSERT_OK_AND_ASSIGN(SharedMetadata other,
                       SharedMetadata::Attach(mapping.data(), mapping.size()));
  EXPECT_THAT(other.GetDataspace(), IsOkAndHolds(Dataspace::BT2020_PQ));
  EXPECT_THAT(other.GetBlendMode(), IsOkAndHolds(BlendMode::PREMULTIPLIED));
  EXPECT_THAT(other.GetCrop(), IsOkAndHolds(Rect{1, 2, 3, 4}));
  EXPECT_THAT(other.GetSmpte2086(),
              IsOkAndHolds(::testing::Optional(smpte2086)));
  EXPECT_THAT(other.GetCta861_3(),
              IsOkAndHolds(::testing::Optional(Cta861_3{1000, 400})));
  EXPECT_THAT(other.GetSmpte2094_40(),
              IsOkAndHolds(::testing::Optional(payload)));
  // Set-but-empty is distinct from unset.
  EXPECT_THAT(other.GetSmpte2094_10(),
              IsOkAndHolds(::testing::Optional(std::vector<uint8_t>{})));

  ASSERT_OK(view.SetSmpte2086(std::nullopt));
  ASSERT_OK(view.SetSmpte2094_40(std::nullopt));
  ASSERT_OK_AND_ASSIGN(auto cleared, other.GetSmpte2086());
  EXPECT_FALSE(cleared.has_value());
  ASSERT_OK_AND_ASSIGN(auto cleared40, other.GetSmpte2094_40());
  EXPECT_FALSE(cleared40.has_value());
}

TEST(SharedMetadataTest, Smpte2094LargerThanTheCapIsUnimplemented) {
  const SharedMetadataInit init = DefaultInit();
  Mapping mapping(SharedMetadataSize(init.reserved_size));
  ASSERT_OK(InitSharedMetadata(mapping.data(), mapping.size(), init));
  ASSERT_OK_AND_ASSIGN(SharedMetadata view,
                       SharedMetadata::Attach(mapping.data(), mapping.size()));
  EXPECT_OK(view.SetSmpte2094_40(std::vector<uint8_t>(kSmpte2094MaxBytes, 7)));
  EXPECT_THAT(
      view.SetSmpte2094_40(std::vector<uint8_t>(kSmpte2094MaxBytes + 1, 7)),
      StatusIs(absl::StatusCode::kUnimplemented));
  // The failed set left the previous value.
  ASSERT_OK_AND_ASSIGN(auto value, view.GetSmpte2094_40());
  ASSERT_TRUE(value.has_value());
  EXPECT_EQ(value->size(), kSmpte2094MaxBytes);
}

TEST(SharedMetadataTest, AttachRejectsALyingHeader) {
  const SharedMetadataInit init = DefaultInit();
  const size_t size = SharedMetadataSize(init.reserved_size);
  Mapping mapping(size);
  ASSERT_OK(InitSharedMetadata(mapping.data(), size, init));
  std::vector<unsigned char> good(size);
  std::memcpy(good.data(), mapping.data(), size);
  auto restore = [&] { std::memcpy(mapping.data(), good.data(), size); };
  uint32_t* words = mapping.words();
  uint64_t* quads = reinterpret_cast<uint64_t*>(mapping.data());

  words[0] ^= 1;  // magic
  EXPECT_THAT(SharedMetadata::Attach(mapping.data(), size),
              StatusIs(absl::StatusCode::kDataLoss));
  restore();
  words[1] = 1;  // version 1: a single copy and no writer identity
  EXPECT_THAT(SharedMetadata::Attach(mapping.data(), size),
              StatusIs(absl::StatusCode::kDataLoss));
  restore();
  quads[1] = size + 4096;  // total size beyond the mapping
  EXPECT_THAT(SharedMetadata::Attach(mapping.data(), size),
              StatusIs(absl::StatusCode::kDataLoss));
  restore();
  quads[2] = 8;  // header size
  EXPECT_THAT(SharedMetadata::Attach(mapping.data(), size),
              StatusIs(absl::StatusCode::kDataLoss));
  restore();
  quads[3] = UINT64_MAX - 63;  // reserved offset that overflows
  EXPECT_THAT(SharedMetadata::Attach(mapping.data(), size),
              StatusIs(absl::StatusCode::kDataLoss));
  restore();
  quads[4] = size;  // reserved size beyond the buffer
  EXPECT_THAT(SharedMetadata::Attach(mapping.data(), size),
              StatusIs(absl::StatusCode::kDataLoss));
  restore();
  words[10] = 1000;  // name length
  EXPECT_THAT(SharedMetadata::Attach(mapping.data(), size),
              StatusIs(absl::StatusCode::kDataLoss));
  restore();
  // A mapping shorter than the header's total size.
  EXPECT_THAT(SharedMetadata::Attach(mapping.data(), size / 2),
              StatusIs(absl::StatusCode::kDataLoss));
  EXPECT_THAT(SharedMetadata::Attach(mapping.data(), 16),
              StatusIs(absl::StatusCode::kDataLoss));
  EXPECT_OK(SharedMetadata::Attach(mapping.data(), size).status());
}

TEST(SharedMetadataTest, ForkedWriterIsSeenByTheParent) {
  const SharedMetadataInit init = DefaultInit();
  Mapping mapping(SharedMetadataSize(init.reserved_size));
  ASSERT_OK(InitSharedMetadata(mapping.data(), mapping.size(), init));
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    auto view = SharedMetadata::Attach(mapping.data(), mapping.size());
    if (!view.ok()) _exit(1);
    if (!view->SetDataspace(Dataspace::DISPLAY_P3).ok()) _exit(2);
    if (!view->SetCta861_3(Cta861_3{500, 200}).ok()) _exit(3);
    _exit(0);
  }
  int wstatus = 0;
  ASSERT_EQ(waitpid(pid, &wstatus, 0), pid);
  ASSERT_TRUE(WIFEXITED(wstatus));
  ASSERT_EQ(WEXITSTATUS(wstatus), 0);
  ASSERT_OK_AND_ASSIGN(SharedMetadata view,
                       SharedMetadata::Attach(mapping.data(), mapping.size()));
  EXPECT_THAT(view.GetDataspace(), IsOkAndHolds(Dataspace::DISPLAY_P3));
  EXPECT_THAT(view.GetCta861_3(),
              IsOkAndHolds(::testing::Optional(Cta861_3{500, 200})));
}

// A child process that takes the writer side, half-writes and then waits
// to be killed: a writer that crashed mid-write.
class AbandonedWriter {
 public:
  // Forks the child and waits until it holds the sequence. pid() < 0 if
  // anything failed.
  explicit AbandonedWriter(const Mapping& mapping) {
    int ready[2];
    if (pipe(ready) != 0) return;
    pid_ = fork();
    if (pid_ == 0) {
      close(ready[0]);
      auto view = SharedMetadata::Attach(mapping.data(), mapping.size());
      if (!view.ok() || !view->AbandonWriteForTesting().ok()) _exit(1);
      const char held = 1;
      if (write(ready[1], &held, 1) != 1) _exit(2);
      for (;;) pause();
    }
    close(ready[1]);
    char held = 0;
    if (pid_ > 0 && read(ready[0], &held, 1) != 1) {
      Kill();
      Reap();
      pid_ = -1;
    }
    close(ready[0]);
  }
  ~AbandonedWriter() {
    if (pid_ > 0) {
      Kill();
      Reap();
    }
  }
  pid_t pid() const { return pid_; }
  void Kill() const { kill(pid_, SIGKILL); }
  // Waits until the child has exited but leaves it a zombie.
  bool WaitForZombie() const {
    siginfo_t info{};
    return waitid(P_PID, static_cast<id_t>(pid_), &info, WEXITED | WNOWAIT) ==
           0;
  }
  bool Reap() {
    int wstatus = 0;
    const bool reaped = waitpid(pid_, &wstatus, 0) == pid_;
    pid_ = -1;
    return reaped;
  }

 private:
  pid_t pid_ = -1;
};

// The half-written dataspace AbandonWriteForTesting() leaves.
constexpr int32_t kHalfWritten = 0x7eadbeef;

TEST(SharedMetadataTest, AWriterKilledMidWriteIsRecoveredWithoutTheTimeout) {
  const SharedMetadataInit init = DefaultInit();
  Mapping mapping(SharedMetadataSize(init.reserved_size));
  ASSERT_OK(InitSharedMetadata(mapping.data(), mapping.size(), init));
  ASSERT_OK_AND_ASSIGN(SharedMetadata view,
                       SharedMetadata::Attach(mapping.data(), mapping.size()));
  ASSERT_OK(view.SetDataspace(Dataspace::SRGB));
  AbandonedWriter writer(mapping);
  ASSERT_GT(writer.pid(), 0);
  writer.Kill();
  ASSERT_TRUE(writer.Reap());

  // The half-written copy is never returned: the last published values are.
  EXPECT_THAT(view.GetDataspace(), IsOkAndHolds(Dataspace::SRGB));
  EXPECT_THAT(view.GetCrop(), IsOkAndHolds(Rect{0, 0, 640, 480}));
  EXPECT_OK(view.SetDataspace(Dataspace::DISPLAY_P3));
  EXPECT_THAT(view.GetDataspace(), IsOkAndHolds(Dataspace::DISPLAY_P3));
  EXPECT_THAT(view.GetCrop(), IsOkAndHolds(Rect{0, 0, 640, 480}));
  EXPECT_OK(view.SetCrop(Rect{1, 2, 3, 4}));
  EXPECT_THAT(view.GetDataspace(), IsOkAndHolds(Dataspace::DISPLAY_P3));
  const SeqlockStats stats = view.seqlock_stats();
  EXPECT_EQ(stats.dead_writers_recovered, 1u);
  EXPECT_EQ(stats.timeouts, 0u);
}

// A crashed writer whose parent has not reaped it yet is as dead.
TEST(SharedMetadataTest, AZombieWriterIsRecovered) {
  const SharedMetadataInit init = DefaultInit();
  Mapping mapping(SharedMetadataSize(init.reserved_size));
  ASSERT_OK(InitSharedMetadata(mapping.data(), mapping.size(), init));
  ASSERT_OK_AND_ASSIGN(SharedMetadata view,
                       SharedMetadata::Attach(mapping.data(), mapping.size()));
  AbandonedWriter writer(mapping);
  ASSERT_GT(writer.pid(), 0);
  writer.Kill();
  ASSERT_TRUE(writer.WaitForZombie());
  EXPECT_OK(view.SetBlendMode(BlendMode::COVERAGE));
  EXPECT_THAT(view.GetBlendMode(), IsOkAndHolds(BlendMode::COVERAGE));
  EXPECT_THAT(view.GetDataspace(), IsOkAndHolds(Dataspace::UNKNOWN));
  EXPECT_EQ(view.seqlock_stats().dead_writers_recovered, 1u);
  EXPECT_EQ(view.seqlock_stats().timeouts, 0u);
  EXPECT_TRUE(writer.Reap());
}

// A live peer that holds the sequence: readers go on, writers give up after
// the bounded wait, and once the peer is gone writes work again.
TEST(SharedMetadataTest, ALiveWriterHoldingTheSequenceOnlyDelaysWriters) {
  const SharedMetadataInit init = DefaultInit();
  Mapping mapping(SharedMetadataSize(init.reserved_size));
  ASSERT_OK(InitSharedMetadata(mapping.data(), mapping.size(), init));
  ASSERT_OK_AND_ASSIGN(SharedMetadata view,
                       SharedMetadata::Attach(mapping.data(), mapping.size()));
  ASSERT_OK(view.SetDataspace(Dataspace::SRGB));
  AbandonedWriter writer(mapping);
  ASSERT_GT(writer.pid(), 0);

  EXPECT_THAT(view.GetDataspace(), IsOkAndHolds(Dataspace::SRGB));
  EXPECT_EQ(view.seqlock_stats().timeouts, 0u);
  EXPECT_THAT(view.SetDataspace(Dataspace::DISPLAY_P3),
              StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_EQ(view.seqlock_stats().timeouts, 1u);
  EXPECT_EQ(view.seqlock_stats().dead_writers_recovered, 0u);
  EXPECT_THAT(view.GetDataspace(), IsOkAndHolds(Dataspace::SRGB));

  writer.Kill();
  ASSERT_TRUE(writer.Reap());
  EXPECT_OK(view.SetDataspace(Dataspace::DISPLAY_P3));
  EXPECT_THAT(view.GetDataspace(), IsOkAndHolds(Dataspace::DISPLAY_P3));
  EXPECT_EQ(view.seqlock_stats().dead_writers_recovered, 1u);
  EXPECT_EQ(view.seqlock_stats().timeouts, 1u);
}

// Many writers in turn crash mid-write; every value published between them
// survives, and no call waits for the timeout.
TEST(SharedMetadataTest, RepeatedCrashedWritersNeverLoseAPublishedValue) {
  const SharedMetadataInit init = DefaultInit();
  Mapping mapping(SharedMetadataSize(init.reserved_size));
  ASSERT_OK(InitSharedMetadata(mapping.data(), mapping.size(), init));
  ASSERT_OK_AND_ASSIGN(SharedMetadata view,
                       SharedMetadata::Attach(mapping.data(), mapping.size()));
  for (int i = 1; i <= 5; ++i) {
    AbandonedWriter writer(mapping);
    ASSERT_GT(writer.pid(), 0);
    writer.Kill();
    ASSERT_TRUE(writer.Reap());
    ASSERT_OK(view.SetCrop(Rect{i, i, i, i}));
    ASSERT_THAT(view.GetCrop(), IsOkAndHolds(Rect{i, i, i, i}));
    ASSERT_THAT(
        view.GetDataspace(),
        IsOkAndHolds(::testing::Ne(static_cast<Dataspace>(kHalfWritten))));
  }
  EXPECT_EQ(view.seqlock_stats().dead_writers_recovered, 5u);
  EXPECT_EQ(view.seqlock_stats().timeouts, 0u);
}

// Calls `op` again while it reports the seqlock busy: a holder descheduled
// for longer than kSeqlockTimeoutMs (five threads on two slow CPUs under
// TSan) makes an accessor give up with Unavailable, which is the contract,
// and a caller retries. `busy` counts those; any other error is returned.
const absl::Status& StatusOf(const absl::Status& status) { return status; }
template <typename T>
const absl::Status& StatusOf(const absl::StatusOr<T>& result) {
  return result.status();
}
template <typename Op>
auto RetryWhileBusy(Op op, std::atomic<int>& busy) {
  for (;;) {
    auto result = op();
    if (!absl::IsUnavailable(StatusOf(result))) return result;
    ++busy;
  }
}

// Writers store values whose two halves must always match; readers must never
// see a mix of two writes, and concurrent setters of neighbouring fields must
// not lose each other's updates. A timed-out access is retried, not counted
// as a tear: only a mixed value or another error fails the test.
TEST(SharedMetadataTest, ConcurrentReadersNeverSeeATornValue) {
  const SharedMetadataInit init = DefaultInit();
  Mapping mapping(SharedMetadataSize(init.reserved_size));
  ASSERT_OK(InitSharedMetadata(mapping.data(), mapping.size(), init));
  ASSERT_OK_AND_ASSIGN(SharedMetadata view,
                       SharedMetadata::Attach(mapping.data(), mapping.size()));
  ASSERT_OK(view.SetCrop(Rect{0, 0, 0, 0}));  // uniform from the start
  constexpr int kRounds = 2000;
  std::atomic<int> torn{0};
  std::atomic<int> failed{0};
  std::atomic<int> busy{0};
  auto set = [&](auto setter) {
    if (!RetryWhileBusy(setter, busy).ok()) ++failed;
  };
  std::vector<std::thread> threads;
  threads.emplace_back([&] {
    for (int i = 1; i <= kRounds; ++i) {
      set([&] { return view.SetCrop(Rect{i, i, i, i}); });
    }
  });
  threads.emplace_back([&] {
    for (int i = 1; i <= kRounds; ++i) {
      const float f = static_cast<float>(i);
      set([&] { return view.SetCta861_3(Cta861_3{f, f}); });
    }
  });
  threads.emplace_back([&] {
    for (int i = 0; i < kRounds; ++i) {
      set([&] { return view.SetDataspace(Dataspace::SRGB); });
    }
  });
  for (int r = 0; r < 2; ++r) {
    threads.emplace_back([&] {
      for (int i = 0; i < kRounds; ++i) {
        auto crop = RetryWhileBusy([&] { return view.GetCrop(); }, busy);
        if (!crop.ok()) {
          ++failed;
        } else if (crop->left != crop->top || crop->left != crop->right ||
                   crop->left != crop->bottom) {
          ++torn;
        }
        auto cta = RetryWhileBusy([&] { return view.GetCta861_3(); }, busy);
        if (!cta.ok()) {
          ++failed;
        } else if (cta->has_value() &&
                   (*cta)->max_content_light_level !=
                       (*cta)->max_frame_average_light_level) {
          ++torn;
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(torn, 0);
  EXPECT_EQ(failed, 0);
  if (busy > 0) {
    std::printf(
        "note: %d accesses timed out on a descheduled holder and "
        "were retried\n",
        busy.load());
  }
  EXPECT_THAT(view.GetCrop(),
              IsOkAndHolds(Rect{kRounds, kRounds, kRounds, kRounds}));
  EXPECT_THAT(view.GetDataspace(), IsOkAndHolds(Dataspace::SRGB));
}

TEST(SharedMetadataPrefixTest, WrittenOverZerosItIsWhatInitWrites) {
  SharedMetadataInit init;
  init.name = "prefix";
  init.heap_name = "memfd";
  init.reserved_size = 4096;
  init.dataspace = Dataspace::BT709;
  init.crop = Rect{1, 2, 30, 40};
  const size_t size = SharedMetadataSize(init.reserved_size);
  std::vector<uint8_t> expected(size + kReservedRegionAlignment);
  std::vector<uint8_t> actual(size + kReservedRegionAlignment);
  // 64-byte aligned views of the two.
  auto aligned = [](std::vector<uint8_t>& v) {
    const uintptr_t at = reinterpret_cast<uintptr_t>(v.data());
    return v.data() +
           (kReservedRegionAlignment - at % kReservedRegionAlignment) %
               kReservedRegionAlignment;
  };
  ASSERT_OK(InitSharedMetadata(aligned(expected), size, init));
  ASSERT_OK_AND_ASSIGN(std::vector<uint8_t> prefix,
                       SharedMetadataPrefix(size, init));
  EXPECT_LT(prefix.size(), 1024u);
  std::memcpy(aligned(actual), prefix.data(), prefix.size());
  EXPECT_EQ(std::memcmp(aligned(expected), aligned(actual), size), 0);
  ASSERT_OK_AND_ASSIGN(SharedMetadata view,
                       SharedMetadata::Attach(aligned(actual), size));
  EXPECT_EQ(view.name(), "prefix");
  ASSERT_OK_AND_ASSIGN(Dataspace dataspace, view.GetDataspace());
  EXPECT_EQ(dataspace, Dataspace::BT709);
  // The same refusals as InitSharedMetadata().
  EXPECT_FALSE(SharedMetadataPrefix(64, init).ok());
  init.name = std::string(kSharedMetadataMaxNameBytes + 1, 'x');
  EXPECT_FALSE(SharedMetadataPrefix(size, init).ok());
}

// A blank page: what the allocator leaves for the first importer.

// The source a first importer has: what the memfd's name and the handle say.
SharedMetadata::BlankInit CountingSource(std::atomic<int>* calls) {
  return [calls]() -> absl::StatusOr<SharedMetadataInit> {
    calls->fetch_add(1);
    SharedMetadataInit init = DefaultInit();
    init.dataspace = Dataspace::BT709;
    return init;
  };
}

TEST(SharedMetadataBlankTest, TheFirstAttachWritesTheHeaderFromItsSource) {
  const SharedMetadataInit init = DefaultInit();
  Mapping mapping(SharedMetadataSize(init.reserved_size));
  std::atomic<int> calls{0};
  ASSERT_OK_AND_ASSIGN(SharedMetadata view,
                       SharedMetadata::Attach(mapping.data(), mapping.size(),
                                              CountingSource(&calls)));
  EXPECT_EQ(calls.load(), 1);
  EXPECT_EQ(view.name(), "camera-preview");
  EXPECT_EQ(view.heap_name(), "memfd");
  EXPECT_EQ(view.reserved_size(), 100u);
  EXPECT_THAT(view.GetDataspace(), IsOkAndHolds(Dataspace::BT709));
  EXPECT_THAT(view.GetCrop(), IsOkAndHolds(Rect{0, 0, 640, 480}));
  EXPECT_THAT(view.GetBlendMode(), IsOkAndHolds(BlendMode::INVALID));
  EXPECT_THAT(view.GetSmpte2086(), IsOkAndHolds(std::nullopt));
  // What InitSharedMetadata() writes, byte for byte.
  SharedMetadataInit same = init;
  same.dataspace = Dataspace::BT709;
  Mapping eager(mapping.size());
  ASSERT_OK(InitSharedMetadata(eager.data(), eager.size(), same));
  EXPECT_EQ(std::memcmp(mapping.data(), eager.data(), mapping.size()), 0);
  // Later attaches read it and never ask the source again.
  ASSERT_OK(view.SetDataspace(Dataspace::SRGB));
  ASSERT_OK_AND_ASSIGN(SharedMetadata second,
                       SharedMetadata::Attach(mapping.data(), mapping.size(),
                                              CountingSource(&calls)));
  EXPECT_EQ(calls.load(), 1);
  EXPECT_THAT(second.GetDataspace(), IsOkAndHolds(Dataspace::SRGB));
}

TEST(SharedMetadataBlankTest, WithoutAGoodSourceItStaysBlank) {
  const SharedMetadataInit init = DefaultInit();
  Mapping mapping(SharedMetadataSize(init.reserved_size));
  EXPECT_THAT(SharedMetadata::Attach(mapping.data(), mapping.size()),
              StatusIs(absl::StatusCode::kDataLoss));
  EXPECT_THAT(
      SharedMetadata::Attach(mapping.data(), mapping.size(),
                             []() -> absl::StatusOr<SharedMetadataInit> {
                               return absl::UnavailableError("no /proc");
                             }),
      StatusIs(absl::StatusCode::kUnavailable));
  // A source that claims more than the buffer holds.
  EXPECT_THAT(
      SharedMetadata::Attach(mapping.data(), mapping.size(),
                             []() -> absl::StatusOr<SharedMetadataInit> {
                               SharedMetadataInit big = DefaultInit();
                               big.reserved_size = 1 << 20;
                               return big;
                             }),
      StatusIs(absl::StatusCode::kDataLoss));
  EXPECT_EQ(mapping.words()[0], 0u);
  EXPECT_EQ(mapping.words()[1], 0u);
  std::atomic<int> calls{0};
  EXPECT_OK(SharedMetadata::Attach(mapping.data(), mapping.size(),
                                   CountingSource(&calls))
                .status());
}

TEST(SharedMetadataBlankTest, ConcurrentFirstAttachesAgree) {
  const SharedMetadataInit init = DefaultInit();
  for (int round = 0; round < 20; ++round) {
    Mapping mapping(SharedMetadataSize(init.reserved_size));
    std::atomic<int> calls{0};
    std::atomic<int> ok{0};
    std::atomic<int> busy{0};  // a descheduled first importer; retried
    std::vector<std::thread> threads;
    for (int i = 0; i < 4; ++i) {
      threads.emplace_back([&] {
        absl::StatusOr<SharedMetadata> view = RetryWhileBusy(
            [&] {
              return SharedMetadata::Attach(mapping.data(), mapping.size(),
                                            CountingSource(&calls));
            },
            busy);
        if (view.ok() && view->name() == "camera-preview" &&
            RetryWhileBusy([&] { return view->GetDataspace(); }, busy)
                    .value_or(Dataspace::UNKNOWN) == Dataspace::BT709) {
          ok.fetch_add(1);
        }
      });
    }
    for (std::thread& thread : threads) thread.join();
    EXPECT_EQ(ok.load(), 4);
    EXPECT_GE(calls.load(), 1);
  }
}

// A child that claims the blank page as its first importer and stops half
// way, then waits to be killed.
pid_t AbandonInitialisationInChild(const Mapping& mapping) {
  int ready[2];
  if (pipe(ready) != 0) return -1;
  const pid_t pid = fork();
  if (pid == 0) {
    close(ready[0]);
    if (!SharedMetadata::AbandonInitialisationForTesting(mapping.data()).ok()) {
      _exit(1);
    }
    const char held = 1;
    if (write(ready[1], &held, 1) != 1) _exit(2);
    for (;;) pause();
  }
  close(ready[1]);
  char held = 0;
  const bool claimed = pid > 0 && read(ready[0], &held, 1) == 1;
  close(ready[0]);
  if (pid > 0 && !claimed) {
    kill(pid, SIGKILL);
    waitpid(pid, nullptr, 0);
    return -1;
  }
  return pid;
}

TEST(SharedMetadataBlankTest, AnImporterKilledWhileWritingIsTakenOver) {
  const SharedMetadataInit init = DefaultInit();
  Mapping mapping(SharedMetadataSize(init.reserved_size));
  const pid_t child = AbandonInitialisationInChild(mapping);
  ASSERT_GT(child, 0);
  kill(child, SIGKILL);
  ASSERT_EQ(waitpid(child, nullptr, 0), child);
  std::atomic<int> calls{0};
  ASSERT_OK_AND_ASSIGN(SharedMetadata view,
                       SharedMetadata::Attach(mapping.data(), mapping.size(),
                                              CountingSource(&calls)));
  EXPECT_EQ(calls.load(), 1);
  EXPECT_EQ(view.name(), "camera-preview");
  EXPECT_THAT(view.GetCrop(), IsOkAndHolds(Rect{0, 0, 640, 480}));
}

TEST(SharedMetadataBlankTest, ALiveImporterWritingIsWaitedForThenUnavailable) {
  const SharedMetadataInit init = DefaultInit();
  Mapping mapping(SharedMetadataSize(init.reserved_size));
  const pid_t child = AbandonInitialisationInChild(mapping);
  ASSERT_GT(child, 0);
  std::atomic<int> calls{0};
  EXPECT_THAT(SharedMetadata::Attach(mapping.data(), mapping.size(),
                                     CountingSource(&calls))
                  .status(),
              StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_EQ(calls.load(), 0);
  kill(child, SIGKILL);
  ASSERT_EQ(waitpid(child, nullptr, 0), child);
  EXPECT_OK(SharedMetadata::Attach(mapping.data(), mapping.size(),
                                   CountingSource(&calls))
                .status());
}

}  // namespace
}  // namespace gralloc
