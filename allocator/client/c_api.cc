// Copyright 2026 The gralloc for Linux Authors.
//
// The allocator's C ABI (hal/include/gralloc/allocator.h): a thin layer
// that checks its arguments once, converts the C description, calls an
// AllocatorApi and maps statuses through the one error table.

#include <cstring>
#include <memory>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "allocator/allocator.h"
#include "allocator/client/open.h"
#include "gralloc/allocator.h"
#include "hal/abi/error_table.h"

struct GrallocAllocator {
  std::unique_ptr<gralloc::AllocatorApi> impl;
};

namespace {

constexpr int kBadValue = static_cast<int>(gralloc::AbiError::kBadValue);
constexpr int kBadDescriptor =
    static_cast<int>(gralloc::AbiError::kBadDescriptor);

// Converts the C description; BAD_DESCRIPTOR for malformed options.
int ToDescriptor(const GrallocBufferDescriptorInfo& in,
                 gralloc::BufferDescriptorInfo* out) {
  // A name without NUL is cut at 127 bytes.
  out->name.assign(in.name, strnlen(in.name, sizeof(in.name) - 1));
  out->width = in.width;
  out->height = in.height;
  out->layer_count = in.layerCount;
  out->format = in.format;
  out->usage = static_cast<uint64_t>(in.usage);
  out->reserved_size = in.reservedSize;
  if (in.additionalOptionCount > 0 && in.additionalOptions == nullptr) {
    return kBadDescriptor;
  }
  if (in.additionalOptionCount > 1024) return kBadDescriptor;
  for (size_t i = 0; i < in.additionalOptionCount; ++i) {
    const GrallocExtendableType& option = in.additionalOptions[i];
    if (option.name == nullptr) return kBadDescriptor;
    out->additional_options.push_back(
        gralloc::ExtendableType{option.name, option.value});
  }
  return 0;
}

int Open(absl::StatusOr<std::unique_ptr<gralloc::AllocatorApi>> impl,
         GrallocAllocator** out) {
  if (!impl.ok()) {
    return gralloc::ToAbiErrorCode(impl.status(),
                                   gralloc::ErrorContext::kArgument);
  }
  auto* allocator = new (std::nothrow) GrallocAllocator;
  if (allocator == nullptr) {
    return static_cast<int>(gralloc::AbiError::kNoResources);
  }
  allocator->impl = std::move(impl).value();
  *out = allocator;
  return 0;
}

}  // namespace

extern "C" {

int GrallocAllocator_openInProcess(const char* profilePath,
                                   GrallocAllocator** out) {
  if (out == nullptr) return kBadValue;
  return Open(gralloc::OpenInProcess(profilePath == nullptr ? "" : profilePath),
              out);
}

int GrallocAllocator_connect(const char* socketPath, GrallocAllocator** out) {
  if (out == nullptr) return kBadValue;
  return Open(
      gralloc::ConnectToService(socketPath == nullptr ? "" : socketPath), out);
}

void GrallocAllocator_close(GrallocAllocator* allocator) { delete allocator; }

int GrallocAllocator_isSupported(GrallocAllocator* allocator,
                                 const GrallocBufferDescriptorInfo* info,
                                 bool* outSupported) {
  if (allocator == nullptr || info == nullptr || outSupported == nullptr) {
    return kBadValue;
  }
  gralloc::BufferDescriptorInfo descriptor;
  if (ToDescriptor(*info, &descriptor) != 0) {
    *outSupported = false;
    return 0;
  }
  absl::StatusOr<bool> supported = allocator->impl->IsSupported(descriptor);
  if (!supported.ok()) {
    return gralloc::ToAbiErrorCode(supported.status(),
                                   gralloc::ErrorContext::kArgument);
  }
  *outSupported = *supported;
  return 0;
}

int GrallocAllocator_allocate2(GrallocAllocator* allocator,
                               const GrallocBufferDescriptorInfo* info,
                               int32_t count, int32_t* outStride,
                               native_handle_t** outBuffers) {
  if (allocator == nullptr || info == nullptr || outStride == nullptr ||
      count < 0 || (count > 0 && outBuffers == nullptr)) {
    return kBadValue;
  }
  gralloc::BufferDescriptorInfo descriptor;
  if (int error = ToDescriptor(*info, &descriptor); error != 0) return error;
  absl::StatusOr<gralloc::Allocation> allocation =
      allocator->impl->Allocate(descriptor, count);
  if (!allocation.ok()) {
    return gralloc::ToAbiErrorCode(allocation.status(),
                                   gralloc::ErrorContext::kDescriptor);
  }
  *outStride = allocation->layout.stride_px;
  for (int32_t i = 0; i < count; ++i) {
    outBuffers[i] =
        allocation->buffers[static_cast<size_t>(i)].handle.release();
  }
  return 0;
}

}  // extern "C"
