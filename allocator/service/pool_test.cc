// Copyright 2026 The gralloc for Linux Authors.
//
// The allocate-ahead pool: alone over an in-process memfd allocator, then
// inside a server, through the client: pooled buffers are fresh, zeroed,
// populated and distinct, stay within the budget, give way under memory
// pressure and on request, are charged and counted like any other, and are
// closed when the pool goes.

#include "allocator/service/pool.h"

#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>

#include <atomic>
#include <cstring>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "allocator/allocator.h"
#include "allocator/client/service_client.h"
#include "allocator/heaps/heap_registry.h"
#include "allocator/heaps/memfd_heap.h"
#include "allocator/service/server.h"
#include "gtest/gtest.h"
#include "hal/base/fd_count.h"
#include "hal/base/short_temp_dir.h"
#include "hal/base/status_matchers.h"
#include "hal/handle/buffer_handle.h"
#include "hal/types/buffer_usage.h"
#include "hal/types/pixel_format.h"

namespace gralloc::service {
namespace {

using ::gralloc::testing::IsOk;
using ::gralloc::testing::OpenFdCount;
using ::gralloc::testing::StatusIs;
using ::testing::HasSubstr;

BufferDescriptorInfo Descriptor(int64_t width, const std::string& name = "p") {
  BufferDescriptorInfo d;
  d.name = name;
  d.width = width;
  d.height = 64;
  d.layer_count = 1;
  d.format = FormatValue(PixelFormat::RGBA_8888);
  d.usage = UsageValue(BufferUsage::CPU_READ_OFTEN) |
            UsageValue(BufferUsage::CPU_WRITE_OFTEN);
  return d;
}

std::unique_ptr<Allocator> MemfdAllocator() {
  std::vector<std::unique_ptr<Heap>> heaps;
  heaps.push_back(std::make_unique<MemfdHeap>());
  return Allocator::Create(BuiltinProfile(), HeapRegistry(std::move(heaps)))
      .value();
}

// Polls every 10 ms for up to 60 s: the pool fills on its own thread.
bool Eventually(const std::function<bool()>& condition) {
  for (int i = 0; i < 6000; ++i) {
    if (condition()) return true;
    timespec ten_ms{0, 10 * 1000 * 1000};
    nanosleep(&ten_ms, nullptr);
  }
  return condition();
}

// Every byte of the buffer's pixels is zero.
bool AllZero(const AllocatedBuffer& buffer) {
  const size_t size = buffer.info.allocation_size;
  void* map = mmap(nullptr, size, PROT_READ, MAP_SHARED,
                   HandleBufferFd(buffer.handle.get()), 0);
  if (map == MAP_FAILED) return false;
  const auto* bytes = static_cast<const unsigned char*>(map);
  bool zero = true;
  for (size_t i = 0; i < size && zero; ++i) zero = bytes[i] == 0;
  munmap(map, size);
  return zero;
}

void Fill(const AllocatedBuffer& buffer, unsigned char value) {
  const size_t size = buffer.info.allocation_size;
  void* map = mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_SHARED,
                   HandleBufferFd(buffer.handle.get()), 0);
  ASSERT_NE(map, MAP_FAILED);
  std::memset(map, value, size);
  munmap(map, size);
}

ino_t Inode(const AllocatedBuffer& buffer) {
  struct stat st {};
  fstat(HandleBufferFd(buffer.handle.get()), &st);
  return st.st_ino;
}

class PoolTest : public ::testing::Test {
 protected:
  void SetUp() override { allocator_ = MemfdAllocator(); }
  std::unique_ptr<Pool> MakePool(PoolOptions options) {
    options.use_pressure_trigger = false;
    if (!options.available_bytes) {
      options.available_bytes = [this]() -> absl::StatusOr<uint64_t> {
        return available_.load();
      };
    }
    auto pool = Pool::Create(std::move(options), allocator_.get());
    EXPECT_THAT(pool.status(), IsOk());
    return pool.ok() ? std::move(pool).value() : nullptr;
  }
  // What one pooled buffer of `descriptor` costs the budget.
  uint64_t BytesOf(const BufferDescriptorInfo& descriptor) {
    Allocation one = allocator_->Allocate(descriptor, 1).value();
    return PooledBytes(one.buffers[0]);
  }

  std::unique_ptr<Allocator> allocator_;
  std::atomic<uint64_t> available_{uint64_t{1} << 40};
};

TEST_F(PoolTest, KeepsNothingUntilADescriptionIsRemembered) {
  PoolOptions options;
  options.budget_bytes = 64 << 20;
  std::unique_ptr<Pool> pool = MakePool(options);
  const BufferDescriptorInfo d = Descriptor(64);
  EXPECT_TRUE(pool->Take(d, 2).buffers.empty());
  EXPECT_EQ(pool->Stats().misses, 2u);
  EXPECT_EQ(pool->Stats().descriptions, 0u);

  pool->Remember(d, 1);
  ASSERT_TRUE(Eventually([&] { return pool->Stats().buffers == 2; }))
      << "min_depth is 2";
  const PoolStats stats = pool->Stats();
  EXPECT_EQ(stats.descriptions, 1u);
  EXPECT_EQ(stats.made, 2u);
  EXPECT_EQ(stats.bytes, 2 * BytesOf(d));
}

TEST_F(PoolTest, PooledBuffersAreFreshZeroedPopulatedAndDistinct) {
  PoolOptions options;
  options.budget_bytes = 64 << 20;
  std::unique_ptr<Pool> pool = MakePool(options);
  const BufferDescriptorInfo d = Descriptor(256);
  pool->Remember(d, 3);
  ASSERT_TRUE(Eventually([&] { return pool->Stats().buffers == 3; }));

  Allocation first = pool->Take(d, 3);
  ASSERT_EQ(first.buffers.size(), 3u);
  ASSERT_NE(first.layout.format, nullptr);
  EXPECT_EQ(first.layout.planes[0].width_in_samples, 256u);
  std::set<uint64_t> ids;
  std::set<ino_t> inodes;
  for (const AllocatedBuffer& buffer : first.buffers) {
    EXPECT_TRUE(AllZero(buffer));
    // Made ahead with its pages: a memfd's blocks are allocated already.
    struct stat st {};
    ASSERT_EQ(fstat(HandleBufferFd(buffer.handle.get()), &st), 0);
    EXPECT_GE(static_cast<uint64_t>(st.st_blocks) * 512,
              buffer.info.allocation_size);
    ids.insert(buffer.info.buffer_id);
    inodes.insert(Inode(buffer));
    Fill(buffer, 0xa5);  // the client scribbles on what it holds
  }
  EXPECT_EQ(ids.size(), 3u);
  EXPECT_EQ(inodes.size(), 3u);
  EXPECT_EQ(pool->Stats().hits, 3u);

  // The refill is new memory, never what a client held.
  ASSERT_TRUE(Eventually([&] { return pool->Stats().buffers == 3; }));
  Allocation second = pool->Take(d, 3);
  ASSERT_EQ(second.buffers.size(), 3u);
  for (const AllocatedBuffer& buffer : second.buffers) {
    EXPECT_TRUE(AllZero(buffer));
    EXPECT_EQ(ids.count(buffer.info.buffer_id), 0u);
    EXPECT_EQ(inodes.count(Inode(buffer)), 0u);
  }
}

TEST_F(PoolTest, PreparesEachBufferOnceAndHandsThatOverWithIt) {
  PoolOptions options;
  options.budget_bytes = 64 << 20;
  std::atomic<int> calls{0};
  options.prepare =
      [&](const AllocatedBuffer& buffer) -> absl::StatusOr<PoolPrepared> {
    // The second buffer's preparation fails: it is pooled unprepared.
    if (++calls == 2) return absl::ResourceExhaustedError("no watch left");
    PoolPrepared prepared;
    prepared.pixels_token = buffer.info.buffer_id;
    prepared.inode = Inode(buffer);
    return prepared;
  };
  std::unique_ptr<Pool> pool = MakePool(options);
  const BufferDescriptorInfo d = Descriptor(64);
  pool->Remember(d, 3);
  ASSERT_TRUE(Eventually([&] { return pool->Stats().buffers == 3; }));
  EXPECT_EQ(calls.load(), 3);

  std::vector<std::optional<PoolPrepared>> prepared;
  Allocation taken = pool->Take(d, 3, &prepared);
  ASSERT_EQ(taken.buffers.size(), 3u);
  ASSERT_EQ(prepared.size(), 3u);
  int unprepared = 0;
  for (size_t i = 0; i < 3; ++i) {
    if (!prepared[i].has_value()) {
      ++unprepared;
      continue;
    }
    // Each buffer comes with what was prepared for it, not another's.
    EXPECT_EQ(prepared[i]->pixels_token, taken.buffers[i].info.buffer_id);
    EXPECT_EQ(prepared[i]->inode, Inode(taken.buffers[i]));
  }
  EXPECT_EQ(unprepared, 1);
  // A caller that does not ask gets the buffers all the same.
  ASSERT_TRUE(Eventually([&] { return pool->Stats().buffers == 3; }));
  EXPECT_EQ(pool->Take(d, 3).buffers.size(), 3u);
}

TEST_F(PoolTest, StaysWithinTheBudgetAndTheMostRecentDescriptionWins) {
  const BufferDescriptorInfo old_one = Descriptor(512, "old");
  const BufferDescriptorInfo new_one = Descriptor(512, "new");
  const uint64_t each = BytesOf(old_one);
  PoolOptions options;
  options.budget_bytes = 3 * each;  // room for three of the four wanted
  std::unique_ptr<Pool> pool = MakePool(options);
  pool->Remember(old_one, 2);
  ASSERT_TRUE(Eventually([&] { return pool->Stats().buffers == 2; }));
  pool->Remember(new_one, 2);
  // The new description gets its two; the old one keeps what fits.
  ASSERT_TRUE(Eventually([&] {
    const PoolStats stats = pool->Stats();
    return stats.buffers == 3 && stats.made == 4;
  }));
  EXPECT_LE(pool->Stats().bytes, options.budget_bytes);
  EXPECT_EQ(pool->Stats().dropped, 1u);
  EXPECT_EQ(pool->Take(new_one, 2).buffers.size(), 2u);
  EXPECT_EQ(pool->Take(old_one, 2).buffers.size(), 1u);
}

TEST_F(PoolTest, ForgetsTheLeastRecentDescriptionBeyondItsLimit) {
  PoolOptions options;
  options.budget_bytes = 64 << 20;
  options.max_descriptions = 2;
  std::unique_ptr<Pool> pool = MakePool(options);
  for (int width : {64, 128, 192}) pool->Remember(Descriptor(width), 1);
  ASSERT_TRUE(Eventually([&] { return pool->Stats().buffers == 4; }));
  EXPECT_EQ(pool->Stats().descriptions, 2u);
  EXPECT_TRUE(pool->Take(Descriptor(64), 1).buffers.empty());
  EXPECT_EQ(pool->Take(Descriptor(192), 1).buffers.size(), 1u);
}

TEST_F(PoolTest, DrainEmptiesItAndItRefillsOnDemand) {
  PoolOptions options;
  options.budget_bytes = 64 << 20;
  std::unique_ptr<Pool> pool = MakePool(options);
  const BufferDescriptorInfo d = Descriptor(64);
  pool->Remember(d, 2);
  ASSERT_TRUE(Eventually([&] { return pool->Stats().buffers == 2; }));
  EXPECT_EQ(pool->Drain("test"), 2u);
  EXPECT_EQ(pool->Stats().buffers, 0u);
  EXPECT_EQ(pool->Stats().bytes, 0u);
  EXPECT_EQ(pool->Stats().dropped, 2u);
  EXPECT_EQ(pool->Stats().descriptions, 0u) << "forgotten too";
  EXPECT_TRUE(pool->Take(d, 1).buffers.empty());
  // Nothing is made until a served request is remembered again.
  timespec wait{0, 300 * 1000 * 1000};
  nanosleep(&wait, nullptr);
  EXPECT_EQ(pool->Stats().buffers, 0u);
  pool->Remember(d, 1);
  ASSERT_TRUE(Eventually([&] { return pool->Stats().buffers == 2; }));
}

TEST_F(PoolTest, HoldsNothingWhileMemoryIsShort) {
  PoolOptions options;
  options.budget_bytes = 64 << 20;
  options.min_available_bytes = 100 << 20;
  std::vector<std::string> log;
  Mutex log_mu;
  options.log = [&](absl::string_view line) {
    MutexLock lock(&log_mu);
    log.emplace_back(line);
  };
  std::unique_ptr<Pool> pool = MakePool(options);
  const BufferDescriptorInfo d = Descriptor(64);
  pool->Remember(d, 2);
  ASSERT_TRUE(Eventually([&] { return pool->Stats().buffers == 2; }));

  available_ = 50 << 20;
  ASSERT_TRUE(Eventually([&] { return pool->Stats().buffers == 0; }));
  EXPECT_GE(pool->Stats().pressure_events, 1u);
  {
    MutexLock lock(&log_mu);
    ASSERT_FALSE(log.empty());
    EXPECT_THAT(log.back(), HasSubstr("MemAvailable"));
  }
  // Demand while memory is short makes nothing.
  EXPECT_TRUE(pool->Take(d, 1).buffers.empty());
  pool->Remember(d, 2);
  timespec wait{1, 500 * 1000 * 1000};
  nanosleep(&wait, nullptr);
  EXPECT_EQ(pool->Stats().buffers, 0u);

  available_ = uint64_t{1} << 40;
  EXPECT_TRUE(Eventually([&] { return pool->Stats().buffers == 2; }));
}

TEST_F(PoolTest, ClosesEveryPooledBufferWhenDestroyed) {
  const int before = OpenFdCount();
  {
    PoolOptions options;
    options.budget_bytes = 64 << 20;
    std::unique_ptr<Pool> pool = MakePool(options);
    pool->Remember(Descriptor(64), 4);
    ASSERT_TRUE(Eventually([&] { return pool->Stats().buffers == 4; }));
    // Two fds a buffer, and the pool's eventfd.
    EXPECT_EQ(OpenFdCount(), before + 9);
  }
  EXPECT_EQ(OpenFdCount(), before);
}

// An allocator that serves once, then runs out of memory.
class RunsOut final : public AllocatorApi {
 public:
  explicit RunsOut(AllocatorApi* real) : real_(real) {}
  absl::StatusOr<Verdict> IsSupported(const BufferDescriptorInfo& d) override {
    return real_->IsSupported(d);
  }
  absl::StatusOr<Allocation> Allocate(const BufferDescriptorInfo& d,
                                      int32_t count) override {
    ++calls;
    if (calls > 1) return absl::ResourceExhaustedError("out of memory");
    return real_->Allocate(d, count);
  }
  absl::StatusOr<Verdict> Serves(const HandleInfo& b, const HeapIdentity* h,
                                 uint64_t u) override {
    return real_->Serves(b, h, u);
  }
  absl::Status Release(uint64_t id) override { return real_->Release(id); }
  absl::StatusOr<std::string> MapperLibrary() override {
    return real_->MapperLibrary();
  }
  std::atomic<int> calls{0};

 private:
  AllocatorApi* real_;
};

TEST_F(PoolTest, ForgetsADescriptionItCannotRefill) {
  RunsOut runs_out(allocator_.get());
  PoolOptions options;
  options.budget_bytes = 64 << 20;
  options.use_pressure_trigger = false;
  options.available_bytes = []() -> absl::StatusOr<uint64_t> {
    return uint64_t{1} << 40;
  };
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Pool> pool,
                       Pool::Create(options, &runs_out));
  pool->Remember(Descriptor(64), 2);
  // One refill works, then three fail a second apart, and it gives up.
  ASSERT_TRUE(Eventually([&] { return pool->Stats().descriptions == 0; }));
  const PoolStats stats = pool->Stats();
  EXPECT_EQ(stats.made, 1u);
  EXPECT_EQ(stats.failures, 3u);
  EXPECT_EQ(stats.buffers, 0u);
  EXPECT_EQ(stats.dropped, 1u);
  EXPECT_EQ(runs_out.calls.load(), 4);
}

TEST(PoolOptionsTest, RejectsNonsense) {
  std::unique_ptr<Allocator> allocator = MemfdAllocator();
  PoolOptions options;
  options.budget_bytes = 1 << 20;
  options.min_depth = 3;
  options.max_depth = 2;
  EXPECT_THAT(Pool::Create(options, allocator.get()).status(),
              StatusIs(absl::StatusCode::kInvalidArgument));
  options.min_depth = 0;
  EXPECT_THAT(Pool::Create(options, allocator.get()).status(),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

// --- Inside the service ----------------------------------------------------

std::string SocketPath() {
  static testing::ShortTempDir dir;
  static std::atomic<int> counter{0};
  return dir.File("p" + std::to_string(counter++) + "/a.sock");
}

class PooledServerTest : public ::testing::Test {
 protected:
  void Start(ServerOptions options) {
    options.socket_path = SocketPath();
    options.pool.use_pressure_trigger = false;
    options.pool.available_bytes = []() -> absl::StatusOr<uint64_t> {
      return uint64_t{1} << 40;
    };
    ASSERT_OK_AND_ASSIGN(server_, Server::Create(options, MemfdAllocator()));
    thread_ = std::thread([this] { run_status_ = server_->Run(); });
    ASSERT_OK_AND_ASSIGN(client_, ServiceClient::Connect(options.socket_path));
  }
  void Stop() {
    client_.reset();
    server_->Stop();
    thread_.join();
    EXPECT_THAT(run_status_, IsOk());
    server_.reset();
  }
  void TearDown() override {
    if (server_ != nullptr) Stop();
  }
  // Allocates once so the pool learns the description (and returns that
  // buffer), then waits until the pool holds `buffers`.
  Allocation Warm(const BufferDescriptorInfo& d, uint64_t buffers) {
    absl::StatusOr<Allocation> first = client_->Allocate(d, 1);
    EXPECT_THAT(first.status(), IsOk());
    EXPECT_TRUE(
        Eventually([&] { return server_->pool_stats().buffers == buffers; }));
    return first.ok() ? std::move(first).value() : Allocation{};
  }

  std::unique_ptr<Server> server_;
  std::thread thread_;
  absl::Status run_status_;
  std::unique_ptr<ServiceClient> client_;
};

TEST_F(PooledServerTest, PooledBuffersAreChargedAndCountedLikeAnyOther) {
  ServerOptions options;
  options.pool.budget_bytes = 64 << 20;
  options.limits.max_buffers_per_process = 3;
  Start(options);
  const BufferDescriptorInfo d = Descriptor(64);
  const Allocation first = Warm(d, 2);

  ASSERT_OK_AND_ASSIGN(Allocation taken, client_->Allocate(d, 2));
  ASSERT_EQ(taken.buffers.size(), 2u);
  EXPECT_NE(taken.buffers[0].info.buffer_id, taken.buffers[1].info.buffer_id);
  ASSERT_OK_AND_ASSIGN(StatsReply stats, client_->Stats());
  EXPECT_EQ(stats.pool.hits, 2u);
  EXPECT_EQ(stats.pool.budget_bytes, options.pool.budget_bytes);
  EXPECT_EQ(stats.live_buffers, 3u);
  EXPECT_EQ(stats.allocations_total, 3u);
  ASSERT_OK_AND_ASSIGN(std::vector<ListEntry> list, client_->List());
  EXPECT_EQ(list.size(), 3u);

  // The pool has buffers ready, and the quota still holds.
  ASSERT_TRUE(Eventually([&] { return server_->pool_stats().buffers == 2; }));
  EXPECT_THAT(client_->Allocate(d, 1).status(),
              StatusIs(absl::StatusCode::kResourceExhausted));
  EXPECT_EQ(server_->pool_stats().buffers, 2u) << "a refusal takes nothing";
}

// The pool starts a buffer's memory watches when it makes it: the charge
// of a pooled buffer still ends when its memory is gone, LIST still names
// its file, and the pool's own buffers, dropped, end no one's charge.
TEST_F(PooledServerTest, APooledBuffersChargeEndsWhenItsMemoryIsGone) {
  ServerOptions options;
  options.pool.budget_bytes = 64 << 20;
  Start(options);
  const BufferDescriptorInfo d = Descriptor(64);
  const Allocation first = Warm(d, 2);
  std::optional<Allocation> taken;
  {
    ASSERT_OK_AND_ASSIGN(Allocation pooled, client_->Allocate(d, 2));
    taken = std::move(pooled);
  }
  ASSERT_EQ(server_->pool_stats().hits, 2u);
  ASSERT_OK_AND_ASSIGN(std::vector<ListEntry> list, client_->List());
  ASSERT_EQ(list.size(), 3u);
  for (const AllocatedBuffer& buffer : taken->buffers) {
    bool listed = false;
    for (const ListEntry& entry : list) {
      if (entry.buffer_id != buffer.info.buffer_id) continue;
      listed = true;
      EXPECT_EQ(entry.inode, Inode(buffer));
    }
    EXPECT_TRUE(listed) << buffer.info.buffer_id;
  }
  ASSERT_OK_AND_ASSIGN(StatsReply stats, client_->Stats());
  EXPECT_EQ(stats.live_buffers, 3u);

  // The client closes one pooled buffer's fds: that charge ends, the
  // other's does not.
  const uint64_t closed = taken->buffers[0].info.buffer_id;
  const uint64_t kept = taken->buffers[1].info.buffer_id;
  taken->buffers.erase(taken->buffers.begin());
  EXPECT_TRUE(Eventually([&] {
    absl::StatusOr<StatsReply> now = client_->Stats();
    return now.ok() && now->live_buffers == 2;
  }));
  ASSERT_OK_AND_ASSIGN(list, client_->List());
  std::set<uint64_t> ids;
  for (const ListEntry& entry : list) ids.insert(entry.buffer_id);
  EXPECT_EQ(ids.count(closed), 0u);
  EXPECT_EQ(ids.count(kept), 1u);
  taken.reset();
  EXPECT_TRUE(Eventually([&] {
    absl::StatusOr<StatsReply> now = client_->Stats();
    return now.ok() && now->live_buffers == 1;
  }));
  ASSERT_TRUE(Eventually([&] { return server_->pool_stats().buffers == 2; }));
  ASSERT_OK_AND_ASSIGN(uint32_t dropped, client_->DrainPool());
  EXPECT_EQ(dropped, 2u);
  ASSERT_OK_AND_ASSIGN(stats, client_->Stats());
  EXPECT_EQ(stats.live_buffers, 1u);
  ASSERT_OK_AND_ASSIGN(list, client_->List());
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].buffer_id, first.buffers[0].info.buffer_id);
}

TEST_F(PooledServerTest, ACountBeyondThePoolGetsPooledAndFreshBuffers) {
  ServerOptions options;
  options.pool.budget_bytes = 64 << 20;
  Start(options);
  const BufferDescriptorInfo d = Descriptor(64);
  Warm(d, 2);
  ASSERT_OK_AND_ASSIGN(Allocation taken, client_->Allocate(d, 5));
  ASSERT_EQ(taken.buffers.size(), 5u);
  std::set<uint64_t> ids;
  for (const AllocatedBuffer& buffer : taken.buffers) {
    ids.insert(buffer.info.buffer_id);
    EXPECT_TRUE(AllZero(buffer));
  }
  EXPECT_EQ(ids.size(), 5u);
  const PoolStats stats = server_->pool_stats();
  EXPECT_EQ(stats.hits, 2u);
  EXPECT_EQ(stats.misses, 4u);  // the first ALLOCATE's one, and three now
  // The pool now keeps five ready.
  EXPECT_TRUE(Eventually([&] { return server_->pool_stats().buffers == 5; }));
}

TEST_F(PooledServerTest, DrainPoolEmptiesItForAPrivilegedClient) {
  ServerOptions options;
  options.pool.budget_bytes = 64 << 20;
  Start(options);
  Warm(Descriptor(64), 2);
  // Tests run as root, which is privileged.
  ASSERT_OK_AND_ASSIGN(uint32_t dropped, client_->DrainPool());
  EXPECT_EQ(dropped, 2u);
  ASSERT_OK_AND_ASSIGN(StatsReply stats, client_->Stats());
  EXPECT_EQ(stats.pool.buffers, 0u);
  EXPECT_GE(stats.pool.drains, 1u);
}

TEST_F(PooledServerTest, NoPoolMeansZeroStatsAndANoOpDrain) {
  Start(ServerOptions{});
  ASSERT_THAT(client_->Allocate(Descriptor(64), 1).status(), IsOk());
  ASSERT_OK_AND_ASSIGN(StatsReply stats, client_->Stats());
  EXPECT_EQ(stats.pool.budget_bytes, 0u);
  EXPECT_EQ(stats.pool.hits, 0u);
  ASSERT_OK_AND_ASSIGN(uint32_t dropped, client_->DrainPool());
  EXPECT_EQ(dropped, 0u);
}

TEST_F(PooledServerTest, ThePoolsBuffersAreClosedWhenTheServiceStops) {
  const int before = OpenFdCount();
  ServerOptions options;
  options.pool.budget_bytes = 64 << 20;
  Start(options);
  Warm(Descriptor(64), 2);
  EXPECT_GT(OpenFdCount(), before + 4);
  Stop();
  EXPECT_EQ(OpenFdCount(), before);
}

}  // namespace
}  // namespace gralloc::service
