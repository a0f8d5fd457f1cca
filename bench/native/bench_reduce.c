/* Two-pass f32 sum (bench/README.md: reduce). */
#include <math.h>

#include "bench.h"

#define REDUCE_PARTIALS 1024

typedef struct reduce_params {
    uint32_t n;     /* f32 elements */
} reduce_params;

static void run_reduce(bench_session* s, const bench_job* job, uint32_t n) {
    size_t bytes = (size_t)n * sizeof(float);
    bench_rng rng = bench_rng_for(job);
    float* input = bench_random_floats(s, &rng, n, 0.0f, 1.0f);
    reduce_params params = {n};
    wr_buffer* partials = bench_poisoned(s, "partials", REDUCE_PARTIALS * sizeof(float));
    wr_buffer* result = bench_poisoned(s, "result", sizeof(float));
    wr_binding first[] = {
        {.name = "input", .buffer = bench_storage_with(s, "input", input, bytes)},
        {.name = "partials", .buffer = partials},
        {.name = "params", .buffer = bench_uniform(s, "params", &params, sizeof params)},
    };
    wr_binding second[] = {{.name = "partials", .buffer = partials}, {.name = "result", .buffer = result}};
    wr_batch* batch = bench_batch(s, true);
    bench_add(s, batch, bench_kernel(s, job, "partial_sums"), first, 3, bench_grid_of(REDUCE_PARTIALS, 1, 1));
    bench_add(s, batch, bench_kernel(s, job, "final_sum"), second, 2, bench_grid_of(1, 1, 1));
    float sum = 0;
    bench_run_once(s, batch);
    if (!bench_download(s, result, &sum, sizeof sum)) return;
    double want = 0;
    for (uint32_t i = 0; i < n; i++) want += input[i];
    double error = bench_relative_error(sum, want);
    bench_check_within(s, job, error, "relative error of the sum");
    if (bench_measure_batch(s, job, batch)) bench_set_metric(s, job, 0);
}

void bench_reduce(bench_session* s, const bench_job* job) {
    uint32_t n = bench_param_u32(job, "n");
    if (bench_require(s, n > 0 && n % 4 == 0, "n must be a positive multiple of 4")) run_reduce(s, job, n);
}
