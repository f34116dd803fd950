// Copyright 2026 The gralloc for Linux Authors.
//
// A forked child receives a handle over a Unix socket (SCM_RIGHTS), imports
// it, writes pixels under a lock and sets DATASPACE; the parent sees both.
// Forked children race to import a blank buffer first.

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "android/hardware/graphics/mapper/IMapper.h"
#include "gtest/gtest.h"
#include "hal/base/status_matchers.h"
#include "hal/base/unique_fd.h"
#include "hal/handle/buffer_handle.h"
#include "hal/metadata/metadata_codec.h"
#include "hal/metadata/metadata_types.h"
#include "mapper/testing/buffer_factory.h"

namespace gralloc {
namespace {

using ::gralloc::testing::kCpuReadWrite;
using ::gralloc::testing::MakeTestBuffer;
using ::gralloc::testing::TestBuffer;

constexpr ARect kWholeBuffer{0, 0, 0, 0};

// Sends the handle's ints as bytes and its fds as SCM_RIGHTS.
bool SendHandle(int socket, const native_handle_t* handle) {
  std::vector<int> ints(&handle->data[handle->numFds],
                        &handle->data[handle->numFds + handle->numInts]);
  iovec iov{ints.data(), ints.size() * sizeof(int)};
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int) * kHandleNumFds)] = {};
  msghdr msg{};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control;
  msg.msg_controllen = sizeof(control);
  cmsghdr* cmsg = CMSG_FIRSTHDR(&msg);
  cmsg->cmsg_level = SOL_SOCKET;
  cmsg->cmsg_type = SCM_RIGHTS;
  cmsg->cmsg_len = CMSG_LEN(sizeof(int) * handle->numFds);
  std::memcpy(CMSG_DATA(cmsg), handle->data, sizeof(int) * handle->numFds);
  return sendmsg(socket, &msg, 0) == static_cast<ssize_t>(iov.iov_len);
}

// Receives what SendHandle() sent into a new handle that owns the fds.
NativeHandlePtr ReceiveHandle(int socket) {
  NativeHandlePtr handle(native_handle_create(kHandleNumFds, kHandleNumInts));
  if (handle == nullptr) return nullptr;
  iovec iov{&handle->data[kHandleNumFds], sizeof(int) * kHandleNumInts};
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int) * kHandleNumFds)] = {};
  msghdr msg{};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control;
  msg.msg_controllen = sizeof(control);
  for (int i = 0; i < kHandleNumFds; ++i) handle->data[i] = -1;
  if (recvmsg(socket, &msg, MSG_CMSG_CLOEXEC) !=
      static_cast<ssize_t>(iov.iov_len)) {
    return nullptr;
  }
  cmsghdr* cmsg = CMSG_FIRSTHDR(&msg);
  if (cmsg == nullptr || cmsg->cmsg_type != SCM_RIGHTS ||
      cmsg->cmsg_len != CMSG_LEN(sizeof(int) * kHandleNumFds)) {
    return nullptr;
  }
  std::memcpy(handle->data, CMSG_DATA(cmsg), sizeof(int) * kHandleNumFds);
  return handle;
}

// The child: import, write 0x5a over the whole buffer, set DATASPACE.
int ChildMain(int socket) {
  AIMapper* mapper = nullptr;
  if (AIMapper_loadIMapper(&mapper) != AIMAPPER_ERROR_NONE) return 10;
  NativeHandlePtr raw = ReceiveHandle(socket);
  if (raw == nullptr) return 11;
  buffer_handle_t imported = nullptr;
  if (mapper->v5.importBuffer(raw.get(), &imported) != AIMAPPER_ERROR_NONE) {
    return 12;
  }
  raw.reset();  // the import holds its own fds
  void* data = nullptr;
  if (mapper->v5.lock(imported, kCpuReadWrite, kWholeBuffer, -1, &data) !=
      AIMAPPER_ERROR_NONE) {
    return 13;
  }
  uint64_t size = 0;
  uint8_t bytes[256];
  const int32_t got = mapper->v5.getStandardMetadata(
      imported, static_cast<int64_t>(StandardMetadataType::ALLOCATION_SIZE),
      bytes, sizeof(bytes));
  if (got <= 0) return 14;
  size = *DecodeMetadata<StandardMetadataType::ALLOCATION_SIZE>(
      bytes, static_cast<size_t>(got));
  std::memset(data, 0x5a, size);
  int fence = 0;
  if (mapper->v5.unlock(imported, &fence) != AIMAPPER_ERROR_NONE) return 15;
  const size_t encoded = EncodeMetadata<StandardMetadataType::DATASPACE>(
      Dataspace::BT2020_PQ, bytes, sizeof(bytes));
  if (mapper->v5.setStandardMetadata(
          imported, static_cast<int64_t>(StandardMetadataType::DATASPACE),
          bytes, encoded) != AIMAPPER_ERROR_NONE) {
    return 16;
  }
  if (mapper->v5.freeBuffer(imported) != AIMAPPER_ERROR_NONE) return 17;
  const char done = 'd';
  if (write(socket, &done, 1) != 1) return 18;
  return 0;
}

TEST(CrossProcessTest, ChildWritesAndSetsMetadataParentSeesBoth) {
  int sockets[2];
  ASSERT_EQ(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sockets), 0);
  UniqueFd parent_socket(sockets[0]);
  UniqueFd child_socket(sockets[1]);
  // Fork before this process imports anything, so the child's mapper starts
  // empty and really maps the buffer itself.
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    parent_socket.reset();
    _exit(ChildMain(child_socket.get()));
  }
  child_socket.reset();

  AIMapper* mapper = nullptr;
  ASSERT_EQ(AIMapper_loadIMapper(&mapper), AIMAPPER_ERROR_NONE);
  ASSERT_OK_AND_ASSIGN(TestBuffer buffer, MakeTestBuffer());
  buffer_handle_t imported = nullptr;
  ASSERT_EQ(mapper->v5.importBuffer(buffer.handle.get(), &imported),
            AIMAPPER_ERROR_NONE);
  ASSERT_TRUE(SendHandle(parent_socket.get(), buffer.handle.get()));
  char done = 0;
  EXPECT_EQ(read(parent_socket.get(), &done, 1), 1);
  int wstatus = 0;
  ASSERT_EQ(waitpid(pid, &wstatus, 0), pid);
  ASSERT_TRUE(WIFEXITED(wstatus));
  ASSERT_EQ(WEXITSTATUS(wstatus), 0);

  void* data = nullptr;
  ASSERT_EQ(mapper->v5.lock(imported, kCpuReadWrite, kWholeBuffer, -1, &data),
            AIMAPPER_ERROR_NONE);
  const uint8_t* pixels = static_cast<const uint8_t*>(data);
  for (uint64_t i = 0; i < buffer.info.allocation_size; i += 97) {
    ASSERT_EQ(pixels[i], 0x5a) << i;
  }
  EXPECT_EQ(pixels[buffer.info.allocation_size - 1], 0x5a);
  int fence = 0;
  EXPECT_EQ(mapper->v5.unlock(imported, &fence), AIMAPPER_ERROR_NONE);

  uint8_t bytes[256];
  const int32_t got = mapper->v5.getStandardMetadata(
      imported, static_cast<int64_t>(StandardMetadataType::DATASPACE), bytes,
      sizeof(bytes));
  ASSERT_GT(got, 0);
  EXPECT_EQ(*DecodeMetadata<StandardMetadataType::DATASPACE>(
                bytes, static_cast<size_t>(got)),
            Dataspace::BT2020_PQ);
  EXPECT_EQ(mapper->v5.freeBuffer(imported), AIMAPPER_ERROR_NONE);
}

// The buffer's NAME as `mapper` reads it through `imported`, or "" on error.
std::string NameOf(AIMapper* mapper, buffer_handle_t imported) {
  uint8_t bytes[256];
  const int32_t got = mapper->v5.getStandardMetadata(
      imported, static_cast<int64_t>(StandardMetadataType::NAME), bytes,
      sizeof(bytes));
  if (got <= 0 || static_cast<size_t>(got) > sizeof(bytes)) return "";
  return DecodeMetadata<StandardMetadataType::NAME>(bytes,
                                                    static_cast<size_t>(got))
      .value_or("");
}

// Processes that import a blank buffer at the same moment: one writes the
// header (hal/metadata/shared_metadata.h), every one reads the same.
TEST(CrossProcessTest, ProcessesImportingABlankBufferAtOnceAgree) {
  testing::TestBufferSpec spec;
  spec.name = "raced";
  ASSERT_OK_AND_ASSIGN(TestBuffer buffer, MakeTestBuffer(spec));
  int go[2];
  ASSERT_EQ(pipe2(go, O_CLOEXEC), 0);
  std::vector<pid_t> children;
  for (int i = 0; i < 4; ++i) {
    const pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      close(go[1]);
      AIMapper* mapper = nullptr;
      if (AIMapper_loadIMapper(&mapper) != AIMAPPER_ERROR_NONE) _exit(10);
      char byte = 0;
      if (read(go[0], &byte, 1) != 0) _exit(11);  // released at EOF
      buffer_handle_t imported = nullptr;
      if (mapper->v5.importBuffer(buffer.handle.get(), &imported) !=
          AIMAPPER_ERROR_NONE) {
        _exit(12);
      }
      if (NameOf(mapper, imported) != "raced") _exit(13);
      _exit(mapper->v5.freeBuffer(imported) == AIMAPPER_ERROR_NONE ? 0 : 14);
    }
    children.push_back(pid);
  }
  close(go[0]);
  close(go[1]);  // all children start importing
  for (const pid_t pid : children) {
    int wstatus = 0;
    ASSERT_EQ(waitpid(pid, &wstatus, 0), pid);
    EXPECT_TRUE(WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 0) << wstatus;
  }
  AIMapper* mapper = nullptr;
  ASSERT_EQ(AIMapper_loadIMapper(&mapper), AIMAPPER_ERROR_NONE);
  buffer_handle_t imported = nullptr;
  ASSERT_EQ(mapper->v5.importBuffer(buffer.handle.get(), &imported),
            AIMAPPER_ERROR_NONE);
  EXPECT_EQ(NameOf(mapper, imported), "raced");
  EXPECT_EQ(mapper->v5.freeBuffer(imported), AIMAPPER_ERROR_NONE);
}

}  // namespace
}  // namespace gralloc
