// Copyright 2026 The gralloc for Linux Authors.

#include "allocator/service/server.h"

#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "hal/base/status_macros.h"
#include "hal/descriptor/descriptor.h"
#include "hal/format/format_table.h"
#include "hal/handle/buffer_handle.h"

namespace gralloc::service {
namespace {

// mkdir -p for the socket's directory.
absl::Status MakeParentDirectories(const std::string& path) {
  for (size_t slash = path.find('/', 1); slash != std::string::npos;
       slash = path.find('/', slash + 1)) {
    const std::string dir = path.substr(0, slash);
    if (mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST) {
      return ErrnoStatus(absl::StrCat("mkdir ", dir));
    }
  }
  return absl::OkStatus();
}

// 0 or the errno of bind().
int Bind(int socket, const std::string& path) {
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::memcpy(address.sun_path, path.data(), path.size());
  if (bind(socket, reinterpret_cast<const sockaddr*>(&address),
           sizeof(address)) != 0) {
    return errno;
  }
  return 0;
}

// The largest size Allocate() could return is not known before it runs;
// the descriptor's lower bound lets a quota refuse early, before memory is
// spent, in the common case.
uint64_t EstimatedBytes(const BufferDescriptorInfo& descriptor) {
  if (!ValidateDescriptor(descriptor).ok()) return 0;
  const FormatInfo* format = FindFormat(descriptor.format);
  if (format == nullptr) return 0;
  absl::StatusOr<uint64_t> bytes = EstimateMinimumSizeBytes(
      *format, descriptor.width, descriptor.height, descriptor.layer_count);
  return bytes.ok() ? *bytes : 0;
}

}  // namespace

absl::StatusOr<std::unique_ptr<Server>> Server::Create(
    ServerOptions options, std::unique_ptr<AllocatorApi> allocator) {
  if (allocator == nullptr) {
    return absl::InvalidArgumentError("no allocator");
  }
  if (options.max_clients < 1 || options.send_timeout_ms < 1) {
    return absl::InvalidArgumentError(
        "max_clients and send_timeout_ms must be positive");
  }
  if (options.socket_path.empty() ||
      options.socket_path.size() >= sizeof(sockaddr_un{}.sun_path)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "socket path '", options.socket_path, "' is empty or too long"));
  }
  RETURN_IF_ERROR(MakeParentDirectories(options.socket_path));
  UniqueFd listener(
      socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
  if (!listener) return ErrnoStatus("socket(AF_UNIX, SOCK_SEQPACKET)");
  int bind_error = Bind(listener.get(), options.socket_path);
  if (bind_error == EADDRINUSE) {
    // A socket file is there. If a service answers, it is not ours to take
    // over; if nobody does, it was left by a service that died.
    if (ConnectSeqpacket(options.socket_path).ok()) {
      return absl::FailedPreconditionError(absl::StrCat(
          "another allocator service is serving ", options.socket_path));
    }
    struct stat st;
    if (lstat(options.socket_path.c_str(), &st) == 0 && !S_ISSOCK(st.st_mode)) {
      return absl::FailedPreconditionError(
          absl::StrCat(options.socket_path, " exists and is not a socket"));
    }
    unlink(options.socket_path.c_str());
    bind_error = Bind(listener.get(), options.socket_path);
  }
  if (bind_error != 0) {
    return ErrnoStatus(bind_error, absl::StrCat("bind ", options.socket_path));
  }
  struct stat st;
  if (stat(options.socket_path.c_str(), &st) != 0) {
    return ErrnoStatus(absl::StrCat("stat ", options.socket_path));
  }
  if (chmod(options.socket_path.c_str(),
            static_cast<mode_t>(options.socket_mode)) != 0) {
    return ErrnoStatus(absl::StrCat("chmod ", options.socket_path));
  }
  if (listen(listener.get(), 64) != 0) return ErrnoStatus("listen");
  UniqueFd wake(eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
  if (!wake) return ErrnoStatus("eventfd");
  return std::unique_ptr<Server>(
      new Server(std::move(options), std::move(allocator), std::move(listener),
                 std::move(wake), st.st_ino));
}

Server::Server(ServerOptions options, std::unique_ptr<AllocatorApi> allocator,
               UniqueFd listener, UniqueFd wake, ino_t socket_inode)
    : options_(std::move(options)),
      allocator_(std::move(allocator)),
      listener_(std::move(listener)),
      wake_(std::move(wake)),
      socket_inode_(socket_inode) {}

Server::~Server() {
  Stop();
  CloseConnections();
  // Remove the socket file only if it is still the one this server bound:
  // a newer service may have replaced it.
  struct stat st;
  if (stat(options_.socket_path.c_str(), &st) == 0 &&
      st.st_ino == socket_inode_) {
    unlink(options_.socket_path.c_str());
  }
}

// Ends every connection: wakes its thread (shutdown) and joins it.
void Server::CloseConnections() {
  std::map<uint64_t, std::unique_ptr<Connection>> connections;
  {
    MutexLock lock(&mu_);
    for (auto& [id, connection] : connections_) {
      shutdown(connection->socket.get(), SHUT_RDWR);
    }
    connections.swap(connections_);
  }
  for (auto& [id, connection] : connections) {
    if (connection->thread.joinable()) connection->thread.join();
  }
}

void Server::Stop() {
  stopping_.store(true);
  const uint64_t one = 1;
  // Async-signal-safe; a full counter (impossible in practice) still wakes.
  (void)!write(wake_.get(), &one, sizeof(one));
}

absl::Status Server::Run(int stop_fd) {
  while (!stopping_.load()) {
    pollfd fds[3] = {{listener_.get(), POLLIN, 0},
                     {wake_.get(), POLLIN, 0},
                     {stop_fd, POLLIN, 0}};
    const int ready = poll(fds, stop_fd >= 0 ? 3 : 2, -1);
    if (ready < 0) {
      if (errno == EINTR) continue;
      return ErrnoStatus("poll");
    }
    if (fds[1].revents != 0) {
      uint64_t count;
      (void)!read(wake_.get(), &count, sizeof(count));
      ReapFinished();
    }
    if (stop_fd >= 0 && fds[2].revents != 0) break;
    if (fds[0].revents != 0) Accept();
  }
  stopping_.store(true);
  CloseConnections();
  return absl::OkStatus();
}

void Server::Accept() {
  for (;;) {
    UniqueFd socket(accept4(listener_.get(), nullptr, nullptr, SOCK_CLOEXEC));
    if (!socket) {
      // EAGAIN: nothing more to accept. Anything else (EMFILE, a connection
      // reset before accept) concerns one connection; keep serving.
      if (errno == EINTR || errno == ECONNABORTED) continue;
      if (errno != EAGAIN && errno != EWOULDBLOCK && options_.log_refusals) {
        const std::string line = absl::StrCat(
            "gralloc-allocatord: accept: ", std::strerror(errno), "\n");
        (void)!write(STDERR_FILENO, line.data(), line.size());
      }
      return;
    }
    ucred credentials{};
    socklen_t length = sizeof(credentials);
    if (getsockopt(socket.get(), SOL_SOCKET, SO_PEERCRED, &credentials,
                   &length) != 0) {
      continue;  // the peer is already gone
    }
    auto connection = std::make_unique<Connection>();
    connection->socket = std::move(socket);
    connection->pid = credentials.pid;
    connection->uid = credentials.uid;
    connection->gid = credentials.gid;
    if (!SetSocketTimeouts(connection->socket.get(), options_.send_timeout_ms,
                           0)
             .ok()) {
      continue;
    }
    MutexLock lock(&mu_);
    if (connections_.size() >= static_cast<size_t>(options_.max_clients)) {
      ++refusals_total_;
      if (options_.log_refusals) {
        const std::string line = absl::StrCat(
            "gralloc-allocatord: refused connection from pid ", connection->pid,
            " (uid ", connection->uid, "): ", connections_.size(),
            " clients connected, the limit is ", options_.max_clients, "\n");
        (void)!write(STDERR_FILENO, line.data(), line.size());
      }
      continue;  // closes the socket
    }
    connection->id = next_connection_id_++;
    Account& account = accounts_[connection->pid];
    account.uid = connection->uid;
    ++account.connections;
    Connection* raw = connection.get();
    connections_[raw->id] = std::move(connection);
    raw->thread = std::thread([this, raw] { Serve(raw); });
  }
}

void Server::ReapFinished() {
  std::vector<std::unique_ptr<Connection>> done;
  {
    MutexLock lock(&mu_);
    for (uint64_t id : finished_) {
      auto it = connections_.find(id);
      if (it == connections_.end()) continue;
      // The thread is past its last use of the socket; closing it here,
      // under the lock, keeps Snapshot()'s connection count equal to the
      // sockets the service holds.
      it->second->socket.reset();
      done.push_back(std::move(it->second));
      connections_.erase(it);
    }
    finished_.clear();
  }
  for (std::unique_ptr<Connection>& connection : done) {
    if (connection->thread.joinable()) connection->thread.join();
  }
}

void Server::Serve(Connection* connection) {
  while (!stopping_.load()) {
    absl::StatusOr<Datagram> datagram =
        ReceiveDatagram(connection->socket.get());
    if (!datagram.ok()) break;  // closed, reset or shut down
    if (!Handle(*connection, *datagram)) break;
  }
  DropConnection(*connection);
  {
    MutexLock lock(&mu_);
    finished_.push_back(connection->id);
  }
  const uint64_t one = 1;
  (void)!write(wake_.get(), &one, sizeof(one));
}

void Server::Refuse(const Connection& connection, absl::string_view request,
                    const absl::Status& status) {
  {
    MutexLock lock(&mu_);
    ++refusals_total_;
  }
  if (!options_.log_refusals) return;
  Log(absl::StrCat("refused ", request, " from pid ", connection.pid, " (uid ",
                   connection.uid,
                   "): ", absl::StatusCodeToString(status.code()), ": ",
                   status.message()));
}

void Server::Log(absl::string_view what) {
  // One write per line, so lines from many threads never interleave.
  const std::string line = absl::StrCat("gralloc-allocatord: ", what, "\n");
  (void)!write(STDERR_FILENO, line.data(), line.size());
}

void Server::Reply(Connection& connection, MessageType type,
                   uint64_t request_id, const std::vector<uint8_t>& payload,
                   absl::Span<const int> fds, bool* keep) {
  const std::vector<uint8_t> frame =
      EncodeFrame(type, /*is_reply=*/true, request_id, payload,
                  static_cast<uint32_t>(fds.size()));
  absl::Status sent = SendDatagram(connection.socket.get(), frame, fds);
  if (!sent.ok()) {
    // The client is gone or does not read: end the connection, which drops
    // the records of anything it did not receive.
    if (!absl::IsUnavailable(sent)) {
      Refuse(connection, "the reply", sent);
    }
    *keep = false;
  }
}

bool Server::Handle(Connection& connection, Datagram& datagram) {
  FrameHeader header;
  absl::Span<const uint8_t> payload;
  absl::Status framing =
      DecodeFrame(datagram.bytes, datagram.fds.size(), &header, &payload);
  if (datagram.truncated) {
    framing = absl::InvalidArgumentError(
        absl::StrCat("message exceeds ", kMaxMessageBytes, " bytes or ",
                     kMaxFdsPerMessage, " fds"));
  } else if (framing.ok() && header.is_reply) {
    framing = absl::InvalidArgumentError("a client sent a reply");
  } else if (framing.ok() && header.fd_count != 0) {
    framing = absl::InvalidArgumentError(absl::StrCat(
        "a request carries ", header.fd_count, " fds; requests carry none"));
  }
  // The received fds are no use to anyone; close them now.
  datagram.fds.clear();
  bool keep = true;
  if (!framing.ok()) {
    Refuse(connection, "a message", framing);
    // Answer when the message can be addressed: our magic, a known type.
    const bool addressable =
        datagram.bytes.size() >= 16 &&
        std::memcmp(datagram.bytes.data(), "GALC", 4) == 0 &&
        std::strcmp(MessageTypeName(header.type), "UNKNOWN") != 0;
    if (addressable) {
      Reply(connection, header.type, header.request_id,
            EncodeErrorReply(framing), {}, &keep);
    }
    return false;
  }

  const char* request = MessageTypeName(header.type);
  std::vector<uint8_t> reply;
  std::vector<NativeHandlePtr> handles;
  switch (header.type) {
    case MessageType::kIsSupported: {
      absl::StatusOr<BufferDescriptorInfo> descriptor =
          DecodeRequest<BufferDescriptorInfo>(payload);
      absl::StatusOr<Verdict> supported =
          descriptor.ok() ? allocator_->IsSupported(*descriptor)
                          : absl::StatusOr<Verdict>(descriptor.status());
      if (!supported.ok()) {
        Refuse(connection, request, supported.status());
        reply = EncodeErrorReply(supported.status());
      } else {
        reply = EncodeAnswerReply(supported->refusal);
      }
      break;
    }
    case MessageType::kServes:
      reply = HandleServes(connection, payload);
      break;
    case MessageType::kMapperLibrary: {
      absl::Status empty = DecodeEmptyRequest(payload);
      absl::StatusOr<std::string> path =
          !empty.ok() ? absl::StatusOr<std::string>(empty)
          : options_.mapper_library.empty()
              ? allocator_->MapperLibrary()
              : absl::StatusOr<std::string>(options_.mapper_library);
      if (!path.ok()) {
        Refuse(connection, request, path.status());
        reply = EncodeErrorReply(path.status());
      } else {
        reply = EncodeReply<std::string>(*path);
      }
      break;
    }
    case MessageType::kAllocate:
      reply = HandleAllocate(connection, payload, &handles);
      break;
    case MessageType::kRelease:
      reply = HandleRelease(connection, payload);
      break;
    case MessageType::kStats: {
      absl::Status empty = DecodeEmptyRequest(payload);
      if (!empty.ok()) {
        Refuse(connection, request, empty);
        reply = EncodeErrorReply(empty);
      } else {
        reply = EncodeReply(Snapshot());
      }
      break;
    }
    case MessageType::kList:
      reply = HandleList(payload);
      break;
  }
  std::vector<int> fds;
  for (const NativeHandlePtr& handle : handles) {
    fds.push_back(HandleBufferFd(handle.get()));
    fds.push_back(HandleMetadataFd(handle.get()));
  }
  Reply(connection, header.type, header.request_id, reply, fds, &keep);
  // `handles` closes the service's copies of the fds here: from now on the
  // buffers live in the client.
  return keep;
}

std::vector<uint8_t> Server::HandleAllocate(
    Connection& connection, absl::Span<const uint8_t> payload,
    std::vector<NativeHandlePtr>* handles) {
  absl::StatusOr<AllocateRequest> request =
      DecodeRequest<AllocateRequest>(payload);
  if (!request.ok()) {
    Refuse(connection, "ALLOCATE", request.status());
    return EncodeErrorReply(request.status());
  }
  const uint64_t count = static_cast<uint64_t>(request->count);
  const uint64_t estimate = EstimatedBytes(request->descriptor) * count;

  // Reserve the quota before allocating, so concurrent connections of one
  // process cannot overshoot it together.
  absl::Status quota;
  {
    MutexLock lock(&mu_);
    Account& account = accounts_[connection.pid];
    if (options_.max_buffers_per_client != 0 &&
        account.buffers + count > options_.max_buffers_per_client) {
      quota = absl::ResourceExhaustedError(
          absl::StrCat("quota: ", account.buffers, " live buffers + ", count,
                       " requested exceeds the limit of ",
                       options_.max_buffers_per_client, " per client"));
    } else if (options_.max_bytes_per_client != 0 &&
               account.bytes + estimate > options_.max_bytes_per_client) {
      quota = absl::ResourceExhaustedError(
          absl::StrCat("quota: ", account.bytes, " live bytes + at least ",
                       estimate, " requested exceeds the limit of ",
                       options_.max_bytes_per_client, " bytes per client"));
    } else {
      account.buffers += count;
      account.bytes += estimate;
    }
  }
  if (!quota.ok()) {
    Refuse(connection, "ALLOCATE", quota);
    return EncodeErrorReply(quota);
  }

  absl::StatusOr<Allocation> allocation =
      allocator_->Allocate(request->descriptor, request->count);

  std::vector<BufferRecord> entries;
  uint64_t total_bytes = 0;
  absl::Status status = allocation.status();
  if (status.ok()) {
    for (const AllocatedBuffer& buffer : allocation->buffers) {
      struct stat st;
      if (fstat(HandleBufferFd(buffer.handle.get()), &st) != 0) {
        status = ErrnoStatus("fstat of a new buffer");
        break;
      }
      const HandleInfo& info = buffer.info;
      ListEntry entry;
      entry.buffer_id = info.buffer_id;
      entry.pid = connection.pid;
      entry.uid = connection.uid;
      entry.size_bytes = info.allocation_size;
      entry.heap = buffer.heap.name;
      entry.name = request->descriptor.name;
      entry.format = info.format_requested;
      entry.width = info.width;
      entry.height = info.height;
      entry.layer_count = info.layer_count;
      entry.usage = info.usage;
      entry.device = st.st_dev;
      entry.inode = st.st_ino;
      total_bytes += entry.size_bytes;
      entries.push_back(
          BufferRecord{connection.id, std::move(entry), info, buffer.heap});
      if (!buffer.exhausted.empty() && options_.log_refusals) {
        Log(absl::StrCat("heap fallback for pid ", connection.pid, ": ",
                         absl::StrJoin(buffer.exhausted, "; "), "; ",
                         buffer.heap.ToString(), " served BUFFER_ID 0x",
                         absl::Hex(info.buffer_id)));
      }
    }
  }
  {
    MutexLock lock(&mu_);
    Account& account = accounts_[connection.pid];
    account.bytes -= estimate;
    if (status.ok() && options_.max_bytes_per_client != 0 &&
        account.bytes + total_bytes > options_.max_bytes_per_client) {
      status = absl::ResourceExhaustedError(
          absl::StrCat("quota: ", account.bytes, " live bytes + ", total_bytes,
                       " allocated exceeds the limit of ",
                       options_.max_bytes_per_client, " bytes per client"));
    }
    if (!status.ok()) {
      account.buffers -= count;
    } else {
      account.bytes += total_bytes;
      allocations_total_ += count;
      absl::flat_hash_set<uint64_t>& mine =
          buffers_by_connection_[connection.id];
      for (BufferRecord& record : entries) {
        const uint64_t id = record.entry.buffer_id;
        mine.insert(id);
        buffers_[id] = std::move(record);
      }
    }
  }
  if (!status.ok()) {
    // A failed allocation releases whatever it made with `allocation`.
    Refuse(connection, "ALLOCATE", status);
    return EncodeErrorReply(status);
  }
  AllocateReply reply;
  reply.layout = allocation->layout;
  for (AllocatedBuffer& buffer : allocation->buffers) {
    const native_handle_t* handle = buffer.handle.get();
    reply.buffers.push_back(AllocateReply::Buffer{
        buffer.heap,
        std::vector<int32_t>(&handle->data[handle->numFds],
                             &handle->data[handle->numFds + handle->numInts])});
    handles->push_back(std::move(buffer.handle));
  }
  return EncodeAllocateReply(reply);
}

std::vector<uint8_t> Server::HandleServes(Connection& connection,
                                          absl::Span<const uint8_t> payload) {
  absl::StatusOr<Verdict> answer = Serves(payload);
  if (!answer.ok()) {
    Refuse(connection, "SERVES", answer.status());
    return EncodeErrorReply(answer.status());
  }
  return EncodeAnswerReply(answer->refusal);
}

absl::StatusOr<Verdict> Server::Serves(absl::Span<const uint8_t> payload) {
  ASSIGN_OR_RETURN(const ServesRequest request,
                   DecodeRequest<ServesRequest>(payload));
  if (!request.handle_ints.empty()) {
    ASSIGN_OR_RETURN(const HandleInfo buffer,
                     DecodeHandleInts(request.handle_ints));
    return allocator_->Serves(buffer, nullptr, request.additional_usage);
  }
  // The service's own record: the heap is known by name too.
  BufferRecord record;
  {
    MutexLock lock(&mu_);
    auto it = buffers_.find(request.buffer_id);
    if (it == buffers_.end()) {
      return absl::NotFoundError(
          absl::StrCat("the service has no record of BUFFER_ID 0x",
                       absl::Hex(request.buffer_id)));
    }
    record = it->second;
  }
  return allocator_->Serves(record.info, &record.heap,
                            request.additional_usage);
}

std::vector<uint8_t> Server::HandleRelease(Connection& connection,
                                           absl::Span<const uint8_t> payload) {
  absl::StatusOr<std::vector<uint64_t>> ids =
      DecodeRequest<std::vector<uint64_t>>(payload);
  if (!ids.ok()) {
    Refuse(connection, "RELEASE", ids.status());
    return EncodeErrorReply(ids.status());
  }
  uint32_t released = 0;
  MutexLock lock(&mu_);
  for (uint64_t id : *ids) {
    auto it = buffers_.find(id);
    // Any connection of the process that allocated a buffer may release it;
    // nobody else can (and BUFFER_IDs are unguessable anyway).
    if (it == buffers_.end() || it->second.entry.pid != connection.pid) {
      continue;
    }
    Account& account = accounts_[connection.pid];
    account.buffers -= 1;
    account.bytes -= it->second.entry.size_bytes;
    auto owner = buffers_by_connection_.find(it->second.connection_id);
    if (owner != buffers_by_connection_.end()) owner->second.erase(id);
    buffers_.erase(it);
    ++released;
  }
  return EncodeReply<uint32_t>(released);
}

std::vector<uint8_t> Server::HandleList(absl::Span<const uint8_t> payload) {
  absl::StatusOr<ListRequest> request = DecodeRequest<ListRequest>(payload);
  if (!request.ok()) return EncodeErrorReply(request.status());
  ListReply reply;
  MutexLock lock(&mu_);
  auto it = buffers_.upper_bound(request->after_buffer_id);
  for (; it != buffers_.end() && reply.entries.size() < request->max_entries;
       ++it) {
    reply.entries.push_back(it->second.entry);
  }
  reply.more = it != buffers_.end();
  return EncodeReply(reply);
}

void Server::DropConnection(const Connection& connection) {
  MutexLock lock(&mu_);
  Account& account = accounts_[connection.pid];
  auto mine = buffers_by_connection_.find(connection.id);
  if (mine != buffers_by_connection_.end()) {
    for (uint64_t id : mine->second) {
      auto it = buffers_.find(id);
      if (it == buffers_.end()) continue;
      account.buffers -= 1;
      account.bytes -= it->second.entry.size_bytes;
      buffers_.erase(it);
    }
    buffers_by_connection_.erase(mine);
  }
  if (--account.connections == 0) accounts_.erase(connection.pid);
}

StatsReply Server::Snapshot() const {
  StatsReply stats;
  stats.max_buffers_per_client = options_.max_buffers_per_client;
  stats.max_bytes_per_client = options_.max_bytes_per_client;
  MutexLock lock(&mu_);
  stats.allocations_total = allocations_total_;
  stats.refusals_total = refusals_total_;
  std::map<std::string, HeapUsage> heaps;
  for (const auto& [id, record] : buffers_) {
    HeapUsage& heap = heaps[record.entry.heap];
    heap.heap = record.entry.heap;
    heap.buffers += 1;
    heap.bytes += record.entry.size_bytes;
    stats.live_buffers += 1;
    stats.live_bytes += record.entry.size_bytes;
  }
  for (auto& [name, heap] : heaps) {
    if (stats.heaps.size() < kMaxStatsHeaps) stats.heaps.push_back(heap);
  }
  std::map<pid_t, const Account*> sorted;
  for (const auto& [pid, account] : accounts_) sorted[pid] = &account;
  stats.connections = static_cast<uint32_t>(connections_.size());
  for (const auto& [pid, account] : sorted) {
    if (stats.accounts.size() >= kMaxStatsAccounts) continue;
    stats.accounts.push_back(AccountUsage{pid, account->uid,
                                          account->connections,
                                          account->buffers, account->bytes});
  }
  return stats;
}

}  // namespace gralloc::service
