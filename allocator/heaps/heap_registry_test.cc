// Copyright 2026 The gralloc for Linux Authors.

#include "allocator/heaps/heap_registry.h"

#include <sys/mman.h>
#include <unistd.h>

#include <atomic>
#include <iostream>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "allocator/heaps/heap_test_util.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "hal/base/fd_count.h"
#include "hal/base/status_matchers.h"

namespace gralloc {
namespace {

using ::gralloc::testing::MakeDir;
using ::gralloc::testing::MakeRegularFile;
using ::gralloc::testing::MakeTempDir;
using ::gralloc::testing::OpenFdCount;
using ::gralloc::testing::StatusIs;
using ::testing::AllOf;
using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::IsNull;
using ::testing::NotNull;

// A heap that serves plain memfds, or always fails, and counts calls.
class FakeHeap final : public Heap {
 public:
  explicit FakeHeap(std::string name, bool contiguous = false,
                    absl::Status failure = absl::OkStatus())
      : Heap(Identity(name, contiguous), "fake for tests"),
        failure_(std::move(failure)) {}

  absl::StatusOr<HeapBuffer> Allocate(const HeapRequest& request) override {
    allocations_.fetch_add(1);
    if (!failure_.ok()) return failure_;
    HeapBuffer buffer;
    buffer.fd = UniqueFd(memfd_create("fake-heap", MFD_CLOEXEC));
    if (!buffer.fd.valid()) return absl::InternalError("memfd_create");
    if (ftruncate(buffer.fd.get(), static_cast<off_t>(request.size_bytes)) !=
        0) {
      return absl::InternalError("ftruncate");
    }
    buffer.size_bytes = request.size_bytes;
    return buffer;
  }

  int allocations() const { return allocations_.load(); }

 private:
  static HeapIdentity Identity(const std::string& name, bool contiguous) {
    HeapIdentity identity = DmaHeapIdentity(name, false);
    identity.caps.contiguous = contiguous;
    return identity;
  }

  const absl::Status failure_;
  std::atomic<int> allocations_{0};
};

std::vector<std::string> HeapNames(const HeapRegistry& registry) {
  std::vector<std::string> names;
  for (const std::unique_ptr<Heap>& heap : registry.heaps()) {
    names.emplace_back(heap->name());
  }
  return names;
}

std::string Notes(const HeapRegistry& registry) {
  return absl::StrJoin(registry.probe_notes(), "\n");
}

ProbeOptions OptionsFor(const std::string& dev_root) {
  ProbeOptions options;
  options.dev_root = dev_root;
  return options;
}

TEST(HeapRegistryProbeTest, EmptyDevRootGivesOnlyMemfd) {
  const std::string root = MakeTempDir();
  HeapRegistry registry = HeapRegistry::Probe(OptionsFor(root));
  EXPECT_EQ(HeapNames(registry), std::vector<std::string>{"memfd"});
  EXPECT_THAT(registry.probe_notes(),
              Contains(absl::StrCat(root, "/dma_heap: absent")));
  EXPECT_THAT(registry.probe_notes(),
              Contains(absl::StrCat(root, "/udmabuf: absent")));
  EXPECT_THAT(registry.probe_notes(),
              Contains(absl::StrCat(root, "/dri: absent")));
}

TEST(HeapRegistryProbeTest, WithoutMemfdAnEmptyDevRootGivesNoHeaps) {
  ProbeOptions options = OptionsFor(MakeTempDir());
  options.allow_memfd = false;
  HeapRegistry registry = HeapRegistry::Probe(options);
  EXPECT_THAT(registry.heaps(), IsEmpty());
  EXPECT_THAT(registry.Find("memfd"), IsNull());
}

TEST(HeapRegistryProbeTest, RegularFilesAreSkippedWithAReason) {
  const std::string root = MakeTempDir();
  MakeDir(root + "/dma_heap");
  MakeRegularFile(root + "/dma_heap/system");
  MakeDir(root + "/dma_heap/not-a-node");
  MakeRegularFile(root + "/udmabuf");
  MakeDir(root + "/dri");
  MakeRegularFile(root + "/dri/card0");
  MakeRegularFile(root + "/dri/renderD128");  // not a card: not probed

  const int fds_before = OpenFdCount();
  HeapRegistry registry = HeapRegistry::Probe(OptionsFor(root));
  EXPECT_EQ(HeapNames(registry), std::vector<std::string>{"memfd"});
  const std::string notes = Notes(registry);
  EXPECT_THAT(notes, HasSubstr(root + "/dma_heap/system: skipped, not a "
                                      "character device"));
  EXPECT_THAT(notes, HasSubstr(root + "/dma_heap/not-a-node: skipped"));
  EXPECT_THAT(notes, HasSubstr(root + "/udmabuf: skipped"));
  EXPECT_THAT(notes, HasSubstr(root + "/dri/card0: skipped"));
  EXPECT_THAT(notes, ::testing::Not(HasSubstr("renderD128")));
  EXPECT_EQ(OpenFdCount(), fds_before);
}

// /dev/null is a character device that is none of ours: opening works, the
// first ioctl fails. Probe must say so or the heap must fail clearly.
TEST(HeapRegistryProbeTest, WrongCharacterDevicesFailClearly) {
  const std::string root = MakeTempDir();
  MakeDir(root + "/dma_heap");
  ASSERT_EQ(symlink("/dev/null", (root + "/dma_heap/system").c_str()), 0);
  ASSERT_EQ(symlink("/dev/null", (root + "/udmabuf").c_str()), 0);
  MakeDir(root + "/dri");
  ASSERT_EQ(symlink("/dev/null", (root + "/dri/card0").c_str()), 0);

  HeapRegistry registry = HeapRegistry::Probe(OptionsFor(root));
  EXPECT_THAT(Notes(registry), AllOf(HasSubstr(root + "/dri/card0: skipped"),
                                     HasSubstr("DRM_IOCTL_GET_CAP")));

  HeapRequest request;
  request.size_bytes = 4096;
  Heap* system = registry.Find("system");
  ASSERT_THAT(system, NotNull());
  EXPECT_THAT(system->Allocate(request).status().message(),
              HasSubstr("DMA_HEAP_IOCTL_ALLOC"));
  Heap* udmabuf = registry.Find("udmabuf");
  ASSERT_THAT(udmabuf, NotNull());
  EXPECT_THAT(udmabuf->Allocate(request).status().message(),
              HasSubstr("UDMABUF_CREATE"));
  EXPECT_EQ(HeapNames(registry),
            (std::vector<std::string>{"system", "udmabuf", "memfd"}));
}

TEST(HeapRegistryProbeTest, ConfiguredProtectedHeapGetsProtectedCaps) {
  const std::string root = MakeTempDir();
  MakeDir(root + "/dma_heap");
  ASSERT_EQ(symlink("/dev/null", (root + "/dma_heap/secure").c_str()), 0);
  ASSERT_EQ(symlink("/dev/null", (root + "/dma_heap/system").c_str()), 0);
  ProbeOptions options = OptionsFor(root);
  options.protected_heaps = {"secure", "missing"};
  HeapRegistry registry = HeapRegistry::Probe(options);
  ASSERT_THAT(registry.Find("secure"), NotNull());
  EXPECT_TRUE(registry.Find("secure")->caps().is_protected);
  EXPECT_FALSE(registry.Find("system")->caps().is_protected);
  EXPECT_THAT(Notes(registry), HasSubstr("protected heap \"missing\""));
}

TEST(HeapRegistryProbeTest, ProbingThisMachineNeverFailsAndEndsWithMemfd) {
  HeapRegistry registry = HeapRegistry::Probe(ProbeOptions());
  ASSERT_THAT(registry.heaps(), ::testing::Not(IsEmpty()));
  EXPECT_EQ(registry.heaps().back()->name(), "memfd");
  std::cout << registry.Describe();
}

TEST(HeapRegistryTest, InjectedHeapsAreFoundByName) {
  std::vector<std::unique_ptr<Heap>> heaps;
  heaps.push_back(std::make_unique<FakeHeap>("fake:cma", true));
  heaps.push_back(std::make_unique<FakeHeap>(
      "fake:broken", false, absl::ResourceExhaustedError("out of fake")));
  HeapRegistry registry(std::move(heaps));

  EXPECT_EQ(HeapNames(registry),
            (std::vector<std::string>{"fake:cma", "fake:broken"}));
  Heap* cma = registry.Find("fake:cma");
  ASSERT_THAT(cma, NotNull());
  EXPECT_TRUE(cma->caps().contiguous);
  HeapRequest request;
  request.size_bytes = 4096;
  ASSERT_OK_AND_ASSIGN(HeapBuffer buffer, cma->Allocate(request));
  EXPECT_TRUE(buffer.fd.valid());
  EXPECT_THAT(registry.Find("fake:broken")->Allocate(request),
              StatusIs(absl::StatusCode::kResourceExhausted));
  EXPECT_THAT(registry.Find("memfd"), IsNull());
  EXPECT_THAT(registry.Find(""), IsNull());
}

TEST(HeapRegistryTest, NullAndDuplicateHeapsAreDroppedWithANote) {
  std::vector<std::unique_ptr<Heap>> heaps;
  heaps.push_back(std::make_unique<FakeHeap>("fake", true));
  heaps.push_back(nullptr);
  heaps.push_back(std::make_unique<FakeHeap>("fake", false));
  HeapRegistry registry(std::move(heaps));
  EXPECT_EQ(HeapNames(registry), std::vector<std::string>{"fake"});
  EXPECT_TRUE(registry.Find("fake")->caps().contiguous);  // the first wins
  EXPECT_THAT(Notes(registry), HasSubstr("\"fake\": dropped"));
}

TEST(HeapRegistryTest, DescribeListsEveryHeapWithCapsAndNotes) {
  ProbeOptions options = OptionsFor(MakeTempDir());
  options.probe_dma_heaps = false;
  options.probe_drm_dumb = false;
  HeapRegistry registry = HeapRegistry::Probe(options);
  const std::string text = registry.Describe();
  EXPECT_THAT(text, HasSubstr("heaps: 1\n"));
  EXPECT_THAT(text, HasSubstr("memfd  backend=memfd contiguous=no cached=yes "
                              "importable=no protected=no scanout=no  "
                              "memfd: no device can import this\n"));
  EXPECT_THAT(text, HasSubstr("notes: 1\n"));
  EXPECT_THAT(text, HasSubstr("/udmabuf: absent\n"));
}

TEST(HeapRegistryTest, ManyThreadsAllocateThroughTheRegistry) {
  std::vector<std::unique_ptr<Heap>> heaps;
  heaps.push_back(std::make_unique<FakeHeap>("fake"));
  HeapRegistry registry(std::move(heaps));
  ProbeOptions options = OptionsFor(MakeTempDir());
  HeapRegistry probed = HeapRegistry::Probe(options);
  const int fds_before = OpenFdCount();

  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      HeapRequest request;
      request.size_bytes = 4096;
      for (int i = 0; i < 100; ++i) {
        Heap* heap =
            (t + i) % 2 == 0 ? registry.Find("fake") : probed.Find("memfd");
        if (heap == nullptr || !heap->Allocate(request).ok()) {
          failures.fetch_add(1);
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(static_cast<FakeHeap*>(registry.Find("fake"))->allocations(), 400);
  EXPECT_EQ(OpenFdCount(), fds_before);
}

}  // namespace
}  // namespace gralloc
