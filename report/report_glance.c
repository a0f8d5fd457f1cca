/* The "at a glance" view (report_glance.h). */
#include "report_glance.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int compare_ratios(const void* a, const void* b) {
    double x = *(const double*)a, y = *(const double*)b;
    return (x > y) - (x < y);
}

/* The median over its rows (one per round) of a series' ratio in a group, or NaN. */
static double series_ratio(const rp_group* g, size_t series) {
    double ratios[32];
    size_t n = 0;
    for (size_t i = 0; i < g->row_count && n < 32; i++)
        if (g->rows[i].series == series && isfinite(g->rows[i].vs_baseline)) ratios[n++] = g->rows[i].vs_baseline;
    if (n == 0) return NAN;
    qsort(ratios, n, sizeof ratios[0], compare_ratios);
    return n % 2 ? ratios[n / 2] : 0.5 * (ratios[n / 2 - 1] + ratios[n / 2]);
}

rp_glance_cell rp_glance_method(const rp_report* r, const rp_group* g, size_t device, const char* method) {
    double best = NAN;
    bool failed = false, unsupported = false;
    for (size_t i = 0; i < g->row_count; i++) {
        const rp_row* row = &g->rows[i];
        if (row->device != device || strcmp(r->series[row->series].method, method) != 0) continue;
        double ratio = series_ratio(g, row->series);
        if (isfinite(ratio) && !(ratio <= best)) best = ratio;
        failed = failed || row->status == RP_FAILED;
        unsupported = unsupported || row->status == RP_UNSUPPORTED || row->status == RP_UNVERIFIED;
    }
    if (isfinite(best)) return (rp_glance_cell){RP_GLANCE_RATIO, best};
    if (failed) return (rp_glance_cell){RP_GLANCE_FAILED, NAN};
    return (rp_glance_cell){unsupported ? RP_GLANCE_UNSUPPORTED : RP_GLANCE_NONE, NAN};
}

static const rp_row* fastest_baseline_row(const rp_report* r, const rp_group* g, size_t device, const rp_row* best) {
    for (size_t i = 0; i < g->row_count; i++) {
        const rp_row* row = &g->rows[i];
        if (row->device == device && row->valued && r->series[row->series].is_baseline &&
            (best == NULL || row->speed > best->speed))
            best = row;
    }
    return best;
}

static bool has_other_rows(const rp_report* r, const rp_group* g, size_t device) {
    for (size_t i = 0; i < g->row_count; i++)
        if (g->rows[i].device == device && !r->series[g->rows[i].series].is_baseline) return true;
    return false;
}

const rp_row* rp_glance_reference(const rp_report* r, const rp_group* g, size_t device) {
    if (!has_other_rows(r, g, device)) return NULL;
    const rp_row* best = fastest_baseline_row(r, g, device, NULL);
    bool by_variants = best == NULL && g->variant == NULL;
    for (size_t i = 0; by_variants && i < r->group_count; i++) {
        const rp_group* other = &r->groups[i];
        if (other->variant != NULL && other->case_index == g->case_index && strcmp(other->size, g->size) == 0 &&
            strcmp(other->key, g->key) == 0)
            best = fastest_baseline_row(r, other, device, best);
    }
    return best;
}

size_t rp_glance_methods(const rp_report* r, const char** out, size_t max) {
    size_t n = 0;
    for (size_t s = 0; s < r->series_count; s++) {
        const rp_series* series = &r->series[s];
        if (series->is_baseline || !rp_device_has_baseline(r, series->device)) continue;
        bool seen = false;
        for (size_t k = 0; k < n && !seen; k++) seen = strcmp(out[k], series->method) == 0;
        if (!seen && n < max) out[n++] = series->method;
    }
    return n;
}

const rp_group* rp_glance_group(const rp_report* r, size_t index) {
    for (size_t c = 0; c < r->case_count; c++)
        for (size_t g = 0; g < r->group_count; g++)
            if (r->groups[g].case_index == c && index-- == 0) return &r->groups[g];
    return NULL;
}
