/* The wgslrun-result/1 JSON (bench/README.md, "Result format") that `wgslrun bench` and
 * `wgslrun compare` write: the header both share, and bench's per-job results. */
#include <math.h>

#include "bench.h"

static void json_text(json_writer* w, const char* key, const char* value) {
    json_key(w, key);
    json_string_value(w, value);
}

static void json_number_or_null(json_writer* w, const char* key, double x) {
    json_key(w, key);
    if (isfinite(x)) json_number_value(w, x);
    else json_null_value(w);
}

static void json_flag(json_writer* w, const char* key, bool value) {
    json_key(w, key);
    json_bool_value(w, value);
}

static void json_metric(json_writer* w, const char* key, const bench_metric_info* info, bool has_value, double value) {
    json_key(w, key);
    json_begin_object(w);
    json_text(w, "name", info->name);
    json_text(w, "unit", info->unit);
    json_key(w, "value");
    if (has_value) json_number_value(w, value);
    else json_null_value(w);
    json_text(w, "better", info->better);
    json_end_object(w);
}

static void json_outcome(json_writer* w, const bench_result* r) {
    json_key(w, "verified");
    if (r->outcome == BENCH_UNSUPPORTED) {
        json_null_value(w);
        json_text(w, "unsupported", r->error);
    } else {
        json_bool_value(w, r->outcome == BENCH_VERIFIED);
    }
    json_key(w, "max_error");
    if (r->has_max_error) json_number_value(w, r->max_error);
    else json_null_value(w);
    json_text(w, "error", r->outcome == BENCH_FAILED ? r->error : NULL);
}

/* How the sampling ended: bench/README.md, "Result format". */
static void json_noise(json_writer* w, const bench_job* job, const bench_noise* noise) {
    json_key(w, "noise");
    json_begin_object(w);
    json_number_or_null(w, "samples", noise->samples);
    json_number_or_null(w, "rsd", noise->rsd);
    json_flag(w, "converged", noise->converged);
    json_number_or_null(w, "rsd_target", job->rsd_target > 0 ? job->rsd_target : NAN);
    json_text(w, "stopped_by", noise->stopped_by);
    json_end_object(w);
}

static void json_samples(json_writer* w, const bench_result* r) {
    json_key(w, "samples_ms");
    json_begin_array_inline(w);
    for (uint32_t i = 0; i < r->kept_samples; i++) json_number_value(w, r->samples_ms[i]);
    json_end_array(w);
}

void bench_json_result(json_writer* w, const bench_job* job, const bench_result* r) {
    bool timed = r->outcome == BENCH_VERIFIED;
    json_begin_object(w);
    json_text(w, "case", job->case_id);
    json_text(w, "class", job->case_class);
    json_text(w, "variant", job->variant[0] ? job->variant : NULL);
    if (job->tag[0]) json_text(w, "tag", job->tag);
    json_key(w, "params");
    json_begin_object(w);
    for (size_t i = 0; i < job->param_count; i++) {
        json_key(w, job->params[i].name);
        json_number_value(w, job->params[i].value);
    }
    json_end_object(w);
    json_outcome(w, r);
    json_text(w, "timing", timed ? (r->gpu_timed ? "gpu" : "wall") : NULL);
    timing_stats_json(w, "time_ms", r->gpu_timed ? r->gpu_ms : r->wall_ms);
    timing_stats_json(w, "wall_ms", r->wall_ms);
    timing_stats_json(w, "gpu_ms", r->gpu_ms);
    json_metric(w, "metric", &job->metric.info, timed, r->metric_value);
    if (r->has_extra_metric) json_metric(w, "extra_metric", &r->extra_metric.info, true, r->extra_metric.value);
    if (timed && r->noise.samples > 0) json_noise(w, job, &r->noise);
    if (timed && r->kept_samples > 0) json_samples(w, r);
    json_end_object(w);
}

void bench_json_settle(json_writer* w, const bench_settle* settle) {
    json_key(w, "settle");
    json_begin_object(w);
    json_number_or_null(w, "max_seconds", settle->max_seconds);
    json_number_or_null(w, "seconds", settle->seconds);
    json_number_or_null(w, "samples", settle->samples);
    json_number_or_null(w, "spread", settle->spread);
    json_flag(w, "settled", settle->settled);
    json_text(w, "error", settle->error[0] ? settle->error : NULL);
    json_end_object(w);
}

static void json_machine(json_writer* w) {
    bench_machine machine;
    bench_describe_machine(&machine);
    json_key(w, "machine");
    json_begin_object(w);
    json_text(w, "hostname", machine.hostname);
    json_text(w, "cpu", machine.cpu);
    json_text(w, "os", machine.os);
    json_end_object(w);
}

void bench_json_header(json_writer* w, const bench_result_header* h) {
    json_text(w, "schema", "wgslrun-result/1");
    json_text(w, "method", h->method);
    json_text(w, "implementation", h->implementation);
    json_text(w, "adapter", h->adapter);
    json_text(w, "backend", h->backend);
    json_text(w, "driver", h->driver);
    json_text(w, "device_class", h->device_class);
    json_machine(w);
    json_key(w, "versions");
    json_begin_object(w);
    json_text(w, "wgslrun", WR_VERSION);
    for (size_t i = 0; i < h->version_count; i++) json_text(w, h->versions[i].name, h->versions[i].version);
    json_end_object(w);
    json_text(w, "date", h->date);
    json_text(w, "command", h->command);
    json_text(w, "size", h->size);
}
