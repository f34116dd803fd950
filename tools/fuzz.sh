#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz/) with clang, ASan and UBSan, and
# runs each for SECONDS (default 60) on a scratch copy of its seed corpus, so
# the repository is never modified. Prints per target the executions, the
# coverage (cov: edges, ft: features, from libFuzzer's final line) and PASS
# or FAIL; a crash, leak, timeout or out-of-memory is a failure, and its
# reproducer is kept (under $GRALLOC_FUZZ_OUT, default
# ~/.cache/gralloc-fuzz/<target>/) and printed as a hex dump.
#
# Usage: tools/fuzz.sh [SECONDS] [TARGET...]   e.g. tools/fuzz.sh 300 handle_fuzz
# Replay a reproducer: the same binary with the file as its argument, or
# `bazel build //tests/fuzz:<target>` (gcc, no libFuzzer) and run that on it.
#
# clang builds in its own output base (~/.cache/gralloc-clang/<checkout>),
# beside the default gcc one, so neither invalidates the other. With
# $GRALLOC_TEST_COUNTS set, appends "passed failed skipped" (each target one test) as
# tools/test.sh does. Exits non-zero if any target fails or nothing ran.
set -uo pipefail
cd "$(dirname "$0")/.."

seconds="${1:-60}"
shift || true
targets=("$@")
if ((${#targets[@]} == 0)); then
  targets=(handle_fuzz protocol_fuzz metadata_fuzz descriptor_fuzz
    negotiation_fuzz)
fi

count() {
  if [[ -n "${GRALLOC_TEST_COUNTS:-}" ]]; then echo "$1" >>"${GRALLOC_TEST_COUNTS}"; fi
}

if ! bash tools/setup.sh --clang; then
  count "0 ${#targets[@]} 0"
  exit 1
fi

# One clang output base per checkout (Bazel ties an output base to one
# workspace).
clang_base="${HOME}/.cache/gralloc-clang/$(pwd -P | sha256sum | cut -c1-12)"
bazel_clang=(bazel --output_base="${clang_base}")
labels=()
for target in "${targets[@]}"; do labels+=("//tests/fuzz:${target}"); done
echo "fuzz: building ${targets[*]} (clang, --config=fuzz)"
start=${SECONDS}
if ! "${bazel_clang[@]}" build --config=fuzz "${labels[@]}"; then
  echo "fuzz: the build failed" >&2
  count "0 ${#targets[@]} 0"
  exit 1
fi
echo "fuzz: built in $((SECONDS - start)) s"
bin="$("${bazel_clang[@]}" info --config=fuzz bazel-bin 2>/dev/null)"

out_root="${GRALLOC_FUZZ_OUT:-${HOME}/.cache/gralloc-fuzz}"
scratch="$(mktemp -d --tmpdir gralloc-fuzz.XXXXXX)"
trap 'rm -rf "${scratch}"' EXIT

passed=0
failed=0
results=()
for target in "${targets[@]}"; do
  corpus="${scratch}/${target}_corpus"
  artifacts="${out_root}/${target}"
  mkdir -p "${corpus}" "${artifacts}"
  cp -r "tests/fuzz/${target}_corpus/." "${corpus}/"
  log="${scratch}/${target}.log"
  echo "=== fuzz: ${target} for ${seconds} s"
  # A crash, leak, timeout (-timeout s per input) or RSS over the limit
  # makes libFuzzer stop with a non-zero status and write the input to
  # ${artifacts}/crash-* (leak-*, timeout-*, oom-*).
  ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:symbolize=1" \
    UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1" \
    "${bin}/tests/fuzz/${target}" \
    -max_total_time="${seconds}" -rss_limit_mb=2048 -timeout=10 \
    -print_final_stats=1 -artifact_prefix="${artifacts}/" \
    "${corpus}" >"${log}" 2>&1
  status=$?
  # libFuzzer's last "#N DONE cov: ... ft: ..." (or the last status line
  # before it stopped).
  final="$(grep -E '^#[0-9]+' "${log}" | tail -n 1)"
  execs="$(sed -n 's/^stat::number_of_executed_units: *//p' "${log}" | tail -n 1)"
  cov="$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"${final}")"
  ft="$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"${final}")"
  execs="${execs:-$(sed -n 's/^#\([0-9]*\).*/\1/p' <<<"${final}")}"
  if ((status == 0)) && grep -q "DONE" <<<"${final}"; then
    verdict=PASS
    passed=$((passed + 1))
  else
    verdict=FAIL
    failed=$((failed + 1))
    echo "--- fuzz: ${target} failed (exit ${status}); the end of its log:"
    grep -v '^"' "${log}" | tail -n 60
    reproducer="$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "${log}" | tail -n 1)"
    if [[ -n "${reproducer}" && -f "${reproducer}" ]]; then
      echo "--- fuzz: reproducer ${reproducer} ($(stat -c %s "${reproducer}") bytes):"
      od -A x -t x1z -v "${reproducer}" | head -n 32
      echo "--- replay: ${bin}/tests/fuzz/${target} ${reproducer}"
    fi
  fi
  line="$(printf '%-18s %-4s executions %-10s cov %-6s ft %-6s' \
    "${target}" "${verdict}" "${execs:-?}" "${cov:-?}" "${ft:-?}")"
  results+=("${line}")
  echo "=== fuzz: ${line}"
done

echo "=== fuzz: summary (${seconds} s each)"
printf '%s\n' "${results[@]}"
echo "${passed} passed, ${failed} failed"
count "${passed} ${failed} 0"
((failed == 0 && passed > 0))
