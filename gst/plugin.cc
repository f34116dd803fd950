// Copyright 2026 The gralloc for Linux Authors.
//
// gst/plugin.cc: the entry point GStreamer looks for in libgstgralloc.so
// (`gst-inspect-1.0 gralloc`). Everything else is in register.cc.

#include <gst/gst.h>

#include "gst/register.h"

#define PACKAGE "gralloc"
#define GST_PACKAGE_NAME "gralloc for Linux"
#define GST_PACKAGE_ORIGIN "gralloc for Linux (this repository)"

GST_PLUGIN_DEFINE(GST_VERSION_MAJOR, GST_VERSION_MINOR, gralloc,
                  "Buffers from the gralloc allocator: a buffer pool and the "
                  "grallocpool element",
                  gralloc::gst::RegisterElements, "0.1", "unknown", PACKAGE,
                  GST_PACKAGE_ORIGIN)
