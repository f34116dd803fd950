// Copyright 2026 The gralloc for Linux Authors.
//
// Each message's fields are listed once, in a Fields() function that both
// directions run (hal/base/wire.h).

#include "allocator/service/protocol.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "hal/abi/error_table.h"
#include "hal/base/status_macros.h"
#include "hal/base/wire.h"
#include "hal/format/format_table.h"

namespace gralloc::service {
namespace {

// Strings are a u16 length, then the bytes: no NUL, at most `max_bytes`.
template <typename Io>
void Str(Io& io, const char* field, std::string& s, size_t max_bytes) {
  io.template Blob<uint16_t>(field, s, max_bytes);
  io.Check(s.find('\0') == std::string::npos, field, "contains a NUL byte");
}

// --- Fields, shared by both directions
// ----------------------------------------

template <typename Io>
void Fields(Io& io, BufferDescriptorInfo& d) {
  Str(io, "descriptor name", d.name, kMaxDescriptorNameBytes);
  io.Int("width", d.width);
  io.Int("height", d.height);
  io.Int("layer count", d.layer_count);
  io.Int("format", d.format);
  io.Int("usage", d.usage);
  io.Int("reserved size", d.reserved_size);
  // Options are few: a u16 count.
  uint16_t options =
      static_cast<uint16_t>(std::min(d.additional_options.size(), kMaxOptions));
  io.Int("option count", options);
  if (options > kMaxOptions) {
    io.Fail("option count", absl::StrCat(options, " exceeds ", kMaxOptions));
  }
  if (!io.ok()) return;
  if constexpr (Io::kReading) d.additional_options.resize(options);
  for (uint16_t i = 0; i < options && io.ok(); ++i) {
    Str(io, "option name", d.additional_options[i].name, kMaxOptionNameBytes);
    io.Int("option value", d.additional_options[i].value);
  }
}

template <typename Io>
void Fields(Io& io, HeapIdentity& heap) {
  Str(io, "heap name", heap.name, kMaxHeapNameBytes);
  uint8_t heap_class = static_cast<uint8_t>(heap.heap_class);
  io.Int("heap class", heap_class);
  const auto known =
      std::find_if(HeapClasses().begin(), HeapClasses().end(),
                   [&](const HeapClassInfo& row) {
                     return static_cast<uint8_t>(row.heap_class) == heap_class;
                   });
  if (known == HeapClasses().end()) {
    io.Fail("heap class", absl::StrCat(heap_class, " is unknown"));
  }
  HeapCaps& caps = heap.caps;
  uint8_t bits = (caps.contiguous ? 1 : 0) | (caps.cached ? 2 : 0) |
                 (caps.device_importable ? 4 : 0) |
                 (caps.is_protected ? 8 : 0) | (caps.scanout ? 16 : 0);
  io.Int("heap caps", bits);
  io.Check(bits < 32, "heap caps", "has unknown bits");
  if constexpr (Io::kReading) {
    if (!io.ok()) return;
    heap.heap_class = known->heap_class;
    caps.backend = known->caps.backend;
    caps.contiguous = (bits & 1) != 0;
    caps.cached = (bits & 2) != 0;
    caps.device_importable = (bits & 4) != 0;
    caps.is_protected = (bits & 8) != 0;
    caps.scanout = (bits & 16) != 0;
  }
}

template <typename Io>
void Fields(Io& io, BufferLayout& layout) {
  int32_t format = layout.format != nullptr ? layout.format->android_value : 0;
  uint32_t fourcc = layout.format != nullptr ? layout.format->drm_fourcc : 0;
  io.Int("layout format", format);
  io.Int("layout fourcc", fourcc);
  io.Int("layout modifier", layout.modifier);
  io.Int("layout stride", layout.stride_px);
  uint8_t planes = static_cast<uint8_t>(layout.plane_count);
  io.Int("plane count", planes);
  if constexpr (Io::kReading) {
    if (!io.ok()) return;
    layout.format = FindConcreteLayout(format, fourcc);
    layout.plane_count = planes;
    if (layout.format == nullptr) {
      io.Fail("layout format",
              absl::StrCat(format, " with fourcc 0x", absl::Hex(fourcc),
                           " names no concrete layout"));
      return;
    }
    if (planes != layout.format->plane_count) {
      io.Fail("plane count",
              absl::StrCat(planes, " is not ", layout.format->name, "'s ",
                           layout.format->plane_count));
    }
  }
  for (int i = 0; i < layout.plane_count && io.ok(); ++i) {
    LaidOutPlane& p = layout.planes[static_cast<size_t>(i)];
    io.Int("plane offset", p.offset_bytes);
    io.Int("plane stride", p.stride_bytes);
    io.Int("plane size", p.size_bytes);
    io.Int("plane width", p.width_in_samples);
    io.Int("plane height", p.height_in_samples);
  }
  io.Int("layer size", layout.layer_size_bytes);
  io.Int("total size", layout.total_size_bytes);
}

// A handle's ints: u32 n, then n x i32; n is kHandleNumInts, or 0 where
// the ints are `optional`.
template <typename Io>
void HandleInts(Io& io, std::vector<int32_t>& ints, bool optional = false) {
  io.template List<uint32_t>("handle int count", ints, kHandleNumInts, 4,
                             [&io](int32_t& v) { io.Int("handle int", v); });
  if (!(ints.size() == static_cast<size_t>(kHandleNumInts) ||
        (optional && ints.empty()))) {
    io.Fail(
        "handle int count",
        absl::StrCat(ints.size(), optional ? " is neither 0 nor " : " is not ",
                     kHandleNumInts));
  }
}

template <typename Io>
void Fields(Io& io, AllocateRequest& r) {
  io.Int("count", r.count);
  if (!(r.count >= 0 && r.count <= kMaxBuffersPerAllocate)) {
    io.Fail("count",
            absl::StrCat(r.count, " is outside 0..", kMaxBuffersPerAllocate));
  }
  Fields(io, r.descriptor);
}

template <typename Io>
void Fields(Io& io, ListRequest& r) {
  io.Int("after buffer id", r.after_buffer_id);
  io.Int("max entries", r.max_entries);
  if (!(r.max_entries >= 1 && r.max_entries <= kMaxListEntries)) {
    io.Fail("max entries",
            absl::StrCat(r.max_entries, " is outside 1..", kMaxListEntries));
  }
}

template <typename Io>
void Fields(Io& io, ServesRequest& r) {
  io.Int("additional usage", r.additional_usage);
  io.Int("buffer id", r.buffer_id);
  // No ints: the service's record of buffer_id. Else exactly a handle's.
  HandleInts(io, r.handle_ints, /*optional=*/true);
}

// An answer is a status: a code and its reason.
struct Answer {
  uint32_t code = 0;
  std::string reason;
};

template <typename Io>
void Fields(Io& io, Answer& a) {
  io.Int("answer code", a.code);
  if (a.code > static_cast<uint32_t>(absl::StatusCode::kUnauthenticated)) {
    io.Fail("answer code", absl::StrCat(a.code, " is not a canonical code"));
  }
  Str(io, "reason", a.reason, kMaxStatusMessageBytes);
  io.Check(a.code != 0 || a.reason.empty(), "reason", "is given for a yes");
}

template <typename Io>
void Fields(Io& io, AllocateReply& r) {
  Fields(io, r.layout);
  io.template List<uint32_t>("buffer count", r.buffers, kMaxBuffersPerAllocate,
                             2 + 2 + 4 + 4 * kHandleNumInts,
                             [&io](AllocateReply::Buffer& buffer) {
                               Fields(io, buffer.heap);
                               HandleInts(io, buffer.handle_ints);
                             });
}

template <typename Io>
void Fields(Io& io, StatsReply& r) {
  io.Int("connections", r.connections);
  io.Int("live buffers", r.live_buffers);
  io.Int("live bytes", r.live_bytes);
  io.Int("max buffers per client", r.max_buffers_per_client);
  io.Int("max bytes per client", r.max_bytes_per_client);
  io.Int("allocations total", r.allocations_total);
  io.Int("refusals total", r.refusals_total);
  io.template List<uint32_t>(
      "heap count", r.heaps, kMaxStatsHeaps, 2 + 16, [&io](HeapUsage& heap) {
        Str(io, "heap name", heap.heap, kMaxHeapNameBytes);
        io.Int("heap buffers", heap.buffers);
        io.Int("heap bytes", heap.bytes);
      });
  io.template List<uint32_t>("account count", r.accounts, kMaxStatsAccounts, 28,
                             [&io](AccountUsage& a) {
                               io.Int("pid", a.pid);
                               io.Int("uid", a.uid);
                               io.Int("account connections", a.connections);
                               io.Int("account buffers", a.buffers);
                               io.Int("account bytes", a.bytes);
                             });
  PoolStats& pool = r.pool;
  io.Int("pool budget", pool.budget_bytes);
  io.Int("pool buffers", pool.buffers);
  io.Int("pool bytes", pool.bytes);
  io.Int("pool descriptions", pool.descriptions);
  io.Int("pool hits", pool.hits);
  io.Int("pool misses", pool.misses);
  io.Int("pool made", pool.made);
  io.Int("pool dropped", pool.dropped);
  io.Int("pool drains", pool.drains);
  io.Int("pool failures", pool.failures);
  io.Int("pool pressure events", pool.pressure_events);
  io.Bool("pool pressure trigger", pool.pressure_trigger);
}

template <typename Io>
void Fields(Io& io, ListReply& r) {
  io.Bool("more", r.more);
  io.template List<uint32_t>("entry count", r.entries, kMaxListEntries, 81,
                             [&io](ListEntry& e) {
                               io.Int("buffer id", e.buffer_id);
                               io.Int("pid", e.pid);
                               io.Int("uid", e.uid);
                               io.Int("size", e.size_bytes);
                               Str(io, "heap", e.heap, kMaxHeapNameBytes);
                               Str(io, "name", e.name, kMaxDescriptorNameBytes);
                               io.Int("format", e.format);
                               io.Int("width", e.width);
                               io.Int("height", e.height);
                               io.Int("layer count", e.layer_count);
                               io.Int("usage", e.usage);
                               io.Int("device", e.device);
                               io.Int("inode", e.inode);
                               io.Int("allocated", e.allocated_ns);
                               io.Bool("requester gone", e.requester_gone);
                             });
}

template <typename Io>
void Fields(Io& io, std::vector<uint64_t>& buffer_ids) {
  io.template List<uint32_t>("id count", buffer_ids, kMaxReleaseIds, 8,
                             [&io](uint64_t& id) { io.Int("buffer id", id); });
  if (buffer_ids.empty()) {
    io.Fail("id count", absl::StrCat("0 is outside 1..", kMaxReleaseIds));
  }
}

template <typename Io>
void Fields(Io& io, uint32_t& released) {
  io.Int("released", released);
}

template <typename Io>
void Fields(Io& io, std::string& path) {
  Str(io, "path", path, kMaxPathBytes);
}

// A request payload, or a reply payload (status block, then the body).
template <typename T>
std::vector<uint8_t> Encode(const T& value, bool with_status = false) {
  WireWriter w;
  if (with_status) {
    uint32_t code = 0;
    int32_t abi_error = 0;
    std::string message;
    w.Int("status code", code);
    w.Int("ABI error", abi_error);
    Str(w, "status message", message, 0);
  }
  // Fields() takes references for both directions; a writer only reads.
  Fields(w, const_cast<T&>(value));
  return w.Take();
}

template <typename T>
absl::StatusOr<T> Decode(absl::Span<const uint8_t> bytes) {
  WireReader r(bytes);
  T value{};
  Fields(r, value);
  RETURN_IF_ERROR(r.Finish());
  return value;
}

bool KnownType(uint16_t type) {
  return type >= static_cast<uint16_t>(MessageType::kIsSupported) &&
         type <= static_cast<uint16_t>(MessageType::kDrainPool);
}

bool KnownAbiError(int32_t value) {
  switch (static_cast<AbiError>(value)) {
    case AbiError::kNone:
    case AbiError::kBadDescriptor:
    case AbiError::kBadBuffer:
    case AbiError::kBadValue:
    case AbiError::kNoResources:
    case AbiError::kUnsupported:
      return true;
  }
  return false;
}

}  // namespace

const char* MessageTypeName(MessageType type) {
  switch (type) {
    case MessageType::kIsSupported:
      return "IS_SUPPORTED";
    case MessageType::kAllocate:
      return "ALLOCATE";
    case MessageType::kRelease:
      return "RELEASE";
    case MessageType::kStats:
      return "STATS";
    case MessageType::kList:
      return "LIST";
    case MessageType::kServes:
      return "SERVES";
    case MessageType::kMapperLibrary:
      return "MAPPER_LIBRARY";
    case MessageType::kDrainPool:
      return "DRAIN_POOL";
  }
  return "UNKNOWN";
}

std::vector<uint8_t> EncodeFrame(MessageType type, bool is_reply,
                                 uint64_t request_id,
                                 absl::Span<const uint8_t> payload,
                                 uint32_t fd_count) {
  WireWriter w;
  uint32_t magic = kProtocolMagic;
  uint16_t version = kProtocolVersion;
  uint16_t type_bits = static_cast<uint16_t>(static_cast<uint16_t>(type) |
                                             (is_reply ? kReplyBit : 0));
  uint32_t length = static_cast<uint32_t>(payload.size());
  w.Int("magic", magic);
  w.Int("version", version);
  w.Int("type", type_bits);
  w.Int("request id", request_id);
  w.Int("payload length", length);
  w.Int("fd count", fd_count);
  std::vector<uint8_t> frame = w.Take();
  frame.insert(frame.end(), payload.begin(), payload.end());
  return frame;
}

absl::Status DecodeFrame(absl::Span<const uint8_t> datagram,
                         size_t fds_received, FrameHeader* header,
                         absl::Span<const uint8_t>* payload) {
  *header = FrameHeader{};
  if (datagram.size() > kMaxMessageBytes) {
    return absl::InvalidArgumentError(absl::StrCat(
        "message of ", datagram.size(), " bytes exceeds ", kMaxMessageBytes));
  }
  WireReader r(datagram);
  uint32_t magic = 0;
  uint16_t version = 0;
  uint16_t type = 0;
  r.Int("magic", magic);
  r.Int("version", version);
  r.Int("type", type);
  r.Int("request id", header->request_id);
  r.Int("payload length", header->payload_bytes);
  r.Int("fd count", header->fd_count);
  header->version = version;
  header->is_reply = (type & kReplyBit) != 0;
  header->type = static_cast<MessageType>(type & ~kReplyBit);
  if (!r.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "message of ", datagram.size(), " bytes is shorter than the ",
        kHeaderBytes, "-byte header"));
  }
  if (magic != kProtocolMagic) {
    return absl::InvalidArgumentError("bad magic: not a gralloc message");
  }
  if (version != kProtocolVersion) {
    return absl::InvalidArgumentError(absl::StrCat(
        "protocol version ", version, " is not supported (this side speaks ",
        kProtocolVersion, ")"));
  }
  if (!KnownType(type & ~kReplyBit)) {
    return absl::InvalidArgumentError(
        absl::StrCat("unknown message type ", type & ~kReplyBit));
  }
  if (header->payload_bytes != datagram.size() - kHeaderBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("payload length ", header->payload_bytes, " but ",
                     datagram.size() - kHeaderBytes, " bytes arrived"));
  }
  if (header->fd_count != fds_received) {
    return absl::InvalidArgumentError(
        absl::StrCat("header announces ", header->fd_count, " fds but ",
                     fds_received, " arrived"));
  }
  *payload = datagram.subspan(kHeaderBytes);
  return absl::OkStatus();
}

// --- Requests and replies ---------------------------------------------------

template <typename T>
std::vector<uint8_t> EncodeRequest(const T& request) {
  return Encode(request);
}
template <typename T>
absl::StatusOr<T> DecodeRequest(absl::Span<const uint8_t> payload) {
  return Decode<T>(payload);
}
template <typename T>
std::vector<uint8_t> EncodeReply(const T& body) {
  return Encode(body, /*with_status=*/true);
}
template <typename T>
absl::StatusOr<T> DecodeReply(absl::Span<const uint8_t> body) {
  return Decode<T>(body);
}

#define GRALLOC_REQUEST_(T)                                 \
  template std::vector<uint8_t> EncodeRequest<T>(const T&); \
  template absl::StatusOr<T> DecodeRequest<T>(absl::Span<const uint8_t>);
#define GRALLOC_REPLY_(T)                                 \
  template std::vector<uint8_t> EncodeReply<T>(const T&); \
  template absl::StatusOr<T> DecodeReply<T>(absl::Span<const uint8_t>);
GRALLOC_REQUEST_(BufferDescriptorInfo)
GRALLOC_REQUEST_(AllocateRequest)
GRALLOC_REQUEST_(std::vector<uint64_t>)
GRALLOC_REQUEST_(ListRequest)
GRALLOC_REQUEST_(ServesRequest)
GRALLOC_REPLY_(uint32_t)
GRALLOC_REPLY_(StatsReply)
GRALLOC_REPLY_(ListReply)
GRALLOC_REPLY_(std::string)
#undef GRALLOC_REQUEST_
#undef GRALLOC_REPLY_

absl::Status DecodeEmptyRequest(absl::Span<const uint8_t> payload) {
  WireReader r(payload);
  return r.Finish();
}

// --- Replies --------------------------------------------------------------

std::vector<uint8_t> EncodeErrorReply(const absl::Status& status) {
  const absl::Status error =
      status.ok() ? absl::InternalError("error reply without error") : status;
  WireWriter w;
  uint32_t code = static_cast<uint32_t>(error.code());
  int32_t abi_error = ToAbiErrorCode(error, ErrorContext::kDescriptor);
  std::string message(error.message());
  w.Int("status code", code);
  w.Int("ABI error", abi_error);
  Str(w, "status message", message, kMaxStatusMessageBytes);
  return w.Take();
}

absl::Status DecodeReplyStatus(absl::Span<const uint8_t> payload,
                               absl::Status* status,
                               absl::Span<const uint8_t>* body) {
  WireReader r(payload);
  uint32_t code = 0;
  int32_t abi_error = 0;
  std::string message;
  r.Int("status code", code);
  r.Int("ABI error", abi_error);
  Str(r, "status message", message, kMaxStatusMessageBytes);
  if (!r.ok()) return r.Finish();
  if (code > static_cast<uint32_t>(absl::StatusCode::kUnauthenticated)) {
    return absl::InvalidArgumentError(
        absl::StrCat("status code ", code, " is not a canonical code"));
  }
  if (!KnownAbiError(abi_error) || (abi_error == 0) != (code == 0)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "ABI error ", abi_error, " does not fit status code ", code));
  }
  if (code == 0) {
    *status = absl::OkStatus();
    *body = payload.subspan(payload.size() - r.remaining());
    return absl::OkStatus();
  }
  if (r.remaining() != 0) {
    return absl::InvalidArgumentError("an error reply carries a body");
  }
  *status = absl::Status(static_cast<absl::StatusCode>(code), message);
  *body = {};
  return absl::OkStatus();
}

std::vector<uint8_t> EncodeAnswerReply(const absl::Status& answer) {
  return Encode(Answer{static_cast<uint32_t>(answer.code()),
                       std::string(answer.message())},
                /*with_status=*/true);
}
absl::Status DecodeAnswerReply(absl::Span<const uint8_t> body,
                               absl::Status* answer) {
  ASSIGN_OR_RETURN(const Answer decoded, Decode<Answer>(body));
  *answer =
      absl::Status(static_cast<absl::StatusCode>(decoded.code), decoded.reason);
  return absl::OkStatus();
}

std::vector<uint8_t> EncodeAllocateReply(const AllocateReply& reply) {
  return Encode(reply, /*with_status=*/true);
}
absl::StatusOr<AllocateReply> DecodeAllocateReply(
    absl::Span<const uint8_t> body, size_t fds_received) {
  ASSIGN_OR_RETURN(AllocateReply reply, Decode<AllocateReply>(body));
  if (fds_received != reply.buffers.size() * kHandleNumFds) {
    return absl::InvalidArgumentError(
        absl::StrCat("buffer count ", reply.buffers.size(), " buffers need ",
                     reply.buffers.size() * kHandleNumFds, " fds but ",
                     fds_received, " arrived"));
  }
  return reply;
}

}  // namespace gralloc::service
