// Copyright 2026 The gralloc for Linux Authors.
//
// Bug class: forged or reused buffer ids. A BUFFER_ID names a record in
// the service; only the process that allocated a buffer may release its
// record, only its user (or a privileged one) may find it by id, a
// released id stays released, and ids never repeat. Against the real
// service.

#include <sys/wait.h>
#include <unistd.h>

#include <memory>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "allocator/allocator.h"
#include "allocator/client/service_client.h"
#include "gtest/gtest.h"
#include "hal/base/status_matchers.h"
#include "hal/handle/buffer_handle.h"
#include "hal/types/buffer_usage.h"
#include "hal/types/pixel_format.h"
#include "tests/integration/service_process.h"

namespace gralloc::testing {
namespace {

constexpr uint64_t kRead = UsageValue(BufferUsage::CPU_READ_OFTEN);

BufferDescriptorInfo Cpu() {
  BufferDescriptorInfo d;
  d.name = "forged-ids";
  d.width = 16;
  d.height = 16;
  d.layer_count = 1;
  d.format = FormatValue(PixelFormat::RGBA_8888);
  d.usage = kRead | UsageValue(BufferUsage::CPU_WRITE_OFTEN);
  return d;
}

class ForgedOrReusedBufferIdsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK_AND_ASSIGN(
        service_, ServiceProcess::Start(ShortSocketDir() + "/a.sock", {}));
    ASSERT_OK_AND_ASSIGN(client_,
                         ServiceClient::Connect(service_->socket_path()));
    ASSERT_OK_AND_ASSIGN(allocation_, client_->Allocate(Cpu(), 4));
    for (const AllocatedBuffer& buffer : allocation_.buffers) {
      ASSERT_OK_AND_ASSIGN(HandleInfo info, DecodeHandle(buffer.handle.get()));
      ids_.push_back(info.buffer_id);
    }
  }
  std::unique_ptr<ServiceProcess> service_;
  std::unique_ptr<ServiceClient> client_;
  Allocation allocation_;
  std::vector<uint64_t> ids_;
};

TEST_F(ForgedOrReusedBufferIdsTest, AnotherProcessCannotReleaseThem) {
  const std::string socket = service_->socket_path();
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    absl::StatusOr<std::unique_ptr<ServiceClient>> other =
        ServiceClient::Connect(socket);
    if (!other.ok()) _exit(2);
    absl::StatusOr<uint32_t> released = (*other)->Release(ids_);
    _exit(released.ok() && *released == 0 ? 0 : 1);
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  ASSERT_OK_AND_ASSIGN(std::vector<service::ListEntry> list, client_->List());
  EXPECT_EQ(list.size(), ids_.size());
}

TEST_F(ForgedOrReusedBufferIdsTest, GuessedIdsFindNothing) {
  std::mt19937_64 random(20261126);
  std::vector<uint64_t> guesses = {0, 1, ~uint64_t{0}, ids_[0] + 1,
                                   ids_[0] - 1};
  while (guesses.size() < 256) guesses.push_back(random());
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<ServiceClient> other,
                       ServiceClient::Connect(service_->socket_path()));
  // The same process, so only existence could make a guess count.
  ASSERT_OK_AND_ASSIGN(uint32_t released, client_->Release(guesses));
  EXPECT_EQ(released, 0u);
  for (size_t i = 0; i < 8; ++i) {
    EXPECT_THAT(other->ServesRecord(guesses[i], kRead).status(),
                StatusIs(absl::StatusCode::kNotFound));
  }
}

TEST_F(ForgedOrReusedBufferIdsTest, AReleasedIdStaysReleasedAndIdsNeverRepeat) {
  ASSERT_THAT(client_->Release(ids_[0]), IsOk());
  EXPECT_THAT(client_->Release(ids_[0]), StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(client_->ServesRecord(ids_[0], kRead).status(),
              StatusIs(absl::StatusCode::kNotFound));
  std::set<uint64_t> seen(ids_.begin(), ids_.end());
  for (int i = 0; i < 50; ++i) {
    ASSERT_OK_AND_ASSIGN(Allocation allocation, client_->Allocate(Cpu(), 1));
    ASSERT_OK_AND_ASSIGN(HandleInfo info,
                         DecodeHandle(allocation.buffers[0].handle.get()));
    EXPECT_TRUE(seen.insert(info.buffer_id).second) << info.buffer_id;
  }
}

}  // namespace
}  // namespace gralloc::testing
