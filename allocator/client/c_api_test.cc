// Copyright 2026 The gralloc for Linux Authors.
//
// The allocator's C ABI, every call, in-process and through the service:
// each test runs twice, once on GrallocAllocator_openInProcess() and once on
// GrallocAllocator_connect() to a service (a Server with the same platform,
// on a private socket), and must see the same results.

#include <chrono>
#include <cstring>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "allocator/client/open.h"
#include "allocator/client/service_client.h"
#include "allocator/service/server.h"
#include "gralloc/allocator.h"
#include "gtest/gtest.h"
#include "hal/base/fd_count.h"
#include "hal/base/short_temp_dir.h"
#include "hal/handle/buffer_handle.h"

namespace {

using ::gralloc::testing::OpenFdCount;

GrallocBufferDescriptorInfo Info(int32_t width, int32_t height, int32_t format,
                                 int64_t usage) {
  GrallocBufferDescriptorInfo info;
  std::memset(&info, 0, sizeof(info));
  std::strcpy(info.name, "c-api");
  info.width = width;
  info.height = height;
  info.layerCount = 1;
  info.format = format;
  info.usage = usage;
  return info;
}

constexpr int32_t kRgba8888 = 1;
constexpr int32_t kYcbcr420888 = 0x23;
constexpr int64_t kCpuOften = 0x33;
constexpr int64_t kCameraOutput = 0x20000;
constexpr int64_t kComposerOverlay = 0x800;
constexpr int64_t kVideoEncoder = 0x10000;
constexpr int64_t kCpuReadRarely = 0x2;
constexpr int kBadDescriptor = 1;
constexpr int kBadBuffer = 2;
constexpr int kBadValue = 3;
constexpr int kUnsupported = 7;

constexpr char kServiceMapperLibrary[] = "/opt/test/lib/libgralloc_mapper.so";

// The calling thread's reason, read the way a C caller would.
std::string Reason(GrallocAllocator* allocator) {
  size_t length = 0;
  EXPECT_EQ(GrallocAllocator_getLastReason(allocator, nullptr, 0, &length), 0);
  std::string reason(length + 1, '\0');
  EXPECT_EQ(GrallocAllocator_getLastReason(allocator, reason.data(),
                                           reason.size(), &length),
            0);
  reason.resize(length);
  return reason;
}

struct OwnedHandle {
  native_handle_t* handle = nullptr;
  ~OwnedHandle() {
    if (handle != nullptr) {
      native_handle_close(handle);
      native_handle_delete(handle);
    }
  }
};

// Through the service, replies are waited for spinning first, unless
// $GRALLOC_CLIENT_SPIN_US is 0 (kServiceAsleep): both ways are run.
enum class Reach { kInProcess, kService, kServiceAsleep };

class CApiTest : public ::testing::TestWithParam<Reach> {
 protected:
  void SetUp() override {
    if (GetParam() == Reach::kInProcess) {
      ASSERT_EQ(GrallocAllocator_openInProcess(nullptr, &allocator_), 0);
    } else {
      static gralloc::testing::ShortTempDir dir;
      static int counter = 0;
      gralloc::service::ServerOptions options;
      options.socket_path =
          dir.File("s" + std::to_string(counter++) + "/a.sock");
      options.log_refusals = false;
      options.mapper_library = kServiceMapperLibrary;
      auto platform = gralloc::OpenInProcess("");
      ASSERT_TRUE(platform.ok()) << platform.status();
      auto server =
          gralloc::service::Server::Create(options, *std::move(platform));
      ASSERT_TRUE(server.ok()) << server.status();
      server_ = *std::move(server);
      thread_ = std::thread([this] { (void)server_->Run(); });
      if (GetParam() == Reach::kServiceAsleep) {
        setenv("GRALLOC_CLIENT_SPIN_US", "0", 1);
      }
      const int connected =
          GrallocAllocator_connect(options.socket_path.c_str(), &allocator_);
      unsetenv("GRALLOC_CLIENT_SPIN_US");
      ASSERT_EQ(connected, 0);
    }
    ASSERT_NE(allocator_, nullptr);
  }
  void TearDown() override {
    GrallocAllocator_close(allocator_);
    if (server_ != nullptr) {
      server_->Stop();
      thread_.join();
    }
  }

  // One buffer, owned by the test.
  OwnedHandle Allocate(const GrallocBufferDescriptorInfo& info) {
    OwnedHandle owned;
    int32_t stride = 0;
    EXPECT_EQ(GrallocAllocator_allocate2(allocator_, &info, 1, &stride,
                                         &owned.handle),
              0)
        << Reason(allocator_);
    return owned;
  }

  GrallocAllocator* allocator_ = nullptr;
  std::unique_ptr<gralloc::service::Server> server_;
  std::thread thread_;
};

INSTANTIATE_TEST_SUITE_P(InProcessAndService, CApiTest,
                         ::testing::Values(Reach::kInProcess, Reach::kService,
                                           Reach::kServiceAsleep),
                         [](const ::testing::TestParamInfo<Reach>& param) {
                           switch (param.param) {
                             case Reach::kInProcess:
                               return "InProcess";
                             case Reach::kService:
                               return "Service";
                             case Reach::kServiceAsleep:
                               return "ServiceAsleep";
                           }
                           return "";
                         });

TEST_P(CApiTest, AllocatesAndTheCallerOwnsTheHandles) {
  GrallocBufferDescriptorInfo info = Info(64, 64, kRgba8888, kCpuOften);
  // One round trip first, so a service (in this process) has accepted the
  // connection before the fds are counted.
  bool supported = false;
  ASSERT_EQ(GrallocAllocator_isSupported(allocator_, &info, &supported), 0);
  const int before = OpenFdCount();
  native_handle_t* buffers[3] = {};
  int32_t stride = -1;
  ASSERT_EQ(GrallocAllocator_allocate2(allocator_, &info, 3, &stride, buffers),
            0);
  EXPECT_EQ(stride, 64);
  EXPECT_EQ(Reason(allocator_), "");
  for (native_handle_t* buffer : buffers) {
    ASSERT_NE(buffer, nullptr);
    EXPECT_TRUE(gralloc::DecodeHandle(buffer).ok());
    native_handle_close(buffer);
    native_handle_delete(buffer);
  }
  // The service (in this process) closes its copies after the reply has
  // left: give its thread a moment.
  for (int i = 0; i < 200 && OpenFdCount() != before; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(OpenFdCount(), before);
}

TEST_P(CApiTest, FailuresAreNeverZeroAndTouchNothing) {
  native_handle_t* buffers[1] = {reinterpret_cast<native_handle_t*>(0x1)};
  int32_t stride = -7;
  GrallocBufferDescriptorInfo zero_width = Info(0, 64, kRgba8888, kCpuOften);
  EXPECT_EQ(
      GrallocAllocator_allocate2(allocator_, &zero_width, 1, &stride, buffers),
      kBadDescriptor);
  GrallocBufferDescriptorInfo unknown_bit =
      Info(64, 64, kRgba8888, int64_t{1} << 33);
  EXPECT_EQ(
      GrallocAllocator_allocate2(allocator_, &unknown_bit, 1, &stride, buffers),
      kUnsupported);
  EXPECT_EQ(stride, -7);
  EXPECT_EQ(buffers[0], reinterpret_cast<native_handle_t*>(0x1));
  EXPECT_EQ(
      GrallocAllocator_allocate2(nullptr, &zero_width, 1, &stride, buffers),
      kBadValue);
  EXPECT_EQ(
      GrallocAllocator_allocate2(allocator_, &zero_width, -1, &stride, buffers),
      kBadValue);
  EXPECT_EQ(
      GrallocAllocator_allocate2(allocator_, nullptr, 1, &stride, buffers),
      kBadValue);
  EXPECT_EQ(Reason(allocator_),
            "info, outStride or outBuffers is NULL, or count < 0");
}

TEST_P(CApiTest, IsSupportedIsFalseForUnknownBitsAndOptions) {
  bool supported = true;
  GrallocBufferDescriptorInfo unknown_bit =
      Info(64, 64, kRgba8888, int64_t{1} << 33);
  ASSERT_EQ(GrallocAllocator_isSupported(allocator_, &unknown_bit, &supported),
            0);
  EXPECT_FALSE(supported);

  GrallocExtendableType option = {"vendor.acme.option", 1};
  GrallocBufferDescriptorInfo with_option = Info(64, 64, kRgba8888, kCpuOften);
  with_option.additionalOptions = &option;
  with_option.additionalOptionCount = 1;
  ASSERT_EQ(GrallocAllocator_isSupported(allocator_, &with_option, &supported),
            0);
  EXPECT_FALSE(supported);
  EXPECT_EQ(Reason(allocator_),
            "unknown additional option 'vendor.acme.option'");
  int32_t stride = 0;
  native_handle_t* buffer = nullptr;
  EXPECT_EQ(
      GrallocAllocator_allocate2(allocator_, &with_option, 1, &stride, &buffer),
      kUnsupported);

  GrallocExtendableType dataspace = {GRALLOC_OPTION_DATASPACE, 0};
  with_option.additionalOptions = &dataspace;
  ASSERT_EQ(GrallocAllocator_isSupported(allocator_, &with_option, &supported),
            0);
  EXPECT_TRUE(supported);
  EXPECT_EQ(Reason(allocator_), "");
  EXPECT_EQ(GrallocAllocator_isSupported(allocator_, &with_option, nullptr),
            kBadValue);
  EXPECT_EQ(GrallocAllocator_isSupported(nullptr, &with_option, &supported),
            kBadValue);
}

// The options a stack passes in (gralloc/allocator.h): isSupported and
// allocate2 agree on each, and a bad one is a clear error, never a crash.
TEST_P(CApiTest, OptionsConstrainTheBufferAndBadOnesAreRefused) {
  bool supported = false;
  int32_t stride = 0;
  // A modifier list holding linear, and a stride alignment of 256 bytes.
  const GrallocExtendableType good[] = {
      {GRALLOC_OPTION_DRM_MODIFIER, 0x0100000000000001},  // X-tiled
      {GRALLOC_OPTION_DRM_MODIFIER, 0},                   // linear
      {GRALLOC_OPTION_MIN_STRIDE_ALIGNMENT, 256},
      {GRALLOC_OPTION_PREFERRED_HEAP, GRALLOC_HEAP_MEMFD},
      {GRALLOC_OPTION_LINEAR_ONLY, 1},
  };
  GrallocBufferDescriptorInfo info = Info(100, 8, kRgba8888, kCpuOften);
  info.additionalOptions = good;
  info.additionalOptionCount = 5;
  ASSERT_EQ(GrallocAllocator_isSupported(allocator_, &info, &supported), 0);
  EXPECT_TRUE(supported) << Reason(allocator_);
  {
    OwnedHandle owned;
    ASSERT_EQ(GrallocAllocator_allocate2(allocator_, &info, 1, &stride,
                                         &owned.handle),
              0)
        << Reason(allocator_);
    EXPECT_EQ(stride, 128);  // 400 bytes rounded up to 512
  }

  // Each of these is refused by isSupported and allocate2 alike, with the
  // option named in the reason.
  struct Case {
    GrallocExtendableType option;
    int allocate_error;
    const char* reason;
  };
  const Case cases[] = {
      {{GRALLOC_OPTION_DRM_MODIFIER, 0x0100000000000001},
       kUnsupported,
       "the caller's list"},
      {{GRALLOC_OPTION_DRM_MODIFIER, 0x00ffffffffffffff},
       kBadDescriptor,
       "DRM_FORMAT_MOD_INVALID"},
      {{GRALLOC_OPTION_LINEAR_ONLY, 7},
       kBadDescriptor,
       GRALLOC_OPTION_LINEAR_ONLY},
      {{GRALLOC_OPTION_PREFERRED_HEAP, 99},
       kBadDescriptor,
       GRALLOC_OPTION_PREFERRED_HEAP},
      {{GRALLOC_OPTION_MIN_STRIDE_ALIGNMENT, -4},
       kBadDescriptor,
       GRALLOC_OPTION_MIN_STRIDE_ALIGNMENT},
      {{"org.gralloc.no_such_option", 1},
       kUnsupported,
       "org.gralloc.no_such_option"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.reason);
    info.additionalOptions = &c.option;
    info.additionalOptionCount = 1;
    supported = true;
    ASSERT_EQ(GrallocAllocator_isSupported(allocator_, &info, &supported), 0);
    EXPECT_FALSE(supported);
    EXPECT_NE(Reason(allocator_).find(c.reason), std::string::npos)
        << Reason(allocator_);
    native_handle_t* buffer = nullptr;
    EXPECT_EQ(
        GrallocAllocator_allocate2(allocator_, &info, 1, &stride, &buffer),
        c.allocate_error);
    EXPECT_EQ(buffer, nullptr);
  }

  // A once-only option twice, too many options, a NULL list or name.
  const GrallocExtendableType twice[] = {{GRALLOC_OPTION_LINEAR_ONLY, 1},
                                         {GRALLOC_OPTION_LINEAR_ONLY, 1}};
  info.additionalOptions = twice;
  info.additionalOptionCount = 2;
  ASSERT_EQ(GrallocAllocator_isSupported(allocator_, &info, &supported), 0);
  EXPECT_FALSE(supported);
  EXPECT_NE(Reason(allocator_).find("more than once"), std::string::npos);
  const std::vector<GrallocExtendableType> many(
      65, GrallocExtendableType{GRALLOC_OPTION_DRM_MODIFIER, 0});
  info.additionalOptions = many.data();
  info.additionalOptionCount = many.size();
  native_handle_t* buffer = nullptr;
  EXPECT_EQ(GrallocAllocator_allocate2(allocator_, &info, 1, &stride, &buffer),
            kBadDescriptor);
  EXPECT_NE(Reason(allocator_).find("more than 64"), std::string::npos)
      << Reason(allocator_);
  info.additionalOptions = nullptr;
  info.additionalOptionCount = 1;
  EXPECT_EQ(GrallocAllocator_allocate2(allocator_, &info, 1, &stride, &buffer),
            kBadDescriptor);
  const GrallocExtendableType nameless = {nullptr, 1};
  info.additionalOptions = &nameless;
  EXPECT_EQ(GrallocAllocator_allocate2(allocator_, &info, 1, &stride, &buffer),
            kBadDescriptor);
  EXPECT_EQ(buffer, nullptr);
}

// The reason of a refusal is the allocator's own text, the same for
// isSupported and allocate2, with no second negotiation behind it.
TEST_P(CApiTest, RefusalsCanBeReadBackAsTheirReason) {
  // A RAW16 buffer for the display: nobody in the built-in profile shows
  // raw sensor data.
  GrallocBufferDescriptorInfo info = Info(64, 64, 0x20, kComposerOverlay);
  bool supported = true;
  ASSERT_EQ(GrallocAllocator_isSupported(allocator_, &info, &supported), 0);
  EXPECT_FALSE(supported);
  const std::string reason = Reason(allocator_);
  EXPECT_EQ(reason.rfind("refused: format: RAW16", 0), 0u) << reason;
  EXPECT_NE(reason.find("display"), std::string::npos) << reason;

  int32_t stride = 0;
  native_handle_t* buffer = nullptr;
  EXPECT_EQ(GrallocAllocator_allocate2(allocator_, &info, 1, &stride, &buffer),
            kUnsupported);
  EXPECT_EQ(Reason(allocator_), reason);
  // A success clears it.
  GrallocBufferDescriptorInfo fine = Info(8, 8, kRgba8888, kCpuOften);
  ASSERT_EQ(GrallocAllocator_isSupported(allocator_, &fine, &supported), 0);
  EXPECT_TRUE(supported);
  EXPECT_EQ(Reason(allocator_), "");
}

TEST_P(CApiTest, ATooSmallReasonBufferIsBadValueAndWritesNothing) {
  GrallocBufferDescriptorInfo info = Info(64, 64, 0x20, kComposerOverlay);
  bool supported = true;
  ASSERT_EQ(GrallocAllocator_isSupported(allocator_, &info, &supported), 0);
  size_t length = 0;
  ASSERT_EQ(GrallocAllocator_getLastReason(allocator_, nullptr, 0, &length), 0);
  ASSERT_GT(length, 10u);
  std::vector<char> small(length, '#');  // no room for the NUL
  size_t told = 0;
  EXPECT_EQ(GrallocAllocator_getLastReason(allocator_, small.data(),
                                           small.size(), &told),
            kBadValue);
  EXPECT_EQ(told, length);
  for (char c : small) EXPECT_EQ(c, '#');
  EXPECT_EQ(GrallocAllocator_getLastReason(allocator_, nullptr, 8, &told),
            kBadValue);
  EXPECT_EQ(GrallocAllocator_getLastReason(nullptr, nullptr, 0, &told),
            kBadValue);
  std::vector<char> exact(length + 1);
  EXPECT_EQ(GrallocAllocator_getLastReason(allocator_, exact.data(),
                                           exact.size(), nullptr),
            0);
  EXPECT_EQ(std::strlen(exact.data()), length);
}

TEST_P(CApiTest, ReasonsArePerThread) {
  GrallocBufferDescriptorInfo refused = Info(64, 64, 0x20, kComposerOverlay);
  GrallocBufferDescriptorInfo fine = Info(8, 8, kRgba8888, kCpuOften);
  bool supported = false;
  ASSERT_EQ(GrallocAllocator_isSupported(allocator_, &refused, &supported), 0);
  std::string other_thread_reason = "not run";
  std::thread other([&] {
    bool ok = false;
    EXPECT_EQ(GrallocAllocator_isSupported(allocator_, &fine, &ok), 0);
    EXPECT_TRUE(ok);
    other_thread_reason = Reason(allocator_);
  });
  other.join();
  EXPECT_EQ(other_thread_reason, "");
  EXPECT_NE(Reason(allocator_).find("refused: format"), std::string::npos);
}

// "Preview first, record later": the preview buffer does not serve the
// encoder (1080 rows are not a multiple of its 16), and says so.
TEST_P(CApiTest, ServesAnswersForAUserJoiningLater) {
  const OwnedHandle preview = Allocate(
      Info(1920, 1080, kYcbcr420888, kCameraOutput | kComposerOverlay));
  ASSERT_NE(preview.handle, nullptr);
  bool serves = true;
  ASSERT_EQ(GrallocAllocator_serves(allocator_, preview.handle, kVideoEncoder,
                                    &serves),
            0);
  EXPECT_FALSE(serves);
  const std::string reason = Reason(allocator_);
  EXPECT_NE(reason.find("VIDEO_ENCODER"), std::string::npos) << reason;
  EXPECT_NE(reason.find("height alignment"), std::string::npos) << reason;
  EXPECT_NE(reason.find("codec=16"), std::string::npos) << reason;

  ASSERT_EQ(GrallocAllocator_serves(allocator_, preview.handle, kCpuReadRarely,
                                    &serves),
            0);
  EXPECT_TRUE(serves);
  EXPECT_EQ(Reason(allocator_), "");

  // A buffer negotiated with the encoder from the start serves it.
  const OwnedHandle record =
      Allocate(Info(1920, 1080, kYcbcr420888,
                    kCameraOutput | kComposerOverlay | kVideoEncoder));
  ASSERT_EQ(GrallocAllocator_serves(allocator_, record.handle, kVideoEncoder,
                                    &serves),
            0);
  EXPECT_TRUE(serves);
}

TEST_P(CApiTest, ServesRefusesWhatIsNotABuffer) {
  const OwnedHandle buffer = Allocate(Info(64, 64, kRgba8888, kCpuOften));
  bool serves = true;
  EXPECT_EQ(
      GrallocAllocator_serves(allocator_, nullptr, kVideoEncoder, &serves),
      kBadValue);
  EXPECT_EQ(GrallocAllocator_serves(allocator_, buffer.handle, kVideoEncoder,
                                    nullptr),
            kBadValue);
  EXPECT_EQ(GrallocAllocator_serves(nullptr, buffer.handle, 0, &serves),
            kBadValue);
  // A forged handle: the right shape, a wrong magic.
  native_handle_t* forged = native_handle_clone(buffer.handle);
  forged->data[forged->numFds] = 0x12345678;
  EXPECT_EQ(GrallocAllocator_serves(allocator_, forged, kVideoEncoder, &serves),
            kBadBuffer);
  EXPECT_NE(Reason(allocator_).find("magic"), std::string::npos);
  // A plane that claims more than the allocation.
  forged->data[forged->numFds] = gralloc::kHandleMagic;
  forged->data[forged->numFds + gralloc::kHandleIntPlanes + 3] = 0x7fffffff;
  EXPECT_EQ(GrallocAllocator_serves(allocator_, forged, kVideoEncoder, &serves),
            kBadBuffer);
  EXPECT_TRUE(serves);  // untouched by failures
  native_handle_close(forged);
  native_handle_delete(forged);
  // Unknown usage bits are a "no", with the reason.
  ASSERT_EQ(GrallocAllocator_serves(allocator_, buffer.handle, int64_t{1} << 33,
                                    &serves),
            0);
  EXPECT_FALSE(serves);
  EXPECT_NE(Reason(allocator_).find("usage"), std::string::npos);
}

TEST_P(CApiTest, ReleaseReturnsTheQuotaOnce) {
  const OwnedHandle buffer = Allocate(Info(64, 64, kRgba8888, kCpuOften));
  EXPECT_EQ(GrallocAllocator_release(allocator_, buffer.handle), 0);
  if (GetParam() != Reach::kInProcess) {
    // The service's record is gone: a second release finds nothing.
    EXPECT_EQ(GrallocAllocator_release(allocator_, buffer.handle), kBadBuffer);
    EXPECT_NE(Reason(allocator_).find("no record"), std::string::npos);
  } else {
    EXPECT_EQ(GrallocAllocator_release(allocator_, buffer.handle), 0);
  }
  EXPECT_EQ(GrallocAllocator_release(allocator_, nullptr), kBadValue);
  EXPECT_EQ(GrallocAllocator_release(nullptr, buffer.handle), kBadValue);
  native_handle_t* forged = native_handle_clone(buffer.handle);
  forged->numInts = 3;
  EXPECT_EQ(GrallocAllocator_release(allocator_, forged), kBadBuffer);
  forged->numInts = gralloc::kHandleNumInts;
  native_handle_close(forged);
  native_handle_delete(forged);
  // The buffer itself is still good after its quota went back.
  EXPECT_TRUE(gralloc::DecodeHandle(buffer.handle).ok());
}

TEST_P(CApiTest, MapperLibraryIsNamedAndSizedLikeAReason) {
  size_t length = 0;
  ASSERT_EQ(GrallocAllocator_getMapperLibrary(allocator_, nullptr, 0, &length),
            0);
  std::string path(length + 1, '\0');
  ASSERT_EQ(GrallocAllocator_getMapperLibrary(allocator_, path.data(),
                                              path.size(), &length),
            0);
  path.resize(length);
  if (GetParam() != Reach::kInProcess) {
    EXPECT_EQ(path, kServiceMapperLibrary);
  } else {
    // Here (a test binary, no installed tree beside it): the bare name for
    // the dynamic loader, unless the environment says otherwise.
    EXPECT_EQ(path, "libgralloc_mapper.so");
  }
  char small[4] = {'#', '#', '#', '#'};
  EXPECT_EQ(GrallocAllocator_getMapperLibrary(allocator_, small, sizeof(small),
                                              &length),
            kBadValue);
  EXPECT_EQ(small[0], '#');
  EXPECT_EQ(GrallocAllocator_getMapperLibrary(nullptr, small, 4, &length),
            kBadValue);
}

TEST_P(CApiTest, CountZeroReturnsNothing) {
  GrallocBufferDescriptorInfo info = Info(64, 64, kRgba8888, kCpuOften);
  int32_t stride = 0;
  EXPECT_EQ(GrallocAllocator_allocate2(allocator_, &info, 0, &stride, nullptr),
            0);
}

TEST_P(CApiTest, ANameWithoutNulIsCutAt127) {
  GrallocBufferDescriptorInfo info = Info(8, 8, kRgba8888, kCpuOften);
  std::memset(info.name, 'x', sizeof(info.name));
  OwnedHandle buffer = Allocate(info);
  EXPECT_NE(buffer.handle, nullptr);
}

TEST(CApiConnectTest, ConnectWithoutAServiceFails) {
  GrallocAllocator* allocator = nullptr;
  EXPECT_NE(GrallocAllocator_connect("/nonexistent/socket", &allocator), 0);
  EXPECT_EQ(allocator, nullptr);
  EXPECT_EQ(GrallocAllocator_openInProcess(nullptr, nullptr), 3);
}

TEST(ReplySpinTest, TheEnvironmentSetsItWithinBounds) {
  unsetenv("GRALLOC_CLIENT_SPIN_US");
  EXPECT_EQ(gralloc::DefaultReplySpinUs(), 100);
  EXPECT_EQ(gralloc::ServiceClientOptions{}.reply_spin_us, 100);
  setenv("GRALLOC_CLIENT_SPIN_US", "0", 1);
  EXPECT_EQ(gralloc::ServiceClientOptions{}.reply_spin_us, 0);
  setenv("GRALLOC_CLIENT_SPIN_US", "250", 1);
  EXPECT_EQ(gralloc::DefaultReplySpinUs(), 250);
  // Anything else is ignored: the default.
  for (const char* bad : {"", "-1", "10001", "fast", "50us"}) {
    setenv("GRALLOC_CLIENT_SPIN_US", bad, 1);
    EXPECT_EQ(gralloc::DefaultReplySpinUs(), 100) << "'" << bad << "'";
  }
  unsetenv("GRALLOC_CLIENT_SPIN_US");
}

TEST(CApiMapperLibraryTest, TheEnvironmentOverrides) {
  setenv("GRALLOC_MAPPER_LIBRARY", "/somewhere/libgralloc_mapper.so", 1);
  GrallocAllocator* allocator = nullptr;
  ASSERT_EQ(GrallocAllocator_openInProcess(nullptr, &allocator), 0);
  char path[64] = {};
  ASSERT_EQ(
      GrallocAllocator_getMapperLibrary(allocator, path, sizeof(path), nullptr),
      0);
  EXPECT_STREQ(path, "/somewhere/libgralloc_mapper.so");
  GrallocAllocator_close(allocator);
  unsetenv("GRALLOC_MAPPER_LIBRARY");
}

}  // namespace
