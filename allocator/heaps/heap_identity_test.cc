// Copyright 2026 The gralloc for Linux Authors.

#include "allocator/heaps/heap_identity.h"

#include <set>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "hal/base/status_matchers.h"

namespace gralloc {
namespace {

using ::gralloc::testing::StatusIs;
using ::testing::HasSubstr;

TEST(HeapIdentityTest, KnownDmaHeapNamesMapToTheirClass) {
  const HeapIdentity system = DmaHeapIdentity("system", false);
  EXPECT_EQ(system.name, "system");
  EXPECT_EQ(system.heap_class, HeapClass::kSystem);
  EXPECT_EQ(system.caps.backend, HandleBackend::kDmaHeap);
  EXPECT_TRUE(system.caps.device_importable);
  EXPECT_TRUE(system.caps.cached);
  EXPECT_FALSE(system.caps.contiguous);
  EXPECT_FALSE(system.caps.is_protected);

  const HeapIdentity uncached = DmaHeapIdentity("system-uncached", false);
  EXPECT_EQ(uncached.heap_class, HeapClass::kSystemUncached);
  EXPECT_FALSE(uncached.caps.cached);
  EXPECT_FALSE(uncached.caps.contiguous);

  for (const char* cma :
       {"reserved", "linux,cma", "default-pool", "default_cma_region"}) {
    const HeapIdentity heap = DmaHeapIdentity(cma, false);
    EXPECT_EQ(heap.name, cma);
    EXPECT_EQ(heap.class_name(), "cma") << cma;
    EXPECT_TRUE(heap.caps.contiguous) << cma;
    EXPECT_TRUE(heap.caps.cached) << cma;
    EXPECT_FALSE(heap.caps.is_protected) << cma;
  }
  // A name the table does not know is assumed to be like "system".
  EXPECT_EQ(DmaHeapIdentity("vendor-heap", false).heap_class,
            HeapClass::kSystem);
}

TEST(HeapIdentityTest, ProtectedOnlyWhenConfigured) {
  EXPECT_FALSE(DmaHeapIdentity("secure", false).caps.is_protected);
  const HeapIdentity secure = DmaHeapIdentity("secure", true);
  EXPECT_EQ(secure.heap_class, HeapClass::kProtected);
  EXPECT_TRUE(secure.caps.is_protected);
  EXPECT_FALSE(secure.caps.cached);
  EXPECT_TRUE(secure.caps.device_importable);
  EXPECT_FALSE(secure.caps.contiguous);
  // A protected carve-out of the CMA area stays contiguous.
  EXPECT_TRUE(DmaHeapIdentity("reserved", true).caps.contiguous);
}

TEST(HeapIdentityTest, OtherBackendsHaveOneIdentityEach) {
  EXPECT_EQ(UdmabufIdentity().name, "udmabuf");
  EXPECT_EQ(UdmabufIdentity().caps.backend, HandleBackend::kUdmabuf);
  EXPECT_EQ(DrmDumbIdentity("card1").name, "drm-dumb:card1");
  EXPECT_TRUE(DrmDumbIdentity("card1").caps.scanout);
  EXPECT_EQ(MemfdIdentity().name, "memfd");
  EXPECT_FALSE(MemfdIdentity().caps.device_importable);
}

TEST(HeapIdentityTest, ClassTableIsCompleteAndNamesAreUnique) {
  std::set<std::string> names;
  for (const HeapClassInfo& row : HeapClasses()) {
    EXPECT_TRUE(names.insert(std::string(row.name)).second) << row.name;
    EXPECT_EQ(&HeapClassRow(row.heap_class), &row);
    EXPECT_EQ(FindHeapClass(row.name), &row);
    // Only memfd is beyond every device.
    EXPECT_EQ(row.caps.device_importable, row.heap_class != HeapClass::kMemfd)
        << row.name;
  }
  EXPECT_EQ(names.size(), 7u);
  EXPECT_EQ(FindHeapClass("reserved"), nullptr);  // a heap name, not a class
}

TEST(HeapIdentityTest, MatchesByNameOrClass) {
  const HeapIdentity reserved = DmaHeapIdentity("reserved", false);
  EXPECT_TRUE(reserved.Matches("reserved"));
  EXPECT_TRUE(reserved.Matches("cma"));
  EXPECT_FALSE(reserved.Matches("linux,cma"));
  EXPECT_FALSE(reserved.Matches("system"));
  EXPECT_EQ(reserved.ToString(), "reserved (cma)");
}

TEST(HeapIdentityTest, FromNameTakesClassesAndKnownHeapNames) {
  ASSERT_OK_AND_ASSIGN(HeapIdentity cma, HeapIdentityFromName("cma"));
  EXPECT_EQ(cma, DmaHeapIdentity("reserved", false));
  ASSERT_OK_AND_ASSIGN(HeapIdentity linux_cma,
                       HeapIdentityFromName("linux,cma"));
  EXPECT_EQ(linux_cma, DmaHeapIdentity("linux,cma", false));
  ASSERT_OK_AND_ASSIGN(HeapIdentity memfd, HeapIdentityFromName("memfd"));
  EXPECT_EQ(memfd, MemfdIdentity());
  ASSERT_OK_AND_ASSIGN(HeapIdentity dumb, HeapIdentityFromName("drm-dumb"));
  EXPECT_EQ(dumb, DrmDumbIdentity("card0"));
  ASSERT_OK_AND_ASSIGN(HeapIdentity secure, HeapIdentityFromName("protected"));
  EXPECT_TRUE(secure.caps.is_protected);
  EXPECT_THAT(HeapIdentityFromName("fast"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("unknown heap 'fast' (system, ")));
}

}  // namespace
}  // namespace gralloc
