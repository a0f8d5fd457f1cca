/* 256-bin histogram with workgroup-private bins (bench/README.md: histogram). */
#include <math.h>
#include <string.h>

#include "bench.h"

#define HISTOGRAM_BINS 256
#define HISTOGRAM_WORKGROUP 256u
#define HISTOGRAM_MAX_WORKGROUPS 2048u

typedef struct histogram_params {
    uint32_t n;
} histogram_params;

static void verify(bench_session* s, const uint32_t* keys, uint32_t n, const uint32_t* bins) {
    uint32_t want[HISTOGRAM_BINS];
    memset(want, 0, sizeof want);
    for (uint32_t i = 0; i < n; i++) want[keys[i] & 255u]++;
    double worst = 0;
    for (int b = 0; b < HISTOGRAM_BINS; b++) {
        double diff = fabs((double)bins[b] - want[b]);
        worst = diff > worst ? diff : worst;
    }
    bench_check(s, worst == 0, worst, "bin counts differ (tolerance: exact)");
}

static void run_histogram(bench_session* s, const bench_job* job, uint32_t n) {
    size_t bytes = (size_t)n * sizeof(uint32_t);
    bench_rng rng = bench_rng_for(job);
    uint32_t* keys = bench_host(s, bytes);
    for (uint32_t i = 0; keys != NULL && i < n; i++) keys[i] = bench_rng_u32(&rng);
    histogram_params params = {n};
    wr_buffer* bins = bench_storage(s, "bins", HISTOGRAM_BINS * sizeof(uint32_t));
    bench_zero(s, bins, HISTOGRAM_BINS * sizeof(uint32_t));
    wr_binding bindings[] = {
        {.name = "keys", .buffer = bench_storage_with(s, "keys", keys, bytes)},
        {.name = "bins", .buffer = bins},
        {.name = "params", .buffer = bench_uniform(s, "params", &params, sizeof params)},
    };
    uint32_t groups = (n + HISTOGRAM_WORKGROUP - 1) / HISTOGRAM_WORKGROUP;
    if (groups > HISTOGRAM_MAX_WORKGROUPS) groups = HISTOGRAM_MAX_WORKGROUPS;
    wr_batch* batch = bench_batch(s, true);
    bench_add(s, batch, bench_kernel(s, job, "histogram"), bindings, 3, bench_grid_of(groups, 1, 1));
    uint32_t counts[HISTOGRAM_BINS];
    bench_run_once(s, batch);
    if (!bench_download(s, bins, counts, sizeof counts)) return;
    verify(s, keys, n, counts);
    if (bench_measure_batch(s, job, batch)) bench_set_metric(s, job, 0);
}

void bench_histogram(bench_session* s, const bench_job* job) {
    uint32_t n = bench_param_u32(job, "n");
    if (bench_require(s, n > 0, "n must be positive")) run_histogram(s, job, n);
}
