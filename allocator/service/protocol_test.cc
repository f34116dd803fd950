// Copyright 2026 The gralloc for Linux Authors.

#include "allocator/service/protocol.h"

#include <cstdint>
#include <random>
#include <vector>

#include "gtest/gtest.h"
#include "hal/base/status_matchers.h"
#include "hal/format/format_table.h"
#include "hal/types/buffer_usage.h"
#include "hal/types/pixel_format.h"

namespace gralloc::service {
namespace {

using ::gralloc::testing::IsOk;
using ::gralloc::testing::StatusIs;
using ::testing::HasSubstr;

BufferDescriptorInfo SampleDescriptor() {
  BufferDescriptorInfo d;
  d.name = "camera-preview";
  d.width = 1920;
  d.height = 1080;
  d.layer_count = 1;
  d.format = FormatValue(PixelFormat::YCBCR_420_888);
  d.usage = UsageValue(BufferUsage::CAMERA_OUTPUT) |
            UsageValue(BufferUsage::CPU_READ_OFTEN);
  d.reserved_size = 256;
  d.additional_options.push_back(
      ExtendableType{kDataspaceOptionName, 0x10c10000});
  return d;
}

TEST(FrameTest, HeaderIsByteExactLittleEndian) {
  const std::vector<uint8_t> payload = {0xaa, 0xbb};
  const std::vector<uint8_t> frame =
      EncodeFrame(MessageType::kAllocate, /*is_reply=*/true, 0x0102030405060708,
                  payload, 4);
  const std::vector<uint8_t> expected = {
      'G',  'A',  'L',  'C',                           // magic
      0x04, 0x00,                                      // version 4
      0x02, 0x80,                                      // ALLOCATE | reply
      0x08, 0x07, 0x06, 0x05, 0x04, 0x03, 0x02, 0x01,  // request id
      0x02, 0x00, 0x00, 0x00,                          // payload length
      0x04, 0x00, 0x00, 0x00,                          // fds
      0xaa, 0xbb};
  EXPECT_EQ(frame, expected);
  ASSERT_EQ(kHeaderBytes, 24u);
}

TEST(FrameTest, RoundTrips) {
  const std::vector<uint8_t> payload = {1, 2, 3};
  const std::vector<uint8_t> frame =
      EncodeFrame(MessageType::kList, false, 77, payload, 0);
  FrameHeader header;
  absl::Span<const uint8_t> view;
  ASSERT_THAT(DecodeFrame(frame, 0, &header, &view), IsOk());
  EXPECT_EQ(header.type, MessageType::kList);
  EXPECT_FALSE(header.is_reply);
  EXPECT_EQ(header.request_id, 77u);
  EXPECT_EQ(std::vector<uint8_t>(view.begin(), view.end()), payload);
}

TEST(FrameTest, EveryTruncationIsRejected) {
  const std::vector<uint8_t> frame = EncodeFrame(
      MessageType::kStats, false, 5, std::vector<uint8_t>(10, 0), 0);
  for (size_t length = 0; length < frame.size(); ++length) {
    FrameHeader header;
    absl::Span<const uint8_t> view;
    EXPECT_THAT(DecodeFrame(absl::MakeConstSpan(frame).first(length), 0,
                            &header, &view),
                StatusIs(absl::StatusCode::kInvalidArgument))
        << length;
  }
}

TEST(FrameTest, RequestIdSurvivesALaterError) {
  std::vector<uint8_t> frame =
      EncodeFrame(MessageType::kStats, false, 1234, {}, 0);
  frame[16] = 9;  // payload length lies
  FrameHeader header;
  absl::Span<const uint8_t> view;
  EXPECT_THAT(DecodeFrame(frame, 0, &header, &view),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("payload length")));
  EXPECT_EQ(header.request_id, 1234u);
}

TEST(FrameTest, WrongMagicVersionTypeAndLengthsAreRejected) {
  const std::vector<uint8_t> good =
      EncodeFrame(MessageType::kStats, false, 1, {}, 0);
  FrameHeader header;
  absl::Span<const uint8_t> view;
  {
    std::vector<uint8_t> bad = good;
    bad[0] = 'X';
    EXPECT_THAT(
        DecodeFrame(bad, 0, &header, &view),
        StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("magic")));
  }
  {
    // Version 3 (before LIST's ages and orphans) and any later version
    // are refused, naming both.
    std::vector<uint8_t> bad = good;
    bad[4] = 3;
    EXPECT_THAT(DecodeFrame(bad, 0, &header, &view),
                StatusIs(absl::StatusCode::kInvalidArgument,
                         HasSubstr("version 3 is not supported (this side "
                                   "speaks 4)")));
    bad[4] = 5;
    EXPECT_THAT(
        DecodeFrame(bad, 0, &header, &view),
        StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("version 5")));
  }
  {
    std::vector<uint8_t> bad = good;
    bad[6] = 99;
    EXPECT_THAT(DecodeFrame(bad, 0, &header, &view),
                StatusIs(absl::StatusCode::kInvalidArgument,
                         HasSubstr("unknown message type")));
  }
  {
    std::vector<uint8_t> bad = good;
    bad[16] = 0xff;
    bad[17] = 0xff;
    bad[18] = 0xff;
    bad[19] = 0xff;  // a huge payload length
    EXPECT_THAT(DecodeFrame(bad, 0, &header, &view),
                StatusIs(absl::StatusCode::kInvalidArgument));
  }
  {
    std::vector<uint8_t> oversized(kMaxMessageBytes + 1, 0);
    std::copy(good.begin(), good.end(), oversized.begin());
    EXPECT_THAT(
        DecodeFrame(oversized, 0, &header, &view),
        StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("exceeds")));
  }
}

TEST(FrameTest, FdCountMustMatchWhatArrived) {
  const std::vector<uint8_t> frame =
      EncodeFrame(MessageType::kAllocate, true, 1, {}, 2);
  FrameHeader header;
  absl::Span<const uint8_t> view;
  EXPECT_THAT(DecodeFrame(frame, 2, &header, &view), IsOk());
  EXPECT_THAT(DecodeFrame(frame, 0, &header, &view),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("fds")));
  EXPECT_THAT(DecodeFrame(frame, 3, &header, &view),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("fds")));
}

TEST(RequestTest, AllocateRoundTrips) {
  AllocateRequest request{SampleDescriptor(), 3};
  ASSERT_OK_AND_ASSIGN(AllocateRequest decoded,
                       DecodeRequest<AllocateRequest>(EncodeRequest(request)));
  EXPECT_EQ(decoded.count, 3);
  EXPECT_EQ(decoded.descriptor.name, "camera-preview");
  EXPECT_EQ(decoded.descriptor.width, 1920);
  EXPECT_EQ(decoded.descriptor.height, 1080);
  EXPECT_EQ(decoded.descriptor.layer_count, 1);
  EXPECT_EQ(decoded.descriptor.format, request.descriptor.format);
  EXPECT_EQ(decoded.descriptor.usage, request.descriptor.usage);
  EXPECT_EQ(decoded.descriptor.reserved_size, 256);
  ASSERT_EQ(decoded.descriptor.additional_options.size(), 1u);
  EXPECT_EQ(decoded.descriptor.additional_options[0].name,
            kDataspaceOptionName);
  EXPECT_EQ(decoded.descriptor.additional_options[0].value, 0x10c10000);
}

TEST(RequestTest, ValuesOutsideInt32TravelUntruncated) {
  // The descriptor rules, not the wire, reject these (BAD_DESCRIPTOR).
  BufferDescriptorInfo d = SampleDescriptor();
  d.width = int64_t{1} << 40;
  d.height = -5;
  d.usage = uint64_t{1} << 63;
  ASSERT_OK_AND_ASSIGN(BufferDescriptorInfo decoded,
                       DecodeRequest<BufferDescriptorInfo>(EncodeRequest(d)));
  EXPECT_EQ(decoded.width, int64_t{1} << 40);
  EXPECT_EQ(decoded.height, -5);
  EXPECT_EQ(decoded.usage, uint64_t{1} << 63);
}

TEST(RequestTest, AllocateCountOutOfRangeIsRejected) {
  for (int32_t count : {-1, kMaxBuffersPerAllocate + 1, INT32_MAX}) {
    AllocateRequest request{SampleDescriptor(), count};
    EXPECT_THAT(
        DecodeRequest<AllocateRequest>(EncodeRequest(request)),
        StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("count")))
        << count;
  }
}

TEST(RequestTest, EveryTruncationOfAnAllocateIsRejected) {
  const std::vector<uint8_t> payload =
      EncodeRequest(AllocateRequest{SampleDescriptor(), 1});
  for (size_t length = 0; length < payload.size(); ++length) {
    EXPECT_THAT(DecodeRequest<AllocateRequest>(
                    absl::MakeConstSpan(payload).first(length)),
                StatusIs(absl::StatusCode::kInvalidArgument))
        << length;
  }
  std::vector<uint8_t> longer = payload;
  longer.push_back(0);
  EXPECT_THAT(DecodeRequest<AllocateRequest>(longer),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("trailing bytes")));
}

TEST(RequestTest, OverlongNameAndTooManyOptionsAreRejected) {
  std::vector<uint8_t> payload = EncodeRequest(SampleDescriptor());
  // The name length is the first field: claim 200 bytes.
  payload[0] = 200;
  payload[1] = 0;
  EXPECT_THAT(DecodeRequest<BufferDescriptorInfo>(payload),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("descriptor name")));

  BufferDescriptorInfo d = SampleDescriptor();
  d.name = "";
  std::vector<uint8_t> options = EncodeRequest(d);
  // name(2) + 3*i64 + i32 + u64 + i64 = 2+24+4+8+8 = 46: the option count.
  options[46] = 0xff;
  options[47] = 0xff;
  EXPECT_THAT(
      DecodeRequest<BufferDescriptorInfo>(options),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("option count")));
}

TEST(RequestTest, NameWithNulIsRejected) {
  BufferDescriptorInfo d = SampleDescriptor();
  d.name = std::string("a\0b", 3);
  EXPECT_THAT(DecodeRequest<BufferDescriptorInfo>(EncodeRequest(d)),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("NUL")));
}

TEST(RequestTest, ReleaseBoundsAndHugeCounts) {
  const uint64_t ids[] = {1, 2, 0xffffffffffffffff};
  ASSERT_OK_AND_ASSIGN(
      std::vector<uint64_t> decoded,
      DecodeRequest<std::vector<uint64_t>>(EncodeRequest(
          std::vector<uint64_t>(std::begin(ids), std::end(ids)))));
  EXPECT_EQ(decoded, std::vector<uint64_t>(std::begin(ids), std::end(ids)));
  EXPECT_THAT(DecodeRequest<std::vector<uint64_t>>(
                  EncodeRequest(std::vector<uint64_t>{})),
              StatusIs(absl::StatusCode::kInvalidArgument));
  // A count the payload cannot hold is refused before anything is reserved.
  std::vector<uint8_t> lying = {0xff, 0x00, 0x00, 0x00};
  EXPECT_THAT(DecodeRequest<std::vector<uint64_t>>(lying),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(RequestTest, ListAndEmpty) {
  ASSERT_OK_AND_ASSIGN(
      ListRequest list,
      DecodeRequest<ListRequest>(EncodeRequest(ListRequest{42, 10})));
  EXPECT_EQ(list.after_buffer_id, 42u);
  EXPECT_EQ(list.max_entries, 10u);
  EXPECT_THAT(DecodeRequest<ListRequest>(EncodeRequest(ListRequest{0, 0})),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(DecodeRequest<ListRequest>(
                  EncodeRequest(ListRequest{0, kMaxListEntries + 1})),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(DecodeEmptyRequest({}), IsOk());
  const uint8_t one[] = {0};
  EXPECT_THAT(DecodeEmptyRequest(one),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(ReplyTest, ErrorStatusCarriesCodeAbiErrorAndMessage) {
  const std::vector<uint8_t> payload =
      EncodeErrorReply(absl::ResourceExhaustedError("quota: too many"));
  // code 8 (RESOURCE_EXHAUSTED), ABI error 5 (NO_RESOURCES).
  ASSERT_GE(payload.size(), 8u);
  EXPECT_EQ(payload[0], 8);
  EXPECT_EQ(payload[4], 5);
  absl::Status status;
  absl::Span<const uint8_t> body;
  ASSERT_THAT(DecodeReplyStatus(payload, &status, &body), IsOk());
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kResourceExhausted,
                               "quota: too many"));
  EXPECT_TRUE(body.empty());
}

TEST(ReplyTest, InconsistentStatusBlocksAreRejected) {
  std::vector<uint8_t> payload =
      EncodeErrorReply(absl::UnimplementedError("no"));
  absl::Status status;
  absl::Span<const uint8_t> body;
  std::vector<uint8_t> zero_abi = payload;
  zero_abi[4] = 0;  // an error that claims ABI success
  EXPECT_THAT(DecodeReplyStatus(zero_abi, &status, &body),
              StatusIs(absl::StatusCode::kInvalidArgument));
  std::vector<uint8_t> bad_code = payload;
  bad_code[0] = 77;
  EXPECT_THAT(DecodeReplyStatus(bad_code, &status, &body),
              StatusIs(absl::StatusCode::kInvalidArgument));
  std::vector<uint8_t> with_body = payload;
  with_body.push_back(1);
  EXPECT_THAT(DecodeReplyStatus(with_body, &status, &body),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

absl::Span<const uint8_t> BodyOf(const std::vector<uint8_t>& payload) {
  absl::Status status;
  absl::Span<const uint8_t> body;
  EXPECT_THAT(DecodeReplyStatus(payload, &status, &body), IsOk());
  EXPECT_THAT(status, IsOk());
  return body;
}

AllocateReply SampleAllocateReply(int buffers) {
  AllocateReply reply;
  reply.layout.format = FindFormat(FormatValue(PixelFormat::RGBA_8888));
  reply.layout.modifier = 0x0100000000000002ull;
  reply.layout.stride_px = 1920;
  reply.layout.plane_count = 1;
  reply.layout.planes[0] = {0, 7680, 7680 * 1080, 1920, 1080};
  reply.layout.total_size_bytes = 7680 * 1080;
  reply.layout.layer_size_bytes = 7680 * 1080;
  for (int i = 0; i < buffers; ++i) {
    std::vector<int32_t> ints(kHandleNumInts, 0);
    ints[0] = kHandleMagic;
    ints[1] = i;
    reply.buffers.push_back(AllocateReply::Buffer{
        i == 0 ? DmaHeapIdentity("reserved", false) : MemfdIdentity(), ints});
  }
  return reply;
}

TEST(ReplyTest, AllocateRoundTripsTheLayoutAndEachBuffersHeap) {
  const AllocateReply reply = SampleAllocateReply(2);
  ASSERT_OK_AND_ASSIGN(
      AllocateReply decoded,
      DecodeAllocateReply(BodyOf(EncodeAllocateReply(reply)), 4));
  EXPECT_EQ(decoded.layout, reply.layout);
  ASSERT_EQ(decoded.buffers.size(), 2u);
  EXPECT_EQ(decoded.buffers[1].handle_ints[1], 1);
  EXPECT_EQ(decoded.buffers[0].heap, DmaHeapIdentity("reserved", false));
  EXPECT_EQ(decoded.buffers[1].heap, MemfdIdentity());
  EXPECT_FALSE(decoded.buffers[1].heap.caps.device_importable);
}

TEST(ReplyTest, AllocateWithALayoutThatNamesNoFormatIsRejected) {
  AllocateReply reply = SampleAllocateReply(1);
  std::vector<uint8_t> payload = EncodeAllocateReply(reply);
  // The layout's format is the body's first field, after the status block
  // (4 + 4 + 2 bytes for an OK status with no message).
  payload[10] = 0x7f;
  EXPECT_THAT(DecodeAllocateReply(BodyOf(payload), 2),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("names no concrete layout")));
  // A heap class nobody knows.
  reply.buffers[0].heap.heap_class = static_cast<HeapClass>(99);
  EXPECT_THAT(
      DecodeAllocateReply(BodyOf(EncodeAllocateReply(reply)), 2),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("heap class")));
}

TEST(ReplyTest, AllocateWithWrongFdCountIsRejected) {
  const std::vector<uint8_t> payload =
      EncodeAllocateReply(SampleAllocateReply(2));
  for (size_t fds : {0, 1, 3, 5}) {
    EXPECT_THAT(DecodeAllocateReply(BodyOf(payload), fds),
                StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("fds")))
        << fds;
  }
}

TEST(ReplyTest, AllocateTruncationsAreRejected) {
  const std::vector<uint8_t> payload =
      EncodeAllocateReply(SampleAllocateReply(1));
  const absl::Span<const uint8_t> body = BodyOf(payload);
  for (size_t length = 0; length < body.size(); ++length) {
    EXPECT_THAT(DecodeAllocateReply(body.first(length), 2),
                StatusIs(absl::StatusCode::kInvalidArgument))
        << length;
  }
}

TEST(ReplyTest, StatsAndListRoundTrip) {
  StatsReply stats;
  stats.connections = 3;
  stats.live_buffers = 7;
  stats.live_bytes = 1 << 20;
  stats.max_buffers_per_client = 10;
  stats.heaps.push_back({"memfd", 7, 1 << 20});
  stats.accounts.push_back({1234, 1000, 2, 7, 1 << 20});
  stats.pool.budget_bytes = 64 << 20;
  stats.pool.buffers = 4;
  stats.pool.misses = 9;
  stats.pool.pressure_events = 2;
  stats.pool.pressure_trigger = true;
  ASSERT_OK_AND_ASSIGN(StatsReply decoded,
                       DecodeReply<StatsReply>(BodyOf(EncodeReply(stats))));
  EXPECT_EQ(decoded.connections, 3u);
  EXPECT_EQ(decoded.live_bytes, 1u << 20);
  ASSERT_EQ(decoded.heaps.size(), 1u);
  EXPECT_EQ(decoded.heaps[0].heap, "memfd");
  ASSERT_EQ(decoded.accounts.size(), 1u);
  EXPECT_EQ(decoded.accounts[0].pid, 1234);
  EXPECT_EQ(decoded.accounts[0].connections, 2u);
  EXPECT_EQ(decoded.pool.budget_bytes, 64u << 20);
  EXPECT_EQ(decoded.pool.buffers, 4u);
  EXPECT_EQ(decoded.pool.misses, 9u);
  EXPECT_EQ(decoded.pool.pressure_events, 2u);
  EXPECT_TRUE(decoded.pool.pressure_trigger);

  ListReply list;
  list.more = true;
  ListEntry entry;
  entry.buffer_id = 99;
  entry.pid = 5;
  entry.heap = "memfd";
  entry.name = "x";
  entry.inode = 12345;
  entry.allocated_ns = 0x123456789abcdefull;
  entry.requester_gone = true;
  list.entries.push_back(entry);
  ASSERT_OK_AND_ASSIGN(ListReply decoded_list,
                       DecodeReply<ListReply>(BodyOf(EncodeReply(list))));
  EXPECT_TRUE(decoded_list.more);
  ASSERT_EQ(decoded_list.entries.size(), 1u);
  EXPECT_EQ(decoded_list.entries[0].buffer_id, 99u);
  EXPECT_EQ(decoded_list.entries[0].inode, 12345u);
  EXPECT_EQ(decoded_list.entries[0].allocated_ns, 0x123456789abcdefull);
  EXPECT_TRUE(decoded_list.entries[0].requester_gone);
}

TEST(RequestTest, ServesByRecordOrByHandleInts) {
  ServesRequest by_id{0x10000, 0x1234567890abcdefull, {}};
  ASSERT_OK_AND_ASSIGN(
      ServesRequest decoded,
      DecodeRequest<ServesRequest>(EncodeRequest<ServesRequest>(by_id)));
  EXPECT_EQ(decoded.additional_usage, 0x10000u);
  EXPECT_EQ(decoded.buffer_id, 0x1234567890abcdefull);
  EXPECT_TRUE(decoded.handle_ints.empty());

  ServesRequest by_handle{0x10000, 0, std::vector<int32_t>(kHandleNumInts)};
  by_handle.handle_ints[43] = -5;
  ASSERT_OK_AND_ASSIGN(decoded, DecodeRequest<ServesRequest>(
                                    EncodeRequest<ServesRequest>(by_handle)));
  ASSERT_EQ(decoded.handle_ints.size(), static_cast<size_t>(kHandleNumInts));
  EXPECT_EQ(decoded.handle_ints[43], -5);

  // A handle of any other size is refused, naming the field.
  by_handle.handle_ints.resize(12);
  EXPECT_THAT(
      DecodeRequest<ServesRequest>(EncodeRequest<ServesRequest>(by_handle)),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("handle int count 12 is neither 0 nor 44")));
  std::vector<uint8_t> bytes = EncodeRequest<ServesRequest>(by_id);
  bytes[16] = 0xff;  // the int count: far more than the payload holds
  EXPECT_THAT(DecodeRequest<ServesRequest>(bytes),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("handle int count")));
}

absl::Status Answer(absl::Span<const uint8_t> body) {
  absl::Status answer = absl::InternalError("not decoded");
  const absl::Status decoded = DecodeAnswerReply(body, &answer);
  return decoded.ok() ? answer : decoded;
}

TEST(ReplyTest, AnswersCarryTheirCodeAndReason) {
  const absl::Status no = absl::UnimplementedError(
      "refused: format: RGBA_FP16 (not supported by codec)");
  EXPECT_EQ(Answer(BodyOf(EncodeAnswerReply(no))), no);
  EXPECT_THAT(Answer(BodyOf(EncodeAnswerReply(absl::OkStatus()))), IsOk());
  // A reason is bounded like a status message; a longer one is cut, never
  // sent with a lying length.
  EXPECT_EQ(Answer(BodyOf(EncodeAnswerReply(
                       absl::FailedPreconditionError(std::string(5000, 'r')))))
                .message()
                .size(),
            kMaxStatusMessageBytes);
  // What is not an answer is a decoding error, never a "no".
  std::vector<uint8_t> body = {99, 0, 0, 0, 0, 0};  // code 99
  absl::Status answer;
  EXPECT_THAT(DecodeAnswerReply(body, &answer),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("answer code 99")));
  body = {0, 0, 0, 0, 1, 0, 'x'};  // a yes with a reason
  EXPECT_THAT(DecodeAnswerReply(body, &answer),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("reason is given for a yes")));
  EXPECT_THAT(
      DecodeAnswerReply(std::vector<uint8_t>{0, 0}, &answer),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("truncated")));
}

TEST(ReplyTest, MapperLibraryRoundTripsAndIsBounded) {
  ASSERT_OK_AND_ASSIGN(std::string path,
                       DecodeReply<std::string>(BodyOf(EncodeReply<std::string>(
                           "/opt/gralloc/lib/libgralloc_mapper.so"))));
  EXPECT_EQ(path, "/opt/gralloc/lib/libgralloc_mapper.so");
  std::vector<uint8_t> body = {0xff, 0xff};  // 65535 bytes announced
  body.resize(2 + 65535, 'p');
  EXPECT_THAT(DecodeReply<std::string>(body),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("more than 4096")));
  EXPECT_THAT(DecodeEmptyRequest(std::vector<uint8_t>{1}),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

// Random bytes never crash a decoder, and whatever a decoder accepts
// re-encodes to the same bytes (so nothing is silently reinterpreted).
TEST(FuzzTest, RandomPayloadsNeverCrashAndAcceptedOnesRoundTrip) {
  std::mt19937_64 random(20260101);
  const std::vector<uint8_t> seeds[] = {
      EncodeRequest(AllocateRequest{SampleDescriptor(), 2}),
      EncodeRequest<std::vector<uint64_t>>(std::vector<uint64_t>{1, 2}),
      EncodeRequest(ListRequest{0, 5}),
      EncodeRequest<ServesRequest>(
          {0x10000, 7, std::vector<int32_t>(kHandleNumInts, 3)}),
  };
  int accepted = 0;
  for (int i = 0; i < 20000; ++i) {
    std::vector<uint8_t> bytes;
    if (i % 2 == 0) {
      bytes.resize(random() % 128);
      for (uint8_t& b : bytes) b = static_cast<uint8_t>(random());
    } else {
      bytes = seeds[random() % 4];
      const int flips = 1 + static_cast<int>(random() % 4);
      for (int f = 0; f < flips && !bytes.empty(); ++f) {
        bytes[random() % bytes.size()] = static_cast<uint8_t>(random());
      }
      if (random() % 4 == 0) bytes.resize(random() % (bytes.size() + 1));
    }
    if (auto r = DecodeRequest<AllocateRequest>(bytes); r.ok()) {
      ++accepted;
      EXPECT_EQ(EncodeRequest(*r), bytes);
    }
    if (auto r = DecodeRequest<std::vector<uint64_t>>(bytes); r.ok()) {
      EXPECT_EQ(EncodeRequest<std::vector<uint64_t>>(*r), bytes);
    }
    if (auto r = DecodeRequest<ServesRequest>(bytes); r.ok()) {
      EXPECT_EQ(EncodeRequest<ServesRequest>(*r), bytes);
    }
    if (absl::Status answer; DecodeAnswerReply(bytes, &answer).ok()) {
      std::vector<uint8_t> again = EncodeAnswerReply(answer);
      EXPECT_EQ(std::vector<uint8_t>(again.begin() + 10, again.end()), bytes);
    }
    (void)DecodeReply<std::string>(bytes);
    (void)DecodeRequest<ListRequest>(bytes);
    (void)DecodeReply<StatsReply>(bytes);
    (void)DecodeReply<ListReply>(bytes);
    (void)DecodeAllocateReply(bytes, random() % 5);
    FrameHeader header;
    absl::Span<const uint8_t> view;
    (void)DecodeFrame(bytes, 0, &header, &view);
    absl::Status status;
    (void)DecodeReplyStatus(bytes, &status, &view);
  }
  EXPECT_GT(accepted, 0);
}

}  // namespace
}  // namespace gralloc::service
