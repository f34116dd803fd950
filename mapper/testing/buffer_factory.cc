// Copyright 2026 The gralloc for Linux Authors.

#include "mapper/testing/buffer_factory.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <atomic>
#include <optional>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "allocator/layout/layout.h"
#include "hal/base/status_macros.h"
#include "hal/base/unique_fd.h"
#include "hal/format/format_table.h"
#include "hal/metadata/metadata_buffer_name.h"
#include "hal/metadata/shared_metadata.h"

namespace gralloc::testing {
namespace {

absl::StatusOr<UniqueFd> MakeMemfd(const std::string& name, uint64_t size) {
  UniqueFd fd(memfd_create(name.c_str(), MFD_CLOEXEC | MFD_ALLOW_SEALING));
  if (!fd.valid()) return ErrnoStatus("memfd_create");
  if (ftruncate(fd.get(), static_cast<off_t>(size)) != 0) {
    return ErrnoStatus("ftruncate");
  }
  return fd;
}

absl::Status Seal(int fd) {
  if (fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL) != 0) {
    return ErrnoStatus("F_ADD_SEALS");
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<TestBuffer> MakeTestBuffer(const TestBufferSpec& spec) {
  const PixelFormat layout_value =
      spec.layout_format == PixelFormat::UNSPECIFIED ? spec.format
                                                     : spec.layout_format;
  const FormatInfo* format = FindConcreteLayout(
      static_cast<int32_t>(layout_value), spec.layout_fourcc);
  if (format == nullptr) return absl::InvalidArgumentError("unknown format");
  ASSIGN_OR_RETURN(BufferLayout layout,
                   ComputeLayout(*format, spec.width, spec.height,
                                 spec.layer_count, LayoutConstraints{}));

  static std::atomic<uint64_t> next_id{0x1000};
  HandleInfo info;
  info.buffer_id = next_id.fetch_add(1);
  info.width = spec.width;
  info.height = spec.height;
  info.layer_count = spec.layer_count;
  info.format_requested = static_cast<int32_t>(spec.format);
  info.usage = spec.usage;
  info.allocation_size = layout.total_size_bytes;
  info.reserved_size = spec.reserved_size;
  info.backend = HandleBackend::kMemfd;
  info.flags = spec.flags;
  info.layout = layout;

  const uint64_t pixel_size = spec.pixel_file_size < 0
                                  ? layout.total_size_bytes
                                  : static_cast<uint64_t>(spec.pixel_file_size);
  ASSIGN_OR_RETURN(UniqueFd pixels, MakeMemfd("test-pixels", pixel_size));

  const size_t metadata_size = SharedMetadataSize(spec.reserved_size);
  if (metadata_size == 0) return absl::InvalidArgumentError("reserved size");
  info.metadata_size = static_cast<uint32_t>(metadata_size);
  SharedMetadataInit init;
  init.name = spec.name;
  init.heap_name = "memfd";
  init.reserved_size = spec.reserved_size;
  init.dataspace = spec.dataspace;
  init.crop = Rect{0, 0, spec.width, spec.height};
  // As the allocator does: a blank buffer named after its header, for the
  // first importer to write, or the header written now.
  std::optional<std::string> name =
      spec.blank_header ? EncodeMetadataBufferName(init) : std::nullopt;
  if (spec.blank_header && !spec.blank_name.empty()) name = spec.blank_name;
  ASSIGN_OR_RETURN(UniqueFd metadata,
                   MakeMemfd(name.value_or("test-metadata"), metadata_size));
  if (!name.has_value()) {
    void* mapping = mmap(nullptr, metadata_size, PROT_READ | PROT_WRITE,
                         MAP_SHARED, metadata.get(), 0);
    if (mapping == MAP_FAILED) return ErrnoStatus("mmap");
    absl::Status status = InitSharedMetadata(mapping, metadata_size, init);
    munmap(mapping, metadata_size);
    RETURN_IF_ERROR(status);
  }
  if (spec.seal) {
    RETURN_IF_ERROR(Seal(pixels.get()));
    RETURN_IF_ERROR(Seal(metadata.get()));
  }
  ASSIGN_OR_RETURN(NativeHandlePtr handle,
                   EncodeHandle(info, std::move(pixels), std::move(metadata)));
  return TestBuffer{std::move(handle), info};
}

NativeHandlePtr CloneHandle(const native_handle_t* handle) {
  return NativeHandlePtr(native_handle_clone(handle));
}

}  // namespace gralloc::testing
