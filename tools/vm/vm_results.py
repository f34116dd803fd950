#!/usr/bin/env python3
"""Reads the VM tier's serial console log and judges the run.

tools/vm/init.sh prints "GRALLOC-VM:" protocol lines around the tests'
googletest output; this script counts each test case's result, turns every
binary that crashed, timed out or never ran into a failure, decodes the
artifacts the tests left (gzip + base64; PPM images become PNG too), and
exits 0 only if every listed test ran and passed.

Usage: vm_results.py CONSOLE_LOG --tests LIST --out DIR [--counts FILE]
                     [--qemu-status N]
  LIST   the /tests/list given to the VM ("<name> <path> <timeout>" lines)
  N      qemu's exit status; non-zero (it was killed, or failed) is a failure
  DIR    where artifacts are written
  FILE   gets one line "passed failed skipped" appended (CI's counts file)
The last line printed is "vm: N passed, N failed, N skipped".
"""

import argparse
import base64
import gzip
import os
import re
import struct
import sys
import zlib

MARK = "GRALLOC-VM: "
# googletest's per-case result lines end with the case's time; the summary
# at the end repeats FAILED and SKIPPED names without it, so those are not
# counted twice.
CASE_RESULT = re.compile(
    r"\[ +(OK|FAILED|SKIPPED) +\] (\S+?)(?:,.*)? \(\d+ ms\)\s*$")


def write_png(path, width, height, rgb):
    """Writes 8-bit RGB pixels as a PNG (no filter, zlib level 9)."""
    rows = b"".join(b"\x00" + rgb[y * width * 3:(y + 1) * width * 3]
                    for y in range(height))

    def chunk(kind, data):
        body = kind + data
        return (struct.pack(">I", len(data)) + body +
                struct.pack(">I", zlib.crc32(body) & 0xffffffff))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    with open(path, "wb") as out:
        out.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) +
                  chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b""))


def ppm_to_png(ppm_path, png_path):
    """Converts a binary PPM (P6, maxval 255) to PNG; False if it is not one."""
    with open(ppm_path, "rb") as f:
        data = f.read()
    fields = []
    pos = 0
    while len(fields) < 4:
        while pos < len(data) and data[pos:pos + 1].isspace():
            pos += 1
        start = pos
        while pos < len(data) and not data[pos:pos + 1].isspace():
            pos += 1
        if start == pos:
            return False
        fields.append(data[start:pos])
    pos += 1  # the single whitespace byte after maxval
    if fields[0] != b"P6" or fields[3] != b"255":
        return False
    width, height = int(fields[1]), int(fields[2])
    pixels = data[pos:pos + width * height * 3]
    if len(pixels) != width * height * 3:
        return False
    write_png(png_path, width, height, pixels)
    return True


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("log")
    parser.add_argument("--tests", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--counts")
    parser.add_argument("--qemu-status", type=int, default=0)
    args = parser.parse_args()

    expected = []
    with open(args.tests) as f:
        for line in f:
            if line.strip():
                expected.append(line.split()[0])

    with open(args.log, "rb") as f:
        lines = f.read().decode("utf-8", "replace").replace("\r", "").split("\n")

    results = {}  # name -> dict
    current = None
    artifact = None
    artifact_lines = []
    summary_seen = False
    os.makedirs(args.out, exist_ok=True)
    artifacts = []

    for line in lines:
        if artifact is not None:
            if MARK + "ARTIFACT-END" in line:
                path = os.path.join(args.out, artifact)
                try:
                    blob = gzip.decompress(
                        base64.b64decode("".join(artifact_lines)))
                    with open(path, "wb") as out:
                        out.write(blob)
                    artifacts.append(path)
                    if path.endswith(".ppm"):
                        png = path[:-len(".ppm")] + ".png"
                        if ppm_to_png(path, png):
                            artifacts.append(png)
                except (ValueError, OSError, EOFError) as error:
                    print("vm: artifact %s is damaged: %s" % (artifact, error))
                artifact = None
            else:
                artifact_lines.append(line.strip())
            continue
        index = line.find(MARK)
        if index >= 0:
            words = line[index + len(MARK):].split()
            if not words:
                continue
            kind = words[0]
            if kind == "BEGIN" and len(words) > 1:
                current = words[1]
                results[current] = {"ok": 0, "failed": 0, "skipped": 0,
                                    "result": None, "rc": None,
                                    "seconds": None,
                                    "begin": _uptime(words)}
            elif kind == "END" and len(words) > 2:
                name = words[1]
                entry = results.setdefault(
                    name, {"ok": 0, "failed": 0, "skipped": 0, "begin": None})
                entry["result"] = words[2]
                entry["rc"] = next((w[3:] for w in words if w.startswith("rc=")),
                                   None)
                end = _uptime(words)
                if end is not None and entry.get("begin") is not None:
                    entry["seconds"] = end - entry["begin"]
                current = None
            elif kind == "ARTIFACT-BEGIN" and len(words) > 1:
                artifact = os.path.basename(words[1])
                artifact_lines = []
            elif kind == "SUMMARY":
                summary_seen = True
            continue
        match = CASE_RESULT.search(line)
        if match and current is not None:
            key = {"OK": "ok", "FAILED": "failed",
                   "SKIPPED": "skipped"}[match.group(1)]
            results[current][key] += 1

    passed = failed = skipped = 0
    print("vm: %-32s %-8s %6s %6s %7s %8s" %
          ("test", "result", "passed", "failed", "skipped", "seconds"))
    for name in expected:
        entry = results.get(name)
        if entry is None:
            print("vm: %-32s %-8s" % (name, "NOT-RUN"))
            failed += 1
            continue
        result = entry.get("result") or "NO-END"
        case_failed = entry["failed"]
        # A binary that failed without a failing case crashed or timed out:
        # that is one failure more, so it cannot pass unnoticed.
        if result != "PASS" and case_failed == 0:
            case_failed = 1
        passed += entry["ok"]
        failed += case_failed
        skipped += entry["skipped"]
        seconds = entry.get("seconds")
        print("vm: %-32s %-8s %6d %6d %7d %8s" %
              (name, result, entry["ok"], case_failed, entry["skipped"],
               "%.1f" % seconds if seconds is not None else "-"))
    if not summary_seen:
        print("vm: the VM never printed its summary (crash, panic or timeout)")
        failed += 1
    elif args.qemu_status != 0:
        print("vm: qemu exited with status %d after the tests" % args.qemu_status)
        failed += 1
    for path in artifacts:
        print("vm: artifact %s" % path)

    if args.counts:
        with open(args.counts, "a") as f:
            f.write("%d %d %d\n" % (passed, failed, skipped))
    print("vm: %d passed, %d failed, %d skipped" % (passed, failed, skipped))
    return 0 if failed == 0 else 1


def _uptime(words):
    for word in words:
        if word.startswith("uptime="):
            try:
                return float(word[len("uptime="):])
            except ValueError:
                return None
    return None


if __name__ == "__main__":
    sys.exit(main())
