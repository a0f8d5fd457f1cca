"""Tests of `wgslrun bench`'s adaptive sampling, warm-up load (--settle) and rounds (--round).

What the tests prove, each from a suite file that differs from bench/suite.json only in its
"timing" (so the rule is read from the suite, not built in):
- a case whose RSD is under the target stops at the minimum sample count with converged=true
  and stopped_by "rsd_target", well before max_samples;
- an unreachable target is stopped by max_seconds (converged=false), or by max_samples when
  there is no time cap; without rsd_target the count is fixed (stopped_by "fixed");
- the result's "noise" agrees with its own times: samples == time_ms.count, and samples_ms
  holds every sample (up to 256) in order, with the result's median;
- bad timing values are rejected naming the file and key;
- --settle runs the copy kernel before the first case and records seconds, samples, spread
  and whether it settled, within its cap; the suite's settle_seconds is the default and
  --settle 0 turns it off; --round N records "round"; bad values are usage errors.
"""
import json
import math
import shutil
import time

import pytest

from conftest import IMPLS, SOURCE_DIR

USAGE, FAILURE = 2, 1


def suite_with_timing(tmp_path, **timing):
    """A copy of the suite (and its kernels) whose small timing is `timing`."""
    suite = json.loads((SOURCE_DIR / "bench" / "suite.json").read_text())
    suite["timing"]["small"] = timing
    shutil.copytree(SOURCE_DIR / "bench" / "kernels", tmp_path / "kernels")
    path = tmp_path / "suite.json"
    path.write_text(json.dumps(suite))
    return path


def run_case(wgslrun, tmp_path, case, impl="dawn", extra=(), **timing):
    suite = suite_with_timing(tmp_path, **timing)
    out = tmp_path / "r.json"
    r = wgslrun("bench", "--impl", impl, "--suite", suite, "--filter", case, "--json", out, *extra)
    assert r.code == 0, r.err
    return json.loads(out.read_text()), r


def only_result(data):
    (result,) = data["results"]
    assert result["verified"] is True
    assert result["noise"]["samples"] == result["time_ms"]["count"] == result["wall_ms"]["count"]
    # Every sample, in the order taken, on the metric's clock: their median is the result's.
    samples = result["samples_ms"]
    assert len(samples) == min(result["noise"]["samples"], 256)
    if len(samples) == result["noise"]["samples"]:
        ordered = sorted(samples)
        middle = len(ordered) // 2
        median = ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2
        assert median == pytest.approx(result["time_ms"]["median"], rel=1e-9)
    return result


@pytest.mark.parametrize("impl", IMPLS)
def test_steady_case_stops_early_converged(wgslrun, tmp_path, impl):
    # The RSD of 3 positive samples is at most sqrt(3) = 1.73, so a target of 2 is met at the
    # minimum of 3 however loaded the machine is (a 50% target was missed on a busy CI machine).
    data, _ = run_case(wgslrun, tmp_path, "^mandelbrot$", impl, warmup=1, samples=3, max_samples=500,
                       rsd_target=2.0, max_seconds=30)
    noise = only_result(data)["noise"]
    assert noise == {"samples": 3, "rsd": noise["rsd"], "converged": True, "rsd_target": 2.0,
                     "stopped_by": "rsd_target"}
    assert 0 <= noise["rsd"] <= 2.0


def test_noisy_case_is_stopped_by_the_time_cap(wgslrun, tmp_path):
    # No real timer repeats to 1e-12: only the 0.2 s cap can stop it.
    started = time.monotonic()
    data, _ = run_case(wgslrun, tmp_path, "^copy$", warmup=0, samples=3, max_samples=100000,
                       rsd_target=1e-12, max_seconds=0.2)
    assert time.monotonic() - started < 30
    noise = only_result(data)["noise"]
    assert noise["converged"] is False and noise["stopped_by"] == "max_seconds"
    assert 3 <= noise["samples"] < 100000 and noise["rsd"] > 1e-12


def test_max_samples_stops_without_a_time_cap(wgslrun, tmp_path):
    data, _ = run_case(wgslrun, tmp_path, "^triad$", warmup=0, samples=2, max_samples=7, rsd_target=1e-12)
    noise = only_result(data)["noise"]
    assert noise["samples"] == 7 and noise["converged"] is False and noise["stopped_by"] == "max_samples"


def test_without_a_target_the_count_is_fixed(wgslrun, tmp_path):
    data, _ = run_case(wgslrun, tmp_path, "^copy$", warmup=1, samples=4)
    noise = only_result(data)["noise"]
    assert noise["samples"] == 4 and noise["stopped_by"] == "fixed"
    assert noise["rsd_target"] is None and noise["converged"] is False
    assert "settle" not in data and "round" not in data


@pytest.mark.parametrize("timing, message", [
    ({"warmup": 1, "samples": 3, "rsd_target": -0.1}, "timing: 'rsd_target' must be a number > 0"),
    ({"warmup": 1, "samples": 3, "rsd_target": 0.01, "max_seconds": "1"}, "timing: 'max_seconds' must be a number > 0"),
    ({"warmup": 1, "samples": 5, "max_samples": 4}, "timing: 'max_samples' must be an integer >= 5"),
    ({"warmup": 1, "samples": 3, "max_samples": 100001}, "timing: 'max_samples' must be at most 100000"),
    ({"warmup": 1, "samples": 3, "settle_seconds": -1}, "timing: 'settle_seconds' must be a number >= 0"),
    ({"warmup": 1, "warmup_seconds": 0, "samples": 3}, "timing: 'warmup_seconds' must be a number > 0"),
])
def test_bad_timing_is_rejected(wgslrun, tmp_path, timing, message):
    suite = suite_with_timing(tmp_path, **timing)
    r = wgslrun("bench", "--impl", "dawn", "--suite", suite, "--filter", "^copy$")
    assert r.code == FAILURE
    assert f"{suite}: {message}" in r.err


def check_settle(settle, cap):
    assert settle["max_seconds"] == cap and settle["error"] is None
    assert 0 < settle["seconds"] <= cap + 5  # one sample may run past the cap
    assert isinstance(settle["settled"], bool)
    if settle["settled"]:
        assert settle["samples"] >= 5 and 0 <= settle["spread"] <= 0.03
        assert settle["seconds"] >= min(1.0, cap)
    elif settle["samples"] >= 5:
        assert settle["spread"] > 0.03 or settle["seconds"] >= cap


@pytest.mark.parametrize("impl", IMPLS)
def test_settle_loads_before_the_first_case(wgslrun, tmp_path, impl):
    data, r = run_case(wgslrun, tmp_path, "^copy$", impl, extra=("--settle", "0.5"), warmup=1, samples=3)
    check_settle(data["settle"], 0.5)
    assert "settling the GPU (copy kernel, up to 0.5 s) ... " in r.err
    assert r.err.index("settling the GPU") < r.err.index("[1/1]")
    only_result(data)


def test_settle_default_comes_from_the_suite_and_0_turns_it_off(wgslrun, tmp_path):
    data, _ = run_case(wgslrun, tmp_path / "a", "^copy$", warmup=1, samples=3, settle_seconds=0.3)
    check_settle(data["settle"], 0.3)
    data, _ = run_case(wgslrun, tmp_path / "b", "^copy$", extra=("--settle", "0"), warmup=1, samples=3,
                       settle_seconds=0.3)
    assert "settle" not in data


def test_round_is_recorded(wgslrun, tmp_path):
    data, _ = run_case(wgslrun, tmp_path, "^copy$", extra=("--round", "2"), warmup=0, samples=2)
    assert data["round"] == 2 and "--round 2" in data["command"]


@pytest.mark.parametrize("args, message", [
    (["--settle", "-1"], "--settle '-1' is not a number of seconds from 0 to 3600"),
    (["--settle", "soon"], "--settle 'soon' is not a number of seconds from 0 to 3600"),
    (["--settle", "nan"], "--settle 'nan' is not a number of seconds from 0 to 3600"),
    (["--round", "0"], "--round '0' is not a whole number from 1"),
    (["--round", "2x"], "--round '2x' is not a whole number from 1"),
])
def test_bad_settle_or_round_is_a_usage_error(wgslrun, args, message):
    r = wgslrun("bench", *args)
    assert r.code == USAGE and message in r.err
