// Copyright 2026 The gralloc for Linux Authors.
//
// Fuzzes the allocator service's wire format (allocator/service/protocol.h),
// the bytes a hostile client or a broken service can send. The first byte
// picks the decoder, the rest is its input:
//
//   0  DecodeFrame (a whole datagram; the second byte is the fd count)
//   1  DecodeRequest<BufferDescriptorInfo>    IS_SUPPORTED
//   2  DecodeRequest<AllocateRequest>         ALLOCATE
//   3  DecodeRequest<std::vector<uint64_t>>   RELEASE
//   4  DecodeRequest<ListRequest>             LIST
//   5  DecodeRequest<ServesRequest>           SERVES
//   6  DecodeEmptyRequest                     STATS, MAPPER_LIBRARY
//   7  DecodeReply<uint32_t>                  RELEASE
//   8  DecodeReply<StatsReply>                STATS
//   9  DecodeReply<ListReply>                 LIST
//   10 DecodeReply<std::string>               MAPPER_LIBRARY
//   11 DecodeReplyStatus                      every reply's status block
//   12 DecodeAnswerReply                      IS_SUPPORTED, SERVES
//   13 DecodeAllocateReply (second byte: fds) ALLOCATE
//
// What decodes must re-encode to the very bytes it came from (the format
// has one encoding per value: fixed-width integers, no padding), except an
// ALLOCATE reply, whose layout may name a format's fourcc as 0: that one
// must reach a fixed point, decode(encode(x)) encoding as encode(x).

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "allocator/service/protocol.h"
#include "tests/fuzz/fuzz_check.h"

namespace gralloc::fuzz {
namespace {

using ::gralloc::service::AllocateReply;
using ::gralloc::service::AllocateRequest;
using ::gralloc::service::FrameHeader;
using ::gralloc::service::ListReply;
using ::gralloc::service::ListRequest;
using ::gralloc::service::ServesRequest;
using ::gralloc::service::StatsReply;

using Bytes = std::vector<uint8_t>;

Bytes ToBytes(absl::Span<const uint8_t> span) {
  return Bytes(span.begin(), span.end());
}

// The OK status block EncodeReply() puts before a body: code 0, ABI error 0,
// an empty message.
absl::Span<const uint8_t> BodyOf(const Bytes& reply_payload) {
  absl::Status status;
  absl::Span<const uint8_t> body;
  const absl::Status valid =
      service::DecodeReplyStatus(reply_payload, &status, &body);
  FUZZ_CHECK(valid.ok() && status.ok(),
             "an encoded OK reply has a bad status block: ", valid.ToString(),
             " ", status.ToString());
  return body;
}

template <typename T>
void RequestRoundTrip(absl::Span<const uint8_t> payload) {
  const absl::StatusOr<T> request = service::DecodeRequest<T>(payload);
  if (!request.ok()) {
    FUZZ_CHECK(absl::IsInvalidArgument(request.status()),
               "a malformed request is not InvalidArgument: ",
               request.status().ToString());
    return;
  }
  const Bytes encoded = service::EncodeRequest(*request);
  FUZZ_CHECK(encoded == ToBytes(payload),
             "a decoded request re-encodes to other bytes (", encoded.size(),
             " vs ", payload.size(), ")");
}

template <typename T>
void ReplyRoundTrip(absl::Span<const uint8_t> body) {
  const absl::StatusOr<T> reply = service::DecodeReply<T>(body);
  if (!reply.ok()) {
    FUZZ_CHECK(absl::IsInvalidArgument(reply.status()),
               "a malformed reply is not InvalidArgument: ",
               reply.status().ToString());
    return;
  }
  const Bytes encoded = service::EncodeReply(*reply);
  FUZZ_CHECK(ToBytes(BodyOf(encoded)) == ToBytes(body),
             "a decoded reply re-encodes to other bytes");
}

void FrameRoundTrip(absl::Span<const uint8_t> datagram, size_t fds) {
  FrameHeader header;
  absl::Span<const uint8_t> payload;
  const absl::Status status =
      service::DecodeFrame(datagram, fds, &header, &payload);
  if (!status.ok()) return;
  FUZZ_CHECK(
      payload.data() >= datagram.data() &&
          payload.data() + payload.size() == datagram.data() + datagram.size(),
      "the payload is not the datagram's tail");
  FUZZ_CHECK(header.fd_count == fds, "fd count ", header.fd_count, " vs ", fds);
  const Bytes encoded =
      service::EncodeFrame(header.type, header.is_reply, header.request_id,
                           payload, header.fd_count);
  FUZZ_CHECK(encoded == ToBytes(datagram),
             "a decoded frame re-encodes to other bytes");
}

void ReplyStatusRoundTrip(absl::Span<const uint8_t> payload) {
  absl::Status status;
  absl::Span<const uint8_t> body;
  if (!service::DecodeReplyStatus(payload, &status, &body).ok()) return;
  if (status.ok()) {
    FUZZ_CHECK(body.data() + body.size() == payload.data() + payload.size(),
               "the body is not the payload's tail");
    return;
  }
  FUZZ_CHECK(body.empty(), "an error reply with a body");
  // An error decodes to the status the service sent; sending it again gives
  // the same code and message.
  const Bytes encoded = service::EncodeErrorReply(status);
  absl::Status again;
  absl::Span<const uint8_t> again_body;
  const absl::Status valid =
      service::DecodeReplyStatus(encoded, &again, &again_body);
  FUZZ_CHECK(valid.ok() && again == status,
             "an error reply does not round-trip: ", status.ToString(), " -> ",
             again.ToString(), " (", valid.ToString(), ")");
}

void AnswerRoundTrip(absl::Span<const uint8_t> body) {
  absl::Status answer;
  if (!service::DecodeAnswerReply(body, &answer).ok()) return;
  const Bytes encoded = service::EncodeAnswerReply(answer);
  FUZZ_CHECK(ToBytes(BodyOf(encoded)) == ToBytes(body),
             "an answer re-encodes to other bytes: ", answer.ToString());
}

void AllocateReplyRoundTrip(absl::Span<const uint8_t> body, size_t fds) {
  const absl::StatusOr<AllocateReply> reply =
      service::DecodeAllocateReply(body, fds);
  if (!reply.ok()) return;
  FUZZ_CHECK(fds == 2 * reply->buffers.size(), fds, " fds for ",
             reply->buffers.size(), " buffers");
  for (const AllocateReply::Buffer& buffer : reply->buffers) {
    FUZZ_CHECK(buffer.handle_ints.size() == static_cast<size_t>(kHandleNumInts),
               buffer.handle_ints.size(), " handle ints");
  }
  FUZZ_CHECK(reply->layout.format != nullptr, "a layout without a format");
  const Bytes encoded = service::EncodeAllocateReply(*reply);
  const absl::StatusOr<AllocateReply> again =
      service::DecodeAllocateReply(BodyOf(encoded), fds);
  FUZZ_CHECK(again.ok(), "a re-encoded ALLOCATE reply does not decode: ",
             again.status().ToString());
  FUZZ_CHECK(again->layout == reply->layout, "the layout changed");
  FUZZ_CHECK(service::EncodeAllocateReply(*again) == encoded,
             "an ALLOCATE reply has no fixed point");
}

}  // namespace
}  // namespace gralloc::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace gralloc::fuzz;     // NOLINT(build/namespaces)
  using namespace gralloc::service;  // NOLINT(build/namespaces)
  FuzzInput in(data, size);
  const uint8_t which = in.Take<uint8_t>();
  switch (which % 14) {
    case 0: {
      const size_t fds = in.Take<uint8_t>();
      FrameRoundTrip(in.Rest(), fds);
      break;
    }
    case 1:
      RequestRoundTrip<gralloc::BufferDescriptorInfo>(in.Rest());
      break;
    case 2:
      RequestRoundTrip<AllocateRequest>(in.Rest());
      break;
    case 3:
      RequestRoundTrip<std::vector<uint64_t>>(in.Rest());
      break;
    case 4:
      RequestRoundTrip<ListRequest>(in.Rest());
      break;
    case 5:
      RequestRoundTrip<ServesRequest>(in.Rest());
      break;
    case 6: {
      const absl::Span<const uint8_t> payload = in.Rest();
      FUZZ_CHECK(DecodeEmptyRequest(payload).ok() == payload.empty(),
                 "DecodeEmptyRequest on ", payload.size(), " bytes");
      break;
    }
    case 7:
      ReplyRoundTrip<uint32_t>(in.Rest());
      break;
    case 8:
      ReplyRoundTrip<StatsReply>(in.Rest());
      break;
    case 9:
      ReplyRoundTrip<ListReply>(in.Rest());
      break;
    case 10:
      ReplyRoundTrip<std::string>(in.Rest());
      break;
    case 11:
      ReplyStatusRoundTrip(in.Rest());
      break;
    case 12:
      AnswerRoundTrip(in.Rest());
      break;
    default: {
      const size_t fds = in.Take<uint8_t>();
      AllocateReplyRoundTrip(in.Rest(), fds);
      break;
    }
  }
  return 0;
}
