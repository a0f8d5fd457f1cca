/* Reading suite.json and expanding it into jobs: one per case, variant and list value. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "json.h"

typedef struct suite_reader {
    const char* path;
    char* error;
    size_t error_size;
} suite_reader;

static bool reject(const suite_reader* r, const char* fmt, ...) __attribute__((format(printf, 2, 3)));

static bool reject(const suite_reader* r, const char* fmt, ...) {
    int used = snprintf(r->error, r->error_size, "%s: ", r->path);
    va_list args;
    va_start(args, fmt);
    if (used >= 0 && (size_t)used < r->error_size) vsnprintf(r->error + used, r->error_size - (size_t)used, fmt, args);
    va_end(args);
    return false;
}

static bool copy_text(const suite_reader* r, const char* case_id, const char* what, const char* value, char* out,
                      size_t size) {
    if (value == NULL) return reject(r, "case '%s': '%s' must be a string", case_id, what);
    if (strlen(value) >= size) return reject(r, "case '%s': '%s' is too long", case_id, what);
    snprintf(out, size, "%s", value);
    return true;
}

static bool read_count(const suite_reader* r, const json_value* object, const char* key, double minimum,
                       const char* where, uint32_t* out) {
    const json_value* v = json_object_get(object, key);
    double x = json_number(v);
    if (json_type_of(v) != JSON_NUMBER || x != floor(x) || x < minimum || x > UINT32_MAX)
        return reject(r, "%s: '%s' must be an integer >= %g", where, key, minimum);
    *out = (uint32_t)x;
    return true;
}

/* The optional adaptive rule (bench/README.md, rule 2): without "rsd_target" the count is fixed. */
static bool read_seconds(const suite_reader* r, const json_value* timing, const char* key, double* out) {
    const json_value* v = json_object_get(timing, key);
    *out = 0.0;
    if (v == NULL) return true;
    if (json_type_of(v) != JSON_NUMBER || !(json_number(v) > 0))
        return reject(r, "timing: '%s' must be a number > 0", key);
    *out = json_number(v);
    return true;
}

static bool read_adaptive(const suite_reader* r, const json_value* timing, bench_job* job) {
    job->max_samples = job->samples;
    if (!read_seconds(r, timing, "rsd_target", &job->rsd_target) ||
        !read_seconds(r, timing, "max_seconds", &job->max_seconds) ||
        !read_seconds(r, timing, "warmup_seconds", &job->warmup_seconds))
        return false;
    if (json_object_get(timing, "max_samples") == NULL) return true;
    if (!read_count(r, timing, "max_samples", job->samples, "timing", &job->max_samples)) return false;
    if (job->max_samples > BENCH_MAX_SAMPLES) return reject(r, "timing: 'max_samples' must be at most %d", BENCH_MAX_SAMPLES);
    return true;
}

/* ---------------------------------------------------------------- one case */

typedef struct case_template {
    bench_job job;                      /* everything but the variant and the list value */
    const json_value* variants;         /* array of strings, or NULL */
    const json_value* list;             /* the one list-valued parameter, or NULL */
    size_t list_param;                  /* its index in job.params */
} case_template;

static bool read_count_rule(const suite_reader* r, const char* id, const char* key, const json_value* m,
                            bench_metric_spec* out) {
    const char* rule = json_get_string(m, "rule", "");
    if (strcmp(rule, "giga_per_second") == 0) out->rule = BENCH_GIGA_PER_SECOND;
    else if (strcmp(rule, "time_per_count") == 0) out->rule = BENCH_TIME_PER_COUNT;
    else return reject(r, "case '%s': '%s.rule' must be giga_per_second or time_per_count", id, key);
    if (out->rule == BENCH_TIME_PER_COUNT && strcmp(out->info.unit, "ms") != 0 && strcmp(out->info.unit, "us") != 0)
        return reject(r, "case '%s': '%s.unit' must be ms or us for time_per_count", id, key);
    const json_value* count = json_object_get(m, "count");
    const json_value* names = json_object_get(count, "params");
    out->factor = json_get_number(count, "factor", 0);
    if (!(out->factor > 0) || json_type_of(names) != JSON_ARRAY)
        return reject(r, "case '%s': '%s.count' needs a factor > 0 and a list of params", id, key);
    if (json_array_length(names) > BENCH_MAX_COUNT_PARAMS)
        return reject(r, "case '%s': '%s.count' names more than %d params", id, key, BENCH_MAX_COUNT_PARAMS);
    for (size_t i = 0; i < json_array_length(names); i++)
        if (!copy_text(r, id, "count parameter", json_string(json_array_at(names, i)), out->count_params[i],
                       sizeof out->count_params[i]))
            return false;
    out->count_param_count = json_array_length(names);
    out->output_sum = json_bool(json_object_get(count, "output_sum"));
    return true;
}

/* suite.json's metric or extra_metric (bench/schema/suite.schema.json). */
static bool read_metric(const suite_reader* r, const bench_job* job, const json_value* m, const char* key,
                        bench_metric_spec* out) {
    const char* id = job->case_id;
    bench_metric_info* info = &out->info;
    return copy_text(r, id, "metric.name", json_get_string(m, "name", NULL), info->name, sizeof info->name) &&
           copy_text(r, id, "metric.unit", json_get_string(m, "unit", NULL), info->unit, sizeof info->unit) &&
           copy_text(r, id, "metric.better", json_get_string(m, "better", NULL), info->better, sizeof info->better) &&
           read_count_rule(r, id, key, m, out);
}

static bool read_metrics(const suite_reader* r, const json_value* c, bench_job* job) {
    const json_value* extra = json_object_get(c, "extra_metric");
    job->has_extra_metric = extra != NULL;
    return read_metric(r, job, json_object_get(c, "metric"), "metric", &job->metric) &&
           (extra == NULL || read_metric(r, job, extra, "extra_metric", &job->extra_metric));
}

static bool read_optional_count(const suite_reader* r, const json_value* object, const char* key, const char* where,
                                uint32_t* out) {
    return json_object_get(object, key) == NULL || read_count(r, object, key, 1, where, out);
}

/* suite.json's verify: the rule, and a tolerance unless the rule is exact. */
static bool read_verify(const suite_reader* r, const json_value* c, bench_job* job) {
    const json_value* v = json_object_get(c, "verify");
    char where[BENCH_TEXT_MAX + 16];
    snprintf(where, sizeof where, "case '%s' verify", job->case_id);
    if (!copy_text(r, job->case_id, "verify.rule", json_get_string(v, "rule", NULL), job->verify.rule,
                   sizeof job->verify.rule))
        return false;
    const json_value* tolerance = json_object_get(v, "tolerance");
    if (strcmp(job->verify.rule, "exact") != 0 &&
        (json_type_of(tolerance) != JSON_NUMBER || !(json_number(tolerance) > 0)))
        return reject(r, "%s: 'tolerance' must be a number > 0", where);
    job->verify.tolerance = tolerance ? json_number(tolerance) : 0;
    return read_optional_count(r, v, "samples", where, &job->verify.samples) &&
           read_optional_count(r, v, "check_all_up_to_n", where, &job->verify.check_all_up_to_n) &&
           read_optional_count(r, v, "row_stride", where, &job->verify.row_stride);
}

static bool read_constants(const suite_reader* r, const json_value* c, bench_job* job) {
    const json_value* constants = json_object_get(c, "constants");
    if (constants == NULL) return true;
    if (json_type_of(constants) != JSON_OBJECT || json_object_length(constants) > BENCH_MAX_PARAMS)
        return reject(r, "case '%s': 'constants' must be an object of at most %d numbers", job->case_id,
                      BENCH_MAX_PARAMS);
    for (size_t i = 0; i < json_object_length(constants); i++) {
        const json_value* v = json_object_value_at(constants, i);
        bench_param* p = &job->constants[job->constant_count++];
        if (!copy_text(r, job->case_id, "constant name", json_object_key_at(constants, i), p->name, sizeof p->name))
            return false;
        if (json_type_of(v) != JSON_NUMBER)
            return reject(r, "case '%s': constant '%s' must be a number", job->case_id, p->name);
        p->value = json_number(v);
    }
    return true;
}

static bool read_params(const suite_reader* r, const json_value* sizes, case_template* t) {
    bench_job* job = &t->job;
    if (json_type_of(sizes) != JSON_OBJECT) return reject(r, "case '%s': 'sizes' lacks this size", job->case_id);
    if (json_object_length(sizes) > BENCH_MAX_PARAMS)
        return reject(r, "case '%s': more than %d parameters", job->case_id, BENCH_MAX_PARAMS);
    for (size_t i = 0; i < json_object_length(sizes); i++) {
        const char* name = json_object_key_at(sizes, i);
        const json_value* v = json_object_value_at(sizes, i);
        bench_param* p = &job->params[job->param_count];
        if (!copy_text(r, job->case_id, "parameter name", name, p->name, sizeof p->name)) return false;
        if (json_type_of(v) == JSON_ARRAY) {
            if (t->list != NULL) return reject(r, "case '%s': only one parameter may be a list", job->case_id);
            if (json_array_length(v) == 0) return reject(r, "case '%s': parameter '%s' is an empty list", job->case_id, name);
            for (size_t k = 0; k < json_array_length(v); k++)
                if (json_type_of(json_array_at(v, k)) != JSON_NUMBER)
                    return reject(r, "case '%s': parameter '%s' must list numbers", job->case_id, name);
            t->list = v;
            t->list_param = job->param_count;
        } else if (json_type_of(v) == JSON_NUMBER) {
            p->value = json_number(v);
        } else {
            return reject(r, "case '%s': parameter '%s' must be a number or a list of numbers", job->case_id, name);
        }
        job->param_count++;
    }
    return true;
}

/* "requires": the WebGPU features (suite names, "subgroups") a case cannot run without. */
static bool read_requires(const suite_reader* r, const json_value* list, bench_job* job) {
    if (list == NULL) return true;
    if (json_type_of(list) != JSON_ARRAY) return reject(r, "case '%s': 'requires' must be a list of strings", job->case_id);
    for (size_t i = 0; i < json_array_length(list); i++) {
        const char* name = json_string(json_array_at(list, i));
        if (name == NULL) return reject(r, "case '%s': 'requires' must be a list of strings", job->case_id);
        size_t used = strlen(job->requires);
        if (used + strlen(name) + 2 > sizeof job->requires) return reject(r, "case '%s': 'requires' is too long", job->case_id);
        snprintf(job->requires + used, sizeof job->requires - used, "%s%s", used ? "," : "", name);
    }
    return true;
}

static void resolve_kernel(const char* suite_path, const char* kernel, char* out, size_t size) {
    const char* slash = strrchr(suite_path, '/');
    if (kernel[0] == '/' || slash == NULL) snprintf(out, size, "%s", kernel);
    else snprintf(out, size, "%.*s/%s", (int)(slash - suite_path), suite_path, kernel);
}

static bool read_case(const suite_reader* r, const json_value* c, const char* size, const json_value* timing,
                      case_template* t) {
    bench_job* job = &t->job;
    *t = (case_template){0};
    if (!copy_text(r, "?", "id", json_get_string(c, "id", NULL), job->case_id, sizeof job->case_id)) return false;
    char where[BENCH_TEXT_MAX + 16];
    snprintf(where, sizeof where, "case '%s'", job->case_id);
    if (!copy_text(r, job->case_id, "class", json_get_string(c, "class", NULL), job->case_class, sizeof job->case_class) ||
        !read_metrics(r, c, job) || !read_verify(r, c, job) || !read_constants(r, c, job) || !read_count(r, json_object_get(c, "inner"), size, 1, where, &job->inner) ||
        !read_count(r, timing, "warmup", 0, "timing", &job->warmup) ||
        !read_count(r, timing, "samples", 1, "timing", &job->samples) || !read_adaptive(r, timing, job) ||
        !read_params(r, json_object_get(json_object_get(c, "sizes"), size), t) ||
        !read_requires(r, json_object_get(c, "requires"), job))
        return false;
    if (json_object_get(c, "tag") != NULL &&
        !copy_text(r, job->case_id, "tag", json_get_string(c, "tag", NULL), job->tag, sizeof job->tag))
        return false;
    const char* kernel = json_get_string(c, "kernel", NULL);
    if (kernel != NULL) resolve_kernel(r->path, kernel, job->kernel_path, sizeof job->kernel_path);
    t->variants = json_object_get(c, "variants");
    if (t->variants != NULL && (json_type_of(t->variants) != JSON_ARRAY || json_array_length(t->variants) == 0))
        return reject(r, "case '%s': 'variants' must be a non-empty list", job->case_id);
    return true;
}

/* ---------------------------------------------------------------- expansion */

static bool matches(const regex_t* filter, const char* name) {
    return filter == NULL || regexec(filter, name, 0, NULL, 0) == 0;
}

static bool append_job(bench_plan* plan, const bench_job* job) {
    bench_job* grown = realloc(plan->jobs, (plan->count + 1) * sizeof *grown);
    if (grown == NULL) return false;
    plan->jobs = grown;
    plan->jobs[plan->count++] = *job;
    return true;
}

static bool expand_case(const suite_reader* r, const case_template* t, const regex_t* filter, bench_plan* plan) {
    size_t variant_count = t->variants ? json_array_length(t->variants) : 1;
    size_t value_count = t->list ? json_array_length(t->list) : 1;
    for (size_t v = 0; v < variant_count; v++) {
        bench_job job = t->job;
        if (t->variants != NULL &&
            !copy_text(r, job.case_id, "variant", json_string(json_array_at(t->variants, v)), job.variant,
                       sizeof job.variant))
            return false;
        char name[sizeof job.case_id + sizeof job.variant + 1];
        snprintf(name, sizeof name, "%s%s%s", job.case_id, job.variant[0] ? "/" : "", job.variant);
        if (!matches(filter, name)) continue;
        for (size_t k = 0; k < value_count; k++) {
            snprintf(job.label, sizeof job.label, "%s", name);
            if (t->list != NULL) {
                bench_param* p = &job.params[t->list_param];
                p->value = json_number(json_array_at(t->list, k));
                size_t used = strlen(job.label);
                snprintf(job.label + used, sizeof job.label - used, " %s=%.0f", p->name, p->value);
            }
            if (!append_job(plan, &job)) return reject(r, "out of host memory");
        }
    }
    return true;
}

static bool expand_suite(const suite_reader* r, const json_value* root, const char* size, const regex_t* filter,
                         bench_plan* plan) {
    const char* schema = json_get_string(root, "schema", "");
    if (strcmp(schema, "wgslrun-suite/1") != 0)
        return reject(r, "not a wgslrun suite (schema '%s', expected 'wgslrun-suite/1')", schema);
    const json_value* timing = json_object_get(json_object_get(root, "timing"), size);
    if (json_type_of(timing) != JSON_OBJECT) return reject(r, "no timing for size '%s'", size);
    const json_value* settle = json_object_get(timing, "settle_seconds");
    if (settle != NULL && (json_type_of(settle) != JSON_NUMBER || !(json_number(settle) >= 0)))
        return reject(r, "timing: 'settle_seconds' must be a number >= 0");
    plan->settle_seconds = settle ? json_number(settle) : 0.0;
    const json_value* cases = json_object_get(root, "cases");
    if (json_type_of(cases) != JSON_ARRAY) return reject(r, "'cases' must be a list");
    for (size_t i = 0; i < json_array_length(cases); i++) {
        case_template t;
        if (!read_case(r, json_array_at(cases, i), size, timing, &t) || !expand_case(r, &t, filter, plan))
            return false;
    }
    return true;
}

bool bench_plan_load(const char* suite_path, const char* size, const regex_t* filter, bench_plan* out, char* error,
                     size_t error_size) {
    *out = (bench_plan){0};
    json_value* root = json_parse_file(suite_path, error, error_size);
    if (root == NULL) return false;
    suite_reader reader = {.path = suite_path, .error = error, .error_size = error_size};
    bool ok = expand_suite(&reader, root, size, filter, out);
    json_free(root);
    if (!ok) bench_plan_free(out);
    return ok;
}

void bench_plan_free(bench_plan* plan) {
    free(plan->jobs);
    *plan = (bench_plan){0};
}

double bench_param_value(const bench_job* job, const char* name) {
    for (size_t i = 0; i < job->param_count; i++)
        if (strcmp(job->params[i].name, name) == 0) return job->params[i].value;
    return 0.0;
}

uint32_t bench_param_u32(const bench_job* job, const char* name) {
    double v = bench_param_value(job, name);
    return v > 0 && v <= UINT32_MAX ? (uint32_t)v : 0;
}

double bench_constant(const bench_job* job, const char* name) {
    for (size_t i = 0; i < job->constant_count; i++)
        if (strcmp(job->constants[i].name, name) == 0) return job->constants[i].value;
    return NAN;
}
