"""Time limits that hold: a kernel that loops for minutes is stopped by --timeout (or
WGSLRUN_TIMEOUT_S), named in the message, and the process exits with 1 soon after the limit,
leaving no --out file, on both implementations (SwiftShader runs the loop on CPU threads)."""
import time

import numpy as np
import pytest

from conftest import IMPLS, SOURCE_DIR

SAXPY = SOURCE_DIR / "examples" / "saxpy.wgsl"

# An LCG that never reaches 7 while out[1] stays 0: loops until the device is torn down.
SPIN_WGSL = """
@group(0) @binding(0) var<storage, read_write> out : array<u32>;
@compute @workgroup_size(1)
fn main() {
  var x = out[0];
  loop {
    x = x * 1664525u + 1013904223u;
    if (x == 7u && out[1] == 12345u) { break; }
  }
  out[0] = x;
}
"""

LIMIT_S = 3


def run_spin(wgslrun, tmp_path, impl, *extra, env=None):
    kernel = tmp_path / "spin.wgsl"
    kernel.write_text(SPIN_WGSL)
    out = tmp_path / "out.npy"
    start = time.monotonic()
    result = wgslrun("run", kernel, "--impl", impl, "--bind", "out=zeros:u32:4", "--grid", "1",
                     "--out", f"out={out}", *extra, env=env, timeout=120)
    return result, time.monotonic() - start, out


@pytest.mark.parametrize("impl", IMPLS)
def test_timeout_stops_a_kernel_that_never_ends(wgslrun, tmp_path, impl):
    result, elapsed, out = run_spin(wgslrun, tmp_path, impl, "--timeout", LIMIT_S)
    assert result.code == 1, result.err
    assert "kernel 'main' of" in result.err and "spin.wgsl ran too long" in result.err
    assert f"did not finish within {LIMIT_S} s" in result.err
    assert LIMIT_S - 0.5 < elapsed < LIMIT_S + 4, elapsed
    assert not out.exists()
    assert not list(tmp_path.glob("out.npy*"))


@pytest.mark.parametrize("impl", IMPLS)
def test_environment_variable_still_sets_the_limit(wgslrun, tmp_path, impl):
    result, elapsed, out = run_spin(wgslrun, tmp_path, impl, env={"WGSLRUN_TIMEOUT_S": "2"})
    assert result.code == 1, result.err
    assert "did not finish within 2 s" in result.err
    assert elapsed < 2 + 4, elapsed
    assert not out.exists()


@pytest.mark.parametrize("impl", IMPLS)
def test_every_wait_mode_runs_and_is_bounded(wgslrun, tmp_path, impl):
    for mode in ["spin", "block", "sleep"]:
        result = wgslrun("run", SAXPY, "--impl", impl,
                         "--bind", "x=iota:f32:1000", "--bind", "y=fill:f32:1000:1", "--bind", "params=values:f32:2.0",
                         "--size", "1000", "--wait", mode, "--staging-mb", "1", "--copy-threads", "2",
                         "--out", f"y={tmp_path / 'y.npy'}")
        assert result.code == 0, (mode, result.err)
        assert np.array_equal(np.load(tmp_path / "y.npy"), 2 * np.arange(1000, dtype=np.float32) + 1)


def test_bench_timeout_names_the_case(wgslrun, tmp_path):
    # A 1 ms limit is shorter than the suite's first verification run on SwiftShader.
    start = time.monotonic()
    result = wgslrun("bench", "--impl", "dawn", "--filter", "^sgemm_naive$", "--timeout", "0.001",
                     "--json", tmp_path / "r.json", timeout=120)
    assert result.code == 1, result.err
    assert "wgslrun bench: error: sgemm_naive" in result.err and "ran too long" in result.err
    assert time.monotonic() - start < 30
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize("args,message", [
    (["--timeout", "0"], "--timeout '0' is not a positive number of seconds"),
    (["--timeout", "soon"], "--timeout 'soon' is not a positive number of seconds"),
    (["--wait", "nap"], "--wait 'nap' is not default, spin, block or sleep"),
    (["--staging-mb", "0"], "--staging-mb '0' is not a whole number of MiB"),
    (["--copy-threads", "100"], "--copy-threads '100' is not a whole number in 1..64"),
])
def test_bad_context_options_are_usage_errors(wgslrun, args, message):
    result = wgslrun("run", SAXPY, "--size", "4", *args)
    assert result.code == 2
    assert message in result.err
    result = wgslrun("bench", *args)
    assert result.code == 2
    assert message in result.err


def test_bad_timeout_environment_variable_is_a_usage_error(wgslrun):
    result = wgslrun("run", SAXPY, "--size", "4", env={"WGSLRUN_TIMEOUT_S": "-3"})
    assert result.code == 2
    assert "WGSLRUN_TIMEOUT_S='-3' is not a positive number of seconds" in result.err
