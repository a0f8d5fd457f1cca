"""scripts/readme_table.py: README's headline table from a `wgslrun report --baseline native-c`
JSON. On a report made here from a few result files: native C's value, each method's ratio
(a time also with its own value), a dash where a method has no result, and refusals of a report
against another baseline and of one that lacks a README case."""
import json
import subprocess
import sys

from conftest import SOURCE_DIR

SCRIPT = SOURCE_DIR / "scripts" / "readme_table.py"
SUITE = SOURCE_DIR / "bench" / "suite.json"
README_CASES = [("copy", None, {"n": 16777216}, "GB/s", "higher"), ("triad", None, {"n": 16777216}, "GB/s", "higher"),
                ("reduce", None, {"n": 67108864}, "GB/s", "higher"), ("histogram", None, {"n": 67108864}, "GB/s", "higher"),
                ("sgemm_tiled", None, {"n": 8192}, "GFLOP/s", "higher"), ("nbody", None, {"n": 131072}, "Ginteractions/s", "higher"),
                ("dispatch", "one_pass", {"dispatches": 10000}, "us", "lower"),
                ("dispatch", "submit_each", {"dispatches": 10000}, "us", "lower"),
                ("dispatch", "round_trip", {"dispatches": 10000}, "us", "lower"),
                ("transfer", "upload", {"bytes": 1048576}, "GB/s", "higher"),
                ("transfer", "upload", {"bytes": 1073741824}, "GB/s", "higher"),
                ("transfer", "readback", {"bytes": 1048576}, "GB/s", "higher"),
                ("transfer", "readback", {"bytes": 1073741824}, "GB/s", "higher"),
                ("e2e_saxpy", None, {"n": 16777216}, "ms", "lower")]


def result_file(path, method, value_of):
    results = []
    for case, variant, params, unit, better in README_CASES:
        results.append({"case": case, "class": "x", "variant": variant, "params": params, "verified": True, "error": None,
                        "timing": "wall", "time_ms": {"min": 1, "median": 1, "max": 1, "count": 3},
                        "metric": {"name": "m", "unit": unit, "value": value_of(case, unit), "better": better}})
    path.write_text(json.dumps({"schema": "wgslrun-result/1", "method": method, "implementation": method,
                                "adapter": "GPU X", "device_class": "gpu", "size": "large", "results": results}))
    return path


def make_report(wgslrun, tmp_path, baseline="native-c", methods=("native-c", "browser-wasm")):
    native = lambda case, unit: 20.0 if unit in ("us", "ms") else 1000.0
    wasm = lambda case, unit: 80.0 if unit in ("us", "ms") else 500.0  # 4x slower, half the bandwidth
    files = [result_file(tmp_path / f"{m}.json", m, native if m == "native-c" else wasm) for m in methods]
    out = tmp_path / "vs-native.json"
    r = wgslrun("report", *files, "--suite", SUITE, "--baseline", baseline, "-o", out)
    assert r.code == 0, r.err
    return out


def readme_table(path):
    return subprocess.run([sys.executable, str(SCRIPT), str(path)], capture_output=True, text=True, timeout=60)


def test_the_table_quotes_native_values_and_each_methods_ratio(wgslrun, tmp_path):
    done = readme_table(make_report(wgslrun, tmp_path))
    assert done.returncode == 0, done.stderr
    rows = {line.split(" | ")[1]: [c.strip(" |") for c in line.split(" | ")] for line in done.stdout.splitlines()[2:]}
    assert len(rows) == 8
    copy = rows["copy / triad 256 MB"]
    assert copy[2:] == ["1000 / 1000 GB/s", "0.50 / 0.50", "— / —", "— / —", "— / —"]
    assert rows["SGEMM 8192 (tiled WGSL) / n-body"][2] == "1000 GFLOP/s / 1000 Ginteractions/s"
    assert rows["one submit per dispatch"][2:4] == ["20 µs", "0.25 (80 µs)"]
    assert rows["saxpy 16M with both transfers"][2:4] == ["20 ms", "0.25 (80 ms)"]


def test_a_report_against_another_baseline_or_without_a_case_is_refused(wgslrun, tmp_path):
    against_cuda = readme_table(make_report(wgslrun, tmp_path, baseline="browser-wasm"))
    assert against_cuda.returncode == 1 and "baseline is browser-wasm, not native-c" in against_cuda.stderr
    report = json.loads(make_report(wgslrun, tmp_path).read_text())
    report["glance"] = [g for g in report["glance"] if g["case"] != "histogram"]
    (tmp_path / "cut.json").write_text(json.dumps(report))
    cut = readme_table(tmp_path / "cut.json")
    assert cut.returncode == 1 and "the report has no 'histogram' at a glance" in cut.stderr
    assert readme_table(tmp_path / "absent.json").returncode == 1
