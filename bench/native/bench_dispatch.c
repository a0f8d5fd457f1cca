/* Dispatch overhead of a one-invocation kernel, three ways (bench/README.md: dispatch). */
#include <math.h>
#include <string.h>

#include "bench.h"

typedef struct dispatch_state {
    wr_batch* batch;          /* one dispatch of `tick` */
    uint32_t dispatches;
} dispatch_state;

static bool failed_call(bench_session* s) {
    return bench_fail_ctx(s, "dispatching");
}

/* All dispatches in one compute pass: wr_batch_run's repeat records them in one pass. */
static bool one_pass(bench_session* s, dispatch_state* d) {
    return wr_batch_run(s->ctx, d->batch, d->dispatches, NULL) == WR_OK || failed_call(s);
}

static bool submit_each(bench_session* s, dispatch_state* d) {
    for (uint32_t i = 0; i < d->dispatches; i++)
        if (wr_batch_submit(s->ctx, d->batch, 1) != WR_OK) return failed_call(s);
    return wr_context_wait_idle(s->ctx) == WR_OK || failed_call(s);
}

static bool round_trip(bench_session* s, dispatch_state* d) {
    for (uint32_t i = 0; i < d->dispatches; i++)
        if (wr_batch_run(s->ctx, d->batch, 1, NULL) != WR_OK) return failed_call(s);
    return true;
}

typedef struct dispatch_variant {
    const char* name;
    bool (*run)(bench_session* s, dispatch_state* d);
} dispatch_variant;

static const dispatch_variant variants[] = {
    {"one_pass", one_pass},
    {"submit_each", submit_each},
    {"round_trip", round_trip},
};

typedef struct timed_variant {
    const dispatch_variant* variant;
    dispatch_state state;
} timed_variant;

/* The metric is host-observed overhead, so samples are timed on the host clock only. */
static bool sample(bench_session* s, void* state, uint32_t inner, wr_timing* timing) {
    timed_variant* t = state;
    double start = wr_now_ms();
    for (uint32_t i = 0; i < inner; i++)
        if (!t->variant->run(s, &t->state)) return false;
    *timing = (wr_timing){.wall_ms = wr_now_ms() - start, .gpu_ms = -1.0};
    return true;
}

static const dispatch_variant* find_variant(const char* name) {
    for (size_t i = 0; i < sizeof variants / sizeof variants[0]; i++)
        if (strcmp(variants[i].name, name) == 0) return &variants[i];
    return NULL;
}

static void run_dispatch(bench_session* s, const bench_job* job, timed_variant* t) {
    wr_buffer* counter = bench_storage(s, "counter", sizeof(uint32_t));
    wr_binding binding = {.name = "counter", .buffer = counter};
    t->state.batch = bench_batch(s, false);
    bench_add(s, t->state.batch, bench_kernel(s, job, "tick"), &binding, 1, bench_grid_of(1, 1, 1));
    uint32_t total = 0;
    if (!bench_zero(s, counter, sizeof total) || !t->variant->run(s, &t->state) ||
        !bench_download(s, counter, &total, sizeof total))
        return;
    double error = fabs((double)total - t->state.dispatches);
    bench_check(s, error == 0, error, "the counter does not equal the number of dispatches");
    if (bench_measure(s, job, sample, t))
        bench_set_metric(s, job, 0);
}

void bench_dispatch(bench_session* s, const bench_job* job) {
    timed_variant t = {.variant = find_variant(job->variant), .state.dispatches = bench_param_u32(job, "dispatches")};
    if (t.variant == NULL) bench_unsupported_variant(s, job);
    else if (bench_require(s, t.state.dispatches > 0, "dispatches must be positive")) run_dispatch(s, job, &t);
}
