// Copyright 2026 The gralloc for Linux Authors.
//
// The allocator's C ABI (hal/include/gralloc/allocator.h): a thin layer
// that checks its arguments once, converts the C description, calls an
// AllocatorApi, keeps the calling thread's reason and maps statuses through
// the one error table.

#include <cstring>
#include <memory>
#include <string>
#include <thread>
#include <unordered_map>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "allocator/allocator.h"
#include "allocator/client/open.h"
#include "gralloc/allocator.h"
#include "hal/abi/error_table.h"
#include "hal/base/mutex.h"
#include "hal/descriptor/descriptor.h"
#include "hal/handle/buffer_handle.h"

struct GrallocAllocator {
  std::unique_ptr<gralloc::AllocatorApi> impl;
  gralloc::Mutex mu;
  // The reason of each thread's last failed call; a success removes the
  // thread's entry (its reason is then empty), so threads that come and go
  // leave nothing behind unless their last call failed. All go with close().
  std::unordered_map<std::thread::id, std::string> reasons ABSL_GUARDED_BY(mu);
};

namespace {

using ::gralloc::AbiError;
using ::gralloc::ErrorContext;

constexpr int kBadValue = static_cast<int>(AbiError::kBadValue);

// Records `status` as this thread's reason on `allocator` (cleared when OK)
// and returns `result`.
int Remember(GrallocAllocator* allocator, const absl::Status& status,
             int result) {
  gralloc::MutexLock lock(&allocator->mu);
  if (status.ok()) {
    allocator->reasons.erase(std::this_thread::get_id());
  } else {
    allocator->reasons[std::this_thread::get_id()] =
        std::string(status.message());
  }
  return result;
}

// The ABI error of `status`, remembered as the reason.
int Fail(GrallocAllocator* allocator, const absl::Status& status,
         ErrorContext context) {
  return Remember(allocator, status, gralloc::ToAbiErrorCode(status, context));
}

int BadValue(GrallocAllocator* allocator, const char* what) {
  return Remember(allocator, absl::InvalidArgumentError(what), kBadValue);
}

// Converts the C description; InvalidArgument for malformed options.
absl::Status ToDescriptor(const GrallocBufferDescriptorInfo& in,
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
    return absl::InvalidArgumentError("additionalOptions is NULL");
  }
  if (in.additionalOptionCount > gralloc::kMaxDescriptorOptions) {
    return absl::InvalidArgumentError(absl::StrCat(
        "more than ", gralloc::kMaxDescriptorOptions, " additional options"));
  }
  for (size_t i = 0; i < in.additionalOptionCount; ++i) {
    const GrallocExtendableType& option = in.additionalOptions[i];
    if (option.name == nullptr) {
      return absl::InvalidArgumentError("an additional option has no name");
    }
    out->additional_options.push_back(
        gralloc::ExtendableType{option.name, option.value});
  }
  return absl::OkStatus();
}

int Open(absl::StatusOr<std::unique_ptr<gralloc::AllocatorApi>> impl,
         GrallocAllocator** out) {
  if (!impl.ok()) {
    return gralloc::ToAbiErrorCode(impl.status(), ErrorContext::kArgument);
  }
  auto* allocator = new (std::nothrow) GrallocAllocator;
  if (allocator == nullptr) return static_cast<int>(AbiError::kNoResources);
  allocator->impl = std::move(impl).value();
  *out = allocator;
  return 0;
}

// Copies `text` (and its NUL) to `out` under the size rules of
// getLastReason().
int CopyOut(const std::string& text, char* out, size_t out_size,
            size_t* out_length) {
  if (out == nullptr && out_size != 0) return kBadValue;
  if (out != nullptr && out_size < text.size() + 1) {
    if (out_length != nullptr) *out_length = text.size();
    return kBadValue;
  }
  if (out != nullptr) std::memcpy(out, text.c_str(), text.size() + 1);
  if (out_length != nullptr) *out_length = text.size();
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
  if (allocator == nullptr) return kBadValue;
  if (info == nullptr || outSupported == nullptr) {
    return BadValue(allocator, "info or outSupported is NULL");
  }
  gralloc::BufferDescriptorInfo descriptor;
  if (absl::Status converted = ToDescriptor(*info, &descriptor);
      !converted.ok()) {
    *outSupported = false;
    return Remember(allocator, converted, 0);
  }
  absl::StatusOr<gralloc::Verdict> supported =
      allocator->impl->IsSupported(descriptor);
  if (!supported.ok()) {
    return Fail(allocator, supported.status(), ErrorContext::kArgument);
  }
  *outSupported = supported->yes();
  return Remember(allocator, supported->refusal, 0);
}

int GrallocAllocator_allocate2(GrallocAllocator* allocator,
                               const GrallocBufferDescriptorInfo* info,
                               int32_t count, int32_t* outStride,
                               native_handle_t** outBuffers) {
  if (allocator == nullptr) return kBadValue;
  if (info == nullptr || outStride == nullptr || count < 0 ||
      (count > 0 && outBuffers == nullptr)) {
    return BadValue(allocator,
                    "info, outStride or outBuffers is NULL, or count < 0");
  }
  gralloc::BufferDescriptorInfo descriptor;
  if (absl::Status converted = ToDescriptor(*info, &descriptor);
      !converted.ok()) {
    return Fail(allocator, converted, ErrorContext::kDescriptor);
  }
  absl::StatusOr<gralloc::Allocation> allocation =
      allocator->impl->Allocate(descriptor, count);
  if (!allocation.ok()) {
    return Fail(allocator, allocation.status(), ErrorContext::kDescriptor);
  }
  *outStride = allocation->layout.stride_px;
  for (int32_t i = 0; i < count; ++i) {
    outBuffers[i] =
        allocation->buffers[static_cast<size_t>(i)].handle.release();
  }
  return Remember(allocator, absl::OkStatus(), 0);
}

int GrallocAllocator_serves(GrallocAllocator* allocator,
                            const native_handle_t* buffer,
                            int64_t additionalUsage, bool* outServes) {
  if (allocator == nullptr) return kBadValue;
  if (buffer == nullptr || outServes == nullptr) {
    return BadValue(allocator, "buffer or outServes is NULL");
  }
  absl::StatusOr<gralloc::HandleInfo> info = gralloc::DecodeHandle(buffer);
  if (!info.ok()) return Fail(allocator, info.status(), ErrorContext::kBuffer);
  absl::StatusOr<gralloc::Verdict> serves = allocator->impl->Serves(
      *info, nullptr, static_cast<uint64_t>(additionalUsage));
  if (!serves.ok()) {
    return Fail(allocator, serves.status(), ErrorContext::kBuffer);
  }
  *outServes = serves->yes();
  return Remember(allocator, serves->refusal, 0);
}

int GrallocAllocator_release(GrallocAllocator* allocator,
                             const native_handle_t* buffer) {
  if (allocator == nullptr) return kBadValue;
  if (buffer == nullptr) return BadValue(allocator, "buffer is NULL");
  absl::StatusOr<gralloc::HandleInfo> info = gralloc::DecodeHandle(buffer);
  if (!info.ok()) return Fail(allocator, info.status(), ErrorContext::kBuffer);
  const absl::Status released = allocator->impl->Release(info->buffer_id);
  if (!released.ok()) return Fail(allocator, released, ErrorContext::kBuffer);
  return Remember(allocator, released, 0);
}

int GrallocAllocator_getLastReason(GrallocAllocator* allocator, char* reason,
                                   size_t reasonSize, size_t* outLength) {
  if (allocator == nullptr) return kBadValue;
  std::string text;
  {
    gralloc::MutexLock lock(&allocator->mu);
    auto it = allocator->reasons.find(std::this_thread::get_id());
    if (it != allocator->reasons.end()) text = it->second;
  }
  return CopyOut(text, reason, reasonSize, outLength);
}

int GrallocAllocator_getMapperLibrary(GrallocAllocator* allocator, char* path,
                                      size_t pathSize, size_t* outLength) {
  if (allocator == nullptr) return kBadValue;
  absl::StatusOr<std::string> library = allocator->impl->MapperLibrary();
  if (!library.ok()) {
    return Fail(allocator, library.status(), ErrorContext::kArgument);
  }
  const int result = CopyOut(*library, path, pathSize, outLength);
  return Remember(allocator,
                  result == 0 ? absl::OkStatus()
                              : absl::InvalidArgumentError(absl::StrCat(
                                    "the path needs ", library->size() + 1,
                                    " bytes, not ", pathSize)),
                  result);
}

}  // extern "C"
