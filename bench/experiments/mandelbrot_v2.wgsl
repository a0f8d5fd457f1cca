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

// One step of z <- z^2 + c on the state (zr, zi, zr^2, zi^2): the squares computed for the
// escape test are reused by the next step.
fn step(s: vec4f, c: vec2f) -> vec4f {
    let zi = 2.0 * s.x * s.y + c.y;
    let zr = s.z - s.w + c.x;
    return vec4f(zr, zi, zr * zr, zi * zi);
}

fn running(s: vec4f, count: u32, max_iter: u32) -> bool {
    return s.z + s.w <= 4.0 && count < max_iter;
}

@compute @workgroup_size(16, 16)
fn mandelbrot(@builtin(global_invocation_id) id: vec3u) {
    if (id.x >= params.width || id.y >= params.height) {
        return;
    }
    let c = vec2f(params.x0 + f32(id.x) * params.dx, params.y0 + f32(id.y) * params.dy);
    let max_iter = params.max_iter;
    var s = vec4f(0.0);
    var count = 0u;
    // Four steps per trip, each with its own escape test, so the count is exactly the one-step
    // loop's: a quarter of the per-trip overhead, which for this short body includes the loop
    // bound naga (wgpu-native) adds to every loop. (One step per trip, the kernel this
    // replaces: bench/experiments/mandelbrot_v1.wgsl.)
    loop {
        if (!running(s, count, max_iter)) { break; }
        s = step(s, c);
        count += 1u;
        if (!running(s, count, max_iter)) { break; }
        s = step(s, c);
        count += 1u;
        if (!running(s, count, max_iter)) { break; }
        s = step(s, c);
        count += 1u;
        if (!running(s, count, max_iter)) { break; }
        s = step(s, c);
        count += 1u;
    }
    counts[id.y * params.width + id.x] = count;
}
