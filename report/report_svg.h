/* Static SVG bar charts for the HTML report: no script and no external resource, so a saved
 * report renders offline and in any viewer. */
#ifndef WGSLRUN_REPORT_SVG_H
#define WGSLRUN_REPORT_SVG_H

#include <stdio.h>

#include "report_model.h"

/* Writes one horizontal bar chart for a group as inline SVG: <svg class="chart"> with one
 * <rect class="bar"> per row that has a metric value (length = median), a <line
 * class="range"> from the metric at the slowest to the fastest run, and the value as text.
 * Rows without a value (failed, unsupported) get a text line in place of a bar. The svg
 * carries data-case, data-size, data-variant and data-params so tools can find a chart. */
void rp_svg_chart(FILE* out, const rp_report* r, const rp_group* g, size_t chart_index);

/* The fill colour of a series' bars ("#4e79a7"); stable for a report. */
const char* rp_series_color(size_t series);

#endif
