// Copyright 2026 The gralloc for Linux Authors.
//
// The main() of a fuzz target built without libFuzzer (tests/fuzz/fuzz.bzl):
// runs LLVMFuzzerTestOneInput once on each file named on the command line,
// and on each file of each directory named, so a reproducer or a whole
// corpus replays under gcc, gdb or valgrind:
//
//   bazel build //tests/fuzz:handle_fuzz
//   bazel-bin/tests/fuzz/handle_fuzz tests/fuzz/handle_fuzz_corpus crash-...
//
// Arguments starting with '-' (libFuzzer's flags) are ignored.

#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);
extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv)
    __attribute__((weak));

namespace {

bool RunFile(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    std::fprintf(stderr, "cannot read %s\n", path.c_str());
    return false;
  }
  const std::vector<char> bytes((std::istreambuf_iterator<char>(file)),
                                std::istreambuf_iterator<char>());
  std::fprintf(stderr, "running %s (%zu bytes)\n", path.c_str(), bytes.size());
  LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(bytes.data()),
                         bytes.size());
  return true;
}

std::vector<std::string> FilesIn(const std::string& directory) {
  std::vector<std::string> files;
  DIR* dir = opendir(directory.c_str());
  if (dir == nullptr) return files;
  while (const dirent* entry = readdir(dir)) {
    const std::string name = entry->d_name;
    if (name == "." || name == "..") continue;
    files.push_back(directory + "/" + name);
  }
  closedir(dir);
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

int main(int argc, char** argv) {
  if (LLVMFuzzerInitialize != nullptr) LLVMFuzzerInitialize(&argc, &argv);
  int runs = 0;
  bool ok = true;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg.empty() || arg[0] == '-') continue;
    struct stat st {};
    if (stat(arg.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) {
      for (const std::string& file : FilesIn(arg)) {
        ok = RunFile(file) && ok;
        ++runs;
      }
    } else {
      ok = RunFile(arg) && ok;
      ++runs;
    }
  }
  std::fprintf(stderr, "%d inputs ran\n", runs);
  return ok ? 0 : 1;
}
