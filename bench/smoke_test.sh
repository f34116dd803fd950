#!/usr/bin/env bash
# //bench:bench_smoke_test: the benchmark suite cannot rot. Runs every row
# of //bench:allocation_bench exactly 3 times (--iterations=3, so even the
# 4K rows under ThreadSanitizer take seconds) with its private service, and
# checks
#   - the JSON, with bench/report.py --check: every row of every backend
#     this machine has is there, and none reports an error except a
#     documented skip ("skipped: ...", printed with its reason);
#   - that the service it started is gone, and its socket directory too.
# Timing is never judged.
set -euo pipefail

runfiles="${TEST_SRCDIR:?}/${TEST_WORKSPACE:-gralloc}"
json="${TEST_TMPDIR:?}/bench.json"
log="${TEST_TMPDIR}/bench.stderr"

status=0
"${runfiles}/bench/allocation_bench" --iterations=3 \
  --benchmark_out="${json}" --benchmark_out_format=json 2>"${log}" ||
  status=$?
cat "${log}" >&2
if ((status != 0)); then
  echo "smoke: allocation_bench exited with status ${status}" >&2
  exit 1
fi

python3 "${runfiles}/bench/report.py" --check "${json}"

socket="$(sed -n 's/^allocation_bench: service: .* on //p' "${log}")"
if [[ -z "${socket}" ]]; then
  echo "smoke: the suite started no service (see its log above)" >&2
  exit 1
fi
if [[ -e "${socket%/*}" ]]; then
  echo "smoke: the service's directory ${socket%/*} was left behind" >&2
  exit 1
fi
for cmdline in /proc/[0-9]*/cmdline; do
  command="$({ tr '\0' ' ' <"${cmdline}"; } 2>/dev/null || true)"
  if [[ "${command}" == *"--socket=${socket}"* ]]; then
    echo "smoke: the service on ${socket} outlived the suite" >&2
    exit 1
  fi
done
echo "smoke: the service on ${socket} stopped with the suite"
