/* Timing statistics (stats.h). */
#include "stats.h"

#include <stdlib.h>

static int compare_doubles(const void* a, const void* b) {
    double x = *(const double*)a, y = *(const double*)b;
    return (x > y) - (x < y);
}

timing_stats timing_stats_of(double* values, size_t n) {
    timing_stats s = {0};
    if (n == 0) return s;
    qsort(values, n, sizeof *values, compare_doubles);
    s.count = n;
    s.min = values[0];
    s.max = values[n - 1];
    s.median = n % 2 ? values[n / 2] : 0.5 * (values[n / 2 - 1] + values[n / 2]);
    return s;
}

void timing_stats_json(json_writer* w, const char* key, timing_stats stats) {
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
