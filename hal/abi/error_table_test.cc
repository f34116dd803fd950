// Copyright 2026 The gralloc for Linux Authors.

#include "hal/abi/error_table.h"

#include "android/hardware/graphics/mapper/IMapper.h"
#include "gtest/gtest.h"

namespace gralloc {
namespace {

TEST(ErrorTableTest, AbiErrorValuesMatchTheCHeader) {
  EXPECT_EQ(static_cast<int32_t>(AbiError::kNone), AIMAPPER_ERROR_NONE);
  EXPECT_EQ(static_cast<int32_t>(AbiError::kBadDescriptor),
            AIMAPPER_ERROR_BAD_DESCRIPTOR);
  EXPECT_EQ(static_cast<int32_t>(AbiError::kBadBuffer),
            AIMAPPER_ERROR_BAD_BUFFER);
  EXPECT_EQ(static_cast<int32_t>(AbiError::kBadValue),
            AIMAPPER_ERROR_BAD_VALUE);
  EXPECT_EQ(static_cast<int32_t>(AbiError::kNoResources),
            AIMAPPER_ERROR_NO_RESOURCES);
  EXPECT_EQ(static_cast<int32_t>(AbiError::kUnsupported),
            AIMAPPER_ERROR_UNSUPPORTED);
}

TEST(ErrorTableTest, OkIsNoneInEveryContext) {
  for (auto context : {ErrorContext::kDescriptor, ErrorContext::kBuffer,
                       ErrorContext::kArgument}) {
    EXPECT_EQ(ToAbiError(absl::OkStatus(), context), AbiError::kNone);
  }
}

TEST(ErrorTableTest, InvalidInputDependsOnWhatWasJudged) {
  const absl::Status bad = absl::InvalidArgumentError("x");
  EXPECT_EQ(ToAbiError(bad, ErrorContext::kDescriptor),
            AbiError::kBadDescriptor);
  EXPECT_EQ(ToAbiError(bad, ErrorContext::kBuffer), AbiError::kBadBuffer);
  EXPECT_EQ(ToAbiError(bad, ErrorContext::kArgument), AbiError::kBadValue);
}

TEST(ErrorTableTest, ResourcesAndUnsupportedAreTheSameEverywhere) {
  for (auto context : {ErrorContext::kDescriptor, ErrorContext::kBuffer,
                       ErrorContext::kArgument}) {
    EXPECT_EQ(ToAbiError(absl::ResourceExhaustedError("x"), context),
              AbiError::kNoResources);
    EXPECT_EQ(ToAbiError(absl::UnimplementedError("x"), context),
              AbiError::kUnsupported);
  }
}

TEST(ErrorTableTest, NoFailureEverMapsToNone) {
  for (int code = 1; code <= 16; ++code) {
    const absl::Status status(static_cast<absl::StatusCode>(code), "x");
    for (auto context : {ErrorContext::kDescriptor, ErrorContext::kBuffer,
                         ErrorContext::kArgument}) {
      EXPECT_NE(ToAbiError(status, context), AbiError::kNone) << status;
      EXPECT_NE(ToAbiErrorCode(status, context), 0) << status;
    }
  }
}

TEST(ErrorTableTest, ForgedHandleIsBadBufferAndProtectedLockIsBadValue) {
  EXPECT_EQ(
      ToAbiError(absl::DataLossError("size beyond fd"), ErrorContext::kBuffer),
      AbiError::kBadBuffer);
  EXPECT_EQ(ToAbiError(absl::PermissionDeniedError("protected"),
                       ErrorContext::kArgument),
            AbiError::kBadValue);
  EXPECT_EQ(ToAbiError(absl::FailedPreconditionError("not locked"),
                       ErrorContext::kArgument),
            AbiError::kBadBuffer);
}

}  // namespace
}  // namespace gralloc
