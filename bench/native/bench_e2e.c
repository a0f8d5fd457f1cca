/* End to end: upload x and y, saxpy, read y back (bench/README.md: e2e_saxpy). */
#include <math.h>
#include <string.h>

#include "bench.h"

#define SAXPY_WORKGROUP 256u

typedef struct saxpy_params {
    float a;
    uint32_t n;
} saxpy_params;

typedef struct e2e_state {
    wr_buffer* x_device;
    wr_buffer* y_device;
    wr_batch* batch;
    const float* x;
    const float* y;
    float* y_out;
    size_t bytes;
    float a;
} e2e_state;

/* One sample is the whole round trip from host memory and back, timed on the host. */
static bool sample(bench_session* s, void* state, uint32_t inner, wr_timing* timing) {
    e2e_state* e = state;
    double start = wr_now_ms();
    for (uint32_t i = 0; i < inner; i++) {
        if (wr_buffer_upload(s->ctx, e->x_device, 0, e->x, e->bytes) != WR_OK ||
            wr_buffer_upload(s->ctx, e->y_device, 0, e->y, e->bytes) != WR_OK ||
            wr_batch_run(s->ctx, e->batch, 1, NULL) != WR_OK ||
            wr_buffer_download(s->ctx, e->y_device, 0, e->y_out, e->bytes) != WR_OK)
            return bench_fail_ctx(s, "running saxpy end to end");
    }
    *timing = (wr_timing){.wall_ms = wr_now_ms() - start, .gpu_ms = -1.0};
    return true;
}

static void verify(bench_session* s, const bench_job* job, const e2e_state* e) {
    double worst = 0;
    for (size_t i = 0; i < e->bytes / sizeof(float); i++) {
        double error = bench_relative_error(e->y_out[i], (double)e->a * e->x[i] + e->y[i]);
        worst = error > worst ? error : worst;
    }
    bench_check_within(s, job, worst, "relative error of y");
}

static void run_e2e(bench_session* s, const bench_job* job, uint32_t n) {
    bench_rng rng = bench_rng_for(job);
    e2e_state e = {.bytes = (size_t)n * sizeof(float), .a = (float)bench_constant(job, "a")};
    if (!bench_require(s, isfinite(e.a), "constants.a must be a number")) return;
    e.x = bench_random_floats(s, &rng, n, 0.0f, 1.0f);
    e.y = bench_random_floats(s, &rng, n, 0.0f, 1.0f);
    e.y_out = bench_host(s, e.bytes);
    if (e.y_out != NULL) memset(e.y_out, 0xFF, e.bytes);
    saxpy_params params = {e.a, n};
    e.x_device = bench_storage(s, "x", e.bytes);
    e.y_device = bench_storage(s, "y", e.bytes);
    wr_binding bindings[] = {
        {.name = "x", .buffer = e.x_device},
        {.name = "y", .buffer = e.y_device},
        {.name = "params", .buffer = bench_uniform(s, "params", &params, sizeof params)},
    };
    e.batch = bench_batch(s, false);
    bench_add(s, e.batch, bench_kernel(s, job, "saxpy"), bindings, 3, bench_grid_1d(n, SAXPY_WORKGROUP));
    wr_timing ignored;
    if (bench_failed(s) || !sample(s, &e, 1, &ignored)) return;
    verify(s, job, &e);
    if (bench_measure(s, job, sample, &e)) bench_set_metric(s, job, 0);
}

void bench_e2e_saxpy(bench_session* s, const bench_job* job) {
    uint32_t n = bench_param_u32(job, "n");
    if (bench_require(s, n > 0, "n must be positive")) run_e2e(s, job, n);
}
