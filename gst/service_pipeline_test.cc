// Copyright 2026 The gralloc for Linux Authors.
//
// grallocpool through the allocator service: a private gralloc-allocatord
// on a socket of its own (tests/integration/service_process.h), a pipeline
// whose grallocpool allocates there, and `gralloctl list` run while frames flow
// (it lists exactly the pool's buffers: the ids the frames carry, this
// process, the pool's name and size) and after EOS (none).

#include <gst/gst.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gst/gralloc_memory.h"
#include "gst/testing/gst_test_env.h"
#include "gtest/gtest.h"
#include "tests/integration/service_process.h"

namespace gralloc::gst {
namespace {

using testing::InitGstreamer;
using testing::PipelineResult;
using testing::RunPipeline;

std::string Runfile(const std::string& path) {
  const char* srcdir = std::getenv("TEST_SRCDIR");
  const char* workspace = std::getenv("TEST_WORKSPACE");
  return absl::StrCat(srcdir != nullptr ? srcdir : ".", "/",
                      workspace != nullptr ? workspace : "gralloc", "/", path);
}

// `gralloctl list --socket=SOCKET`; true when it exits 0.
bool List(const std::string& socket, std::string* output) {
  const std::string command = absl::StrCat(Runfile("tools/gralloctl/gralloctl"),
                                           " list --socket=", socket, " 2>&1");
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return false;
  char chunk[4096];
  output->clear();
  size_t n;
  while ((n = fread(chunk, 1, sizeof(chunk), pipe)) > 0) {
    output->append(chunk, n);
  }
  return pclose(pipe) == 0;
}

// One row of `gralloctl list`: BUFFER_ID PID SIZE HEAP FORMAT WxH NAME.
struct ListRow {
  uint64_t buffer_id = 0;
  long pid = 0;
  std::string dimensions;
  std::string name;
};

std::vector<ListRow> ParseList(const std::string& output) {
  std::vector<ListRow> rows;
  std::istringstream lines(output);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.rfind("0x", 0) != 0) continue;
    std::istringstream fields(line);
    std::string id, size, heap, format;
    ListRow row;
    fields >> id >> row.pid >> size >> heap >> format >> row.dimensions >>
        row.name;
    row.buffer_id = std::stoull(id, nullptr, 16);
    rows.push_back(row);
  }
  return rows;
}

struct DuringRun {
  std::string socket;
  std::atomic<uint64_t> frames{0};
  std::mutex mu;
  std::set<uint64_t> ids_seen;
  std::string list_output;
  bool list_ok = false;
};

GstPadProbeReturn Observe(GstPad* /*pad*/, GstPadProbeInfo* info,
                          gpointer data) {
  auto* run = static_cast<DuringRun*>(data);
  GstBuffer* buffer = GST_PAD_PROBE_INFO_BUFFER(info);
  const GrallocBufferRef* ref =
      GrallocBufferOf(gst_buffer_peek_memory(buffer, 0));
  std::lock_guard<std::mutex> lock(run->mu);
  if (ref != nullptr) run->ids_seen.insert(ref->info.buffer_id);
  // Mid-run, with every buffer of the pool in use by now: ask the service.
  if (++run->frames == 40) {
    run->list_ok = List(run->socket, &run->list_output);
  }
  return GST_PAD_PROBE_OK;
}

TEST(ServicePipelineTest, GralloctlListShowsThePoolsBuffersThenNone) {
  // Before GStreamer makes any thread: Start() forks.
  const std::string socket =
      ::gralloc::testing::ShortSocketDir() + "/allocator.sock";
  absl::StatusOr<std::unique_ptr<::gralloc::testing::ServiceProcess>> service =
      ::gralloc::testing::ServiceProcess::Start(socket, {"--quiet"});
  ASSERT_TRUE(service.ok()) << service.status();
  std::string why;
  if (!InitGstreamer(&why)) GTEST_SKIP() << why;

  DuringRun run;
  run.socket = socket;
  uint64_t buffers_allocated = 0;
  PipelineResult result = RunPipeline(
      absl::StrCat("videotestsrc num-buffers=80 pattern=ball ! "
                   "video/x-raw,format=NV12,width=636,height=478 ! "
                   "grallocpool name=gst-camera min-buffers=5 require-own=true "
                   "socket=",
                   socket,
                   " ! videoconvert ! video/x-raw,format=I420 ! fakesink"),
      [&](GstElement* pipeline) {
        GstElement* element =
            gst_bin_get_by_name(GST_BIN(pipeline), "gst-camera");
        GstPad* pad = gst_element_get_static_pad(element, "src");
        gst_pad_add_probe(pad, GST_PAD_PROBE_TYPE_BUFFER, Observe, &run,
                          nullptr);
        gst_object_unref(pad);
        gst_object_unref(element);
      },
      [&](GstElement* pipeline) {
        GstElement* element =
            gst_bin_get_by_name(GST_BIN(pipeline), "gst-camera");
        g_object_get(element, "buffers-allocated", &buffers_allocated, nullptr);
        gst_object_unref(element);
      });
  ASSERT_TRUE(result.reached_eos)
      << result.error_source << ": " << result.error_message;
  ASSERT_EQ(run.frames, 80u);
  ASSERT_TRUE(run.list_ok) << run.list_output;

  // During the run: exactly the pool's buffers, this process's, named after
  // the element.
  EXPECT_EQ(buffers_allocated, 5u);
  const std::vector<ListRow> rows = ParseList(run.list_output);
  EXPECT_EQ(rows.size(), 5u) << run.list_output;
  std::set<uint64_t> listed;
  for (const ListRow& row : rows) {
    listed.insert(row.buffer_id);
    EXPECT_EQ(row.pid, static_cast<long>(getpid())) << run.list_output;
    EXPECT_EQ(row.dimensions, "636x478") << run.list_output;
    EXPECT_EQ(row.name, "gst-camera") << run.list_output;
  }
  EXPECT_EQ(listed, run.ids_seen) << run.list_output;
  EXPECT_NE(run.list_output.find("5 live allocations"), std::string::npos);

  // After EOS the pipeline is torn down; its buffers are gone, and the
  // service says so (released at free; waited for, never slept on).
  std::string after;
  EXPECT_TRUE(::gralloc::testing::Eventually([&] {
    return List(socket, &after) && ParseList(after).empty();
  })) << after;
  EXPECT_NE(after.find("0 live allocations"), std::string::npos) << after;
}

}  // namespace
}  // namespace gralloc::gst
