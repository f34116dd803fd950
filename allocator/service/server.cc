// Copyright 2026 The gralloc for Linux Authors.

#include "allocator/service/server.h"

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <limits>
#include <system_error>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "hal/base/status_macros.h"
#include "hal/descriptor/descriptor.h"
#include "hal/format/format_table.h"
#include "hal/handle/buffer_handle.h"

namespace gralloc::service {
namespace {

// Connections refused at connect time that wait for their first request
// (to be told why); beyond this they are closed at once.
constexpr size_t kMaxRefusedPending = 16;
constexpr int kMaxAcceptBackoffMs = 1000;

// epoll_data.u64 of the fds that are not connections. A connection's is its
// serial, from kFirstSerial up and never reused: an event still pending for
// a connection that was closed cannot reach a new one that got its fd
// number.
constexpr uint64_t kListenerTag = 1;
constexpr uint64_t kWakeTag = 2;
constexpr uint64_t kTimerTag = 3;
constexpr uint64_t kWatchTag = 4;
// Tokens a charge has between Commit() and its memory watch (no watch
// descriptor, a positive int, is this large).
constexpr uint64_t kProvisionalToken = uint64_t{1} << 62;
constexpr uint64_t kStopTag = 5;
constexpr uint64_t kFirstSerial = 16;

// How many requests of one connection a worker serves in a row, while
// they are already waiting, before it lets any worker take the next.
constexpr int kRequestsInARow = 16;

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
// spent, in the common case. The reserved region is charged in full: the
// metadata buffer holds it.
uint64_t EstimatedBytes(const BufferDescriptorInfo& descriptor) {
  if (!ValidateDescriptor(descriptor).ok()) return 0;
  const FormatInfo* format = FindFormat(descriptor.format);
  if (format == nullptr) return 0;
  absl::StatusOr<uint64_t> bytes = EstimateMinimumSizeBytes(
      *format, descriptor.width, descriptor.height, descriptor.layer_count);
  return (bytes.ok() ? *bytes : 0) +
         static_cast<uint64_t>(std::max<int64_t>(0, descriptor.reserved_size));
}

void Signal(int eventfd) {
  const uint64_t one = 1;
  // Async-signal-safe; a full counter (impossible in practice) still wakes.
  (void)!write(eventfd, &one, sizeof(one));
}

}  // namespace

absl::StatusOr<std::unique_ptr<Server>> Server::Create(
    ServerOptions options, std::unique_ptr<AllocatorApi> allocator) {
  if (allocator == nullptr) {
    return absl::InvalidArgumentError("no allocator");
  }
  if (options.workers < 1 || options.workers > 256) {
    return absl::InvalidArgumentError("workers must be in 1..256");
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
  // Nobody may connect before the mode and owner are right.
  const mode_t old_umask = umask(0777);
  int bind_error = Bind(listener.get(), options.socket_path);
  if (bind_error == EADDRINUSE) {
    // A socket file is there. If a service answers, it is not ours to take
    // over; if nobody does, it was left by a service that died.
    if (ConnectSeqpacket(options.socket_path).ok()) {
      umask(old_umask);
      return absl::FailedPreconditionError(absl::StrCat(
          "another allocator service is serving ", options.socket_path));
    }
    struct stat st;
    if (lstat(options.socket_path.c_str(), &st) == 0 && !S_ISSOCK(st.st_mode)) {
      umask(old_umask);
      return absl::FailedPreconditionError(
          absl::StrCat(options.socket_path, " exists and is not a socket"));
    }
    unlink(options.socket_path.c_str());
    bind_error = Bind(listener.get(), options.socket_path);
  }
  umask(old_umask);
  if (bind_error != 0) {
    return ErrnoStatus(bind_error, absl::StrCat("bind ", options.socket_path));
  }
  struct stat st;
  if (stat(options.socket_path.c_str(), &st) != 0) {
    return ErrnoStatus(absl::StrCat("stat ", options.socket_path));
  }
  if ((options.socket_uid >= 0 || options.socket_gid >= 0) &&
      chown(options.socket_path.c_str(), static_cast<uid_t>(options.socket_uid),
            static_cast<gid_t>(options.socket_gid)) != 0) {
    return ErrnoStatus(absl::StrCat("chown ", options.socket_path));
  }
  if (chmod(options.socket_path.c_str(),
            static_cast<mode_t>(options.socket_mode)) != 0) {
    return ErrnoStatus(absl::StrCat("chmod ", options.socket_path));
  }
  if (listen(listener.get(), 128) != 0) return ErrnoStatus("listen");
  absl::StatusOr<MemoryWatch> watch = MemoryWatch::Create(options.max_watches);
  std::optional<MemoryWatch> watching;
  if (watch.ok()) {
    watching = std::move(*watch);
  } else {
    RateLimitedLog(1, 1).Line(absl::StrCat(
        "cannot watch buffers' memory (", watch.status().message(),
        "; the kernel needs CONFIG_INOTIFY_USER): a client's charge for a "
        "buffer ends when it releases the buffer or disconnects"));
  }
  // Found here, from the caller's working directory: the workers, which
  // answer MAPPER_LIBRARY, work from their fd directory (Work()).
  if (options.mapper_library.empty()) {
    absl::StatusOr<std::string> library = allocator->MapperLibrary();
    if (library.ok()) options.mapper_library = *std::move(library);
  }
  std::unique_ptr<Server> server(
      new Server(std::move(options), std::move(allocator), std::move(listener),
                 st.st_ino, std::move(watching)));
  RETURN_IF_ERROR(server->StartLoop());
  return server;
}

Server::Server(ServerOptions options, std::unique_ptr<AllocatorApi> allocator,
               UniqueFd listener, ino_t socket_inode,
               std::optional<MemoryWatch> watch)
    : options_(std::move(options)),
      allocator_(std::move(allocator)),
      service_uid_(geteuid()),
      listener_(std::move(listener)),
      socket_inode_(socket_inode),
      watch_(std::move(watch)),
      ledger_(options_.limits, /*charges_follow_memory=*/watch_.has_value()),
      log_(options_.log_per_second, options_.log_burst),
      next_serial_(kFirstSerial) {}

absl::Status Server::StartLoop() {
  epoll_ = UniqueFd(epoll_create1(EPOLL_CLOEXEC));
  if (!epoll_) return ErrnoStatus("epoll_create1");
  wake_ = UniqueFd(eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
  if (!wake_) return ErrnoStatus("eventfd");
  timer_ =
      UniqueFd(timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK));
  if (!timer_) return ErrnoStatus("timerfd_create");
  requests_ = UniqueFd(epoll_create1(EPOLL_CLOEXEC));
  if (!requests_) return ErrnoStatus("epoll_create1");
  workers_stop_ = UniqueFd(eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
  if (!workers_stop_) return ErrnoStatus("eventfd");
  {
    // Level-triggered: once signalled, every worker's epoll_wait sees it.
    epoll_event event{};
    event.events = EPOLLIN;
    event.data.u64 = kStopTag;
    if (epoll_ctl(requests_.get(), EPOLL_CTL_ADD, workers_stop_.get(),
                  &event) != 0) {
      return ErrnoStatus("epoll_ctl(ADD) of the workers' stop fd");
    }
  }
  std::vector<std::pair<int, uint64_t>> fds = {{listener_.get(), kListenerTag},
                                               {wake_.get(), kWakeTag},
                                               {timer_.get(), kTimerTag}};
  if (watch_) fds.emplace_back(watch_->fd(), kWatchTag);
  for (const auto& [fd, tag] : fds) {
    epoll_event event{};
    event.events = EPOLLIN;
    event.data.u64 = tag;
    if (epoll_ctl(epoll_.get(), EPOLL_CTL_ADD, fd, &event) != 0) {
      return ErrnoStatus("epoll_ctl(ADD)");
    }
  }
  // Every thread the service will ever run, now: a service that could not
  // get one later would have to refuse work it had accepted.
  if (options_.pool.budget_bytes > 0) {
    PoolOptions pool = options_.pool;
    if (!pool.log) pool.log = [this](absl::string_view line) { Log(line); };
    // The pool starts its buffers' memory watches when it makes them, so
    // a request that takes one walks no /proc path for them.
    if (watch_ && !pool.prepare) {
      pool.prepare = [this](const AllocatedBuffer& buffer) {
        return WatchPooled(buffer);
      };
    }
    ASSIGN_OR_RETURN(pool_, Pool::Create(std::move(pool), allocator_.get()));
  }
  for (int i = 0; i < options_.workers; ++i) {
    try {
      workers_.emplace_back([this] { Work(); });
    } catch (const std::system_error& error) {
      return absl::ResourceExhaustedError(
          absl::StrCat("cannot start worker thread ", i + 1, " of ",
                       options_.workers, ": ", error.what()));
    }
  }
  return absl::OkStatus();
}

Server::~Server() {
  Stop();
  StopWorkers();
  pool_.reset();  // its thread uses members declared after it
  CloseAll();
  log_.Flush();
  // Remove the socket file only if it is still the one this server bound:
  // a newer service may have replaced it.
  struct stat st;
  if (stat(options_.socket_path.c_str(), &st) == 0 &&
      st.st_ino == socket_inode_) {
    unlink(options_.socket_path.c_str());
  }
}

void Server::Stop() {
  stopping_.store(true);
  Signal(wake_.get());
}

absl::Status Server::Run(int stop_fd) {
  if (stop_fd >= 0) {
    epoll_event event{};
    event.events = EPOLLIN;
    event.data.u64 = kStopTag;
    if (epoll_ctl(epoll_.get(), EPOLL_CTL_ADD, stop_fd, &event) != 0) {
      return ErrnoStatus("epoll_ctl(ADD) of the stop fd");
    }
  }
  epoll_event events[64];
  while (!stopping_.load()) {
    const int ready = epoll_wait(epoll_.get(), events, 64, -1);
    if (ready < 0) {
      if (errno == EINTR) continue;
      return ErrnoStatus("epoll_wait");
    }
    for (int i = 0; i < ready && !stopping_.load(); ++i) {
      switch (events[i].data.u64) {
        case kListenerTag:
          Accept();
          break;
        case kWakeTag: {
          uint64_t count;
          (void)!read(wake_.get(), &count, sizeof(count));
          Finished();
          break;
        }
        case kTimerTag: {
          uint64_t expirations;
          (void)!read(timer_.get(), &expirations, sizeof(expirations));
          ResumeAccepting();
          break;
        }
        case kWatchTag:
          // At once, not batched: settling a pile of closes at a time
          // holds the ledger in bursts that show in the clients' p99
          // (bench/PROFILE.md).
          SettleCharges();
          break;
        case kStopTag:
          if (StopSignalled(stop_fd)) stopping_.store(true);
          break;
        default:
          break;
      }
    }
  }
  // Let the requests in flight finish, then close everything.
  StopWorkers();
  CloseAll();
  return absl::OkStatus();
}

bool Server::StopSignalled(int stop_fd) {
  signalfd_siginfo info;
  const ssize_t n = read(stop_fd, &info, sizeof(info));
  if (n != static_cast<ssize_t>(sizeof(info)) || info.ssi_signo != SIGUSR1) {
    return true;
  }
  const uint64_t dropped = pool_ ? pool_->Drain("SIGUSR1") : 0;
  Log(absl::StrCat("SIGUSR1: the pool dropped ", dropped, " buffers"));
  return false;
}

void Server::ArmListener(uint32_t events) {
  epoll_event event{};
  event.events = events;
  event.data.u64 = kListenerTag;
  (void)epoll_ctl(epoll_.get(), EPOLL_CTL_MOD, listener_.get(), &event);
}

void Server::Accept() {
  for (;;) {
    UniqueFd socket(accept4(listener_.get(), nullptr, nullptr,
                            SOCK_CLOEXEC | SOCK_NONBLOCK));
    if (!socket) {
      if (errno == EINTR || errno == ECONNABORTED) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) return;
      // Out of fds or memory (EMFILE, ENFILE, ENOBUFS, ENOMEM): the
      // pending connections stay in the backlog until there is room.
      PauseAccepting(errno);
      return;
    }
    absl::StatusOr<PeerCredentials> peer = ReadPeerCredentials(socket.get());
    if (!peer.ok()) continue;  // the peer is already gone
    auto connection = std::make_shared<Connection>();
    connection->peer = *peer;
    connection->privileged = IsPrivileged(options_.access, *peer, service_uid_);
    connection->refusal =
        CheckAccess(options_.access, connection->peer, service_uid_);
    if (connection->refusal.ok()) {
      absl::StatusOr<uint64_t> id = ledger_.Connect(
          Peer{peer->pid, peer->uid, connection->privileged, peer->start_time});
      if (id.ok()) {
        connection->ledger_id = *id;
      } else {
        connection->refusal = id.status();
      }
    }
    if (!connection->refusal.ok()) {
      Refuse(*connection, "a connection", connection->refusal);
      // Told why on its first request, unless too many wait for that.
      if (refused_pending_ >= kMaxRefusedPending) continue;
      ++refused_pending_;
    }
    accept_backoff_ms_ = 0;
    connection->socket = std::move(socket);
    const uint64_t serial = next_serial_++;
    connection->serial = serial;
    Connection& added = *connection;
    {
      // In the map before a worker can get its first event.
      MutexLock lock(&connections_mu_);
      connections_[serial] = std::move(connection);
    }
    ArmConnection(added, /*add=*/true);
  }
}

void Server::SettleCharges() {
  if (!watch_) return;
  MutexLock lock(&settle_mu_);
  for (uint64_t token : watch_->Collect()) ledger_.MemoryGone(token);
  if (watch_->TakeLostEvents()) RecoverLostEvents();
}

void Server::RecoverLostEvents() {
  // The kernel's queue was full and dropped events: some memory went
  // unreported. The charges' tokens first, then the kernel's list of
  // watches, so that every token asked about was a watch before the list
  // was read (memory_watch.h).
  const std::vector<uint64_t> tokens = ledger_.ChargeTokens();
  absl::StatusOr<std::vector<uint64_t>> gone = watch_->Gone(tokens);
  if (!gone.ok()) {
    Log(
        absl::StrCat("inotify queue overflowed, and the watches cannot be "
                     "listed (",
                     gone.status().message(),
                     "): some charges may outlive their memory until the "
                     "service restarts"));
    return;
  }
  for (uint64_t token : *gone) ledger_.MemoryGone(token);
  ++overflows_;
  // Once, then every 100th: a service this starved is slow enough.
  if (overflows_ == 1 || overflows_ % 100 == 0) {
    Log(absl::StrCat(
        "inotify queue overflowed (", overflows_,
        " times so far; raise fs.inotify.max_queued_events, now ",
        MemoryWatch::KernelQueueLimit(), "): ", gone->size(),
        " charges whose memory went meanwhile ended from the kernel's list "
        "of watches; a dma-buf's release that was dropped keeps its charge "
        "until the service restarts"));
  }
}

void Server::PauseAccepting(int error) {
  accept_backoff_ms_ =
      std::min(kMaxAcceptBackoffMs, std::max(100, accept_backoff_ms_ * 2));
  size_t open = 0;
  {
    MutexLock lock(&connections_mu_);
    open = connections_.size();
  }
  Log(absl::StrCat("accept: ", std::strerror(error), "; not accepting for ",
                   accept_backoff_ms_, " ms (", open, " connections open)"));
  ArmListener(0);
  itimerspec when{};
  when.it_value.tv_sec = accept_backoff_ms_ / 1000;
  when.it_value.tv_nsec = (accept_backoff_ms_ % 1000) * 1000000L;
  timerfd_settime(timer_.get(), 0, &when, nullptr);
}

void Server::ResumeAccepting() { ArmListener(EPOLLIN); }

Server::Served Server::Serve(Connection& connection, AfterReply* after) {
  const int fd = connection.socket.get();
  absl::StatusOr<Datagram> datagram = ReceiveDatagram(fd);
  if (!datagram.ok()) {
    // EAGAIN: nothing waits, keep the connection; anything else (closed,
    // reset) ends it.
    return absl::IsDeadlineExceeded(datagram.status()) ? Served::kNothing
                                                       : Served::kEnd;
  }
  if (!connection.refusal.ok()) {
    // Answer the first request with the refusal, then hang up.
    FrameHeader header;
    absl::Span<const uint8_t> payload;
    if (DecodeFrame(datagram->bytes, datagram->fds.size(), &header, &payload)
            .ok() &&
        !header.is_reply) {
      const std::vector<uint8_t> frame =
          EncodeFrame(header.type, /*is_reply=*/true, header.request_id,
                      EncodeErrorReply(connection.refusal), 0);
      (void)SendDatagram(fd, frame, {});
    }
    return Served::kEnd;
  }
  return Handle(connection, *datagram, after) ? Served::kRequest : Served::kEnd;
}

void Server::Finished() {
  std::vector<uint64_t> done;
  {
    MutexLock lock(&done_mu_);
    done.swap(done_);
  }
  for (uint64_t serial : done) Close(serial);
}

void Server::Close(uint64_t serial) {
  std::shared_ptr<Connection> connection;
  {
    MutexLock lock(&connections_mu_);
    auto it = connections_.find(serial);
    if (it == connections_.end()) return;
    connection = std::move(it->second);
    connections_.erase(it);
  }
  (void)epoll_ctl(requests_.get(), EPOLL_CTL_DEL, connection->socket.get(),
                  nullptr);
  if (connection->ledger_id != 0) {
    ledger_.Disconnect(connection->ledger_id);
  } else {
    --refused_pending_;
  }
  // The socket closes with the last reference (a worker may still hold
  // one only during shutdown).
}

void Server::CloseAll() {
  std::vector<uint64_t> serials;
  {
    MutexLock lock(&connections_mu_);
    for (const auto& [serial, connection] : connections_) {
      serials.push_back(serial);
    }
  }
  for (uint64_t serial : serials) Close(serial);
}

void Server::StopWorkers() {
  stopping_.store(true);
  Signal(workers_stop_.get());
  for (std::thread& worker : workers_) worker.join();
  workers_.clear();
}

void Server::ArmConnection(const Connection& connection, bool add) {
  epoll_event event{};
  event.events = EPOLLIN | EPOLLONESHOT;
  event.data.u64 = connection.serial;
  (void)epoll_ctl(requests_.get(), add ? EPOLL_CTL_ADD : EPOLL_CTL_MOD,
                  connection.socket.get(), &event);
}

void Server::Work() {
  // A worker adds each buffer's memory watches after its reply: from the
  // fd directory, each is a walk of one name (memory_watch.h).
  if (watch_.has_value()) {
    const absl::Status cwd = MemoryWatch::WatchFromThisThreadsFdDirectory();
    if (!cwd.ok()) {
      Log(absl::StrCat("a worker makes memory watches by whole paths: ",
                       cwd.message()));
    }
  }
  for (;;) {
    epoll_event event{};
    idle_workers_.fetch_add(1, std::memory_order_relaxed);
    const int ready = epoll_wait(requests_.get(), &event, 1, -1);
    idle_workers_.fetch_sub(1, std::memory_order_relaxed);
    if (ready < 0 && errno != EINTR) {
      Log(absl::StrCat("a worker stops: epoll_wait: ", std::strerror(errno)));
      return;
    }
    // Once stopping, requests not yet read are not started. (Signalling
    // again wakes the next worker still waiting.)
    if (stopping_.load()) {
      Signal(workers_stop_.get());
      return;
    }
    if (ready != 1 || event.data.u64 == kStopTag) continue;
    std::shared_ptr<Connection> connection;
    {
      MutexLock lock(&connections_mu_);
      auto it = connections_.find(event.data.u64);
      if (it == connections_.end()) continue;
      connection = it->second;
    }
    // Serves the connection, then its next requests while they are
    // already there (up to kRequestsInARow): a client's next request
    // often comes while this worker makes the last one's memory watches,
    // and serving it here costs no wake-up of another worker, which the
    // kernel may place on the client's own CPU (bench/PROFILE.md). The
    // look-ahead is the non-blocking receive itself, not a poll before it,
    // and only while another worker is idle: with every worker busy,
    // other connections may be waiting for one, and keeping this one
    // would put them behind up to 16 of its requests.
    bool keep = true;
    for (int served = 0; keep;) {
      AfterReply after;
      const Served result = Serve(*connection, &after);
      keep = result != Served::kEnd && !stopping_.load();
      // From here the buffers live in the client (the service's copies
      // of their fds close with `after`), and their memory watches tell
      // the ledger when they are gone.
      StartWatches(after.pending);
      if (result != Served::kRequest || ++served == kRequestsInARow ||
          idle_workers_.load(std::memory_order_relaxed) == 0) {
        break;
      }
    }
    if (keep) {
      // The worker's last use of the connection: from here the next
      // request may go to any worker.
      ArmConnection(*connection, /*add=*/false);
    } else {
      {
        MutexLock lock(&done_mu_);
        done_.push_back(connection->serial);
      }
      Signal(wake_.get());
    }
  }
}

void Server::Refuse(const Connection& connection, absl::string_view request,
                    const absl::Status& status) {
  if (connection.ledger_id != 0) ledger_.CountRefusal(connection.ledger_id);
  if (!options_.log_refusals) return;
  Log(absl::StrCat("refused ", request, " from pid ", connection.peer.pid,
                   " (uid ", connection.peer.uid,
                   "): ", absl::StatusCodeToString(status.code()), ": ",
                   status.message()));
}

void Server::Log(absl::string_view what) { log_.Line(what); }

void Server::Reply(Connection& connection, MessageType type,
                   uint64_t request_id, const std::vector<uint8_t>& payload,
                   absl::Span<const int> fds, bool* keep) {
  const std::vector<uint8_t> frame =
      EncodeFrame(type, /*is_reply=*/true, request_id, payload,
                  static_cast<uint32_t>(fds.size()));
  absl::Status sent = SendDatagram(connection.socket.get(), frame, fds);
  if (!sent.ok()) {
    // The client is gone, or does not read its replies (its receive queue
    // is full: DeadlineExceeded, the socket being non-blocking): end the
    // connection, which drops the records of anything it did not receive.
    if (!absl::IsUnavailable(sent)) {
      Refuse(connection, "the reply", sent);
    }
    *keep = false;
  }
}

bool Server::Handle(Connection& connection, Datagram& datagram,
                    AfterReply* after) {
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
  std::vector<NativeHandlePtr>& handles = after->handles;
  // Fills `reply` with an error (logged) or the encoded body.
  auto answer = [&](const absl::Status& status, auto encode) {
    if (!status.ok()) {
      Refuse(connection, request, status);
      reply = EncodeErrorReply(status);
    } else {
      reply = encode();
    }
  };
  switch (header.type) {
    case MessageType::kIsSupported: {
      absl::StatusOr<BufferDescriptorInfo> descriptor =
          DecodeRequest<BufferDescriptorInfo>(payload);
      absl::StatusOr<Verdict> supported =
          descriptor.ok() ? allocator_->IsSupported(*descriptor)
                          : absl::StatusOr<Verdict>(descriptor.status());
      answer(supported.status(),
             [&] { return EncodeAnswerReply(supported->refusal); });
      break;
    }
    case MessageType::kServes: {
      absl::StatusOr<Verdict> serves = Serves(connection, payload);
      answer(serves.status(),
             [&] { return EncodeAnswerReply(serves->refusal); });
      break;
    }
    case MessageType::kMapperLibrary: {
      absl::Status empty = DecodeEmptyRequest(payload);
      absl::StatusOr<std::string> path =
          !empty.ok() ? absl::StatusOr<std::string>(empty)
          : options_.mapper_library.empty()
              ? allocator_->MapperLibrary()
              : absl::StatusOr<std::string>(options_.mapper_library);
      answer(path.status(), [&] { return EncodeReply<std::string>(*path); });
      break;
    }
    case MessageType::kAllocate:
      reply = HandleAllocate(connection, payload, &handles, &after->pending);
      break;
    case MessageType::kRelease: {
      absl::StatusOr<std::vector<uint64_t>> ids =
          DecodeRequest<std::vector<uint64_t>>(payload);
      answer(ids.status(), [&] {
        return EncodeReply<uint32_t>(
            ledger_.Release(connection.ledger_id, *ids));
      });
      break;
    }
    case MessageType::kStats: {
      absl::Status empty = DecodeEmptyRequest(payload);
      answer(empty, [&] {
        SettleCharges();
        StatsReply stats = ledger_.Stats(connection.ledger_id);
        stats.pool = pool_stats();
        return EncodeReply(stats);
      });
      break;
    }
    case MessageType::kDrainPool: {
      absl::Status allowed = DecodeEmptyRequest(payload);
      if (allowed.ok() && !connection.privileged) {
        allowed = absl::PermissionDeniedError(absl::StrCat(
            "DRAIN_POOL is for privileged clients (root, the service's user, "
            "--admin-users, --admin-groups); uid ",
            connection.peer.uid, " is not one"));
      }
      answer(allowed, [&] {
        const uint64_t dropped =
            pool_ ? pool_->Drain(absl::StrCat("DRAIN_POOL from pid ",
                                              connection.peer.pid))
                  : 0;
        return EncodeReply<uint32_t>(static_cast<uint32_t>(
            std::min<uint64_t>(dropped, std::numeric_limits<uint32_t>::max())));
      });
      break;
    }
    case MessageType::kList: {
      absl::StatusOr<ListRequest> list = DecodeRequest<ListRequest>(payload);
      answer(list.status(), [&] {
        SettleCharges();
        return EncodeReply(ledger_.List(connection.ledger_id, *list));
      });
      break;
    }
  }
  std::vector<int> fds;
  for (const NativeHandlePtr& handle : handles) {
    fds.push_back(HandleBufferFd(handle.get()));
    fds.push_back(HandleMetadataFd(handle.get()));
  }
  Reply(connection, header.type, header.request_id, reply, fds, &keep);
  // The worker starts the buffers' memory watches next (even if the reply
  // failed: the charges end when the memory goes), then closes the
  // service's copies of the fds (`after`).
  return keep;
}

absl::StatusOr<PoolPrepared> Server::WatchPooled(
    const AllocatedBuffer& buffer) {
  const int pixels_fd = HandleBufferFd(buffer.handle.get());
  struct stat st;
  if (fstat(pixels_fd, &st) != 0) return ErrnoStatus("fstat of a new buffer");
  PoolPrepared prepared;
  ASSIGN_OR_RETURN(prepared.pixels_token, watch_->Watch(pixels_fd, &st));
  ASSIGN_OR_RETURN(prepared.metadata_token,
                   watch_->WatchMemfd(HandleMetadataFd(buffer.handle.get())));
  prepared.device = st.st_dev;
  prepared.inode = st.st_ino;
  return prepared;
}

void Server::StartWatches(const std::vector<PendingWatch>& pending) {
  if (pending.empty()) return;
  for (const PendingWatch& buffer : pending) {
    absl::StatusOr<uint64_t> pixels =
        watch_->Watch(buffer.pixels_fd, &buffer.pixels_stat);
    if (pixels.ok()) ledger_.Rekey(buffer.pixels_token, *pixels);
    absl::StatusOr<uint64_t> metadata = watch_->WatchMemfd(buffer.metadata_fd);
    if (metadata.ok()) ledger_.Rekey(buffer.metadata_token, *metadata);
    if (pixels.ok() && metadata.ok()) continue;
    ledger_.Unwatched(buffer.buffer_id,
                      pixels.ok() ? *pixels : buffer.pixels_token,
                      metadata.ok() ? *metadata : buffer.metadata_token);
    Log(absl::StrCat("BUFFER_ID 0x", absl::Hex(buffer.buffer_id),
                     ": its charges end with its record, since its memory "
                     "cannot be watched: ",
                     (pixels.ok() ? metadata : pixels).status().message()));
  }
  watch_->Unreserve(2 * pending.size());
}

absl::StatusOr<std::vector<Ledger::NewBuffer>> Server::Describe(
    const AllocateRequest& request, const Allocation& allocation,
    const std::vector<std::optional<PoolPrepared>>& prepared,
    std::vector<PendingWatch>* pending) {
  std::vector<Ledger::NewBuffer> buffers;
  for (size_t i = 0; i < allocation.buffers.size(); ++i) {
    const AllocatedBuffer& buffer = allocation.buffers[i];
    Ledger::NewBuffer record;
    PoolPrepared watched;
    if (i < prepared.size() && prepared[i].has_value()) {
      watched = *prepared[i];
    } else {
      PendingWatch later;
      later.buffer_id = buffer.info.buffer_id;
      later.pixels_fd = HandleBufferFd(buffer.handle.get());
      later.metadata_fd = HandleMetadataFd(buffer.handle.get());
      if (fstat(later.pixels_fd, &later.pixels_stat) != 0) {
        return ErrnoStatus("fstat of a new buffer");
      }
      // Provisional tokens (no watch descriptor is that large) with a
      // watch, until StartWatches(); without, they are the tokens.
      const uint64_t token =
          next_token_.fetch_add(2) | (watch_ ? kProvisionalToken : 0);
      watched.pixels_token = token;
      watched.metadata_token = token + 1;
      watched.device = later.pixels_stat.st_dev;
      watched.inode = later.pixels_stat.st_ino;
      if (watch_) {
        later.pixels_token = watched.pixels_token;
        later.metadata_token = watched.metadata_token;
        pending->push_back(later);
      }
    }
    record.pixels.token = watched.pixels_token;
    record.metadata.token = watched.metadata_token;
    const HandleInfo& info = buffer.info;
    record.pixels.bytes = info.allocation_size;
    record.metadata.bytes = info.metadata_size;
    ListEntry& entry = record.entry;
    entry.buffer_id = info.buffer_id;
    entry.heap = buffer.heap.name;
    entry.name = request.descriptor.name;
    entry.format = info.format_requested;
    entry.width = info.width;
    entry.height = info.height;
    entry.layer_count = info.layer_count;
    entry.usage = info.usage;
    entry.device = watched.device;
    entry.inode = watched.inode;
    record.info = info;
    record.heap = buffer.heap;
    buffers.push_back(std::move(record));
  }
  return buffers;
}

std::vector<uint8_t> Server::HandleAllocate(
    Connection& connection, absl::Span<const uint8_t> payload,
    std::vector<NativeHandlePtr>* handles, std::vector<PendingWatch>* pending) {
  absl::StatusOr<AllocateRequest> request =
      DecodeRequest<AllocateRequest>(payload);
  if (!request.ok()) {
    Refuse(connection, "ALLOCATE", request.status());
    return EncodeErrorReply(request.status());
  }
  const uint64_t count = static_cast<uint64_t>(request->count);
  // Reserve before allocating, so concurrent requests of one process or
  // user cannot overshoot a limit together.
  const uint64_t bytes = EstimatedBytes(request->descriptor) * count;
  absl::StatusOr<Ledger::Reservation> reservation =
      ledger_.Reserve(connection.ledger_id, count, bytes);
  if (absl::IsResourceExhausted(reservation.status()) && watch_) {
    // Memory freed since the loop last looked may make room.
    SettleCharges();
    reservation = ledger_.Reserve(connection.ledger_id, count, bytes);
  }
  if (!reservation.ok()) {
    Refuse(connection, "ALLOCATE", reservation.status());
    return EncodeErrorReply(reservation.status());
  }
  std::vector<std::optional<PoolPrepared>> prepared;
  absl::StatusOr<Allocation> allocation =
      AllocateBuffers(request->descriptor, request->count, &prepared);
  absl::Status status = allocation.status();
  absl::StatusOr<std::vector<Ledger::NewBuffer>> buffers =
      status.ok() ? Describe(*request, *allocation, prepared, pending)
                  : absl::StatusOr<std::vector<Ledger::NewBuffer>>(status);
  // Room for the watches StartWatches() will make, or a refusal now.
  uint64_t watches = 0;
  if (buffers.ok() && !pending->empty()) {
    absl::Status room = watch_->Reserve(2 * pending->size());
    if (room.ok()) {
      watches = 2 * pending->size();
    } else {
      buffers = room;
    }
  }
  if (buffers.ok()) {
    status = ledger_.Commit(*reservation, std::move(*buffers));
  } else {
    status = buffers.status();
    ledger_.Cancel(*reservation);
  }
  if (!status.ok()) {
    pending->clear();
    if (watches > 0) watch_->Unreserve(watches);
    // A failed allocation frees whatever it made with `allocation`.
    Refuse(connection, "ALLOCATE", status);
    return EncodeErrorReply(status);
  }
  AllocateReply reply;
  reply.layout = allocation->layout;
  for (AllocatedBuffer& buffer : allocation->buffers) {
    if (!buffer.exhausted.empty() && options_.log_refusals) {
      Log(absl::StrCat("heap fallback for pid ", connection.peer.pid, ": ",
                       absl::StrJoin(buffer.exhausted, "; "), "; ",
                       buffer.heap.ToString(), " served BUFFER_ID 0x",
                       absl::Hex(buffer.info.buffer_id)));
    }
    const native_handle_t* handle = buffer.handle.get();
    reply.buffers.push_back(AllocateReply::Buffer{
        buffer.heap,
        std::vector<int32_t>(&handle->data[handle->numFds],
                             &handle->data[handle->numFds + handle->numInts])});
    handles->push_back(std::move(buffer.handle));
  }
  return EncodeAllocateReply(reply);
}

absl::StatusOr<Allocation> Server::AllocateBuffers(
    const BufferDescriptorInfo& descriptor, int32_t count,
    std::vector<std::optional<PoolPrepared>>* prepared) {
  if (!pool_) return allocator_->Allocate(descriptor, count);
  Allocation taken = pool_->Take(descriptor, count, prepared);
  const int32_t more = count - static_cast<int32_t>(taken.buffers.size());
  if (more == 0 && count > 0) return taken;
  // Also when count is 0: the allocator checks the description.
  ASSIGN_OR_RETURN(Allocation fresh, allocator_->Allocate(descriptor, more));
  pool_->Remember(descriptor, count);
  for (AllocatedBuffer& buffer : fresh.buffers) {
    taken.buffers.push_back(std::move(buffer));
  }
  taken.layout = fresh.layout;
  return taken;
}

absl::StatusOr<Verdict> Server::Serves(const Connection& connection,
                                       absl::Span<const uint8_t> payload) {
  ASSIGN_OR_RETURN(const ServesRequest request,
                   DecodeRequest<ServesRequest>(payload));
  if (!request.handle_ints.empty()) {
    ASSIGN_OR_RETURN(const HandleInfo buffer,
                     DecodeHandleInts(request.handle_ints));
    return allocator_->Serves(buffer, nullptr, request.additional_usage);
  }
  // The service's own record: the heap is known by name too.
  ASSIGN_OR_RETURN(const Ledger::Found record,
                   ledger_.Find(connection.ledger_id, request.buffer_id));
  return allocator_->Serves(record.info, &record.heap,
                            request.additional_usage);
}

StatsReply Server::Snapshot() {
  SettleCharges();
  StatsReply stats = ledger_.Snapshot();
  stats.pool = pool_stats();
  return stats;
}

PoolStats Server::pool_stats() const {
  if (!pool_) return PoolStats{};
  return pool_->Stats();
}

}  // namespace gralloc::service
