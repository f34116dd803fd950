// Copyright 2026 The gralloc for Linux Authors.

#include "tests/vm/gst_log_capture.h"

#include <cstdio>

#include "absl/strings/match.h"

namespace gralloc::vmtest {

GstLogCapture::GstLogCapture(
    std::vector<std::pair<std::string, GstDebugLevel>> categories)
    : categories_(std::move(categories)) {
  gst_debug_set_active(TRUE);
  gst_debug_remove_log_function(gst_debug_log_default);
  gst_debug_add_log_function(&GstLogCapture::Log, this, nullptr);
  for (const auto& [name, level] : categories_) {
    gst_debug_set_threshold_for_name(name.c_str(), level);
  }
}

GstLogCapture::~GstLogCapture() {
  for (const auto& category : categories_) {
    gst_debug_unset_threshold_for_name(category.first.c_str());
  }
  gst_debug_remove_log_function(&GstLogCapture::Log);
  gst_debug_add_log_function(gst_debug_log_default, nullptr, nullptr);
}

void GstLogCapture::Log(GstDebugCategory* category, GstDebugLevel level,
                        const gchar* file, const gchar* /*function*/, gint line,
                        GObject* object, GstDebugMessage* message,
                        gpointer user_data) {
  auto* self = static_cast<GstLogCapture*>(user_data);
  const char* name = gst_debug_category_get_name(category);
  const char* text = gst_debug_message_get(message);
  // The object's name without its lock: the caller may hold it, and a
  // name does not change while the object logs.
  const char* object_name = object != nullptr && GST_IS_OBJECT(object)
                                ? GST_OBJECT_NAME(object)
                                : nullptr;
  if (level <= GST_LEVEL_WARNING) {
    std::fprintf(stderr, "gst %s %s %s:%d %s: %s\n",
                 gst_debug_level_get_name(level), name, file, line,
                 object_name != nullptr ? object_name : "-",
                 text != nullptr ? text : "");
  }
  for (const auto& [kept, kept_level] : self->categories_) {
    if (kept != name || level > kept_level) continue;
    Line captured;
    captured.category = name;
    captured.level = level;
    captured.object = object_name != nullptr ? object_name : "";
    captured.message = text != nullptr ? text : "";
    MutexLock lock(&self->mu_);
    self->lines_.push_back(std::move(captured));
    return;
  }
}

std::vector<GstLogCapture::Line> GstLogCapture::Lines() const {
  MutexLock lock(&mu_);
  return lines_;
}

int GstLogCapture::Count(absl::string_view category,
                         absl::string_view object_part,
                         absl::string_view text) const {
  MutexLock lock(&mu_);
  int count = 0;
  for (const Line& line : lines_) {
    if (line.category == category &&
        absl::StrContains(line.object, object_part) &&
        absl::StrContains(line.message, text)) {
      ++count;
    }
  }
  return count;
}

}  // namespace gralloc::vmtest
