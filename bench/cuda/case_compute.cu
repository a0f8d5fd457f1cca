// Compute cases: nbody, stencil, mandelbrot.
#include "buffers.h"
#include "cases.h"
#include "device_util.cuh"
#include "verify.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace {

constexpr int kBodyTile = 256;     // bodies per shared-memory tile = workgroup size
constexpr int kGrid2d = 16;        // workgroup (16, 16) of stencil and mandelbrot

// ---------------------------------------------------------------- kernels

__global__ void __launch_bounds__(kBodyTile) nbody_kernel(const float4* __restrict__ bodies,
                                                          float4* __restrict__ accel, uint32_t n,
                                                          float eps2) {
    __shared__ float4 tile[kBodyTile];
    const uint64_t i = folded_index();
    const bool active = i < n;  // inactive threads still help load tiles
    const float4 p = active ? bodies[i] : make_float4(0.f, 0.f, 0.f, 0.f);
    float ax = 0.f, ay = 0.f, az = 0.f;
    for (uint32_t base = 0; base < n; base += kBodyTile) {
        tile[threadIdx.x] = bodies[base + threadIdx.x];
        __syncthreads();
#pragma unroll 8
        for (int j = 0; j < kBodyTile; ++j) {
            const float4 q = tile[j];
            const float dx = q.x - p.x, dy = q.y - p.y, dz = q.z - p.z;
            const float r2 = fmaf(dx, dx, fmaf(dy, dy, fmaf(dz, dz, eps2)));
            const float inv = rsqrtf(r2);
            const float s = q.w * inv * inv * inv;
            ax = fmaf(dx, s, ax);
            ay = fmaf(dy, s, ay);
            az = fmaf(dz, s, az);
        }
        __syncthreads();
    }
    if (active) accel[i] = make_float4(ax, ay, az, 0.f);
}

__global__ void jacobi_kernel(const float* __restrict__ src, float* __restrict__ dst,
                              uint32_t width, uint32_t height) {
    const uint32_t x = blockIdx.x * kGrid2d + threadIdx.x, y = blockIdx.y * kGrid2d + threadIdx.y;
    if (x >= width || y >= height) return;
    const size_t i = static_cast<size_t>(y) * width + x;
    if (x == 0 || y == 0 || x == width - 1 || y == height - 1) {
        dst[i] = src[i];
        return;
    }
    dst[i] = 0.25f * (((src[i - 1] + src[i + 1]) + src[i - width]) + src[i + width]);
}

struct MandelbrotView {
    uint32_t width, height, max_iter;
    float x0, y0, dx, dy;
};

// Shared by the kernel and the CPU reference so both iterate the same f32 recurrence.
__host__ __device__ inline uint32_t escape_count(float cx, float cy, uint32_t max_iter) {
    float zx = 0.f, zy = 0.f;
    uint32_t count = 0;
    while (count < max_iter) {
        const float zx2 = zx * zx, zy2 = zy * zy;
        if (zx2 + zy2 > 4.f) break;
        zy = 2.f * zx * zy + cy;
        zx = zx2 - zy2 + cx;
        ++count;
    }
    return count;
}

__global__ void mandelbrot_kernel(uint32_t* __restrict__ counts, MandelbrotView v) {
    const uint32_t x = blockIdx.x * kGrid2d + threadIdx.x, y = blockIdx.y * kGrid2d + threadIdx.y;
    if (x >= v.width || y >= v.height) return;
    const float cx = v.x0 + static_cast<float>(x) * v.dx, cy = v.y0 + static_cast<float>(y) * v.dy;
    counts[static_cast<size_t>(y) * v.width + x] = escape_count(cx, cy, v.max_iter);
}

// ---------------------------------------------------------------- nbody

// Relative error of the sampled accelerations, |a - a_ref| / |a_ref|, against double.
Verification check_nbody(Env& env, const std::vector<float>& bodies,
                         const std::vector<float>& accel, uint32_t n, float eps2, const SuiteCase& c) {
    const double tolerance = verify_tolerance(c);
    const int samples = verify_count(c, c.verify.samples, "samples");
    size_t nan_at = first_nan(accel.data(), accel.size());
    if (nan_at < accel.size()) {
        Verification v;
        v.ok = false;
        v.max_error = INFINITY;
        v.error = strprintf("accel[%zu] is NaN: not written", nan_at / 4);
        return v;
    }
    Verification v;
    for (int s = 0; s < samples; ++s) {
        const size_t i = env.rng.below(n);
        const double px = bodies[4 * i], py = bodies[4 * i + 1], pz = bodies[4 * i + 2];
        double ax = 0, ay = 0, az = 0;
        for (size_t j = 0; j < n; ++j) {
            const double dx = bodies[4 * j] - px, dy = bodies[4 * j + 1] - py, dz = bodies[4 * j + 2] - pz;
            const double r2 = dx * dx + dy * dy + dz * dz + eps2;
            const double f = bodies[4 * j + 3] / (r2 * std::sqrt(r2));
            ax += f * dx, ay += f * dy, az += f * dz;
        }
        const double ex = accel[4 * i] - ax, ey = accel[4 * i + 1] - ay, ez = accel[4 * i + 2] - az;
        const double err = std::sqrt(ex * ex + ey * ey + ez * ez) / std::sqrt(ax * ax + ay * ay + az * az);
        if (!(err <= v.max_error)) v.max_error = err;
        if (v.ok && (!(err <= tolerance) || accel[4 * i + 3] != 0.f)) {
            v.ok = false;
            v.error = strprintf("body %zu: accel (%.7g, %.7g, %.7g, w %.3g), expected (%.7g, %.7g, "
                                "%.7g, w 0): relative error %.3g > %g",
                                i, accel[4 * i], accel[4 * i + 1], accel[4 * i + 2], accel[4 * i + 3],
                                ax, ay, az, err, tolerance);
        }
    }
    return v;
}

void nbody_body(Env& env, const SuiteCase& c, CaseResult& r) {
    const uint32_t n = param_u32(c, "n");
    const float eps2 = suite_constant(c, "eps2");
    if (n == 0 || n % kBodyTile) throw_bench_error("nbody: n = %u must be a positive multiple of 256", n);
    std::vector<float> bodies(4ull * n), got(4ull * n);
    for (size_t i = 0; i < n; ++i) {
        env.rng.fill_uniform(&bodies[4 * i], 3, -1.f, 1.f);
        bodies[4 * i + 3] = env.rng.uniform(0.5f, 1.f);
    }
    DeviceArray<float4> d_bodies(n), d_accel(n);
    d_bodies.upload(reinterpret_cast<const float4*>(bodies.data()));
    const dim3 grid = fold_grid(n / kBodyTile);
    auto run_once = [&] {
        nbody_kernel<<<grid, kBodyTile>>>(d_bodies.get(), d_accel.get(), n, eps2);
        CUDA_CHECK_LAUNCH();
    };
    d_accel.poison();
    run_and_wait(run_once);
    d_accel.download(reinterpret_cast<float4*>(got.data()));
    if (!record_verification(r, check_nbody(env, bodies, got, n, eps2, c))) return;
    time_samples(env, c.inner, run_once, r, Clock::Gpu);
    r.metric_value = suite_metric(r, median_seconds(r));
}

// ---------------------------------------------------------------- stencil

// The full reference in f32, with the kernel's order of additions.
// weight: the kernel's coefficient, suite.json constants.weight.
std::vector<float> jacobi_reference(std::vector<float> src, uint32_t w, uint32_t h, uint32_t iterations,
                                    float weight) {
    std::vector<float> dst(src.size());
    for (uint32_t it = 0; it < iterations; ++it) {
        for (uint32_t y = 0; y < h; ++y) {
            const size_t row = static_cast<size_t>(y) * w;
            if (y == 0 || y == h - 1) {
                std::copy(src.begin() + row, src.begin() + row + w, dst.begin() + row);
                continue;
            }
            dst[row] = src[row];
            for (uint32_t x = 1; x + 1 < w; ++x) {
                const size_t i = row + x;
                dst[i] = weight * (((src[i - 1] + src[i + 1]) + src[i - w]) + src[i + w]);
            }
            if (w > 1) dst[row + w - 1] = src[row + w - 1];
        }
        src.swap(dst);
    }
    return src;
}

void stencil_body(Env& env, const SuiteCase& c, CaseResult& r) {
    const uint32_t w = param_u32(c, "width"), h = param_u32(c, "height");
    const uint32_t iterations = param_u32(c, "iterations");
    if (w == 0 || h == 0 || iterations == 0)
        throw_bench_error("stencil: width, height and iterations must be positive");
    const size_t cells = static_cast<size_t>(w) * h;
    std::vector<float> input(cells), got(cells);
    env.rng.fill_uniform(input.data(), cells, 0.f, 1.f);
    DeviceArray<float> d_a(cells), d_b(cells);
    d_a.upload(input.data());
    const dim3 grid(ceil_div(w, kGrid2d), ceil_div(h, kGrid2d)), block(kGrid2d, kGrid2d);
    auto run_once = [&] {
        for (uint32_t it = 0; it < iterations; ++it) {
            const bool even = it % 2 == 0;  // ping-pong: a -> b, b -> a, ...
            jacobi_kernel<<<grid, block>>>(even ? d_a.get() : d_b.get(), even ? d_b.get() : d_a.get(), w, h);
        }
        CUDA_CHECK_LAUNCH();
    };
    d_b.poison();
    run_and_wait(run_once);
    (iterations % 2 ? d_b : d_a).download(got.data());
    const std::vector<float> want = jacobi_reference(input, w, h, iterations, suite_constant(c, "weight"));
    if (!record_verification(r, compare_absolute(got.data(), want.data(), cells, verify_tolerance(c)))) return;
    time_samples(env, c.inner, run_once, r, Clock::Gpu);
    r.metric_value = suite_metric(r, median_seconds(r));
}

// ---------------------------------------------------------------- mandelbrot

// Every verify.row_stride-th row against the CPU; up to verify.tolerance of those pixels may
// differ (contraction into FMA moves pixels on the set's boundary). Every pixel must hold a
// plausible count.
Verification check_mandelbrot(const std::vector<uint32_t>& counts, const MandelbrotView& v, const SuiteCase& c) {
    const double tolerance = verify_tolerance(c);
    const uint32_t row_stride = static_cast<uint32_t>(verify_count(c, c.verify.row_stride, "row_stride"));
    Verification result;
    for (size_t i = 0; i < counts.size(); ++i) {
        if (counts[i] <= v.max_iter) continue;
        result.ok = false;
        result.max_error = INFINITY;
        result.error = strprintf("count[%zu] = %u exceeds max_iter %u: not written", i, counts[i], v.max_iter);
        return result;
    }
    size_t checked = 0, differ = 0;
    for (uint32_t y = 0; y < v.height; y += row_stride) {
        const float cy = v.y0 + static_cast<float>(y) * v.dy;
        for (uint32_t x = 0; x < v.width; ++x) {
            const float cx = v.x0 + static_cast<float>(x) * v.dx;
            differ += escape_count(cx, cy, v.max_iter) != counts[static_cast<size_t>(y) * v.width + x];
            ++checked;
        }
    }
    result.max_error = static_cast<double>(differ) / checked;  // fraction of sampled pixels
    if (!(result.max_error <= tolerance)) {
        result.ok = false;
        result.error = strprintf("%zu of %zu sampled pixels differ from the CPU (more than %g)", differ, checked,
                                 tolerance);
    }
    return result;
}

void mandelbrot_body(Env& env, const SuiteCase& c, CaseResult& r) {
    MandelbrotView v;
    v.width = param_u32(c, "width");
    v.height = param_u32(c, "height");
    v.max_iter = param_u32(c, "max_iter");
    if (v.width == 0 || v.height == 0) throw_bench_error("mandelbrot: empty image");
    v.x0 = suite_constant(c, "x0");
    v.y0 = suite_constant(c, "y0");
    const float span = suite_constant(c, "span");
    v.dx = span / static_cast<float>(v.width);
    v.dy = span / static_cast<float>(v.height);
    const size_t pixels = static_cast<size_t>(v.width) * v.height;
    DeviceArray<uint32_t> d_counts(pixels);
    std::vector<uint32_t> got(pixels);
    const dim3 grid(ceil_div(v.width, kGrid2d), ceil_div(v.height, kGrid2d)), block(kGrid2d, kGrid2d);
    auto run_once = [&] {
        mandelbrot_kernel<<<grid, block>>>(d_counts.get(), v);
        CUDA_CHECK_LAUNCH();
    };
    d_counts.poison();
    run_and_wait(run_once);
    d_counts.download(got.data());
    if (!record_verification(r, check_mandelbrot(got, v, c))) return;
    double iterations = 0;
    for (uint32_t count : got) iterations += count;
    time_samples(env, c.inner, run_once, r, Clock::Gpu);
    r.metric_value = suite_metric(r, median_seconds(r), iterations);
    r.note = strprintf("sum of counts %.0f", iterations);
}

}  // namespace

void run_nbody(Env& env, const SuiteCase& c, std::vector<CaseResult>& out) {
    run_unit(env, new_result(c, ""), out, [&](CaseResult& r) { nbody_body(env, c, r); });
}

void run_stencil(Env& env, const SuiteCase& c, std::vector<CaseResult>& out) {
    run_unit(env, new_result(c, ""), out, [&](CaseResult& r) { stencil_body(env, c, r); });
}

void run_mandelbrot(Env& env, const SuiteCase& c, std::vector<CaseResult>& out) {
    run_unit(env, new_result(c, ""), out, [&](CaseResult& r) { mandelbrot_body(env, c, r); });
}
