// Copyright 2026 The gralloc for Linux Authors.
//
// Fuzzes metadata payloads, the bytes any process that imports a buffer can
// hand to the mapper:
//
//  * first byte < 0x60: the codec (hal/metadata/metadata_codec.h). The byte
//    picks a standard type, the rest is a payload for DecodeMetadata<type>.
//    What decodes must re-encode to exactly the same bytes (the codec
//    accepts exactly one encoding per value), encoding into a buffer one
//    byte short must write nothing, and PeekType must name the type.
//  * first byte >= 0x80: the mapper's C ABI (AIMapper v5) on a real
//    in-process buffer (a memfd made as the allocator makes it, imported).
//    A few get/set operations with fuzzed types (standard or vendor names)
//    and payloads; nothing may crash, a getter may write only within the
//    size it was given (or nothing when it is too small), a set that
//    succeeds reads back byte for byte, the client's reserved region and the
//    pixels stay untouched, and freeing the buffer gives back every fd. The
//    buffer is blank, as the allocator leaves it: the import writes its
//    header from the metadata memfd's name.
//  * first byte 0x60 to 0x7f: the rest is a metadata memfd's link as
//    readlink shows it (hal/metadata/metadata_buffer_name.h), which any
//    process handing over a buffer chooses. What decodes must fit the
//    header's limits and re-encode to a name that decodes the same.

#include <dirent.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "android/hardware/graphics/mapper/IMapper.h"
#include "hal/base/fd_count.h"
#include "hal/handle/buffer_handle.h"
#include "hal/metadata/metadata_buffer_name.h"
#include "hal/metadata/metadata_codec.h"
#include "hal/metadata/metadata_types.h"
#include "mapper/testing/buffer_factory.h"
#include "tests/fuzz/fuzz_check.h"

namespace gralloc::fuzz {
namespace {

constexpr uint8_t kGuard = 0xa5;
constexpr size_t kGuardBytes = 64;

// --- The codec --------------------------------------------------------------

template <StandardMetadataType type>
void CodecRoundTrip(absl::Span<const uint8_t> bytes) {
  const absl::StatusOr<MetadataValue<type>> value =
      DecodeMetadata<type>(bytes.data(), bytes.size());
  if (!value.ok()) return;
  const size_t size = EncodeMetadata<type>(*value, nullptr, 0);
  FUZZ_CHECK(size == bytes.size(), "type ", static_cast<int64_t>(type),
             ": decoded ", bytes.size(), " bytes, encodes to ", size);
  // One byte short: nothing written. Exact: the same bytes, and nothing
  // written past them.
  std::vector<uint8_t> dest(size + kGuardBytes, kGuard);
  if (size > 0) {
    FUZZ_CHECK(EncodeMetadata<type>(*value, dest.data(), size - 1) == size,
               "the size asked for changed");
    for (uint8_t byte : dest) {
      FUZZ_CHECK(byte == kGuard, "an encoder wrote into a short buffer");
    }
  }
  FUZZ_CHECK(EncodeMetadata<type>(*value, dest.data(), size) == size,
             "the size changed");
  FUZZ_CHECK(std::memcmp(dest.data(), bytes.data(), size) == 0, "type ",
             static_cast<int64_t>(type),
             ": decoded bytes re-encode differently");
  for (size_t i = size; i < dest.size(); ++i) {
    FUZZ_CHECK(dest[i] == kGuard, "an encoder wrote past its size");
  }
  if (size > 0) {
    const absl::StatusOr<StandardMetadataType> peeked =
        PeekType(bytes.data(), bytes.size());
    FUZZ_CHECK(peeked.ok() && *peeked == type,
               "PeekType disagrees: ", peeked.status().ToString());
  }
}

void FuzzCodec(int64_t type_value, absl::Span<const uint8_t> bytes) {
  (void)PeekType(bytes.data(), bytes.size());
  switch (static_cast<StandardMetadataType>(type_value)) {
#define GRALLOC_FUZZ_CASE_(type, value)                \
  case StandardMetadataType::type:                     \
    CodecRoundTrip<StandardMetadataType::type>(bytes); \
    break;
    GRALLOC_STANDARD_METADATA_TYPES(GRALLOC_FUZZ_CASE_)
#undef GRALLOC_FUZZ_CASE_
    default:
      break;
  }
}

// --- The mapper
// ---------------------------------------------------------------

const AIMapper* Mapper() {
  static AIMapper* mapper = [] {
    AIMapper* loaded = nullptr;
    FUZZ_CHECK(AIMapper_loadIMapper(&loaded) == AIMAPPER_ERROR_NONE,
               "AIMapper_loadIMapper");
    return loaded;
  }();
  return mapper;
}

// Mostly the standard types and their neighbours, sometimes anything.
int64_t TakeType(FuzzInput& in) {
  const int8_t small = in.Take<int8_t>();
  if (small != INT8_MIN) return small % 32;
  return in.Take<int64_t>();
}

// A getter with `dest_size` bytes of room and guard bytes after them.
void CheckedGet(buffer_handle_t buffer, const AIMapper_MetadataType& type,
                bool standard, size_t dest_size, std::vector<uint8_t>* out) {
  std::vector<uint8_t> dest(dest_size + kGuardBytes, kGuard);
  const int32_t result =
      standard ? Mapper()->v5.getStandardMetadata(buffer, type.value,
                                                  dest.data(), dest_size)
               : Mapper()->v5.getMetadata(buffer, type, dest.data(), dest_size);
  const size_t written = result > 0 && static_cast<size_t>(result) <= dest_size
                             ? static_cast<size_t>(result)
                             : 0;
  for (size_t i = written; i < dest.size(); ++i) {
    FUZZ_CHECK(dest[i] == kGuard, "get of type ", type.value, " into ",
               dest_size, " bytes returned ", result, " but wrote byte ", i);
  }
  if (out != nullptr) out->assign(dest.begin(), dest.begin() + written);
}

// What the process's fds are, for the message when some leaked.
std::string OpenFds() {
  std::string out;
  DIR* dir = opendir("/proc/self/fd");
  if (dir == nullptr) return out;
  while (const dirent* entry = readdir(dir)) {
    if (entry->d_name[0] == '.') continue;
    char target[256] = {};
    const std::string link = absl::StrCat("/proc/self/fd/", entry->d_name);
    if (readlink(link.c_str(), target, sizeof(target) - 1) < 0) continue;
    absl::StrAppend(&out, " ", entry->d_name, "->", target);
  }
  closedir(dir);
  return out;
}

std::vector<uint8_t> Pattern(size_t size, uint8_t seed) {
  std::vector<uint8_t> bytes(size);
  for (size_t i = 0; i < size; ++i) {
    bytes[i] = static_cast<uint8_t>(seed + i * 7);
  }
  return bytes;
}

void FuzzMetadataBufferName(absl::Span<const uint8_t> bytes) {
  const absl::string_view link(reinterpret_cast<const char*>(bytes.data()),
                               bytes.size());
  SharedMetadataInit init;
  if (!DecodeMetadataBufferName(link, &init).ok()) return;
  FUZZ_CHECK(init.name.size() <= kSharedMetadataMaxNameBytes &&
                 init.heap_name.size() <= kSharedMetadataMaxHeapNameBytes,
             "decoded names beyond the header's limits");
  const std::optional<std::string> name = EncodeMetadataBufferName(init);
  // What decoded fit in a memfd name, and the encoding is never longer
  // than any spelling that decodes.
  FUZZ_CHECK(name.has_value(), "a decoded name does not encode again");
  SharedMetadataInit again;
  FUZZ_CHECK(
      DecodeMetadataBufferName("/memfd:" + *name + " (deleted)", &again).ok(),
      "a re-encoded name does not decode");
  FUZZ_CHECK(again.name == init.name && again.heap_name == init.heap_name &&
                 again.dataspace == init.dataspace &&
                 again.reserved_size == init.reserved_size,
             "the name changed on a round trip");
}

void FuzzMapper(FuzzInput& in) {
  // Counted per input: between inputs libFuzzer may start its symbolizer,
  // which holds pipes.
  Mapper();
  const int baseline_fds = testing::OpenFdCount();
  {
    testing::TestBufferSpec spec;
    spec.width = 1 + in.Take<uint8_t>() % 16;
    spec.height = 1 + in.Take<uint8_t>() % 16;
    spec.reserved_size = in.Take<uint8_t>() * 4;
    spec.name = "metadata-fuzz";
    absl::StatusOr<testing::TestBuffer> test_buffer =
        testing::MakeTestBuffer(spec);
    FUZZ_CHECK(test_buffer.ok(), test_buffer.status().ToString());
    const int pixel_fd = HandleBufferFd(test_buffer->handle.get());
    const std::vector<uint8_t> pixels =
        Pattern(test_buffer->info.allocation_size, 0x11);
    FUZZ_CHECK(pwrite(pixel_fd, pixels.data(), pixels.size(), 0) ==
                   static_cast<ssize_t>(pixels.size()),
               "pwrite");
    buffer_handle_t buffer = nullptr;
    FUZZ_CHECK(Mapper()->v5.importBuffer(test_buffer->handle.get(), &buffer) ==
                   AIMAPPER_ERROR_NONE,
               "importBuffer");
    void* reserved = nullptr;
    uint64_t reserved_size = 0;
    FUZZ_CHECK(Mapper()->v5.getReservedRegion(
                   buffer, &reserved, &reserved_size) == AIMAPPER_ERROR_NONE,
               "getReservedRegion");
    FUZZ_CHECK(reserved_size == spec.reserved_size, "reserved ", reserved_size);
    const std::vector<uint8_t> client_bytes = Pattern(reserved_size, 0x5a);
    if (reserved_size > 0) {
      std::memcpy(reserved, client_bytes.data(), reserved_size);
    }

    for (int op = 0; op < 4 && in.remaining() > 0; ++op) {
      const uint8_t kind = in.Take<uint8_t>();
      // A standard type by value, or any type by (possibly vendor) name.
      const bool standard = (kind & 1) == 0;
      const bool standard_name = (kind & 2) == 0;
      const std::string name =
          standard_name ? kStandardMetadataTypeName : in.TakeString(80);
      const AIMapper_MetadataType type{name.c_str(), TakeType(in)};
      if ((kind & 4) == 0) {
        // set, then read back.
        const absl::Span<const uint8_t> payload = in.TakeBytes(4096);
        const AIMapper_Error error =
            standard ? Mapper()->v5.setStandardMetadata(
                           buffer, type.value, payload.data(), payload.size())
                     : Mapper()->v5.setMetadata(buffer, type, payload.data(),
                                                payload.size());
        if (error == AIMAPPER_ERROR_NONE) {
          std::vector<uint8_t> back;
          CheckedGet(buffer, type, standard, payload.size() + 16, &back);
          FUZZ_CHECK(
              back == std::vector<uint8_t>(payload.begin(), payload.end()),
              "type ", type.value, ": set ", payload.size(),
              " bytes, read back ", back.size());
        }
      } else {
        CheckedGet(buffer, type, standard, in.Take<uint16_t>() % 8192, nullptr);
      }
    }

    if (reserved_size > 0) {
      FUZZ_CHECK(std::memcmp(reserved, client_bytes.data(), reserved_size) == 0,
                 "metadata calls wrote into the client's reserved region");
    }
    std::vector<uint8_t> after(pixels.size());
    FUZZ_CHECK(pread(pixel_fd, after.data(), after.size(), 0) ==
                   static_cast<ssize_t>(after.size()),
               "pread");
    FUZZ_CHECK(after == pixels, "metadata calls wrote into the pixels");
    FUZZ_CHECK(Mapper()->v5.freeBuffer(buffer) == AIMAPPER_ERROR_NONE,
               "freeBuffer");
  }
  const int fds = testing::OpenFdCount();
  FUZZ_CHECK(fds == baseline_fds, fds - baseline_fds,
             " fds leaked:", OpenFds());
}

}  // namespace
}  // namespace gralloc::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  gralloc::fuzz::FuzzInput in(data, size);
  const uint8_t which = in.Take<uint8_t>();
  if (which < 0x60) {
    gralloc::fuzz::FuzzCodec(which % 32, in.Rest());
  } else if (which < 0x80) {
    gralloc::fuzz::FuzzMetadataBufferName(in.Rest());
  } else {
    gralloc::fuzz::FuzzMapper(in);
  }
  return 0;
}
