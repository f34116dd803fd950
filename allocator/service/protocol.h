// Copyright 2026 The gralloc for Linux Authors.
//
// allocator/service/protocol.h: the allocator service's wire format, in one
// place.
//
// Clients talk to gralloc-allocatord over a Unix SOCK_SEQPACKET socket. Each
// datagram is exactly one message: a fixed 24-byte header and a payload.
// Every integer is little-endian; nothing is padded or aligned.
//
//   header   u32 magic: the bytes "GALC" (0x434c4147 as a LE u32)
//            u16 version (kProtocolVersion)
//            u16 type (MessageType; replies have kReplyBit set)
//            u64 request id (chosen by the client, echoed by the reply)
//            u32 payload length in bytes (header + payload <= kMaxMessageBytes)
//            u32 number of fds attached with SCM_RIGHTS
//   strings  u16 length + bytes (no NUL); each field has its own bound
//
// Requests (client -> service); none carries fds:
//   IS_SUPPORTED    descriptor
//   ALLOCATE        i32 count (0..kMaxBuffersPerAllocate), descriptor
//   RELEASE         u32 n (1..kMaxReleaseIds), n x u64 BUFFER_ID
//   STATS           (empty)
//   LIST            u64 after_buffer_id, u32 max_entries (1..kMaxListEntries)
//   SERVES          u64 additional usage, u64 BUFFER_ID, u32 n ints (0 or
//                   kHandleNumInts), n x i32: the buffer's handle ints, or,
//                   with none, the service's record of BUFFER_ID
//   MAPPER_LIBRARY  (empty)
//   DRAIN_POOL      (empty): empty the allocate-ahead pool (privileged)
//   descriptor =    str name (<= 127), i64 width, i64 height, i64 layers,
//                   i32 format, u64 usage, i64 reserved size,
//                   u16 n options (<= kMaxOptions), n x (str name (<= 255),
//                   i64 value)
//
// Replies (service -> client) start with a status block:
//   u32 absl::StatusCode, i32 the ABI error (AIMapper_Error via the one error
//   table, hal/abi), str message (<= kMaxStatusMessageBytes)
// and, only when the code is OK, the body:
//   IS_SUPPORTED  answer
//   SERVES        answer
//   answer =      u32 absl::StatusCode (0: yes), str reason (<=
//                 kMaxStatusMessageBytes; empty when yes)
//   MAPPER_LIBRARY  str path (<= kMaxPathBytes)
//   ALLOCATE      layout, u32 n buffers, then n x (heap, u32 ints
//                 (== kHandleNumInts), the handle's ints); 2 fds per buffer
//                 (pixels, metadata) in buffer order
//   layout =      i32 format (PixelFormat laid out), u32 DRM fourcc, u64
//                 modifier, i32 stride_px, u8 n planes (the format's), n x
//                 (u64 offset, u64 stride, u64 size, i64 width and i64 height
//                 in samples), u64 layer size, u64 total size
//   heap =        str name (<= 64), u8 class (HeapClass, which implies the
//                 backend), u8 caps (bit 0 contiguous, 1 cached, 2
//                 device-importable, 3 protected, 4 scanout)
//   RELEASE       u32 released
//   STATS         see StatsReply (with PoolStats at its end)
//   DRAIN_POOL    u32 buffers dropped
//   LIST          u8 more, u32 n, n x ListEntry
//
// Everything is validated where it enters: DecodeFrame() checks the header
// against the datagram (length, version, type, fd count) and each Decode*()
// checks every field's range and that the payload is consumed exactly. A
// violation is InvalidArgument naming the field. Each message's fields are
// listed once (protocol.cc), for writing and reading alike. The buffer
// description's own rules (hal/descriptor) are the allocator's to apply, so the
// service gives the same answers as the in-process allocator.
//
// Semantics of buffer records and charges (allocator/service/ledger.h). The
// service records every buffer it hands out (BUFFER_ID, size, heap, the
// client's pid, the kernel identity of the pixel fd) against the connection
// that asked for it. A record goes away when the client sends RELEASE for
// it, when that connection closes (the client exits, dies or calls
// GrallocAllocator_close), or when the buffer's memory is gone. The memory
// itself (pixels, and the metadata buffer with its reserved region) is
// charged to the client's process and user until it is gone from every
// process, whatever happens to the record: quotas and STATS' live buffers
// and bytes count charges. The buffers stay valid after a RELEASE or a
// disconnect: they are kernel objects owned by whoever holds their fds.
// LIST and STATS show a client its own user's records and charges only,
// unless it is privileged (root, the service's user, --admin-*).
//
// Thread safety: everything here is a pure function.

#ifndef GRALLOC_ALLOCATOR_SERVICE_PROTOCOL_H_
#define GRALLOC_ALLOCATOR_SERVICE_PROTOCOL_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "allocator/heaps/heap_identity.h"
#include "hal/descriptor/descriptor.h"
#include "hal/handle/buffer_handle.h"
#include "hal/layout/buffer_layout.h"

namespace gralloc::service {

inline constexpr uint32_t kProtocolMagic = 0x434c4147;  // "GALC" in memory
// 3: STATS gained the pool's statistics, and DRAIN_POOL.
// 4: LIST entries gained when they were allocated and whether their
//    requester is gone.
inline constexpr uint16_t kProtocolVersion = 4;
inline constexpr size_t kHeaderBytes = 24;
// The largest datagram either side sends or accepts.
inline constexpr size_t kMaxMessageBytes = 64 * 1024;
// Buffers per ALLOCATE: the reply carries 2 fds each, and the kernel passes
// at most 253 fds (SCM_MAX_FD) in one message.
inline constexpr int32_t kMaxBuffersPerAllocate = 64;
inline constexpr int kMaxFdsPerMessage = 2 * kMaxBuffersPerAllocate;
inline constexpr uint32_t kMaxReleaseIds = 256;
inline constexpr uint32_t kMaxListEntries = 256;
// Options carry DRM modifier lists, one modifier each.
inline constexpr size_t kMaxOptions = 64;
inline constexpr size_t kMaxOptionNameBytes = 255;
inline constexpr size_t kMaxStatusMessageBytes = 1024;
inline constexpr size_t kMaxHeapNameBytes = 64;
inline constexpr size_t kMaxPathBytes = 4096;
inline constexpr size_t kMaxReasonBytes = 256;
inline constexpr size_t kMaxStatsHeaps = 64;
inline constexpr size_t kMaxStatsAccounts = 256;

enum class MessageType : uint16_t {
  kIsSupported = 1,
  kAllocate = 2,
  kRelease = 3,
  kStats = 4,
  kList = 5,
  kServes = 6,
  kMapperLibrary = 7,
  kDrainPool = 8,
};
inline constexpr uint16_t kReplyBit = 0x8000;

// "IS_SUPPORTED", ... for logs; "UNKNOWN" for anything else.
const char* MessageTypeName(MessageType type);

struct FrameHeader {
  uint16_t version = kProtocolVersion;
  MessageType type = MessageType::kStats;
  bool is_reply = false;
  uint64_t request_id = 0;
  uint32_t payload_bytes = 0;
  uint32_t fd_count = 0;
};

// A whole datagram: the header for `type` (a reply if `is_reply`) followed by
// `payload`. The caller keeps payloads within kMaxMessageBytes.
std::vector<uint8_t> EncodeFrame(MessageType type, bool is_reply,
                                 uint64_t request_id,
                                 absl::Span<const uint8_t> payload,
                                 uint32_t fd_count);

// Checks a received datagram: at least a header, the magic, the version, a
// known type, a payload length equal to what arrived, and `fds_received`
// equal to the header's fd count. On success `*payload` views the payload
// inside `datagram`. `*header` is filled as far as it could be read (the
// request id is valid whenever the first 16 bytes arrived), so an error reply
// can echo it.
absl::Status DecodeFrame(absl::Span<const uint8_t> datagram,
                         size_t fds_received, FrameHeader* header,
                         absl::Span<const uint8_t>* payload);

// --- Requests -------------------------------------------------------------

struct AllocateRequest {
  BufferDescriptorInfo descriptor;
  int32_t count = 0;
};

struct ListRequest {
  uint64_t after_buffer_id = 0;  // entries with larger ids, ascending
  uint32_t max_entries = kMaxListEntries;
};

// STATS and MAPPER_LIBRARY have an empty payload; this checks that it is.
absl::Status DecodeEmptyRequest(absl::Span<const uint8_t> payload);

// "Does this buffer also serve these users?"
struct ServesRequest {
  uint64_t additional_usage = 0;
  // The buffer: the service's record of `buffer_id` when `handle_ints` is
  // empty (gralloctl serves), else the ints of its handle (kHandleNumInts of
  // them; the service needs no fds for the question).
  uint64_t buffer_id = 0;
  std::vector<int32_t> handle_ints;
};

// A request's payload, and back, for each request type T:
//   BufferDescriptorInfo    IS_SUPPORTED
//   AllocateRequest         ALLOCATE
//   std::vector<uint64_t>   RELEASE (the BUFFER_IDs)
//   ListRequest             LIST
//   ServesRequest           SERVES
template <typename T>
std::vector<uint8_t> EncodeRequest(const T& request);
template <typename T>
absl::StatusOr<T> DecodeRequest(absl::Span<const uint8_t> payload);

// --- Replies --------------------------------------------------------------

// A reply payload with a status and no body: every failed request.
std::vector<uint8_t> EncodeErrorReply(const absl::Status& status);

// Splits a reply payload into its status and body. A malformed status block
// is an InvalidArgument in the return value; the service's own status goes
// to `*status` (OK when the request succeeded; then `*body` views the body).
absl::Status DecodeReplyStatus(absl::Span<const uint8_t> payload,
                               absl::Status* status,
                               absl::Span<const uint8_t>* body);

// The answer to IS_SUPPORTED and SERVES: yes (OK), or the refusal, with
// the code and the reason the in-process allocator gives. Its message is
// cut to kMaxStatusMessageBytes.
std::vector<uint8_t> EncodeAnswerReply(const absl::Status& answer);
// The returned status is the body's validity (InvalidArgument naming the
// field); the answer goes to `*answer`.
absl::Status DecodeAnswerReply(absl::Span<const uint8_t> body,
                               absl::Status* answer);

// The buffers of an ALLOCATE: their one description and, per buffer, the
// heap that served it and its handle's ints (its fds travel alongside). The
// negotiation's plan stays in the service; `gralloctl explain` shows it.
struct AllocateReply {
  BufferLayout layout;
  struct Buffer {
    HeapIdentity heap;
    std::vector<int32_t> handle_ints;  // kHandleNumInts of them
  };
  std::vector<Buffer> buffers;
};

std::vector<uint8_t> EncodeAllocateReply(const AllocateReply& reply);
// `fds_received` must be 2 per buffer.
absl::StatusOr<AllocateReply> DecodeAllocateReply(
    absl::Span<const uint8_t> body, size_t fds_received);

struct HeapUsage {
  std::string heap;
  uint64_t buffers = 0;
  uint64_t bytes = 0;
};

// One client process: every connection with this peer pid.
struct AccountUsage {
  int32_t pid = 0;
  uint32_t uid = 0;
  uint32_t connections = 0;
  uint64_t buffers = 0;
  uint64_t bytes = 0;
};

// The allocate-ahead pool (pool.h). Buffers it holds belong to the service
// until taken; a taken buffer is charged like any other.
struct PoolStats {
  uint64_t budget_bytes = 0;      // 0: no pool
  uint64_t buffers = 0;           // held now, ready to hand out
  uint64_t bytes = 0;             // held now, pixels and metadata
  uint32_t descriptions = 0;      // descriptions it keeps warm
  uint64_t hits = 0;              // buffers handed out from the pool
  uint64_t misses = 0;            // buffers asked for that it did not have
  uint64_t made = 0;              // buffers allocated ahead
  uint64_t dropped = 0;           // buffers closed without being handed out
  uint64_t drains = 0;            // times it was emptied (pressure, request)
  uint64_t failures = 0;          // refills the allocator refused
  uint64_t pressure_events = 0;   // memory pressure drains
  bool pressure_trigger = false;  // whether PSI events reach it
};

struct StatsReply {
  uint32_t connections = 0;   // open client sockets, the asker's included
  uint64_t live_buffers = 0;  // charged: alive in some process
  uint64_t live_bytes = 0;    // pixels and metadata
  uint64_t max_buffers_per_client = 0;  // 0: unlimited
  uint64_t max_bytes_per_client = 0;    // 0: unlimited
  uint64_t allocations_total = 0;       // buffers handed out since start
  uint64_t refusals_total = 0;          // requests refused since start
  std::vector<HeapUsage> heaps;         // at most kMaxStatsHeaps
  std::vector<AccountUsage> accounts;   // at most kMaxStatsAccounts
  PoolStats pool;
};

struct ListEntry {
  uint64_t buffer_id = 0;
  int32_t pid = 0;
  uint32_t uid = 0;
  uint64_t size_bytes = 0;
  std::string heap;
  std::string name;
  int32_t format = 0;
  int32_t width = 0;
  int32_t height = 0;
  int32_t layer_count = 0;
  uint64_t usage = 0;
  uint64_t device = 0;  // st_dev of the pixel fd
  uint64_t inode = 0;   // st_ino of the pixel fd
  // CLOCK_BOOTTIME when the service handed the buffer out, in ns.
  uint64_t allocated_ns = 0;
  // The requester's connection has closed (it exited, or let go of the
  // service) while someone still holds the memory: an orphan. The record
  // stays until the memory is gone.
  bool requester_gone = false;
};

struct ListReply {
  bool more = false;               // another LIST after the last id has more
  std::vector<ListEntry> entries;  // at most kMaxListEntries, ascending ids
};

// A reply payload (the OK status block, then the body), and the body back,
// for each reply body type T:
//   uint32_t      RELEASE (how many records were released)
//   StatsReply    STATS
//   ListReply     LIST
//   std::string   MAPPER_LIBRARY (where the mapper library is, as the
//                 service knows it)
template <typename T>
std::vector<uint8_t> EncodeReply(const T& body);
template <typename T>
absl::StatusOr<T> DecodeReply(absl::Span<const uint8_t> body);

}  // namespace gralloc::service

#endif  // GRALLOC_ALLOCATOR_SERVICE_PROTOCOL_H_
