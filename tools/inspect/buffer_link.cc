// Copyright 2026 The gralloc for Linux Authors.

#include "tools/inspect/buffer_link.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "hal/metadata/metadata_buffer_name.h"
#include "hal/metadata/shared_metadata.h"

namespace gralloc::inspect {
namespace {

constexpr absl::string_view kDmaBufPrefix = "/dmabuf:";
constexpr absl::string_view kOldDmaBufLink = "anon_inode:dmabuf";
constexpr absl::string_view kMemfdPrefix = "/memfd:";
constexpr absl::string_view kDeletedSuffix = " (deleted)";
// Names our allocator gives its memfds.
constexpr absl::string_view kPixelPrefix = "gralloc:";
constexpr absl::string_view kMetadataPrefix = "gralloc-md:";
constexpr absl::string_view kMetadataFallbackName = "gralloc-metadata";

}  // namespace

absl::string_view BufferKindName(BufferKind kind) {
  switch (kind) {
    case BufferKind::kDmaBuf:
      return "dma-buf";
    case BufferKind::kMemfd:
      return "memfd";
    case BufferKind::kMetadata:
      return "metadata";
  }
  return "?";
}

std::optional<LinkIdentity> ClassifyLink(absl::string_view link) {
  LinkIdentity identity;
  absl::string_view rest = link;
  if (absl::ConsumePrefix(&rest, kDmaBufPrefix)) {
    identity.kind = BufferKind::kDmaBuf;
    identity.name = std::string(rest);
    return identity;
  }
  if (link == kOldDmaBufLink) {
    identity.kind = BufferKind::kDmaBuf;
    return identity;
  }
  if (!absl::ConsumePrefix(&rest, kMemfdPrefix)) return std::nullopt;
  absl::ConsumeSuffix(&rest, kDeletedSuffix);
  if (absl::ConsumePrefix(&rest, kPixelPrefix)) {
    identity.kind = BufferKind::kMemfd;
    identity.name = std::string(rest);
    return identity;
  }
  if (absl::StartsWith(rest, kMetadataPrefix)) {
    identity.kind = BufferKind::kMetadata;
    SharedMetadataInit init;
    // The name decodes only from the link's exact form; a maps path is the
    // same text. An undecodable one is still ours, just unnamed.
    std::string as_link(link);
    if (!absl::EndsWith(as_link, kDeletedSuffix)) {
      absl::StrAppend(&as_link, kDeletedSuffix);
    }
    if (DecodeMetadataBufferName(as_link, &init).ok()) {
      identity.name = std::move(init.name);
    }
    return identity;
  }
  if (rest == kMetadataFallbackName) {
    identity.kind = BufferKind::kMetadata;
    return identity;
  }
  return std::nullopt;
}

bool MapsLineMayBeBuffer(absl::string_view line) {
  return absl::StrContains(line, kDmaBufPrefix) ||
         absl::StrContains(line, kOldDmaBufLink) ||
         absl::StrContains(line, "/memfd:gralloc");
}

}  // namespace gralloc::inspect
