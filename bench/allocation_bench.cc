// Copyright 2026 The gralloc for Linux Authors.
//
// Allocation, negotiation, import and lock latency, each beside the
// kernel's floor for the same work:
//
//   BM_KernelFloor_Memfd        memfd_create + ftruncate + seal + close:
//                               the least any memfd-backed buffer costs
//   BM_KernelFloor_DmaHeap      DMA_HEAP_IOCTL_ALLOC + close on
//                               /dev/dma_heap/system (skipped without one)
//   BM_Negotiate                isSupported: the negotiation alone
//   BM_Allocate                 a whole buffer: negotiation, pixel memory,
//                               metadata buffer, BUFFER_ID, handle
//   BM_ImportFree               AIMapper importBuffer + freeBuffer
//   BM_LockUnlock               AIMapper lock + unlock of an imported buffer
//
// Sizes: 64x64 RGBA_8888 and 1920x1080 YCBCR_420_888 (NV12).

#include <fcntl.h>
#include <linux/dma-heap.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <memory>

#include "allocator/allocator.h"
#include "allocator/heaps/heap_registry.h"
#include "allocator/heaps/memfd_heap.h"
#include "android/hardware/graphics/mapper/IMapper.h"
#include "benchmark/benchmark.h"
#include "hal/types/buffer_usage.h"
#include "hal/types/pixel_format.h"

namespace gralloc {
namespace {

constexpr uint64_t kCpuOften = 0x33;

BufferDescriptorInfo Descriptor(int64_t size_index) {
  BufferDescriptorInfo info;
  info.name = "bench";
  info.layer_count = 1;
  info.usage = kCpuOften;
  if (size_index == 0) {
    info.width = 64;
    info.height = 64;
    info.format = static_cast<int32_t>(PixelFormat::RGBA_8888);
  } else {
    info.width = 1920;
    info.height = 1080;
    info.format = static_cast<int32_t>(PixelFormat::YCBCR_420_888);
    info.usage |= static_cast<uint64_t>(BufferUsage::CAMERA_OUTPUT) |
                  static_cast<uint64_t>(BufferUsage::VIDEO_ENCODER);
  }
  return info;
}

uint64_t Bytes(int64_t size_index) {
  return size_index == 0 ? 64 * 64 * 4 : 1920 * 1088 * 3 / 2;
}

std::unique_ptr<Allocator>& TheAllocator() {
  static auto* allocator = new std::unique_ptr<Allocator>(
      std::move(Allocator::Create(BuiltinProfile(),
                                  HeapRegistry::Probe(ProbeOptions())))
          .value());
  return *allocator;
}

void BM_KernelFloor_Memfd(benchmark::State& state) {
  const uint64_t bytes = Bytes(state.range(0));
  for (auto _ : state) {
    int fd = memfd_create("floor", MFD_CLOEXEC | MFD_ALLOW_SEALING);
    if (fd < 0 || ftruncate(fd, static_cast<off_t>(bytes)) != 0 ||
        fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW) != 0) {
      state.SkipWithError("memfd failed");
      break;
    }
    close(fd);
  }
}
BENCHMARK(BM_KernelFloor_Memfd)->Arg(0)->Arg(1);

void BM_KernelFloor_DmaHeap(benchmark::State& state) {
  const int heap = open("/dev/dma_heap/system", O_RDONLY | O_CLOEXEC);
  if (heap < 0) {
    state.SkipWithError("no /dev/dma_heap/system on this machine");
    return;
  }
  for (auto _ : state) {
    dma_heap_allocation_data data = {};
    data.len = (Bytes(state.range(0)) + 4095) & ~uint64_t{4095};
    data.fd_flags = O_RDWR | O_CLOEXEC;
    if (ioctl(heap, DMA_HEAP_IOCTL_ALLOC, &data) != 0) {
      state.SkipWithError("DMA_HEAP_IOCTL_ALLOC failed");
      break;
    }
    close(static_cast<int>(data.fd));
  }
  close(heap);
}
BENCHMARK(BM_KernelFloor_DmaHeap)->Arg(0)->Arg(1);

void BM_Negotiate(benchmark::State& state) {
  const BufferDescriptorInfo info = Descriptor(state.range(0));
  for (auto _ : state) {
    benchmark::DoNotOptimize(TheAllocator()->IsSupported(info));
  }
}
BENCHMARK(BM_Negotiate)->Arg(0)->Arg(1);

void BM_Allocate(benchmark::State& state) {
  const BufferDescriptorInfo info = Descriptor(state.range(0));
  for (auto _ : state) {
    auto allocation = TheAllocator()->Allocate(info, 1);
    if (!allocation.ok()) {
      state.SkipWithError(std::string(allocation.status().message()).c_str());
      break;
    }
  }
  state.SetLabel(std::string(TheAllocator()->Explain(info).value().heap.name));
}
BENCHMARK(BM_Allocate)->Arg(0)->Arg(1);

void BM_ImportFree(benchmark::State& state) {
  AIMapper* mapper = nullptr;
  AIMapper_loadIMapper(&mapper);
  auto allocation = TheAllocator()->Allocate(Descriptor(state.range(0)), 1);
  const native_handle_t* raw = allocation->buffers[0].handle.get();
  for (auto _ : state) {
    buffer_handle_t buffer = nullptr;
    if (mapper->v5.importBuffer(raw, &buffer) != AIMAPPER_ERROR_NONE) {
      state.SkipWithError("import failed");
      break;
    }
    mapper->v5.freeBuffer(buffer);
  }
}
BENCHMARK(BM_ImportFree)->Arg(0)->Arg(1);

void BM_LockUnlock(benchmark::State& state) {
  AIMapper* mapper = nullptr;
  AIMapper_loadIMapper(&mapper);
  auto allocation = TheAllocator()->Allocate(Descriptor(state.range(0)), 1);
  buffer_handle_t buffer = nullptr;
  mapper->v5.importBuffer(allocation->buffers[0].handle.get(), &buffer);
  for (auto _ : state) {
    void* data = nullptr;
    int fence = -1;
    if (mapper->v5.lock(buffer, kCpuOften, ARect{0, 0, 0, 0}, -1, &data) !=
        AIMAPPER_ERROR_NONE) {
      state.SkipWithError("lock failed");
      break;
    }
    benchmark::DoNotOptimize(data);
    mapper->v5.unlock(buffer, &fence);
  }
  mapper->v5.freeBuffer(buffer);
}
BENCHMARK(BM_LockUnlock)->Arg(0)->Arg(1);

}  // namespace
}  // namespace gralloc

BENCHMARK_MAIN();
