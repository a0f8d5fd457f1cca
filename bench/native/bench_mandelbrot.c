/* Mandelbrot escape counts (bench/README.md: mandelbrot). */
#include <math.h>

#include "bench.h"

#define MANDELBROT_TILE 16u

typedef struct mandelbrot_params {
    uint32_t width, height, max_iter;
    float x0, y0, dx, dy;
} mandelbrot_params;

/* The kernel's loop in f32. C11 does not contract a * b + c into an FMA unless asked, so
 * boundary pixels where the GPU does may differ: the tolerance allows for them. */
static uint32_t escape_count(float cr, float ci, uint32_t max_iter) {
    float zr = 0, zi = 0, zr2 = 0, zi2 = 0;
    uint32_t count = 0;
    while (zr2 + zi2 <= 4.0f && count < max_iter) {
        zi = 2.0f * zr * zi + ci;
        zr = zr2 - zi2 + cr;
        zr2 = zr * zr;
        zi2 = zi * zi;
        count++;
    }
    return count;
}

static void verify(bench_session* s, const bench_job* job, const mandelbrot_params* p, const uint32_t* counts) {
    size_t checked = 0, differing = 0;
    for (uint32_t y = 0; y < p->height; y += job->verify.row_stride)
        for (uint32_t x = 0; x < p->width; x++) {
            uint32_t want = escape_count(p->x0 + (float)x * p->dx, p->y0 + (float)y * p->dy, p->max_iter);
            differing += counts[(size_t)y * p->width + x] != want;
            checked++;
        }
    double fraction = (double)differing / (double)checked;
    bench_check_within(s, job, fraction, "the fraction of sampled pixels that differ");
}

static void run_mandelbrot(bench_session* s, const bench_job* job, mandelbrot_params params) {
    size_t bytes = (size_t)params.width * params.height * sizeof(uint32_t);
    wr_binding bindings[] = {
        {.name = "counts", .buffer = bench_poisoned(s, "counts", bytes)},
        {.name = "params", .buffer = bench_uniform(s, "params", &params, sizeof params)},
    };
    wr_batch* batch = bench_batch(s, true);
    bench_add(s, batch, bench_kernel(s, job, "mandelbrot"), bindings, 2,
              bench_grid_2d(params.width, params.height, MANDELBROT_TILE));
    uint32_t* counts = bench_host(s, bytes);
    bench_run_once(s, batch);
    if (!bench_download(s, bindings[0].buffer, counts, bytes)) return;
    verify(s, job, &params, counts);
    double iterations = 0;
    for (size_t i = 0; i < bytes / sizeof(uint32_t); i++) iterations += counts[i];
    if (bench_measure_batch(s, job, batch)) bench_set_metric(s, job, iterations);
}

void bench_mandelbrot(bench_session* s, const bench_job* job) {
    mandelbrot_params params = {
        .width = bench_param_u32(job, "width"),
        .height = bench_param_u32(job, "height"),
        .max_iter = bench_param_u32(job, "max_iter"),
        .x0 = (float)bench_constant(job, "x0"),
        .y0 = (float)bench_constant(job, "y0"),
    };
    float span = (float)bench_constant(job, "span");
    if (!bench_require(s, params.width > 0 && params.height > 0 && params.max_iter > 0,
                       "width, height and max_iter must be positive") ||
        !bench_require(s, isfinite(params.x0) && isfinite(params.y0) && isfinite(span),
                       "constants x0, y0 and span must be numbers") ||
        !bench_require(s, job->verify.row_stride > 0, "verify.row_stride must be positive"))
        return;
    params.dx = span / (float)params.width;
    params.dy = span / (float)params.height;
    run_mandelbrot(s, job, params);
}
