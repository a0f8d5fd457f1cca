/* The Markdown report: the HTML report's tables and notes without charts, for a README.
 * Every string that comes from a result file goes through rp_md_text. */
#include <stdlib.h>
#include <string.h>

#include "report_format.h"
#include "report_glance.h"
#include "report_render.h"
#include "report_tables.h"

/* GFM aligns a column by its separator; numbers read best right-aligned. */
static bool numeric_column(const rp_table* t, size_t col) {
    for (size_t row = 0; row < t->rows; row++)
        if (rp_table_cell(t, row, col)->style == RP_CELL_NUMBER) return true;
    return false;
}

static void write_table(FILE* out, const rp_table* t) {
    fputs("|", out);
    for (size_t c = 0; c < t->cols; c++) {
        fputs(" ", out);
        rp_md_text(out, t->headers[c]);
        fputs(" |", out);
    }
    fputs("\n|", out);
    for (size_t c = 0; c < t->cols; c++) fputs(numeric_column(t, c) ? " ---: |" : " --- |", out);
    fputs("\n", out);
    for (size_t row = 0; row < t->rows; row++) {
        fputs("|", out);
        for (size_t c = 0; c < t->cols; c++) {
            fputs(" ", out);
            rp_md_text(out, rp_table_cell(t, row, c)->text);
            fputs(" |", out);
        }
        fputs("\n", out);
    }
    fputs("\n", out);
}

static void write_list(FILE* out, const rp_lines* lines) {
    for (size_t i = 0; i < lines->count; i++) {
        fputs("- ", out);
        rp_md_text(out, lines->items[i]);
        fputs("\n", out);
    }
    fputs("\n", out);
}

static void write_head(FILE* out, const rp_report* r) {
    fputs("# ", out);
    rp_md_text(out, r->title);
    fprintf(out, "\n\n%zu result file%s, %zu device%s", r->file_count, r->file_count == 1 ? "" : "s", r->device_count,
            r->device_count == 1 ? "" : "s");
    if (r->suite_path) {
        fputs(", case order from ", out);
        rp_md_text(out, r->suite_path);
    }
    fputs(".\n\n", out);
}

static void write_runs(FILE* out, const rp_report* r) {
    rp_table t;
    fputs("## Runs\n\n### Machines\n\n", out);
    rp_machines_table(r, &t);
    write_table(out, &t);
    rp_table_free(&t);
    fputs("### Result files\n\n", out);
    rp_files_table(r, &t);
    write_table(out, &t);
    rp_table_free(&t);
}

static void write_round_flags(FILE* out, const rp_report* r) {
    rp_lines flags = {0};
    if (rp_rounds_flags(r, &flags)) {
        if (flags.count) {
            fprintf(out, "Results whose rounds differ by more than %.0f%%:\n\n", 100 * RP_ROUND_SPREAD);
            write_list(out, &flags);
        } else {
            fprintf(out, "Every result's rounds agree within %.0f%%.\n\n", 100 * RP_ROUND_SPREAD);
        }
    }
    rp_lines_free(&flags);
}

static void write_summary(FILE* out, const rp_report* r) {
    rp_table t;
    rp_lines unmatched = {0}, notes = {0};
    fputs("## Summary: ratio to ", out);
    rp_md_text(out, rp_baseline_name(r));
    fputs("\n\n", out);
    rp_reading_notes(r, &notes);
    write_list(out, &notes);
    rp_summary_table(r, &t, &unmatched);
    if (t.rows > 0) write_table(out, &t);
    else fputs("No result shares an adapter with a reference result, so there are no ratios.\n\n", out);
    if (unmatched.count > 0) {
        fputs("Without a reference on their adapter (no ratios):\n\n", out);
        write_list(out, &unmatched);
    }
    char* missing = rp_cases_without_results(r);
    if (missing[0]) {
        fputs("Suite cases without results: ", out);
        rp_md_text(out, missing);
        fputs(".\n\n", out);
    }
    free(missing);
    write_round_flags(out, r);
    rp_table_free(&t);
    rp_lines_free(&unmatched);
    rp_lines_free(&notes);
}

static void write_glance(FILE* out, const rp_report* r) {
    rp_table t;
    rp_glance_table(r, &t);
    if (t.rows > 0) {
        fputs("## At a glance: ratio to ", out);
        rp_md_text(out, rp_baseline_name(r));
        fputs("\n\n" RP_GLANCE_NOTE "\n\n", out);
        write_table(out, &t);
    }
    rp_table_free(&t);
}

static void write_group(FILE* out, const rp_report* r, const rp_group* g) {
    char title[512], params[512];
    rp_group_title(g, title, sizeof title);
    rp_fmt_params(g->params, params, sizeof params);
    fputs("#### ", out);
    rp_md_text(out, title);
    fputs("\n\n", out);
    if (params[0]) {
        fputs("Parameters: ", out);
        rp_md_text(out, params);
        fputs("\n\n", out);
    }
    rp_table t;
    rp_group_table(r, g, &t);
    write_table(out, &t);
    rp_table_free(&t);
    rp_rounds_table(r, g, &t);
    if (t.rows > 0) {
        fputs("Rounds:\n\n", out);
        write_table(out, &t);
    }
    rp_table_free(&t);
    rp_lines notes = {0};
    rp_group_notes(r, g, &notes);
    if (notes.count) write_list(out, &notes);
    rp_lines_free(&notes);
}

static void write_limits(FILE* out, const rp_report* r, size_t case_index) {
    rp_lines lines = {0};
    if (rp_case_limits(r, case_index, &lines)) {
        fputs("**Limits**\n\n", out);
        if (lines.count) {
            write_list(out, &lines);
        } else {
            fprintf(out, "Every best WebGPU result is at least %.2f of ", RP_LIMIT_RATIO);
            rp_md_text(out, rp_baseline_name(r));
            fputs(".\n\n", out);
        }
    }
    rp_lines_free(&lines);
}

static void write_case(FILE* out, const rp_report* r, size_t case_index) {
    const rp_case* c = &r->cases[case_index];
    fputs("### ", out);
    rp_md_text(out, c->id);
    if (c->title[0]) {
        fputs(": ", out);
        rp_md_text(out, c->title);
    }
    fputs("\n\nClass ", out);
    rp_md_text(out, c->class_name);
    fputs(" · metric ", out);
    rp_md_text(out, c->metric_name);
    fputs(" in ", out);
    rp_md_text(out, c->unit);
    fprintf(out, ", %s is better.\n\n", c->lower_better ? "lower" : "higher");
    for (size_t g = 0; g < r->group_count; g++)
        if (r->groups[g].case_index == case_index) write_group(out, r, &r->groups[g]);
    write_limits(out, r, case_index);
}

bool rp_write_markdown(FILE* out, const rp_report* r) {
    write_head(out, r);
    write_runs(out, r);
    write_summary(out, r);
    write_glance(out, r);
    fputs("## Cases\n\n", out);
    for (size_t c = 0; c < r->case_count; c++)
        if (rp_case_has_results(r, c)) write_case(out, r, c);
    return !ferror(out);
}
