/* `wgslrun compare`: the table on stdout, one wgslrun-result/1 file per method (bench/README.md,
 * "Result format") and the HTML report drawn from those files by the report module. A method
 * whose outputs differ from the agreeing methods' gets no time, as a failed verification. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "bench.h"
#include "cmd_compare.h"
#include "json.h"
#include "paths.h"
#include "report_model.h"
#include "report_render.h"
#include "report_write.h"

static size_t runs_done(const cmp_plan* plan) {
    size_t n = 0;
    for (size_t i = 0; i < plan->run_count; i++) n += plan->runs[i].state == CMP_DONE;
    return n;
}

static bool timed(const cmp_run* r) {
    return r->state == CMP_DONE && r->agrees;
}

/* Another method computed the same outputs. */
static bool confirmed(const cmp_plan* plan, const cmp_run* r) {
    for (size_t i = 0; i < plan->run_count; i++)
        if (&plan->runs[i] != r && plan->runs[i].state == CMP_DONE && plan->runs[i].group == r->group) return timed(r);
    return false;
}

/* Adapter names as dawn.node writes them ("swiftshader-device-subzero-" for "SwiftShader Device
 * (Subzero)": lower case, every run of other characters one '-'), so that they compare equal. */
static void normalized_adapter(const char* name, char* out, size_t size) {
    size_t n = 0;
    bool in_gap = false;
    for (const char* p = name; *p != '\0' && n + 2 < size; p++) {
        bool word = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9');
        if (word) out[n++] = (char)(*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p);
        else if (!in_gap) out[n++] = '-';
        in_gap = !word;
    }
    out[n] = '\0';
}

static bool same_adapter(const cmp_run* a, const cmp_run* b) {
    char x[256], y[256];
    normalized_adapter(a->adapter, x, sizeof x);
    normalized_adapter(b->adapter, y, sizeof y);
    return strcmp(x, y) == 0;
}

/* The fastest median among the methods whose times count and that ran on the same adapter as
 * `run`, for the ratio columns: a CPU row is never divided by a GPU row. */
static double fastest(const cmp_plan* plan, const cmp_run* run, bool gpu) {
    double best = INFINITY;
    for (size_t i = 0; i < plan->run_count; i++) {
        const cmp_run* r = &plan->runs[i];
        timing_stats s = gpu ? r->gpu : r->wall;
        if (timed(r) && same_adapter(r, run) && s.count > 0 && s.median > 0 && s.median < best) best = s.median;
    }
    return best;
}

static void format_times(timing_stats s, double best, char* out, size_t size) {
    if (s.count == 0 || !(s.median > 0)) {
        snprintf(out, size, "%-26s %7s %6s", "-", "-", "-");
        return;
    }
    char range[64];
    snprintf(range, sizeof range, "%.4g (%.4g-%.4g)", s.median, s.min, s.max);
    snprintf(out, size, "%-26s %6.1f%% %6.2f", range, 100 * (s.max - s.min) / s.median, s.median / best);
}

static void format_verdict(const cmp_plan* plan, const cmp_run* r, char* out, size_t size) {
    size_t agreeing = 0;
    for (size_t i = 0; i < plan->run_count; i++) agreeing += plan->runs[i].state == CMP_DONE && plan->runs[i].agrees;
    if (!r->agrees) snprintf(out, size, "DIFFER: %s", r->difference);
    else if (runs_done(plan) == 1) snprintf(out, size, "only this method ran: nothing to compare with");
    else if (r->reference >= 0) snprintf(out, size, "agree with %s", cmp_methods[plan->runs[r->reference].id].name);
    else if (agreeing > 1) snprintf(out, size, "agree (reference)");
    else snprintf(out, size, "reference (no other method agrees)");
}

static void print_header(const cmp_plan* plan) {
    const cmp_options* o = plan->options;
    printf("%s: entry '%s', %s %s, %llu timed run%s after %llu warm-up per method; floats agree within %s\n",
           o->file, plan->entry->name, o->size[0] ? "--size" : "--grid", o->size[0] ? o->size_text : o->grid_text,
           (unsigned long long)o->repeat, o->repeat == 1 ? "" : "s", (unsigned long long)o->warmup, o->tolerance_text);
    printf("%-9s %-34s %-26s %7s %6s  %-26s %7s %6s  %s\n", "method", "adapter", "gpu ms median (min-max)", "noise",
           "ratio", "wall ms median (min-max)", "noise", "ratio", "outputs");
}

void cmp_print_table(const cmp_plan* plan) {
    print_header(plan);
    for (size_t i = 0; i < plan->run_count; i++) {
        const cmp_run* r = &plan->runs[i];
        const char* name = cmp_methods[r->id].name;
        if (r->state != CMP_DONE) {
            const char* what = r->state == CMP_UNAVAILABLE ? "unavailable" : r->state == CMP_TIMED_OUT ? "TIMED OUT" : "FAILED";
            printf("%-9s %s: %s\n", name, what, r->reason);
            continue;
        }
        char gpu[96], wall[96], verdict[CMP_REASON_MAX + 64], adapter[40];
        bool show = timed(r);
        format_times(show ? r->gpu : (timing_stats){0}, fastest(plan, r, true), gpu, sizeof gpu);
        format_times(show ? r->wall : (timing_stats){0}, fastest(plan, r, false), wall, sizeof wall);
        format_verdict(plan, r, verdict, sizeof verdict);
        snprintf(adapter, sizeof adapter, "%.34s", r->adapter[0] ? r->adapter : "unknown");
        printf("%-9s %-34s %s  %s  %s\n", name, adapter, gpu, wall, verdict);
    }
    printf("ratio = median / the fastest median among the methods that agree on the same adapter;"
           " noise = (max-min)/median\n");
    fflush(stdout);
}

/* ---------------------------------------------------------------- result files */

/* FILE with {method} replaced, or with several methods FILE-METHOD.EXT. */
static void path_for_method(const cmp_plan* plan, const char* method, char* out, size_t size) {
    const char* path = plan->options->json_path;
    const char* mark = strstr(path, "{method}");
    if (mark != NULL) {
        snprintf(out, size, "%.*s%s%s", (int)(mark - path), path, method, mark + 8);
        return;
    }
    if (plan->run_count == 1) {
        snprintf(out, size, "%s", path);
        return;
    }
    cli_path_with_tag(path, method, out, size);
}

static const char* text_or_null(const char* value) { return value != NULL && value[0] != '\0' ? value : NULL; }

static void json_text(json_writer* w, const char* key, const char* value) {
    json_key(w, key);
    json_string_value(w, text_or_null(value));
}

static void json_header(json_writer* w, const cmp_plan* plan, const cmp_run* r) {
    bench_version versions[CMP_MAX_VERSIONS];
    for (size_t i = 0; i < r->version_count; i++)
        versions[i] = (bench_version){r->versions[i][0], text_or_null(r->versions[i][1])};
    char date[32];
    bench_utc_now(date, sizeof date);
    bench_result_header header = {
        .method = text_or_null(cmp_methods[r->id].result_method),
        .implementation = text_or_null(r->implementation[0] ? r->implementation : cmp_methods[r->id].name),
        .adapter = text_or_null(r->adapter),
        .backend = text_or_null(r->backend),
        .driver = text_or_null(r->driver),
        .device_class = text_or_null(r->device_class),
        .versions = versions,
        .version_count = r->version_count,
        .date = text_or_null(date),
        .command = text_or_null(plan->options->command),
        .size = "compare",
    };
    bench_json_header(w, &header);
}

static void kernel_name(const char* file, char* out, size_t size) {
    const char* slash = strrchr(file, '/');
    const char* base = slash ? slash + 1 : file;
    const char* dot = strrchr(base, '.');
    snprintf(out, size, "%.*s", (int)(dot && dot != base ? dot - base : (long)strlen(base)), base);
}

static void json_params(json_writer* w, const cmp_plan* plan) {
    const cmp_options* o = plan->options;
    json_key(w, "params");
    json_begin_object(w);
    json_text(w, o->size[0] ? "size" : "grid", o->size[0] ? o->size_text : o->grid_text);
    json_key(w, "repeat");
    json_int_value(w, (long long)o->repeat);
    json_key(w, "warmup");
    json_int_value(w, (long long)o->warmup);
    json_end_object(w);
}

static void json_outcome(json_writer* w, const cmp_plan* plan, const cmp_run* r) {
    char error[CMP_REASON_MAX + 64];
    json_key(w, "verified");
    /* Unavailable, or alone with its outputs: nothing confirmed them, nothing contradicted them. */
    if (r->state == CMP_UNAVAILABLE || (timed(r) && !confirmed(plan, r))) json_null_value(w);
    else json_bool_value(w, confirmed(plan, r));
    json_key(w, "max_error");
    json_null_value(w);
    error[0] = '\0';
    if (r->state == CMP_FAILED || r->state == CMP_TIMED_OUT) snprintf(error, sizeof error, "%s", r->reason);
    else if (r->state == CMP_DONE && !r->agrees) snprintf(error, sizeof error, "outputs differ: %s", r->difference);
    json_text(w, "error", error);
    if (r->state == CMP_UNAVAILABLE) {
        snprintf(error, sizeof error, "unavailable: %s", r->reason);
        json_text(w, "unsupported", error);
    }
}

static void json_times(json_writer* w, const cmp_run* r) {
    bool show = timed(r);
    timing_stats wall = show ? r->wall : (timing_stats){0}, gpu = show ? r->gpu : (timing_stats){0};
    bool by_gpu = gpu.count > 0;
    json_text(w, "timing", show ? (by_gpu ? "gpu" : "wall") : NULL);
    timing_stats_json(w, "time_ms", by_gpu ? gpu : wall);
    timing_stats_json(w, "wall_ms", wall);
    timing_stats_json(w, "gpu_ms", gpu);
    json_key(w, "metric");
    json_begin_object(w);
    json_text(w, "name", "time");
    json_text(w, "unit", "ms");
    json_key(w, "value");
    if (show && (by_gpu ? gpu : wall).count > 0) json_number_value(w, (by_gpu ? gpu : wall).median);
    else json_null_value(w);
    json_text(w, "better", "lower");
    json_end_object(w);
}

static void json_agreement(json_writer* w, const cmp_plan* plan, const cmp_run* r) {
    json_key(w, "compare");
    json_begin_object(w);
    json_text(w, "tolerance", plan->options->tolerance_text);
    json_key(w, "agrees_with");
    json_begin_array_inline(w);
    for (size_t i = 0; i < plan->run_count; i++) {
        const cmp_run* o = &plan->runs[i];
        if (o != r && r->state == CMP_DONE && o->state == CMP_DONE && o->group == r->group)
            json_string_value(w, cmp_methods[o->id].name);
    }
    json_end_array(w);
    json_text(w, "difference", r->state == CMP_DONE && !r->agrees ? r->difference : NULL);
    json_end_object(w);
}

static void json_result(json_writer* w, const cmp_plan* plan, const cmp_run* r) {
    char name[256];
    kernel_name(plan->options->file, name, sizeof name);
    json_begin_object(w);
    json_text(w, "case", name);
    json_text(w, "class", "compare");
    json_text(w, "variant", plan->shader.entry_count > 1 ? plan->entry->name : NULL);
    json_params(w, plan);
    json_outcome(w, plan, r);
    json_times(w, r);
    json_agreement(w, plan, r);
    json_end_object(w);
}

static bool write_one(const cmp_plan* plan, const cmp_run* r, const char* path) {
    char tmp[CMP_PATH_MAX + 8];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE* f = fopen(tmp, "w");
    if (f != NULL) {
        json_writer w;
        json_writer_init(&w, f);
        json_begin_object(&w);
        json_header(&w, plan, r);
        json_key(&w, "results");
        json_begin_array(&w);
        json_result(&w, plan, r);
        json_end_array(&w);
        json_end_object(&w);
        bool ok = json_writer_finish(&w);
        if (fclose(f) == 0 && ok && rename(tmp, path) == 0) return true;
    }
    fprintf(stderr, "wgslrun compare: error: %s: cannot write: %s\n", path, strerror(errno));
    remove(tmp);
    return false;
}

int cmp_write_results(const cmp_plan* plan, char paths[][CMP_PATH_MAX], size_t* path_count) {
    *path_count = 0;
    if (plan->options->json_path == NULL && plan->options->report_path == NULL) return CLI_EXIT_OK;
    for (size_t i = 0; i < plan->run_count; i++) {
        const char* method = cmp_methods[plan->runs[i].id].name;
        char* path = paths[(*path_count)++];
        if (plan->options->json_path != NULL) path_for_method(plan, method, path, CMP_PATH_MAX);
        else snprintf(path, CMP_PATH_MAX, "%s/result-%s.json", plan->work_dir, method);
        if (!write_one(plan, &plan->runs[i], path)) return CLI_EXIT_FAILURE;
        if (plan->options->json_path != NULL) fprintf(stderr, "wgslrun compare: wrote %s\n", path);
    }
    return CLI_EXIT_OK;
}

int cmp_write_report(const cmp_plan* plan, char paths[][CMP_PATH_MAX], size_t path_count) {
    char title[CMP_PATH_MAX + 32], error[1024];
    snprintf(title, sizeof title, "wgslrun compare: %s", plan->options->file);
    rp_report r;
    rp_report_init(&r, title, NULL);
    bool ok = true;
    for (size_t i = 0; i < path_count && ok; i++) ok = rp_report_load_file(&r, paths[i], error, sizeof error);
    ok = ok && rp_report_build(&r, error, sizeof error) &&
         rp_write_atomic(plan->options->report_path, rp_write_html, &r, error, sizeof error);
    rp_report_free(&r);
    if (!ok) {
        fprintf(stderr, "wgslrun compare: error: %s\n", error);
        return CLI_EXIT_FAILURE;
    }
    fprintf(stderr, "wgslrun compare: wrote %s\n", plan->options->report_path);
    return CLI_EXIT_OK;
}
