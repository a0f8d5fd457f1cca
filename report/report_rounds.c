#include "report_rounds.h"

#include <math.h>
#include <stdlib.h>

#include "report_format.h"
#include "stats.h"

const rp_row* rp_round_row(const rp_group* g, size_t series, long round) {
    for (size_t i = 0; i < g->row_count; i++) {
        const rp_row* row = &g->rows[i];
        if (row->series == series && row->round == round && row->status == RP_OK && row->valued) return row;
    }
    return NULL;
}

double rp_round_spread(const rp_report* r, const rp_group* g, size_t series) {
    double* values = rp_xrealloc(NULL, r->round_count ? r->round_count : 1, sizeof *values);
    size_t n = 0;
    for (size_t k = 0; k < r->round_count; k++) {
        const rp_row* row = rp_round_row(g, series, r->rounds[k]);
        if (row != NULL) values[n++] = row->value;
    }
    timing_stats stats = timing_stats_of(values, n);
    double spread = n >= 2 ? (stats.max - stats.min) / stats.median : NAN;
    free(values);
    return spread;
}
