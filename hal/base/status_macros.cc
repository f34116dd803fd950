// Copyright 2026 The gralloc for Linux Authors.

#include "hal/base/status_macros.h"

#include "absl/strings/str_cat.h"

namespace gralloc {

absl::Status ErrnoStatus(int errno_value, absl::string_view operation) {
  return absl::ErrnoToStatus(errno_value, operation);
}

}  // namespace gralloc
