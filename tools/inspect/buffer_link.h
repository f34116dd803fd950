// Copyright 2026 The gralloc for Linux Authors.
//
// tools/inspect/buffer_link.h: which files are graphics buffers, told from
// the name the kernel gives them (the target of /proc/<pid>/fd/<n>, or the
// path column of /proc/<pid>/maps).
//
//   "/dmabuf:<name>"                  a dma-buf (kernels since 5.3), named
//                                     with DMA_BUF_SET_NAME or not
//   "anon_inode:dmabuf"               a dma-buf on older kernels
//   "/memfd:gralloc:<name> (deleted)" the pixels of one of our memfd
//                                     buffers (allocator/heaps/heap_util.cc
//                                     names them), or the memfd behind a
//                                     udmabuf
//   "/memfd:gralloc-md:... (deleted)" the shared metadata of one of our
//   "/memfd:gralloc-metadata (deleted)" buffers
//                                     (hal/metadata/metadata_buffer_name.h)
//
// Any other memfd is not ours and not a graphics buffer: it is ignored.
// Names are the kernel's and the client's text, so they are shown, never
// trusted (a dma-buf name can be anything a process chose).
//
// Thread safety: pure functions.

#ifndef GRALLOC_TOOLS_INSPECT_BUFFER_LINK_H_
#define GRALLOC_TOOLS_INSPECT_BUFFER_LINK_H_

#include <optional>
#include <string>

#include "absl/strings/string_view.h"

namespace gralloc::inspect {

enum class BufferKind {
  kDmaBuf,    // any dma-buf, whoever exported it
  kMemfd,     // our pixels in a memfd (the CPU-only heap, udmabuf's memfd)
  kMetadata,  // our shared metadata buffer
};

// "dma-buf", "memfd", "metadata": the words dumps and JSON use.
absl::string_view BufferKindName(BufferKind kind);

struct LinkIdentity {
  BufferKind kind = BufferKind::kDmaBuf;
  // The buffer's name as the link shows it: the dma-buf's name, the
  // memfd's NAME after "gralloc:", for metadata the NAME of the buffer it
  // describes. Empty when the link carries none.
  std::string name;
};

// What `link` names, or nullopt when it is not a graphics buffer.
std::optional<LinkIdentity> ClassifyLink(absl::string_view link);

// Whether a line of /proc/<pid>/maps can describe a graphics buffer: a
// cheap substring test, so the scanner parses only the few lines that may.
bool MapsLineMayBeBuffer(absl::string_view line);

}  // namespace gralloc::inspect

#endif  // GRALLOC_TOOLS_INSPECT_BUFFER_LINK_H_
