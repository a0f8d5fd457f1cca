/* Stream copy and triad over vec4<f32> (bench/README.md: copy, triad). */
#include <math.h>
#include <string.h>

#include "bench.h"

#define STREAM_WORKGROUP 256

typedef struct stream_params {
    float scalar;
    uint32_t n;     /* vec4 elements */
} stream_params;

/* copy must reproduce every bit; triad allows rounding (an FMA or not) within the suite's tolerance. */
static void verify(bench_session* s, const bench_job* job, const stream_params* params, const float* b, const float* c,
                   const float* out, size_t count) {
    double worst = 0;
    bool exact = true;
    for (size_t i = 0; i < count; i++) {
        if (c == NULL) {
            exact = exact && memcmp(&out[i], &b[i], sizeof out[i]) == 0;
            double diff = isnan(out[i]) ? INFINITY : fabs((double)out[i] - b[i]);
            worst = diff > worst ? diff : worst;
        } else {
            double e = bench_relative_error(out[i], (double)b[i] + (double)params->scalar * c[i]);
            worst = e > worst ? e : worst;
        }
    }
    if (c == NULL) bench_check(s, exact, worst, "dst differs from src_b (tolerance: exact)");
    else bench_check_within(s, job, worst, "relative error of dst");
}

static void run_stream(bench_session* s, const bench_job* job, bool triad) {
    uint32_t n = bench_param_u32(job, "n");
    if (!bench_require(s, n > 0, "n must be a positive number of vec4 elements")) return;
    size_t count = (size_t)n * 4, bytes = count * sizeof(float);
    bench_rng rng = bench_rng_for(job);
    float* b = bench_random_floats(s, &rng, count, 0.0f, 1.0f);
    float* c = triad ? bench_random_floats(s, &rng, count, 0.0f, 1.0f) : NULL;
    /* copy binds the same uniform; its scalar is unused. */
    double scalar = triad ? bench_constant(job, "scalar") : 0.0;
    if (!bench_require(s, isfinite(scalar), "constants.scalar must be a number")) return;
    stream_params params = {(float)scalar, n};
    wr_binding bindings[] = {
        {.name = "src_b", .buffer = bench_storage_with(s, "src_b", b, bytes)},
        {.name = "dst", .buffer = bench_poisoned(s, "dst", bytes)},
        {.name = "params", .buffer = bench_uniform(s, "params", &params, sizeof params)},
        {.name = "src_c", .buffer = triad ? bench_storage_with(s, "src_c", c, bytes) : NULL},
    };
    wr_kernel* kernel = bench_kernel(s, job, triad ? "triad" : "copy");
    wr_batch* batch = bench_batch(s, true);
    bench_add(s, batch, kernel, bindings, triad ? 4 : 3, bench_grid_1d(n, STREAM_WORKGROUP));
    float* out = bench_host(s, bytes);
    bench_run_once(s, batch);
    if (!bench_download(s, bindings[1].buffer, out, bytes)) return;
    verify(s, job, &params, b, c, out, count);
    if (bench_measure_batch(s, job, batch)) bench_set_metric(s, job, 0);
}

void bench_copy(bench_session* s, const bench_job* job) {
    run_stream(s, job, false);
}

void bench_triad(bench_session* s, const bench_job* job) {
    run_stream(s, job, true);
}
