/* Marks where each benchmark job and its timed loop begin and end, so the host can attribute
 * the calls and bytes that crossed the wasm/JavaScript boundary to one result. The native
 * runner (bench/native) is linked unchanged: wasm-ld's --wrap routes its calls through here
 * (see build.sh), and the host counts; nothing here touches WebGPU. */
#include <stdint.h>

#include "bench.h"

#define HOST_IMPORT(name) __attribute__((import_module("wgslrun_host"), import_name(name)))

HOST_IMPORT("job_begin") void host_job_begin(const char* label);
HOST_IMPORT("job_end") void host_job_end(int verified);
HOST_IMPORT("measure_begin") void host_measure_begin(void);
HOST_IMPORT("measure_end") void host_measure_end(uint32_t samples);

void __real_bench_run_job(bench_session* s, const bench_job* job, bench_result* result);
bool __real_bench_measure(bench_session* s, const bench_job* job, bench_sample_fn sample, void* state);
bool __real_bench_measure_batch(bench_session* s, const bench_job* job, wr_batch* batch);

void __wrap_bench_run_job(bench_session* s, const bench_job* job, bench_result* result);
bool __wrap_bench_measure(bench_session* s, const bench_job* job, bench_sample_fn sample, void* state);
bool __wrap_bench_measure_batch(bench_session* s, const bench_job* job, wr_batch* batch);

/* bench_measure_batch calls bench_measure; only the outermost call marks the loop. */
static int measure_depth;

void __wrap_bench_run_job(bench_session* s, const bench_job* job, bench_result* result) {
    host_job_begin(job->label);
    __real_bench_run_job(s, job, result);
    host_job_end(result->outcome == BENCH_VERIFIED);
}

static void measure_begin(void) {
    if (measure_depth++ == 0) host_measure_begin();
}

/* warmup + samples: every sample of the loop does the same work, timed or not. */
static void measure_end(const bench_job* job) {
    if (--measure_depth == 0) host_measure_end(job->warmup + job->samples);
}

bool __wrap_bench_measure(bench_session* s, const bench_job* job, bench_sample_fn sample, void* state) {
    measure_begin();
    bool ok = __real_bench_measure(s, job, sample, state);
    measure_end(job);
    return ok;
}

bool __wrap_bench_measure_batch(bench_session* s, const bench_job* job, wr_batch* batch) {
    measure_begin();
    bool ok = __real_bench_measure_batch(s, job, batch);
    measure_end(job);
    return ok;
}
