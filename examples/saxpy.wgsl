// y = a * x + y over arrays of any length (a 1D dispatch larger than 65535 workgroups is
// folded into y by wgslrun, so the index is linearised with num_workgroups).
struct Params {
    a : f32,
}

@group(0) @binding(0) var<storage, read> x : array<f32>;
@group(0) @binding(1) var<storage, read_write> y : array<f32>;
@group(0) @binding(2) var<uniform> params : Params;

override WORKGROUP_SIZE : u32 = 256;

@compute @workgroup_size(WORKGROUP_SIZE)
fn main(@builtin(global_invocation_id) id : vec3<u32>, @builtin(num_workgroups) groups : vec3<u32>) {
    let i = id.x + id.y * groups.x * WORKGROUP_SIZE;
    if (i < arrayLength(&y)) {
        y[i] = params.a * x[i] + y[i];
    }
}
