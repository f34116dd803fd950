// Copyright 2026 The gralloc for Linux Authors.
//
// allocator/negotiation/random_inputs.h: random platform profiles, heap sets
// and buffer descriptors for the property tests of negotiation and of the
// allocator. Test-only.
//
// Every case is generated from one 64-bit seed, so a failure is reproduced
// by its seed alone:
//
//   const uint64_t base = PropertySeed(kDefaultSeed);  // or
//   $GRALLOC_PROPERTY_SEED for (int i = 0; i < kCases; ++i) {
//     RandomInputs random(CaseSeed(base, i));
//     Profile profile = random.NextProfile(ProfileOptions());
//     std::vector<HeapIdentity> heaps = random.NextHeaps();
//     BufferDescriptorInfo descriptor =
//     random.NextDescriptor(DescriptorOptions());
//     ...  // on failure print base, i and DescribeCase(...)
//   }
//
// The generators aim at the edges the merge rules care about: formats listed
// by Android name or by DRM fourcc only, non-linear modifiers, odd and
// overflowing alignments, contradictory cache policies, heap lists naming
// heaps by name or by class, 32-bit DMA limits, protected paths; and
// descriptors with flexible, unknown and vendor formats, unknown usage bits,
// undefined CPU fields, odd and huge sizes, several layers.
//
// Not thread-safe: one RandomInputs per thread.

#ifndef GRALLOC_ALLOCATOR_NEGOTIATION_RANDOM_INPUTS_H_
#define GRALLOC_ALLOCATOR_NEGOTIATION_RANDOM_INPUTS_H_

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "allocator/negotiation/negotiate.h"
#include "allocator/negotiation/profile.h"
#include "hal/descriptor/descriptor.h"

namespace gralloc::testing {

// The environment variable that overrides a property test's fixed seed.
inline constexpr char kPropertySeedVariable[] = "GRALLOC_PROPERTY_SEED";

// $GRALLOC_PROPERTY_SEED parsed as a decimal or 0x-hex number, else
// `default_seed`. A value that does not parse is reported on stderr and
// ignored.
uint64_t PropertySeed(uint64_t default_seed);

// The seed of case `index` of a run seeded `base` (a SplitMix64 step, so
// neighbouring cases are unrelated).
uint64_t CaseSeed(uint64_t base, uint64_t index);

struct ProfileOptions {
  // Probability that a participant's heap list (when it has one) names
  // memfd, by name or class. The allocator's test raises it so that a
  // memfd-only machine serves a fair share of the cases.
  double memfd_in_heap_lists = 0.2;
  // Probability of each "hard" constraint (contiguity, a required cache
  // policy, a 32-bit DMA limit, maximum sizes, zero or huge alignments).
  double hard_constraints = 1.0;
};

struct DescriptorOptions {
  // Most widths and heights are in [1, common_dimension].
  int64_t common_dimension = 128;
  // Whether to generate widths and heights up to 100000 (plans that may
  // exceed the maximum buffer size), rarely.
  bool allow_large = true;
};

class RandomInputs {
 public:
  explicit RandomInputs(uint64_t seed) : engine_(seed) {}

  Profile NextProfile(const ProfileOptions& options);
  // A random subset, in random order, of plausible heaps: system,
  // system-uncached, CMA under two names, udmabuf, a DRM dumb heap, memfd
  // and two protected heaps. May be empty.
  std::vector<HeapIdentity> NextHeaps();
  BufferDescriptorInfo NextDescriptor(const DescriptorOptions& options);
  // A usage word: CPU fields, hardware flags, PROTECTED, legacy, vendor and
  // (rarely) undefined bits.
  uint64_t NextUsage();

  // Primitives, for tests that generate more themselves.
  bool Chance(double probability);
  uint64_t Uniform(uint64_t low, uint64_t high);  // inclusive
  template <typename T>
  const T& Pick(const std::vector<T>& values) {
    return values[Uniform(0, values.size() - 1)];
  }

 private:
  // `core_formats` and `core_heaps` are lists most participants of one
  // platform share, so that a fair share of cases can be served at all.
  ParticipantProfile NextParticipant(
      Participant participant, const ProfileOptions& options,
      const std::vector<std::string>& core_formats,
      const std::vector<std::string>& core_heaps);
  // Empty (any format, linear) with probability `any_format`.
  std::vector<FormatSupport> NextFormats(
      double any_format, const std::vector<std::string>& core_formats);
  std::vector<uint64_t> NextModifiers();
  uint64_t NextAlignment(bool allow_huge, const ProfileOptions& options);
  int64_t NextDimension(const DescriptorOptions& options);

  std::mt19937_64 engine_;
};

// What a handle of a buffer allocated with `plan` for `descriptor` would
// say: the late joiner's input (Serves()).
HandleInfo BufferFromPlan(const Plan& plan,
                          const BufferDescriptorInfo& descriptor);

// Multi-line, human-readable dumps for failure messages. DescribeProfile
// prints only participants whose entry differs from the default, or that
// `usage` selects.
std::string DescribeProfile(const Profile& profile, uint64_t usage);
std::string DescribeHeaps(const std::vector<HeapIdentity>& heaps);
std::string DescribeDescriptor(const BufferDescriptorInfo& descriptor);

}  // namespace gralloc::testing

#endif  // GRALLOC_ALLOCATOR_NEGOTIATION_RANDOM_INPUTS_H_
