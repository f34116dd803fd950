/*
 * Copyright 2026 The gralloc for Linux Authors.
 *
 * Compiles the public headers as C11 and pins their layouts: the offsets,
 * sizes and values below are the ABI that vendor code is built against.
 */
#include <stddef.h>
#include <stdio.h>

#include "android/hardware/graphics/mapper/IMapper.h"
#include "cutils/native_handle.h"
#include "gralloc/allocator.h"

_Static_assert(sizeof(native_handle_t) == 12, "native_handle_t header");
_Static_assert(offsetof(native_handle_t, data) == 12, "data follows header");
_Static_assert(sizeof(AIMapper_Error) == 4, "AIMapper_Error is int32_t");
_Static_assert(sizeof(AIMapper_Version) == 4, "AIMapper_Version is uint32_t");
_Static_assert(AIMAPPER_ERROR_NONE == 0, "NONE");
_Static_assert(AIMAPPER_ERROR_BAD_DESCRIPTOR == 1, "BAD_DESCRIPTOR");
_Static_assert(AIMAPPER_ERROR_BAD_BUFFER == 2, "BAD_BUFFER");
_Static_assert(AIMAPPER_ERROR_BAD_VALUE == 3, "BAD_VALUE");
_Static_assert(AIMAPPER_ERROR_NO_RESOURCES == 5, "NO_RESOURCES");
_Static_assert(AIMAPPER_ERROR_UNSUPPORTED == 7, "UNSUPPORTED");
_Static_assert(AIMAPPER_VERSION_5 == 5, "version 5");
_Static_assert(sizeof(ARect) == 16, "ARect");
_Static_assert(sizeof(AIMapper_MetadataType) == 16, "MetadataType");
_Static_assert(sizeof(AIMapper_MetadataTypeDescription) == 64,
               "MetadataTypeDescription");
_Static_assert(offsetof(AIMapper_MetadataTypeDescription, reserved) == 26,
               "reserved follows the two bools");
/* 15 function pointers, in the published order. */
_Static_assert(sizeof(AIMapperV5) == 15 * sizeof(void*), "15 functions");
_Static_assert(offsetof(AIMapperV5, importBuffer) == 0 * sizeof(void*), "0");
_Static_assert(offsetof(AIMapperV5, freeBuffer) == 1 * sizeof(void*), "1");
_Static_assert(offsetof(AIMapperV5, getTransportSize) == 2 * sizeof(void*),
               "2");
_Static_assert(offsetof(AIMapperV5, lock) == 3 * sizeof(void*), "3");
_Static_assert(offsetof(AIMapperV5, unlock) == 4 * sizeof(void*), "4");
_Static_assert(offsetof(AIMapperV5, flushLockedBuffer) == 5 * sizeof(void*),
               "5");
_Static_assert(offsetof(AIMapperV5, rereadLockedBuffer) == 6 * sizeof(void*),
               "6");
_Static_assert(offsetof(AIMapperV5, getMetadata) == 7 * sizeof(void*), "7");
_Static_assert(offsetof(AIMapperV5, getStandardMetadata) == 8 * sizeof(void*),
               "8");
_Static_assert(offsetof(AIMapperV5, setMetadata) == 9 * sizeof(void*), "9");
_Static_assert(offsetof(AIMapperV5, setStandardMetadata) == 10 * sizeof(void*),
               "10");
_Static_assert(offsetof(AIMapperV5, listSupportedMetadataTypes) ==
                   11 * sizeof(void*),
               "11");
_Static_assert(offsetof(AIMapperV5, dumpBuffer) == 12 * sizeof(void*), "12");
_Static_assert(offsetof(AIMapperV5, dumpAllBuffers) == 13 * sizeof(void*),
               "13");
_Static_assert(offsetof(AIMapperV5, getReservedRegion) == 14 * sizeof(void*),
               "14");
/* AIMapper: the struct aligned to max_align_t; the table follows version. */
_Static_assert(_Alignof(AIMapper) == _Alignof(max_align_t), "AIMapper align");
_Static_assert(offsetof(AIMapper, v5) == sizeof(void*), "v5 offset");
_Static_assert(sizeof(GrallocBufferDescriptorInfo) == 176,
               "GrallocBufferDescriptorInfo");
_Static_assert(offsetof(GrallocBufferDescriptorInfo, width) == 128, "width");
_Static_assert(offsetof(GrallocBufferDescriptorInfo, usage) == 144, "usage");
_Static_assert(offsetof(GrallocBufferDescriptorInfo, additionalOptions) == 160,
               "additionalOptions");
_Static_assert(sizeof(GrallocExtendableType) == 16, "GrallocExtendableType");

int main(void) {
  /* The layouts are checked at compile time; this test passes by building.
   * Exercise one call through the C declarations so the link is real too. */
  native_handle_t* h = native_handle_create(0, 3);
  if (h == NULL || h->numInts != 3 || h->version != 12) {
    fprintf(stderr, "native_handle_create from C failed\n");
    return 1;
  }
  native_handle_delete(h);
  printf("[  PASSED  ] C ABI layout checks\n");
  return 0;
}
