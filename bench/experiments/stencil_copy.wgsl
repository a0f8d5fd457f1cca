// The stencil's bindings and dispatch with a plain copy, dst = src: run on the stencil's two
// grids by stencil_probe --copy, it tells placement (where the buffers landed) from the
// stencil's own access pattern. Dispatch: (ceil(width / 16), ceil(height / 16), 1).

struct Params {
    width: u32,
    height: u32,
}

@group(0) @binding(0) var<storage, read> src: array<f32>;
@group(0) @binding(1) var<storage, read_write> dst: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

@compute @workgroup_size(16, 16)
fn jacobi(@builtin(global_invocation_id) id: vec3u) {
    if (id.x >= params.width || id.y >= params.height) {
        return;
    }
    let i = id.y * params.width + id.x;
    dst[i] = src[i];
}
