// Copyright 2026 The gralloc for Linux Authors.

#include <sstream>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tools/gralloctl/commands.h"

namespace gralloc::cli {
namespace {

using ::testing::HasSubstr;

TEST(FormatsCommandTest, ListsFormatsWithFourccsAndPlanes) {
  std::ostringstream out;
  ASSERT_TRUE(RunFormats({}, out).ok());
  const std::string text = out.str();
  EXPECT_THAT(text, HasSubstr("RGBA_8888"));
  EXPECT_THAT(text, HasSubstr("AB24"));  // DRM_FORMAT_ABGR8888
  EXPECT_THAT(text, HasSubstr("YV12"));
  EXPECT_THAT(text, HasSubstr("R8@0 G8@8 B8@16 A8@24 /32b"));
  EXPECT_THAT(text, HasSubstr("CR8@0 /8b 2x2 | CB8@0 /8b 2x2"));
  EXPECT_THAT(text, HasSubstr("IMPLEMENTATION_DEFINED"));
  EXPECT_THAT(text, HasSubstr("flexible"));
}

TEST(FormatsCommandTest, RejectsArguments) {
  std::ostringstream out;
  EXPECT_FALSE(RunFormats({"extra"}, out).ok());
}

}  // namespace
}  // namespace gralloc::cli
