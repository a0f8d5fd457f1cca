// Stream copy and triad over vec4<f32>: the memory-bandwidth baseline of the suite.
//   copy:  dst[i] = src_b[i]
//   triad: dst[i] = src_b[i] + params.scalar * src_c[i]
// Bindings (@group(0)): 0 src_b (read), 1 src_c (read; triad only), 2 dst (read_write),
// 3 params (uniform; n counts vec4 elements). Dispatch: 1D over n invocations of 256, folded
// into y past 65535 workgroups; one vec4 per invocation.

struct Params {
    scalar: f32,
    n: u32,
}

@group(0) @binding(0) var<storage, read> src_b: array<vec4f>;
@group(0) @binding(1) var<storage, read> src_c: array<vec4f>;
@group(0) @binding(2) var<storage, read_write> dst: array<vec4f>;
@group(0) @binding(3) var<uniform> params: Params;

const WORKGROUP_SIZE = 256u;

fn linear_index(id: vec3u, groups: vec3u) -> u32 {
    return id.x + id.y * groups.x * WORKGROUP_SIZE;
}

@compute @workgroup_size(WORKGROUP_SIZE)
fn copy(@builtin(global_invocation_id) id: vec3u, @builtin(num_workgroups) groups: vec3u) {
    let i = linear_index(id, groups);
    if (i < params.n) {
        dst[i] = src_b[i];
    }
}

@compute @workgroup_size(WORKGROUP_SIZE)
fn triad(@builtin(global_invocation_id) id: vec3u, @builtin(num_workgroups) groups: vec3u) {
    let i = linear_index(id, groups);
    if (i < params.n) {
        dst[i] = src_b[i] + params.scalar * src_c[i];
    }
}
