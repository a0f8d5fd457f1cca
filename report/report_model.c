/* Loading result files into the report model: checking, grouping, ordering, ratios. */
#include "report_model.h"

#include <ctype.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "report_format.h"

void rp_report_init(rp_report* r, const char* title, const char* baseline) {
    memset(r, 0, sizeof *r);
    r->title = title;
    r->baseline_given = baseline != NULL;
    r->baseline = baseline ? baseline : "cuda";
}

void rp_report_free(rp_report* r) {
    json_free(r->limits);
    for (size_t i = 0; i < r->file_count; i++) json_free(r->files[i].root);
    for (size_t i = 0; i < r->group_count; i++) {
        free(r->groups[i].key);
        free(r->groups[i].label);
        free(r->groups[i].rows);
    }
    json_free(r->suite);
    free(r->files);
    free(r->devices);
    free(r->series);
    free(r->cases);
    free(r->groups);
    free(r->sizes);
    free(r->rounds);
    memset(r, 0, sizeof *r);
}

/* ---------------------------------------------------------------- small lookups */

static bool str_eq(const char* a, const char* b) {
    if (a == NULL || b == NULL) return a == b;
    return strcmp(a, b) == 0;
}

static const char* nonempty_string(const json_value* object, const char* key, const char* fallback) {
    const char* s = json_get_string(object, key, NULL);
    return s != NULL && s[0] != '\0' ? s : fallback;
}

static size_t size_rank(rp_report* r, const char* size) {
    for (size_t i = 0; i < r->size_count; i++)
        if (strcmp(r->sizes[i], size) == 0) return i;
    rp_reserve((void**)&r->sizes, &r->size_capacity, r->size_count, sizeof *r->sizes);
    r->sizes[r->size_count] = size;
    return r->size_count++;
}

/* Adapter names compare by their letters and digits alone, without regard to case, because
 * runners copy them from APIs that spell one device differently: CUDA's device name, WebGPU
 * adapter info ("SwiftShader Device (Subzero)"), dawn.node's ("swiftshader-device-subzero-"). */
static bool same_adapter_name(const char* a, const char* b) {
    for (;;) {
        while (*a && !isalnum((unsigned char)*a)) a++;
        while (*b && !isalnum((unsigned char)*b)) b++;
        if (*a == '\0' || *b == '\0') return *a == *b;
        if (tolower((unsigned char)*a) != tolower((unsigned char)*b)) return false;
        a++, b++;
    }
}

static size_t device_index(rp_report* r, const char* adapter, const char* device_class) {
    for (size_t i = 0; i < r->device_count; i++)
        if (same_adapter_name(r->devices[i].adapter, adapter) && strcmp(r->devices[i].device_class, device_class) == 0)
            return i;
    rp_reserve((void**)&r->devices, &r->device_capacity, r->device_count, sizeof *r->devices);
    r->devices[r->device_count] = (rp_device){.adapter = adapter, .device_class = device_class};
    return r->device_count++;
}

static size_t series_index(rp_report* r, const rp_file* f, size_t device) {
    for (size_t i = 0; i < r->series_count; i++) {
        const rp_series* s = &r->series[i];
        if (s->device == device && str_eq(s->method, f->method) && str_eq(s->implementation, f->implementation))
            return i;
    }
    rp_reserve((void**)&r->series, &r->series_capacity, r->series_count, sizeof *r->series);
    r->series[r->series_count] = (rp_series){
        .method = f->method,
        .implementation = f->implementation,
        .device = device,
        .is_baseline = str_eq(f->method, r->baseline) || str_eq(f->implementation, r->baseline),
        .is_webgpu = strcmp(f->method, "cuda") != 0,
    };
    return r->series_count++;
}

/* ---------------------------------------------------------------- the suite */

static bool fail_schema(const char* path, const json_value* root, const char* expected, char* error, size_t n) {
    if (json_type_of(root) != JSON_OBJECT) {
        snprintf(error, n, "%s: not a %s file: the top level is %s %s, not an object", path, expected,
                 json_type_of(root) == JSON_ARRAY || json_type_of(root) == JSON_OBJECT ? "an" : "a",
                 json_type_name(json_type_of(root)));
        return false;
    }
    const char* schema = json_get_string(root, "schema", NULL);
    if (schema == NULL) snprintf(error, n, "%s: not a %s file: no \"schema\" string", path, expected);
    else if (strcmp(schema, expected) != 0)
        snprintf(error, n, "%s: schema is \"%s\", expected \"%s\"", path, schema, expected);
    else return true;
    return false;
}

bool rp_report_load_suite(rp_report* r, const char* path, char* error, size_t error_size) {
    char message[512];
    json_value* root = json_parse_file(path, message, sizeof message);
    if (root == NULL) {
        snprintf(error, error_size, "%s", message);
        return false;
    }
    if (!fail_schema(path, root, RP_SUITE_SCHEMA, error, error_size)) {
        json_free(root);
        return false;
    }
    if (json_type_of(json_object_get(root, "cases")) != JSON_ARRAY) {
        snprintf(error, error_size, "%s: \"cases\" is missing or not an array", path);
        json_free(root);
        return false;
    }
    json_free(r->suite);
    r->suite = root;
    r->suite_path = path;
    /* The timing policy lists the sizes in the suite's order (small before large). */
    const json_value* timing = json_object_get(root, "timing");
    for (size_t i = 0; i < json_object_length(timing); i++) size_rank(r, json_object_key_at(timing, i));
    return true;
}

/* ---------------------------------------------------------------- result files */

static bool check_result(const char* path, size_t index, const json_value* result, char* error, size_t n) {
    const char* problem = NULL;
    json_type variant = json_type_of(json_object_get(result, "variant"));
    json_type verified = json_type_of(json_object_get(result, "verified"));
    json_type time = json_type_of(json_object_get(result, "time_ms"));
    json_type metric = json_type_of(json_object_get(result, "metric"));
    if (json_type_of(result) != JSON_OBJECT) problem = "is not an object";
    else if (nonempty_string(result, "case", NULL) == NULL) problem = "has no \"case\" string";
    else if (variant != JSON_NULL && variant != JSON_STRING) problem = "\"variant\" is neither a string nor null";
    else if (verified != JSON_NULL && verified != JSON_BOOL) problem = "\"verified\" is neither true, false nor null";
    else if (time != JSON_NULL && time != JSON_OBJECT) problem = "\"time_ms\" is neither an object nor null";
    else if (metric != JSON_NULL && metric != JSON_OBJECT) problem = "\"metric\" is neither an object nor null";
    if (problem == NULL) return true;
    snprintf(error, n, "%s: results[%zu] %s", path, index, problem);
    return false;
}

static bool check_result_file(const char* path, const json_value* root, char* error, size_t n) {
    if (!fail_schema(path, root, RP_RESULT_SCHEMA, error, n)) return false;
    if (nonempty_string(root, "method", NULL) == NULL) {
        snprintf(error, n, "%s: \"method\" is missing or not a string", path);
        return false;
    }
    const json_value* results = json_object_get(root, "results");
    if (json_type_of(results) != JSON_ARRAY) {
        snprintf(error, n, "%s: \"results\" is missing or not an array", path);
        return false;
    }
    for (size_t i = 0; i < json_array_length(results); i++)
        if (!check_result(path, i, json_array_at(results, i), error, n)) return false;
    return true;
}

/* Rounds of one method are told apart by the result's "round" (wgslrun bench --round N and the
 * other runners' --round), else by a file name "rN-...": r1-native-dawn.json, r2-native-dawn.json. */
static long file_round(const char* path, const json_value* root) {
    double round = json_get_number(root, "round", NAN);
    if (isfinite(round) && round >= 1 && round == floor(round) && round <= 1e6) return (long)round;
    const char* slash = strrchr(path, '/');
    const char* name = slash ? slash + 1 : path;
    char* end = NULL;
    if (name[0] != 'r' || !isdigit((unsigned char)name[1])) return 0;
    long n = strtol(name + 1, &end, 10);
    return (*end == '-' || *end == '_' || *end == '.') && n >= 1 && n <= 1000000 ? n : 0;
}

static void add_round(rp_report* r, long round) {
    if (round == 0) return;
    size_t at = 0;
    while (at < r->round_count && r->rounds[at] < round) at++;
    if (at < r->round_count && r->rounds[at] == round) return;
    rp_reserve((void**)&r->rounds, &r->round_capacity, r->round_count, sizeof *r->rounds);
    memmove(&r->rounds[at + 1], &r->rounds[at], (r->round_count - at) * sizeof *r->rounds);
    r->rounds[at] = round;
    r->round_count++;
}

bool rp_report_load_file(rp_report* r, const char* path, char* error, size_t error_size) {
    char message[512];
    json_value* root = json_parse_file(path, message, sizeof message);
    if (root == NULL) {
        snprintf(error, error_size, "%s", message);
        return false;
    }
    if (!check_result_file(path, root, error, error_size)) {
        json_free(root);
        return false;
    }
    rp_reserve((void**)&r->files, &r->file_capacity, r->file_count, sizeof *r->files);
    rp_file* f = &r->files[r->file_count++];
    const char* method = json_get_string(root, "method", "");
    *f = (rp_file){
        .path = path,
        .root = root,
        .method = method,
        .implementation = nonempty_string(root, "implementation", method),
        .adapter = nonempty_string(root, "adapter", "unknown adapter"),
        .backend = json_get_string(root, "backend", ""),
        .driver = json_get_string(root, "driver", ""),
        .device_class = nonempty_string(root, "device_class", "unknown"),
        .date = json_get_string(root, "date", ""),
        .command = json_get_string(root, "command", ""),
        .size = nonempty_string(root, "size", "default"),
        .machine = json_object_get(root, "machine"),
        .versions = json_object_get(root, "versions"),
        .settle = json_object_get(root, "settle"),
        .round = file_round(path, root),
    };
    add_round(r, f->round);
    return true;
}

/* ---------------------------------------------------------------- cases */

static const json_value* suite_case(const rp_report* r, const char* id) {
    const json_value* cases = json_object_get(r->suite, "cases");
    for (size_t i = 0; i < json_array_length(cases); i++)
        if (str_eq(json_get_string(json_array_at(cases, i), "id", NULL), id)) return json_array_at(cases, i);
    return NULL;
}

static size_t find_case(const rp_report* r, const char* id) {
    for (size_t i = 0; i < r->case_count; i++)
        if (strcmp(r->cases[i].id, id) == 0) return i;
    return SIZE_MAX;
}

/* The suite describes a case; a result file fills in what the suite does not say (or the
 * whole case, when there is no suite or the suite does not list it). */
static void describe_case(rp_case* c, const json_value* from_suite, const json_value* result) {
    const json_value* suite_metric = json_object_get(from_suite, "metric");
    const json_value* result_metric = json_object_get(result, "metric");
    c->title = json_get_string(from_suite, "title", json_get_string(result, "title", ""));
    c->class_name = nonempty_string(from_suite, "class", nonempty_string(result, "class", "other"));
    c->metric_name = json_get_string(suite_metric, "name", json_get_string(result_metric, "name", "metric"));
    c->unit = json_get_string(suite_metric, "unit", json_get_string(result_metric, "unit", ""));
    const char* better = json_get_string(suite_metric, "better", json_get_string(result_metric, "better", "higher"));
    c->lower_better = strcmp(better, "lower") == 0;
}

static size_t add_case(rp_report* r, const char* id, const json_value* from_suite, const json_value* result) {
    rp_reserve((void**)&r->cases, &r->case_capacity, r->case_count, sizeof *r->cases);
    rp_case* c = &r->cases[r->case_count];
    memset(c, 0, sizeof *c);
    c->id = id;
    c->suite_case = from_suite;
    describe_case(c, from_suite, result);
    return r->case_count++;
}

static void collect_cases(rp_report* r) {
    const json_value* cases = json_object_get(r->suite, "cases");
    for (size_t i = 0; i < json_array_length(cases); i++) {
        const char* id = json_get_string(json_array_at(cases, i), "id", NULL);
        if (id != NULL && find_case(r, id) == SIZE_MAX) add_case(r, id, json_array_at(cases, i), NULL);
    }
    for (size_t f = 0; f < r->file_count; f++) {
        const json_value* results = json_object_get(r->files[f].root, "results");
        for (size_t i = 0; i < json_array_length(results); i++) {
            const json_value* res = json_array_at(results, i);
            const char* id = json_get_string(res, "case", "");
            size_t k = find_case(r, id);
            if (k == SIZE_MAX) add_case(r, id, suite_case(r, id), res);
            else if (r->cases[k].suite_case != NULL) describe_case(&r->cases[k], r->cases[k].suite_case, res);
        }
    }
}

/* ---------------------------------------------------------------- distinguishing params */

static const char* result_size(const rp_file* f, const json_value* result) {
    return nonempty_string(result, "size", f->size);
}

static bool same_slot(const rp_file* f, const json_value* a, const json_value* b) {
    return str_eq(json_get_string(a, "case", ""), json_get_string(b, "case", "")) &&
           str_eq(json_get_string(a, "variant", NULL), json_get_string(b, "variant", NULL)) &&
           str_eq(result_size(f, a), result_size(f, b));
}

static void add_key(rp_case* c, const char* key) {
    for (size_t i = 0; i < c->key_count; i++)
        if (strcmp(c->keys[i], key) == 0) return;
    if (c->key_count < RP_MAX_KEYS) c->keys[c->key_count++] = key;
}

static void mark_differing_params(rp_case* c, const json_value* a, const json_value* b) {
    const json_value* pa = json_object_get(a, "params");
    const json_value* pb = json_object_get(b, "params");
    for (size_t k = 0; k < json_object_length(pa); k++) {
        char va[128], vb[128];
        const char* key = json_object_key_at(pa, k);
        rp_fmt_json_scalar(json_object_value_at(pa, k), va, sizeof va);
        rp_fmt_json_scalar(json_object_get(pb, key), vb, sizeof vb);
        if (strcmp(va, vb) != 0) add_key(c, key);
    }
}

/* A parameter that differs between two results of one run for the same case, size and
 * variant (transfer's "bytes") is part of what a result measures, so it splits groups;
 * parameters that merely differ between runners must not, or nothing would be compared. */
static void find_distinguishing_keys(rp_report* r) {
    for (size_t f = 0; f < r->file_count; f++) {
        const json_value* results = json_object_get(r->files[f].root, "results");
        size_t n = json_array_length(results);
        for (size_t i = 0; i < n; i++) {
            const json_value* a = json_array_at(results, i);
            rp_case* c = &r->cases[find_case(r, json_get_string(a, "case", ""))];
            for (size_t j = i + 1; j < n; j++)
                if (same_slot(&r->files[f], a, json_array_at(results, j)))
                    mark_differing_params(c, a, json_array_at(results, j));
        }
    }
}

/* ---------------------------------------------------------------- rows */

static void read_times(rp_row* row, const json_value* result) {
    const json_value* t = json_object_get(result, "time_ms");
    double median = json_get_number(t, "median", NAN);
    row->timed = isfinite(median) && median > 0;
    row->t_median = median;
    row->t_min = json_get_number(t, "min", median);
    row->t_max = json_get_number(t, "max", median);
    if (!(row->t_min > 0 && row->t_min <= median)) row->t_min = median;
    if (!(row->t_max >= median)) row->t_max = median;
}

/* The metric is computed from the median time; at the fastest and slowest runs it scales
 * with 1/time (a rate) or with time (a cost), which gives the range line. */
static void read_metric(rp_row* row, const json_value* result, bool lower_better) {
    double value = json_get_number(json_object_get(result, "metric"), "value", NAN);
    row->valued = isfinite(value) && value > 0;
    if (!row->valued) return;
    row->value = row->value_lo = row->value_hi = value;
    row->speed = lower_better ? 1.0 / value : value;
    if (!row->timed) return;
    if (lower_better) {
        row->value_lo = value * row->t_min / row->t_median;
        row->value_hi = value * row->t_max / row->t_median;
    } else {
        row->value_lo = value * row->t_median / row->t_max;
        row->value_hi = value * row->t_median / row->t_min;
    }
}

static rp_status row_status(const json_value* result, const char** reason) {
    const json_value* verified = json_object_get(result, "verified");
    *reason = json_get_string(result, "unsupported", NULL);
    if (*reason != NULL) return RP_UNSUPPORTED;
    *reason = json_get_string(result, "error", NULL);
    if (json_type_of(verified) != JSON_BOOL) return RP_UNVERIFIED;
    return json_bool(verified) ? RP_OK : RP_FAILED;
}

static rp_row make_row(rp_report* r, size_t file, const json_value* result, bool lower_better) {
    const rp_file* f = &r->files[file];
    rp_row row = {.file = file, .result = result, .vs_baseline = NAN, .vs_fastest = NAN};
    row.device = device_index(r, f->adapter, f->device_class);
    row.series = series_index(r, f, row.device);
    row.status = row_status(result, &row.reason);
    row.timing = json_get_string(result, "timing", "");
    row.note = nonempty_string(result, "limit", nonempty_string(result, "note", NULL));
    row.round = f->round;
    row.noise = json_object_get(result, "noise");
    if (json_type_of(row.noise) != JSON_OBJECT) row.noise = NULL;
    if (row.status == RP_OK) {
        read_times(&row, result);
        read_metric(&row, result, lower_better);
    }
    return row;
}

/* ---------------------------------------------------------------- groups */

static void group_key(const rp_case* c, const json_value* params, char* key, size_t key_size, char* label,
                      size_t label_size, double* order) {
    key[0] = label[0] = '\0';
    *order = 0;
    for (size_t i = 0; i < c->key_count; i++) {
        const json_value* v = json_object_get(params, c->keys[i]);
        char text[128], pretty[160];
        rp_fmt_json_scalar(v, text, sizeof text);
        if (strcmp(c->keys[i], "bytes") == 0 && json_type_of(v) == JSON_NUMBER) rp_fmt_bytes(json_number(v), pretty, sizeof pretty);
        else snprintf(pretty, sizeof pretty, "%s = %s", c->keys[i], text);
        if (i == 0 && json_type_of(v) == JSON_NUMBER) *order = json_number(v);
        size_t used = strlen(key), lused = strlen(label);
        snprintf(key + used, key_size - used, "%s%s=%s", i ? ", " : "", c->keys[i], text);
        snprintf(label + lused, label_size - lused, "%s%s", i ? ", " : "", pretty);
    }
}

static size_t variant_rank(const rp_case* c, const char* variant) {
    if (variant == NULL) return 0;
    const json_value* variants = json_object_get(c->suite_case, "variants");
    for (size_t i = 0; i < json_array_length(variants); i++)
        if (str_eq(json_string(json_array_at(variants, i)), variant)) return i + 1;
    return SIZE_MAX; /* unknown variants follow, in the order first seen */
}

static rp_group* find_group(rp_report* r, size_t case_index, const char* size, const char* variant,
                            const json_value* params) {
    const rp_case* c = &r->cases[case_index];
    char key[512], label[512];
    double order;
    group_key(c, params, key, sizeof key, label, sizeof label, &order);
    for (size_t i = 0; i < r->group_count; i++) {
        rp_group* g = &r->groups[i];
        if (g->case_index == case_index && str_eq(g->size, size) && str_eq(g->variant, variant) && strcmp(g->key, key) == 0)
            return g;
    }
    rp_reserve((void**)&r->groups, &r->group_capacity, r->group_count, sizeof *r->groups);
    rp_group* g = &r->groups[r->group_count];
    *g = (rp_group){
        .case_index = case_index, .size = size, .variant = variant,
        .key = rp_strdup(key), .label = rp_strdup(label), .params = params,
        .size_rank = size_rank(r, size), .variant_rank = variant_rank(c, variant),
        .first_seen = r->group_count, .sub_order = order,
    };
    r->group_count++;
    return g;
}

static void add_row(rp_group* g, rp_row row) {
    rp_reserve((void**)&g->rows, &g->row_capacity, g->row_count, sizeof *g->rows);
    row.seen = g->row_count;
    g->rows[g->row_count++] = row;
}

static void collect_rows(rp_report* r) {
    for (size_t f = 0; f < r->file_count; f++) {
        const json_value* results = json_object_get(r->files[f].root, "results");
        for (size_t i = 0; i < json_array_length(results); i++) {
            const json_value* res = json_array_at(results, i);
            size_t c = find_case(r, json_get_string(res, "case", ""));
            rp_row row = make_row(r, f, res, r->cases[c].lower_better);
            rp_group* g = find_group(r, c, result_size(&r->files[f], res), json_get_string(res, "variant", NULL),
                                     json_object_get(res, "params"));
            add_row(g, row);
        }
    }
}

#define ORDER_BY(a, b) \
    if ((a) != (b)) return (a) < (b) ? -1 : 1

static int compare_groups(const void* pa, const void* pb) {
    const rp_group *a = pa, *b = pb;
    ORDER_BY(a->case_index, b->case_index);
    ORDER_BY(a->size_rank, b->size_rank);
    ORDER_BY(a->variant_rank, b->variant_rank);
    ORDER_BY(a->sub_order, b->sub_order);
    ORDER_BY(a->first_seen, b->first_seen);
    return 0;
}

static int status_rank(const rp_row* row) {
    if (row->status == RP_OK) return row->valued ? 0 : 1;
    return 1 + (int)row->status;
}

/* Rows of one device stay together (they are compared with each other only), fastest first. */
static int compare_rows(const void* pa, const void* pb) {
    const rp_row *a = pa, *b = pb;
    ORDER_BY(a->device, b->device);
    ORDER_BY(status_rank(a), status_rank(b));
    if (a->valued && b->valued) ORDER_BY(b->speed, a->speed);
    ORDER_BY(a->file, b->file);
    ORDER_BY(a->seen, b->seen);
    return 0;
}

/* ---------------------------------------------------------------- ratios */

/* The fastest valued baseline (or WebGPU) row of the group on the device, or `best` when none
 * is faster. */
static const rp_row* fastest_row(const rp_report* r, const rp_group* g, size_t device, bool baseline,
                                 const rp_row* best) {
    for (size_t i = 0; i < g->row_count; i++) {
        const rp_row* row = &g->rows[i];
        const rp_series* s = &r->series[row->series];
        bool wanted = baseline ? s->is_baseline : s->is_webgpu;
        if (row->device == device && row->valued && wanted && (best == NULL || row->speed > best->speed)) best = row;
    }
    return best;
}

/* Where the reference ran a case only as named variants (CUDA's sgemm_tiled: its own kernel
 * and cuBLAS), a result without a variant is compared with the fastest of them. */
const rp_row* rp_reference_row(const rp_report* r, const rp_group* g, size_t device) {
    const rp_row* best = fastest_row(r, g, device, true, NULL);
    bool by_variants = best == NULL && g->variant == NULL;
    for (size_t i = 0; by_variants && i < r->group_count; i++) {
        const rp_group* other = &r->groups[i];
        if (other->variant != NULL && other->case_index == g->case_index && strcmp(other->size, g->size) == 0 &&
            strcmp(other->key, g->key) == 0)
            best = fastest_row(r, other, device, true, best);
    }
    return best;
}

static double speed_of(const rp_row* row) {
    return row ? row->speed : NAN;
}

/* speed / reference speed: 1.0 = as fast as the reference, below 1 slower. Only rows on
 * the same adapter are compared: a CPU (SwiftShader) row next to a GPU row says nothing. */
static void compute_ratios(const rp_report* r, rp_group* g) {
    for (size_t d = 0; d < r->device_count; d++) {
        double base = speed_of(rp_reference_row(r, g, d)), fastest = speed_of(fastest_row(r, g, d, false, NULL));
        for (size_t i = 0; i < g->row_count; i++) {
            rp_row* row = &g->rows[i];
            if (row->device != d || !row->valued) continue;
            row->vs_baseline = row->speed / base;
            row->vs_fastest = row->speed / fastest;
        }
    }
}

static void mark_differing_rows(rp_group* g) {
    char first[512], other[512];
    rp_fmt_params(g->params, first, sizeof first);
    for (size_t i = 0; i < g->row_count; i++) {
        rp_fmt_params(json_object_get(g->rows[i].result, "params"), other, sizeof other);
        g->rows[i].differs = strcmp(first, other) != 0;
    }
}

bool rp_report_build(rp_report* r, char* error, size_t error_size) {
    collect_cases(r);
    find_distinguishing_keys(r);
    collect_rows(r);
    qsort(r->groups, r->group_count, sizeof *r->groups, compare_groups);
    bool has_baseline = false;
    for (size_t i = 0; i < r->series_count; i++) has_baseline |= r->series[i].is_baseline;
    if (r->baseline_given && !has_baseline) {
        snprintf(error, error_size, "--baseline '%s' matches no method or implementation in the result files",
                 r->baseline);
        return false;
    }
    for (size_t i = 0; i < r->group_count; i++) {
        rp_group* g = &r->groups[i];
        compute_ratios(r, g);
        mark_differing_rows(g);
        qsort(g->rows, g->row_count, sizeof *g->rows, compare_rows);
    }
    return true;
}

/* ---------------------------------------------------------------- labels */

void rp_series_label(const rp_report* r, size_t series, bool with_device, char* out, size_t size) {
    const rp_series* s = &r->series[series];
    if (strcmp(s->method, s->implementation) == 0) snprintf(out, size, "%s", s->method);
    else snprintf(out, size, "%s / %s", s->method, s->implementation);
    size_t used = strlen(out);
    if (with_device) snprintf(out + used, size - used, " · %s", r->devices[s->device].adapter);
}

bool rp_report_multi_device(const rp_report* r) {
    return r->device_count > 1;
}

bool rp_case_has_results(const rp_report* r, size_t case_index) {
    for (size_t g = 0; g < r->group_count; g++)
        if (r->groups[g].case_index == case_index) return true;
    return false;
}

void rp_group_title(const rp_group* g, char* out, size_t size) {
    snprintf(out, size, "%s%s%s%s%s", g->size, g->variant ? " · " : "", g->variant ? g->variant : "",
             g->label[0] ? " · " : "", g->label);
}

bool rp_device_has_baseline(const rp_report* r, size_t device) {
    for (size_t i = 0; i < r->series_count; i++)
        if (r->series[i].device == device && r->series[i].is_baseline) return true;
    return false;
}

const char* rp_baseline_name(const rp_report* r) {
    return r->baseline;
}

bool rp_report_load_limits(rp_report* r, const char* path, char* error, size_t error_size) {
    r->limits = json_parse_file(path, error, error_size);
    if (r->limits == NULL) return false;
    bool all_strings = json_type_of(r->limits) == JSON_OBJECT;
    for (size_t i = 0; all_strings && i < json_object_length(r->limits); i++)
        all_strings = json_type_of(json_object_value_at(r->limits, i)) == JSON_STRING;
    if (!all_strings) {
        snprintf(error, error_size, "%s: --limits takes a JSON object of strings keyed \"case\" or \"case/variant\"", path);
        return false;
    }
    return true;
}
