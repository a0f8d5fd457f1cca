/* The report formats. Both write the whole report to `out` and return false if
 * writing failed; the caller decides where `out` goes (see report_write.h). */
#ifndef WGSLRUN_REPORT_RENDER_H
#define WGSLRUN_REPORT_RENDER_H

#include <stdbool.h>
#include <stdio.h>

#include "report_model.h"

/* One self-contained HTML page: inline CSS and SVG charts, no script, no external resource. */
bool rp_write_html(FILE* out, const rp_report* r);
/* GitHub-flavoured Markdown with the same tables and notes, without charts. */
bool rp_write_markdown(FILE* out, const rp_report* r);
/* JSON (schema wgslrun-report/1): the result files and the "at a glance" view as numbers. */
bool rp_write_json(FILE* out, const rp_report* r);

#endif
