"""bench/suite.json, every runner's result file and `wgslrun report`'s JSON against bench/schema/
(JSON Schema 2020-12).

Fresh outputs are produced here on whatever WebGPU the machine has (SwiftShader without a GPU):
native C on Dawn and wgpu-native (build/wgslrun bench), Rust + wgpu (the binary the rust_wgpu
test builds) and Node (bench/web/run.mjs). Runners that need a browser or a GPU are covered by
the result files committed under results/ (CUDA's results/h200/r1-cuda.json among them) and by
the files the web tests leave in $WGSLRUN_RESULTS_OUT (build/test-results under ctest).
"""
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

SOURCE_DIR = Path(__file__).resolve().parents[2]
BUILD_DIR = Path(os.environ.get("WGSLRUN_BUILD_DIR", SOURCE_DIR / "build"))
SCHEMA_DIR = SOURCE_DIR / "bench" / "schema"
SUITE_PATH = SOURCE_DIR / "bench" / "suite.json"
SUITE = json.loads(SUITE_PATH.read_text())
SWIFTSHADER_ICD = "/usr/lib/chromium/vk_swiftshader_icd.json"


def validator(name):
    schema = json.loads((SCHEMA_DIR / name).read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


RESULT = validator("result.schema.json")


def problems(v, document):
    return [f"{'/'.join(map(str, e.absolute_path)) or '(top)'}: {e.message}" for e in v.iter_errors(document)]


def assert_result_valid(document, where):
    found = problems(RESULT, document)
    assert not found, f"{where} breaks result.schema.json:\n" + "\n".join(found[:20])


def runner_env():
    env = dict(os.environ)
    if not env.get("VK_ICD_FILENAMES") and Path(SWIFTSHADER_ICD).exists():
        env["VK_ICD_FILENAMES"] = SWIFTSHADER_ICD
    return env


def run(cmd, cwd=SOURCE_DIR, timeout=600):
    r = subprocess.run([str(c) for c in cmd], cwd=cwd, env=runner_env(), capture_output=True, text=True,
                       timeout=timeout)
    assert r.returncode == 0, f"{cmd} exited {r.returncode}:\n{r.stderr[-3000:]}"
    return r


def expected_names():
    """The result names ('id' or 'id/variant') of the small suite, once per list value."""
    names = []
    for c in SUITE["cases"]:
        values = next((v for v in c["sizes"]["small"].values() if isinstance(v, list)), [None])
        for variant in c.get("variants", [None]):
            names += [f"{c['id']}/{variant}" if variant else c["id"]] * len(values)
    return sorted(names)


def assert_small_suite(document):
    names = sorted(f"{e['case']}/{e['variant']}" if e["variant"] else e["case"] for e in document["results"])
    assert names == expected_names()
    failed = [(e["case"], e["variant"], e["error"]) for e in document["results"]
              if e["verified"] is not True and not e.get("unsupported")]
    assert not failed


# ---------------------------------------------------------------- the suite


def test_suite_json_is_valid():
    found = problems(validator("suite.schema.json"), SUITE)
    assert not found, "bench/suite.json breaks suite.schema.json:\n" + "\n".join(found)


def test_generated_sweep_suites_are_valid(tmp_path):
    """sgemm_gen.py --sweep writes suites from the suite's own sgemm_tiled rules."""
    gen = SOURCE_DIR / "bench" / "experiments" / "sgemm_gen.py"
    r = subprocess.run([sys.executable, str(gen), "--sweep", str(tmp_path), "--sizes", "256"], capture_output=True,
                       text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    suites = sorted(tmp_path.glob("*suite.json"))
    assert [p.name for p in suites] == ["cuda_suite.json", "suite.json"]
    for path in suites:
        found = problems(validator("suite.schema.json"), json.loads(path.read_text()))
        assert not found, f"{path.name}: " + "\n".join(found)


def test_suite_schema_rejects_a_case_without_tolerance():
    broken = json.loads(SUITE_PATH.read_text())
    triad = next(c for c in broken["cases"] if c["id"] == "triad")
    del triad["verify"]["tolerance"]
    del next(c for c in broken["cases"] if c["id"] == "copy")["metric"]["count"]
    found = problems(validator("suite.schema.json"), broken)
    assert any("tolerance" in p for p in found) and any("count" in p for p in found), found


def test_metric_counts_name_size_parameters():
    """Each metric's count multiplies parameters every size of the case has."""
    for c in SUITE["cases"]:
        for key in ("metric", "extra_metric"):
            if key not in c:
                continue
            for size, params in c["sizes"].items():
                missing = set(c[key]["count"]["params"]) - set(params)
                assert not missing, f"{c['id']}.{key} counts {missing}, absent from sizes.{size}"


# ---------------------------------------------------------------- the result format


def entry(**fields):
    base = {"case": "copy", "class": "bandwidth", "variant": None, "params": {"n": 4}, "verified": True,
            "max_error": 0, "error": None, "timing": "wall", "time_ms": {"min": 1, "median": 1, "max": 1, "count": 1},
            "wall_ms": {"min": 1, "median": 1, "max": 1, "count": 1}, "gpu_ms": None,
            "metric": {"name": "bandwidth", "unit": "GB/s", "better": "higher", "value": 1.0}}
    return {**base, **fields}


def document(*entries):
    return {"schema": "wgslrun-result/1", "method": "native-c", "implementation": "dawn", "adapter": "a",
            "backend": "vulkan", "driver": None, "device_class": "cpu",
            "machine": {"hostname": "h", "cpu": "c", "os": "o"}, "versions": {}, "date": "2026-01-01T00:00:00Z",
            "command": "x", "size": "small", "results": list(entries)}


NO_TIMES = {"timing": None, "time_ms": None, "wall_ms": None, "gpu_ms": None,
            "metric": {"name": "bandwidth", "unit": "GB/s", "better": "higher", "value": None}}


@pytest.mark.parametrize("fields", [
    {},
    {"verified": False, "error": "off by 1", **NO_TIMES},
    {"verified": None, "unsupported": "no atomics in WebGL2", **NO_TIMES},
    {"verified": None, "status": "unsupported", "reason": "variant not implemented", **NO_TIMES},
])
def test_result_schema_admits(fields):
    assert_result_valid(document(entry(**fields)), fields)


@pytest.mark.parametrize("fields", [
    {"verified": False, "error": "off by 1"},                      # a failed case with times
    {"verified": None, "status": "unsupported", **NO_TIMES},        # unsupported without a reason
    {"verified": True, "unsupported": "x", **NO_TIMES},             # unsupported yet verified
    {"metric": {"name": "bandwidth", "unit": "GB/s", "better": "higher", "value": 1, "count": {}}},
    {"timing": "gpu"},                                              # gpu timing without gpu_ms
    {"time_ms": {"min": 1, "median": 1, "max": 1}},                 # stats without a count
])
def test_result_schema_rejects(fields):
    assert problems(RESULT, document(entry(**fields))), fields


def committed_results():
    for path in sorted((SOURCE_DIR / "results").rglob("*.json")):
        try:
            doc = json.loads(path.read_text())
        except ValueError:
            continue
        if isinstance(doc, dict) and doc.get("schema") == "wgslrun-result/1":
            yield pytest.param(path, id=str(path.relative_to(SOURCE_DIR)))


@pytest.mark.parametrize("path", list(committed_results()))
def test_committed_result_is_valid(path):
    assert_result_valid(json.loads(path.read_text()), path)


REPORT = validator("report.schema.json")


def committed_reports():
    for path in sorted((SOURCE_DIR / "results").rglob("report*.json")):
        yield pytest.param(path, id=str(path.relative_to(SOURCE_DIR)))


@pytest.mark.parametrize("path", list(committed_reports()))
def test_committed_report_is_valid(path):
    found = problems(REPORT, json.loads(path.read_text()))
    assert not found, f"{path} breaks report.schema.json:\n" + "\n".join(found[:20])


def test_fresh_report_of_every_committed_h200_result_is_valid(tmp_path):
    """The JSON report over every committed H200 result file (several rounds, variants, failed and
    unsupported rows, CUDA's named variants), against both baselines."""
    files = sorted(str(p) for p, in (c.values for c in committed_results()) if "/h200/" in str(p))
    assert files, "no committed H200 result"
    for baseline in ("cuda", "native-c"):
        out = tmp_path / f"report-{baseline}.json"
        run([BUILD_DIR / "wgslrun", "report", *files, "--suite", SUITE_PATH, "--baseline", baseline, "-o", out])
        report = json.loads(out.read_text())
        found = problems(REPORT, report)
        assert not found, f"report against {baseline} breaks report.schema.json:\n" + "\n".join(found[:20])
        assert report["glance"], baseline


def test_committed_cuda_results_exist():
    assert (SOURCE_DIR / "results" / "h200" / "r1-cuda.json").exists()


def left_by_web_tests():
    out = os.environ.get("WGSLRUN_RESULTS_OUT")
    return sorted(Path(out).glob("*.json")) if out and Path(out).is_dir() else []


@pytest.mark.parametrize("path", left_by_web_tests() or [None])
def test_web_test_outputs_are_valid(path):
    if path is None:
        pytest.skip("no result files in $WGSLRUN_RESULTS_OUT (the web tests write them under ctest)")
    assert_result_valid(json.loads(path.read_text()), path)


# ---------------------------------------------------------------- fresh outputs of the runners here


@pytest.mark.parametrize("impl", ["dawn", "wgpu"])
def test_native_output_is_valid(impl, tmp_path):
    wgslrun = Path(os.environ.get("WGSLRUN_BIN", BUILD_DIR / "wgslrun"))
    if not wgslrun.exists():
        pytest.skip(f"{wgslrun} is not built")
    out = tmp_path / f"native-{impl}.json"
    run([wgslrun, "bench", "--impl", impl, "--size", "small", "--json", out])
    doc = json.loads(out.read_text())
    assert_result_valid(doc, out)
    assert_small_suite(doc)


def test_rust_output_is_valid(tmp_path):
    binary = SOURCE_DIR / "bench" / "rust" / "target" / "release" / "wgslrun-bench-rust"
    if not binary.exists():
        pytest.skip(f"{binary} is not built (the rust_wgpu test builds it)")
    out = tmp_path / "rust-wgpu.json"
    run([binary, "--size", "small", "--json", out])
    doc = json.loads(out.read_text())
    assert_result_valid(doc, out)
    assert_small_suite(doc)


def test_node_output_is_valid(tmp_path):
    node = shutil.which("node")
    if node is None or not (SOURCE_DIR / "bench" / "web" / "node_modules").is_dir():
        pytest.skip("node or bench/web/node_modules is missing")
    out = tmp_path / "node-js.json"
    run([node, SOURCE_DIR / "bench" / "web" / "run.mjs", "--host", "node", "--size", "small", "--json", out])
    doc = json.loads(out.read_text())
    assert_result_valid(doc, out)
    assert_small_suite(doc)


# ---------------------------------------------------------------- runners refuse a suite without its numbers


def suite_without(tmp_path, case_id, drop):
    """suite.json (kernels beside it) with `drop(case)` applied to one case."""
    suite = json.loads(SUITE_PATH.read_text())
    drop(next(c for c in suite["cases"] if c["id"] == case_id))
    (tmp_path / "kernels").symlink_to(SOURCE_DIR / "bench" / "kernels")
    path = tmp_path / "suite.json"
    path.write_text(json.dumps(suite))
    return path


def drop_tolerance(case):
    del case["verify"]["tolerance"]


def drop_constant(case):
    del case["constants"]["eps2"]


@pytest.mark.parametrize("case_id, drop, needle", [("triad", drop_tolerance, "tolerance"),
                                                    ("nbody", drop_constant, "eps2")])
def test_native_refuses_a_missing_number(tmp_path, case_id, drop, needle):
    wgslrun = Path(os.environ.get("WGSLRUN_BIN", BUILD_DIR / "wgslrun"))
    if not wgslrun.exists():
        pytest.skip(f"{wgslrun} is not built")
    suite = suite_without(tmp_path, case_id, drop)
    r = subprocess.run([str(wgslrun), "bench", "--impl", "wgpu", "--suite", str(suite), "--filter", f"^{case_id}$"],
                       env=runner_env(), capture_output=True, text=True, timeout=120)
    assert r.returncode != 0
    assert case_id in r.stderr and needle in r.stderr, r.stderr


@pytest.mark.parametrize("case_id, drop, needle", [("triad", drop_tolerance, "tolerance"),
                                                    ("nbody", drop_constant, "eps2")])
def test_rust_refuses_a_missing_number(tmp_path, case_id, drop, needle):
    binary = SOURCE_DIR / "bench" / "rust" / "target" / "release" / "wgslrun-bench-rust"
    if not binary.exists():
        pytest.skip(f"{binary} is not built (the rust_wgpu test builds it)")
    suite = suite_without(tmp_path, case_id, drop)
    out = tmp_path / "r.json"
    r = subprocess.run([str(binary), "--suite", str(suite), "--filter", f"^{case_id}$", "--json", str(out)],
                       env=runner_env(), capture_output=True, text=True, timeout=120)
    # The suite is refused (tolerance), or the case fails without a time, naming what is missing.
    if r.returncode != 0:
        assert case_id in r.stderr and needle in r.stderr, r.stderr
        return
    [entry] = json.loads(out.read_text())["results"]
    assert entry["verified"] is False and needle in entry["error"] and entry["time_ms"] is None, entry
