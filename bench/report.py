#!/usr/bin/env python3
"""Tables of issue 11's benchmark suite: every row beside its floor.

Reads the JSON of //bench:allocation_bench (--benchmark_out=FILE
--benchmark_out_format=json) and prints, per backend, a markdown table: the
path, the shape, the median and p99 latency, the floor's median, the ratio
and the distance to the floor, and the issue's target for the row with
"met" or "MISSED". The figures are the counters p50_us and p99_us each row
computes from its own per-iteration samples (bench/latency.h); with
--benchmark_repetitions or allocation_bench's --rounds the median over
repetitions or rounds is used, and a row's ratio and distance to its floor
are the medians of the per-round ones (round k of the row against round k
of its floor, measured seconds apart): the VM's CPU has slow phases, and a
ratio of two medians taken from different phases says nothing. An
interleaved row (AllocateInterleaved) times its floor and its path in
turns within every iteration and reports both (floor_p50_us beside
p50_us), so its ratio is the median of its own per-round ones, whatever
else ran. Where the clock is too coarse for single samples (context
gralloc_clock_resolution_ns, or a row's own clock_ns, above 1 us: the VM
tier's jiffies clock, which can set in mid-run), the tables use the row's
mean (mean_us) instead, marked "(mean)", and leave the p99 out.

Timing is never pass or fail: the exit status is 0 whatever the ratios.
Only --check fails (status 1), and only on rows that are missing or that
report an error other than a documented skip ("skipped: ..."), so the
smoke test and the VM tier notice a suite that rotted or crashed.

Usage: report.py BENCH.json [--all] [--markdown FILE] [--plot-data FILE]
                 [--title TEXT] [--check]
  --all        also list the floors as rows (their medians are always in
               the floor column)
  --markdown   also write the tables, with the machine's description, to FILE
  --plot-data  write median latency against buffer size, one gnuplot data
               block per (path, backend), to FILE, and what each block is
               to FILE.series: "index|title|colour|dashed|point type"
  --check      check the rows instead of judging them (see above)

Python 3 standard library only.
"""

import argparse
import json
import statistics
import sys

SKIP_PREFIX = "skipped: "

# The shapes of bench/shapes.cc, smallest first (the check expects each).
SHAPES = ["64x64_RGBA", "BLOB_1MiB", "1080p_YUV420", "1080p_RGBA",
          "2160p_YUV420", "2160p_RGBA"]

# Every path of bench/suite.h, in table order: (path, floor, target kind).
# A floor of None is a floor itself; "memfd_only" paths exist only for
# memory that is not a dma-buf.
PATHS = [
    ("FloorAlloc", None, None),
    ("FloorAllocEager", "FloorAlloc", None),
    ("FloorAllocOnly", None, None),
    ("Negotiate", "FloorAlloc", None),
    ("Allocate", "FloorAlloc", "allocate"),
    ("AllocateInterleaved", "FloorAlloc", "allocate"),
    ("FloorAllocPair", "FloorAlloc", None),
    ("FloorRoundTrip", None, None),
    ("FloorRoundTrip4", None, None),
    ("FloorServiceAlloc", "FloorAllocPair", None),
    ("Service", "Allocate", "service"),
    ("Service4", "Service", "tail"),
    ("ServicePooled", "FloorAllocOnly", "pool"),
    ("FloorMap", None, None),
    ("ImportFree", "FloorMap", "import"),
    ("FloorImport", "FloorMap", None),
    ("ImportLockFree", "FloorImport", None),
    ("FloorSyncRead", None, None),
    ("LockRead", "FloorSyncRead", "lock"),
    ("FloorSyncWrite", None, None),
    ("LockWrite", "FloorSyncWrite", "lock"),
    ("FloorSyncReadWrite", None, None),
    ("LockReadWrite", "FloorSyncReadWrite", "lock"),
    ("FloorFirstWrite", None, None),
    ("FloorFirstWritePair", "FloorFirstWrite", None),
    ("FirstWrite", "FloorFirstWrite", "first_write"),
]
MEMFD_ONLY = {"FloorAllocEager"}
# Paths timed in turn with their floor in each iteration (RunInterleaved):
# their floor's figures are their own.
INTERLEAVED = {"AllocateInterleaved"}
FLOOR_OF = {path: floor for path, floor, _ in PATHS}
TARGET_OF = {path: target for path, _, target in PATHS}

# What the plot shows: (path, colour, dashed). A floor has its path's
# colour, dashed.
PLOT_PATHS = [
    ("FloorAlloc", 1, True), ("Allocate", 1, False),
    ("Service", 2, False), ("Service4", 3, False),
    ("FloorAllocOnly", 8, True), ("ServicePooled", 8, False),
    ("FloorMap", 4, True), ("ImportFree", 4, False),
    ("FloorSyncReadWrite", 5, True), ("LockReadWrite", 5, False),
    ("FloorFirstWrite", 6, True), ("FirstWrite", 6, False),
    ("Negotiate", 7, False),
]

MIB = 1 << 20
# Above this clock resolution single samples are quantised: use means.
COARSE_CLOCK_NS = 1000


class Row:
    """One (path, backend, shape): its figures or its error."""

    def __init__(self, path, backend, shape):
        self.path, self.backend, self.shape = path, backend, shape
        self.p50 = []
        self.p99 = []
        # An interleaved row's own floor, one figure per round beside p50
        # (floor_p50_us, or floor_mean_us on a coarse clock).
        self.floor_p50 = []
        self.size_bytes = 0
        self.error = None
        self.coarse = False  # figures are means; no p99

    @property
    def ok(self):
        return self.error is None and bool(self.p50)

    @property
    def median_us(self):
        return statistics.median(self.p50)

    @property
    def p99_us(self):
        return statistics.median(self.p99) if self.p99 else None


def compare(row, floor_row, floor):
    """Returns (ratio, over) of `row` to its floor: with one sample per
    round on both (the same count, more than one), the medians of the
    per-round ratios and differences; else the medians' own. `floor` is
    the floor's median (0.0 for a floor a memfd does not have); ratio is
    None when it is 0. An interleaved row is compared with its own floor,
    round by round, whatever `floor_row` is."""
    if len(row.floor_p50) == len(row.p50) and all(
            f > 0 for f in row.floor_p50):
        pairs = list(zip(row.p50, row.floor_p50))
        return (statistics.median(r / f for r, f in pairs),
                statistics.median(r - f for r, f in pairs))
    if floor_row is not None and floor_row.ok and floor > 0 and \
            len(row.p50) == len(floor_row.p50) > 1:
        pairs = list(zip(row.p50, floor_row.p50))
        return (statistics.median(r / f for r, f in pairs if f > 0),
                statistics.median(r - f for r, f in pairs))
    ratio = row.median_us / floor if floor > 0 else None
    return ratio, row.median_us - floor


def coarse_clock(context):
    try:
        return int(context.get("gralloc_clock_resolution_ns", 0)) > \
            COARSE_CLOCK_NS
    except ValueError:
        return False


def load(path):
    """Returns (context, {(path, backend, shape): Row}). On a coarse clock
    each row's "median" is its mean and its p99 is None."""
    with open(path) as f:
        data = json.load(f)
    coarse = coarse_clock(data.get("context", {}))
    rows = {}
    entries = data.get("benchmarks", [])
    iterations = [e for e in entries if e.get("run_type") != "aggregate"]
    if not iterations:
        # --benchmark_report_aggregates_only: the medians are the data.
        iterations = [e for e in entries
                      if e.get("aggregate_name") == "median"]
    for entry in iterations:
        parts = entry.get("run_name", entry["name"]).split("/")
        if len(parts) < 3:
            continue
        key = tuple(parts[:3])
        row = rows.setdefault(key, Row(*key))
        if entry.get("error_occurred"):
            row.error = entry.get("error_message", "error")
            continue
        if "p50_us" not in entry:
            continue
        # The clock as the row found it (the VM's can turn coarse mid-run).
        row_coarse = coarse or entry.get("clock_ns", 0) > COARSE_CLOCK_NS
        if row_coarse:
            row.coarse = True
            row.p50.append(entry.get("mean_us", entry["p50_us"]))
            if "floor_mean_us" in entry:
                row.floor_p50.append(entry["floor_mean_us"])
        else:
            row.p50.append(entry["p50_us"])
            row.p99.append(entry.get("p99_us", entry["p50_us"]))
            if "floor_p50_us" in entry:
                row.floor_p50.append(entry["floor_p50_us"])
        row.size_bytes = int(entry.get("bytes", 0))
    context = dict(data.get("context", {}))
    context["repetitions"] = max(
        [e.get("repetitions", 1) for e in entries] or [1])
    return context, rows


def backends_of(context, rows):
    named = context.get("gralloc_backends", "").split()
    seen = []
    for key in rows:
        if key[1] not in seen:
            seen.append(key[1])
    return named + [b for b in seen if b not in named]


def shapes_of(rows):
    extra = sorted({k[2] for k in rows} - set(SHAPES))
    return SHAPES + extra


def pair_note(row, pair_path, rows):
    """Returns " (<ratio>x <pair_path>)": `row` beside the row of the same
    backend and shape that does only the kernel's work for a gralloc
    handle, or "" when that row has no figures."""
    pair = rows.get((pair_path, row.backend, row.shape))
    if pair is None or not pair.ok or pair.median_us <= 0:
        return ""
    return " (%.2fx %s)" % (compare(row, pair, pair.median_us)[0], pair_path)


def judge(row, floor, ratio, over, rows):
    """Returns (target text, True/False/None) for a measured row, whose
    floor's median is `floor` and which compare() put at `ratio` and
    `over` from it."""
    kind = TARGET_OF.get(row.path)
    real_heap = row.backend != "memfd"
    small = row.size_bytes < MIB
    if kind == "tail":
        if row.p99_us is None:
            return "p99 < 3x median (no p99: coarse clock)", None
        text = "p99 < 3x median"
        trip = rows.get(("FloorRoundTrip4", row.backend, row.shape))
        if trip is not None and trip.ok and trip.p99_us is not None \
                and trip.median_us > 0:
            # The kernel's own tail for 4 clients' exchanges.
            text += " (bare round trips from 4 clients: p99/p50 %.2fx)" % (
                trip.p99_us / trip.median_us)
        return text, row.p99_us < 3 * row.median_us
    if floor is None:
        return "-", None
    if kind == "allocate":
        limit = (1.5 if small else 1.10) if real_heap else 2.5
        # The kernel's whole part (the metadata memfd too), none of ours:
        # where it is over the limit itself, so is every allocator that
        # makes this handle.
        note = pair_note(row, "FloorAllocPair", rows) \
            if small and row.path not in INTERLEAVED else ""
        return "<= %.2fx%s" % (limit, note), \
            ratio is not None and ratio <= limit
    if kind == "service":
        trip = rows.get(("FloorRoundTrip", row.backend, row.shape))
        text = "<= floor + 40 us"
        notes = []
        if trip is not None and trip.ok:
            # The kernel's own cost of one exchange between processes.
            notes.append("bare round trip %s us" % fmt(trip.median_us))
        kernel = rows.get(("FloorServiceAlloc", row.backend, row.shape))
        if kernel is not None and kernel.ok:
            # The kernel's whole part of a service allocation.
            notes.append("%+.2f us over FloorServiceAlloc" % compare(
                row, kernel, kernel.median_us)[1])
        if notes:
            text += " (%s)" % "; ".join(notes)
        return text, over <= 40
    if kind == "pool":
        if not row.shape.startswith("2160p_YUV"):
            return "-", None
        return ">= 20x faster", ratio is not None and ratio * 20 <= 1
    if kind == "import":
        return "<= floor + 10 us", over <= 10
    if kind == "lock":
        return "<= floor + 1 us", over <= 1
    if kind == "first_write":
        # The same with only the kernel work a handle adds.
        note = pair_note(row, "FloorFirstWritePair", rows)
        if row.shape.startswith("64x64"):
            return "<= 1.50x" + note, ratio is not None and ratio <= 1.5
        if real_heap and row.shape.startswith(("1080p", "2160p")):
            return "<= 1.10x" + note, ratio is not None and ratio <= 1.10
    return "-", None


def floor_median(row, rows):
    """Returns (the floor's median in us or None when unknown, a note): 0.0
    for a sync floor a memfd does not have (its lock does no ioctl)."""
    floor_path = FLOOR_OF.get(row.path)
    if floor_path is None:
        return None, ""
    if row.floor_p50:
        return statistics.median(row.floor_p50), " (interleaved)"
    floor = rows.get((floor_path, row.backend, row.shape))
    if floor is None:
        return None, " (none)"
    if floor.ok:
        return floor.median_us, ""
    if floor_path.startswith("FloorSync") and row.backend == "memfd":
        return 0.0, " (0: no ioctl)"
    return None, " (skipped)"


def fmt(value):
    if value is None:
        return "-"
    if value >= 1000:
        return "%.0f" % value
    if value >= 100:
        return "%.1f" % value
    return "%.2f" % value


def tables(context, rows, show_all):
    """Returns (markdown lines, {"met": n, "missed": [...], ...})."""
    lines = []
    summary = {"met": 0, "missed": [], "skipped": 0, "errors": []}
    center = "median"
    if coarse_clock(context):
        center = "mean"
        lines.append("")
        lines.append("The clock ticks every %.0f us here, so single samples "
                     "are quantised: these are means of many iterations, "
                     "and p99 is not measured." %
                     (int(context["gralloc_clock_resolution_ns"]) / 1000.0))
    for backend in backends_of(context, rows):
        if not any(k[1] == backend for k in rows):
            continue
        lines.append("")
        lines.append("### %s" % backend)
        lines.append("")
        lines.append("| path | shape | %s us | p99 us | floor | "
                     "floor %s us | ratio | over floor us | target | "
                     "result |" % (center, center))
        lines.append("|---|---|--:|--:|---|--:|--:|--:|---|---|")
        for path, floor_path, _ in PATHS:
            if floor_path is None and not show_all:
                continue
            for shape in shapes_of(rows):
                row = rows.get((path, backend, shape))
                if row is None:
                    continue
                if not row.ok:
                    reason = row.error or "no figures"
                    if reason.startswith(SKIP_PREFIX):
                        summary["skipped"] += 1
                        result = reason
                    else:
                        summary["errors"].append(
                            "%s/%s/%s: %s" % (path, backend, shape, reason))
                        result = "ERROR: " + reason
                    lines.append("| %s | %s | - | - | %s | - | - | - | - | "
                                 "%s |" % (path, shape, floor_path or "-",
                                           result.replace("|", "/")))
                    continue
                floor, note = floor_median(row, rows)
                ratio_value = over_value = None
                if floor is not None:
                    ratio_value, over_value = compare(
                        row, rows.get((floor_path, backend, shape)), floor)
                target, met = judge(row, floor, ratio_value, over_value, rows)
                ratio = over = "-"
                four = path in ("Service4", "FloorRoundTrip4")
                if floor is not None and not four:
                    if ratio_value is not None:
                        ratio = "%.2fx" % ratio_value
                    over = "%+.2f" % over_value
                if four and row.p99_us is not None and row.median_us > 0:
                    ratio = "p99/p50 %.2fx" % (row.p99_us / row.median_us)
                floor_text = (floor_path or "-") + note
                if met is None:
                    result = "-"
                elif met:
                    result = "met"
                    summary["met"] += 1
                else:
                    result = "MISSED"
                    summary["missed"].append(
                        "%s/%s/%s: %s %s us, %s (floor %s us)" %
                        (path, backend, shape, center, fmt(row.median_us),
                         target, fmt(floor)))
                lines.append("| %s | %s | %s | %s | %s | %s | %s | %s | %s | "
                             "%s |" % (path, shape, fmt(row.median_us) +
                                       (" (mean)" if row.coarse else ""),
                                       fmt(row.p99_us), floor_text,
                                       fmt(floor), ratio, over, target,
                                       result))
    return lines, summary


def describe(context):
    keys = ["date", "host_name", "num_cpus", "mhz_per_cpu", "load_avg",
            "library_build_type", "gralloc_backends",
            "gralloc_clock_resolution_ns", "repetitions", "gralloc_rounds",
            "gralloc_warmup_s"]
    return ", ".join("%s %s" % (k, context[k]) for k in keys if k in context)


def write_plot_data(path, context, rows):
    backends = backends_of(context, rows)
    series = []
    with open(path, "w") as out:
        for path_name, colour, dashed in PLOT_PATHS:
            for point, backend in enumerate(backends):
                points = sorted(
                    (r.size_bytes, r.median_us, r.p99_us or 0.0)
                    for k, r in rows.items()
                    if k[0] == path_name and k[1] == backend and r.ok
                    and r.size_bytes > 0 and r.median_us > 0)
                if not points:
                    continue
                title = "%s (%s)" % (path_name, backend)
                out.write("# %d %s\n" % (len(series), title))
                out.write("# bytes median_us p99_us\n")
                for size_bytes, median, p99 in points:
                    out.write("%d %.3f %s\n" % (
                        size_bytes, median,
                        "%.3f" % p99 if p99 else "NaN"))
                out.write("\n\n")
                series.append("%d|%s|%d|%d|%d" % (
                    len(series), title, colour, 1 if dashed else 0,
                    point + 1))
    with open(path + ".series", "w") as out:
        out.write("".join(line + "\n" for line in series))


def check(context, rows):
    """Returns the problems (empty: the suite is whole). A backend with no
    row at all was filtered out (--benchmark_filter=-/memfd/); one with
    some must have every row."""
    problems = []
    backends = context.get("gralloc_backends", "").split()
    if not backends:
        problems.append("the JSON names no backends (context "
                        "gralloc_backends): not the suite's output?")
    if not rows:
        problems.append("no rows at all")
    only_memfd = backends == ["memfd"]
    reasons = {}
    for backend in backends:
        if not any(k[1] == backend for k in rows):
            continue
        for path, _, _ in PATHS:
            if path in MEMFD_ONLY and backend != "memfd":
                continue
            for shape in SHAPES:
                name = "%s/%s/%s" % (path, backend, shape)
                row = rows.get((path, backend, shape))
                if row is None:
                    problems.append("%s: missing" % name)
                elif row.error is not None:
                    if not row.error.startswith(SKIP_PREFIX):
                        problems.append("%s: %s" % (name, row.error))
                    elif only_memfd and not path.startswith("FloorSync"):
                        # With memfd alone every row but the sync floors
                        # must run.
                        problems.append("%s: skipped on memfd: %s" %
                                        (name, row.error))
                    else:
                        reasons.setdefault(row.error, []).append(name)
                elif not row.p50:
                    problems.append("%s: no p50_us counter" % name)
                elif path in INTERLEAVED and \
                        len(row.floor_p50) != len(row.p50):
                    problems.append("%s: no floor_p50_us counter" % name)
    for reason, names in sorted(reasons.items()):
        print("report: %d rows skipped (e.g. %s): %s" %
              (len(names), names[0], reason[len(SKIP_PREFIX):]))
    return problems


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("json")
    parser.add_argument("--all", action="store_true")
    parser.add_argument("--markdown")
    parser.add_argument("--plot-data")
    parser.add_argument("--title", default="gralloc benchmark suite")
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()

    context, rows = load(args.json)
    if args.check:
        problems = check(context, rows)
        for problem in problems:
            print("report: PROBLEM: %s" % problem)
        print("report: %d rows, %d problems" % (len(rows), len(problems)))
        return 1 if problems else 0

    lines, summary = tables(context, rows, args.all)
    tail = ["", "Targets: %d met, %d missed; %d rows skipped, %d errors. "
            "Timing is never pass/fail." % (summary["met"],
                                            len(summary["missed"]),
                                            summary["skipped"],
                                            len(summary["errors"]))]
    tail += ["- missed: " + m for m in summary["missed"]]
    tail += ["- error: " + e for e in summary["errors"]]
    print("\n".join(lines + tail))
    if args.markdown:
        with open(args.markdown, "w") as out:
            out.write("# %s\n\n" % args.title)
            out.write("Generated by bench/report.py from one run of "
                      "//bench:allocation_bench: %s.\n" % describe(context))
            out.write("Medians and p99 are per-iteration percentiles "
                      "(bench/latency.h); each ratio compares a row with its "
                      "floor from the same run.")
            if int(context.get("gralloc_rounds", "1") or 1) > 1:
                out.write(" The medians are over %s rounds; ratio and "
                          "over floor are the medians of the per-round "
                          "ones, so they need not match the medians' own."
                          % context["gralloc_rounds"])
            if float(context.get("gralloc_warmup_s", "0") or 0) > 0:
                out.write(" Each row ran untimed for %s s (three iterations "
                          "where one takes 1 ms or more) when it started "
                          "after another, and was timed after that."
                          % context["gralloc_warmup_s"])
            out.write("\n")
            out.write("\n".join(lines + tail) + "\n")
    if args.plot_data:
        write_plot_data(args.plot_data, context, rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
