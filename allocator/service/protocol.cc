// Copyright 2026 The gralloc for Linux Authors.

#include "allocator/service/protocol.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "hal/abi/error_table.h"
#include "hal/base/status_macros.h"
#include "hal/format/format_table.h"

namespace gralloc::service {
namespace {

// Appends little-endian fields to a payload.
class Writer {
 public:
  void U8(uint8_t v) { bytes_.push_back(v); }
  void U16(uint16_t v) { Raw(v, 2); }
  void U32(uint32_t v) { Raw(v, 4); }
  void U64(uint64_t v) { Raw(v, 8); }
  void I32(int32_t v) { U32(static_cast<uint32_t>(v)); }
  void I64(int64_t v) { U64(static_cast<uint64_t>(v)); }
  // Callers keep strings within their field's bound; a longer one is cut so
  // the length prefix can never lie.
  void Str(absl::string_view s, size_t max_bytes) {
    if (s.size() > max_bytes) s = s.substr(0, max_bytes);
    U16(static_cast<uint16_t>(s.size()));
    bytes_.insert(bytes_.end(), s.begin(), s.end());
  }
  std::vector<uint8_t> Take() { return std::move(bytes_); }

 private:
  void Raw(uint64_t v, int n) {
    for (int i = 0; i < n; ++i)
      bytes_.push_back(static_cast<uint8_t>(v >> (8 * i)));
  }
  std::vector<uint8_t> bytes_;
};

// Reads little-endian fields; the first failure sticks and names the field.
class Reader {
 public:
  explicit Reader(absl::Span<const uint8_t> bytes) : bytes_(bytes) {}

  uint8_t U8(const char* field) { return static_cast<uint8_t>(Raw(1, field)); }
  uint16_t U16(const char* field) {
    return static_cast<uint16_t>(Raw(2, field));
  }
  uint32_t U32(const char* field) {
    return static_cast<uint32_t>(Raw(4, field));
  }
  uint64_t U64(const char* field) { return Raw(8, field); }
  int32_t I32(const char* field) { return static_cast<int32_t>(U32(field)); }
  int64_t I64(const char* field) { return static_cast<int64_t>(U64(field)); }
  bool Bool(const char* field) {
    const uint8_t v = U8(field);
    if (v > 1) Fail(field, "is not 0 or 1");
    return v == 1;
  }
  std::string Str(const char* field, size_t max_bytes) {
    const uint16_t length = U16(field);
    if (!status_.ok()) return "";
    if (length > max_bytes) {
      Fail(field, absl::StrCat("is ", length, " bytes, more than ", max_bytes));
      return "";
    }
    if (bytes_.size() < length) {
      Fail(field, "is truncated");
      return "";
    }
    std::string s(reinterpret_cast<const char*>(bytes_.data()), length);
    bytes_.remove_prefix(length);
    if (s.find('\0') != std::string::npos) Fail(field, "contains a NUL byte");
    return s;
  }
  // Fails unless `count` more entries of at least `min_entry_bytes` each can
  // still be present, so a lying count cannot make the caller reserve much.
  bool Fits(uint64_t count, size_t min_entry_bytes, const char* field) {
    if (!status_.ok()) return false;
    if (count > bytes_.size() / (min_entry_bytes == 0 ? 1 : min_entry_bytes)) {
      Fail(field, absl::StrCat("announces ", count,
                               " entries, more than the payload holds"));
      return false;
    }
    return true;
  }
  void Fail(const char* field, absl::string_view what) {
    if (status_.ok()) {
      status_ = absl::InvalidArgumentError(absl::StrCat(field, " ", what));
    }
  }
  // OK only if every read succeeded and nothing is left over.
  absl::Status Finish() {
    if (status_.ok() && !bytes_.empty()) {
      status_ = absl::InvalidArgumentError(
          absl::StrCat(bytes_.size(), " unexpected bytes after the message"));
    }
    return status_;
  }
  bool ok() const { return status_.ok(); }

 private:
  uint64_t Raw(int n, const char* field) {
    if (!status_.ok()) return 0;
    if (bytes_.size() < static_cast<size_t>(n)) {
      Fail(field, "is truncated");
      return 0;
    }
    uint64_t v = 0;
    for (int i = 0; i < n; ++i)
      v |= uint64_t{bytes_[static_cast<size_t>(i)]} << (8 * i);
    bytes_.remove_prefix(static_cast<size_t>(n));
    return v;
  }

  absl::Span<const uint8_t> bytes_;
  absl::Status status_;
};

void WriteDescriptor(const BufferDescriptorInfo& d, Writer& w) {
  w.Str(d.name, kMaxDescriptorNameBytes);
  w.I64(d.width);
  w.I64(d.height);
  w.I64(d.layer_count);
  w.I32(d.format);
  w.U64(d.usage);
  w.I64(d.reserved_size);
  const size_t options = std::min(d.additional_options.size(), kMaxOptions);
  w.U16(static_cast<uint16_t>(options));
  for (size_t i = 0; i < options; ++i) {
    w.Str(d.additional_options[i].name, kMaxOptionNameBytes);
    w.I64(d.additional_options[i].value);
  }
}

BufferDescriptorInfo ReadDescriptor(Reader& r) {
  BufferDescriptorInfo d;
  d.name = r.Str("descriptor name", kMaxDescriptorNameBytes);
  d.width = r.I64("width");
  d.height = r.I64("height");
  d.layer_count = r.I64("layer count");
  d.format = r.I32("format");
  d.usage = r.U64("usage");
  d.reserved_size = r.I64("reserved size");
  const uint16_t options = r.U16("option count");
  if (options > kMaxOptions) {
    r.Fail("option count", absl::StrCat(options, " exceeds ", kMaxOptions));
    return d;
  }
  for (uint16_t i = 0; i < options && r.ok(); ++i) {
    ExtendableType option;
    option.name = r.Str("option name", kMaxOptionNameBytes);
    option.value = r.I64("option value");
    d.additional_options.push_back(std::move(option));
  }
  return d;
}

bool KnownType(uint16_t type) {
  return type >= static_cast<uint16_t>(MessageType::kIsSupported) &&
         type <= static_cast<uint16_t>(MessageType::kList);
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
  }
  return "UNKNOWN";
}

std::vector<uint8_t> EncodeFrame(MessageType type, bool is_reply,
                                 uint64_t request_id,
                                 absl::Span<const uint8_t> payload,
                                 uint32_t fd_count) {
  Writer w;
  w.U32(kProtocolMagic);
  w.U16(kProtocolVersion);
  w.U16(static_cast<uint16_t>(static_cast<uint16_t>(type) |
                              (is_reply ? kReplyBit : 0)));
  w.U64(request_id);
  w.U32(static_cast<uint32_t>(payload.size()));
  w.U32(fd_count);
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
  Reader r(datagram);
  const uint32_t magic = r.U32("magic");
  const uint16_t version = r.U16("version");
  const uint16_t type = r.U16("type");
  header->request_id = r.U64("request id");
  header->payload_bytes = r.U32("payload length");
  header->fd_count = r.U32("fd count");
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

// --- Requests -------------------------------------------------------------

std::vector<uint8_t> EncodeIsSupportedRequest(
    const BufferDescriptorInfo& descriptor) {
  Writer w;
  WriteDescriptor(descriptor, w);
  return w.Take();
}

absl::StatusOr<BufferDescriptorInfo> DecodeIsSupportedRequest(
    absl::Span<const uint8_t> payload) {
  Reader r(payload);
  BufferDescriptorInfo descriptor = ReadDescriptor(r);
  RETURN_IF_ERROR(r.Finish());
  return descriptor;
}

std::vector<uint8_t> EncodeAllocateRequest(const AllocateRequest& request) {
  Writer w;
  w.I32(request.count);
  WriteDescriptor(request.descriptor, w);
  return w.Take();
}

absl::StatusOr<AllocateRequest> DecodeAllocateRequest(
    absl::Span<const uint8_t> payload) {
  Reader r(payload);
  AllocateRequest request;
  request.count = r.I32("count");
  if (r.ok() && (request.count < 0 || request.count > kMaxBuffersPerAllocate)) {
    r.Fail("count", absl::StrCat(request.count, " is outside 0..",
                                 kMaxBuffersPerAllocate));
  }
  request.descriptor = ReadDescriptor(r);
  RETURN_IF_ERROR(r.Finish());
  return request;
}

std::vector<uint8_t> EncodeReleaseRequest(absl::Span<const uint64_t> ids) {
  Writer w;
  w.U32(static_cast<uint32_t>(ids.size()));
  for (uint64_t id : ids) w.U64(id);
  return w.Take();
}

absl::StatusOr<std::vector<uint64_t>> DecodeReleaseRequest(
    absl::Span<const uint8_t> payload) {
  Reader r(payload);
  const uint32_t count = r.U32("id count");
  if (r.ok() && (count == 0 || count > kMaxReleaseIds)) {
    r.Fail("id count", absl::StrCat(count, " is outside 1..", kMaxReleaseIds));
  }
  std::vector<uint64_t> ids;
  if (r.Fits(count, 8, "id count")) {
    ids.reserve(count);
    for (uint32_t i = 0; i < count; ++i) ids.push_back(r.U64("buffer id"));
  }
  RETURN_IF_ERROR(r.Finish());
  return ids;
}

absl::Status DecodeEmptyRequest(absl::Span<const uint8_t> payload) {
  Reader r(payload);
  return r.Finish();
}

std::vector<uint8_t> EncodeListRequest(const ListRequest& request) {
  Writer w;
  w.U64(request.after_buffer_id);
  w.U32(request.max_entries);
  return w.Take();
}

absl::StatusOr<ListRequest> DecodeListRequest(
    absl::Span<const uint8_t> payload) {
  Reader r(payload);
  ListRequest request;
  request.after_buffer_id = r.U64("after buffer id");
  request.max_entries = r.U32("max entries");
  if (r.ok() &&
      (request.max_entries == 0 || request.max_entries > kMaxListEntries)) {
    r.Fail("max entries", absl::StrCat(request.max_entries, " is outside 1..",
                                       kMaxListEntries));
  }
  RETURN_IF_ERROR(r.Finish());
  return request;
}

// --- Replies --------------------------------------------------------------

namespace {

void WriteStatus(const absl::Status& status, Writer& w) {
  w.U32(static_cast<uint32_t>(status.code()));
  w.I32(ToAbiErrorCode(status, ErrorContext::kDescriptor));
  w.Str(status.message(), kMaxStatusMessageBytes);
}

}  // namespace

std::vector<uint8_t> EncodeErrorReply(const absl::Status& status) {
  Writer w;
  WriteStatus(
      status.ok() ? absl::InternalError("error reply without error") : status,
      w);
  return w.Take();
}

absl::Status DecodeReplyStatus(absl::Span<const uint8_t> payload,
                               absl::Status* status,
                               absl::Span<const uint8_t>* body) {
  Reader r(payload);
  const uint32_t code = r.U32("status code");
  const int32_t abi_error = r.I32("ABI error");
  std::string message = r.Str("status message", kMaxStatusMessageBytes);
  if (!r.ok()) return r.Finish();
  if (code > static_cast<uint32_t>(absl::StatusCode::kUnauthenticated)) {
    return absl::InvalidArgumentError(
        absl::StrCat("status code ", code, " is not a canonical code"));
  }
  if (!KnownAbiError(abi_error) || (abi_error == 0) != (code == 0)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "ABI error ", abi_error, " does not fit status code ", code));
  }
  const size_t consumed = 4 + 4 + 2 + message.size();
  if (code == 0) {
    *status = absl::OkStatus();
    *body = payload.subspan(consumed);
    return absl::OkStatus();
  }
  if (payload.size() != consumed) {
    return absl::InvalidArgumentError("an error reply carries a body");
  }
  *status = absl::Status(static_cast<absl::StatusCode>(code), message);
  *body = {};
  return absl::OkStatus();
}

std::vector<uint8_t> EncodeIsSupportedReply(bool supported) {
  Writer w;
  WriteStatus(absl::OkStatus(), w);
  w.U8(supported ? 1 : 0);
  return w.Take();
}

absl::StatusOr<bool> DecodeIsSupportedReply(absl::Span<const uint8_t> body) {
  Reader r(body);
  const bool supported = r.Bool("supported");
  RETURN_IF_ERROR(r.Finish());
  return supported;
}

namespace {

// A heap: str name, u8 class (HeapClass), u8 caps (bit 0 contiguous, 1
// cached, 2 device-importable, 3 protected, 4 scanout). The backend is the
// class's.
void WriteHeap(const HeapIdentity& heap, Writer& w) {
  w.Str(heap.name, kMaxHeapNameBytes);
  w.U8(static_cast<uint8_t>(heap.heap_class));
  w.U8(static_cast<uint8_t>(
      (heap.caps.contiguous ? 1 : 0) | (heap.caps.cached ? 2 : 0) |
      (heap.caps.device_importable ? 4 : 0) | (heap.caps.is_protected ? 8 : 0) |
      (heap.caps.scanout ? 16 : 0)));
}

HeapIdentity ReadHeap(Reader& r) {
  HeapIdentity heap;
  heap.name = r.Str("heap name", kMaxHeapNameBytes);
  const uint8_t heap_class = r.U8("heap class");
  bool known = false;
  for (const HeapClassInfo& row : HeapClasses()) {
    if (static_cast<uint8_t>(row.heap_class) == heap_class) {
      known = true;
      heap.heap_class = row.heap_class;
      heap.caps.backend = row.caps.backend;
    }
  }
  if (!known) r.Fail("heap class", absl::StrCat(heap_class, " is unknown"));
  const uint8_t caps = r.U8("heap caps");
  if (caps > 31) r.Fail("heap caps", "has unknown bits");
  heap.caps.contiguous = (caps & 1) != 0;
  heap.caps.cached = (caps & 2) != 0;
  heap.caps.device_importable = (caps & 4) != 0;
  heap.caps.is_protected = (caps & 8) != 0;
  heap.caps.scanout = (caps & 16) != 0;
  return heap;
}

void WriteLayout(const BufferLayout& layout, Writer& w) {
  w.I32(layout.format != nullptr ? layout.format->android_value : 0);
  w.U32(layout.format != nullptr ? layout.format->drm_fourcc : 0);
  w.U64(layout.modifier);
  w.I32(layout.stride_px);
  w.U8(static_cast<uint8_t>(layout.plane_count));
  for (const LaidOutPlane& p : layout.Planes()) {
    w.U64(p.offset_bytes);
    w.U64(p.stride_bytes);
    w.U64(p.size_bytes);
    w.I64(p.width_in_samples);
    w.I64(p.height_in_samples);
  }
  w.U64(layout.layer_size_bytes);
  w.U64(layout.total_size_bytes);
}

BufferLayout ReadLayout(Reader& r) {
  BufferLayout layout;
  const int32_t format = r.I32("layout format");
  const uint32_t fourcc = r.U32("layout fourcc");
  layout.modifier = r.U64("layout modifier");
  layout.stride_px = r.I32("layout stride");
  layout.plane_count = r.U8("plane count");
  if (!r.ok()) return layout;
  layout.format = FindConcreteLayout(format, fourcc);
  if (layout.format == nullptr) {
    r.Fail("layout format",
           absl::StrCat(format, " with fourcc 0x", absl::Hex(fourcc),
                        " names no concrete layout"));
    return layout;
  }
  if (layout.plane_count != layout.format->plane_count) {
    r.Fail("plane count",
           absl::StrCat(layout.plane_count, " is not ", layout.format->name,
                        "'s ", layout.format->plane_count));
    return layout;
  }
  for (int i = 0; i < layout.plane_count && r.ok(); ++i) {
    LaidOutPlane& p = layout.planes[static_cast<size_t>(i)];
    p.offset_bytes = r.U64("plane offset");
    p.stride_bytes = r.U64("plane stride");
    p.size_bytes = r.U64("plane size");
    p.width_in_samples = r.I64("plane width");
    p.height_in_samples = r.I64("plane height");
  }
  layout.layer_size_bytes = r.U64("layer size");
  layout.total_size_bytes = r.U64("total size");
  return layout;
}

}  // namespace

std::vector<uint8_t> EncodeAllocateReply(const AllocateReply& reply) {
  Writer w;
  WriteStatus(absl::OkStatus(), w);
  WriteLayout(reply.layout, w);
  w.U32(static_cast<uint32_t>(reply.buffers.size()));
  for (const AllocateReply::Buffer& buffer : reply.buffers) {
    WriteHeap(buffer.heap, w);
    w.U32(static_cast<uint32_t>(buffer.handle_ints.size()));
    for (int32_t v : buffer.handle_ints) w.I32(v);
  }
  return w.Take();
}

absl::StatusOr<AllocateReply> DecodeAllocateReply(
    absl::Span<const uint8_t> body, size_t fds_received) {
  Reader r(body);
  AllocateReply reply;
  reply.layout = ReadLayout(r);
  const uint32_t buffers = r.U32("buffer count");
  if (r.ok() && buffers > static_cast<uint32_t>(kMaxBuffersPerAllocate)) {
    r.Fail("buffer count",
           absl::StrCat(buffers, " exceeds ", kMaxBuffersPerAllocate));
  }
  if (r.ok() && fds_received != size_t{buffers} * kHandleNumFds) {
    r.Fail("buffer count",
           absl::StrCat(buffers, " buffers need ", buffers * kHandleNumFds,
                        " fds but ", fds_received, " arrived"));
  }
  if (r.Fits(buffers, 2 + 2 + 4 + 4 * kHandleNumInts, "buffer count")) {
    for (uint32_t i = 0; i < buffers && r.ok(); ++i) {
      AllocateReply::Buffer buffer;
      buffer.heap = ReadHeap(r);
      const uint32_t ints = r.U32("handle int count");
      if (r.ok() && ints != static_cast<uint32_t>(kHandleNumInts)) {
        r.Fail("handle int count",
               absl::StrCat(ints, " is not ", kHandleNumInts));
        break;
      }
      buffer.handle_ints.reserve(ints);
      for (uint32_t j = 0; j < ints; ++j) {
        buffer.handle_ints.push_back(r.I32("handle int"));
      }
      reply.buffers.push_back(std::move(buffer));
    }
  }
  RETURN_IF_ERROR(r.Finish());
  return reply;
}

std::vector<uint8_t> EncodeReleaseReply(uint32_t released) {
  Writer w;
  WriteStatus(absl::OkStatus(), w);
  w.U32(released);
  return w.Take();
}

absl::StatusOr<uint32_t> DecodeReleaseReply(absl::Span<const uint8_t> body) {
  Reader r(body);
  const uint32_t released = r.U32("released");
  RETURN_IF_ERROR(r.Finish());
  return released;
}

std::vector<uint8_t> EncodeStatsReply(const StatsReply& reply) {
  Writer w;
  WriteStatus(absl::OkStatus(), w);
  w.U32(reply.connections);
  w.U64(reply.live_buffers);
  w.U64(reply.live_bytes);
  w.U64(reply.max_buffers_per_client);
  w.U64(reply.max_bytes_per_client);
  w.U64(reply.allocations_total);
  w.U64(reply.refusals_total);
  const size_t heaps = std::min(reply.heaps.size(), kMaxStatsHeaps);
  w.U32(static_cast<uint32_t>(heaps));
  for (size_t i = 0; i < heaps; ++i) {
    w.Str(reply.heaps[i].heap, kMaxHeapNameBytes);
    w.U64(reply.heaps[i].buffers);
    w.U64(reply.heaps[i].bytes);
  }
  const size_t accounts = std::min(reply.accounts.size(), kMaxStatsAccounts);
  w.U32(static_cast<uint32_t>(accounts));
  for (size_t i = 0; i < accounts; ++i) {
    const AccountUsage& a = reply.accounts[i];
    w.I32(a.pid);
    w.U32(a.uid);
    w.U32(a.connections);
    w.U64(a.buffers);
    w.U64(a.bytes);
  }
  return w.Take();
}

absl::StatusOr<StatsReply> DecodeStatsReply(absl::Span<const uint8_t> body) {
  Reader r(body);
  StatsReply reply;
  reply.connections = r.U32("connections");
  reply.live_buffers = r.U64("live buffers");
  reply.live_bytes = r.U64("live bytes");
  reply.max_buffers_per_client = r.U64("max buffers per client");
  reply.max_bytes_per_client = r.U64("max bytes per client");
  reply.allocations_total = r.U64("allocations total");
  reply.refusals_total = r.U64("refusals total");
  const uint32_t heaps = r.U32("heap count");
  if (r.ok() && heaps > kMaxStatsHeaps) r.Fail("heap count", "is too large");
  if (r.Fits(heaps, 2 + 16, "heap count")) {
    for (uint32_t i = 0; i < heaps && r.ok(); ++i) {
      HeapUsage heap;
      heap.heap = r.Str("heap name", kMaxHeapNameBytes);
      heap.buffers = r.U64("heap buffers");
      heap.bytes = r.U64("heap bytes");
      reply.heaps.push_back(std::move(heap));
    }
  }
  const uint32_t accounts = r.U32("account count");
  if (r.ok() && accounts > kMaxStatsAccounts) {
    r.Fail("account count", "is too large");
  }
  if (r.Fits(accounts, 28, "account count")) {
    for (uint32_t i = 0; i < accounts && r.ok(); ++i) {
      AccountUsage a;
      a.pid = r.I32("pid");
      a.uid = r.U32("uid");
      a.connections = r.U32("account connections");
      a.buffers = r.U64("account buffers");
      a.bytes = r.U64("account bytes");
      reply.accounts.push_back(a);
    }
  }
  RETURN_IF_ERROR(r.Finish());
  return reply;
}

std::vector<uint8_t> EncodeListReply(const ListReply& reply) {
  Writer w;
  WriteStatus(absl::OkStatus(), w);
  w.U8(reply.more ? 1 : 0);
  const size_t entries =
      std::min<size_t>(reply.entries.size(), kMaxListEntries);
  w.U32(static_cast<uint32_t>(entries));
  for (size_t i = 0; i < entries; ++i) {
    const ListEntry& e = reply.entries[i];
    w.U64(e.buffer_id);
    w.I32(e.pid);
    w.U32(e.uid);
    w.U64(e.size_bytes);
    w.Str(e.heap, kMaxHeapNameBytes);
    w.Str(e.name, kMaxDescriptorNameBytes);
    w.I32(e.format);
    w.I32(e.width);
    w.I32(e.height);
    w.I32(e.layer_count);
    w.U64(e.usage);
    w.U64(e.device);
    w.U64(e.inode);
  }
  return w.Take();
}

absl::StatusOr<ListReply> DecodeListReply(absl::Span<const uint8_t> body) {
  Reader r(body);
  ListReply reply;
  reply.more = r.Bool("more");
  const uint32_t entries = r.U32("entry count");
  if (r.ok() && entries > kMaxListEntries) {
    r.Fail("entry count", "is too large");
  }
  if (r.Fits(entries, 72, "entry count")) {
    for (uint32_t i = 0; i < entries && r.ok(); ++i) {
      ListEntry e;
      e.buffer_id = r.U64("buffer id");
      e.pid = r.I32("pid");
      e.uid = r.U32("uid");
      e.size_bytes = r.U64("size");
      e.heap = r.Str("heap", kMaxHeapNameBytes);
      e.name = r.Str("name", kMaxDescriptorNameBytes);
      e.format = r.I32("format");
      e.width = r.I32("width");
      e.height = r.I32("height");
      e.layer_count = r.I32("layer count");
      e.usage = r.U64("usage");
      e.device = r.U64("device");
      e.inode = r.U64("inode");
      reply.entries.push_back(std::move(e));
    }
  }
  RETURN_IF_ERROR(r.Finish());
  return reply;
}

}  // namespace gralloc::service
