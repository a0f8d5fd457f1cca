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

/* A row of the view: a group on a device, and the row its ratios divide by (rp_reference_row). */
typedef struct rp_glance_row {
    const rp_group* group;
    size_t device;
    const rp_row* reference;
} rp_glance_row;

/* What the Markdown and HTML reports say under the view's heading. */
#define RP_GLANCE_NOTE                                                                                     \
    "Per case, the reference's fastest result and each other method's best implementation as a ratio to " \
    "it, the median over rounds (1.00 = as fast, below 1 slower); failed, unsupported or — (no result) "  \
    "where a method has no ratio."

/* The methods other than the baseline's on devices with a baseline, in the order their series
 * first appear; at most `max`. */
size_t rp_glance_methods(const rp_report* r, const char** out, size_t max);
/* The view's rows in case order: every group and device with a reference row and another
 * method's row. A malloc'd array of *count rows (NULL when none), freed by the caller. */
rp_glance_row* rp_glance_rows(const rp_report* r, size_t* count);
rp_glance_cell rp_glance_method(const rp_report* r, const rp_group* g, size_t device, const char* method);

#endif
