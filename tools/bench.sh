#!/usr/bin/env bash
# Issue 11's benchmark suite (bench/): installs what is missing, builds
# //bench:allocation_bench with -c opt, runs every row on every backend this
# machine has (each path beside its kernel floor, in one run, with a private
# gralloc-allocatord for the service rows), prints the tables of
# bench/report.py (median, p99, floor, ratio, the issue's target marked met
# or MISSED), writes them to bench/RESULTS-host.md and plots median latency
# against buffer size per path, log-log, to docs/bench-latency.png.
#
# Usage: tools/bench.sh [--quick] [google benchmark flags...]
#   --quick  CI mode: --benchmark_min_time=0.01 (under a minute); results
#            and plot stay in the output directory, the repository's
#            RESULTS-host.md and PNG are left alone
#   e.g. tools/bench.sh --benchmark_filter='Allocate|FloorAlloc/'
#        tools/bench.sh --rounds=5
#
# Timing is never pass or fail: the exit status is non-zero only when
# something could not be built or run. A full run takes about 3.5 minutes
# on 2 cores with memfd alone (96 rows, --benchmark_min_time=0.5, three
# rounds of the whole suite, whose medians and per-round ratios the tables
# take: bench/rounds.h); later flags override these.
#
# Environment:
#   GRALLOC_BENCH_OUT        where bench.json, the tables and the plot data
#                            go (default /tmp/gralloc-bench)
#   GRALLOC_BAZEL_OUTPUT_BASE  a Bazel output base to build in (default:
#                            Bazel's own), e.g. to stay out of the way of a
#                            build running in the default one
set -euo pipefail
cd "$(dirname "$0")/.."

quick=0
bench_flags=()
for arg in "$@"; do
  case "${arg}" in
    --quick) quick=1 ;;
    *) bench_flags+=("${arg}") ;;
  esac
done

out="${GRALLOC_BENCH_OUT:-/tmp/gralloc-bench}"
bazel_cmd=(bazel)
if [[ -n "${GRALLOC_BAZEL_OUTPUT_BASE:-}" ]]; then
  bazel_cmd+=(--output_base="${GRALLOC_BAZEL_OUTPUT_BASE}")
fi

bash tools/setup.sh --bench
"${bazel_cmd[@]}" build -c opt //bench:allocation_bench
bin="$("${bazel_cmd[@]}" info -c opt bazel-bin 2>/dev/null)"

mkdir -p "${out}"
json="${out}/bench.json"
if ((quick)); then
  min_time=(--benchmark_min_time=0.01)
  results="${out}/RESULTS-host.md"
  plot="${out}/bench-latency.png"
else
  min_time=(--benchmark_min_time=0.5 --rounds=3)
  results=bench/RESULTS-host.md
  plot=docs/bench-latency.png
fi

echo "bench: running the suite (${min_time[*]}); JSON in ${json}" >&2
start_s="${SECONDS}"
"${bin}/bench/allocation_bench" "${min_time[@]}" \
  --benchmark_out="${json}" --benchmark_out_format=json \
  ${bench_flags[@]+"${bench_flags[@]}"}
echo "bench: the suite took $((SECONDS - start_s)) s" >&2

data="${out}/bench-plot.dat"
/usr/bin/python3 bench/report.py "${json}" --markdown "${results}" \
  --plot-data "${data}" --title "gralloc benchmark suite: this host"
echo "bench: tables in ${results}" >&2

# One series per (path, backend): colour by path, its floor dashed in the
# same colour, point type by backend.
plots=()
while IFS='|' read -r index title colour dashed point; do
  plots+=("'${data}' index ${index} using 1:2 with linespoints lc ${colour} dt $((dashed ? 2 : 1)) pt ${point} title '${title}'")
done <"${data}.series"
if ((${#plots[@]} == 0)); then
  echo "bench: nothing to plot (every row skipped?)" >&2
  exit 0
fi
mkdir -p "$(dirname "${plot}")"
plot_command="$(printf '%s, ' "${plots[@]}")"
gnuplot <<EOF
set terminal pngcairo size 1200,800 font ",10"
set output '${plot}'
set title "gralloc: median latency against buffer size (dashed: the kernel's floor for the same work)"
set logscale xy
set xlabel 'buffer size (bytes)'
set ylabel 'median latency (us)'
set format x '%.0s%cB'
set key outside right top
set grid
plot ${plot_command%, }
EOF
echo "bench: plot in ${plot}" >&2
