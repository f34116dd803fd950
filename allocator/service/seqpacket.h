// Copyright 2026 The gralloc for Linux Authors.
//
// allocator/service/seqpacket.h: one datagram, with fds, over a Unix
// SOCK_SEQPACKET socket.
//
// The protocol (protocol.h) says what the bytes mean; this file only moves
// them. Both sides of the service use it, so fd ownership is handled in one
// place: a received datagram owns every fd the kernel installed, however
// many arrived and however malformed the message, so a caller that rejects
// the message closes them by dropping it.
//
// Thread safety: the functions are thread-safe; a socket should have one
// sender and one receiver at a time.

#ifndef GRALLOC_ALLOCATOR_SERVICE_SEQPACKET_H_
#define GRALLOC_ALLOCATOR_SERVICE_SEQPACKET_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "hal/base/unique_fd.h"

namespace gralloc::service {

struct Datagram {
  std::vector<uint8_t> bytes;
  std::vector<UniqueFd> fds;  // owned; close-on-exec
  // The datagram did not fit kMaxMessageBytes (bytes holds the start), or
  // the kernel dropped fds that did not fit the control buffer.
  bool truncated = false;
};

// Sends `bytes` and `fds` (not consumed: the kernel duplicates them) as one
// datagram, without SIGPIPE. Errors keep errno's code: a closed peer is
// Unavailable (EPIPE/ECONNRESET/ENOTCONN), a send timeout (SO_SNDTIMEO) is
// DeadlineExceeded.
absl::Status SendDatagram(int socket, absl::Span<const uint8_t> bytes,
                          absl::Span<const int> fds);

// Receives one datagram of up to kMaxMessageBytes, with up to
// kMaxFdsPerMessage (+ slack) fds. An orderly close by the peer is
// Unavailable("peer closed the connection"); a receive timeout
// (SO_RCVTIMEO) is DeadlineExceeded. EINTR is retried.
absl::StatusOr<Datagram> ReceiveDatagram(int socket);

// ReceiveDatagram() for a caller that expects an answer within a few tens
// of microseconds: first polls `socket` without sleeping for up to
// `spin_ns` nanoseconds, so the thread's CPU does not go idle and need
// waking when the answer comes (on a virtual machine that wake-up is most
// of a round trip). Only a thread that is the process's only one waiting
// here spins; the others, and every thread once the time is up, sleep in
// ReceiveDatagram(). Spinning only helps when the peer runs on another
// CPU: pass SpinBudgetNs().
absl::StatusOr<Datagram> AwaitDatagram(int socket, int64_t spin_ns);

// `spin_ns` where more than one CPU is online, else 0 (spinning on the
// only CPU would keep the peer from running).
int64_t SpinBudgetNs(int64_t spin_ns);

// A blocking SOCK_SEQPACKET socket connected to `path`, close-on-exec.
// ECONNREFUSED/ENOENT are Unavailable, naming the path.
absl::StatusOr<UniqueFd> ConnectSeqpacket(const std::string& path);

// Sets SO_SNDTIMEO / SO_RCVTIMEO (0: no timeout).
absl::Status SetSocketTimeouts(int socket, int send_timeout_ms,
                               int receive_timeout_ms);

}  // namespace gralloc::service

#endif  // GRALLOC_ALLOCATOR_SERVICE_SEQPACKET_H_
