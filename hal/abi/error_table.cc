// Copyright 2026 The gralloc for Linux Authors.

#include "hal/abi/error_table.h"

#include <array>

namespace gralloc {
namespace {

struct Row {
  absl::StatusCode code;
  // One entry per ErrorContext, in its order.
  AbiError descriptor;
  AbiError buffer;
  AbiError argument;
};

constexpr AbiError kDesc = AbiError::kBadDescriptor;
constexpr AbiError kBuf = AbiError::kBadBuffer;
constexpr AbiError kVal = AbiError::kBadValue;
constexpr AbiError kRes = AbiError::kNoResources;
constexpr AbiError kUns = AbiError::kUnsupported;

// clang-format off
constexpr std::array<Row, 9> kTable = {{
  //  status code                               descriptor buffer argument
  {absl::StatusCode::kInvalidArgument,           kDesc,     kBuf,  kVal},
  {absl::StatusCode::kOutOfRange,                kDesc,     kBuf,  kVal},
  {absl::StatusCode::kNotFound,                  kDesc,     kBuf,  kBuf},
  {absl::StatusCode::kFailedPrecondition,        kDesc,     kBuf,  kBuf},
  {absl::StatusCode::kPermissionDenied,          kUns,      kBuf,  kVal},
  {absl::StatusCode::kDataLoss,                  kDesc,     kBuf,  kBuf},
  {absl::StatusCode::kUnimplemented,             kUns,      kUns,  kUns},
  {absl::StatusCode::kResourceExhausted,         kRes,      kRes,  kRes},
  {absl::StatusCode::kUnavailable,               kRes,      kRes,  kRes},
}};
// clang-format on

}  // namespace

AbiError ToAbiError(const absl::Status& status, ErrorContext context) {
  if (status.ok()) return AbiError::kNone;
  for (const Row& row : kTable) {
    if (row.code != status.code()) continue;
    switch (context) {
      case ErrorContext::kDescriptor:
        return row.descriptor;
      case ErrorContext::kBuffer:
        return row.buffer;
      case ErrorContext::kArgument:
        return row.argument;
    }
  }
  // Internal, unknown, cancelled, ...: nothing the caller did wrong, and it
  // may work on another try.
  return AbiError::kNoResources;
}

}  // namespace gralloc
