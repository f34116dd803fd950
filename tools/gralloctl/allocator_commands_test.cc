// Copyright 2026 The gralloc for Linux Authors.

#include <cstdlib>
#include <sstream>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tools/gralloctl/commands.h"

namespace gralloc::cli {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

std::string Explain(std::vector<std::string> args) {
  std::ostringstream out;
  absl::Status status = RunExplain(args, out);
  EXPECT_TRUE(status.ok()) << status;
  return out.str();
}

TEST(ExplainCommandTest, ShowsParticipantsMergeLayoutAndHeap) {
  const std::string text =
      Explain({"--width=1920", "--height=1080", "--format=YCBCR_420_888",
               "--usage=CAMERA_OUTPUT|VIDEO_ENCODER|COMPOSER_OVERLAY",
               "--heaps=system,memfd"});
  EXPECT_THAT(text, HasSubstr("camera    <- CAMERA_OUTPUT"));
  EXPECT_THAT(text, HasSubstr("from: built-in generic"));
  EXPECT_THAT(text, HasSubstr("stride alignment 64 bytes: LCM of display=64"));
  EXPECT_THAT(text, HasSubstr("height alignment 16 rows: LCM of codec=16"));
  EXPECT_THAT(text, HasSubstr("DRM NV12"));
  EXPECT_THAT(text, HasSubstr("0     0            1920       2088960"));
  EXPECT_THAT(text, HasSubstr("Result: heap system (system, cached)"));
  EXPECT_THAT(text, Not(HasSubstr("no device can import this")));
}

TEST(ExplainCommandTest, MemfdIsReportedHonestly) {
  const std::string text =
      Explain({"--width=64", "--height=64", "--format=RGBA_8888",
               "--usage=COMPOSER_OVERLAY", "--heaps=memfd"});
  EXPECT_THAT(text, HasSubstr("memfd: no device can import this"));
}

TEST(ExplainCommandTest, RefusalsPrintTheReason) {
  const std::string text =
      Explain({"--width=64", "--height=64", "--format=RGBA_8888",
               "--usage=PROTECTED|CPU_READ_OFTEN", "--heaps=system"});
  EXPECT_THAT(text, HasSubstr("Result: REFUSED"));
  EXPECT_THAT(text, HasSubstr("protected"));
}

std::string ProfilePath(const char* name) {
  return std::string(getenv("TEST_SRCDIR")) + "/gralloc/allocator/profiles/" +
         name;
}

TEST(ExplainCommandTest, NoIommuProfileNeedsTheCmaHeap) {
  const std::string usage =
      "--usage=CAMERA_OUTPUT|VIDEO_ENCODER|COMPOSER_OVERLAY";
  const std::string profile = "--profile=" + ProfilePath("soc-no-iommu.json");
  const std::string refused =
      Explain({"--width=1920", "--height=1080", "--format=YCBCR_420_888", usage,
               profile, "--heaps=system,memfd"});
  EXPECT_THAT(refused, HasSubstr("Result: REFUSED"));
  EXPECT_THAT(refused, HasSubstr("contiguous"));
  const std::string planned =
      Explain({"--width=1920", "--height=1080", "--format=YCBCR_420_888", usage,
               profile, "--heaps=system,cma,memfd"});
  EXPECT_THAT(planned, HasSubstr("Result: heap reserved (cma, contiguous"));
  EXPECT_THAT(planned, HasSubstr("soc-no-iommu.json"));
}

TEST(ExplainCommandTest, OptionFlagsReachTheNegotiation) {
  const std::string planned = Explain(
      {"--width=100", "--height=8", "--format=RGBA_8888",
       "--usage=CAMERA_OUTPUT", "--heaps=system,cma", "--modifiers=0x0,0x1234",
       "--linear=1", "--prefer-heap=cma", "--min-stride=96"});
  EXPECT_THAT(planned, HasSubstr("caller=96"));
  EXPECT_THAT(planned, HasSubstr("Result: heap reserved (cma"));
  const std::string refused =
      Explain({"--width=64", "--height=64", "--format=RGBA_8888",
               "--usage=CPU_READ_OFTEN", "--heaps=system", "--modifiers=0x5"});
  EXPECT_THAT(refused, HasSubstr("Result: REFUSED"));
  EXPECT_THAT(refused, HasSubstr("the caller's list"));
}

TEST(ExplainCommandTest, BadFlagsAreErrors) {
  std::ostringstream out;
  EXPECT_FALSE(RunExplain({"--bogus=1"}, out).ok());
  EXPECT_FALSE(RunExplain({"width=1"}, out).ok());
  EXPECT_FALSE(RunExplain({"--width=abc"}, out).ok());
  EXPECT_FALSE(RunExplain({"--heaps=nonsense"}, out).ok());
  EXPECT_FALSE(RunExplain({"--format=NOT_A_FORMAT"}, out).ok());
  EXPECT_FALSE(RunExplain({"--modifiers=0x0,tiled"}, out).ok());
  EXPECT_FALSE(RunExplain({"--prefer-heap=vram"}, out).ok());
  EXPECT_FALSE(RunExplain({"--linear=yes"}, out).ok());
}

TEST(HeapsCommandTest, ListsHeapsAndWhatServesWhat) {
  std::ostringstream out;
  ASSERT_TRUE(RunHeaps({}, out).ok());
  EXPECT_THAT(out.str(), HasSubstr("memfd"));
  EXPECT_THAT(out.str(), HasSubstr("camera -> encoder + display"));
}

}  // namespace
}  // namespace gralloc::cli
