// Copyright 2026 The gralloc for Linux Authors.

#include "allocator/service/ledger.h"

#include <time.h>

#include <utility>

#include "absl/strings/str_cat.h"
#include "hal/base/status_macros.h"

namespace gralloc::service {
namespace {

void AddHeap(std::map<std::string, HeapUsage>& heaps, const std::string& name,
             uint64_t buffers, uint64_t bytes) {
  HeapUsage& heap = heaps[name];
  heap.heap = name;
  heap.buffers += buffers;
  heap.bytes += bytes;
}

void SubtractHeap(std::map<std::string, HeapUsage>& heaps,
                  const std::string& name, uint64_t buffers, uint64_t bytes) {
  auto it = heaps.find(name);
  if (it == heaps.end()) return;
  it->second.buffers -= buffers;
  it->second.bytes -= bytes;
  if (it->second.buffers == 0 && it->second.bytes == 0) heaps.erase(it);
}

}  // namespace

absl::StatusOr<uint64_t> Ledger::Connect(const Peer& peer) {
  MutexLock lock(&mu_);
  if (limits_.max_connections != 0 &&
      connection_count_ >= limits_.max_connections) {
    return absl::ResourceExhaustedError(
        absl::StrCat(connection_count_, " clients are connected; the limit is ",
                     limits_.max_connections));
  }
  User& user = users_[peer.uid];
  if (limits_.max_connections_per_user != 0 &&
      user.connections >= limits_.max_connections_per_user) {
    const uint32_t connections = user.connections;
    MaybeForget(KeyOf(peer), peer.uid);
    return absl::ResourceExhaustedError(absl::StrCat(
        "uid ", peer.uid, " has ", connections, " connections; the limit is ",
        limits_.max_connections_per_user, " per user"));
  }
  ++user.connections;
  Process& process = processes_[KeyOf(peer)];
  process.uid = peer.uid;
  ++process.connections;
  ++connection_count_;
  const uint64_t id = next_connection_++;
  connections_[id].peer = peer;
  return id;
}

void Ledger::Disconnect(uint64_t connection) {
  MutexLock lock(&mu_);
  auto it = connections_.find(connection);
  if (it == connections_.end()) return;
  const Peer peer = it->second.peer;
  const std::set<uint64_t> records = std::move(it->second.records);
  connections_.erase(it);
  for (uint64_t id : records) {
    Record& record = records_.at(id);
    if (!record.charges_follow_memory) {
      DropRecord(id);  // its charges end with it
      continue;
    }
    // The memory may live on in other processes: the record stays, an
    // orphan, until the memory watch says the memory is gone.
    record.connection = 0;
    record.entry.requester_gone = true;
  }
  --connection_count_;
  --users_[peer.uid].connections;
  --processes_[KeyOf(peer)].connections;
  MaybeForget(KeyOf(peer), peer.uid);
}

absl::Status Ledger::CheckLimit(const Usage& usage, uint64_t buffers,
                                uint64_t bytes, uint64_t max_buffers,
                                uint64_t max_bytes, const char* per) const {
  if (max_buffers != 0 && usage.buffers + buffers > max_buffers) {
    return absl::ResourceExhaustedError(absl::StrCat(
        "quota: ", usage.buffers, " live buffers + ", buffers,
        " requested exceeds the limit of ", max_buffers, " per ", per));
  }
  if (max_bytes != 0 && usage.bytes + bytes > max_bytes) {
    return absl::ResourceExhaustedError(absl::StrCat(
        "quota: ", usage.bytes, " live bytes + ", bytes,
        " requested exceeds the limit of ", max_bytes, " bytes per ", per));
  }
  return absl::OkStatus();
}

absl::Status Ledger::CheckLimits(const Process& process, const User& user,
                                 uint64_t buffers, uint64_t bytes) const {
  RETURN_IF_ERROR(CheckLimit(process.usage, buffers, bytes,
                             limits_.max_buffers_per_process,
                             limits_.max_bytes_per_process, "process"));
  return CheckLimit(user.usage, buffers, bytes, limits_.max_buffers_per_user,
                    limits_.max_bytes_per_user, "user");
}

absl::StatusOr<Ledger::Reservation> Ledger::Reserve(uint64_t connection,
                                                    uint64_t count,
                                                    uint64_t bytes) {
  MutexLock lock(&mu_);
  const Connection* owner = FindConnection(connection);
  if (owner == nullptr) return absl::NotFoundError("no such connection");
  Process& process = processes_[KeyOf(owner->peer)];
  User& user = users_[owner->peer.uid];
  RETURN_IF_ERROR(CheckLimits(process, user, count, bytes));
  for (Usage* usage : {&process.usage, &user.usage, &total_}) {
    usage->buffers += count;
    usage->bytes += bytes;
  }
  return Reservation{connection, count, bytes};
}

void Ledger::Cancel(const Reservation& reservation) {
  MutexLock lock(&mu_);
  auto it = connections_.find(reservation.connection);
  // A reservation outlives its connection only inside one request, and
  // Disconnect() comes after the request; still, look the peer up safely.
  if (it == connections_.end()) return;
  const Peer peer = it->second.peer;
  for (Usage* usage :
       {&processes_[KeyOf(peer)].usage, &users_[peer.uid].usage, &total_}) {
    usage->buffers -= reservation.count;
    usage->bytes -= reservation.bytes;
  }
  MaybeForget(KeyOf(peer), peer.uid);
}

absl::Status Ledger::Commit(const Reservation& reservation,
                            std::vector<NewBuffer> buffers) {
  MutexLock lock(&mu_);
  auto it = connections_.find(reservation.connection);
  if (it == connections_.end())
    return absl::NotFoundError("no such connection");
  Connection& connection = it->second;
  const Peer peer = connection.peer;
  Process& process = processes_[KeyOf(peer)];
  User& user = users_[peer.uid];
  for (Usage* usage : {&process.usage, &user.usage, &total_}) {
    usage->buffers -= reservation.count;
    usage->bytes -= reservation.bytes;
  }
  uint64_t bytes = 0;
  for (const NewBuffer& buffer : buffers) {
    bytes += buffer.pixels.bytes + buffer.metadata.bytes;
  }
  const absl::Status status = CheckLimits(process, user, buffers.size(), bytes);
  if (!status.ok()) {
    MaybeForget(KeyOf(peer), peer.uid);
    return status;
  }
  allocations_total_ += buffers.size();
  user.allocations += buffers.size();
  timespec now{};
  clock_gettime(CLOCK_BOOTTIME, &now);
  const uint64_t now_ns = static_cast<uint64_t>(now.tv_sec) * 1000000000u +
                          static_cast<uint64_t>(now.tv_nsec);
  for (NewBuffer& buffer : buffers) {
    const uint64_t id = buffer.entry.buffer_id;
    const Charge pixels{KeyOf(peer),        peer.uid, buffer.pixels.bytes,
                        /*is_pixels=*/true, id,       buffer.heap.name};
    const Charge metadata{KeyOf(peer),         peer.uid, buffer.metadata.bytes,
                          /*is_pixels=*/false, id,       kMetadataHeapName};
    AddCharge(pixels);
    charges_[buffer.pixels.token] = pixels;
    AddCharge(metadata);
    charges_[buffer.metadata.token] = metadata;
    buffer.entry.pid = peer.pid;
    buffer.entry.uid = peer.uid;
    buffer.entry.allocated_ns = now_ns;
    buffer.entry.size_bytes = buffer.pixels.bytes;
    connection.records.insert(id);
    user.records.insert(id);
    records_[id] = Record{reservation.connection,
                          KeyOf(peer),
                          buffer.pixels.token,
                          buffer.metadata.token,
                          charges_follow_memory_,
                          std::move(buffer.entry),
                          buffer.info,
                          buffer.heap};
  }
  return absl::OkStatus();
}

void Ledger::AddCharge(const Charge& charge) {
  for (Usage* usage : {&processes_[charge.process].usage,
                       &users_[charge.uid].usage, &total_}) {
    usage->buffers += charge.is_pixels ? 1 : 0;
    usage->bytes += charge.bytes;
  }
  const uint64_t buffers = charge.is_pixels ? 1 : 0;
  AddHeap(heaps_, charge.heap, buffers, charge.bytes);
  AddHeap(users_[charge.uid].heaps, charge.heap, buffers, charge.bytes);
}

void Ledger::Rekey(uint64_t provisional, uint64_t token) {
  MutexLock lock(&mu_);
  auto it = charges_.find(provisional);
  if (it == charges_.end()) return;
  Charge charge = std::move(it->second);
  charges_.erase(it);
  auto record = records_.find(charge.buffer_id);
  if (record != records_.end()) {
    uint64_t& kept = charge.is_pixels ? record->second.pixels_token
                                      : record->second.metadata_token;
    if (kept == provisional) kept = token;
  }
  charges_[token] = std::move(charge);
}

void Ledger::Unwatched(uint64_t buffer_id, uint64_t pixels_token,
                       uint64_t metadata_token) {
  MutexLock lock(&mu_);
  auto record = records_.find(buffer_id);
  if (record == records_.end()) {
    EndCharge(pixels_token);
    EndCharge(metadata_token);
    return;
  }
  record->second.charges_follow_memory = false;
  // An orphan would stay for ever: nothing will report its memory gone.
  if (record->second.connection == 0) DropRecord(buffer_id);
}

void Ledger::MemoryGone(uint64_t token) {
  MutexLock lock(&mu_);
  EndCharge(token);
}

std::vector<uint64_t> Ledger::ChargeTokens() const {
  MutexLock lock(&mu_);
  std::vector<uint64_t> tokens;
  tokens.reserve(charges_.size());
  for (const auto& [token, charge] : charges_) tokens.push_back(token);
  return tokens;
}

void Ledger::EndCharge(uint64_t token) {
  auto it = charges_.find(token);
  if (it == charges_.end()) return;
  const Charge charge = std::move(it->second);
  charges_.erase(it);
  const uint64_t buffers = charge.is_pixels ? 1 : 0;
  for (Usage* usage : {&processes_[charge.process].usage,
                       &users_[charge.uid].usage, &total_}) {
    usage->buffers -= buffers;
    usage->bytes -= charge.bytes;
  }
  SubtractHeap(heaps_, charge.heap, buffers, charge.bytes);
  SubtractHeap(users_[charge.uid].heaps, charge.heap, buffers, charge.bytes);
  // A record of memory that no longer exists would only mislead LIST.
  if (charge.is_pixels) DropRecord(charge.buffer_id);
  MaybeForget(charge.process, charge.uid);
}

void Ledger::DropRecord(uint64_t buffer_id) {
  auto it = records_.find(buffer_id);
  if (it == records_.end()) return;
  const uint64_t pixels = it->second.pixels_token;
  const uint64_t metadata = it->second.metadata_token;
  auto connection = connections_.find(it->second.connection);
  if (connection != connections_.end()) {
    connection->second.records.erase(buffer_id);
  }
  auto user = users_.find(it->second.entry.uid);
  if (user != users_.end()) user->second.records.erase(buffer_id);
  const bool follows = it->second.charges_follow_memory;
  records_.erase(it);
  if (!follows) {
    // EndCharge() of the pixels comes back here and finds no record.
    EndCharge(pixels);
    EndCharge(metadata);
  }
}

void Ledger::MaybeForget(const ProcessKey& key, uid_t uid) {
  auto process = processes_.find(key);
  if (process != processes_.end() && process->second.connections == 0 &&
      process->second.usage.buffers == 0 && process->second.usage.bytes == 0) {
    processes_.erase(process);
  }
  auto user = users_.find(uid);
  if (user != users_.end() && user->second.connections == 0 &&
      user->second.usage.buffers == 0 && user->second.usage.bytes == 0 &&
      user->second.records.empty()) {
    users_.erase(user);
  }
}

const Ledger::Connection* Ledger::FindConnection(uint64_t id) const {
  auto it = connections_.find(id);
  return it == connections_.end() ? nullptr : &it->second;
}

uint32_t Ledger::Release(uint64_t connection, absl::Span<const uint64_t> ids) {
  MutexLock lock(&mu_);
  const Connection* caller = FindConnection(connection);
  if (caller == nullptr) return 0;
  uint32_t released = 0;
  for (uint64_t id : ids) {
    auto it = records_.find(id);
    // Any connection of the process that allocated a buffer may release
    // it; nobody else can.
    if (it == records_.end() || it->second.process != KeyOf(caller->peer)) {
      continue;
    }
    DropRecord(id);
    ++released;
  }
  return released;
}

absl::StatusOr<Ledger::Found> Ledger::Find(uint64_t connection,
                                           uint64_t buffer_id) const {
  MutexLock lock(&mu_);
  const Connection* caller = FindConnection(connection);
  auto it = records_.find(buffer_id);
  if (caller == nullptr || it == records_.end() ||
      (!caller->peer.privileged && it->second.entry.uid != caller->peer.uid)) {
    return absl::NotFoundError(
        absl::StrCat("the service has no record of BUFFER_ID 0x",
                     absl::Hex(buffer_id), " that this client may see"));
  }
  return Found{it->second.info, it->second.heap};
}

void Ledger::CountRefusal(uint64_t connection) {
  MutexLock lock(&mu_);
  ++refusals_total_;
  const Connection* caller = FindConnection(connection);
  if (caller != nullptr) ++users_[caller->peer.uid].refusals;
}

StatsReply Ledger::Stats(uint64_t connection) const {
  MutexLock lock(&mu_);
  const Connection* caller = FindConnection(connection);
  if (caller == nullptr) return StatsReply();
  return StatsOf(caller->peer.privileged, caller->peer.uid);
}

StatsReply Ledger::Snapshot() const {
  MutexLock lock(&mu_);
  return StatsOf(/*everyone=*/true, 0);
}

StatsReply Ledger::StatsOf(bool everyone, uid_t uid) const {
  StatsReply stats;
  stats.max_buffers_per_client = limits_.max_buffers_per_process;
  stats.max_bytes_per_client = limits_.max_bytes_per_process;
  const User* user = nullptr;
  if (auto it = users_.find(uid); it != users_.end()) user = &it->second;
  const std::map<std::string, HeapUsage>* heaps = &heaps_;
  if (everyone) {
    stats.connections = connection_count_;
    stats.live_buffers = total_.buffers;
    stats.live_bytes = total_.bytes;
    stats.allocations_total = allocations_total_;
    stats.refusals_total = refusals_total_;
  } else if (user != nullptr) {
    stats.connections = user->connections;
    stats.live_buffers = user->usage.buffers;
    stats.live_bytes = user->usage.bytes;
    stats.allocations_total = user->allocations;
    stats.refusals_total = user->refusals;
    heaps = &user->heaps;
  }
  if (everyone || user != nullptr) {
    for (const auto& [name, heap] : *heaps) {
      if (stats.heaps.size() < kMaxStatsHeaps) stats.heaps.push_back(heap);
    }
  }
  std::map<ProcessKey, const Process*> sorted;
  for (const auto& [key, process] : processes_) {
    if (everyone || process.uid == uid) sorted[key] = &process;
  }
  for (const auto& [key, process] : sorted) {
    if (stats.accounts.size() >= kMaxStatsAccounts) break;
    stats.accounts.push_back(
        AccountUsage{key.first, process->uid, process->connections,
                     process->usage.buffers, process->usage.bytes});
  }
  return stats;
}

ListReply Ledger::List(uint64_t connection, const ListRequest& request) const {
  ListReply reply;
  MutexLock lock(&mu_);
  const Connection* caller = FindConnection(connection);
  if (caller == nullptr) return reply;
  if (caller->peer.privileged) {
    auto it = records_.upper_bound(request.after_buffer_id);
    for (; it != records_.end() && reply.entries.size() < request.max_entries;
         ++it) {
      reply.entries.push_back(it->second.entry);
    }
    reply.more = it != records_.end();
    return reply;
  }
  auto user = users_.find(caller->peer.uid);
  if (user == users_.end()) return reply;
  const std::set<uint64_t>& mine = user->second.records;
  auto it = mine.upper_bound(request.after_buffer_id);
  for (; it != mine.end() && reply.entries.size() < request.max_entries; ++it) {
    reply.entries.push_back(records_.at(*it).entry);
  }
  reply.more = it != mine.end();
  return reply;
}

size_t Ledger::records() const {
  MutexLock lock(&mu_);
  return records_.size();
}

size_t Ledger::charges() const {
  MutexLock lock(&mu_);
  return charges_.size();
}

}  // namespace gralloc::service
