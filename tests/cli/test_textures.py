"""`wgslrun run` with texture and sampler bindings: storage textures of every format from .npy,
PNG in and out (checked with Pillow), sampling with nearest (exact) and linear (tolerance)
filters against numpy references, on both implementations, and every bad texture input."""
import json

import numpy as np
import pytest
from PIL import Image

from conftest import IMPLS, SOURCE_DIR

BLUR = SOURCE_DIR / "examples" / "blur.wgsl"
USAGE, FAILURE = 2, 1

# format: (numpy dtype, channels, WGSL sample type, the kernel's function, its numpy reference)
FORMATS = {
    "r32float": (np.float32, 1, "f32", "v * 2.0 + 0.25", lambda a: a * np.float32(2) + np.float32(0.25)),
    "rgba32float": (np.float32, 4, "f32", "v * 2.0 + 0.25", lambda a: a * np.float32(2) + np.float32(0.25)),
    "rgba16float": (np.float16, 4, "f32", "v * 2.0 + 0.25",
                    lambda a: (a.astype(np.float32) * 2 + np.float32(0.25)).astype(np.float16)),
    "rgba8unorm": (np.uint8, 4, "f32", "vec4f(1.0) - v", lambda a: 255 - a),
    "r32uint": (np.uint32, 1, "u32", "v * 3u + 7u", lambda a: a * np.uint32(3) + np.uint32(7)),
    "r32sint": (np.int32, 1, "i32", "v * 3i + 7i", lambda a: (a.astype(np.int64) * 3 + 7).astype(np.int32)),
    "rgba32uint": (np.uint32, 4, "u32", "v * 3u + 7u", lambda a: a * np.uint32(3) + np.uint32(7)),
}


def map_kernel(tmp_path, src_type, dst_type, function="v"):
    path = tmp_path / "map.wgsl"
    path.write_text(
        f"@group(0) @binding(0) var src : {src_type};\n"
        f"@group(0) @binding(1) var dst : {dst_type};\n"
        "@compute @workgroup_size(8, 8)\n"
        "fn main(@builtin(global_invocation_id) id : vec3<u32>) {\n"
        "  let d = textureDimensions(dst);\n"
        "  if (id.x >= d.x || id.y >= d.y) { return; }\n"
        "  let v = textureLoad(src, vec2<i32>(id.xy), 0);\n"
        f"  textureStore(dst, vec2<i32>(id.xy), {function});\n"
        "}\n")
    return path


def random_texels(rng, dtype, shape):
    if np.issubdtype(dtype, np.floating):
        return rng.random(shape).astype(dtype)
    info = np.iinfo(dtype)
    return rng.integers(info.min, info.max, size=shape, endpoint=True, dtype=dtype)


def npy(tmp_path, name, array):
    path = tmp_path / name
    np.save(path, array)
    return path


# ---------------------------------------------------------------- working runs

@pytest.mark.parametrize("impl", IMPLS)
@pytest.mark.parametrize("fmt", FORMATS)
def test_storage_texture_from_npy(wgslrun, tmp_path, impl, fmt):
    dtype, channels, sample, function, reference = FORMATS[fmt]
    shape = (13, 37) if channels == 1 else (13, 37, channels)
    data = random_texels(np.random.default_rng(5), dtype, shape)
    kernel = map_kernel(tmp_path, f"texture_2d<{sample}>", f"texture_storage_2d<{fmt}, write>", function)
    with np.errstate(over="ignore"):
        want = reference(data)
    r = wgslrun("run", kernel, "--impl", impl, "--bind", f"src={npy(tmp_path, 'in.npy', data)}",
                "--bind", f"dst=zeros:{fmt}:13x37", "--size", "37,13", "--out", f"dst={tmp_path / 'out.npy'}")
    assert r.code == 0, r.err
    out = np.load(tmp_path / "out.npy")
    assert out.dtype == dtype and out.shape == shape
    if np.issubdtype(dtype, np.floating) and dtype != np.float16:
        np.testing.assert_allclose(out, want, rtol=1e-6)
    else:
        np.testing.assert_array_equal(out, want)
    assert f"dst: {np.dtype(dtype).name.replace('float', 'f').replace('uint', 'u').replace('int', 'i')}" in r.out


@pytest.mark.parametrize("impl", IMPLS)
def test_read_write_storage_texture_updates_in_place(wgslrun, tmp_path, impl):
    data = np.random.default_rng(2).random((9, 70)).astype(np.float32)
    kernel = tmp_path / "rw.wgsl"
    kernel.write_text(
        "@group(0) @binding(0) var img : texture_storage_2d<r32float, read_write>;\n"
        "@compute @workgroup_size(8, 8)\n"
        "fn main(@builtin(global_invocation_id) id : vec3<u32>) {\n"
        "  if (id.x >= 70u || id.y >= 9u) { return; }\n"
        "  let p = vec2<i32>(id.xy);\n"
        "  textureStore(img, p, textureLoad(img, p) * 3.0 - 1.0);\n"
        "}\n")
    r = wgslrun("run", kernel, "--impl", impl, "--bind", f"img={npy(tmp_path, 'in.npy', data)}", "--size", "70,9",
                "--out", f"img={tmp_path / 'out.npy'}")
    assert r.code == 0, r.err
    np.testing.assert_allclose(np.load(tmp_path / "out.npy"), data * np.float32(3) - np.float32(1), rtol=1e-6)


def tent_blur(image):
    """The blur example's reference: 1-2-1 weights in x and y, edges clamped."""
    padded = np.pad(image.astype(np.float64) / 255, ((1, 1), (1, 1), (0, 0)), mode="edge")
    rows = (padded[:-2] + 2 * padded[1:-1] + padded[2:]) / 4
    return (rows[:, :-2] + 2 * rows[:, 1:-1] + rows[:, 2:]) / 4


@pytest.mark.parametrize("impl", IMPLS)
def test_blur_example_png_in_png_out(wgslrun, tmp_path, impl):
    image = np.random.default_rng(11).integers(0, 256, size=(21, 34, 4), dtype=np.uint8)
    Image.fromarray(image, "RGBA").save(tmp_path / "photo.png")
    r = wgslrun("run", BLUR, "--impl", impl, "--bind", f"src={tmp_path / 'photo.png'}",
                "--bind", "dst=zeros:rgba8unorm:21x34", "--sampler", "smp=linear", "--size", "34,21",
                "--out", f"dst={tmp_path / 'blurred.png'}")
    assert r.code == 0, r.err
    out = np.asarray(Image.open(tmp_path / "blurred.png").convert("RGBA"))
    assert out.shape == image.shape
    # linear filtering weights carry 8 fractional bits on GPUs; unorm stores round
    np.testing.assert_allclose(out / 255, tent_blur(image), atol=2.5 / 255)


@pytest.mark.parametrize("impl", IMPLS)
@pytest.mark.parametrize("mode", ["RGBA", "RGB", "L"])
def test_png_round_trip(wgslrun, tmp_path, impl, mode):
    rng = np.random.default_rng(3)
    shape = (17, 45) if mode == "L" else (17, 45, len(mode))
    pixels = rng.integers(0, 256, size=shape, dtype=np.uint8)
    Image.fromarray(pixels, mode).save(tmp_path / "in.png")
    rgba = np.asarray(Image.open(tmp_path / "in.png").convert("RGBA"))
    kernel = map_kernel(tmp_path, "texture_2d<f32>", "texture_storage_2d<rgba8unorm, write>")
    r = wgslrun("run", kernel, "--impl", impl, "--bind", f"src={tmp_path / 'in.png'}",
                "--bind", "dst=zeros:rgba8unorm:17x45", "--size", "45,17",
                "--out", f"dst={tmp_path / 'out.png'}", "--out", f"src={tmp_path / 'src.npy'}")
    assert r.code == 0, r.err
    np.testing.assert_array_equal(np.asarray(Image.open(tmp_path / "out.png")), rgba)
    src = np.load(tmp_path / "src.npy")
    assert src.dtype == np.uint8 and src.shape == (17, 45, 4)
    np.testing.assert_array_equal(src, rgba)


@pytest.mark.parametrize("impl", IMPLS)
def test_npy_u8_round_trip(wgslrun, tmp_path, impl):
    data = np.random.default_rng(8).integers(0, 256, size=(5, 64, 4), dtype=np.uint8)
    kernel = map_kernel(tmp_path, "texture_2d<f32>", "texture_storage_2d<rgba8unorm, write>")
    r = wgslrun("run", kernel, "--impl", impl, "--bind", f"src={npy(tmp_path, 'in.npy', data)}",
                "--bind", "dst=zeros:rgba8unorm:5x64", "--size", "64,5", "--out", f"dst={tmp_path / 'out.npy'}")
    assert r.code == 0, r.err
    out = np.load(tmp_path / "out.npy")
    assert out.dtype == np.uint8
    np.testing.assert_array_equal(out, data)
    assert "dst: u8[5, 64, 4] = [" in r.out


SAMPLE = """@group(0) @binding(0) var tex : texture_2d<f32>;
@group(0) @binding(1) var smp : sampler;
@group(0) @binding(2) var<storage, read> uv : array<vec2f>;
@group(0) @binding(3) var<storage, read_write> result : array<vec4f>;
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) id : vec3<u32>) {
  if (id.x >= arrayLength(&uv)) { return; }
  result[id.x] = textureSampleLevel(tex, smp, uv[id.x], 0.0);
}
"""


def sample_points(rng, n, h, w):
    """Near texel centres, never on an edge; some outside [0, 1], where the address mode decides."""
    tx, ty = rng.integers(-w, 2 * w, n), rng.integers(-h, 2 * h, n)
    jitter = (rng.random((n, 2)) - 0.5) * 0.8
    return np.stack([(tx + 0.5 + jitter[:, 0]) / w, (ty + 0.5 + jitter[:, 1]) / h], axis=1).astype(np.float32)


def reference_sample(image, uv, filter_, address):
    h, w = image.shape[:2]
    fix = (lambda i, n: np.clip(i, 0, n - 1)) if address == "clamp" else (lambda i, n: np.mod(i, n))
    x, y = uv[:, 0].astype(np.float64) * w, uv[:, 1].astype(np.float64) * h
    texel = lambda xi, yi: image[fix(yi, h), fix(xi, w)].astype(np.float64)
    if filter_ == "nearest":
        return texel(np.floor(x).astype(int), np.floor(y).astype(int))
    x, y = x - 0.5, y - 0.5
    x0, y0 = np.floor(x).astype(int), np.floor(y).astype(int)
    fx, fy = (x - x0)[:, None], (y - y0)[:, None]
    top = texel(x0, y0) * (1 - fx) + texel(x0 + 1, y0) * fx
    bottom = texel(x0, y0 + 1) * (1 - fx) + texel(x0 + 1, y0 + 1) * fx
    return top * (1 - fy) + bottom * fy


@pytest.mark.parametrize("impl", IMPLS)
@pytest.mark.parametrize("sampler", ["nearest", "linear", "nearest,repeat", "linear,repeat", None])
def test_sampled_texture_matches_reference(wgslrun, tmp_path, impl, sampler):
    rng = np.random.default_rng(4)
    image = rng.random((7, 11, 4)).astype(np.float16)
    uv = sample_points(rng, 300, 7, 11)
    kernel = tmp_path / "sample.wgsl"
    kernel.write_text(SAMPLE)
    args = ["--sampler", f"smp={sampler}"] if sampler else []   # none given: nearest, clamp
    r = wgslrun("run", kernel, "--impl", impl, "--bind", f"tex={npy(tmp_path, 'img.npy', image)}",
                "--bind", f"uv={npy(tmp_path, 'uv.npy', uv)}", "--bind", "result=zeros:f32:1200", "--size", 300,
                "--out", f"result={tmp_path / 'out.npy'}", *args)
    assert r.code == 0, r.err
    filter_, _, address = (sampler or "nearest").partition(",")
    want = reference_sample(image, uv, filter_, address or "clamp")
    got = np.load(tmp_path / "out.npy").reshape(300, 4)
    np.testing.assert_allclose(got, want, atol=1e-6 if filter_ == "nearest" else 1.0 / 128)


# ---------------------------------------------------------------- bad input

def run_map(wgslrun, tmp_path, *binds, src="texture_2d<f32>", dst="texture_storage_2d<r32float, write>",
            function="v", impl="dawn", extra=()):
    kernel = map_kernel(tmp_path, src, dst, function)
    args = [a for b in binds for a in ("--bind", b)]
    return wgslrun("run", kernel, "--impl", impl, *args, "--size", "8,8", *extra)


def test_wrong_channel_count(wgslrun, tmp_path):
    data = npy(tmp_path, "d.npy", np.zeros((8, 8, 4), np.float32))
    r = run_map(wgslrun, tmp_path, "src=zeros:r32float:8x8", f"dst={data}")
    assert r.code == FAILURE
    assert (f"map.wgsl:2: binding 'dst' is texture_storage_2d<r32float, write> (1 channel) but --bind dst={data} "
            "has 4") in r.err


def test_wrong_dtype(wgslrun, tmp_path):
    data = npy(tmp_path, "d.npy", np.zeros((8, 8), np.uint8))
    r = run_map(wgslrun, tmp_path, "src=zeros:r32float:8x8", f"dst={data}")
    assert r.code == FAILURE
    assert (f"map.wgsl:2: binding 'dst' is texture_storage_2d<r32float, write> (texels of f32) but --bind "
            f"dst={data} holds u8") in r.err


def test_sampled_data_of_no_texture_format(wgslrun, tmp_path):
    data = npy(tmp_path, "d.npy", np.zeros((8, 8, 3), np.float32))
    r = run_map(wgslrun, tmp_path, f"src={data}", "dst=zeros:r32float:8x8", function="v")
    assert r.code == FAILURE
    assert "map.wgsl:1: binding 'src' (texture_2d<f32>): --bind src=" in r.err
    assert "holds 3 channels of f32, which is no texture format" in r.err


def test_sampled_type_mismatch(wgslrun, tmp_path):
    r = run_map(wgslrun, tmp_path, "src=zeros:r32uint:8x8", "dst=zeros:r32float:8x8")
    assert r.code == FAILURE
    assert ("map.wgsl:1: binding 'src' is texture_2d<f32> but --bind src=zeros:r32uint:8x8 is r32uint, which reads "
            "as u32") in r.err


@pytest.mark.parametrize("impl", IMPLS)
@pytest.mark.parametrize("fmt", ["rgba8unorm", "rgba16float", "rgba32float"])
def test_unsupported_read_write_access(wgslrun, tmp_path, impl, fmt):
    r = run_map(wgslrun, tmp_path, f"src=zeros:{fmt}:8x8", f"dst=zeros:{fmt}:8x8",
                dst=f"texture_storage_2d<{fmt}, read_write>", impl=impl)
    assert r.code == FAILURE
    assert (f"map.wgsl:2: error: binding 'dst' is texture_storage_2d<{fmt}, read_write>: the device refuses "
            f"read_write access to this format") in r.err
    assert f"{impl} says:" in r.err


@pytest.mark.parametrize("impl", IMPLS)
def test_unsupported_storage_format(wgslrun, tmp_path, impl):
    r = run_map(wgslrun, tmp_path, "src=zeros:rgba8unorm:8x8", "dst=zeros:rgba8unorm:8x8",
                dst="texture_storage_2d<bgra8unorm, write>", impl=impl)
    assert r.code == FAILURE
    assert ("map.wgsl:2: error: binding 'dst' is texture_storage_2d<bgra8unorm, write>: the device refuses this "
            "storage format (wgslrun's are r32float, r32uint, r32sint, rgba8unorm, rgba16float, rgba32float and "
            f"rgba32uint); {impl} says:") in r.err


@pytest.mark.parametrize("impl", IMPLS)
@pytest.mark.parametrize("fmt", ["r32float", "rgba32float"])
def test_unfilterable_texture_through_a_sampler(wgslrun, tmp_path, impl, fmt):
    kernel = tmp_path / "sample.wgsl"
    kernel.write_text(SAMPLE)
    r = wgslrun("run", kernel, "--impl", impl, "--bind", f"tex=zeros:{fmt}:4x4", "--bind", "uv=zeros:f32:2",
                "--bind", "result=zeros:f32:4", "--size", 1)
    assert r.code == FAILURE
    assert (f"kernel 'main': binding 'tex' (line 1, texture_2d<f32>): texture 'tex' is {fmt}, which cannot be "
            "sampled through a sampler (it is not filterable); read it with textureLoad") in r.err


def test_missing_bind_for_texture(wgslrun, tmp_path):
    r = run_map(wgslrun, tmp_path, "src=zeros:r32float:8x8")
    assert r.code == FAILURE
    assert "kernel 'main': binding 'dst' (@group(0) @binding(1), line 2) is not bound" in r.err


def test_texture_kinds_wgslrun_cannot_bind(wgslrun, tmp_path):
    kernel = tmp_path / "volume.wgsl"
    kernel.write_text("@group(0) @binding(0) var vol : texture_3d<f32>;\n"
                      "@group(0) @binding(1) var<storage, read_write> out : array<f32>;\n"
                      "@compute @workgroup_size(1) fn main() { out[0] = textureLoad(vol, vec3i(0), 0).x; }\n")
    r = wgslrun("run", kernel, "--bind", "out=zeros:f32:1", "--size", 1)
    assert r.code == FAILURE
    assert ("kernel 'main': binding 'vol' (line 1) is texture_3d<f32>: wgslrun binds buffers, texture_2d<T>, "
            "texture_storage_2d<F, A> and sampler only") in r.err
    r = wgslrun("run", kernel, "--bind", "out=zeros:f32:1", "--bind", "vol=zeros:f32:8", "--size", 1)
    assert r.code == FAILURE
    assert "binding 'vol' (line 1, texture_3d<f32>) is a kind of resource wgslrun cannot bind" in r.err


def test_png_that_is_not_an_image(wgslrun, tmp_path):
    (tmp_path / "text.png").write_text("not a picture\n")
    r = run_map(wgslrun, tmp_path, f"src={tmp_path / 'text.png'}", "dst=zeros:rgba8unorm:8x8",
                dst="texture_storage_2d<rgba8unorm, write>")
    assert r.code == FAILURE
    assert f"{tmp_path / 'text.png'}: not a readable PNG image:" in r.err


def test_truncated_png(wgslrun, tmp_path):
    Image.fromarray(np.random.default_rng(1).integers(0, 256, (32, 32, 4), dtype=np.uint8), "RGBA").save(
        tmp_path / "full.png")
    data = (tmp_path / "full.png").read_bytes()
    (tmp_path / "cut.png").write_bytes(data[: len(data) // 2])
    r = run_map(wgslrun, tmp_path, f"src={tmp_path / 'cut.png'}", "dst=zeros:rgba8unorm:8x8",
                dst="texture_storage_2d<rgba8unorm, write>")
    assert r.code == FAILURE
    assert f"{tmp_path / 'cut.png'}: corrupt or truncated PNG:" in r.err


def test_missing_png(wgslrun, tmp_path):
    r = run_map(wgslrun, tmp_path, f"src={tmp_path / 'absent.png'}", "dst=zeros:r32float:8x8")
    assert r.code == FAILURE
    assert f"{tmp_path / 'absent.png'}: not a readable PNG image:" in r.err


def test_png_output_of_a_float_texture_leaves_no_file(wgslrun, tmp_path):
    r = run_map(wgslrun, tmp_path, "src=zeros:r32float:8x8", "dst=zeros:r32float:8x8",
                extra=("--out", f"dst={tmp_path / 'out.png'}"))
    assert r.code == FAILURE
    assert "out.png: PNG output needs an rgba8unorm texture; write .npy for other formats" in r.err
    assert not any(tmp_path.glob("out.png*"))


def test_buffer_source_for_a_texture(wgslrun, tmp_path):
    r = run_map(wgslrun, tmp_path, "src=zeros:f32:64", "dst=zeros:r32float:8x8")
    assert r.code == FAILURE
    assert ("map.wgsl:1: binding 'src' is texture_2d<f32>, a texture: --bind it to FILE.png, FILE.npy (HxW or HxWxC), "
            "zeros:FORMAT:HxW or random:FORMAT:HxW[:SEED], not zeros:f32:64") in r.err


def test_one_dimensional_npy_for_a_texture(wgslrun, tmp_path):
    data = npy(tmp_path, "d.npy", np.zeros(64, np.float32))
    r = run_map(wgslrun, tmp_path, f"src={data}", "dst=zeros:r32float:8x8")
    assert r.code == FAILURE
    assert "has 1 dimensions; a texture needs HxW or HxWxC" in r.err


def test_texture_source_for_a_buffer(wgslrun, tmp_path):
    r = wgslrun("run", SOURCE_DIR / "examples" / "saxpy.wgsl", "--bind", "x=zeros:r32float:4x4",
                "--bind", "y=zeros:f32:16", "--bind", "params=values:f32:1", "--size", 16)
    assert r.code == FAILURE
    assert "binding 'x' is array<f32>, a buffer: --bind x=zeros:r32float:4x4 is a texture source" in r.err


def test_sampler_errors(wgslrun, tmp_path):
    kernel = tmp_path / "sample.wgsl"
    kernel.write_text(SAMPLE)
    base = ["run", kernel, "--bind", "tex=zeros:rgba8unorm:4x4", "--bind", "uv=zeros:f32:2",
            "--bind", "result=zeros:f32:4", "--size", 1]
    r = wgslrun(*base, "--sampler", "smp=cubic")
    assert r.code == USAGE and "--sampler smp: 'cubic' is not linear|nearest[,repeat|clamp]" in r.err
    r = wgslrun(*base, "--sampler", "smp=linear,mirror")
    assert r.code == USAGE and "'linear,mirror' is not linear|nearest[,repeat|clamp]" in r.err
    r = wgslrun(*base, "--sampler", "nothing")
    assert r.code == USAGE and "--sampler 'nothing' is not NAME=linear|nearest[,repeat|clamp]" in r.err
    r = wgslrun(*base, "--sampler", "tex=linear")
    assert r.code == FAILURE and "sample.wgsl:1: --sampler tex: binding 'tex' is texture_2d<f32>, not a sampler" in r.err
    r = wgslrun(*base, "--bind", "smp=zeros:f32:4")
    assert r.code == FAILURE
    assert "sample.wgsl:2: binding 'smp' is a sampler: give --sampler smp=linear|nearest[,repeat|clamp]" in r.err


@pytest.mark.parametrize("spec, message", [
    ("zeros:r32float:8y8", "'zeros:r32float:8y8': size '8y8' is not HxW (1 to 65536 each)"),
    ("zeros:r32float:0x8", "size '0x8' is not HxW"),
    ("zeros:r32float:8x8:1", "'zeros:r32float:8x8:1' is not zeros:, iota:, random:FORMAT:HxW[:SEED]"),
    ("fill:r32float:8x8", "is not zeros:, iota:, random:FORMAT:HxW[:SEED] or fill:FORMAT:HxW:VALUE"),
    ("random:r32float:8x8:x", "seed 'x' is not an integer"),
])
def test_bad_texture_generators(wgslrun, tmp_path, spec, message):
    r = run_map(wgslrun, tmp_path, f"src={spec}", "dst=zeros:r32float:8x8")
    assert r.code == USAGE
    assert message in r.err


def test_generators_fill_textures(wgslrun, tmp_path):
    kernel = map_kernel(tmp_path, "texture_2d<f32>", "texture_storage_2d<rgba32float, write>")
    r = wgslrun("run", kernel, "--bind", "src=fill:rgba32float:3x5:2.5", "--bind", "dst=iota:rgba32float:3x5",
                "--size", "5,3", "--out", f"dst={tmp_path / 'fill.npy'}")
    assert r.code == 0, r.err
    np.testing.assert_array_equal(np.load(tmp_path / "fill.npy"), np.full((3, 5, 4), 2.5, np.float32))
    r = wgslrun("run", kernel, "--bind", "src=random:rgba32float:3x5:9", "--bind", "dst=zeros:rgba32float:3x5",
                "--size", "5,3", "--out", f"dst={tmp_path / 'a.npy'}", "--out", f"src={tmp_path / 'b.npy'}")
    assert r.code == 0, r.err
    a = np.load(tmp_path / "a.npy")
    r = wgslrun("run", kernel, "--bind", "src=random:rgba32float:3x5:9", "--bind", "dst=zeros:rgba32float:3x5",
                "--size", "5,3", "--json")
    assert r.code == 0, r.err
    [dst] = json.loads(r.out)["outputs"]
    assert dst["name"] == "dst" and dst["dtype"] == "f32" and dst["shape"] == [3, 5, 4]
    assert dst["sum"] == pytest.approx(float(a.astype(np.float64).sum()), rel=1e-9)
    np.testing.assert_array_equal(a, np.load(tmp_path / "b.npy"))
    assert a.min() >= 0 and a.max() < 1 and len(np.unique(a)) == a.size
