/* Text helpers for the report writers: allocation, number formatting, escaping. */
#include "report_format.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void out_of_memory(void) {
    fputs("wgslrun report: error: out of memory\n", stderr);
    exit(1);
}

void* rp_xrealloc(void* block, size_t count, size_t item_size) {
    if (item_size != 0 && count > SIZE_MAX / item_size) out_of_memory();
    size_t bytes = count * item_size;
    void* grown = realloc(block, bytes > 0 ? bytes : 1); /* realloc(p, 0) may free and return NULL */
    if (grown == NULL) out_of_memory();
    return grown;
}

char* rp_strdup(const char* s) {
    size_t n = strlen(s) + 1;
    char* copy = rp_xrealloc(NULL, n, 1);
    memcpy(copy, s, n);
    return copy;
}

char* rp_strdupf(const char* format, ...) {
    va_list args;
    va_start(args, format);
    int n = vsnprintf(NULL, 0, format, args);
    va_end(args);
    if (n < 0) return rp_strdup("");
    char* text = rp_xrealloc(NULL, (size_t)n + 1, 1);
    va_start(args, format);
    vsnprintf(text, (size_t)n + 1, format, args);
    va_end(args);
    return text;
}

void rp_reserve(void** items, size_t* capacity, size_t count, size_t item_size) {
    if (count < *capacity) return;
    size_t grown = *capacity ? *capacity * 2 : 8;
    *items = rp_xrealloc(*items, grown, item_size);
    *capacity = grown;
}

/* ---------------------------------------------------------------- numbers */

void rp_fmt_number(double value, char* out, size_t size) {
    double a = fabs(value);
    if (!isfinite(value)) snprintf(out, size, "—");
    else if (a == 0) snprintf(out, size, "0");
    else if (a >= 99.95) snprintf(out, size, "%.0f", value);
    else if (a >= 9.995) snprintf(out, size, "%.1f", value);
    else if (a >= 0.9995) snprintf(out, size, "%.2f", value);
    else if (a >= 0.0001) snprintf(out, size, "%.3g", value);
    else snprintf(out, size, "%.2e", value);
}

void rp_fmt_ratio(double ratio, char* out, size_t size) {
    if (!isfinite(ratio)) snprintf(out, size, "—");
    else if (ratio >= 0.095) snprintf(out, size, "%.2f", ratio);
    else snprintf(out, size, "%.2g", ratio);
}

void rp_fmt_bytes(double bytes, char* out, size_t size) {
    static const char* const units[] = {"bytes", "KiB", "MiB", "GiB", "TiB"};
    int u = 0;
    while (u < 4 && bytes >= 1024 && fmod(bytes, 1024) == 0) {
        bytes /= 1024;
        u++;
    }
    snprintf(out, size, "%.0f %s", bytes, units[u]);
}

void rp_fmt_json_scalar(const json_value* value, char* out, size_t size) {
    double x;
    switch (json_type_of(value)) {
    case JSON_NUMBER:
        x = json_number(value);
        if (fabs(x) < 9007199254740992.0 && x == floor(x)) snprintf(out, size, "%.0f", x);
        else snprintf(out, size, "%.17g", x);
        break;
    case JSON_STRING: snprintf(out, size, "%s", json_string(value)); break;
    case JSON_BOOL: snprintf(out, size, "%s", json_bool(value) ? "true" : "false"); break;
    case JSON_ARRAY: snprintf(out, size, "[%zu values]", json_array_length(value)); break;
    case JSON_OBJECT: snprintf(out, size, "{...}"); break;
    default: snprintf(out, size, "null"); break;
    }
}

void rp_fmt_params(const json_value* params, char* out, size_t size) {
    out[0] = '\0';
    for (size_t k = 0; k < json_object_length(params); k++) {
        char value[128];
        size_t used = strlen(out);
        rp_fmt_json_scalar(json_object_value_at(params, k), value, sizeof value);
        snprintf(out + used, size - used, "%s%s = %s", k ? ", " : "", json_object_key_at(params, k), value);
    }
}

/* ---------------------------------------------------------------- escaping */

void rp_html_text(FILE* out, const char* text) {
    for (const char* p = text; p != NULL && *p; p++) {
        switch (*p) {
        case '&': fputs("&amp;", out); break;
        case '<': fputs("&lt;", out); break;
        case '>': fputs("&gt;", out); break;
        case '"': fputs("&quot;", out); break;
        case '\'': fputs("&#39;", out); break;
        default: fputc(*p, out); break;
        }
    }
}

static bool is_word_byte(char c) {
    return isalnum((unsigned char)c) != 0;
}

void rp_md_text(FILE* out, const char* text) {
    for (const char* p = text; p != NULL && *p; p++) {
        char c = *p;
        if (c == '\n' || c == '\r' || c == '\t') fputc(' ', out);
        else if (c == '&') fputs("&amp;", out);
        else if (c == '<') fputs("&lt;", out);
        else if (c == '>') fputs("&gt;", out);
        else if (c == '_' && p > text && is_word_byte(p[-1]) && is_word_byte(p[1])) fputc(c, out);
        else if (strchr("\\`*_[]|#~!", c) != NULL) fprintf(out, "\\%c", c);
        else fputc(c, out);
    }
}

void rp_truncate_utf8(const char* text, size_t max_chars, char* out, size_t size) {
    static const char ellipsis[] = "…";
    size_t chars = 0, cut = 0, i = 0;
    for (; text[i]; i++) {
        if (((unsigned char)text[i] & 0xC0) == 0x80) continue; /* continuation byte */
        if (chars == max_chars - 1) cut = i;                   /* room for the ellipsis */
        chars++;
    }
    if (chars <= max_chars || max_chars == 0) {
        snprintf(out, size, "%s", text);
        return;
    }
    snprintf(out, size, "%.*s%s", (int)cut, text, ellipsis);
}
