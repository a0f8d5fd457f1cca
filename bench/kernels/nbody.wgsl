// All-pairs N-body accelerations: accel[i] = sum over j of m_j d / (|d|^2 + eps2)^1.5 with
// d = p_j - p_i (j = i adds 0). Bodies are staged through workgroup memory 256 at a time, so
// each body is read from global memory once per workgroup instead of once per invocation.
// Bindings (@group(0)): 0 bodies (array<vec4f>: xyz position, w mass; read), 1 accel
// (array<vec4f>, w = 0; read_write), 2 params (uniform; n a multiple of 256).
// Dispatch: (n / 256, 1, 1), workgroups of 256.

struct Params {
    n: u32,
    eps2: f32,
}

@group(0) @binding(0) var<storage, read> bodies: array<vec4f>;
@group(0) @binding(1) var<storage, read_write> accel: array<vec4f>;
@group(0) @binding(2) var<uniform> params: Params;

const TILE = 256u;

var<workgroup> tile: array<vec4f, TILE>;

// The CUDA kernel's arithmetic: fused multiply-adds for |d|^2 + eps2 and the accumulation.
fn pull(p: vec3f, body: vec4f, eps2: f32, a: vec3f) -> vec3f {
    let d = body.xyz - p;
    let inv = inverseSqrt(fma(d.x, d.x, fma(d.y, d.y, fma(d.z, d.z, eps2))));
    return fma(d, vec3f(body.w * inv * inv * inv), a);
}

@compute @workgroup_size(TILE)
fn nbody_forces(@builtin(global_invocation_id) id: vec3u, @builtin(local_invocation_index) local: u32) {
    let n = params.n;
    let eps2 = params.eps2;
    let p = bodies[id.x].xyz;
    var a = vec3f(0.0);
    for (var base = 0u; base < n; base += TILE) {
        tile[local] = bodies[base + local];
        workgroupBarrier();
        // Unrolled by eight as the CUDA kernel is (`#pragma unroll 8`); every invocation
        // reads the same tile entry, a broadcast. (Unrolled by four, without explicit fma:
        // bench/experiments/nbody_v1.wgsl.)
        for (var j = 0u; j < TILE; j += 8u) {
            a = pull(p, tile[j], eps2, a);
            a = pull(p, tile[j + 1u], eps2, a);
            a = pull(p, tile[j + 2u], eps2, a);
            a = pull(p, tile[j + 3u], eps2, a);
            a = pull(p, tile[j + 4u], eps2, a);
            a = pull(p, tile[j + 5u], eps2, a);
            a = pull(p, tile[j + 6u], eps2, a);
            a = pull(p, tile[j + 7u], eps2, a);
        }
        workgroupBarrier();
    }
    accel[id.x] = vec4f(a, 0.0);
}
