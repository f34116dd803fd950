#!/usr/bin/env bash
# Fails if any C or C++ source of the project is not formatted as the root
# .clang-format says. CI runs it before the tests; run it before you commit.
#
# Usage: tools/check_format.sh [--fix]
#   --fix  rewrites the unformatted files in place instead of failing.
# With $GRALLOC_TEST_COUNTS set, appends "1 0 0" (passed) or "0 1 0" (failed)
# to it, as tools/test.sh does for its tests, so CI counts the check.
set -uo pipefail
cd "$(dirname "$0")/.."

fix=0
if [[ "${1:-}" == "--fix" ]]; then fix=1; fi

bash tools/setup.sh || exit 1
command -v clang-format >/dev/null || { echo "check_format: clang-format is missing" >&2; exit 1; }

count() {
  if [[ -n "${GRALLOC_TEST_COUNTS:-}" ]]; then echo "$1" >>"${GRALLOC_TEST_COUNTS}"; fi
}

mapfile -t sources < <(git ls-files '*.c' '*.cc' '*.h')
unformatted=()
for file in "${sources[@]}"; do
  if ! clang-format --style=file "${file}" | cmp -s - "${file}"; then
    unformatted+=("${file}")
  fi
done

if ((${#unformatted[@]} == 0)); then
  echo "check_format: ${#sources[@]} files formatted ($(clang-format --version | head -n 1))"
  count "1 0 0"
  exit 0
fi
if ((fix)); then
  clang-format --style=file -i "${unformatted[@]}"
  echo "check_format: reformatted ${#unformatted[@]} files"
  exit 0
fi
echo "check_format: ${#unformatted[@]} files are not formatted (tools/check_format.sh --fix):" >&2
for file in "${unformatted[@]}"; do
  echo "  ${file}" >&2
  clang-format --style=file "${file}" | diff -u "${file}" - | head -n 20 >&2
done
count "0 1 0"
exit 1
