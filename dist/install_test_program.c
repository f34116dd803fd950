/*
 * A vendor-style C program built with plain gcc and pkg-config against an
 * installed tree: allocates a buffer, asks where the mapper is and dlopens
 * it (no hard-coded path), imports the buffer, writes under lock, reads back
 * through a second import, asks whether the buffer also serves an encoder
 * (with the reason when not), releases its quota and cleans up.
 * Exit status 0 on success; prints what failed otherwise.
 */
#include <android/hardware/graphics/mapper/IMapper.h>
#include <dlfcn.h>
#include <gralloc/allocator.h>
#include <stdio.h>
#include <string.h>

#define CHECK(cond, what)                      \
  do {                                         \
    if (!(cond)) {                             \
      fprintf(stderr, "FAILED: %s\n", (what)); \
      return 1;                                \
    }                                          \
  } while (0)

typedef AIMapper_Error (*LoadIMapper)(AIMapper** outImplementation);

int main(int argc, char** argv) {
  GrallocAllocator* allocator = NULL;
  const char* socket_path = argc > 1 && argv[1][0] != '\0' ? argv[1] : NULL;
  const char* want_mapper = argc > 2 ? argv[2] : NULL;
  int error = socket_path ? GrallocAllocator_connect(socket_path, &allocator)
                          : GrallocAllocator_openInProcess(NULL, &allocator);
  CHECK(error == 0, "open the allocator");

  GrallocBufferDescriptorInfo info;
  memset(&info, 0, sizeof(info));
  strcpy(info.name, "install-test");
  info.width = 64;
  info.height = 64;
  info.layerCount = 1;
  info.format = 1;   /* RGBA_8888 */
  info.usage = 0x33; /* CPU_READ_OFTEN | CPU_WRITE_OFTEN */
  bool supported = false;
  CHECK(GrallocAllocator_isSupported(allocator, &info, &supported) == 0 &&
            supported,
        "isSupported");
  native_handle_t* raw = NULL;
  int32_t stride = 0;
  CHECK(GrallocAllocator_allocate2(allocator, &info, 1, &stride, &raw) == 0,
        "allocate2");
  CHECK(stride >= 64, "stride");

  /* The mapper, where the allocator says it is. */
  char mapper_path[4096];
  CHECK(GrallocAllocator_getMapperLibrary(allocator, mapper_path,
                                          sizeof(mapper_path), NULL) == 0,
        "getMapperLibrary");
  if (want_mapper != NULL && strcmp(mapper_path, want_mapper) != 0) {
    fprintf(stderr, "FAILED: mapper library is %s, expected %s\n", mapper_path,
            want_mapper);
    return 1;
  }
  void* library = dlopen(mapper_path, RTLD_NOW | RTLD_LOCAL);
  CHECK(library != NULL, "dlopen the mapper library");
  LoadIMapper load = NULL;
  *(void**)(&load) = dlsym(library, "AIMapper_loadIMapper");
  CHECK(load != NULL, "dlsym AIMapper_loadIMapper");
  AIMapper* mapper = NULL;
  CHECK(load(&mapper) == AIMAPPER_ERROR_NONE, "load mapper");

  buffer_handle_t writer = NULL, reader = NULL;
  CHECK(mapper->v5.importBuffer(raw, &writer) == AIMAPPER_ERROR_NONE, "import");
  CHECK(mapper->v5.importBuffer(raw, &reader) == AIMAPPER_ERROR_NONE, "import");
  void* data = NULL;
  ARect all = {0, 0, 0, 0};
  CHECK(mapper->v5.lock(writer, 0x30, all, -1, &data) == AIMAPPER_ERROR_NONE,
        "lock for writing");
  memset(data, 0x5a, (size_t)stride * 64 * 4);
  int fence = 0;
  CHECK(mapper->v5.unlock(writer, &fence) == AIMAPPER_ERROR_NONE, "unlock");
  CHECK(mapper->v5.lock(reader, 0x3, all, -1, &data) == AIMAPPER_ERROR_NONE,
        "lock for reading");
  CHECK(((unsigned char*)data)[stride * 64 * 4 - 1] == 0x5a, "data read back");
  CHECK(mapper->v5.unlock(reader, &fence) == AIMAPPER_ERROR_NONE, "unlock");

  /* A late joiner, asked with the imported handle: an RGBA buffer does not
   * serve a video encoder of the built-in profile, and the reason says
   * why. */
  bool serves = true;
  CHECK(GrallocAllocator_serves(allocator, writer, 0x10000, &serves) == 0,
        "serves");
  CHECK(!serves, "an RGBA buffer serves VIDEO_ENCODER");
  char reason[512];
  CHECK(GrallocAllocator_getLastReason(allocator, reason, sizeof(reason),
                                       NULL) == 0,
        "getLastReason");
  CHECK(strstr(reason, "VIDEO_ENCODER") != NULL, "the reason names the user");

  CHECK(mapper->v5.freeBuffer(writer) == AIMAPPER_ERROR_NONE, "free");
  CHECK(mapper->v5.freeBuffer(reader) == AIMAPPER_ERROR_NONE, "free");
  CHECK(GrallocAllocator_release(allocator, raw) == 0, "release");
  native_handle_close(raw);
  native_handle_delete(raw);
  GrallocAllocator_close(allocator);
  printf("installed tree works: %dx%d RGBA_8888, stride %d px, mapper %s\n", 64,
         64, stride, mapper_path);
  printf("late joiner refused: %s\n", reason);
  return 0;
}
