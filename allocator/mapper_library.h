// Copyright 2026 The gralloc for Linux Authors.
//
// allocator/mapper_library.h: where the mapper library is, so a client can
// dlopen() it without hard-coding a path (the role Android's
// getIMapperLibrarySuffix plays).
//
// The answer, in order:
//   1. $GRALLOC_MAPPER_LIBRARY, when set and not empty;
//   2. libgralloc_mapper.so beside the object this code is linked into (the
//      installed libgralloc_allocator.so lives in the same lib/ directory),
//      or in ../lib from it (the installed gralloc_allocatord in bin/);
//   3. the bare name "libgralloc_mapper.so", for the dynamic loader's
//      search path.
// A path found in step 2 is absolute and names a file that exists.
//
// Thread-safe.

#ifndef GRALLOC_ALLOCATOR_MAPPER_LIBRARY_H_
#define GRALLOC_ALLOCATOR_MAPPER_LIBRARY_H_

#include <string>

namespace gralloc {

inline constexpr char kMapperLibraryName[] = "libgralloc_mapper.so";
inline constexpr char kMapperLibraryVariable[] = "GRALLOC_MAPPER_LIBRARY";

std::string FindMapperLibrary();

}  // namespace gralloc

#endif  // GRALLOC_ALLOCATOR_MAPPER_LIBRARY_H_
