// Copyright 2026 The gralloc for Linux Authors.
//
// tools/inspect/fdinfo.h: what /proc/<pid>/fdinfo/<fd> says about a file.
//
// Every file's fdinfo starts with the lines fs/proc/fd.c writes ("pos:",
// "flags:", "mnt_id:", and on kernels since 5.14 "ino:"); a dma-buf adds
// what its exporter-independent code (drivers/dma-buf/dma-buf.c,
// dma_buf_show_fdinfo) knows:
//
//   size:      <bytes>
//   count:     <references to the dma-buf's file, the reading one excluded>
//   exp_name:  <the exporter: "system", "reserved", "udmabuf", a driver>
//   name:      <the DMA_BUF_SET_NAME name; absent when never named>
//
// Keys and values are separated by ':' and tabs. A memfd has only the
// common lines. Lines the parser does not know are ignored (other file
// types add their own); a known key with a value that does not parse is
// malformed: it is skipped and described in `malformed`, never fatal, so
// one odd driver cannot hide every other buffer.
//
// Thread safety: a pure function.

#ifndef GRALLOC_TOOLS_INSPECT_FDINFO_H_
#define GRALLOC_TOOLS_INSPECT_FDINFO_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace gralloc::inspect {

struct FdInfo {
  std::optional<uint64_t> inode;        // "ino:"
  std::optional<uint64_t> size_bytes;   // "size:" (dma-buf)
  std::optional<int64_t> count;         // "count:" (dma-buf)
  std::optional<std::string> exporter;  // "exp_name:" (dma-buf)
  std::optional<std::string> name;      // "name:" (a named dma-buf)
};

// Parses fdinfo `text`. Each malformed line adds one sentence to
// `malformed` (which may be null): "line 3 'size: x' is malformed".
FdInfo ParseFdinfo(absl::string_view text, std::vector<std::string>* malformed);

}  // namespace gralloc::inspect

#endif  // GRALLOC_TOOLS_INSPECT_FDINFO_H_
