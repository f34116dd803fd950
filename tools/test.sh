#!/usr/bin/env bash
# The README's test command: installs what is missing, builds everything
# warning-free, runs every test, and ends with "N passed, N failed[, N
# skipped]" counted from the per-test results Bazel records.
#
# Usage: tools/test.sh [bazel test flags...]   e.g. tools/test.sh --config=asan
# The summary's counts are also written to $GRALLOC_TEST_COUNTS if it is set.
set -uo pipefail
cd "$(dirname "$0")/.."

bash tools/setup.sh || exit 1

bep="$(mktemp --tmpdir gralloc-bep.XXXXXX.json)"
trap 'rm -f "${bep}"' EXIT
bazel test --keep_going --build_event_json_file="${bep}" "$@" //...
status=$?
# Exit 4 is "no tests found", which for this project is a failure too.
python3 tools/testing/summarize.py "${bep}" || status=1
exit "${status}"
