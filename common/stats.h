/* Min, median and max of a run's times: what `wgslrun run`, `wgslrun bench` (bench/native) and
 * `wgslrun compare` record, and the JSON object all three write for it. */
#ifndef WGSLRUN_COMMON_STATS_H
#define WGSLRUN_COMMON_STATS_H

#include <stddef.h>

#include "json.h"

typedef struct timing_stats {
    size_t count;
    double min, median, max;
} timing_stats;

/* Min, median and max of `values` (reordered in place); count 0 when n is 0. */
timing_stats timing_stats_of(double* values, size_t n);

/* `key`: {"min", "median", "max", "count"}, or null when count is 0. */
void timing_stats_json(json_writer* w, const char* key, timing_stats stats);

#endif
