// Copyright 2026 The gralloc for Linux Authors.
//
// The Mapper 5 C ABI (AIMapper_loadIMapper, linked in), each beside its
// floor:
//
//   ImportFree   importBuffer + freeBuffer of one allocated buffer's raw
//                handle: decode and check the handle and its fds, dup
//                them, map the metadata, and undo it all (FloorMap). The
//                pixels are mapped by the first lock, so:
//   ImportLockFree  importBuffer, lock + unlock (read-write), freeBuffer:
//                an importer that touches the pixels, the pixel mapping
//                included (FloorImport, which maps both)
//   Lock<V>      lock + unlock of an imported buffer, whole region, no
//                fence, usage CPU_READ_OFTEN, CPU_WRITE_OFTEN or both: on
//                a dma-buf the two DMA_BUF_IOCTL_SYNC calls and the
//                mapper's bookkeeping (FloorSync<V>, registered here,
//                just before, on the same buffer)
//   FirstWrite   what a producer's first frame costs: allocate, import,
//                lock for writing, memset every byte, unlock, free, drop
//                (FloorFirstWrite)

#include <unistd.h>

#include <cstring>

#include "absl/strings/str_cat.h"
#include "bench/suite.h"
#include "hal/base/status_macros.h"
#include "hal/types/buffer_usage.h"

namespace gralloc::bench {
namespace {

absl::Status MapperError(const char* call, AIMapper_Error error) {
  return absl::InternalError(
      absl::StrCat(call, " failed: AIMapper error ", static_cast<int>(error)));
}

absl::StatusOr<buffer_handle_t> Import(AIMapper* mapper,
                                       const native_handle_t* raw) {
  buffer_handle_t buffer = nullptr;
  if (const AIMapper_Error error = mapper->v5.importBuffer(raw, &buffer);
      error != AIMAPPER_ERROR_NONE) {
    return MapperError("importBuffer", error);
  }
  return buffer;
}

absl::StatusOr<void*> Lock(AIMapper* mapper, buffer_handle_t buffer,
                           uint64_t cpu_usage) {
  void* data = nullptr;
  if (const AIMapper_Error error = mapper->v5.lock(
          buffer, cpu_usage, ARect{0, 0, 0, 0}, /*acquireFence=*/-1, &data);
      error != AIMAPPER_ERROR_NONE) {
    return MapperError("lock", error);
  }
  return data;
}

absl::Status Unlock(AIMapper* mapper, buffer_handle_t buffer) {
  int release_fence = -1;
  if (const AIMapper_Error error = mapper->v5.unlock(buffer, &release_fence);
      error != AIMAPPER_ERROR_NONE) {
    return MapperError("unlock", error);
  }
  UniqueFd fence(release_fence);  // ours to close
  return absl::OkStatus();
}

// Frees an imported buffer at the end of a scope.
class ImportedBuffer final {
 public:
  ImportedBuffer(AIMapper* mapper, buffer_handle_t buffer)
      : mapper_(mapper), buffer_(buffer) {}
  ImportedBuffer(const ImportedBuffer&) = delete;
  ImportedBuffer& operator=(const ImportedBuffer&) = delete;
  ~ImportedBuffer() { mapper_->v5.freeBuffer(buffer_); }
  buffer_handle_t get() const { return buffer_; }

 private:
  AIMapper* const mapper_;
  const buffer_handle_t buffer_;
};

}  // namespace

void RegisterMapperRows(const Suite& suite, const BenchCase& bench_case) {
  const BenchCase* c = &bench_case;
  AIMapper* mapper = suite.mapper;

  // First the sync floors and the lock rows, which share one buffer
  // (SharedSyncBuffer): the floor syncs the very dma-buf the lock row
  // locks. The next row releases it.
  RegisterSyncFloorRows(suite, bench_case);
  for (const LockVariant& variant : LockVariants()) {
    const LockVariant* v = &variant;
    RegisterRow(
        suite, absl::StrCat("Lock", variant.name), bench_case,
        [c, v, mapper](benchmark::State& state) {
          absl::StatusOr<const AllocatedBuffer*> shared = SharedSyncBuffer(*c);
          if (!shared.ok()) return SkipRow(state, RowError(shared.status()));
          absl::StatusOr<buffer_handle_t> imported =
              Import(mapper, (*shared)->handle.get());
          if (!imported.ok()) {
            return SkipRow(state, RowError(imported.status()));
          }
          const ImportedBuffer buffer(mapper, *imported);
          RunTimed(state, *c, [&]() -> absl::Status {
            ASSIGN_OR_RETURN(void* data,
                             Lock(mapper, buffer.get(), v->cpu_usage));
            benchmark::DoNotOptimize(data);
            return Unlock(mapper, buffer.get());
          });
        },
        /*shares_sync_buffer=*/true);
  }

  RegisterRow(
      suite, "ImportFree", bench_case, [c, mapper](benchmark::State& state) {
        absl::StatusOr<Allocation> allocation =
            c->backend->allocator().Allocate(c->info, 1);
        if (!allocation.ok()) {
          return SkipRow(state, RowError(allocation.status()));
        }
        const native_handle_t* raw = allocation->buffers[0].handle.get();
        RunTimed(state, *c, [mapper, raw]() -> absl::Status {
          ASSIGN_OR_RETURN(buffer_handle_t buffer, Import(mapper, raw));
          if (const AIMapper_Error error = mapper->v5.freeBuffer(buffer);
              error != AIMAPPER_ERROR_NONE) {
            return MapperError("freeBuffer", error);
          }
          return absl::OkStatus();
        });
      });

  RegisterRow(
      suite, "ImportLockFree", bench_case,
      [c, mapper](benchmark::State& state) {
        absl::StatusOr<Allocation> allocation =
            c->backend->allocator().Allocate(c->info, 1);
        if (!allocation.ok()) {
          return SkipRow(state, RowError(allocation.status()));
        }
        const native_handle_t* raw = allocation->buffers[0].handle.get();
        const uint64_t read_write = UsageValue(BufferUsage::CPU_READ_OFTEN) |
                                    UsageValue(BufferUsage::CPU_WRITE_OFTEN);
        RunTimed(state, *c, [&]() -> absl::Status {
          ASSIGN_OR_RETURN(buffer_handle_t imported, Import(mapper, raw));
          const ImportedBuffer buffer(mapper, imported);
          ASSIGN_OR_RETURN(void* data, Lock(mapper, buffer.get(), read_write));
          benchmark::DoNotOptimize(data);
          return Unlock(mapper, buffer.get());
        });
      });

  RegisterRow(
      suite, "FirstWrite", bench_case, [c, mapper](benchmark::State& state) {
        const uint64_t write =
            static_cast<uint64_t>(BufferUsage::CPU_WRITE_OFTEN);
        RunTimed(state, *c, [&]() -> absl::Status {
          ASSIGN_OR_RETURN(Allocation allocation,
                           c->backend->allocator().Allocate(c->info, 1));
          ASSIGN_OR_RETURN(buffer_handle_t imported,
                           Import(mapper, allocation.buffers[0].handle.get()));
          const ImportedBuffer buffer(mapper, imported);
          ASSIGN_OR_RETURN(void* data, Lock(mapper, buffer.get(), write));
          std::memset(data, 0xa5, c->pixel_bytes);
          benchmark::ClobberMemory();
          return Unlock(mapper, buffer.get());
          // freed, then the allocation's fds closed
        });
      });
}

}  // namespace gralloc::bench
