/* What every case shares: failing, random data, owned resources, the timing loop, metrics. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench.h"
#include "wgsl_file.h"

/* ---------------------------------------------------------------- the cases */

/* This runner's name in unsupported results: bench/wasm compiles this file to wasm32 too. */
#if defined(__wasm32__)
#define BENCH_RUNNER "C-wasm runner"
#else
#define BENCH_RUNNER "native runner"
#endif

typedef void (*bench_case_fn)(bench_session* s, const bench_job* job);

typedef struct case_entry {
    const char* id;
    bench_case_fn run;
    bool has_variants;     /* it reads job->variant, and reports the ones it lacks itself */
} case_entry;

static const case_entry case_table[] = {
    {"copy", bench_copy, false},
    {"triad", bench_triad, false},
    {"reduce", bench_reduce, false},
    {"reduce_subgroups", bench_reduce, false},
    {"scan", bench_scan, false},
    {"scan_lookback", bench_scan_lookback, false},
    {"histogram", bench_histogram, false},
    {"sgemm_naive", bench_sgemm_naive, false},
    {"sgemm_tiled", bench_sgemm_tiled, false},
    {"sgemm_subgroups", bench_sgemm_tiled, false},
    {"nbody", bench_nbody, false},
    {"stencil", bench_stencil, false},
    {"mandelbrot", bench_mandelbrot, false},
    {"dispatch", bench_dispatch, true},
    {"transfer", bench_transfer, true},
    {"e2e_saxpy", bench_e2e_saxpy, false},
};

static const case_entry* find_case(const char* case_id) {
    for (size_t i = 0; i < sizeof case_table / sizeof case_table[0]; i++)
        if (strcmp(case_table[i].id, case_id) == 0) return &case_table[i];
    return NULL;
}

/* Whether the context's device has the suite-named feature; unknown names count as absent. */
static bool device_has(const wr_context* ctx, const char* feature, size_t length) {
    const wr_adapter_info* info = wr_context_info(ctx);
    if (length == strlen("subgroups") && strncmp(feature, "subgroups", length) == 0) return info->has_subgroups;
    return false;
}

/* Marks the job unsupported, naming the first feature of "requires" the device lacks. */
static bool has_requirements(bench_session* s, const bench_job* job) {
    for (const char* p = job->requires; *p != '\0';) {
        size_t length = strcspn(p, ",");
        if (!device_has(s->ctx, p, length)) {
            const wr_adapter_info* info = wr_context_info(s->ctx);
            bench_unsupported(s, "the case requires the '%.*s' feature, which %s's device on '%s' does not have",
                              (int)length, p, info->impl_name, info->device);
            return false;
        }
        p += length + (p[length] == ',');
    }
    return true;
}

void bench_run_job(bench_session* s, const bench_job* job, bench_result* result) {
    *result = (bench_result){.outcome = BENCH_VERIFIED};
    s->result = result;
    /* A case or variant of the suite this runner lacks is a result saying so (bench/README.md). */
    const case_entry* entry = find_case(job->case_id);
    if (entry == NULL) bench_unsupported(s, "not implemented by the " BENCH_RUNNER ": case '%s'", job->case_id);
    else if (job->variant[0] != '\0' && !entry->has_variants) bench_unsupported_variant(s, job);
    else if (has_requirements(s, job)) entry->run(s, job);
    if (result->outcome == BENCH_VERIFIED && !result->has_max_error)
        bench_fail(s, "internal: case '%s' finished without verifying its output", job->case_id);
    /* A failed or unsupported case reports no time, whatever it measured before failing. */
    if (result->outcome != BENCH_VERIFIED) {
        result->wall_ms = result->gpu_ms = (timing_stats){0};
        result->gpu_timed = false;
        result->has_extra_metric = false;
    }
    bench_release(s);
}

static void release_one(bench_owned o) {
    switch (o.kind) {
    case BENCH_OWNED_HOST: free(o.item); break;
    case BENCH_OWNED_BUFFER: wr_buffer_destroy(o.item); break;
    case BENCH_OWNED_KERNEL: wr_kernel_destroy(o.item); break;
    case BENCH_OWNED_BATCH: wr_batch_destroy(o.item); break;
    }
}

/* In reverse order of creation: batches before the kernels and buffers they reference. */
void bench_release(bench_session* s) {
    while (s->owned_count > 0) release_one(s->owned[--s->owned_count]);
    free(s->source);
    s->source = NULL;
}

/* ---------------------------------------------------------------- failing */

bool bench_failed(const bench_session* s) {
    return s->result->outcome != BENCH_VERIFIED;
}

static void record(bench_session* s, bench_outcome outcome, const char* fmt, va_list args) {
    if (bench_failed(s)) return;
    s->result->outcome = outcome;
    vsnprintf(s->result->error, sizeof s->result->error, fmt, args);
}

bool bench_fail(bench_session* s, const char* fmt, ...) {
    va_list args;
    va_start(args, fmt);
    record(s, BENCH_FAILED, fmt, args);
    va_end(args);
    return false;
}

bool bench_fail_ctx(bench_session* s, const char* doing) {
    return bench_fail(s, "%s: %s", doing, wr_context_error(s->ctx));
}

void bench_unsupported(bench_session* s, const char* fmt, ...) {
    va_list args;
    va_start(args, fmt);
    record(s, BENCH_UNSUPPORTED, fmt, args);
    va_end(args);
}

void bench_unsupported_variant(bench_session* s, const bench_job* job) {
    if (job->variant[0] == '\0')
        bench_unsupported(s, "not implemented by the " BENCH_RUNNER ": case '%s' without a variant", job->case_id);
    else
        bench_unsupported(s, "not implemented by the " BENCH_RUNNER ": variant '%s/%s'", job->case_id, job->variant);
}

bool bench_require(bench_session* s, bool ok, const char* what) {
    if (bench_failed(s)) return false;
    return ok || bench_fail(s, "suite parameters: %s", what);
}

/* ---------------------------------------------------------------- random data */

bench_rng bench_rng_for(const bench_job* job) {
    /* FNV-1a of the case id: every case gets its own stream, the same on every run. */
    uint64_t h = 0xcbf29ce484222325ull;
    for (const char* p = job->case_id; *p; p++) h = (h ^ (unsigned char)*p) * 0x100000001b3ull;
    return (bench_rng){h};
}

static uint64_t next64(bench_rng* rng) {
    uint64_t z = (rng->state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

uint32_t bench_rng_u32(bench_rng* rng) {
    return (uint32_t)(next64(rng) >> 32);
}

float bench_rng_float(bench_rng* rng, float low, float high) {
    /* 24 random bits: every value is exact in f32 and strictly below 1. */
    float unit = (float)(next64(rng) >> 40) * (1.0f / 16777216.0f);
    float x = low + (high - low) * unit;
    return x < high ? x : low;
}

/* ---------------------------------------------------------------- resources */

/* Takes ownership of `item`; releases it at once when the session is full. */
static bool own(bench_session* s, bench_owned_kind kind, void* item) {
    bench_owned o = {kind, item};
    if (s->owned_count == BENCH_MAX_OWNED) {
        release_one(o);
        return bench_fail(s, "internal: a case created more than %d resources", BENCH_MAX_OWNED);
    }
    s->owned[s->owned_count++] = o;
    return true;
}

void* bench_host(bench_session* s, size_t bytes) {
    if (bench_failed(s)) return NULL;
    void* p = malloc(bytes ? bytes : 1);
    if (p == NULL) {
        bench_fail(s, "out of host memory (%zu bytes)", bytes);
        return NULL;
    }
    return own(s, BENCH_OWNED_HOST, p) ? p : NULL;
}

float* bench_random_floats(bench_session* s, bench_rng* rng, size_t count, float low, float high) {
    float* values = bench_host(s, count * sizeof *values);
    for (size_t i = 0; values != NULL && i < count; i++) values[i] = bench_rng_float(rng, low, high);
    return values;
}

static wr_buffer* create_buffer(bench_session* s, const char* label, size_t bytes, wr_buffer_kind kind) {
    if (bench_failed(s)) return NULL;
    wr_buffer* buffer = NULL;
    if (wr_buffer_create(s->ctx, &(wr_buffer_desc){.size = bytes, .kind = kind, .label = label}, &buffer) != WR_OK) {
        bench_fail_ctx(s, "creating a buffer");
        return NULL;
    }
    return own(s, BENCH_OWNED_BUFFER, buffer) ? buffer : NULL;
}

wr_buffer* bench_storage(bench_session* s, const char* label, size_t bytes) {
    return create_buffer(s, label, bytes, WR_BUFFER_STORAGE);
}

wr_buffer* bench_storage_with(bench_session* s, const char* label, const void* data, size_t bytes) {
    wr_buffer* buffer = create_buffer(s, label, bytes, WR_BUFFER_STORAGE);
    return bench_upload(s, buffer, data, bytes) ? buffer : NULL;
}

wr_buffer* bench_poisoned(bench_session* s, const char* label, size_t bytes) {
    unsigned char* poison = bench_host(s, bytes);
    if (poison != NULL) memset(poison, 0xFF, bytes);
    return bench_storage_with(s, label, poison, bytes);
}

wr_buffer* bench_uniform(bench_session* s, const char* label, const void* data, size_t bytes) {
    wr_buffer* buffer = create_buffer(s, label, bytes, WR_BUFFER_UNIFORM);
    return bench_upload(s, buffer, data, bytes) ? buffer : NULL;
}

bool bench_upload(bench_session* s, wr_buffer* buffer, const void* data, size_t bytes) {
    if (bench_failed(s)) return false;
    if (wr_buffer_upload(s->ctx, buffer, 0, data, bytes) != WR_OK) return bench_fail_ctx(s, "uploading");
    return true;
}

bool bench_zero(bench_session* s, wr_buffer* buffer, size_t bytes) {
    void* zeros = bench_host(s, bytes);
    if (zeros != NULL) memset(zeros, 0, bytes);
    return bench_upload(s, buffer, zeros, bytes);
}

bool bench_download(bench_session* s, wr_buffer* buffer, void* data, size_t bytes) {
    if (bench_failed(s)) return false;
    if (wr_buffer_download(s->ctx, buffer, 0, data, bytes) != WR_OK) return bench_fail_ctx(s, "reading back");
    return true;
}

static const char* kernel_source(bench_session* s, const bench_job* job) {
    if (s->source == NULL) {
        char error[BENCH_ERROR_MAX];
        if (job->kernel_path[0] == '\0') bench_fail(s, "case '%s' names no kernel file in the suite", job->case_id);
        else if ((s->source = read_wgsl_file(job->kernel_path, error, sizeof error)) == NULL) bench_fail(s, "%s", error);
    }
    return s->source;
}

wr_kernel* bench_kernel(bench_session* s, const bench_job* job, const char* entry) {
    if (bench_failed(s)) return NULL;
    const char* source = kernel_source(s, job);
    if (source == NULL) return NULL;
    wr_kernel* kernel = NULL;
    wr_kernel_desc desc = {.source = source, .source_name = job->kernel_path, .entry = entry};
    if (wr_kernel_create(s->ctx, &desc, &kernel) != WR_OK) {
        bench_fail_ctx(s, "compiling");
        return NULL;
    }
    return own(s, BENCH_OWNED_KERNEL, kernel) ? kernel : NULL;
}

bench_grid bench_grid_of(uint32_t x, uint32_t y, uint32_t z) {
    return (bench_grid){{x, y, z}};
}

#define BENCH_FOLD_LIMIT 65535u

bench_grid bench_grid_1d(uint64_t invocations, uint32_t workgroup_size) {
    uint64_t groups = (invocations + workgroup_size - 1) / workgroup_size;
    if (groups <= BENCH_FOLD_LIMIT) return bench_grid_of((uint32_t)groups, 1, 1);
    /* Balanced, as the spec folds: (65535, 2) for 65536 groups would launch twice the work. */
    uint64_t rows = (groups + BENCH_FOLD_LIMIT - 1) / BENCH_FOLD_LIMIT;
    return bench_grid_of((uint32_t)((groups + rows - 1) / rows), (uint32_t)rows, 1);
}

bench_grid bench_grid_2d(uint32_t width, uint32_t height, uint32_t tile) {
    return bench_grid_of((width + tile - 1) / tile, (height + tile - 1) / tile, 1);
}

wr_batch* bench_batch(bench_session* s, bool gpu_timing) {
    if (bench_failed(s)) return NULL;
    wr_batch* batch = NULL;
    wr_batch_desc desc = {.gpu_timing = gpu_timing};
    if (wr_batch_create(s->ctx, &desc, &batch) != WR_OK) {
        bench_fail_ctx(s, "creating a batch");
        return NULL;
    }
    return own(s, BENCH_OWNED_BATCH, batch) ? batch : NULL;
}

bool bench_add(bench_session* s, wr_batch* batch, const wr_kernel* kernel, const wr_binding* bindings,
               size_t binding_count, bench_grid grid) {
    if (bench_failed(s)) return false;
    wr_dispatch_desc desc = {.kernel = kernel, .bindings = bindings, .binding_count = binding_count};
    memcpy(desc.workgroups, grid.count, sizeof desc.workgroups);
    if (wr_batch_add(s->ctx, batch, &desc) != WR_OK) return bench_fail_ctx(s, "recording a dispatch");
    return true;
}

bool bench_run_once(bench_session* s, wr_batch* batch) {
    if (bench_failed(s)) return false;
    if (wr_batch_run(s->ctx, batch, 1, NULL) != WR_OK) return bench_fail_ctx(s, "running");
    return true;
}

/* ---------------------------------------------------------------- verifying and timing */

bool bench_check(bench_session* s, bool ok, double max_error, const char* what) {
    if (bench_failed(s)) return false;
    s->result->has_max_error = true;
    s->result->max_error = max_error;
    if (!ok) return bench_fail(s, "verification failed: %s (max error %.6g)", what, max_error);
    return true;
}

/* 1e-4 rather than 0.0001: a tolerance reads as suite.json writes it. */
static void format_tolerance(double tolerance, char* out, size_t size) {
    int exponent = (int)floor(log10(tolerance));
    double mantissa = tolerance / pow(10.0, exponent);
    if (exponent < -2 && fabs(mantissa - round(mantissa)) < 1e-9) snprintf(out, size, "%.0fe%d", mantissa, exponent);
    else snprintf(out, size, "%g", tolerance);
}

bool bench_check_within(bench_session* s, const bench_job* job, double error, const char* quantity) {
    char tolerance[32], what[BENCH_ERROR_MAX / 2];
    format_tolerance(job->verify.tolerance, tolerance, sizeof tolerance);
    snprintf(what, sizeof what, "%s over %s", quantity, tolerance);
    return bench_check(s, error <= job->verify.tolerance, error, what);
}

double bench_relative_error(double got, double want) {
    double diff = fabs(got - want);
    if (isnan(got) || isnan(want)) return INFINITY;
    return want != 0.0 ? diff / fabs(want) : diff;
}

typedef struct sample_times {
    double* wall_ms;
    double* gpu_ms;
    uint32_t count;
    bool all_gpu;
} sample_times;

double bench_monotonic_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Sample standard deviation over the mean; 0 for fewer than two values. */
static double relative_sd(const double* values, uint32_t n) {
    if (n < 2) return 0.0;
    double mean = 0.0, squares = 0.0;
    for (uint32_t i = 0; i < n; i++) mean += values[i];
    mean /= n;
    for (uint32_t i = 0; i < n; i++) squares += (values[i] - mean) * (values[i] - mean);
    return mean > 0 ? sqrt(squares / (n - 1)) / mean : INFINITY;
}

/* Whether to take another timed sample; sets the noise when not. The RSD is of the times the
 * metric will use (GPU while every sample has GPU time). */
static bool keep_sampling(const bench_job* job, const sample_times* t, double elapsed_s, bench_noise* noise) {
    noise->samples = t->count;
    noise->rsd = relative_sd(t->all_gpu ? t->gpu_ms : t->wall_ms, t->count);
    if (t->count < job->samples) return true;
    bool adaptive = job->rsd_target > 0;
    noise->converged = adaptive && noise->rsd <= job->rsd_target;
    if (noise->converged) noise->stopped_by = "rsd_target";
    else if (t->count >= job->max_samples) noise->stopped_by = adaptive ? "max_samples" : "fixed";
    else if (job->max_seconds > 0 && elapsed_s >= job->max_seconds) noise->stopped_by = "max_seconds";
    else return true;
    return false;
}

static bool take_samples(bench_session* s, const bench_job* job, bench_sample_fn sample, void* state,
                         sample_times* t) {
    wr_timing timing;
    /* By time as well as count: the GPU idles down while a case's CPU reference runs, and on the
     * H200 five 5 ms samples did not bring its clock back (results/h200/notes/stencil-clocks.md). */
    double warm_start = bench_monotonic_seconds();
    for (uint32_t i = 0; i < job->warmup || bench_monotonic_seconds() - warm_start < job->warmup_seconds; i++)
        if (!sample(s, state, job->inner, &timing)) return false;
    t->all_gpu = true;
    double start = bench_monotonic_seconds();
    bench_noise* noise = &s->result->noise;
    do {
        if (!sample(s, state, job->inner, &timing)) return false;
        t->wall_ms[t->count] = timing.wall_ms / job->inner;
        t->gpu_ms[t->count] = timing.gpu_ms / job->inner;
        t->all_gpu = t->all_gpu && timing.gpu_ms >= 0;
        t->count++;
    } while (keep_sampling(job, t, bench_monotonic_seconds() - start, noise));
    return true;
}

bool bench_measure(bench_session* s, const bench_job* job, bench_sample_fn sample, void* state) {
    if (bench_failed(s)) return false;
    uint32_t most = job->max_samples > job->samples ? job->max_samples : job->samples;
    sample_times t = {bench_host(s, most * sizeof(double)), bench_host(s, most * sizeof(double)), 0, false};
    if (t.wall_ms == NULL || t.gpu_ms == NULL || !take_samples(s, job, sample, state, &t)) return false;
    bench_result* r = s->result;
    /* Kept before the statistics, which sort the times in place. */
    r->kept_samples = t.count < BENCH_KEPT_SAMPLES ? t.count : BENCH_KEPT_SAMPLES;
    memcpy(r->samples_ms, t.all_gpu ? t.gpu_ms : t.wall_ms, r->kept_samples * sizeof(double));
    r->wall_ms = timing_stats_of(t.wall_ms, t.count);
    /* A sample without GPU time (timestamps missing or unreadable) makes the case wall-timed. */
    r->gpu_timed = t.all_gpu;
    r->gpu_ms = t.all_gpu ? timing_stats_of(t.gpu_ms, t.count) : (timing_stats){0};
    return true;
}

static bool run_batch_sample(bench_session* s, void* state, uint32_t inner, wr_timing* timing) {
    if (wr_batch_run(s->ctx, state, inner, timing) != WR_OK) return bench_fail_ctx(s, "running a timed sample");
    return true;
}

bool bench_measure_batch(bench_session* s, const bench_job* job, wr_batch* batch) {
    return bench_measure(s, job, run_batch_sample, batch);
}

double bench_time_ms(const bench_result* result) {
    return result->gpu_timed ? result->gpu_ms.median : result->wall_ms.median;
}

static double metric_count(const bench_job* job, const bench_metric_spec* spec, double output_sum) {
    double count = spec->factor;
    for (size_t i = 0; i < spec->count_param_count; i++) count *= bench_param_value(job, spec->count_params[i]);
    return spec->output_sum ? count * output_sum : count;
}

static double metric_value(const bench_job* job, const bench_metric_spec* spec, double ms, double output_sum) {
    double count = metric_count(job, spec, output_sum);
    if (spec->rule == BENCH_TIME_PER_COUNT) return ms * (strcmp(spec->info.unit, "us") == 0 ? 1000.0 : 1.0) / count;
    return ms > 0 ? count / (ms * 1e6) : INFINITY;
}

void bench_set_metric(bench_session* s, const bench_job* job, double output_sum) {
    double ms = bench_time_ms(s->result);
    s->result->metric_value = metric_value(job, &job->metric, ms, output_sum);
    if (!job->has_extra_metric) return;
    s->result->has_extra_metric = true;
    s->result->extra_metric = (bench_metric_value){
        .info = job->extra_metric.info,
        .value = metric_value(job, &job->extra_metric, ms, output_sum),
    };
}
