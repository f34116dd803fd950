// Copyright 2026 The gralloc for Linux Authors.

#include "gst/gralloc_pool.h"

#include <atomic>
#include <deque>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/strings/str_cat.h"
#include "gralloc/allocator.h"
#include "gst/gralloc_memory.h"
#include "gst/metadata_map.h"
#include "gst/video_format.h"
#include "hal/base/mutex.h"
#include "hal/descriptor/descriptor.h"
#include "hal/layout/buffer_layout.h"

GST_DEBUG_CATEGORY_STATIC(gralloc_pool_debug);
#define GST_CAT_DEFAULT gralloc_pool_debug

namespace {

constexpr char kUsageField[] = "gralloc-usage";

// What the configuration decided, fixed until the next set_config.
struct Configured {
  gralloc::BufferDescriptorInfo descriptor;
  GstVideoInfo info;  // offsets, strides and size of the layout
  bool default_layout = false;
  int32_t dataspace = 0;
  std::optional<gralloc::Smpte2086> smpte2086;
  std::optional<gralloc::Cta861_3> cta861_3;
};

struct PoolState {
  std::shared_ptr<gralloc::AllocatorApi> allocator;
  std::string name;
  std::atomic<uint64_t> buffers_allocated{0};

  gralloc::Mutex mu;
  std::optional<Configured> configured ABSL_GUARDED_BY(mu);
  // start()'s batch, handed out by alloc_buffer.
  std::deque<gralloc::AllocatedBuffer> batch ABSL_GUARDED_BY(mu);
  std::string last_error ABSL_GUARDED_BY(mu);
};

struct GstGrallocBufferPool {
  GstBufferPool parent;
  PoolState* state;
};
struct GstGrallocBufferPoolClass {
  GstBufferPoolClass parent_class;
};

G_DEFINE_TYPE(GstGrallocBufferPool, gst_gralloc_buffer_pool,
              GST_TYPE_BUFFER_POOL)

PoolState& StateOf(GstBufferPool* pool) {
  return *reinterpret_cast<GstGrallocBufferPool*>(pool)->state;
}

gboolean Fail(GstBufferPool* pool, std::string reason) {
  GST_WARNING_OBJECT(pool, "%s", reason.c_str());
  PoolState& state = StateOf(pool);
  gralloc::MutexLock lock(&state.mu);
  state.last_error = std::move(reason);
  return FALSE;
}

const gchar** GetOptions(GstBufferPool* /*pool*/) {
  static const gchar* options[] = {GST_BUFFER_POOL_OPTION_VIDEO_META, nullptr};
  return options;
}

gboolean SetConfig(GstBufferPool* pool, GstStructure* config) {
  PoolState& state = StateOf(pool);
  GstCaps* caps = nullptr;
  guint size = 0, min_buffers = 0, max_buffers = 0;
  if (!gst_buffer_pool_config_get_params(config, &caps, &size, &min_buffers,
                                         &max_buffers) ||
      caps == nullptr) {
    return Fail(pool, "the configuration has no caps");
  }
  GstVideoInfo caps_info;
  if (!gst_video_info_from_caps(&caps_info, caps)) {
    return Fail(pool, "the caps are not raw video");
  }
  const GstVideoFormat format = GST_VIDEO_INFO_FORMAT(&caps_info);
  const gralloc::gst::VideoFormatRow* row =
      gralloc::gst::FindVideoFormatRow(format);
  if (row == nullptr) {
    return Fail(
        pool,
        absl::StrCat("GStreamer format ", gst_video_format_to_string(format),
                     " has no gralloc layout (the pool serves ",
                     gralloc::gst::ServableFormatsCapsList(), ")"));
  }
  Configured configured;
  gralloc::BufferDescriptorInfo& descriptor = configured.descriptor;
  descriptor.name = state.name;
  descriptor.width = GST_VIDEO_INFO_WIDTH(&caps_info);
  descriptor.height = GST_VIDEO_INFO_HEIGHT(&caps_info);
  descriptor.layer_count = 1;
  descriptor.format = row->pixel_format;
  descriptor.usage = gralloc::gst::PoolConfigGetUsage(config);
  // GStreamer 1.22 caps describe linear buffers only.
  descriptor.additional_options.push_back(
      gralloc::ExtendableType{GRALLOC_OPTION_LINEAR_ONLY, 1});

  absl::StatusOr<gralloc::Verdict> verdict =
      state.allocator->IsSupported(descriptor);
  if (!verdict.ok()) {
    return Fail(pool, absl::StrCat("the allocator did not answer: ",
                                   verdict.status().ToString()));
  }
  if (!verdict->yes()) {
    return Fail(pool, std::string(verdict->refusal.message()));
  }
  // The layout the same negotiation gives, without allocating.
  absl::StatusOr<gralloc::Allocation> plan =
      state.allocator->Allocate(descriptor, 0);
  if (!plan.ok()) return Fail(pool, std::string(plan.status().message()));
  if (absl::Status layout_ok = gralloc::gst::CheckLayout(*row, plan->layout);
      !layout_ok.ok()) {
    return Fail(pool, std::string(layout_ok.message()));
  }
  configured.info = gralloc::gst::VideoInfoForLayout(caps_info, plan->layout);
  configured.default_layout =
      gralloc::gst::IsDefaultLayout(caps_info, plan->layout);
  configured.dataspace = gralloc::gst::DataspaceFromColorimetry(
      caps_info.colorimetry, GST_VIDEO_INFO_IS_RGB(&caps_info));
  GstVideoMasteringDisplayInfo mastering;
  if (gst_video_mastering_display_info_from_caps(&mastering, caps)) {
    configured.smpte2086 =
        gralloc::gst::Smpte2086FromMasteringDisplay(mastering);
  }
  GstVideoContentLightLevel light_level;
  if (gst_video_content_light_level_from_caps(&light_level, caps)) {
    configured.cta861_3 =
        gralloc::gst::Cta861_3FromContentLightLevel(light_level);
  }
  GST_INFO_OBJECT(
      pool, "%s %dx%d: stride %d B, %" G_GSIZE_FORMAT " B per buffer",
      gst_video_format_to_string(format), GST_VIDEO_INFO_WIDTH(&caps_info),
      GST_VIDEO_INFO_HEIGHT(&caps_info),
      GST_VIDEO_INFO_PLANE_STRIDE(&configured.info, 0),
      GST_VIDEO_INFO_SIZE(&configured.info));

  gst_buffer_pool_config_set_params(
      config, caps, static_cast<guint>(GST_VIDEO_INFO_SIZE(&configured.info)),
      min_buffers, max_buffers);
  {
    gralloc::MutexLock lock(&state.mu);
    state.configured = std::move(configured);
    state.last_error.clear();
  }
  return GST_BUFFER_POOL_CLASS(gst_gralloc_buffer_pool_parent_class)
      ->set_config(pool, config);
}

gboolean Start(GstBufferPool* pool) {
  PoolState& state = StateOf(pool);
  GstStructure* config = gst_buffer_pool_get_config(pool);
  guint size = 0, min_buffers = 0, max_buffers = 0;
  gst_buffer_pool_config_get_params(config, nullptr, &size, &min_buffers,
                                    &max_buffers);
  gst_structure_free(config);
  std::optional<gralloc::BufferDescriptorInfo> descriptor;
  {
    gralloc::MutexLock lock(&state.mu);
    if (state.configured.has_value()) {
      descriptor = state.configured->descriptor;
    }
  }
  if (!descriptor.has_value()) {
    return Fail(pool, "the pool is not configured");
  }
  // All of the pool's buffers in one call: one negotiation, one round trip.
  absl::StatusOr<gralloc::Allocation> allocation =
      state.allocator->Allocate(*descriptor, static_cast<int32_t>(min_buffers));
  if (!allocation.ok()) {
    return Fail(pool, absl::StrCat("allocating ", min_buffers, " buffers: ",
                                   allocation.status().message()));
  }
  {
    gralloc::MutexLock lock(&state.mu);
    for (gralloc::AllocatedBuffer& buffer : allocation->buffers) {
      state.batch.push_back(std::move(buffer));
    }
  }
  return GST_BUFFER_POOL_CLASS(gst_gralloc_buffer_pool_parent_class)
      ->start(pool);
}

gboolean Stop(GstBufferPool* pool) {
  const gboolean stopped =
      GST_BUFFER_POOL_CLASS(gst_gralloc_buffer_pool_parent_class)->stop(pool);
  PoolState& state = StateOf(pool);
  gralloc::MutexLock lock(&state.mu);
  state.batch.clear();
  return stopped;
}

// Writes the caps' colour description into the buffer's shared metadata.
void SetFrameMetadata(GstBufferPool* pool,
                      const gralloc::gst::GrallocBufferRef& buffer,
                      const Configured& configured) {
  using gralloc::StandardMetadataType;
  absl::Status status =
      gralloc::gst::SetMetadata<StandardMetadataType::DATASPACE>(
          buffer, static_cast<gralloc::Dataspace>(configured.dataspace));
  if (status.ok() && configured.smpte2086.has_value()) {
    status = gralloc::gst::SetMetadata<StandardMetadataType::SMPTE2086>(
        buffer, configured.smpte2086);
  }
  if (status.ok() && configured.cta861_3.has_value()) {
    status = gralloc::gst::SetMetadata<StandardMetadataType::CTA861_3>(
        buffer, configured.cta861_3);
  }
  if (!status.ok()) {
    GST_WARNING_OBJECT(pool, "metadata: %s",
                       std::string(status.message()).c_str());
  }
}

GstFlowReturn AllocBuffer(GstBufferPool* pool, GstBuffer** out,
                          GstBufferPoolAcquireParams* /*params*/) {
  PoolState& state = StateOf(pool);
  std::optional<gralloc::AllocatedBuffer> next;
  Configured configured;
  {
    gralloc::MutexLock lock(&state.mu);
    if (!state.configured.has_value()) return GST_FLOW_NOT_NEGOTIATED;
    configured = *state.configured;
    if (!state.batch.empty()) {
      next = std::move(state.batch.front());
      state.batch.pop_front();
    }
  }
  if (!next.has_value()) {
    absl::StatusOr<gralloc::Allocation> one =
        state.allocator->Allocate(configured.descriptor, 1);
    if (!one.ok()) {
      Fail(pool, absl::StrCat("allocating a buffer: ", one.status().message()));
      return GST_FLOW_ERROR;
    }
    next = std::move(one->buffers.front());
  }
  absl::StatusOr<GstMemory*> memory = gralloc::gst::WrapBuffer(
      *std::move(next), GST_VIDEO_INFO_SIZE(&configured.info), state.allocator);
  if (!memory.ok()) {
    Fail(pool, std::string(memory.status().message()));
    return GST_FLOW_ERROR;
  }
  SetFrameMetadata(pool, *gralloc::gst::GrallocBufferOf(*memory), configured);
  GstBuffer* buffer = gst_buffer_new();
  gst_buffer_append_memory(buffer, *memory);
  const GstVideoInfo& info = configured.info;
  GstVideoMeta* meta = gst_buffer_add_video_meta_full(
      buffer, GST_VIDEO_FRAME_FLAG_NONE, GST_VIDEO_INFO_FORMAT(&info),
      GST_VIDEO_INFO_WIDTH(&info), GST_VIDEO_INFO_HEIGHT(&info),
      GST_VIDEO_INFO_N_PLANES(&info), const_cast<gsize*>(info.offset),
      const_cast<gint*>(info.stride));
  // The layout is the buffer's for life: reset_buffer keeps the meta.
  meta->meta.flags = static_cast<GstMetaFlags>(
      meta->meta.flags | GST_META_FLAG_POOLED | GST_META_FLAG_LOCKED);
  state.buffers_allocated.fetch_add(1, std::memory_order_relaxed);
  *out = buffer;
  return GST_FLOW_OK;
}

void Finalize(GObject* object) {
  delete reinterpret_cast<GstGrallocBufferPool*>(object)->state;
  G_OBJECT_CLASS(gst_gralloc_buffer_pool_parent_class)->finalize(object);
}

void gst_gralloc_buffer_pool_class_init(GstGrallocBufferPoolClass* klass) {
  GST_DEBUG_CATEGORY_INIT(gralloc_pool_debug, "grallocpool-pool", 0,
                          "gralloc buffer pool");
  G_OBJECT_CLASS(klass)->finalize = Finalize;
  GstBufferPoolClass* pool_class = GST_BUFFER_POOL_CLASS(klass);
  pool_class->get_options = GetOptions;
  pool_class->set_config = SetConfig;
  pool_class->start = Start;
  pool_class->stop = Stop;
  pool_class->alloc_buffer = AllocBuffer;
}

void gst_gralloc_buffer_pool_init(GstGrallocBufferPool* self) {
  self->state = new PoolState();
}

}  // namespace

namespace gralloc::gst {

GstBufferPool* NewGrallocBufferPool(std::shared_ptr<AllocatorApi> allocator,
                                    const std::string& name) {
  auto* pool = static_cast<GstBufferPool*>(
      g_object_new(gst_gralloc_buffer_pool_get_type(), nullptr));
  gst_object_ref_sink(pool);
  StateOf(pool).allocator = std::move(allocator);
  StateOf(pool).name = name;
  return pool;
}

bool IsGrallocBufferPool(GstBufferPool* pool) {
  return pool != nullptr &&
         G_TYPE_CHECK_INSTANCE_TYPE(pool, gst_gralloc_buffer_pool_get_type());
}

void PoolConfigSetUsage(GstStructure* config, uint64_t usage) {
  gst_structure_set(config, kUsageField, G_TYPE_UINT64,
                    static_cast<guint64>(usage), nullptr);
}

uint64_t PoolConfigGetUsage(GstStructure* config) {
  guint64 usage = 0;
  if (!gst_structure_get_uint64(config, kUsageField, &usage)) return 0;
  return usage;
}

std::string PoolLastError(GstBufferPool* pool) {
  PoolState& state = StateOf(pool);
  MutexLock lock(&state.mu);
  return state.last_error;
}

uint64_t PoolBuffersAllocated(GstBufferPool* pool) {
  return StateOf(pool).buffers_allocated.load(std::memory_order_relaxed);
}

std::optional<GstVideoInfo> PoolVideoInfo(GstBufferPool* pool) {
  PoolState& state = StateOf(pool);
  MutexLock lock(&state.mu);
  if (!state.configured.has_value()) return std::nullopt;
  return state.configured->info;
}

bool PoolHasDefaultLayout(GstBufferPool* pool) {
  PoolState& state = StateOf(pool);
  MutexLock lock(&state.mu);
  return state.configured.has_value() && state.configured->default_layout;
}

}  // namespace gralloc::gst
