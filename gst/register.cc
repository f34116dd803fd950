// Copyright 2026 The gralloc for Linux Authors.

#include "gst/register.h"

#include "gst/grallocpool_element.h"

namespace gralloc::gst {

gboolean RegisterElements(GstPlugin* plugin) {
  return gst_element_register(plugin, "grallocpool", GST_RANK_NONE,
                              GrallocPoolElementType());
}

bool RegisterPluginStatically() {
  return gst_plugin_register_static(
      GST_VERSION_MAJOR, GST_VERSION_MINOR, kPluginName, kPluginDescription,
      RegisterElements, kPluginVersion, kPluginLicense, "gst/", kPluginPackage,
      kPluginOrigin);
}

}  // namespace gralloc::gst
