// Copyright 2026 The gralloc for Linux Authors.
//
// gst/testing/gst_test_env.h: GStreamer in a test process.
//
// InitGstreamer() points GStreamer's registry into the test's private
// TEST_TMPDIR (never the user's ~/.cache), initialises GStreamer once and
// registers the gralloc plugin from the linked code, so tests of the
// plugin's internals and of whole pipelines share one copy of its types.
// RunPipeline() runs a gst-launch description to its end (EOS or the first
// error) and reports what happened. Test-only.

#ifndef GRALLOC_GST_TESTING_GST_TEST_ENV_H_
#define GRALLOC_GST_TESTING_GST_TEST_ENV_H_

#include <gst/gst.h>

#include <functional>
#include <string>
#include <vector>

namespace gralloc::gst::testing {

// Idempotent and thread-safe. Returns false (with a reason on stderr) when
// GStreamer or the elements the tests need (videotestsrc, videoconvert,
// y4menc, fakesink, filesink) are missing: tests then skip.
bool InitGstreamer(std::string* why_not);

// The same, checking for `elements` instead (element factory names), for
// tests that use other elements (the VM tier's v4l2src, kmssink) and run
// where only those are installed.
bool InitGstreamer(std::string* why_not,
                   const std::vector<std::string>& elements);

struct PipelineResult {
  bool reached_eos = false;
  std::string error_source;   // the element that posted the first error
  std::string error_message;  // its GError message
  std::string error_debug;
};

// Parses `description`, lets `prepare` (if set) attach probes or read
// elements, runs it to EOS or the first error (at most `timeout_s`), reads
// `after` (if set) while the pipeline still exists, and tears it down.
PipelineResult RunPipeline(
    const std::string& description,
    const std::function<void(GstElement* pipeline)>& prepare = nullptr,
    const std::function<void(GstElement* pipeline)>& after = nullptr,
    int timeout_s = 300);

// A file under TEST_TMPDIR.
std::string TestFile(const std::string& name);

// The whole contents of `path`, or empty.
std::string ReadFile(const std::string& path);

}  // namespace gralloc::gst::testing

#endif  // GRALLOC_GST_TESTING_GST_TEST_ENV_H_
