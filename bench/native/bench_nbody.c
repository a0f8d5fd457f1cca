/* All-pairs N-body accelerations (bench/README.md: nbody). */
#include <math.h>

#include "bench.h"

#define NBODY_TILE 256u

typedef struct nbody_params {
    uint32_t n;
    float eps2;
} nbody_params;

static void reference_accel(const float* bodies, uint32_t n, uint32_t i, float eps2, double out[3]) {
    const float* p = &bodies[(size_t)i * 4];
    out[0] = out[1] = out[2] = 0;
    for (uint32_t j = 0; j < n; j++) {
        const float* q = &bodies[(size_t)j * 4];
        double d[3] = {(double)q[0] - p[0], (double)q[1] - p[1], (double)q[2] - p[2]};
        double r2 = d[0] * d[0] + d[1] * d[1] + d[2] * d[2] + eps2;
        double scale = q[3] / (r2 * sqrt(r2));
        for (int k = 0; k < 3; k++) out[k] += scale * d[k];
    }
}

/* The error of a body is |a - reference| / |reference|: the vector's error relative to its
 * magnitude. w must be exactly 0. */
static void verify(bench_session* s, const bench_job* job, const nbody_params* params, const float* bodies,
                   const float* accel) {
    uint32_t n = params->n;
    bench_rng rng = bench_rng_for(job);
    double worst = 0;
    for (uint32_t k = 0; k < job->verify.samples; k++) {
        uint32_t i = bench_rng_u32(&rng) % n;
        double want[3];
        reference_accel(bodies, n, i, params->eps2, want);
        const float* got = &accel[(size_t)i * 4];
        double diff2 = 0, norm2 = 0;
        for (int d = 0; d < 3; d++) {
            diff2 += (got[d] - want[d]) * (got[d] - want[d]);
            norm2 += want[d] * want[d];
        }
        double error = got[3] != 0.0f || isnan(diff2) ? INFINITY : sqrt(diff2 / norm2);
        worst = error > worst ? error : worst;
    }
    bench_check_within(s, job, worst, "relative error of an acceleration (or w != 0)");
}

static void run_nbody(bench_session* s, const bench_job* job, uint32_t n) {
    size_t bytes = (size_t)n * 4 * sizeof(float);
    bench_rng rng = bench_rng_for(job);
    float* bodies = bench_host(s, bytes);
    for (uint32_t i = 0; bodies != NULL && i < n; i++) {
        for (int d = 0; d < 3; d++) bodies[i * 4 + d] = bench_rng_float(&rng, -1.0f, 1.0f);
        bodies[i * 4 + 3] = bench_rng_float(&rng, 0.5f, 1.0f);
    }
    nbody_params params = {n, (float)bench_constant(job, "eps2")};
    wr_binding bindings[] = {
        {.name = "bodies", .buffer = bench_storage_with(s, "bodies", bodies, bytes)},
        {.name = "accel", .buffer = bench_poisoned(s, "accel", bytes)},
        {.name = "params", .buffer = bench_uniform(s, "params", &params, sizeof params)},
    };
    wr_batch* batch = bench_batch(s, true);
    bench_add(s, batch, bench_kernel(s, job, "nbody_forces"), bindings, 3, bench_grid_of(n / NBODY_TILE, 1, 1));
    float* accel = bench_host(s, bytes);
    bench_run_once(s, batch);
    if (!bench_download(s, bindings[1].buffer, accel, bytes)) return;
    verify(s, job, &params, bodies, accel);
    if (bench_measure_batch(s, job, batch)) bench_set_metric(s, job, 0);
}

void bench_nbody(bench_session* s, const bench_job* job) {
    uint32_t n = bench_param_u32(job, "n");
    if (bench_require(s, n > 0 && n % NBODY_TILE == 0, "n must be a positive multiple of 256") &&
        bench_require(s, isfinite(bench_constant(job, "eps2")), "constants.eps2 must be a number") &&
        bench_require(s, job->verify.samples > 0, "verify.samples must be positive"))
        run_nbody(s, job, n);
}
