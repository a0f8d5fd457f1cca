/* Ping-pong Jacobi sweeps of a 5-point stencil (bench/README.md: stencil). */
#include <math.h>
#include <string.h>

#include "bench.h"

#define STENCIL_TILE 16u

typedef struct stencil_params {
    uint32_t width, height;
} stencil_params;

/* weight: the kernel's coefficient, suite.json constants.weight. */
static void sweep(const float* src, float* dst, uint32_t w, uint32_t h, float weight) {
    for (uint32_t y = 0; y < h; y++)
        for (uint32_t x = 0; x < w; x++) {
            size_t i = (size_t)y * w + x;
            bool border = x == 0 || y == 0 || x == w - 1 || y == h - 1;
            dst[i] = border ? src[i] : weight * (src[i - 1] + src[i + 1] + src[i - w] + src[i + w]);
        }
}

/* Returns the grid after `iterations` sweeps, computed in f32 like the kernel. */
static const float* reference(bench_session* s, const bench_job* job, const float* grid, uint32_t w, uint32_t h,
                              uint32_t iterations) {
    float weight = (float)bench_constant(job, "weight");
    size_t bytes = (size_t)w * h * sizeof(float);
    float* current = bench_host(s, bytes);
    float* next = bench_host(s, bytes);
    if (current == NULL || next == NULL) return NULL;
    memcpy(current, grid, bytes);
    for (uint32_t i = 0; i < iterations; i++) {
        sweep(current, next, w, h, weight);
        float* t = current;
        current = next;
        next = t;
    }
    return current;
}

static void verify(bench_session* s, const bench_job* job, const float* want, const float* got, size_t count) {
    double worst = 0;
    for (size_t i = 0; i < count; i++) {
        double diff = isnan(got[i]) ? INFINITY : fabs((double)got[i] - want[i]);
        worst = diff > worst ? diff : worst;
    }
    bench_check_within(s, job, worst, "max absolute error");
}

static void run_stencil(bench_session* s, const bench_job* job, uint32_t w, uint32_t h, uint32_t iterations) {
    size_t count = (size_t)w * h, bytes = count * sizeof(float);
    bench_rng rng = bench_rng_for(job);
    float* grid = bench_random_floats(s, &rng, count, 0.0f, 1.0f);
    stencil_params params = {w, h};
    wr_buffer* uniform = bench_uniform(s, "params", &params, sizeof params);
    wr_buffer* buffers[2] = {bench_storage_with(s, "grid a", grid, bytes), bench_poisoned(s, "grid b", bytes)};
    wr_kernel* kernel = bench_kernel(s, job, "jacobi");
    /* Sweep i reads buffers[i % 2] and writes the other; a pass per sweep orders them. */
    wr_batch* batch = bench_batch(s, true);
    for (uint32_t i = 0; i < iterations; i++) {
        wr_binding bindings[] = {
            {.name = "src", .buffer = buffers[i % 2]},
            {.name = "dst", .buffer = buffers[(i + 1) % 2]},
            {.name = "params", .buffer = uniform},
        };
        bench_add(s, batch, kernel, bindings, 3, bench_grid_2d(w, h, STENCIL_TILE));
    }
    float* got = bench_host(s, bytes);
    bench_run_once(s, batch);
    if (!bench_download(s, buffers[iterations % 2], got, bytes)) return;
    const float* want = reference(s, job, grid, w, h, iterations);
    if (want == NULL) return;
    verify(s, job, want, got, count);
    if (bench_measure_batch(s, job, batch)) bench_set_metric(s, job, 0);
}

void bench_stencil(bench_session* s, const bench_job* job) {
    uint32_t w = bench_param_u32(job, "width"), h = bench_param_u32(job, "height");
    uint32_t iterations = bench_param_u32(job, "iterations");
    if (bench_require(s, w > 0 && h > 0 && iterations > 0, "width, height and iterations must be positive") &&
        bench_require(s, isfinite(bench_constant(job, "weight")), "constants.weight must be a number"))
        run_stencil(s, job, w, h, iterations);
}
