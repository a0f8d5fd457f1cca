/* Tests of the native runner's sampling (bench_measure in bench/native): scripted sample times
 * stand in for a GPU, so the sampling rule, the statistics and the samples kept in order can be
 * checked exactly. */
#include "bench.h"

#include "check.h"

#include <string.h>
#include <time.h>

typedef struct script {
    const double* gpu_ms;  /* per call, warm-up included; < 0: the sample has no GPU time */
    size_t count, next;
    long sleep_ns;         /* each call also takes this long */
    double started[64];    /* when each of the first 64 calls began (bench_monotonic_seconds) */
} script;

static bool scripted_sample(bench_session* s, void* state, uint32_t inner, wr_timing* timing) {
    (void)s;
    script* sc = state;
    if (sc->next < 64) sc->started[sc->next] = bench_monotonic_seconds();
    if (sc->sleep_ns > 0) nanosleep(&(struct timespec){0, sc->sleep_ns}, NULL);
    double ms = sc->gpu_ms[sc->next < sc->count ? sc->next : sc->count - 1] * inner;
    sc->next++;
    timing->gpu_ms = ms;
    timing->wall_ms = ms < 0 ? 1.0 * inner : ms + 0.5 * inner;
    return true;
}

static bench_job job_of(uint32_t warmup, uint32_t samples, uint32_t max_samples, double rsd_target) {
    bench_job job = {.inner = 1, .warmup = warmup, .samples = samples, .max_samples = max_samples,
                     .rsd_target = rsd_target};
    snprintf(job.label, sizeof job.label, "scripted");
    return job;
}

static void measure(const bench_job* job, script* sc, bench_result* result) {
    memset(result, 0, sizeof *result);
    bench_session session = {.result = result};
    CHECK(bench_measure(&session, job, scripted_sample, sc));
    bench_release(&session);
}

/* A slow tail after a steady start: the samples stay in the order they ran, not sorted. */
static void test_samples_keep_their_order(void) {
    const double times[] = {50, 50, 5, 5, 5, 5, 5, 19, 19, 4};
    script sc = {times, sizeof times / sizeof times[0], 0, 0, {0}};
    bench_job job = job_of(2, 8, 8, 0);
    bench_result r;
    measure(&job, &sc, &r);
    const double want[] = {5, 5, 5, 5, 5, 19, 19, 4};
    CHECK(r.kept_samples == 8);
    for (uint32_t i = 0; i < 8; i++) CHECK_MSG(r.samples_ms[i] == want[i], "sample %u: %g, want %g", i, r.samples_ms[i], want[i]);
    CHECK(r.gpu_timed && r.gpu_ms.count == 8 && r.gpu_ms.min == 4 && r.gpu_ms.max == 19 && r.gpu_ms.median == 5);
    CHECK(r.wall_ms.median == 5.5);
    CHECK(r.noise.samples == 8 && strcmp(r.noise.stopped_by, "fixed") == 0);
}

/* Steady times meet the RSD target at the minimum count; alternating ones run to max_samples. */
static void test_adaptive_stop(void) {
    const double steady[] = {9, 5, 5, 5, 5};
    script sc = {steady, 5, 0, 0, {0}};
    bench_job job = job_of(1, 3, 20, 0.01);
    bench_result r;
    measure(&job, &sc, &r);
    CHECK(r.noise.samples == 3 && r.noise.converged && strcmp(r.noise.stopped_by, "rsd_target") == 0);

    const double alternating[] = {5, 19, 5, 19, 5, 19, 5, 19, 5, 19, 5, 19};
    sc = (script){alternating, 12, 0, 0, {0}};
    job = job_of(0, 3, 12, 0.01);
    measure(&job, &sc, &r);
    CHECK(r.noise.samples == 12 && !r.noise.converged && strcmp(r.noise.stopped_by, "max_samples") == 0);
    for (uint32_t i = 0; i < 12; i++) CHECK(r.samples_ms[i] == alternating[i]);
}

/* One sample without GPU time makes the case wall-timed, and the kept samples are wall times. */
static void test_missing_gpu_time_falls_back_to_wall(void) {
    const double times[] = {3, -1, 2};
    script sc = {times, 3, 0, 0, {0}};
    bench_job job = job_of(0, 3, 3, 0);
    bench_result r;
    measure(&job, &sc, &r);
    CHECK(!r.gpu_timed && r.gpu_ms.count == 0);
    CHECK(r.kept_samples == 3 && r.samples_ms[0] == 3.5 && r.samples_ms[1] == 1.0 && r.samples_ms[2] == 2.5);
}

/* The warm-up runs its count and then on until warmup_seconds have passed. */
static void test_warmup_by_time(void) {
    const double times[] = {5};
    script sc = {times, 1, 0, 2000000, {0}};
    bench_job job = job_of(1, 3, 3, 0);
    job.warmup_seconds = 0.02;
    bench_result r;
    measure(&job, &sc, &r);
    size_t warmed = sc.next - r.noise.samples;
    /* The first timed sample starts once 20 ms have passed, the last warm-up one before (give or
     * take the microseconds between the loop's clock and the script's). */
    CHECK_MSG(warmed >= 2 && warmed < 60, "%zu warm-up samples", warmed);
    if (warmed >= 2 && warmed < 60) {
        CHECK(sc.started[warmed] - sc.started[0] >= 0.0195);
        CHECK(sc.started[warmed - 1] - sc.started[0] < 0.0205);
    }
    sc = (script){times, 1, 0, 0, {0}};
    job.warmup_seconds = 0;
    job.warmup = 4;
    measure(&job, &sc, &r);
    CHECK(sc.next - r.noise.samples == 4);
}

int main(void) {
    test_samples_keep_their_order();
    test_adaptive_stop();
    test_missing_gpu_time_falls_back_to_wall();
    test_warmup_by_time();
    return check_summary();
}
