#!/usr/bin/env bash
# The main job end to end: the service and three processes; a short run.
set -euo pipefail
runfiles="${TEST_SRCDIR}/gralloc"
output="$("${runfiles}/tools/pipeline/gralloc_pipeline" \
  --service="${runfiles}/allocator/service/gralloc_allocatord" \
  --frames=24 --width=160 --height=96 --buffers=3 2>&1)"
echo "${output}"
grep -q "codec:    24/24 frames verified" <<<"${output}"
grep -q "display:  24/24 frames" <<<"${output}"
grep -q "pipeline: OK" <<<"${output}"

# A spoiled frame must be caught, and the pipeline must say so and fail.
if spoiled="$("${runfiles}/tools/pipeline/gralloc_pipeline" \
    --service="${runfiles}/allocator/service/gralloc_allocatord" \
    --frames=8 --width=64 --height=32 --buffers=2 --corrupt-frame=5 2>&1)"; then
  echo "a corrupted frame went unnoticed:"
  echo "${spoiled}"
  exit 1
fi
grep -q "codec:    7/8 frames verified" <<<"${spoiled}"
grep -q "pipeline: FAILED" <<<"${spoiled}"
echo "the corrupted frame was caught"
