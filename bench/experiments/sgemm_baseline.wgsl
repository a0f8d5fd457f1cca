// The suite's SGEMM kernels before bench/experiments/sgemm_gen.py, kept as the sweep's baseline
// (scripts/device/sgemm_sweep.sh): on the H200 sgemm_tiled ran 24.3 TFLOP/s on wgpu-native, ~29 on Dawn.
//
// Single-precision matrix product c = a b of row-major n x n matrices (sgemm_naive left out).
//   sgemm_tiled: a 64 x 64 tile of c per workgroup of (16, 16), 4 x 4 outputs per invocation,
//                k in steps of 16 staged through workgroup memory; dispatch (n/64, n/64, 1),
//                n a multiple of 64.
// Bindings (@group(0)): 0 a, 1 b (array<f32>, read), 2 c (array<f32>, read_write),
// 3 params (uniform).

struct Params {
    n: u32,
}

@group(0) @binding(0) var<storage, read> a: array<f32>;
@group(0) @binding(1) var<storage, read> b: array<f32>;
@group(0) @binding(2) var<storage, read_write> c: array<f32>;
@group(0) @binding(3) var<uniform> params: Params;

const TILE = 64u;
const TILE_K = 16u;
const A_ROW_STRIDE = 17u;   // vec4s per k in a_tile: 16 used plus one of padding

// a_tile[k * A_ROW_STRIDE + r] holds a[4r .. 4r+3][k] of the current tile; the padding puts
// the transposing stores of one quarter-warp in different banks.
// b_tile[k * 16 + q] holds b[k][4q .. 4q+3].
var<workgroup> a_tile: array<vec4f, 272>;   // TILE_K * A_ROW_STRIDE
var<workgroup> b_tile: array<vec4f, 256>;   // TILE_K * TILE / 4

fn load_a_column(index: u32, n: u32) -> vec4f {
    return vec4f(a[index], a[index + n], a[index + 2u * n], a[index + 3u * n]);
}

fn load_b_row(index: u32) -> vec4f {
    return vec4f(b[index], b[index + 1u], b[index + 2u], b[index + 3u]);
}

fn store_c_row(index: u32, value: vec4f) {
    c[index] = value.x;
    c[index + 1u] = value.y;
    c[index + 2u] = value.z;
    c[index + 3u] = value.w;
}

@compute @workgroup_size(16, 16)
fn sgemm_tiled(@builtin(local_invocation_index) local: u32, @builtin(workgroup_id) group: vec3u) {
    let n = params.n;
    let row0 = group.y * TILE;
    let col0 = group.x * TILE;

    // Loading: invocation `local` fetches 4 rows of a at one k, and 4 columns of b at one k;
    // 16 neighbouring invocations read 16 consecutive floats of one row.
    let a_k = local % 16u;
    let a_r = local / 16u;
    let b_k = local / 16u;
    let b_q = local % 16u;
    var a_index = (row0 + 4u * a_r) * n + a_k;
    var b_index = b_k * n + col0 + 4u * b_q;

    // Computing: invocation (tx, ty) owns rows 4ty.. and columns 4tx.. of the tile. A warp of
    // 32 covers 4 x 8 invocations rather than 16 x 2, so per k it reads 4 + 8 vec4s of
    // workgroup memory instead of 16 + 2, keeping shared-memory bandwidth under the FMA rate.
    let tx = (local % 4u) + 4u * ((local / 32u) % 4u);
    let ty = (local / 4u) % 8u + 8u * (local / 128u);

    var acc0 = vec4f(0.0);
    var acc1 = vec4f(0.0);
    var acc2 = vec4f(0.0);
    var acc3 = vec4f(0.0);
    var a_next = load_a_column(a_index, n);
    var b_next = load_b_row(b_index);
    for (var k0 = 0u; k0 < n; k0 += TILE_K) {
        a_tile[a_k * A_ROW_STRIDE + a_r] = a_next;
        b_tile[b_k * 16u + b_q] = b_next;
        workgroupBarrier();
        // The next tile's global loads are issued now and land while this one is multiplied.
        if (k0 + TILE_K < n) {
            a_index += TILE_K;
            b_index += TILE_K * n;
            a_next = load_a_column(a_index, n);
            b_next = load_b_row(b_index);
        }
        for (var k = 0u; k < TILE_K; k++) {
            let av = a_tile[k * A_ROW_STRIDE + ty];
            let bv = b_tile[k * 16u + tx];
            acc0 += av.x * bv;
            acc1 += av.y * bv;
            acc2 += av.z * bv;
            acc3 += av.w * bv;
        }
        workgroupBarrier();
    }

    let out = (row0 + 4u * ty) * n + col0 + 4u * tx;
    store_c_row(out, acc0);
    store_c_row(out + n, acc1);
    store_c_row(out + 2u * n, acc2);
    store_c_row(out + 3u * n, acc3);
}
