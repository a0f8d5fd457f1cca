"""The GPU machine's scripts that need no GPU to check: kernel_variants.sh and stencil_clocks.sh on
SwiftShader (KERNELS_SMOKE=1: small sizes, no CUDA), scripts/device/campaign.sh's plan and
clock_windows.py on a step folder made here."""

import json
import os
import subprocess
import sys

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


def test_the_windowed_look_back_experiment_verifies_on_both_implementations(tmp_path):
    done = run_script("scripts/device/kernel_variants.sh", "scan_lookback",
                      "bench/experiments/scan_lookback_window.wgsl", KERNELS_SMOKE="1", OUT=str(tmp_path))
    assert done.returncode == 0, done.stderr[-2000:]
    rows = [line.split() for line in (tmp_path / "variants-scan_lookback.txt").read_text().splitlines()[1:]]
    window = [r for r in rows if r[0] == "scan_lookback_window"]
    assert {(r[1], r[2]) for r in window} == {("dawn", "r1"), ("dawn", "r2"), ("wgpu", "r1"), ("wgpu", "r2")}
    assert all(r[3] == "True" and float(r[4]) > 0 for r in window), window


def test_kernel_variants_refuses_a_case_the_suite_lacks(tmp_path):
    done = run_script("scripts/device/kernel_variants.sh", "no_such_case", "bench/experiments/mandelbrot_v2.wgsl",
                      KERNELS_SMOKE="1", OUT=str(tmp_path))
    assert done.returncode != 0 and "no case 'no_such_case'" in done.stderr


def test_campaign_plan_names_every_step_and_refuses_unknown_ones():
    plan = run_script("scripts/device/campaign.sh", "list")
    assert plan.returncode == 0
    steps = [line.split()[0] for line in plan.stdout.splitlines()[1:] if not line.startswith("session")]
    assert steps == ["A1", "A2", "B1", "B2", "C1", "C2", "C3", "C4", "C5", "C6", "D1", "D2", "D3", "D4", "D5"]
    native = ["build/wgslrun", "deps/dawn", "deps/wgpu", "bench/rust/target/release/wgslrun-bench-rust", ".gl"]
    carry = {step: run_script("scripts/device/campaign.sh", "carry", step).stdout.split() for step in steps}
    # The native and Node/Deno steps carry all they need, so none depends on an earlier command.
    assert carry["A1"] == carry["A2"] == native
    assert carry["B1"] == carry["B2"] == [".carry/js-hosts.xz", ".carry/js-hosts.sha256", ".gl"]
    for session in "CD":
        assert carry[f"{session}1"] == [".carry/bundle.00", ".carry/SHA256SUMS", ".gl"]
        assert carry[f"{session}3"] == [".carry/bundle.02", ".carry/SHA256SUMS"]
    unknown = run_script("scripts/device/campaign.sh", "step", "Z9")
    assert unknown.returncode == 2 and "no step 'Z9'" in unknown.stderr


def test_campaign_report_makes_both_reports_of_a_step_folder(tmp_path):
    for path in (SOURCE_DIR / "results" / "h200").glob("r[0-9]*-*.json"):
        (tmp_path / path.name).write_bytes(path.read_bytes())
    done = run_script("scripts/device/campaign.sh", "report", str(tmp_path))
    assert done.returncode == 0, done.stderr
    for name in ("report", "report-vs-native"):
        for ext in ("html", "md", "json"):
            assert (tmp_path / f"{name}.{ext}").stat().st_size > 1000
    assert "## At a glance: ratio to native-c" in (tmp_path / "report-vs-native.md").read_text()
    again = run_script("scripts/device/campaign.sh", "report", str(tmp_path))  # the reports are not inputs
    assert again.returncode == 0, again.stderr
    empty = run_script("scripts/device/campaign.sh", "report", str(tmp_path / "nothing"))
    assert empty.returncode == 2 and "no rN-METHOD.json in" in empty.stderr


def test_stencil_clocks_reports_each_implementations_samples_in_order(tmp_path):
    done = run_script("scripts/device/stencil_clocks.sh", KERNELS_SMOKE="1", OUT=str(tmp_path))
    assert done.returncode == 0, done.stderr[-2000:]
    summary = (tmp_path / "stencil_clocks.txt").read_text().splitlines()
    for impl in ["dawn", "wgpu"]:
        line = next(l for l in summary if l.startswith(f"{impl}: "))
        assert " samples, fastest " in line and "slow (> 1.5x fastest) at positions" in line, line
    assert (tmp_path / "stencil_clocks.tar.gz").stat().st_size > 0


def write_campaign_step(folder, samples_ms, dip_at):
    """A step folder as campaign.sh leaves it: the stamped log, the clock log (SM 1980 MHz, 345
    within dip_at seconds-from-start ranges) and the round's Dawn result."""
    end = 10.0  # the case's line comes 10 s after the row started at 02:00:00
    (folder / "campaign-A1.log").write_text(
        "== 02:00:00 row dawn\nwgslrun bench: dawn on NVIDIA H200 (vulkan, discrete-gpu), large sizes\n"
        f"02:00:{end:06.3f} [1/1] dawn stencil large ... 2105 GB/s verified\n")
    rows = ["timestamp, clocks.current.sm [MHz], clocks.current.memory [MHz], power.draw [W], temperature.gpu"]
    for k in range(0, 220):
        t = k * 0.05
        sm = 345 if any(a <= t <= b for a, b in dip_at) else 1980
        rows.append(f"2026/12/04 02:00:{t:06.3f}, {sm}, 3201, 300.5, 40")
    (folder / "clocks-A1.csv").write_text("\n".join(rows) + "\n")
    result = {"case": "stencil", "variant": None, "samples_ms": samples_ms, "error": None}
    (folder / "r1-native-dawn.json").write_text(json.dumps({"date": "2026-12-04T02:00:00Z", "results": [result]}))


def test_clock_windows_lays_slow_samples_beside_the_clock_dip_they_ran_in(tmp_path):
    # 20 fast samples of 100 ms and 2 slow ones of 400 ms, the slow ones 8.9-9.7 s into the row.
    samples = [100.0] * 18 + [400.0, 400.0] + [100.0] * 3
    write_campaign_step(tmp_path, samples, dip_at=[(8.95, 9.65)])
    done = subprocess.run([sys.executable, "scripts/device/clock_windows.py", str(tmp_path)], capture_output=True,
                          text=True, cwd=SOURCE_DIR, timeout=60)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert "2 slow (> 1.5x fastest) at positions [18, 19]" in lines[1], lines
    ramp = next(l for l in lines if l.strip().startswith("timed samples from"))
    assert "SM 1980 MHz then; last under 90% of 1980 MHz at 02:00:09.650" in ramp, ramp
    slow = next(l for l in lines if l.strip().startswith("slow:"))
    fast = next(l for l in lines if l.strip().startswith("fast:"))
    assert "2 samples; nearest readings SM 345-345 MHz" in slow, slow
    assert "21 samples; nearest readings SM 1980-1980 MHz" in fast, fast


def test_clock_windows_says_when_no_case_matches(tmp_path):
    write_campaign_step(tmp_path, [5.0, 5.1], dip_at=[])
    done = subprocess.run([sys.executable, "scripts/device/clock_windows.py", str(tmp_path), "--case", "^reduce$"],
                          capture_output=True, text=True, cwd=SOURCE_DIR, timeout=60)
    assert done.returncode == 1 and "no native case matching '^reduce$'" in done.stderr
