// Copyright 2026 The gralloc for Linux Authors.

#include "gst/gralloc_memory.h"

#include <android/hardware/graphics/mapper/IMapper.h>
#include <gst/allocators/allocators.h>
#include <poll.h>
#include <unistd.h>

#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "hal/types/buffer_usage.h"

GST_DEBUG_CATEGORY_STATIC(gralloc_memory_debug);
#define GST_CAT_DEFAULT gralloc_memory_debug

namespace {

// The dma-buf and fd allocators, differing from GStreamer's only in how
// memory is mapped (through the mapper) and in refusing gst_allocator_alloc
// (a gralloc buffer comes from the pool, never from a bare size).
struct GstGrallocDmaBufAllocator {
  GstDmaBufAllocator parent;
};
struct GstGrallocDmaBufAllocatorClass {
  GstDmaBufAllocatorClass parent_class;
};
struct GstGrallocFdAllocator {
  GstFdAllocator parent;
};
struct GstGrallocFdAllocatorClass {
  GstFdAllocatorClass parent_class;
};

G_DEFINE_TYPE(GstGrallocDmaBufAllocator, gst_gralloc_dmabuf_allocator,
              GST_TYPE_DMABUF_ALLOCATOR)
G_DEFINE_TYPE(GstGrallocFdAllocator, gst_gralloc_fd_allocator,
              GST_TYPE_FD_ALLOCATOR)

AIMapper* LoadMapper() {
  static AIMapper* const mapper = [] {
    AIMapper* loaded = nullptr;
    return AIMapper_loadIMapper(&loaded) == AIMAPPER_ERROR_NONE ? loaded
                                                                : nullptr;
  }();
  return mapper;
}

GQuark BufferQuark() {
  static const GQuark quark = g_quark_from_static_string("gralloc-buffer");
  return quark;
}

// The qdata of a gralloc memory: the import and, through the service, the
// connection to tell at free.
struct BufferState {
  gralloc::gst::GrallocBufferRef ref;
  std::shared_ptr<gralloc::AllocatorApi> allocator;
};

void FreeBufferState(gpointer data) {
  auto* state = static_cast<BufferState*>(data);
  if (AIMapper* mapper = LoadMapper()) {
    const AIMapper_Error error = mapper->v5.freeBuffer(state->ref.imported);
    if (error != AIMAPPER_ERROR_NONE) {
      GST_ERROR("freeBuffer of buffer 0x%" G_GINT64_MODIFIER "x: error %d",
                state->ref.info.buffer_id, error);
    }
  }
  if (state->allocator != nullptr) {
    // NotFound when the service already saw the memory go, or restarted.
    const absl::Status released =
        state->allocator->Release(state->ref.info.buffer_id);
    if (!released.ok() && !absl::IsNotFound(released)) {
      GST_WARNING("release of buffer 0x%" G_GINT64_MODIFIER "x: %s",
                  state->ref.info.buffer_id,
                  std::string(released.message()).c_str());
    }
  }
  delete state;
}

BufferState* StateOf(GstMemory* memory) {
  while (memory->parent != nullptr) memory = memory->parent;
  return static_cast<BufferState*>(
      gst_mini_object_get_qdata(GST_MINI_OBJECT_CAST(memory), BufferQuark()));
}

gpointer MapFull(GstMemory* memory, GstMapInfo* info, gsize /*maxsize*/) {
  BufferState* state = StateOf(memory);
  AIMapper* mapper = LoadMapper();
  if (state == nullptr || mapper == nullptr) return nullptr;
  const uint64_t usage = state->ref.info.usage;
  uint64_t cpu_usage = 0;
  if ((info->flags & GST_MAP_READ) != 0) {
    cpu_usage |=
        usage & gralloc::UsageValue(gralloc::BufferUsage::CPU_READ_MASK);
    if (cpu_usage == 0) {
      GST_ERROR("buffer 0x%" G_GINT64_MODIFIER
                "x was allocated without CPU_READ_*: it cannot be mapped for "
                "reading",
                state->ref.info.buffer_id);
      return nullptr;
    }
  }
  if ((info->flags & GST_MAP_WRITE) != 0) {
    const uint64_t write =
        usage & gralloc::UsageValue(gralloc::BufferUsage::CPU_WRITE_MASK);
    if (write == 0) {
      GST_ERROR("buffer 0x%" G_GINT64_MODIFIER
                "x was allocated without CPU_WRITE_*: it cannot be mapped for "
                "writing",
                state->ref.info.buffer_id);
      return nullptr;
    }
    cpu_usage |= write;
  }
  void* data = nullptr;
  // An all-zero region is the whole buffer; no acquire fence (-1).
  const AIMapper_Error error = mapper->v5.lock(state->ref.imported, cpu_usage,
                                               ARect{0, 0, 0, 0}, -1, &data);
  if (error != AIMAPPER_ERROR_NONE) {
    GST_ERROR("lock of buffer 0x%" G_GINT64_MODIFIER "x: error %d",
              state->ref.info.buffer_id, error);
    return nullptr;
  }
  return data;
}

void UnmapFull(GstMemory* memory, GstMapInfo* /*info*/) {
  BufferState* state = StateOf(memory);
  AIMapper* mapper = LoadMapper();
  if (state == nullptr || mapper == nullptr) return;
  int release_fence = -1;
  const AIMapper_Error error =
      mapper->v5.unlock(state->ref.imported, &release_fence);
  if (error != AIMAPPER_ERROR_NONE) {
    GST_ERROR("unlock of buffer 0x%" G_GINT64_MODIFIER "x: error %d",
              state->ref.info.buffer_id, error);
  }
  if (release_fence >= 0) {
    // The CPU is done when unlock returns, so the mapper gives -1; a fence
    // from another mapper is waited for, since GStreamer has no way to
    // carry it on.
    pollfd fd{release_fence, POLLIN, 0};
    while (poll(&fd, 1, -1) < 0 && errno == EINTR) {
    }
    close(release_fence);
  }
}

void InstallMapper(GstAllocator* allocator) {
  allocator->mem_map_full = MapFull;
  allocator->mem_unmap_full = UnmapFull;
  GST_OBJECT_FLAG_SET(allocator, GST_ALLOCATOR_FLAG_CUSTOM_ALLOC);
}

void gst_gralloc_dmabuf_allocator_class_init(
    GstGrallocDmaBufAllocatorClass* /*klass*/) {}
void gst_gralloc_dmabuf_allocator_init(GstGrallocDmaBufAllocator* self) {
  InstallMapper(GST_ALLOCATOR_CAST(self));
}
void gst_gralloc_fd_allocator_class_init(
    GstGrallocFdAllocatorClass* /*klass*/) {}
void gst_gralloc_fd_allocator_init(GstGrallocFdAllocator* self) {
  InstallMapper(GST_ALLOCATOR_CAST(self));
}

GstAllocator* NewAllocator(GType type) {
  GST_DEBUG_CATEGORY_INIT(gralloc_memory_debug, "grallocmemory", 0,
                          "gralloc buffers as GstMemory");
  auto* allocator = static_cast<GstAllocator*>(g_object_new(type, nullptr));
  gst_object_ref_sink(allocator);
  // Process-wide, like GStreamer's own default allocators.
  GST_OBJECT_FLAG_SET(allocator, GST_OBJECT_FLAG_MAY_BE_LEAKED);
  return allocator;
}

}  // namespace

namespace gralloc::gst {

GstAllocator* AllocatorForBackend(HandleBackend backend) {
  static GstAllocator* const dmabuf =
      NewAllocator(gst_gralloc_dmabuf_allocator_get_type());
  static GstAllocator* const fd =
      NewAllocator(gst_gralloc_fd_allocator_get_type());
  return backend == HandleBackend::kMemfd ? fd : dmabuf;
}

absl::StatusOr<GstMemory*> WrapBuffer(AllocatedBuffer buffer,
                                      uint64_t size_bytes,
                                      std::shared_ptr<AllocatorApi> allocator) {
  AIMapper* mapper = LoadMapper();
  if (mapper == nullptr) {
    return absl::UnavailableError("AIMapper_loadIMapper failed");
  }
  if (size_bytes > buffer.info.allocation_size) {
    return absl::InvalidArgumentError(
        absl::StrCat("a buffer of ", buffer.info.allocation_size,
                     " bytes cannot hold ", size_bytes));
  }
  buffer_handle_t imported = nullptr;
  const AIMapper_Error error =
      mapper->v5.importBuffer(buffer.handle.get(), &imported);
  if (error != AIMAPPER_ERROR_NONE) {
    return absl::InvalidArgumentError(
        absl::StrCat("importBuffer of buffer 0x",
                     absl::Hex(buffer.info.buffer_id), ": error ", error));
  }
  buffer.handle.reset();  // the import holds its own fds
  auto* state = new BufferState{{imported, buffer.info}, std::move(allocator)};
  GstAllocator* gst_allocator = AllocatorForBackend(buffer.info.backend);
  const int fd = HandleBufferFd(imported);
  const gsize allocation_size = static_cast<gsize>(buffer.info.allocation_size);
  GstMemory* memory =
      buffer.info.backend == HandleBackend::kMemfd
          ? gst_fd_allocator_alloc(gst_allocator, fd, allocation_size,
                                   GST_FD_MEMORY_FLAG_DONT_CLOSE)
          : gst_dmabuf_allocator_alloc_with_flags(
                gst_allocator, fd, allocation_size,
                GST_FD_MEMORY_FLAG_DONT_CLOSE);
  if (memory == nullptr) {
    FreeBufferState(state);
    return absl::InternalError("GStreamer could not wrap the buffer's fd");
  }
  gst_mini_object_set_qdata(GST_MINI_OBJECT_CAST(memory), BufferQuark(), state,
                            FreeBufferState);
  gst_memory_resize(memory, 0, static_cast<gsize>(size_bytes));
  return memory;
}

absl::Status SetEncodedMetadata(const GrallocBufferRef& buffer,
                                StandardMetadataType type,
                                const std::vector<uint8_t>& encoded) {
  AIMapper* mapper = LoadMapper();
  if (mapper == nullptr) {
    return absl::UnavailableError("AIMapper_loadIMapper failed");
  }
  const AIMapper_Error error = mapper->v5.setStandardMetadata(
      buffer.imported, static_cast<int64_t>(type), encoded.data(),
      encoded.size());
  if (error != AIMAPPER_ERROR_NONE) {
    return absl::InvalidArgumentError(absl::StrCat(
        "setStandardMetadata(", static_cast<int64_t>(type), ") of buffer 0x",
        absl::Hex(buffer.info.buffer_id), ": error ", error));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<uint8_t>> GetEncodedMetadata(
    const GrallocBufferRef& buffer, StandardMetadataType type) {
  AIMapper* mapper = LoadMapper();
  if (mapper == nullptr) {
    return absl::UnavailableError("AIMapper_loadIMapper failed");
  }
  std::vector<uint8_t> encoded;
  // The size first, then the bytes; a value that grows in between (another
  // process set it) is asked again.
  for (int attempt = 0; attempt < 4; ++attempt) {
    const int32_t size = mapper->v5.getStandardMetadata(
        buffer.imported, static_cast<int64_t>(type), encoded.data(),
        encoded.size());
    if (size < 0) {
      return absl::InvalidArgumentError(absl::StrCat(
          "getStandardMetadata(", static_cast<int64_t>(type), ") of buffer 0x",
          absl::Hex(buffer.info.buffer_id), ": error ", -size));
    }
    if (static_cast<size_t>(size) <= encoded.size()) {
      encoded.resize(static_cast<size_t>(size));
      return encoded;
    }
    encoded.resize(static_cast<size_t>(size));
  }
  return absl::UnavailableError("the metadata kept changing size");
}

const GrallocBufferRef* GrallocBufferOf(GstMemory* memory) {
  if (memory == nullptr) return nullptr;
  BufferState* state = StateOf(memory);
  return state != nullptr ? &state->ref : nullptr;
}

}  // namespace gralloc::gst
