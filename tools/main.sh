#!/usr/bin/env bash
# The README's first command: installs what is missing, builds, and runs the
# main job. Until the allocator service's pipeline lands, the main job shows
# what this machine can allocate and how a camera -> encoder + display
# buffer is negotiated on it.
set -euo pipefail
cd "$(dirname "$0")/.."

bash tools/setup.sh
bazel build //tools:gralloctl
gralloctl=bazel-bin/tools/gralloctl/gralloctl
"${gralloctl}" formats
echo
"${gralloctl}" heaps
echo
"${gralloctl}" explain --width=1920 --height=1080 --format=YCBCR_420_888 \
  --usage='CAMERA_OUTPUT|VIDEO_ENCODER|COMPOSER_OVERLAY|CPU_WRITE_OFTEN'
