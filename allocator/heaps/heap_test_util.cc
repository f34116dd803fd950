// Copyright 2026 The gralloc for Linux Authors.

#include "allocator/heaps/heap_test_util.h"

#include <fcntl.h>
#include <linux/dma-buf.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "hal/base/ioctl.h"
#include "hal/base/unique_fd.h"

namespace gralloc::testing {

int64_t FdSizeBytes(int fd) {
  const off_t end = lseek(fd, 0, SEEK_END);
  if (end < 0) return -1;
  lseek(fd, 0, SEEK_SET);
  return end;
}

::testing::AssertionResult MappingIsZeroedAndWritable(int fd,
                                                      uint64_t size_bytes) {
  void* address =
      mmap(nullptr, size_bytes, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  if (address == MAP_FAILED) {
    return ::testing::AssertionFailure()
           << "mmap of " << size_bytes << " bytes: " << std::strerror(errno);
  }
  auto* bytes = static_cast<volatile uint8_t*>(address);
  ::testing::AssertionResult result = ::testing::AssertionSuccess();
  for (uint64_t i = 0; i < size_bytes; ++i) {
    if (bytes[i] != 0) {
      result = ::testing::AssertionFailure()
               << "byte " << i << " is " << static_cast<int>(bytes[i])
               << ", not 0";
      break;
    }
  }
  if (result) {
    for (uint64_t i = 0; i < size_bytes; i += 512) {
      bytes[i] = static_cast<uint8_t>(i / 512 + 1);
    }
    for (uint64_t i = 0; i < size_bytes; i += 512) {
      if (bytes[i] != static_cast<uint8_t>(i / 512 + 1)) {
        result = ::testing::AssertionFailure()
                 << "byte " << i << " did not keep what was written";
        break;
      }
    }
  }
  munmap(address, size_bytes);
  return result;
}

::testing::AssertionResult SyncStartEndSucceeds(int fd) {
  for (uint64_t phase :
       {uint64_t{DMA_BUF_SYNC_START}, uint64_t{DMA_BUF_SYNC_END}}) {
    dma_buf_sync sync = {};
    sync.flags = phase | DMA_BUF_SYNC_RW;
    if (RetryIoctl(fd, DMA_BUF_IOCTL_SYNC, &sync) == -1) {
      return ::testing::AssertionFailure()
             << "DMA_BUF_IOCTL_SYNC "
             << (phase == DMA_BUF_SYNC_START ? "START" : "END") << ": "
             << std::strerror(errno);
    }
  }
  return ::testing::AssertionSuccess();
}

std::string FdinfoValue(int fd, absl::string_view key) {
  std::ifstream in(absl::StrCat("/proc/self/fdinfo/", fd));
  std::string line;
  while (std::getline(in, line)) {
    absl::string_view rest = line;
    if (absl::ConsumePrefix(&rest, key) && absl::ConsumePrefix(&rest, ":")) {
      return std::string(absl::StripAsciiWhitespace(rest));
    }
  }
  return "<absent>";
}

void ExpectGoodDmaBuf(const HeapBuffer& buffer,
                      absl::string_view expected_name) {
  ASSERT_TRUE(buffer.fd.valid());
  EXPECT_EQ(FdSizeBytes(buffer.fd.get()),
            static_cast<int64_t>(buffer.size_bytes));
  EXPECT_TRUE(MappingIsZeroedAndWritable(buffer.fd.get(), buffer.size_bytes));
  EXPECT_TRUE(SyncStartEndSucceeds(buffer.fd.get()));
  EXPECT_EQ(FdinfoValue(buffer.fd.get(), "name"), expected_name);
  const int fd_flags = fcntl(buffer.fd.get(), F_GETFD);
  EXPECT_TRUE(fd_flags >= 0 && (fd_flags & FD_CLOEXEC) != 0)
      << "the dma-buf must be close-on-exec";
  EXPECT_EQ(fcntl(buffer.fd.get(), F_GETFL) & O_ACCMODE, O_RDWR);
}

std::string MakeTempDir() {
  const char* root = std::getenv("TEST_TMPDIR");
  std::string templ =
      absl::StrCat(root != nullptr ? root : "/tmp", "/devroot-XXXXXX");
  if (mkdtemp(templ.data()) == nullptr) {
    ADD_FAILURE() << "mkdtemp " << templ << ": " << std::strerror(errno);
  }
  return templ;
}

void MakeDir(const std::string& path) {
  ASSERT_EQ(mkdir(path.c_str(), 0755), 0)
      << "mkdir " << path << ": " << std::strerror(errno);
}

void MakeRegularFile(const std::string& path) {
  UniqueFd fd(open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644));
  ASSERT_TRUE(fd.valid()) << "create " << path << ": " << std::strerror(errno);
}

}  // namespace gralloc::testing
