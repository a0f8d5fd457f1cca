"""`wgslrun run` moves buffer data through the zero-copy staging API: sources are read or
generated straight into the mapped upload staging and outputs viewed straight from the mapped
download. These check that every kind of source arrives bit for bit, that outputs written from
the mapped memory are exact and complete, and that a source failing halfway (after its buffer
was created and mapped) is a clear error that leaves no output file."""
import os
import threading

import numpy as np
import pytest

from conftest import IMPLS

FAILURE = 1

# Copies `src` into `dst` word for word, so any byte the host path changes shows in the output.
COPY_WGSL = """
@group(0) @binding(0) var<storage, read> src : array<u32>;
@group(0) @binding(1) var<storage, read_write> dst : array<u32>;
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) id : vec3<u32>, @builtin(num_workgroups) g : vec3<u32>) {
  let i = id.x + id.y * g.x * 64u;
  if (i < arrayLength(&src)) { dst[i] = src[i]; }
}
"""

# Over the 256 KiB below which plain uploads take a single queue write, and not a whole chunk.
N = 300_007


def splitmix_u32(count, seed):
    """The CLI's random:u32 generator (splitmix64, high 32 bits)."""
    out = np.empty(count, dtype=np.uint32)
    state, mask = seed, (1 << 64) - 1
    for i in range(count):
        state = (state + 0x9E3779B97F4A7C15) & mask
        z = state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & mask
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & mask
        out[i] = (z ^ (z >> 31)) >> 32
    return out


@pytest.fixture
def copy_kernel(tmp_path):
    path = tmp_path / "copy.wgsl"
    path.write_text(COPY_WGSL)
    return path


def run_copy(wgslrun, kernel, source, out, impl, count=N):
    return wgslrun("run", kernel, "--impl", impl, "--bind", f"src={source}", "--bind", f"dst=zeros:u32:{count}",
                   "--size", count, "--out", f"dst={out}")


@pytest.mark.parametrize("impl", IMPLS)
def test_every_source_kind_arrives_bit_for_bit(wgslrun, tmp_path, copy_kernel, impl):
    data = np.random.default_rng(11).integers(0, 2**32, N, dtype=np.uint32)
    np.save(tmp_path / "in.npy", data)
    data.tofile(tmp_path / "in.bin")
    sources = {
        "npy": (str(tmp_path / "in.npy"), data),
        "raw": (f"{tmp_path / 'in.bin'}:u32", data),
        "iota": (f"iota:u32:{N}", np.arange(N, dtype=np.uint32)),
        "fill": (f"fill:u32:{N}:4000000000", np.full(N, 4_000_000_000, dtype=np.uint32)),
        "random": (f"random:u32:{N}:9", splitmix_u32(N, 9)),
    }
    for name, (source, expected) in sources.items():
        out_npy, out_raw = tmp_path / f"{name}.npy", tmp_path / f"{name}.raw"
        r = run_copy(wgslrun, copy_kernel, source, out_npy, impl)
        assert r.code == 0, f"{name}: {r.err}"
        got = np.load(out_npy)
        assert got.dtype == np.uint32 and got.shape == (N,)
        assert np.array_equal(got, expected), name
        r = run_copy(wgslrun, copy_kernel, source, out_raw, impl)
        assert r.code == 0, f"{name}: {r.err}"
        assert out_raw.read_bytes() == expected.tobytes(), name


@pytest.mark.parametrize("impl", IMPLS)
def test_padded_output_is_viewed_from_the_mapped_download(wgslrun, tmp_path, impl):
    """array<vec3<f32>> has a 16-byte stride: the output drops the padding word of each value."""
    kernel = tmp_path / "vec3.wgsl"
    kernel.write_text("""
@group(0) @binding(0) var<storage, read_write> v : array<vec3<f32>>;
@compute @workgroup_size(64) fn main(@builtin(global_invocation_id) id : vec3<u32>) {
  if (id.x < arrayLength(&v)) { let f = f32(id.x); v[id.x] = vec3<f32>(f, f * 0.5, -f); }
}
""")
    count = 70_001
    r = wgslrun("run", kernel, "--impl", impl, "--bind", f"v=zeros:f32:{count * 4}", "--size", count,
                "--out", f"v={tmp_path / 'v.npy'}")
    assert r.code == 0, r.err
    f = np.arange(count, dtype=np.float32)
    assert np.array_equal(np.load(tmp_path / "v.npy"), np.stack([f, f * np.float32(0.5), -f], axis=1))


def test_source_of_a_partial_word_is_padded_in_the_staging(wgslrun, tmp_path):
    """13 bytes bound to a 12-byte struct: the buffer and its mapping are 16 bytes, the data is
    written as given and the output shows the 13 bytes the kernel left."""
    kernel = tmp_path / "struct.wgsl"
    kernel.write_text("""
struct S { a : u32, b : u32, c : u32 }
@group(0) @binding(0) var<storage, read_write> s : S;
@compute @workgroup_size(1) fn main() { s.a = s.a + 1u; s.c = s.b * 2u; }
""")
    data = np.arange(13, dtype=np.uint8) + 1
    np.save(tmp_path / "bytes.npy", data)
    r = wgslrun("run", kernel, "--bind", f"s={tmp_path / 'bytes.npy'}", "--grid", 1, "--out", f"s={tmp_path / 'out.bin'}")
    assert r.code == 0, r.err
    words = data[:12].view(np.uint32).copy()
    words[0] += 1
    words[2] = words[1] * 2
    assert (tmp_path / "out.bin").read_bytes() == words.tobytes() + data[12:].tobytes()


def short_npy(tmp_path):
    np.save(tmp_path / "full.npy", np.arange(N, dtype=np.uint32))
    whole = (tmp_path / "full.npy").read_bytes()
    return whole[: len(whole) - 1000]


def test_short_npy_file_is_refused_before_its_buffer(wgslrun, tmp_path, copy_kernel):
    short = tmp_path / "short.npy"
    short.write_bytes(short_npy(tmp_path))
    out = tmp_path / "out.npy"
    r = run_copy(wgslrun, copy_kernel, short, out, "dawn")
    assert r.code == FAILURE
    assert f"short.npy: truncated: header says {N * 4} bytes of data, file has {N * 4 - 1000}" in r.err, r.err
    assert list(tmp_path.glob("out.npy*")) == []


@pytest.mark.parametrize("impl", IMPLS)
def test_npy_pipe_ending_after_its_buffer_was_mapped(wgslrun, tmp_path, copy_kernel, impl):
    """Through a pipe the size is unknown: the buffer is created and mapped, the data runs
    short into the mapped staging, and the run ends with the message, the buffer destroyed
    while mapped, and no output."""
    content = short_npy(tmp_path)
    fifo = tmp_path / "pipe.npy"
    os.mkfifo(fifo)
    writer = threading.Thread(target=lambda: fifo.write_bytes(content))
    writer.start()
    out = tmp_path / "out.npy"
    r = run_copy(wgslrun, copy_kernel, fifo, out, impl)
    writer.join(timeout=60)
    assert r.code == FAILURE
    assert f"pipe.npy: truncated: header says {N * 4} bytes of data, file has {N * 4 - 1000}" in r.err, r.err
    assert list(tmp_path.glob("out.npy*")) == []
    assert "time over" not in r.out


def test_source_refused_by_the_binding_before_mapping(wgslrun, tmp_path, copy_kernel):
    np.save(tmp_path / "f.npy", np.zeros(N, dtype=np.float32))
    r = run_copy(wgslrun, copy_kernel, tmp_path / "f.npy", tmp_path / "out.npy", "dawn")
    assert r.code == FAILURE
    assert "binding 'src' is array<u32> (elements of u32) but --bind src=" in r.err and "holds f32" in r.err
    assert not (tmp_path / "out.npy").exists()
