// Copyright 2026 The gralloc for Linux Authors.

#include "allocator/service/pool.h"

#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <optional>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "hal/base/status_macros.h"
#include "hal/handle/buffer_handle.h"

namespace gralloc::service {
namespace {

// How long after the last Take() the refill waits (pool.h).
constexpr int64_t kRefillQuietMs = 5;

// Refills of one description that may fail in a row before it is forgotten.
constexpr int kMaxRefillFailures = 3;

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

absl::StatusOr<uint64_t> MemAvailableFromProc() {
  FILE* file = std::fopen("/proc/meminfo", "re");
  if (file == nullptr) return ErrnoStatus("open /proc/meminfo");
  char line[256];
  absl::StatusOr<uint64_t> available =
      absl::NotFoundError("/proc/meminfo has no MemAvailable");
  while (std::fgets(line, sizeof(line), file) != nullptr) {
    absl::string_view text(line);
    if (!absl::ConsumePrefix(&text, "MemAvailable:")) continue;
    text = absl::StripAsciiWhitespace(text);
    absl::ConsumeSuffix(&text, "kB");
    uint64_t kib = 0;
    if (absl::SimpleAtoi(absl::StripAsciiWhitespace(text), &kib)) {
      available = kib * 1024;
    }
    break;
  }
  std::fclose(file);
  return available;
}

// A PSI trigger: POLLPRI when tasks stalled on memory for 150 ms within a
// 2 s window (a window unprivileged processes may ask for too). Empty where
// the kernel has no PSI or refuses the trigger.
UniqueFd OpenPressureTrigger() {
  UniqueFd fd(open("/proc/pressure/memory", O_RDWR | O_NONBLOCK | O_CLOEXEC));
  if (!fd) return UniqueFd();
  static constexpr char kTrigger[] = "some 150000 2000000";
  if (write(fd.get(), kTrigger, sizeof(kTrigger)) < 0) return UniqueFd();
  return fd;
}

// A memfd's pages are allocated at first touch; a pooled buffer should
// cost its taker nothing more, as a heap's does.
void Populate(const AllocatedBuffer& buffer) {
  if (buffer.heap.caps.backend != HandleBackend::kMemfd) return;
  (void)fallocate(HandleBufferFd(buffer.handle.get()), 0, 0,
                  static_cast<off_t>(buffer.info.allocation_size));
}

}  // namespace

uint64_t PooledBytes(const AllocatedBuffer& buffer) {
  return buffer.info.allocation_size + buffer.info.metadata_size;
}

absl::StatusOr<std::unique_ptr<Pool>> Pool::Create(PoolOptions options,
                                                   AllocatorApi* allocator) {
  if (options.max_descriptions < 1 || options.min_depth < 1 ||
      options.max_depth < options.min_depth) {
    return absl::InvalidArgumentError(
        "pool: max_descriptions and min_depth must be at least 1, and "
        "max_depth at least min_depth");
  }
  UniqueFd wake(eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
  if (!wake) return ErrnoStatus("eventfd for the pool");
  UniqueFd pressure;
  if (options.budget_bytes > 0 && options.use_pressure_trigger) {
    pressure = OpenPressureTrigger();
  }
  std::unique_ptr<Pool> pool(new Pool(std::move(options), allocator,
                                      std::move(wake), std::move(pressure)));
  if (pool->options_.budget_bytes > 0) {
    pool->thread_ = std::thread([p = pool.get()] { p->Refill(); });
  }
  return pool;
}

Pool::Pool(PoolOptions options, AllocatorApi* allocator, UniqueFd wake,
           UniqueFd pressure)
    : options_(std::move(options)),
      allocator_(allocator),
      wake_(std::move(wake)),
      pressure_(std::move(pressure)) {
  counters_.budget_bytes = options_.budget_bytes;
  counters_.pressure_trigger = pressure_.get() >= 0;
}

Pool::~Pool() {
  {
    MutexLock lock(&mu_);
    stopping_ = true;
  }
  Wake();
  if (thread_.joinable()) thread_.join();
  // `entries_` closes every pooled buffer.
}

void Pool::Wake() {
  const uint64_t one = 1;
  (void)!write(wake_.get(), &one, sizeof(one));
}

Allocation Pool::Take(const BufferDescriptorInfo& descriptor, int32_t count,
                      std::vector<std::optional<PoolPrepared>>* prepared) {
  Allocation taken;
  if (count <= 0) return taken;
  const std::string key = Key(descriptor);
  {
    MutexLock lock(&mu_);
    Entry* entry = Find(key, count);
    if (entry != nullptr) {
      while (static_cast<int32_t>(taken.buffers.size()) < count &&
             !entry->buffers.empty()) {
        Pooled& pooled = entry->buffers.front();
        bytes_ -= PooledBytes(pooled.buffer);
        --buffers_;
        taken.buffers.push_back(std::move(pooled.buffer));
        if (prepared != nullptr) prepared->push_back(pooled.prepared);
        entry->buffers.pop_front();
      }
      if (!taken.buffers.empty()) taken.layout = entry->layout;
    }
    if (!taken.buffers.empty()) quiet_until_ms_ = NowMs() + kRefillQuietMs;
    counters_.hits += taken.buffers.size();
    counters_.misses += static_cast<uint64_t>(count) - taken.buffers.size();
  }
  if (!taken.buffers.empty()) Wake();
  return taken;
}

void Pool::Remember(const BufferDescriptorInfo& descriptor, int32_t count) {
  if (count <= 0) return;
  std::string key = Key(descriptor);
  std::vector<AllocatedBuffer> evicted;  // closed after the lock
  {
    MutexLock lock(&mu_);
    if (Find(key, count) != nullptr) return;
    Entry entry;
    entry.key = std::move(key);
    entry.descriptor = descriptor;
    entry.want = std::clamp(count, options_.min_depth, options_.max_depth);
    entries_.push_front(std::move(entry));
    while (entries_.size() > static_cast<size_t>(options_.max_descriptions)) {
      DropBuffersOf(entries_.back(), &evicted);
      entries_.pop_back();
    }
  }
  Wake();
}

std::string Pool::Key(const BufferDescriptorInfo& descriptor) {
  const std::vector<uint8_t> encoded = EncodeRequest(descriptor);
  return std::string(encoded.begin(), encoded.end());
}

Pool::Entry* Pool::Find(const std::string& key, int32_t count) {
  auto it = std::find_if(entries_.begin(), entries_.end(),
                         [&](const Entry& e) { return e.key == key; });
  if (it == entries_.end()) return nullptr;
  entries_.splice(entries_.begin(), entries_, it);
  Entry& entry = entries_.front();
  entry.want = std::clamp(std::max(entry.want, count), options_.min_depth,
                          options_.max_depth);
  return &entry;
}

uint64_t Pool::Drain(absl::string_view why) {
  std::vector<AllocatedBuffer> dropped;  // closed after the lock
  MutexLock lock(&mu_);
  return DropAll(why, &dropped);
}

uint64_t Pool::DropAll(absl::string_view why,
                       std::vector<AllocatedBuffer>* out) {
  ++generation_;
  ++counters_.drains;
  const uint64_t count = buffers_;
  if (count > 0 && options_.log) {
    options_.log(absl::StrCat("pool: dropped ", count, " buffers (", bytes_,
                              " bytes): ", why));
  }
  // The descriptions are forgotten too, so nothing refills until a request
  // asks again.
  for (Entry& entry : entries_) DropBuffersOf(entry, out);
  entries_.clear();
  return count;
}

void Pool::DropBuffersOf(Entry& entry, std::vector<AllocatedBuffer>* out) {
  for (Pooled& pooled : entry.buffers) {
    bytes_ -= PooledBytes(pooled.buffer);
    --buffers_;
    ++counters_.dropped;
    out->push_back(std::move(pooled.buffer));
  }
  entry.buffers.clear();
}

PoolStats Pool::Stats() const {
  MutexLock lock(&mu_);
  PoolStats stats = counters_;
  stats.buffers = buffers_;
  stats.bytes = bytes_;
  stats.descriptions = static_cast<uint32_t>(entries_.size());
  return stats;
}

absl::StatusOr<uint64_t> Pool::AvailableBytes() const {
  return options_.available_bytes ? options_.available_bytes()
                                  : MemAvailableFromProc();
}

bool Pool::MakeRoom(uint64_t bytes, const Entry* keep,
                    std::vector<AllocatedBuffer>* out) {
  // Less recent entries give way, least recent first; `keep` and those
  // before it do not.
  for (auto it = entries_.rbegin(); it != entries_.rend() && &*it != keep &&
                                    bytes_ + bytes > options_.budget_bytes;
       ++it) {
    while (!it->buffers.empty() && bytes_ + bytes > options_.budget_bytes) {
      bytes_ -= PooledBytes(it->buffers.back().buffer);
      --buffers_;
      ++counters_.dropped;
      out->push_back(std::move(it->buffers.back().buffer));
      it->buffers.pop_back();
    }
  }
  return bytes_ + bytes <= options_.budget_bytes;
}

std::optional<Pool::Work> Pool::NextWork() const {
  const int64_t now = NowMs();
  if (now < paused_until_ms_ || now < quiet_until_ms_) return std::nullopt;
  // Room for an entry: the budget less what it and the entries more
  // recent than it hold (less recent ones give way).
  uint64_t held = 0;
  for (const Entry& entry : entries_) {
    for (const Pooled& pooled : entry.buffers) {
      held += PooledBytes(pooled.buffer);
    }
    if (static_cast<int>(entry.buffers.size()) >= entry.want) continue;
    if (entry.buffer_bytes > 0 &&
        held + entry.buffer_bytes > options_.budget_bytes) {
      continue;
    }
    return Work{entry.key, entry.descriptor, generation_};
  }
  return std::nullopt;
}

void Pool::Refill() {
  // Idle priority: requests come first. A kernel that refuses SCHED_IDLE
  // gets the lowest nice value instead; either way the pool still fills
  // whenever the CPU has nothing else to do.
  sched_param param{};
  if (pthread_setschedparam(pthread_self(), SCHED_IDLE, &param) != 0) {
    (void)!setpriority(PRIO_PROCESS, static_cast<id_t>(gettid()), 19);
  }
  pollfd fds[2] = {{wake_.get(), POLLIN, 0}, {pressure_.get(), POLLPRI, 0}};
  const nfds_t nfds = pressure_ ? 2 : 1;
  for (;;) {
    std::optional<Work> work;
    int wait_ms = 1000;
    {
      MutexLock lock(&mu_);
      if (stopping_) return;
      work = NextWork();
      const int64_t quiet_ms = quiet_until_ms_ - NowMs();
      if (work) {
        wait_ms = 0;
      } else if (quiet_ms > 0) {
        wait_ms = static_cast<int>(std::min<int64_t>(quiet_ms, 1000));
      }
    }
    // With nothing to do, wake up every second to watch MemAvailable; in a
    // burst of takes, when it is over.
    const int ready = poll(fds, nfds, wait_ms);
    if (ready > 0 && (fds[0].revents & POLLIN) != 0) {
      uint64_t count;
      (void)!read(wake_.get(), &count, sizeof(count));
    }
    if (ready > 0 && nfds == 2 && (fds[1].revents & POLLPRI) != 0) {
      std::vector<AllocatedBuffer> dropped;
      MutexLock lock(&mu_);
      ++counters_.pressure_events;
      DropAll("memory pressure (PSI)", &dropped);
      paused_until_ms_ = NowMs() + options_.pressure_pause_ms;
      continue;
    }
    absl::StatusOr<uint64_t> available = AvailableBytes();
    if (available.ok() && *available < options_.min_available_bytes) {
      std::vector<AllocatedBuffer> dropped;
      MutexLock lock(&mu_);
      if (buffers_ > 0) {
        ++counters_.pressure_events;
        DropAll(absl::StrCat("MemAvailable ", *available, " bytes is below ",
                             options_.min_available_bytes),
                &dropped);
      }
      // Look again in a second rather than spin.
      paused_until_ms_ = NowMs() + 1000;
      continue;
    }
    if (!work) continue;

    absl::StatusOr<Allocation> made = allocator_->Allocate(work->descriptor, 1);
    std::optional<PoolPrepared> prepared;
    if (made.ok() && made->buffers.size() == 1) {
      Populate(made->buffers[0]);
      if (options_.prepare) {
        absl::StatusOr<PoolPrepared> done = options_.prepare(made->buffers[0]);
        if (done.ok()) prepared = *done;
      }
    }
    std::vector<AllocatedBuffer> dropped;  // closed after the lock
    MutexLock lock(&mu_);
    auto it = std::find_if(entries_.begin(), entries_.end(),
                           [&](const Entry& e) { return e.key == work->key; });
    if (!made.ok() || made->buffers.size() != 1) {
      // Out of memory: try again later, not in a loop. An entry that keeps
      // failing is forgotten.
      ++counters_.failures;
      paused_until_ms_ = NowMs() + 1000;
      if (it != entries_.end() && ++it->failures >= kMaxRefillFailures) {
        DropBuffersOf(*it, &dropped);
        entries_.erase(it);
      }
      continue;
    }
    AllocatedBuffer& buffer = made->buffers[0];
    const uint64_t bytes = PooledBytes(buffer);
    if (it == entries_.end() || work->generation != generation_) {
      dropped.push_back(std::move(buffer));  // evicted or drained meanwhile
      continue;
    }
    it->failures = 0;
    it->buffer_bytes = bytes;
    it->layout = made->layout;
    if (static_cast<int>(it->buffers.size()) >= it->want ||
        !MakeRoom(bytes, &*it, &dropped)) {
      dropped.push_back(std::move(buffer));
      continue;
    }
    bytes_ += bytes;
    ++buffers_;
    ++counters_.made;
    it->buffers.push_back(Pooled{std::move(buffer), prepared});
  }
}

}  // namespace gralloc::service
