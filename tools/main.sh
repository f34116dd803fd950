#!/usr/bin/env bash
# The README's first command: installs what is missing, builds, and runs the
# main job: the allocator service on the embedded default profile (and
# whatever heaps this machine has), and a camera -> codec + display pipeline
# of separate processes that allocate, share, lock, verify and describe
# frames through it. Exits non-zero on any mismatch.
set -euo pipefail
cd "$(dirname "$0")/.."

bash tools/setup.sh
bazel build //tools/pipeline:gralloc_pipeline //allocator:gralloc_allocatord
exec bazel-bin/tools/pipeline/gralloc_pipeline \
  --service=bazel-bin/allocator/service/gralloc_allocatord "$@"
