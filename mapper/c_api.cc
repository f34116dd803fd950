// Copyright 2026 The gralloc for Linux Authors.
//
// mapper/c_api.cc: the Mapper 5 stable C ABI over the C++ Mapper.
//
// Each function checks its pointer arguments, calls the C++ API and turns
// the status into an AIMapper_Error with the one table (hal/abi), so the
// rules for what is BAD_BUFFER and what BAD_VALUE live there. The process's
// Mapper is the one singleton the ABI requires: AIMapper_loadIMapper() hands
// out a table whose functions all use it, so handles imported through one
// load are known to every other.

#include <cstring>
#include <memory>
#include <utility>

#include "android/hardware/graphics/mapper/IMapper.h"
#include "hal/abi/error_table.h"
#include "hal/base/unique_fd.h"
#include "hal/metadata/metadata_types.h"
#include "mapper/buffer_metadata.h"
#include "mapper/mapper.h"

#define GRALLOC_EXPORT __attribute__((visibility("default")))

extern "C" {
GRALLOC_EXPORT extern const uint32_t ANDROID_HAL_MAPPER_VERSION;
GRALLOC_EXPORT extern const uint32_t ANDROID_HAL_STABLEC_VERSION;
}
const uint32_t ANDROID_HAL_MAPPER_VERSION = AIMAPPER_VERSION_5;
const uint32_t ANDROID_HAL_STABLEC_VERSION = 5;

namespace gralloc::mapper {
namespace {

Mapper& TheMapper() {
  // Never destroyed: buffers may be freed from other libraries' static
  // destructors after this one would have run.
  static Mapper* const mapper = new Mapper();
  return *mapper;
}

AIMapper_Error ToError(const absl::Status& status, ErrorContext context) {
  return static_cast<AIMapper_Error>(ToAbiErrorCode(status, context));
}

int32_t NegativeError(const absl::Status& status, ErrorContext context) {
  return -ToAbiErrorCode(status, context);
}

bool IsStandardName(const char* name) {
  return name != nullptr && std::strcmp(name, kStandardMetadataTypeName) == 0;
}

AIMapper_Error ImportBuffer(const native_handle_t* handle,
                            buffer_handle_t* out_buffer_handle) {
  if (out_buffer_handle == nullptr) return AIMAPPER_ERROR_BAD_VALUE;
  absl::StatusOr<buffer_handle_t> imported = TheMapper().Import(handle);
  if (!imported.ok()) return ToError(imported.status(), ErrorContext::kBuffer);
  *out_buffer_handle = *imported;
  return AIMAPPER_ERROR_NONE;
}

AIMapper_Error FreeBuffer(buffer_handle_t buffer) {
  return ToError(TheMapper().Free(buffer), ErrorContext::kBuffer);
}

AIMapper_Error GetTransportSize(buffer_handle_t buffer, uint32_t* out_num_fds,
                                uint32_t* out_num_ints) {
  const std::shared_ptr<Buffer> found = TheMapper().Find(buffer);
  if (found == nullptr) return AIMAPPER_ERROR_BAD_BUFFER;
  if (out_num_fds == nullptr || out_num_ints == nullptr) {
    return AIMAPPER_ERROR_BAD_VALUE;
  }
  *out_num_fds = static_cast<uint32_t>(found->handle()->numFds);
  *out_num_ints = static_cast<uint32_t>(found->handle()->numInts);
  return AIMAPPER_ERROR_NONE;
}

AIMapper_Error Lock(buffer_handle_t buffer, uint64_t cpu_usage,
                    ARect access_region, int acquire_fence, void** out_data) {
  // The fence is ours from here on, whatever happens.
  UniqueFd fence(acquire_fence);
  const std::shared_ptr<Buffer> found = TheMapper().Find(buffer);
  if (found == nullptr) return AIMAPPER_ERROR_BAD_BUFFER;
  if (out_data == nullptr) return AIMAPPER_ERROR_BAD_VALUE;
  const Rect region{access_region.left, access_region.top, access_region.right,
                    access_region.bottom};
  absl::StatusOr<void*> data = found->Lock(cpu_usage, region, std::move(fence));
  if (!data.ok()) return ToError(data.status(), ErrorContext::kArgument);
  *out_data = *data;
  return AIMAPPER_ERROR_NONE;
}

AIMapper_Error Unlock(buffer_handle_t buffer, int* release_fence) {
  const std::shared_ptr<Buffer> found = TheMapper().Find(buffer);
  if (found == nullptr) return AIMAPPER_ERROR_BAD_BUFFER;
  if (release_fence == nullptr) return AIMAPPER_ERROR_BAD_VALUE;
  // The CPU is done when unlock returns: there is nothing to wait for.
  *release_fence = -1;
  return ToError(found->Unlock(), ErrorContext::kBuffer);
}

AIMapper_Error FlushLockedBuffer(buffer_handle_t buffer) {
  const std::shared_ptr<Buffer> found = TheMapper().Find(buffer);
  if (found == nullptr) return AIMAPPER_ERROR_BAD_BUFFER;
  return ToError(found->Flush(), ErrorContext::kBuffer);
}

AIMapper_Error RereadLockedBuffer(buffer_handle_t buffer) {
  const std::shared_ptr<Buffer> found = TheMapper().Find(buffer);
  if (found == nullptr) return AIMAPPER_ERROR_BAD_BUFFER;
  return ToError(found->Reread(), ErrorContext::kBuffer);
}

int32_t GetStandardMetadataImpl(buffer_handle_t buffer, int64_t type,
                                void* dest, size_t dest_size) {
  // A null or unknown buffer is reported before anything about the type.
  const std::shared_ptr<Buffer> found = TheMapper().Find(buffer);
  if (found == nullptr) return -AIMAPPER_ERROR_BAD_BUFFER;
  absl::StatusOr<size_t> size =
      GetStandardMetadata(*found, type, dest, dest_size);
  if (!size.ok()) return NegativeError(size.status(), ErrorContext::kArgument);
  if (*size > static_cast<size_t>(INT32_MAX)) {
    return -AIMAPPER_ERROR_NO_RESOURCES;
  }
  return static_cast<int32_t>(*size);
}

int32_t GetMetadata(buffer_handle_t buffer, AIMapper_MetadataType type,
                    void* dest, size_t dest_size) {
  if (buffer == nullptr) return -AIMAPPER_ERROR_BAD_BUFFER;
  if (!IsStandardName(type.name)) {
    if (TheMapper().Find(buffer) == nullptr) return -AIMAPPER_ERROR_BAD_BUFFER;
    return -AIMAPPER_ERROR_UNSUPPORTED;
  }
  return GetStandardMetadataImpl(buffer, type.value, dest, dest_size);
}

int32_t GetStandardMetadataAbi(buffer_handle_t buffer, int64_t type, void* dest,
                               size_t dest_size) {
  return GetStandardMetadataImpl(buffer, type, dest, dest_size);
}

AIMapper_Error SetStandardMetadataImpl(buffer_handle_t buffer, int64_t type,
                                       const void* metadata, size_t size) {
  const std::shared_ptr<Buffer> found = TheMapper().Find(buffer);
  if (found == nullptr) return AIMAPPER_ERROR_BAD_BUFFER;
  return ToError(SetStandardMetadata(*found, type, metadata, size),
                 ErrorContext::kArgument);
}

AIMapper_Error SetMetadata(buffer_handle_t buffer, AIMapper_MetadataType type,
                           const void* metadata, size_t size) {
  if (buffer == nullptr) return AIMAPPER_ERROR_BAD_BUFFER;
  if (!IsStandardName(type.name)) {
    if (TheMapper().Find(buffer) == nullptr) return AIMAPPER_ERROR_BAD_BUFFER;
    return AIMAPPER_ERROR_UNSUPPORTED;
  }
  return SetStandardMetadataImpl(buffer, type.value, metadata, size);
}

AIMapper_Error SetStandardMetadataAbi(buffer_handle_t buffer, int64_t type,
                                      const void* metadata, size_t size) {
  return SetStandardMetadataImpl(buffer, type, metadata, size);
}

const AIMapper_MetadataTypeDescription* DescriptionList(size_t* count) {
  static const auto* const list = [] {
    auto types = SupportedMetadataTypes();
    auto* descriptions = new AIMapper_MetadataTypeDescription[types.size()];
    for (size_t i = 0; i < types.size(); ++i) {
      descriptions[i] = AIMapper_MetadataTypeDescription{};
      descriptions[i].metadataType.name = kStandardMetadataTypeName;
      descriptions[i].metadataType.value = static_cast<int64_t>(types[i].type);
      descriptions[i].description = nullptr;
      descriptions[i].isGettable = types[i].gettable;
      descriptions[i].isSettable = types[i].settable;
    }
    return descriptions;
  }();
  *count = SupportedMetadataTypes().size();
  return list;
}

AIMapper_Error ListSupportedMetadataTypes(
    const AIMapper_MetadataTypeDescription** out_list, size_t* out_count) {
  if (out_list == nullptr || out_count == nullptr) {
    return AIMAPPER_ERROR_BAD_VALUE;
  }
  *out_list = DescriptionList(out_count);
  return AIMAPPER_ERROR_NONE;
}

void DumpOne(const Buffer& buffer, AIMapper_DumpBufferCallback callback,
             void* context) {
  DumpBuffer(buffer,
             [&](StandardMetadataType type, const void* value, size_t size) {
               callback(context,
                        AIMapper_MetadataType{kStandardMetadataTypeName,
                                              static_cast<int64_t>(type)},
                        value, size);
             });
}

AIMapper_Error DumpBufferAbi(buffer_handle_t buffer,
                             AIMapper_DumpBufferCallback callback,
                             void* context) {
  const std::shared_ptr<Buffer> found = TheMapper().Find(buffer);
  if (found == nullptr) return AIMAPPER_ERROR_BAD_BUFFER;
  if (callback == nullptr) return AIMAPPER_ERROR_BAD_VALUE;
  DumpOne(*found, callback, context);
  return AIMAPPER_ERROR_NONE;
}

AIMapper_Error DumpAllBuffers(AIMapper_BeginDumpBufferCallback begin_callback,
                              AIMapper_DumpBufferCallback callback,
                              void* context) {
  if (begin_callback == nullptr || callback == nullptr) {
    return AIMAPPER_ERROR_BAD_VALUE;
  }
  for (const std::shared_ptr<Buffer>& buffer : TheMapper().DistinctBuffers()) {
    begin_callback(context);
    DumpOne(*buffer, callback, context);
  }
  return AIMAPPER_ERROR_NONE;
}

AIMapper_Error GetReservedRegion(buffer_handle_t buffer,
                                 void** out_reserved_region,
                                 uint64_t* out_reserved_size) {
  const std::shared_ptr<Buffer> found = TheMapper().Find(buffer);
  if (found == nullptr) return AIMAPPER_ERROR_BAD_BUFFER;
  if (out_reserved_region == nullptr || out_reserved_size == nullptr) {
    return AIMAPPER_ERROR_BAD_VALUE;
  }
  *out_reserved_region = found->metadata().reserved_region();
  *out_reserved_size = found->metadata().reserved_size();
  return AIMAPPER_ERROR_NONE;
}

AIMapper kMapperTable = {
    AIMAPPER_VERSION_5,
    AIMapperV5{
        ImportBuffer,
        FreeBuffer,
        GetTransportSize,
        Lock,
        Unlock,
        FlushLockedBuffer,
        RereadLockedBuffer,
        GetMetadata,
        GetStandardMetadataAbi,
        SetMetadata,
        SetStandardMetadataAbi,
        ListSupportedMetadataTypes,
        DumpBufferAbi,
        DumpAllBuffers,
        GetReservedRegion,
    },
};

}  // namespace
}  // namespace gralloc::mapper

extern "C" GRALLOC_EXPORT AIMapper_Error
AIMapper_loadIMapper(AIMapper** out_implementation) {
  if (out_implementation == nullptr) return AIMAPPER_ERROR_BAD_VALUE;
  *out_implementation = &gralloc::mapper::kMapperTable;
  return AIMAPPER_ERROR_NONE;
}
