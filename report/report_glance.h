/* The report's "at a glance" view, as numbers: a row per group (case, size, variant, byte
 * count) and device that has a baseline result and another method's result, the baseline's
 * fastest row, and per other method its best implementation's ratio to it (the median over
 * rounds) or why it has none. The Markdown and HTML table (report_tables.h) and the JSON
 * report (report_json.c) both read it. */
#ifndef WGSLRUN_REPORT_GLANCE_H
#define WGSLRUN_REPORT_GLANCE_H

#include <stddef.h>

#include "report_model.h"

#define RP_GLANCE_MAX_METHODS 16

typedef enum rp_glance_kind {
    RP_GLANCE_RATIO,       /* `ratio` holds it */
    RP_GLANCE_FAILED,      /* every row of the method failed verification or was left out */
    RP_GLANCE_UNSUPPORTED, /* the method cannot express the case (or did not verify it) */
    RP_GLANCE_NONE,        /* no row of the method */
} rp_glance_kind;

typedef struct rp_glance_cell {
    rp_glance_kind kind;
    double ratio;
} rp_glance_cell;

/* The methods other than the baseline's on devices with a baseline, in the order their series
 * first appear; at most `max`. */
size_t rp_glance_methods(const rp_report* r, const char** out, size_t max);
/* The `index`-th group in case order, or NULL past the last. */
const rp_group* rp_glance_group(const rp_report* r, size_t index);
/* The row the group's ratios on the device divide by (its fastest baseline row, or where the
 * baseline ran the case only as named variants, the fastest of those), or NULL when the view
 * has no row for the group and device (no baseline row, or no other method's row). */
const rp_row* rp_glance_reference(const rp_report* r, const rp_group* g, size_t device);
rp_glance_cell rp_glance_method(const rp_report* r, const rp_group* g, size_t device, const char* method);

#endif
