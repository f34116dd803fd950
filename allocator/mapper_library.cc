// Copyright 2026 The gralloc for Linux Authors.

#include "allocator/mapper_library.h"

#include <dlfcn.h>
#include <unistd.h>

#include <climits>
#include <cstdlib>
#include <string>

namespace gralloc {

std::string FindMapperLibrary() {
  const char* variable = std::getenv(kMapperLibraryVariable);
  if (variable != nullptr && variable[0] != '\0') return variable;
  Dl_info info{};
  if (dladdr(reinterpret_cast<void*>(&FindMapperLibrary), &info) != 0 &&
      info.dli_fname != nullptr) {
    char resolved[PATH_MAX];
    if (realpath(info.dli_fname, resolved) != nullptr) {
      std::string dir(resolved);
      dir.resize(dir.rfind('/') + 1);
      for (const std::string& candidate :
           {dir + kMapperLibraryName, dir + "../lib/" + kMapperLibraryName}) {
        if (realpath(candidate.c_str(), resolved) != nullptr &&
            access(resolved, R_OK) == 0) {
          return resolved;
        }
      }
    }
  }
  return kMapperLibraryName;
}

}  // namespace gralloc
