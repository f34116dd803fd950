// Copyright 2026 The gralloc for Linux Authors.
//
// hal/base/status_matchers.h: gMock matchers for absl::Status and StatusOr.
//
// abseil 20220623 ships none; these use the names of later abseil
// (absl/status/status_matchers.h) so tests survive an upgrade unchanged.
//
//   EXPECT_THAT(DoThing(), IsOk());
//   EXPECT_THAT(Parse(bytes), StatusIs(absl::StatusCode::kInvalidArgument));
//   EXPECT_THAT(Parse(bytes), StatusIs(absl::StatusCode::kInvalidArgument,
//                                      HasSubstr("truncated")));
//   ASSERT_OK_AND_ASSIGN(auto value, Parse(bytes));
//
// Test-only.

#ifndef GRALLOC_HAL_BASE_STATUS_MATCHERS_H_
#define GRALLOC_HAL_BASE_STATUS_MATCHERS_H_

#include <ostream>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "hal/base/status_macros.h"

namespace gralloc::testing {

namespace internal {
inline const absl::Status& GetStatus(const absl::Status& status) {
  return status;
}
template <typename T>
const absl::Status& GetStatus(const absl::StatusOr<T>& status_or) {
  return status_or.status();
}
}  // namespace internal

MATCHER(IsOk, "is OK") {
  const absl::Status& status = internal::GetStatus(arg);
  if (!status.ok()) *result_listener << "status is " << status;
  return status.ok();
}

MATCHER_P(StatusIs, code,
          std::string("has status code ") +
              absl::StatusCodeToString(static_cast<absl::StatusCode>(code))) {
  const absl::Status& status = internal::GetStatus(arg);
  *result_listener << "status is " << status;
  return status.code() == code;
}

MATCHER_P2(StatusIs, code, message_matcher,
           std::string("has status code ") +
               absl::StatusCodeToString(static_cast<absl::StatusCode>(code)) +
               " and a message that " +
               ::testing::DescribeMatcher<std::string>(message_matcher)) {
  const absl::Status& status = internal::GetStatus(arg);
  *result_listener << "status is " << status;
  return status.code() == code &&
         ::testing::Matches(message_matcher)(std::string(status.message()));
}

}  // namespace gralloc::testing

#define GRALLOC_ASSERT_OK_AND_ASSIGN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                                       \
  ASSERT_TRUE(tmp.ok()) << tmp.status();                   \
  lhs = std::move(tmp).value()

// Asserts that `expr` (a StatusOr<T>) is OK and moves its value into `lhs`.
#define ASSERT_OK_AND_ASSIGN(lhs, expr) \
  GRALLOC_ASSERT_OK_AND_ASSIGN_IMPL_(   \
      GRALLOC_STATUS_CONCAT_(gralloc_assert_status_or_, __LINE__), lhs, expr)

#define ASSERT_OK(expr) ASSERT_THAT((expr), ::gralloc::testing::IsOk())
#define EXPECT_OK(expr) EXPECT_THAT((expr), ::gralloc::testing::IsOk())

#endif  // GRALLOC_HAL_BASE_STATUS_MATCHERS_H_
