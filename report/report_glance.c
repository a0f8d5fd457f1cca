/* The "at a glance" view (report_glance.h). */
#include "report_glance.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report_format.h"
#include "stats.h"

/* The median over its rows (one per round) of a series' ratio in a group, or NaN. */
static double series_ratio(const rp_group* g, size_t series) {
    double ratios[32];
    size_t n = 0;
    for (size_t i = 0; i < g->row_count && n < 32; i++)
        if (g->rows[i].series == series && isfinite(g->rows[i].vs_baseline)) ratios[n++] = g->rows[i].vs_baseline;
    return n ? timing_stats_of(ratios, n).median : NAN;
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

static bool has_other_rows(const rp_report* r, const rp_group* g, size_t device) {
    for (size_t i = 0; i < g->row_count; i++)
        if (g->rows[i].device == device && !r->series[g->rows[i].series].is_baseline) return true;
    return false;
}

rp_glance_row* rp_glance_rows(const rp_report* r, size_t* count) {
    rp_glance_row* rows = NULL;
    size_t capacity = 0;
    *count = 0;
    for (size_t c = 0; c < r->case_count; c++)
        for (size_t g = 0; g < r->group_count; g++) {
            const rp_group* group = &r->groups[g];
            for (size_t d = 0; group->case_index == c && d < r->device_count; d++) {
                const rp_row* reference = has_other_rows(r, group, d) ? rp_reference_row(r, group, d) : NULL;
                if (reference == NULL) continue;
                rp_reserve((void**)&rows, &capacity, *count, sizeof *rows);
                rows[(*count)++] = (rp_glance_row){group, d, reference};
            }
        }
    return rows;
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
