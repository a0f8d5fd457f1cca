/* The HTML report: one page with inline CSS and SVG, readable offline. Every string that
 * comes from a result file goes through rp_html_text. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "report_format.h"
#include "report_glance.h"
#include "report_render.h"
#include "report_svg.h"
#include "report_tables.h"

static const char html_style[] =
    "body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;color:#1d1d1f;background:#fff;"
    "margin:24px auto;max-width:1200px;padding:0 16px}\n"
    "h1{font-size:26px}h2{margin-top:36px;border-bottom:1px solid #ddd;padding-bottom:4px}\n"
    "h3{margin:26px 0 6px}h2 small,h3 small{font-weight:normal;color:#666}\n"
    ".meta,.params{color:#555;margin:2px 0 8px}\n"
    ".wrap{overflow-x:auto}\n"
    "table{border-collapse:collapse;margin:8px 0 12px;font-size:13px}\n"
    "th,td{border:1px solid #ddd;padding:3px 8px;text-align:left;vertical-align:top}\n"
    "th{background:#f4f4f6}td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}\n"
    "td.ok{color:#1a7f37}td.fail{color:#b42318;font-weight:600}td.muted{color:#888}\n"
    "td.code{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12px}\n"
    "ul.limits li{margin:2px 0}.note{color:#555}\n"
    "svg.chart{display:block;max-width:100%;height:auto;margin:6px 0}\n"
    "svg.chart text{font:12px system-ui,sans-serif;fill:#1d1d1f}\n"
    "svg.chart text.tick,svg.chart text.axis{fill:#666;font-size:11px}\n"
    "svg.chart text.fail{fill:#b42318;font-weight:600}svg.chart text.missing{fill:#888}\n"
    "svg.chart line.grid{stroke:#e6e6e6}svg.chart line.range{stroke:#222;stroke-width:1.2}\n"
    "svg.chart line.device-rule{stroke:#999;stroke-dasharray:4 3}\n";

static const char* cell_class(rp_cell_style style) {
    switch (style) {
    case RP_CELL_NUMBER: return "num";
    case RP_CELL_CODE: return "code";
    case RP_CELL_OK: return "ok";
    case RP_CELL_FAIL: return "fail";
    case RP_CELL_MUTED: return "muted";
    default: return NULL;
    }
}

static void write_table(FILE* out, const rp_table* t, const char* css_class) {
    fprintf(out, "<div class=\"wrap\"><table class=\"%s\">\n<thead><tr>", css_class);
    for (size_t c = 0; c < t->cols; c++) {
        fputs("<th>", out);
        rp_html_text(out, t->headers[c]);
        fputs("</th>", out);
    }
    fputs("</tr></thead>\n<tbody>\n", out);
    for (size_t row = 0; row < t->rows; row++) {
        fputs("<tr>", out);
        for (size_t c = 0; c < t->cols; c++) {
            const rp_cell* cell = rp_table_cell(t, row, c);
            const char* css = cell_class(cell->style);
            if (css) fprintf(out, "<td class=\"%s\">", css);
            else fputs("<td>", out);
            rp_html_text(out, cell->text);
            fputs("</td>", out);
        }
        fputs("</tr>\n", out);
    }
    fputs("</tbody></table></div>\n", out);
}

static void write_list(FILE* out, const rp_lines* lines, const char* css_class) {
    fprintf(out, "<ul class=\"%s\">\n", css_class);
    for (size_t i = 0; i < lines->count; i++) {
        fputs("<li>", out);
        rp_html_text(out, lines->items[i]);
        fputs("</li>\n", out);
    }
    fputs("</ul>\n", out);
}

/* Case ids come from result files, so anchors keep only characters safe in a fragment. */
static void write_anchor(FILE* out, const char* id) {
    fputs("case-", out);
    for (const char* p = id; *p; p++) fputc(isalnum((unsigned char)*p) || *p == '_' || *p == '-' ? *p : '-', out);
}

static void write_head(FILE* out, const rp_report* r) {
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
          "<meta name=\"generator\" content=\"wgslrun report\">\n<title>", out);
    rp_html_text(out, r->title);
    fprintf(out, "</title>\n<style>\n%s</style>\n</head>\n<body>\n<h1>", html_style);
    rp_html_text(out, r->title);
    fprintf(out, "</h1>\n<p class=\"meta\">%zu result file%s, %zu device%s", r->file_count,
            r->file_count == 1 ? "" : "s", r->device_count, r->device_count == 1 ? "" : "s");
    if (r->suite_path) {
        fputs(", case order from ", out);
        rp_html_text(out, r->suite_path);
    }
    fputs(".</p>\n", out);
}

static void write_contents(FILE* out, const rp_report* r) {
    fputs("<nav><p class=\"meta\">Cases: ", out);
    bool first = true;
    for (size_t c = 0; c < r->case_count; c++) {
        if (!rp_case_has_results(r, c)) continue;
        fputs(first ? "<a href=\"#" : " · <a href=\"#", out);
        write_anchor(out, r->cases[c].id);
        fputs("\">", out);
        rp_html_text(out, r->cases[c].id);
        fputs("</a>", out);
        first = false;
    }
    fputs("</p></nav>\n", out);
}

static void write_runs(FILE* out, const rp_report* r) {
    rp_table t;
    fputs("<h2 id=\"runs\">Runs</h2>\n<h3>Machines</h3>\n", out);
    rp_machines_table(r, &t);
    write_table(out, &t, "machines");
    rp_table_free(&t);
    fputs("<h3>Result files</h3>\n", out);
    rp_files_table(r, &t);
    write_table(out, &t, "files");
    rp_table_free(&t);
}

static void write_round_flags(FILE* out, const rp_report* r) {
    rp_lines flags = {0};
    if (rp_rounds_flags(r, &flags)) {
        fputs("<h3>Rounds</h3>\n", out);
        if (flags.count) {
            fprintf(out, "<p class=\"note\">Results whose rounds differ by more than %.0f%%:</p>\n", 100 * RP_ROUND_SPREAD);
            write_list(out, &flags, "rounds");
        } else {
            fprintf(out, "<p class=\"note\">Every result's rounds agree within %.0f%%.</p>\n", 100 * RP_ROUND_SPREAD);
        }
    }
    rp_lines_free(&flags);
}

static void write_summary(FILE* out, const rp_report* r) {
    rp_table t;
    rp_lines unmatched = {0}, notes = {0};
    fputs("<h2 id=\"summary\">Summary: ratio to ", out);
    rp_html_text(out, rp_baseline_name(r));
    fputs("</h2>\n", out);
    rp_reading_notes(r, &notes);
    write_list(out, &notes, "reading");
    rp_summary_table(r, &t, &unmatched);
    if (t.rows > 0) write_table(out, &t, "summary");
    else fputs("<p class=\"note\">No result shares an adapter with a reference result, so there are no ratios.</p>\n", out);
    if (unmatched.count > 0) {
        fputs("<p class=\"note\">Without a reference on their adapter (no ratios):</p>\n", out);
        write_list(out, &unmatched, "unmatched");
    }
    char* missing = rp_cases_without_results(r);
    if (missing[0]) {
        fputs("<p class=\"note\">Suite cases without results: ", out);
        rp_html_text(out, missing);
        fputs(".</p>\n", out);
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
        fputs("<h2 id=\"glance\">At a glance: ratio to ", out);
        rp_html_text(out, rp_baseline_name(r));
        fputs("</h2>\n<p class=\"note\">" RP_GLANCE_NOTE "</p>\n", out);
        write_table(out, &t, "glance");
    }
    rp_table_free(&t);
}

static void write_group(FILE* out, const rp_report* r, const rp_group* g, size_t index) {
    char title[512], params[512];
    rp_group_title(g, title, sizeof title);
    rp_fmt_params(g->params, params, sizeof params);
    fputs("<h3>", out);
    rp_html_text(out, title);
    fputs("</h3>\n", out);
    if (params[0]) {
        fputs("<p class=\"params\">", out);
        rp_html_text(out, params);
        fputs("</p>\n", out);
    }
    rp_svg_chart(out, r, g, index);
    rp_table t;
    rp_group_table(r, g, &t);
    write_table(out, &t, "results");
    rp_table_free(&t);
    rp_rounds_table(r, g, &t);
    if (t.rows > 0) {
        fputs("<p class=\"params\">Rounds</p>\n", out);
        write_table(out, &t, "rounds");
    }
    rp_table_free(&t);
    rp_lines notes = {0};
    rp_group_notes(r, g, &notes);
    if (notes.count) write_list(out, &notes, "note");
    rp_lines_free(&notes);
}

static void write_limits(FILE* out, const rp_report* r, size_t case_index) {
    rp_lines lines = {0};
    if (rp_case_limits(r, case_index, &lines)) {
        fputs("<h4>Limits</h4>\n", out);
        if (lines.count) write_list(out, &lines, "limits");
        else {
            fprintf(out, "<p class=\"note\">Every best WebGPU result is at least %.2f of ", RP_LIMIT_RATIO);
            rp_html_text(out, rp_baseline_name(r));
            fputs(".</p>\n", out);
        }
    }
    rp_lines_free(&lines);
}

static void write_case(FILE* out, const rp_report* r, size_t case_index, size_t* chart_index) {
    const rp_case* c = &r->cases[case_index];
    fputs("<section id=\"", out);
    write_anchor(out, c->id);
    fputs("\">\n<h2>", out);
    rp_html_text(out, c->id);
    if (c->title[0]) {
        fputs(" <small>", out);
        rp_html_text(out, c->title);
        fputs("</small>", out);
    }
    fputs("</h2>\n<p class=\"meta\">class ", out);
    rp_html_text(out, c->class_name);
    fputs(" · metric ", out);
    rp_html_text(out, c->metric_name);
    fputs(" in ", out);
    rp_html_text(out, c->unit);
    fprintf(out, ", %s is better</p>\n", c->lower_better ? "lower" : "higher");
    for (size_t g = 0; g < r->group_count; g++)
        if (r->groups[g].case_index == case_index) write_group(out, r, &r->groups[g], (*chart_index)++);
    write_limits(out, r, case_index);
    fputs("</section>\n", out);
}

bool rp_write_html(FILE* out, const rp_report* r) {
    write_head(out, r);
    write_contents(out, r);
    write_runs(out, r);
    write_summary(out, r);
    write_glance(out, r);
    size_t chart_index = 0;
    for (size_t c = 0; c < r->case_count; c++)
        if (rp_case_has_results(r, c)) write_case(out, r, c, &chart_index);
    fputs("</body>\n</html>\n", out);
    return !ferror(out);
}
