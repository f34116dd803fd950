#!/usr/bin/env bash
# Fails if a production (non-testonly) target of the allocator depends on the
# mapper or one of the mapper's on the allocator. The two share only hal/;
# bazel/visibility.bzl keeps their internal targets apart, and this catches
# what visibility cannot: the public ABI targets (//allocator:client,
# //mapper:mapper), which everyone may use.
#
# Usage: tools/check_layering.sh
# With $GRALLOC_TEST_COUNTS set, appends "1 0 0" (passed) or "0 1 0" (failed)
# to it, so CI counts the check.
set -uo pipefail
cd "$(dirname "$0")/.."

bash tools/setup.sh || exit 1

count() {
  if [[ -n "${GRALLOC_TEST_COUNTS:-}" ]]; then echo "$1" >>"${GRALLOC_TEST_COUNTS}"; fi
}

failed=0
check() {
  local from="$1" to="$2"
  local query="attr(testonly, 0, deps(attr(testonly, 0, ${from}))) intersect ${to}"
  local found
  if ! found="$(bazel query --noshow_progress "${query}" 2>/dev/null)"; then
    echo "check_layering: bazel query failed: ${query}" >&2
    failed=1
    return
  fi
  if [[ -n "${found}" ]]; then
    echo "check_layering: production code of ${from} depends on ${to}:" >&2
    sed 's/^/  /' <<<"${found}" >&2
    failed=1
  fi
}
check "//allocator/..." "//mapper/..."
check "//mapper/..." "//allocator/..."

if ((failed)); then
  count "0 1 0"
  exit 1
fi
echo "check_layering: allocator/ and mapper/ production code share only hal/"
count "1 0 0"
