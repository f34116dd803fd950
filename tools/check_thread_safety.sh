#!/usr/bin/env bash
# Fails if clang's thread-safety analysis (-Wthread-safety) finds shared
# state used without the mutex that guards it: every ABSL_GUARDED_BY field
# and ABSL_EXCLUSIVE_LOCKS_REQUIRED function, with the capability
# annotations of hal/base/mutex.h, is checked at compile time. Builds
# everything (//..., not the manual fuzz targets) with clang and
# --config=thread_safety, in clang's own output base
# (~/.cache/gralloc-clang/<checkout>), so the default gcc build is left
# alone. CI runs it beside the format and
# layering checks.
#
# Usage: tools/check_thread_safety.sh
# With $GRALLOC_TEST_COUNTS set, appends "1 0 0" (passed) or "0 1 0"
# (failed) to it, as tools/check_format.sh does.
set -uo pipefail
cd "$(dirname "$0")/.."

count() {
  if [[ -n "${GRALLOC_TEST_COUNTS:-}" ]]; then echo "$1" >>"${GRALLOC_TEST_COUNTS}"; fi
}

if ! bash tools/setup.sh --clang; then
  count "0 1 0"
  exit 1
fi

start=${SECONDS}
# One clang output base per checkout (Bazel ties an output base to one
# workspace).
clang_base="${HOME}/.cache/gralloc-clang/$(pwd -P | sha256sum | cut -c1-12)"
if bazel --output_base="${clang_base}" build \
  --config=thread_safety --keep_going //...; then
  echo "check_thread_safety: clean ($((SECONDS - start)) s, $(clang --version | head -n 1))"
  count "1 0 0"
  exit 0
fi
echo "check_thread_safety: the clang build failed; -Wthread-safety errors" \
  "above name the field and the mutex" >&2
count "0 1 0"
exit 1
