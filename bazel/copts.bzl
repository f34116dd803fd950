"""The one place for the compiler flags of this project's own code.

Third-party code (system libraries) is never compiled by this build, so these
flags apply to everything Bazel compiles. Sanitizer and optimisation choices
are configs in .bazelrc (asan, tsan), not per target.
"""

# Warnings are errors for our code: a warning left alone hides the next one.
GRALLOC_COPTS = [
    "-Wall",
    "-Wextra",
    "-Werror",
    "-Wshadow",
    "-Wnon-virtual-dtor",
    "-Wno-unused-parameter",
]

# The same flags for the few C sources (native_handle.c and the ABI tests
# compiled as C); -Wnon-virtual-dtor is C++-only.
GRALLOC_C_COPTS = [
    "-Wall",
    "-Wextra",
    "-Werror",
    "-Wshadow",
    "-Wno-unused-parameter",
]

# Test code: the same warnings.
GRALLOC_TEST_COPTS = GRALLOC_COPTS
