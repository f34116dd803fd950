#!/usr/bin/env bash
# The README's first command: installs what is missing, builds, and runs the
# main job. Today that is `gralloctl formats` (the format table); it grows
# into the allocator service plus a camera -> codec -> display pipeline.
set -euo pipefail
cd "$(dirname "$0")/.."

bash tools/setup.sh
bazel build //tools:gralloctl
bazel-bin/tools/gralloctl/gralloctl formats
