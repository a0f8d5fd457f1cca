/* libFuzzer harness for the JSON reader and writer (json/): any byte string either parses, or
 * fails with a "line L, column C: " message; a parsed tree written out by json_writer parses
 * back to the same tree. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_check.h"
#include "json.h"

static void write_value(json_writer* w, const json_value* v) {
    switch (json_type_of(v)) {
    case JSON_NULL: json_null_value(w); break;
    case JSON_BOOL: json_bool_value(w, json_bool(v)); break;
    case JSON_NUMBER: json_number_value(w, json_number(v)); break;
    case JSON_STRING: json_string_value(w, json_string(v)); break;
    case JSON_ARRAY:
        json_begin_array(w);
        for (size_t i = 0; i < json_array_length(v); i++) write_value(w, json_array_at(v, i));
        json_end_array(w);
        break;
    case JSON_OBJECT:
        json_begin_object(w);
        for (size_t i = 0; i < json_object_length(v); i++) {
            json_key(w, json_object_key_at(v, i));
            write_value(w, json_object_value_at(v, i));
        }
        json_end_object(w);
        break;
    }
}

static bool same_tree(const json_value* a, const json_value* b) {
    if (json_type_of(a) != json_type_of(b)) return false;
    switch (json_type_of(a)) {
    case JSON_NULL: return true;
    case JSON_BOOL: return json_bool(a) == json_bool(b);
    case JSON_NUMBER: return json_number(a) == json_number(b);
    case JSON_STRING: return strcmp(json_string(a), json_string(b)) == 0;
    case JSON_ARRAY:
        if (json_array_length(a) != json_array_length(b)) return false;
        for (size_t i = 0; i < json_array_length(a); i++)
            if (!same_tree(json_array_at(a, i), json_array_at(b, i))) return false;
        return true;
    case JSON_OBJECT:
        if (json_object_length(a) != json_object_length(b)) return false;
        for (size_t i = 0; i < json_object_length(a); i++)
            if (strcmp(json_object_key_at(a, i), json_object_key_at(b, i)) != 0 ||
                !same_tree(json_object_value_at(a, i), json_object_value_at(b, i)))
                return false;
        return true;
    }
    return false;
}

static int depth_of(const json_value* v) {
    int deepest = 0;
    size_t n = json_type_of(v) == JSON_ARRAY ? json_array_length(v) : json_object_length(v);
    if (json_type_of(v) != JSON_ARRAY && json_type_of(v) != JSON_OBJECT) return 0;
    for (size_t i = 0; i < n; i++) {
        const json_value* child =
            json_type_of(v) == JSON_ARRAY ? json_array_at(v, i) : json_object_value_at(v, i);
        int d = depth_of(child);
        if (d > deepest) deepest = d;
    }
    return deepest + 1;
}

/* The writer nests at most JSON_WRITER_MAX_DEPTH containers; deeper trees are read only. */
static void round_trip(const json_value* root) {
    if (depth_of(root) > JSON_WRITER_MAX_DEPTH) return;
    char* text = NULL;
    size_t length = 0;
    FILE* out = open_memstream(&text, &length);
    FUZZ_ASSERT(out != NULL);
    json_writer w;
    json_writer_init(&w, out);
    write_value(&w, root);
    FUZZ_ASSERT(json_writer_finish(&w));
    FUZZ_ASSERT(fclose(out) == 0);
    char error[256];
    json_value* again = json_parse(text, length, error, sizeof error);
    if (again == NULL) fprintf(stderr, "written JSON does not parse: %s\n%s\n", error, text);
    FUZZ_ASSERT(again != NULL);
    FUZZ_ASSERT(same_tree(root, again));
    json_free(again);
    free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    char error[256] = "";
    json_value* root = json_parse((const char*)data, size, error, sizeof error);
    if (root == NULL) {
        FUZZ_ASSERT(strncmp(error, "line ", 5) == 0);
        return 0;
    }
    round_trip(root);
    json_free(root);
    return 0;
}
