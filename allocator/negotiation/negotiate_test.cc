// Copyright 2026 The gralloc for Linux Authors.

#include "allocator/negotiation/negotiate.h"

#include <utility>
#include <vector>

#include "allocator/negotiation/random_inputs.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "hal/base/fourcc.h"
#include "hal/base/status_matchers.h"
#include "hal/types/buffer_usage.h"
#include "hal/types/pixel_format.h"

namespace gralloc {
namespace {

using ::gralloc::testing::BufferFromPlan;
using ::gralloc::testing::IsOk;
using ::gralloc::testing::StatusIs;
using ::testing::AllOf;
using ::testing::Contains;
using ::testing::HasSubstr;

constexpr uint64_t U(BufferUsage usage) { return static_cast<uint64_t>(usage); }

HeapIdentity SystemHeap() { return DmaHeapIdentity("system", false); }
HeapIdentity CmaHeap() { return DmaHeapIdentity("reserved", false); }
HeapIdentity MemfdHeap() { return MemfdIdentity(); }

BufferDescriptorInfo Descriptor(PixelFormat format, int64_t width,
                                int64_t height, uint64_t usage) {
  BufferDescriptorInfo info;
  info.name = "test";
  info.width = width;
  info.height = height;
  info.layer_count = 1;
  info.format = static_cast<int32_t>(format);
  info.usage = usage;
  return info;
}

const uint64_t kCameraToEncoderAndDisplay = U(BufferUsage::CAMERA_OUTPUT) |
                                            U(BufferUsage::VIDEO_ENCODER) |
                                            U(BufferUsage::COMPOSER_OVERLAY);

TEST(NegotiateTest, CpuOnlyRgbaLandsOnMemfdWithTheExactLayout) {
  const std::vector<HeapIdentity> heaps = {MemfdHeap()};
  ASSERT_OK_AND_ASSIGN(
      Plan plan, Negotiate(BuiltinProfile(), heaps,
                           Descriptor(PixelFormat::RGBA_8888, 64, 64,
                                      U(BufferUsage::CPU_READ_OFTEN) |
                                          U(BufferUsage::CPU_WRITE_OFTEN))));
  EXPECT_EQ(plan.heap.name, "memfd");
  EXPECT_EQ(plan.layout.format->android_value,
            static_cast<int32_t>(PixelFormat::RGBA_8888));
  EXPECT_EQ(plan.layout.total_size_bytes, 64u * 64u * 4u);
  EXPECT_EQ(plan.layout.modifier, kLinearModifier);
  ASSERT_EQ(plan.participants.size(), 1u);
  EXPECT_EQ(plan.participants[0].participant, Participant::kCpu);
}

TEST(NegotiateTest, CameraEncoderDisplayMergeAlignmentsByLcm) {
  const std::vector<HeapIdentity> heaps = {SystemHeap(), MemfdHeap()};
  ASSERT_OK_AND_ASSIGN(
      Plan plan, Negotiate(BuiltinProfile(), heaps,
                           Descriptor(PixelFormat::YCBCR_420_888, 1920, 1080,
                                      kCameraToEncoderAndDisplay)));
  EXPECT_EQ(plan.layout.format->drm_fourcc, FourccCode('N', 'V', '1', '2'));
  // LCM(camera 16, codec 16, display 64) = 64; codec wants 16-row heights.
  EXPECT_EQ(plan.constraints.stride_alignment_bytes, 64u);
  EXPECT_EQ(plan.constraints.height_alignment_rows, 16u);
  EXPECT_EQ(plan.layout.planes[0].stride_bytes, 1920u);
  EXPECT_EQ(plan.layout.planes[0].size_bytes, 1920u * 1088u);
  EXPECT_EQ(plan.layout.planes[1].offset_bytes, 1920u * 1088u);
  EXPECT_EQ(plan.heap.name, "system");  // importable beats memfd
  EXPECT_THAT(plan.trace, Contains(HasSubstr("stride alignment 64 bytes")));
}

TEST(NegotiateTest, DevicesFallBackToMemfdWithAnHonestWarning) {
  const std::vector<HeapIdentity> heaps = {MemfdHeap()};
  ASSERT_OK_AND_ASSIGN(Plan plan,
                       Negotiate(BuiltinProfile(), heaps,
                                 Descriptor(PixelFormat::YCBCR_420_888, 64, 64,
                                            kCameraToEncoderAndDisplay)));
  EXPECT_EQ(plan.heap.name, "memfd");
  EXPECT_THAT(plan.trace, Contains(HasSubstr("no device can import this")));
}

TEST(NegotiateTest, ImplementationDefinedResolvesFromUsage) {
  const std::vector<HeapIdentity> heaps = {SystemHeap()};
  ASSERT_OK_AND_ASSIGN(
      Plan camera, Negotiate(BuiltinProfile(), heaps,
                             Descriptor(PixelFormat::IMPLEMENTATION_DEFINED, 64,
                                        64, U(BufferUsage::CAMERA_OUTPUT))));
  EXPECT_EQ(camera.layout.format->drm_fourcc, FourccCode('N', 'V', '1', '2'));
  ASSERT_OK_AND_ASSIGN(
      Plan display,
      Negotiate(BuiltinProfile(), heaps,
                Descriptor(PixelFormat::IMPLEMENTATION_DEFINED, 64, 64,
                           U(BufferUsage::COMPOSER_OVERLAY))));
  EXPECT_EQ(display.layout.format->android_value,
            static_cast<int32_t>(PixelFormat::RGBX_8888));
  ASSERT_OK_AND_ASSIGN(
      Plan gpu, Negotiate(BuiltinProfile(), heaps,
                          Descriptor(PixelFormat::IMPLEMENTATION_DEFINED, 64,
                                     64, U(BufferUsage::GPU_RENDER_TARGET))));
  EXPECT_EQ(gpu.layout.format->android_value,
            static_cast<int32_t>(PixelFormat::RGBA_8888));
}

TEST(NegotiateTest, ProtectedWithCpuReadIsRefused) {
  Profile profile = BuiltinProfile();
  profile.at(Participant::kProtected).present = true;
  const std::vector<HeapIdentity> heaps = {SystemHeap()};
  EXPECT_THAT(
      Negotiate(profile, heaps,
                Descriptor(PixelFormat::RGBA_8888, 64, 64,
                           U(BufferUsage::PROTECTED) |
                               U(BufferUsage::CPU_READ_OFTEN))),
      StatusIs(absl::StatusCode::kUnimplemented,
               AllOf(HasSubstr("protected"), HasSubstr("CPU_READ_OFTEN"))));
}

TEST(NegotiateTest, ProtectedIsAllOrNothing) {
  Profile profile = BuiltinProfile();
  profile.at(Participant::kProtected).present = true;
  profile.at(Participant::kCodec).supports_protected = true;
  profile.protected_heaps = {"secure"};
  HeapIdentity secure = DmaHeapIdentity("secure", /*is_protected=*/true);
  secure.caps.contiguous = true;
  const std::vector<HeapIdentity> heaps = {SystemHeap(), secure};
  // The display cannot read protected memory in this profile.
  EXPECT_THAT(Negotiate(profile, heaps,
                        Descriptor(PixelFormat::YCBCR_420_888, 64, 64,
                                   U(BufferUsage::PROTECTED) |
                                       U(BufferUsage::VIDEO_DECODER) |
                                       U(BufferUsage::COMPOSER_OVERLAY))),
              StatusIs(absl::StatusCode::kUnimplemented,
                       AllOf(HasSubstr("protected"), HasSubstr("display"))));
  profile.at(Participant::kDisplay).supports_protected = true;
  ASSERT_OK_AND_ASSIGN(
      Plan plan, Negotiate(profile, heaps,
                           Descriptor(PixelFormat::YCBCR_420_888, 64, 64,
                                      U(BufferUsage::PROTECTED) |
                                          U(BufferUsage::VIDEO_DECODER) |
                                          U(BufferUsage::COMPOSER_OVERLAY))));
  EXPECT_EQ(plan.heap.name, "secure");
  EXPECT_TRUE(plan.is_protected);
  // And an unprotected buffer never lands in the protected heap.
  ASSERT_OK_AND_ASSIGN(Plan open,
                       Negotiate(profile, heaps,
                                 Descriptor(PixelFormat::YCBCR_420_888, 64, 64,
                                            U(BufferUsage::VIDEO_DECODER))));
  EXPECT_EQ(open.heap.name, "system");
}

TEST(NegotiateTest, AFormatNoParticipantSupportsIsRefusedNamingThem) {
  const std::vector<HeapIdentity> heaps = {SystemHeap()};
  EXPECT_THAT(Negotiate(BuiltinProfile(), heaps,
                        Descriptor(PixelFormat::RGBA_FP16, 64, 64,
                                   U(BufferUsage::VIDEO_ENCODER) |
                                       U(BufferUsage::GPU_TEXTURE))),
              StatusIs(absl::StatusCode::kUnimplemented,
                       AllOf(HasSubstr("format"), HasSubstr("RGBA_FP16"),
                             HasSubstr("codec"))));
}

TEST(NegotiateTest, ContiguityWithNoContiguousHeapIsRefused) {
  Profile profile = BuiltinProfile();
  profile.at(Participant::kCamera).contiguous = true;
  profile.at(Participant::kCamera).heaps = {"cma"};
  const std::vector<HeapIdentity> heaps = {SystemHeap(), MemfdHeap()};
  EXPECT_THAT(Negotiate(profile, heaps,
                        Descriptor(PixelFormat::YCBCR_420_888, 64, 64,
                                   U(BufferUsage::CAMERA_OUTPUT))),
              StatusIs(absl::StatusCode::kUnimplemented,
                       AllOf(HasSubstr("contiguous"), HasSubstr("camera"))));
  const std::vector<HeapIdentity> with_cma = {SystemHeap(), CmaHeap()};
  ASSERT_OK_AND_ASSIGN(Plan plan,
                       Negotiate(profile, with_cma,
                                 Descriptor(PixelFormat::YCBCR_420_888, 64, 64,
                                            U(BufferUsage::CAMERA_OUTPUT))));
  EXPECT_EQ(plan.heap.name, "reserved");
  EXPECT_TRUE(plan.contiguous);
}

TEST(NegotiateTest, ConflictingRequiredCachePoliciesAreRefused) {
  Profile profile = BuiltinProfile();
  profile.at(Participant::kDisplay).cache = CachePolicy::kUncached;
  profile.at(Participant::kDisplay).cache_required = true;
  profile.at(Participant::kGpu).cache = CachePolicy::kCached;
  profile.at(Participant::kGpu).cache_required = true;
  const std::vector<HeapIdentity> heaps = {SystemHeap()};
  EXPECT_THAT(Negotiate(profile, heaps,
                        Descriptor(PixelFormat::RGBA_8888, 64, 64,
                                   U(BufferUsage::GPU_TEXTURE) |
                                       U(BufferUsage::COMPOSER_OVERLAY))),
              StatusIs(absl::StatusCode::kUnimplemented,
                       AllOf(HasSubstr("cache policy"), HasSubstr("display"),
                             HasSubstr("gpu"))));
}

TEST(NegotiateTest, PreferencesAreDroppedBeforeRefusing) {
  // The display prefers uncached memory, frequent CPU access cached ones:
  // the conflict drops both preferences instead of refusing.
  const std::vector<HeapIdentity> heaps = {SystemHeap()};
  ASSERT_OK_AND_ASSIGN(
      Plan plan, Negotiate(BuiltinProfile(), heaps,
                           Descriptor(PixelFormat::RGBA_8888, 64, 64,
                                      U(BufferUsage::COMPOSER_OVERLAY) |
                                          U(BufferUsage::CPU_WRITE_OFTEN))));
  EXPECT_EQ(plan.heap.name, "system");
  EXPECT_THAT(plan.trace, Contains(HasSubstr("dropped")));
}

TEST(NegotiateTest, DmaAddressLimitExcludesHighHeaps) {
  Profile profile = BuiltinProfile();
  profile.at(Participant::kCamera).dma_address_bits = 32;
  profile.heap_properties = {{"cma", 32}};
  const std::vector<HeapIdentity> heaps = {SystemHeap(), CmaHeap()};
  ASSERT_OK_AND_ASSIGN(Plan plan,
                       Negotiate(profile, heaps,
                                 Descriptor(PixelFormat::YCBCR_420_888, 64, 64,
                                            U(BufferUsage::CAMERA_OUTPUT))));
  EXPECT_EQ(plan.heap.name, "reserved");
  EXPECT_EQ(plan.dma_address_bits, 32);
}

TEST(NegotiateTest, MaximumSizesAreEnforcedNamingTheParticipant) {
  Profile profile = BuiltinProfile();
  profile.at(Participant::kDisplay).max_width = 4096;
  const std::vector<HeapIdentity> heaps = {SystemHeap()};
  EXPECT_THAT(Negotiate(profile, heaps,
                        Descriptor(PixelFormat::RGBA_8888, 8192, 64,
                                   U(BufferUsage::COMPOSER_OVERLAY))),
              StatusIs(absl::StatusCode::kUnimplemented,
                       AllOf(HasSubstr("max width"), HasSubstr("display"))));
}

TEST(NegotiateTest, BaseAlignmentBeyondAPageIsRefused) {
  Profile profile = BuiltinProfile();
  profile.at(Participant::kDisplay).base_alignment_bytes = 1 << 16;
  const std::vector<HeapIdentity> heaps = {SystemHeap()};
  EXPECT_THAT(
      Negotiate(profile, heaps,
                Descriptor(PixelFormat::RGBA_8888, 64, 64,
                           U(BufferUsage::COMPOSER_OVERLAY))),
      StatusIs(absl::StatusCode::kUnimplemented,
               AllOf(HasSubstr("base alignment"), HasSubstr("display=65536"))));
  profile.at(Participant::kDisplay).base_alignment_bytes = 4096;
  EXPECT_THAT(Negotiate(profile, heaps,
                        Descriptor(PixelFormat::RGBA_8888, 64, 64,
                                   U(BufferUsage::COMPOSER_OVERLAY))),
              IsOk());
}

TEST(NegotiateTest, MissingParticipantIsRefused) {
  const std::vector<HeapIdentity> heaps = {SystemHeap()};
  EXPECT_THAT(
      Negotiate(BuiltinProfile(), heaps,
                Descriptor(PixelFormat::RGBA_8888, 64, 64,
                           U(BufferUsage::PROTECTED))),
      StatusIs(absl::StatusCode::kUnimplemented, HasSubstr("protected")));
}

TEST(NegotiateTest, BadDescriptorsAreInvalidAndUnknownBitsUnsupported) {
  const std::vector<HeapIdentity> heaps = {SystemHeap()};
  EXPECT_THAT(Negotiate(BuiltinProfile(), heaps,
                        Descriptor(PixelFormat::RGBA_8888, 0, 64,
                                   U(BufferUsage::GPU_TEXTURE))),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(
      Negotiate(BuiltinProfile(), heaps,
                Descriptor(PixelFormat::RGBA_8888, 64, 64, uint64_t{1} << 33)),
      StatusIs(absl::StatusCode::kUnimplemented));
  BufferDescriptorInfo option =
      Descriptor(PixelFormat::RGBA_8888, 64, 64, U(BufferUsage::GPU_TEXTURE));
  option.additional_options.push_back({"vendor.unknown", 1});
  EXPECT_THAT(Negotiate(BuiltinProfile(), heaps, option),
              StatusIs(absl::StatusCode::kUnimplemented));
}

TEST(NegotiateTest, NoHeapsAtAllIsARefusal) {
  EXPECT_THAT(Negotiate(BuiltinProfile(), {},
                        Descriptor(PixelFormat::RGBA_8888, 64, 64,
                                   U(BufferUsage::CPU_READ_OFTEN))),
              StatusIs(absl::StatusCode::kUnimplemented, HasSubstr("heap")));
}

// A display whose primary plane reads XBGR8888 linear or X-tiled, and
// XRGB8888 and NV12 linear, as an i915-like profile says.
constexpr uint64_t kXTiled = 0x0100000000000001;  // I915_FORMAT_MOD_X_TILED
Profile TilingDisplayProfile() {
  Profile profile = BuiltinProfile();
  profile.at(Participant::kDisplay).formats = {
      {FourccCode('X', 'B', '2', '4'), 0, {kXTiled, kLinearModifier}},
      {FourccCode('X', 'R', '2', '4'), 0, {kLinearModifier}},
      {FourccCode('N', 'V', '1', '2'), 0, {kLinearModifier}}};
  return profile;
}

// vkms: the primary plane reads XRGB8888 only.
Profile VkmsLikeProfile() {
  Profile profile = BuiltinProfile();
  profile.at(Participant::kDisplay).formats = {
      {FourccCode('X', 'R', '2', '4'), 0, {kLinearModifier}}};
  return profile;
}

BufferDescriptorInfo WithOptions(BufferDescriptorInfo info,
                                 std::vector<ExtendableType> options) {
  info.additional_options = std::move(options);
  return info;
}

ExtendableType Option(const char* name, int64_t value) {
  return ExtendableType{name, value};
}

TEST(NegotiateOptionsTest, TheModifierComesFromTheCallersList) {
  const std::vector<HeapIdentity> heaps = {SystemHeap()};
  const BufferDescriptorInfo scanout = Descriptor(
      PixelFormat::RGBX_8888, 64, 64, U(BufferUsage::COMPOSER_OVERLAY));
  ASSERT_OK_AND_ASSIGN(Plan free_choice,
                       Negotiate(TilingDisplayProfile(), heaps, scanout));
  EXPECT_EQ(free_choice.layout.modifier, kXTiled);  // the display's first
  ASSERT_OK_AND_ASSIGN(
      Plan listed,
      Negotiate(
          TilingDisplayProfile(), heaps,
          WithOptions(scanout, {Option(GRALLOC_OPTION_DRM_MODIFIER, 0x1234),
                                Option(GRALLOC_OPTION_DRM_MODIFIER, 0)})));
  EXPECT_EQ(listed.layout.modifier, kLinearModifier);
  EXPECT_THAT(
      Negotiate(
          TilingDisplayProfile(), heaps,
          WithOptions(scanout, {Option(GRALLOC_OPTION_DRM_MODIFIER, 0x1234)})),
      StatusIs(absl::StatusCode::kUnimplemented,
               AllOf(HasSubstr("format"), HasSubstr("the caller's list"))));
}

TEST(NegotiateOptionsTest, LinearOnlyDropsTiledModifiers) {
  const std::vector<HeapIdentity> heaps = {SystemHeap()};
  ASSERT_OK_AND_ASSIGN(
      Plan plan,
      Negotiate(TilingDisplayProfile(), heaps,
                WithOptions(Descriptor(PixelFormat::RGBX_8888, 64, 64,
                                       U(BufferUsage::COMPOSER_OVERLAY)),
                            {Option(GRALLOC_OPTION_LINEAR_ONLY, 1)})));
  EXPECT_EQ(plan.layout.modifier, kLinearModifier);
  // Linear only with a list holding only a tiled modifier leaves nothing.
  EXPECT_THAT(
      Negotiate(TilingDisplayProfile(), heaps,
                WithOptions(Descriptor(PixelFormat::RGBX_8888, 64, 64,
                                       U(BufferUsage::COMPOSER_OVERLAY)),
                            {Option(GRALLOC_OPTION_LINEAR_ONLY, 1),
                             Option(GRALLOC_OPTION_DRM_MODIFIER,
                                    static_cast<int64_t>(kXTiled))})),
      StatusIs(absl::StatusCode::kUnimplemented, HasSubstr("linear-only")));
}

TEST(NegotiateOptionsTest, APreferredHeapClassRanksAfterImportability) {
  const std::vector<HeapIdentity> heaps = {SystemHeap(), CmaHeap(),
                                           MemfdHeap()};
  const BufferDescriptorInfo camera = Descriptor(
      PixelFormat::YCBCR_420_888, 64, 64, U(BufferUsage::CAMERA_OUTPUT));
  ASSERT_OK_AND_ASSIGN(Plan plain, Negotiate(BuiltinProfile(), heaps, camera));
  EXPECT_EQ(plain.heap.name, "system");
  ASSERT_OK_AND_ASSIGN(
      Plan cma,
      Negotiate(BuiltinProfile(), heaps,
                WithOptions(camera, {Option(GRALLOC_OPTION_PREFERRED_HEAP,
                                            GRALLOC_HEAP_CMA)})));
  EXPECT_EQ(cma.heap.name, "reserved");
  // memfd is not importable: a device taking part keeps the dma-buf heap,
  // and the trace says the preference was dropped.
  ASSERT_OK_AND_ASSIGN(
      Plan memfd,
      Negotiate(BuiltinProfile(), heaps,
                WithOptions(camera, {Option(GRALLOC_OPTION_PREFERRED_HEAP,
                                            GRALLOC_HEAP_MEMFD)})));
  EXPECT_EQ(memfd.heap.name, "system");
  EXPECT_THAT(memfd.trace,
              Contains(HasSubstr("preferred class memfd dropped")));
}

TEST(NegotiateOptionsTest, AMinimumStrideAlignmentMergesByLcm) {
  const std::vector<HeapIdentity> heaps = {SystemHeap()};
  // The display aligns strides to 64 bytes; the caller wants 96: LCM 192.
  ASSERT_OK_AND_ASSIGN(
      Plan plan,
      Negotiate(
          BuiltinProfile(), heaps,
          WithOptions(Descriptor(PixelFormat::RGBA_8888, 100, 8,
                                 U(BufferUsage::COMPOSER_OVERLAY)),
                      {Option(GRALLOC_OPTION_MIN_STRIDE_ALIGNMENT, 96)})));
  EXPECT_EQ(plan.constraints.stride_alignment_bytes, 192u);
  EXPECT_EQ(plan.layout.planes[0].stride_bytes % 192, 0u);
  EXPECT_GE(plan.layout.planes[0].stride_bytes, 400u);
  EXPECT_THAT(plan.trace, Contains(HasSubstr("caller=96")));
}

TEST(NegotiateOptionsTest, UnknownOptionsAreUnsupportedBadValuesInvalid) {
  const std::vector<HeapIdentity> heaps = {SystemHeap()};
  const BufferDescriptorInfo base = Descriptor(PixelFormat::RGBA_8888, 64, 64,
                                               U(BufferUsage::CPU_READ_OFTEN));
  EXPECT_THAT(Negotiate(BuiltinProfile(), heaps,
                        WithOptions(base, {Option("com.example.swizzle", 1)})),
              StatusIs(absl::StatusCode::kUnimplemented,
                       HasSubstr("com.example.swizzle")));
  for (const ExtendableType& bad : {
           Option(GRALLOC_OPTION_LINEAR_ONLY, 2),
           Option(GRALLOC_OPTION_PREFERRED_HEAP, 0),
           Option(GRALLOC_OPTION_PREFERRED_HEAP, 8),
           Option(GRALLOC_OPTION_MIN_STRIDE_ALIGNMENT, 0),
           Option(GRALLOC_OPTION_MIN_STRIDE_ALIGNMENT, 65537),
           Option(GRALLOC_OPTION_DRM_MODIFIER,
                  0x00ffffffffffffff),  // MOD_INVALID
       }) {
    EXPECT_THAT(
        Negotiate(BuiltinProfile(), heaps, WithOptions(base, {bad})),
        StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr(bad.name)))
        << bad.name << "=" << bad.value;
  }
}

TEST(NegotiateFlexibleTest, ImplementationDefinedTakesWhatEveryoneSupports) {
  const std::vector<HeapIdentity> heaps = {SystemHeap()};
  // The camera writes only NV21 here: video users prefer NV12, but the
  // intersection gives NV21.
  Profile profile = BuiltinProfile();
  profile.at(Participant::kCamera).formats = {
      {FourccCode('N', 'V', '2', '1'), 0, {}}};
  ASSERT_OK_AND_ASSIGN(
      Plan camera, Negotiate(profile, heaps,
                             Descriptor(PixelFormat::IMPLEMENTATION_DEFINED, 64,
                                        64, U(BufferUsage::CAMERA_OUTPUT))));
  EXPECT_EQ(camera.layout.format->drm_fourcc, FourccCode('N', 'V', '2', '1'));
  // A camera that writes only RGBA for a GPU that reads anything: the YUV
  // family is tried first, then RGB.
  profile.at(Participant::kCamera).formats = {
      {FourccCode('A', 'B', '2', '4'), 0, {}}};
  ASSERT_OK_AND_ASSIGN(
      Plan rgb,
      Negotiate(profile, heaps,
                Descriptor(PixelFormat::IMPLEMENTATION_DEFINED, 64, 64,
                           U(BufferUsage::CAMERA_OUTPUT) |
                               U(BufferUsage::GPU_TEXTURE))));
  EXPECT_EQ(rgb.layout.format->android_value,
            static_cast<int32_t>(PixelFormat::RGBA_8888));
  // YCBCR_420_888 for a display that scans out only NV12 and a camera that
  // writes NV12 and YV12: NV12.
  Profile display = TilingDisplayProfile();
  display.at(Participant::kCamera).formats = {
      {0, static_cast<int32_t>(PixelFormat::YV12), {}},
      {FourccCode('N', 'V', '1', '2'), 0, {}}};
  ASSERT_OK_AND_ASSIGN(
      Plan yuv, Negotiate(display, heaps,
                          Descriptor(PixelFormat::YCBCR_420_888, 64, 64,
                                     U(BufferUsage::CAMERA_OUTPUT) |
                                         U(BufferUsage::COMPOSER_OVERLAY))));
  EXPECT_EQ(yuv.layout.format->drm_fourcc, FourccCode('N', 'V', '1', '2'));
}

TEST(NegotiateFlexibleTest, TheDisplayScansAlphaOutThroughItsOpaqueTwin) {
  const std::vector<HeapIdentity> heaps = {SystemHeap()};
  // BGRA_8888 is ARGB8888 in DRM terms; the plane lists XRGB8888.
  ASSERT_OK_AND_ASSIGN(Plan plan,
                       Negotiate(VkmsLikeProfile(), heaps,
                                 Descriptor(PixelFormat::BGRA_8888, 64, 64,
                                            U(BufferUsage::COMPOSER_OVERLAY))));
  EXPECT_EQ(plan.layout.format->drm_fourcc, FourccCode('A', 'R', '2', '4'));
  // RGBA_8888 (ABGR8888) takes the modifiers of its twin XBGR8888 where
  // the plane lists it, and is refused where it does not.
  ASSERT_OK_AND_ASSIGN(Plan tiled,
                       Negotiate(TilingDisplayProfile(), heaps,
                                 Descriptor(PixelFormat::RGBA_8888, 64, 64,
                                            U(BufferUsage::COMPOSER_OVERLAY))));
  EXPECT_EQ(tiled.layout.modifier, kXTiled);
  EXPECT_THAT(Negotiate(VkmsLikeProfile(), heaps,
                        Descriptor(PixelFormat::RGBA_8888, 64, 64,
                                   U(BufferUsage::COMPOSER_OVERLAY))),
              StatusIs(absl::StatusCode::kUnimplemented,
                       AllOf(HasSubstr("format"), HasSubstr("display"))));
  // The twin rule is the display's: a GPU listing XRGB8888 reads alpha.
  Profile gpu = BuiltinProfile();
  gpu.at(Participant::kGpu).formats = {{FourccCode('X', 'R', '2', '4'), 0, {}}};
  EXPECT_THAT(Negotiate(gpu, heaps,
                        Descriptor(PixelFormat::BGRA_8888, 64, 64,
                                   U(BufferUsage::GPU_TEXTURE))),
              StatusIs(absl::StatusCode::kUnimplemented, HasSubstr("gpu")));
}

TEST(ServesTest, RecordJoiningAPreviewNeedsCodecHeightAlignment) {
  const std::vector<HeapIdentity> heaps = {SystemHeap()};
  // Preview: camera -> display. 1080 rows.
  const BufferDescriptorInfo preview_descriptor = Descriptor(
      PixelFormat::YCBCR_420_888, 1920, 1080,
      U(BufferUsage::CAMERA_OUTPUT) | U(BufferUsage::COMPOSER_OVERLAY));
  ASSERT_OK_AND_ASSIGN(Plan preview,
                       Negotiate(BuiltinProfile(), heaps, preview_descriptor));
  // "Record" pressed: the encoder wants 16-row heights; 1080 is not.
  EXPECT_THAT(
      Serves(BuiltinProfile(), BufferFromPlan(preview, preview_descriptor),
             preview.heap, U(BufferUsage::VIDEO_ENCODER)),
      StatusIs(absl::StatusCode::kFailedPrecondition,
               AllOf(HasSubstr("VIDEO_ENCODER"), HasSubstr("codec=16"),
                     HasSubstr("height alignment"))));
  // A buffer negotiated with the encoder from the start serves it.
  const BufferDescriptorInfo all_descriptor = Descriptor(
      PixelFormat::YCBCR_420_888, 1920, 1080, kCameraToEncoderAndDisplay);
  ASSERT_OK_AND_ASSIGN(Plan all,
                       Negotiate(BuiltinProfile(), heaps, all_descriptor));
  EXPECT_THAT(Serves(BuiltinProfile(), BufferFromPlan(all, all_descriptor),
                     all.heap, U(BufferUsage::VIDEO_ENCODER)),
              IsOk());
  // The CPU can always join a linear, unprotected buffer.
  EXPECT_THAT(Serves(BuiltinProfile(), BufferFromPlan(all, all_descriptor),
                     all.heap, U(BufferUsage::CPU_READ_RARELY)),
              IsOk());
}

TEST(ServesTest, AFormatTheNewUserLacksFails) {
  const std::vector<HeapIdentity> heaps = {SystemHeap()};
  const BufferDescriptorInfo descriptor =
      Descriptor(PixelFormat::RGBA_FP16, 64, 64, U(BufferUsage::GPU_TEXTURE));
  ASSERT_OK_AND_ASSIGN(Plan plan,
                       Negotiate(BuiltinProfile(), heaps, descriptor));
  EXPECT_THAT(Serves(BuiltinProfile(), BufferFromPlan(plan, descriptor),
                     plan.heap, U(BufferUsage::VIDEO_ENCODER)),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       AllOf(HasSubstr("format"), HasSubstr("codec"))));
}

// The class of bug the two rules drifted into: a base alignment no heap
// guarantees is refused for a new buffer, so an existing buffer cannot be
// said to serve it either.
TEST(ServesTest, ABaseAlignmentBeyondThePageServesNeitherNewNorOldBuffers) {
  Profile profile = BuiltinProfile();
  profile.at(Participant::kCodec).base_alignment_bytes = 48;
  const std::vector<HeapIdentity> heaps = {SystemHeap()};
  const BufferDescriptorInfo preview = Descriptor(
      PixelFormat::YCBCR_420_888, 640, 480, U(BufferUsage::CAMERA_OUTPUT));
  EXPECT_THAT(
      Negotiate(profile, heaps,
                Descriptor(PixelFormat::YCBCR_420_888, 640, 480,
                           U(BufferUsage::CAMERA_OUTPUT) |
                               U(BufferUsage::VIDEO_ENCODER))),
      StatusIs(absl::StatusCode::kUnimplemented, HasSubstr("base alignment")));
  ASSERT_OK_AND_ASSIGN(Plan plan, Negotiate(profile, heaps, preview));
  EXPECT_THAT(Serves(profile, BufferFromPlan(plan, preview), plan.heap,
                     U(BufferUsage::VIDEO_ENCODER)),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       AllOf(HasSubstr("base alignment"), HasSubstr("48"))));
}

TEST(ServesTest, ProtectionContiguityAndHeapsAreTheMergesToo) {
  Profile profile = BuiltinProfile();
  profile.at(Participant::kCamera).contiguous = true;
  profile.at(Participant::kDisplay).heaps = {"cma"};
  const std::vector<HeapIdentity> heaps = {SystemHeap(), CmaHeap()};
  const BufferDescriptorInfo gpu =
      Descriptor(PixelFormat::RGBA_8888, 64, 64, U(BufferUsage::GPU_TEXTURE));
  ASSERT_OK_AND_ASSIGN(Plan plan, Negotiate(profile, heaps, gpu));
  ASSERT_EQ(plan.heap.name, "system");
  const HandleInfo buffer = BufferFromPlan(plan, gpu);
  EXPECT_THAT(Serves(profile, buffer, plan.heap, U(BufferUsage::CAMERA_OUTPUT)),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       AllOf(HasSubstr("contiguous"), HasSubstr("camera"))));
  EXPECT_THAT(
      Serves(profile, buffer, plan.heap, U(BufferUsage::COMPOSER_OVERLAY)),
      StatusIs(absl::StatusCode::kFailedPrecondition,
               AllOf(HasSubstr("heap"), HasSubstr("display's heaps"))));
  EXPECT_THAT(
      Serves(profile, buffer, plan.heap, U(BufferUsage::PROTECTED)),
      StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("protected")));
  EXPECT_THAT(
      Serves(profile, buffer, plan.heap, uint64_t{1} << 40),
      StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("usage")));
  EXPECT_THAT(Serves(profile, buffer, plan.heap, 0), IsOk());
}

}  // namespace
}  // namespace gralloc
