// Copyright 2026 The gralloc for Linux Authors.

#include "allocator/service/seqpacket.h"

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <memory>
#include <utility>

#include "absl/strings/str_cat.h"
#include "allocator/service/protocol.h"
#include "hal/base/status_macros.h"

namespace gralloc::service {
namespace {

// Room for more fds than any valid message has, so a peer that sends too
// many still gets them all closed rather than silently dropped by the
// kernel; beyond this the kernel drops the rest (and sets MSG_CTRUNC).
constexpr size_t kMaxReceivedFds = 253;  // SCM_MAX_FD

// Whether a receive on `socket` would not block: a datagram, the peer's
// close or an error is waiting. Never waits: a zero timeout never sleeps;
// POLLHUP and POLLERR come unasked, and a failed poll leaves the telling
// to the receive too.
bool Readable(int socket) {
  pollfd event{socket, POLLIN, 0};
  return poll(&event, 1, 0) != 0;
}

absl::Status PeerStatus(int error, absl::string_view operation) {
  if (error == EPIPE || error == ECONNRESET || error == ENOTCONN) {
    return absl::UnavailableError(
        absl::StrCat(operation, ": the peer closed the connection (",
                     std::strerror(error), ")"));
  }
  if (error == EAGAIN || error == EWOULDBLOCK) {
    return absl::DeadlineExceededError(absl::StrCat(operation, ": timed out"));
  }
  return ErrnoStatus(error, operation);
}

}  // namespace

absl::Status SendDatagram(int socket, absl::Span<const uint8_t> bytes,
                          absl::Span<const int> fds) {
  if (fds.size() > kMaxReceivedFds) {
    return absl::InvalidArgumentError("too many fds for one message");
  }
  iovec iov{const_cast<uint8_t*>(bytes.data()), bytes.size()};
  msghdr msg{};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  std::vector<char> control;
  if (!fds.empty()) {
    control.assign(CMSG_SPACE(sizeof(int) * fds.size()), 0);
    msg.msg_control = control.data();
    msg.msg_controllen = control.size();
    cmsghdr* cmsg = CMSG_FIRSTHDR(&msg);
    cmsg->cmsg_level = SOL_SOCKET;
    cmsg->cmsg_type = SCM_RIGHTS;
    cmsg->cmsg_len = CMSG_LEN(sizeof(int) * fds.size());
    std::memcpy(CMSG_DATA(cmsg), fds.data(), sizeof(int) * fds.size());
  }
  for (;;) {
    const ssize_t sent = sendmsg(socket, &msg, MSG_NOSIGNAL);
    if (sent >= 0) {
      if (static_cast<size_t>(sent) != bytes.size()) {
        return absl::InternalError("sendmsg sent part of a datagram");
      }
      return absl::OkStatus();
    }
    if (errno == EINTR) continue;
    return PeerStatus(errno, "sendmsg");
  }
}

absl::StatusOr<Datagram> ReceiveDatagram(int socket) {
  // Room for the largest message, once per receiving thread and never
  // cleared: a zeroed 64 KiB vector per message was 2% of the service's
  // CPU under four clients. Only what arrived is copied out.
  thread_local std::unique_ptr<uint8_t[]> room;
  if (room == nullptr) room.reset(new uint8_t[kMaxMessageBytes]);
  Datagram datagram;
  iovec iov{room.get(), kMaxMessageBytes};
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int) * kMaxReceivedFds)];
  msghdr msg{};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control;
  msg.msg_controllen = sizeof(control);
  ssize_t received;
  for (;;) {
    received = recvmsg(socket, &msg, MSG_CMSG_CLOEXEC);
    if (received >= 0 || errno != EINTR) break;
  }
  if (received < 0) return PeerStatus(errno, "recvmsg");
  // Take ownership of every fd first, whatever else is wrong.
  for (cmsghdr* cmsg = CMSG_FIRSTHDR(&msg); cmsg != nullptr;
       cmsg = CMSG_NXTHDR(&msg, cmsg)) {
    if (cmsg->cmsg_level != SOL_SOCKET || cmsg->cmsg_type != SCM_RIGHTS) {
      continue;
    }
    const size_t count = (cmsg->cmsg_len - CMSG_LEN(0)) / sizeof(int);
    for (size_t i = 0; i < count; ++i) {
      int fd;
      std::memcpy(&fd, CMSG_DATA(cmsg) + i * sizeof(int), sizeof(int));
      datagram.fds.emplace_back(fd);
    }
  }
  if (received == 0 && datagram.fds.empty()) {
    // SOCK_SEQPACKET: a zero-length read is the peer's orderly close (an
    // empty datagram is not a valid message either way).
    return absl::UnavailableError("recvmsg: the peer closed the connection");
  }
  datagram.bytes.assign(room.get(), room.get() + received);
  datagram.truncated = (msg.msg_flags & (MSG_TRUNC | MSG_CTRUNC)) != 0;
  return datagram;
}

absl::StatusOr<Datagram> AwaitDatagram(int socket, int64_t spin_ns) {
  // Threads of this process waiting here now. Only one that waits alone
  // spins: concurrent callers mean the machine has work for its CPUs, and
  // a spinning CPU would be taken from whoever has to answer them (with
  // four clients on two CPUs, spinning made the service's p99 4 ms).
  static std::atomic<int> waiting{0};
  const bool alone = waiting.fetch_add(1, std::memory_order_relaxed) == 0;
  if (alone && spin_ns > 0) {
    const auto deadline =
        std::chrono::steady_clock::now() + std::chrono::nanoseconds(spin_ns);
    while (!Readable(socket) && std::chrono::steady_clock::now() < deadline) {
    }
  }
  absl::StatusOr<Datagram> datagram = ReceiveDatagram(socket);
  waiting.fetch_sub(1, std::memory_order_relaxed);
  return datagram;
}

int64_t SpinBudgetNs(int64_t spin_ns) {
  static const long online_cpus = sysconf(_SC_NPROCESSORS_ONLN);
  return online_cpus > 1 ? spin_ns : 0;
}

absl::StatusOr<UniqueFd> ConnectSeqpacket(const std::string& path) {
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  if (path.empty() || path.size() >= sizeof(address.sun_path)) {
    return absl::InvalidArgumentError(
        absl::StrCat("socket path '", path, "' is empty or too long"));
  }
  std::memcpy(address.sun_path, path.data(), path.size());
  UniqueFd socket(::socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0));
  if (!socket) return ErrnoStatus("socket(AF_UNIX, SOCK_SEQPACKET)");
  for (;;) {
    if (connect(socket.get(), reinterpret_cast<const sockaddr*>(&address),
                sizeof(address)) == 0) {
      return socket;
    }
    if (errno == EINTR) continue;
    const int error = errno;
    if (error == ECONNREFUSED || error == ENOENT || error == EAGAIN) {
      return absl::UnavailableError(absl::StrCat(
          "no allocator service at ", path, ": ", std::strerror(error)));
    }
    return ErrnoStatus(error, absl::StrCat("connect ", path));
  }
}

absl::Status SetSocketTimeouts(int socket, int send_timeout_ms,
                               int receive_timeout_ms) {
  const timeval send{send_timeout_ms / 1000, (send_timeout_ms % 1000) * 1000};
  const timeval receive{receive_timeout_ms / 1000,
                        (receive_timeout_ms % 1000) * 1000};
  if (setsockopt(socket, SOL_SOCKET, SO_SNDTIMEO, &send, sizeof(send)) != 0) {
    return ErrnoStatus("setsockopt(SO_SNDTIMEO)");
  }
  if (setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &receive, sizeof(receive)) !=
      0) {
    return ErrnoStatus("setsockopt(SO_RCVTIMEO)");
  }
  return absl::OkStatus();
}

}  // namespace gralloc::service
