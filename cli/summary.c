/* What `wgslrun run` prints: array summaries as text or JSON, and the unpadded view of a
 * buffer that both show and --out writes. */
#include "summary.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sources.h"

#define CLI_PREVIEW_COUNT 6

static bool is_integer(wr_dtype dtype) { return dtype == WR_DTYPE_I32 || dtype == WR_DTYPE_U32; }

/* Integer sums are kept exact in 64 bits: each element is below 2^32 in magnitude, so up to
 * 2^31 elements cannot overflow; longer arrays fall back to the double sum. */
#define CLI_EXACT_SUM_MAX_COUNT ((size_t)1 << 31)

cli_array_summary cli_summarize(const wr_array* array) {
    cli_array_summary s = {0, INFINITY, -INFINITY, 0, false, 0};
    s.exact = is_integer(array->dtype) && array->count <= CLI_EXACT_SUM_MAX_COUNT;
    for (size_t i = 0; i < array->count; i++) {
        double v = cli_array_get(array, i);
        if (!isfinite(v)) {
            s.non_finite++;
            continue;
        }
        s.checksum += v;
        if (array->dtype == WR_DTYPE_I32) s.integer_sum += ((const int32_t*)array->data)[i];
        if (array->dtype == WR_DTYPE_U32) s.integer_sum += (int64_t)((const uint32_t*)array->data)[i];
        if (v < s.min) s.min = v;
        if (v > s.max) s.max = v;
    }
    if (s.min > s.max) s.min = s.max = 0;
    return s;
}

static void print_shape(FILE* out, const wr_array* array) {
    fputc('[', out);
    for (uint32_t d = 0; d < array->ndim; d++) fprintf(out, "%s%zu", d ? ", " : "", array->shape[d]);
    fputc(']', out);
}

/* Integers print exactly (2147483648, not 2.14748365e+09); floats with 9 significant digits,
 * enough to tell any two f32 values apart. */
static void print_number(FILE* out, wr_dtype dtype, double v, int digits) {
    if (is_integer(dtype)) fprintf(out, "%.0f", v);
    else fprintf(out, "%.*g", digits, v);
}

void cli_print_array(FILE* out, const char* name, const wr_array* array) {
    cli_array_summary s = cli_summarize(array);
    fprintf(out, "%s: %s", name, wr_dtype_name(array->dtype));
    print_shape(out, array);
    fprintf(out, " = [");
    size_t n = array->count < CLI_PREVIEW_COUNT ? array->count : CLI_PREVIEW_COUNT;
    for (size_t i = 0; i < n; i++) {
        if (i) fputs(", ", out);
        print_number(out, array->dtype, cli_array_get(array, i), 9);
    }
    fprintf(out, "%s]  sum=", array->count > n ? ", ..." : "");
    if (s.exact) fprintf(out, "%lld", (long long)s.integer_sum);
    else fprintf(out, "%.17g", s.checksum);
    fputs(" min=", out);
    print_number(out, array->dtype, s.min, 9);
    fputs(" max=", out);
    print_number(out, array->dtype, s.max, 9);
    if (s.non_finite) fprintf(out, " non-finite=%zu", s.non_finite);
    fputc('\n', out);
}

void cli_json_array(json_writer* w, const char* name, const wr_array* array) {
    cli_array_summary s = cli_summarize(array);
    json_begin_object(w);
    json_key(w, "name");
    json_string_value(w, name);
    json_key(w, "dtype");
    json_string_value(w, wr_dtype_name(array->dtype));
    json_key(w, "shape");
    json_begin_array_inline(w);
    for (uint32_t d = 0; d < array->ndim; d++) json_int_value(w, (long long)array->shape[d]);
    json_end_array(w);
    /* json_number_value prints integral doubles below 2^53 as integers, so every i32/u32
     * element and extreme is exact; only the sum needs the integer path. */
    json_key(w, "first");
    json_begin_array_inline(w);
    for (size_t i = 0; i < array->count && i < CLI_PREVIEW_COUNT; i++) json_number_value(w, cli_array_get(array, i));
    json_end_array(w);
    json_key(w, "sum");
    if (s.exact) json_int_value(w, (long long)s.integer_sum);
    else json_number_value(w, s.checksum);
    json_key(w, "min");
    json_number_value(w, s.min);
    json_key(w, "max");
    json_number_value(w, s.max);
    json_key(w, "non_finite");
    json_int_value(w, (long long)s.non_finite);
    json_end_object(w);
}

/* ---------------------------------------------------------------- unpadded view */

/* Without a value layout (structs, unknown types) the bytes are shown flat, two-dimensional
 * when a known vector width divides them. */
static void flat_shape(const wr_binding_info* binding, wr_array* out) {
    out->ndim = 1;
    out->shape[0] = out->count;
    if (binding->components > 1 && out->count % binding->components == 0) {
        out->ndim = 2;
        out->shape[0] = out->count / binding->components;
        out->shape[1] = binding->components;
    }
}

/* Values `value_stride` bytes apart, the last possibly without its trailing padding. */
static size_t value_count(const wr_binding_info* b, size_t bytes) {
    return bytes < b->value_size ? 0 : (bytes - b->value_size) / b->value_stride + 1;
}

static void copy_values(const wr_binding_info* b, const unsigned char* src, size_t values, size_t scalar,
                        unsigned char* dst) {
    uint32_t rows = b->components / b->columns;
    for (size_t v = 0; v < values; v++)
        for (uint32_t c = 0; c < b->columns; c++) {
            memcpy(dst, src + v * b->value_stride + c * b->column_stride, rows * scalar);
            dst += rows * scalar;
        }
}

wr_status cli_values_view(const wr_binding_info* binding, wr_dtype fallback, const void* bytes, size_t size,
                          wr_array* out, wr_error* err) {
    wr_dtype dtype = binding->scalar_type != WR_DTYPE_INVALID ? binding->scalar_type : fallback;
    size_t scalar = wr_dtype_size(dtype);
    bool shaped = binding->value_stride > 0 && binding->columns > 0 && binding->scalar_type != WR_DTYPE_INVALID &&
                  binding->components % binding->columns == 0;
    size_t values = shaped ? value_count(binding, size) : 0;
    *out = (wr_array){.dtype = dtype, .count = shaped ? values * binding->components : size / scalar};
    out->byte_size = out->count * scalar;
    out->data = malloc(out->byte_size ? out->byte_size : 1);
    if (out->data == NULL) {
        snprintf(err->message, sizeof err->message, "out of host memory");
        return err->status = WR_ERROR_OUT_OF_MEMORY;
    }
    if (!shaped) {
        memcpy(out->data, bytes, out->byte_size);
        flat_shape(binding, out);
        return WR_OK;
    }
    copy_values(binding, bytes, values, scalar, out->data);
    uint32_t rows = binding->components / binding->columns;
    size_t dims[3] = {values, binding->columns, rows};
    if (binding->columns > 1) {
        out->ndim = 3;
    } else {
        out->ndim = binding->components > 1 ? 2 : 1;
        dims[1] = rows;
    }
    memcpy(out->shape, dims, out->ndim * sizeof dims[0]);
    return WR_OK;
}
