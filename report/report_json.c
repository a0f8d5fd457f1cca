/* The report as JSON (schema wgslrun-report/1): the result files it read, the "at a glance"
 * view as numbers, for scripts that quote the report (README's headline table), and each
 * series' value per round with its noise and the spread between rounds. */
#include <math.h>
#include <stdlib.h>

#include "json.h"
#include "report_glance.h"
#include "report_render.h"
#include "report_rounds.h"

static void number_or_null(json_writer* w, const char* key, double value) {
    json_key(w, key);
    if (isfinite(value)) json_number_value(w, value);
    else json_null_value(w);
}

static void string_or_null(json_writer* w, const char* key, const char* value) {
    json_key(w, key);
    if (value != NULL) json_string_value(w, value);
    else json_null_value(w);
}

static void write_files(json_writer* w, const rp_report* r) {
    json_key(w, "files");
    json_begin_array(w);
    for (size_t i = 0; i < r->file_count; i++) {
        const rp_file* f = &r->files[i];
        json_begin_object(w);
        json_key(w, "path");
        json_string_value(w, f->path);
        json_key(w, "method");
        json_string_value(w, f->method);
        json_key(w, "implementation");
        json_string_value(w, f->implementation);
        json_key(w, "adapter");
        json_string_value(w, f->adapter);
        json_key(w, "round");
        if (f->round > 0) json_int_value(w, f->round);
        else json_null_value(w);
        json_end_object(w);
    }
    json_end_array(w);
}

static const char* kind_name(rp_glance_kind kind) {
    switch (kind) {
    case RP_GLANCE_RATIO: return "ratio";
    case RP_GLANCE_FAILED: return "failed";
    case RP_GLANCE_UNSUPPORTED: return "unsupported";
    default: return "none";
    }
}

static void write_reference(json_writer* w, const rp_report* r, const rp_row* reference) {
    const rp_series* s = &r->series[reference->series];
    json_key(w, "reference");
    json_begin_object(w);
    json_key(w, "method");
    json_string_value(w, s->method);
    json_key(w, "implementation");
    json_string_value(w, s->implementation);
    string_or_null(w, "variant", json_get_string(reference->result, "variant", NULL));
    number_or_null(w, "value", reference->value);
    json_end_object(w);
}

static void write_glance_row(json_writer* w, const rp_report* r, const rp_glance_row* view, const char** methods,
                             size_t method_count) {
    const rp_group* g = view->group;
    const rp_case* c = &r->cases[g->case_index];
    json_begin_object(w);
    json_key(w, "case");
    json_string_value(w, c->id);
    json_key(w, "size");
    json_string_value(w, g->size);
    string_or_null(w, "variant", g->variant);
    json_key(w, "label");
    json_string_value(w, g->label);
    json_key(w, "device");
    json_string_value(w, r->devices[view->device].adapter);
    json_key(w, "unit");
    json_string_value(w, c->unit);
    json_key(w, "better");
    json_string_value(w, c->lower_better ? "lower" : "higher");
    write_reference(w, r, view->reference);
    json_key(w, "methods");
    json_begin_object(w);
    for (size_t m = 0; m < method_count; m++) {
        rp_glance_cell cell = rp_glance_method(r, g, view->device, methods[m]);
        json_key(w, methods[m]);
        json_begin_object(w);
        json_key(w, "status");
        json_string_value(w, kind_name(cell.kind));
        number_or_null(w, "ratio", cell.ratio);
        json_end_object(w);
    }
    json_end_object(w);
    json_end_object(w);
}

static void write_glance(json_writer* w, const rp_report* r) {
    const char* methods[RP_GLANCE_MAX_METHODS];
    size_t method_count = rp_glance_methods(r, methods, RP_GLANCE_MAX_METHODS);
    json_key(w, "glance");
    json_begin_array(w);
    size_t count;
    rp_glance_row* rows = rp_glance_rows(r, &count);
    for (size_t i = 0; i < count; i++) write_glance_row(w, r, &rows[i], methods, method_count);
    free(rows);
    json_end_array(w);
}

/* The runner's noise record, as far as the report uses it: samples, RSD, converged. */
static void write_noise(json_writer* w, const json_value* noise) {
    json_key(w, "noise");
    if (json_type_of(noise) != JSON_OBJECT) {
        json_null_value(w);
        return;
    }
    json_begin_object(w);
    number_or_null(w, "samples", json_get_number(noise, "samples", NAN));
    number_or_null(w, "rsd", json_get_number(noise, "rsd", NAN));
    json_key(w, "converged");
    json_bool_value(w, json_get_bool(noise, "converged", false));
    json_end_object(w);
}

static bool has_round(const rp_report* r, const rp_group* g, size_t series) {
    for (size_t k = 0; k < r->round_count; k++)
        if (rp_round_row(g, series, r->rounds[k]) != NULL) return true;
    return false;
}

static void write_series_rounds(json_writer* w, const rp_report* r, const rp_group* g, size_t series) {
    const rp_series* s = &r->series[series];
    json_begin_object(w);
    json_key(w, "case");
    json_string_value(w, r->cases[g->case_index].id);
    json_key(w, "size");
    json_string_value(w, g->size);
    string_or_null(w, "variant", g->variant);
    json_key(w, "label");
    json_string_value(w, g->label);
    json_key(w, "device");
    json_string_value(w, r->devices[s->device].adapter);
    json_key(w, "method");
    json_string_value(w, s->method);
    json_key(w, "implementation");
    json_string_value(w, s->implementation);
    json_key(w, "unit");
    json_string_value(w, r->cases[g->case_index].unit);
    json_key(w, "rounds");
    json_begin_array(w);
    for (size_t k = 0; k < r->round_count; k++) {
        const rp_row* row = rp_round_row(g, series, r->rounds[k]);
        if (row == NULL) continue;
        json_begin_object(w);
        json_key(w, "round");
        json_int_value(w, r->rounds[k]);
        json_key(w, "value");
        json_number_value(w, row->value);
        write_noise(w, row->noise);
        json_end_object(w);
    }
    json_end_array(w);
    double spread = rp_round_spread(r, g, series);
    number_or_null(w, "spread", spread);
    json_key(w, "agree");
    if (isfinite(spread)) json_bool_value(w, spread <= RP_ROUND_SPREAD);
    else json_null_value(w);
    json_end_object(w);
}

static void write_rounds(json_writer* w, const rp_report* r) {
    json_key(w, "rounds");
    json_begin_array(w);
    for (size_t i = 0; i < r->group_count; i++)
        for (size_t s = 0; s < r->series_count; s++)
            if (has_round(r, &r->groups[i], s)) write_series_rounds(w, r, &r->groups[i], s);
    json_end_array(w);
}

bool rp_write_json(FILE* out, const rp_report* r) {
    json_writer w;
    json_writer_init(&w, out);
    json_begin_object(&w);
    json_key(&w, "schema");
    json_string_value(&w, "wgslrun-report/1");
    json_key(&w, "title");
    json_string_value(&w, r->title);
    json_key(&w, "baseline");
    json_string_value(&w, rp_baseline_name(r));
    write_files(&w, r);
    write_glance(&w, r);
    json_key(&w, "round_spread_limit");
    json_number_value(&w, RP_ROUND_SPREAD);
    write_rounds(&w, r);
    json_end_object(&w);
    return json_writer_finish(&w) && !ferror(out);
}
