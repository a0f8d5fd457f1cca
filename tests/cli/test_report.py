"""Tests of `wgslrun report`.

Fixtures are realistic wgslrun-result/1 files written here (no GPU needed): cuda, native-c/dawn
and rust-wgpu/wgpu on one H100, and webgl2 on SwiftShader (a CPU adapter), with one result that
failed verification, one unsupported result, a result carrying a "limit" note, and transfer's
per-byte-count results. Every expected number (ratios, geometric means) is computed here from
the fixture values, independently of the C code.

What the tests prove:
- the Markdown tables hold the right ratio to CUDA for higher- and lower-is-better metrics, the
  right ratio to the fastest WebGPU method, and no ratio across adapters (GPU vs CPU);
- a failed or unsupported result shows its error or reason and no time, metric or ratio;
- the summary's geometric means per class match, the "at a glance" table (and the JSON report)
  gives each method's ratio (the median over rounds) or why it has none, the limits notes quote the runner's note or
  say "limit not yet measured", and cases follow suite order (given, or found next to the
  results) or else first-seen order;
- every string from JSON is escaped in both formats;
- bad, missing and wrong-schema files, missing arguments and unwritable outputs give a message
  naming the file and the documented exit code, and never a partial or clobbered report;
- in headless Chromium, the HTML has one <svg class="chart"> per case/size/variant/byte count
  with exactly one <rect class="bar"> of positive width per verified result, and the page
  really paints those bars (the screenshot holds the bar colour, not just white).
"""
import json
import math
import os
import re
import shutil
import struct
import subprocess
import zlib
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import SOURCE_DIR

USAGE, FAILURE = 2, 1
SUITE = SOURCE_DIR / "bench" / "suite.json"
CHROMIUM = "/usr/bin/chromium"
H100 = "NVIDIA H100 80GB HBM3"
SWIFTSHADER = "SwiftShader Device (Subzero)"
SGEMM_NOTE = "tiles live in workgroup memory; WGSL exposes no tensor cores"
FIRST_COLOR = (0x4E, 0x79, 0xA7)  # the first series' bar colour (report_svg.c palette)

# ---------------------------------------------------------------- fixtures

# Per case: class, params for size "large", metric name, unit, better, and the metric as a
# function of params, variant and the time in ms (bench/README.md's formulas).
CASES = {
    "copy": ("bandwidth", {"n": 16777216}, "bandwidth", "GB/s", "higher", lambda p, t: 32 * p["n"] / (t * 1e6)),
    "histogram": ("bandwidth", {"n": 67108864}, "bandwidth", "GB/s", "higher", lambda p, t: 4 * p["n"] / (t * 1e6)),
    "sgemm_tiled": ("compute", {"n": 8192}, "throughput", "GFLOP/s", "higher",
                    lambda p, t: 2 * p["n"] ** 3 / (t * 1e6)),
    "dispatch": ("overhead", {"dispatches": 10000}, "time per dispatch", "us", "lower",
                 lambda p, t: t * 1000 / p["dispatches"]),
    "transfer": ("transfer", None, "bandwidth", "GB/s", "higher", lambda p, t: p["bytes"] / (t * 1e6)),
    "e2e_saxpy": ("transfer", {"n": 16777216}, "time", "ms", "lower", lambda p, t: t),
}

# Median times in ms: (case, variant, bytes) -> {method: time}. None = the method's special row.
TIMES = {
    ("copy", None, None): {"cuda": 0.2, "native-c": 0.23, "rust-wgpu": 0.245, "webgl2": 41.0},
    ("histogram", None, None): {"cuda": 0.1, "native-c": 0.3, "rust-wgpu": "failed", "webgl2": "unsupported"},
    ("sgemm_tiled", None, None): {"cuda": 30.0, "native-c": 61.0, "rust-wgpu": 66.0},
    ("dispatch", "one_pass", None): {"cuda": 20.0, "native-c": 24.0, "rust-wgpu": 30.0},
    # webgl2 is faster than everything here on purpose: being on another adapter, it must not
    # become anyone's "fastest WebGPU" nor get a ratio to the H100's CUDA.
    ("dispatch", "round_trip", None): {"cuda": 80.0, "native-c": 300.0, "rust-wgpu": 350.0, "webgl2": 60.0},
    ("transfer", "upload", 1048576): {"cuda": 0.05, "native-c": 0.09, "rust-wgpu": 0.1},
    ("transfer", "upload", 16777216): {"cuda": 0.4, "native-c": 0.7, "rust-wgpu": 0.8},
    ("e2e_saxpy", None, None): {"cuda": 12.0, "native-c": 20.0, "rust-wgpu": 22.0},
}

RUNS = {  # method -> (implementation, adapter, device class, backend, command)
    "cuda": ("cuda", H100, "gpu", "cuda", "bench/cuda/build/wgslrun-cuda --size large --json {path}"),
    "native-c": ("dawn", H100, "gpu", "vulkan", "wgslrun bench --impl dawn --size large --json {path}"),
    "rust-wgpu": ("wgpu", H100, "gpu", "vulkan", "cargo run --release -- --size large --json {path}"),
    "webgl2": ("chromium", SWIFTSHADER, "cpu", "webgl2", "node bench/web/run.mjs --method webgl2 --json {path}"),
}
FAIL_ERROR = "bins[17] = 262143, expected 262144 (first of 3 wrong bins)"
UNSUPPORTED = "WebGL2 has no storage buffers or atomics"


def params_of(case, variant, nbytes):
    return {"bytes": nbytes} if case == "transfer" else dict(CASES[case][1])


def metric_value(case, variant, nbytes, t):
    return CASES[case][5](params_of(case, variant, nbytes), t)


def make_result(method, case, variant, nbytes, t):
    cls, _, name, unit, better, _ = CASES[case]
    res = {"case": case, "class": cls, "variant": variant, "params": params_of(case, variant, nbytes),
           "max_error": None, "error": None, "timing": None, "time_ms": None, "wall_ms": None, "gpu_ms": None,
           "metric": {"name": name, "unit": unit, "value": None, "better": better}}
    if t == "failed":
        res.update(verified=False, error=FAIL_ERROR, max_error=1)
    elif t == "unsupported":
        res.update(verified=None, unsupported=UNSUPPORTED)
    else:
        gpu = case not in ("dispatch", "transfer", "e2e_saxpy") and method != "webgl2"
        times = {"min": t * 0.96, "median": t, "max": t * 1.1, "count": 10}
        res.update(verified=True, max_error=0, timing="gpu" if gpu else "wall", time_ms=times, wall_ms=times,
                   gpu_ms=times if gpu else None)
        res["metric"]["value"] = metric_value(case, variant, nbytes, t)
        if method == "native-c" and case == "sgemm_tiled":
            res["limit"] = SGEMM_NOTE
    return res


def make_run(method, path, results):
    impl, adapter, device_class, backend, command = RUNS[method]
    return {
        "schema": "wgslrun-result/1", "method": method, "implementation": impl, "adapter": adapter,
        "backend": backend, "driver": "580.159.04" if device_class == "gpu" else "5.0.0", "device_class": device_class,
        "machine": {"hostname": "h100-node-3", "cpu": "AMD EPYC 9454 48-Core Processor", "os": "Linux 6.18"},
        "versions": {"wgslrun": "0.1.0", impl: "fixture"}, "date": "2026-11-24T13:00:00Z",
        "command": command.format(path=path), "size": "large", "results": results,
    }


def write_fixtures(directory, methods=("rust-wgpu", "native-c", "cuda", "webgl2"), case_order=None):
    """Writes one result file per method; results in `case_order` (default: reversed suite order,
    so only a suite can put them right). Returns the paths in `methods` order."""
    directory.mkdir(parents=True, exist_ok=True)
    keys = sorted(TIMES, key=lambda k: (case_order or list(reversed(list(CASES)))).index(k[0]))
    paths = []
    for method in methods:
        path = directory / f"{method}.json"
        results = [make_result(method, *key, TIMES[key][method]) for key in keys if method in TIMES[key]]
        path.write_text(json.dumps(make_run(method, path, results), indent=2))
        paths.append(path)
    return paths


# ---------------------------------------------------------------- expected values

def speed(case, variant, nbytes, t):
    value = metric_value(case, variant, nbytes, t)
    return 1 / value if CASES[case][4] == "lower" else value


def timed(times):
    return {m: t for m, t in times.items() if isinstance(t, float)}


def expected_ratios(key, method):
    """(ratio to cuda, ratio to the fastest non-CUDA method) on the H100, from the fixture times."""
    times = timed(TIMES[key])
    on_h100 = {m: t for m, t in times.items() if RUNS[m][1] == H100}
    mine = speed(*key, on_h100[method])
    fastest = max(speed(*key, t) for m, t in on_h100.items() if m != "cuda")
    return mine / speed(*key, on_h100["cuda"]), mine / fastest


def fmt_ratio(r):
    return f"{r:.2f}" if r >= 0.095 else f"{r:.2g}"


def group_title(key):
    case, variant, nbytes = key
    parts = ["large"] + ([variant] if variant else []) + ([f"{nbytes // 1048576} MiB"] if nbytes else [])
    return " · ".join(parts)


# ---------------------------------------------------------------- reading the Markdown

def md_cells(line):
    cells = re.split(r"(?<!\\)\|", line.strip())[1:-1]
    return [c.strip().replace("\\|", "|") for c in cells]


def md_tables(text):
    """{(case heading, group heading): [row dict]} for every table under a '#### ' heading."""
    tables, case, group, lines = {}, None, None, text.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("### "):
            case, group = line[4:].split(":")[0], None
        elif line.startswith("#### "):
            group = line[5:]
        elif line.startswith("|") and group is not None and (case, group) not in tables:
            header = md_cells(line)
            rows = []
            i += 2
            while i < len(lines) and lines[i].startswith("|"):
                rows.append(dict(zip(header, md_cells(lines[i]))))
                i += 1
            tables[(case, group)] = rows
            continue
        i += 1
    return tables


def md_section(text, heading):
    """From `heading` ("## Summary", "### copy") to the next heading of the same or a higher level."""
    level = len(heading) - len(heading.lstrip("#"))
    start = text.index(heading)
    body = text.index("\n", start)
    end = re.compile(r"^#{1,%d} " % level, re.M).search(text, body)
    return text[start:end.start() if end else len(text)]


def row_of(rows, method):
    [row] = [r for r in rows if r["method"] == method]
    return row


@pytest.fixture
def results(tmp_path):
    return write_fixtures(tmp_path / "results")


@pytest.fixture
def markdown(wgslrun, tmp_path, results):
    out = tmp_path / "report.md"
    r = wgslrun("report", *results, "--suite", SUITE, "-o", out, "--title", "H100 fixture")
    assert r.code == 0, r.err
    assert f"wrote {out}" in r.out
    return out.read_text()


# ---------------------------------------------------------------- Markdown content

def test_ratios_to_cuda_and_to_fastest_webgpu(markdown):
    tables = md_tables(markdown)
    checked = 0
    for key, times in TIMES.items():
        rows = tables[(key[0], group_title(key))]
        for method, t in timed(times).items():
            if RUNS[method][1] != H100:
                continue
            row = row_of(rows, method)
            to_cuda, to_fastest = expected_ratios(key, method)
            assert row["ratio to cuda"] == fmt_ratio(to_cuda), (key, method, row)
            assert row["ratio to fastest WebGPU"] == fmt_ratio(to_fastest), (key, method, row)
            assert row["verified"] == "✓" and row["device"] == H100
            unit = CASES[key[0]][3]
            value = metric_value(*key, t)
            assert float(row[f"{unit} (median)"]) == pytest.approx(value, rel=5e-3)
            assert float(row["time median (ms)"]) == pytest.approx(t, rel=5e-3)
            checked += 1
    assert checked == 23
    # Lower is better (dispatch): the faster CUDA row makes native-c's ratio 20/24, not 24/20.
    one_pass = row_of(tables[("dispatch", "large · one_pass")], "native-c")
    assert one_pass["ratio to cuda"] == "0.83" and one_pass["us (median)"] == "2.40"


def test_no_ratio_across_device_classes(markdown):
    tables = md_tables(markdown)
    copy = row_of(tables[("copy", "large")], "webgl2")
    assert copy["device"] == SWIFTSHADER
    assert copy["ratio to cuda"] == "—"            # no CUDA on SwiftShader: never divided by the H100
    assert copy["ratio to fastest WebGPU"] == "1.00"  # the only WebGPU-side row on its adapter
    # In round_trip the SwiftShader row is the fastest of all; the H100 rows ignore it.
    round_trip = tables[("dispatch", "large · round_trip")]
    assert row_of(round_trip, "native-c")["ratio to fastest WebGPU"] == "1.00"
    assert row_of(round_trip, "webgl2")["ratio to cuda"] == "—"
    assert [r["method"] for r in round_trip][-1] == "webgl2"  # grouped by adapter, not by speed
    summary = md_section(markdown, "## Summary")
    assert "webgl2 / chromium · " + SWIFTSHADER in summary  # listed as having no reference
    assert not any(line.startswith("| webgl2") for line in summary.splitlines())


def test_failed_and_unsupported_rows_show_reason_and_no_time(markdown):
    rows = md_tables(markdown)[("histogram", "large")]
    failed = row_of(rows, "rust-wgpu")
    assert failed["verified"] == "✗ " + FAIL_ERROR.replace("[", "\\[").replace("]", "\\]")
    unsupported = row_of(rows, "webgl2")
    assert unsupported["verified"] == "unsupported: " + UNSUPPORTED
    for row in (failed, unsupported):
        for column in ("GB/s (median)", "GB/s min..max", "time median (ms)", "timing", "ratio to cuda",
                       "ratio to fastest WebGPU"):
            assert row[column] == "—", (column, row)
    # Per adapter: timed rows fastest first, then the failed one; the CPU adapter's rows last.
    assert [r["method"] for r in rows] == ["cuda", "native-c", "rust-wgpu", "webgl2"]


def test_min_max_range_and_timing_source(markdown):
    row = row_of(md_tables(markdown)[("copy", "large")], "cuda")
    value = metric_value("copy", None, None, 0.2)
    lo, hi = (float(x) for x in row["GB/s min..max"].split(".."))
    assert lo == pytest.approx(value / 1.1, rel=5e-3) and hi == pytest.approx(value / 0.96, rel=5e-3)
    assert row["timing"] == "gpu"
    saxpy = row_of(md_tables(markdown)[("e2e_saxpy", "large")], "cuda")
    lo, hi = (float(x) for x in saxpy["ms min..max"].split(".."))
    assert (lo, hi) == (pytest.approx(12 * 0.96, rel=5e-3), pytest.approx(12 * 1.1, rel=5e-3))  # lower: ∝ time
    assert saxpy["timing"] == "wall"


def test_summary_geometric_means_per_class(markdown):
    lines = md_section(markdown, "## Summary").splitlines()
    header = md_cells(next(line for line in lines if line.startswith("| method")))
    assert header == ["method", "implementation", "device", "size", "bandwidth", "compute", "overhead", "transfer"]
    for method in ("native-c", "rust-wgpu"):
        [line] = [line for line in lines if line.startswith(f"| {method} ")]
        row = dict(zip(header, md_cells(line)))
        for cls in ("bandwidth", "compute", "overhead", "transfer"):
            in_class = [(key, times.get(method)) for key, times in TIMES.items() if CASES[key[0]][0] == cls]
            ratios = [expected_ratios(key, method)[0] for key, t in in_class if isinstance(t, float)]
            failed = sum(t == "failed" for _, t in in_class)
            mean = math.exp(sum(map(math.log, ratios)) / len(ratios))
            left_out = f"; {failed} failed" if failed else ""  # failures are counted, not hidden
            assert row[cls] == f"{fmt_ratio(mean)} ({len(ratios)}{left_out})", (method, cls)
    assert any(line.startswith("| rust-wgpu | wgpu | " + H100 + " | large | 0.82 (1; 1 failed) |") for line in lines)


def glance_rows(text):
    lines = md_section(text, "## At a glance").splitlines()
    header_at = next(i for i, line in enumerate(lines) if line.startswith("| case"))
    header = md_cells(lines[header_at])
    return header, [dict(zip(header, md_cells(line))) for line in lines[header_at + 2:] if line.startswith("|")]


def test_at_a_glance_gives_each_method_its_ratio_per_case(markdown):
    header, rows = glance_rows(markdown)
    # webgl2 ran only on another adapter (SwiftShader) than CUDA: no column, no ratio.
    assert header == ["case", "device", "cuda", "rust-wgpu", "native-c"]
    by_case = {row["case"]: row for row in rows}
    # One row per group with a CUDA result on its adapter.
    assert sorted(by_case) == sorted(f"{key[0]} {group_title(key)}" for key in TIMES)
    for key, times in TIMES.items():
        row = by_case[f"{key[0]} {group_title(key)}"]
        assert row["device"] == H100
        value, unit = row["cuda"].split(" ", 1)
        assert unit == CASES[key[0]][3] and float(value) == pytest.approx(metric_value(*key, times["cuda"]), rel=5e-3)
        for method in ("native-c", "rust-wgpu"):
            t = times[method]
            want = fmt_ratio(expected_ratios(key, method)[0]) if isinstance(t, float) else t
            assert row[method] == want, (key, method)


def test_json_report_holds_the_glance_view_as_numbers(wgslrun, tmp_path, results):
    out = tmp_path / "report.json"
    r = wgslrun("report", *results, "--suite", SUITE, "-o", out, "--title", "H100 fixture")
    assert r.code == 0, r.err
    report = json.loads(out.read_text())
    assert (report["schema"], report["title"], report["baseline"]) == ("wgslrun-report/1", "H100 fixture", "cuda")
    assert [f["path"] for f in report["files"]] == [str(p) for p in results]
    assert {f["method"]: f["adapter"] for f in report["files"]}["webgl2"] == SWIFTSHADER
    rows = {(g["case"], g["variant"], g["label"]): g for g in report["glance"]}
    assert len(rows) == len(TIMES)
    for (case, variant, nbytes), times in TIMES.items():
        row = rows[(case, variant, f"{nbytes // 1048576} MiB" if nbytes else "")]
        assert (row["device"], row["unit"], row["size"]) == (H100, CASES[case][3], "large")
        assert row["reference"]["method"] == "cuda"
        assert row["reference"]["value"] == pytest.approx(metric_value(case, variant, nbytes, times["cuda"]))
        assert set(row["methods"]) == {"native-c", "rust-wgpu"}  # webgl2 has no CUDA on its adapter
        for method, cell in row["methods"].items():
            t = times[method]
            if isinstance(t, float):
                assert cell["status"] == "ratio"
                assert cell["ratio"] == pytest.approx(expected_ratios((case, variant, nbytes), method)[0])
            else:
                assert cell == {"status": t, "ratio": None}


def minimal_result(case, cls, variant, params, unit, value):
    """A verified result with just what the report reads (every sample took 1 ms)."""
    return {"case": case, "class": cls, "variant": variant, "params": params, "verified": True, "error": None,
            "timing": "gpu", "time_ms": {"min": 1, "median": 1, "max": 1, "count": 3},
            "metric": {"name": "bandwidth" if unit == "GB/s" else "throughput", "unit": unit, "value": value,
                       "better": "higher"}}


def write_minimal_run(path, method, results):
    """A result file of `method` on the adapter "GPU X"; returns its path."""
    path.write_text(json.dumps({"schema": "wgslrun-result/1", "method": method, "implementation": method,
                                "adapter": "GPU X", "device_class": "gpu", "size": "large", "results": results}))
    return path


def test_at_a_glance_takes_the_median_of_the_rounds(wgslrun, tmp_path):
    """Two rounds of native-c (rN- file names) beside one CUDA run: the cell is the median of the
    rounds' ratios, the CUDA column the fastest CUDA result."""
    files = [write_minimal_run(tmp_path / f"{name}.json", method,
                               [minimal_result("copy", "bandwidth", None, {"n": 16777216}, "GB/s", gbs)])
             for name, method, gbs in (("r1-cuda", "cuda", 400.0), ("r1-native-c", "native-c", 300.0),
                                       ("r2-native-c", "native-c", 340.0), ("r2-cuda", "cuda", 380.0))]
    out = tmp_path / "r.md"
    r = wgslrun("report", *files, "--suite", SUITE, "-o", out)
    assert r.code == 0, r.err
    _, [row] = glance_rows(out.read_text())
    assert row == {"case": "copy large", "device": "GPU X", "cuda": "400 GB/s", "native-c": fmt_ratio((0.75 + 0.85) / 2)}


def test_limits_quote_the_note_or_say_not_measured(markdown):
    def limits(case_heading):
        section = md_section(markdown, case_heading)
        return section[section.index("**Limits**"):]

    sgemm = limits("### sgemm_tiled")
    to_cuda = expected_ratios(("sgemm_tiled", None, None), "native-c")[0]
    assert f"best WebGPU result native-c / dawn reaches {fmt_ratio(to_cuda)} of cuda" in sgemm
    assert "Recorded limit: native-c / dawn: " + SGEMM_NOTE in sgemm and "not yet measured" not in sgemm
    histogram = limits("### histogram")
    assert "reaches 0.33 of cuda: limit not yet measured" in histogram
    copy = limits("### copy")  # 0.87 of CUDA: above the 0.8 line
    assert "Every best WebGPU result is at least 0.80 of cuda" in copy
    round_trip = limits("### dispatch")
    assert "large · round\\_trip on " + H100 not in round_trip  # intraword underscores stay readable
    assert "large · round_trip on " + H100 in round_trip and "one_pass on" not in round_trip


def test_header_lists_runs_and_ratio_definition(markdown, results):
    assert markdown.startswith("# H100 fixture\n")
    runs = md_section(markdown, "## Runs")
    for path in results:
        assert str(path) in runs
    assert "h100-node-3" in runs and "AMD EPYC 9454" in runs and "580.159.04" in runs
    assert "2026-11-24T13:00:00Z" in runs and "vulkan" in runs and "wgslrun bench --impl dawn" in runs
    assert "1.00 = as fast as the reference, below 1 = slower" in markdown


def test_case_order_follows_suite_else_first_seen(wgslrun, tmp_path, results):
    out = tmp_path / "plain.md"
    assert wgslrun("report", *results, "-o", out).code == 0  # no suite next to the results
    seen = re.findall(r"^### (\w+)", md_section(out.read_text(), "## Cases"), re.M)
    assert seen == list(reversed(list(CASES)))  # the fixtures list cases in reverse
    shutil.copy(SUITE, results[0].parent / "suite.json")  # now a suite sits next to them
    assert wgslrun("report", *results, "-o", out).code == 0
    seen = re.findall(r"^### (\w+)", md_section(out.read_text(), "## Cases"), re.M)
    assert seen == list(CASES)  # suite order: copy, histogram, sgemm_tiled, dispatch, transfer, e2e
    groups = re.findall(r"^#### (.*)$", md_section(out.read_text(), "### transfer"), re.M)
    assert groups == ["large · upload · 1 MiB", "large · upload · 16 MiB"]


def test_baseline_option(wgslrun, tmp_path, results):
    out = tmp_path / "dawn.md"
    r = wgslrun("report", *results, "--suite", SUITE, "--baseline", "dawn", "-o", out)
    assert r.code == 0, r.err
    row = row_of(md_tables(out.read_text())[("copy", "large")], "cuda")
    assert row["ratio to dawn"] == fmt_ratio(0.23 / 0.2)
    r = wgslrun("report", *results, "--baseline", "metal", "-o", out)
    assert r.code == FAILURE and "--baseline 'metal' matches no method" in r.err


def test_strings_from_json_are_escaped(wgslrun, tmp_path):
    [path] = write_fixtures(tmp_path, methods=("native-c",))
    doc = json.loads(path.read_text())
    doc["adapter"] = "<script>alert(1)</script> & \"GPU\""
    doc["results"][0]["verified"], doc["results"][0]["error"] = False, "x < y | z <img src=x>"
    path.write_text(json.dumps(doc))
    for name in ("r.html", "r.md"):
        assert wgslrun("report", path, "-o", tmp_path / name, "--title", "<b>t</b>").code == 0
        text = (tmp_path / name).read_text()
        assert "<script" not in text and "<img" not in text and "<b>" not in text
        assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp;" in text
    md = (tmp_path / "r.md").read_text()
    assert "x &lt; y \\| z" in md  # a pipe in a cell must not split the table


# ---------------------------------------------------------------- errors

def test_help(wgslrun):
    r = wgslrun("report", "--help")
    assert r.code == 0 and "usage: wgslrun report" in r.out and "wgslrun report results/" in r.out


@pytest.mark.parametrize("args, message", [
    ([], "no result files given"),
    (["x.json"], "no output given"),
    (["x.json", "-o", "report.pdf"], "cannot tell the format"),
    (["x.json", "-o", "r.md", "--frobnicate"], "unknown option --frobnicate"),
    (["x.json", "-o"], "-o needs a value"),
])
def test_usage_errors(wgslrun, tmp_path, args, message):
    r = wgslrun("report", *args, cwd=tmp_path)
    assert r.code == USAGE and message in r.err, r.err
    assert list(tmp_path.iterdir()) == []


def test_bad_input_files_name_the_file_and_keep_old_report(wgslrun, tmp_path, results):
    out = tmp_path / "report.md"
    out.write_text("previous report\n")
    bad_json = tmp_path / "broken.json"
    bad_json.write_text('{"schema": "wgslrun-result/1", "results": [')
    no_results = tmp_path / "no_results.json"
    no_results.write_text('{"schema": "wgslrun-result/1", "method": "cuda"}')
    bad_row = tmp_path / "bad_row.json"
    bad_row.write_text('{"schema": "wgslrun-result/1", "method": "cuda", "results": [{"variant": 3}]}')
    cases = [
        (tmp_path / "missing.json", "missing.json: cannot open"),
        (bad_json, "broken.json: line 1"),
        (SUITE, 'suite.json: schema is "wgslrun-suite/1", expected "wgslrun-result/1"'),
        (no_results, 'no_results.json: "results" is missing or not an array'),
        (bad_row, 'bad_row.json: results[0] has no "case" string'),
    ]
    for bad, message in cases:
        r = wgslrun("report", results[0], bad, "-o", out)
        assert r.code == FAILURE and message in r.err, (bad, r.err)
        assert out.read_text() == "previous report\n"
    r = wgslrun("report", *results, "--suite", results[0], "-o", out)  # a result file is no suite
    assert r.code == FAILURE and 'schema is "wgslrun-result/1", expected "wgslrun-suite/1"' in r.err


@pytest.mark.parametrize("where", ["missing_dir", "parent_is_file", "is_directory"])
def test_unwritable_output_leaves_nothing(wgslrun, tmp_path, results, where):
    target = {"missing_dir": tmp_path / "nope" / "report.md",
              "parent_is_file": results[0] / "report.md",
              "is_directory": tmp_path / "out.html"}[where]
    if where == "is_directory":
        target.mkdir()
    before = sorted(p.name for p in tmp_path.rglob("*"))
    r = wgslrun("report", *results, "-o", target)
    assert r.code == FAILURE and f"{target}: cannot write" in r.err, r.err
    assert sorted(p.name for p in tmp_path.rglob("*")) == before  # no partial or temporary file


# ---------------------------------------------------------------- HTML in a browser

class ChartCollector(HTMLParser):
    """Collects each <svg class="chart"> with its data-* attributes and its bar widths."""

    def __init__(self):
        super().__init__()
        self.charts, self.current = [], None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "svg" and "chart" in a.get("class", "").split():
            self.current = {"attrs": a, "bars": [], "fail_text": False}
            self.charts.append(self.current)
        elif tag == "rect" and self.current is not None and "bar" in a.get("class", "").split():
            self.current["bars"].append(float(a.get("width", "0")))
        elif tag == "text" and self.current is not None and a.get("class") == "fail":
            self.current["fail_text"] = True

    def handle_endtag(self, tag):
        if tag == "svg":
            self.current = None


def chromium(*args, tmp_path):
    profile = tmp_path / "chromium-profile"
    cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
           "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars",
           f"--user-data-dir={profile}", *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120)


def png_pixels(data):
    """Decodes an 8-bit RGB or RGBA non-interlaced PNG (what Chromium writes) into rows of bytes."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, header = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    width, height, depth, color, _, _, interlace = header
    assert depth == 8 and color in (2, 6) and interlace == 0, header
    bpp = 3 if color == 2 else 4
    raw, stride, rows, prev = zlib.decompress(idat), width * bpp, [], bytearray(width * bpp)
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], prev[i - bpp] if i >= bpp else 0
            if kind == 1:
                line[i] = (line[i] + a) & 255
            elif kind == 2:
                line[i] = (line[i] + b) & 255
            elif kind == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return width, height, bpp, rows


@pytest.mark.skipif(not os.access(CHROMIUM, os.X_OK), reason="needs Debian's chromium at /usr/bin/chromium")
def test_html_charts_render_in_headless_chromium(wgslrun, tmp_path, results):
    page = tmp_path / "report.html"
    r = wgslrun("report", *results, "--suite", SUITE, "-o", page)
    assert r.code == 0, r.err
    html = page.read_text()
    assert "<script" not in html and "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")

    dom = chromium("--dump-dom", page.as_uri(), tmp_path=tmp_path)
    assert dom.returncode == 0 and "</svg>" in dom.stdout, dom.stderr[-2000:]
    collector = ChartCollector()
    collector.feed(dom.stdout)
    charts = {(c["attrs"]["data-case"], c["attrs"]["data-variant"], c["attrs"]["data-params"]): c
              for c in collector.charts}
    assert len(charts) == len(collector.charts) == len(TIMES)
    for (case, variant, nbytes), times in TIMES.items():
        chart = charts[(case, variant or "", f"bytes={nbytes}" if nbytes else "")]
        assert chart["attrs"]["data-size"] == "large"
        assert len(chart["bars"]) == len(timed(times)), (case, variant, nbytes)
        assert all(w > 0 for w in chart["bars"]), chart
        assert chart["fail_text"] == ("failed" in times.values())

    shot = tmp_path / "shot.png"
    result = chromium(f"--screenshot={shot}", "--window-size=1280,2400", page.as_uri(), tmp_path=tmp_path)
    assert result.returncode == 0 and shot.exists(), result.stderr[-2000:]
    width, height, bpp, rows = png_pixels(shot.read_bytes())
    assert (width, height) == (1280, 2400)
    pixels = [row[i:i + 3] for row in rows for i in range(0, len(row), bpp)]
    non_white = sum(1 for p in pixels if p != b"\xff\xff\xff")
    bar_colored = sum(1 for p in pixels if all(abs(p[k] - FIRST_COLOR[k]) <= 3 for k in range(3)))
    assert non_white > 0.01 * len(pixels), non_white
    assert bar_colored > 500, bar_colored  # the first series' bars were painted, not just text


def test_limits_file_adds_measured_limits(wgslrun, tmp_path, results):
    limits = tmp_path / "limits.json"
    limits.write_text(json.dumps({"histogram": "measured: atomics contend on 256 bins"}))
    out = tmp_path / "report.md"
    r = wgslrun("report", *results, "--suite", SUITE, "--limits", limits, "-o", out)
    assert r.code == 0, r.err
    section = md_section(out.read_text(), "### histogram")
    assert "reaches 0.33 of cuda. Recorded limit: measured: atomics contend on 256 bins." in section


@pytest.mark.parametrize("content, message", [
    ('["not", "an object"]', "--limits takes a JSON object of strings"),
    ('{"copy": 3}', "--limits takes a JSON object of strings"),
    ('{"copy": ', "limits.json: line 1"),
])
def test_bad_limits_file(wgslrun, tmp_path, results, content, message):
    limits = tmp_path / "limits.json"
    limits.write_text(content)
    out = tmp_path / "report.md"
    r = wgslrun("report", *results, "--limits", limits, "-o", out)
    assert r.code == 1 and message in r.err, r.err
    assert not out.exists()


def test_variant_reference_serves_results_without_variant(wgslrun, tmp_path):
    """CUDA reports sgemm_tiled as variants (its kernel, cuBLAS); a WebGPU row without a variant is
    compared with the fastest of them."""
    def result(variant, gflops):
        return minimal_result("sgemm_tiled", "compute", variant, {"n": 8192}, "GFLOP/s", gflops)
    files = [write_minimal_run(tmp_path / f"{method}.json", method, rows)
             for method, rows in (("cuda", [result("kernel", 300.0), result("cublas", 500.0)]),
                                  ("native-c", [result(None, 250.0)]))]
    out = tmp_path / "r.md"
    r = wgslrun("report", *files, "--suite", SUITE, "-o", out)
    assert r.code == 0, r.err
    assert "reaches 0.50 of cuda" in md_section(out.read_text(), "### sgemm_tiled")


def test_help_examples_run_on_a_copy_of_the_results(wgslrun, tmp_path):
    """`wgslrun report --help`'s examples, run where results/ and bench/ are copies (shell globs
    expanded as a shell would), each writing its report."""
    import glob
    import shlex
    shutil.copytree(SOURCE_DIR / "results" / "h200", tmp_path / "results" / "h200")
    (tmp_path / "bench").mkdir()
    shutil.copy(SOURCE_DIR / "bench" / "suite.json", tmp_path / "bench" / "suite.json")
    text = wgslrun("report", "--help").out.split("examples:", 1)[1].replace("\\\n", " ")
    examples = [line.strip() for line in text.splitlines() if line.strip().startswith("wgslrun ")]
    assert len(examples) == 2
    for example in examples:
        args = []
        for word in shlex.split(example)[1:]:
            matches = sorted(glob.glob(str(tmp_path / word))) if "*" in word else []
            args += matches or [word]
        r = wgslrun(*args, cwd=tmp_path)
        assert r.code == 0, f"{example}: {r.err}"
        output = args[args.index("-o") + 1]
        assert (tmp_path / output).stat().st_size > 1000


# ---------------------------------------------------------------- noise, warm-up load and rounds

def rounds_fixtures(directory):
    """native-c/dawn in two rounds, told apart once by the "round" field (a file not named rN-)
    and once by the file name alone; copy agrees within 5% (3% apart), sgemm_tiled does not
    (10% apart). Round 1 carries noise and a warm-up load."""
    directory.mkdir(parents=True, exist_ok=True)
    keys = [("copy", None, None), ("sgemm_tiled", None, None)]
    paths = []
    for name, round_field, scale in (("first.json", 1, 1.0), ("r2-native-c.json", None, {"copy": 1.03, "sgemm_tiled": 1.1})):
        results = []
        for key in keys:
            t = TIMES[key]["native-c"] * (scale[key[0]] if isinstance(scale, dict) else scale)
            res = make_result("native-c", *key, t)
            if round_field:
                res["noise"] = {"samples": 12, "rsd": 0.0081, "converged": True, "rsd_target": 0.01,
                                "stopped_by": "rsd_target"} if key[0] == "copy" else \
                               {"samples": 40, "rsd": 0.034, "converged": False, "rsd_target": 0.01,
                                "stopped_by": "max_seconds"}
            results.append(res)
        run = make_run("native-c", directory / name, results)
        if round_field:
            run["round"] = round_field
            run["settle"] = {"max_seconds": 10, "seconds": 2.5, "samples": 9, "spread": 0.012, "settled": True,
                             "error": None}
        path = directory / name
        path.write_text(json.dumps(run))
        paths.append(path)
    return paths


@pytest.fixture
def rounds_markdown(wgslrun, tmp_path):
    out = tmp_path / "rounds.md"
    r = wgslrun("report", *rounds_fixtures(tmp_path / "rounds"), "--suite", SUITE, "-o", out)
    assert r.code == 0, r.err
    return out.read_text()


def rounds_rows(markdown, case):
    lines = md_section(markdown, f"### {case}").splitlines()
    start = lines.index("Rounds:") + 2
    header = md_cells(lines[start])
    return [dict(zip(header, md_cells(line))) for line in lines[start + 2:] if line.startswith("|")]


def test_rounds_show_each_value_the_spread_and_flag_over_5_percent(rounds_markdown):
    t_copy, t_sgemm = TIMES[("copy", None, None)]["native-c"], TIMES[("sgemm_tiled", None, None)]["native-c"]
    for case, t, scale, agree in (("copy", t_copy, 1.03, "yes"), ("sgemm_tiled", t_sgemm, 1.1, "NO: over 5%")):
        [row] = rounds_rows(rounds_markdown, case)
        v1 = metric_value(case, None, None, t)
        v2 = metric_value(case, None, None, t * scale)
        assert row["method"] == "native-c" and row["implementation"] == "dawn"
        assert float(row["round 1"]) == pytest.approx(v1, rel=5e-3)
        assert float(row["round 2"]) == pytest.approx(v2, rel=5e-3)
        spread = (v1 - v2) / ((v1 + v2) / 2)
        assert row["spread (max-min)/median"] == f"{100 * spread:.1f}%"
        assert row["rounds agree"] == agree
    summary = md_section(rounds_markdown, "## Summary")
    assert "Results whose rounds differ by more than 5%:" in summary
    flagged = [line for line in summary.splitlines() if line.startswith("- ") and "rounds differ by" in line]
    assert len(flagged) == 1 and flagged[0].startswith("- sgemm_tiled large, native-c / dawn: rounds differ by 9.5%")


def test_rounds_label_rows_and_files(rounds_markdown):
    rows = md_tables(rounds_markdown)[("copy", "large")]
    assert sorted(r["implementation"] for r in rows) == ["dawn · round 1", "dawn · round 2"]
    files = md_section(rounds_markdown, "### Result files")
    header_line, _, *lines = [line for line in files.splitlines() if line.startswith("|")]
    rows = [dict(zip(md_cells(header_line), md_cells(line))) for line in lines]
    assert [(Path(r["file"]).name, r["round"]) for r in rows] == [("first.json", "1"), ("r2-native-c.json", "2")]
    assert rows[0]["warm-up load"] == "settled in 2.50 s (spread 1.2%, 9 samples)"
    assert rows[1]["warm-up load"] == "—"


def test_noise_column_shows_rsd_samples_and_the_cap(rounds_markdown):
    tables = md_tables(rounds_markdown)
    copy = {r["implementation"]: r for r in tables[("copy", "large")]}
    sgemm = {r["implementation"]: r for r in tables[("sgemm_tiled", "large")]}
    assert copy["dawn · round 1"]["noise"] == "RSD 0.81% · 12 samples"
    assert sgemm["dawn · round 1"]["noise"] == "RSD 3.4% · 40 samples · target 1% not reached (max_seconds)"
    assert copy["dawn · round 2"]["noise"] == "—"


def test_rounds_agreeing_say_so_and_no_rounds_say_nothing(wgslrun, tmp_path, markdown):
    a, b = rounds_fixtures(tmp_path / "agree")
    data = json.loads(b.read_text())
    for res in data["results"]:
        res["metric"]["value"] = json.loads(a.read_text())["results"][data["results"].index(res)]["metric"]["value"]
    b.write_text(json.dumps(data))
    out = tmp_path / "agree.md"
    assert wgslrun("report", a, b, "-o", out).code == 0
    assert "Every result's rounds agree within 5%." in out.read_text()
    assert "rounds agree" not in markdown and "Rounds:" not in markdown


def test_rounds_in_html(wgslrun, tmp_path):
    page = tmp_path / "rounds.html"
    r = wgslrun("report", *rounds_fixtures(tmp_path / "rounds"), "-o", page)
    assert r.code == 0, r.err
    html = page.read_text()
    assert html.count('<table class="rounds">') == 2
    assert "<h3>Rounds</h3>" in html and "sgemm_tiled large, native-c / dawn: rounds differ by 9.5%" in html
    assert "NO: over 5%" in html and "RSD 0.81% · 12 samples" in html
    assert "native-c / dawn · round 1</title>" in html and "native-c / dawn · round 2</title>" in html  # chart labels


def test_rounds_in_json_hold_each_value_its_noise_and_the_spread(wgslrun, tmp_path):
    out = tmp_path / "rounds.json"
    r = wgslrun("report", *rounds_fixtures(tmp_path / "rounds"), "--suite", SUITE, "-o", out)
    assert r.code == 0, r.err
    report = json.loads(out.read_text())
    assert report["round_spread_limit"] == 0.05
    entries = {e["case"]: e for e in report["rounds"]}
    assert sorted(entries) == ["copy", "sgemm_tiled"]
    t_copy, t_sgemm = TIMES[("copy", None, None)]["native-c"], TIMES[("sgemm_tiled", None, None)]["native-c"]
    for case, t, scale, agree in (("copy", t_copy, 1.03, True), ("sgemm_tiled", t_sgemm, 1.1, False)):
        e = entries[case]
        assert (e["method"], e["implementation"], e["size"], e["variant"]) == ("native-c", "dawn", "large", None)
        v1, v2 = metric_value(case, None, None, t), metric_value(case, None, None, t * scale)
        assert [x["round"] for x in e["rounds"]] == [1, 2]
        assert e["rounds"][0]["value"] == pytest.approx(v1) and e["rounds"][1]["value"] == pytest.approx(v2)
        assert e["spread"] == pytest.approx(abs(v1 - v2) / ((v1 + v2) / 2))
        assert e["agree"] is agree
        assert e["rounds"][1]["noise"] is None  # round 2's results carry no noise record
    assert entries["copy"]["rounds"][0]["noise"] == {"samples": 12, "rsd": 0.0081, "converged": True}
    assert entries["sgemm_tiled"]["rounds"][0]["noise"] == {"samples": 40, "rsd": 0.034, "converged": False}


def test_json_without_rounds_has_an_empty_rounds_list(wgslrun, tmp_path, results):
    out = tmp_path / "plain.json"
    assert wgslrun("report", *results, "-o", out).code == 0
    assert json.loads(out.read_text())["rounds"] == []
