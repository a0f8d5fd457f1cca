#!/usr/bin/env python3
"""README's headline table from a report against native C, so every number README quotes comes
from one results set.

    wgslrun report DIR/r[0-9]*-*.json --suite bench/suite.json --baseline native-c -o DIR/report-vs-native.json
    python3 scripts/readme_table.py DIR/report-vs-native.json

(`scripts/device/campaign.sh report DIR` writes that JSON.) Prints the Markdown table: a row per
line of ROWS below, native C's value (the faster of Dawn and wgpu-native, the fastest round) and
every other method's ratio to it from the report's "at a glance" view (its best implementation,
the median over rounds; 1.00 = as fast). A case the report lacks is an error, not a blank.
"""

import argparse
import json
import sys

# (class, label, [(case, variant, label)...]) per README row; cells of one row joined by " / ".
ROWS = [
    ("bandwidth", "copy / triad 256 MB", [("copy", None, ""), ("triad", None, "")]),
    ("bandwidth", "reduce / histogram", [("reduce", None, ""), ("histogram", None, "")]),
    ("compute", "SGEMM 8192 (tiled WGSL) / n-body", [("sgemm_tiled", None, ""), ("nbody", None, "")]),
    ("overhead", "dispatch inside one pass", [("dispatch", "one_pass", "")]),
    ("overhead", "one submit per dispatch", [("dispatch", "submit_each", "")]),
    ("overhead", "submit + wait round trip", [("dispatch", "round_trip", "")]),
    ("transfer", "upload / readback 1 GiB", [("transfer", "upload", "1 GiB"), ("transfer", "readback", "1 GiB")]),
    ("end to end", "saxpy 16M with both transfers", [("e2e_saxpy", None, "")]),
]
# README's columns after native C: (method in the result files, heading).
COLUMNS = [
    ("browser-wasm", "C → wasm in Chromium"),
    ("browser-rust-wasm", "Rust → wasm in Chromium"),
    ("browser-js", "JS in Chromium"),
    ("webgl2", "WebGL2"),
]
UNITS = {"us": "µs"}


def number(x):
    return f"{x:.3g}" if x < 100 else f"{x:.0f}"


def ratio(x):
    return f"{x:.2f}" if x >= 0.095 else f"{x:.2g}"


def find(report, case, variant, label):
    for row in report["glance"]:
        if (row["case"], row["variant"], row["label"]) == (case, variant, label):
            return row
    name = "/".join(filter(None, [case, variant])) + (f" {label}" if label else "")
    sys.exit(f"readme_table: the report has no '{name}' at a glance")


def native_cell(rows):
    units = [UNITS.get(r["unit"], r["unit"]) for r in rows]
    values = [number(r["reference"]["value"]) for r in rows]
    if len(set(units)) == 1:
        return " / ".join(values) + f" {units[0]}"
    return " / ".join(f"{v} {u}" for v, u in zip(values, units))


def method_cell(rows, method):
    """Ratios joined by " / "; a lower-is-better time also shows the method's own value."""
    cells = []
    for r in rows:
        cell = r["methods"].get(method, {"status": "none", "ratio": None})
        if cell["status"] != "ratio":
            cells.append({"failed": "failed", "unsupported": "—", "none": "—"}[cell["status"]])
        elif r["better"] == "lower" and len(rows) == 1:
            own = r["reference"]["value"] / cell["ratio"]
            cells.append(f"{ratio(cell['ratio'])} ({number(own)} {UNITS.get(r['unit'], r['unit'])})")
        else:
            cells.append(ratio(cell["ratio"]))
    return " / ".join(cells)


def table(report):
    if report.get("schema") != "wgslrun-report/1":
        sys.exit("readme_table: not a wgslrun-report/1 file (wgslrun report -o FILE.json)")
    if report["baseline"] != "native-c":
        sys.exit(f"readme_table: the report's baseline is {report['baseline']}, not native-c (--baseline native-c)")
    lines = ["| class | case | native C | " + " | ".join(h for _, h in COLUMNS) + " |",
             "| --- | --- | ---: | " + " | ".join("---:" for _ in COLUMNS) + " |"]
    for cls, label, keys in ROWS:
        rows = [find(report, *key) for key in keys]
        cells = [cls, label, native_cell(rows)] + [method_cell(rows, m) for m, _ in COLUMNS]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("report", help="a wgslrun report -o FILE.json made with --baseline native-c")
    args = parser.parse_args(argv)
    try:
        report = json.load(open(args.report))
    except (OSError, ValueError) as e:
        sys.exit(f"readme_table: {args.report}: {e}")
    sys.stdout.write(table(report))


if __name__ == "__main__":
    main(sys.argv[1:])
