/* Warm-up load before a run's first case (`wgslrun bench --settle SECONDS`). A GPU idles at a
 * low clock (an H200 at 345 MHz) and ramps up under load, so without it the first cases are
 * timed while the clock climbs. The load is the suite's own copy kernel, run until consecutive
 * timings agree or the cap passes; clocks are never set. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"

#define SETTLE_VEC4 (1u << 20)      /* 16 MiB per buffer: bandwidth-bound on any GPU */
#define SETTLE_WINDOW 5             /* consecutive samples that must agree */
#define SETTLE_SPREAD 0.03          /* (max - min) / median of the window */
#define SETTLE_MIN_SECONDS 1.0      /* load at least this long (or the cap, if shorter) */
#define SETTLE_SAMPLE_MS 10.0       /* grow the dispatches per sample until a sample takes this */
#define SETTLE_MAX_INNER 4096u

static int compare_doubles(const void* a, const void* b) {
    double x = *(const double*)a, y = *(const double*)b;
    return (x > y) - (x < y);
}

/* (max - min) / median of the last SETTLE_WINDOW per-dispatch times, ring-buffered. */
static double window_spread(const double* ring) {
    double sorted[SETTLE_WINDOW];
    memcpy(sorted, ring, sizeof sorted);
    qsort(sorted, SETTLE_WINDOW, sizeof sorted[0], compare_doubles);
    double median = sorted[SETTLE_WINDOW / 2];
    return median > 0 ? (sorted[SETTLE_WINDOW - 1] - sorted[0]) / median : INFINITY;
}

/* The copy case's kernel and bindings, recorded in one batch on the session. */
static wr_batch* settle_batch(bench_session* s, const bench_job* job) {
    struct { float scalar; uint32_t n; } params = {1.0f, SETTLE_VEC4};
    size_t bytes = (size_t)SETTLE_VEC4 * 4 * sizeof(float);
    wr_binding bindings[] = {
        {.name = "src_b", .buffer = bench_poisoned(s, "settle_src", bytes)},
        {.name = "dst", .buffer = bench_poisoned(s, "settle_dst", bytes)},
        {.name = "params", .buffer = bench_uniform(s, "params", &params, sizeof params)},
    };
    wr_kernel* kernel = bench_kernel(s, job, "copy");
    wr_batch* batch = bench_batch(s, true);
    bench_add(s, batch, kernel, bindings, 3, bench_grid_1d(SETTLE_VEC4, 256));
    return bench_failed(s) ? NULL : batch;
}

static void load_until_settled(bench_session* s, wr_batch* batch, double max_seconds, bench_settle* out) {
    double ring[SETTLE_WINDOW] = {0};
    uint32_t inner = 1;
    double start = bench_monotonic_seconds(), min_seconds = fmin(SETTLE_MIN_SECONDS, max_seconds);
    while (out->seconds < max_seconds) {
        wr_timing timing;
        if (wr_batch_run(s->ctx, batch, inner, &timing) != WR_OK) {
            bench_fail_ctx(s, "settling");
            return;
        }
        out->seconds = bench_monotonic_seconds() - start;
        if (timing.wall_ms < SETTLE_SAMPLE_MS && inner < SETTLE_MAX_INNER) {
            inner *= 2;  /* too short to time steadily: not a sample yet */
            continue;
        }
        ring[out->samples++ % SETTLE_WINDOW] = (timing.gpu_ms >= 0 ? timing.gpu_ms : timing.wall_ms) / inner;
        if (out->samples < SETTLE_WINDOW) continue;
        out->spread = window_spread(ring);
        if (out->spread <= SETTLE_SPREAD && out->seconds >= min_seconds) {
            out->settled = true;
            return;
        }
    }
}

bool bench_settle_load(wr_context* ctx, const char* suite_path, double max_seconds, bench_settle* out) {
    *out = (bench_settle){.ran = true, .max_seconds = max_seconds, .spread = NAN};
    bench_job job = {.inner = 1};
    const char* slash = strrchr(suite_path, '/');
    snprintf(job.kernel_path, sizeof job.kernel_path, "%.*s%skernels/stream.wgsl", slash ? (int)(slash - suite_path) : 0,
             suite_path, slash ? "/" : "");
    bench_result scratch = {0};
    bench_session s = {.ctx = ctx, .result = &scratch};
    wr_batch* batch = settle_batch(&s, &job);
    if (batch != NULL) load_until_settled(&s, batch, max_seconds, out);
    bench_release(&s);
    if (scratch.outcome == BENCH_VERIFIED) return true;
    snprintf(out->error, sizeof out->error, "%s", scratch.error);
    return false;
}
