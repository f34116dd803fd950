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
    pkg_config_libraries()

# Libraries described by pkg-config (GStreamer and GLib): their headers live
# in directories of their own (/usr/include/gstreamer-1.0, and glibconfig.h
# under the multiarch /usr/lib/<triplet>/glib-2.0/include), so the rule asks
# pkg-config where they are when Bazel first loads the repository, rather
# than naming an x86-64 path that is wrong on the arm64 boards this HAL is
# for. Each include directory is symlinked into the repository (as libdrm's
# is) and the flags land in pkg_config.bzl for the BUILD file to read:
#   PKG_CONFIG["gstreamer-1.0"] == {"includes": [...], "linkopts": [...]}
def _pkg_config_repository_impl(ctx):
    pkg_config = ctx.which("pkg-config")
    if pkg_config == None:
        fail("pkg-config is missing: run tools/setup.sh")
    modules = {}
    linked = {}
    for module in ctx.attr.modules:
        cflags = ctx.execute([pkg_config, "--cflags-only-I", module])
        libs = ctx.execute([pkg_config, "--libs", module])
        if cflags.return_code != 0 or libs.return_code != 0:
            fail("pkg-config knows no %s (%s): run tools/setup.sh" %
                 (module, (cflags.stderr + libs.stderr).strip()))
        includes = []
        for flag in cflags.stdout.split(" "):
            path = flag.strip()[2:]
            # /usr/include and its multiarch child are the compiler's own.
            if not path or path == "/usr/include" or (
                path.startswith("/usr/include/") and
                path.endswith("-linux-gnu")
            ):
                continue
            name = "sys" + path
            if name not in linked:
                ctx.symlink(path, name)
                linked[name] = True
            includes.append(name)
        linkopts = [f.strip() for f in libs.stdout.split(" ") if f.strip()]
        modules[module] = {"includes": includes, "linkopts": linkopts}
    ctx.file("pkg_config.bzl", "PKG_CONFIG = %r\n" % modules)
    ctx.symlink(ctx.attr.build_file, "BUILD")
    ctx.file("WORKSPACE", "workspace(name = \"%s\")\n" % ctx.name)

pkg_config_repository = repository_rule(
    implementation = _pkg_config_repository_impl,
    local = True,
    attrs = {
        "build_file": attr.label(mandatory = True, allow_single_file = True),
        "modules": attr.string_list(mandatory = True),
    },
    doc = "A repository describing installed pkg-config modules to Bazel.",
)

def pkg_config_libraries():
    """Declares the pkg-config system libraries (GStreamer 1.22 and GLib)."""
    pkg_config_repository(
        name = "gstreamer",
        build_file = "//third_party/gstreamer:BUILD.system",
        modules = [
            "glib-2.0",
            "gobject-2.0",
            "gstreamer-1.0",
            "gstreamer-base-1.0",
            "gstreamer-video-1.0",
            "gstreamer-allocators-1.0",
        ],
    )
