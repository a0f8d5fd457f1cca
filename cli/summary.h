/* What `wgslrun run` prints: array summaries and timing statistics, as text or JSON. */
#ifndef WGSLRUN_CLI_SUMMARY_H
#define WGSLRUN_CLI_SUMMARY_H

#include <stdio.h>

#include "json.h"
#include "wgslrun.h"

typedef struct cli_stats {
    size_t count;
    double min, median, max;
} cli_stats;

/* Min, median and max of `values` (reordered in place); count 0 when n is 0. */
cli_stats cli_stats_of(double* values, size_t n);

typedef struct cli_array_summary {
    double checksum;        /* sum of all elements, in double */
    double min, max;
    size_t non_finite;      /* NaN and infinities among float elements */
} cli_array_summary;

cli_array_summary cli_summarize(const wr_array* array);
void cli_print_array(FILE* out, const char* name, const wr_array* array);
void cli_json_array(json_writer* w, const char* name, const wr_array* array);
void cli_json_stats(json_writer* w, const char* key, cli_stats stats);

#endif
