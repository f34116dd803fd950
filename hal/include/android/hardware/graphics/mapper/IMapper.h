/*
 * Copyright 2026 The gralloc for Linux Authors.
 *
 * android/hardware/graphics/mapper/IMapper.h: the Mapper 5 stable C ABI.
 *
 * This is the interface between a process that uses graphics buffers and
 * the mapper library that imports, locks and describes them. It is written
 * from Android's published interface description: the names, the struct
 * layouts, the order of the function table and the error values are the
 * contract, so code built against Android's header works with ours. The
 * header compiles as C (C11) and as C++.
 *
 * Obtain the table with AIMapper_loadIMapper() from libgralloc_mapper.so.
 * Every function pointer in it is non-null, and every call is thread-safe.
 * The semantics of each call are documented beside its pointer; the
 * implementation's own notes are in mapper/.
 */
#ifndef GRALLOC_HAL_INCLUDE_ANDROID_HARDWARE_GRAPHICS_MAPPER_IMAPPER_H_
#define GRALLOC_HAL_INCLUDE_ANDROID_HARDWARE_GRAPHICS_MAPPER_IMAPPER_H_

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "android/rect.h"
#include "cutils/native_handle.h"

#ifdef __cplusplus
extern "C" {
#endif

/* An enum with a fixed underlying type. C before C23 cannot say that, so in
 * C the name is a typedef of the underlying type and the values an
 * anonymous enum: the ABI (size, values) is the same in both languages. */
#ifdef __cplusplus
#define AIMAPPER_TYPED_ENUM(name, type) enum name : type
#else
#define AIMAPPER_TYPED_ENUM(name, type) \
  typedef type name;                    \
  enum
#endif

/* Mapper versions: 0-1 were pre-Treble, 2-4 HIDL; the stable C ABI is 5. */
AIMAPPER_TYPED_ENUM(AIMapper_Version, uint32_t){
    AIMAPPER_VERSION_5 = 5,
};

/* Errors, with the values of IMapper 4.0's Error. */
AIMAPPER_TYPED_ENUM(AIMapper_Error, int32_t){
    AIMAPPER_ERROR_NONE = 0,           /* success */
    AIMAPPER_ERROR_BAD_DESCRIPTOR = 1, /* an invalid buffer description */
    AIMAPPER_ERROR_BAD_BUFFER = 2,     /* an invalid or unknown handle */
    AIMAPPER_ERROR_BAD_VALUE = 3,      /* an invalid argument */
    AIMAPPER_ERROR_NO_RESOURCES = 5,   /* out of resources; may work later */
    AIMAPPER_ERROR_UNSUPPORTED = 7,    /* permanently unsupported */
};

/* Names a kind of buffer metadata. Standard types have `name`
 * "android.hardware.graphics.common.StandardMetadataType" and a
 * StandardMetadataType `value`; vendors use their own "vendor.<company>.*"
 * name so their values never collide with anyone else's. */
typedef struct AIMapper_MetadataType {
  const char* name;
  int64_t value;
} AIMapper_MetadataType;

/* One entry of listSupportedMetadataTypes(). The strings live as long as
 * the process. */
typedef struct AIMapper_MetadataTypeDescription {
  AIMapper_MetadataType metadataType;
  /* Required for vendor types; may be NULL for standard types. */
  const char* description;
  bool isGettable;
  bool isSettable;
  /* Reserved; zero. */
  uint8_t reserved[32];
} AIMapper_MetadataTypeDescription;

/* Called by dumpBuffer()/dumpAllBuffers() once per metadata value of a
 * buffer; `value` (in the standard encoding) lives only for the call. */
typedef void (*AIMapper_DumpBufferCallback)(void* context,
                                            AIMapper_MetadataType metadataType,
                                            const void* value,
                                            size_t valueSize);

/* Called by dumpAllBuffers() before the values of each buffer. */
typedef void (*AIMapper_BeginDumpBufferCallback)(void* context);

/* The version 5 function table. The order of the members is the ABI. */
typedef struct AIMapperV5 {
  /* Validates a raw handle (received from another process, or cloned) and
   * returns a new imported handle for use with the rest of this table. The
   * raw handle is not consumed. Importing the same raw handle twice gives two
   * independent handles; each must be freed. An imported handle may itself
   * be imported again. Errors: BAD_BUFFER for any invalid handle;
   * NO_RESOURCES when the import cannot be made now. */
  AIMapper_Error (*importBuffer)(const native_handle_t* handle,
                                 buffer_handle_t* outBufferHandle);

  /* Releases an imported handle: closes its fds and unmaps its memory.
   * BAD_BUFFER for a handle this mapper did not import (or already freed). */
  AIMapper_Error (*freeBuffer)(buffer_handle_t buffer);

  /* The fd and int counts needed to send the buffer to another process,
   * never more than the handle holds. */
  AIMapper_Error (*getTransportSize)(buffer_handle_t buffer,
                                     uint32_t* outNumFds, uint32_t* outNumInts);

  /* Locks the buffer for CPU access with `cpuUsage` (CPU_READ_* and/or
   * CPU_WRITE_* bits), after waiting on `acquireFence` (a sync_file fd or
   * -1), whose ownership always passes to the mapper, on error too. An
   * all-zero `accessRegion` means the whole buffer. `*outData` is the start
   * of the buffer, whatever the region. Locks nest. Errors: BAD_BUFFER;
   * BAD_VALUE for a zero, non-CPU or incompatible usage or a region outside
   * the buffer; NO_RESOURCES when the lock cannot be taken now. */
  AIMapper_Error (*lock)(buffer_handle_t buffer, uint64_t cpuUsage,
                         ARect accessRegion, int acquireFence, void** outData);

  /* Ends one lock. `*releaseFence` receives a sync_file fd for the caller to
   * own, or -1. BAD_BUFFER if the buffer is invalid or not locked. */
  AIMapper_Error (*unlock)(buffer_handle_t buffer, int* releaseFence);

  /* Makes CPU writes of a locked buffer visible to devices, keeping the
   * lock. BAD_BUFFER if the buffer is invalid or not locked. */
  AIMapper_Error (*flushLockedBuffer)(buffer_handle_t buffer);

  /* Makes the newest contents visible to the CPU, keeping the lock.
   * BAD_BUFFER if invalid or not locked; NO_RESOURCES to try again later. */
  AIMapper_Error (*rereadLockedBuffer)(buffer_handle_t buffer);

  /* Writes the value of `metadataType` (standard encoding) to destBuffer and
   * returns its size; when destBuffer is NULL or destBufferSize too small,
   * writes nothing and returns the size needed. A negative result is a
   * negated AIMapper_Error: -BAD_BUFFER, -UNSUPPORTED for unknown types. */
  int32_t (*getMetadata)(buffer_handle_t buffer,
                         AIMapper_MetadataType metadataType, void* destBuffer,
                         size_t destBufferSize);

  /* getMetadata() for a StandardMetadataType value. */
  int32_t (*getStandardMetadata)(buffer_handle_t buffer,
                                 int64_t standardMetadataType, void* destBuffer,
                                 size_t destBufferSize);

  /* Sets the value of `metadataType` for every import of the buffer, in any
   * process. Errors: BAD_BUFFER; BAD_VALUE for a type fixed at allocation
   * (BUFFER_ID, NAME, WIDTH, HEIGHT, LAYER_COUNT, PIXEL_FORMAT_REQUESTED,
   * USAGE); UNSUPPORTED for an unknown or unsettable type or a malformed
   * value; NO_RESOURCES when it cannot be stored now. */
  AIMapper_Error (*setMetadata)(buffer_handle_t buffer,
                                AIMapper_MetadataType metadataType,
                                const void* metadata, size_t metadataSize);

  /* setMetadata() for a StandardMetadataType value. */
  AIMapper_Error (*setStandardMetadata)(buffer_handle_t buffer,
                                        int64_t standardMetadataType,
                                        const void* metadata,
                                        size_t metadataSize);

  /* Every metadata type this mapper knows, in a list that lives as long as
   * the process. */
  AIMapper_Error (*listSupportedMetadataTypes)(
      const AIMapper_MetadataTypeDescription** outDescriptionList,
      size_t* outNumberOfDescriptions);

  /* Calls `dumpBufferCallback` once for each gettable metadata value of
   * the buffer. */
  AIMapper_Error (*dumpBuffer)(buffer_handle_t buffer,
                               AIMapper_DumpBufferCallback dumpBufferCallback,
                               void* context);

  /* For each buffer imported in this process: `beginDumpCallback`, then
   * `dumpBufferCallback` for each of its metadata values. */
  AIMapper_Error (*dumpAllBuffers)(
      AIMapper_BeginDumpBufferCallback beginDumpCallback,
      AIMapper_DumpBufferCallback dumpBufferCallback, void* context);

  /* The client's reserved region of an imported buffer: CPU-accessible,
   * word-aligned, exactly the reservedSize asked for at allocation, valid
   * until freeBuffer(). */
  AIMapper_Error (*getReservedRegion)(buffer_handle_t buffer,
                                      void** outReservedRegion,
                                      uint64_t* outReservedSize);
} AIMapperV5;

/* What AIMapper_loadIMapper() returns. Its size may grow with later
 * versions: never copy it by value, and read only the members `version`
 * covers. */
typedef struct AIMapper {
#ifdef __cplusplus
  alignas(alignof(max_align_t)) AIMapper_Version version;
#else
  _Alignas(max_align_t) AIMapper_Version version;
#endif
  AIMapperV5 v5;
} AIMapper;

/* Returns the process's mapper. Every call returns the same table. NONE on
 * success; UNSUPPORTED if no implementation is available. */
AIMapper_Error AIMapper_loadIMapper(AIMapper** outImplementation);

#undef AIMAPPER_TYPED_ENUM

#ifdef __cplusplus
}
#endif

#endif /* GRALLOC_HAL_INCLUDE_ANDROID_HARDWARE_GRAPHICS_MAPPER_IMAPPER_H_ */
