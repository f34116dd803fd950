// Copyright 2026 The gralloc for Linux Authors.

#include "hal/metadata/metadata_buffer_name.h"

#include <sys/mman.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "gtest/gtest.h"
#include "hal/base/status_matchers.h"
#include "hal/base/unique_fd.h"
#include "hal/metadata/metadata_types.h"
#include "hal/metadata/shared_metadata.h"

namespace gralloc {
namespace {

using ::gralloc::testing::StatusIs;

SharedMetadataInit Init(std::string name, std::string heap_name,
                        Dataspace dataspace = Dataspace::UNKNOWN) {
  SharedMetadataInit init;
  init.name = std::move(name);
  init.heap_name = std::move(heap_name);
  init.dataspace = dataspace;
  return init;
}

// What readlink shows for a memfd of that name.
std::string Link(const std::string& name) {
  return "/memfd:" + name + " (deleted)";
}

TEST(MetadataBufferNameTest, RoundTripsNamesWithEveryByte) {
  std::string every_byte;
  for (int byte = 1; byte < 128; ++byte) every_byte.push_back(char(byte));
  const SharedMetadataInit cases[] = {
      Init("camera-frame", "system"),
      Init("", "memfd"),
      [] {
        SharedMetadataInit reserved = Init("with-reserved", "system");
        reserved.reserved_size = 0x10000;
        return reserved;
      }(),
      Init("a:b/c d%e (deleted)", "reserved",
           static_cast<Dataspace>(0x10c60000)),
      Init(std::string("nul\0byte\xff", 9), "udmabuf",
           static_cast<Dataspace>(-1)),
      Init(every_byte.substr(0, 40), "x"),
  };
  for (const SharedMetadataInit& init : cases) {
    const std::optional<std::string> name = EncodeMetadataBufferName(init);
    ASSERT_TRUE(name.has_value()) << init.name;
    EXPECT_LE(name->size(), kMemfdNameMaxBytes);
    // Nothing that could split the fields or fake readlink's suffix.
    EXPECT_EQ(name->find(' '), std::string::npos) << *name;
    EXPECT_EQ(name->find('/'), std::string::npos) << *name;
    EXPECT_EQ(name->find('\0'), std::string::npos) << *name;
    SharedMetadataInit decoded;
    ASSERT_OK(DecodeMetadataBufferName(Link(*name), &decoded));
    EXPECT_EQ(decoded.name, init.name);
    EXPECT_EQ(decoded.heap_name, init.heap_name);
    EXPECT_EQ(decoded.dataspace, init.dataspace);
    EXPECT_EQ(decoded.reserved_size, init.reserved_size);
  }
}

TEST(MetadataBufferNameTest, NamesThatDoNotFitHaveNoEncoding) {
  // 127 plain bytes fit; 127 bytes that each take %XX do not.
  EXPECT_TRUE(EncodeMetadataBufferName(Init(std::string(127, 'n'), "system"))
                  .has_value());
  EXPECT_FALSE(
      EncodeMetadataBufferName(Init(std::string(127, '\xc3'), "system"))
          .has_value());
  EXPECT_FALSE(EncodeMetadataBufferName(Init(std::string(128, 'n'), "system"))
                   .has_value());
  EXPECT_FALSE(
      EncodeMetadataBufferName(Init("n", std::string(64, 'h'))).has_value());
}

// The fields' exact text: what importers of older builds parse too.
TEST(MetadataBufferNameTest, HexFieldsAreLowerCaseAndTheDataspacePadded) {
  SharedMetadataInit init =
      Init("a b", "cma", static_cast<Dataspace>(0x10c60000));
  init.reserved_size = 0xabc0;
  EXPECT_EQ(*EncodeMetadataBufferName(init),
            "gralloc-md:10c60000:abc0:cma:a%20b");
  init = Init("n", "system", static_cast<Dataspace>(-1));
  init.reserved_size = uint64_t{1} << 63;
  EXPECT_EQ(*EncodeMetadataBufferName(init),
            "gralloc-md:ffffffff:8000000000000000:system:n");
}

TEST(MetadataBufferNameTest, MalformedLinksAreDataLoss) {
  const std::string good = *EncodeMetadataBufferName(Init("frame", "system"));
  EXPECT_EQ(good, "gralloc-md:00000000:0:system:frame");
  SharedMetadataInit init;
  ASSERT_OK(DecodeMetadataBufferName(Link(good), &init));
  for (const std::string& link : std::vector<std::string>{
           std::string("/memfd:gralloc-metadata (deleted)"),
           good,                              // no readlink decoration
           "/memfd:" + good,                  // no suffix
           std::string("anon_inode:dmabuf"),  // not a memfd
           Link("gralloc-md:0000000g:0:system:frame"),   // bad hex
           Link("gralloc-md:00000000system:0:frame"),    // no separator
           Link("gralloc-md:00000000:0:system"),         // no name field
           Link("gralloc-md:00000000:0:sys tem:frame"),  // unescaped space
           Link("gralloc-md:00000000:0:system:fr%4"),    // cut escape
           Link("gralloc-md:00000000:0:system:fr%zz"),   // bad escape
           Link("gralloc-md:00000000:0:" + std::string(64, 'h') + ":n"),
           Link("gralloc-md:00000000:0:h:" + std::string(128, 'n')),
           Link("gralloc-md:00000000::system:frame"),          // no size
           Link("gralloc-md:00000000:10000000000000000:s:f"),  // 17 digits
           Link("gralloc-md:00000000:4G:system:frame"),        // not hex
           // Names within the header's limits, spelt longer than any memfd
           // name can be.
           [] {
             std::string heap;
             for (int i = 0; i < 63; ++i) heap += "%41";
             return Link("gralloc-md:00000000:0:" + heap + ":" +
                         std::string(60, 'n'));
           }()}) {
    EXPECT_THAT(DecodeMetadataBufferName(link, &init),
                StatusIs(absl::StatusCode::kDataLoss))
        << link;
  }
}

TEST(MetadataBufferNameTest, ReadsTheNameOfARealMemfd) {
  const SharedMetadataInit init =
      Init("preview:0 /cam", "memfd", static_cast<Dataspace>(142671872));
  const std::string name = *EncodeMetadataBufferName(init);
  UniqueFd fd(memfd_create(name.c_str(), MFD_CLOEXEC));
  ASSERT_TRUE(fd.valid());
  ASSERT_OK_AND_ASSIGN(const SharedMetadataInit read,
                       ReadMetadataBufferName(fd.get()));
  EXPECT_EQ(read.name, init.name);
  EXPECT_EQ(read.heap_name, "memfd");
  EXPECT_EQ(read.dataspace, init.dataspace);

  UniqueFd other(memfd_create("gralloc-metadata", MFD_CLOEXEC));
  EXPECT_THAT(ReadMetadataBufferName(other.get()).status(),
              StatusIs(absl::StatusCode::kDataLoss));
  EXPECT_THAT(ReadMetadataBufferName(-1).status(),
              StatusIs(absl::StatusCode::kUnavailable));
}

}  // namespace
}  // namespace gralloc
