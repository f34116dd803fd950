// Copyright 2026 The gralloc for Linux Authors.

#include "allocator/negotiation/probe.h"

#include <dirent.h>
#include <drm_fourcc.h>
#include <drm_mode.h>
#include <fcntl.h>
#include <linux/videodev2.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xf86drm.h>
#include <xf86drmMode.h>

#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <cstring>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "hal/base/fourcc.h"
#include "hal/base/ioctl.h"
#include "hal/base/status_macros.h"
#include "hal/base/unique_fd.h"
#include "hal/format/format_table.h"

namespace gralloc {
namespace {

// DRM_FORMAT_MOD_INVALID: "no modifier", never a real layout.
constexpr uint64_t kInvalidModifier = 0x00ffffffffffffffULL;

// V4L2 pixel formats -> the profile format with the same bytes in memory.
// V4L2 names RGB formats by component order in memory (RGB24: R, G, B at
// increasing addresses); DRM names them as a little-endian word from the
// most significant bits down (DRM BGR888: [23:0] B:G:R, so R is the lowest
// byte). The same bytes therefore often carry mirrored names; for the 32-bit
// formats V4L2 reused DRM's fourcc codes, so a V4L2 code and the DRM code
// with the same four characters mean the same layout.
struct V4l2Mapping {
  uint32_t v4l2;
  uint32_t drm;              // 0: no DRM code, see android_name
  const char* android_name;  // Android format for layouts DRM cannot name
};

constexpr V4l2Mapping kV4l2Mappings[] = {
    // YUV, semi-planar: a Y plane, then one plane of interleaved chroma.
    {V4L2_PIX_FMT_NV12, DRM_FORMAT_NV12, nullptr},  // 4:2:0, Cb then Cr
    {V4L2_PIX_FMT_NV21, DRM_FORMAT_NV21, nullptr},  // 4:2:0, Cr then Cb
    {V4L2_PIX_FMT_NV16, DRM_FORMAT_NV16, nullptr},  // 4:2:2
    {V4L2_PIX_FMT_NV61, DRM_FORMAT_NV61, nullptr},
    {V4L2_PIX_FMT_NV24, DRM_FORMAT_NV24, nullptr},  // 4:4:4
    {V4L2_PIX_FMT_NV42, DRM_FORMAT_NV42, nullptr},
    // 16-bit samples, 10 significant bits at the top of each, both APIs.
    {V4L2_PIX_FMT_P010, DRM_FORMAT_P010, nullptr},
    // YUV, fully planar, all planes in one buffer: Y, then U (Cb), then V.
    {V4L2_PIX_FMT_YUV420, DRM_FORMAT_YUV420, nullptr},   // I420
    {V4L2_PIX_FMT_YVU420, DRM_FORMAT_YVU420, nullptr},   // YV12: Y, V, U
    {V4L2_PIX_FMT_YUV422P, DRM_FORMAT_YUV422, nullptr},  // Y, U, V 4:2:2
    // YUV 4:2:2 packed, bytes in memory order.
    {V4L2_PIX_FMT_YUYV, DRM_FORMAT_YUYV, nullptr},  // Y0 Cb Y1 Cr
    {V4L2_PIX_FMT_UYVY, DRM_FORMAT_UYVY, nullptr},  // Cb Y0 Cr Y1
    {V4L2_PIX_FMT_YVYU, DRM_FORMAT_YVYU, nullptr},  // Y0 Cr Y1 Cb
    {V4L2_PIX_FMT_VYUY, DRM_FORMAT_VYUY, nullptr},  // Cr Y0 Cb Y1
    // Luma only: one 8-bit, or one 16-bit little-endian, sample per pixel.
    {V4L2_PIX_FMT_GREY, DRM_FORMAT_R8, nullptr},
    {V4L2_PIX_FMT_Y16, DRM_FORMAT_R16, nullptr},
    // 16-bit RGB, a little-endian word in both APIs.
    {V4L2_PIX_FMT_RGB565, DRM_FORMAT_RGB565, nullptr},     // [15:0] R5 G6 B5
    {V4L2_PIX_FMT_XRGB555, DRM_FORMAT_XRGB1555, nullptr},  // [15:0] x1 R5 G5 B5
    {V4L2_PIX_FMT_ARGB555, DRM_FORMAT_ARGB1555, nullptr},  // [15:0] A1 R5 G5 B5
    {V4L2_PIX_FMT_XRGB444, DRM_FORMAT_XRGB4444, nullptr},  // [15:0] x4 R4 G4 B4
    {V4L2_PIX_FMT_ARGB444, DRM_FORMAT_ARGB4444, nullptr},  // [15:0] A4 R4 G4 B4
    // 24-bit RGB: names mirror each other.
    {V4L2_PIX_FMT_RGB24, DRM_FORMAT_BGR888, nullptr},  // bytes R, G, B
    {V4L2_PIX_FMT_BGR24, DRM_FORMAT_RGB888, nullptr},  // bytes B, G, R
    // 32-bit RGB, bytes in memory order.
    {V4L2_PIX_FMT_ABGR32, DRM_FORMAT_ARGB8888, nullptr},  // B G R A ('AR24')
    {V4L2_PIX_FMT_XBGR32, DRM_FORMAT_XRGB8888, nullptr},  // B G R x ('XR24')
    {V4L2_PIX_FMT_ARGB32, DRM_FORMAT_BGRA8888, nullptr},  // A R G B ('BA24')
    {V4L2_PIX_FMT_XRGB32, DRM_FORMAT_BGRX8888, nullptr},  // x R G B ('BX24')
    {V4L2_PIX_FMT_RGBA32, DRM_FORMAT_ABGR8888, nullptr},  // R G B A ('AB24')
    {V4L2_PIX_FMT_RGBX32, DRM_FORMAT_XBGR8888, nullptr},  // R G B x ('XB24')
    {V4L2_PIX_FMT_BGRA32, DRM_FORMAT_RGBA8888, nullptr},  // A B G R ('RA24')
    {V4L2_PIX_FMT_BGRX32, DRM_FORMAT_RGBX8888, nullptr},  // x B G R ('RX24')
    // The deprecated 32-bit codes, whose fourth byte may be alpha or
    // padding: mapped as padding, the reading every driver allows.
    {V4L2_PIX_FMT_BGR32, DRM_FORMAT_XRGB8888, nullptr},  // B G R x
    {V4L2_PIX_FMT_RGB32, DRM_FORMAT_BGRX8888, nullptr},  // x R G B
    // Bayer. DRM has no codes; Android's RAW formats name the layouts, with
    // the colour-filter order left to camera metadata:
    // 16 bits per pixel, little-endian -> RAW16.
    {V4L2_PIX_FMT_SBGGR16, 0, "RAW16"},
    {V4L2_PIX_FMT_SGBRG16, 0, "RAW16"},
    {V4L2_PIX_FMT_SGRBG16, 0, "RAW16"},
    {V4L2_PIX_FMT_SRGGB16, 0, "RAW16"},
    // MIPI CSI-2 packing, 4 pixels in 5 bytes -> RAW10.
    {V4L2_PIX_FMT_SBGGR10P, 0, "RAW10"},
    {V4L2_PIX_FMT_SGBRG10P, 0, "RAW10"},
    {V4L2_PIX_FMT_SGRBG10P, 0, "RAW10"},
    {V4L2_PIX_FMT_SRGGB10P, 0, "RAW10"},
    // MIPI CSI-2 packing, 2 pixels in 3 bytes -> RAW12.
    {V4L2_PIX_FMT_SBGGR12P, 0, "RAW12"},
    {V4L2_PIX_FMT_SGBRG12P, 0, "RAW12"},
    {V4L2_PIX_FMT_SGRBG12P, 0, "RAW12"},
    {V4L2_PIX_FMT_SRGGB12P, 0, "RAW12"},
    // Deliberately absent: the multi-buffer variants (NV12M, YUV420M, ...),
    // whose planes live in separate buffers while a gralloc buffer is one
    // dma-buf; 10/12-bit samples aligned to the low bits (Y10, SBGGR10),
    // which no DRM or Android layout matches; big-endian layouts (RGB565X,
    // Y16_BE); and compressed formats.
};

template <typename T, void (*Free)(T*)>
struct DrmDeleter {
  void operator()(T* pointer) const {
    if (pointer != nullptr) Free(pointer);
  }
};
using PlaneResources =
    std::unique_ptr<drmModePlaneRes,
                    DrmDeleter<drmModePlaneRes, drmModeFreePlaneResources>>;
using Plane =
    std::unique_ptr<drmModePlane, DrmDeleter<drmModePlane, drmModeFreePlane>>;
using ObjectProperties = std::unique_ptr<
    drmModeObjectProperties,
    DrmDeleter<drmModeObjectProperties, drmModeFreeObjectProperties>>;
using Property =
    std::unique_ptr<drmModePropertyRes,
                    DrmDeleter<drmModePropertyRes, drmModeFreeProperty>>;
using PropertyBlob = std::unique_ptr<
    drmModePropertyBlobRes,
    DrmDeleter<drmModePropertyBlobRes, drmModeFreePropertyBlob>>;
using Resources =
    std::unique_ptr<drmModeRes, DrmDeleter<drmModeRes, drmModeFreeResources>>;

void Note(std::vector<std::string>* notes, std::string note) {
  if (notes != nullptr) notes->push_back(std::move(note));
}

// Reads `size` bytes at `offset` of `blob` into `out`, if they are inside.
bool ReadAt(absl::Span<const uint8_t> blob, uint64_t offset, void* out,
            size_t size) {
  if (offset > blob.size() || blob.size() - offset < size) return false;
  std::memcpy(out, blob.data() + offset, size);
  return true;
}

// What one plane offers, and whether it is a cursor plane.
struct PlaneFormats {
  bool is_cursor = false;
  bool from_in_formats = false;
  std::vector<FormatSupport> formats;
};

absl::StatusOr<PlaneFormats> ReadPlane(int fd, uint32_t plane_id,
                                       const std::string& card_path,
                                       std::vector<std::string>* notes) {
  Plane plane(drmModeGetPlane(fd, plane_id));
  if (!plane) {
    return ErrnoStatus(
        absl::StrCat("drmModeGetPlane ", card_path, " plane ", plane_id));
  }
  PlaneFormats result;
  uint64_t in_formats_blob = 0;
  ObjectProperties properties(
      drmModeObjectGetProperties(fd, plane_id, DRM_MODE_OBJECT_PLANE));
  if (properties) {
    for (uint32_t i = 0; i < properties->count_props; ++i) {
      Property property(drmModeGetProperty(fd, properties->props[i]));
      if (!property) continue;
      const uint64_t value = properties->prop_values[i];
      if (std::strcmp(property->name, "type") == 0) {
        result.is_cursor = value == DRM_PLANE_TYPE_CURSOR;
      } else if (std::strcmp(property->name, "IN_FORMATS") == 0) {
        in_formats_blob = value;
      }
    }
  }
  if (result.is_cursor) return result;

  if (in_formats_blob != 0 && in_formats_blob <= UINT32_MAX) {
    PropertyBlob blob(
        drmModeGetPropertyBlob(fd, static_cast<uint32_t>(in_formats_blob)));
    if (blob && blob->data != nullptr) {
      absl::StatusOr<std::vector<FormatSupport>> parsed =
          ParseInFormatsBlob(absl::Span<const uint8_t>(
              static_cast<const uint8_t*>(blob->data), blob->length));
      if (parsed.ok()) {
        result.formats = *std::move(parsed);
        result.from_in_formats = true;
        return result;
      }
      Note(notes,
           absl::StrCat(card_path, ": plane ", plane_id,
                        ": IN_FORMATS unreadable (", parsed.status().message(),
                        "); using its format list, linear only"));
    }
  }
  for (uint32_t i = 0; i < plane->count_formats; ++i) {
    FormatSupport support;
    support.fourcc = plane->formats[i];
    support.modifiers = {kLinearModifier};
    AddFormatUnion(support, &result.formats);
  }
  return result;
}

// The numbered entries "<prefix><N>" of `dir`, by N.
std::vector<std::pair<int, std::string>> NumberedEntries(
    const std::string& dir, absl::string_view prefix) {
  std::vector<std::pair<int, std::string>> entries;
  DIR* stream = ::opendir(dir.c_str());
  if (stream == nullptr) return entries;
  while (const dirent* entry = ::readdir(stream)) {
    absl::string_view name(entry->d_name);
    if (!absl::ConsumePrefix(&name, prefix) || name.empty()) continue;
    int number;
    if (!std::all_of(name.begin(), name.end(), absl::ascii_isdigit) ||
        !absl::SimpleAtoi(name, &number)) {
      continue;
    }
    entries.emplace_back(number, std::string(entry->d_name));
  }
  ::closedir(stream);
  std::sort(entries.begin(), entries.end());
  return entries;
}

// Empty if `path` is a character device, else why it is skipped. stat, not
// open: opening a FIFO planted in a test tree would block.
std::string NotACharDevice(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) {
    return absl::StrCat("stat: ", std::strerror(errno));
  }
  if (!S_ISCHR(st.st_mode)) return "not a character device";
  return "";
}

struct V4l2Identity {
  uint32_t caps = 0;  // the node's capabilities (device_caps when given)
  std::string card;   // the driver's card name ("vivid", "vim2m")
};

absl::StatusOr<V4l2Identity> QueryCapabilities(int fd,
                                               const std::string& path) {
  v4l2_capability capability;
  std::memset(&capability, 0, sizeof(capability));
  if (RetryIoctl(fd, VIDIOC_QUERYCAP, &capability) != 0) {
    return ErrnoStatus(absl::StrCat("VIDIOC_QUERYCAP ", path));
  }
  V4l2Identity identity;
  identity.caps = (capability.capabilities & V4L2_CAP_DEVICE_CAPS) != 0
                      ? capability.device_caps
                      : capability.capabilities;
  const char* card = reinterpret_cast<const char*>(capability.card);
  identity.card = std::string(card, strnlen(card, sizeof(capability.card)));
  return identity;
}

absl::StatusOr<UniqueFd> OpenV4l2(const std::string& path) {
  // O_NONBLOCK: probing must never wait on a busy device.
  UniqueFd fd(::open(path.c_str(), O_RDWR | O_NONBLOCK | O_CLOEXEC));
  if (!fd) return ErrnoStatus(absl::StrCat("open ", path));
  return fd;
}

bool IsCodec(uint32_t caps) {
  return (caps & (V4L2_CAP_VIDEO_M2M | V4L2_CAP_VIDEO_M2M_MPLANE)) != 0;
}

bool IsCamera(uint32_t caps) {
  return !IsCodec(caps) && (caps & V4L2_CAP_TOUCH) == 0 &&
         (caps & (V4L2_CAP_VIDEO_CAPTURE | V4L2_CAP_VIDEO_CAPTURE_MPLANE)) != 0;
}

std::string ReadSysName(const std::string& path) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) return "";
  char buffer[64];
  ssize_t n = ::read(fd.get(), buffer, sizeof(buffer));
  if (n <= 0) return "";
  return std::string(absl::StripAsciiWhitespace(absl::string_view(buffer, n)));
}

}  // namespace

absl::StatusOr<std::vector<FormatSupport>> ParseInFormatsBlob(
    absl::Span<const uint8_t> blob) {
  drm_format_modifier_blob header;
  if (!ReadAt(blob, 0, &header, sizeof(header))) {
    return absl::InvalidArgumentError(absl::StrCat(
        "IN_FORMATS blob of ", blob.size(), " bytes is shorter than its ",
        sizeof(header), "-byte header"));
  }
  if (header.version < FORMAT_BLOB_CURRENT) {
    return absl::InvalidArgumentError(
        absl::StrCat("IN_FORMATS blob version ", header.version));
  }
  // 64-bit arithmetic: 32-bit counts and offsets cannot overflow it.
  const uint64_t formats_end =
      uint64_t{header.formats_offset} + uint64_t{header.count_formats} * 4;
  const uint64_t modifiers_end =
      uint64_t{header.modifiers_offset} +
      uint64_t{header.count_modifiers} * sizeof(drm_format_modifier);
  if (formats_end > blob.size() || modifiers_end > blob.size()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "IN_FORMATS blob of ", blob.size(), " bytes claims ",
        header.count_formats, " formats at ", header.formats_offset, " and ",
        header.count_modifiers, " modifiers at ", header.modifiers_offset));
  }

  // The arrays follow the header and do not overlap: a blob whose counts
  // disagree with its layout is lying somewhere.
  const bool overlap = header.count_formats != 0 &&
                       header.count_modifiers != 0 &&
                       header.formats_offset < modifiers_end &&
                       header.modifiers_offset < formats_end;
  if ((header.count_formats != 0 && header.formats_offset < sizeof(header)) ||
      (header.count_modifiers != 0 &&
       header.modifiers_offset < sizeof(header)) ||
      overlap) {
    return absl::InvalidArgumentError(absl::StrCat(
        "IN_FORMATS blob arrays overlap its header or each other (",
        header.count_formats, " formats at ", header.formats_offset, ", ",
        header.count_modifiers, " modifiers at ", header.modifiers_offset,
        ")"));
  }

  std::vector<FormatSupport> formats(header.count_formats);
  for (uint32_t i = 0; i < header.count_formats; ++i) {
    ReadAt(blob, uint64_t{header.formats_offset} + uint64_t{i} * 4,
           &formats[i].fourcc, 4);
  }
  for (uint32_t m = 0; m < header.count_modifiers; ++m) {
    drm_format_modifier entry;
    ReadAt(blob,
           uint64_t{header.modifiers_offset} +
               uint64_t{m} * sizeof(drm_format_modifier),
           &entry, sizeof(entry));
    if (entry.modifier == kInvalidModifier) continue;
    for (int bit = 0; bit < 64; ++bit) {
      if ((entry.formats >> bit & 1) == 0) continue;
      const uint64_t index = uint64_t{entry.offset} + bit;
      if (index >= header.count_formats) {
        return absl::InvalidArgumentError(
            absl::StrCat("IN_FORMATS modifier ", m, " names format ", index,
                         " of ", header.count_formats));
      }
      std::vector<uint64_t>& modifiers = formats[index].modifiers;
      if (std::find(modifiers.begin(), modifiers.end(), entry.modifier) ==
          modifiers.end()) {
        modifiers.push_back(entry.modifier);
      }
    }
  }
  // A format listed twice (drivers should not, but the blob allows it)
  // becomes one entry with the union of its modifiers.
  std::vector<FormatSupport> merged;
  for (const FormatSupport& format : formats) AddFormatUnion(format, &merged);
  return merged;
}

void AddFormatUnion(const FormatSupport& format,
                    std::vector<FormatSupport>* formats) {
  for (FormatSupport& existing : *formats) {
    if (existing.fourcc != format.fourcc ||
        existing.android_format != format.android_format) {
      continue;
    }
    for (uint64_t modifier : format.modifiers) {
      if (std::find(existing.modifiers.begin(), existing.modifiers.end(),
                    modifier) == existing.modifiers.end()) {
        existing.modifiers.push_back(modifier);
      }
    }
    return;
  }
  formats->push_back(format);
}

bool V4l2ToDrm(uint32_t v4l2_pixelformat, FormatSupport* out) {
  for (const V4l2Mapping& mapping : kV4l2Mappings) {
    if (mapping.v4l2 != v4l2_pixelformat) continue;
    FormatSupport support;
    if (mapping.android_name != nullptr) {
      const FormatInfo* info = FindFormatByName(mapping.android_name);
      if (info == nullptr) return false;
      support.android_format = info->android_value;
      support.fourcc = info->drm_fourcc;
    } else {
      support.fourcc = mapping.drm;
    }
    *out = std::move(support);
    return true;
  }
  return false;
}

absl::Status RefineWithDrm(const std::string& card_path, Profile* profile,
                           std::vector<std::string>* notes) {
  if (profile == nullptr) return absl::InvalidArgumentError("null profile");
  UniqueFd fd(::open(card_path.c_str(), O_RDWR | O_CLOEXEC));
  if (!fd) return ErrnoStatus(absl::StrCat("open ", card_path));
  if (drmSetClientCap(fd.get(), DRM_CLIENT_CAP_UNIVERSAL_PLANES, 1) != 0) {
    return ErrnoStatus(
        absl::StrCat("drmSetClientCap UNIVERSAL_PLANES ", card_path));
  }
  PlaneResources resources(drmModeGetPlaneResources(fd.get()));
  if (!resources) {
    // vgem and other render-only drivers have no KMS.
    return absl::FailedPreconditionError(
        absl::StrCat(card_path, ": no planes (drmModeGetPlaneResources: ",
                     std::strerror(errno), "); not a display"));
  }

  std::vector<FormatSupport> formats;
  int planes_used = 0;
  for (uint32_t i = 0; i < resources->count_planes; ++i) {
    ASSIGN_OR_RETURN(
        PlaneFormats plane,
        ReadPlane(fd.get(), resources->planes[i], card_path, notes));
    if (plane.is_cursor) continue;
    ++planes_used;
    Note(notes,
         absl::StrCat(card_path, ": plane ", resources->planes[i], ": ",
                      plane.formats.size(), " formats from ",
                      plane.from_in_formats ? "IN_FORMATS"
                                            : "its format list (linear only)"));
    for (const FormatSupport& format : plane.formats) {
      AddFormatUnion(format, &formats);
    }
  }
  if (formats.empty()) {
    return absl::FailedPreconditionError(absl::StrCat(
        card_path, ": no primary or overlay plane reports a format"));
  }

  ParticipantProfile& display = profile->at(Participant::kDisplay);
  display.present = true;
  display.formats = std::move(formats);
  display.source = absl::StrCat("probed ", card_path);
  Resources mode_resources(drmModeGetResources(fd.get()));
  if (mode_resources && mode_resources->max_width > 0 &&
      mode_resources->max_height > 0) {
    display.max_width = mode_resources->max_width;
    display.max_height = mode_resources->max_height;
  }
  std::vector<std::string> names;
  for (const FormatSupport& format : display.formats) {
    names.push_back(FourccToString(format.fourcc));
  }
  Note(notes, absl::StrCat(card_path, ": display formats from ", planes_used,
                           " planes: ", absl::StrJoin(names, " ")));
  return absl::OkStatus();
}

absl::Status RefineWithV4l2(const std::string& video_path,
                            Participant participant, Profile* profile,
                            std::vector<std::string>* notes) {
  if (profile == nullptr) return absl::InvalidArgumentError("null profile");
  if (participant != Participant::kCamera &&
      participant != Participant::kCodec) {
    return absl::InvalidArgumentError(
        absl::StrCat("V4L2 probing refines camera or codec, not ",
                     ParticipantName(participant)));
  }
  ASSIGN_OR_RETURN(UniqueFd fd, OpenV4l2(video_path));
  ASSIGN_OR_RETURN(V4l2Identity identity,
                   QueryCapabilities(fd.get(), video_path));
  const uint32_t caps = identity.caps;

  // The queues whose formats the participant's buffers may carry.
  std::vector<v4l2_buf_type> types;
  const bool codec = participant == Participant::kCodec;
  if (caps & (V4L2_CAP_VIDEO_CAPTURE | (codec ? V4L2_CAP_VIDEO_M2M : 0))) {
    types.push_back(V4L2_BUF_TYPE_VIDEO_CAPTURE);
  }
  if (caps & (V4L2_CAP_VIDEO_CAPTURE_MPLANE |
              (codec ? V4L2_CAP_VIDEO_M2M_MPLANE : 0))) {
    types.push_back(V4L2_BUF_TYPE_VIDEO_CAPTURE_MPLANE);
  }
  if (codec && (caps & (V4L2_CAP_VIDEO_OUTPUT | V4L2_CAP_VIDEO_M2M))) {
    types.push_back(V4L2_BUF_TYPE_VIDEO_OUTPUT);
  }
  if (codec &&
      (caps & (V4L2_CAP_VIDEO_OUTPUT_MPLANE | V4L2_CAP_VIDEO_M2M_MPLANE))) {
    types.push_back(V4L2_BUF_TYPE_VIDEO_OUTPUT_MPLANE);
  }
  if (types.empty()) {
    return absl::FailedPreconditionError(
        absl::StrCat(video_path, " (", identity.card, "): no ",
                     codec ? "memory-to-memory" : "video capture",
                     " queue (capabilities 0x", absl::Hex(caps), ")"));
  }

  std::vector<FormatSupport> formats;
  std::vector<std::string> unmapped;
  // Drivers list a few dozen formats; the bound only stops a broken driver
  // that never returns EINVAL.
  constexpr uint32_t kMaxFormatsPerQueue = 1024;
  for (v4l2_buf_type type : types) {
    for (uint32_t index = 0; index < kMaxFormatsPerQueue; ++index) {
      v4l2_fmtdesc description;
      std::memset(&description, 0, sizeof(description));
      description.index = index;
      description.type = type;
      if (RetryIoctl(fd.get(), VIDIOC_ENUM_FMT, &description) != 0) {
        if (errno == EINVAL) break;  // the end of the list
        return ErrnoStatus(absl::StrCat("VIDIOC_ENUM_FMT ", video_path));
      }
      FormatSupport support;
      if ((description.flags & V4L2_FMT_FLAG_COMPRESSED) == 0 &&
          V4l2ToDrm(description.pixelformat, &support)) {
        AddFormatUnion(support, &formats);
      } else {
        std::string text = FourccToString(description.pixelformat);
        if (std::find(unmapped.begin(), unmapped.end(), text) ==
            unmapped.end()) {
          unmapped.push_back(std::move(text));
        }
      }
    }
  }
  const std::string label = absl::StrCat(video_path, " (", identity.card, ")");
  if (!unmapped.empty()) {
    Note(notes, absl::StrCat(label, ": no gralloc layout for ",
                             absl::StrJoin(unmapped, " ")));
  }
  if (formats.empty()) {
    Note(notes, absl::StrCat(label, ": no format maps to a gralloc layout; ",
                             ParticipantName(participant), " entry kept from ",
                             profile->at(participant).source));
    return absl::OkStatus();
  }

  ParticipantProfile& entry = profile->at(participant);
  entry.present = true;
  entry.formats = std::move(formats);
  entry.source = absl::StrCat("probed ", label);
  std::vector<std::string> names;
  for (const FormatSupport& format : entry.formats) {
    names.push_back(format.fourcc != 0
                        ? FourccToString(format.fourcc)
                        : std::string(FindFormat(format.android_format)->name));
  }
  Note(notes, absl::StrCat(label, ": ", ParticipantName(participant),
                           " formats: ", absl::StrJoin(names, " ")));
  return absl::OkStatus();
}

absl::Status ProbeAndRefine(const DeviceProbeOptions& options, Profile* profile,
                            std::vector<std::string>* notes) {
  if (profile == nullptr) return absl::InvalidArgumentError("null profile");

  if (options.probe_drm) {
    const std::string dri = absl::StrCat(options.dev_root, "/dri");
    bool refined = false;
    auto cards = NumberedEntries(dri, "card");
    if (cards.empty()) {
      Note(notes,
           absl::StrCat("no DRM card under ", dri, "; display entry kept"));
    }
    for (const auto& card : cards) {
      const std::string path = absl::StrCat(dri, "/", card.second);
      if (refined) {
        Note(notes, absl::StrCat(path,
                                 ": ignored, the display was probed "
                                 "from an earlier card"));
        continue;
      }
      if (std::string why = NotACharDevice(path); !why.empty()) {
        Note(notes, absl::StrCat(path, ": skipped, ", why));
        continue;
      }
      absl::Status status = RefineWithDrm(path, profile, notes);
      if (status.ok()) {
        refined = true;
      } else {
        Note(notes, absl::StrCat(path, ": skipped, ", status.message()));
      }
    }
  }

  if (options.probe_v4l2) {
    bool camera_done = false;
    bool codec_done = false;
    auto nodes = NumberedEntries(options.dev_root, "video");
    if (nodes.empty()) {
      Note(notes, absl::StrCat("no V4L2 video node under ", options.dev_root,
                               "; camera and codec entries kept"));
    }
    for (const auto& node : nodes) {
      const std::string path = absl::StrCat(options.dev_root, "/", node.second);
      std::string label = path;
      if (std::string name = ReadSysName(absl::StrCat(
              options.sys_root, "/class/video4linux/", node.second, "/name"));
          !name.empty()) {
        label = absl::StrCat(path, " \"", name, "\"");
      }
      if (std::string why = NotACharDevice(path); !why.empty()) {
        Note(notes, absl::StrCat(label, ": skipped, ", why));
        continue;
      }
      absl::StatusOr<UniqueFd> fd = OpenV4l2(path);
      absl::StatusOr<V4l2Identity> identity =
          fd.ok() ? QueryCapabilities(fd->get(), path)
                  : absl::StatusOr<V4l2Identity>(fd.status());
      if (!identity.ok()) {
        Note(notes,
             absl::StrCat(label, ": skipped, ", identity.status().message()));
        continue;
      }
      fd->reset();  // RefineWithV4l2 opens its own
      Participant participant;
      bool* done;
      if (IsCodec(identity->caps)) {
        participant = Participant::kCodec;
        done = &codec_done;
      } else if (IsCamera(identity->caps)) {
        participant = Participant::kCamera;
        done = &camera_done;
      } else {
        Note(notes, absl::StrCat(label,
                                 ": skipped, neither a camera nor a "
                                 "memory-to-memory device"));
        continue;
      }
      if (*done) {
        Note(notes, absl::StrCat(label, ": ignored, the ",
                                 ParticipantName(participant),
                                 " was probed from an earlier node"));
        continue;
      }
      absl::Status status = RefineWithV4l2(path, participant, profile, notes);
      if (status.ok()) {
        *done = true;
      } else {
        Note(notes, absl::StrCat(label, ": skipped, ", status.message()));
      }
    }
  }
  return absl::OkStatus();
}

}  // namespace gralloc
