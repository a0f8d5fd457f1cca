// Experiment: bench/kernels/stencil.wgsl with the 18x18 neighbourhood of each 16x16 workgroup
// loaded once into workgroup memory, so each input element is read from device memory about
// once instead of five times. Same bindings, dispatch and order of additions (bit-identical).
struct Params {
    width: u32,
    height: u32,
}

@group(0) @binding(0) var<storage, read> src: array<f32>;
@group(0) @binding(1) var<storage, read_write> dst: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

const TILE: u32 = 18u;
var<workgroup> tile: array<array<f32, 18>, 18>;

@compute @workgroup_size(16, 16)
fn jacobi(@builtin(global_invocation_id) id: vec3u, @builtin(local_invocation_id) lid: vec3u,
          @builtin(workgroup_id) group: vec3u) {
    let width = params.width;
    let height = params.height;
    let origin_x = i32(group.x * 16u) - 1;
    let origin_y = i32(group.y * 16u) - 1;
    for (var k = lid.y * 16u + lid.x; k < TILE * TILE; k += 256u) {
        let gx = clamp(origin_x + i32(k % TILE), 0, i32(width) - 1);
        let gy = clamp(origin_y + i32(k / TILE), 0, i32(height) - 1);
        tile[k / TILE][k % TILE] = src[u32(gy) * width + u32(gx)];
    }
    workgroupBarrier();
    let x = id.x;
    let y = id.y;
    if (x >= width || y >= height) {
        return;
    }
    let i = y * width + x;
    let cx = lid.x + 1u;
    let cy = lid.y + 1u;
    if (x == 0u || y == 0u || x == width - 1u || y == height - 1u) {
        dst[i] = tile[cy][cx];
        return;
    }
    dst[i] = 0.25 * (tile[cy][cx - 1u] + tile[cy][cx + 1u] + tile[cy - 1u][cx] + tile[cy + 1u][cx]);
}
