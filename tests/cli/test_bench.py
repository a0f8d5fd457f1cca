"""Tests of `wgslrun bench`: the whole small suite on each implementation, checked against
bench/suite.json and bench/README.md's result format and metric formulas, plus --filter, the
per-implementation file names of --impl all, a verification failure, and bad arguments.

What the tests prove:
- every job the suite defines for "small" (each case, variant and listed byte count) is in the
  result file, in suite order, verified, with positive min <= median <= max times over as many
  samples as its "noise" says (within the suite's adaptive rule), and a metric that matches README's formula for the median time;
- the header carries the schema, method, implementation, adapter, machine, versions, date and
  command; GPU time is used when present and the overhead/transfer cases are wall-timed;
- --filter runs exactly the matching cases, and --impl all writes results-dawn.json and
  results-wgpu.json;
- a kernel that computes a wrong answer is reported as failed, with an error and no time, and
  the exit status is 1;
- a bad regex exits 2 and a missing suite exits 1, each with a message naming the problem.
"""
import json
import re
import shutil

import pytest

from conftest import IMPLS, SOURCE_DIR, run_wgslrun

USAGE, FAILURE = 2, 1
SUITE_PATH = SOURCE_DIR / "bench" / "suite.json"
SUITE = json.loads(SUITE_PATH.read_text())
SIZE = "small"
TIMING = SUITE["timing"][SIZE]
WALL_TIMED = {"dispatch", "transfer", "e2e_saxpy"}


def expected_jobs():
    """(case, variant, params) for every result the small suite defines, in suite order."""
    jobs = []
    for case in SUITE["cases"]:
        params = case["sizes"][SIZE]
        listed = [k for k, v in params.items() if isinstance(v, list)]
        values = [dict(params, **{listed[0]: v}) for v in params[listed[0]]] if listed else [params]
        for variant in case.get("variants", [None]):
            jobs.extend((case["id"], variant, p) for p in values)
    return jobs


def metric_from_time(case, variant, p, ms):
    """bench/README.md's metric formulas; None where the metric needs the GPU's output."""
    giga = 1e6 * ms  # amount / (ms * 1e-3 s) / 1e9
    formulas = {
        "copy": lambda: 32 * p["n"] / giga,
        "triad": lambda: 48 * p["n"] / giga,
        "reduce": lambda: 4 * p["n"] / giga,
        "reduce_subgroups": lambda: 4 * p["n"] / giga,
        "scan": lambda: 8 * p["n"] / giga,
        "scan_lookback": lambda: 8 * p["n"] / giga,
        "histogram": lambda: 4 * p["n"] / giga,
        "sgemm_naive": lambda: 2 * p["n"] ** 3 / giga,
        "sgemm_tiled": lambda: 2 * p["n"] ** 3 / giga,
        "sgemm_subgroups": lambda: 2 * p["n"] ** 3 / giga,
        "nbody": lambda: p["n"] ** 2 / giga,
        "stencil": lambda: 8 * p["width"] * p["height"] * p["iterations"] / giga,
        "dispatch": lambda: ms * 1000 / p["dispatches"],
        "transfer": lambda: p["bytes"] / giga,
        "e2e_saxpy": lambda: ms,
    }
    return formulas[case]() if case in formulas else None


def check_stats(stats, samples):
    assert set(stats) == {"min", "median", "max", "count"}
    assert 0 < stats["min"] <= stats["median"] <= stats["max"]
    assert stats["count"] == samples


def check_noise(noise):
    """The suite's adaptive rule: at least `samples`, at most `max_samples`, and a stop reason
    that agrees with the RSD (tests/cli/test_bench_noise.py tests each reason)."""
    assert TIMING["samples"] <= noise["samples"] <= TIMING["max_samples"]
    assert noise["rsd"] >= 0 and noise["rsd_target"] == TIMING["rsd_target"]
    assert noise["converged"] == (noise["rsd"] <= TIMING["rsd_target"])
    assert noise["stopped_by"] in ("rsd_target", "max_seconds", "max_samples")
    assert (noise["stopped_by"] == "rsd_target") == noise["converged"]
    return noise["samples"]


def device_features(impl):
    """The suite's feature names the device of `impl` has (wgslrun info --json)."""
    r = run_wgslrun("info", "--impl", impl, "--json")
    assert r.code == 0, r.err
    device = json.loads(r.out)["implementations"][0]["device"]
    return {"subgroups"} if device["subgroups"] else set()


@pytest.fixture(scope="module", params=IMPLS)
def small_run(request, tmp_path_factory):
    impl = request.param
    path = tmp_path_factory.mktemp(f"bench-{impl}") / "results.json"
    r = run_wgslrun("bench", "--impl", impl, "--size", SIZE, "--json", path, timeout=900)
    return impl, path, r


def check_unsupported_for_lack(res, case, features):
    """A case whose "requires" the device lacks is unsupported, naming the feature, untimed."""
    missing = [f for f in case.get("requires", []) if f not in features]
    assert missing, f"{res['case']}: unsupported although the device has {case.get('requires')}"
    assert res["verified"] is None and f"'{missing[0]}' feature" in res["unsupported"], res


def test_small_suite_verifies_everything(small_run):
    impl, path, r = small_run
    assert r.code == 0, r.err
    data = json.loads(path.read_text())
    results = data["results"]
    got = [(res["case"], res["variant"], res["params"]) for res in results]
    assert got == expected_jobs()
    cases = {c["id"]: c for c in SUITE["cases"]}
    features = device_features(impl)
    for res in results:
        where = f"{impl} {res['case']} {res['variant']} {res['params']}"
        if set(cases[res["case"]].get("requires", [])) - features:
            check_unsupported_for_lack(res, cases[res["case"]], features)
            continue
        assert res["verified"] is True, where
        assert res["error"] is None and "unsupported" not in res, where
        assert res["class"] == cases[res["case"]]["class"], where
        assert isinstance(res["max_error"], (int, float)) and res["max_error"] >= 0, where
        samples = check_noise(res["noise"])
        check_stats(res["time_ms"], samples)
        check_stats(res["wall_ms"], samples)
        if res["timing"] == "gpu":
            check_stats(res["gpu_ms"], samples)
            assert res["time_ms"] == res["gpu_ms"], where
        else:
            assert res["timing"] == "wall" and res["time_ms"] == res["wall_ms"], where
        if res["case"] in WALL_TIMED:
            assert res["timing"] == "wall", where
        metric = res["metric"]
        declared = cases[res["case"]]["metric"]
        assert all(metric[k] == declared[k] for k in ("name", "unit", "better")), where
        assert metric["value"] > 0, where
        want = metric_from_time(res["case"], res["variant"], res["params"], res["time_ms"]["median"])
        if want is not None:
            assert metric["value"] == pytest.approx(want, rel=1e-9), where


def test_small_suite_header(small_run):
    impl, path, r = small_run
    data = json.loads(path.read_text())
    assert data["schema"] == "wgslrun-result/1"
    assert data["method"] == "native-c"
    assert data["implementation"] == impl
    assert data["adapter"] and data["backend"]
    assert "driver" in data
    assert data["device_class"] in ("gpu", "cpu")
    assert set(data["machine"]) == {"hostname", "cpu", "os"} and all(data["machine"].values())
    assert data["versions"]["wgslrun"] and data["versions"][impl]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", data["date"])
    assert data["command"] == f"wgslrun bench --impl {impl} --size {SIZE} --json {path}"
    assert data["size"] == SIZE


def test_small_suite_progress_and_table(small_run):
    impl, path, r = small_run
    total = len(expected_jobs())
    assert f"[1/{total}] {impl} copy {SIZE} ... " in r.err
    assert re.search(rf"\[{total}/{total}\] {impl} e2e_saxpy {SIZE} \.\.\. [0-9.e+-]+ ms verified", r.err)
    rows = [line.split() for line in r.out.splitlines()[1:]]
    features = device_features(impl)
    lacking = {c["id"] for c in SUITE["cases"] if set(c.get("requires", [])) - features}
    assert len(rows) == total and all(row[0] == impl for row in rows)
    assert all(row[-1] == ("unsupported" if row[1] in lacking else "yes") for row in rows), rows


def test_filter_selects_one_case(wgslrun, tmp_path):
    path = tmp_path / "r.json"
    r = wgslrun("bench", "--impl", "wgpu", "--filter", "^triad$", "--json", path)
    assert r.code == 0, r.err
    results = json.loads(path.read_text())["results"]
    assert [res["case"] for res in results] == ["triad"] and results[0]["verified"] is True
    assert "[1/1] wgpu triad small" in r.err


def test_impl_all_writes_a_file_per_implementation(wgslrun, tmp_path):
    r = wgslrun("bench", "--impl", "all", "--filter", "dispatch/one_pass", "--json", tmp_path / "results.json")
    assert r.code == 0, r.err
    for impl in IMPLS:
        data = json.loads((tmp_path / f"results-{impl}.json").read_text())
        assert data["implementation"] == impl
        assert [(res["case"], res["variant"]) for res in data["results"]] == [("dispatch", "one_pass")]
    assert not (tmp_path / "results.json").exists()


def test_wrong_answer_is_reported_as_failed_without_time(wgslrun, tmp_path):
    suite_dir = tmp_path / "suite"
    shutil.copytree(SOURCE_DIR / "bench" / "kernels", suite_dir / "kernels")
    shutil.copy(SUITE_PATH, suite_dir / "suite.json")
    stream = suite_dir / "kernels" / "stream.wgsl"
    text = stream.read_text()
    assert "dst[i] = src_b[i];" in text
    stream.write_text(text.replace("dst[i] = src_b[i];", "dst[i] = src_b[i] + vec4f(0.5);"))
    path = tmp_path / "r.json"
    r = wgslrun("bench", "--impl", "dawn", "--suite", suite_dir / "suite.json", "--filter", "^(copy|triad)$",
                "--json", path)
    assert r.code == FAILURE
    copy, triad = json.loads(path.read_text())["results"]
    assert copy["case"] == "copy" and copy["verified"] is False
    assert "verification failed" in copy["error"] and copy["max_error"] == pytest.approx(0.5)
    for key in ("timing", "time_ms", "wall_ms", "gpu_ms"):
        assert copy[key] is None
    assert copy["metric"]["value"] is None
    assert triad["verified"] is True and triad["metric"]["value"] > 0
    assert "copy small ... FAILED: verification failed" in r.err


def unknown_parts_suite(tmp_path):
    """suite.json plus a case no runner has, an unknown variant of transfer and a variant of a
    case that takes none: each must come back as an unsupported result, never an error."""
    suite = json.loads(SUITE_PATH.read_text())
    cases = {c["id"]: c for c in suite["cases"]}
    for case in suite["cases"]:
        if "kernel" in case:
            case["kernel"] = str(SOURCE_DIR / "bench" / case["kernel"])
    cases["transfer"]["variants"] = ["upload", "teleport"]
    cases["copy"]["variants"] = ["bogus"]
    suite["cases"].append(dict(cases["copy"], id="no_such_case", variants=None))
    del suite["cases"][-1]["variants"]
    path = tmp_path / "suite.json"
    path.write_text(json.dumps(suite))
    return path


def test_unknown_case_and_variants_are_unsupported_results(wgslrun, tmp_path):
    path = tmp_path / "r.json"
    r = wgslrun("bench", "--impl", "dawn", "--suite", unknown_parts_suite(tmp_path), "--filter",
                "^(copy|transfer|no_such_case)", "--json", path)
    assert r.code == 0, r.err
    rows = {(res["case"], res["variant"], res["params"].get("bytes")): res for res in json.loads(path.read_text())["results"]}
    unsupported = {
        ("copy", "bogus", None): "not implemented by the native runner: variant 'copy/bogus'",
        ("transfer", "teleport", 1048576): "not implemented by the native runner: variant 'transfer/teleport'",
        ("no_such_case", None, None): "not implemented by the native runner: case 'no_such_case'",
    }
    for key, reason in unsupported.items():
        assert rows[key]["unsupported"] == reason and rows[key]["verified"] is None, key
        assert rows[key]["time_ms"] is None and rows[key]["metric"]["value"] is None, key
    assert rows[("transfer", "upload", 1048576)]["verified"] is True


@pytest.mark.parametrize("context", ["per-case", "shared"])
def test_context_per_case_or_shared_verifies(wgslrun, tmp_path, context):
    path = tmp_path / "r.json"
    r = wgslrun("bench", "--impl", "dawn", "--context", context, "--filter", "^(copy|triad|scan)$", "--json", path)
    assert r.code == 0, r.err
    data = json.loads(path.read_text())
    assert [res["case"] for res in data["results"]] == ["copy", "triad", "scan"]
    assert all(res["verified"] is True for res in data["results"])
    assert f"--context {context}" in data["command"]


def test_bad_context_is_a_usage_error(wgslrun):
    r = wgslrun("bench", "--context", "per-run")
    assert r.code == USAGE
    assert "--context 'per-run' is not per-case or shared" in r.err


def test_bad_filter_regex_is_a_usage_error(wgslrun):
    r = wgslrun("bench", "--filter", "sgemm(")
    assert r.code == USAGE
    assert "--filter 'sgemm(' is not a valid regular expression" in r.err


def test_filter_matching_nothing_is_a_usage_error(wgslrun):
    r = wgslrun("bench", "--filter", "no-such-case")
    assert r.code == USAGE
    assert "no case of the suite matches --filter 'no-such-case'" in r.err


def test_missing_suite_file_fails(wgslrun, tmp_path):
    missing = tmp_path / "nowhere" / "suite.json"
    r = wgslrun("bench", "--suite", missing)
    assert r.code == FAILURE
    assert f"{missing}: cannot open: No such file or directory" in r.err


def test_a_tag_that_is_not_a_string_is_refused(wgslrun, tmp_path):
    suite = json.loads((SOURCE_DIR / "bench" / "suite.json").read_text())
    for case in suite["cases"]:
        if "kernel" in case:
            case["kernel"] = str(SOURCE_DIR / "bench" / case["kernel"])
    next(c for c in suite["cases"] if c["id"] == "copy")["tag"] = 5
    path = tmp_path / "suite.json"
    path.write_text(json.dumps(suite))
    r = wgslrun("bench", "--suite", path, "--filter", "^copy$")
    assert r.code == FAILURE and f"{path}: case 'copy': 'tag' must be a string" in r.err


def test_suite_from_environment(wgslrun, tmp_path):
    missing = tmp_path / "env-suite.json"
    r = wgslrun("bench", env={"WGSLRUN_SUITE": str(missing)})
    assert r.code == FAILURE and f"{missing}: cannot open" in r.err


@pytest.mark.parametrize("args, message", [
    (["--size", "huge"], "--size 'huge' is not small or large"),
    (["--frobnicate"], "unknown option '--frobnicate'"),
    (["--filter"], "--filter"),
])
def test_bad_arguments_are_usage_errors(wgslrun, args, message):
    r = wgslrun("bench", *args)
    assert r.code == USAGE and message in r.err


def test_help_example_is_a_real_command(wgslrun):
    r = wgslrun("bench", "--help")
    assert r.code == 0 and "wgslrun bench --impl all --size small --json results.json" in r.out
