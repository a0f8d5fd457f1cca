/* Tests of the JSON reader and writer (json/). Inputs are copied into buffers of their exact
 * length without a terminating NUL, so under AddressSanitizer any read past the end fails. */
#include "json.h"

#include "check.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { ERROR_SIZE = 512 };

static json_value* parse_bytes(const char* text, size_t length, char* error) {
    char* copy = malloc(length > 0 ? length : 1);
    memcpy(copy, text, length);
    json_value* root = json_parse(copy, length, error, ERROR_SIZE);
    free(copy);
    return root;
}

static json_value* parse(const char* text, char* error) {
    return parse_bytes(text, strlen(text), error);
}

/* The input must fail with exactly `message`. */
static void check_error(const char* text, const char* message) {
    char error[ERROR_SIZE];
    json_value* root = parse(text, error);
    CHECK_MSG(root == NULL, "accepted \"%s\"", text);
    CHECK_MSG(strcmp(error, message) == 0, "for \"%s\"\n  got      \"%s\"\n  expected \"%s\"", text,
              error, message);
    json_free(root);
}

/* The input must fail with a message that has a position and contains `part`. */
static void check_rejected(const char* text, const char* part) {
    char error[ERROR_SIZE];
    json_value* root = parse(text, error);
    CHECK_MSG(root == NULL, "accepted \"%s\"", text);
    CHECK_MSG(strncmp(error, "line ", 5) == 0, "for \"%s\": \"%s\"", text, error);
    const char* message = error; /* CHECK_CONTAINS tests its argument for NULL */
    CHECK_CONTAINS(message, part);
    json_free(root);
}

/* xorshift64*: deterministic, so a failure reproduces. */
static uint64_t rng_state = 0x9E3779B97F4A7C15u;
static uint64_t next_random(void) {
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545F4914F6CDD1Du;
}

/* Everything written to `f` so far, NUL-terminated; the caller frees it. */
static char* file_text(FILE* f) {
    long size = ftell(f);
    rewind(f);
    char* text = calloc((size_t)size + 1, 1);
    size_t got = fread(text, 1, (size_t)size, f);
    text[got] = '\0';
    return text;
}

/* ---------------------------------------------------------------- reading */

static void test_scalars(void) {
    char error[ERROR_SIZE];
    json_value* v = parse("null", error);
    CHECK(v != NULL && json_type_of(v) == JSON_NULL);
    json_free(v);

    v = parse(" \t\r\n true \n", error);
    CHECK(json_type_of(v) == JSON_BOOL && json_bool(v));
    json_free(v);

    v = parse("false", error);
    CHECK(json_type_of(v) == JSON_BOOL && !json_bool(v));
    json_free(v);

    v = parse("-12.5e1", error);
    CHECK(json_type_of(v) == JSON_NUMBER && json_number(v) == -125.0);
    json_free(v);

    v = parse("\"hi\"", error);
    CHECK(json_type_of(v) == JSON_STRING && strcmp(json_string(v), "hi") == 0);
    CHECK(json_number(v) == 0.0 && !json_bool(v) && json_array_length(v) == 0);
    json_free(v);

    v = parse("\xEF\xBB\xBF[]", error); /* a byte order mark is skipped */
    CHECK(json_type_of(v) == JSON_ARRAY && json_array_length(v) == 0);
    json_free(v);

    CHECK(strcmp(json_type_name(JSON_OBJECT), "object") == 0);
    CHECK(strcmp(json_type_name(JSON_BOOL), "bool") == 0);
}

static void test_containers(void) {
    const char* text =
        "{\"name\": \"saxpy\", \"n\": 1024, \"ok\": true, \"none\": null,\n"
        " \"sizes\": [1, 2, 3], \"nested\": {\"a\": {\"b\": [[], {}, [[\"deep\"]]]}}, \"z\": 0}";
    char error[ERROR_SIZE];
    json_value* root = parse(text, error);
    CHECK_MSG(root != NULL, "%s", error);
    CHECK(json_type_of(root) == JSON_OBJECT);
    CHECK(json_object_length(root) == 7);

    /* Key order is kept. */
    const char* keys[] = {"name", "n", "ok", "none", "sizes", "nested", "z"};
    for (size_t i = 0; i < 7; i++) CHECK(strcmp(json_object_key_at(root, i), keys[i]) == 0);
    CHECK(json_object_key_at(root, 7) == NULL && json_object_value_at(root, 7) == NULL);
    CHECK(json_type_of(json_object_value_at(root, 4)) == JSON_ARRAY);

    CHECK(strcmp(json_get_string(root, "name", "?"), "saxpy") == 0);
    CHECK(json_get_number(root, "n", -1) == 1024);
    CHECK(json_get_bool(root, "ok", false));
    CHECK(json_type_of(json_object_get(root, "none")) == JSON_NULL);
    CHECK(json_object_get(root, "none") != NULL);
    CHECK(json_object_get(root, "missing") == NULL);

    /* Fallbacks: missing, or present with another type. */
    CHECK(json_get_number(root, "missing", 7.5) == 7.5);
    CHECK(json_get_number(root, "name", 7.5) == 7.5);
    CHECK(strcmp(json_get_string(root, "n", "fb"), "fb") == 0);
    CHECK(json_get_string(root, "missing", NULL) == NULL);
    CHECK(json_get_bool(root, "none", true));
    CHECK(!json_get_bool(root, "missing", false));

    const json_value* sizes = json_object_get(root, "sizes");
    CHECK(json_array_length(sizes) == 3);
    CHECK(json_number(json_array_at(sizes, 2)) == 3);
    CHECK(json_array_at(sizes, 3) == NULL);
    CHECK(json_object_get(sizes, "0") == NULL); /* not an object */

    const json_value* a = json_object_get(json_object_get(root, "nested"), "a");
    const json_value* b = json_object_get(a, "b");
    CHECK(json_array_length(b) == 3);
    const json_value* b0 = json_array_at(b, 0);
    const json_value* b1 = json_array_at(b, 1);
    CHECK(json_type_of(b0) == JSON_ARRAY && json_array_length(b0) == 0);
    CHECK(json_type_of(b1) == JSON_OBJECT && json_object_length(b1) == 0);
    const json_value* deep = json_array_at(json_array_at(json_array_at(b, 2), 0), 0);
    CHECK(strcmp(json_string(deep), "deep") == 0);

    /* Chained lookups through missing members stay NULL instead of crashing. */
    CHECK(json_object_get(json_object_get(root, "missing"), "x") == NULL);
    CHECK(json_get_number(NULL, "x", 3) == 3);
    CHECK(json_array_length(NULL) == 0 && json_string(NULL) == NULL);
    CHECK(json_type_of(NULL) == JSON_NULL);
    json_free(root);
    json_free(NULL);
}

static void check_string(const char* text, const char* expected) {
    char error[ERROR_SIZE];
    json_value* v = parse(text, error);
    CHECK_MSG(v != NULL, "%s: %s", text, error);
    CHECK_MSG(json_string(v) != NULL && strcmp(json_string(v), expected) == 0, "%s -> \"%s\"", text,
              json_string(v) ? json_string(v) : "(null)");
    json_free(v);
}

static void test_strings(void) {
    check_string("\"\"", "");
    check_string("\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"", "\"\\/\b\f\n\r\t");
    check_string("\"\\u0041\\u0062c\"", "Abc");
    check_string("\"\\u00e9\\u20AC\"", "\xC3\xA9\xE2\x82\xAC");
    check_string("\"\\uD83D\\uDE00\"", "\xF0\x9F\x98\x80");     /* surrogate pair -> U+1F600 */
    check_string("\"\\udbff\\udfff\"", "\xF4\x8F\xBF\xBF");     /* U+10FFFF */
    check_string("\"\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\"", /* raw UTF-8 is kept */
                 "\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80");
    check_string("\"\\u001f\x7f\"", "\x1f\x7f");
    check_string("\"a'b\"", "a'b");

    check_rejected("\"\\uD83D\"", "unpaired surrogate \\uD83D");
    check_rejected("\"\\uD83Dx\"", "unpaired surrogate");
    check_rejected("\"\\uD83D\\u0041\"", "unpaired surrogate");
    check_rejected("\"\\uD83D\\uD83D\"", "unpaired surrogate");
    check_rejected("\"\\uDE00\"", "unpaired surrogate \\uDE00");
    check_rejected("\"a\\u0000b\"", "\\u0000 is not supported");
    check_rejected("\"\\x\"", "invalid escape");
    check_rejected("\"\\'\"", "invalid escape");
    check_rejected("\"\\u12G4\"", "expected 4 hex digits");
    check_rejected("\"\\u12\"", "expected 4 hex digits");
    check_rejected("\"\\uD83D\\u12\"", "expected 4 hex digits");
    check_rejected("\"a\x01\"", "control characters in strings must be escaped");
    check_rejected("\"a\tb\"", "found tab");
    check_rejected("\"\xC0\x80\"", "invalid UTF-8");          /* overlong NUL */
    check_rejected("\"\x80\"", "invalid UTF-8");              /* lone continuation byte */
    check_rejected("\"\xED\xA0\x80\"", "invalid UTF-8");      /* encoded surrogate */
    check_rejected("\"\xF4\x90\x80\x80\"", "invalid UTF-8");  /* past U+10FFFF */
    check_rejected("\"\xE2\x82\"", "invalid UTF-8");          /* cut short by the quote */
    check_rejected("\"\xFF\"", "invalid UTF-8");
    check_rejected("\"abc", "unterminated string");
    check_rejected("\"abc\\", "unterminated string");
    check_rejected("\"abc\\\"", "unterminated string");

    /* A NUL byte in the input is a control character, not an end. */
    char error[ERROR_SIZE];
    json_value* v = parse_bytes("\"a\0b\"", 5, error);
    CHECK(v == NULL);
    const char* message = error;
    CHECK_CONTAINS(message, "byte 0x00");
}

static void check_number(const char* text, double expected) {
    char error[ERROR_SIZE];
    json_value* v = parse(text, error);
    CHECK_MSG(json_type_of(v) == JSON_NUMBER, "%s: %s", text, error);
    CHECK_MSG(json_number(v) == expected && signbit(json_number(v)) == signbit(expected),
              "%s -> %.17g, expected %.17g", text, json_number(v), expected);
    json_free(v);
}

static void test_numbers(void) {
    check_number("0", 0.0);
    check_number("-0", -0.0);
    check_number("-0.0", -0.0);
    check_number("1", 1.0);
    check_number("-1", -1.0);
    check_number("1.5", 1.5);
    check_number("0.1", 0.1);
    check_number("1e3", 1000.0);
    check_number("1E+3", 1000.0);
    check_number("1e-3", 0.001);
    check_number("2.5E-02", 0.025);
    check_number("123456789012345678", 123456789012345678.0);
    check_number("9007199254740993", 9007199254740992.0); /* rounds to the nearest double */
    check_number("1.7976931348623157e308", 1.7976931348623157e308);
    check_number("4.9406564584124654e-324", 4.9406564584124654e-324);
    check_number("1e-400", 0.0); /* underflow rounds towards 0 */

    /* Longer than the parser's stack buffer. */
    char digits[301];
    digits[0] = '1';
    memset(digits + 1, '0', 299);
    digits[300] = '\0';
    check_number(digits, 1e299);
    char fraction[400] = "0.";
    memset(fraction + 2, '0', 300);
    strcpy(fraction + 302, "5e300");
    check_number(fraction, 0.5);

    check_error("01", "line 1, column 1: numbers may not have leading zeros");
    check_error("-01", "line 1, column 1: numbers may not have leading zeros");
    check_error("-", "line 1, column 2: expected digit after '-' but found end of input");
    check_error("1.", "line 1, column 3: expected digit after '.' but found end of input");
    check_error("1.e3", "line 1, column 3: expected digit after '.' but found 'e'");
    check_error("1e", "line 1, column 3: expected digit in exponent but found end of input");
    check_error("1e+", "line 1, column 4: expected digit in exponent but found end of input");
    check_error("[1e400]", "line 1, column 2: number out of range");
    check_error("-1e400", "line 1, column 1: number out of range");
    check_error(".5", "line 1, column 1: expected value but found '.'");
    check_error("+1", "line 1, column 1: expected value but found '+'");
    check_error("--1", "line 1, column 2: expected digit after '-' but found '-'");
    check_error("0x10", "line 1, column 2: expected end of input but found 'x'");
    check_error("1.5.2", "line 1, column 4: expected end of input but found '.'");
    check_error("NaN", "line 1, column 1: expected value but found 'N'");
    check_error("Infinity", "line 1, column 1: expected value but found 'I'");
    check_error("-Infinity", "line 1, column 2: expected digit after '-' but found 'I'");
}

static void test_errors(void) {
    check_error("", "line 1, column 1: expected value but found end of input");
    check_error("   \n ", "line 2, column 2: expected value but found end of input");
    check_error("[1, 2,]", "line 1, column 7: expected value but found ']'");
    check_error("[1, 2", "line 1, column 6: expected ',' or ']' but found end of input");
    check_error("[1 2]", "line 1, column 4: expected ',' or ']' but found '2'");
    check_error("{\n  \"a\": 1\n  \"b\": 2\n}",
                "line 3, column 3: expected ',' or '}' but found '\"'");
    check_error("{\"a\" 1}", "line 1, column 6: expected ':' after key but found '1'");
    check_error("{\"a\": 1,}", "line 1, column 9: expected string key but found '}'");
    check_error("{1: 2}", "line 1, column 2: expected string key but found '1'");
    check_error("{'a': 2}", "line 1, column 2: expected string key but found '''");
    check_error("{\"a\": 1, \"b\": 2, \"a\": 3}", "line 1, column 18: duplicate key \"a\"");
    check_error("[1] x", "line 1, column 5: expected end of input but found 'x'");
    check_error("{} {}", "line 1, column 4: expected end of input but found '{'");
    check_error("[tru]", "line 1, column 2: expected 'true'");
    check_error("nul", "line 1, column 1: expected 'null'");
    /* é is two bytes but one column. */
    check_error("[\n\"\xC3\xA9\", fals]", "line 2, column 6: expected 'false'");
    check_error("[\"\xE2\x80\x9C\", \xE2\x80\x9Cx\xE2\x80\x9D]",
                "line 1, column 7: expected value but found U+201C");
    check_error("[\x01]", "line 1, column 2: expected value but found byte 0x01");
    check_error("[\"\\q\"]", "line 1, column 3: invalid escape; expected one of "
                             "\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u after '\\' but found 'q'");
    check_error("\"abc\ndef\"", "line 1, column 5: expected '\"' but found newline (control "
                                "characters in strings must be escaped)");
    check_error("[\"abc]", "line 1, column 2: unterminated string");
    check_error("\"\\uDE00\"", "line 1, column 2: unpaired surrogate \\uDE00 (expected a high "
                               "surrogate first)");
    check_error("// comment\n1", "line 1, column 1: expected value but found '/'");

    char error[ERROR_SIZE] = "stale";
    CHECK(json_parse(NULL, 0, error, sizeof error) == NULL);
    CHECK(strcmp(error, "no input") == 0);
    CHECK(json_parse("[", 1, NULL, 0) == NULL); /* no error buffer is fine */
    char tiny[8];
    CHECK(json_parse("[", 1, tiny, sizeof tiny) == NULL);
    CHECK(strcmp(tiny, "line 1,") == 0); /* truncated, still terminated */
}

static char* repeat(const char* open, size_t times, const char* middle, const char* close) {
    size_t no = strlen(open), nm = strlen(middle), nc = strlen(close);
    char* text = malloc(times * (no + nc) + nm + 1);
    char* p = text;
    for (size_t i = 0; i < times; i++, p += no) memcpy(p, open, no);
    memcpy(p, middle, nm);
    p += nm;
    for (size_t i = 0; i < times; i++, p += nc) memcpy(p, close, nc);
    *p = '\0';
    return text;
}

static void test_depth(void) {
    char error[ERROR_SIZE];
    char* text = repeat("[", JSON_MAX_DEPTH, "1", "]");
    json_value* v = parse(text, error);
    CHECK_MSG(v != NULL, "%s", error);
    json_free(v);
    free(text);

    text = repeat("[", JSON_MAX_DEPTH + 1, "", "]");
    check_error(text, "line 1, column 257: nesting deeper than 256 arrays and objects");
    free(text);

    text = repeat("{\"k\":", JSON_MAX_DEPTH, "{}", "}");
    check_rejected(text, "nesting deeper than 256");
    free(text);

    text = repeat("{\"k\":[", JSON_MAX_DEPTH / 2, "0", "]}");
    v = parse(text, error);
    CHECK_MSG(v != NULL, "%s", error);
    json_free(v);
    free(text);

    /* Far past the limit, unbalanced: stops at the limit instead of exhausting the stack. */
    text = repeat("[", 1000000, "", "");
    check_rejected(text, "nesting deeper");
    free(text);
}

/* Covers every kind of token, so cutting it anywhere exercises each "ran out" path. */
static const char sample[] =
    "{\n"
    "  \"suite\": \"micro \\\"q\\\" \\u00e9\\uD83D\\uDE00 \xE2\x82\xAC\",\n"
    "  \"runs\": [1, -0.5, 2.5e-3, 1E+10, 0],\n"
    "  \"flags\": {\"warm\": true, \"cold\": false, \"none\": null},\n"
    "  \"nested\": [[], {}, [{\"a\": [\"\\n\\t\\\\\\/\"]}]]\n"
    "}";

static void test_truncations(void) {
    char error[ERROR_SIZE];
    size_t n = sizeof sample - 1;
    json_value* full = parse_bytes(sample, n, error);
    CHECK_MSG(full != NULL, "%s", error);
    const char* suite = json_get_string(full, "suite", "");
    CHECK(strcmp(suite, "micro \"q\" \xC3\xA9\xF0\x9F\x98\x80 \xE2\x82\xAC") == 0);
    CHECK(json_number(json_array_at(json_object_get(full, "runs"), 3)) == 1e10);
    json_free(full);

    size_t bad = 0, first_bad = 0;
    for (size_t len = 0; len < n; len++) {
        json_value* v = parse_bytes(sample, len, error);
        if (v != NULL || strncmp(error, "line ", 5) != 0) {
            if (bad++ == 0) first_bad = len;
        }
        json_free(v);
    }
    CHECK_MSG(bad == 0, "%zu truncations misbehaved, the first at length %zu", bad, first_bad);
}

/* A small in-process fuzzer: mutated and random inputs must parse or fail with a position,
 * never crash (ASan and UBSan watch the rest). */
static void test_mutations(void) {
    static const char interesting[] =
        "{}[]\":,\\u0123456789abcdefABCDEFeE+-.tfnl \n\t\x01\x80\xC3\xED\xF0\xFF";
    char error[ERROR_SIZE];
    char buf[sizeof sample];
    size_t bad = 0, accepted = 0;
    for (int iteration = 0; iteration < 30000; iteration++) {
        size_t n = sizeof sample - 1;
        memcpy(buf, sample, n);
        int edits = 1 + (int)(next_random() % 4);
        for (int e = 0; e < edits; e++) {
            size_t at = (size_t)(next_random() % n);
            uint64_t r = next_random();
            buf[at] = (r & 1) ? interesting[(r >> 1) % (sizeof interesting - 1)] : (char)(r >> 8);
        }
        if (next_random() % 4 == 0) n = (size_t)(next_random() % (n + 1));
        json_value* v = parse_bytes(buf, n, error);
        if (v != NULL) accepted++;
        else if (strncmp(error, "line ", 5) != 0) bad++;
        json_free(v);
    }
    for (int iteration = 0; iteration < 5000; iteration++) {
        size_t n = (size_t)(next_random() % 64);
        for (size_t i = 0; i < n; i++)
            buf[i] = interesting[next_random() % (sizeof interesting - 1)];
        json_value* v = parse_bytes(buf, n, error);
        if (v == NULL && strncmp(error, "line ", 5) != 0) bad++;
        json_free(v);
    }
    CHECK_MSG(bad == 0, "%zu inputs failed without a position", bad);
    CHECK(accepted > 0); /* some edits (inside strings, digits) keep the document valid */
}

static void test_parse_file(void) {
    char path[] = "/tmp/test_json_XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    if (fd < 0) return;
    FILE* f = fdopen(fd, "w");
    fputs("{\"iterations\": 10,\n \"kernel\": \"add.wgsl\"}\n", f);
    fclose(f);

    char error[ERROR_SIZE];
    json_value* root = json_parse_file(path, error, sizeof error);
    CHECK_MSG(root != NULL, "%s", error);
    CHECK(json_get_number(root, "iterations", 0) == 10);
    CHECK(strcmp(json_get_string(root, "kernel", ""), "add.wgsl") == 0);
    json_free(root);

    f = fopen(path, "w");
    fputs("{\"iterations\": 10,\n \"kernel\": add.wgsl}\n", f);
    fclose(f);
    CHECK(json_parse_file(path, error, sizeof error) == NULL);
    char expected[ERROR_SIZE];
    snprintf(expected, sizeof expected, "%s: line 2, column 12: expected value but found 'a'",
             path);
    CHECK_MSG(strcmp(error, expected) == 0, "%s", error);
    unlink(path);

    CHECK(json_parse_file("/nonexistent-dir/suite.json", error, sizeof error) == NULL);
    CHECK(strcmp(error, "/nonexistent-dir/suite.json: cannot open: No such file or directory") ==
          0);
    CHECK(json_parse_file("/tmp", error, sizeof error) == NULL);
    const char* message = error;
    CHECK_CONTAINS(message, "/tmp: cannot read: ");
}

/* ---------------------------------------------------------------- writing */

static void test_writer_layout(void) {
    FILE* f = tmpfile();
    json_writer w;
    json_writer_init(&w, f);
    json_begin_object(&w);
    json_key(&w, "name");
    json_string_value(&w, "saxpy");
    json_key(&w, "n");
    json_int_value(&w, 1024);
    json_key(&w, "times");
    json_begin_array_inline(&w);
    json_number_value(&w, 1.5);
    json_number_value(&w, 0.25);
    json_begin_object(&w); /* nested in a one-line array: one line too */
    json_key(&w, "x");
    json_int_value(&w, 3);
    json_key(&w, "y");
    json_begin_array(&w);
    json_end_array(&w);
    json_end_object(&w);
    json_end_array(&w);
    json_key(&w, "empty");
    json_begin_array(&w);
    json_end_array(&w);
    json_key(&w, "obj");
    json_begin_object(&w);
    json_end_object(&w);
    json_key(&w, "list");
    json_begin_array(&w);
    json_bool_value(&w, true);
    json_null_value(&w);
    json_string_value(&w, NULL);
    json_begin_object(&w);
    json_key(&w, "x");
    json_number_value(&w, 1);
    json_end_object(&w);
    json_end_array(&w);
    json_end_object(&w);
    CHECK(json_writer_finish(&w));
    char* text = file_text(f);
    const char* expected =
        "{\n"
        "  \"name\": \"saxpy\",\n"
        "  \"n\": 1024,\n"
        "  \"times\": [1.5, 0.25, {\"x\": 3, \"y\": []}],\n"
        "  \"empty\": [],\n"
        "  \"obj\": {},\n"
        "  \"list\": [\n"
        "    true,\n"
        "    null,\n"
        "    null,\n"
        "    {\n"
        "      \"x\": 1\n"
        "    }\n"
        "  ]\n"
        "}\n";
    CHECK_MSG(strcmp(text, expected) == 0, "got:\n%s", text);
    free(text);
    fclose(f);
}

/* What the writer makes of one top-level number, without the final newline. */
static char* number_text(double x) {
    FILE* f = tmpfile();
    json_writer w;
    json_writer_init(&w, f);
    json_number_value(&w, x);
    CHECK(json_writer_finish(&w));
    char* text = file_text(f);
    fclose(f);
    text[strcspn(text, "\n")] = '\0';
    return text;
}

static void check_number_text(double x, const char* expected) {
    char* text = number_text(x);
    CHECK_MSG(strcmp(text, expected) == 0, "%.17g -> \"%s\", expected \"%s\"", x, text, expected);
    free(text);
}

static void test_writer_numbers(void) {
    check_number_text(42.0, "42");
    check_number_text(-7.0, "-7");
    check_number_text(0.0, "0");
    check_number_text(-0.0, "-0");
    check_number_text(0.1, "0.1");
    check_number_text(1.5, "1.5");
    check_number_text(1.0 / 3.0, "0.3333333333333333");
    check_number_text(0.1 + 0.2, "0.30000000000000004");
    check_number_text(1e15, "1000000000000000");
    check_number_text(9007199254740991.0, "9007199254740991");
    check_number_text(9007199254740992.0, "9007199254740992");
    check_number_text(1e300, "1e+300");
    check_number_text(1e21, "1e+21");
    check_number_text(-1.5e-7, "-1.5e-07");
    check_number_text(123456789.125, "123456789.125");
    /* The smallest subnormal has few significant bits: 15 digits read back exactly. */
    check_number_text(4.9406564584124654e-324, "4.94065645841247e-324");
    check_number_text(1.7976931348623157e308, "1.7976931348623157e+308");
    check_number_text(NAN, "null");
    check_number_text(INFINITY, "null");
    check_number_text(-INFINITY, "null");

    FILE* f = tmpfile();
    json_writer w;
    json_writer_init(&w, f);
    json_begin_array_inline(&w);
    json_int_value(&w, -9223372036854775807LL - 1);
    json_int_value(&w, 9223372036854775807LL);
    json_number_value(&w, NAN);
    json_end_array(&w);
    CHECK(json_writer_finish(&w));
    char* text = file_text(f);
    CHECK_MSG(strcmp(text, "[-9223372036854775808, 9223372036854775807, null]\n") == 0, "%s", text);
    free(text);
    fclose(f);
}

static double random_double(void) {
    for (;;) {
        uint64_t bits = next_random();
        double x;
        switch (next_random() % 4) {
        case 0: memcpy(&x, &bits, sizeof x); break;                 /* any bit pattern */
        case 1: x = (double)(int64_t)(bits >> 11) - 4e15; break;   /* integers near 2^53 */
        case 2: x = (double)(bits % 2000001) / 1000.0 - 1000; break; /* short decimals */
        default: x = (double)(bits >> 11) * 0x1p-53 * pow(10, (double)(next_random() % 40) - 20);
        }
        if (isfinite(x)) return x;
    }
}

/* Random text with every character class the escaper treats differently. */
static void random_string(char* out, size_t capacity) {
    static const char* const pieces[] = {"\"",       "\\",           "\n",
                                         "\t",       "\x01",         "\x1f",
                                         "\x7f",     "/",            "\xC3\xA9",
                                         "\xE2\x82\xAC", "\xF0\x9F\x98\x80", "'"};
    size_t n = 0, count = (size_t)(next_random() % 20);
    for (size_t i = 0; i < count; i++) {
        const char* piece = next_random() % 3 == 0
                                ? pieces[next_random() % (sizeof pieces / sizeof pieces[0])]
                                : (char[]){(char)(1 + next_random() % 127), '\0'};
        size_t len = strlen(piece);
        if (n + len >= capacity) break;
        memcpy(out + n, piece, len);
        n += len;
    }
    out[n] = '\0';
}

enum { ROUND_TRIP_COUNT = 3000 };

static void test_writer_round_trip(void) {
    static double numbers[ROUND_TRIP_COUNT];
    static char strings[ROUND_TRIP_COUNT][64];
    for (size_t i = 0; i < ROUND_TRIP_COUNT; i++) {
        numbers[i] = random_double();
        random_string(strings[i], sizeof strings[i]);
    }

    FILE* f = tmpfile();
    json_writer w;
    json_writer_init(&w, f);
    json_begin_object(&w);
    json_key(&w, "numbers");
    json_begin_array_inline(&w);
    for (size_t i = 0; i < ROUND_TRIP_COUNT; i++) json_number_value(&w, numbers[i]);
    json_end_array(&w);
    json_key(&w, "strings");
    json_begin_array(&w);
    for (size_t i = 0; i < ROUND_TRIP_COUNT; i++) json_string_value(&w, strings[i]);
    json_end_array(&w);
    json_key(&w, "by key");
    json_begin_object(&w);
    for (size_t i = 0; i < 200; i++) {
        char key[96];
        snprintf(key, sizeof key, "%03zu:%.60s", i, strings[i]); /* unique */
        json_key(&w, key);
        json_int_value(&w, (long long)i);
    }
    json_end_object(&w);
    json_end_object(&w);
    CHECK(json_writer_finish(&w));
    char* text = file_text(f);
    fclose(f);

    char error[ERROR_SIZE];
    json_value* root = parse(text, error);
    CHECK_MSG(root != NULL, "%s", error);
    const json_value* got_numbers = json_object_get(root, "numbers");
    const json_value* got_strings = json_object_get(root, "strings");
    CHECK(json_array_length(got_numbers) == ROUND_TRIP_COUNT);
    CHECK(json_array_length(got_strings) == ROUND_TRIP_COUNT);
    size_t number_mismatches = 0, string_mismatches = 0;
    for (size_t i = 0; i < ROUND_TRIP_COUNT; i++) {
        double x = json_number(json_array_at(got_numbers, i));
        if (memcmp(&x, &numbers[i], sizeof x) != 0) { /* bitwise: -0 must stay -0 */
            if (number_mismatches++ == 0)
                fprintf(stderr, "%.17g came back as %.17g\n", numbers[i], x);
        }
        const char* s = json_string(json_array_at(got_strings, i));
        if (s == NULL || strcmp(s, strings[i]) != 0) string_mismatches++;
    }
    CHECK(number_mismatches == 0);
    CHECK(string_mismatches == 0);
    const json_value* by_key = json_object_get(root, "by key");
    CHECK(json_object_length(by_key) == 200);
    size_t key_mismatches = 0;
    for (size_t i = 0; i < json_object_length(by_key); i++) {
        char key[96];
        snprintf(key, sizeof key, "%03zu:%.60s", i, strings[i]);
        if (strcmp(json_object_key_at(by_key, i), key) != 0 ||
            json_number(json_object_value_at(by_key, i)) != (double)i)
            key_mismatches++;
    }
    CHECK(key_mismatches == 0);
    json_free(root);
    free(text);
}

static char* string_text(const char* s) {
    FILE* f = tmpfile();
    json_writer w;
    json_writer_init(&w, f);
    json_string_value(&w, s);
    CHECK(json_writer_finish(&w));
    char* text = file_text(f);
    fclose(f);
    return text;
}

static void test_writer_escapes(void) {
    char* text = string_text("q\"b\\s/\b\f\n\r\t\x01\x1f\x7f \xC3\xA9");
    const char* expected = "\"q\\\"b\\\\s/\\b\\f\\n\\r\\t\\u0001\\u001f\x7f \xC3\xA9\"\n";
    CHECK_MSG(strcmp(text, expected) == 0, "%s", text);
    free(text);

    /* Malformed UTF-8 becomes U+FFFD, byte by byte, so the output stays valid. */
    text = string_text("a\xFF" "b\xC3" "c\xED\xA0\x80" "d\xE2\x82");
    CHECK_MSG(strcmp(text, "\"a\xEF\xBF\xBD" "b\xEF\xBF\xBD" "c\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"
                           "d\xEF\xBF\xBD\xEF\xBF\xBD\"\n") == 0, "%s", text);
    char error[ERROR_SIZE];
    json_value* v = parse(text, error);
    CHECK_MSG(v != NULL, "%s", error);
    json_free(v);
    free(text);
}

/* Runs `script` against a fresh writer and reports whether json_writer_finish accepted it. */
static bool writer_accepts(void (*script)(json_writer*)) {
    FILE* f = tmpfile();
    json_writer w;
    json_writer_init(&w, f);
    script(&w);
    bool ok = json_writer_finish(&w);
    fclose(f);
    return ok;
}

static void nothing(json_writer* w) { (void)w; }
static void value_without_key(json_writer* w) {
    json_begin_object(w);
    json_int_value(w, 1);
    json_end_object(w);
}
static void key_in_array(json_writer* w) {
    json_begin_array(w);
    json_key(w, "k");
    json_int_value(w, 1);
    json_end_array(w);
}
static void key_without_value(json_writer* w) {
    json_begin_object(w);
    json_key(w, "k");
    json_end_object(w);
}
static void two_keys(json_writer* w) {
    json_begin_object(w);
    json_key(w, "a");
    json_key(w, "b");
    json_int_value(w, 1);
    json_end_object(w);
}
static void mismatched_end(json_writer* w) { json_begin_object(w); json_end_array(w); }
static void unclosed(json_writer* w) { json_begin_array(w); json_int_value(w, 1); }
static void extra_end(json_writer* w) { json_begin_array(w); json_end_array(w); json_end_array(w); }
static void two_roots(json_writer* w) { json_int_value(w, 1); json_int_value(w, 2); }
static void scalar_root(json_writer* w) { json_string_value(w, "only"); }
static void nest(json_writer* w, int depth) {
    for (int i = 0; i < depth; i++) json_begin_array(w);
    for (int i = 0; i < depth; i++) json_end_array(w);
}
static void deepest(json_writer* w) { nest(w, JSON_WRITER_MAX_DEPTH); }
static void too_deep(json_writer* w) { nest(w, JSON_WRITER_MAX_DEPTH + 1); }

static void test_writer_misuse(void) {
    CHECK(!writer_accepts(nothing));
    CHECK(!writer_accepts(value_without_key));
    CHECK(!writer_accepts(key_in_array));
    CHECK(!writer_accepts(key_without_value));
    CHECK(!writer_accepts(two_keys));
    CHECK(!writer_accepts(mismatched_end));
    CHECK(!writer_accepts(unclosed));
    CHECK(!writer_accepts(extra_end));
    CHECK(!writer_accepts(two_roots));
    CHECK(writer_accepts(scalar_root));
    CHECK(writer_accepts(deepest));
    CHECK(!writer_accepts(too_deep));

    /* After misuse the writer stops, so the file holds a prefix rather than garbage. */
    FILE* f = tmpfile();
    json_writer w;
    json_writer_init(&w, f);
    json_begin_array(&w);
    json_key(&w, "k");
    json_int_value(&w, 1);
    json_end_array(&w);
    CHECK(!json_writer_finish(&w));
    char* text = file_text(f);
    CHECK_MSG(strcmp(text, "[") == 0, "%s", text);
    free(text);
    fclose(f);
}

int main(void) {
    test_scalars();
    test_containers();
    test_strings();
    test_numbers();
    test_errors();
    test_depth();
    test_truncations();
    test_mutations();
    test_parse_file();
    test_writer_layout();
    test_writer_numbers();
    test_writer_round_trip();
    test_writer_escapes();
    test_writer_misuse();
    return check_summary();
}
