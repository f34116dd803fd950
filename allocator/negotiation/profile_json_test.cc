// Copyright 2026 The gralloc for Linux Authors.

#include "allocator/negotiation/profile_json.h"

#include <dirent.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "allocator/negotiation/profile.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "hal/base/fourcc.h"
#include "hal/base/status_matchers.h"

namespace gralloc {
namespace {

using ::gralloc::testing::IsOk;
using ::gralloc::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;

std::string ProfilesDir() {
  const char* srcdir = std::getenv("TEST_SRCDIR");
  const char* workspace = std::getenv("TEST_WORKSPACE");
  return absl::StrCat(srcdir != nullptr ? srcdir : ".", "/",
                      workspace != nullptr ? workspace : "gralloc",
                      "/allocator/profiles");
}

std::vector<std::string> ShippedProfiles() {
  std::vector<std::string> paths;
  const std::string dir = ProfilesDir();
  if (DIR* stream = opendir(dir.c_str())) {
    while (const dirent* entry = readdir(stream)) {
      std::string name = entry->d_name;
      if (name.size() > 5 && name.substr(name.size() - 5) == ".json") {
        paths.push_back(absl::StrCat(dir, "/", name));
      }
    }
    closedir(stream);
  }
  std::sort(paths.begin(), paths.end());
  return paths;
}

// Every constraint, not the provenance.
void ExpectSameConstraints(const ParticipantProfile& a,
                           const ParticipantProfile& b,
                           const std::string& what) {
  SCOPED_TRACE(what);
  EXPECT_EQ(a.present, b.present);
  ASSERT_EQ(a.formats.size(), b.formats.size());
  for (size_t i = 0; i < a.formats.size(); ++i) {
    EXPECT_EQ(a.formats[i].fourcc, b.formats[i].fourcc) << i;
    EXPECT_EQ(a.formats[i].android_format, b.formats[i].android_format) << i;
    EXPECT_EQ(a.formats[i].modifiers, b.formats[i].modifiers) << i;
  }
  EXPECT_EQ(a.stride_alignment_bytes, b.stride_alignment_bytes);
  EXPECT_EQ(a.height_alignment_rows, b.height_alignment_rows);
  EXPECT_EQ(a.base_alignment_bytes, b.base_alignment_bytes);
  EXPECT_EQ(a.plane_alignment_bytes, b.plane_alignment_bytes);
  EXPECT_EQ(a.contiguous, b.contiguous);
  EXPECT_EQ(a.cache, b.cache);
  EXPECT_EQ(a.cache_required, b.cache_required);
  EXPECT_EQ(a.heaps, b.heaps);
  EXPECT_EQ(a.max_width, b.max_width);
  EXPECT_EQ(a.max_height, b.max_height);
  EXPECT_EQ(a.max_size_bytes, b.max_size_bytes);
  EXPECT_EQ(a.dma_address_bits, b.dma_address_bits);
  EXPECT_EQ(a.supports_protected, b.supports_protected);
}

absl::StatusOr<Profile> Parse(absl::string_view text) {
  return ParseProfileJson(text, "test.json");
}

// A participant entry with one field; `field` is "key": value.
absl::StatusOr<Profile> ParseCameraField(absl::string_view field) {
  return Parse(absl::StrCat(R"({"participants": {"camera": {)", field, "}}}"));
}

TEST(ProfileJsonTest, EveryShippedProfileLoads) {
  std::vector<std::string> paths = ShippedProfiles();
  ASSERT_GE(paths.size(), 3u) << "profiles not found under " << ProfilesDir();
  for (const std::string& path : paths) {
    absl::StatusOr<Profile> profile = LoadProfileFile(path);
    EXPECT_THAT(profile, IsOk()) << path;
  }
}

TEST(ProfileJsonTest, GenericIommuFileEqualsBuiltinProfile) {
  const std::string path = ProfilesDir() + "/generic-iommu.json";
  ASSERT_OK_AND_ASSIGN(Profile file, LoadProfileFile(path));
  Profile builtin = BuiltinProfile();
  EXPECT_EQ(file.name, "generic-iommu");
  EXPECT_EQ(file.source, path);
  for (int i = 0; i < kParticipantCount; ++i) {
    const Participant participant = static_cast<Participant>(i);
    ExpectSameConstraints(file.at(participant), builtin.at(participant),
                          std::string(ParticipantName(participant)));
    EXPECT_EQ(file.at(participant).source, path);
  }
  EXPECT_EQ(file.heap_order, builtin.heap_order);
  EXPECT_EQ(file.heap_properties.size(), builtin.heap_properties.size());
  EXPECT_EQ(file.protected_heaps, builtin.protected_heaps);
}

TEST(ProfileJsonTest, SocNoIommuNeedsContiguousCmaForDevices) {
  const std::string path = ProfilesDir() + "/soc-no-iommu.json";
  ASSERT_OK_AND_ASSIGN(Profile profile, LoadProfileFile(path));
  for (Participant participant :
       {Participant::kCamera, Participant::kCodec, Participant::kDisplay}) {
    const ParticipantProfile& entry = profile.at(participant);
    EXPECT_TRUE(entry.contiguous) << ParticipantName(participant);
    EXPECT_THAT(entry.heaps, ElementsAre("cma"));
    EXPECT_EQ(entry.source, path);
  }
  EXPECT_EQ(profile.at(Participant::kCamera).dma_address_bits, 32);
  EXPECT_EQ(profile.at(Participant::kDisplay).stride_alignment_bytes, 64u);
  EXPECT_EQ(profile.at(Participant::kDisplay).cache, CachePolicy::kUncached);
  EXPECT_FALSE(profile.at(Participant::kDisplay).cache_required);
  ASSERT_EQ(profile.heap_properties.size(), 1u);
  EXPECT_EQ(profile.heap_properties[0].heap, "cma");
  EXPECT_EQ(profile.heap_properties[0].address_bits, 32);
  // Not named by the file: generic's entry, saying where it came from.
  ExpectSameConstraints(profile.at(Participant::kGpu),
                        BuiltinProfile().at(Participant::kGpu), "gpu");
  EXPECT_EQ(profile.at(Participant::kGpu).source,
            path + " (inherited generic)");
}

TEST(ProfileJsonTest, VmProfileNamesTheVirtualDevicesFormats) {
  ASSERT_OK_AND_ASSIGN(
      Profile profile,
      LoadProfileFile(ProfilesDir() + "/vm-virtual-devices.json"));
  auto has = [](const ParticipantProfile& entry, uint32_t fourcc) {
    return std::any_of(
        entry.formats.begin(), entry.formats.end(),
        [fourcc](const FormatSupport& f) { return f.fourcc == fourcc; });
  };
  // vkms: XRGB8888 and ARGB8888.
  EXPECT_TRUE(
      has(profile.at(Participant::kDisplay), FourccCode('X', 'R', '2', '4')));
  EXPECT_TRUE(
      has(profile.at(Participant::kDisplay), FourccCode('A', 'R', '2', '4')));
  // vivid: NV12, and V4L2 RGB24 (R, G, B bytes) as DRM BGR888.
  EXPECT_TRUE(
      has(profile.at(Participant::kCamera), FourccCode('N', 'V', '1', '2')));
  EXPECT_TRUE(
      has(profile.at(Participant::kCamera), FourccCode('B', 'G', '2', '4')));
  // vim2m: RGB565 and YUYV.
  EXPECT_TRUE(
      has(profile.at(Participant::kCodec), FourccCode('R', 'G', '1', '6')));
  EXPECT_TRUE(
      has(profile.at(Participant::kCodec), FourccCode('Y', 'U', 'Y', 'V')));
  EXPECT_FALSE(profile.at(Participant::kCamera).contiguous);
}

TEST(ProfileJsonTest, EmptyObjectIsPermissiveWithoutProtected) {
  ASSERT_OK_AND_ASSIGN(Profile profile,
                       ParseProfileJson("{}", "/etc/gralloc/board.json"));
  EXPECT_EQ(profile.name, "board");
  EXPECT_EQ(profile.source, "/etc/gralloc/board.json");
  for (int i = 0; i < kParticipantCount; ++i) {
    const Participant participant = static_cast<Participant>(i);
    ParticipantProfile expected;
    expected.present = participant != Participant::kProtected;
    ExpectSameConstraints(profile.at(participant), expected,
                          std::string(ParticipantName(participant)));
    EXPECT_EQ(profile.at(participant).source,
              "/etc/gralloc/board.json (no constraints)");
  }
  EXPECT_TRUE(profile.heap_order.empty());
}

TEST(ProfileJsonTest, NamedParticipantKeepsInheritedFieldsItDoesNotSet) {
  ASSERT_OK_AND_ASSIGN(Profile profile, Parse(R"({"inherits": "generic",
                                 "participants": {"codec": {"max_width": 1920}}})"));
  const ParticipantProfile& codec = profile.at(Participant::kCodec);
  EXPECT_EQ(codec.max_width, 1920);
  EXPECT_EQ(codec.height_alignment_rows, 16u);  // generic's
  EXPECT_EQ(codec.source, "test.json");
}

TEST(ProfileJsonTest, ReadsEveryField) {
  ASSERT_OK_AND_ASSIGN(Profile profile, Parse(R"({
    "name": "everything",
    "heap_order": ["cma", "system"],
    "heap_properties": {"cma": {"address_bits": 32}},
    "protected_heaps": ["secure"],
    "participants": {
      "camera": {
        "present": true,
        "formats": ["NV12", "YCRCB_420_SP",
                    {"format": "AB24",
                     "modifiers": ["LINEAR", "0x0100000000000001",
                                   72057594037927938, "18446744073709551615"]}],
        "stride_alignment_bytes": 64, "height_alignment_rows": 16,
        "base_alignment_bytes": 4096, "plane_alignment_bytes": 64,
        "contiguous": true, "cache": "uncached", "cache_required": true,
        "heaps": ["cma"], "max_width": 4096, "max_height": 2048,
        "max_size_bytes": 67108864, "dma_address_bits": 32,
        "supports_protected": true
      }
    }
  })"));
  EXPECT_EQ(profile.name, "everything");
  EXPECT_THAT(profile.heap_order, ElementsAre("cma", "system"));
  EXPECT_THAT(profile.protected_heaps, ElementsAre("secure"));
  const ParticipantProfile& camera = profile.at(Participant::kCamera);
  ASSERT_EQ(camera.formats.size(), 3u);
  EXPECT_EQ(camera.formats[0].fourcc, FourccCode('N', 'V', '1', '2'));
  EXPECT_EQ(camera.formats[1].fourcc, FourccCode('N', 'V', '2', '1'));
  EXPECT_NE(camera.formats[1].android_format, 0);  // an Android name
  EXPECT_EQ(camera.formats[2].fourcc, FourccCode('A', 'B', '2', '4'));
  EXPECT_THAT(camera.formats[2].modifiers,
              ElementsAre(0u, 0x0100000000000001u, 0x0100000000000002u,
                          0xffffffffffffffffu));
  EXPECT_EQ(camera.stride_alignment_bytes, 64u);
  EXPECT_EQ(camera.height_alignment_rows, 16u);
  EXPECT_EQ(camera.base_alignment_bytes, 4096u);
  EXPECT_EQ(camera.plane_alignment_bytes, 64u);
  EXPECT_TRUE(camera.contiguous);
  EXPECT_EQ(camera.cache, CachePolicy::kUncached);
  EXPECT_TRUE(camera.cache_required);
  EXPECT_THAT(camera.heaps, ElementsAre("cma"));
  EXPECT_EQ(camera.max_width, 4096);
  EXPECT_EQ(camera.max_height, 2048);
  EXPECT_EQ(camera.max_size_bytes, 67108864u);
  EXPECT_EQ(camera.dma_address_bits, 32);
  EXPECT_TRUE(camera.supports_protected);
}

TEST(ProfileJsonTest, SyntaxErrorNamesFileLineAndColumn) {
  // The parser stops at the 'x' of "trux": line 3, column 19.
  absl::StatusOr<Profile> profile = Parse(
      "{\n"
      "  \"name\": \"a\",\n"
      "  \"inherits\": trux\n"
      "}\n");
  EXPECT_THAT(profile, StatusIs(absl::StatusCode::kInvalidArgument,
                                StartsWith("test.json:3:")));
  EXPECT_THAT(profile.status().message(), HasSubstr("invalid literal"));
  EXPECT_THAT(profile.status().message(), ::testing::Not(HasSubstr("[json.")));
}

TEST(ProfileJsonTest, SyntaxErrorPositionsAreExact) {
  // A missing comma: the parser reports the last byte it read, the end of
  // the unexpected token (the second key's closing quote).
  EXPECT_THAT(Parse("{\"name\": \"a\"\n \"inherits\": null}"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       StartsWith("test.json:2:11: ")));
  // Truncated input: the error is just past the end.
  EXPECT_THAT(Parse("{\"name\": "), StatusIs(absl::StatusCode::kInvalidArgument,
                                             StartsWith("test.json:1:")));
  EXPECT_THAT(Parse(""), StatusIs(absl::StatusCode::kInvalidArgument,
                                  StartsWith("test.json:1:1: ")));
}

struct BadProfile {
  const char* text;
  const char* message;  // expected after "test.json: "
};

class BadProfileTest : public ::testing::TestWithParam<BadProfile> {};

TEST_P(BadProfileTest, IsRefusedWithPointerAndRule) {
  EXPECT_THAT(
      Parse(GetParam().text),
      StatusIs(absl::StatusCode::kInvalidArgument,
               StartsWith(absl::StrCat("test.json: ", GetParam().message))))
      << GetParam().text;
}

INSTANTIATE_TEST_SUITE_P(
    SemanticErrors, BadProfileTest,
    ::testing::Values(
        BadProfile{"[]", "(top level): must be a JSON object"},
        BadProfile{R"({"nmae": "x"})", "/nmae: unknown key"},
        BadProfile{R"({"inherits": "android"})",
                   "/inherits: unknown base profile \"android\""},
        BadProfile{R"({"inherits": 1})", "/inherits: must be a string"},
        BadProfile{R"({"name": ""})", "/name: must not be empty"},
        BadProfile{R"({"participants": []})",
                   "/participants: must be an object"},
        BadProfile{R"({"participants": {"webcam": {}}})",
                   "/participants/webcam: unknown participant"},
        BadProfile{R"({"participants": {"camera": {"stride_alignment": 64}}})",
                   "/participants/camera/stride_alignment: unknown key"},
        BadProfile{R"({"participants": {"camera": 5}})",
                   "/participants/camera: must be an object"},
        BadProfile{
            R"({"participants": {"camera": {"stride_alignment_bytes": 0}}})",
            "/participants/camera/stride_alignment_bytes: must be an "
            "integer >= 1 that fits in 64 bits (got 0)"},
        BadProfile{
            R"({"participants": {"camera": {"height_alignment_rows": -16}}})",
            "/participants/camera/height_alignment_rows: must be an "
            "integer >= 1 that fits in 64 bits (got -16)"},
        BadProfile{
            R"({"participants": {"camera": {"base_alignment_bytes": 18446744073709551616}}})",
            "/participants/camera/base_alignment_bytes: must be an "
            "integer >= 1 that fits in 64 bits (got "},
        BadProfile{
            R"({"participants": {"camera": {"plane_alignment_bytes": 6.5}}})",
            "/participants/camera/plane_alignment_bytes: must be an "
            "integer >= 1"},
        BadProfile{
            R"({"participants": {"camera": {"plane_alignment_bytes": "64"}}})",
            "/participants/camera/plane_alignment_bytes: must be an "
            "integer >= 1 that fits in 64 bits (got a string"},
        BadProfile{R"({"participants": {"camera": {"max_width": -1}}})",
                   "/participants/camera/max_width: must be an integer from 0"},
        BadProfile{
            R"({"participants": {"camera": {"max_height": 9223372036854775808}}})",
            "/participants/camera/max_height: must be an integer from 0"},
        BadProfile{
            R"({"participants": {"camera": {"max_size_bytes": -4096}}})",
            "/participants/camera/max_size_bytes: must be an integer >= 0"},
        BadProfile{R"({"participants": {"camera": {"dma_address_bits": 11}}})",
                   "/participants/camera/dma_address_bits: must be an integer "
                   "from 12 to 64 (got 11)"},
        BadProfile{R"({"participants": {"camera": {"dma_address_bits": 65}}})",
                   "/participants/camera/dma_address_bits: must be an integer "
                   "from 12 to 64 (got 65)"},
        BadProfile{
            R"({"participants": {"camera": {"cache": "write-combined"}}})",
            "/participants/camera/cache: unknown cache policy "
            "\"write-combined\""},
        BadProfile{R"({"participants": {"camera": {"contiguous": "yes"}}})",
                   "/participants/camera/contiguous: must be true or false"},
        BadProfile{R"({"participants": {"camera": {"formats": "NV12"}}})",
                   "/participants/camera/formats: must be an array"},
        BadProfile{
            R"({"participants": {"camera": {"formats": ["NV12", "NOT_A_FORMAT"]}}})",
            "/participants/camera/formats/1: unknown format "
            "\"NOT_A_FORMAT\""},
        BadProfile{
            R"({"participants": {"camera": {"formats": ["NV12", "nv12"]}}})",
            "/participants/camera/formats/1: unknown format"},
        BadProfile{
            R"({"participants": {"camera": {"formats": ["NV12", "NV12"]}}})",
            "/participants/camera/formats/1: the same format is listed "
            "twice"},
        BadProfile{R"({"participants": {"camera": {"formats": [7]}}})",
                   "/participants/camera/formats/0: must be a format name"},
        BadProfile{
            R"({"participants": {"camera": {"formats": [{"modifiers": []}]}}})",
            "/participants/camera/formats/0: needs a \"format\""},
        BadProfile{
            R"({"participants": {"camera": {"formats": [{"format": "NV12", "modifer": []}]}}})",
            "/participants/camera/formats/0/modifer: unknown key"},
        BadProfile{
            R"({"participants": {"camera": {"formats": [{"format": "NV12", "modifiers": ["0xZZ"]}]}}})",
            "/participants/camera/formats/0/modifiers/0: must be a "
            "64-bit modifier"},
        BadProfile{
            R"({"participants": {"camera": {"formats": [{"format": "NV12", "modifiers": ["0x10000000000000000"]}]}}})",
            "/participants/camera/formats/0/modifiers/0: must be a "
            "64-bit modifier"},
        BadProfile{
            R"({"participants": {"camera": {"formats": [{"format": "NV12", "modifiers": [-1]}]}}})",
            "/participants/camera/formats/0/modifiers/0: must be a "
            "64-bit modifier"},
        BadProfile{
            R"({"participants": {"camera": {"formats": [{"format": "NV12", "modifiers": ["0x0", "LINEAR"]}]}}})",
            "/participants/camera/formats/0/modifiers/1: the same "
            "modifier is listed twice"},
        BadProfile{R"({"participants": {"camera": {"heaps": ["cma", ""]}}})",
                   "/participants/camera/heaps/1: must not be empty"},
        BadProfile{R"({"participants": {"camera": {"heaps": "cma"}}})",
                   "/participants/camera/heaps: must be an array"},
        BadProfile{
            R"({"participants": {"camera": {"formats": [{"format": "NV12", "modifiers": ["LINEAR0"]}]}}})",
            "/participants/camera/formats/0/modifiers/0: must be a "
            "64-bit modifier"},
        BadProfile{R"({"heap_order": ["system", "system"]})",
                   "/heap_order/1: \"system\" is listed twice"},
        BadProfile{R"({"heap_properties": {"cma": {"address_bits": 8}}})",
                   "/heap_properties/cma/address_bits: must be an integer from "
                   "12 to 64"},
        BadProfile{R"({"heap_properties": {"cma": {"bits": 32}}})",
                   "/heap_properties/cma/bits: unknown key"},
        BadProfile{R"({"heap_properties": {"a/b": 1}})",
                   "/heap_properties/a~1b: must be an object"},
        BadProfile{R"({"name": "a", "name": "b"})",
                   "key \"name\" appears twice"}));

TEST(ProfileJsonTest, UnknownKeyMessageListsTheKnownKeys) {
  EXPECT_THAT(ParseCameraField(R"("stride": 64)"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("stride_alignment_bytes")));
}

TEST(ProfileJsonTest, MissingFileIsNotFoundNamingThePath) {
  EXPECT_THAT(LoadProfileFile("/nonexistent/gralloc/profile.json"),
              StatusIs(absl::StatusCode::kNotFound,
                       HasSubstr("/nonexistent/gralloc/profile.json")));
}

TEST(ProfileJsonTest, FileErrorsNameThePath) {
  const char* tmpdir = std::getenv("TEST_TMPDIR");
  ASSERT_NE(tmpdir, nullptr);
  const std::string path = absl::StrCat(tmpdir, "/broken.json");
  {
    std::ofstream out(path);
    out << "{\n  \"participants\": {\"camera\": {\"cache\": \"fast\"}}\n}\n";
  }
  EXPECT_THAT(LoadProfileFile(path),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       StartsWith(path + ": /participants/camera/cache: ")));
  {
    std::ofstream out(path);
    out << "{\n  \"participants\": {,}\n}\n";
  }
  EXPECT_THAT(LoadProfileFile(path),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       StartsWith(path + ":2:20: ")));
}

}  // namespace
}  // namespace gralloc
