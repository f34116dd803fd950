// Copyright 2026 The gralloc for Linux Authors.

#include "tools/inspect/proc_scan.h"

#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "hal/base/status_matchers.h"
#include "hal/base/unique_fd.h"
#include "tools/inspect/fake_proc_tree.h"
#include "tools/inspect/holdings.h"

namespace gralloc::inspect {
namespace {

using ::gralloc::testing::IsOk;
using ::gralloc::testing::StatusIs;
using ::testing::Contains;
using ::testing::ElementsAre;
using testing::FakeProcTree;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

constexpr uint64_t kPage = 4096;
constexpr uint64_t kFrameBytes = 115 * kPage;  // 460800 bytes: 640x480 NV12

class ProcScanTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/gralloc-inspect-XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    root_ = pattern;
    tree_ = std::make_unique<FakeProcTree>(root_);
  }
  void TearDown() override {
    std::error_code error;
    std::filesystem::remove_all(root_, error);
  }
  ScanOptions Options() const {
    ScanOptions options;
    options.proc_root = tree_->proc_root();
    options.sys_root = tree_->sys_root();
    return options;
  }
  const ProcessBuffers* FindProcess(const Snapshot& snapshot, pid_t pid) {
    for (const ProcessBuffers& process : snapshot.processes) {
      if (process.pid == pid) return &process;
    }
    return nullptr;
  }

  std::string root_;
  std::unique_ptr<FakeProcTree> tree_;
};

// The camera -> codec + display pipeline: the camera and codec map a frame
// and hold its fd, the display holds only the fd.
void AddPipeline(FakeProcTree& tree) {
  tree.AddProcess(100, "camera");
  tree.AddOtherFd(100, 0, "/dev/null");
  tree.AddOtherFd(100, 3, "socket:[991]");
  tree.AddDmaBufFd(100, 7, 5001, kFrameBytes, "system", "camera-frame", 5);
  tree.AddMapping(100, 0x7f0000000000, 0x7f0000000000 + kFrameBytes, 0, 0x0d,
                  5001, "/dmabuf:camera-frame");
  tree.AddProcess(200, "codec");
  tree.AddDmaBufFd(200, 4, 5001, kFrameBytes, "system", "camera-frame", 5);
  tree.AddMapping(200, 0x7e0000000000, 0x7e0000000000 + kFrameBytes, 0, 0x0d,
                  5001, "/dmabuf:camera-frame");
  tree.AddProcess(300, "display");
  tree.AddDmaBufFd(300, 9, 5001, kFrameBytes, "system", "camera-frame", 5);
  tree.AddProcess(400, "bash");
  tree.AddOtherFd(400, 0, "/dev/pts/0");
}

TEST_F(ProcScanTest, SharedBufferIsOneBufferWithThreeHolders) {
  AddPipeline(*tree_);
  absl::StatusOr<Snapshot> snapshot = ScanProcesses(Options());
  ASSERT_THAT(snapshot, IsOk());
  EXPECT_EQ(snapshot->processes_scanned, 4);
  EXPECT_THAT(snapshot->live_pids, ElementsAre(100, 200, 300, 400));
  ASSERT_EQ(snapshot->buffers.size(), 1u);
  const BufferInfo& frame = snapshot->buffers.begin()->second;
  EXPECT_EQ(frame.key, (BufferKey{true, 5001}));
  EXPECT_EQ(frame.name, "camera-frame");
  EXPECT_EQ(frame.exporter, "system");
  EXPECT_EQ(frame.size_bytes, kFrameBytes);
  EXPECT_EQ(frame.size_source, SizeSource::kKernel);
  EXPECT_EQ(frame.kernel_count, 5);
  EXPECT_EQ(frame.device, makedev(0, 0x0d));  // from maps
  // bash holds no buffer and is not listed.
  ASSERT_EQ(snapshot->processes.size(), 3u);
  EXPECT_EQ(snapshot->processes[0].comm, "camera");
  EXPECT_EQ(snapshot->processes[0].fds.size(), 1u);
  EXPECT_EQ(snapshot->processes[0].fds[0].fd, 7);
  EXPECT_EQ(snapshot->processes[2].maps.size(), 0u);

  const HoldingsReport report = SummarizeHoldings(*snapshot);
  EXPECT_DOUBLE_EQ(report.processes[0].pss_bytes, kFrameBytes / 2.0);
  EXPECT_DOUBLE_EQ(report.processes[1].pss_bytes, kFrameBytes / 2.0);
  EXPECT_EQ(report.processes[2].held_bytes, kFrameBytes);
  EXPECT_EQ(report.processes[2].rss_bytes, 0u);
  EXPECT_THAT(snapshot->notes, IsEmpty());
}

TEST_F(ProcScanTest, MappedOnlyDmaBufTakesItsSizeFromSysfs) {
  // The fd was closed after mmap: only the mapping keeps the buffer alive.
  tree_->AddProcess(10, "viewer");
  tree_->AddMapping(10, 0x1000000, 0x1000000 + 2 * kPage, 0, 0x0d, 77,
                    "/dmabuf:thumb");
  tree_->WriteFile("sys/kernel/dmabuf/buffers/77/size",
                   absl::StrCat(8 * kPage, "\n"));
  tree_->WriteFile("sys/kernel/dmabuf/buffers/77/exporter_name", "reserved\n");
  absl::StatusOr<Snapshot> snapshot = ScanProcesses(Options());
  ASSERT_THAT(snapshot, IsOk());
  const BufferInfo* thumb = snapshot->Find(BufferKey{true, 77});
  ASSERT_NE(thumb, nullptr);
  EXPECT_EQ(thumb->size_bytes, 8 * kPage);
  EXPECT_EQ(thumb->size_source, SizeSource::kKernel);
  EXPECT_EQ(thumb->exporter, "reserved");
  EXPECT_EQ(thumb->name, "thumb");
  const HoldingsReport report = SummarizeHoldings(*snapshot);
  EXPECT_EQ(report.processes[0].rss_bytes, 2 * kPage);
  EXPECT_EQ(report.processes[0].held_bytes, 8 * kPage);
  EXPECT_EQ(report.processes[0].holdings[0].fd_refs, 0);
  EXPECT_EQ(report.processes[0].holdings[0].map_refs, 1);
}

TEST_F(ProcScanTest, MappedOnlyMemfdIsSizedByItsMappingsAsALowerBound) {
  tree_->AddProcess(10, "cpu-filter");
  tree_->AddMapping(10, 0x1000000, 0x1000000 + 3 * kPage, kPage, 0x01, 88,
                    "/memfd:gralloc:filter-out (deleted)");
  absl::StatusOr<Snapshot> snapshot = ScanProcesses(Options());
  ASSERT_THAT(snapshot, IsOk());
  const BufferInfo* out = snapshot->Find(BufferKey{false, 88});
  ASSERT_NE(out, nullptr);
  EXPECT_EQ(out->kind, BufferKind::kMemfd);
  EXPECT_EQ(out->exporter, "memfd");
  EXPECT_EQ(out->size_bytes, 4 * kPage);
  EXPECT_EQ(out->size_source, SizeSource::kMappings);
}

TEST_F(ProcScanTest, FdOnlyBufferHasNoMappings) {
  tree_->AddProcess(10, "composer");
  tree_->AddDmaBufFd(10, 12, 99, 16 * kPage, "udmabuf", "", 1);
  tree_->AddMemfdFd(10, 13, 100, "gralloc-metadata");
  absl::StatusOr<Snapshot> snapshot = ScanProcesses(Options());
  ASSERT_THAT(snapshot, IsOk());
  ASSERT_EQ(snapshot->buffers.size(), 2u);
  const BufferInfo* pixels = snapshot->Find(BufferKey{true, 99});
  ASSERT_NE(pixels, nullptr);
  EXPECT_EQ(pixels->name, "");
  EXPECT_EQ(pixels->exporter, "udmabuf");
  const BufferInfo* metadata = snapshot->Find(BufferKey{false, 100});
  ASSERT_NE(metadata, nullptr);
  EXPECT_EQ(metadata->kind, BufferKind::kMetadata);
  EXPECT_TRUE(snapshot->processes[0].maps.empty());
  EXPECT_EQ(snapshot->processes[0].fds.size(), 2u);
}

TEST_F(ProcScanTest, OtherMemfdsAndFilesAreIgnored) {
  tree_->AddProcess(10, "weston");
  tree_->AddMemfdFd(10, 3, 5, "wayland-shm");
  tree_->AddOtherFd(10, 4, "/dev/dri/card0");
  tree_->AddMapping(10, 0x1000, 0x2000, 0, 0x01, 5,
                    "/memfd:wayland-shm (deleted)");
  absl::StatusOr<Snapshot> snapshot = ScanProcesses(Options());
  ASSERT_THAT(snapshot, IsOk());
  EXPECT_TRUE(snapshot->buffers.empty());
  EXPECT_TRUE(snapshot->processes.empty());
}

TEST_F(ProcScanTest, MalformedFdinfoAndMapsLinesAreNotedAndSkipped) {
  tree_->AddProcess(10, "odd-driver");
  tree_->AddDmaBufFd(10, 5, 61, kPage, "system", "a", 1);
  tree_->SetFdinfo(
      10, 5, "pos:\t0\nino:\t61\nsize:\tlots\ncount\nexp_name:\tsystem\n");
  tree_->AddMapsLine(10, "zzzz-1000 rw-s 00000000 00:0d 61 /dmabuf:a");
  tree_->AddMapping(10, 0x1000, 0x2000, 0, 0x0d, 61, "/dmabuf:a");
  absl::StatusOr<Snapshot> snapshot = ScanProcesses(Options());
  ASSERT_THAT(snapshot, IsOk());
  ASSERT_EQ(snapshot->buffers.size(), 1u);
  const BufferInfo& a = snapshot->buffers.begin()->second;
  EXPECT_EQ(a.exporter, "system");
  // No size in fdinfo, stat() of the dangling link fails: from mappings.
  EXPECT_EQ(a.size_bytes, kPage);
  EXPECT_EQ(a.size_source, SizeSource::kMappings);
  EXPECT_EQ(snapshot->processes[0].maps.size(), 1u);
  EXPECT_THAT(snapshot->notes,
              Contains(HasSubstr("fdinfo of pid 10 fd 5: line 3 'size:")));
  EXPECT_THAT(snapshot->notes,
              Contains(HasSubstr("fdinfo of pid 10 fd 5: line 4 'count'")));
  EXPECT_THAT(snapshot->notes,
              Contains(HasSubstr("maps of pid 10: line 1 is malformed")));
}

TEST_F(ProcScanTest, FdWithoutInodeIsNotedAndSkipped) {
  tree_->AddProcess(10, "old-kernel");
  tree_->AddDmaBufFd(10, 5, 61, kPage, "system", "a", 1);
  tree_->SetFdinfo(10, 5, "pos:\t0\nsize:\t4096\nexp_name:\tsystem\n");
  absl::StatusOr<Snapshot> snapshot = ScanProcesses(Options());
  ASSERT_THAT(snapshot, IsOk());
  EXPECT_TRUE(snapshot->buffers.empty());
  EXPECT_THAT(snapshot->notes, Contains(HasSubstr("no inode")));
}

TEST_F(ProcScanTest, ProcessesThatVanishMidScanAreSkippedQuietly) {
  AddPipeline(*tree_);
  tree_->AddProcess(500, "short-lived");
  tree_->AddDmaBufFd(500, 3, 7000, kPage, "system", "gone-with-it", 1);
  tree_->AddProcess(600, "exiting");
  tree_->AddDmaBufFd(600, 3, 7001, kPage, "system", "half-read", 1);
  ScanOptions options = Options();
  options.after_listing = [&] {
    // 500 exits between the listing and its read; 600 exits after its fds
    // were listed (its maps are gone).
    tree_->RemoveProcess(500);
    tree_->Remove("proc/600/maps");
  };
  absl::StatusOr<Snapshot> snapshot = ScanProcesses(options);
  ASSERT_THAT(snapshot, IsOk());
  EXPECT_EQ(snapshot->processes_scanned, 6);
  EXPECT_EQ(snapshot->processes_vanished, 2);
  EXPECT_THAT(snapshot->notes, IsEmpty());
  EXPECT_EQ(FindProcess(*snapshot, 500), nullptr);
  EXPECT_EQ(FindProcess(*snapshot, 600), nullptr);
  // Buffers only they held are not reported; the pipeline's still are.
  EXPECT_EQ(snapshot->Find(BufferKey{true, 7000}), nullptr);
  EXPECT_EQ(snapshot->Find(BufferKey{true, 7001}), nullptr);
  EXPECT_NE(snapshot->Find(BufferKey{true, 5001}), nullptr);
}

TEST_F(ProcScanTest, OneProcessOnly) {
  AddPipeline(*tree_);
  ScanOptions options = Options();
  options.pid = 200;
  absl::StatusOr<Snapshot> snapshot = ScanProcesses(options);
  ASSERT_THAT(snapshot, IsOk());
  EXPECT_EQ(snapshot->processes_scanned, 1);
  ASSERT_EQ(snapshot->processes.size(), 1u);
  EXPECT_EQ(snapshot->processes[0].comm, "codec");
  // Every process is still known to be alive.
  EXPECT_EQ(snapshot->live_pids.size(), 4u);
  options.pid = 12345;
  EXPECT_THAT(ScanProcesses(options), StatusIs(absl::StatusCode::kNotFound));
}

TEST_F(ProcScanTest, MissingRootIsAnErrorNotNothingFound) {
  ScanOptions options;
  options.proc_root = root_ + "/no-such-proc";
  EXPECT_THAT(ScanProcesses(options),
              StatusIs(absl::StatusCode::kFailedPrecondition));
}

TEST_F(ProcScanTest, NotesAreBounded) {
  tree_->AddProcess(10, "noisy");
  for (int i = 0; i < 30; ++i) {
    tree_->AddMapsLine(10, absl::StrCat("bad", i, " /dmabuf:x"));
  }
  ScanOptions options = Options();
  options.max_notes = 10;
  absl::StatusOr<Snapshot> snapshot = ScanProcesses(options);
  ASSERT_THAT(snapshot, IsOk());
  EXPECT_EQ(snapshot->notes.size(), 10u);
  EXPECT_EQ(snapshot->notes_dropped, 20u);
}

TEST_F(ProcScanTest, ScalesToFiveHundredProcessesOfFiftyFds) {
  // 500 processes with 50 fds each: 10 of them dma-bufs (of 100 buffers
  // shared round-robin), 2 of our memfds, the rest other files; every
  // dma-buf mapped once. Checks the result, not the time (the bench
  // //tools/inspect:proc_scan_bench times it).
  for (pid_t pid = 1000; pid < 1500; ++pid) {
    tree_->AddProcess(pid, "worker");
    for (int fd = 0; fd < 50; ++fd) {
      if (fd < 10) {
        const uint64_t inode = 10000 + (pid * 10 + fd) % 100;
        tree_->AddDmaBufFd(pid, fd, inode, 64 * kPage, "system", "shared", 50);
        tree_->AddMapping(pid, 0x100000000 + fd * 0x100000,
                          0x100000000 + fd * 0x100000 + 64 * kPage, 0, 0x0d,
                          inode, "/dmabuf:shared");
      } else if (fd < 12) {
        tree_->AddMemfdFd(pid, fd, 20000 + pid * 2 + (fd - 10),
                          "gralloc:private");
      } else {
        tree_->AddOtherFd(pid, fd,
                          absl::StrCat("socket:[", pid * 100 + fd, "]"));
      }
    }
  }
  absl::StatusOr<Snapshot> snapshot = ScanProcesses(Options());
  ASSERT_THAT(snapshot, IsOk());
  EXPECT_EQ(snapshot->processes.size(), 500u);
  EXPECT_EQ(snapshot->buffers.size(), 100u + 1000u);
  const HoldingsReport report = SummarizeHoldings(*snapshot);
  double pss = 0;
  for (const ProcessHoldings& process : report.processes) {
    pss += process.pss_bytes;
  }
  // Each dma-buf is fully mapped by someone: PSS adds up to their sizes.
  EXPECT_NEAR(pss, 100.0 * 64 * kPage, 1.0);
}

// The real /proc: this process's own memfd, named as our heap names its
// buffers, is found by fd and by mapping, with stat()'s size and inode.
TEST(ProcScanLiveTest, FindsOurOwnMemfdInTheRealProc) {
  UniqueFd fd(memfd_create("gralloc:live-scan-test", MFD_CLOEXEC));
  ASSERT_TRUE(fd.valid());
  ASSERT_EQ(ftruncate(fd.get(), 3 * kPage), 0);
  void* mapping =
      mmap(nullptr, 2 * kPage, PROT_READ, MAP_SHARED, fd.get(), kPage);
  ASSERT_NE(mapping, MAP_FAILED);
  struct stat st;
  ASSERT_EQ(fstat(fd.get(), &st), 0);

  ScanOptions options;
  options.pid = getpid();
  absl::StatusOr<Snapshot> snapshot = ScanProcesses(options);
  munmap(mapping, 2 * kPage);
  if (!snapshot.ok() && absl::IsNotFound(snapshot.status())) {
    GTEST_SKIP() << "this /proc does not list the test's own pid: "
                 << snapshot.status();
  }
  ASSERT_THAT(snapshot, IsOk());
  const BufferInfo* info = snapshot->Find(BufferKey{false, st.st_ino});
  ASSERT_NE(info, nullptr);
  EXPECT_EQ(info->name, "live-scan-test");
  EXPECT_EQ(info->size_bytes, 3 * kPage);
  EXPECT_EQ(info->size_source, SizeSource::kKernel);
  EXPECT_EQ(info->device, st.st_dev);
  ASSERT_EQ(snapshot->processes.size(), 1u);
  const HoldingsReport report = SummarizeHoldings(*snapshot);
  ASSERT_EQ(report.processes[0].holdings.size(), 1u);
  EXPECT_EQ(report.processes[0].holdings[0].fd_refs, 1);
  EXPECT_EQ(report.processes[0].holdings[0].map_refs, 1);
  EXPECT_EQ(report.processes[0].rss_bytes, 2 * kPage);
}

}  // namespace
}  // namespace gralloc::inspect
