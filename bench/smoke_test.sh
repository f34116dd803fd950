#!/usr/bin/env bash
# //bench:bench_smoke_test: the benchmark suite cannot rot. Runs every row
# of //bench:allocation_bench exactly 3 times (--iterations=3, so even the
# 4K rows under ThreadSanitizer take seconds) with its private service, and
# checks
#   - the JSON, with bench/report.py --check: every row of every backend
#     this machine has is there, and none reports an error except a
#     documented skip ("skipped: ...", printed with its reason);
#   - that --rounds=2 writes one JSON with every row twice, and refuses
#     another output format;
#   - that rows warm up untimed unless --iterations is given, and that a
#     bad --warmup_time is refused;
#   - that an interleaved row reports its floor beside it, from its timed
#     iterations only (not its warm-up's);
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

# --rounds: the suite run over twice into one JSON document, in which
# every row run appears once per round.
rounds_json="${TEST_TMPDIR}/rounds.json"
"${runfiles}/bench/allocation_bench" --iterations=1 --rounds=2 \
  --benchmark_filter='^Floor(Alloc|Map)/' --benchmark_out="${rounds_json}" \
  --benchmark_out_format=json 2>/dev/null >/dev/null || {
  echo "smoke: allocation_bench --rounds=2 failed" >&2
  exit 1
}
python3 - "${rounds_json}" <<'PY'
import collections, json, sys
runs = [b["run_name"] for b in json.load(open(sys.argv[1]))["benchmarks"]
        if b.get("run_type") == "iteration"]
counts = collections.Counter(runs)
if not counts or any(n != 2 for n in counts.values()):
    sys.exit("smoke: --rounds=2 gave %s" % dict(counts))
print("smoke: --rounds=2 ran each of %d rows twice, in one JSON" % len(counts))
PY
# Rounds write JSON only: another format is refused before anything runs.
status=0
"${runfiles}/bench/allocation_bench" --rounds=2 --benchmark_out_format=csv \
  --benchmark_out="${TEST_TMPDIR}/rounds.csv" 2>"${TEST_TMPDIR}/csv.stderr" \
  >/dev/null || status=$?
if ((status != 2)) || ! grep -q "writes json only" "${TEST_TMPDIR}/csv.stderr"; then
  echo "smoke: --rounds=2 with csv output gave status ${status}" >&2
  exit 1
fi

# Warm-up: rows run exactly N times (--iterations) have none; otherwise a
# row runs untimed first, and says how many iterations that was. A bad
# --warmup_time is refused before anything runs.
python3 - "${json}" <<'PY'
import json, sys
rows = [b for b in json.load(open(sys.argv[1]))["benchmarks"]
        if b.get("run_type") == "iteration" and "warmup_iterations" in b]
warm = [b["run_name"] for b in rows if b["warmup_iterations"] != 0]
if not rows or warm:
    sys.exit("smoke: --iterations=3 rows warmed up: %s" % warm[:3])
PY
warm_json="${TEST_TMPDIR}/warm.json"
"${runfiles}/bench/allocation_bench" --warmup_time=0.02 \
  --benchmark_min_time=0.01 --benchmark_filter='^FloorAlloc/memfd/' \
  --benchmark_out="${warm_json}" --benchmark_out_format=json \
  2>/dev/null >/dev/null || {
  echo "smoke: allocation_bench --warmup_time=0.02 failed" >&2
  exit 1
}
python3 - "${warm_json}" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
rows = [b for b in doc["benchmarks"] if b.get("run_type") == "iteration"]
cold = [b["run_name"] for b in rows if b.get("warmup_iterations", 0) < 1]
if not rows or cold or doc["context"].get("gralloc_warmup_s") != "0.02":
    sys.exit("smoke: rows not warmed up: %s" % (cold or "no rows"))
print("smoke: each of %d rows warmed up first (%s iterations and more)"
      % (len(rows), min(int(b["warmup_iterations"]) for b in rows)))
PY
# An interleaved row's iteration is a turn of each (1 to 32 calls): it
# reports its timed calls, not its warm-up's. A minimum time of 1 us makes
# the row's first run, the one that warms up, the run reported.
mixed_json="${TEST_TMPDIR}/interleaved.json"
"${runfiles}/bench/allocation_bench" --warmup_time=0.02 \
  --benchmark_min_time=0.000001 \
  --benchmark_filter='^AllocateInterleaved/memfd/' \
  --benchmark_out="${mixed_json}" --benchmark_out_format=json \
  2>/dev/null >/dev/null || {
  echo "smoke: allocation_bench AllocateInterleaved failed" >&2
  exit 1
}
python3 - "${mixed_json}" <<'PY'
import json, sys
rows = [b for b in json.load(open(sys.argv[1]))["benchmarks"]
        if b.get("run_type") == "iteration"]
bad = [(b["run_name"], b["iterations"], b.get("samples"),
        b.get("floor_samples"), b.get("warmup_iterations"),
        b.get("floor_p50_us"))
       for b in rows
       if not b["iterations"] <= b.get("samples", 0) <= 32 * b["iterations"]
       or not b["iterations"] <= b.get("floor_samples", 0) <=
       32 * b["iterations"] or
       b.get("warmup_iterations", 0) < 1 or
       not b.get("floor_p50_us", 0) > 0 or
       not b.get("floor_p99_us", 0) >= b["floor_p50_us"] or
       not b.get("floor_mean_us", 0) > 0]
if len(rows) != 6 or bad:
    sys.exit("smoke: %d interleaved rows; wrong (name, iterations, samples, "
             "floor samples, warm-up, floor p50): %s" % (len(rows), bad))
print("smoke: %d interleaved rows report their floor beside them, and "
      "not their warm-up" % len(rows))
PY
for bad in -1 x 61; do
  status=0
  "${runfiles}/bench/allocation_bench" --warmup_time="${bad}" \
    2>"${TEST_TMPDIR}/warm.stderr" >/dev/null || status=$?
  if ((status != 2)) || ! grep -q "warmup_time" "${TEST_TMPDIR}/warm.stderr"; then
    echo "smoke: --warmup_time=${bad} gave status ${status}" >&2
    exit 1
  fi
done

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
