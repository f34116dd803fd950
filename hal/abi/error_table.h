// Copyright 2026 The gralloc for Linux Authors.
//
// hal/abi/error_table.h: the one place where absl::Status becomes an ABI
// error code.
//
// Inside the project every fallible call returns absl::Status; the C ABIs
// (Mapper 5 and the allocator) speak AIMapper_Error. Conversion happens only
// at the boundary, through ToAbiError(), so the rules live in one table.
//
// The same status code can mean different ABI errors depending on what was
// wrong: an InvalidArgument while importing a handle is BAD_BUFFER, while
// validating a descriptor BAD_DESCRIPTOR, and for a lock region BAD_VALUE.
// The caller names that with an ErrorContext; the table has one column per
// context. Inner code therefore sticks to these conventions:
//
//   kInvalidArgument, kOutOfRange   the input in question is invalid
//   kNotFound                       an unknown handle / id
//   kFailedPrecondition             wrong state (e.g. unlock when not locked)
//   kPermissionDenied               the input forbids the operation
//                                   (CPU lock of a protected buffer)
//   kUnimplemented                  permanently unsupported
//   kResourceExhausted, kUnavailable  out of memory or quota; may work later
//   kDataLoss                       a handle or metadata that lies
//   anything else                   an internal failure: NO_RESOURCES

#ifndef GRALLOC_HAL_ABI_ERROR_TABLE_H_
#define GRALLOC_HAL_ABI_ERROR_TABLE_H_

#include <cstdint>

#include "absl/status/status.h"

namespace gralloc {

// What the failing call was judging when it failed.
enum class ErrorContext {
  kDescriptor,  // a buffer description (allocate, isSupported)
  kBuffer,      // a buffer handle (import, free, metadata, unlock)
  kArgument,    // another argument of a call on a valid buffer (lock usage,
                // region, metadata payload)
};

// AIMapper_Error values (see IMapper.h), for C++ code that does not include
// the C header.
enum class AbiError : int32_t {
  kNone = 0,
  kBadDescriptor = 1,
  kBadBuffer = 2,
  kBadValue = 3,
  kNoResources = 5,
  kUnsupported = 7,
};

// Maps `status` to the ABI error for `context`. OK is always kNone; no other
// status ever maps to kNone.
AbiError ToAbiError(const absl::Status& status, ErrorContext context);

// The same as an int32_t, for returning through the C ABI.
inline int32_t ToAbiErrorCode(const absl::Status& status,
                              ErrorContext context) {
  return static_cast<int32_t>(ToAbiError(status, context));
}

}  // namespace gralloc

#endif  // GRALLOC_HAL_ABI_ERROR_TABLE_H_
