/* Inclusive u32 prefix sum: three passes (bench/README.md: scan) or one pass with decoupled
 * look-back (scan_lookback). */
#include <math.h>

#include "bench.h"

#define SCAN_BLOCK 4096u
#define SCAN_MAX_BLOCKS 16384u

typedef struct scan_params {
    uint32_t n;
} scan_params;

static void verify(bench_session* s, const uint32_t* input, const uint32_t* output, uint32_t n) {
    uint32_t running = 0;   /* wraps like the GPU's u32 */
    double worst = 0;
    for (uint32_t i = 0; i < n; i++) {
        running += input[i];
        double diff = fabs((double)output[i] - running);
        worst = diff > worst ? diff : worst;
    }
    bench_check(s, worst == 0, worst, "output differs from the prefix sum (tolerance: exact)");
}

/* n values in [0, 255] from the job's generator, so sums of 64M of them fit in u32. */
static uint32_t* random_input(bench_session* s, const bench_job* job, uint32_t n) {
    bench_rng rng = bench_rng_for(job);
    uint32_t* input = bench_host(s, (size_t)n * sizeof(uint32_t));
    for (uint32_t i = 0; input != NULL && i < n; i++) input[i] = bench_rng_u32(&rng) & 255u;
    return input;
}

static void run_scan(bench_session* s, const bench_job* job, uint32_t n) {
    uint32_t blocks = n / SCAN_BLOCK;
    size_t bytes = (size_t)n * sizeof(uint32_t);
    uint32_t* input = random_input(s, job, n);
    scan_params params = {n};
    wr_binding bindings[] = {
        {.name = "input", .buffer = bench_storage_with(s, "input", input, bytes)},
        {.name = "output", .buffer = bench_poisoned(s, "output", bytes)},
        {.name = "sums", .buffer = bench_poisoned(s, "sums", blocks * sizeof(uint32_t))},
        {.name = "params", .buffer = bench_uniform(s, "params", &params, sizeof params)},
    };
    /* Each pass binds what its entry point uses, as bench/README.md lists them. */
    wr_binding totals[] = {bindings[0], bindings[2], bindings[3]};
    wr_binding sums_only[] = {bindings[2], bindings[3]};
    bench_grid per_block = bench_grid_1d(blocks, 1);
    wr_batch* batch = bench_batch(s, true);
    bench_add(s, batch, bench_kernel(s, job, "block_sums"), totals, 3, per_block);
    bench_add(s, batch, bench_kernel(s, job, "scan_sums"), sums_only, 2, bench_grid_of(1, 1, 1));
    bench_add(s, batch, bench_kernel(s, job, "scan_blocks"), bindings, 4, per_block);
    uint32_t* output = bench_host(s, bytes);
    bench_run_once(s, batch);
    if (!bench_download(s, bindings[1].buffer, output, bytes)) return;
    verify(s, input, output, n);
    if (bench_measure_batch(s, job, batch)) bench_set_metric(s, job, 0);
}

static bool valid_size(bench_session* s, uint32_t n) {
    return bench_require(s, n > 0 && n % SCAN_BLOCK == 0 && n / SCAN_BLOCK <= SCAN_MAX_BLOCKS,
                         "n must be a positive multiple of 4096, at most 4096 * 16384");
}

void bench_scan(bench_session* s, const bench_job* job) {
    uint32_t n = bench_param_u32(job, "n");
    if (valid_size(s, n)) run_scan(s, job, n);
}

/* The state is the tile counter and 4 words per tile, cleared by the batch's first pass. */
static void run_scan_lookback(bench_session* s, const bench_job* job, uint32_t n) {
    uint32_t state_words = 4 * (n / SCAN_BLOCK + 1);
    size_t bytes = (size_t)n * sizeof(uint32_t);
    uint32_t* input = random_input(s, job, n);
    scan_params params = {n};
    wr_binding bindings[] = {
        {.name = "input", .buffer = bench_storage_with(s, "input", input, bytes)},
        {.name = "output", .buffer = bench_poisoned(s, "output", bytes)},
        {.name = "state", .buffer = bench_poisoned(s, "state", state_words * sizeof(uint32_t))},
        {.name = "params", .buffer = bench_uniform(s, "params", &params, sizeof params)},
    };
    wr_batch* batch = bench_batch(s, true);
    bench_add(s, batch, bench_kernel(s, job, "clear_state"), &bindings[2], 1, bench_grid_1d(state_words, 256));
    bench_add(s, batch, bench_kernel(s, job, "scan_lookback"), bindings, 4, bench_grid_1d(n / SCAN_BLOCK, 1));
    uint32_t* output = bench_host(s, bytes);
    bench_run_once(s, batch);
    if (!bench_download(s, bindings[1].buffer, output, bytes)) return;
    verify(s, input, output, n);
    if (bench_measure_batch(s, job, batch)) bench_set_metric(s, job, 0);
}

void bench_scan_lookback(bench_session* s, const bench_job* job) {
    uint32_t n = bench_param_u32(job, "n");
    if (valid_size(s, n)) run_scan_lookback(s, job, n);
}
