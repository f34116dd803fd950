// Copyright 2026 The gralloc for Linux Authors.

#include "allocator/heaps/heap_registry.h"

#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/strip.h"
#include "allocator/heaps/dma_heap.h"
#include "allocator/heaps/drm_dumb.h"
#include "allocator/heaps/memfd_heap.h"
#include "allocator/heaps/udmabuf.h"
#include "hal/base/status_macros.h"

namespace gralloc {
namespace {

bool Contains(const std::vector<std::string>& names, absl::string_view name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

// Why `path` could not be looked at, from errno: "<path>: absent" or
// "<path>: <strerror>".
std::string ErrnoNote(const std::string& path) {
  if (errno == ENOENT) return absl::StrCat(path, ": absent");
  return std::string(ErrnoStatus(path).message());
}

// Appends the entry names of directory `path`, without "." and "..", to
// `*names`. Returns false when the directory cannot be read; `*note` then
// says why.
bool ListDirectory(const std::string& path, std::vector<std::string>* names,
                   std::string* note) {
  DIR* dir = opendir(path.c_str());
  if (dir == nullptr) {
    *note = ErrnoNote(path);
    return false;
  }
  while (const dirent* entry = readdir(dir)) {
    if (std::strcmp(entry->d_name, ".") == 0 ||
        std::strcmp(entry->d_name, "..") == 0) {
      continue;
    }
    names->emplace_back(entry->d_name);
  }
  closedir(dir);
  return true;
}

// Why the node at `path` cannot be a heap without opening it, or "" if it
// looks like one. Checking first means a FIFO or a directory left in a test
// dev_root is never opened (opening a FIFO would block).
std::string NotADeviceReason(const std::string& path) {
  struct stat st;
  if (stat(path.c_str(), &st) == -1) return ErrnoNote(path);
  if (!S_ISCHR(st.st_mode)) {
    return absl::StrCat(path, ": skipped, not a character device");
  }
  return "";
}

// Opens the heap at `path` with `open(path)` if the node looks like a
// device; why it does not, or why opening failed, becomes a note.
template <typename Open>
void AddHeap(const std::string& path, Open open,
             std::vector<std::unique_ptr<Heap>>* heaps,
             std::vector<std::string>* notes) {
  if (std::string reason = NotADeviceReason(path); !reason.empty()) {
    notes->push_back(std::move(reason));
    return;
  }
  auto heap = open(path);
  if (!heap.ok()) {
    notes->push_back(
        absl::StrCat(path, ": skipped, ", heap.status().message()));
    return;
  }
  heaps->push_back(*std::move(heap));
}

// N for "cardN", or -1 for any other name (renderD*, by-path, ...).
int CardNumber(absl::string_view name) {
  if (!absl::ConsumePrefix(&name, "card") || name.empty()) return -1;
  if (!std::all_of(name.begin(), name.end(),
                   [](char c) { return absl::ascii_isdigit(c); })) {
    return -1;
  }
  int number = -1;
  if (!absl::SimpleAtoi(name, &number)) return -1;
  return number;
}

void ProbeDmaHeaps(const ProbeOptions& options,
                   std::vector<std::unique_ptr<Heap>>* heaps,
                   std::vector<std::string>* notes) {
  const std::string dir = absl::StrCat(options.dev_root, "/dma_heap");
  std::vector<std::string> names;
  std::string note;
  if (!ListDirectory(dir, &names, &note)) {
    notes->push_back(std::move(note));
  }
  std::sort(names.begin(), names.end());
  for (const std::string& name : names) {
    const bool is_protected = Contains(options.protected_heaps, name);
    AddHeap(
        absl::StrCat(dir, "/", name),
        [&](const std::string& path) {
          return DmaHeap::Open(path, is_protected);
        },
        heaps, notes);
  }
  for (const std::string& wanted : options.protected_heaps) {
    if (!Contains(names, wanted)) {
      notes->push_back(absl::StrCat("protected heap \"", wanted,
                                    "\" is configured but ", dir, "/", wanted,
                                    " is absent"));
    }
  }
}

void ProbeUdmabuf(const ProbeOptions& options,
                  std::vector<std::unique_ptr<Heap>>* heaps,
                  std::vector<std::string>* notes) {
  AddHeap(absl::StrCat(options.dev_root, "/udmabuf"), &UdmabufHeap::Open, heaps,
          notes);
}

void ProbeDrmCards(const ProbeOptions& options,
                   std::vector<std::unique_ptr<Heap>>* heaps,
                   std::vector<std::string>* notes) {
  const std::string dir = absl::StrCat(options.dev_root, "/dri");
  std::vector<std::string> names;
  std::string note;
  if (!ListDirectory(dir, &names, &note)) {
    notes->push_back(std::move(note));
    return;
  }
  std::vector<std::pair<int, std::string>> cards;
  for (std::string& name : names) {
    const int number = CardNumber(name);
    if (number >= 0) cards.emplace_back(number, std::move(name));
  }
  std::sort(cards.begin(), cards.end());
  for (const auto& [number, name] : cards) {
    AddHeap(absl::StrCat(dir, "/", name), &DrmDumbHeap::Open, heaps, notes);
  }
}

}  // namespace

HeapRegistry HeapRegistry::Probe(const ProbeOptions& options) {
  std::vector<std::unique_ptr<Heap>> heaps;
  std::vector<std::string> notes;
  if (options.probe_dma_heaps) ProbeDmaHeaps(options, &heaps, &notes);
  if (options.probe_udmabuf) ProbeUdmabuf(options, &heaps, &notes);
  if (options.probe_drm_dumb) ProbeDrmCards(options, &heaps, &notes);
  if (options.allow_memfd) heaps.push_back(std::make_unique<MemfdHeap>());
  return HeapRegistry(std::move(heaps), std::move(notes));
}

HeapRegistry::HeapRegistry(std::vector<std::unique_ptr<Heap>> heaps)
    : HeapRegistry(std::move(heaps), {}) {}

HeapRegistry::HeapRegistry(std::vector<std::unique_ptr<Heap>> heaps,
                           std::vector<std::string> probe_notes)
    : probe_notes_(std::move(probe_notes)) {
  absl::flat_hash_set<std::string> names;
  for (std::unique_ptr<Heap>& heap : heaps) {
    if (heap == nullptr) continue;
    if (!names.insert(std::string(heap->name())).second) {
      probe_notes_.push_back(absl::StrCat("heap \"", heap->name(),
                                          "\": dropped, the name is taken"));
      continue;
    }
    heaps_.push_back(std::move(heap));
  }
}

Heap* HeapRegistry::Find(absl::string_view name) const {
  for (const std::unique_ptr<Heap>& heap : heaps_) {
    if (heap->name() == name) return heap.get();
  }
  return nullptr;
}

std::string HeapRegistry::Describe() const {
  size_t width = 0;
  for (const std::unique_ptr<Heap>& heap : heaps_) {
    width = std::max(width, heap->name().size());
  }
  std::string text = absl::StrCat("heaps: ", heaps_.size(), "\n");
  for (const std::unique_ptr<Heap>& heap : heaps_) {
    absl::StrAppendFormat(&text, "  %-*s  %s  %s\n", static_cast<int>(width),
                          heap->name(), DescribeHeapCaps(heap->caps()),
                          heap->description());
  }
  if (!probe_notes_.empty()) {
    absl::StrAppend(&text, "notes: ", probe_notes_.size(), "\n");
    for (const std::string& note : probe_notes_) {
      absl::StrAppend(&text, "  ", note, "\n");
    }
  }
  return text;
}

}  // namespace gralloc
