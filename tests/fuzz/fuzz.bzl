"""gralloc_fuzz_target: a libFuzzer target that the default build leaves alone.

A fuzz target is a plain cc_binary, tagged manual so that `bazel build //...`
and `bazel test //...` (gcc, no libFuzzer) never build it. Under
--config=fuzz (clang, .bazelrc) it links libFuzzer, whose main() drives
LLVMFuzzerTestOneInput; built any other way it links standalone_main.cc
instead, which runs the inputs named on its command line once each, so a
reproducer can be replayed without clang (and under gdb).
"""

load("//bazel:copts.bzl", "GRALLOC_TEST_COPTS")

def gralloc_fuzz_target(name, srcs, deps = []):
    """One fuzz target `name`, its seed corpus in `<name>_corpus/`."""
    native.cc_binary(
        name = name,
        testonly = True,
        srcs = srcs,
        copts = GRALLOC_TEST_COPTS,
        linkopts = select({
            "//tests/fuzz:fuzzing": ["-fsanitize=fuzzer"],
            "//conditions:default": [],
        }),
        deps = deps + select({
            "//tests/fuzz:fuzzing": [],
            "//conditions:default": ["//tests/fuzz:standalone_main"],
        }),
        tags = [
            "fuzz",
            "manual",
        ],
    )
