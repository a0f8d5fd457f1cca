"""The GPU machine's scripts that need no GPU to check: kernel_variants.sh and stencil_clocks.sh on
SwiftShader (KERNELS_SMOKE=1: small sizes, no CUDA) and scripts/device/campaign.sh's plan."""

import os
import subprocess

from conftest import SOURCE_DIR


def run_script(*args, **env):
    merged = dict(os.environ, WGSLRUN_DEPS=str(SOURCE_DIR / "deps"), **env)
    return subprocess.run(["bash", *args], capture_output=True, text=True, cwd=SOURCE_DIR, env=merged, timeout=600)


def test_kernel_variants_runs_each_kernel_in_the_case_and_verifies(tmp_path):
    done = run_script("scripts/device/kernel_variants.sh", "mandelbrot", "bench/experiments/mandelbrot_v2.wgsl",
                      "bench/experiments/mandelbrot_chunk4.wgsl", KERNELS_SMOKE="1", OUT=str(tmp_path))
    assert done.returncode == 0, done.stderr[-2000:]
    rows = [line.split() for line in (tmp_path / "variants-mandelbrot.txt").read_text().splitlines()[1:]]
    kernels = {(r[0], r[1], r[2]) for r in rows}
    for kernel in ["suite", "mandelbrot_v2", "mandelbrot_chunk4"]:
        for impl in ["dawn", "wgpu"]:
            assert {(kernel, impl, "r1"), (kernel, impl, "r2")} <= kernels
    assert all(r[3] == "True" and float(r[4]) > 0 for r in rows), rows
    assert (tmp_path / "variants-mandelbrot.tar.gz").stat().st_size > 0


def test_kernel_variants_refuses_a_case_the_suite_lacks(tmp_path):
    done = run_script("scripts/device/kernel_variants.sh", "no_such_case", "bench/experiments/mandelbrot_v2.wgsl",
                      KERNELS_SMOKE="1", OUT=str(tmp_path))
    assert done.returncode != 0 and "no case 'no_such_case'" in done.stderr


def test_campaign_plan_names_every_step_and_refuses_unknown_ones():
    plan = run_script("scripts/device/campaign.sh", "list")
    assert plan.returncode == 0
    steps = [line.split()[0] for line in plan.stdout.splitlines()[1:] if not line.startswith("session")]
    assert steps == ["A1", "A2", "B1", "B2", "B3", "B4", "B5", "B6", "C1", "C2", "C3", "C4", "C5", "C6"]
    assert run_script("scripts/device/campaign.sh", "carry", "A1").stdout.split() == [
        "build/wgslrun", "deps/dawn", "deps/wgpu", "bench/rust/target/release/wgslrun-bench-rust", ".gl"]
    unknown = run_script("scripts/device/campaign.sh", "step", "Z9")
    assert unknown.returncode == 2 and "no step 'Z9'" in unknown.stderr


def test_stencil_clocks_reports_each_implementations_samples_in_order(tmp_path):
    done = run_script("scripts/device/stencil_clocks.sh", KERNELS_SMOKE="1", OUT=str(tmp_path))
    assert done.returncode == 0, done.stderr[-2000:]
    summary = (tmp_path / "stencil_clocks.txt").read_text().splitlines()
    for impl in ["dawn", "wgpu"]:
        line = next(l for l in summary if l.startswith(f"{impl}: "))
        assert " samples, fastest " in line and "slow (> 1.5x fastest) at positions" in line, line
    assert (tmp_path / "stencil_clocks.tar.gz").stat().st_size > 0
