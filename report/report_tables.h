/* The report's tables and notes as plain text, built once from the model so that the HTML
 * and Markdown writers show exactly the same numbers; each writer only escapes and lays out. */
#ifndef WGSLRUN_REPORT_TABLES_H
#define WGSLRUN_REPORT_TABLES_H

#include <stdbool.h>
#include <stddef.h>

#include "report_model.h"
#include "report_rounds.h"

/* How a cell is shown: alignment in both writers, colour in HTML. */
typedef enum rp_cell_style {
    RP_CELL_TEXT,
    RP_CELL_NUMBER, /* right-aligned */
    RP_CELL_CODE,   /* a command line */
    RP_CELL_OK,     /* verified */
    RP_CELL_FAIL,   /* failed verification: the error, never a time */
    RP_CELL_MUTED,  /* unsupported, not verified, no value */
} rp_cell_style;

typedef struct rp_cell {
    char* text;
    rp_cell_style style;
} rp_cell;

typedef struct rp_table {
    size_t cols, rows, capacity;
    char** headers;
    rp_cell* cells; /* rows * cols, row-major */
} rp_table;

typedef struct rp_lines {
    char** items;
    size_t count, capacity;
} rp_lines;

void rp_table_free(rp_table* t);
const rp_cell* rp_table_cell(const rp_table* t, size_t row, size_t col);
void rp_lines_free(rp_lines* lines);

/* One row per distinct machine, and one per result file (what ran, where, when, how). */
void rp_machines_table(const rp_report* r, rp_table* t);
void rp_files_table(const rp_report* r, rp_table* t);

/* Per size, method and device (on devices with a baseline row): the geometric mean of the
 * ratio to the baseline over the results of each workload class. Series on devices without a
 * baseline row go to `unmatched` as labels. */
void rp_summary_table(const rp_report* r, rp_table* t, rp_lines* unmatched);

/* Every case at a glance (report_glance.h): a row per group and device, the baseline's fastest
 * value, and per other method its ratio, or "failed", "unsupported" or "—" (no result). */
void rp_glance_table(const rp_report* r, rp_table* t);

/* One row per result of the group: the columns of the case tables. */
void rp_group_table(const rp_report* r, const rp_group* g, rp_table* t);
/* Rows of the group that ran with other parameters than the first, as sentences. */
void rp_group_notes(const rp_report* r, const rp_group* g, rp_lines* lines);

/* The limits note of a case: one line per size/variant/device where the best WebGPU row is
 * below RP_LIMIT_RATIO of the baseline, with the rows' "limit"/"note" strings or "limit not
 * yet measured". Returns false when no group of the case has both a baseline and a WebGPU
 * result on one device (nothing to say). */
#define RP_LIMIT_RATIO 0.8
bool rp_case_limits(const rp_report* r, size_t case_index, rp_lines* lines);

/* How to read the report: what the ratios, ranges, summary and limits mean. */
void rp_reading_notes(const rp_report* r, rp_lines* lines);

/* Rounds: per series with a valued result in two or more rounds of the group, the metric in each
 * of the report's rounds, the spread (max - min) / median, and a flag when it is over
 * RP_ROUND_SPREAD. No rows when no series has two rounds. */
void rp_rounds_table(const rp_report* r, const rp_group* g, rp_table* t);
/* One line per group and series whose rounds differ by more than RP_ROUND_SPREAD; returns
 * false when no series has two rounds of any case (nothing to say). */
bool rp_rounds_flags(const rp_report* r, rp_lines* lines);

/* Suite cases that no result file has, as one comma-separated list ("" when none). */
char* rp_cases_without_results(const rp_report* r);

/* Workload classes in the order the summary shows them: the suite's four, then others. */
size_t rp_classes(const rp_report* r, const char** out, size_t max);

#endif
