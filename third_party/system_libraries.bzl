"""Brings Debian's system libraries into the build as local repositories.

Every library here is installed by tools/setup.sh from Debian's packages; the
repositories only describe them to Bazel. Their headers live in /usr/include,
which is on the compiler's default search path, so the targets mostly carry
link options. Labels follow each project's upstream Bazel layout
(@com_google_absl//absl/status, @com_google_googletest//:gtest, ...), so moving
to a source checkout later changes this file and nothing else.
"""

def _system_repository_impl(ctx):
    for label, path in ctx.attr.build_files.items():
        ctx.symlink(label, path)
    for name, target in ctx.attr.symlinks.items():
        ctx.symlink(target, name)
    if "WORKSPACE" not in ctx.attr.build_files.values():
        ctx.file("WORKSPACE", "workspace(name = \"%s\")\n" % ctx.name)

system_repository = repository_rule(
    implementation = _system_repository_impl,
    local = True,
    attrs = {
        # A BUILD file in this repo -> its repository-relative path there.
        "build_files": attr.label_keyed_string_dict(mandatory = True, allow_files = True),
        # Repository-relative name -> absolute path on the system.
        "symlinks": attr.string_dict(),
    },
    doc = "A repository made of BUILD files describing an installed library.",
)

# abseil 20220623 (libabsl-dev): one BUILD file per upstream package.
_ABSL_PACKAGES = [
    "base",
    "cleanup",
    "container",
    "hash",
    "numeric",
    "random",
    "status",
    "strings",
    "synchronization",
    "time",
    "types",
]

def system_libraries():
    """Declares every system library repository the project uses."""
    system_repository(
        name = "com_google_absl",
        build_files = dict(
            [("//third_party/absl:BUILD.root", "BUILD")] +
            [
                ("//third_party/absl:BUILD.%s" % pkg, "absl/%s/BUILD" % pkg)
                for pkg in _ABSL_PACKAGES
            ],
        ),
    )
    system_repository(
        name = "com_google_googletest",
        build_files = {"//third_party/googletest:BUILD.system": "BUILD"},
    )
    system_repository(
        name = "com_github_google_benchmark",
        build_files = {"//third_party/benchmark:BUILD.system": "BUILD"},
    )
    system_repository(
        name = "libdrm",
        build_files = {"//third_party/libdrm:BUILD.system": "BUILD"},
        symlinks = {"include": "/usr/include/libdrm"},
    )
    system_repository(
        name = "nlohmann_json",
        build_files = {"//third_party/nlohmann_json:BUILD.system": "BUILD"},
    )
