/* Rounds: the same case run more than once (result files marked "round" or named rN-*.json).
 * A series' value in each round and the spread between them, which the Markdown and HTML tables,
 * the flag list and the JSON all read from here. */
#ifndef WGSLRUN_REPORT_ROUNDS_H
#define WGSLRUN_REPORT_ROUNDS_H

#include <stddef.h>

#include "report_model.h"

/* Rounds further apart than this, (max - min) / median, are flagged. */
#define RP_ROUND_SPREAD 0.05

/* The series' verified, valued row of `round` in the group, or NULL. */
const rp_row* rp_round_row(const rp_group* g, size_t series, long round);
/* (max - min) / median of the series' values over the report's rounds; NaN with fewer than two. */
double rp_round_spread(const rp_report* r, const rp_group* g, size_t series);

#endif
