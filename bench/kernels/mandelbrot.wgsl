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
    var escaped = false;
    // Chunks of 8 steps while a whole chunk fits under max_iter: inside one only the escape
    // test runs per step (count < max_iter holds there), so the count's compare and the loop
    // bound naga (wgpu-native) adds to every loop are paid once per 8 steps; the steps left
    // over run one at a time. The counts are exactly the one-step loop's. (Four steps per trip,
    // each testing both conditions, is bench/experiments/mandelbrot_v2.wgsl; one step per trip
    // mandelbrot_v1.wgsl.)
    loop {
        if (count + 8u > max_iter) { break; }
        if (s.z + s.w > 4.0) { escaped = true; break; }
        s = step(s, c);
        if (s.z + s.w > 4.0) { count += 1u; escaped = true; break; }
        s = step(s, c);
        if (s.z + s.w > 4.0) { count += 2u; escaped = true; break; }
        s = step(s, c);
        if (s.z + s.w > 4.0) { count += 3u; escaped = true; break; }
        s = step(s, c);
        if (s.z + s.w > 4.0) { count += 4u; escaped = true; break; }
        s = step(s, c);
        if (s.z + s.w > 4.0) { count += 5u; escaped = true; break; }
        s = step(s, c);
        if (s.z + s.w > 4.0) { count += 6u; escaped = true; break; }
        s = step(s, c);
        if (s.z + s.w > 4.0) { count += 7u; escaped = true; break; }
        s = step(s, c);
        count += 8u;
    }
    if (!escaped) {
        loop {
            if (!running(s, count, max_iter)) { break; }
            s = step(s, c);
            count += 1u;
        }
    }
    counts[id.y * params.width + id.x] = count;
}
