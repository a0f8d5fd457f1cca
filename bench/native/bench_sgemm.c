/* SGEMM, naive and tiled (bench/README.md: sgemm_naive, sgemm_tiled). */
#include <math.h>

#include "bench.h"


typedef struct sgemm_params {
    uint32_t n;
} sgemm_params;

static double reference_element(const float* a, const float* b, uint32_t n, uint32_t row, uint32_t col) {
    double sum = 0;
    for (uint32_t k = 0; k < n; k++) sum += (double)a[(size_t)row * n + k] * b[(size_t)k * n + col];
    return sum;
}

/* Every output of a small product, the suite's sample of random ones of a large one; the error is scaled by
 * the largest reference value checked so that it does not depend on n. */
static void verify(bench_session* s, const bench_job* job, const float* a, const float* b, const float* c,
                   uint32_t n) {
    bench_rng rng = bench_rng_for(job);
    bool all = n <= job->verify.check_all_up_to_n;
    uint64_t checks = all ? (uint64_t)n * n : job->verify.samples;
    double worst_abs = 0, largest = 0;
    for (uint64_t i = 0; i < checks; i++) {
        uint32_t row = all ? (uint32_t)(i / n) : bench_rng_u32(&rng) % n;
        uint32_t col = all ? (uint32_t)(i % n) : bench_rng_u32(&rng) % n;
        double want = reference_element(a, b, n, row, col);
        float got = c[(size_t)row * n + col];
        double diff = isnan(got) ? INFINITY : fabs(got - want);
        worst_abs = diff > worst_abs ? diff : worst_abs;
        largest = fabs(want) > largest ? fabs(want) : largest;
    }
    double error = worst_abs / (largest + 1.0);
    bench_check_within(s, job, error, "max |c - reference| / (max |reference| + 1)");
}

/* The tile of c one workgroup computes comes from the suite (tile_rows, tile_cols), so a kernel
 * of another shape (bench/experiments/sgemm_gen.py) runs with its own suite file. */
static void run_sgemm(bench_session* s, const bench_job* job, const char* entry) {
    uint32_t n = bench_param_u32(job, "n");
    uint32_t rows = bench_param_u32(job, "tile_rows"), cols = bench_param_u32(job, "tile_cols");
    if (!bench_require(s, rows > 0 && cols > 0, "tile_rows and tile_cols must be positive integers") ||
        !bench_require(s, n > 0 && n % rows == 0 && n % cols == 0, "n must be a multiple of tile_rows and tile_cols") ||
        !bench_require(s, job->verify.samples > 0, "verify.samples must be positive"))
        return;
    size_t bytes = (size_t)n * n * sizeof(float);
    bench_rng rng = bench_rng_for(job);
    float* a = bench_random_floats(s, &rng, (size_t)n * n, -1.0f, 1.0f);
    float* b = bench_random_floats(s, &rng, (size_t)n * n, -1.0f, 1.0f);
    sgemm_params params = {n};
    wr_binding bindings[] = {
        {.name = "a", .buffer = bench_storage_with(s, "a", a, bytes)},
        {.name = "b", .buffer = bench_storage_with(s, "b", b, bytes)},
        {.name = "c", .buffer = bench_poisoned(s, "c", bytes)},
        {.name = "params", .buffer = bench_uniform(s, "params", &params, sizeof params)},
    };
    wr_batch* batch = bench_batch(s, true);
    bench_add(s, batch, bench_kernel(s, job, entry), bindings, 4, bench_grid_of(n / cols, n / rows, 1));
    float* c = bench_host(s, bytes);
    bench_run_once(s, batch);
    if (!bench_download(s, bindings[2].buffer, c, bytes)) return;
    verify(s, job, a, b, c, n);
    if (bench_measure_batch(s, job, batch)) bench_set_metric(s, job, 0);
}

void bench_sgemm_naive(bench_session* s, const bench_job* job) {
    run_sgemm(s, job, "sgemm_naive");
}

void bench_sgemm_tiled(bench_session* s, const bench_job* job) {
    run_sgemm(s, job, "sgemm_tiled");
}
