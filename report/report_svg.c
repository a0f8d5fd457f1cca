/* Static SVG bar charts: one bar per result, range lines, value labels, a linear axis. */
#include "report_svg.h"

#include <math.h>
#include <string.h>

#include "report_format.h"

/* Layout in SVG user units (pixels at 100% zoom). */
enum {
    CHART_WIDTH = 880,
    LABEL_RIGHT = 330,  /* labels end here, right-aligned */
    LABEL_CHARS = 44,   /* longer labels are cut with "…" (the full one is in the tooltip) */
    PLOT_LEFT = 340,
    PLOT_RIGHT = 790,   /* room to the right for the value of the longest bar */
    ROW_HEIGHT = 24,
    BAR_HEIGHT = 14,
    TOP = 6,
    AXIS_HEIGHT = 38,
};

const char* rp_series_color(size_t series) {
    /* Tableau 10: distinguishable, and readable for the common colour vision deficiencies. */
    static const char* const palette[] = {"#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
                                          "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"};
    return palette[series % (sizeof palette / sizeof palette[0])];
}

/* A round step (1, 2 or 5 times a power of ten) giving about five ticks up to `max`. */
static double tick_step(double max) {
    double raw = max / 5, power = pow(10, floor(log10(raw))), f = raw / power;
    return power * (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10);
}

/* Ticks share one number of decimals, just enough for the step: "0, 0.5, 1.0" not "0, 0.500, 1.00". */
static void tick_label(double value, double step, char* out, size_t size) {
    int decimals = step >= 1 ? 0 : (int)ceil(-log10(step) - 1e-9);
    snprintf(out, size, "%.*f", decimals, value);
}

static double scale_max(const rp_group* g) {
    double max = 0;
    for (size_t i = 0; i < g->row_count; i++)
        if (g->rows[i].valued && g->rows[i].value_hi > max) max = g->rows[i].value_hi;
    if (max <= 0) return 1;
    double step = tick_step(max);
    return ceil(max / step - 1e-9) * step;
}

static double x_of(double value, double max) {
    return PLOT_LEFT + (PLOT_RIGHT - PLOT_LEFT) * value / max;
}

static void write_axis(FILE* out, const rp_report* r, const rp_group* g, double max, double bottom) {
    const rp_case* c = &r->cases[g->case_index];
    double step = tick_step(max);
    for (int k = 0; k * step <= max * (1 + 1e-9); k++) {
        char label[64];
        double x = x_of(k * step, max);
        tick_label(k * step, step, label, sizeof label);
        fprintf(out, "<line class=\"grid\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%.1f\"/>", x, TOP, x, bottom);
        fprintf(out, "<text class=\"tick\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text>\n", x, bottom + 14,
                label);
    }
    fprintf(out, "<text class=\"axis\" x=\"%d\" y=\"%.1f\">", PLOT_LEFT, bottom + 32);
    rp_html_text(out, c->unit[0] ? c->unit : c->metric_name);
    fprintf(out, " (median; line: slowest to fastest run), %s is better</text>\n", c->lower_better ? "lower" : "higher");
}

static const char* missing_text(const rp_row* row) {
    switch (row->status) {
    case RP_FAILED: return "✗ verification failed";
    case RP_UNSUPPORTED: return "unsupported";
    case RP_UNVERIFIED: return "not verified";
    default: return "no metric value";
    }
}

static void write_bar(FILE* out, const rp_row* row, const char* label, double max, double y) {
    char value[64];
    rp_fmt_number(row->value, value, sizeof value);
    double end = x_of(row->value, max), width = end - PLOT_LEFT;
    if (width < 1) width = 1; /* a tiny value still shows that it ran */
    fprintf(out, "<rect class=\"bar\" x=\"%d\" y=\"%.1f\" width=\"%.1f\" height=\"%d\" fill=\"%s\"><title>", PLOT_LEFT,
            y, width, BAR_HEIGHT, rp_series_color(row->series));
    rp_html_text(out, label);
    fprintf(out, ": %s</title></rect>", value);
    double lo = x_of(row->value_lo, max), hi = x_of(row->value_hi, max), mid = y + BAR_HEIGHT / 2.0;
    if (hi - lo >= 0.5) {
        fprintf(out, "<line class=\"range\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>", lo, mid, hi, mid);
        for (int k = 0; k < 2; k++)
            fprintf(out, "<line class=\"range\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>", k ? hi : lo, mid - 4,
                    k ? hi : lo, mid + 4);
    }
    fprintf(out, "<text class=\"value\" x=\"%.1f\" y=\"%.1f\">%s</text>\n", (hi > end ? hi : end) + 6, mid + 4, value);
}

static void write_row(FILE* out, const rp_report* r, const rp_row* row, double max, double y) {
    char label[512], shown[512];
    rp_series_label(r, row->series, rp_report_multi_device(r), label, sizeof label);
    size_t used = strlen(label);
    if (row->round) snprintf(label + used, sizeof label - used, " · round %ld", row->round);
    rp_truncate_utf8(label, LABEL_CHARS, shown, sizeof shown);
    fprintf(out, "<text class=\"label\" x=\"%d\" y=\"%.1f\" text-anchor=\"end\"><title>", LABEL_RIGHT,
            y + BAR_HEIGHT / 2.0 + 4);
    rp_html_text(out, label);
    fputs("</title>", out);
    rp_html_text(out, shown);
    fputs("</text>", out);
    if (row->status == RP_OK && row->valued) {
        write_bar(out, row, label, max, y);
        return;
    }
    fprintf(out, "<text class=\"%s\" x=\"%d\" y=\"%.1f\">%s</text>\n", row->status == RP_FAILED ? "fail" : "missing",
            PLOT_LEFT + 4, y + BAR_HEIGHT / 2.0 + 4, missing_text(row));
}

static void write_open_tag(FILE* out, const rp_report* r, const rp_group* g, size_t index, int height) {
    char title[512], params[512];
    rp_group_title(g, title, sizeof title);
    rp_fmt_params(g->params, params, sizeof params);
    fprintf(out, "<svg class=\"chart\" id=\"chart-%zu\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                 "viewBox=\"0 0 %d %d\" role=\"img\" data-case=\"", index, CHART_WIDTH, height, CHART_WIDTH, height);
    rp_html_text(out, r->cases[g->case_index].id);
    fputs("\" data-size=\"", out);
    rp_html_text(out, g->size);
    fputs("\" data-variant=\"", out);
    rp_html_text(out, g->variant ? g->variant : "");
    fputs("\" data-params=\"", out);
    rp_html_text(out, g->key);
    fputs("\" aria-label=\"", out);
    rp_html_text(out, r->cases[g->case_index].id);
    fputs(" ", out);
    rp_html_text(out, title);
    if (params[0]) {
        fputs(" (", out);
        rp_html_text(out, params);
        fputs(")", out);
    }
    fputs("\">\n", out);
}

void rp_svg_chart(FILE* out, const rp_report* r, const rp_group* g, size_t chart_index) {
    double max = scale_max(g);
    double bottom = TOP + (double)g->row_count * ROW_HEIGHT;
    write_open_tag(out, r, g, chart_index, (int)bottom + AXIS_HEIGHT);
    write_axis(out, r, g, max, bottom);
    for (size_t i = 0; i < g->row_count; i++) {
        double y = TOP + (double)i * ROW_HEIGHT + (ROW_HEIGHT - BAR_HEIGHT) / 2.0;
        /* Rows are sorted by device; a rule between devices shows where comparisons stop. */
        if (i > 0 && g->rows[i].device != g->rows[i - 1].device)
            fprintf(out, "<line class=\"device-rule\" x1=\"8\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\"/>\n",
                    TOP + (double)i * ROW_HEIGHT, CHART_WIDTH - 8, TOP + (double)i * ROW_HEIGHT);
        write_row(out, r, &g->rows[i], max, y);
    }
    fputs("</svg>\n", out);
}
