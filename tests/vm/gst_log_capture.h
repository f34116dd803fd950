// Copyright 2026 The gralloc for Linux Authors.
//
// tests/vm/gst_log_capture.h: GStreamer's debug log, kept in-process.
// Test-only.
//
// Some of what GStreamer's elements do is visible only in their debug log:
// the v4l2 buffer pool logs "importing dmabuf" (category v4l2bufferpool,
// level LOG) for every dma-buf it imports from another pool, and kmssink
// logs "frame copy" (GST_PERFORMANCE, INFO) for every frame it must copy
// because it could not import it. A GstLogCapture raises the categories it
// is given to their levels and keeps their messages while it lives:
//
//   GstLogCapture log({{"v4l2bufferpool", GST_LEVEL_LOG}});
//   RunPipeline(...);
//   EXPECT_GT(log.Count("v4l2bufferpool", ":pool0:src", "importing dmabuf"),
//             0);
//
// While it lives it replaces GStreamer's default log function (which
// prints to stderr), so the captured LOG lines do not flood the test's
// output; messages of any category at WARNING or above still reach stderr.
// At most one may live at a time. Call after gst_init. Messages arrive on
// any thread; Count() and Lines() may be called from any thread.

#ifndef GRALLOC_TESTS_VM_GST_LOG_CAPTURE_H_
#define GRALLOC_TESTS_VM_GST_LOG_CAPTURE_H_

#include <gst/gst.h>

#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/strings/string_view.h"
#include "hal/base/mutex.h"

namespace gralloc::vmtest {

class GstLogCapture final {
 public:
  struct Line {
    std::string category;
    GstDebugLevel level = GST_LEVEL_NONE;
    std::string object;  // the name of the object it was logged for, or ""
    std::string message;
  };

  // Keeps the messages of each named category (a GStreamer category name,
  // e.g. "v4l2bufferpool", "GST_PERFORMANCE") up to its level.
  explicit GstLogCapture(
      std::vector<std::pair<std::string, GstDebugLevel>> categories);
  ~GstLogCapture();
  GstLogCapture(const GstLogCapture&) = delete;
  GstLogCapture& operator=(const GstLogCapture&) = delete;

  // Every message kept so far, in order.
  std::vector<Line> Lines() const;

  // How many kept messages of `category` were logged for an object whose
  // name contains `object_part` ("" matches any, objectless ones too) and
  // contain `text`.
  int Count(absl::string_view category, absl::string_view object_part,
            absl::string_view text) const;

 private:
  static void Log(GstDebugCategory* category, GstDebugLevel level,
                  const gchar* file, const gchar* function, gint line,
                  GObject* object, GstDebugMessage* message,
                  gpointer user_data);

  const std::vector<std::pair<std::string, GstDebugLevel>> categories_;
  mutable Mutex mu_;
  std::vector<Line> lines_ ABSL_GUARDED_BY(mu_);
};

}  // namespace gralloc::vmtest

#endif  // GRALLOC_TESTS_VM_GST_LOG_CAPTURE_H_
