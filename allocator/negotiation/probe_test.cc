// Copyright 2026 The gralloc for Linux Authors.

#include "allocator/negotiation/probe.h"

#include <dirent.h>
#include <drm_fourcc.h>
#include <drm_mode.h>
#include <linux/videodev2.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "allocator/negotiation/profile.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "hal/base/fd_count.h"
#include "hal/base/status_matchers.h"

namespace gralloc {
namespace {

using ::gralloc::testing::IsOk;
using ::gralloc::testing::StatusIs;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

// Builds IN_FORMATS blobs the way the kernel lays them out: the header, the
// fourcc array, then the drm_format_modifier array.
class BlobBuilder {
 public:
  BlobBuilder& Format(uint32_t fourcc) {
    formats_.push_back(fourcc);
    return *this;
  }
  BlobBuilder& Modifier(uint64_t modifier, uint64_t format_bits,
                        uint32_t offset = 0) {
    drm_format_modifier entry;
    std::memset(&entry, 0, sizeof(entry));
    entry.formats = format_bits;
    entry.offset = offset;
    entry.modifier = modifier;
    modifiers_.push_back(entry);
    return *this;
  }
  std::vector<uint8_t> Build() {
    drm_format_modifier_blob header;
    std::memset(&header, 0, sizeof(header));
    header.version = FORMAT_BLOB_CURRENT;
    header.count_formats = formats_.size();
    header.formats_offset = sizeof(header);
    header.count_modifiers = modifiers_.size();
    // The kernel aligns the modifier array to 8 bytes.
    header.modifiers_offset =
        (sizeof(header) + formats_.size() * 4 + 7) / 8 * 8;
    std::vector<uint8_t> blob(header.modifiers_offset +
                              modifiers_.size() * sizeof(drm_format_modifier));
    std::memcpy(blob.data(), &header, sizeof(header));
    if (!formats_.empty()) {
      std::memcpy(blob.data() + header.formats_offset, formats_.data(),
                  formats_.size() * 4);
    }
    if (!modifiers_.empty()) {
      std::memcpy(blob.data() + header.modifiers_offset, modifiers_.data(),
                  modifiers_.size() * sizeof(drm_format_modifier));
    }
    return blob;
  }

 private:
  std::vector<uint32_t> formats_;
  std::vector<drm_format_modifier> modifiers_;
};

void PatchHeader(std::vector<uint8_t>* blob,
                 void (*patch)(drm_format_modifier_blob*)) {
  drm_format_modifier_blob header;
  std::memcpy(&header, blob->data(), sizeof(header));
  patch(&header);
  std::memcpy(blob->data(), &header, sizeof(header));
}

constexpr uint64_t kTiled = 0x0100000000000001ULL;  // I915_FORMAT_MOD_X_TILED

std::vector<uint8_t> TwoFormatBlob() {
  return BlobBuilder()
      .Format(DRM_FORMAT_XRGB8888)
      .Format(DRM_FORMAT_ARGB8888)
      .Modifier(DRM_FORMAT_MOD_LINEAR, 0b11)
      .Modifier(kTiled, 0b01)
      .Build();
}

TEST(InFormatsBlobTest, PairsEachFormatWithItsModifiers) {
  std::vector<uint8_t> blob = TwoFormatBlob();
  ASSERT_OK_AND_ASSIGN(std::vector<FormatSupport> formats,
                       ParseInFormatsBlob(blob));
  ASSERT_EQ(formats.size(), 2u);
  EXPECT_EQ(formats[0].fourcc, DRM_FORMAT_XRGB8888);
  EXPECT_THAT(formats[0].modifiers, ElementsAre(DRM_FORMAT_MOD_LINEAR, kTiled));
  EXPECT_EQ(formats[1].fourcc, DRM_FORMAT_ARGB8888);
  EXPECT_THAT(formats[1].modifiers, ElementsAre(DRM_FORMAT_MOD_LINEAR));
}

TEST(InFormatsBlobTest, ModifierOffsetShiftsTheFormatWindow) {
  BlobBuilder builder;
  for (int i = 0; i < 70; ++i) builder.Format(DRM_FORMAT_R8 + i);
  // Bit 2 of the window starting at format 64 is format 66.
  std::vector<uint8_t> blob = builder.Modifier(kTiled, 1u << 2, 64).Build();
  ASSERT_OK_AND_ASSIGN(std::vector<FormatSupport> formats,
                       ParseInFormatsBlob(blob));
  ASSERT_EQ(formats.size(), 70u);
  EXPECT_THAT(formats[66].modifiers, ElementsAre(kTiled));
  EXPECT_THAT(formats[2].modifiers, IsEmpty());  // no modifier: linear only
}

TEST(InFormatsBlobTest, InvalidModifierIsDropped) {
  std::vector<uint8_t> blob = BlobBuilder()
                                  .Format(DRM_FORMAT_NV12)
                                  .Modifier(DRM_FORMAT_MOD_INVALID, 1)
                                  .Modifier(DRM_FORMAT_MOD_LINEAR, 1)
                                  .Build();
  ASSERT_OK_AND_ASSIGN(std::vector<FormatSupport> formats,
                       ParseInFormatsBlob(blob));
  ASSERT_EQ(formats.size(), 1u);
  EXPECT_THAT(formats[0].modifiers, ElementsAre(DRM_FORMAT_MOD_LINEAR));
}

TEST(InFormatsBlobTest, FormatListedTwiceIsMerged) {
  std::vector<uint8_t> blob = BlobBuilder()
                                  .Format(DRM_FORMAT_NV12)
                                  .Format(DRM_FORMAT_NV12)
                                  .Modifier(DRM_FORMAT_MOD_LINEAR, 0b01)
                                  .Modifier(kTiled, 0b10)
                                  .Build();
  ASSERT_OK_AND_ASSIGN(std::vector<FormatSupport> formats,
                       ParseInFormatsBlob(blob));
  ASSERT_EQ(formats.size(), 1u);
  EXPECT_THAT(formats[0].modifiers, ElementsAre(DRM_FORMAT_MOD_LINEAR, kTiled));
}

TEST(InFormatsBlobTest, EmptyBlobOfFormatsIsEmpty) {
  std::vector<uint8_t> blob = BlobBuilder().Build();
  ASSERT_OK_AND_ASSIGN(std::vector<FormatSupport> formats,
                       ParseInFormatsBlob(blob));
  EXPECT_THAT(formats, IsEmpty());
}

TEST(InFormatsBlobTest, TruncatedBlobIsAnErrorAtEveryLength) {
  std::vector<uint8_t> blob = TwoFormatBlob();
  for (size_t size = 0; size < blob.size(); ++size) {
    std::vector<uint8_t> truncated(blob.begin(), blob.begin() + size);
    EXPECT_THAT(ParseInFormatsBlob(truncated),
                StatusIs(absl::StatusCode::kInvalidArgument))
        << size << " bytes";
  }
}

TEST(InFormatsBlobTest, LyingCountsAndOffsetsAreErrors) {
  using Patch = void (*)(drm_format_modifier_blob*);
  const Patch patches[] = {
      [](drm_format_modifier_blob* h) { h->count_formats += 1; },
      [](drm_format_modifier_blob* h) { h->count_modifiers += 1; },
      [](drm_format_modifier_blob* h) { h->formats_offset = 0xfffffff0u; },
      [](drm_format_modifier_blob* h) { h->modifiers_offset = 0xffffffffu; },
      [](drm_format_modifier_blob* h) { h->count_formats = 0xffffffffu; },
      [](drm_format_modifier_blob* h) { h->count_modifiers = 0x40000000u; },
      [](drm_format_modifier_blob* h) { h->version = 0; },
  };
  for (size_t i = 0; i < sizeof(patches) / sizeof(patches[0]); ++i) {
    std::vector<uint8_t> blob = TwoFormatBlob();
    PatchHeader(&blob, patches[i]);
    EXPECT_THAT(ParseInFormatsBlob(blob),
                StatusIs(absl::StatusCode::kInvalidArgument))
        << "patch " << i;
  }
}

TEST(InFormatsBlobTest, ModifierNamingAFormatBeyondTheListIsAnError) {
  std::vector<uint8_t> blob = BlobBuilder()
                                  .Format(DRM_FORMAT_NV12)
                                  .Modifier(DRM_FORMAT_MOD_LINEAR, 0b10)
                                  .Build();
  EXPECT_THAT(ParseInFormatsBlob(blob),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("names format 1 of 1")));
  std::vector<uint8_t> shifted =
      BlobBuilder()
          .Format(DRM_FORMAT_NV12)
          .Modifier(DRM_FORMAT_MOD_LINEAR, 1, 0xffffffffu)
          .Build();
  EXPECT_THAT(ParseInFormatsBlob(shifted),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(InFormatsBlobTest, RandomBytesNeverCrash) {
  std::mt19937 random(1234);
  std::vector<uint8_t> honest = TwoFormatBlob();
  for (int round = 0; round < 20000; ++round) {
    std::vector<uint8_t> blob = honest;
    // Corrupt a few bytes, sometimes in the header, sometimes anywhere.
    const int flips = 1 + random() % 4;
    for (int f = 0; f < flips; ++f) {
      size_t at = random() % (round % 2 ? blob.size() : 24);
      blob[at] = static_cast<uint8_t>(random());
    }
    blob.resize(random() % (blob.size() + 1));
    absl::StatusOr<std::vector<FormatSupport>> parsed =
        ParseInFormatsBlob(blob);
    if (parsed.ok()) {
      EXPECT_LE(parsed->size(), blob.size() / 4);
    }
  }
}

TEST(AddFormatUnionTest, MergesModifiersOfTheSameFormat) {
  std::vector<FormatSupport> formats;
  FormatSupport a;
  a.fourcc = DRM_FORMAT_XRGB8888;
  a.modifiers = {DRM_FORMAT_MOD_LINEAR};
  FormatSupport b = a;
  b.modifiers = {kTiled, DRM_FORMAT_MOD_LINEAR};
  FormatSupport c;
  c.fourcc = DRM_FORMAT_RGB565;
  AddFormatUnion(a, &formats);
  AddFormatUnion(b, &formats);
  AddFormatUnion(c, &formats);
  ASSERT_EQ(formats.size(), 2u);
  EXPECT_THAT(formats[0].modifiers, ElementsAre(DRM_FORMAT_MOD_LINEAR, kTiled));
  EXPECT_EQ(formats[1].fourcc, DRM_FORMAT_RGB565);
}

uint32_t Mapped(uint32_t v4l2) {
  FormatSupport support;
  if (!V4l2ToDrm(v4l2, &support)) return 0;
  return support.fourcc;
}

TEST(V4l2ToDrmTest, YuvFormatsKeepTheirLayout) {
  EXPECT_EQ(Mapped(V4L2_PIX_FMT_NV12), DRM_FORMAT_NV12);
  EXPECT_EQ(Mapped(V4L2_PIX_FMT_NV21), DRM_FORMAT_NV21);
  EXPECT_EQ(Mapped(V4L2_PIX_FMT_YUV420), DRM_FORMAT_YUV420);
  EXPECT_EQ(Mapped(V4L2_PIX_FMT_YVU420), DRM_FORMAT_YVU420);
  EXPECT_EQ(Mapped(V4L2_PIX_FMT_YUV422P), DRM_FORMAT_YUV422);
  EXPECT_EQ(Mapped(V4L2_PIX_FMT_YUYV), DRM_FORMAT_YUYV);
  EXPECT_EQ(Mapped(V4L2_PIX_FMT_UYVY), DRM_FORMAT_UYVY);
  EXPECT_EQ(Mapped(V4L2_PIX_FMT_P010), DRM_FORMAT_P010);
  EXPECT_EQ(Mapped(V4L2_PIX_FMT_GREY), DRM_FORMAT_R8);
  EXPECT_EQ(Mapped(V4L2_PIX_FMT_Y16), DRM_FORMAT_R16);
}

TEST(V4l2ToDrmTest, RgbNamesMirrorBetweenTheApis) {
  EXPECT_EQ(Mapped(V4L2_PIX_FMT_RGB565), DRM_FORMAT_RGB565);
  // V4L2 RGB24 is R, G, B in memory: DRM BGR888 ([23:0] B:G:R, R lowest).
  EXPECT_EQ(Mapped(V4L2_PIX_FMT_RGB24), DRM_FORMAT_BGR888);
  EXPECT_EQ(Mapped(V4L2_PIX_FMT_BGR24), DRM_FORMAT_RGB888);
  // V4L2 RGBA32 is R, G, B, A in memory: DRM ABGR8888, Android RGBA_8888.
  EXPECT_EQ(Mapped(V4L2_PIX_FMT_RGBA32), DRM_FORMAT_ABGR8888);
  EXPECT_EQ(Mapped(V4L2_PIX_FMT_ABGR32), DRM_FORMAT_ARGB8888);
  EXPECT_EQ(Mapped(V4L2_PIX_FMT_XBGR32), DRM_FORMAT_XRGB8888);
  EXPECT_EQ(Mapped(V4L2_PIX_FMT_ARGB32), DRM_FORMAT_BGRA8888);
  EXPECT_EQ(Mapped(V4L2_PIX_FMT_BGRA32), DRM_FORMAT_RGBA8888);
  EXPECT_EQ(Mapped(V4L2_PIX_FMT_BGR32), DRM_FORMAT_XRGB8888);
  EXPECT_EQ(Mapped(V4L2_PIX_FMT_RGB32), DRM_FORMAT_BGRX8888);
}

TEST(V4l2ToDrmTest, Modern32BitRgbCodesEqualTheirDrmCodes) {
  // V4L2 adopted DRM's codes for these: same four characters, same bytes.
  for (uint32_t v4l2 :
       {V4L2_PIX_FMT_ABGR32, V4L2_PIX_FMT_XBGR32, V4L2_PIX_FMT_ARGB32,
        V4L2_PIX_FMT_XRGB32, V4L2_PIX_FMT_RGBA32, V4L2_PIX_FMT_RGBX32,
        V4L2_PIX_FMT_BGRA32, V4L2_PIX_FMT_BGRX32, V4L2_PIX_FMT_ARGB555,
        V4L2_PIX_FMT_XRGB555, V4L2_PIX_FMT_ARGB444, V4L2_PIX_FMT_XRGB444}) {
    EXPECT_EQ(Mapped(v4l2), v4l2);
  }
}

TEST(V4l2ToDrmTest, BayerMapsToAndroidRawFormats) {
  FormatSupport raw16;
  ASSERT_TRUE(V4l2ToDrm(V4L2_PIX_FMT_SRGGB16, &raw16));
  EXPECT_EQ(raw16.android_format, 0x20);  // RAW16
  FormatSupport raw10;
  ASSERT_TRUE(V4l2ToDrm(V4L2_PIX_FMT_SBGGR10P, &raw10));
  EXPECT_EQ(raw10.android_format, 0x25);  // RAW10
  FormatSupport raw12;
  ASSERT_TRUE(V4l2ToDrm(V4L2_PIX_FMT_SGBRG12P, &raw12));
  EXPECT_EQ(raw12.android_format, 0x26);  // RAW12
}

TEST(V4l2ToDrmTest, LayoutsWithoutAnEquivalentAreUnmapped) {
  FormatSupport support;
  for (uint32_t v4l2 :
       {V4L2_PIX_FMT_NV12M, V4L2_PIX_FMT_YUV420M, V4L2_PIX_FMT_RGB565X,
        V4L2_PIX_FMT_Y10, V4L2_PIX_FMT_SBGGR10, V4L2_PIX_FMT_Y16_BE,
        V4L2_PIX_FMT_MJPEG, V4L2_PIX_FMT_H264, uint32_t{0}}) {
    EXPECT_FALSE(V4l2ToDrm(v4l2, &support)) << v4l2;
  }
}

// A temporary device tree: <root>/dev and <root>/sys.
class FakeRoot {
 public:
  FakeRoot() {
    const char* tmp = std::getenv("TEST_TMPDIR");
    std::string pattern =
        absl::StrCat(tmp != nullptr ? tmp : "/tmp", "/probe_root.XXXXXX");
    root_ = mkdtemp(pattern.data()) != nullptr ? pattern : "";
    mkdir(dev().c_str(), 0755);
    mkdir(sys().c_str(), 0755);
  }
  std::string dev() const { return root_ + "/dev"; }
  std::string sys() const { return root_ + "/sys"; }
  DeviceProbeOptions options() const {
    DeviceProbeOptions options;
    options.dev_root = dev();
    options.sys_root = sys();
    return options;
  }
  bool ok() const { return !root_.empty(); }

 private:
  std::string root_;
};

void ExpectUnchanged(const Profile& before, const Profile& after) {
  for (int i = 0; i < kParticipantCount; ++i) {
    EXPECT_EQ(before.participants[i].source, after.participants[i].source);
    EXPECT_EQ(before.participants[i].present, after.participants[i].present);
    EXPECT_EQ(before.participants[i].formats.size(),
              after.participants[i].formats.size());
    EXPECT_EQ(before.participants[i].max_width,
              after.participants[i].max_width);
  }
}

TEST(ProbeAndRefineTest, EmptyRootChangesNothingAndSaysSo) {
  FakeRoot root;
  ASSERT_TRUE(root.ok());
  Profile profile = BuiltinProfile();
  std::vector<std::string> notes;
  const int fds_before = testing::OpenFdCount();
  ASSERT_OK(ProbeAndRefine(root.options(), &profile, &notes));
  EXPECT_EQ(testing::OpenFdCount(), fds_before);
  ExpectUnchanged(BuiltinProfile(), profile);
  EXPECT_THAT(notes, Contains(HasSubstr("no DRM card under")));
  EXPECT_THAT(notes, Contains(HasSubstr("no V4L2 video node under")));
}

TEST(ProbeAndRefineTest, MissingRootChangesNothing) {
  DeviceProbeOptions options;
  options.dev_root = "/nonexistent/dev";
  options.sys_root = "/nonexistent/sys";
  Profile profile = BuiltinProfile();
  std::vector<std::string> notes;
  ASSERT_OK(ProbeAndRefine(options, &profile, &notes));
  ExpectUnchanged(BuiltinProfile(), profile);
}

TEST(ProbeAndRefineTest, NodesThatAreNotCharacterDevicesAreSkipped) {
  FakeRoot root;
  ASSERT_TRUE(root.ok());
  mkdir((root.dev() + "/dri").c_str(), 0755);
  std::ofstream(root.dev() + "/dri/card0") << "not a device";
  std::ofstream(root.dev() + "/video0") << "not a device";
  ASSERT_EQ(mkfifo((root.dev() + "/video1").c_str(), 0600), 0);
  mkdir((root.sys() + "/class").c_str(), 0755);
  mkdir((root.sys() + "/class/video4linux").c_str(), 0755);
  mkdir((root.sys() + "/class/video4linux/video0").c_str(), 0755);
  std::ofstream(root.sys() + "/class/video4linux/video0/name")
      << "vivid-000-vid-cap\n";
  // Names that only look numbered are not nodes.
  std::ofstream(root.dev() + "/video0x") << "";
  std::ofstream(root.dev() + "/dri/cardX") << "";

  Profile profile = BuiltinProfile();
  std::vector<std::string> notes;
  ASSERT_OK(ProbeAndRefine(root.options(), &profile, &notes));
  ExpectUnchanged(BuiltinProfile(), profile);
  EXPECT_THAT(notes, Contains(HasSubstr("dri/card0: skipped, not a character "
                                        "device")));
  EXPECT_THAT(notes,
              Contains(HasSubstr("video0 \"vivid-000-vid-cap\": skipped, not a "
                                 "character device")));
  EXPECT_THAT(notes, Contains(HasSubstr("video1: skipped, not a character "
                                        "device")));
  for (const std::string& note : notes) {
    EXPECT_FALSE(absl::StrContains(note, "video0x")) << note;
    EXPECT_FALSE(absl::StrContains(note, "cardX")) << note;
  }
}

TEST(ProbeAndRefineTest, NullProfileIsInvalidArgument) {
  EXPECT_THAT(ProbeAndRefine(DeviceProbeOptions(), nullptr, nullptr),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(RefineTest, MissingNodesAreErrorsNamingThePath) {
  Profile profile = BuiltinProfile();
  EXPECT_THAT(
      RefineWithDrm("/nonexistent/card0", &profile, nullptr),
      StatusIs(absl::StatusCode::kNotFound, HasSubstr("/nonexistent/card0")));
  EXPECT_THAT(
      RefineWithV4l2("/nonexistent/video0", Participant::kCamera, &profile,
                     nullptr),
      StatusIs(absl::StatusCode::kNotFound, HasSubstr("/nonexistent/video0")));
  ExpectUnchanged(BuiltinProfile(), profile);
}

TEST(RefineTest, V4l2RefinesOnlyCameraOrCodec) {
  Profile profile = BuiltinProfile();
  EXPECT_THAT(
      RefineWithV4l2("/dev/video0", Participant::kGpu, &profile, nullptr),
      StatusIs(absl::StatusCode::kInvalidArgument));
}

// --- Real devices: the VM tier has them; the host tier skips. ---

bool Exists(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0 && S_ISCHR(st.st_mode);
}

bool AnyVideoNode() {
  bool found = false;
  if (DIR* dir = opendir("/dev")) {
    while (const dirent* entry = readdir(dir)) {
      if (absl::StartsWith(entry->d_name, "video")) found = true;
    }
    closedir(dir);
  }
  return found;
}

TEST(RealDeviceTest, DrmCardRefinesDisplay) {
  if (!Exists("/dev/dri/card0")) {
    GTEST_SKIP() << "/dev/dri/card0 is absent: no DRM device on this machine";
  }
  Profile profile = BuiltinProfile();
  std::vector<std::string> notes;
  ASSERT_OK(ProbeAndRefine(DeviceProbeOptions(), &profile, &notes));
  for (const std::string& note : notes) std::cout << note << "\n";
  const ParticipantProfile& display = profile.at(Participant::kDisplay);
  if (!absl::StartsWith(display.source, "probed ")) {
    GTEST_SKIP() << "no DRM card here has planes (render-only drivers)";
  }
  EXPECT_TRUE(display.present);
  ASSERT_FALSE(display.formats.empty());
  bool has_xrgb = false;
  for (const FormatSupport& format : display.formats) {
    has_xrgb |= format.fourcc == DRM_FORMAT_XRGB8888;
    EXPECT_FALSE(format.modifiers.empty());
  }
  // Every KMS driver scans out XRGB8888 (vkms included).
  EXPECT_TRUE(has_xrgb);
}

TEST(RealDeviceTest, VideoNodesRefineCameraAndCodec) {
  if (!AnyVideoNode()) {
    GTEST_SKIP() << "no /dev/video* node: no V4L2 device on this machine";
  }
  Profile profile = BuiltinProfile();
  std::vector<std::string> notes;
  const int fds_before = testing::OpenFdCount();
  ASSERT_OK(ProbeAndRefine(DeviceProbeOptions(), &profile, &notes));
  EXPECT_EQ(testing::OpenFdCount(), fds_before);
  for (const std::string& note : notes) std::cout << note << "\n";
  const ParticipantProfile& camera = profile.at(Participant::kCamera);
  if (absl::StrContains(camera.source, "vivid")) {
    bool has_nv12 = false;
    for (const FormatSupport& format : camera.formats) {
      has_nv12 |= format.fourcc == DRM_FORMAT_NV12;
    }
    EXPECT_TRUE(has_nv12) << "vivid captures NV12";
  }
  const ParticipantProfile& codec = profile.at(Participant::kCodec);
  if (absl::StrContains(codec.source, "vim2m")) {
    bool has_rgb565 = false;
    for (const FormatSupport& format : codec.formats) {
      has_rgb565 |= format.fourcc == DRM_FORMAT_RGB565;
    }
    EXPECT_TRUE(has_rgb565) << "vim2m converts RGB565";
  }
}

}  // namespace
}  // namespace gralloc
