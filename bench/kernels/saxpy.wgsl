// SAXPY for the end-to-end case: y[i] = params.a * x[i] + y[i].
// Bindings (@group(0)): 0 x (array<f32>, read), 1 y (array<f32>, read_write),
// 2 params (uniform; n elements). Dispatch: 1D over n invocations of 256, folded into y past
// 65535 workgroups.

struct Params {
    a: f32,
    n: u32,
}

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

const WORKGROUP_SIZE = 256u;

@compute @workgroup_size(WORKGROUP_SIZE)
fn saxpy(@builtin(global_invocation_id) id: vec3u, @builtin(num_workgroups) groups: vec3u) {
    let i = id.x + id.y * groups.x * WORKGROUP_SIZE;
    if (i < params.n) {
        y[i] = params.a * x[i] + y[i];
    }
}
