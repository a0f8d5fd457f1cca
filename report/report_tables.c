/* The report's tables and notes as plain text, shared by the HTML and Markdown writers. */
#include "report_tables.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "report_format.h"
#include "report_glance.h"

/* ---------------------------------------------------------------- containers */

static void table_init(rp_table* t, size_t cols, const char* const* headers) {
    memset(t, 0, sizeof *t);
    t->cols = cols;
    t->headers = rp_xrealloc(NULL, cols, sizeof *t->headers);
    for (size_t i = 0; i < cols; i++) t->headers[i] = rp_strdup(headers[i]);
}

static void table_add_row(rp_table* t) {
    if (t->rows == t->capacity) {
        t->capacity = t->capacity ? t->capacity * 2 : 8;
        t->cells = rp_xrealloc(t->cells, t->capacity * t->cols, sizeof *t->cells);
    }
    rp_cell* row = &t->cells[t->rows * t->cols];
    for (size_t c = 0; c < t->cols; c++) row[c] = (rp_cell){.text = rp_strdup(""), .style = RP_CELL_TEXT};
    t->rows++;
}

/* Sets column `col` of the last row. */
static void table_set(rp_table* t, size_t col, rp_cell_style style, const char* text) {
    rp_cell* cell = &t->cells[(t->rows - 1) * t->cols + col];
    free(cell->text);
    cell->text = rp_strdup(text ? text : "");
    cell->style = style;
}

static void table_set_number(rp_table* t, size_t col, double value) {
    char text[64];
    rp_fmt_number(value, text, sizeof text);
    table_set(t, col, isfinite(value) ? RP_CELL_NUMBER : RP_CELL_MUTED, text);
}

static void table_set_ratio(rp_table* t, size_t col, double ratio) {
    char text[64];
    rp_fmt_ratio(ratio, text, sizeof text);
    table_set(t, col, isfinite(ratio) ? RP_CELL_NUMBER : RP_CELL_MUTED, text);
}

void rp_table_free(rp_table* t) {
    for (size_t i = 0; i < t->cols; i++) free(t->headers[i]);
    for (size_t i = 0; i < t->rows * t->cols; i++) free(t->cells[i].text);
    free(t->headers);
    free(t->cells);
    memset(t, 0, sizeof *t);
}

const rp_cell* rp_table_cell(const rp_table* t, size_t row, size_t col) {
    return &t->cells[row * t->cols + col];
}

static void lines_add(rp_lines* lines, char* owned) {
    rp_reserve((void**)&lines->items, &lines->capacity, lines->count, sizeof *lines->items);
    lines->items[lines->count++] = owned;
}

void rp_lines_free(rp_lines* lines) {
    for (size_t i = 0; i < lines->count; i++) free(lines->items[i]);
    free(lines->items);
    memset(lines, 0, sizeof *lines);
}

/* ---------------------------------------------------------------- machines and files */

/* "key value, key value" for the members of a JSON object, leaving out `skip` keys. */
static char* join_members(const json_value* object, const char* const* skip, size_t skip_count) {
    char* text = rp_strdup("");
    for (size_t i = 0; i < json_object_length(object); i++) {
        const char* key = json_object_key_at(object, i);
        bool skipped = false;
        for (size_t s = 0; s < skip_count; s++) skipped |= strcmp(key, skip[s]) == 0;
        if (skipped) continue;
        char value[256];
        rp_fmt_json_scalar(json_object_value_at(object, i), value, sizeof value);
        char* longer = rp_strdupf("%s%s%s %s", text, text[0] ? ", " : "", key, value);
        free(text);
        text = longer;
    }
    return text;
}

static const char* const machine_keys[] = {"hostname", "cpu", "os"};

static bool same_machine(const json_value* a, const json_value* b) {
    char* ja = join_members(a, NULL, 0);
    char* jb = join_members(b, NULL, 0);
    bool same = strcmp(ja, jb) == 0;
    free(ja);
    free(jb);
    return same;
}

void rp_machines_table(const rp_report* r, rp_table* t) {
    static const char* const headers[] = {"machine", "cpu", "os", "other", "result files"};
    table_init(t, 5, headers);
    for (size_t f = 0; f < r->file_count; f++) {
        const json_value* m = r->files[f].machine;
        size_t first = 0;
        while (first < f && !same_machine(r->files[first].machine, m)) first++;
        if (first < f) continue; /* listed with an earlier file */
        char* others = join_members(m, machine_keys, 3);
        char* files = rp_strdup("");
        for (size_t g = f; g < r->file_count; g++) {
            if (!same_machine(r->files[g].machine, m)) continue;
            char* longer = rp_strdupf("%s%s%s", files, files[0] ? ", " : "", r->files[g].path);
            free(files);
            files = longer;
        }
        table_add_row(t);
        table_set(t, 0, RP_CELL_TEXT, json_get_string(m, "hostname", "unknown"));
        table_set(t, 1, RP_CELL_TEXT, json_get_string(m, "cpu", ""));
        table_set(t, 2, RP_CELL_TEXT, json_get_string(m, "os", ""));
        table_set(t, 3, RP_CELL_TEXT, others);
        table_set(t, 4, RP_CELL_TEXT, files);
        free(others);
        free(files);
    }
}

/* "settled in 1.2 s (spread 1.1%, 12 samples)", from a runner's "settle" object. */
static char* settle_text(const json_value* settle) {
    if (json_type_of(settle) != JSON_OBJECT) return rp_strdup("—");
    const char* error = json_get_string(settle, "error", NULL);
    if (error != NULL) return rp_strdupf("failed: %s", error);
    bool settled = json_bool(json_object_get(settle, "settled"));
    double spread = json_get_number(settle, "spread", NAN);
    char seconds[64];
    rp_fmt_number(json_get_number(settle, "seconds", NAN), seconds, sizeof seconds);
    char* text = rp_strdupf("%s %s s", settled ? "settled in" : "not settled after", seconds);
    if (isfinite(spread)) {
        char* longer = rp_strdupf("%s (spread %.1f%%, %.0f samples)", text, 100 * spread,
                                  json_get_number(settle, "samples", 0));
        free(text);
        text = longer;
    }
    return text;
}

void rp_files_table(const rp_report* r, rp_table* t) {
    static const char* const headers[] = {"file", "method", "implementation", "machine", "adapter", "device class",
                                          "backend", "driver", "versions", "size", "date", "command", "round",
                                          "warm-up load"};
    table_init(t, 14, headers);
    for (size_t i = 0; i < r->file_count; i++) {
        const rp_file* f = &r->files[i];
        char* versions = join_members(f->versions, NULL, 0);
        const char* texts[] = {f->path, f->method, f->implementation, json_get_string(f->machine, "hostname", ""),
                               f->adapter, f->device_class, f->backend, f->driver, versions, f->size, f->date};
        table_add_row(t);
        for (size_t c = 0; c < 11; c++) table_set(t, c, RP_CELL_TEXT, texts[c]);
        table_set(t, 11, RP_CELL_CODE, f->command);
        char round[32];
        snprintf(round, sizeof round, "%ld", f->round);
        table_set(t, 12, f->round ? RP_CELL_NUMBER : RP_CELL_MUTED, f->round ? round : "—");
        char* settle = settle_text(f->settle);
        table_set(t, 13, f->settle ? RP_CELL_TEXT : RP_CELL_MUTED, settle);
        free(settle);
        free(versions);
    }
}

/* ---------------------------------------------------------------- summary */

size_t rp_classes(const rp_report* r, const char** out, size_t max) {
    static const char* const known[] = {"bandwidth", "compute", "overhead", "transfer"};
    size_t n = 0;
    for (size_t k = 0; k < 4 + r->case_count; k++) {
        const char* name = k < 4 ? known[k] : r->cases[k - 4].class_name;
        bool present = false, listed = false;
        for (size_t g = 0; g < r->group_count; g++)
            present |= strcmp(r->cases[r->groups[g].case_index].class_name, name) == 0;
        for (size_t i = 0; i < n; i++) listed |= strcmp(out[i], name) == 0;
        if (present && !listed && n < max) out[n++] = name;
    }
    return n;
}

typedef struct class_mean {
    double mean;        /* geometric mean of the ratios; NaN without any */
    size_t count;       /* ratios in the mean */
    size_t failed;      /* results that failed verification */
    size_t unsupported; /* unsupported or unverified results */
} class_mean;

/* Geometric mean of the ratios of one series over the groups of one class and size, with the
 * results left out of it counted, so a method that fails often cannot look good by omission. */
static class_mean class_geomean(const rp_report* r, size_t series, const char* class_name, const char* size) {
    class_mean m = {.mean = NAN};
    double log_sum = 0;
    for (size_t g = 0; g < r->group_count; g++) {
        const rp_group* group = &r->groups[g];
        if (strcmp(group->size, size) != 0 || strcmp(r->cases[group->case_index].class_name, class_name) != 0)
            continue;
        for (size_t i = 0; i < group->row_count; i++) {
            const rp_row* row = &group->rows[i];
            if (row->series != series) continue;
            m.failed += row->status == RP_FAILED;
            m.unsupported += row->status == RP_UNSUPPORTED || row->status == RP_UNVERIFIED;
            if (!isfinite(row->vs_baseline)) continue;
            log_sum += log(row->vs_baseline);
            m.count++;
        }
    }
    if (m.count) m.mean = exp(log_sum / (double)m.count);
    return m;
}

/* "0.85 (5)", "0.85 (4; 1 failed)", "— (0; 2 unsupported)" or "—". */
static void class_mean_text(class_mean m, char* out, size_t size) {
    char ratio[64], left_out[96] = "";
    rp_fmt_ratio(m.mean, ratio, sizeof ratio);
    if (m.failed) snprintf(left_out, sizeof left_out, "; %zu failed", m.failed);
    size_t used = strlen(left_out);
    if (m.unsupported) snprintf(left_out + used, sizeof left_out - used, "; %zu unsupported", m.unsupported);
    if (m.count == 0 && left_out[0] == '\0') snprintf(out, size, "—");
    else snprintf(out, size, "%s (%zu%s)", ratio, m.count, left_out);
}

static bool series_ran_size(const rp_report* r, size_t series, const char* size) {
    for (size_t g = 0; g < r->group_count; g++)
        for (size_t i = 0; i < r->groups[g].row_count; i++)
            if (r->groups[g].rows[i].series == series && strcmp(r->groups[g].size, size) == 0) return true;
    return false;
}

static void summary_row(const rp_report* r, rp_table* t, size_t series, const char* size, const char** classes,
                        size_t class_count) {
    const rp_series* s = &r->series[series];
    table_add_row(t);
    table_set(t, 0, RP_CELL_TEXT, s->method);
    table_set(t, 1, RP_CELL_TEXT, s->implementation);
    table_set(t, 2, RP_CELL_TEXT, r->devices[s->device].adapter);
    table_set(t, 3, RP_CELL_TEXT, size);
    for (size_t c = 0; c < class_count; c++) {
        class_mean m = class_geomean(r, series, classes[c], size);
        char text[192];
        class_mean_text(m, text, sizeof text);
        table_set(t, 4 + c, m.count ? RP_CELL_NUMBER : RP_CELL_MUTED, text);
    }
}

void rp_summary_table(const rp_report* r, rp_table* t, rp_lines* unmatched) {
    const char* classes[16];
    size_t class_count = rp_classes(r, classes, 16);
    const char* headers[20] = {"method", "implementation", "device", "size"};
    for (size_t c = 0; c < class_count; c++) headers[4 + c] = classes[c];
    table_init(t, 4 + class_count, headers);
    for (size_t z = 0; z < r->size_count; z++)
        for (size_t s = 0; s < r->series_count; s++)
            if (!r->series[s].is_baseline && rp_device_has_baseline(r, r->series[s].device) &&
                series_ran_size(r, s, r->sizes[z]))
                summary_row(r, t, s, r->sizes[z], classes, class_count);
    for (size_t s = 0; s < r->series_count; s++) {
        if (rp_device_has_baseline(r, r->series[s].device)) continue;
        char label[512];
        rp_series_label(r, s, true, label, sizeof label);
        lines_add(unmatched, rp_strdup(label));
    }
}

/* ---------------------------------------------------------------- at a glance */

static void glance_cell(rp_table* t, size_t col, rp_glance_cell cell) {
    switch (cell.kind) {
    case RP_GLANCE_RATIO: table_set_ratio(t, col, cell.ratio); break;
    case RP_GLANCE_FAILED: table_set(t, col, RP_CELL_FAIL, "failed"); break;
    case RP_GLANCE_UNSUPPORTED: table_set(t, col, RP_CELL_MUTED, "unsupported"); break;
    case RP_GLANCE_NONE: table_set(t, col, RP_CELL_MUTED, "—"); break;
    }
}

static void glance_row(const rp_report* r, const rp_glance_row* view, const char** methods, size_t method_count,
                       rp_table* t) {
    const rp_group* g = view->group;
    const rp_row* reference = view->reference;
    const rp_case* c = &r->cases[g->case_index];
    char title[512], value[64];
    rp_group_title(g, title, sizeof title);
    rp_fmt_number(reference->value, value, sizeof value);
    char* label = rp_strdupf("%s %s", c->id, title);
    const char* variant = json_get_string(reference->result, "variant", NULL);
    char* reference_text = g->variant == NULL && variant != NULL ? rp_strdupf("%s %s (%s)", value, c->unit, variant)
                                                                 : rp_strdupf("%s %s", value, c->unit);
    table_add_row(t);
    table_set(t, 0, RP_CELL_TEXT, label);
    table_set(t, 1, RP_CELL_TEXT, r->devices[view->device].adapter);
    table_set(t, 2, RP_CELL_NUMBER, reference_text);
    for (size_t m = 0; m < method_count; m++)
        glance_cell(t, 3 + m, rp_glance_method(r, g, view->device, methods[m]));
    free(label);
    free(reference_text);
}

void rp_glance_table(const rp_report* r, rp_table* t) {
    const char* methods[RP_GLANCE_MAX_METHODS];
    size_t method_count = rp_glance_methods(r, methods, RP_GLANCE_MAX_METHODS);
    const char* headers[3 + RP_GLANCE_MAX_METHODS] = {"case", "device", rp_baseline_name(r)};
    for (size_t m = 0; m < method_count; m++) headers[3 + m] = methods[m];
    table_init(t, 3 + method_count, headers);
    size_t count;
    rp_glance_row* rows = rp_glance_rows(r, &count);
    for (size_t i = 0; i < count; i++) glance_row(r, &rows[i], methods, method_count, t);
    free(rows);
}

/* ---------------------------------------------------------------- case tables */

static char* verified_text(const rp_row* row, rp_cell_style* style) {
    switch (row->status) {
    case RP_OK: *style = RP_CELL_OK; return rp_strdup("✓");
    case RP_FAILED:
        *style = RP_CELL_FAIL;
        return rp_strdupf("✗ %s", row->reason ? row->reason : "verification failed");
    case RP_UNSUPPORTED: *style = RP_CELL_MUTED; return rp_strdupf("unsupported: %s", row->reason);
    default:
        *style = RP_CELL_MUTED;
        return row->reason ? rp_strdupf("not verified: %s", row->reason) : rp_strdup("not verified");
    }
}

/* "RSD 0.8% · 12 samples", and why sampling stopped when the RSD missed its target. */
static char* noise_text(const json_value* noise) {
    double rsd = json_get_number(noise, "rsd", NAN), samples = json_get_number(noise, "samples", NAN);
    char* text = isfinite(rsd) ? rp_strdupf("RSD %.2g%% · %.0f samples", 100 * rsd, samples)
                               : rp_strdupf("%.0f samples", samples);
    const char* stopped = json_get_string(noise, "stopped_by", NULL);
    bool converged = json_bool(json_object_get(noise, "converged"));
    double target = json_get_number(noise, "rsd_target", NAN);
    if (!converged && isfinite(target)) {
        char* longer = rp_strdupf("%s · target %.2g%% not reached (%s)", text, 100 * target, stopped ? stopped : "cap");
        free(text);
        text = longer;
    }
    return text;
}

/* Only verified rows show numbers: a failed or unsupported row has no time to show. */
static void measured_cells(rp_table* t, const rp_row* row) {
    bool ok = row->status == RP_OK;
    char range[160], lo[64], hi[64];
    rp_fmt_number(row->value_lo, lo, sizeof lo);
    rp_fmt_number(row->value_hi, hi, sizeof hi);
    snprintf(range, sizeof range, "%s..%s", lo, hi);
    table_set_number(t, 3, ok && row->valued ? row->value : NAN);
    table_set(t, 4, ok && row->valued ? RP_CELL_NUMBER : RP_CELL_MUTED, ok && row->valued ? range : "—");
    table_set_number(t, 5, ok && row->timed ? row->t_median : NAN);
    table_set(t, 6, ok && row->timing[0] ? RP_CELL_TEXT : RP_CELL_MUTED, ok && row->timing[0] ? row->timing : "—");
    table_set_ratio(t, 8, ok ? row->vs_baseline : NAN);
    table_set_ratio(t, 9, ok ? row->vs_fastest : NAN);
    char* noise = noise_text(row->noise);
    table_set(t, 10, ok && row->noise ? RP_CELL_TEXT : RP_CELL_MUTED, ok && row->noise ? noise : "—");
    free(noise);
}

void rp_group_table(const rp_report* r, const rp_group* g, rp_table* t) {
    const rp_case* c = &r->cases[g->case_index];
    const char* unit = c->unit[0] ? c->unit : c->metric_name;
    char metric[128], range[128], vs_base[128];
    snprintf(metric, sizeof metric, "%s (median)", unit);
    snprintf(range, sizeof range, "%s min..max", unit);
    snprintf(vs_base, sizeof vs_base, "ratio to %s", rp_baseline_name(r));
    const char* headers[] = {"method", "implementation", "device", metric, range, "time median (ms)",
                             "timing", "verified", vs_base, "ratio to fastest WebGPU", "noise"};
    table_init(t, 11, headers);
    for (size_t i = 0; i < g->row_count; i++) {
        const rp_row* row = &g->rows[i];
        const rp_series* s = &r->series[row->series];
        table_add_row(t);
        table_set(t, 0, RP_CELL_TEXT, s->method);
        char* implementation = row->round ? rp_strdupf("%s · round %ld", s->implementation, row->round)
                                          : rp_strdup(s->implementation);
        table_set(t, 1, RP_CELL_TEXT, implementation);
        free(implementation);
        table_set(t, 2, RP_CELL_TEXT, r->devices[row->device].adapter);
        rp_cell_style style;
        char* verified = verified_text(row, &style);
        table_set(t, 7, style, verified);
        free(verified);
        measured_cells(t, row);
    }
}

void rp_group_notes(const rp_report* r, const rp_group* g, rp_lines* lines) {
    char first[512];
    rp_fmt_params(g->params, first, sizeof first);
    for (size_t i = 0; i < g->row_count; i++) {
        if (!g->rows[i].differs) continue;
        char label[512], params[512];
        rp_series_label(r, g->rows[i].series, rp_report_multi_device(r), label, sizeof label);
        rp_fmt_params(json_object_get(g->rows[i].result, "params"), params, sizeof params);
        lines_add(lines, rp_strdupf("%s ran with other parameters (%s) than the first result (%s).", label,
                                    params[0] ? params : "none", first[0] ? first : "none"));
    }
}

/* ---------------------------------------------------------------- limits */

static const rp_row* best_webgpu_row(const rp_report* r, const rp_group* g, size_t device) {
    const rp_row* best = NULL;
    for (size_t i = 0; i < g->row_count; i++) {
        const rp_row* row = &g->rows[i];
        const rp_series* s = &r->series[row->series];
        if (row->device != device || !s->is_webgpu || s->is_baseline || !isfinite(row->vs_baseline)) continue;
        if (best == NULL || row->vs_baseline > best->vs_baseline) best = row;
    }
    return best;
}

/* The runners' own words on why a row is slow; the report never guesses. */
static char* limit_notes(const rp_report* r, const rp_group* g, size_t device) {
    char* text = rp_strdup("");
    for (size_t i = 0; i < g->row_count; i++) {
        const rp_row* row = &g->rows[i];
        const rp_series* s = &r->series[row->series];
        if (row->device != device || s->is_baseline || row->note == NULL) continue;
        char label[512];
        rp_series_label(r, row->series, false, label, sizeof label);
        char* longer = rp_strdupf("%s%s%s: %s", text, text[0] ? "; " : "", label, row->note);
        free(text);
        text = longer;
    }
    return text;
}

/* The --limits file's line for this group: "case/variant" first, then "case". */
static const char* measured_limit(const rp_report* r, const rp_group* g) {
    const char* id = r->cases[g->case_index].id;
    if (g->variant != NULL) {
        char key[256];
        snprintf(key, sizeof key, "%s/%s", id, g->variant);
        const char* text = json_string(json_object_get(r->limits, key));
        if (text != NULL) return text;
    }
    return json_string(json_object_get(r->limits, id));
}

static void limit_line(const rp_report* r, const rp_group* g, const rp_row* best, rp_lines* lines) {
    char title[512], label[512], ratio[64];
    rp_group_title(g, title, sizeof title);
    rp_series_label(r, best->series, false, label, sizeof label);
    rp_fmt_ratio(best->vs_baseline, ratio, sizeof ratio);
    char* notes = limit_notes(r, g, best->device);
    const char* measured = measured_limit(r, g);
    if (measured != NULL) {
        char* longer = rp_strdupf("%s%s%s", notes, notes[0] ? "; " : "", measured);
        free(notes);
        notes = longer;
    }
    if (notes[0])
        lines_add(lines, rp_strdupf("%s on %s: best WebGPU result %s reaches %s of %s. Recorded limit: %s.", title,
                                    r->devices[best->device].adapter, label, ratio, rp_baseline_name(r), notes));
    else
        lines_add(lines, rp_strdupf("%s on %s: best WebGPU result %s reaches %s of %s: limit not yet measured.",
                                    title, r->devices[best->device].adapter, label, ratio, rp_baseline_name(r)));
    free(notes);
}

bool rp_case_limits(const rp_report* r, size_t case_index, rp_lines* lines) {
    bool compared = false;
    for (size_t i = 0; i < r->group_count; i++) {
        const rp_group* g = &r->groups[i];
        if (g->case_index != case_index) continue;
        for (size_t d = 0; d < r->device_count; d++) {
            const rp_row* best = best_webgpu_row(r, g, d);
            if (best == NULL) continue;
            compared = true;
            if (best->vs_baseline < RP_LIMIT_RATIO) limit_line(r, g, best, lines);
        }
    }
    return compared;
}

/* ---------------------------------------------------------------- reading notes */

void rp_reading_notes(const rp_report* r, rp_lines* lines) {
    const char* base = rp_baseline_name(r);
    lines_add(lines, rp_strdup(
        "Ratios are speeds relative to a reference: the metric divided by the reference's metric when higher is "
        "better, the reference's metric divided by the metric when lower is better (either way, reference time / "
        "this time). 1.00 = as fast as the reference, below 1 = slower, above 1 = faster."));
    lines_add(lines, rp_strdupf(
        "\"ratio to %s\" divides by the %s result; \"ratio to fastest WebGPU\" by the fastest result of any method "
        "other than cuda. Where the reference ran a case only as named variants (cuda's sgemm_tiled: its own "
        "kernel and cuBLAS), a result without a variant is divided by the fastest of them.", base, base));
    lines_add(lines, rp_strdup(
        "Results are compared only with results on the same adapter: a CPU (SwiftShader) row is never divided by a "
        "GPU row, and rows on an adapter without a reference have no ratio."));
    lines_add(lines, rp_strdup(
        "Each metric comes from the median time; min..max is the metric at the slowest and the fastest run. A row "
        "that failed verification shows its error and no time; an unsupported row shows the reason."));
    lines_add(lines, rp_strdupf(
        "Summary: geometric mean, per workload class and size, of the ratio to %s over the verified results (their "
        "number in parentheses). Failed and unsupported results cannot enter the mean; their number follows, so a "
        "method cannot look good by failing.", base));
    lines_add(lines, rp_strdupf(
        "Limits: where the best WebGPU result is below %.2f of %s, the limit the runner recorded for it or the "
        "measured one from --limits, or \"limit not yet measured\".", RP_LIMIT_RATIO, base));
}

/* ---------------------------------------------------------------- rounds */

/* The series' value in `round`, or NaN. */
static double round_value(const rp_group* g, size_t series, long round) {
    const rp_row* row = rp_round_row(g, series, round);
    return row ? row->value : NAN;
}

void rp_rounds_table(const rp_report* r, const rp_group* g, rp_table* t) {
    size_t cols = 3 + r->round_count + 2;
    const char** headers = rp_xrealloc(NULL, cols, sizeof *headers);
    char** owned = rp_xrealloc(NULL, r->round_count ? r->round_count : 1, sizeof *owned);
    headers[0] = "method", headers[1] = "implementation", headers[2] = "device";
    for (size_t k = 0; k < r->round_count; k++) headers[3 + k] = owned[k] = rp_strdupf("round %ld", r->rounds[k]);
    headers[cols - 2] = "spread (max-min)/median", headers[cols - 1] = "rounds agree";
    table_init(t, cols, headers);
    for (size_t k = 0; k < r->round_count; k++) free(owned[k]);
    free(owned);
    free(headers);
    for (size_t s = 0; s < r->series_count; s++) {
        double spread = rp_round_spread(r, g, s);
        if (!isfinite(spread)) continue;
        table_add_row(t);
        table_set(t, 0, RP_CELL_TEXT, r->series[s].method);
        table_set(t, 1, RP_CELL_TEXT, r->series[s].implementation);
        table_set(t, 2, RP_CELL_TEXT, r->devices[r->series[s].device].adapter);
        for (size_t k = 0; k < r->round_count; k++) table_set_number(t, 3 + k, round_value(g, s, r->rounds[k]));
        char text[64];
        snprintf(text, sizeof text, "%.1f%%", 100 * spread);
        table_set(t, cols - 2, RP_CELL_NUMBER, text);
        bool agree = spread <= RP_ROUND_SPREAD;
        snprintf(text, sizeof text, agree ? "yes" : "NO: over %.0f%%", 100 * RP_ROUND_SPREAD);
        table_set(t, cols - 1, agree ? RP_CELL_OK : RP_CELL_FAIL, text);
    }
}

bool rp_rounds_flags(const rp_report* r, rp_lines* lines) {
    bool compared = false;
    for (size_t i = 0; i < r->group_count; i++) {
        const rp_group* g = &r->groups[i];
        for (size_t s = 0; s < r->series_count; s++) {
            double spread = rp_round_spread(r, g, s);
            if (!isfinite(spread)) continue;
            compared = true;
            if (spread <= RP_ROUND_SPREAD) continue;
            char title[512], label[512];
            rp_group_title(g, title, sizeof title);
            rp_series_label(r, s, rp_report_multi_device(r), label, sizeof label);
            lines_add(lines, rp_strdupf("%s %s, %s: rounds differ by %.1f%% (max-min)/median.", r->cases[g->case_index].id,
                                        title, label, 100 * spread));
        }
    }
    return compared;
}

char* rp_cases_without_results(const rp_report* r) {
    char* text = rp_strdup("");
    for (size_t c = 0; c < r->case_count; c++) {
        if (rp_case_has_results(r, c)) continue;
        char* longer = rp_strdupf("%s%s%s", text, text[0] ? ", " : "", r->cases[c].id);
        free(text);
        text = longer;
    }
    return text;
}
