"""Tests of the sgemm_tiled kernel generator and tile sweep (bench/experiments/sgemm_gen.py,
sgemm_sweep_summary.py, scripts/device/sgemm_sweep.sh's pieces) on SwiftShader.

What the tests prove:
- bench/kernels/sgemm.wgsl is the generator's default kernel, and --check fails on a stale copy;
- every variant of the sweep (and the baseline kernel) computes the right product at n = 256,
  where every output is checked, on both implementations, run with the tile its suite gives;
- the runner dispatches the suite's tile: a tile larger than the kernel's leaves outputs unwritten
  and fails verification; a tile that does not divide n is a parameter error;
- bad shapes and sizes exit 2 naming the problem;
- the summary joins the result files, computes fractions of cuBLAS and of the peak, and shows a
  failed variant as FAILED without a number.
"""
import json
import subprocess
import sys

import pytest

from conftest import IMPLS, SOURCE_DIR, run_wgslrun

GEN = SOURCE_DIR / "bench" / "experiments" / "sgemm_gen.py"
SUMMARY = SOURCE_DIR / "bench" / "experiments" / "sgemm_sweep_summary.py"


def run_py(script, *args):
    return subprocess.run([sys.executable, str(script), *map(str, args)], capture_output=True, text=True,
                          timeout=120)


@pytest.fixture(scope="module")
def sweep(tmp_path_factory):
    directory = tmp_path_factory.mktemp("sweep")
    r = run_py(GEN, "--sweep", directory, "--sizes", "256,512")
    assert r.returncode == 0, r.stderr
    return directory


@pytest.fixture(scope="module", params=IMPLS)
def sweep_run(request, sweep):
    path = sweep / f"results-{request.param}.json"
    r = run_wgslrun("bench", "--impl", request.param, "--suite", sweep / "suite.json", "--json", path, timeout=600)
    return request.param, path, r


def test_suite_kernel_is_the_generated_default(tmp_path):
    assert run_py(GEN, "--check").returncode == 0
    stale = tmp_path / "sgemm.wgsl"
    stale.write_text((SOURCE_DIR / "bench" / "kernels" / "sgemm.wgsl").read_text().replace("8u", "16u", 1))
    r = run_py(GEN, "--check", stale)
    assert r.returncode == 1 and "differs from sgemm_gen.py --suite-kernel" in r.stderr


def test_every_variant_verifies(sweep, sweep_run):
    impl, path, r = sweep_run
    assert r.code == 0, r.err
    suite = json.loads((sweep / "suite.json").read_text())
    results = json.loads(path.read_text())["results"]
    tags = [c["tag"] for c in suite["cases"]]
    assert "128x128x8_8x8" in tags and "baseline_64x64x16_4x4" in tags
    assert [r["tag"] for r in results] == tags
    for result, case in zip(results, suite["cases"]):
        assert result["verified"] is True, (impl, result["tag"], result["error"])
        assert result["params"] == case["sizes"]["small"] and result["params"]["n"] == 256
        assert result["max_error"] <= 1e-4 and result["metric"]["value"] > 0


def test_sweep_sizes_reach_the_large_suite(sweep):
    for name in ("suite.json", "cuda_suite.json"):
        suite = json.loads((sweep / name).read_text())
        sizes = [c["sizes"]["large"]["n"] for c in suite["cases"]]
        assert sizes == ([[256, 512]] * len(sizes) if name == "suite.json" else [256, 512])


def one_case_suite(tmp_path, tile_rows, tile_cols):
    suite = json.loads((SOURCE_DIR / "bench" / "suite.json").read_text())
    suite["cases"] = [c for c in suite["cases"] if c["id"] == "sgemm_tiled"]
    suite["cases"][0]["kernel"] = str(SOURCE_DIR / "bench" / "kernels" / "sgemm.wgsl")
    suite["cases"][0]["sizes"]["small"].update(tile_rows=tile_rows, tile_cols=tile_cols)
    path = tmp_path / "suite.json"
    path.write_text(json.dumps(suite))
    return path


@pytest.mark.parametrize("impl", IMPLS)
def test_runner_dispatches_the_suite_tile(impl, tmp_path):
    r = run_wgslrun("bench", "--impl", impl, "--suite", one_case_suite(tmp_path, 256, 256), "--json",
                    tmp_path / "r.json")
    assert r.code == 1
    result = json.loads((tmp_path / "r.json").read_text())["results"][0]
    assert result["verified"] is False and result["time_ms"] is None
    assert "over 1e-4" in result["error"]


def test_tile_that_does_not_divide_n_is_a_parameter_error(tmp_path):
    r = run_wgslrun("bench", "--suite", one_case_suite(tmp_path, 96, 128), "--json", tmp_path / "r.json")
    assert r.code == 1
    result = json.loads((tmp_path / "r.json").read_text())["results"][0]
    assert result["error"] == "suite parameters: n must be a multiple of tile_rows and tile_cols"


@pytest.mark.parametrize("args, message", [
    (["--shape", "64x64x8_4x4"], "each invocation must load whole vec4s of a's tile"),
    (["--shape", "128x128x8_4x4"], "1024 invocations per workgroup, more than 256"),
    (["--shape", "128x128"], "is not BMxBNxBK_TMxTN"),
    (["--shape", "128x128x8_8x8_bc_s2"], "in the order _s2_loop_bc_wX"),
    (["--shape", "128x128x8_8x8_w3"], "a warp must tile the invocation grid"),
    (["--shape", "128x128x16_8x8_s2"], "over 32768 bytes of workgroup memory"),
    (["--sweep", "/tmp/unused", "--sizes", "4096,100"], "give positive multiples of 128"),
])
def test_bad_generator_arguments(args, message):
    r = run_py(GEN, *args)
    assert r.returncode == 2 and message in r.stderr


def test_shape_prints_a_kernel_that_checks(tmp_path):
    r = run_py(GEN, "--shape", "128x128x8_8x8_s2_loop_bc_w8")
    assert r.returncode == 0
    kernel = tmp_path / "k.wgsl"
    kernel.write_text(r.stdout)
    assert "@compute @workgroup_size(256)" in r.stdout and "A warp covers 8 x 4 invocations" in r.stdout
    for impl in IMPLS:
        c = run_wgslrun("check", kernel, "--impl", impl)
        assert c.code == 0, c.err


def test_summary_joins_and_rates(sweep, sweep_run, tmp_path):
    impl, path, _ = sweep_run
    results = json.loads(path.read_text())
    results["results"][1].update(verified=False, error="made up", metric=dict(results["results"][1]["metric"],
                                                                               value=None))
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps(results))
    best = max(r["metric"]["value"] for r in results["results"] if r["verified"])
    cuda = {"implementation": "cuda", "results": [
        {"case": "sgemm_tiled", "variant": "cublas", "params": {"n": 256}, "verified": True,
         "metric": {"value": 2 * best}}]}
    (tmp_path / "cuda.json").write_text(json.dumps(cuda))
    r = run_py(SUMMARY, "--peak-tflops", "1", "--json", tmp_path / "out.json", broken, tmp_path / "cuda.json")
    assert r.returncode == 0, r.stderr
    joined = json.loads((tmp_path / "out.json").read_text())
    assert joined["best"][impl]["of_cublas"] == pytest.approx(0.5)
    assert joined["best"][impl]["of_peak"] == pytest.approx(best / 1e3)
    failed = results["results"][1]["tag"]
    assert any(line.startswith(failed) and "FAILED" in line for line in r.stdout.splitlines())
    assert f"FAILED {impl} {failed} n=256: made up" in r.stdout
