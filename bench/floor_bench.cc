// Copyright 2026 The gralloc for Linux Authors.
//
// The floors: what the kernel alone costs for the work each path does.
//
//   FloorAlloc        Backend::RawAllocate + close (bench/backends.h)
//   FloorAllocEager   memfd only: with fallocate, populated like a heap's
//   FloorAllocOnly    the allocation alone, populated (RawAllocate; on
//                     memfd with fallocate), the close not timed: the
//                     floor of an allocation the pool serves
//   FloorRoundTrip    a request and a reply with two fds attached, over a
//                     SOCK_SEQPACKET socketpair to a forked echo process,
//                     waited for as the client waits (spinning first,
//                     service::AwaitDatagram), and closing the two fds: the
//                     kernel's floor for one exchange with the service,
//                     whatever it computes
//   FloorRoundTrip4   the same from 4 threads at once, each with its own
//                     echo process: the kernel's own tail for Service4
//                     (percentiles over every thread's samples)
//   FloorServiceAlloc FloorAllocPair's allocation made by a forked process
//                     per request, its two fds sent back over the
//                     socketpair and closed there, then closed by the
//                     client: the kernel's whole part of Service (another
//                     process allocates, and the client's close frees), and
//                     none of the service's own work
//   FloorAllocPair    RawAllocate, DMA_BUF_SET_NAME on a dma-buf (the
//                     allocator names every buffer), and a metadata memfd
//                     (memfd_create, ftruncate to the metadata size, the
//                     allocator's seals), both closed: the kernel work of
//                     Allocate without any of its own
//   FloorImport       what importBuffer + freeBuffer ask of the kernel,
//                     alone: a dup of each fd (the import owns its fds),
//                     fstat of both and the metadata's seals (validation),
//                     mmap of both, then munmap and close of both
//   FloorMap          mmap + munmap of the pixel fd, then of the metadata
//                     fd, of one allocated buffer: importBuffer maps both
//                     (and unmaps both at freeBuffer), so both are its floor
//   FloorSync<V>      DMA_BUF_IOCTL_SYNC START + END with the variant's
//                     directions on the pixel fd of the buffer the Lock<V>
//                     rows then lock (SharedSyncBuffer): what lock +
//                     unlock must do. A memfd has no such ioctl (ENOTTY;
//                     the mapper skips it), so there the floor is 0 and the
//                     row says so as a skip.
//   FloorFirstWrite   RawAllocate, mmap, SYNC START (dma-buf), memset of
//                     every byte, SYNC END, munmap, close
//   FloorFirstWritePair  FloorFirstWrite with the kernel work a gralloc
//                     handle adds, and none of our own: FloorAllocPair's
//                     allocation, FloorImport's dups and checks, the
//                     metadata mapped and its header's page faulted in (the
//                     first importer writes it), the pixels mapped, synced,
//                     written and synced, both unmapped, all four fds closed

#include <fcntl.h>
#include <linux/dma-buf.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>

#include "absl/strings/str_cat.h"
#include "allocator/client/service_client.h"
#include "allocator/service/seqpacket.h"
#include "bench/suite.h"
#include "hal/base/status_macros.h"
#include "hal/handle/buffer_handle.h"

namespace gralloc::bench {
namespace {

// A buffer's two fds: its pixels and its metadata.
struct FdPair {
  UniqueFd pixels;
  UniqueFd metadata;
};

// The kernel's part of Allocate: the raw call, DMA_BUF_SET_NAME on a dma-buf
// (the allocator names every buffer) and a metadata memfd sized and sealed
// as the allocator seals it.
absl::StatusOr<FdPair> AllocatePair(const BenchCase& c) {
  FdPair pair;
  ASSIGN_OR_RETURN(pair.pixels, c.backend->RawAllocate(c.pixel_bytes));
  if (c.backend->is_dma_buf() &&
      ioctl(pair.pixels.get(), DMA_BUF_SET_NAME, "bench") != 0) {
    return ErrnoStatus("DMA_BUF_SET_NAME");
  }
  pair.metadata.reset(
      memfd_create("gralloc-md:bench", MFD_CLOEXEC | MFD_ALLOW_SEALING));
  if (!pair.metadata.valid()) return ErrnoStatus("memfd_create");
  if (ftruncate(pair.metadata.get(), static_cast<off_t>(c.metadata_bytes)) !=
      0) {
    return ErrnoStatus("ftruncate");
  }
  if (fcntl(pair.metadata.get(), F_ADD_SEALS,
            F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL) != 0) {
    return ErrnoStatus("F_ADD_SEALS");
  }
  return pair;
}

// Sends 64 bytes of `buffer` with `count` fds (at most 2). Only
// async-signal-safe calls: the echo process is forked from a threaded
// process. False when sendmsg fails.
bool SendWithFds(int socket, char* buffer, const int* fds, int count) {
  alignas(cmsghdr) char control[CMSG_SPACE(2 * sizeof(int))] = {};
  iovec iov{buffer, 64};
  msghdr msg{};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  if (count > 0) {
    msg.msg_control = control;
    msg.msg_controllen = CMSG_SPACE(count * sizeof(int));
    cmsghdr* cmsg = CMSG_FIRSTHDR(&msg);
    cmsg->cmsg_level = SOL_SOCKET;
    cmsg->cmsg_type = SCM_RIGHTS;
    cmsg->cmsg_len = CMSG_LEN(count * sizeof(int));
    std::memcpy(CMSG_DATA(cmsg), fds, count * sizeof(int));
  }
  return sendmsg(socket, &msg, MSG_NOSIGNAL) >= 0;
}

// Receives one datagram into `buffer`; false once the socket has closed
// (or failed).
bool ReceiveRequest(int socket, char* buffer, size_t size) {
  for (;;) {
    const ssize_t n = recv(socket, buffer, size, 0);
    if (n > 0) return true;
    if (n < 0 && errno == EINTR) continue;
    return false;
  }
}

// The echo process: answers each datagram with 64 bytes and two fds (its
// stdin, twice), until the socket closes. Only async-signal-safe calls (so
// not service::SendDatagram, which allocates): it is forked from a
// threaded process.
[[noreturn]] void Echo(int socket) {
  char buffer[256];
  const int fds[2] = {0, 0};
  while (ReceiveRequest(socket, buffer, sizeof(buffer))) {
    if (!SendWithFds(socket, buffer, fds, 2)) _exit(1);
  }
  _exit(0);
}

// FloorServiceAlloc's allocating process: answers each datagram with a new
// FdPair (no fds when the allocation fails), and closes its own copies, so
// the client's close is the last. It allocates memory, though forked from
// a process that may have threads (TSan's own, at least): glibc's fork
// leaves malloc usable in the child, and AllocatePair takes no other lock.
[[noreturn]] void AllocateForever(int socket, const BenchCase& c) {
  char buffer[256];
  while (ReceiveRequest(socket, buffer, sizeof(buffer))) {
    absl::StatusOr<FdPair> pair = AllocatePair(c);
    int fds[2] = {-1, -1};
    if (pair.ok()) {
      fds[0] = pair->pixels.get();
      fds[1] = pair->metadata.get();
    }
    // The reply's first byte: the allocation's status code.
    buffer[0] = static_cast<char>(pair.status().code());
    if (!SendWithFds(socket, buffer, fds, pair.ok() ? 2 : 0)) _exit(1);
  }
  _exit(0);
}

// One exchange, with the client's own datagram code and its own way of
// waiting for the reply (ServiceClientOptions::reply_spin_us): 64 bytes
// out; 64 bytes and two fds back, closed.
absl::Status RoundTrip(int socket) {
  static const int64_t spin_ns = ReplySpinNs(ServiceClientOptions{});
  const uint8_t request[64] = {};
  RETURN_IF_ERROR(service::SendDatagram(socket, request, {}));
  ASSIGN_OR_RETURN(service::Datagram reply,
                   service::AwaitDatagram(socket, spin_ns));
  if (reply.fds.size() != 2) {
    // AllocateForever's failure (a full CMA area) says why in its first
    // byte; the echo never fails.
    const auto code = reply.bytes.empty()
                          ? absl::StatusCode::kInternal
                          : static_cast<absl::StatusCode>(reply.bytes[0]);
    return absl::Status(
        code == absl::StatusCode::kOk ? absl::StatusCode::kInternal : code,
        "the forked process sent no fds");
  }
  return absl::OkStatus();  // the fds close with `reply`
}

// A forked echo process on one end of a socketpair; the other end is
// socket(). Stops the process when destroyed.
class EchoProcess final {
 public:
  static absl::StatusOr<std::unique_ptr<EchoProcess>> Start() {
    return Start(nullptr);
  }
  // A forked process on the other end of the socketpair: the echo, or,
  // with `allocate_for`, AllocateForever for that case.
  static absl::StatusOr<std::unique_ptr<EchoProcess>> Start(
      const BenchCase* allocate_for) {
    int sockets[2];
    if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sockets) != 0) {
      return ErrnoStatus("socketpair");
    }
    const pid_t child = fork();
    if (child == 0 && allocate_for != nullptr) {
      // Keeps the backend's device fds.
      close(sockets[0]);
      AllocateForever(sockets[1], *allocate_for);
    }
    if (child == 0) {
      // Only its own socket (as fd 3) and stdin: an echo process forked
      // by another thread at the same time must not hold this one's
      // socket open, or this one would never see it close.
      if (dup2(sockets[1], 3) != 3) _exit(1);
      close_range(4, ~0U, 0);
      Echo(3);
    }
    close(sockets[1]);
    if (child < 0) {
      close(sockets[0]);
      return ErrnoStatus("fork");
    }
    return std::unique_ptr<EchoProcess>(new EchoProcess(sockets[0], child));
  }
  EchoProcess(const EchoProcess&) = delete;
  EchoProcess& operator=(const EchoProcess&) = delete;
  ~EchoProcess() {
    socket_.reset();  // the echo process exits
    int status = 0;
    while (waitpid(child_, &status, 0) < 0 && errno == EINTR) {
    }
  }
  int socket() const { return socket_.get(); }

 private:
  EchoProcess(int socket, pid_t child) : socket_(socket), child_(child) {}
  UniqueFd socket_;
  const pid_t child_;
};

constexpr int kEchoClients = 4;

// One of FloorRoundTrip4's threads, each with its own echo process.
void RunRoundTrip4(benchmark::State& state, const BenchCase& c,
                   ThreadSamples& samples) {
  absl::StatusOr<std::unique_ptr<EchoProcess>> echo = EchoProcess::Start();
  RunTimedThread(state, c, samples,
                 echo.ok() ? std::string() : RowError(echo.status()),
                 [&] { return RoundTrip((*echo)->socket()); });
}

// What importBuffer asks of the kernel before it maps: its own dup of each
// fd, fstat of both, the metadata memfd's seals.
absl::StatusOr<FdPair> DupAndCheck(int pixels, int metadata) {
  FdPair pair;
  pair.pixels.reset(fcntl(pixels, F_DUPFD_CLOEXEC, 0));
  if (!pair.pixels.valid()) return ErrnoStatus("dup");
  pair.metadata.reset(fcntl(metadata, F_DUPFD_CLOEXEC, 0));
  if (!pair.metadata.valid()) return ErrnoStatus("dup");
  struct stat st {};
  if (fstat(pair.pixels.get(), &st) != 0 ||
      fstat(pair.metadata.get(), &st) != 0) {
    return ErrnoStatus("fstat");
  }
  if (fcntl(pair.metadata.get(), F_GET_SEALS) < 0) {
    return ErrnoStatus("F_GET_SEALS");
  }
  return pair;
}

// Maps the pixel fd, writes every byte of it as a CPU writer must (between
// DMA_BUF_IOCTL_SYNC START and END on a dma-buf), and unmaps it: the part
// of a first write after the allocation.
absl::Status MapAndWriteEveryByte(const BenchCase& c, int pixel_fd) {
  const bool dma_buf = c.backend->is_dma_buf();
  ASSIGN_OR_RETURN(Mapping pixels, Mapping::Map(pixel_fd, c.pixel_bytes));
  if (dma_buf) {
    RETURN_IF_ERROR(
        SyncDmaBuf(pixel_fd, DMA_BUF_SYNC_START | DMA_BUF_SYNC_WRITE));
  }
  std::memset(pixels.data(), 0xa5, c.pixel_bytes);
  benchmark::ClobberMemory();
  if (dma_buf) {
    RETURN_IF_ERROR(
        SyncDmaBuf(pixel_fd, DMA_BUF_SYNC_END | DMA_BUF_SYNC_WRITE));
  }
  return absl::OkStatus();
}

}  // namespace

void RegisterFloorRows(const Suite& suite, const BenchCase& bench_case) {
  const BenchCase* c = &bench_case;
  RegisterRow(suite, "FloorAlloc", bench_case, [c](benchmark::State& state) {
    RunTimed(state, *c, [c]() { return FloorAllocOnce(*c); });
  });

  RegisterRow(
      suite, "FloorAllocPair", bench_case, [c](benchmark::State& state) {
        RunTimed(state, *c,
                 [c]() -> absl::Status { return AllocatePair(*c).status(); });
      });

  if (!c->backend->is_dma_buf()) {
    RegisterRow(suite, "FloorAllocEager", bench_case,
                [c](benchmark::State& state) {
                  RunTimed(state, *c, [c]() -> absl::Status {
                    ASSIGN_OR_RETURN(UniqueFd fd,
                                     RawAllocateMemfdEager(c->pixel_bytes));
                    return absl::OkStatus();
                  });
                });
  }

  RegisterRow(
      suite, "FloorAllocOnly", bench_case, [c](benchmark::State& state) {
        LatencySamples samples;
        samples.Reserve(static_cast<size_t>(state.max_iterations));
        for (auto _ : state) {
          const int64_t start_ns = NowNs();
          absl::StatusOr<UniqueFd> fd =
              c->backend->is_dma_buf() ? c->backend->RawAllocate(c->pixel_bytes)
                                       : RawAllocateMemfdEager(c->pixel_bytes);
          const int64_t end_ns = NowNs();
          if (!fd.ok()) {
            state.SkipWithError(RowError(fd.status()).c_str());
            break;
          }
          samples.Add(end_ns - start_ns);
        }  // each fd closes here, untimed
        ReportLatency(state, samples, c->pixel_bytes);
      });

  RegisterRow(
      suite, "FloorRoundTrip", bench_case, [c](benchmark::State& state) {
        absl::StatusOr<std::unique_ptr<EchoProcess>> echo =
            EchoProcess::Start();
        if (!echo.ok()) return SkipRow(state, RowError(echo.status()));
        RunTimed(state, *c, [&]() { return RoundTrip((*echo)->socket()); });
      });

  auto samples = std::make_shared<ThreadSamples>(kEchoClients);
  RegisterRow(suite, "FloorRoundTrip4", bench_case,
              [c, samples](benchmark::State& state) {
                RunRoundTrip4(state, *c, *samples);
              })
      ->Threads(kEchoClients);

  RegisterRow(
      suite, "FloorServiceAlloc", bench_case, [c](benchmark::State& state) {
        absl::StatusOr<std::unique_ptr<EchoProcess>> child =
            EchoProcess::Start(c);
        if (!child.ok()) return SkipRow(state, RowError(child.status()));
        RunTimed(state, *c, [&]() { return RoundTrip((*child)->socket()); });
      });

  RegisterRow(suite, "FloorMap", bench_case, [c](benchmark::State& state) {
    absl::StatusOr<Allocation> allocation =
        c->backend->allocator().Allocate(c->info, 1);
    if (!allocation.ok()) {
      return SkipRow(state, RowError(allocation.status()));
    }
    const native_handle_t* handle = allocation->buffers[0].handle.get();
    const int pixel_fd = HandleBufferFd(handle);
    const int metadata_fd = HandleMetadataFd(handle);
    RunTimed(state, *c, [&]() -> absl::Status {
      {
        ASSIGN_OR_RETURN(Mapping pixels,
                         Mapping::Map(pixel_fd, c->pixel_bytes));
      }
      ASSIGN_OR_RETURN(Mapping metadata,
                       Mapping::Map(metadata_fd, c->metadata_bytes));
      return absl::OkStatus();
    });
  });

  RegisterRow(suite, "FloorImport", bench_case, [c](benchmark::State& state) {
    absl::StatusOr<Allocation> allocation =
        c->backend->allocator().Allocate(c->info, 1);
    if (!allocation.ok()) {
      return SkipRow(state, RowError(allocation.status()));
    }
    const native_handle_t* handle = allocation->buffers[0].handle.get();
    const int raw[2] = {HandleBufferFd(handle), HandleMetadataFd(handle)};
    const size_t sizes[2] = {c->pixel_bytes, c->metadata_bytes};
    RunTimed(state, *c, [&]() -> absl::Status {
      ASSIGN_OR_RETURN(FdPair fds, DupAndCheck(raw[0], raw[1]));
      ASSIGN_OR_RETURN(Mapping metadata,
                       Mapping::Map(fds.metadata.get(), sizes[1]));
      ASSIGN_OR_RETURN(Mapping pixels,
                       Mapping::Map(fds.pixels.get(), sizes[0]));
      return absl::OkStatus();  // unmapped, then closed
    });
  });

  RegisterRow(suite, "FloorFirstWrite", bench_case,
              [c](benchmark::State& state) {
                RunTimed(state, *c, [c]() -> absl::Status {
                  ASSIGN_OR_RETURN(UniqueFd fd,
                                   c->backend->RawAllocate(c->pixel_bytes));
                  return MapAndWriteEveryByte(*c, fd.get());  // then closed
                });
              });

  RegisterRow(
      suite, "FloorFirstWritePair", bench_case, [c](benchmark::State& state) {
        RunTimed(state, *c, [c]() -> absl::Status {
          ASSIGN_OR_RETURN(FdPair allocated, AllocatePair(*c));
          ASSIGN_OR_RETURN(
              FdPair imported,
              DupAndCheck(allocated.pixels.get(), allocated.metadata.get()));
          ASSIGN_OR_RETURN(
              Mapping metadata,
              Mapping::Map(imported.metadata.get(), c->metadata_bytes));
          // The buffer's first importer writes the metadata header: the
          // fault that allocates its page.
          static_cast<volatile uint32_t*>(metadata.data())[0] = 1;
          // Then the metadata unmapped, the import's fds closed, then the
          // allocation's.
          return MapAndWriteEveryByte(*c, imported.pixels.get());
        });
      });
}

void RegisterSyncFloorRows(const Suite& suite, const BenchCase& bench_case) {
  const BenchCase* c = &bench_case;
  for (const LockVariant& variant : LockVariants()) {
    const LockVariant* v = &variant;
    RegisterRow(
        suite, absl::StrCat("FloorSync", variant.name), bench_case,
        [c, v](benchmark::State& state) {
          if (!c->backend->is_dma_buf()) {
            return SkipRow(
                state,
                absl::StrCat(kSkipPrefix, c->backend->name(),
                             " is not a dma-buf: DMA_BUF_IOCTL_SYNC is "
                             "ENOTTY and lock syncs nothing, so this floor "
                             "is 0"));
          }
          absl::StatusOr<const AllocatedBuffer*> buffer = SharedSyncBuffer(*c);
          if (!buffer.ok()) return SkipRow(state, RowError(buffer.status()));
          const int fd = HandleBufferFd((*buffer)->handle.get());
          RunTimed(state, *c, [fd, v]() -> absl::Status {
            RETURN_IF_ERROR(SyncDmaBuf(fd, DMA_BUF_SYNC_START | v->sync_flags));
            return SyncDmaBuf(fd, DMA_BUF_SYNC_END | v->sync_flags);
          });
        },
        /*shares_sync_buffer=*/true);
  }
}

}  // namespace gralloc::bench
