/* What `wgslrun run` prints: array summaries and timing statistics, as text or JSON. */
#include "summary.h"

#include <math.h>
#include <stdlib.h>

#include "sources.h"

#define CLI_PREVIEW_COUNT 6

static int compare_doubles(const void* a, const void* b) {
    double x = *(const double*)a, y = *(const double*)b;
    return (x > y) - (x < y);
}

cli_stats cli_stats_of(double* values, size_t n) {
    cli_stats s = {0};
    if (n == 0) return s;
    qsort(values, n, sizeof *values, compare_doubles);
    s.count = n;
    s.min = values[0];
    s.max = values[n - 1];
    s.median = n % 2 ? values[n / 2] : 0.5 * (values[n / 2 - 1] + values[n / 2]);
    return s;
}

cli_array_summary cli_summarize(const wr_array* array) {
    cli_array_summary s = {0, INFINITY, -INFINITY, 0};
    for (size_t i = 0; i < array->count; i++) {
        double v = cli_array_get(array, i);
        if (!isfinite(v)) {
            s.non_finite++;
            continue;
        }
        s.checksum += v;
        if (v < s.min) s.min = v;
        if (v > s.max) s.max = v;
    }
    if (s.min > s.max) s.min = s.max = 0;
    return s;
}

static void print_shape(FILE* out, const wr_array* array) {
    fputc('[', out);
    for (uint32_t d = 0; d < array->ndim; d++) fprintf(out, "%s%zu", d ? ", " : "", array->shape[d]);
    fputc(']', out);
}

void cli_print_array(FILE* out, const char* name, const wr_array* array) {
    cli_array_summary s = cli_summarize(array);
    fprintf(out, "%s: %s", name, wr_dtype_name(array->dtype));
    print_shape(out, array);
    fprintf(out, " = [");
    size_t n = array->count < CLI_PREVIEW_COUNT ? array->count : CLI_PREVIEW_COUNT;
    for (size_t i = 0; i < n; i++) fprintf(out, "%s%.9g", i ? ", " : "", cli_array_get(array, i));
    fprintf(out, "%s]  sum=%.17g min=%.9g max=%.9g", array->count > n ? ", ..." : "", s.checksum, s.min, s.max);
    if (s.non_finite) fprintf(out, " non-finite=%zu", s.non_finite);
    fputc('\n', out);
}

void cli_json_array(json_writer* w, const char* name, const wr_array* array) {
    cli_array_summary s = cli_summarize(array);
    json_begin_object(w);
    json_key(w, "name");
    json_string_value(w, name);
    json_key(w, "dtype");
    json_string_value(w, wr_dtype_name(array->dtype));
    json_key(w, "shape");
    json_begin_array_inline(w);
    for (uint32_t d = 0; d < array->ndim; d++) json_int_value(w, (long long)array->shape[d]);
    json_end_array(w);
    json_key(w, "first");
    json_begin_array_inline(w);
    for (size_t i = 0; i < array->count && i < CLI_PREVIEW_COUNT; i++) json_number_value(w, cli_array_get(array, i));
    json_end_array(w);
    json_key(w, "sum");
    json_number_value(w, s.checksum);
    json_key(w, "min");
    json_number_value(w, s.min);
    json_key(w, "max");
    json_number_value(w, s.max);
    json_key(w, "non_finite");
    json_int_value(w, (long long)s.non_finite);
    json_end_object(w);
}

void cli_json_stats(json_writer* w, const char* key, cli_stats stats) {
    json_key(w, key);
    if (stats.count == 0) {
        json_null_value(w);
        return;
    }
    json_begin_object(w);
    json_key(w, "min");
    json_number_value(w, stats.min);
    json_key(w, "median");
    json_number_value(w, stats.median);
    json_key(w, "max");
    json_number_value(w, stats.max);
    json_key(w, "count");
    json_int_value(w, (long long)stats.count);
    json_end_object(w);
}
