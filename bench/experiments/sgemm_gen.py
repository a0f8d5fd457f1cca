#!/usr/bin/env python3
"""Generates the register-tiled WGSL SGEMM (entry point `sgemm_tiled`) for one tile shape.

WGSL has no unroll pragma, and `override` constants cannot size workgroup arrays on every
implementation, so each shape is written out from this one template: named accumulators (no
function-scope arrays, which a driver may leave in local memory), a hand-unrolled k loop, and
literal sizes everywhere.

  sgemm_gen.py --suite-kernel            print bench/kernels/sgemm.wgsl (sgemm_naive + the default)
  sgemm_gen.py --check [FILE]            fail unless FILE (default: bench/kernels/sgemm.wgsl and
                                         sgemm_subgroups.wgsl) is up to date
  sgemm_gen.py --subgroups-kernel        print bench/kernels/sgemm_subgroups.wgsl
  sgemm_gen.py --shape 128x64x16_8x8_s2  print sgemm_tiled of one shape (BMxBNxBK_TMxTN, then
                                         _s2: two workgroup buffers, _loop: k loop not unrolled,
                                         _bc: coalesced loads of b, _wX: warps X invocations wide,
                                         _sg: a shared by subgroup shuffles)
  sgemm_gen.py --sweep DIR               write DIR/suite.json, DIR/cuda_suite.json and one kernel
                                         per variant of SWEEP

The sweep suite has one `sgemm_tiled` case per variant (the variant is the shape's name), run by
`wgslrun bench --suite DIR/suite.json` like the real suite; scripts/device/sgemm_sweep.sh runs it.
"""
import argparse
import json
import os
import re
import shutil
import sys
from dataclasses import dataclass

HERE = os.path.dirname(os.path.abspath(__file__))
SUITE_KERNEL = os.path.join(HERE, "..", "kernels", "sgemm.wgsl")
SUBGROUPS_KERNEL = os.path.join(HERE, "..", "kernels", "sgemm_subgroups.wgsl")
# WebGPU's default limits, which browsers give a page unless it asks for more.
DEFAULT_WORKGROUP_STORAGE = 16384
MAX_INVOCATIONS = 256
# What SwiftShader and Dawn's limit tiers offer natively; the sweep's shapes stay within it.
MAX_WORKGROUP_STORAGE = 32768


@dataclass(frozen=True)
class Shape:
    bm: int          # rows of c per workgroup
    bn: int          # columns of c per workgroup
    bk: int          # k per workgroup-memory tile
    tm: int          # rows per invocation (multiple of 4)
    tn: int          # columns per invocation (multiple of 4)
    stages: int = 1  # workgroup-memory buffers: 2 overlaps storing the next tile with computing
    unroll: bool = True
    # b's tile loaded one float per invocation and load (a warp reads 128 consecutive bytes per
    # load) instead of 4 consecutive floats per invocation (512 bytes, each line read 4 times).
    b_coalesced: bool = False
    # Invocations of a warp side by side in x (0: a whole row of the workgroup's grid, up to 32).
    # 8 makes a warp 8 x 4: per k it reads 8 + 4 distinct vec4s of workgroup memory, not 16 + 2.
    warp_x: int = 0
    # Subgroups (the `subgroups` feature, entry still sgemm_tiled): each 4 neighbouring lanes of
    # a subgroup read a quarter of their shared a fragments from workgroup memory and pass them
    # round by subgroupShuffle, instead of each lane reading all of them.
    subgroups: bool = False

    @property
    def name(self):
        s = f"{self.bm}x{self.bn}x{self.bk}_{self.tm}x{self.tn}"
        if self.stages != 1:
            s += f"_s{self.stages}"
        if not self.unroll:
            s += "_loop"
        if self.b_coalesced:
            s += "_bc"
        if self.warp_x:
            s += f"_w{self.warp_x}"
        if self.subgroups:
            s += "_sg"
        return s

    @property
    def grid_x(self):
        return self.bn // self.tn

    @property
    def warp_width(self):
        return self.warp_x or min(self.grid_x, 32)

    @property
    def threads(self):
        return (self.bm // self.tm) * (self.bn // self.tn)

    @property
    def a_stride(self):
        # vec4s per k in a_tile: BM/4 plus one of padding, so the transposing stores of a
        # quarter-warp (8 invocations, 8 different k) fall in different banks.
        return self.bm // 4 + 1

    @property
    def a_size(self):
        return self.bk * self.a_stride

    @property
    def b_size(self):
        return self.bk * self.bn // 4

    @property
    def b_per_load(self):
        return 1 if self.b_coalesced else 4

    @property
    def b_loads(self):
        return self.bk * self.bn // (self.b_per_load * self.threads)

    @property
    def workgroup_bytes(self):
        return 16 * self.stages * (self.a_size + self.b_size)

    def problems(self):
        t = self.threads
        checks = [
            (self.tm % 4 == 0 and self.tn % 4 == 0, "tm and tn must be multiples of 4"),
            (self.bm % self.tm == 0 and self.bn % self.tn == 0, "bm, bn must be multiples of tm, tn"),
            (t <= MAX_INVOCATIONS, f"{t} invocations per workgroup, more than {MAX_INVOCATIONS}"),
            (self.bm * self.bk % (4 * t) == 0, "each invocation must load whole vec4s of a's tile"),
            (t % self.bk == 0, "invocations must be a multiple of bk (a loader keeps one k)"),
            (self.bk * self.bn % (self.b_per_load * t) == 0, "each invocation must load the same share of b"),
            (t % (self.bn // self.b_per_load) == 0, "invocations must be a multiple of b's loaders per row"),
            (self.workgroup_bytes <= MAX_WORKGROUP_STORAGE, f"over {MAX_WORKGROUP_STORAGE} bytes of workgroup memory"),
            (self.stages in (1, 2), "stages must be 1 or 2"),
            (self.grid_x % self.warp_width == 0 and 32 % self.warp_width == 0 and t % 32 == 0
             and (self.bm // self.tm) % (32 // self.warp_width) == 0,
             "a warp must tile the invocation grid (warp_x divides 32 and bn / tn)"),
            (not self.subgroups or (self.stages == 1 and self.unroll and not self.warp_x and self.bk % 4 == 0
                                    and self.grid_x % 4 == 0),
             "_sg needs one stage, the k loop unrolled, no _wX, bk and bn / tn multiples of 4"),
        ]
        return [why for ok, why in checks if not ok]


DEFAULT = Shape(128, 128, 8, 8, 8)
SUBGROUPS = Shape(128, 128, 8, 8, 8, subgroups=True)  # bench/kernels/sgemm_subgroups.wgsl

# The sweep: the default and its neighbours, each changing one or two things, most promising first
# (the device script skips the tail when its time budget runs out; the baseline comes second).
# Every one of them is 2 n^3 flops at n = 8192 in ~20-60 ms.
SWEEP = [
    DEFAULT,
    Shape(128, 128, 8, 8, 8, stages=2),
    Shape(128, 128, 8, 8, 8, b_coalesced=True),
    Shape(128, 128, 8, 8, 8, warp_x=8),
    Shape(128, 128, 8, 8, 8, stages=2, b_coalesced=True, warp_x=8),
    Shape(128, 128, 8, 8, 8, stages=2, b_coalesced=True),
    Shape(128, 128, 16, 8, 8),
    Shape(128, 64, 8, 8, 8),
    Shape(64, 128, 8, 8, 8),
    Shape(128, 64, 16, 8, 8),
    Shape(128, 128, 8, 8, 8, unroll=False),
    Shape(128, 128, 8, 8, 8, stages=2, unroll=False),
    Shape(64, 64, 16, 4, 4),
]


class Writer:
    def __init__(self):
        self.lines = []
        self.depth = 0

    def __call__(self, text=""):
        self.lines.append(("    " * self.depth + text) if text else "")

    def block(self, head, body):
        self(f"{head} {{" if head else "{")
        self.depth += 1
        body()
        self.depth -= 1
        self("}")

    def text(self):
        return "\n".join(self.lines) + "\n"


def u(x):
    return f"{x}u"


def emit_loads(w, s, assign):
    """The next tile's global loads into a_next_i / b_next_i (declared when assign is 'var')."""
    t = s.threads
    for i in range(s.bm * s.bk // (4 * t)):
        step = f" + {u(i * 4 * t // s.bk)} * n" if i else ""
        w(f"{assign}a_next_{i} = load_a_column(a_index{step}, n);")
    for i in range(s.b_loads):
        step = f" + {u(i * s.b_per_load * t // s.bn)} * n" if i else ""
        load = f"b[b_index{step}]" if s.b_coalesced else f"load_b_row(b_index{step})"
        w(f"{assign}b_next_{i} = {load};")


def emit_stores(w, s, base_a, base_b):
    t = s.threads
    for i in range(s.bm * s.bk // (4 * t)):
        w(f"a_tile[{index(base_a, 'a_k', s.a_stride, 'a_r', i * t // s.bk)}] = a_next_{i};")
    for i in range(s.b_loads):
        if s.b_coalesced:
            w(f"b_tile[{index(base_b, 0, 0, 'local / 4u', i * t // 4)}][local % 4u] = b_next_{i};")
        else:
            w(f"b_tile[{index(base_b, 0, 0, 'local', i * t)}] = b_next_{i};")


def index(base, k, stride, var, offset):
    """base + k * stride + var + offset, with the constant part folded when k is a number."""
    if isinstance(k, int):
        const = k * stride + offset
        return f"{base}{var}" + (f" + {u(const)}" if const else "")
    return f"{base}{k} * {u(stride)} + {var}" + (f" + {u(offset)}" if offset else "")


def emit_step(w, s, k, base_a, base_b):
    """One k: TM/4 vec4s of a's column, TN/4 of b's row, TM * TN / 4 vec4 FMAs."""
    for i in range(s.tm // 4):
        w(f"let a{i} = a_tile[{index(base_a, k, s.a_stride, 'ty', i * s.bm // s.tm)}];")
    for j in range(s.tn // 4):
        w(f"let b{j} = b_tile[{index(base_b, k, s.bn // 4, 'tx', j * s.bn // s.tn)}];")
    for r in range(s.tm):
        for j in range(s.tn // 4):
            w(f"acc_{r}_{j} = fma(vec4f(a{r // 4}.{'xyzw'[r % 4]}), b{j}, acc_{r}_{j});")


def emit_shuffled_step(w, s, k):
    """One k with a's vec4s from lane k % 4 of the invocation's 4-lane cluster."""
    for i in range(s.tm // 4):
        w(f"let a{i} = subgroupShuffle(own_a_{i}_{k // 4}, cluster + {u(k % 4)});")
    for j in range(s.tn // 4):
        w(f"let b{j} = b_tile[{index('', k, s.bn // 4, 'tx', j * s.bn // s.tn)}];")
    for r in range(s.tm):
        for j in range(s.tn // 4):
            w(f"acc_{r}_{j} = fma(vec4f(a{r // 4}.{'xyzw'[r % 4]}), b{j}, acc_{r}_{j});")


def emit_shuffled_product(w, s):
    """Lane q of a cluster reads a's vec4s of the k = 4h + q, h < bk / 4; all lanes of the
    cluster share ty, so they need the same ones."""
    for h in range(s.bk // 4):
        for i in range(s.tm // 4):
            w(f"let own_a_{i}_{h} = a_tile[({u(4 * h)} + quad) * {u(s.a_stride)} + ty"
              + (f" + {u(i * s.bm // s.tm)}" if i else "") + "];")
    for k in range(s.bk):
        w.block("", lambda k=k: emit_shuffled_step(w, s, k))


def emit_tile_product(w, s, base_a, base_b):
    if s.subgroups:
        w.block("if (shuffles)", lambda: emit_shuffled_product(w, s))

        def plain():
            for k in range(s.bk):
                w.block("", lambda k=k: emit_step(w, s, k, base_a, base_b))
        w.block("else", plain)
        return
    if s.unroll:
        for k in range(s.bk):
            w.block("", lambda k=k: emit_step(w, s, k, base_a, base_b))
    else:
        w.block(f"for (var k = 0u; k < {u(s.bk)}; k++)", lambda: emit_step(w, s, "k", base_a, base_b))


def emit_loop(w, s):
    next_tile = f"k0 + {u(s.bk)} < n"

    def advance():
        w(f"a_index += {u(s.bk)};")
        w(f"b_index += {u(s.bk)} * n;")
        emit_loads(w, s, "")

    if s.stages == 1:
        def body():
            emit_stores(w, s, "", "")
            w("workgroupBarrier();")
            w("// The next tile's global loads are issued now and land while this one is multiplied.")
            w.block(f"if ({next_tile})", advance)
            emit_tile_product(w, s, "", "")
            w("workgroupBarrier();")
    else:
        def body():
            w(f"let a_base = stage * {u(s.a_size)};")
            w(f"let b_base = stage * {u(s.b_size)};")
            w.block(f"if ({next_tile})", advance)
            emit_tile_product(w, s, "a_base + ", "b_base + ")

            def store_other():
                w("stage = 1u - stage;")
                emit_stores(w, s, f"stage * {u(s.a_size)} + ", f"stage * {u(s.b_size)} + ")
            w("// The other buffer was last read before the previous barrier: fill it now.")
            w.block(f"if ({next_tile})", store_other)
            w("workgroupBarrier();")
        emit_stores(w, s, "", "")
        w("var stage = 0u;")
        w("workgroupBarrier();")
    w.block(f"for (var k0 = 0u; k0 < n; k0 += {u(s.bk)})", body)


def emit_ranks(w):
    """Computing roles by rank, not local_invocation_index, whose mapping to subgroups WebGPU
    leaves open: a subgroup's active lanes take consecutive ranks from a workgroup counter.
    The shuffles need every subgroup full and a multiple of 4 lanes (then rank % 4 is lane % 4
    and a cluster's 4 ranks are 4 neighbouring lanes); otherwise the workgroup reads a from
    workgroup memory like sgemm.wgsl, still by rank. The counters are zeroed here, not left to
    WGSL's zero-initialized workgroup memory: wgpu-native on SwiftShader hands a workgroup the
    previous one's values."""
    w.block("if (local == 0u)", lambda: (w("atomicStore(&rank_base, 0u);"), w("atomicStore(&irregular, 0u);")))
    w("workgroupBarrier();")
    w("let members = subgroupAdd(1u);")
    w("let rank_in_subgroup = subgroupExclusiveAdd(1u);")
    w("var first = 0u;")
    w.block("if (rank_in_subgroup == 0u)", lambda: w("first = atomicAdd(&rank_base, members);"))
    w.block("if (members != lanes || members % 4u != 0u || rank_in_subgroup != lane)",
            lambda: w("atomicOr(&irregular, 1u);"))
    w("let rank = subgroupBroadcastFirst(first) + rank_in_subgroup;")
    w("let shuffles = workgroupUniformLoad(&irregular) == 0u;")


def emit_kernel(w, s):
    t = s.threads
    w(f"// sgemm_tiled, {s.name}: a {s.bm} x {s.bn} tile of c per workgroup of {t}, {s.tm} x {s.tn}")
    w(f"// outputs per invocation, k in steps of {s.bk} through workgroup memory"
      f"{' (two buffers)' if s.stages == 2 else ''}; dispatch (n/{s.bn}, n/{s.bm}, 1).")
    w(f"// a_tile[k * {s.a_stride} + r] holds a[4r .. 4r+3][k] of the current tile (a transposed, padded);")
    w(f"// b_tile[k * {s.bn // 4} + q] holds b[k][4q .. 4q+3]. {s.workgroup_bytes} bytes of workgroup memory.")
    w(f"var<workgroup> a_tile: array<vec4f, {s.stages * s.a_size}>;")
    if s.subgroups:
        w("var<workgroup> rank_base: atomic<u32>;")
        w("var<workgroup> irregular: atomic<u32>;")
    w(f"var<workgroup> b_tile: array<vec4f, {s.stages * s.b_size}>;")
    w()
    w.block("fn load_a_column(index: u32, n: u32) -> vec4f",
            lambda: w("return vec4f(a[index], a[index + n], a[index + 2u * n], a[index + 3u * n]);"))
    w()
    w.block("fn load_b_row(index: u32) -> vec4f",
            lambda: w("return vec4f(b[index], b[index + 1u], b[index + 2u], b[index + 3u]);"))
    w()

    def store_c():
        w("c[index] = value.x;")
        w("c[index + 1u] = value.y;")
        w("c[index + 2u] = value.z;")
        w("c[index + 3u] = value.w;")
    w.block("fn store_c_row(index: u32, value: vec4f)", store_c)
    w()
    w(f"@compute @workgroup_size({t})")

    def body():
        w("let n = params.n;")
        w(f"let row0 = group.y * {u(s.bm)};")
        w(f"let col0 = group.x * {u(s.bn)};")
        w(f"// Loading: `local` fetches 4 rows of a at one k ({s.bk} neighbours read {s.bk} consecutive")
        w("// floats of a row) and " + ("one float of a row of b (a warp reads 32 consecutive ones)."
                                        if s.b_coalesced else "4 consecutive floats of one row of b."))
        w(f"let a_k = local % {u(s.bk)};")
        w(f"let a_r = local / {u(s.bk)};")
        w(f"var a_index = (row0 + 4u * a_r) * n + a_k;")
        if s.b_coalesced:
            w(f"var b_index = (local / {u(s.bn)}) * n + col0 + local % {u(s.bn)};")
        else:
            w(f"var b_index = (local / {u(s.bn // 4)}) * n + col0 + 4u * (local % {u(s.bn // 4)});")
        w("// Computing: (tx, ty) owns the vec4s tx + j * (BN / TN) of b's row and ty + i * (BM / TM) of")
        w("// a's column, so neighbouring invocations read neighbouring vec4s (no bank conflicts).")
        if s.subgroups:
            emit_ranks(w)
            w(f"let tx = rank % {u(s.grid_x)};")
            w(f"let ty = rank / {u(s.grid_x)};")
            w("let quad = rank % 4u;")
            w("let cluster = lane - quad;")
        elif s.warp_width == s.grid_x:
            w(f"let tx = local % {u(s.grid_x)};")
            w(f"let ty = local / {u(s.grid_x)};")
        else:
            wx, per_row = s.warp_width, s.grid_x // s.warp_width
            w(f"// A warp covers {wx} x {32 // wx} invocations.")
            w(f"let tx = (local / 32u) % {u(per_row)} * {u(wx)} + local % {u(wx)};")
            w(f"let ty = (local / 32u) / {u(per_row)} * {u(32 // wx)} + (local % 32u) / {u(wx)};")
        for r in range(s.tm):
            w(" ".join(f"var acc_{r}_{j} = vec4f(0.0);" for j in range(s.tn // 4)))
        emit_loads(w, s, "var ")
        emit_loop(w, s)
        for r in range(s.tm):
            row = f"(row0 + {index('4u * ', 0, 0, 'ty', r // 4 * s.bm // s.tm * 4 + r % 4)}) * n"
            for j in range(s.tn // 4):
                col = index("col0 + 4u * ", 0, 0, "tx", j * s.bn // s.tn * 4)
                w(f"store_c_row({row} + {col}, acc_{r}_{j});")
    head = "fn sgemm_tiled(@builtin(local_invocation_index) local: u32, @builtin(workgroup_id) group: vec3u"
    if s.subgroups:
        head += ",\n               @builtin(subgroup_invocation_id) lane: u32, @builtin(subgroup_size) lanes: u32"
    w.block(head + ")", body)


HEADER = """// Single-precision matrix product c = a b of row-major n x n matrices.
//   sgemm_naive: one output per invocation, workgroups of (16, 16); dispatch (n/16, n/16, 1).
//   sgemm_tiled: register-tiled, shape below; n a multiple of the tile (suite.json: tile_rows,
//                tile_cols).
// Bindings (@group(0)): 0 a, 1 b (array<f32>, read), 2 c (array<f32>, read_write),
// 3 params (uniform).
"""

BINDINGS = """struct Params {
    n: u32,
}

@group(0) @binding(0) var<storage, read> a: array<f32>;
@group(0) @binding(1) var<storage, read> b: array<f32>;
@group(0) @binding(2) var<storage, read_write> c: array<f32>;
@group(0) @binding(3) var<uniform> params: Params;
"""

SUBGROUPS_HEADER = """// Single-precision matrix product c = a b of row-major n x n matrices, as sgemm.wgsl's
// sgemm_tiled (same bindings, tile and dispatch), with a's fragments shared through subgroup
// shuffles. Needs the `subgroups` feature; correct for any subgroup size (see the ranks below).
"""

NAIVE = """@compute @workgroup_size(16, 16)
fn sgemm_naive(@builtin(global_invocation_id) id: vec3u) {
    let n = params.n;
    let row = id.y;
    let col = id.x;
    if (row >= n || col >= n) {
        return;
    }
    var sum = 0.0;
    for (var k = 0u; k < n; k++) {
        sum += a[row * n + k] * b[k * n + col];
    }
    c[row * n + col] = sum;
}
"""


def kernel_text(s, with_naive):
    problems = s.problems()
    if problems:
        raise ValueError(f"{s.name}: " + "; ".join(problems))
    w = Writer()
    emit_kernel(w, s)
    generated = "// Generated by bench/experiments/sgemm_gen.py: edit the generator, not this file.\n"
    parts = [HEADER, generated, BINDINGS]
    if s.subgroups:
        parts = [SUBGROUPS_HEADER, "enable subgroups;\n", generated, BINDINGS]
    if with_naive:
        parts.append(NAIVE)
    return "\n".join(parts) + "\n" + w.text()


# The suite's kernel before this generator (64x64 tiles, 4x4 per invocation, k step 16), kept
# so that a sweep shows the old numbers beside the new ones from the same command.
BASELINE = ("baseline_64x64x16_4x4", os.path.join(HERE, "sgemm_baseline.wgsl"), 64, 64)


def suite_rules():
    """bench/suite.json's sgemm_tiled verification and metric, so the sweep's are the suite's."""
    with open(os.path.join(HERE, "..", "suite.json")) as f:
        case = next(c for c in json.load(f)["cases"] if c["id"] == "sgemm_tiled")
    return {"verify": case["verify"], "metric": case["metric"]}


def sweep_case(name, kernel, rows, cols, sizes):
    tile = {"tile_rows": rows, "tile_cols": cols}
    return {
        "id": "sgemm_tiled", "class": "compute", "tag": name,
        "title": f"SGEMM f32, sgemm_tiled {name}",
        "kernel": kernel, "entries": ["sgemm_tiled"],
        "sizes": {"small": {"n": 256, **tile}, "large": {"n": sizes, **tile}},
        "inner": {"small": 1, "large": 2},
        **suite_rules(),
    }


def sweep_suite(sizes):
    cases = [sweep_case(s.name, f"sgemm_{s.name}.wgsl", s.bm, s.bn, sizes) for s in SWEEP]
    name, path, rows, cols = BASELINE
    cases.insert(1, sweep_case(name, os.path.basename(path), rows, cols, sizes))
    return {
        "schema": "wgslrun-suite/1",
        "description": "sgemm_tiled tile-shape sweep, written by bench/experiments/sgemm_gen.py --sweep",
        "timing": {"small": {"warmup": 1, "samples": 2}, "large": {"warmup": 3, "samples": 10}},
        "cases": cases,
    }


def write_sweep(directory, sizes):
    os.makedirs(directory, exist_ok=True)
    for s in SWEEP:
        with open(os.path.join(directory, f"sgemm_{s.name}.wgsl"), "w") as f:
            f.write(kernel_text(s, with_naive=False))
    shutil.copy(BASELINE[1], directory)
    write_json(os.path.join(directory, "suite.json"), sweep_suite(sizes))
    write_json(os.path.join(directory, "cuda_suite.json"), cuda_suite(sizes))


def cuda_suite(sizes):
    """bench_cuda's sgemm_tiled (its own kernel and cuBLAS) at each sweep size: one case per size,
    since the CUDA runner takes no list-valued n."""
    cases = []
    for n in sizes:
        case = sweep_case("cuda", None, 64, 64, n)
        del case["tag"], case["kernel"]
        cases.append(case)
    suite = sweep_suite(sizes)
    suite.update(description="cuBLAS and the CUDA tiled kernel at the sizes of the sgemm_tiled sweep", cases=cases)
    return suite


def write_json(path, value):
    with open(path, "w") as f:
        json.dump(value, f, indent=1)
        f.write("\n")


def parse_shape(name):
    """The inverse of Shape.name; ValueError naming the problem."""
    m = re.fullmatch(r"(\d+)x(\d+)x(\d+)_(\d+)x(\d+)((?:_s2|_loop|_bc)*)(?:_w(\d+))?(_sg)?", name)
    if not m:
        raise ValueError(f"'{name}' is not BMxBNxBK_TMxTN[_s2][_loop][_bc][_wX][_sg]")
    flags = m.group(6)
    shape = Shape(*map(int, m.groups()[:5]), stages=2 if "_s2" in flags else 1,
                  unroll="_loop" not in flags, b_coalesced="_bc" in flags, warp_x=int(m.group(7) or 0),
                  subgroups=m.group(8) is not None)
    if shape.name != name:
        raise ValueError(f"'{name}': write the flags once each, in the order _s2_loop_bc_wX_sg")
    return shape


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    g = p.add_mutually_exclusive_group(required=True)
    g.add_argument("--suite-kernel", action="store_true", help="print the suite's sgemm.wgsl")
    g.add_argument("--subgroups-kernel", action="store_true", help="print the suite's sgemm_subgroups.wgsl")
    g.add_argument("--check", nargs="?", const="", metavar="FILE",
                   help="fail unless FILE (default bench/kernels/sgemm.wgsl and sgemm_subgroups.wgsl) is current")
    g.add_argument("--shape", help="print the sgemm_tiled kernel of one shape")
    g.add_argument("--sweep", metavar="DIR", help="write the sweep suite and kernels into DIR")
    p.add_argument("--sizes", default="4096,8192", help="large sizes of the sweep (default 4096,8192)")
    args = p.parse_args()
    if args.suite_kernel:
        sys.stdout.write(kernel_text(DEFAULT, with_naive=True))
    elif args.subgroups_kernel:
        sys.stdout.write(kernel_text(SUBGROUPS, with_naive=False))
    elif args.shape:
        try:
            sys.stdout.write(kernel_text(parse_shape(args.shape), with_naive=False))
        except ValueError as e:
            p.error(str(e))
    elif args.check is not None:
        checks = [(args.check, DEFAULT, True, "--suite-kernel")] if args.check else [
            (SUITE_KERNEL, DEFAULT, True, "--suite-kernel"), (SUBGROUPS_KERNEL, SUBGROUPS, False, "--subgroups-kernel")]
        for path, shape, with_naive, option in checks:
            with open(path) as f:
                if f.read() != kernel_text(shape, with_naive=with_naive):
                    sys.exit(f"{path} differs from sgemm_gen.py {option}: regenerate it")
    else:
        tile = max(max(s.bm, s.bn) for s in SWEEP)
        try:
            sizes = [int(x) for x in args.sizes.split(",")]
        except ValueError:
            sizes = []
        if not sizes or any(n <= 0 or n % tile for n in sizes):
            p.error(f"--sizes '{args.sizes}': give positive multiples of {tile}, comma-separated")
        write_sweep(args.sweep, sizes)


if __name__ == "__main__":
    main()
