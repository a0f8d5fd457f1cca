// Mandelbrot escape counts: for pixel (x, y), c = (x0 + x dx, y0 + y dy); z <- z^2 + c from
// z = 0 while |z|^2 <= 4 and count < max_iter; counts[y * width + x] = count.
// Bindings (@group(0)): 0 counts (array<u32>, width * height, read_write), 1 params (uniform).
// Dispatch: (ceil(width / 16), ceil(height / 16), 1), workgroups of (16, 16).

struct Params {
    width: u32,
    height: u32,
    max_iter: u32,
    x0: f32,
    y0: f32,
    dx: f32,
    dy: f32,
}

@group(0) @binding(0) var<storage, read_write> counts: array<u32>;
@group(0) @binding(1) var<uniform> params: Params;

@compute @workgroup_size(16, 16)
fn mandelbrot(@builtin(global_invocation_id) id: vec3u) {
    if (id.x >= params.width || id.y >= params.height) {
        return;
    }
    let cr = params.x0 + f32(id.x) * params.dx;
    let ci = params.y0 + f32(id.y) * params.dy;
    let max_iter = params.max_iter;
    var zr = 0.0;
    var zi = 0.0;
    var zr2 = 0.0;
    var zi2 = 0.0;
    var count = 0u;
    // The squares computed for the escape test are reused by the next step.
    while (zr2 + zi2 <= 4.0 && count < max_iter) {
        zi = 2.0 * zr * zi + ci;
        zr = zr2 - zi2 + cr;
        zr2 = zr * zr;
        zi2 = zi * zi;
        count += 1u;
    }
    counts[id.y * params.width + id.x] = count;
}
