// One Jacobi sweep of a 5-point stencil on a width x height f32 grid: interior cells become
// 0.25 (W + E + N + S) of src, border cells are copied. The caller ping-pongs src and dst.
// Bindings (@group(0)): 0 src (array<f32>, read), 1 dst (array<f32>, read_write),
// 2 params (uniform). Experiment: workgroups of (256, 1), one row segment each.

struct Params {
    width: u32,
    height: u32,
}

@group(0) @binding(0) var<storage, read> src: array<f32>;
@group(0) @binding(1) var<storage, read_write> dst: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

@compute @workgroup_size(256, 1)
fn jacobi(@builtin(global_invocation_id) id: vec3u) {
    let width = params.width;
    let height = params.height;
    let x = id.x;
    let y = id.y;
    if (x >= width || y >= height) {
        return;
    }
    let i = y * width + x;
    if (x == 0u || y == 0u || x == width - 1u || y == height - 1u) {
        dst[i] = src[i];
        return;
    }
    dst[i] = 0.25 * (src[i - 1u] + src[i + 1u] + src[i - width] + src[i + width]);
}
