"""Subgroups (issue 11 needs them): the device enables the feature whenever the adapter has it,
`wgslrun info` says so, and a kernel that writes `enable subgroups;` and takes the subgroup
builtins as entry-point parameters runs, checked against a CPU reference."""
import json

import numpy as np
import pytest

from conftest import IMPLS

# Each invocation records its subgroup's id (the lowest local index in it), its place in the
# subgroup and the subgroup's size, and the subgroup's sum of x: the test regroups the
# invocations by id on the CPU, so it does not assume how the device lays out subgroups.
SUBGROUP_SUM = """
enable subgroups;

@group(0) @binding(0) var<storage, read> x : array<u32>;
@group(0) @binding(1) var<storage, read_write> sums : array<u32>;
@group(0) @binding(2) var<storage, read_write> lanes : array<vec3<u32>>;

@compute @workgroup_size(128)
fn main(@builtin(global_invocation_id) gid : vec3<u32>,
        @builtin(local_invocation_index) lid : u32,
        @builtin(subgroup_invocation_id) lane : u32,
        @builtin(subgroup_size) size : u32) {
  let i = gid.x;
  sums[i] = subgroupAdd(x[i]);
  lanes[i] = vec3<u32>(subgroupMin(lid), lane, size);
}
"""


def device_of(wgslrun, impl):
    r = wgslrun("info", "--impl", impl, "--json")
    assert r.code == 0, r.err
    return json.loads(r.out)["implementations"][0]


@pytest.mark.parametrize("impl", IMPLS)
def test_info_reports_subgroups_on_the_device_when_the_adapter_has_them(wgslrun, impl):
    found = device_of(wgslrun, impl)
    if "device" not in found:
        pytest.skip(f"{impl}: {found.get('error')}")
    default_adapter = next(a for a in found["adapters"] if a["device"] == found["device"]["adapter"])
    assert found["device"]["subgroups"] == ("subgroups" in default_adapter["features"].split(","))
    r = wgslrun("info", "--impl", impl)
    assert f"subgroups {'yes' if found['device']['subgroups'] else 'no'}" in r.out, r.out


@pytest.mark.parametrize("impl", IMPLS)
def test_subgroup_builtins_and_reductions_run(wgslrun, tmp_path, impl):
    found = device_of(wgslrun, impl)
    if not found.get("device", {}).get("subgroups"):
        pytest.skip(f"{impl}: the device has no subgroups here")
    shader = tmp_path / "subgroups.wgsl"
    shader.write_text(SUBGROUP_SUM)
    n = 128 * 8
    x = np.random.default_rng(11).integers(0, 1 << 20, n, dtype=np.uint32)
    np.save(tmp_path / "x.npy", x)
    r = wgslrun("run", shader, "--impl", impl, "--bind", f"x={tmp_path / 'x.npy'}", "--bind", f"sums=zeros:u32:{n}",
                "--bind", f"lanes=zeros:u32:{4 * n}", "--size", n, "--out", f"sums={tmp_path / 'sums.npy'}",
                "--out", f"lanes={tmp_path / 'lanes.npy'}")
    assert r.code == 0, r.err
    sums = np.load(tmp_path / "sums.npy")
    lanes = np.load(tmp_path / "lanes.npy").reshape(n, 3)
    size = lanes[0, 2]
    assert size in (4, 8, 16, 32, 64, 128) and (lanes[:, 2] == size).all(), lanes[:8]
    workgroup = np.arange(n) // 128
    for key in np.unique(workgroup * 128 + lanes[:, 0]):
        members = np.flatnonzero(workgroup * 128 + lanes[:, 0] == key)
        assert len(members) == size and sorted(lanes[members, 1]) == list(range(size))
        assert (sums[members] == np.uint32(x[members].sum(dtype=np.uint64) & 0xFFFFFFFF)).all()


@pytest.mark.parametrize("impl", IMPLS)
def test_check_accepts_the_subgroup_builtins(wgslrun, tmp_path, impl):
    found = device_of(wgslrun, impl)
    if not found.get("device", {}).get("subgroups"):
        pytest.skip(f"{impl}: the device has no subgroups here")
    shader = tmp_path / "subgroups.wgsl"
    shader.write_text(SUBGROUP_SUM)
    r = wgslrun("check", shader, "--impl", impl)
    assert r.code == 0 and "entry 'main' ok" in r.out, r.err
