// Copyright 2026 The gralloc for Linux Authors.
//
// hal/metadata/metadata_buffer_name.h: the name of a buffer's metadata
// memfd, which carries what its header would say, so that the allocator
// need not write the header.
//
// Writing the header at allocation costs a page that the kernel allocates,
// zeroes and, at free, gives back: for a small buffer that was a quarter
// of allocate + free (bench/PROFILE.md). So the allocator leaves the
// metadata memfd all zero and names it after the header's contents:
//
//   gralloc-md:<dataspace, 8 hex digits>:<reserved size, hex>:<heap name>:
//   <buffer NAME>
//
// The first process that imports the buffer reads the name back (readlink
// of /proc/self/fd/N shows "/memfd:<name> (deleted)") and writes the
// header (SharedMetadata::Attach with a BlankInit); the crop, the whole
// buffer, comes from the handle. The reserved size is in the name so that
// a handle that disagrees with its metadata buffer is still caught at its
// first import. In the names, every
// byte that is not printable ASCII, and ' ', '%', '/' and ':', is written
// %XX, so the fields split unambiguously and readlink's suffix cannot be
// forged. A name that does not fit in a memfd name (249 bytes) has no
// encoding; the allocator then names the memfd "gralloc-metadata" and
// writes the header itself.
//
// Nothing read back is trusted: lengths are checked here and again when
// the header is written (CheckInit), and a malformed name is DataLoss.

#ifndef GRALLOC_HAL_METADATA_METADATA_BUFFER_NAME_H_
#define GRALLOC_HAL_METADATA_METADATA_BUFFER_NAME_H_

#include <cstddef>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "hal/metadata/shared_metadata.h"

namespace gralloc {

// The longest name memfd_create() accepts.
inline constexpr size_t kMemfdNameMaxBytes = 249;

// The name of a metadata memfd created for `init` (its name, heap name,
// dataspace and reserved size; the crop must be the whole buffer), or
// nullopt when the
// encoding is longer than kMemfdNameMaxBytes or a name is longer than the
// header keeps.
std::optional<std::string> EncodeMetadataBufferName(
    const SharedMetadataInit& init);

// The constants a metadata memfd's link (as readlink of /proc/self/fd/N
// shows it) encodes: sets init->name, heap_name, dataspace and
// reserved_size. DataLoss if
// the link is not one EncodeMetadataBufferName() made.
absl::Status DecodeMetadataBufferName(absl::string_view link,
                                      SharedMetadataInit* init);

// Reads the link of `fd` in /proc/self/fd and decodes it. Unavailable when
// /proc cannot say (not mounted), DataLoss as DecodeMetadataBufferName().
absl::StatusOr<SharedMetadataInit> ReadMetadataBufferName(int fd);

}  // namespace gralloc

#endif  // GRALLOC_HAL_METADATA_METADATA_BUFFER_NAME_H_
