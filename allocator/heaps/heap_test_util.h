// Copyright 2026 The gralloc for Linux Authors.
//
// allocator/heaps/heap_test_util.h: checks the heap tests share. Test-only.

#ifndef GRALLOC_ALLOCATOR_HEAPS_HEAP_TEST_UTIL_H_
#define GRALLOC_ALLOCATOR_HEAPS_HEAP_TEST_UTIL_H_

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"
#include "allocator/heaps/heap.h"
#include "gtest/gtest.h"

namespace gralloc::testing {

// The size of the file behind `fd` (lseek to the end), or -1.
int64_t FdSizeBytes(int fd);

// Maps all `size_bytes` of `fd` shared and read-write, checks every byte is
// zero, then writes a pattern and reads it back.
::testing::AssertionResult MappingIsZeroedAndWritable(int fd,
                                                      uint64_t size_bytes);

// DMA_BUF_IOCTL_SYNC START then END, both read-write.
::testing::AssertionResult SyncStartEndSucceeds(int fd);

// The value of `key` in /proc/self/fdinfo/<fd> ("name:\tcamera" gives
// "camera"), or "<absent>".
std::string FdinfoValue(int fd, absl::string_view key);

// Everything a fresh dma-buf from a heap must satisfy: the fd's size is
// buffer.size_bytes, the memory is zeroed and writable through mmap, cache
// sync START/END succeeds, and fdinfo shows `expected_name`.
void ExpectGoodDmaBuf(const HeapBuffer& buffer,
                      absl::string_view expected_name);

// A new empty directory under $TEST_TMPDIR (or /tmp), to act as a dev root.
std::string MakeTempDir();

// Creates directory `path` (mode 0755) or fails the test.
void MakeDir(const std::string& path);

// Creates an empty regular file at `path` or fails the test.
void MakeRegularFile(const std::string& path);

}  // namespace gralloc::testing

#endif  // GRALLOC_ALLOCATOR_HEAPS_HEAP_TEST_UTIL_H_
