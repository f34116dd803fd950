// Copyright 2026 The gralloc for Linux Authors.
//
// Property test of the allocator on the memfd backend: for random profiles
// and random descriptors (allocator/negotiation/random_inputs.h),
// IsSupported() answers true exactly when Allocate() succeeds, the failures
// are the documented ones, and the open-fd count is flat afterwards.
//
// Dimensions are small, so the 10,000 allocations take a few seconds; every
// buffer is freed as soon as it is checked. Rerun one seed with
// GRALLOC_PROPERTY_SEED=<seed>.

#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/strip.h"
#include "allocator/allocator.h"
#include "allocator/heaps/heap_registry.h"
#include "allocator/heaps/memfd_heap.h"
#include "allocator/negotiation/random_inputs.h"
#include "gtest/gtest.h"
#include "hal/base/fd_count.h"
#include "hal/base/status_matchers.h"
#include "hal/handle/buffer_handle.h"
#include "hal/types/buffer_usage.h"
#include "hal/types/pixel_format.h"

namespace gralloc {
namespace {

using ::gralloc::testing::CaseSeed;
using ::gralloc::testing::DescribeDescriptor;
using ::gralloc::testing::DescribeProfile;
using ::gralloc::testing::DescriptorOptions;
using ::gralloc::testing::IsOk;
using ::gralloc::testing::OpenFdCount;
using ::gralloc::testing::ProfileOptions;
using ::gralloc::testing::PropertySeed;
using ::gralloc::testing::RandomInputs;

constexpr uint64_t kDefaultSeed = 0x6d656d6664;  // "memfd"
constexpr int kCases = 10000;

std::unique_ptr<Allocator> MemfdOnlyAllocator(Profile profile) {
  std::vector<std::unique_ptr<Heap>> heaps;
  heaps.push_back(std::make_unique<MemfdHeap>());
  absl::StatusOr<std::unique_ptr<Allocator>> allocator =
      Allocator::Create(std::move(profile), HeapRegistry(std::move(heaps)));
  EXPECT_THAT(allocator, IsOk());
  return allocator.ok() ? std::move(allocator).value() : nullptr;
}

TEST(AllocatorPropertyTest, IsSupportedAgreesWithAllocateOnMemfd) {
  const uint64_t seed = PropertySeed(kDefaultSeed);
  // Profiles whose heap lists often name memfd, and fewer constraints a
  // memfd can never meet (contiguity, uncached-only), so that a fair share
  // of the cases allocate.
  ProfileOptions profile_options;
  profile_options.memfd_in_heap_lists = 0.6;
  profile_options.hard_constraints = 0.4;
  DescriptorOptions descriptor_options;
  descriptor_options.common_dimension = 64;
  descriptor_options.allow_large = false;

  {  // Anything opened lazily is opened before counting.
    std::unique_ptr<Allocator> allocator = MemfdOnlyAllocator(BuiltinProfile());
    ASSERT_NE(allocator, nullptr);
    BufferDescriptorInfo info;
    info.width = info.height = 8;
    info.layer_count = 1;
    info.format = FormatValue(PixelFormat::RGBA_8888);
    info.usage = UsageValue(BufferUsage::CPU_READ_OFTEN);
    ASSERT_THAT(allocator->Allocate(info, 1), IsOk());
  }
  const int fds_before = OpenFdCount();

  int supported_count = 0;
  std::map<std::string, int> refusals;  // by field, or by code
  int failures = 0;
  // Every failure is counted; the first few are printed in full.
  auto report = [&failures](const ::testing::Message& message) {
    if (++failures <= 3) ADD_FAILURE() << message;
  };
  for (int i = 0; i < kCases; ++i) {
    RandomInputs random(CaseSeed(seed, static_cast<uint64_t>(i)));
    Profile profile = random.NextProfile(profile_options);
    const BufferDescriptorInfo descriptor =
        random.NextDescriptor(descriptor_options);
    auto describe = [&] {
      return ::testing::Message()
             << "case " << i << " of "
             << ::gralloc::testing::kPropertySeedVariable << "=" << seed << "\n"
             << DescribeProfile(profile, descriptor.usage)
             << DescribeDescriptor(descriptor);
    };
    std::unique_ptr<Allocator> allocator = MemfdOnlyAllocator(profile);
    ASSERT_NE(allocator, nullptr);

    const absl::StatusOr<Verdict> supported =
        allocator->IsSupported(descriptor);
    ASSERT_THAT(supported, IsOk()) << describe();
    absl::StatusOr<Allocation> allocation = allocator->Allocate(descriptor, 1);
    // The same answer, down to the code and the reason.
    if (supported->refusal != allocation.status()) {
      report(::testing::Message()
             << "isSupported says " << supported->refusal << ", Allocate says "
             << allocation.status() << "\n"
             << describe());
      continue;
    }
    if (!allocation.ok()) {
      // A refusal or a bad descriptor; never "out of memory" for buffers
      // this small, never an internal error.
      const absl::StatusCode code = allocation.status().code();
      absl::string_view message = allocation.status().message();
      ++refusals[absl::ConsumePrefix(&message, "refused: ")
                     ? std::string(message.substr(0, message.find(':')))
                     : absl::StatusCodeToString(code)];
      if (code != absl::StatusCode::kUnimplemented &&
          code != absl::StatusCode::kInvalidArgument) {
        report(::testing::Message()
               << "unexpected " << allocation.status() << "\n"
               << describe());
      }
      continue;
    }
    ++supported_count;
    if (allocation->buffers.size() != 1 ||
        allocation->buffers[0].heap.name != "memfd" ||
        !(allocation->buffers[0].info.layout == allocation->layout)) {
      report(::testing::Message()
             << "allocated " << allocation->buffers.size() << " buffers on "
             << (allocation->buffers.empty() ? "nothing"
                                             : allocation->buffers[0].heap.name)
             << " with stride " << allocation->layout.stride_px << "\n"
             << describe());
    }
    // `allocation` (and its fds) is released here.
  }

  std::cout << "seed " << seed << ": " << kCases << " cases, "
            << supported_count << " allocated on memfd, "
            << kCases - supported_count << " refused by both:";
  for (const auto& [why, count] : refusals)
    std::cout << " " << why << "=" << count;
  std::cout << "\n";
  EXPECT_EQ(failures, 0) << "of " << kCases << " cases";
  EXPECT_GE(supported_count, kCases / 10);
  EXPECT_GE(kCases - supported_count, kCases / 10);
  EXPECT_EQ(OpenFdCount(), fds_before);
}

}  // namespace
}  // namespace gralloc
