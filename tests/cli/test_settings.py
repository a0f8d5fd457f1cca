"""Library settings reach wr_context_desc through the CLI only (issue 16): the library reads no
environment, wgslrun maps its variables and flags onto the desc's fields, and `wgslrun --help`
names every variable the CLI reads."""
import re

import numpy as np
import pytest

from conftest import SOURCE_DIR

SAXPY = SOURCE_DIR / "examples" / "saxpy.wgsl"
USAGE, FAILURE = 2, 1


def getenv_names(paths):
    names = set()
    for path in paths:
        names.update(re.findall(r'getenv\("([A-Z0-9_]+)"\)', path.read_text()))
    return names


def test_the_library_reads_no_environment():
    assert getenv_names(sorted((SOURCE_DIR / "src").glob("*.c"))) == set()


def test_help_lists_every_variable_the_cli_reads(wgslrun):
    read = getenv_names(sorted((SOURCE_DIR / "cli").glob("*.c")) + sorted((SOURCE_DIR / "bench" / "native").glob("*.c")))
    read -= {"PATH", "TMPDIR"}  # the system's, used as every program does
    # cli/context_options.c reads its variables from a table, not by literal name
    read |= set(re.findall(r'"(WGSLRUN_[A-Z_]+)"', (SOURCE_DIR / "cli" / "context_options.c").read_text()))
    text = wgslrun("--help").out
    assert "WGSLRUN_DAWN_TOGGLES" in read and "WGSLRUN_IMPL" in read
    assert sorted(name for name in read if name not in text) == []


def saxpy(wgslrun, tmp_path, *args, env=None):
    x = np.random.default_rng(16).standard_normal(1000).astype(np.float32)
    np.save(tmp_path / "x.npy", x)
    r = wgslrun("run", SAXPY, "--bind", f"x={tmp_path / 'x.npy'}", "--bind", "y=fill:f32:1000:1",
                "--bind", "params=values:f32:3", "--size", 1000, "--out", f"y={tmp_path / 'y.npy'}", *args, env=env)
    if r.code == 0:
        np.testing.assert_allclose(np.load(tmp_path / "y.npy"), 3 * x + 1, rtol=1e-6)
    return r


def test_wgslrun_impl_chooses_the_implementation_of_run_check_and_bench(wgslrun, tmp_path):
    r = saxpy(wgslrun, tmp_path, env={"WGSLRUN_IMPL": "wgpu"})
    assert r.code == 0 and " on wgpu: " in r.out, r.err
    r = saxpy(wgslrun, tmp_path, "--impl", "dawn", env={"WGSLRUN_IMPL": "wgpu"})
    assert r.code == 0 and " on dawn: " in r.out, r.err
    r = wgslrun("check", SAXPY, env={"WGSLRUN_IMPL": "metal9"})
    assert r.code == FAILURE and "unknown implementation 'metal9'" in r.err, r.err
    r = wgslrun("bench", "--filter", "^copy$", env={"WGSLRUN_IMPL": "metal9"})
    assert r.code == FAILURE and "unknown implementation 'metal9'" in r.err, r.err


def test_wgslrun_deps_reaches_every_command(wgslrun, tmp_path):
    env = {"WGSLRUN_DEPS": str(tmp_path / "nodeps")}
    for args in (("check", SAXPY), ("info", "--impl", "wgpu"), ("bench", "--filter", "^copy$")):
        r = wgslrun(*args, env=env)
        assert r.code == FAILURE and f"not found at {tmp_path / 'nodeps'}" in r.out + r.err, (args, r.out, r.err)


def test_dawn_toggles_from_the_flag_or_the_environment(wgslrun, tmp_path):
    r = saxpy(wgslrun, tmp_path, "--impl", "dawn", "--dawn-toggles", "disable_robustness")
    assert r.code == 0, r.err
    r = saxpy(wgslrun, tmp_path, "--impl", "dawn", env={"WGSLRUN_DAWN_TOGGLES": "disable_robustness,skip_validation"})
    assert r.code == 0, r.err
    r = saxpy(wgslrun, tmp_path, "--impl", "wgpu", "--dawn-toggles", "disable_robustness")
    assert r.code == 0, r.err


@pytest.mark.parametrize("command", [("run", SAXPY, "--size", 4), ("check", SAXPY), ("info",)])
def test_bad_dawn_toggles_are_usage_errors(wgslrun, command):
    r = wgslrun(*command, env={"WGSLRUN_DAWN_TOGGLES": ",,"})
    assert r.code == USAGE and "WGSLRUN_DAWN_TOGGLES=',,' is not a comma-separated list" in r.err, r.err
    r = wgslrun(*command, env={"WGSLRUN_DAWN_TOGGLES": ",".join(["t"] * 33)})
    assert r.code == USAGE and "at most 32 toggles" in r.err, r.err
    if command[0] == "run":
        r = wgslrun(*command, "--dawn-toggles", ",")
        assert r.code == USAGE and "--dawn-toggles ',' is not a comma-separated list" in r.err, r.err


def test_impl_log_receives_dawns_device_log_and_tints_spirv(wgslrun, tmp_path):
    # dump_shaders makes Dawn log each shader as Tint compiled it: the log is the caller's.
    log = tmp_path / "dawn.log"
    r = wgslrun("check", SAXPY, "--impl", "dawn", env={"WGSLRUN_DAWN_TOGGLES": "dump_shaders", "WGSLRUN_IMPL_LOG": str(log)})
    assert r.code == 0, r.err
    text = log.read_text()
    assert "Dumped generated SPIRV disassembly" in text and "OpEntryPoint GLCompute" in text
    assert "Dumped generated SPIRV" not in r.err


def test_impl_log_is_empty_on_wgpu_and_a_bad_path_is_a_usage_error(wgslrun, tmp_path):
    log = tmp_path / "wgpu.log"
    r = wgslrun("run", SAXPY, "--impl", "wgpu", "--impl-log", log, "--bind", "x=random:f32:64",
                "--bind", "y=zeros:f32:64", "--bind", "params=values:f32:2.0", "--size", 64)
    assert r.code == 0, r.err
    assert log.read_text() == ""
    bad = wgslrun("check", SAXPY, "--impl", "dawn", env={"WGSLRUN_IMPL_LOG": str(tmp_path / "no" / "such.log")})
    assert bad.code == USAGE and "WGSLRUN_IMPL_LOG=" in bad.err and "opened for appending" in bad.err
