"""End-to-end tests of `wgslrun info|check|run`: real kernels on both implementations against
numpy references, and every bad input the CLI must refuse with a clear message and exit code."""
import json
import os
import re
import shlex
import stat

import numpy as np
import pytest

from conftest import IMPLS, SOURCE_DIR

SAXPY = SOURCE_DIR / "examples" / "saxpy.wgsl"
USAGE, FAILURE = 2, 1


def write(path, text):
    path.write_text(text)
    return path


# ---------------------------------------------------------------- working runs

@pytest.mark.parametrize("impl", IMPLS)
def test_saxpy_matches_numpy(wgslrun, tmp_path, impl):
    rng = np.random.default_rng(7)
    x = rng.standard_normal(100_003).astype(np.float32)
    y = rng.standard_normal(100_003).astype(np.float32)
    np.save(tmp_path / "x.npy", x)
    np.save(tmp_path / "y.npy", y)
    r = wgslrun("run", SAXPY, "--impl", impl, "--bind", f"x={tmp_path / 'x.npy'}", "--bind", f"1={tmp_path / 'y.npy'}",
                "--bind", "params=values:f32:0.75", "--size", x.size, "--out", f"y={tmp_path / 'out.npy'}")
    assert r.code == 0, r.err
    out = np.load(tmp_path / "out.npy")
    assert out.dtype == np.float32 and out.shape == y.shape
    np.testing.assert_allclose(out, np.float32(0.75) * x + y, rtol=1e-6, atol=1e-6)
    assert f"on {impl}:" in r.out and "y: f32[100003]" in r.out


def test_both_implementations_give_identical_results(wgslrun, tmp_path):
    outputs = []
    for impl in IMPLS:
        path = tmp_path / f"{impl}.bin"
        r = wgslrun("run", SAXPY, "--impl", impl, "--bind", "x=random:f32:4099:3", "--bind", "y=random:f32:4099:4",
                    "--bind", "params=values:f32:-1.5", "--size", 4099, "--out", f"y={path}")
        assert r.code == 0, r.err
        outputs.append(path.read_bytes())
    assert len(outputs[0]) == 4099 * 4 and outputs[0] == outputs[1]


@pytest.mark.parametrize("impl", IMPLS)
def test_json_output_defines_and_repeats(wgslrun, impl):
    r = wgslrun("run", SAXPY, "--impl", impl, "--bind", "x=fill:f32:1000:2", "--bind", "y=fill:f32:1000:1",
                "--bind", "params=values:f32:3", "--size", 1000, "--define", "WORKGROUP_SIZE=64",
                "--repeat", 4, "--warmup", 1, "--json")
    assert r.code == 0, r.err
    doc = json.loads(r.out)
    assert doc["impl"] == impl and doc["workgroup_size"] == [64, 1, 1]
    [y] = doc["outputs"]
    # 1 warm-up + 4 timed runs of y += 3 * 2 on y = 1.
    assert y["first"][:3] == [31, 31, 31] and y["sum"] == 31000
    assert doc["wall_ms"]["count"] == 4 and doc["wall_ms"]["min"] > 0


def test_grid_and_index_binding_with_raw_file(wgslrun, tmp_path):
    kernel = write(tmp_path / "square.wgsl", """
@group(0) @binding(0) var<storage, read_write> data : array<u32>;
@compute @workgroup_size(8, 8)
fn main(@builtin(global_invocation_id) id : vec3<u32>) {
    let i = id.y * 16u + id.x;
    data[i] = data[i] * data[i];
}
""")
    values = np.arange(256, dtype=np.uint32)
    values.tofile(tmp_path / "in.bin")
    r = wgslrun("run", kernel, "--bind", f"0={tmp_path / 'in.bin'}:u32", "--grid", "2,2", "--out", f"0={tmp_path / 'o.npy'}")
    assert r.code == 0, r.err
    np.testing.assert_array_equal(np.load(tmp_path / "o.npy"), values * values)


def test_vec4_output_has_two_dimensions(wgslrun, tmp_path):
    kernel = write(tmp_path / "v.wgsl", """
@group(0) @binding(0) var<storage, read_write> v : array<vec4<f32>>;
@compute @workgroup_size(4) fn main(@builtin(global_invocation_id) id : vec3<u32>) { v[id.x] = vec4<f32>(f32(id.x)); }
""")
    r = wgslrun("run", kernel, "--bind", "v=zeros:f32:32", "--size", 8, "--out", f"v={tmp_path / 'v.npy'}")
    assert r.code == 0, r.err
    out = np.load(tmp_path / "v.npy")
    assert out.shape == (8, 4) and out[5].tolist() == [5, 5, 5, 5]


@pytest.mark.parametrize("impl", IMPLS)
def test_check_reports_each_entry(wgslrun, impl):
    r = wgslrun("check", SAXPY, "--impl", impl)
    assert r.code == 0, r.err
    assert "entry 'main' ok, workgroup_size (256, 1, 1)" in r.out


def test_info_json_lists_both_implementations(wgslrun):
    r = wgslrun("info", "--json")
    assert r.code == 0, r.err
    doc = json.loads(r.out)
    impls = {i["impl"]: i for i in doc["implementations"]}
    assert set(impls) == set(IMPLS)
    for info in impls.values():
        assert info["adapters"] and info["device"]["limits"]["maxComputeInvocationsPerWorkgroup"] >= 256


# ---------------------------------------------------------------- bad WGSL

@pytest.mark.parametrize("impl", IMPLS)
def test_type_error_is_reported_with_line_and_column(wgslrun, tmp_path, impl):
    bad = write(tmp_path / "bad.wgsl", "@compute @workgroup_size(1)\nfn main() {\n    let x : f32 = 1u;\n}\n")
    r = wgslrun("check", bad, "--impl", impl)
    assert r.code == FAILURE
    assert re.search(r"bad\.wgsl:3:\d+: error: ", r.err), r.err


@pytest.mark.parametrize("impl", IMPLS)
def test_syntax_error_is_reported(wgslrun, tmp_path, impl):
    bad = write(tmp_path / "syntax.wgsl", "@compute @workgroup_size(1)\nfn main() {\n  let = ;\n}\n")
    r = wgslrun("run", bad, "--impl", impl, "--grid", 1)
    assert r.code == FAILURE
    assert re.search(r"syntax\.wgsl:3:\d+: error: ", r.err), r.err


def test_unterminated_comment_is_reported_by_the_scanner(wgslrun, tmp_path):
    bad = write(tmp_path / "c.wgsl", "@compute @workgroup_size(1) fn main() {}\n/* never closed\n")
    r = wgslrun("check", bad)
    assert r.code == FAILURE and "c.wgsl:2:1: error: " in r.err


def test_missing_entry_point(wgslrun):
    r = wgslrun("run", SAXPY, "--entry", "nope", "--grid", 1)
    assert r.code == FAILURE
    assert "entry point 'nope' not found; @compute entry points: main" in r.err


def test_unknown_define(wgslrun):
    r = wgslrun("run", SAXPY, "--define", "NOPE=1", "--grid", 1)
    assert r.code == FAILURE and "constant 'NOPE' is not an `override`" in r.err


def test_missing_wgsl_file(wgslrun, tmp_path):
    r = wgslrun("run", tmp_path / "absent.wgsl", "--grid", 1)
    assert r.code == FAILURE and "absent.wgsl: cannot open: No such file or directory" in r.err


# ---------------------------------------------------------------- bad bindings and data

def test_binding_not_in_shader(wgslrun):
    r = wgslrun("run", SAXPY, "--bind", "z=zeros:f32:4", "--size", 4)
    assert r.code == FAILURE
    assert "no binding 'z' in the shader; it declares: x (@binding(0)), y (@binding(1)), params (@binding(2))" in r.err


def test_unbound_binding(wgslrun):
    r = wgslrun("run", SAXPY, "--bind", "x=zeros:f32:4", "--bind", "y=zeros:f32:4", "--size", 4)
    assert r.code == FAILURE and "binding 'params' (@group(0) @binding(2), line 9) is not bound" in r.err


def test_buffer_too_small_for_fixed_array(wgslrun, tmp_path):
    kernel = write(tmp_path / "fixed.wgsl", """
@group(0) @binding(0) var<storage, read_write> table : array<f32, 16>;
@compute @workgroup_size(1) fn main() { table[15] = 1.0; }
""")
    r = wgslrun("run", kernel, "--bind", "table=zeros:f32:8", "--grid", 1)
    assert r.code == FAILURE
    assert "fixed.wgsl:2: binding 'table' (array<f32, 16>) needs at least 64 bytes; --bind table=zeros:f32:8 gives 32" in r.err


def test_size_not_a_whole_number_of_elements(wgslrun, tmp_path):
    kernel = write(tmp_path / "v4.wgsl", """
@group(0) @binding(0) var<storage, read_write> v : array<vec4<f32>>;
@compute @workgroup_size(1) fn main() { v[0] = vec4<f32>(1.0); }
""")
    r = wgslrun("run", kernel, "--bind", "v=zeros:f32:6", "--grid", 1)
    assert r.code == FAILURE and "24 bytes from zeros:f32:6 is not a whole number of 16-byte elements" in r.err


def test_raw_file_not_a_multiple_of_the_dtype(wgslrun, tmp_path):
    (tmp_path / "odd.bin").write_bytes(b"\x00" * 10)
    r = wgslrun("run", SAXPY, "--bind", f"x={tmp_path / 'odd.bin'}:f32", "--size", 1)
    assert r.code == FAILURE and "odd.bin: 10 bytes is not a whole number of f32 elements (4 bytes each)" in r.err


def test_dtype_mismatch(wgslrun, tmp_path):
    np.save(tmp_path / "d.npy", np.zeros(8, dtype=np.float64))
    r = wgslrun("run", SAXPY, "--bind", f"x={tmp_path / 'd.npy'}", "--size", 8)
    assert r.code == FAILURE
    assert "binding 'x' is array<f32> (elements of f32) but --bind x=" in r.err and "holds f64" in r.err


NPY_HEADER = b"{'descr': '<f4', 'fortran_order': False, 'shape': (4,), }"


def npy_bytes(header=NPY_HEADER, data=b"\x00" * 16, magic=b"\x93NUMPY"):
    header = header + b" " * (64 - 10 - len(header) - 1) + b"\n"
    return magic + b"\x01\x00" + len(header).to_bytes(2, "little") + header + data


@pytest.mark.parametrize("name, content, message", [
    ("truncated", npy_bytes(data=b"\x00" * 9), "truncated: header says 16 bytes of data, file has 9"),
    ("magic", npy_bytes(magic=b"\x93NUMPZ"), "not a .npy file (bad magic)"),
    ("bigendian", npy_bytes(header=NPY_HEADER.replace(b"<f4", b">f4")), "big-endian"),
    ("fortran", npy_bytes(header=b"{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2), }"), "Fortran-order arrays are unsupported"),
    ("dtype", npy_bytes(header=NPY_HEADER.replace(b"<f4", b"<i8"), data=b"\x00" * 32), "'<i8'"),
])
def test_bad_npy_files(wgslrun, tmp_path, name, content, message):
    path = tmp_path / f"{name}.npy"
    path.write_bytes(content)
    r = wgslrun("run", SAXPY, "--bind", f"x={path}", "--size", 4)
    assert r.code == FAILURE
    assert f"{name}.npy: " in r.err and message in r.err, r.err


def test_output_path_not_writable_leaves_nothing(wgslrun, tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        if os.access(locked, os.W_OK):
            pytest.skip("running as a user who can write anywhere: covered by the missing-directory case")
        r = wgslrun("run", SAXPY, "--bind", "x=zeros:f32:4", "--bind", "y=zeros:f32:4", "--bind", "params=values:f32:1",
                    "--size", 4, "--out", f"y={locked / 'y.npy'}")
        assert r.code == FAILURE and "cannot write" in r.err
        assert list(locked.iterdir()) == []
    finally:
        locked.chmod(stat.S_IRWXU)


def test_output_into_missing_directory_fails_before_running(wgslrun, tmp_path):
    target = tmp_path / "missing" / "y.npy"
    r = wgslrun("run", SAXPY, "--bind", "x=zeros:f32:4", "--bind", "y=zeros:f32:4", "--bind", "params=values:f32:1",
                "--size", 4, "--out", f"y={target}")
    assert r.code == FAILURE and "--out y: cannot write" in r.err and "No such file or directory" in r.err
    assert not target.parent.exists()
    assert "time over" not in r.out


def test_dispatch_beyond_device_limits(wgslrun):
    r = wgslrun("run", SAXPY, "--bind", "x=zeros:f32:4", "--bind", "y=zeros:f32:4", "--bind", "params=values:f32:1",
                "--grid", 70000)
    assert r.code == FAILURE and "70000 workgroups in dimension x exceed the device limit of 65535" in r.err


# ---------------------------------------------------------------- bad environment and usage

def test_unknown_implementation(wgslrun):
    r = wgslrun("run", SAXPY, "--impl", "metal9", "--grid", 1)
    assert r.code == FAILURE and "unknown implementation 'metal9': use 'dawn', 'wgpu'" in r.err


def test_unknown_adapter(wgslrun):
    r = wgslrun("run", SAXPY, "--adapter", "no-such-gpu", "--grid", 1)
    assert r.code == FAILURE and "no adapter matches 'no-such-gpu'; available: 0: " in r.err


def test_missing_deps_directory(wgslrun, tmp_path):
    r = wgslrun("run", SAXPY, "--grid", 1, env={"WGSLRUN_DEPS": str(tmp_path / "nodeps")})
    assert r.code == FAILURE
    assert "implementation 'dawn' not found at" in r.err and "run scripts/setup.sh" in r.err
    assert "wgslrun sets deps_dir from WGSLRUN_DEPS" in r.err, r.err


@pytest.mark.parametrize("args, message", [
    ((), "no WGSL file given"),
    ((SAXPY,), "give --grid X[,Y,Z] or --size N[,M,K]"),
    ((SAXPY, "--grid", "1", "--size", "2"), "give --grid or --size, not both"),
    ((SAXPY, "--grid", "0"), "--grid '0' is not X[,Y[,Z]] of positive integers"),
    ((SAXPY, "--grid", "1", "--bind", "x"), "--bind 'x' is not BINDING=SOURCE"),
    ((SAXPY, "--grid", "1", "--bind", "x=fill:f32:4"), "fill:TYPE:COUNT:VALUE"),
    ((SAXPY, "--grid", "1", "--repeat", "0"), "--repeat must be at least 1"),
    ((SAXPY, "--grid", "1", "--frobnicate"), "unknown option '--frobnicate'"),
    ((SAXPY, "--grid"), "--grid needs a value"),
])
def test_usage_errors(wgslrun, args, message):
    r = wgslrun("run", *args)
    assert r.code == USAGE and message in r.err, r.err


def test_unknown_command(wgslrun):
    r = wgslrun("frob")
    assert r.code == USAGE and "unknown command 'frob'" in r.err


# ---------------------------------------------------------------- documentation stays true

def help_examples(text):
    """The commands in a help text's `examples:` section, continuation lines joined."""
    commands, current = [], None
    for line in text.split("examples:", 1)[1].splitlines():
        stripped = line.strip()
        if stripped.startswith("wgslrun "):
            current = stripped
            commands.append(current)
        elif stripped and current is not None and line.startswith("      "):
            commands[-1] += " " + stripped
    return commands


def run_documented(wgslrun, command, cwd):
    args = shlex.split(command)
    assert args[0] == "wgslrun"
    return wgslrun(*args[1:], cwd=cwd)


@pytest.mark.parametrize("command", ["info", "check", "run"])
def test_help_examples_run(wgslrun, tmp_path, command):
    help_text = wgslrun(command, "--help").out
    examples = help_examples(help_text)
    assert examples, f"`wgslrun {command} --help` has no examples"
    np.save(tmp_path / "x.npy", np.ones(1048576, dtype=np.float32))
    np.save(tmp_path / "y.npy", np.ones(1048576, dtype=np.float32))
    (tmp_path / "examples").symlink_to(SOURCE_DIR / "examples")
    for example in examples:
        r = run_documented(wgslrun, example, tmp_path)
        assert r.code == 0, f"{example}: {r.err}"


def readme_examples():
    """The `wgslrun` lines of every sh block in README.md and docs/*.md."""
    pages = [SOURCE_DIR / "README.md", *sorted((SOURCE_DIR / "docs").glob("*.md"))]
    text = "".join(page.read_text() for page in pages)
    blocks = re.findall(r"```sh\n(.*?)```", text, re.S)
    return [line.strip() for block in blocks for line in block.replace("\\\n", " ").splitlines()
            if line.strip().startswith("wgslrun ")]


@pytest.mark.parametrize("example", readme_examples())
def test_readme_examples_run(wgslrun, tmp_path, example):
    (tmp_path / "examples").symlink_to(SOURCE_DIR / "examples")
    r = run_documented(wgslrun, example, tmp_path)
    assert r.code == 0, f"{example}: {r.err}"


def test_no_vulkan_driver_is_refused_not_run_on_the_null_backend(wgslrun, tmp_path):
    missing_icd = {"VK_ICD_FILENAMES": str(tmp_path / "no_icd.json"), "VK_DRIVER_FILES": str(tmp_path / "no_icd.json")}
    r = wgslrun("run", SAXPY, "--impl", "dawn", "--grid", 1, env=missing_icd)
    assert r.code == FAILURE
    assert "dawn: no WebGPU adapter: only the null backend, which executes nothing, is available" in r.err
    assert "VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json" in r.err
