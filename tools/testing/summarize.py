#!/usr/bin/env python3
"""Counts test results from Bazel's build event protocol (BEP) files.

Every test target's test.xml is read (gtest writes one testcase per TEST;
Bazel writes one for binaries that do not), so the counts are real per-test
results, not targets. A test target that did not build or did not run counts
as one failure. Prints "N passed, N failed[, N skipped]" and, when
GRALLOC_TEST_COUNTS names a file, appends "passed failed skipped" to it.

Usage: summarize.py BEP.json [BEP.json ...]
Exit status: 0 when nothing failed, 1 otherwise.
"""

import json
import os
import sys
import urllib.parse
import xml.etree.ElementTree as ElementTree


def count_xml(path):
    """Returns (passed, failed, skipped) for one test.xml."""
    passed = failed = skipped = 0
    root = ElementTree.parse(path).getroot()
    for case in root.iter("testcase"):
        if case.find("failure") is not None or case.find("error") is not None:
            failed += 1
        elif (case.find("skipped") is not None
              or case.get("result") == "skipped"
              or case.get("status") == "notrun"):
            skipped += 1
        else:
            passed += 1
    return passed, failed, skipped


def summarize(bep_path):
    passed = failed = skipped = 0
    xml_paths = {}   # label -> [test.xml paths] (one per shard/run)
    statuses = {}    # label -> overall status
    aborted = set()
    with open(bep_path) as bep:
        for line in bep:
            event = json.loads(line)
            event_id = event.get("id", {})
            if "testResult" in event_id:
                label = event_id["testResult"]["label"]
                for output in event.get("testResult", {}).get(
                        "testActionOutput", []):
                    if output.get("name") == "test.xml":
                        uri = output.get("uri", "")
                        path = urllib.parse.unquote(
                            urllib.parse.urlparse(uri).path)
                        xml_paths.setdefault(label, []).append(path)
            elif "testSummary" in event_id:
                label = event_id["testSummary"]["label"]
                statuses[label] = event.get("testSummary", {}).get(
                    "overallStatus", "NO_STATUS")
            elif "targetCompleted" in event_id:
                # Protobuf's JSON leaves false out: a target that failed to
                # build has "completed" without "success", or "aborted".
                completed = event.get("completed")
                if completed is None or not completed.get("success", False):
                    aborted.add(event_id["targetCompleted"]["label"])
    for label, status in sorted(statuses.items()):
        paths = [p for p in xml_paths.get(label, []) if os.path.exists(p)]
        if not paths:
            print(f"summarize: {label}: {status}, no test.xml", file=sys.stderr)
            failed += 1
            continue
        target_failed = 0
        for path in paths:
            p, f, s = count_xml(path)
            passed, failed, skipped = passed + p, failed + f, skipped + s
            target_failed += f
        if status not in ("PASSED", "FLAKY") and target_failed == 0:
            # The binary failed outside any test case (a crash, a sanitizer
            # report at exit, a timeout): count it.
            print(f"summarize: {label}: {status}", file=sys.stderr)
            failed += 1
    for label in sorted(aborted - set(statuses)):
        print(f"summarize: {label}: did not build or run", file=sys.stderr)
        failed += 1
    return passed, failed, skipped


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    passed = failed = skipped = 0
    for path in argv[1:]:
        p, f, s = summarize(path)
        passed, failed, skipped = passed + p, failed + f, skipped + s
    line = f"{passed} passed, {failed} failed"
    if skipped:
        line += f", {skipped} skipped"
    print(line)
    counts_file = os.environ.get("GRALLOC_TEST_COUNTS")
    if counts_file:
        with open(counts_file, "a") as out:
            out.write(f"{passed} {failed} {skipped}\n")
    return 0 if failed == 0 and passed > 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
