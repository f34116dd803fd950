// Copyright 2026 The gralloc for Linux Authors.
//
// tests/vm/vm_test_util.h: what the real-kernel tests share. Test-only.
//
// These tests run for real inside the VM tier (tools/vm/run_vm.sh), whose
// kernel has dma-buf heaps, udmabuf, vkms, vgem, vivid and vim2m. On a
// machine without those devices every test skips, printing which device is
// missing, so `bazel test //...` on the host stays green and honest.
//
//   if (std::string node = FindVideoNode("vim2m"); node.empty()) {
//     GTEST_SKIP() << "no vim2m video node (not the VM tier's kernel)";
//   }
//   ASSERT_OK_AND_ASSIGN(std::unique_ptr<Allocator> allocator,
//                        MakeVmAllocator());

#ifndef GRALLOC_TESTS_VM_VM_TEST_UTIL_H_
#define GRALLOC_TESTS_VM_VM_TEST_UTIL_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "allocator/allocator.h"
#include "hal/base/unique_fd.h"
#include "hal/handle/buffer_handle.h"

namespace gralloc::vmtest {

// Whether `path` exists.
bool PathExists(const std::string& path);

// The /dev/video<N> whose sysfs name (/sys/class/video4linux/video<N>/name)
// is `sysfs_name` ("vivid-000-vid-cap", "vim2m"), or "" if none. Device
// numbers depend on probe order, so tests find nodes by name.
std::string FindVideoNode(absl::string_view sysfs_name);

// The /dev/dri/card<N> whose DRM driver is `driver_name` ("vkms", "vgem"),
// or "".
std::string FindDrmCard(absl::string_view driver_name);

// The value of `key` in /proc/self/fdinfo/<fd> ("exp_name:\tsystem" gives
// "system"), or "<absent>".
std::string FdinfoValue(int fd, absl::string_view key);

// The VM tier's platform profile (allocator/profiles/vm-virtual-devices.json,
// from the test's runfiles), refined by probing this machine's DRM and V4L2
// devices when `probe_devices`, with every heap the machine has.
absl::StatusOr<std::unique_ptr<Allocator>> MakeVmAllocator(
    bool probe_devices = true);

// One buffer from an allocator, with its decoded handle.
struct VmBuffer {
  NativeHandlePtr handle;
  HandleInfo info;
  int fd() const { return HandleBufferFd(handle.get()); }
};

// Allocates one buffer and decodes its handle.
absl::StatusOr<VmBuffer> AllocateOne(AllocatorApi& allocator,
                                     const BufferDescriptorInfo& descriptor);

// The directory for files a test leaves for people to look at:
// $GRALLOC_VM_ARTIFACTS (the VM's init sends it to the host), else Bazel's
// $TEST_UNDECLARED_OUTPUTS_DIR, else "" (nothing is written).
std::string ArtifactDir();

// Writes a binary PPM (P6) of `width` x `height` pixels, `rgb` holding 3
// bytes (R, G, B) per pixel, row after row.
absl::Status WritePpm(const std::string& path, int width, int height,
                      const std::vector<uint8_t>& rgb);

}  // namespace gralloc::vmtest

#endif  // GRALLOC_TESTS_VM_VM_TEST_UTIL_H_
