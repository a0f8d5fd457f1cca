"""build/stencil_probe (bench/experiments/stencil_probe.c), the device experiment behind
scripts/device/kernels_probe.sh: every configuration verifies on both implementations, a wrong
answer is reported without times, bad options are refused."""
import json
import os
import subprocess

import pytest

from conftest import BINARY, IMPLS, SOURCE_DIR

PROBE = BINARY.parent / "stencil_probe"
SMALL = ["--width", "67", "--height", "45", "--sweeps", "5", "--samples", "3", "--warmup", "1"]


def probe(*args):
    completed = subprocess.run([str(PROBE), *args], capture_output=True, text=True, cwd=SOURCE_DIR,
                               timeout=300)
    err = "\n".join(l for l in completed.stderr.splitlines() if "XDG_RUNTIME_DIR" not in l)
    return completed.returncode, completed.stdout, err


@pytest.mark.parametrize("impl", IMPLS)
@pytest.mark.parametrize("config", [[], ["--one-pass"], ["--fresh"], ["--spacer", "2", "--dst-first"],
                                    ["--copy", "--kernel", "bench/experiments/stencil_copy.wgsl"]])
def test_configuration_verifies_and_keeps_samples_in_order(impl, config):
    code, out, err = probe("--impl", impl, *SMALL, *config)
    assert code == 0, err
    result = json.loads(out)
    assert result["verified"] is True and result["max_error"] <= 1e-5
    assert result["impl"] == impl and result["sweeps"] == 5
    assert len(result["gpu_ms"]) == 3 and len(result["wall_ms"]) == 3
    assert result["passes"] == ("one" if "--one-pass" in config else "per_sweep")
    assert result["fresh_context"] == ("--fresh" in config)


def test_wrong_answer_fails_without_times():
    # The copy kernel checked against the stencil's reference.
    code, out, err = probe("--impl", "wgpu", *SMALL, "--kernel", "bench/experiments/stencil_copy.wgsl")
    assert code == 1
    assert out == ""
    assert "verification failed: max abs error" in err


@pytest.mark.parametrize("args, message", [
    (["--bogus"], "bad option '--bogus'"),
    (["--sweeps", "x"], "bad option '--sweeps'"),
    (["--width"], "bad option '--width'"),
    (["--samples", "0"], "samples 1..200"),
    (["--samples", "201"], "samples 1..200"),
])
def test_bad_options_are_usage_errors(args, message):
    code, out, err = probe(*args)
    assert code == 2
    assert message in err and "usage: stencil_probe" in err
    assert out == ""


def test_missing_kernel_file(tmp_path):
    code, out, err = probe("--kernel", str(tmp_path / "none.wgsl"))
    assert code == 1 and out == ""
    assert "cannot read" in err


def test_kernel_that_does_not_compile(tmp_path):
    bad = tmp_path / "bad.wgsl"
    bad.write_text("@compute @workgroup_size(1) fn jacobi() { let x: u32 = 1.5; }\n")
    code, out, err = probe("--impl", "dawn", "--kernel", str(bad), *SMALL)
    assert code == 1 and out == ""
    assert "setting up" in err and "bad.wgsl" in err


def test_device_scripts_run_on_swiftshader(tmp_path):
    # KERNELS_SMOKE=1 runs the device scripts on SwiftShader with small sizes and no CUDA: the
    # baseline suite (the *_v1 kernels) and scan's direct variant verify, the table and the
    # probe's files are written.
    env = dict(os.environ, KERNELS_SMOKE="1", OUT=str(tmp_path), WGSLRUN_DEPS=str(SOURCE_DIR / "deps"))
    completed = subprocess.run(["bash", "scripts/device/kernels_sweep.sh"], capture_output=True, text=True,
                               cwd=SOURCE_DIR, env=env, timeout=900)
    assert completed.returncode == 0, completed.stderr[-2000:]
    table = (tmp_path / "kernels_sweep.txt").read_text()
    for case in ["scan", "reduce", "nbody", "mandelbrot", "stencil"]:
        assert f"{case:<11} new-dawn" in table and f"{case:<11} new-wgpu" in table
        assert f"{case:<11} shared-dawn" in table and f"{case:<11} shared-wgpu" in table
    for case in ["scan", "reduce", "nbody", "mandelbrot"]:
        assert f"{case:<11} v1-dawn" in table and f"{case:<11} v1-wgpu" in table
    assert "scan        direct-dawn" in table and "scan        direct-wgpu" in table
    assert "FAILED" not in table
    lines = (tmp_path / "kernels_probe.jsonl").read_text().splitlines()
    assert len(lines) == 20 and all(json.loads(l)["verified"] for l in lines)
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "kernels_probe.jsonl", "kernels_probe.txt", "kernels_sweep.tar.gz", "kernels_sweep.txt"]
