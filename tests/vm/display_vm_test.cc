// Copyright 2026 The gralloc for Linux Authors.
//
// Display: our buffers scanned out by vkms, the kernel's virtual KMS driver.
//   - The display participant of the VM profile is refined by probing
//     vkms's planes (IN_FORMATS): the primary plane reads RGB_565 (DRM RG16)
//     and XRGB8888 but no format with alpha. BGRA_8888 (AR24) is accepted
//     through its opaque twin XRGB8888 (merge.h) and scanned out through an
//     XR24 framebuffer, its alpha ignored; RGBA_8888 (AB24), whose twin
//     XB24 vkms lacks, is refused up front instead of at modeset.
//   - A buffer from the allocator is imported into vkms (drmPrimeFDToHandle)
//     and made a framebuffer with exactly the negotiated pitches, offsets and
//     modifier (drmModeAddFB2WithModifiers), then scanned out by a legacy
//     modeset (drmModeSetCrtc) and flipped to with a vblank event.
//   - Through an atomic commit, vkms's writeback connector copies what the
//     CRTC composes from our buffer on the primary plane into a second
//     buffer of ours; read through the mapper, it must show the pixels we
//     wrote into the first (for BGRA_8888 with alpha 0: alpha ignored).

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>
#include <xf86drm.h>
#include <xf86drmMode.h>

#include <array>
#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_format.h"
#include "allocator/allocator.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "hal/base/fourcc.h"
#include "hal/base/status_matchers.h"
#include "hal/base/unique_fd.h"
#include "hal/format/format_table.h"
#include "hal/types/buffer_usage.h"
#include "hal/types/pixel_format.h"
#include "hal/types/plane_layout.h"
#include "mapper/mapper.h"
#include "tests/vm/vm_test_util.h"

namespace gralloc {
namespace {

using ::gralloc::mapper::Buffer;
using ::gralloc::mapper::LockGuard;
using ::gralloc::mapper::Mapper;
using ::gralloc::testing::IsOk;
using ::gralloc::testing::StatusIs;
using ::gralloc::vmtest::AllocateOne;
using ::gralloc::vmtest::FindDrmCard;
using ::gralloc::vmtest::MakeVmAllocator;
using ::gralloc::vmtest::VmBuffer;
using ::testing::HasSubstr;

constexpr uint64_t kScanoutUsage = UsageValue(BufferUsage::COMPOSER_OVERLAY) |
                                   UsageValue(BufferUsage::CPU_WRITE_OFTEN);
constexpr uint64_t kWritebackUsage = UsageValue(BufferUsage::COMPOSER_OVERLAY) |
                                     UsageValue(BufferUsage::CPU_READ_OFTEN);
constexpr int kEventTimeoutMs = 5000;

// Eight vertical bars in RGB565: white, yellow, cyan, green, magenta, red,
// blue, black.
constexpr std::array<uint16_t, 8> kBars565 = {0xffff, 0xffe0, 0x07ff, 0x07e0,
                                              0xf81f, 0xf800, 0x001f, 0x0000};

uint16_t BarAt(int x, int width) {
  return kBars565[static_cast<size_t>(x) * kBars565.size() / width];
}

// Closes what libdrm hands out.
struct ResourcesDeleter {
  void operator()(drmModeRes* p) const { drmModeFreeResources(p); }
};
struct ConnectorDeleter {
  void operator()(drmModeConnector* p) const { drmModeFreeConnector(p); }
};
using ResourcesPtr = std::unique_ptr<drmModeRes, ResourcesDeleter>;
using ConnectorPtr = std::unique_ptr<drmModeConnector, ConnectorDeleter>;

// The id of property `name` on the KMS object, or 0.
uint32_t PropertyId(int fd, uint32_t object_id, uint32_t object_type,
                    const char* name) {
  drmModeObjectProperties* props =
      drmModeObjectGetProperties(fd, object_id, object_type);
  if (props == nullptr) return 0;
  uint32_t id = 0;
  for (uint32_t i = 0; i < props->count_props && id == 0; ++i) {
    drmModePropertyRes* prop = drmModeGetProperty(fd, props->props[i]);
    if (prop == nullptr) continue;
    if (std::strcmp(prop->name, name) == 0) id = prop->prop_id;
    drmModeFreeProperty(prop);
  }
  drmModeFreeObjectProperties(props);
  return id;
}

// The value of property `name` on the object, or `fallback`.
uint64_t PropertyValue(int fd, uint32_t object_id, uint32_t object_type,
                       const char* name, uint64_t fallback) {
  drmModeObjectProperties* props =
      drmModeObjectGetProperties(fd, object_id, object_type);
  if (props == nullptr) return fallback;
  uint64_t value = fallback;
  for (uint32_t i = 0; i < props->count_props; ++i) {
    drmModePropertyRes* prop = drmModeGetProperty(fd, props->props[i]);
    if (prop == nullptr) continue;
    if (std::strcmp(prop->name, name) == 0) value = props->prop_values[i];
    drmModeFreeProperty(prop);
  }
  drmModeFreeObjectProperties(props);
  return value;
}

class VkmsDisplayTest : public ::testing::Test {
 protected:
  void SetUp() override {
    card_ = FindDrmCard("vkms");
    if (card_.empty()) {
      GTEST_SKIP() << "no vkms card: not the VM tier's kernel "
                      "(tools/vm/run_vm.sh)";
    }
    fd_ = UniqueFd(open(card_.c_str(), O_RDWR | O_CLOEXEC));
    ASSERT_TRUE(fd_) << card_ << ": " << std::strerror(errno);
    ASSERT_OK_AND_ASSIGN(allocator_, MakeVmAllocator());

    ResourcesPtr resources(drmModeGetResources(fd_.get()));
    ASSERT_NE(resources, nullptr);
    ASSERT_GE(resources->count_crtcs, 1);
    crtc_id_ = resources->crtcs[0];
    for (int i = 0; i < resources->count_connectors; ++i) {
      ConnectorPtr connector(
          drmModeGetConnector(fd_.get(), resources->connectors[i]));
      if (connector == nullptr || connector->connection != DRM_MODE_CONNECTED ||
          connector->count_modes == 0) {
        continue;
      }
      connector_id_ = connector->connector_id;
      mode_ = connector->modes[0];
      for (int m = 0; m < connector->count_modes; ++m) {
        if (connector->modes[m].type & DRM_MODE_TYPE_PREFERRED) {
          mode_ = connector->modes[m];
          break;
        }
      }
      break;
    }
    ASSERT_NE(connector_id_, 0u) << "vkms has no connected connector";
    std::cout << "vkms " << card_ << ": mode " << mode_.hdisplay << "x"
              << mode_.vdisplay << ", crtc " << crtc_id_ << ", connector "
              << connector_id_ << "\n";
  }

  // A buffer for the display, `mode_`-sized, from the allocator.
  void AllocateScanout(PixelFormat format, uint64_t usage, const char* name,
                       VmBuffer* buffer) {
    BufferDescriptorInfo info;
    info.name = name;
    info.width = mode_.hdisplay;
    info.height = mode_.vdisplay;
    info.layer_count = 1;
    info.format = FormatValue(format);
    info.usage = usage;
    ASSERT_OK_AND_ASSIGN(*buffer, AllocateOne(*allocator_, info));
    ASSERT_NE(buffer->info.backend, HandleBackend::kMemfd);
  }

  // Writes the bars into `buffer` through the mapper: as RGB565, or for
  // BGRA_8888 (B, G, R, A bytes) widened to 8 bits with alpha 0, which a
  // plane that honoured alpha would show as black.
  void FillBars(const VmBuffer& buffer) {
    const bool bgra = buffer.info.layout.format->android_value ==
                      FormatValue(PixelFormat::BGRA_8888);
    ASSERT_OK_AND_ASSIGN(buffer_handle_t handle,
                         mapper_.Import(buffer.handle.get()));
    ASSERT_OK_AND_ASSIGN(std::shared_ptr<Buffer> imported, mapper_.Get(handle));
    {
      ASSERT_OK_AND_ASSIGN(
          LockGuard lock,
          LockGuard::Acquire(*imported,
                             UsageValue(BufferUsage::CPU_WRITE_OFTEN), Rect{},
                             UniqueFd()));
      const uint32_t stride = buffer.info.layout.planes[0].stride_bytes;
      for (int y = 0; y < mode_.vdisplay; ++y) {
        auto* row = static_cast<uint8_t*>(lock.data()) + size_t{stride} * y;
        for (int x = 0; x < mode_.hdisplay; ++x) {
          const uint16_t pixel = BarAt(x, mode_.hdisplay);
          if (bgra) {
            const int r5 = pixel >> 11, g6 = (pixel >> 5) & 0x3f,
                      b5 = pixel & 0x1f;
            row[4 * x] = static_cast<uint8_t>(b5 << 3 | b5 >> 2);
            row[4 * x + 1] = static_cast<uint8_t>(g6 << 2 | g6 >> 4);
            row[4 * x + 2] = static_cast<uint8_t>(r5 << 3 | r5 >> 2);
            row[4 * x + 3] = 0;  // fully transparent
          } else {
            row[2 * x] = static_cast<uint8_t>(pixel & 0xff);
            row[2 * x + 1] = static_cast<uint8_t>(pixel >> 8);
          }
        }
      }
    }
    ASSERT_OK(mapper_.Free(handle));
  }

  // Imports `buffer` into vkms and makes a framebuffer of it with the
  // negotiated layout: one GEM handle per plane (the same dma-buf), the
  // handle's pitches and offsets, and its modifier; in the buffer's fourcc,
  // or its opaque twin as a compositor does for a plane without alpha.
  void AddFramebuffer(const VmBuffer& buffer, uint32_t* fb_id,
                      bool opaque_twin = false) {
    const uint32_t fourcc =
        opaque_twin ? OpaqueTwinFourcc(buffer.info.layout.format->drm_fourcc)
                    : buffer.info.layout.format->drm_fourcc;
    ASSERT_NE(fourcc, 0u);
    uint32_t gem_handle = 0;
    ASSERT_EQ(drmPrimeFDToHandle(fd_.get(), buffer.fd(), &gem_handle), 0)
        << "vkms refused our dma-buf: " << std::strerror(errno);
    uint32_t handles[4] = {};
    uint32_t pitches[4] = {};
    uint32_t offsets[4] = {};
    uint64_t modifiers[4] = {};
    for (int i = 0; i < buffer.info.layout.plane_count; ++i) {
      handles[i] = gem_handle;
      pitches[i] = buffer.info.layout.planes[i].stride_bytes;
      offsets[i] =
          static_cast<uint32_t>(buffer.info.layout.planes[i].offset_bytes);
      modifiers[i] = buffer.info.layout.modifier;
    }
    ASSERT_EQ(drmModeAddFB2WithModifiers(
                  fd_.get(), static_cast<uint32_t>(buffer.info.width),
                  static_cast<uint32_t>(buffer.info.height), fourcc, handles,
                  pitches, offsets, modifiers, fb_id, DRM_MODE_FB_MODIFIERS),
              0)
        << "drmModeAddFB2WithModifiers: " << std::strerror(errno);
    // The framebuffer holds its own reference to the GEM object.
    drmCloseBufferHandle(fd_.get(), gem_handle);
  }

  // Waits for one DRM event (flip or vblank) on the card.
  ::testing::AssertionResult WaitForEvent() {
    pollfd poll_fd{fd_.get(), POLLIN, 0};
    if (poll(&poll_fd, 1, kEventTimeoutMs) != 1) {
      return ::testing::AssertionFailure()
             << "no DRM event within " << kEventTimeoutMs << " ms";
    }
    drmEventContext context{};
    context.version = 2;
    context.page_flip_handler = [](int, unsigned, unsigned, unsigned,
                                   void* data) {
      *static_cast<bool*>(data) = true;
    };
    flipped_ = false;
    if (drmHandleEvent(fd_.get(), &context) != 0 || !flipped_) {
      return ::testing::AssertionFailure() << "no page-flip event";
    }
    return ::testing::AssertionSuccess();
  }

  std::string card_;
  UniqueFd fd_;
  std::unique_ptr<Allocator> allocator_;
  Mapper mapper_;
  uint32_t crtc_id_ = 0;
  uint32_t connector_id_ = 0;
  drmModeModeInfo mode_{};
  bool flipped_ = false;

  void ScanOutAndWriteBack(const VmBuffer& scanout, bool opaque_twin);
};

TEST_F(VkmsDisplayTest, DisplayProfileComesFromVkmsPlanes) {
  const ParticipantProfile& display =
      allocator_->profile().at(Participant::kDisplay);
  EXPECT_THAT(display.source, HasSubstr("probed"));
  BufferDescriptorInfo info;
  info.name = "vm-display-probe";
  info.width = mode_.hdisplay;
  info.height = mode_.vdisplay;
  info.layer_count = 1;
  info.usage = kScanoutUsage;
  info.format = FormatValue(PixelFormat::RGB_565);
  ASSERT_OK_AND_ASSIGN(Verdict rgb565, allocator_->IsSupported(info));
  EXPECT_THAT(rgb565.refusal, IsOk()) << "vkms's primary plane scans out RG16";
  info.format = FormatValue(PixelFormat::BGRA_8888);
  ASSERT_OK_AND_ASSIGN(Verdict bgra, allocator_->IsSupported(info));
  EXPECT_THAT(bgra.refusal, IsOk())
      << "AR24 scans out through the primary plane's XR24";
  info.format = FormatValue(PixelFormat::RGBA_8888);
  EXPECT_THAT(allocator_->Allocate(info, 1),
              StatusIs(absl::StatusCode::kUnimplemented, HasSubstr("display")))
      << "AB24's twin XB24 is not on vkms's primary plane";
  // IMPLEMENTATION_DEFINED resolves to what the display reads: BGRA_8888
  // (the RGB family comes first for a display, and RGBX/RGBA are refused).
  info.format = FormatValue(PixelFormat::IMPLEMENTATION_DEFINED);
  ASSERT_OK_AND_ASSIGN(VmBuffer flexible, AllocateOne(*allocator_, info));
  EXPECT_EQ(flexible.info.layout.format->android_value,
            FormatValue(PixelFormat::BGRA_8888));
}

TEST_F(VkmsDisplayTest, ScansOutOurBufferWithALegacyModeset) {
  VmBuffer scanout;
  ASSERT_NO_FATAL_FAILURE(AllocateScanout(PixelFormat::RGB_565, kScanoutUsage,
                                          "vm-vkms-scanout", &scanout));
  ASSERT_NO_FATAL_FAILURE(FillBars(scanout));
  uint32_t fb_id = 0;
  ASSERT_NO_FATAL_FAILURE(AddFramebuffer(scanout, &fb_id));

  ASSERT_EQ(drmModeSetCrtc(fd_.get(), crtc_id_, fb_id, 0, 0, &connector_id_, 1,
                           &mode_),
            0)
      << "drmModeSetCrtc: " << std::strerror(errno);
  drmModeCrtc* crtc = drmModeGetCrtc(fd_.get(), crtc_id_);
  ASSERT_NE(crtc, nullptr);
  EXPECT_EQ(crtc->buffer_id, fb_id);
  EXPECT_TRUE(crtc->mode_valid);
  drmModeFreeCrtc(crtc);

  // The CRTC is running on our buffer: a flip to it completes at a vblank.
  ASSERT_EQ(drmModePageFlip(fd_.get(), crtc_id_, fb_id,
                            DRM_MODE_PAGE_FLIP_EVENT, &flipped_),
            0)
      << "drmModePageFlip: " << std::strerror(errno);
  EXPECT_TRUE(WaitForEvent());

  EXPECT_EQ(drmModeSetCrtc(fd_.get(), crtc_id_, 0, 0, 0, nullptr, 0, nullptr),
            0);
  EXPECT_EQ(drmModeRmFB(fd_.get(), fb_id), 0);
}

// Scans `scanout` out on the primary plane (through a framebuffer of its
// opaque twin when `opaque_twin`) with an atomic commit that also writes
// the composed frame back into an RGB_565 buffer of ours, and checks the
// written-back pixels are the bars.
void VkmsDisplayTest::ScanOutAndWriteBack(const VmBuffer& scanout,
                                          bool opaque_twin) {
  ASSERT_EQ(drmSetClientCap(fd_.get(), DRM_CLIENT_CAP_ATOMIC, 1), 0);
  ASSERT_EQ(drmSetClientCap(fd_.get(), DRM_CLIENT_CAP_WRITEBACK_CONNECTORS, 1),
            0);
  ResourcesPtr resources(drmModeGetResources(fd_.get()));
  ASSERT_NE(resources, nullptr);
  uint32_t writeback_id = 0;
  for (int i = 0; i < resources->count_connectors; ++i) {
    ConnectorPtr connector(
        drmModeGetConnector(fd_.get(), resources->connectors[i]));
    if (connector != nullptr &&
        connector->connector_type == DRM_MODE_CONNECTOR_WRITEBACK) {
      writeback_id = connector->connector_id;
    }
  }
  if (writeback_id == 0) GTEST_SKIP() << "vkms has no writeback connector";

  drmModePlaneRes* planes = drmModeGetPlaneResources(fd_.get());
  ASSERT_NE(planes, nullptr);
  uint32_t primary_id = 0;
  for (uint32_t i = 0; i < planes->count_planes && primary_id == 0; ++i) {
    if (PropertyValue(fd_.get(), planes->planes[i], DRM_MODE_OBJECT_PLANE,
                      "type", ~uint64_t{0}) == DRM_PLANE_TYPE_PRIMARY) {
      primary_id = planes->planes[i];
    }
  }
  drmModeFreePlaneResources(planes);
  ASSERT_NE(primary_id, 0u);

  VmBuffer writeback;
  ASSERT_NO_FATAL_FAILURE(AllocateScanout(PixelFormat::RGB_565, kWritebackUsage,
                                          "vm-vkms-writeback", &writeback));
  uint32_t scanout_fb = 0;
  uint32_t writeback_fb = 0;
  ASSERT_NO_FATAL_FAILURE(AddFramebuffer(scanout, &scanout_fb, opaque_twin));
  ASSERT_NO_FATAL_FAILURE(AddFramebuffer(writeback, &writeback_fb));

  uint32_t mode_blob = 0;
  ASSERT_EQ(
      drmModeCreatePropertyBlob(fd_.get(), &mode_, sizeof(mode_), &mode_blob),
      0);
  const int fd = fd_.get();
  auto prop = [fd](uint32_t object, uint32_t type, const char* name) {
    return PropertyId(fd, object, type, name);
  };
  const uint32_t w = mode_.hdisplay;
  const uint32_t h = mode_.vdisplay;
  int32_t out_fence = -1;
  drmModeAtomicReq* request = drmModeAtomicAlloc();
  ASSERT_NE(request, nullptr);
  struct Setting {
    uint32_t object;
    uint32_t type;
    const char* name;
    uint64_t value;
  };
  const Setting settings[] = {
      {crtc_id_, DRM_MODE_OBJECT_CRTC, "MODE_ID", mode_blob},
      {crtc_id_, DRM_MODE_OBJECT_CRTC, "ACTIVE", 1},
      // vkms's encoders are not clones of each other: the CRTC drives
      // either the virtual output or the writeback connector, so the
      // virtual output is detached for this commit.
      {connector_id_, DRM_MODE_OBJECT_CONNECTOR, "CRTC_ID", 0},
      {primary_id, DRM_MODE_OBJECT_PLANE, "FB_ID", scanout_fb},
      {primary_id, DRM_MODE_OBJECT_PLANE, "CRTC_ID", crtc_id_},
      {primary_id, DRM_MODE_OBJECT_PLANE, "SRC_X", 0},
      {primary_id, DRM_MODE_OBJECT_PLANE, "SRC_Y", 0},
      {primary_id, DRM_MODE_OBJECT_PLANE, "SRC_W", uint64_t{w} << 16},
      {primary_id, DRM_MODE_OBJECT_PLANE, "SRC_H", uint64_t{h} << 16},
      {primary_id, DRM_MODE_OBJECT_PLANE, "CRTC_X", 0},
      {primary_id, DRM_MODE_OBJECT_PLANE, "CRTC_Y", 0},
      {primary_id, DRM_MODE_OBJECT_PLANE, "CRTC_W", w},
      {primary_id, DRM_MODE_OBJECT_PLANE, "CRTC_H", h},
      {writeback_id, DRM_MODE_OBJECT_CONNECTOR, "CRTC_ID", crtc_id_},
      {writeback_id, DRM_MODE_OBJECT_CONNECTOR, "WRITEBACK_FB_ID",
       writeback_fb},
      {writeback_id, DRM_MODE_OBJECT_CONNECTOR, "WRITEBACK_OUT_FENCE_PTR",
       static_cast<uint64_t>(reinterpret_cast<uintptr_t>(&out_fence))},
  };
  for (const Setting& s : settings) {
    const uint32_t id = prop(s.object, s.type, s.name);
    ASSERT_NE(id, 0u) << "no property " << s.name;
    ASSERT_GE(drmModeAtomicAddProperty(request, s.object, id, s.value), 0);
  }
  const int committed = drmModeAtomicCommit(
      fd_.get(), request, DRM_MODE_ATOMIC_ALLOW_MODESET, nullptr);
  drmModeAtomicFree(request);
  ASSERT_EQ(committed, 0) << "atomic commit: " << std::strerror(errno);
  ASSERT_GE(out_fence, 0) << "no writeback fence";
  UniqueFd fence(out_fence);
  pollfd poll_fd{fence.get(), POLLIN, 0};
  ASSERT_EQ(poll(&poll_fd, 1, kEventTimeoutMs), 1)
      << "the writeback did not complete";

  // What vkms composed and wrote back, read through the mapper.
  ASSERT_OK_AND_ASSIGN(buffer_handle_t handle,
                       mapper_.Import(writeback.handle.get()));
  ASSERT_OK_AND_ASSIGN(std::shared_ptr<Buffer> imported, mapper_.Get(handle));
  {
    ASSERT_OK_AND_ASSIGN(
        LockGuard lock,
        LockGuard::Acquire(*imported, UsageValue(BufferUsage::CPU_READ_OFTEN),
                           Rect{}, UniqueFd()));
    const uint32_t stride = writeback.info.layout.planes[0].stride_bytes;
    int mismatches = 0;
    for (uint32_t y = 0; y < h; ++y) {
      const auto* row =
          static_cast<const uint8_t*>(lock.data()) + size_t{stride} * y;
      for (uint32_t x = 0; x < w; ++x) {
        const uint16_t got =
            static_cast<uint16_t>(row[2 * x] | row[2 * x + 1] << 8);
        const uint16_t want = BarAt(static_cast<int>(x), static_cast<int>(w));
        // vkms converts through 16 bits per channel with rounding; allow
        // one step in any channel.
        const bool near =
            std::abs((got >> 11) - (want >> 11)) <= 1 &&
            std::abs(((got >> 5) & 0x3f) - ((want >> 5) & 0x3f)) <= 1 &&
            std::abs((got & 0x1f) - (want & 0x1f)) <= 1;
        if (!near && ++mismatches <= 10) {
          ADD_FAILURE() << absl::StrFormat(
              "written-back pixel (%d,%d) is 0x%04x, we scanned out 0x%04x", x,
              y, got, want);
        }
      }
    }
    EXPECT_EQ(mismatches, 0);
  }
  EXPECT_OK(mapper_.Free(handle));
  EXPECT_EQ(drmModeRmFB(fd_.get(), scanout_fb), 0);
  EXPECT_EQ(drmModeRmFB(fd_.get(), writeback_fb), 0);
  drmModeDestroyPropertyBlob(fd_.get(), mode_blob);
}

TEST_F(VkmsDisplayTest, WritebackShowsThePixelsWeScannedOut) {
  VmBuffer scanout;
  ASSERT_NO_FATAL_FAILURE(AllocateScanout(PixelFormat::RGB_565, kScanoutUsage,
                                          "vm-vkms-scanout", &scanout));
  ASSERT_NO_FATAL_FAILURE(FillBars(scanout));
  ScanOutAndWriteBack(scanout, /*opaque_twin=*/false);
}

// The display's alpha-twin rule on a real plane: a BGRA_8888 buffer whose
// every pixel has alpha 0 scans out through an XRGB8888 framebuffer, and
// the written-back frame shows its colours, not black.
TEST_F(VkmsDisplayTest, AnAlphaBufferScansOutThroughItsOpaqueTwin) {
  VmBuffer scanout;
  ASSERT_NO_FATAL_FAILURE(AllocateScanout(PixelFormat::BGRA_8888, kScanoutUsage,
                                          "vm-vkms-argb", &scanout));
  EXPECT_EQ(scanout.info.layout.format->drm_fourcc,
            FourccCode('A', 'R', '2', '4'));
  ASSERT_NO_FATAL_FAILURE(FillBars(scanout));
  ScanOutAndWriteBack(scanout, /*opaque_twin=*/true);
}

}  // namespace
}  // namespace gralloc
