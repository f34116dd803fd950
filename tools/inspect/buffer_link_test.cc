// Copyright 2026 The gralloc for Linux Authors.

#include "tools/inspect/buffer_link.h"

#include "gtest/gtest.h"
#include "hal/metadata/metadata_buffer_name.h"
#include "hal/metadata/shared_metadata.h"

namespace gralloc::inspect {
namespace {

TEST(BufferLinkTest, DmaBufLinks) {
  std::optional<LinkIdentity> named = ClassifyLink("/dmabuf:camera-frame");
  ASSERT_TRUE(named.has_value());
  EXPECT_EQ(named->kind, BufferKind::kDmaBuf);
  EXPECT_EQ(named->name, "camera-frame");
  std::optional<LinkIdentity> unnamed = ClassifyLink("/dmabuf:");
  ASSERT_TRUE(unnamed.has_value());
  EXPECT_EQ(unnamed->name, "");
  std::optional<LinkIdentity> old_kernel = ClassifyLink("anon_inode:dmabuf");
  ASSERT_TRUE(old_kernel.has_value());
  EXPECT_EQ(old_kernel->kind, BufferKind::kDmaBuf);
}

TEST(BufferLinkTest, OurMemfds) {
  std::optional<LinkIdentity> pixels =
      ClassifyLink("/memfd:gralloc:camera frame (deleted)");
  ASSERT_TRUE(pixels.has_value());
  EXPECT_EQ(pixels->kind, BufferKind::kMemfd);
  EXPECT_EQ(pixels->name, "camera frame");
  std::optional<LinkIdentity> fallback =
      ClassifyLink("/memfd:gralloc-metadata (deleted)");
  ASSERT_TRUE(fallback.has_value());
  EXPECT_EQ(fallback->kind, BufferKind::kMetadata);
}

TEST(BufferLinkTest, MetadataNameDecodesTheBufferName) {
  SharedMetadataInit init;
  init.name = "camera-frame";
  init.heap_name = "system";
  init.reserved_size = 0;
  const std::optional<std::string> name = EncodeMetadataBufferName(init);
  ASSERT_TRUE(name.has_value());
  for (const std::string& link :
       {"/memfd:" + *name + " (deleted)", "/memfd:" + *name}) {
    std::optional<LinkIdentity> identity = ClassifyLink(link);
    ASSERT_TRUE(identity.has_value()) << link;
    EXPECT_EQ(identity->kind, BufferKind::kMetadata);
    EXPECT_EQ(identity->name, "camera-frame");
  }
  // Ours, though garbled: kept, unnamed.
  std::optional<LinkIdentity> garbled =
      ClassifyLink("/memfd:gralloc-md:zz (deleted)");
  ASSERT_TRUE(garbled.has_value());
  EXPECT_EQ(garbled->kind, BufferKind::kMetadata);
  EXPECT_EQ(garbled->name, "");
}

TEST(BufferLinkTest, OtherFilesAreNotBuffers) {
  for (const char* link : {"/memfd:wayland-shm (deleted)", "socket:[123]",
                           "pipe:[4]", "/dev/dri/card0", "anon_inode:[eventfd]",
                           "/tmp/dmabuf:x", "/memfd:grallocfoo (deleted)"}) {
    EXPECT_FALSE(ClassifyLink(link).has_value()) << link;
  }
}

TEST(BufferLinkTest, MapsPrefilter) {
  EXPECT_TRUE(MapsLineMayBeBuffer("1-2 rw-s 0 00:0d 5 /dmabuf:x"));
  EXPECT_TRUE(MapsLineMayBeBuffer("1-2 rw-s 0 00:01 5 /memfd:gralloc:x"));
  EXPECT_FALSE(MapsLineMayBeBuffer("1-2 r-xp 0 08:01 5 /usr/lib/libc.so.6"));
}

}  // namespace
}  // namespace gralloc::inspect
