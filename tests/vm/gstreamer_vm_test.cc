// Copyright 2026 The gralloc for Linux Authors.
//
// GStreamer on real drivers: Debian's own GStreamer elements import the
// buffers of the gralloc plugin's pool into the VM tier's devices. Each
// pipeline runs in-process (gst_parse_launch), the plugin registered from
// the linked code and the elements loaded from GStreamer's plugin directory
// (tools/vm/run_vm.sh carries the few plugins needed into the initramfs):
//
//  * Camera: `v4l2src io-mode=dmabuf-import` on vivid captures into the
//    buffers grallocpool proposes. The v4l2 pool logs that it imported each
//    dma-buf, every buffer that reaches the sink is one of ours, the kernel
//    names our heap as its exporter (/proc/self/fdinfo exp_name), and the
//    frames show vivid's 75% colour bars (colour_bars.h).
//  * Converter: v4l2convert on vim2m imports our buffers on both queues
//    (OUTPUT: the frames videotestsrc drew into one pool of ours; CAPTURE:
//    another pool of ours that vim2m writes) and flips the frames
//    vertically. Each output frame is its input frame with the rows
//    reversed, byte for byte, as the CPU computes it. (RGB16 on both sides:
//    the plugin serves no format of vim2m's other than RGB565.)
//  * Display: kmssink on vkms imports our buffers as framebuffers and flips
//    to them; it never logs the "frame copy" it logs when it must copy a
//    frame into a dumb buffer of its own.
//  * With the soc-no-iommu profile (devices without an IOMMU, so their
//    buffers must be contiguous), every buffer of the camera and display
//    pipelines is on the CMA heap ("reserved") and marked contiguous.
//
// On a machine without the devices (or without the elements) each case
// skips, saying what is missing.

#include <gst/allocators/gstdmabuf.h>
#include <gst/gst.h>
#include <gst/video/video.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gst/gralloc_memory.h"
#include "gst/testing/gst_test_env.h"
#include "gtest/gtest.h"
#include "hal/base/mutex.h"
#include "hal/handle/buffer_handle.h"
#include "tests/vm/colour_bars.h"
#include "tests/vm/gst_log_capture.h"
#include "tests/vm/vm_test_util.h"

namespace gralloc {
namespace {

using ::gralloc::gst::GrallocBufferOf;
using ::gralloc::gst::GrallocBufferRef;
using ::gralloc::gst::testing::InitGstreamer;
using ::gralloc::gst::testing::PipelineResult;
using ::gralloc::gst::testing::RunPipeline;
using ::gralloc::vmtest::BarCheck;
using ::gralloc::vmtest::CheckNv12ColourBars;
using ::gralloc::vmtest::CheckRgbaColourBars;
using ::gralloc::vmtest::FdinfoValue;
using ::gralloc::vmtest::FindDrmCard;
using ::gralloc::vmtest::FindVideoNode;
using ::gralloc::vmtest::GstLogCapture;

constexpr char kVmProfile[] = "vm-virtual-devices.json";
constexpr char kSocProfile[] = "soc-no-iommu.json";
// The exporters /proc/self/fdinfo names for our heaps' dma-bufs.
constexpr char kSystemHeap[] = "system";
constexpr char kCmaHeap[] = "reserved";
// Pipelines end at EOS; under TCG a few frames take seconds, not minutes.
constexpr int kPipelineTimeoutS = 120;

// The JSON profile `file` from allocator/profiles in the test's runfiles.
std::string ProfilePath(const char* file) {
  const char* srcdir = std::getenv("TEST_SRCDIR");
  const char* workspace = std::getenv("TEST_WORKSPACE");
  return absl::StrCat(srcdir != nullptr ? srcdir : ".", "/",
                      workspace != nullptr ? workspace : "gralloc",
                      "/allocator/profiles/", file);
}

// What a pad probe saw of one buffer.
struct SeenBuffer {
  bool ours = false;    // its memory is a gralloc buffer's
  bool dmabuf = false;  // gst_is_dmabuf_memory
  uint64_t buffer_id = 0;
  uint32_t handle_flags = 0;
  std::string exporter;  // exp_name in /proc/self/fdinfo of its fd
  GstClockTime pts = GST_CLOCK_TIME_NONE;
  // The frame read through gst_video_frame_map (our mapper's lock), each
  // plane's rows packed without padding, planes one after the other.
  std::vector<uint8_t> pixels;
};

// Records every buffer that passes a pad: who made it, which heap exported
// it and, if asked, its pixels. Buffers pass on streaming threads; Seen() is
// read on the test's thread.
class BufferRecorder final {
 public:
  explicit BufferRecorder(bool keep_pixels) : keep_pixels_(keep_pixels) {}

  // Probes the pad `pad_name` of the element `element_name` in `pipeline`.
  void Attach(GstElement* pipeline, const char* element_name,
              const char* pad_name) {
    GstElement* element = gst_bin_get_by_name(GST_BIN(pipeline), element_name);
    ASSERT_NE(element, nullptr) << "no element " << element_name;
    GstPad* pad = gst_element_get_static_pad(element, pad_name);
    ASSERT_NE(pad, nullptr) << "no pad " << element_name << ":" << pad_name;
    gst_pad_add_probe(pad, GST_PAD_PROBE_TYPE_BUFFER, &BufferRecorder::Probe,
                      this, nullptr);
    gst_object_unref(pad);
    gst_object_unref(element);
  }

  std::vector<SeenBuffer> Seen() const {
    MutexLock lock(&mu_);
    return seen_;
  }

 private:
  static GstPadProbeReturn Probe(GstPad* pad, GstPadProbeInfo* info,
                                 gpointer user_data) {
    static_cast<BufferRecorder*>(user_data)->Record(
        pad, GST_PAD_PROBE_INFO_BUFFER(info));
    return GST_PAD_PROBE_OK;
  }

  void Record(GstPad* pad, GstBuffer* buffer) {
    SeenBuffer seen;
    seen.pts = GST_BUFFER_PTS(buffer);
    GstMemory* memory = gst_buffer_n_memory(buffer) == 1
                            ? gst_buffer_peek_memory(buffer, 0)
                            : nullptr;
    if (memory != nullptr) {
      if (const GrallocBufferRef* ref = GrallocBufferOf(memory)) {
        seen.ours = true;
        seen.buffer_id = ref->info.buffer_id;
        seen.handle_flags = ref->info.flags;
      }
      seen.dmabuf = gst_is_dmabuf_memory(memory);
      if (seen.dmabuf) {
        seen.exporter =
            FdinfoValue(gst_dmabuf_memory_get_fd(memory), "exp_name");
      }
    }
    if (keep_pixels_) ReadPixels(pad, buffer, &seen.pixels);
    MutexLock lock(&mu_);
    seen_.push_back(std::move(seen));
  }

  static void ReadPixels(GstPad* pad, GstBuffer* buffer,
                         std::vector<uint8_t>* pixels) {
    GstCaps* caps = gst_pad_get_current_caps(pad);
    GstVideoInfo info;
    const bool parsed =
        caps != nullptr && gst_video_info_from_caps(&info, caps);
    if (caps != nullptr) gst_caps_unref(caps);
    if (!parsed) return;
    GstVideoFrame frame;
    // Uses the buffer's GstVideoMeta: our layout's offsets and strides.
    if (!gst_video_frame_map(&frame, &info, buffer, GST_MAP_READ)) return;
    for (guint plane = 0; plane < GST_VIDEO_FRAME_N_PLANES(&frame); ++plane) {
      // GStreamer's default layout of these caps (`info`): for the widths
      // here, rows of exactly the pixels, nothing added.
      const size_t row_bytes = GST_VIDEO_INFO_PLANE_STRIDE(&info, plane);
      gint components[GST_VIDEO_MAX_COMPONENTS];
      gst_video_format_info_component(info.finfo, plane, components);
      const int rows = GST_VIDEO_INFO_COMP_HEIGHT(&info, components[0]);
      const auto* data = static_cast<const uint8_t*>(
          GST_VIDEO_FRAME_PLANE_DATA(&frame, plane));
      const size_t stride = GST_VIDEO_FRAME_PLANE_STRIDE(&frame, plane);
      for (int y = 0; y < rows; ++y) {
        pixels->insert(pixels->end(), data + stride * y,
                       data + stride * y + row_bytes);
      }
    }
    gst_video_frame_unmap(&frame);
  }

  const bool keep_pixels_;
  mutable Mutex mu_;
  std::vector<SeenBuffer> seen_ ABSL_GUARDED_BY(mu_);
};

// The pipeline's result as a test message.
std::string Describe(const PipelineResult& result) {
  return absl::StrCat(result.error_source, ": ", result.error_message, " (",
                      result.error_debug, ")");
}

// Checks what a probe saw: frames arrived, every one ours, a dma-buf that
// `exporter` exported and, for the CMA heap, marked contiguous. Returns how
// many different buffers of ours passed.
size_t ExpectOurBuffersFrom(const std::vector<SeenBuffer>& seen,
                            const std::string& exporter, size_t min_frames) {
  EXPECT_GE(seen.size(), min_frames);
  std::set<uint64_t> buffer_ids;
  for (const SeenBuffer& buffer : seen) {
    EXPECT_TRUE(buffer.ours) << "a buffer not from a gralloc pool passed";
    EXPECT_TRUE(buffer.dmabuf)
        << "buffer " << buffer.buffer_id << " is not dma-buf memory";
    EXPECT_EQ(buffer.exporter, exporter) << "buffer " << buffer.buffer_id;
    if (exporter == kCmaHeap) {
      EXPECT_NE(buffer.handle_flags & kHandleFlagContiguous, 0u)
          << "buffer " << buffer.buffer_id << " on CMA is not contiguous";
    }
    buffer_ids.insert(buffer.buffer_id);
  }
  std::cout << seen.size() << " frames in " << buffer_ids.size()
            << " of our buffers, exported by \"" << exporter << "\"\n";
  return buffer_ids.size();
}

// The buffers the grallocpool element `name` in `pipeline` has allocated.
uint64_t BuffersAllocated(GstElement* pipeline, const char* name) {
  GstElement* element = gst_bin_get_by_name(GST_BIN(pipeline), name);
  if (element == nullptr) return 0;
  guint64 allocated = 0;
  g_object_get(element, "buffers-allocated", &allocated, nullptr);
  gst_object_unref(element);
  return allocated;
}

class GstreamerVmTest : public ::testing::Test {
 protected:
  // Skips unless GStreamer and `elements` are there.
  void RequireElements(const std::vector<std::string>& elements) {
    std::string why;
    if (!InitGstreamer(&why, elements)) GTEST_SKIP() << why;
  }
};

// --- Camera: v4l2src on vivid. ---

struct CameraCase {
  const char* name;
  const char* profile;
  const char* format;    // GStreamer's name; vivid speaks it too
  const char* exporter;  // the heap every buffer must come from
};

class CameraTest : public GstreamerVmTest,
                   public ::testing::WithParamInterface<CameraCase> {};

// vivid's webcam sizes are discrete; 640x360 is one of them.
constexpr int kCameraWidth = 640;
constexpr int kCameraHeight = 360;
// More frames than v4l2src queues, so every buffer comes round to the sink.
constexpr int kCameraFrames = 8;

TEST_P(CameraTest, V4l2srcCapturesColourBarsIntoOurBuffers) {
  const CameraCase& c = GetParam();
  const std::string node = FindVideoNode("vivid-000-vid-cap");
  if (node.empty()) {
    GTEST_SKIP() << "no vivid capture node: not the VM tier's kernel "
                    "(tools/vm/run_vm.sh)";
  }
  ASSERT_NO_FATAL_FAILURE(
      RequireElements({"v4l2src", "capsfilter", "fakesink"}));
  if (IsSkipped()) return;

  GstLogCapture log({{"v4l2bufferpool", GST_LEVEL_LOG}});
  BufferRecorder recorder(/*keep_pixels=*/true);
  // The OSD text off (vivid's "OSD Text Mode" None), so every row shows
  // the bars; grallocpool fails the pipeline if a buffer not from its pool
  // passes.
  const std::string pipeline = absl::StrCat(
      "v4l2src name=src device=", node,
      " io-mode=dmabuf-import num-buffers=", kCameraFrames,
      " extra-controls=\"c,osd_text_mode=2\" ! video/x-raw,format=", c.format,
      ",width=", kCameraWidth, ",height=", kCameraHeight,
      " ! grallocpool name=pool usage=CAMERA_OUTPUT require-own=true "
      "profile=",
      ProfilePath(c.profile), " ! fakesink name=sink");
  std::cout << "pipeline: " << pipeline << "\n";
  uint64_t allocated = 0;
  const PipelineResult result = RunPipeline(
      pipeline, [&](GstElement* p) { recorder.Attach(p, "sink", "sink"); },
      [&](GstElement* p) { allocated = BuffersAllocated(p, "pool"); },
      kPipelineTimeoutS);
  ASSERT_TRUE(result.reached_eos) << Describe(result);

  const std::vector<SeenBuffer> seen = recorder.Seen();
  // Every buffer the pool allocated was seen, so every one is on the heap.
  EXPECT_EQ(ExpectOurBuffersFrom(seen, c.exporter, kCameraFrames), allocated);
  // v4l2src's pool ("src:pool<N>:src") imported the dma-bufs of ours it
  // queued to vivid, at least one per frame.
  const int imports =
      log.Count("v4l2bufferpool", "src:pool", "importing dmabuf");
  std::cout << "v4l2 pool: " << imports << " dma-buf imports\n";
  EXPECT_GE(imports, kCameraFrames);
  EXPECT_EQ(log.Count("v4l2bufferpool", "", "failed to import"), 0);

  ASSERT_FALSE(seen.empty());
  const std::vector<uint8_t>& pixels = seen.back().pixels;
  // The top row (the OSD text would be there, had the control not taken)
  // and rows below the text.
  const std::vector<int> rows = {0, kCameraHeight / 2, kCameraHeight - 4};
  BarCheck bars;
  if (std::string(c.format) == "RGBA") {
    ASSERT_EQ(pixels.size(), size_t{kCameraWidth} * kCameraHeight * 4);
    bars = CheckRgbaColourBars(pixels.data(), kCameraWidth * 4, kCameraWidth,
                               rows);
  } else {
    ASSERT_EQ(pixels.size(), size_t{kCameraWidth} * kCameraHeight * 3 / 2);
    bars = CheckNv12ColourBars(pixels.data(),
                               pixels.data() + kCameraWidth * kCameraHeight,
                               kCameraWidth, kCameraWidth, rows);
  }
  for (const std::string& mismatch : bars.first_mismatches) {
    ADD_FAILURE() << mismatch;
  }
  EXPECT_EQ(bars.mismatches, 0);
}

INSTANTIATE_TEST_SUITE_P(
    Profiles, CameraTest,
    ::testing::Values(
        // The VM's profile: system heap first.
        CameraCase{"VmProfileRgba", kVmProfile, "RGBA", kSystemHeap},
        // A camera without an IOMMU: contiguous, so CMA (NV12: the
        // profile's camera has no RGB format).
        CameraCase{"SocNoIommuNv12", kSocProfile, "NV12", kCmaHeap}),
    [](const ::testing::TestParamInfo<CameraCase>& param) {
      return std::string(param.param.name);
    });

// --- Converter: v4l2convert on vim2m. ---

// The v4l2 converter element GStreamer registered for the mem2mem device
// `node` (the video4linux2 plugin registers one per device it probes:
// "v4l2convert" for the first, "v4l2video<N>convert" for others), or "".
std::string ConverterFor(const std::string& node) {
  std::string found;
  GList* features = gst_registry_get_feature_list_by_plugin(gst_registry_get(),
                                                            "video4linux2");
  for (GList* it = features; it != nullptr && found.empty(); it = it->next) {
    GstPluginFeature* feature = GST_PLUGIN_FEATURE(it->data);
    const std::string name = gst_plugin_feature_get_name(feature);
    if (!GST_IS_ELEMENT_FACTORY(feature) || !absl::EndsWith(name, "convert")) {
      continue;
    }
    GstElement* element =
        gst_element_factory_create(GST_ELEMENT_FACTORY(feature), nullptr);
    if (element == nullptr) continue;
    gchar* device = nullptr;
    g_object_get(element, "device", &device, nullptr);
    if (device != nullptr && node == device) found = name;
    g_free(device);
    gst_object_unref(element);
  }
  gst_plugin_feature_list_free(features);
  return found;
}

// vim2m's largest frame.
constexpr int kConvertWidth = 640;
constexpr int kConvertHeight = 480;
constexpr int kConvertFrames = 4;
constexpr int kRgb16Bytes = 2;

TEST_F(GstreamerVmTest, V4l2convertFlipsOurBuffersAsTheCpuDoes) {
  const std::string node = FindVideoNode("vim2m");
  if (node.empty()) {
    GTEST_SKIP() << "no vim2m video node: not the VM tier's kernel "
                    "(tools/vm/run_vm.sh)";
  }
  ASSERT_NO_FATAL_FAILURE(
      RequireElements({"videotestsrc", "capsfilter", "fakesink"}));
  if (IsSkipped()) return;
  const std::string converter = ConverterFor(node);
  ASSERT_FALSE(converter.empty())
      << "GStreamer registered no v4l2 converter for " << node;

  GstLogCapture log({{"v4l2bufferpool", GST_LEVEL_LOG}});
  BufferRecorder inputs(/*keep_pixels=*/true);
  BufferRecorder outputs(/*keep_pixels=*/true);
  const std::string caps =
      absl::StrCat("video/x-raw,format=RGB16,width=", kConvertWidth,
                   ",height=", kConvertHeight);
  // smpte: a picture that is not its own vertical mirror image. The codec
  // reads the first pool (VIDEO_ENCODER) and writes the second
  // (VIDEO_DECODER).
  const std::string pipeline = absl::StrCat(
      "videotestsrc num-buffers=", kConvertFrames, " pattern=smpte ! ", caps,
      " ! grallocpool name=in usage=VIDEO_ENCODER require-own=true profile=",
      ProfilePath(kVmProfile), " ! ", converter,
      " name=conv output-io-mode=dmabuf-import capture-io-mode=dmabuf-import"
      " disable-passthrough=true extra-controls=\"c,vertical_flip=1\" ! ",
      caps,
      " ! grallocpool name=out usage=VIDEO_DECODER require-own=true profile=",
      ProfilePath(kVmProfile), " ! fakesink name=sink");
  std::cout << "pipeline: " << pipeline << "\n";
  const PipelineResult result = RunPipeline(
      pipeline,
      [&](GstElement* p) {
        inputs.Attach(p, "conv", "sink");
        outputs.Attach(p, "sink", "sink");
      },
      nullptr, kPipelineTimeoutS);
  ASSERT_TRUE(result.reached_eos) << Describe(result);

  const std::vector<SeenBuffer> in = inputs.Seen();
  const std::vector<SeenBuffer> out = outputs.Seen();
  ExpectOurBuffersFrom(in, kSystemHeap, kConvertFrames);
  ExpectOurBuffersFrom(out, kSystemHeap, kConvertFrames);
  // Both of the converter's pools imported our dma-bufs: the OUTPUT queue's
  // ("conv:pool<N>:sink") and the CAPTURE queue's ("conv:pool<N>:src").
  const int output_imports =
      log.Count("v4l2bufferpool", ":sink", "importing dmabuf");
  const int capture_imports =
      log.Count("v4l2bufferpool", ":src", "importing dmabuf");
  std::cout << "v4l2 pools: " << output_imports << " imports on OUTPUT, "
            << capture_imports << " on CAPTURE\n";
  EXPECT_GE(output_imports, kConvertFrames);
  EXPECT_GE(capture_imports, kConvertFrames);

  // Each output frame against its input (same timestamp) flipped by the
  // CPU.
  std::map<GstClockTime, const std::vector<uint8_t>*> by_pts;
  for (const SeenBuffer& frame : in) by_pts[frame.pts] = &frame.pixels;
  const size_t row_bytes = size_t{kConvertWidth} * kRgb16Bytes;
  const size_t frame_bytes = row_bytes * kConvertHeight;
  int compared = 0;
  for (const SeenBuffer& frame : out) {
    auto source = by_pts.find(frame.pts);
    ASSERT_NE(source, by_pts.end()) << "an output frame with no input";
    const std::vector<uint8_t>& want_from = *source->second;
    ASSERT_EQ(want_from.size(), frame_bytes);
    ASSERT_EQ(frame.pixels.size(), frame_bytes);
    std::vector<uint8_t> want(frame_bytes);
    for (int y = 0; y < kConvertHeight; ++y) {
      std::memcpy(want.data() + row_bytes * y,
                  want_from.data() + row_bytes * (kConvertHeight - 1 - y),
                  row_bytes);
    }
    ASSERT_NE(want, want_from) << "the picture is its own mirror image";
    for (int y = 0; y < kConvertHeight; ++y) {
      ASSERT_EQ(std::memcmp(frame.pixels.data() + row_bytes * y,
                            want.data() + row_bytes * y, row_bytes),
                0)
          << "frame at " << frame.pts << ": row " << y << " is not input row "
          << kConvertHeight - 1 - y;
    }
    ++compared;
  }
  EXPECT_GE(compared, kConvertFrames);
}

// --- Display: kmssink on vkms. ---

struct DisplayCase {
  const char* name;
  const char* profile;
  const char* exporter;
};

class DisplayTest : public GstreamerVmTest,
                    public ::testing::WithParamInterface<DisplayCase> {};

// A mode vkms offers (kmssink's modesetting needs the frame's size to be
// one), in the one format of vkms's primary plane the plugin serves.
constexpr int kDisplayWidth = 640;
constexpr int kDisplayHeight = 480;
constexpr int kDisplayFrames = 5;

TEST_P(DisplayTest, KmssinkScansOutOurBuffersWithoutCopies) {
  const DisplayCase& c = GetParam();
  if (FindDrmCard("vkms").empty()) {
    GTEST_SKIP() << "no vkms card: not the VM tier's kernel "
                    "(tools/vm/run_vm.sh)";
  }
  ASSERT_NO_FATAL_FAILURE(RequireElements({"videotestsrc", "kmssink"}));
  if (IsSkipped()) return;

  GstLogCapture log(
      {{"GST_PERFORMANCE", GST_LEVEL_INFO}, {"kmssink", GST_LEVEL_LOG}});
  BufferRecorder recorder(/*keep_pixels=*/false);
  // Nothing else drives vkms's CRTC, so kmssink sets the mode itself and
  // flips the primary plane to each frame's framebuffer.
  const std::string pipeline = absl::StrCat(
      "videotestsrc num-buffers=", kDisplayFrames,
      " pattern=smpte ! video/x-raw,format=RGB16,width=", kDisplayWidth,
      ",height=", kDisplayHeight,
      " ! grallocpool name=pool usage=COMPOSER_OVERLAY require-own=true "
      "profile=",
      ProfilePath(c.profile),
      " ! kmssink name=sink driver-name=vkms force-modesetting=true");
  std::cout << "pipeline: " << pipeline << "\n";
  uint64_t allocated = 0;
  const PipelineResult result = RunPipeline(
      pipeline, [&](GstElement* p) { recorder.Attach(p, "sink", "sink"); },
      [&](GstElement* p) { allocated = BuffersAllocated(p, "pool"); },
      kPipelineTimeoutS);
  ASSERT_TRUE(result.reached_eos) << Describe(result);

  // Every buffer the pool allocated was shown, so every one is on the heap.
  const size_t buffers =
      ExpectOurBuffersFrom(recorder.Seen(), c.exporter, kDisplayFrames);
  EXPECT_EQ(buffers, allocated);
  // kmssink made a framebuffer of each of our dma-bufs once ("setting KMS
  // mem ... to DMABuf mem"; later frames find it cached) and never copied
  // a frame.
  const int imported = log.Count("kmssink", "sink", "to DMABuf mem");
  const int copies = log.Count("GST_PERFORMANCE", "sink", "frame copy");
  std::cout << "kmssink: " << imported << " dma-bufs imported, " << copies
            << " frame copies\n";
  EXPECT_EQ(static_cast<size_t>(imported), buffers);
  EXPECT_EQ(copies, 0);
}

INSTANTIATE_TEST_SUITE_P(
    Profiles, DisplayTest,
    ::testing::Values(DisplayCase{"VmProfile", kVmProfile, kSystemHeap},
                      DisplayCase{"SocNoIommu", kSocProfile, kCmaHeap}),
    [](const ::testing::TestParamInfo<DisplayCase>& param) {
      return std::string(param.param.name);
    });

}  // namespace
}  // namespace gralloc
