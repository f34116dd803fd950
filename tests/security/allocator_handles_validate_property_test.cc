// Copyright 2026 The gralloc for Linux Authors.
//
// The other side of the handle geometry checks (handle_geometry_exceeds_
// fds_test.cc): every handle the real allocator makes must pass them. A
// check stricter than the allocator's layout would turn valid buffers into
// BAD_BUFFER at import, which no forged-handle test would notice.
//
// Seeded and repeatable: every format of the table and every flexible
// layout, random sizes (odd ones included), layer counts, alignments,
// padding rows and modifiers, laid out by allocator/layout exactly as the
// allocator does, must validate; and the oracle is itself tested, as the
// smallest lie about each fact of every such layout must not validate.
// Then real buffers from the in-process allocator, through its C ABI, must
// import through the Mapper 5 C ABI.

#include <cstdint>
#include <cstring>
#include <random>
#include <vector>

#include "absl/strings/str_cat.h"
#include "allocator/layout/layout.h"
#include "android/hardware/graphics/mapper/IMapper.h"
#include "gralloc/allocator.h"
#include "gtest/gtest.h"
#include "hal/base/fd_count.h"
#include "hal/format/format_table.h"
#include "hal/handle/buffer_handle.h"
#include "hal/layout/buffer_layout.h"
#include "tests/security/security_test_util.h"

namespace gralloc {
namespace {

using ::gralloc::testing::LoadMapper;
using ::gralloc::testing::OpenFdCount;

constexpr uint32_t kSeed = 20260501;
constexpr int kCasesPerFormat = 2000;

std::vector<const FormatInfo*> ConcreteFormats() {
  std::vector<const FormatInfo*> formats;
  for (const FormatInfo& format : AllFormats()) {
    if (format.layout == FormatLayout::kPlanes) formats.push_back(&format);
  }
  for (const FormatInfo& format : FlexibleLayouts()) {
    formats.push_back(&format);
  }
  return formats;
}

template <typename T>
T Pick(std::mt19937_64& random, std::initializer_list<T> values) {
  std::uniform_int_distribution<size_t> index(0, values.size() - 1);
  return values.begin()[index(random)];
}

int64_t Uniform(std::mt19937_64& random, int64_t low, int64_t high) {
  return std::uniform_int_distribution<int64_t>(low, high)(random);
}

// A random buffer of `format` laid out as the allocator lays it out, in a
// handle as the allocator writes it; false if the layout is refused (a
// stride past 32 bits).
bool RandomHandle(std::mt19937_64& random, const FormatInfo& format,
                  HandleInfo* info) {
  int64_t width = Uniform(random, 1, Pick<int64_t>(random, {16, 700, 4099}));
  width = (width + format.rules.width_multiple - 1) /
          format.rules.width_multiple * format.rules.width_multiple;
  const int64_t height =
      format.rules.height_must_be_one
          ? 1
          : Uniform(random, 1, Pick<int64_t>(random, {9, 2161}));
  const int64_t layers = Pick<int64_t>(random, {1, 1, 2, 3, 6});
  LayoutConstraints constraints;
  constraints.stride_alignment_bytes =
      Pick<uint64_t>(random, {1, 1, 2, 4, 16, 64, 128, 256, 4096});
  constraints.height_alignment_rows = Pick<uint64_t>(random, {1, 1, 2, 16, 32});
  constraints.plane_alignment_bytes = Pick<uint64_t>(random, {1, 64, 4096});
  constraints.padding_rows = Pick<uint64_t>(random, {0, 0, 1, 3});
  absl::StatusOr<BufferLayout> layout =
      ComputeLayout(format, width, height, layers, constraints);
  if (!layout.ok()) return false;
  *info = HandleInfo{};
  info->buffer_id = random();
  info->width = static_cast<int32_t>(width);
  info->height = static_cast<int32_t>(height);
  info->layer_count = static_cast<int32_t>(layers);
  info->format_requested = format.android_value;
  info->usage = 0x33;
  // Heaps hand out whole pages, at least what the layout needs.
  info->allocation_size = (layout->total_size_bytes + 4095) / 4096 * 4096 +
                          Pick<uint64_t>(random, {0, 0, 4096});
  info->metadata_size = 4096;
  info->backend = HandleBackend::kMemfd;
  info->layout = *layout;
  // The layout does not depend on the modifier; any may be recorded.
  info->layout.modifier =
      Pick<uint64_t>(random, {kLinearModifier, 0x0100000000000001ull,
                              0x00ffffffffffffffull, random()});
  return true;
}

TEST(AllocatorHandlesValidatePropertyTest, EveryAllocatorLayoutValidates) {
  std::mt19937_64 random(kSeed);
  for (const FormatInfo* format : ConcreteFormats()) {
    int laid_out = 0;
    for (int i = 0; i < kCasesPerFormat; ++i) {
      HandleInfo info;
      if (!RandomHandle(random, *format, &info)) continue;
      ++laid_out;
      SCOPED_TRACE(absl::StrCat(format->name, " ", info.width, "x", info.height,
                                "x", info.layer_count, " stride ",
                                info.layout.planes[0].stride_bytes, " seed ",
                                kSeed, " case ", i));
      ASSERT_TRUE(ValidateHandleInfo(info).ok()) << ValidateHandleInfo(info);
      // And through the wire: the ints decode and validate again.
      absl::StatusOr<std::vector<int32_t>> ints = EncodeHandleInts(info);
      ASSERT_TRUE(ints.ok()) << ints.status();
      absl::StatusOr<HandleInfo> decoded = DecodeHandleInts(*ints);
      ASSERT_TRUE(decoded.ok()) << decoded.status();
    }
    EXPECT_GT(laid_out, kCasesPerFormat / 2) << format->name;
  }
}

// The oracle is tested: for the same layouts, the smallest lie about each
// fact the handle states is refused.
TEST(AllocatorHandlesValidatePropertyTest, TheSmallestLieAboutEachFactFails) {
  std::mt19937_64 random(kSeed + 1);
  for (const FormatInfo* format : ConcreteFormats()) {
    for (int i = 0; i < kCasesPerFormat / 4; ++i) {
      HandleInfo info;
      if (!RandomHandle(random, *format, &info)) continue;
      SCOPED_TRACE(absl::StrCat(format->name, " ", info.width, "x", info.height,
                                "x", info.layer_count, " case ", i));
      const BufferLayout& layout = info.layout;
      for (int p = 0; p < layout.plane_count; ++p) {
        const PlaneInfo& row = format->planes[p];
        const uint64_t samples =
            static_cast<uint64_t>(PlaneWidthInSamples(row, info.width));
        const uint64_t rows =
            static_cast<uint64_t>(PlaneHeightInSamples(row, info.height));
        const uint64_t row_bytes =
            (samples * static_cast<uint64_t>(row.bits_per_sample) + 7) / 8;
        // A stride one byte short of a row.
        HandleInfo lie = info;
        lie.layout.planes[p].stride_bytes = row_bytes - 1;
        EXPECT_FALSE(ValidateHandleInfo(lie).ok()) << "plane " << p;
        // A plane one byte short of its rows.
        lie = info;
        lie.layout.planes[p].size_bytes =
            layout.planes[p].stride_bytes * rows - 1;
        EXPECT_FALSE(ValidateHandleInfo(lie).ok()) << "plane " << p;
        // More rows than the plane holds: the height that needs one more.
        lie = info;
        const uint64_t held_rows =
            layout.planes[p].size_bytes / layout.planes[p].stride_bytes;
        const uint64_t height =
            held_rows * static_cast<uint64_t>(row.vertical_subsampling) + 1;
        if (height <= INT32_MAX && !format->rules.height_must_be_one) {
          lie.height = static_cast<int32_t>(height);
          EXPECT_FALSE(ValidateHandleInfo(lie).ok()) << "plane " << p;
        }
      }
      // A stride in pixels one pixel past what plane 0's stride holds.
      HandleInfo lie = info;
      const PlaneInfo& first = format->planes[0];
      const uint64_t fit_px =
          layout.planes[0].stride_bytes * 8 /
          static_cast<uint64_t>(first.bits_per_sample) *
          static_cast<uint64_t>(first.horizontal_subsampling);
      if (fit_px + 1 <= INT32_MAX) {
        lie.layout.stride_px = static_cast<int32_t>(fit_px + 1);
        EXPECT_FALSE(ValidateHandleInfo(lie).ok()) << "stride_px";
      }
      // One layer more than the allocation holds.
      uint64_t layer_end = 0;
      for (const LaidOutPlane& plane : layout.Planes()) {
        layer_end = std::max(layer_end, plane.offset_bytes + plane.size_bytes);
      }
      lie = info;
      const uint64_t layers = info.allocation_size / layer_end + 1;
      if (layers <= INT32_MAX) {
        lie.layer_count = static_cast<int32_t>(layers);
        EXPECT_FALSE(ValidateHandleInfo(lie).ok()) << "layers";
      }
    }
  }
}

// Real buffers: the in-process allocator through its C ABI, imported through
// the Mapper 5 C ABI. Formats the default profile refuses for CPU use are
// skipped; most must allocate.
TEST(AllocatorHandlesValidatePropertyTest, RealAllocatorBuffersImport) {
  const int fds_before = OpenFdCount();
  GrallocAllocator* allocator = nullptr;
  ASSERT_EQ(GrallocAllocator_openInProcess(nullptr, &allocator), 0);
  AIMapper* mapper = LoadMapper();
  ASSERT_NE(mapper, nullptr);
  std::mt19937_64 random(kSeed + 2);
  int allocated = 0;
  int attempted = 0;
  for (const FormatInfo& format : AllFormats()) {
    for (int i = 0; i < 6; ++i) {
      GrallocBufferDescriptorInfo info;
      std::memset(&info, 0, sizeof(info));
      std::strcpy(info.name, "property");
      const int32_t multiple = format.rules.width_multiple;
      info.width = static_cast<int32_t>(
          (Uniform(random, 1, 1000) + multiple - 1) / multiple * multiple);
      info.height = format.rules.height_must_be_one
                        ? 1
                        : static_cast<int32_t>(Uniform(random, 1, 600));
      info.layerCount =
          static_cast<int32_t>(Pick<int64_t>(random, {1, 1, 2, 3}));
      info.format = format.android_value;
      info.usage = 0x33;  // CPU read and write, often
      const GrallocExtendableType alignment = {
          GRALLOC_OPTION_MIN_STRIDE_ALIGNMENT,
          Pick<int64_t>(random, {1, 4, 64, 256})};
      info.additionalOptions = &alignment;
      info.additionalOptionCount = 1;
      SCOPED_TRACE(absl::StrCat(format.name, " ", info.width, "x", info.height,
                                "x", info.layerCount, " align ",
                                alignment.value));
      ++attempted;
      native_handle_t* raw = nullptr;
      int32_t stride = 0;
      if (GrallocAllocator_allocate2(allocator, &info, 1, &stride, &raw) != 0) {
        continue;
      }
      ++allocated;
      absl::StatusOr<HandleInfo> decoded = DecodeHandle(raw);
      EXPECT_TRUE(decoded.ok()) << decoded.status();
      buffer_handle_t imported = nullptr;
      EXPECT_EQ(mapper->v5.importBuffer(raw, &imported), AIMAPPER_ERROR_NONE);
      if (imported != nullptr) {
        EXPECT_EQ(mapper->v5.freeBuffer(imported), AIMAPPER_ERROR_NONE);
      }
      native_handle_close(raw);
      native_handle_delete(raw);
    }
  }
  GrallocAllocator_close(allocator);
  EXPECT_GT(allocated, attempted / 2)
      << allocated << " of " << attempted << " allocated";
  EXPECT_EQ(OpenFdCount(), fds_before);
}

}  // namespace
}  // namespace gralloc
