"""Issue 15: shapes of real-world compute shaders that must just work, each on both
implementations against numpy, and the bad inputs around them. The shaders are written for these
tests in the shape of the ones that failed."""
import json

import numpy as np
import pytest

from conftest import IMPLS

FAILURE = 1


def write(path, text):
    path.write_text(text)
    return path


# ---------------------------------------------------------------- 1: shared binding slots

# Two entry points, each with its own resource at @group(0) @binding(0), and a fragment stage with
# its own at @binding(2), as in modules that keep several passes in one file.
SHARED_SLOTS = """
@group(0) @binding(0) var<storage, read_write> hist : array<atomic<u32>, 8>;
@group(0) @binding(0) var<storage, read_write> data : array<f32>;
@group(0) @binding(1) var<storage, read> src : array<u32>;
@group(0) @binding(2) var<uniform> factor : f32;
@group(0) @binding(2) var<storage, read> tint : array<vec4<f32>>;

fn bin_of(v : u32) -> u32 { return v % 8u; }

@compute @workgroup_size(64)
fn histogram(@builtin(global_invocation_id) id : vec3<u32>) {
  if (id.x < arrayLength(&src)) { atomicAdd(&hist[bin_of(src[id.x])], 1u); }
}

@compute @workgroup_size(64)
fn scale(@builtin(global_invocation_id) id : vec3<u32>) {
  if (id.x < arrayLength(&data)) { data[id.x] = data[id.x] * factor + f32(src[id.x]); }
}

// another stage in the same module, with its own resource at @binding(2)
@fragment
fn shade(@builtin(position) p : vec4<f32>) -> @location(0) vec4<f32> { return tint[u32(p.x)]; }
"""

# An entry point whose interface holds both: WGSL forbids it (Dawn then rejects the module).
CONFLICT = SHARED_SLOTS + """
@compute @workgroup_size(1)
fn both() { data[0] = f32(atomicLoad(&hist[0])); }
"""


@pytest.mark.parametrize("impl", IMPLS)
def test_entry_points_may_share_a_binding_slot(wgslrun, tmp_path, impl):
    shader = write(tmp_path / "shared.wgsl", SHARED_SLOTS)
    rng = np.random.default_rng(15)
    src = rng.integers(0, 1000, 777, dtype=np.uint32)
    data = rng.standard_normal(777).astype(np.float32)
    np.save(tmp_path / "src.npy", src)
    np.save(tmp_path / "data.npy", data)
    # by index: @binding(0) is `data` for this entry point, not `hist`
    r = wgslrun("run", shader, "--impl", impl, "--entry", "scale", "--bind", f"0={tmp_path / 'data.npy'}",
                "--bind", f"1={tmp_path / 'src.npy'}", "--bind", "factor=values:f32:0.5", "--size", 777,
                "--out", f"0={tmp_path / 'scaled.npy'}")
    assert r.code == 0, r.err
    np.testing.assert_allclose(np.load(tmp_path / "scaled.npy"), data * np.float32(0.5) + src.astype(np.float32),
                               rtol=1e-6)
    r = wgslrun("run", shader, "--impl", impl, "--entry", "histogram", "--bind", "0=zeros:u32:8",
                "--bind", f"src={tmp_path / 'src.npy'}", "--size", 777, "--out", f"hist={tmp_path / 'hist.npy'}")
    assert r.code == 0, r.err
    np.testing.assert_array_equal(np.load(tmp_path / "hist.npy"), np.bincount(src % 8, minlength=8))
    r = wgslrun("check", shader, "--impl", impl)
    assert r.code == 0 and "entry 'histogram' ok" in r.out and "entry 'scale' ok" in r.out, r.err


@pytest.mark.parametrize("impl", IMPLS)
def test_one_entry_point_using_both_resources_of_a_slot_is_refused(wgslrun, tmp_path, impl):
    shader = write(tmp_path / "conflict.wgsl", CONFLICT)
    r = wgslrun("run", shader, "--impl", impl, "--entry", "both", "--bind", "data=zeros:f32:4", "--grid", 1)
    assert r.code == FAILURE
    assert (f"{shader}:3: error: @group(0) @binding(0) of 'data' is already used by 'hist' on line 2, "
            "and entry point 'both' uses both") in r.err
    r = wgslrun("check", shader, "--impl", impl, "--entry", "both")
    assert r.code == FAILURE and r.err.count("is already used by 'hist'") == 1, r.err


# A member and a local named like the other entry point's binding are not uses of it.
NAMESAKES = """
struct Params { data : f32, n : u32 }
@group(0) @binding(0) var<uniform> params : Params;
@group(0) @binding(1) var<storage, read_write> out : array<f32>;
@group(0) @binding(1) var<storage, read_write> data : array<f32>;

@compute @workgroup_size(64)
fn fill(@builtin(global_invocation_id) id : vec3<u32>) {
  let data = params.data;
  if (id.x < params.n) { out[id.x] = data * f32(id.x); }
}

@compute @workgroup_size(64)
fn double(@builtin(global_invocation_id) id : vec3<u32>) {
  if (id.x < arrayLength(&data)) { data[id.x] = data[id.x] * 2.0; }
}
"""


@pytest.mark.parametrize("impl", IMPLS)
def test_members_and_locals_named_like_a_binding_are_not_uses(wgslrun, tmp_path, impl):
    shader = write(tmp_path / "namesakes.wgsl", NAMESAKES)
    r = wgslrun("run", shader, "--impl", impl, "--entry", "fill", "--bind", "params=values:f32:1.5,u32:100",
                "--bind", "1=zeros:f32:100", "--size", 100, "--out", f"out={tmp_path / 'out.npy'}")
    assert r.code == 0, r.err
    np.testing.assert_array_equal(np.load(tmp_path / "out.npy"), np.float32(1.5) * np.arange(100, dtype=np.float32))
    r = wgslrun("run", shader, "--impl", impl, "--entry", "double", "--bind", "1=fill:f32:10:3", "--size", 10)
    assert r.code == 0 and "data: f32[10] = [6, 6, 6, 6, 6, 6, ...]  sum=60" in r.out, r.err


# ---------------------------------------------------------------- 2: overrides with @id

ID_OVERRIDES = """
@id(7) override scale : f32 = 1.0;
@id(3) override offset : f32 = 0.0;
override plain : f32 = 0.0;
@id(9) override block : u32 = 32u;
@group(0) @binding(0) var<storage, read> x : array<f32>;
@group(0) @binding(1) var<storage, read_write> y : array<f32>;

@compute @workgroup_size(block)
fn main(@builtin(global_invocation_id) id : vec3<u32>) {
  if (id.x < arrayLength(&y)) { y[id.x] = x[id.x] * scale + offset + plain; }
}
"""


@pytest.mark.parametrize("impl", IMPLS)
def test_overrides_with_id_are_set_by_name_or_by_id(wgslrun, tmp_path, impl):
    shader = write(tmp_path / "ids.wgsl", ID_OVERRIDES)
    x = np.random.default_rng(2).standard_normal(1000).astype(np.float32)
    np.save(tmp_path / "x.npy", x)
    r = wgslrun("run", shader, "--impl", impl, "--bind", f"x={tmp_path / 'x.npy'}", "--bind", "y=zeros:f32:1000",
                "--size", 1000, "--define", "scale=2.5", "--define", "3=0.25", "--define", "plain=1",
                "--define", "9=64", "--out", f"y={tmp_path / 'y.npy'}", "--json")
    assert r.code == 0, r.err
    assert json.loads(r.out)["workgroup_size"] == [64, 1, 1]
    np.testing.assert_allclose(np.load(tmp_path / "y.npy"), x * np.float32(2.5) + np.float32(1.25), rtol=1e-6)
    r = wgslrun("run", shader, "--impl", impl, "--bind", f"x={tmp_path / 'x.npy'}", "--bind", "y=zeros:f32:1000",
                "--size", 1000, "--define", "7=-1", "--define", "block=16", "--out", f"y={tmp_path / 'y.npy'}")
    assert r.code == 0, r.err
    assert "workgroup_size (16, 1, 1)" in r.out
    np.testing.assert_allclose(np.load(tmp_path / "y.npy"), -x, rtol=1e-6)


@pytest.mark.parametrize("defines, message", [
    (["8=1"], "constant '8' is not an `override` declared in the shader"),
    (["scale=2", "7=3"], "override 'scale' is set twice (as 'scale' and as '7')"),
    (["07x=1"], "constant '07x' is not an `override` declared in the shader"),
])
def test_bad_override_keys(wgslrun, tmp_path, defines, message):
    shader = write(tmp_path / "ids.wgsl", ID_OVERRIDES)
    args = [a for d in defines for a in ("--define", d)]
    r = wgslrun("run", shader, "--bind", "x=zeros:f32:4", "--bind", "y=zeros:f32:4", "--size", 4, *args)
    assert r.code == FAILURE and message in r.err, r.err


# ---------------------------------------------------------------- 3: runtime-array struct size

RUNTIME_STRUCT = """
struct Samples { gain : vec4<f32>, values : array<f32> }
@group(0) @binding(0) var<storage, read_write> s : Samples;

@compute @workgroup_size(8)
fn main(@builtin(global_invocation_id) id : vec3<u32>) {
  if (id.x < arrayLength(&s.values)) { s.values[id.x] = s.values[id.x] * s.gain[id.x % 4u]; }
}
"""


@pytest.mark.parametrize("impl", IMPLS)
def test_runtime_array_struct_needs_its_rounded_size(wgslrun, tmp_path, impl):
    shader = write(tmp_path / "samples.wgsl", RUNTIME_STRUCT)
    # 16 bytes of gain + one 4-byte element = 20, rounded up to the struct's 16-byte alignment
    r = wgslrun("run", shader, "--impl", impl, "--bind", "s=values:f32:1,2,3,4,5", "--grid", 1)
    assert r.code == FAILURE
    assert ("binding 's' (Samples) needs at least 32 bytes; --bind s=values:f32:1,2,3,4,5 gives 20") in r.err
    data = np.arange(4 + 7, dtype=np.float32) + 1  # gain and 7 values: 44 bytes, past the minimum
    np.save(tmp_path / "s.npy", data)
    r = wgslrun("run", shader, "--impl", impl, "--bind", f"s={tmp_path / 's.npy'}", "--grid", 1,
                "--out", f"s={tmp_path / 'out.npy'}")
    assert r.code == 0, r.err
    out = np.load(tmp_path / "out.npy")
    values = data[4:]
    np.testing.assert_array_equal(out[:4], data[:4])
    np.testing.assert_allclose(out[4:], values * data[:4][np.arange(values.size) % 4])


# ---------------------------------------------------------------- 5: diagnostics

# subgroupBarrier needs a capability (wgpu.h's SubgroupBarrier) that wgslrun never requests, so
# naga refuses it on every device, also where the adapter has subgroups.
CAPABILITY = """
@group(0) @binding(0) var<storage, read_write> out : array<f32>;
@compute @workgroup_size(32) fn first() { subgroupBarrier(); out[0] = 1.0; }
@compute @workgroup_size(32) fn second() { out[1] = 2.0; }
"""


def test_wgpu_diagnostics_keep_the_reason_and_module_errors_print_once(wgslrun, tmp_path):
    shader = write(tmp_path / "cap.wgsl", CAPABILITY)
    r = wgslrun("check", shader, "--impl", "wgpu")
    assert r.code == FAILURE
    assert f"{shader}:3:43: error: Entry point first at Compute is invalid" in r.err
    assert "= Shader requires capability Capabilities(SUBGROUP" in r.err
    assert "missing capability for this operation" in r.err  # the source excerpt is kept too
    assert r.err.count("error:") == 1, r.err
    r = wgslrun("check", shader, "--impl", "dawn")
    assert r.code == FAILURE
    assert "unresolved call target 'subgroupBarrier'" in r.err and r.err.count("error:") == 1, r.err


def test_long_source_lines_do_not_push_the_reason_out(wgslrun, tmp_path):
    statements = " ".join(["out[1] = out[1] + 1.0;"] * 60)
    shader = write(tmp_path / "long.wgsl", CAPABILITY.replace("subgroupBarrier();", statements + " subgroupBarrier();"))
    r = wgslrun("run", shader, "--impl", "wgpu", "--entry", "second", "--bind", "out=zeros:f32:2", "--grid", 1)
    assert r.code == FAILURE
    assert "error: Entry point first at Compute is invalid" in r.err
    assert "= Shader requires capability Capabilities(SUBGROUP" in r.err


# ---------------------------------------------------------------- 7: printing values

VALUES = """
@group(0) @binding(0) var<storage, read_write> v : array<vec3<f32>>;
@group(0) @binding(1) var<storage, read_write> m : array<mat3x3<f32>>;
@group(0) @binding(2) var<storage, read_write> u : array<u32>;
@group(0) @binding(3) var<storage, read_write> i : array<i32>;

@compute @workgroup_size(4)
fn main(@builtin(global_invocation_id) id : vec3<u32>) {
  let k = id.x;
  if (k >= arrayLength(&u)) { return; }
  let f = f32(k);
  v[k] = vec3<f32>(f, f + 0.5, -f);
  m[k] = mat3x3<f32>(vec3<f32>(f, 1.0, 2.0), vec3<f32>(3.0, 4.0, 5.0), vec3<f32>(6.0, 7.0, f * 10.0));
  u[k] = 2147483648u + k * 715827882u;
  i[k] = -2147483647 + i32(k) * 16777217;
}
"""


def reference_values(n):
    k = np.arange(n)
    v = np.stack([k, k + 0.5, -k], axis=1).astype(np.float32)
    m = np.zeros((n, 3, 3), np.float32)
    m[:] = [[0, 1, 2], [3, 4, 5], [6, 7, 0]]
    m[:, 0, 0], m[:, 2, 2] = k, k * 10
    u = (2147483648 + k * 715827882).astype(np.uint64).astype(np.uint32)
    i = (-2147483647 + k * 16777217).astype(np.int32)
    return v, m, u, i


@pytest.mark.parametrize("impl", IMPLS)
def test_padded_outputs_are_shaped_by_stride_and_integers_print_exactly(wgslrun, tmp_path, impl):
    shader = write(tmp_path / "values.wgsl", VALUES)
    n = 5
    outs = [f"{name}={tmp_path / name}.npy" for name in "vmui"]
    r = wgslrun("run", shader, "--impl", impl, "--bind", f"v=zeros:f32:{4 * n}", "--bind", f"m=zeros:f32:{12 * n}",
                "--bind", f"u=zeros:u32:{n}", "--bind", f"i=zeros:i32:{n}", "--size", n,
                *[a for o in outs for a in ("--out", o)], "--out", f"v={tmp_path / 'v.bin'}")
    assert r.code == 0, r.err
    v, m, u, i = reference_values(n)
    np.testing.assert_array_equal(np.load(tmp_path / "v.npy"), v)
    np.testing.assert_array_equal(np.load(tmp_path / "m.npy"), m)
    np.testing.assert_array_equal(np.load(tmp_path / "u.npy"), u)
    np.testing.assert_array_equal(np.load(tmp_path / "i.npy"), i)
    raw = (tmp_path / "v.bin").read_bytes()  # raw --out: the same values, no padding
    assert len(raw) == n * 3 * 4
    np.testing.assert_array_equal(np.frombuffer(raw, np.float32).reshape(n, 3), v)
    assert "v: f32[5, 3] = [0, 0.5, -0, 1, 1.5, -1, ...]" in r.out
    assert "m: f32[5, 3, 3] = [0, 1, 2, 3, 4, 5, ...]" in r.out
    assert (f"u: u32[5] = [2147483648, 2863311530, 3579139412, 4294967294, 715827880]  sum={int(u.sum())} "
            f"min=715827880 max=4294967294") in r.out
    assert f"i: i32[5] = [-2147483647, -2130706430, -2113929213, -2097151996, -2080374779]  sum={int(i.sum())}" in r.out
    r = wgslrun("run", shader, "--impl", impl, "--bind", f"v=zeros:f32:{4 * n}", "--bind", f"m=zeros:f32:{12 * n}",
                "--bind", f"u=zeros:u32:{n}", "--bind", f"i=zeros:i32:{n}", "--size", n, "--json")
    assert r.code == 0, r.err
    doc = {o["name"]: o for o in json.loads(r.out)["outputs"]}
    assert doc["v"]["shape"] == [5, 3] and doc["m"]["shape"] == [5, 3, 3]
    assert doc["u"]["first"] == u.tolist() and doc["u"]["sum"] == int(u.sum()) and isinstance(doc["u"]["sum"], int)
    assert doc["i"]["first"] == i.tolist() and doc["i"]["sum"] == int(i.sum())
    assert doc["m"]["sum"] == pytest.approx(float(m.sum()))


# ---------------------------------------------------------------- values the element type cannot hold

@pytest.mark.parametrize("spec, message", [
    ("fill:u32:4:-1", "value '-1' is not an integer in the range of u32"),
    ("fill:i32:4:2.5", "value '2.5' is not an integer in the range of i32"),
    ("values:u32:1,f16:1e5", "value '1e5' is not within the range of f16"),
    ("fill:u8:4:256", "value '256' is not an integer in the range of u8"),
    ("values:u8:2,5048", "value '5048' is not an integer in the range of u8"),
])
def test_bind_values_out_of_the_type_range_are_refused(wgslrun, tmp_path, spec, message):
    shader = write(tmp_path / "ids.wgsl", ID_OVERRIDES)
    r = wgslrun("run", shader, "--bind", f"x={spec}", "--bind", "y=zeros:f32:4", "--size", 4)
    assert r.code == 2 and f"wgslrun run: error: --bind x: {message}" in r.err, r.err
