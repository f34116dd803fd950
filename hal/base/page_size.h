// Copyright 2026 The gralloc for Linux Authors.
//
// hal/base/page_size.h: the page size, and rounding to it.
//
// Every backend hands out whole pages, mappings are made in whole pages, and
// a buffer's start is page-aligned and nothing more is promised. The page
// size is the kernel's (sysconf), at least kMinPageSizeBytes on every Linux
// architecture, which is what negotiation may rely on before it knows the
// machine.
//
// Thread-safe.

#ifndef GRALLOC_HAL_BASE_PAGE_SIZE_H_
#define GRALLOC_HAL_BASE_PAGE_SIZE_H_

#include <unistd.h>

#include <cstdint>

namespace gralloc {

// The smallest page size Linux uses (4 KiB): the alignment every heap's
// memory is known to have, on any machine.
inline constexpr uint64_t kMinPageSizeBytes = 4096;

// This machine's page size in bytes (a power of two).
inline uint64_t PageSizeBytes() {
  static const uint64_t page_size_bytes = [] {
    const long value = sysconf(_SC_PAGESIZE);
    return value > 0 ? static_cast<uint64_t>(value) : kMinPageSizeBytes;
  }();
  return page_size_bytes;
}

// `size_bytes` rounded up to whole pages into `*out`; false if that
// overflows 64 bits.
inline bool RoundUpToPage(uint64_t size_bytes, uint64_t* out) {
  const uint64_t page = PageSizeBytes();
  uint64_t padded = 0;
  if (__builtin_add_overflow(size_bytes, page - 1, &padded)) return false;
  *out = padded / page * page;
  return true;
}

}  // namespace gralloc

#endif  // GRALLOC_HAL_BASE_PAGE_SIZE_H_
