// Copyright 2026 The gralloc for Linux Authors.

#include "tools/inspect/fdinfo.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gralloc::inspect {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

TEST(FdinfoTest, DmaBufLinesAreRead) {
  std::vector<std::string> malformed;
  const FdInfo info = ParseFdinfo(
      "pos:\t0\nflags:\t02000002\nmnt_id:\t16\nino:\t4711\nsize:\t"
      "3133440\ncount:\t3\nexp_name:\tsystem\nname:\tcamera-frame\n",
      &malformed);
  EXPECT_THAT(malformed, IsEmpty());
  EXPECT_EQ(info.inode, 4711u);
  EXPECT_EQ(info.size_bytes, 3133440u);
  EXPECT_EQ(info.count, 3);
  EXPECT_EQ(info.exporter, "system");
  EXPECT_EQ(info.name, "camera-frame");
}

TEST(FdinfoTest, MemfdHasOnlyTheCommonLines) {
  const FdInfo info =
      ParseFdinfo("pos:\t0\nflags:\t02100002\nmnt_id:\t0\nino:\t73\n", nullptr);
  EXPECT_EQ(info.inode, 73u);
  EXPECT_FALSE(info.size_bytes.has_value());
  EXPECT_FALSE(info.count.has_value());
  EXPECT_FALSE(info.exporter.has_value());
  EXPECT_FALSE(info.name.has_value());
}

TEST(FdinfoTest, NameWithSpacesKeepsThem) {
  const FdInfo info = ParseFdinfo("name:\tpreview frame 2\n", nullptr);
  EXPECT_EQ(info.name, "preview frame 2");
}

TEST(FdinfoTest, MalformedLinesAreSkippedWithANote) {
  std::vector<std::string> malformed;
  const FdInfo info = ParseFdinfo(
      "size:\tmany\ncount:\t-4\ngarbage without colon\nino:\t12x\n"
      "exp_name:\tsystem\nsize:\t4096\n",
      &malformed);
  ASSERT_EQ(malformed.size(), 4u);
  EXPECT_THAT(malformed[0], HasSubstr("line 1 'size: many'"));
  EXPECT_THAT(malformed[1], HasSubstr("line 2"));
  EXPECT_THAT(malformed[2], HasSubstr("line 3 'garbage without colon'"));
  EXPECT_THAT(malformed[3], HasSubstr("line 4"));
  // What parses still counts.
  EXPECT_EQ(info.size_bytes, 4096u);
  EXPECT_EQ(info.exporter, "system");
  EXPECT_FALSE(info.inode.has_value());
  EXPECT_FALSE(info.count.has_value());
}

TEST(FdinfoTest, UnknownKeysAndTruncatedInputAreHarmless) {
  std::vector<std::string> malformed;
  const FdInfo info = ParseFdinfo(
      "pos:\t0\ninotify wd:1 ino:5 sdev:3\ntfd:     3 events: 19\nsize:\t40",
      &malformed);
  EXPECT_THAT(malformed, IsEmpty());
  EXPECT_EQ(info.size_bytes, 40u);
  EXPECT_FALSE(info.inode.has_value());
}

TEST(FdinfoTest, ControlCharactersInNotesAreReplaced) {
  std::vector<std::string> malformed;
  ParseFdinfo(std::string("size:\t\x1b[2J\n", 10), &malformed);
  ASSERT_THAT(malformed, ElementsAre(HasSubstr("size: ?[2J")));
}

}  // namespace
}  // namespace gralloc::inspect
