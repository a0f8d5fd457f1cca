/* The data behind `wgslrun report`: result files (wgslrun-result/1, see bench/README.md)
 * loaded and checked, their rows grouped by case, size, variant and the parameter that tells
 * one run's results apart (transfer's bytes), and ratios computed. The writers only read it.
 *
 *   rp_report r;
 *   rp_report_init(&r, title, baseline);
 *   rp_report_load_suite(&r, "bench/suite.json", err, n);    // optional: order and titles
 *   rp_report_load_file(&r, "results/dawn.json", err, n);    // once per result file
 *   rp_report_build(&r, err, n);
 *   ... render ...
 *   rp_report_free(&r);
 */
#ifndef WGSLRUN_REPORT_MODEL_H
#define WGSLRUN_REPORT_MODEL_H

#include <stdbool.h>
#include <stddef.h>

#include "json.h"

#define RP_RESULT_SCHEMA "wgslrun-result/1"
#define RP_SUITE_SCHEMA "wgslrun-suite/1"
#define RP_MAX_KEYS 4 /* distinguishing parameters per case */

/* How far a row got; only RP_OK rows have times, bars and ratios. */
typedef enum rp_status {
    RP_OK,          /* "verified": true */
    RP_FAILED,      /* "verified": false; `reason` is the error */
    RP_UNSUPPORTED, /* "unsupported": "reason" */
    RP_UNVERIFIED,  /* neither: the runner never checked the output, so its time means nothing */
} rp_status;

typedef struct rp_file {
    const char* path;
    json_value* root;
    /* From the file; never NULL (missing strings read ""). */
    const char *method, *implementation, *adapter, *backend, *driver, *device_class, *date, *command, *size;
    const json_value* machine;  /* object or NULL */
    const json_value* versions; /* object or NULL */
    const json_value* settle;   /* the warm-up load before the first case, or NULL */
    long round;                 /* "round", else N of a file named rN-*.json; 0: none */
} rp_file;

/* One adapter: rows are only ever compared within one. */
typedef struct rp_device {
    const char* adapter;
    const char* device_class;
} rp_device;

/* What one bar stands for: a method and implementation on one device. */
typedef struct rp_series {
    const char *method, *implementation;
    size_t device;
    bool is_baseline; /* matches --baseline (default cuda) by method or implementation */
    bool is_webgpu;   /* every method but cuda runs through a WebGPU (or WebGL2) stack */
} rp_series;

typedef struct rp_row {
    size_t file, series, device;
    const json_value* result;
    rp_status status;
    const char* reason;  /* error or unsupported reason, or NULL */
    const char* timing;  /* "gpu" or "wall" or "" */
    const char* note;    /* the result's "limit" or "note", or NULL */
    bool timed;          /* time_ms present with a positive median */
    double t_min, t_median, t_max;
    bool valued;         /* metric value present and positive */
    double value, value_lo, value_hi; /* metric at the median, worst and best run */
    double speed;        /* value, or 1/value when lower is better: larger is faster */
    double vs_baseline, vs_fastest;   /* NaN when there is nothing to compare with */
    bool differs;        /* params differ from the group's first row */
    long round;          /* of its file; 0: none */
    const json_value* noise; /* the result's "noise" object, or NULL */
    size_t seen;         /* position when added, to keep sorting deterministic */
} rp_row;

typedef struct rp_case {
    const char *id, *title, *class_name, *metric_name, *unit;
    bool lower_better;
    const json_value* suite_case; /* NULL when the suite does not list it */
    const char* keys[RP_MAX_KEYS];
    size_t key_count;
} rp_case;

typedef struct rp_group {
    size_t case_index;
    const char *size, *variant; /* variant NULL when none */
    char* key;                  /* "bytes=1048576" from the distinguishing params; "" if none */
    char* label;                /* the same for people: "1 MiB" */
    const json_value* params;   /* of the first row */
    size_t size_rank, variant_rank, first_seen;
    double sub_order;
    rp_row* rows;
    size_t row_count, row_capacity;
} rp_group;

typedef struct rp_report {
    const char* title;
    const char* baseline;
    bool baseline_given;
    json_value* suite;
    const char* suite_path;
    json_value* limits;  /* --limits: {"case" or "case/variant": measured limit}, or NULL */
    rp_file* files;
    size_t file_count, file_capacity;
    rp_device* devices;
    size_t device_count, device_capacity;
    rp_series* series;
    size_t series_count, series_capacity;
    rp_case* cases;
    size_t case_count, case_capacity;
    rp_group* groups;
    size_t group_count, group_capacity;
    const char** sizes; /* suite order first, then as seen */
    size_t size_count, size_capacity;
    long* rounds;       /* every round a file names, ascending */
    size_t round_count, round_capacity;
} rp_report;

void rp_report_init(rp_report* r, const char* title, const char* baseline);
void rp_report_free(rp_report* r);

/* Each returns false with a message naming the file in `error`. */
bool rp_report_load_suite(rp_report* r, const char* path, char* error, size_t error_size);
bool rp_report_load_file(rp_report* r, const char* path, char* error, size_t error_size);
/* A JSON object of measured limits, one line per "case" or "case/variant" key. */
bool rp_report_load_limits(rp_report* r, const char* path, char* error, size_t error_size);
/* Groups, orders and compares the loaded rows; fails only when --baseline matches nothing. */
bool rp_report_build(rp_report* r, char* error, size_t error_size);

/* Labels for people: "native-c / dawn", with " · ADAPTER" when `with_device`. */
void rp_series_label(const rp_report* r, size_t series, bool with_device, char* out, size_t size);
/* True when the rows come from more than one adapter, so labels must name the device. */
bool rp_report_multi_device(const rp_report* r);
/* True when some result file has a row for the case (suite cases may have none). */
bool rp_case_has_results(const rp_report* r, size_t case_index);
/* A group's heading: "large", "large · one_pass", "large · upload · 1 MiB". */
void rp_group_title(const rp_group* g, char* out, size_t size);
/* The name the ratio columns use for the baseline ("cuda"). */
const char* rp_baseline_name(const rp_report* r);
/* Whether any baseline result ran on the device (ratios exist only there). */
bool rp_device_has_baseline(const rp_report* r, size_t device);
/* The row the group's ratios on the device divide by: its fastest baseline row, or where the
 * baseline ran the case only as named variants, the fastest of those; NULL when none. */
const rp_row* rp_reference_row(const rp_report* r, const rp_group* g, size_t device);

#endif
