/* Where a binding's data comes from: .npy and raw files, generators, and literal values. */
#include "sources.h"

#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"

/* Generators refuse sizes beyond this, so a typo cannot ask for terabytes. */
#define CLI_MAX_GENERATED_BYTES ((uint64_t)16 << 30)

static bool ends_with(const char* s, const char* suffix) {
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* Splits `spec` at ':' into at most `max` fields held in `buffer`. */
static size_t split_fields(const char* spec, char* buffer, size_t buffer_size, char** fields, size_t max) {
    snprintf(buffer, buffer_size, "%s", spec);
    size_t n = 0;
    for (char* p = buffer; p != NULL && n < max;) {
        fields[n++] = p;
        p = strchr(p, ':');
        if (p) *p++ = '\0';
    }
    return n;
}

static bool parse_dtype(const char* text, wr_dtype* out, char* error, size_t error_size) {
    *out = wr_dtype_parse(text);
    if (*out == WR_DTYPE_INVALID) snprintf(error, error_size, "unknown type '%s' (use f16, f32, f64, i32, u32 or u8)", text);
    return *out != WR_DTYPE_INVALID;
}

static bool parse_count(const char* text, wr_dtype dtype, uint64_t* out, char* error, size_t error_size) {
    if (!cli_parse_u64(text, out) || *out == 0) {
        snprintf(error, error_size, "element count '%s' is not a positive integer", text);
        return false;
    }
    if (*out > CLI_MAX_GENERATED_BYTES / wr_dtype_size(dtype)) {
        snprintf(error, error_size, "%s elements of %s exceed the 16 GiB generator limit", text, wr_dtype_name(dtype));
        return false;
    }
    return true;
}

/* A value must be one the element type holds: an integer in range for i32/u32, a number within
 * the finite range (or an infinity) for floats. Converting anything else is undefined in C and,
 * in practice, silently puts a different number in the buffer. */
static bool value_fits(const char* text, double v, wr_dtype dtype, char* error, size_t error_size) {
    bool fits = true;
    switch (dtype) {
    case WR_DTYPE_I32: fits = v == floor(v) && v >= -2147483648.0 && v <= 2147483647.0; break;
    case WR_DTYPE_U32: fits = v == floor(v) && v >= 0.0 && v <= 4294967295.0; break;
    case WR_DTYPE_U8: fits = v == floor(v) && v >= 0.0 && v <= 255.0; break;
    case WR_DTYPE_F32: fits = isinf(v) || fabs(v) <= FLT_MAX; break;
    case WR_DTYPE_F16: fits = isinf(v) || fabs(v) <= 65504.0; break;
    default: break;
    }
    if (!fits) {
        const char* kind = dtype == WR_DTYPE_I32 || dtype == WR_DTYPE_U32 || dtype == WR_DTYPE_U8 ? "an integer in the range of" : "within the range of";
        snprintf(error, error_size, "value '%s' is not %s %s", text, kind, wr_dtype_name(dtype));
    }
    return fits;
}

static bool parse_values(char* list, cli_source* out, char* error, size_t error_size) {
    wr_dtype type = WR_DTYPE_F32;
    for (char *item = list, *comma; item != NULL; item = comma ? comma + 1 : NULL) {
        comma = strchr(item, ',');
        if (comma) *comma = '\0';
        char* colon = strchr(item, ':');
        if (colon) {
            *colon = '\0';
            if (!parse_dtype(item, &type, error, error_size)) return false;
            item = colon + 1;
        }
        if (out->value_count == CLI_MAX_VALUES) {
            snprintf(error, error_size, "more than %d values", CLI_MAX_VALUES);
            return false;
        }
        if (!cli_parse_double(item, &out->values[out->value_count])) {
            snprintf(error, error_size, "value '%s' is not a number", item);
            return false;
        }
        if (!value_fits(item, out->values[out->value_count], type, error, error_size)) return false;
        out->value_types[out->value_count++] = type;
    }
    out->dtype = out->value_types[0];
    return true;
}

bool cli_source_parse(const char* spec, cli_source* out, char* error, size_t error_size) {
    memset(out, 0, sizeof *out);
    out->seed = 1;
    char buffer[1400];
    char* f[6];
    if (strlen(spec) >= sizeof buffer) {
        snprintf(error, error_size, "source is too long");
        return false;
    }
    if (strncmp(spec, "values:", 7) == 0) {
        out->kind = CLI_SOURCE_VALUES;
        snprintf(buffer, sizeof buffer, "%s", spec + 7);
        return parse_values(buffer, out, error, error_size);
    }
    size_t n = split_fields(spec, buffer, sizeof buffer, f, 6);
    struct { const char* name; cli_source_kind kind; size_t min_fields, max_fields; } generators[] = {
        {"zeros", CLI_SOURCE_ZEROS, 3, 3}, {"iota", CLI_SOURCE_IOTA, 3, 3},
        {"random", CLI_SOURCE_RANDOM, 3, 4}, {"fill", CLI_SOURCE_FILL, 4, 4}};
    for (size_t g = 0; g < sizeof generators / sizeof generators[0]; g++) {
        if (strcmp(f[0], generators[g].name) != 0) continue;
        if (n < generators[g].min_fields || n > generators[g].max_fields) {
            snprintf(error, error_size, "'%s' takes %s:TYPE:COUNT%s", spec, generators[g].name,
                     generators[g].kind == CLI_SOURCE_RANDOM ? "[:SEED]" : generators[g].kind == CLI_SOURCE_FILL ? ":VALUE" : "");
            return false;
        }
        out->kind = generators[g].kind;
        if (!parse_dtype(f[1], &out->dtype, error, error_size) || !parse_count(f[2], out->dtype, &out->count, error, error_size))
            return false;
        if (out->kind == CLI_SOURCE_RANDOM && n == 4 && !cli_parse_u64(f[3], &out->seed)) {
            snprintf(error, error_size, "seed '%s' is not an integer", f[3]);
            return false;
        }
        if (out->kind == CLI_SOURCE_FILL && !cli_parse_double(f[3], &out->fill)) {
            snprintf(error, error_size, "fill value '%s' is not a number", f[3]);
            return false;
        }
        if (out->kind == CLI_SOURCE_FILL && !value_fits(f[3], out->fill, out->dtype, error, error_size)) return false;
        return true;
    }
    if (ends_with(spec, ".npy")) {
        out->kind = CLI_SOURCE_NPY;
        snprintf(out->path, sizeof out->path, "%s", spec);
        return true;
    }
    const char* colon = strrchr(spec, ':');
    if (colon == NULL || colon == spec) {
        snprintf(error, error_size,
                 "'%s' is not a source: use FILE.npy, FILE:TYPE (raw), zeros:, iota:, random:, fill: or values:", spec);
        return false;
    }
    out->kind = CLI_SOURCE_RAW;
    snprintf(out->path, sizeof out->path, "%.*s", (int)(colon - spec), spec);
    return parse_dtype(colon + 1, &out->dtype, error, error_size);
}

/* ---------------------------------------------------------------- half precision */

uint16_t cli_f32_to_f16(float value) {
    uint32_t bits;
    memcpy(&bits, &value, sizeof bits);
    uint16_t sign = (uint16_t)((bits >> 16) & 0x8000u);
    int32_t exponent = (int32_t)((bits >> 23) & 0xffu);
    uint32_t mantissa = bits & 0x7fffffu;
    if (exponent == 0xff) return (uint16_t)(sign | 0x7c00u | (mantissa ? 0x200u : 0u));
    int32_t e = exponent - 127 + 15;
    if (e >= 0x1f) return (uint16_t)(sign | 0x7c00u);
    if (e <= 0) {
        if (e < -10) return sign;
        mantissa |= 0x800000u;
        uint32_t shift = (uint32_t)(14 - e);
        uint32_t half = mantissa >> shift;
        uint32_t rest = mantissa & ((1u << shift) - 1u);
        uint32_t halfway = 1u << (shift - 1);
        if (rest > halfway || (rest == halfway && (half & 1u))) half++;
        return (uint16_t)(sign | half);
    }
    uint32_t half = ((uint32_t)e << 10) | (mantissa >> 13);
    uint32_t rest = mantissa & 0x1fffu;
    if (rest > 0x1000u || (rest == 0x1000u && (half & 1u))) half++;
    return (uint16_t)(sign | half);
}

float cli_f16_to_f32(uint16_t h) {
    uint32_t sign = (uint32_t)(h & 0x8000u) << 16;
    uint32_t exponent = (h >> 10) & 0x1fu;
    uint32_t mantissa = h & 0x3ffu;
    float value;
    if (exponent == 0) value = ldexpf((float)mantissa, -24);
    else if (exponent == 0x1f) value = mantissa ? NAN : INFINITY;
    else value = ldexpf((float)(mantissa | 0x400u), (int)exponent - 25);
    return sign ? -value : value;
}

/* ---------------------------------------------------------------- loading */

static void store(void* data, wr_dtype dtype, size_t i, double value) {
    switch (dtype) {
    case WR_DTYPE_F16: ((uint16_t*)data)[i] = cli_f32_to_f16((float)value); break;
    case WR_DTYPE_F32: ((float*)data)[i] = (float)value; break;
    case WR_DTYPE_F64: ((double*)data)[i] = value; break;
    case WR_DTYPE_I32: ((int32_t*)data)[i] = (int32_t)value; break;
    case WR_DTYPE_U32: ((uint32_t*)data)[i] = (uint32_t)value; break;
    case WR_DTYPE_U8: ((uint8_t*)data)[i] = (uint8_t)value; break;
    case WR_DTYPE_INVALID: break;
    }
}

double cli_array_get(const wr_array* array, size_t i) {
    const void* d = array->data;
    switch (array->dtype) {
    case WR_DTYPE_F16: return cli_f16_to_f32(((const uint16_t*)d)[i]);
    case WR_DTYPE_F32: return ((const float*)d)[i];
    case WR_DTYPE_F64: return ((const double*)d)[i];
    case WR_DTYPE_I32: return ((const int32_t*)d)[i];
    case WR_DTYPE_U32: return ((const uint32_t*)d)[i];
    case WR_DTYPE_U8: return ((const uint8_t*)d)[i];
    case WR_DTYPE_INVALID: break;
    }
    return 0;
}

/* splitmix64: small, seedable and good enough for test data. */
static uint64_t next_random(uint64_t* state) {
    uint64_t z = (*state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static void generate(const cli_source* source, wr_array* out) {
    uint64_t state = source->seed;
    if (source->kind == CLI_SOURCE_ZEROS) memset(out->data, 0, out->byte_size);
    for (size_t i = 0; i < out->count; i++) {
        switch (source->kind) {
        /* u8 counts wrap at 256, as unsigned arithmetic does. */
        case CLI_SOURCE_IOTA: store(out->data, out->dtype, i, out->dtype == WR_DTYPE_U8 ? (double)(i % 256) : (double)i); break;
        case CLI_SOURCE_FILL: store(out->data, out->dtype, i, source->fill); break;
        case CLI_SOURCE_RANDOM: {
            uint64_t r = next_random(&state);
            if (out->dtype == WR_DTYPE_U32 || out->dtype == WR_DTYPE_I32) ((uint32_t*)out->data)[i] = (uint32_t)(r >> 32);
            else if (out->dtype == WR_DTYPE_U8) ((uint8_t*)out->data)[i] = (uint8_t)(r >> 56);
            else store(out->data, out->dtype, i, (double)(r >> 11) * 0x1.0p-53);
            break;
        }
        default: break;
        }
    }
}

static wr_array flat_layout(wr_dtype dtype, size_t count) {
    return (wr_array){.dtype = dtype, .ndim = 1, .shape = {count}, .count = count,
                      .byte_size = count * wr_dtype_size(dtype)};
}

/* Asks `place` for the layout's memory; on success *out is the layout with that data. */
static wr_status place_layout(wr_array layout, wr_array_place_fn place, void* user, wr_array* out, wr_error* err) {
    void* data = NULL;
    wr_status status = place(user, &layout, &data, err);
    if (status != WR_OK) return status;
    layout.data = data;
    *out = layout;
    return WR_OK;
}

static wr_status load_raw(const cli_source* source, wr_array_place_fn place, void* user, wr_array* out,
                          wr_error* err) {
    FILE* f = fopen(source->path, "rb");
    if (f == NULL) {
        snprintf(err->message, sizeof err->message, "%s: cannot open: %s", source->path, strerror(errno));
        return err->status = WR_ERROR_IO;
    }
    long size = fseek(f, 0, SEEK_END) == 0 ? ftell(f) : -1;
    rewind(f);
    size_t element = wr_dtype_size(source->dtype);
    wr_status status = WR_OK;
    if (size <= 0) {
        snprintf(err->message, sizeof err->message, "%s: empty or unreadable file", source->path);
        status = err->status = WR_ERROR_IO;
    } else if ((size_t)size % element != 0) {
        snprintf(err->message, sizeof err->message, "%s: %ld bytes is not a whole number of %s elements (%zu bytes each)",
                 source->path, size, wr_dtype_name(source->dtype), element);
        status = err->status = WR_ERROR_FORMAT;
    } else {
        wr_array placed;
        status = place_layout(flat_layout(source->dtype, (size_t)size / element), place, user, &placed, err);
        if (status == WR_OK && fread(placed.data, 1, placed.byte_size, f) != placed.byte_size) {
            snprintf(err->message, sizeof err->message, "%s: read failed", source->path);
            status = err->status = WR_ERROR_IO;
        }
        if (status == WR_OK) *out = placed;
    }
    fclose(f);
    return status;
}

static wr_status load_values(const cli_source* source, wr_array_place_fn place, void* user, wr_array* out,
                             wr_error* err) {
    size_t bytes = 0;
    for (size_t i = 0; i < source->value_count; i++) bytes += wr_dtype_size(source->value_types[i]);
    bool uniform_type = true;
    for (size_t i = 1; i < source->value_count; i++) uniform_type &= source->value_types[i] == source->value_types[0];
    /* Packed as raw bytes: a uniform struct may mix types, so the array is typed by bytes/4. */
    wr_dtype dtype = uniform_type && wr_dtype_size(source->dtype) == 4 ? source->dtype : WR_DTYPE_U32;
    wr_array placed;
    wr_status status = place_layout(flat_layout(dtype, (bytes + 3) / 4), place, user, &placed, err);
    if (status != WR_OK) return status;
    unsigned char* p = placed.data;
    memset(p, 0, placed.byte_size);
    for (size_t i = 0; i < source->value_count; i++) {
        /* after an f16 the next value is only 2-byte aligned: store through a copy */
        double element;
        store(&element, source->value_types[i], 0, source->values[i]);
        memcpy(p, &element, wr_dtype_size(source->value_types[i]));
        p += wr_dtype_size(source->value_types[i]);
    }
    *out = placed;
    return WR_OK;
}

wr_status cli_source_load_into(const cli_source* source, wr_array_place_fn place, void* user, wr_array* out,
                               wr_error* err) {
    memset(out, 0, sizeof *out);
    switch (source->kind) {
    case CLI_SOURCE_NPY: return wr_npy_read_into(source->path, place, user, out, err);
    case CLI_SOURCE_RAW: return load_raw(source, place, user, out, err);
    case CLI_SOURCE_VALUES: return load_values(source, place, user, out, err);
    default: break;
    }
    wr_status status = place_layout(flat_layout(source->dtype, (size_t)source->count), place, user, out, err);
    if (status == WR_OK) generate(source, out);
    return status;
}

typedef struct heap_place {
    void* data;
} heap_place;

static wr_status place_in_heap(void* user, const wr_array* layout, void** data, wr_error* err) {
    heap_place* heap = user;
    *data = heap->data = malloc(layout->byte_size ? layout->byte_size : 1);
    if (*data != NULL) return WR_OK;
    snprintf(err->message, sizeof err->message, "cannot allocate %zu bytes", layout->byte_size);
    return err->status = WR_ERROR_OUT_OF_MEMORY;
}

wr_status cli_source_load(const cli_source* source, wr_array* out, wr_error* err) {
    heap_place heap = {0};
    wr_status status = cli_source_load_into(source, place_in_heap, &heap, out, err);
    if (status != WR_OK) free(heap.data);
    return status;
}
