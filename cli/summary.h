/* What `wgslrun run` prints: array summaries, as text or JSON; its timing statistics are
 * common/stats.h, shared with the benchmark runner. */
#ifndef WGSLRUN_CLI_SUMMARY_H
#define WGSLRUN_CLI_SUMMARY_H

#include <stdio.h>

#include "json.h"
#include "wgslrun.h"

typedef struct cli_array_summary {
    double checksum;        /* sum of all elements, in double */
    double min, max;
    size_t non_finite;      /* NaN and infinities among float elements */
    bool exact;             /* i32/u32: integer_sum is the exact sum */
    int64_t integer_sum;
} cli_array_summary;

cli_array_summary cli_summarize(const wr_array* array);
void cli_print_array(FILE* out, const char* name, const wr_array* array);
void cli_json_array(json_writer* w, const char* name, const wr_array* array);

/* The values a buffer of `binding`'s type holds, without the padding WGSL's layout puts inside
 * and between them: array<vec3<f32>> as [N, 3], array<mat3x3<f32>> as [N, 3, 3] (column, row),
 * scalars as [N]. Structs and types without a known layout are viewed flat, as elements of
 * `fallback` (the bound data's type). `out` owns malloc'd data (wr_array_free). */
wr_status cli_values_view(const wr_binding_info* binding, wr_dtype fallback, const void* bytes, size_t size,
                          wr_array* out, wr_error* err);

#endif
