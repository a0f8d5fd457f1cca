/*
 * A small JSON (RFC 8259) reader and writer shared by the wgslrun CLI, the native benchmark
 * runner (bench/native), the report renderer (report/) and the CUDA runner (bench/cuda):
 * benchmark suites come in as JSON and results go out as JSON, so this trades speed and
 * generality for strictness and clear error messages.
 *
 * Why not Debian's libjansson-dev (2.14), checked against tests/test_json.c and the fuzz
 * harness: with JSON_REJECT_DUPLICATES it refuses what this reader refuses (duplicate keys,
 * \u0000, unpaired surrogates, leading zeros, raw control characters), but
 *   - its messages are token-level ("invalid token near '0'", "unexpected token near ']'")
 *     and its column is where the token ended, not where the mistake is: every message a
 *     suite author sees and every position test would change for the worse;
 *   - it rejects a byte order mark and integers past 2^63 ("too big integer"), which this
 *     reader accepts (as a double); its depth limit is the build's JSON_PARSER_MAX_DEPTH
 *     (2048 in Debian's binary), not a limit of ours;
 *   - its writer builds a tree and prints reals with a fixed %.17g ("0.10000000000000001",
 *     "42.0") and has no one-line arrays, so every result file would change; this writer
 *     streams, prints the shortest round-trip form and keeps sample lists on one line;
 *   - bench/wasm and bench/cuda would each need it built from Debian's source package with
 *     hand-written config headers (wasm32-wasi; the GPU machine reaches no registry).
 * One 900-line file with its own tests and fuzz harness costs less than all of that.
 *
 * Reading builds an immutable tree. Choices where RFC 8259 leaves room:
 *   - input must be UTF-8; a leading byte order mark is skipped;
 *   - strings may not contain U+0000 (escaped or not), so every string is NUL-terminated;
 *   - unpaired surrogate escapes (\uD800 alone) are rejected, not replaced;
 *   - duplicate keys in one object are rejected (in a config file they are always a slip);
 *   - numbers are doubles; one too large for a double is rejected, one too small becomes 0;
 *   - nesting deeper than JSON_MAX_DEPTH arrays and objects is rejected;
 *   - numbers are converted with strtod, so LC_NUMERIC must be "C" (wgslrun never calls
 *     setlocale); the writer relies on the same.
 *
 * Writing streams pretty-printed JSON (2-space indent) to a FILE*:
 *   json_writer w;
 *   json_writer_init(&w, stdout);
 *   json_begin_object(&w);
 *   json_key(&w, "name");  json_string_value(&w, "saxpy");
 *   json_key(&w, "times"); json_begin_array_inline(&w);
 *   json_number_value(&w, 1.5); json_number_value(&w, 1.25);
 *   json_end_array(&w);
 *   json_end_object(&w);
 *   if (!json_writer_finish(&w)) ...   // misuse or a write error
 */
#ifndef WGSLRUN_JSON_H
#define WGSLRUN_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* ---------------------------------------------------------------- reading */

#define JSON_MAX_DEPTH 256

typedef enum json_type {
    JSON_NULL,
    JSON_BOOL,
    JSON_NUMBER,
    JSON_STRING,
    JSON_ARRAY,
    JSON_OBJECT,
} json_type;

typedef struct json_value json_value;

/* Parses exactly `length` bytes of `text` (which need not be NUL-terminated). Returns the
 * root, to be released with json_free, or NULL with "line L, column C: message" in `error`
 * (columns count characters, from 1). `error` may be NULL. */
json_value* json_parse(const char* text, size_t length, char* error, size_t error_size);

/* Reads and parses a whole file; messages start with "path: ", and I/O failures read
 * "path: cannot open: <strerror>" or "path: cannot read: <strerror>". */
json_value* json_parse_file(const char* path, char* error, size_t error_size);

void json_free(json_value* value); /* the whole tree; NULL is fine */

/* Accessors accept NULL and values of the wrong type, answering with the neutral value in
 * the comment, so lookups chain without checks: json_object_get(json_object_get(r, "a"), "b").
 * Pointers stay valid until the root is freed. */
json_type json_type_of(const json_value* value);   /* JSON_NULL for NULL too */
const char* json_type_name(json_type type);        /* "null", "bool", ..., "object" */
bool json_bool(const json_value* value);           /* false */
double json_number(const json_value* value);       /* 0.0 */
const char* json_string(const json_value* value);  /* NULL; else NUL-terminated UTF-8 */
size_t json_array_length(const json_value* value); /* 0 */
const json_value* json_array_at(const json_value* array, size_t index);            /* NULL */
size_t json_object_length(const json_value* value);                                /* 0 */
const char* json_object_key_at(const json_value* object, size_t index);            /* NULL */
const json_value* json_object_value_at(const json_value* object, size_t index);    /* NULL */
const json_value* json_object_get(const json_value* object, const char* key);      /* NULL */

/* The member `key` of `object` if it exists and has the right type, else `fallback`. */
double json_get_number(const json_value* object, const char* key, double fallback);
const char* json_get_string(const json_value* object, const char* key, const char* fallback);
bool json_get_bool(const json_value* object, const char* key, bool fallback);

/* ---------------------------------------------------------------- writing */

#define JSON_WRITER_MAX_DEPTH 64

/* Set up with json_writer_init; the fields are the writer's own. Index 0 of the per-level
 * arrays is the top level, index d the d-th open container. */
typedef struct json_writer {
    FILE* out;
    int depth;                                   /* open containers */
    bool need_comma[JSON_WRITER_MAX_DEPTH + 1];  /* level already holds a value */
    bool is_object[JSON_WRITER_MAX_DEPTH + 1];
    bool single_line[JSON_WRITER_MAX_DEPTH + 1]; /* elements separated by ", ", no newlines */
    bool after_key;                              /* a key was written; its value comes next */
    bool failed;                                 /* misuse: nothing more is written */
} json_writer;

void json_writer_init(json_writer* w, FILE* out);

void json_begin_object(json_writer* w);
void json_end_object(json_writer* w);
void json_begin_array(json_writer* w);
/* An array written on one line, e.g. "[1, 2, 3]", with anything nested in it; for sample
 * lists that would otherwise take a line per number. */
void json_begin_array_inline(json_writer* w);
void json_end_array(json_writer* w);

void json_key(json_writer* w, const char* key); /* inside an object, before each value */

/* Escapes '"', '\\' and control characters; passes UTF-8 through and writes each byte of
 * malformed UTF-8 as U+FFFD, so the output is always valid. NULL writes null. */
void json_string_value(json_writer* w, const char* s);
/* Integers below 2^53 in magnitude print as integers ("42"), other finite numbers in the
 * shortest of %.15g/%.16g/%.17g that reads back exactly; NaN and infinities print null. */
void json_number_value(json_writer* w, double x);
void json_int_value(json_writer* w, long long x);
void json_bool_value(json_writer* w, bool b);
void json_null_value(json_writer* w);

/* Ends the document with a newline and flushes. False if the document is incomplete, the
 * calls were out of order (a value without a key in an object, a key in an array, a second
 * top-level value, nesting past JSON_WRITER_MAX_DEPTH, a mismatched end), or writing failed. */
bool json_writer_finish(json_writer* w);

#endif
