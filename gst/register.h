// Copyright 2026 The gralloc for Linux Authors.
//
// gst/register.h: the plugin "gralloc" and its elements.
//
// The shared object (gst/plugin.cc, libgstgralloc.so) exports the plugin
// for GStreamer's registry; programs that link the plugin's code instead
// (its tests) register it with RegisterPluginStatically() after gst_init().

#ifndef GRALLOC_GST_REGISTER_H_
#define GRALLOC_GST_REGISTER_H_

#include <gst/gst.h>

namespace gralloc::gst {

inline constexpr char kPluginName[] = "gralloc";
inline constexpr char kPluginDescription[] =
    "Buffers from the gralloc allocator: a buffer pool and the grallocpool "
    "element";
inline constexpr char kPluginVersion[] = "0.1";
inline constexpr char kPluginLicense[] = "unknown";
inline constexpr char kPluginPackage[] = "gralloc for Linux";
inline constexpr char kPluginOrigin[] = "gralloc for Linux (this repository)";

// Registers the plugin's elements with `plugin`: the plugin's init function.
gboolean RegisterElements(GstPlugin* plugin);

// Registers the plugin in this process without loading a shared object.
bool RegisterPluginStatically();

}  // namespace gralloc::gst

#endif  // GRALLOC_GST_REGISTER_H_
