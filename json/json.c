/* JSON reading (a recursive-descent parser into a tree) and streaming pretty writing. */
#include "json.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct json_value {
    json_type type;
    union {
        bool boolean;
        double number;
        char* string;
        struct {
            size_t length, capacity;
            json_value** items;
            char** keys; /* objects only; keys[i] names items[i] */
        } container;
    } as;
};

/* ---------------------------------------------------------------- UTF-8 */

/* Length of the well-formed UTF-8 sequence at s (Unicode table 3-7: no overlong forms, no
 * surrogates, nothing past U+10FFFF) with its code point in *cp, or 0 if malformed or cut
 * short by n. Checking the second byte's range is what rules out the overlong forms. */
static size_t utf8_decode(const unsigned char* s, size_t n, uint32_t* cp) {
    if (n == 0) return 0;
    unsigned char c = s[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    size_t len;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        if (c == 0xE0) lo = 0xA0;
        if (c == 0xED) hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        if (c == 0xF0) lo = 0x90;
        if (c == 0xF4) hi = 0x8F;
    } else {
        return 0;
    }
    if (n < len || s[1] < lo || s[1] > hi) return 0;
    uint32_t value = c & (0xFFu >> (len + 1));
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80) return 0;
        value = (value << 6) | (s[i] & 0x3Fu);
    }
    *cp = value;
    return len;
}

static size_t utf8_encode(uint32_t cp, char* out) {
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* ---------------------------------------------------------------- parser state and errors */

typedef struct parser {
    const char* start;
    const char* p;
    const char* end;
    int depth;
    char* error;
    size_t error_size;
    bool failed;
} parser;

/* Lets the compiler check the format strings of the error helpers. */
#if defined(__GNUC__)
#define JSON_PRINTF(fmt_index) __attribute__((format(printf, fmt_index, fmt_index + 1)))
#else
#define JSON_PRINTF(fmt_index)
#endif

JSON_PRINTF(3) static void set_error(char* error, size_t error_size, const char* fmt, ...) {
    if (error == NULL || error_size == 0) return;
    va_list args;
    va_start(args, fmt);
    vsnprintf(error, error_size, fmt, args);
    va_end(args);
}

/* Line and column are worked out only when something fails, so the happy path does not
 * count. Columns count characters: UTF-8 continuation bytes are skipped. */
static void position_of(const parser* ps, const char* at, size_t* line, size_t* column) {
    *line = 1;
    *column = 1;
    for (const char* q = ps->start; q < at; q++) {
        unsigned char c = (unsigned char)*q;
        if (c == '\n') {
            (*line)++;
            *column = 1;
        } else if ((c & 0xC0) != 0x80) {
            (*column)++;
        }
    }
}

/* Records the first failure only: callers unwind after it and must not overwrite the
 * message with a vaguer one from further up. Returns NULL so callers can `return fail(...)`. */
JSON_PRINTF(3) static void* fail(parser* ps, const char* at, const char* fmt, ...) {
    if (ps->failed) return NULL;
    ps->failed = true;
    if (ps->error == NULL || ps->error_size == 0) return NULL;
    char message[256];
    va_list args;
    va_start(args, fmt);
    vsnprintf(message, sizeof message, fmt, args);
    va_end(args);
    size_t line, column;
    position_of(ps, at, &line, &column);
    set_error(ps->error, ps->error_size, "line %zu, column %zu: %s", line, column, message);
    return NULL;
}

/* What sits at `at`, for "expected X but found Y". */
static const char* describe(const parser* ps, const char* at, char* buf, size_t size) {
    if (at >= ps->end) return "end of input";
    unsigned char c = (unsigned char)*at;
    uint32_t cp;
    if (c == '\n') return "newline";
    if (c == '\t') return "tab";
    if (c >= 0x20 && c < 0x7F)
        snprintf(buf, size, "'%c'", c);
    else if (c >= 0x80 && utf8_decode((const unsigned char*)at, (size_t)(ps->end - at), &cp))
        snprintf(buf, size, "U+%04X", (unsigned)cp);
    else
        snprintf(buf, size, "byte 0x%02X", c);
    return buf;
}

static void* fail_expected(parser* ps, const char* expected) {
    char buf[32];
    return fail(ps, ps->p, "expected %s but found %s", expected,
                describe(ps, ps->p, buf, sizeof buf));
}

static void skip_whitespace(parser* ps) {
    while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r'))
        ps->p++;
}

static bool at_char(const parser* ps, char c) { return ps->p < ps->end && *ps->p == c; }

static bool is_digit_at(const parser* ps) {
    return ps->p < ps->end && *ps->p >= '0' && *ps->p <= '9';
}

/* ---------------------------------------------------------------- values */

static json_value* new_value(parser* ps, json_type type) {
    json_value* v = calloc(1, sizeof *v);
    if (v == NULL) return fail(ps, ps->p, "out of memory");
    v->type = type;
    return v;
}

static json_value* parse_value(parser* ps);

static json_value* parse_literal(parser* ps) {
    static const struct { const char* word; json_type type; bool value; } literals[] = {
        {"true", JSON_BOOL, true}, {"false", JSON_BOOL, false}, {"null", JSON_NULL, false}};
    for (size_t i = 0; i < sizeof literals / sizeof literals[0]; i++) {
        size_t n = strlen(literals[i].word);
        if (literals[i].word[0] != *ps->p) continue;
        if ((size_t)(ps->end - ps->p) < n || memcmp(ps->p, literals[i].word, n) != 0)
            return fail(ps, ps->p, "expected '%s'", literals[i].word);
        json_value* v = new_value(ps, literals[i].type);
        if (v != NULL) v->as.boolean = literals[i].value;
        ps->p += n;
        return v;
    }
    return fail_expected(ps, "value");
}

static void skip_digits(parser* ps) {
    while (is_digit_at(ps)) ps->p++;
}

/* Checks the RFC 8259 grammar by hand, since strtod accepts more ("0x1p3", "inf", " 1",
 * "1."), then converts a NUL-terminated copy because `text` need not end in a NUL. */
static json_value* parse_number(parser* ps) {
    const char* begin = ps->p;
    if (at_char(ps, '-')) ps->p++;
    if (!is_digit_at(ps)) return fail_expected(ps, "digit after '-'");
    if (*ps->p == '0') {
        ps->p++;
        if (is_digit_at(ps)) return fail(ps, begin, "numbers may not have leading zeros");
    } else {
        skip_digits(ps);
    }
    if (at_char(ps, '.')) {
        ps->p++;
        if (!is_digit_at(ps)) return fail_expected(ps, "digit after '.'");
        skip_digits(ps);
    }
    if (at_char(ps, 'e') || at_char(ps, 'E')) {
        ps->p++;
        if (at_char(ps, '+') || at_char(ps, '-')) ps->p++;
        if (!is_digit_at(ps)) return fail_expected(ps, "digit in exponent");
        skip_digits(ps);
    }

    size_t len = (size_t)(ps->p - begin);
    char small[64];
    char* copy = len < sizeof small ? small : malloc(len + 1);
    if (copy == NULL) return fail(ps, begin, "out of memory");
    memcpy(copy, begin, len);
    copy[len] = '\0';
    double x = strtod(copy, NULL);
    if (copy != small) free(copy);
    if (isinf(x)) return fail(ps, begin, "number out of range");

    json_value* v = new_value(ps, JSON_NUMBER);
    if (v != NULL) v->as.number = x;
    return v;
}

/* Finds the closing quote of the string whose opening quote is at ps->p, stopping early at
 * a raw control character, which JSON forbids and which usually means a missing quote. */
static const char* find_string_end(parser* ps) {
    const char* open = ps->p;
    const char* q = open + 1;
    while (q < ps->end) {
        unsigned char c = (unsigned char)*q;
        if (c == '"') return q;
        if (c < 0x20) {
            char buf[32];
            return fail(ps, q, "expected '\"' but found %s (control characters in strings must "
                        "be escaped)", describe(ps, q, buf, sizeof buf));
        }
        if (c == '\\' && ps->end - q < 2) break;
        q += c == '\\' ? 2 : 1;
    }
    return fail(ps, open, "unterminated string");
}

static int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Reads the 4 hex digits after "\u" at *q (which points at the backslash). */
static bool read_u_escape(parser* ps, const char** q, const char* close, uint32_t* unit) {
    const char* at = *q;
    uint32_t value = 0;
    for (int i = 2; i < 6; i++) {
        int h = i < close - at ? hex_value(at[i]) : -1;
        if (h < 0) {
            fail(ps, at, "expected 4 hex digits after \\u");
            return false;
        }
        value = value << 4 | (uint32_t)h;
    }
    *q = at + 6;
    *unit = value;
    return true;
}

/* Decodes \uXXXX, joining a surrogate pair; advances *q past it. */
static bool decode_u_escape(parser* ps, const char** q, const char* close, uint32_t* cp) {
    const char* at = *q;
    uint32_t hi;
    if (!read_u_escape(ps, q, close, &hi)) return false;
    if (hi >= 0xDC00 && hi <= 0xDFFF) {
        fail(ps, at, "unpaired surrogate \\u%04X (expected a high surrogate first)", (unsigned)hi);
        return false;
    }
    if (hi >= 0xD800 && hi <= 0xDBFF) {
        uint32_t lo = 0;
        const char* second = *q;
        if (close - second < 2 || second[0] != '\\' || second[1] != 'u' ||
            !read_u_escape(ps, q, close, &lo) || lo < 0xDC00 || lo > 0xDFFF) {
            fail(ps, at, "unpaired surrogate \\u%04X (expected \\uDC00-\\uDFFF after it)",
                 (unsigned)hi);
            return false;
        }
        *cp = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
        return true;
    }
    if (hi == 0) {
        fail(ps, at, "\\u0000 is not supported in strings");
        return false;
    }
    *cp = hi;
    return true;
}

static bool decode_escape(parser* ps, const char** q, const char* close, char** out) {
    const char* at = *q;
    char e = at[1]; /* find_string_end guarantees a byte after a backslash before close */
    static const char simple_from[] = "\"\\/bfnrt";
    static const char simple_to[] = "\"\\/\b\f\n\r\t";
    const char* hit = e != '\0' ? strchr(simple_from, e) : NULL;
    if (hit != NULL) {
        *(*out)++ = simple_to[hit - simple_from];
        *q = at + 2;
        return true;
    }
    if (e == 'u') {
        uint32_t cp;
        if (!decode_u_escape(ps, q, close, &cp)) return false;
        *out += utf8_encode(cp, *out);
        return true;
    }
    char buf[32];
    fail(ps, at, "invalid escape; expected one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u after '\\' "
         "but found %s", describe(ps, at + 1, buf, sizeof buf));
    return false;
}

/* Decoded text is never longer than its source (escapes shrink, UTF-8 is copied), so one
 * allocation of the raw length suffices. */
static char* parse_string_text(parser* ps) {
    const char* close = find_string_end(ps);
    if (close == NULL) return NULL;
    const char* q = ps->p + 1;
    char* text = malloc((size_t)(close - q) + 1);
    if (text == NULL) return fail(ps, ps->p, "out of memory");
    char* out = text;
    while (q < close) {
        unsigned char c = (unsigned char)*q;
        if (c == '\\') {
            if (!decode_escape(ps, &q, close, &out)) break;
        } else if (c < 0x80) {
            *out++ = (char)c;
            q++;
        } else {
            uint32_t cp;
            size_t n = utf8_decode((const unsigned char*)q, (size_t)(close - q), &cp);
            if (n == 0) {
                fail(ps, q, "invalid UTF-8 in string (byte 0x%02X)", c);
                break;
            }
            memcpy(out, q, n);
            out += n;
            q += n;
        }
    }
    if (ps->failed) {
        free(text);
        return NULL;
    }
    *out = '\0';
    ps->p = close + 1;
    return text;
}

static json_value* parse_string(parser* ps) {
    char* text = parse_string_text(ps);
    if (text == NULL) return NULL;
    json_value* v = new_value(ps, JSON_STRING);
    if (v == NULL) {
        free(text);
        return NULL;
    }
    v->as.string = text;
    return v;
}

/* Appends to an array or object; `key` is taken over (and freed on failure). */
static bool append(parser* ps, json_value* container, char* key, json_value* item) {
    if (container->as.container.length == container->as.container.capacity) {
        size_t old = container->as.container.capacity;
        size_t capacity = old != 0 ? old * 2 : 4;
        json_value** items = realloc(container->as.container.items, capacity * sizeof *items);
        if (items != NULL) container->as.container.items = items;
        bool ok = items != NULL;
        if (ok && container->type == JSON_OBJECT) {
            char** keys = realloc(container->as.container.keys, capacity * sizeof *keys);
            if (keys != NULL) container->as.container.keys = keys;
            ok = keys != NULL;
        }
        if (!ok) {
            free(key);
            json_free(item);
            fail(ps, ps->p, "out of memory");
            return false;
        }
        container->as.container.capacity = capacity;
    }
    size_t i = container->as.container.length++;
    container->as.container.items[i] = item;
    if (container->type == JSON_OBJECT) container->as.container.keys[i] = key;
    return true;
}

static bool enter(parser* ps) {
    if (++ps->depth <= JSON_MAX_DEPTH) return true;
    fail(ps, ps->p, "nesting deeper than %d arrays and objects", JSON_MAX_DEPTH);
    return false;
}

static json_value* parse_array(parser* ps) {
    if (!enter(ps)) return NULL;
    json_value* array = new_value(ps, JSON_ARRAY);
    if (array == NULL) return NULL;
    ps->p++; /* '[' */
    skip_whitespace(ps);
    if (at_char(ps, ']')) {
        ps->p++;
        ps->depth--;
        return array;
    }
    for (;;) {
        json_value* item = parse_value(ps);
        if (item == NULL || !append(ps, array, NULL, item)) break;
        skip_whitespace(ps);
        if (at_char(ps, ']')) {
            ps->p++;
            ps->depth--;
            return array;
        }
        if (!at_char(ps, ',')) {
            fail_expected(ps, "',' or ']'");
            break;
        }
        ps->p++;
        skip_whitespace(ps);
    }
    json_free(array);
    return NULL;
}

/* Linear, so an object with n keys costs O(n^2) compares; config objects are small, and
 * even a fuzzer's megabyte of one-letter keys stays within seconds. */
static bool is_duplicate(const json_value* object, const char* key) {
    for (size_t i = 0; i < object->as.container.length; i++)
        if (strcmp(object->as.container.keys[i], key) == 0) return true;
    return false;
}

static bool parse_member(parser* ps, json_value* object) {
    if (!at_char(ps, '"')) {
        fail_expected(ps, "string key");
        return false;
    }
    const char* key_at = ps->p;
    char* key = parse_string_text(ps);
    if (key == NULL) return false;
    if (is_duplicate(object, key)) {
        fail(ps, key_at, "duplicate key \"%.64s\"", key);
        free(key);
        return false;
    }
    skip_whitespace(ps);
    if (!at_char(ps, ':')) {
        free(key);
        fail_expected(ps, "':' after key");
        return false;
    }
    ps->p++;
    skip_whitespace(ps);
    json_value* value = parse_value(ps);
    if (value == NULL) {
        free(key);
        return false;
    }
    return append(ps, object, key, value);
}

static json_value* parse_object(parser* ps) {
    if (!enter(ps)) return NULL;
    json_value* object = new_value(ps, JSON_OBJECT);
    if (object == NULL) return NULL;
    ps->p++; /* '{' */
    skip_whitespace(ps);
    if (at_char(ps, '}')) {
        ps->p++;
        ps->depth--;
        return object;
    }
    for (;;) {
        if (!parse_member(ps, object)) break;
        skip_whitespace(ps);
        if (at_char(ps, '}')) {
            ps->p++;
            ps->depth--;
            return object;
        }
        if (!at_char(ps, ',')) {
            fail_expected(ps, "',' or '}'");
            break;
        }
        ps->p++;
        skip_whitespace(ps);
    }
    json_free(object);
    return NULL;
}

static json_value* parse_value(parser* ps) {
    if (ps->p >= ps->end) return fail_expected(ps, "value");
    switch (*ps->p) {
    case '{': return parse_object(ps);
    case '[': return parse_array(ps);
    case '"': return parse_string(ps);
    case '-': return parse_number(ps);
    default:
        if (*ps->p >= '0' && *ps->p <= '9') return parse_number(ps);
        return parse_literal(ps);
    }
}

json_value* json_parse(const char* text, size_t length, char* error, size_t error_size) {
    set_error(error, error_size, "%s", "");
    if (text == NULL) {
        set_error(error, error_size, "no input");
        return NULL;
    }
    parser ps = {.start = text, .p = text, .end = text + length,
                 .error = error, .error_size = error_size};
    if (length >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) ps.p += 3;
    skip_whitespace(&ps);
    json_value* root = parse_value(&ps);
    if (root == NULL) return NULL;
    skip_whitespace(&ps);
    if (ps.p < ps.end) {
        fail_expected(&ps, "end of input");
        json_free(root);
        return NULL;
    }
    return root;
}

/* Reads in chunks rather than trusting ftell, so pipes and /dev/stdin work too. */
static char* read_file(FILE* f, size_t* length) {
    size_t capacity = 1 << 16, used = 0;
    char* data = malloc(capacity);
    while (data != NULL) {
        used += fread(data + used, 1, capacity - used, f);
        if (used < capacity) break;
        char* grown = capacity <= SIZE_MAX / 2 ? realloc(data, capacity * 2) : NULL;
        if (grown == NULL) {
            free(data);
            errno = ENOMEM;
            return NULL;
        }
        data = grown;
        capacity *= 2;
    }
    *length = used;
    return data;
}

json_value* json_parse_file(const char* path, char* error, size_t error_size) {
    set_error(error, error_size, "%s", "");
    if (path == NULL) {
        set_error(error, error_size, "no path");
        return NULL;
    }
    FILE* f = fopen(path, "rb");
    if (f == NULL) {
        set_error(error, error_size, "%s: cannot open: %s", path, strerror(errno));
        return NULL;
    }
    size_t length = 0;
    errno = 0;
    char* data = read_file(f, &length);
    if (data == NULL || ferror(f)) {
        int code = errno ? errno : EIO;
        set_error(error, error_size, "%s: cannot read: %s", path, strerror(code));
        free(data);
        fclose(f);
        return NULL;
    }
    fclose(f);
    char message[512];
    json_value* root = json_parse(data, length, message, sizeof message);
    free(data);
    if (root == NULL) set_error(error, error_size, "%s: %s", path, message);
    return root;
}

void json_free(json_value* value) {
    if (value == NULL) return;
    if (value->type == JSON_STRING) {
        free(value->as.string);
    } else if (value->type == JSON_ARRAY || value->type == JSON_OBJECT) {
        for (size_t i = 0; i < value->as.container.length; i++) {
            json_free(value->as.container.items[i]);
            if (value->as.container.keys != NULL) free(value->as.container.keys[i]);
        }
        free(value->as.container.items);
        free(value->as.container.keys);
    }
    free(value);
}

/* ---------------------------------------------------------------- accessors */

json_type json_type_of(const json_value* value) { return value != NULL ? value->type : JSON_NULL; }

const char* json_type_name(json_type type) {
    switch (type) {
    case JSON_NULL: return "null";
    case JSON_BOOL: return "bool";
    case JSON_NUMBER: return "number";
    case JSON_STRING: return "string";
    case JSON_ARRAY: return "array";
    case JSON_OBJECT: return "object";
    }
    return "unknown";
}

bool json_bool(const json_value* value) {
    return json_type_of(value) == JSON_BOOL && value->as.boolean;
}

double json_number(const json_value* value) {
    return json_type_of(value) == JSON_NUMBER ? value->as.number : 0.0;
}

const char* json_string(const json_value* value) {
    return json_type_of(value) == JSON_STRING ? value->as.string : NULL;
}

size_t json_array_length(const json_value* value) {
    return json_type_of(value) == JSON_ARRAY ? value->as.container.length : 0;
}

const json_value* json_array_at(const json_value* array, size_t index) {
    return index < json_array_length(array) ? array->as.container.items[index] : NULL;
}

size_t json_object_length(const json_value* value) {
    return json_type_of(value) == JSON_OBJECT ? value->as.container.length : 0;
}

const char* json_object_key_at(const json_value* object, size_t index) {
    return index < json_object_length(object) ? object->as.container.keys[index] : NULL;
}

const json_value* json_object_value_at(const json_value* object, size_t index) {
    return index < json_object_length(object) ? object->as.container.items[index] : NULL;
}

const json_value* json_object_get(const json_value* object, const char* key) {
    if (key == NULL) return NULL;
    for (size_t i = 0; i < json_object_length(object); i++)
        if (strcmp(object->as.container.keys[i], key) == 0) return object->as.container.items[i];
    return NULL;
}

double json_get_number(const json_value* object, const char* key, double fallback) {
    const json_value* v = json_object_get(object, key);
    return json_type_of(v) == JSON_NUMBER ? v->as.number : fallback;
}

const char* json_get_string(const json_value* object, const char* key, const char* fallback) {
    const json_value* v = json_object_get(object, key);
    return json_type_of(v) == JSON_STRING ? v->as.string : fallback;
}

bool json_get_bool(const json_value* object, const char* key, bool fallback) {
    const json_value* v = json_object_get(object, key);
    return json_type_of(v) == JSON_BOOL ? v->as.boolean : fallback;
}

/* ---------------------------------------------------------------- writer */

void json_writer_init(json_writer* w, FILE* out) {
    memset(w, 0, sizeof *w);
    w->out = out;
    w->failed = out == NULL;
}

static bool in_object(const json_writer* w) { return w->depth > 0 && w->is_object[w->depth]; }

static void newline_indent(json_writer* w, int depth) {
    fputc('\n', w->out);
    for (int i = 0; i < depth; i++) fputs("  ", w->out);
}

/* Writes what separates this element from the previous one at the current level. */
static void separate(json_writer* w) {
    int d = w->depth;
    if (w->need_comma[d]) fputc(',', w->out);
    if (d > 0) {
        if (!w->single_line[d])
            newline_indent(w, d);
        else if (w->need_comma[d])
            fputc(' ', w->out);
    }
    w->need_comma[d] = true;
}

/* Checks that a value may come now and writes what goes before it; false on misuse, after
 * which the writer stays silent so a bug cannot produce half-valid output. */
static bool begin_value(json_writer* w) {
    if (w->failed) return false;
    bool allowed = in_object(w) ? w->after_key : !(w->depth == 0 && w->need_comma[0]);
    if (!allowed) { /* a value without a key, or a second top-level value */
        w->failed = true;
        return false;
    }
    if (in_object(w))
        w->after_key = false;
    else
        separate(w);
    return true;
}

static void begin_container(json_writer* w, bool object, bool single_line) {
    if (!begin_value(w)) return;
    if (w->depth >= JSON_WRITER_MAX_DEPTH) {
        w->failed = true;
        return;
    }
    bool parent_single = w->single_line[w->depth];
    fputc(object ? '{' : '[', w->out);
    int d = ++w->depth;
    w->need_comma[d] = false;
    w->is_object[d] = object;
    w->single_line[d] = single_line || parent_single;
}

static void end_container(json_writer* w, bool object) {
    if (w->failed) return;
    int d = w->depth;
    if (d == 0 || w->is_object[d] != object || w->after_key) {
        w->failed = true;
        return;
    }
    if (w->need_comma[d] && !w->single_line[d]) newline_indent(w, d - 1);
    fputc(object ? '}' : ']', w->out);
    w->depth--;
}

void json_begin_object(json_writer* w) { begin_container(w, true, false); }
void json_end_object(json_writer* w) { end_container(w, true); }
void json_begin_array(json_writer* w) { begin_container(w, false, false); }
void json_begin_array_inline(json_writer* w) { begin_container(w, false, true); }
void json_end_array(json_writer* w) { end_container(w, false); }

static void write_escaped(FILE* out, const char* s) {
    fputc('"', out);
    const unsigned char* p = (const unsigned char*)s;
    size_t remaining = strlen(s);
    while (remaining > 0) {
        unsigned char c = *p;
        size_t n = 1;
        uint32_t cp;
        if (c == '"' || c == '\\') {
            fputc('\\', out);
            fputc(c, out);
        } else if (c < 0x20) {
            static const char short_forms[] = {
                ['\b'] = 'b', ['\f'] = 'f', ['\n'] = 'n', ['\r'] = 'r', ['\t'] = 't'};
            if (c < sizeof short_forms && short_forms[c] != 0)
                fprintf(out, "\\%c", short_forms[c]);
            else
                fprintf(out, "\\u%04x", c);
        } else if (c < 0x80) {
            fputc(c, out);
        } else if ((n = utf8_decode(p, remaining, &cp)) != 0) {
            fwrite(p, 1, n, out);
        } else {
            n = 1;
            fputs("\xEF\xBF\xBD", out); /* U+FFFD REPLACEMENT CHARACTER */
        }
        p += n;
        remaining -= n;
    }
    fputc('"', out);
}

void json_key(json_writer* w, const char* key) {
    if (w->failed) return;
    if (!in_object(w) || w->after_key || key == NULL) {
        w->failed = true;
        return;
    }
    separate(w);
    write_escaped(w->out, key);
    fputs(": ", w->out);
    w->after_key = true;
}

void json_string_value(json_writer* w, const char* s) {
    if (!begin_value(w)) return;
    if (s == NULL)
        fputs("null", w->out);
    else
        write_escaped(w->out, s);
}

/* %.15g is exact for every decimal of up to 15 digits (DBL_DIG) and %g drops trailing
 * zeros, so trying 15, 16, 17 digits in turn finds the shortest that reads back. */
static void format_number(double x, char* buf, size_t size) {
    if (x > -9007199254740992.0 && x < 9007199254740992.0 && x == (double)(long long)x) {
        snprintf(buf, size, "%.0f", x); /* exact here; keeps the sign of -0 */
        return;
    }
    for (int precision = 15; precision <= 17; precision++) {
        snprintf(buf, size, "%.*g", precision, x);
        if (strtod(buf, NULL) == x) return;
    }
}

void json_number_value(json_writer* w, double x) {
    if (!begin_value(w)) return;
    if (!isfinite(x)) {
        fputs("null", w->out);
        return;
    }
    char buf[40];
    format_number(x, buf, sizeof buf);
    fputs(buf, w->out);
}

void json_int_value(json_writer* w, long long x) {
    if (begin_value(w)) fprintf(w->out, "%lld", x);
}

void json_bool_value(json_writer* w, bool b) {
    if (begin_value(w)) fputs(b ? "true" : "false", w->out);
}

void json_null_value(json_writer* w) {
    if (begin_value(w)) fputs("null", w->out);
}

bool json_writer_finish(json_writer* w) {
    if (w->failed || w->depth != 0 || !w->need_comma[0]) return false;
    fputc('\n', w->out);
    return fflush(w->out) == 0 && !ferror(w->out);
}
