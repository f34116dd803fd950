// Copyright 2026 The gralloc for Linux Authors.

#include "gst/testing/gst_test_env.h"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <sstream>

#include "gst/register.h"

// LeakSanitizer (--config=asan): GLib and GStreamer keep process-lifetime
// allocations (the type system, the registry, thread pools, ORC code) that
// nothing frees at exit, and their frames carry no frame pointers, so the
// stacks end in g_malloc and cannot be told apart by caller. They are
// suppressed by library; the plugin's own ownership (every buffer's fds
// closed exactly once) is what the fd-count tests check. (Both hooks are
// marked used: nothing in the program calls them, and the linker would
// otherwise drop them with the unused sections.)
extern "C" __attribute__((used, visibility("default"))) const char*
__lsan_default_suppressions() {
  return "leak:libglib-2.0.so\n"
         "leak:libgobject-2.0.so\n"
         "leak:libgstreamer-1.0.so\n"
         "leak:libgstbase-1.0.so\n"
         "leak:libgstvideo-1.0.so\n"
         "leak:liborc-0.4.so\n";
}

// ThreadSanitizer (--config=tsan): GLib and GStreamer are not
// instrumented, so TSan sees neither their atomic reference counts nor
// their lock-free queues, and reports the free of a buffer or message in
// one thread as racing with its allocation in another (a streaming thread
// of videotestsrc, say). Races with a frame in those libraries are
// suppressed; races entirely in our code are still reported.
extern "C" __attribute__((used, visibility("default"))) const char*
__tsan_default_suppressions() {
  return "race:libglib-2.0.so\n"
         "race:libgobject-2.0.so\n"
         "race:libgstreamer-1.0.so\n"
         "race:libgstbase-1.0.so\n"
         "race:libgstvideo-1.0.so\n"
         "race:libgstallocators-1.0.so\n"
         "race:liborc-0.4.so\n";
}

namespace gralloc::gst::testing {

std::string TestFile(const std::string& name) {
  const char* dir = std::getenv("TEST_TMPDIR");
  return std::string(dir != nullptr ? dir : "/tmp") + "/" + name;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

bool InitGstreamer(std::string* why_not) {
  return InitGstreamer(why_not, {"videotestsrc", "videoconvert", "y4menc",
                                 "fakesink", "filesink"});
}

bool InitGstreamer(std::string* why_not,
                   const std::vector<std::string>& elements) {
  static std::once_flag once;
  static std::string init_failure;
  std::call_once(once, [] {
    setenv("GST_REGISTRY", TestFile("gst-registry.bin").c_str(), 1);
    // The plugin comes from the linked code, never from a stray .so.
    unsetenv("GST_PLUGIN_PATH");
    GError* error = nullptr;
    if (!gst_init_check(nullptr, nullptr, &error)) {
      init_failure = std::string("gst_init failed: ") +
                     (error != nullptr ? error->message : "?");
      g_clear_error(&error);
      return;
    }
    if (!RegisterPluginStatically()) {
      init_failure = "registering the gralloc plugin failed";
    }
  });
  std::string failure = init_failure;
  for (const std::string& name : elements) {
    if (!failure.empty()) break;
    GstElementFactory* factory = gst_element_factory_find(name.c_str());
    if (factory == nullptr) {
      failure = "GStreamer element " + name +
                " is missing (tools/setup.sh installs it)";
    } else {
      gst_object_unref(factory);
    }
  }
  if (!failure.empty()) {
    std::fprintf(stderr, "%s\n", failure.c_str());
    if (why_not != nullptr) *why_not = failure;
    return false;
  }
  return true;
}

PipelineResult RunPipeline(
    const std::string& description,
    const std::function<void(GstElement* pipeline)>& prepare,
    const std::function<void(GstElement* pipeline)>& after, int timeout_s) {
  PipelineResult result;
  GError* error = nullptr;
  GstElement* pipeline = gst_parse_launch(description.c_str(), &error);
  if (pipeline == nullptr || error != nullptr) {
    result.error_source = "gst_parse_launch";
    result.error_message = error != nullptr ? error->message : "failed";
    g_clear_error(&error);
    if (pipeline != nullptr) gst_object_unref(pipeline);
    return result;
  }
  if (prepare) prepare(pipeline);
  gst_element_set_state(pipeline, GST_STATE_PLAYING);
  GstBus* bus = gst_element_get_bus(pipeline);
  GstMessage* message = gst_bus_timed_pop_filtered(
      bus, static_cast<GstClockTime>(timeout_s) * GST_SECOND,
      static_cast<GstMessageType>(GST_MESSAGE_EOS | GST_MESSAGE_ERROR));
  if (message == nullptr) {
    result.error_source = "test";
    result.error_message = "no EOS or error in time";
  } else if (GST_MESSAGE_TYPE(message) == GST_MESSAGE_EOS) {
    result.reached_eos = true;
  } else {
    GError* gerror = nullptr;
    gchar* debug = nullptr;
    gst_message_parse_error(message, &gerror, &debug);
    result.error_source = GST_OBJECT_NAME(GST_MESSAGE_SRC(message));
    result.error_message = gerror != nullptr ? gerror->message : "";
    result.error_debug = debug != nullptr ? debug : "";
    g_clear_error(&gerror);
    g_free(debug);
  }
  if (message != nullptr) gst_message_unref(message);
  gst_object_unref(bus);
  if (after) after(pipeline);
  gst_element_set_state(pipeline, GST_STATE_NULL);
  gst_object_unref(pipeline);
  return result;
}

}  // namespace gralloc::gst::testing
