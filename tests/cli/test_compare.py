"""`wgslrun compare`: one kernel through every method available here (dawn and wgpu always;
chromium, wasm, node and deno where bench/ has their pieces), the outputs of each method checked
against numpy and the agreement the command reports; a deliberate mismatch, an unavailable
method, a method that overruns its time limit, and every bad input. Runs that start Chromium
are shared between tests (module fixtures), as a browser start costs seconds on SwiftShader."""
import json
import os
import re

import numpy as np
import pytest

from conftest import SOURCE_DIR, run_wgslrun
from test_cli import help_examples, run_documented

USAGE, FAILURE = 2, 1
METHODS = ["dawn", "wgpu", "chromium", "wasm", "node", "deno"]
WEB = SOURCE_DIR / "bench" / "web"


def expected_methods():
    """The methods whose pieces are present here, so each must run rather than be unavailable."""
    have_node = os.access("/usr/bin/node", os.X_OK) or any(
        os.access(os.path.join(d, "node"), os.X_OK) for d in os.environ.get("PATH", "").split(":"))
    runner = (WEB / "compare" / "runner.mjs").exists()
    chromium = os.access(os.environ.get("WGSLRUN_CHROMIUM", "/usr/bin/chromium"), os.X_OK)
    playwright = (WEB / "node_modules" / "playwright-core").exists()
    present = {
        "dawn": True, "wgpu": True,
        "chromium": runner and have_node and chromium and playwright,
        "wasm": runner and have_node and chromium and playwright
        and (SOURCE_DIR / "bench" / "wasm" / "build" / "wgslrun.wasm").exists(),
        "node": runner and have_node and (WEB / "node_modules" / "webgpu").exists(),
        "deno": runner and (WEB / "node_modules" / "@deno" / "linux-x64-glibc" / "deno").exists(),
    }
    return [m for m in METHODS if present[m]]


INTEGER_KERNEL = """\
@group(0) @binding(0) var<storage, read> keys : array<u32>;
@group(0) @binding(1) var<storage, read_write> bins : array<atomic<u32>>;
@group(0) @binding(2) var<storage, read_write> mixed : array<u32>;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) id : vec3<u32>) {
    let i = id.x;
    if (i >= arrayLength(&keys)) { return; }
    let k = keys[i];
    atomicAdd(&bins[k & 255u], 1u);
    mixed[i] = (k * 2654435761u) ^ (k >> 13u);
}
"""

FLOAT_KERNEL = """\
struct Params { a : f32, n : u32 }
@group(0) @binding(0) var<storage, read> x : array<f32>;
@group(0) @binding(1) var<storage, read_write> y : array<f32>;
@group(0) @binding(2) var<uniform> params : Params;
override SCALE : f32 = 1.0;

@compute @workgroup_size(64)
fn scale(@builtin(global_invocation_id) id : vec3<u32>) {
    let i = id.x;
    if (i < params.n) { y[i] = SCALE * params.a * x[i]; }
}

@compute @workgroup_size(32)
fn blend(@builtin(global_invocation_id) id : vec3<u32>) {
    let i = id.x;
    if (i < params.n) { y[i] = sqrt(x[i]) * params.a + y[i] * 0.5 * SCALE; }
}
"""

LOOPING_KERNEL = """\
@group(0) @binding(0) var<storage, read_write> out : array<u32>;
override ITERATIONS : u32 = 1u;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) id : vec3<u32>) {
    var acc = id.x;
    for (var i = 0u; i < ITERATIONS; i++) { acc = acc * 1664525u + 1013904223u; }
    out[id.x] = acc;
}
"""


def compare(*args, env=None, timeout=300):
    return run_wgslrun("compare", *args, env=env, timeout=timeout)


def rows(out):
    """The table's rows by method: the text after the method name."""
    return {line.split()[0]: line for line in out.splitlines() if line.split() and line.split()[0] in METHODS}


def results(json_base, methods):
    return {m: json.loads((json_base.parent / f"{json_base.stem}-{m}.json").read_text()) for m in methods}


class Shared:
    def __init__(self, tmp, kernel, args):
        self.dir = tmp
        self.kernel = tmp / kernel[0]
        self.kernel.write_text(kernel[1])
        self.keep = tmp / "keep"
        self.json = tmp / "out.json"
        self.report = tmp / "report.html"
        self.r = compare(self.kernel, *args, "--methods", "all", "--keep", self.keep, "--json", self.json,
                         "--report", self.report)

    def output(self, method, name):
        return np.load(self.keep / method / f"{name}.npy")


# ---------------------------------------------------------------- every method, one integer kernel

N_KEYS = 10_007  # not a multiple of the workgroup size
GROUPS = -(-N_KEYS // 64)  # explicit workgroup counts here; the float kernel derives them from --size


@pytest.fixture(scope="module")
def integer_run(tmp_path_factory):
    return Shared(tmp_path_factory.mktemp("integer"), ("hash.wgsl", INTEGER_KERNEL),
                  ["--bind", f"keys=random:u32:{N_KEYS}:5", "--bind", "bins=zeros:u32:256",
                   "--bind", f"mixed=zeros:u32:{N_KEYS}", "--grid", GROUPS, "--repeat", 2, "--warmup", 1])


def test_integer_kernel_every_available_method_agrees_bit_for_bit(integer_run):
    r = integer_run.r
    assert r.code == 0, r.out + r.err
    table = rows(r.out)
    assert list(table) == METHODS, r.out
    for method in expected_methods():
        assert re.search(r"agree (\(reference\)|with dawn)", table[method]), table[method]
    for method in set(METHODS) - set(expected_methods()):
        assert "unavailable: " in table[method]


def test_integer_kernel_outputs_match_numpy_in_every_method(integer_run):
    keys = np.load(integer_run.keep / "inputs" / "keys.npy")
    assert keys.dtype == np.uint32 and keys.size == N_KEYS and len(np.unique(keys)) > N_KEYS // 2
    bins = 3 * np.bincount(keys & 255, minlength=256).astype(np.uint32)  # warm-up + 2 runs accumulate
    mixed = (keys * np.uint32(2654435761)) ^ (keys >> np.uint32(13))
    for method in expected_methods():
        np.testing.assert_array_equal(integer_run.output(method, "bins"), bins, err_msg=method)
        np.testing.assert_array_equal(integer_run.output(method, "mixed"), mixed, err_msg=method)


def test_result_files_follow_the_result_schema_and_report_draws_them(integer_run, tmp_path):
    found = results(integer_run.json, METHODS)
    for method, doc in found.items():
        assert doc["schema"] == "wgslrun-result/1"
        (entry,) = doc["results"]
        assert entry["case"] == "hash" and entry["params"] == {"grid": str(GROUPS), "repeat": 2, "warmup": 1}
        if method in expected_methods():
            assert entry["verified"] is True, entry
            assert entry["time_ms"]["count"] == 2 and entry["metric"]["value"] == entry["time_ms"]["median"]
            assert entry["wall_ms"]["min"] <= entry["wall_ms"]["median"] <= entry["wall_ms"]["max"]
            assert doc["adapter"] and set(entry["compare"]["agrees_with"]) == set(expected_methods()) - {method}
        else:
            assert entry["verified"] is None and entry["unsupported"].startswith("unavailable: ")
    html = integer_run.report.read_text()
    assert html.startswith("<!doctype html") or html.lower().startswith("<!doctype html")
    for method in expected_methods():
        assert found[method]["method"] in html
    r = run_wgslrun("report", *sorted(integer_run.dir.glob("out-*.json")), "-o", tmp_path / "again.html")
    assert r.code == 0, r.err


def test_progress_goes_to_stderr(integer_run):
    for i, method in enumerate(METHODS, 1):
        assert f"[compare {i}/6] {method}: running" in integer_run.r.err


# ---------------------------------------------------------------- a float kernel, a uniform, two entry points

N_FLOATS = 5_000


@pytest.fixture(scope="module")
def float_run(tmp_path_factory):
    return Shared(tmp_path_factory.mktemp("float"), ("blend.wgsl", FLOAT_KERNEL),
                  ["--entry", "blend", "--bind", f"x=random:f32:{N_FLOATS}:3", "--bind", f"y=fill:f32:{N_FLOATS}:0.25",
                   "--bind", f"params=values:f32:1.5,u32:{N_FLOATS - 3}", "--size", N_FLOATS, "--repeat", 2,
                   "--define", "SCALE=0.5"])


def test_float_kernel_second_entry_point_agrees_within_tolerance_and_matches_numpy(float_run):
    r = float_run.r
    assert r.code == 0, r.out + r.err
    assert "entry 'blend'" in r.out and "floats agree within ulp:4" in r.out
    table = rows(r.out)
    for method in expected_methods():
        assert re.search(r"agree (\(reference\)|with dawn)", table[method]), table[method]
    x = np.load(float_run.keep / "inputs" / "x.npy")
    y = np.full(N_FLOATS, 0.25, np.float32)
    for _ in range(2):  # two timed runs, no warm-up; the last 3 elements are past params.n
        y[:-3] = np.sqrt(x[:-3]) * np.float32(1.5) + y[:-3] * np.float32(0.5 * 0.5)
    for method in expected_methods():
        np.testing.assert_allclose(float_run.output(method, "y"), y, rtol=2e-6, err_msg=method)
    doc = results(float_run.json, ["dawn"])["dawn"]
    assert doc["results"][0]["variant"] == "blend"  # the file has two entry points


def test_mismatch_names_the_first_differing_element(tmp_path):
    kernel = tmp_path / "blend.wgsl"
    kernel.write_text(FLOAT_KERNEL)
    r = compare(kernel, "--entry", "scale", "--bind", "x=random:f32:300:9", "--bind", "y=zeros:f32:300",
                "--bind", "params=values:f32:2.0,u32:300", "--size", 300, "--methods", "dawn,wgpu",
                "--define-for", "wgpu:SCALE=1.5", "--keep", tmp_path / "keep", "--json", tmp_path / "m.json")
    assert r.code == FAILURE, r.out + r.err
    x = np.load(tmp_path / "keep" / "inputs" / "x.npy")
    first = int(np.flatnonzero(x)[0])
    wgpu = rows(r.out)["wgpu"]
    m = re.search(r"DIFFER: y\[(\d+)\]: (\S+) in dawn, (\S+) in wgpu \((\d+) of 300 elements differ beyond the tolerance\)", wgpu)
    assert m, wgpu
    assert int(m[1]) == first
    assert float(m[2]) == pytest.approx(2.0 * x[first], rel=1e-6)
    assert float(m[3]) == pytest.approx(3.0 * x[first], rel=1e-6)
    assert re.match(r"wgpu\s+\S.*\s-\s+-\s+-\s+-\s+-\s+-\s+DIFFER", wgpu), wgpu  # no time is shown for it
    assert "reference (no other method agrees)" in rows(r.out)["dawn"]
    docs = results(tmp_path / "m.json", ["dawn", "wgpu"])
    entry = docs["wgpu"]["results"][0]
    assert entry["verified"] is False and entry["time_ms"] is None and entry["metric"]["value"] is None
    assert entry["error"].startswith(f"outputs differ: y[{first}]: ")
    assert docs["dawn"]["results"][0]["verified"] is None  # nothing confirmed it either


def test_tolerance_decides_float_agreement(tmp_path):
    kernel = tmp_path / "blend.wgsl"
    kernel.write_text(FLOAT_KERNEL)
    args = [kernel, "--entry", "scale", "--bind", "x=fill:f32:64:1", "--bind", "y=zeros:f32:64",
            "--bind", "params=values:f32:1.0,u32:64", "--size", 64, "--methods", "dawn,wgpu",
            "--define-for", "wgpu:SCALE=1.0001"]
    assert compare(*args).code == FAILURE
    r = compare(*args, "--tolerance", "rel:2e-4")
    assert r.code == 0, r.out + r.err
    assert "agree with dawn" in rows(r.out)["wgpu"]


# ---------------------------------------------------------------- methods that cannot run

def test_unavailable_method_is_listed_with_its_reason_and_others_still_run(tmp_path):
    kernel = tmp_path / "hash.wgsl"
    kernel.write_text(INTEGER_KERNEL)
    r = compare(kernel, "--bind", "keys=iota:u32:128", "--bind", "bins=zeros:u32:256", "--bind", "mixed=zeros:u32:128",
                "--size", 128, "--methods", "dawn,node,deno,wasm,wgpu",
                env={"WGSLRUN_NODE": "/nonexistent", "WGSLRUN_DENO": str(tmp_path / "no-deno")})
    assert r.code == 0, r.out + r.err
    table = rows(r.out)
    assert table["node"].split(None, 1)[1] == "unavailable: WGSLRUN_NODE=/nonexistent: not an executable file"
    assert table["wasm"].split(None, 1)[1] == "unavailable: WGSLRUN_NODE=/nonexistent: not an executable file"
    assert table["deno"].split(None, 1)[1] == f"unavailable: WGSLRUN_DENO={tmp_path / 'no-deno'}: not an executable file"
    assert "agree with dawn" in table["wgpu"]


def test_a_tree_without_the_runner_makes_the_javascript_methods_unavailable(tmp_path):
    kernel = tmp_path / "hash.wgsl"
    kernel.write_text(INTEGER_KERNEL)
    r = compare(kernel, "--bind", "keys=iota:u32:64", "--bind", "bins=zeros:u32:256", "--bind", "mixed=zeros:u32:64",
                "--size", 64, "--methods", "dawn,chromium", env={"WGSLRUN_SOURCE_DIR": str(tmp_path)})
    assert r.code == 0, r.out + r.err
    assert rows(r.out)["chromium"].split(None, 1)[1] == (
        f"unavailable: {tmp_path}/bench/web/compare/runner.mjs is missing "
        "(compare's JavaScript runner; set WGSLRUN_SOURCE_DIR to a wgslrun checkout)")
    assert "only this method ran: nothing to compare with" in rows(r.out)["dawn"]


def test_no_method_available_fails(tmp_path):
    kernel = tmp_path / "hash.wgsl"
    kernel.write_text(INTEGER_KERNEL)
    r = compare(kernel, "--bind", "keys=iota:u32:64", "--bind", "bins=zeros:u32:256", "--bind", "mixed=zeros:u32:64",
                "--size", 64, "--methods", "node", env={"WGSLRUN_NODE": "/nonexistent"})
    assert r.code == FAILURE and "wgslrun compare: error: no method could run" in r.err


def test_a_method_that_overruns_its_timeout_is_killed_and_the_others_finish(tmp_path):
    kernel = tmp_path / "loop.wgsl"
    kernel.write_text(LOOPING_KERNEL)
    r = compare(kernel, "--bind", "out=zeros:u32:64", "--grid", 1, "--methods", "dawn,wgpu", "--timeout", 2,
                "--define-for", "wgpu:ITERATIONS=4000000000", "--json", tmp_path / "t.json", timeout=60)
    assert r.code == FAILURE, r.out + r.err
    table = rows(r.out)
    assert table["wgpu"].split(None, 1)[1].startswith("TIMED OUT: no result within the --timeout of 2 s (killed)")
    assert "only this method ran" in table["dawn"]
    assert "[compare 2/2] wgpu: timed out after" in r.err
    entry = results(tmp_path / "t.json", ["wgpu"])["wgpu"]["results"][0]
    assert entry["verified"] is False and entry["error"].startswith("no result within the --timeout of 2 s")


# ---------------------------------------------------------------- bad input

SAXPY = SOURCE_DIR / "examples" / "saxpy.wgsl"
SAXPY_BINDS = ["--bind", "x=iota:f32:64", "--bind", "y=zeros:f32:64", "--bind", "params=values:f32:2"]


@pytest.mark.parametrize("args, message", [
    ([], "no WGSL file given"),
    ([SAXPY, *SAXPY_BINDS], "give --grid X[,Y,Z] or --size N[,M,K]"),
    ([SAXPY, *SAXPY_BINDS, "--size", 64, "--grid", 1], "give --grid or --size, not both"),
    ([SAXPY, "--size", 64], "no --bind given"),
    ([SAXPY, *SAXPY_BINDS, "--size", 64, "--methods", "dawn,frob"], "--methods: unknown method 'frob'"),
    ([SAXPY, *SAXPY_BINDS, "--size", 64, "--methods", ""], "--methods '' is not a list of methods"),
    ([SAXPY, *SAXPY_BINDS, "--size", 64, "--define-for", "frob:A=1"], "--define-for: unknown method 'frob'"),
    ([SAXPY, *SAXPY_BINDS, "--size", 64, "--define-for", "wgpu:A"], "--define-for 'wgpu:A' is not METHOD:NAME=NUMBER"),
    ([SAXPY, *SAXPY_BINDS, "--size", 64, "--define", "A=x"], "--define 'A=x' is not NAME=NUMBER"),
    ([SAXPY, *SAXPY_BINDS, "--size", 64, "--tolerance", "ulp:-1"], "--tolerance 'ulp:-1' is not a comma-separated list"),
    ([SAXPY, *SAXPY_BINDS, "--size", 64, "--tolerance", "near:1"], "--tolerance 'near:1' is not a comma-separated list"),
    ([SAXPY, *SAXPY_BINDS, "--size", 64, "--timeout", 0], "--timeout '0' is not a positive number of seconds"),
    ([SAXPY, *SAXPY_BINDS, "--size", 64, "--repeat", 0], "--repeat must be at least 1"),
    ([SAXPY, *SAXPY_BINDS, "--size", 64, "--report", "r.md"], "--report 'r.md': the report is HTML"),
    ([SAXPY, "--bind", "x=random:f33:4", "--size", 4], "--bind x: unknown type 'f33'"),
    ([SAXPY, *SAXPY_BINDS, "--size", 64, "--frob"], "unknown option '--frob'"),
    ([SAXPY, *SAXPY_BINDS, "--size"], "--size needs a value"),
])
def test_usage_errors(args, message):
    r = compare(*args)
    assert r.code == USAGE and message in r.err, r.err
    assert "(see wgslrun compare --help)" in r.err or "--bind x:" in message


def test_bad_inputs_fail_before_any_method_runs(tmp_path):
    two = tmp_path / "blend.wgsl"
    two.write_text(FLOAT_KERNEL)
    cases = [
        ([tmp_path / "missing.wgsl", *SAXPY_BINDS, "--size", 64], f"{tmp_path / 'missing.wgsl'}: cannot open"),
        ([SAXPY, *SAXPY_BINDS, "--bind", "zz=zeros:f32:4", "--size", 64],
         f"{SAXPY}: no binding 'zz' in the shader; it declares: x (@binding(0)), y (@binding(1)), params (@binding(2))"),
        ([SAXPY, "--bind", "x=iota:u32:64", "--bind", "y=zeros:f32:64", "--size", 64],
         f"{SAXPY}:7: binding 'x' is array<f32> (elements of f32) but --bind x=iota:u32:64 holds u32"),
        ([SAXPY, "--bind", "x=iota:f32:64", "--size", 64], "no writable storage buffer is bound: there is no output to compare"),
        ([SAXPY, *SAXPY_BINDS, "--bind", "1=zeros:f32:4", "--size", 64], "binding 'y' is given twice (--bind y and --bind 1)"),
        ([two, "--bind", "y=zeros:f32:4", "--size", 4], f"{two}: several entry points, choose one with --entry: scale, blend"),
        ([two, "--entry", "nope", "--bind", "y=zeros:f32:4", "--size", 4], f"{two}: no entry point 'nope'; it has: scale, blend"),
        ([SAXPY, *SAXPY_BINDS, "--size", 64, "--json", tmp_path / "no" / "r.json"], f"--json {tmp_path / 'no' / 'r.json'}: cannot write to"),
    ]
    for args, message in cases:
        r = compare(*args)
        assert r.code == FAILURE and f"wgslrun compare: error: {message}" in r.err, (args, r.err)
        assert "[compare " not in r.err, "no method may start on bad input"


# ---------------------------------------------------------------- documentation stays true

def test_help_examples_run(tmp_path):
    examples = help_examples(run_wgslrun("compare", "--help").out)
    assert len(examples) >= 2
    (tmp_path / "examples").symlink_to(SOURCE_DIR / "examples")
    for example in examples:
        r = run_documented(run_wgslrun, example, tmp_path)
        assert r.code == 0, f"{example}: {r.out}{r.err}"
    assert (tmp_path / "saxpy-dawn.json").exists() and (tmp_path / "saxpy.html").exists()


def test_main_help_lists_compare():
    assert re.search(r"^  compare ", run_wgslrun("--help").out, re.M)


def test_ctrl_c_ends_the_running_method_and_stops(tmp_path):
    import signal
    import subprocess
    import time
    from conftest import BINARY
    kernel = tmp_path / "loop.wgsl"
    kernel.write_text(LOOPING_KERNEL)
    keep = tmp_path / "keep"
    p = subprocess.Popen([str(BINARY), "compare", str(kernel), "--bind", "out=zeros:u32:64", "--grid", "1",
                          "--methods", "dawn,wgpu", "--define", "ITERATIONS=4000000000", "--keep", str(keep)],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(1.5)
    p.send_signal(signal.SIGINT)
    out, err = p.communicate(timeout=30)
    assert p.returncode == FAILURE, out + err
    assert rows(out)["dawn"].split(None, 1)[1] == "FAILED: interrupted (signal 2)"
    assert "wgpu" not in rows(out) and "interrupted; the methods after it were not run" in err
    left = subprocess.run(["pgrep", "-f", str(keep)], capture_output=True, text=True).stdout
    assert left == "", f"processes left running: {left}"


@pytest.mark.parametrize("script, reported", [
    ("kill -SEGV $$", "FAILED: killed by signal 11"),
    ("echo 'the runner broke' >&2; exit 1", "FAILED: exit status 1: the runner broke"),
    ("echo 'not json'", "FAILED: no JSON on stdout: "),
])
def test_a_method_that_crashes_or_fails_is_reported_and_the_others_finish(tmp_path, script, reported):
    fake_node = tmp_path / "node"
    fake_node.write_text(f"#!/bin/sh\n{script}\n")
    fake_node.chmod(0o755)
    kernel = tmp_path / "hash.wgsl"
    kernel.write_text(INTEGER_KERNEL)
    r = compare(kernel, "--bind", "keys=iota:u32:64", "--bind", "bins=zeros:u32:256", "--bind", "mixed=zeros:u32:64",
                "--size", 64, "--methods", "dawn,node,wgpu", env={"WGSLRUN_NODE": str(fake_node)})
    assert r.code == FAILURE, r.out + r.err
    table = rows(r.out)
    assert table["node"].split(None, 1)[1].startswith(reported), table["node"]
    assert "agree with dawn" in table["wgpu"]


def test_ratios_only_between_methods_on_the_same_adapter(tmp_path):
    # A stand-in for node that answers as the runner does (outputs as .npy, one JSON object),
    # ten times slower than dawn and on another adapter: its ratio is to itself, not to dawn.
    fake_node = tmp_path / "node"
    fake_node.write_text(
        "#!/bin/sh\n"
        "work=$(dirname \"$3\")\n"
        "cp \"$work\"/dawn/*.npy \"$work\"/node/\n"
        "echo '{\"impl\": \"fake\", \"adapter\": \"Other GPU\", \"backend\": \"vulkan\","
        " \"wall_ms\": {\"min\": 100, \"median\": 100, \"max\": 100, \"count\": 1},"
        " \"gpu_ms\": {\"min\": 90, \"median\": 90, \"max\": 90, \"count\": 1}}'\n")
    fake_node.chmod(0o755)
    kernel = tmp_path / "hash.wgsl"
    kernel.write_text(INTEGER_KERNEL)
    r = compare(kernel, "--bind", "keys=iota:u32:64", "--bind", "bins=zeros:u32:256", "--bind", "mixed=zeros:u32:64",
                "--size", 64, "--methods", "dawn,node", env={"WGSLRUN_NODE": str(fake_node)})
    assert r.code == 0, r.out + r.err
    node = rows(r.out)["node"]
    assert re.match(r"node\s+Other GPU\s+90 \(90-90\)\s+0\.0%\s+1\.00\s+100 \(100-100\)\s+0\.0%\s+1\.00\s+agree with dawn$",
                    node), node
