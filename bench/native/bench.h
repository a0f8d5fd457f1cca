/*
 * The native benchmark runner behind `wgslrun bench`: the suite expanded into jobs, the case
 * interface, and the helpers every case shares (buffers, kernels, random data, verification,
 * the timing loop). bench/README.md is the specification each case implements.
 *
 * A case is a function that runs one job on a session and fills the session's result. The
 * helpers it calls fail "sticky": after the first failure they do nothing and return NULL or
 * false, so a case writes its steps in a row and checks once. Everything a helper creates is
 * owned by the session and released by bench_release after the job.
 */
#ifndef WGSLRUN_BENCH_H
#define WGSLRUN_BENCH_H

#include <regex.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "json.h"
#include "stats.h"
#include "wgslrun.h"

#define BENCH_MAX_PARAMS 8
#define BENCH_TEXT_MAX 64
#define BENCH_ERROR_MAX 1024
#define BENCH_PATH_MAX 1024
#define BENCH_MAX_SAMPLES 100000

/* ---------------------------------------------------------------- jobs (bench_suite.c) */

typedef struct bench_param {
    char name[BENCH_TEXT_MAX];
    double value;
} bench_param;

typedef struct bench_metric_info {
    char name[BENCH_TEXT_MAX];
    char unit[BENCH_TEXT_MAX];
    char better[BENCH_TEXT_MAX];  /* "higher" or "lower" */
} bench_metric_info;

#define BENCH_MAX_COUNT_PARAMS 4

typedef enum bench_metric_rule {
    BENCH_GIGA_PER_SECOND,  /* count / seconds / 1e9 */
    BENCH_TIME_PER_COUNT,   /* the time in the unit (ms or us) / count */
} bench_metric_rule;

/* suite.json's metric: what it is called and how a runner computes it from one run's time
 * (bench/schema/suite.schema.json). count = factor * the named parameters, times the sum of
 * the verification run's output when output_sum is set. */
typedef struct bench_metric_spec {
    bench_metric_info info;
    bench_metric_rule rule;
    double factor;
    char count_params[BENCH_MAX_COUNT_PARAMS][BENCH_TEXT_MAX];
    size_t count_param_count;
    bool output_sum;
} bench_metric_spec;

/* suite.json's verify: the rule's tolerance and the sampling it names (0 where it names none). */
typedef struct bench_verify {
    char rule[BENCH_TEXT_MAX];
    double tolerance;
    uint32_t samples, check_all_up_to_n, row_stride;
} bench_verify;

/* One result to produce: a case at one size, one variant and one value of each parameter
 * (a parameter given as a list in suite.json, like transfer's bytes, yields a job per value). */
typedef struct bench_job {
    char case_id[BENCH_TEXT_MAX];
    char case_class[BENCH_TEXT_MAX];
    char variant[BENCH_TEXT_MAX];         /* "" when the case has no variants */
    char label[2 * BENCH_TEXT_MAX + 64];  /* "id[/variant][ name=value]", for messages */
    char kernel_path[BENCH_PATH_MAX];     /* resolved against the suite's directory; "" if none */
    char tag[BENCH_TEXT_MAX];             /* the suite entry's "tag" (which kernel it names); "" if none */
    char requires[BENCH_TEXT_MAX];        /* device features the case needs, comma-separated */
    bench_param params[BENCH_MAX_PARAMS];
    size_t param_count;
    uint32_t inner, warmup, samples;     /* samples: the minimum (suite.json timing) */
    double warmup_seconds;               /* warm up at least this long too; 0: warmup samples only */
    uint32_t max_samples;                /* == samples when the timing is fixed */
    double rsd_target;                   /* stop once the RSD is at most this; 0: fixed count */
    double max_seconds;                  /* stop after this long of timed samples; 0: no cap */
    bench_param constants[BENCH_MAX_PARAMS];  /* suite.json constants: kernel uniforms, coefficients */
    size_t constant_count;
    bench_verify verify;
    bench_metric_spec metric;
    bool has_extra_metric;
    bench_metric_spec extra_metric;      /* e2e_saxpy's bandwidth */
} bench_job;

typedef struct bench_plan {
    bench_job* jobs;
    size_t count;
    double settle_seconds;  /* suite.json timing.<size>.settle_seconds; 0: no warm-up load */
} bench_plan;

/* Reads suite_path and expands the cases of `size` ("small" or "large") whose label's name
 * ("id" or "id/variant") matches `filter` (NULL: all). On failure returns false with a message
 * naming the file in `error`. */
bool bench_plan_load(const char* suite_path, const char* size, const regex_t* filter, bench_plan* out,
                     char* error, size_t error_size);
void bench_plan_free(bench_plan* plan);

/* A parameter of the job, or 0 when absent; each case checks its own with bench_require. */
double bench_param_value(const bench_job* job, const char* name);
uint32_t bench_param_u32(const bench_job* job, const char* name);
/* A constant of the job's case (suite.json "constants"), or NAN when absent. */
double bench_constant(const bench_job* job, const char* name);

/* ---------------------------------------------------------------- results */

typedef enum bench_outcome {
    BENCH_VERIFIED = 0,
    BENCH_FAILED,        /* verification failed or the run hit an error: no times */
    BENCH_UNSUPPORTED,   /* this runner or device cannot run the case */
} bench_outcome;

typedef struct bench_metric_value {
    bench_metric_info info;
    double value;
} bench_metric_value;

/* How the timed samples ended (bench/README.md, "noise"). */
typedef struct bench_noise {
    uint32_t samples;   /* timed samples taken */
    double rsd;         /* sample standard deviation / mean of the per-run times the metric uses */
    bool converged;     /* rsd reached the job's rsd_target */
    const char* stopped_by; /* "rsd_target", "max_seconds", "max_samples" or "fixed" */
} bench_noise;

/* Samples a result keeps in the order they ran (suite.json's max_samples is 200 today). */
#define BENCH_KEPT_SAMPLES 256

typedef struct bench_result {
    bench_outcome outcome;
    char error[BENCH_ERROR_MAX];  /* why it failed or is unsupported */
    bool has_max_error;
    double max_error;             /* the quantity the case's tolerance bounds */
    bool gpu_timed;               /* the metric uses gpu_ms */
    timing_stats wall_ms, gpu_ms;    /* per run (sample / inner); count 0 when absent */
    bench_noise noise;            /* set when the case was timed */
    /* The metric's per-run times (gpu_ms when gpu_timed, else wall_ms), in the order they ran,
     * warm-up excluded: a clock ramp or two alternating states show apart from noise. */
    double samples_ms[BENCH_KEPT_SAMPLES];
    uint32_t kept_samples;
    double metric_value;
    bool has_extra_metric;        /* e2e_saxpy also reports bandwidth */
    bench_metric_value extra_metric;
} bench_result;

/* The per-run time the metric uses, in milliseconds. */
double bench_time_ms(const bench_result* result);

/* One element of the result file's "results": the job and what running it gave. */
void bench_json_result(json_writer* w, const bench_job* job, const bench_result* result);

/* ---------------------------------------------------------------- the machine (bench_machine.c) */

typedef struct bench_machine {
    char hostname[256];
    char cpu[256];        /* model name from /proc/cpuinfo; "unknown" elsewhere */
    char os[256];         /* "Linux 6.18" */
} bench_machine;

void bench_describe_machine(bench_machine* out);
/* The current time as ISO 8601 UTC, "2026-11-24T13:00:00Z". */
void bench_utc_now(char* out, size_t size);
/* The package the implementation was installed from ("bun-webgpu-linux-x64 0.1.7"), as pinned
 * in scripts/deps.lock, when it was loaded from this source tree's deps/; else "unknown". */
void bench_impl_version(const wr_adapter_info* info, char* out, size_t size);

/* ---------------------------------------------------------------- result files (bench_result_json.c) */

typedef struct bench_version {
    const char* name;     /* "dawn", "node", ... */
    const char* version;  /* NULL writes null */
} bench_version;

/* What a wgslrun-result/1 file says about where it was measured; the writer adds the schema,
 * the machine (bench_describe_machine) and wgslrun's own version. NULL strings write null. */
typedef struct bench_result_header {
    const char* method;          /* "native-c", ... */
    const char* implementation;
    const char* adapter;
    const char* backend;
    const char* driver;
    const char* device_class;    /* "gpu" or "cpu" */
    const bench_version* versions; /* after "wgslrun" */
    size_t version_count;
    const char* date;
    const char* command;
    const char* size;            /* "small", "large", "compare" */
} bench_result_header;

/* The header's members, written into the open top-level object. */
void bench_json_header(json_writer* w, const bench_result_header* header);

/* ---------------------------------------------------------------- settling (bench_settle.c) */

typedef struct bench_settle {
    bool ran;
    double max_seconds;  /* the cap asked for */
    double seconds;      /* how long the load ran */
    uint32_t samples;    /* timed samples of the load */
    double spread;       /* (max - min) / median of the last samples' times; NaN before enough */
    bool settled;        /* the spread came within a few percent before the cap */
    char error[BENCH_ERROR_MAX];
} bench_settle;

/* The warm-up load as the result file's "settle" member. */
void bench_json_settle(json_writer* w, const bench_settle* settle);

/* Loads the GPU with the suite's copy kernel (kernels/stream.wgsl beside suite_path) until
 * consecutive timings agree within 3% (after at least a second) or max_seconds pass. */
bool bench_settle_load(wr_context* ctx, const char* suite_path, double max_seconds, bench_settle* out);

/* ---------------------------------------------------------------- sessions (bench_common.c) */

#define BENCH_MAX_OWNED 64

typedef enum bench_owned_kind {
    BENCH_OWNED_HOST,    /* malloc'd memory */
    BENCH_OWNED_BUFFER,
    BENCH_OWNED_KERNEL,
    BENCH_OWNED_BATCH,
} bench_owned_kind;

typedef struct bench_owned {
    bench_owned_kind kind;
    void* item;
} bench_owned;

typedef struct bench_session {
    wr_context* ctx;
    bench_result* result;         /* of the job being run */
    bench_owned owned[BENCH_MAX_OWNED];  /* what the current job created, for bench_release */
    size_t owned_count;
    char* source;                 /* the job's kernel file */
} bench_session;

/* Runs `job` on the session's context into *result (cleared first). */
void bench_run_job(bench_session* s, const bench_job* job, bench_result* result);
void bench_release(bench_session* s);

/* The cases (one file per family): each runs one job and fills s->result. */
void bench_copy(bench_session* s, const bench_job* job);
void bench_triad(bench_session* s, const bench_job* job);
void bench_reduce(bench_session* s, const bench_job* job);
void bench_scan(bench_session* s, const bench_job* job);
void bench_scan_lookback(bench_session* s, const bench_job* job);
void bench_histogram(bench_session* s, const bench_job* job);
void bench_sgemm_naive(bench_session* s, const bench_job* job);
void bench_sgemm_tiled(bench_session* s, const bench_job* job);
void bench_nbody(bench_session* s, const bench_job* job);
void bench_stencil(bench_session* s, const bench_job* job);
void bench_mandelbrot(bench_session* s, const bench_job* job);
void bench_dispatch(bench_session* s, const bench_job* job);
void bench_transfer(bench_session* s, const bench_job* job);
void bench_e2e_saxpy(bench_session* s, const bench_job* job);

/* ---------------------------------------------------------------- failing */

bool bench_failed(const bench_session* s);
/* Records a failure (the first one wins); returns false for `return bench_fail(...)`. */
bool bench_fail(bench_session* s, const char* fmt, ...) __attribute__((format(printf, 2, 3)));
/* Records the context's last error, prefixed with what was being done. */
bool bench_fail_ctx(bench_session* s, const char* doing);
void bench_unsupported(bench_session* s, const char* fmt, ...) __attribute__((format(printf, 2, 3)));
/* The job's variant (or its lack of one) is not one the case implements. */
void bench_unsupported_variant(bench_session* s, const bench_job* job);

/* Fails with "suite parameters: <what>" unless ok, for parameters a case cannot run with. */
bool bench_require(bench_session* s, bool ok, const char* what);

/* ---------------------------------------------------------------- random data */

/* splitmix64: small, fast, and the same sequence on every platform. */
typedef struct bench_rng {
    uint64_t state;
} bench_rng;

bench_rng bench_rng_for(const bench_job* job);  /* seeded from the case id */
uint32_t bench_rng_u32(bench_rng* rng);
float bench_rng_float(bench_rng* rng, float low, float high); /* uniform in [low, high) */

/* ---------------------------------------------------------------- resources */

/* Host memory owned by the session (malloc'd). */
void* bench_host(bench_session* s, size_t bytes);
float* bench_random_floats(bench_session* s, bench_rng* rng, size_t count, float low, float high);

wr_buffer* bench_storage(bench_session* s, const char* label, size_t bytes);
/* A storage buffer holding `bytes` of `data`. */
wr_buffer* bench_storage_with(bench_session* s, const char* label, const void* data, size_t bytes);
/* A storage buffer whose bytes are all 0xFF (NaN as floats), so unwritten outputs show. */
wr_buffer* bench_poisoned(bench_session* s, const char* label, size_t bytes);
wr_buffer* bench_uniform(bench_session* s, const char* label, const void* data, size_t bytes);
bool bench_upload(bench_session* s, wr_buffer* buffer, const void* data, size_t bytes);
bool bench_zero(bench_session* s, wr_buffer* buffer, size_t bytes);
bool bench_download(bench_session* s, wr_buffer* buffer, void* data, size_t bytes);

/* An entry point of the job's kernel file. */
wr_kernel* bench_kernel(bench_session* s, const bench_job* job, const char* entry);

typedef struct bench_grid {
    uint32_t count[3];
} bench_grid;

bench_grid bench_grid_of(uint32_t x, uint32_t y, uint32_t z);
/* A 1D dispatch of `invocations`, folded into y past 65535 workgroups as the suite defines. */
bench_grid bench_grid_1d(uint64_t invocations, uint32_t workgroup_size);
/* ceil(width / tile) x ceil(height / tile) workgroups. */
bench_grid bench_grid_2d(uint32_t width, uint32_t height, uint32_t tile);

/* A batch whose dispatches share one compute pass, as in the Rust and JavaScript runners: each
 * dispatch is its own usage scope, so WebGPU orders one's writes before the next one's reads, and
 * wgpu-native charges about 5 us per extra pass on the H200 (results/archive/h200-2026-12-01-03/stencil/kernels_probe.txt).
 * gpu_timing asks for timestamp queries where the device has them. */
wr_batch* bench_batch(bench_session* s, bool gpu_timing);
bool bench_add(bench_session* s, wr_batch* batch, const wr_kernel* kernel, const wr_binding* bindings,
               size_t binding_count, bench_grid grid);
/* One run, waited for: the verification run. */
bool bench_run_once(bench_session* s, wr_batch* batch);

/* ---------------------------------------------------------------- verifying and timing */

/* Records max_error and, when !ok, a verification failure described by `what`. */
bool bench_check(bench_session* s, bool ok, double max_error, const char* what);
/* bench_check against the suite's tolerance: fails with "<quantity> over <tolerance>" unless
 * error <= job->verify.tolerance (NaN fails). */
bool bench_check_within(bench_session* s, const bench_job* job, double error, const char* quantity);

/* One timed sample: `inner` runs back to back; fills wall_ms and gpu_ms (< 0 if none) for the
 * whole sample. */
typedef bool (*bench_sample_fn)(bench_session* s, void* state, uint32_t inner, wr_timing* timing);

/* warmup untimed samples (and more until job->warmup_seconds have passed), then timed ones until the RSD of the per-run times is at most
 * job->rsd_target (after at least job->samples), job->max_seconds of timed samples have passed,
 * or job->max_samples were taken; records per-run statistics and the noise. */
bool bench_measure(bench_session* s, const bench_job* job, bench_sample_fn sample, void* state);
bool bench_measure_batch(bench_session* s, const bench_job* job, wr_batch* batch);

/* Sets the metric (and the extra metric, when the suite has one) from the median per-run time
 * by the suite's rule; output_sum is the verification output's sum for counts that use it. */
void bench_set_metric(bench_session* s, const bench_job* job, double output_sum);

/* Seconds on the monotonic clock, for time caps. */
double bench_monotonic_seconds(void);

/* Relative error |got - want| / |want| (absolute when want is 0). */
double bench_relative_error(double got, double want);

#endif
