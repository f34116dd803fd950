// Copyright 2026 The gralloc for Linux Authors.

#include "tools/inspect/maps.h"

#include <sys/sysmacros.h>

#include "gtest/gtest.h"

namespace gralloc::inspect {
namespace {

TEST(MapsTest, SharedMemfdMapping) {
  const std::optional<MapsEntry> entry = ParseMapsLine(
      "7f7bf43bb000-7f7bf43bd000 rw-s 00001000 00:01 73820251"
      "                   /memfd:gralloc:camera frame (deleted)");
  ASSERT_TRUE(entry.has_value());
  EXPECT_EQ(entry->start, 0x7f7bf43bb000u);
  EXPECT_EQ(entry->end, 0x7f7bf43bd000u);
  EXPECT_EQ(entry->length_bytes(), 0x2000u);
  EXPECT_EQ(entry->offset_bytes, 0x1000u);
  EXPECT_EQ(entry->device, makedev(0, 1));
  EXPECT_EQ(entry->inode, 73820251u);
  EXPECT_TRUE(entry->shared);
  EXPECT_EQ(entry->path, "/memfd:gralloc:camera frame (deleted)");
}

TEST(MapsTest, DeviceNumbersAreHex) {
  const std::optional<MapsEntry> entry =
      ParseMapsLine("1000-2000 r--p 00000000 fd:1a 12 /dmabuf:x");
  ASSERT_TRUE(entry.has_value());
  EXPECT_EQ(entry->device, makedev(0xfd, 0x1a));
  EXPECT_FALSE(entry->shared);
  EXPECT_EQ(entry->path, "/dmabuf:x");
}

TEST(MapsTest, AnonymousMappingHasNoPath) {
  const std::optional<MapsEntry> entry =
      ParseMapsLine("1000-2000 rw-p 00000000 00:00 0");
  ASSERT_TRUE(entry.has_value());
  EXPECT_EQ(entry->path, "");
}

TEST(MapsTest, MalformedLinesAreRejected) {
  for (const char* line : {
           "",
           "1000-2000",
           "2000-1000 rw-s 00000000 00:01 1 /dmabuf:",  // end before start
           "1000-zz rw-s 00000000 00:01 1 /dmabuf:",
           "1000-2000 rw-s 0000000g 00:01 1 /dmabuf:",
           "1000-2000 rw-s 00000000 0001 1 /dmabuf:",
           "1000-2000 rw-s 00000000 00:01 -1 /dmabuf:",
           "1000-2000 rw 00000000 00:01 1 /dmabuf:",
       }) {
    EXPECT_FALSE(ParseMapsLine(line).has_value()) << line;
  }
}

}  // namespace
}  // namespace gralloc::inspect
