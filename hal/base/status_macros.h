// Copyright 2026 The gralloc for Linux Authors.
//
// hal/base/status_macros.h: early-return helpers for absl::Status code.
//
// abseil 20220623 has no public status macros; these use the names later
// abseil and Google code use, so an upgrade is a rename of the include.
//
//   RETURN_IF_ERROR(DoThing());             // returns the Status if not OK
//   ASSIGN_OR_RETURN(UniqueFd fd, Open());  // declares fd, or returns
//   ASSIGN_OR_RETURN(size, Size(fd));       // assigns to an existing lvalue
//
// Both work in functions returning absl::Status or absl::StatusOr<T>.
//
// ErrnoStatus() turns a failed syscall into a Status that names the operation
// and keeps errno's code (ENOMEM -> ResourceExhausted, EINVAL ->
// InvalidArgument, ...), so callers can tell failures apart.

#ifndef GRALLOC_HAL_BASE_STATUS_MACROS_H_
#define GRALLOC_HAL_BASE_STATUS_MACROS_H_

#include <cerrno>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace gralloc {

// A Status for a failed system call: `errno_value`'s canonical code and a
// message "<operation>: <strerror>".
absl::Status ErrnoStatus(int errno_value, absl::string_view operation);

// The same for the current errno; call it right after the failing call.
inline absl::Status ErrnoStatus(absl::string_view operation) {
  return ErrnoStatus(errno, operation);
}

namespace status_internal {
inline absl::Status AsStatus(absl::Status status) { return status; }
template <typename T>
absl::Status AsStatus(const absl::StatusOr<T>& status_or) {
  return status_or.status();
}
}  // namespace status_internal

}  // namespace gralloc

#define GRALLOC_STATUS_CONCAT_INNER_(a, b) a##b
#define GRALLOC_STATUS_CONCAT_(a, b) GRALLOC_STATUS_CONCAT_INNER_(a, b)

// Evaluates `expr` (a Status or StatusOr) once; returns its Status if not OK.
#define RETURN_IF_ERROR(expr)                          \
  do {                                                 \
    ::absl::Status gralloc_status_ =                   \
        ::gralloc::status_internal::AsStatus((expr));  \
    if (!gralloc_status_.ok()) return gralloc_status_; \
  } while (false)

#define GRALLOC_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                                   \
  if (!tmp.ok()) return tmp.status();                  \
  lhs = std::move(tmp).value()

// Evaluates `expr` (a StatusOr<T>); returns its Status if not OK, otherwise
// moves the value into `lhs` (a declaration or an existing lvalue).
#define ASSIGN_OR_RETURN(lhs, expr) \
  GRALLOC_ASSIGN_OR_RETURN_IMPL_(   \
      GRALLOC_STATUS_CONCAT_(gralloc_status_or_, __LINE__), lhs, expr)

#endif  // GRALLOC_HAL_BASE_STATUS_MACROS_H_
