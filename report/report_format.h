/* Text helpers shared by the `wgslrun report` writers: allocation, number formatting and
 * escaping for HTML and Markdown. */
#ifndef WGSLRUN_REPORT_FORMAT_H
#define WGSLRUN_REPORT_FORMAT_H

#include <stddef.h>
#include <stdio.h>

#include "json.h"

/* Allocation that cannot fail: the report is small, so running out of memory is treated as
 * fatal (message, exit 1) rather than threaded through every renderer. */
void* rp_xrealloc(void* block, size_t count, size_t item_size);
char* rp_strdup(const char* s);
char* rp_strdupf(const char* format, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;

/* Grows *items (holding *count of *capacity) so one more fits. */
void rp_reserve(void** items, size_t* capacity, size_t count, size_t item_size);

/* Metric values, times and ratios as people read them: 3 to 4 significant digits and no
 * exponent in the usual ranges ("2560", "45.3", "1.25", "0.0123"); "—" for NaN. */
void rp_fmt_number(double value, char* out, size_t size);
/* Ratios with two decimals ("0.85"); two significant digits below 0.095 so small ratios do
 * not all read "0.00"; "—" for NaN. */
void rp_fmt_ratio(double ratio, char* out, size_t size);
/* Byte counts in binary units when exact ("16 MiB"), else in bytes. */
void rp_fmt_bytes(double bytes, char* out, size_t size);
/* A JSON scalar as text: integers without a fraction, strings as-is; a short placeholder
 * for arrays and objects. */
void rp_fmt_json_scalar(const json_value* value, char* out, size_t size);
/* A params object as "n = 16777216, inner = 10" ("" when empty). */
void rp_fmt_params(const json_value* params, char* out, size_t size);

/* Writes `text` with & < > " ' as character references, safe in element content and in
 * quoted attributes (NULL writes nothing). */
void rp_html_text(FILE* out, const char* text);
/* Writes `text` for a Markdown table cell, heading or paragraph: line breaks become spaces,
 * & < > become character references (so no HTML from the JSON reaches a README), and the
 * characters that would start Markdown syntax are backslash-escaped; an underscore between
 * letters or digits is left alone because GFM never treats it as emphasis ("sgemm_naive"). */
void rp_md_text(FILE* out, const char* text);

/* Copies `text` into out, cutting at a character boundary and adding "…" when it holds more
 * than max_chars characters; for labels that must fit a fixed width. */
void rp_truncate_utf8(const char* text, size_t max_chars, char* out, size_t size);

#endif
