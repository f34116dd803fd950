// Copyright 2026 The gralloc for Linux Authors.

#include "allocator/client/service_client.h"

#include <time.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "hal/base/status_macros.h"
#include "hal/handle/buffer_handle.h"

namespace gralloc {
namespace {

using service::MessageType;

void SleepMs(int ms) {
  timespec duration{ms / 1000, (ms % 1000) * 1000000L};
  while (nanosleep(&duration, &duration) != 0 && errno == EINTR) {
  }
}

// What the in-process allocator would say about a descriptor the wire
// cannot carry (the protocol's bounds are the descriptor rules' bounds or
// wider), so both paths give the same answer: OK if it can be sent.
absl::Status CheckRepresentable(const BufferDescriptorInfo& descriptor) {
  if (descriptor.name.size() > kMaxDescriptorNameBytes ||
      descriptor.name.find('\0') != std::string::npos) {
    // The name is the first thing the descriptor rules check: the same
    // refusal, word for word.
    return ValidateDescriptor(descriptor);
  }
  if (descriptor.additional_options.size() > service::kMaxOptions) {
    return absl::InvalidArgumentError("too many additional options");
  }
  for (const ExtendableType& option : descriptor.additional_options) {
    if (option.name.size() > service::kMaxOptionNameBytes ||
        option.name.find('\0') != std::string::npos) {
      return absl::UnimplementedError(absl::StrCat(
          "unknown additional option '", option.name.substr(0, 64), "...'"));
    }
  }
  return absl::OkStatus();
}

absl::Status ProtocolError(absl::string_view what) {
  return absl::DataLossError(
      absl::StrCat("the allocator service broke the protocol: ", what));
}

}  // namespace

std::string DefaultServiceSocketPath() {
  const char* path = std::getenv("GRALLOC_ALLOCATOR_SOCKET");
  if (path != nullptr && path[0] != '\0') return path;
  return "/run/gralloc/allocator.sock";
}

int DefaultReplySpinUs() {
  constexpr int kDefault = 100;
  const char* text = std::getenv("GRALLOC_CLIENT_SPIN_US");
  int value = 0;
  if (text == nullptr || !absl::SimpleAtoi(text, &value) || value < 0 ||
      value > 10000) {
    return kDefault;
  }
  return value;
}

int64_t ReplySpinNs(const ServiceClientOptions& options) {
  return service::SpinBudgetNs(int64_t{std::max(options.reply_spin_us, 0)} *
                               1000);
}

absl::StatusOr<std::unique_ptr<ServiceClient>> ServiceClient::Connect(
    const std::string& socket_path, ServiceClientOptions options) {
  const std::string path =
      socket_path.empty() ? DefaultServiceSocketPath() : socket_path;
  ASSIGN_OR_RETURN(UniqueFd socket, service::ConnectSeqpacket(path));
  RETURN_IF_ERROR(
      service::SetSocketTimeouts(socket.get(), 0, options.reply_timeout_ms));
  return std::unique_ptr<ServiceClient>(
      new ServiceClient(path, options, std::move(socket)));
}

ServiceClient::ServiceClient(std::string socket_path,
                             ServiceClientOptions options, UniqueFd socket)
    : socket_path_(std::move(socket_path)),
      options_(options),
      reply_spin_ns_(ReplySpinNs(options)),
      socket_(std::move(socket)) {}

absl::Status ServiceClient::Reconnect() {
  socket_.reset();
  ASSIGN_OR_RETURN(UniqueFd socket, service::ConnectSeqpacket(socket_path_));
  RETURN_IF_ERROR(
      service::SetSocketTimeouts(socket.get(), 0, options_.reply_timeout_ms));
  socket_ = std::move(socket);
  return absl::OkStatus();
}

absl::StatusOr<ServiceClient::Reply> ServiceClient::Call(
    MessageType type, const std::vector<uint8_t>& payload) {
  MutexLock lock(&mu_);
  absl::Status last;
  for (int attempt = 0; attempt < 2; ++attempt) {
    if (attempt > 0) SleepMs(options_.reconnect_backoff_ms);
    if (!socket_) {
      last = Reconnect();
      if (!last.ok()) {
        if (absl::IsUnavailable(last)) continue;
        return last;
      }
    }
    absl::StatusOr<Reply> reply = CallOnce(type, payload);
    if (reply.ok()) return reply;
    // Whatever went wrong, this connection's state is unknown now.
    socket_.reset();
    last = reply.status();
    // Only a dead connection is worth another try: a timeout or a protocol
    // error would most likely repeat.
    if (!absl::IsUnavailable(last)) break;
  }
  return absl::Status(last.code(),
                      absl::StrCat("allocator service at ", socket_path_, ": ",
                                   last.message()));
}

absl::StatusOr<ServiceClient::Reply> ServiceClient::CallOnce(
    MessageType type, const std::vector<uint8_t>& payload) {
  const uint64_t request_id = next_request_id_++;
  const std::vector<uint8_t> frame =
      service::EncodeFrame(type, /*is_reply=*/false, request_id, payload, 0);
  RETURN_IF_ERROR(service::SendDatagram(socket_.get(), frame, {}));
  ASSIGN_OR_RETURN(service::Datagram datagram,
                   service::AwaitDatagram(socket_.get(), reply_spin_ns_));
  if (datagram.truncated) {
    return ProtocolError("a reply exceeds the message size or fd limit");
  }
  service::FrameHeader header;
  absl::Span<const uint8_t> payload_view;
  absl::Status framing = service::DecodeFrame(
      datagram.bytes, datagram.fds.size(), &header, &payload_view);
  if (!framing.ok()) return ProtocolError(framing.message());
  if (!header.is_reply || header.type != type ||
      header.request_id != request_id) {
    return ProtocolError("a reply does not answer the request");
  }
  Reply reply;
  absl::Span<const uint8_t> body;
  absl::Status parsed =
      service::DecodeReplyStatus(payload_view, &reply.status, &body);
  if (!parsed.ok()) return ProtocolError(parsed.message());
  if (!reply.status.ok() && !datagram.fds.empty()) {
    return ProtocolError("an error reply carries fds");
  }
  reply.body_offset = static_cast<size_t>(body.data() - datagram.bytes.data());
  if (body.empty()) reply.body_offset = datagram.bytes.size();
  reply.datagram = std::move(datagram.bytes);
  reply.fds = std::move(datagram.fds);
  return reply;
}

absl::StatusOr<Verdict> ServiceClient::Ask(
    service::MessageType type, const std::vector<uint8_t>& payload) {
  ASSIGN_OR_RETURN(Reply reply, Call(type, payload));
  RETURN_IF_ERROR(reply.status);
  Verdict verdict;
  if (absl::Status decoded =
          service::DecodeAnswerReply(reply.body(), &verdict.refusal);
      !decoded.ok()) {
    return ProtocolError(decoded.message());
  }
  return verdict;
}

absl::StatusOr<Verdict> ServiceClient::IsSupported(
    const BufferDescriptorInfo& descriptor) {
  if (absl::Status representable = CheckRepresentable(descriptor);
      !representable.ok()) {
    return Verdict{representable};
  }
  return Ask(MessageType::kIsSupported, service::EncodeRequest(descriptor));
}

absl::StatusOr<Verdict> ServiceClient::Serves(const HandleInfo& buffer,
                                              const HeapIdentity*,
                                              uint64_t additional_usage) {
  service::ServesRequest request;
  request.additional_usage = additional_usage;
  request.buffer_id = buffer.buffer_id;
  ASSIGN_OR_RETURN(request.handle_ints, EncodeHandleInts(buffer));
  return Ask(MessageType::kServes,
             service::EncodeRequest<service::ServesRequest>(request));
}

absl::StatusOr<Verdict> ServiceClient::ServesRecord(uint64_t buffer_id,
                                                    uint64_t additional_usage) {
  return Ask(MessageType::kServes,
             service::EncodeRequest<service::ServesRequest>(
                 {additional_usage, buffer_id, {}}));
}

absl::StatusOr<std::string> ServiceClient::MapperLibrary() {
  ASSIGN_OR_RETURN(Reply reply, Call(MessageType::kMapperLibrary, {}));
  RETURN_IF_ERROR(reply.status);
  absl::StatusOr<std::string> path =
      service::DecodeReply<std::string>(reply.body());
  if (!path.ok()) return ProtocolError(path.status().message());
  return path;
}

absl::StatusOr<Allocation> ServiceClient::Allocate(
    const BufferDescriptorInfo& descriptor, int32_t count) {
  if (count < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("buffer count ", count, " is negative"));
  }
  RETURN_IF_ERROR(CheckRepresentable(descriptor));
  Allocation allocation;
  std::vector<uint64_t> ids;
  // More than one message holds: ask in batches. If a later batch fails,
  // the buffers of the earlier ones are closed with `allocation` and their
  // records released, so a failed call leaves nothing behind.
  int32_t remaining = count;
  bool first = true;
  absl::Status status;
  while (status.ok() && (first || remaining > 0)) {
    const int32_t batch = std::min(remaining, service::kMaxBuffersPerAllocate);
    service::AllocateRequest request{descriptor, batch};
    absl::StatusOr<Reply> reply =
        Call(MessageType::kAllocate, service::EncodeRequest(request));
    if (!reply.ok()) {
      status = reply.status();
      break;
    }
    if (!reply->status.ok()) {
      status = reply->status;
      break;
    }
    absl::StatusOr<service::AllocateReply> decoded =
        service::DecodeAllocateReply(reply->body(), reply->fds.size());
    if (!decoded.ok() ||
        decoded->buffers.size() != static_cast<size_t>(batch)) {
      status = ProtocolError(decoded.ok() ? "wrong number of buffers"
                                          : decoded.status().message());
      break;
    }
    for (size_t i = 0; i < decoded->buffers.size(); ++i) {
      NativeHandlePtr handle(
          native_handle_create(kHandleNumFds, kHandleNumInts));
      if (handle == nullptr) {
        status = absl::ResourceExhaustedError("native_handle_create failed");
        break;
      }
      handle->data[kHandleFdBuffer] = reply->fds[2 * i].release();
      handle->data[kHandleFdMetadata] = reply->fds[2 * i + 1].release();
      std::memcpy(&handle->data[kHandleNumFds],
                  decoded->buffers[i].handle_ints.data(),
                  sizeof(int32_t) * kHandleNumInts);
      // The service's handles are checked like any that arrive from another
      // process.
      absl::StatusOr<HandleInfo> info = DecodeHandle(handle.get());
      if (!info.ok()) {
        status = ProtocolError(info.status().message());
        break;
      }
      ids.push_back(info->buffer_id);
      allocation.buffers.push_back(AllocatedBuffer{
          std::move(handle), *std::move(info), decoded->buffers[i].heap, {}});
    }
    if (!status.ok()) break;
    if (first) allocation.layout = decoded->layout;
    first = false;
    remaining -= batch;
  }
  if (!status.ok()) {
    // Give back what earlier batches took; the buffers close with
    // `allocation`. Best effort: the connection may be gone.
    for (size_t i = 0; i < ids.size(); i += service::kMaxReleaseIds) {
      const size_t n =
          std::min<size_t>(service::kMaxReleaseIds, ids.size() - i);
      (void)Release(absl::MakeConstSpan(ids).subspan(i, n));
    }
    return status;
  }
  return allocation;
}

absl::Status ServiceClient::Release(uint64_t buffer_id) {
  const uint64_t ids[] = {buffer_id};
  ASSIGN_OR_RETURN(uint32_t released, Release(ids));
  if (released == 0) {
    return absl::NotFoundError(
        absl::StrCat("the allocator service has no record of buffer ",
                     buffer_id, " for this process"));
  }
  return absl::OkStatus();
}

absl::StatusOr<uint32_t> ServiceClient::Release(
    absl::Span<const uint64_t> buffer_ids) {
  uint32_t released = 0;
  for (size_t i = 0; i < buffer_ids.size(); i += service::kMaxReleaseIds) {
    const absl::Span<const uint64_t> batch = buffer_ids.subspan(
        i, std::min<size_t>(service::kMaxReleaseIds, buffer_ids.size() - i));
    ASSIGN_OR_RETURN(Reply reply,
                     Call(MessageType::kRelease,
                          service::EncodeRequest(std::vector<uint64_t>(
                              batch.begin(), batch.end()))));
    RETURN_IF_ERROR(reply.status);
    absl::StatusOr<uint32_t> count =
        service::DecodeReply<uint32_t>(reply.body());
    if (!count.ok()) return ProtocolError(count.status().message());
    released += *count;
  }
  return released;
}

absl::StatusOr<service::StatsReply> ServiceClient::Stats() {
  ASSIGN_OR_RETURN(Reply reply, Call(MessageType::kStats, {}));
  RETURN_IF_ERROR(reply.status);
  absl::StatusOr<service::StatsReply> stats =
      service::DecodeReply<service::StatsReply>(reply.body());
  if (!stats.ok()) return ProtocolError(stats.status().message());
  return stats;
}

absl::StatusOr<uint32_t> ServiceClient::DrainPool() {
  ASSIGN_OR_RETURN(Reply reply, Call(MessageType::kDrainPool, {}));
  RETURN_IF_ERROR(reply.status);
  absl::StatusOr<uint32_t> dropped =
      service::DecodeReply<uint32_t>(reply.body());
  if (!dropped.ok()) return ProtocolError(dropped.status().message());
  return dropped;
}

absl::StatusOr<std::vector<service::ListEntry>> ServiceClient::List() {
  std::vector<service::ListEntry> entries;
  service::ListRequest request;
  for (;;) {
    ASSIGN_OR_RETURN(Reply reply,
                     Call(MessageType::kList, service::EncodeRequest(request)));
    RETURN_IF_ERROR(reply.status);
    absl::StatusOr<service::ListReply> page =
        service::DecodeReply<service::ListReply>(reply.body());
    if (!page.ok()) return ProtocolError(page.status().message());
    for (service::ListEntry& entry : page->entries) {
      if (entry.buffer_id <= request.after_buffer_id) {
        return ProtocolError("LIST entries are not in ascending order");
      }
      request.after_buffer_id = entry.buffer_id;
      entries.push_back(std::move(entry));
    }
    if (!page->more || page->entries.empty()) break;
  }
  return entries;
}

}  // namespace gralloc
