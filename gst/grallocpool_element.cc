// Copyright 2026 The gralloc for Linux Authors.

#include "gst/grallocpool_element.h"

#include <gst/base/gstbasetransform.h>
#include <gst/video/video.h>

#include <atomic>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "allocator/client/open.h"
#include "gst/gralloc_memory.h"
#include "gst/gralloc_pool.h"
#include "gst/metadata_map.h"
#include "gst/video_format.h"
#include "hal/types/buffer_usage.h"
#include "hal/usage/usage.h"

GST_DEBUG_CATEGORY_STATIC(grallocpool_debug);
#define GST_CAT_DEFAULT grallocpool_debug

namespace {

constexpr guint kDefaultMinBuffers = 4;
constexpr uint64_t kCpuUsage =
    gralloc::UsageValue(gralloc::BufferUsage::CPU_READ_OFTEN) |
    gralloc::UsageValue(gralloc::BufferUsage::CPU_WRITE_OFTEN);

enum Property : guint {
  kPropUsage = 1,
  kPropCpuAccess,
  kPropSocket,
  kPropProfile,
  kPropMinBuffers,
  kPropRequireOwn,
  kPropBuffersAllocated,
  kPropFramesPassed,
};

struct ElementState {
  // Properties, under the object lock.
  std::string usage_text;
  bool cpu_access = true;
  std::string socket;
  std::string profile;
  guint min_buffers = kDefaultMinBuffers;
  bool require_own = false;

  // From start() to stop(), on the streaming and application threads that
  // GstBaseTransform serialises.
  std::shared_ptr<gralloc::AllocatorApi> allocator;
  uint64_t usage = 0;
  GstBufferPool* pool = nullptr;  // for the current caps
  GstVideoInfo caps_info;

  std::atomic<bool> require_own_now{false};
  std::atomic<uint64_t> frames_passed{0};
  // Buffers of pools already replaced (caps changes).
  std::atomic<uint64_t> buffers_of_old_pools{0};
};

struct GstGrallocPool {
  GstBaseTransform parent;
  ElementState* state;
};
struct GstGrallocPoolClass {
  GstBaseTransformClass parent_class;
};

G_DEFINE_TYPE(GstGrallocPool, gst_gralloc_pool, GST_TYPE_BASE_TRANSFORM)

ElementState& StateOf(gpointer self) {
  return *static_cast<GstGrallocPool*>(self)->state;
}

std::string CapsTemplateString() {
  return absl::StrCat(
      "video/x-raw, format = (string) ",
      gralloc::gst::ServableFormatsCapsList(),
      ", width = (int) [ 1, 2147483647 ], height = (int) [ 1, 2147483647 ], "
      "framerate = (fraction) [ 0/1, 2147483647/1 ]");
}

void DropPool(ElementState& state) {
  if (state.pool == nullptr) return;
  state.buffers_of_old_pools.fetch_add(
      gralloc::gst::PoolBuffersAllocated(state.pool));
  gst_object_unref(state.pool);
  state.pool = nullptr;
}

gboolean Start(GstBaseTransform* trans) {
  ElementState& state = StateOf(trans);
  std::string usage_text, socket, profile;
  bool cpu_access;
  GST_OBJECT_LOCK(trans);
  usage_text = state.usage_text;
  socket = state.socket;
  profile = state.profile;
  cpu_access = state.cpu_access;
  state.require_own_now = state.require_own;
  GST_OBJECT_UNLOCK(trans);

  uint64_t usage = 0;
  if (!usage_text.empty()) {
    absl::StatusOr<uint64_t> parsed = gralloc::ParseUsage(usage_text);
    absl::Status valid =
        parsed.ok() ? gralloc::ValidateUsage(*parsed) : parsed.status();
    if (!valid.ok()) {
      GST_ELEMENT_ERROR(trans, RESOURCE, SETTINGS,
                        ("usage \"%s\": %s", usage_text.c_str(),
                         std::string(valid.message()).c_str()),
                        (nullptr));
      return FALSE;
    }
    usage = *parsed;
  }
  if (cpu_access) usage |= kCpuUsage;
  state.usage = usage;

  absl::StatusOr<std::unique_ptr<gralloc::AllocatorApi>> allocator;
  if (!socket.empty()) {
    if (!profile.empty()) {
      GST_ELEMENT_ERROR(trans, RESOURCE, SETTINGS,
                        ("profile applies to in-process allocation; the "
                         "service at %s uses its own --profile",
                         socket.c_str()),
                        (nullptr));
      return FALSE;
    }
    allocator = gralloc::ConnectToService(socket);
  } else {
    allocator = gralloc::OpenInProcess(profile);
  }
  if (!allocator.ok()) {
    GST_ELEMENT_ERROR(trans, RESOURCE, OPEN_READ_WRITE,
                      ("cannot open the gralloc allocator (%s): %s",
                       socket.empty() ? "in-process" : socket.c_str(),
                       std::string(allocator.status().message()).c_str()),
                      (nullptr));
    return FALSE;
  }
  state.allocator = *std::move(allocator);
  GST_INFO_OBJECT(trans, "allocating %s for %s",
                  socket.empty() ? "in-process" : socket.c_str(),
                  gralloc::UsageToString(usage).c_str());
  return TRUE;
}

gboolean Stop(GstBaseTransform* trans) {
  ElementState& state = StateOf(trans);
  DropPool(state);
  // Buffers still alive hold the allocator themselves (gralloc_memory.h).
  state.allocator.reset();
  return TRUE;
}

gboolean SetCaps(GstBaseTransform* trans, GstCaps* incaps,
                 GstCaps* /*outcaps*/) {
  ElementState& state = StateOf(trans);
  GstVideoInfo caps_info;
  if (!gst_video_info_from_caps(&caps_info, incaps)) return FALSE;
  guint min_buffers;
  GST_OBJECT_LOCK(trans);
  min_buffers = state.min_buffers;
  GST_OBJECT_UNLOCK(trans);

  GstBufferPool* pool = gralloc::gst::NewGrallocBufferPool(
      state.allocator, GST_OBJECT_NAME(trans));
  GstStructure* config = gst_buffer_pool_get_config(pool);
  gst_buffer_pool_config_set_params(config, incaps, 0, min_buffers,
                                    min_buffers);
  gralloc::gst::PoolConfigSetUsage(config, state.usage);
  gst_buffer_pool_config_add_option(config, GST_BUFFER_POOL_OPTION_VIDEO_META);
  if (!gst_buffer_pool_set_config(pool, config)) {
    const std::string reason = gralloc::gst::PoolLastError(pool);
    GST_ELEMENT_ERROR(
        trans, STREAM, FORMAT,
        ("gralloc cannot allocate %s %dx%d for %s: %s",
         gst_video_format_to_string(GST_VIDEO_INFO_FORMAT(&caps_info)),
         GST_VIDEO_INFO_WIDTH(&caps_info), GST_VIDEO_INFO_HEIGHT(&caps_info),
         gralloc::UsageToString(state.usage).c_str(), reason.c_str()),
        (nullptr));
    gst_object_unref(pool);
    return FALSE;
  }
  DropPool(state);
  state.pool = pool;
  state.caps_info = caps_info;
  return TRUE;
}

gboolean ProposeAllocation(GstBaseTransform* trans, GstQuery* decide_query,
                           GstQuery* query) {
  ElementState& state = StateOf(trans);
  // What downstream can take, as for any passthrough element.
  if (!gst_pad_peer_query(GST_BASE_TRANSFORM_SRC_PAD(trans), query)) {
    GST_DEBUG_OBJECT(trans, "downstream answered no allocation query");
  }
  if (state.pool == nullptr) return TRUE;
  const bool downstream_reads_meta =
      gst_query_find_allocation_meta(query, GST_VIDEO_META_API_TYPE, nullptr);
  if (!downstream_reads_meta &&
      !gralloc::gst::PoolHasDefaultLayout(state.pool)) {
    GST_ELEMENT_WARNING(
        trans, STREAM, FORMAT,
        ("downstream cannot read GstVideoMeta and the gralloc layout is not "
         "GStreamer's default; not proposing the gralloc pool"),
        (nullptr));
    return TRUE;
  }
  GstStructure* config = gst_buffer_pool_get_config(state.pool);
  guint size = 0, min_buffers = 0, max_buffers = 0;
  gst_buffer_pool_config_get_params(config, nullptr, &size, &min_buffers,
                                    &max_buffers);
  gst_structure_free(config);
  while (gst_query_get_n_allocation_pools(query) > 0) {
    gst_query_remove_nth_allocation_pool(query, 0);
  }
  gst_query_add_allocation_pool(query, state.pool, size, min_buffers,
                                max_buffers);
  if (!downstream_reads_meta) {
    gst_query_add_allocation_meta(query, GST_VIDEO_META_API_TYPE, nullptr);
  }
  (void)decide_query;
  return TRUE;
}

// CROP from the crop meta (or the whole frame); or, for a frame whose CROP
// another process set and that has no crop meta, the crop meta from CROP.
void SyncCrop(GstBaseTransform* trans, GstBuffer* buffer,
              const gralloc::gst::GrallocBufferRef& gralloc_buffer,
              const GstVideoInfo& info) {
  using gralloc::StandardMetadataType;
  const uint32_t width = GST_VIDEO_INFO_WIDTH(&info);
  const uint32_t height = GST_VIDEO_INFO_HEIGHT(&info);
  GstVideoCropMeta* crop = gst_buffer_get_video_crop_meta(buffer);
  if (crop == nullptr && gst_buffer_is_writable(buffer)) {
    absl::StatusOr<std::vector<gralloc::Rect>> current =
        gralloc::gst::GetMetadata<StandardMetadataType::CROP>(gralloc_buffer);
    if (current.ok()) {
      std::optional<gralloc::gst::PixelCrop> pixels =
          gralloc::gst::PixelCropFromRects(*current);
      if (pixels.has_value() && pixels->x + pixels->width <= width &&
          pixels->y + pixels->height <= height &&
          (pixels->width != width || pixels->height != height)) {
        crop = gst_buffer_add_video_crop_meta(buffer);
        crop->x = pixels->x;
        crop->y = pixels->y;
        crop->width = pixels->width;
        crop->height = pixels->height;
        return;
      }
    }
  }
  const std::vector<gralloc::Rect> rects =
      crop != nullptr ? gralloc::gst::CropRectsFromPixels(
                            crop->x, crop->y, crop->width, crop->height)
                      : gralloc::gst::CropRectsFromPixels(0, 0, width, height);
  absl::Status status = gralloc::gst::SetMetadata<StandardMetadataType::CROP>(
      gralloc_buffer, rects);
  if (!status.ok()) {
    GST_WARNING_OBJECT(trans, "CROP: %s",
                       std::string(status.message()).c_str());
  }
}

GstFlowReturn TransformIp(GstBaseTransform* trans, GstBuffer* buffer) {
  ElementState& state = StateOf(trans);
  const gralloc::gst::GrallocBufferRef* ours = nullptr;
  GstMemory* foreign = nullptr;
  const guint memories = gst_buffer_n_memory(buffer);
  for (guint i = 0; i < memories; ++i) {
    GstMemory* memory = gst_buffer_peek_memory(buffer, i);
    const gralloc::gst::GrallocBufferRef* ref =
        gralloc::gst::GrallocBufferOf(memory);
    if (ref == nullptr) {
      foreign = memory;
      break;
    }
    if (ours == nullptr) ours = ref;
  }
  if (foreign != nullptr || memories == 0) {
    if (state.require_own_now) {
      GST_ELEMENT_ERROR(
          trans, STREAM, FAILED,
          ("a buffer that is not from a gralloc pool passed "
           "(require-own=true): upstream did not use the proposed pool"),
          ("memory of type %s",
           foreign != nullptr && foreign->allocator != nullptr
               ? foreign->allocator->mem_type
               : "(none)"));
      return GST_FLOW_ERROR;
    }
  } else if (ours != nullptr) {
    SyncCrop(trans, buffer, *ours, state.caps_info);
  }
  state.frames_passed.fetch_add(1, std::memory_order_relaxed);
  return GST_FLOW_OK;
}

void SetProperty(GObject* object, guint id, const GValue* value,
                 GParamSpec* pspec) {
  ElementState& state = StateOf(object);
  GST_OBJECT_LOCK(object);
  switch (id) {
    case kPropUsage: {
      const gchar* text = g_value_get_string(value);
      state.usage_text = text != nullptr ? text : "";
      break;
    }
    case kPropCpuAccess:
      state.cpu_access = g_value_get_boolean(value);
      break;
    case kPropSocket: {
      const gchar* text = g_value_get_string(value);
      state.socket = text != nullptr ? text : "";
      break;
    }
    case kPropProfile: {
      const gchar* text = g_value_get_string(value);
      state.profile = text != nullptr ? text : "";
      break;
    }
    case kPropMinBuffers:
      state.min_buffers = g_value_get_uint(value);
      break;
    case kPropRequireOwn:
      state.require_own = g_value_get_boolean(value);
      state.require_own_now = state.require_own;
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID(object, id, pspec);
  }
  GST_OBJECT_UNLOCK(object);
}

void GetProperty(GObject* object, guint id, GValue* value, GParamSpec* pspec) {
  ElementState& state = StateOf(object);
  GST_OBJECT_LOCK(object);
  switch (id) {
    case kPropUsage:
      g_value_set_string(value, state.usage_text.c_str());
      break;
    case kPropCpuAccess:
      g_value_set_boolean(value, state.cpu_access);
      break;
    case kPropSocket:
      g_value_set_string(value, state.socket.c_str());
      break;
    case kPropProfile:
      g_value_set_string(value, state.profile.c_str());
      break;
    case kPropMinBuffers:
      g_value_set_uint(value, state.min_buffers);
      break;
    case kPropRequireOwn:
      g_value_set_boolean(value, state.require_own);
      break;
    case kPropBuffersAllocated: {
      uint64_t total = state.buffers_of_old_pools.load();
      if (state.pool != nullptr) {
        total += gralloc::gst::PoolBuffersAllocated(state.pool);
      }
      g_value_set_uint64(value, total);
      break;
    }
    case kPropFramesPassed:
      g_value_set_uint64(value, state.frames_passed.load());
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID(object, id, pspec);
  }
  GST_OBJECT_UNLOCK(object);
}

void Finalize(GObject* object) {
  ElementState& state = StateOf(object);
  DropPool(state);
  delete &state;
  G_OBJECT_CLASS(gst_gralloc_pool_parent_class)->finalize(object);
}

void gst_gralloc_pool_class_init(GstGrallocPoolClass* klass) {
  GST_DEBUG_CATEGORY_INIT(grallocpool_debug, "grallocpool", 0,
                          "gralloc buffer pool element");
  GObjectClass* object_class = G_OBJECT_CLASS(klass);
  object_class->set_property = SetProperty;
  object_class->get_property = GetProperty;
  object_class->finalize = Finalize;

  constexpr auto kWritable = static_cast<GParamFlags>(
      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | GST_PARAM_MUTABLE_READY);
  constexpr auto kReadOnly =
      static_cast<GParamFlags>(G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_property(
      object_class, kPropUsage,
      g_param_spec_string(
          "usage", "Usage",
          "Android BufferUsage names joined by '|' (e.g. "
          "CAMERA_OUTPUT|VIDEO_ENCODER|COMPOSER_OVERLAY), or a number: every "
          "device that will use the buffers",
          "", kWritable));
  g_object_class_install_property(
      object_class, kPropCpuAccess,
      g_param_spec_boolean("cpu-access", "CPU access",
                           "Add CPU_READ_OFTEN|CPU_WRITE_OFTEN to the usage "
                           "(software elements map the buffers)",
                           TRUE, kWritable));
  g_object_class_install_property(
      object_class, kPropSocket,
      g_param_spec_string("socket", "Socket",
                          "The allocator service's socket; empty: allocate "
                          "in-process",
                          "", kWritable));
  g_object_class_install_property(
      object_class, kPropProfile,
      g_param_spec_string("profile", "Profile",
                          "A JSON platform profile for in-process allocation; "
                          "empty: the built-in profile",
                          "", kWritable));
  g_object_class_install_property(
      object_class, kPropMinBuffers,
      g_param_spec_uint("min-buffers", "Buffers",
                        "The pool's buffers, allocated in one batch at start",
                        1, 64, kDefaultMinBuffers, kWritable));
  g_object_class_install_property(
      object_class, kPropRequireOwn,
      g_param_spec_boolean("require-own", "Require own buffers",
                           "Fail when a buffer that is not from a gralloc "
                           "pool passes",
                           FALSE, kWritable));
  g_object_class_install_property(
      object_class, kPropBuffersAllocated,
      g_param_spec_uint64("buffers-allocated", "Buffers allocated",
                          "Buffers the element's pools have allocated", 0,
                          G_MAXUINT64, 0, kReadOnly));
  g_object_class_install_property(
      object_class, kPropFramesPassed,
      g_param_spec_uint64("frames-passed", "Frames passed",
                          "Frames that passed the element", 0, G_MAXUINT64, 0,
                          kReadOnly));

  GstElementClass* element_class = GST_ELEMENT_CLASS(klass);
  gst_element_class_set_static_metadata(
      element_class, "gralloc buffer pool", "Filter/Video",
      "Passes raw video through and proposes a pool of gralloc buffers "
      "upstream, allocated for the usage named",
      "gralloc for Linux");
  const std::string caps = CapsTemplateString();
  GstCaps* template_caps = gst_caps_from_string(caps.c_str());
  gst_element_class_add_pad_template(
      element_class, gst_pad_template_new("sink", GST_PAD_SINK, GST_PAD_ALWAYS,
                                          template_caps));
  gst_element_class_add_pad_template(
      element_class,
      gst_pad_template_new("src", GST_PAD_SRC, GST_PAD_ALWAYS, template_caps));
  gst_caps_unref(template_caps);

  GstBaseTransformClass* transform_class = GST_BASE_TRANSFORM_CLASS(klass);
  transform_class->start = Start;
  transform_class->stop = Stop;
  transform_class->set_caps = SetCaps;
  transform_class->propose_allocation = ProposeAllocation;
  transform_class->transform_ip = TransformIp;
  transform_class->passthrough_on_same_caps = TRUE;
  transform_class->transform_ip_on_passthrough = TRUE;
}

void gst_gralloc_pool_init(GstGrallocPool* self) {
  self->state = new ElementState();
  gst_video_info_init(&self->state->caps_info);
  gst_base_transform_set_passthrough(GST_BASE_TRANSFORM(self), TRUE);
}

}  // namespace

namespace gralloc::gst {

GType GrallocPoolElementType() { return gst_gralloc_pool_get_type(); }

}  // namespace gralloc::gst
