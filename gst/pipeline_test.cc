// Copyright 2026 The gralloc for Linux Authors.
//
// Whole GStreamer pipelines through grallocpool, in-process on whatever
// backend this machine has (memfd on the development machines): the
// process's fds stay flat over 10,000 frames, a refused usage fails at caps
// negotiation with the allocator's reason, foreign buffers are caught, and
// the caps' colour description reaches the buffers' shared metadata.
// (Byte-identical frames are plugin_so_test's: GStreamer's own elements do
// not produce the same bytes twice in one process, so each pipeline there
// runs in a gst-launch-1.0 of its own.)

#include <gst/gst.h>
#include <gst/video/video.h>

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

#include "gst/gralloc_memory.h"
#include "gst/testing/gst_test_env.h"
#include "gtest/gtest.h"
#include "hal/base/fd_count.h"
#include "hal/metadata/metadata_types.h"

namespace gralloc::gst {
namespace {

using ::gralloc::testing::BufferFdCount;
using ::gralloc::testing::OpenFdCount;
using testing::InitGstreamer;
using testing::PipelineResult;
using testing::RunPipeline;

class PipelineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string why;
    if (!InitGstreamer(&why)) GTEST_SKIP() << why;
  }
};

// One look at the process's fds, on the streaming thread.
struct FdSample {
  uint64_t frame = 0;
  int gralloc = -1;  // fds that are buffers
  int other = -1;    // every other fd
};

// What a probe on grallocpool's src pad saw.
struct Seen {
  std::atomic<uint64_t> frames{0};
  std::atomic<uint64_t> gralloc_frames{0};
  // When set, the fds are sampled every 100 frames.
  bool sample_fds = false;
  std::mutex mutex;
  std::vector<FdSample> samples;  // guarded by mutex
};

GstPadProbeReturn Observe(GstPad* /*pad*/, GstPadProbeInfo* info,
                          gpointer data) {
  auto* seen = static_cast<Seen*>(data);
  GstBuffer* buffer = GST_PAD_PROBE_INFO_BUFFER(info);
  const uint64_t frame = ++seen->frames;
  if (gst_buffer_n_memory(buffer) == 1 &&
      GrallocBufferOf(gst_buffer_peek_memory(buffer, 0)) != nullptr) {
    ++seen->gralloc_frames;
  }
  if (seen->sample_fds && frame % 100 == 0) {
    FdSample sample;
    sample.frame = frame;
    sample.gralloc = BufferFdCount();
    sample.other = OpenFdCount() - sample.gralloc;
    std::lock_guard<std::mutex> lock(seen->mutex);
    seen->samples.push_back(sample);
  }
  return GST_PAD_PROBE_OK;
}

void ProbeGrallocPool(GstElement* pipeline, Seen* seen) {
  GstElement* element = gst_bin_get_by_name(GST_BIN(pipeline), "pool");
  ASSERT_NE(element, nullptr);
  GstPad* pad = gst_element_get_static_pad(element, "src");
  gst_pad_add_probe(pad, GST_PAD_PROBE_TYPE_BUFFER, Observe, seen, nullptr);
  gst_object_unref(pad);
  gst_object_unref(element);
}

uint64_t Uint64Property(GstElement* pipeline, const char* property) {
  GstElement* element = gst_bin_get_by_name(GST_BIN(pipeline), "pool");
  guint64 value = 0;
  g_object_get(element, property, &value, nullptr);
  gst_object_unref(element);
  return value;
}

// The least of the fds other than buffers over the samples in [first, last]:
// a transient fd raises some samples, a leak raises every later one. (Under
// TSan the loader on another thread was seen to hold libm.so.6 open through
// the first 700 frames.)
int LeastOtherFds(const std::vector<FdSample>& samples, uint64_t first,
                  uint64_t last) {
  int least = -1;
  for (const FdSample& sample : samples) {
    if (sample.frame < first || sample.frame > last) continue;
    if (least < 0 || sample.other < least) least = sample.other;
  }
  return least;
}

// "frame:gralloc+other ..." for a failure's message.
std::string Series(const std::vector<FdSample>& samples) {
  std::string out;
  for (const FdSample& sample : samples) {
    out += std::to_string(sample.frame) + ":" + std::to_string(sample.gralloc) +
           "+" + std::to_string(sample.other) + " ";
  }
  return out;
}

TEST_F(PipelineTest, FdCountIsFlatOver10000Frames) {
  Seen seen;
  seen.sample_fds = true;
  const int before = OpenFdCount();
  PipelineResult result = RunPipeline(
      // fakesink reads no GstVideoMeta, so the layout must be GStreamer's
      // default (CPU users only) for the pool to be proposed.
      "videotestsrc num-buffers=10000 ! "
      "video/x-raw,format=NV12,width=160,height=96 ! "
      "grallocpool name=pool require-own=true ! fakesink sync=false",
      [&](GstElement* pipeline) { ProbeGrallocPool(pipeline, &seen); });
  ASSERT_TRUE(result.reached_eos)
      << result.error_source << ": " << result.error_message;
  ASSERT_EQ(seen.gralloc_frames, 10000u);
  std::lock_guard<std::mutex> lock(seen.mutex);
  ASSERT_EQ(seen.samples.size(), 100u);
  // The pool's buffers are all made before the first frame (its minimum is
  // its maximum): their fds are the same number at every frame.
  ASSERT_GT(seen.samples.front().gralloc, 0);
  for (const FdSample& sample : seen.samples) {
    EXPECT_EQ(sample.gralloc, seen.samples.front().gralloc)
        << "frame " << sample.frame << ": " << Series(seen.samples);
  }
  // No other fd accumulates: the last thousand frames hold no more than the
  // first thousand.
  const int early = LeastOtherFds(seen.samples, 100, 1000);
  const int late = LeastOtherFds(seen.samples, 9100, 10000);
  ASSERT_GT(early, 0);
  EXPECT_LE(late, early) << Series(seen.samples);
  // Every buffer's fds are closed with the pipeline.
  EXPECT_EQ(OpenFdCount(), before);
}

TEST_F(PipelineTest, RefusedUsageFailsAtNegotiationWithTheReason) {
  Seen seen;
  uint64_t buffers_allocated = 1;
  // The generic profile's display reads no 8-bit grey.
  PipelineResult result = RunPipeline(
      "videotestsrc num-buffers=10 ! video/x-raw,format=GRAY8,width=64,"
      "height=48 ! grallocpool name=pool usage=COMPOSER_OVERLAY ! fakesink",
      [&](GstElement* pipeline) { ProbeGrallocPool(pipeline, &seen); },
      [&](GstElement* pipeline) {
        buffers_allocated = Uint64Property(pipeline, "buffers-allocated");
      });
  ASSERT_FALSE(result.reached_eos);
  EXPECT_EQ(result.error_source, "pool");
  // The allocator's reason: the field and the participant.
  EXPECT_NE(result.error_message.find("format: Y8"), std::string::npos)
      << result.error_message;
  EXPECT_NE(result.error_message.find("not supported by display"),
            std::string::npos)
      << result.error_message;
  EXPECT_EQ(seen.frames, 0u);
  EXPECT_EQ(buffers_allocated, 0u);
}

TEST_F(PipelineTest, ForeignBuffersFailWithRequireOwn) {
  // Downstream of a converter the buffers are videoconvert's own.
  PipelineResult result = RunPipeline(
      "videotestsrc num-buffers=5 ! video/x-raw,format=I420,width=64,"
      "height=48 ! videoconvert ! video/x-raw,format=NV12 ! identity "
      "drop-allocation=true ! grallocpool name=pool require-own=true ! "
      "fakesink");
  ASSERT_FALSE(result.reached_eos);
  EXPECT_EQ(result.error_source, "pool");
  EXPECT_NE(result.error_message.find("not from a gralloc pool"),
            std::string::npos)
      << result.error_message;
}

// The caps' colorimetry and HDR description, and the crop, reach every
// buffer's shared metadata, where any process importing it reads them.
struct MetadataSeen {
  std::atomic<int> checked{0};
  int32_t dataspace = 0;
  std::optional<Smpte2086> smpte2086;
  std::optional<Cta861_3> cta861_3;
  std::vector<Rect> crop;
};

GstPadProbeReturn ReadMetadata(GstPad* /*pad*/, GstPadProbeInfo* info,
                               gpointer data) {
  auto* seen = static_cast<MetadataSeen*>(data);
  GstBuffer* buffer = GST_PAD_PROBE_INFO_BUFFER(info);
  const GrallocBufferRef* ref =
      GrallocBufferOf(gst_buffer_peek_memory(buffer, 0));
  if (ref == nullptr || seen->checked++ != 0) return GST_PAD_PROBE_OK;
  using T = StandardMetadataType;
  if (auto value = GetMetadata<T::DATASPACE>(*ref); value.ok()) {
    seen->dataspace = static_cast<int32_t>(*value);
  }
  if (auto value = GetMetadata<T::SMPTE2086>(*ref); value.ok()) {
    seen->smpte2086 = *value;
  }
  if (auto value = GetMetadata<T::CTA861_3>(*ref); value.ok()) {
    seen->cta861_3 = *value;
  }
  if (auto value = GetMetadata<T::CROP>(*ref); value.ok()) seen->crop = *value;
  return GST_PAD_PROBE_OK;
}

TEST_F(PipelineTest, CapsColourAndHdrReachTheBufferMetadata) {
  MetadataSeen seen;
  // BT.2020 PQ, limited range, with HDR10 static metadata (the strings are
  // GStreamer's caps serialisation: primaries, white point, luminances).
  PipelineResult result = RunPipeline(
      "videotestsrc num-buffers=3 ! video/x-raw,format=P010_10LE,width=64,"
      "height=48,colorimetry=bt2100-pq,"
      "mastering-display-info=(string)"
      "35400:14600:8500:39850:6550:2300:15635:16450:10000000:50,"
      "content-light-level=(string)1000:400 ! "
      "grallocpool name=pool ! fakesink",
      [&](GstElement* pipeline) {
        GstElement* element = gst_bin_get_by_name(GST_BIN(pipeline), "pool");
        GstPad* pad = gst_element_get_static_pad(element, "src");
        gst_pad_add_probe(pad, GST_PAD_PROBE_TYPE_BUFFER, ReadMetadata, &seen,
                          nullptr);
        gst_object_unref(pad);
        gst_object_unref(element);
      });
  ASSERT_TRUE(result.reached_eos)
      << result.error_source << ": " << result.error_message;
  ASSERT_GT(seen.checked, 0);
  EXPECT_EQ(seen.dataspace, static_cast<int32_t>(Dataspace::BT2020_ITU_PQ));
  ASSERT_TRUE(seen.smpte2086.has_value());
  EXPECT_FLOAT_EQ(seen.smpte2086->primary_red.x, 0.708f);
  EXPECT_FLOAT_EQ(seen.smpte2086->white_point.y, 0.329f);
  EXPECT_FLOAT_EQ(seen.smpte2086->max_luminance, 1000.0f);
  EXPECT_FLOAT_EQ(seen.smpte2086->min_luminance, 0.005f);
  ASSERT_TRUE(seen.cta861_3.has_value());
  EXPECT_EQ(seen.cta861_3->max_content_light_level, 1000.0f);
  EXPECT_EQ(seen.cta861_3->max_frame_average_light_level, 400.0f);
  ASSERT_EQ(seen.crop.size(), 1u);
  EXPECT_EQ(seen.crop[0], (Rect{0, 0, 64, 48}));
}

}  // namespace
}  // namespace gralloc::gst
