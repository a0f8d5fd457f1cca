/* The .npy codec: numpy's np.save format, for the dense little-endian arrays that wgslrun moves
 * between files and GPU buffers.
 *
 * The header is a Python dict literal. Rather than evaluate Python, the reader accepts the
 * grammar numpy writes (any quoting, spacing, key order and padding) and rejects the rest, so
 * arbitrary bytes can only ever produce a WR_ERROR_FORMAT. */
#include "error.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Element bytes are copied verbatim between files, memory and GPU buffers, all little-endian. */
#if defined(__BYTE_ORDER__) && defined(__ORDER_LITTLE_ENDIAN__) && \
    __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "the .npy codec assumes a little-endian host"
#endif

#define NPY_MAGIC "\x93NUMPY"
#define NPY_MAGIC_LEN 6
#define NPY_ALIGN 64
#define NPY_SUPPORTED "'<f2', '<f4', '<f8', '<i4', '<u4', '|u1'"
#define SHAPE_TEXT_MAX (WR_ARRAY_MAX_DIMS * 22 + 4)

static const char* display_name(const char* name) { return name != NULL ? name : "<memory>"; }

/* ---------------------------------------------------------------- dtypes and shapes */

static const struct {
    const char* code;
    wr_dtype dtype;
} npy_types[] = {
    {"f2", WR_DTYPE_F16}, {"f4", WR_DTYPE_F32}, {"f8", WR_DTYPE_F64},
    {"i4", WR_DTYPE_I32}, {"u4", WR_DTYPE_U32}, {"u1", WR_DTYPE_U8},
};

#define NPY_TYPE_COUNT (sizeof npy_types / sizeof npy_types[0])

static wr_dtype dtype_from_code(const char* code) {
    for (size_t i = 0; i < NPY_TYPE_COUNT; i++)
        if (strcmp(code, npy_types[i].code) == 0) return npy_types[i].dtype;
    return WR_DTYPE_INVALID;
}

static const char* code_from_dtype(wr_dtype dtype) {
    for (size_t i = 0; i < NPY_TYPE_COUNT; i++)
        if (npy_types[i].dtype == dtype) return npy_types[i].code;
    return NULL;
}

/* Python's repr of a tuple, as numpy writes it: (), (5,), (2, 3). */
static void format_shape(char* out, size_t out_size, const size_t* shape, uint32_t ndim) {
    size_t n = (size_t)snprintf(out, out_size, "(");
    for (uint32_t i = 0; i < ndim && n < out_size; i++)
        n += (size_t)snprintf(out + n, out_size - n, "%s%zu", i > 0 ? ", " : "", shape[i]);
    if (n < out_size) snprintf(out + n, out_size - n, ndim == 1 ? ",)" : ")");
}

/* A zero dimension makes the array empty however large the others are, as in numpy. */
static bool shape_count(const size_t* shape, uint32_t ndim, size_t element_size, size_t* count,
                        size_t* byte_size) {
    size_t product = 1;
    for (uint32_t i = 0; i < ndim; i++)
        if (shape[i] == 0) product = 0;
    for (uint32_t i = 0; i < ndim && product != 0; i++) {
        if (product > SIZE_MAX / shape[i]) return false;
        product *= shape[i];
    }
    if (product > SIZE_MAX / element_size) return false;
    *count = product;
    *byte_size = product * element_size;
    return true;
}

/* ---------------------------------------------------------------- header dict parsing */

typedef struct cursor {
    const char* p;
    const char* end;
} cursor;

typedef struct npy_dict {
    char descr[32];
    bool has_descr, has_fortran_order, has_shape;
    bool fortran_order;
    uint32_t ndim;
    size_t shape[WR_ARRAY_MAX_DIMS];
} npy_dict;

static void skip_space(cursor* c) {
    while (c->p < c->end && (*c->p == ' ' || *c->p == '\t' || *c->p == '\n' || *c->p == '\r'))
        c->p++;
}

static bool take_char(cursor* c, char ch) {
    skip_space(c);
    if (c->p >= c->end || *c->p != ch) return false;
    c->p++;
    return true;
}

static bool is_word_char(char ch) {
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
           ch == '_';
}

static bool take_word(cursor* c, const char* word) {
    size_t n = strlen(word);
    skip_space(c);
    if ((size_t)(c->end - c->p) < n || memcmp(c->p, word, n) != 0) return false;
    if ((size_t)(c->end - c->p) > n && is_word_char(c->p[n])) return false;
    c->p += n;
    return true;
}

/* Only escape-free, printable strings: every string a supported header holds is one, and
 * refusing control bytes keeps a NUL from cutting a key short. */
static bool take_string(cursor* c, char* out, size_t out_size) {
    skip_space(c);
    if (c->p >= c->end || (*c->p != '\'' && *c->p != '"')) return false;
    char quote = *c->p++;
    size_t n = 0;
    for (; c->p < c->end && *c->p != quote; c->p++) {
        if (*c->p == '\\' || (unsigned char)*c->p < 0x20 || n + 1 >= out_size) return false;
        out[n++] = *c->p;
    }
    if (c->p >= c->end) return false;
    c->p++;
    out[n] = '\0';
    return true;
}

/* Decimal digits, with the 'L' suffix Python 2 numpy wrote for longs. */
static bool take_size(cursor* c, size_t* out, bool* overflow) {
    skip_space(c);
    size_t value = 0;
    const char* start = c->p;
    for (; c->p < c->end && *c->p >= '0' && *c->p <= '9'; c->p++) {
        size_t digit = (size_t)(*c->p - '0');
        if (value > (SIZE_MAX - digit) / 10) *overflow = true;
        else value = value * 10 + digit;
    }
    if (c->p == start) return false;
    if (c->p < c->end && *c->p == 'L') c->p++;
    *out = value;
    return !*overflow;
}

static wr_status malformed(const char* name, wr_error* err, const char* what) {
    return wr_error_set(err, WR_ERROR_FORMAT, "%s: malformed .npy header: %s",
                        display_name(name), what);
}

static wr_status parse_shape(cursor* c, const char* name, npy_dict* d, wr_error* err) {
    if (!take_char(c, '(')) return malformed(name, err, "'shape' must be a tuple such as (2, 3)");
    if (take_char(c, ')')) return WR_OK;
    for (;;) {
        size_t dim;
        bool overflow = false;
        if (!take_size(c, &dim, &overflow))
            return malformed(name, err, overflow ? "a 'shape' dimension overflows size_t"
                                                 : "'shape' must hold non-negative integers");
        if (d->ndim == WR_ARRAY_MAX_DIMS)
            return wr_error_set(err, WR_ERROR_FORMAT,
                                "%s: the array has more than %d dimensions, the most wgslrun "
                                "supports",
                                display_name(name), WR_ARRAY_MAX_DIMS);
        d->shape[d->ndim++] = dim;
        if (take_char(c, ')')) {
            if (d->ndim == 1)
                return malformed(name, err, "'shape' (N) is not a tuple; numpy writes (N,)");
            return WR_OK;
        }
        if (!take_char(c, ',')) return malformed(name, err, "expected ',' or ')' in 'shape'");
        if (take_char(c, ')')) return WR_OK;
    }
}

static wr_status parse_descr_value(cursor* c, const char* name, npy_dict* d, wr_error* err) {
    if (take_string(c, d->descr, sizeof d->descr)) return WR_OK;
    skip_space(c);
    if (c->p < c->end && *c->p == '[')
        return wr_error_set(err, WR_ERROR_FORMAT,
                            "%s: structured dtypes are unsupported; supported dtypes: "
                            NPY_SUPPORTED, display_name(name));
    return malformed(name, err, "'descr' must be a short string such as '<f4'");
}

static wr_status parse_fortran_value(cursor* c, const char* name, npy_dict* d, wr_error* err) {
    if (take_word(c, "True")) d->fortran_order = true;
    else if (take_word(c, "False")) d->fortran_order = false;
    else return malformed(name, err, "'fortran_order' must be True or False");
    return WR_OK;
}

static wr_status parse_entry(cursor* c, const char* name, npy_dict* d, wr_error* err) {
    char key[32];
    if (!take_string(c, key, sizeof key)) return malformed(name, err, "expected a quoted key");
    if (!take_char(c, ':')) return malformed(name, err, "expected ':' after a key");
    bool* seen = strcmp(key, "descr") == 0           ? &d->has_descr
                 : strcmp(key, "fortran_order") == 0 ? &d->has_fortran_order
                 : strcmp(key, "shape") == 0         ? &d->has_shape
                                                     : NULL;
    if (seen == NULL)
        return wr_error_set(err, WR_ERROR_FORMAT, "%s: malformed .npy header: unexpected key '%s'",
                            display_name(name), key);
    if (*seen)
        return wr_error_set(err, WR_ERROR_FORMAT, "%s: malformed .npy header: duplicate key '%s'",
                            display_name(name), key);
    *seen = true;
    if (seen == &d->has_descr) return parse_descr_value(c, name, d, err);
    if (seen == &d->has_fortran_order) return parse_fortran_value(c, name, d, err);
    return parse_shape(c, name, d, err);
}

static wr_status parse_dict(cursor* c, const char* name, npy_dict* d, wr_error* err) {
    if (!take_char(c, '{')) return malformed(name, err, "expected '{'");
    while (!take_char(c, '}')) {
        wr_status status = parse_entry(c, name, d, err);
        if (status != WR_OK) return status;
        if (!take_char(c, ',')) {
            if (!take_char(c, '}')) return malformed(name, err, "expected ',' or '}'");
            break;
        }
    }
    skip_space(c);
    if (c->p != c->end) return malformed(name, err, "unexpected text after the dict");
    const char* missing = !d->has_descr           ? "descr"
                          : !d->has_fortran_order ? "fortran_order"
                          : !d->has_shape         ? "shape"
                                                  : NULL;
    if (missing != NULL)
        return wr_error_set(err, WR_ERROR_FORMAT, "%s: malformed .npy header: missing key '%s'",
                            display_name(name), missing);
    return WR_OK;
}

/* ---------------------------------------------------------------- header validation */

/* '|', '=' and no prefix all mean native order, which the #error above makes little-endian. */
static wr_status resolve_descr(const char* descr, const char* name, wr_dtype* out, wr_error* err) {
    char order = descr[0];
    const char* code = order != '\0' && strchr("<>|=", order) != NULL ? descr + 1 : descr;
    wr_dtype dtype = dtype_from_code(code);
    if (dtype == WR_DTYPE_INVALID)
        return wr_error_set(err, WR_ERROR_FORMAT,
                            "%s: unsupported dtype '%s'; supported dtypes: " NPY_SUPPORTED,
                            display_name(name), descr);
    if (order == '>')
        return wr_error_set(err, WR_ERROR_FORMAT,
                            "%s: big-endian dtype '%s' is unsupported; convert it with "
                            "a.astype('<%s') before saving",
                            display_name(name), descr, code);
    *out = dtype;
    return WR_OK;
}

/* Fortran and C order lay out the same bytes when at most one dimension exceeds 1. */
static bool order_matters(const npy_dict* d) {
    uint32_t long_dims = 0;
    for (uint32_t i = 0; i < d->ndim; i++)
        if (d->shape[i] > 1) long_dims++;
    return long_dims > 1;
}

static wr_status check_dict(const npy_dict* d, const char* name, wr_array* meta, wr_error* err) {
    wr_status status = resolve_descr(d->descr, name, &meta->dtype, err);
    if (status != WR_OK) return status;
    if (d->fortran_order && order_matters(d))
        return wr_error_set(err, WR_ERROR_FORMAT,
                            "%s: Fortran-order arrays are unsupported; save with "
                            "np.ascontiguousarray(a)",
                            display_name(name));
    meta->ndim = d->ndim;
    memcpy(meta->shape, d->shape, sizeof meta->shape);
    if (!shape_count(d->shape, d->ndim, wr_dtype_size(meta->dtype), &meta->count,
                     &meta->byte_size)) {
        char text[SHAPE_TEXT_MAX];
        format_shape(text, sizeof text, d->shape, d->ndim);
        return wr_error_set(err, WR_ERROR_FORMAT, "%s: shape %s is too large: its size overflows",
                            display_name(name), text);
    }
    return WR_OK;
}

/* The fixed part: magic, version, and the little-endian length of the dict that follows. */
static wr_status parse_preamble(const unsigned char* b, size_t size, const char* name,
                                size_t* dict_start, size_t* dict_len, wr_error* err) {
    if (size < NPY_MAGIC_LEN || memcmp(b, NPY_MAGIC, NPY_MAGIC_LEN) != 0)
        return wr_error_set(err, WR_ERROR_FORMAT, "%s: not a .npy file (bad magic)",
                            display_name(name));
    if (size < 8) return malformed(name, err, "the file ends inside the preamble");
    unsigned major = b[6], minor = b[7];
    if (major < 1 || major > 3 || minor != 0)
        return wr_error_set(err, WR_ERROR_FORMAT,
                            "%s: unsupported .npy format version %u.%u (supported: 1.0, 2.0, 3.0)",
                            display_name(name), major, minor);
    size_t length_bytes = major == 1 ? 2 : 4;
    if (size < 8 + length_bytes) return malformed(name, err, "the file ends inside the preamble");
    uint32_t length = 0;
    for (size_t i = 0; i < length_bytes; i++) length |= (uint32_t)b[8 + i] << (8 * i);
    *dict_start = 8 + length_bytes;
    *dict_len = length;
    if (*dict_len > size - *dict_start)
        return wr_error_set(err, WR_ERROR_FORMAT,
                            "%s: malformed .npy header: it claims %zu bytes but the file has "
                            "only %zu after the preamble",
                            display_name(name), *dict_len, size - *dict_start);
    return WR_OK;
}

/* Fills everything in *meta but data, and where the data starts in `bytes`. */
static wr_status parse_meta(const unsigned char* bytes, size_t size, const char* name,
                            wr_array* meta, size_t* data_offset, wr_error* err) {
    size_t dict_start = 0, dict_len = 0;
    wr_status status = parse_preamble(bytes, size, name, &dict_start, &dict_len, err);
    if (status != WR_OK) return status;
    npy_dict d = {0};
    cursor c = {(const char*)bytes + dict_start, (const char*)bytes + dict_start + dict_len};
    status = parse_dict(&c, name, &d, err);
    if (status == WR_OK) status = check_dict(&d, name, meta, err);
    if (status != WR_OK) return status;
    *data_offset = dict_start + dict_len;
    return WR_OK;
}

static wr_status truncated(const char* name, size_t expected, size_t available, wr_error* err) {
    return wr_error_set(err, WR_ERROR_FORMAT, "%s: truncated: header says %zu bytes of data, file has %zu",
                        display_name(name), expected, available);
}

static wr_status parse_header(const unsigned char* bytes, size_t size, const char* name,
                              wr_array* meta, size_t* data_offset, wr_error* err) {
    wr_status status = parse_meta(bytes, size, name, meta, data_offset, err);
    if (status == WR_OK && size - *data_offset < meta->byte_size)
        return truncated(name, meta->byte_size, size - *data_offset, err);
    return status;
}

/* ---------------------------------------------------------------- reading */

static wr_status out_of_memory(const char* name, size_t bytes, wr_error* err) {
    return wr_error_set(err, WR_ERROR_OUT_OF_MEMORY, "%s: out of memory (%zu bytes)",
                        display_name(name), bytes);
}

/* Where the header ends, once its preamble is in `b`; 0 while it is not, or not a .npy. */
static size_t header_end(const unsigned char* b, size_t size) {
    if (size < 8 || memcmp(b, NPY_MAGIC, NPY_MAGIC_LEN) != 0) return 0;
    size_t length_bytes = b[6] == 1 ? 2 : 4;
    if (size < 8 + length_bytes) return 0;
    size_t length = 0;
    for (size_t i = 0; i < length_bytes; i++) length |= (size_t)b[8 + i] << (8 * i);
    return 8 + length_bytes + length;
}

/* Reads the preamble and dict, and nothing of the data after them, into a malloc'd buffer.
 * It grows as bytes arrive, so a header claiming more than the file holds costs no more
 * memory than the file. At EOF it returns what there was: parsing names what is missing. */
static wr_status read_header_bytes(FILE* f, const char* path, unsigned char** out, size_t* size,
                                   wr_error* err) {
    size_t capacity = 4096, length = 0, need = 12; /* the longest preamble */
    unsigned char* buffer = malloc(capacity);
    while (buffer != NULL) {
        size_t got = fread(buffer + length, 1, need - length, f);
        length += got;
        size_t end = header_end(buffer, length);
        if (length < need || end <= length) break;
        if (end > capacity) {
            size_t grown = capacity * 2 < end ? capacity * 2 : end;
            unsigned char* bigger = realloc(buffer, grown);
            if (bigger == NULL) free(buffer);
            buffer = bigger, capacity = grown;
        }
        need = end < capacity ? end : capacity;
    }
    if (buffer == NULL) return out_of_memory(path, capacity, err);
    if (ferror(f)) {
        int saved = errno;
        free(buffer);
        return wr_error_set(err, WR_ERROR_IO, "%s: cannot read: %s", path, strerror(saved));
    }
    *out = buffer;
    *size = length;
    return WR_OK;
}

/* The header from the stream, then the data straight into the memory `place` gives. */
static wr_status read_stream_into(FILE* f, const char* path, wr_array_place_fn place, void* user,
                                  wr_array* out, wr_error* err) {
    unsigned char* header = NULL;
    size_t size = 0, offset = 0;
    wr_status status = read_header_bytes(f, path, &header, &size, err);
    if (status != WR_OK) return status;
    wr_array meta = {0};
    status = parse_meta(header, size, path, &meta, &offset, err);
    free(header);
    if (status != WR_OK) return status;
    /* A regular file shows its size: a short one fails here, before any memory is placed. */
    struct stat st;
    if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) && (uintmax_t)st.st_size >= size &&
        (uintmax_t)st.st_size - size < meta.byte_size)
        return truncated(path, meta.byte_size, (size_t)((uintmax_t)st.st_size - size), err);
    void* data = NULL;
    status = place(user, &meta, &data, err);
    if (status != WR_OK) return status;
    size_t got = meta.byte_size > 0 ? fread(data, 1, meta.byte_size, f) : 0;
    if (got < meta.byte_size)
        return ferror(f) ? wr_error_set(err, WR_ERROR_IO, "%s: cannot read: %s", path, strerror(errno))
                         : truncated(path, meta.byte_size, got, err);
    meta.data = data;
    *out = meta;
    return WR_OK;
}

wr_status wr_npy_read_into(const char* path, wr_array_place_fn place, void* user, wr_array* out,
                           wr_error* err) {
    wr_error_clear(err);
    if (path == NULL || place == NULL || out == NULL)
        return wr_error_set(err, WR_ERROR_INVALID_ARGUMENT,
                            "wr_npy_read_into: path, place and out are required");
    *out = (wr_array){0};
    FILE* f = fopen(path, "rb");
    if (f == NULL)
        return wr_error_set(err, WR_ERROR_IO, "%s: cannot open: %s", path, strerror(errno));
    wr_status status = read_stream_into(f, path, place, user, out, err);
    fclose(f); /* read-only: a close failure loses nothing */
    return status;
}

typedef struct heap_place {
    const char* path;
    void* data;
} heap_place;

static wr_status place_in_heap(void* user, const wr_array* layout, void** data, wr_error* err) {
    heap_place* heap = user;
    *data = NULL;
    if (layout->byte_size == 0) return WR_OK;
    *data = heap->data = malloc(layout->byte_size);
    return *data != NULL ? WR_OK : out_of_memory(heap->path, layout->byte_size, err);
}

wr_status wr_npy_read(const char* path, wr_array* out, wr_error* err) {
    heap_place heap = {.path = path};
    wr_status status = wr_npy_read_into(path, place_in_heap, &heap, out, err);
    if (status != WR_OK) free(heap.data);
    return status;
}

wr_status wr_npy_parse(const void* bytes, size_t size, const char* name, wr_array* out,
                       wr_error* err) {
    wr_error_clear(err);
    if (out == NULL || (bytes == NULL && size > 0))
        return wr_error_set(err, WR_ERROR_INVALID_ARGUMENT,
                            "wr_npy_parse: out is required, and bytes unless size is 0");
    *out = (wr_array){0};
    wr_array array = {0};
    size_t offset = 0;
    wr_status status = parse_header(bytes, size, name, &array, &offset, err);
    if (status != WR_OK) return status;
    if (array.byte_size > 0) {
        array.data = malloc(array.byte_size);
        if (array.data == NULL) return out_of_memory(name, array.byte_size, err);
        memcpy(array.data, (const unsigned char*)bytes + offset, array.byte_size);
    }
    *out = array;
    return WR_OK;
}

void wr_array_free(wr_array* array) {
    if (array == NULL) return;
    free(array->data);
    *array = (wr_array){0};
}

/* ---------------------------------------------------------------- writing */

static wr_status check_array(const wr_array* a, const char* path, wr_error* err) {
    size_t element_size = a != NULL ? wr_dtype_size(a->dtype) : 0;
    const char* problem = NULL;
    size_t count = 0, byte_size = 0;
    if (a == NULL) problem = "the array is NULL";
    else if (element_size == 0) problem = "the array's dtype is invalid";
    else if (a->ndim > WR_ARRAY_MAX_DIMS)
        problem = "the array has more than WR_ARRAY_MAX_DIMS dimensions";
    else if (!shape_count(a->shape, a->ndim, element_size, &count, &byte_size))
        problem = "the array's shape overflows size_t";
    else if (a->count != count) problem = "the array's count is not the product of its shape";
    else if (a->byte_size != byte_size) problem = "the array's byte_size is not count * dtype size";
    else if (a->data == NULL && byte_size > 0) problem = "the array's data is NULL";
    if (problem == NULL) return WR_OK;
    return wr_error_set(err, WR_ERROR_INVALID_ARGUMENT, "%s: cannot write: %s", path, problem);
}

/* numpy's own layout: "{'descr': ..., 'fortran_order': False, 'shape': ..., }", then spaces and
 * a newline so the data starts 64-byte aligned, as np.save does for memory-mapping. */
static size_t build_header(const wr_array* a, unsigned char* out, size_t out_size) {
    char shape[SHAPE_TEXT_MAX];
    format_shape(shape, sizeof shape, a->shape, a->ndim);
    char* dict = (char*)out + 10;
    /* one-byte types have no byte order: numpy writes '|u1' */
    int n = snprintf(dict, out_size - 10, "{'descr': '%c%s', 'fortran_order': False, 'shape': %s, }",
                     wr_dtype_size(a->dtype) == 1 ? '|' : '<', code_from_dtype(a->dtype), shape);
    size_t total = (10 + (size_t)n + 1 + NPY_ALIGN - 1) / NPY_ALIGN * NPY_ALIGN;
    size_t dict_len = total - 10;
    memcpy(out, NPY_MAGIC "\x01\x00", 8);
    out[8] = (unsigned char)(dict_len & 0xff);
    out[9] = (unsigned char)(dict_len >> 8);
    memset(dict + n, ' ', dict_len - (size_t)n - 1);
    out[total - 1] = '\n';
    return total;
}

static int write_all(int fd, const void* data, size_t size) {
    const unsigned char* p = data;
    while (size > 0) {
        ssize_t n = write(fd, p, size);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return -1;
        p += n;
        size -= (size_t)n;
    }
    return 0;
}

/* mkstemp would create the file 0600; creating it with 0666 lets the umask decide, as it does
 * for np.save. O_EXCL turns a name already taken (by another writer, or one that crashed) into
 * a retry. */
static int create_temp(const char* path, char* tmp, size_t tmp_size) {
    for (unsigned attempt = 0; attempt < 100; attempt++) {
        snprintf(tmp, tmp_size, "%s.tmp.%ld.%u", path, (long)getpid(), attempt);
        int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd >= 0 || errno != EEXIST) return fd;
    }
    return -1;
}

/* fsync before rename so a crash cannot leave `path` naming a file whose data never landed. */
static int write_temp(int fd, const unsigned char* header, size_t header_size, const wr_array* a) {
    bool ok = write_all(fd, header, header_size) == 0 &&
              write_all(fd, a->data, a->byte_size) == 0 && fsync(fd) == 0;
    int saved = errno;
    if (close(fd) != 0 && ok) return -1;
    errno = saved;
    return ok ? 0 : -1;
}

wr_status wr_npy_write(const char* path, const wr_array* array, wr_error* err) {
    wr_error_clear(err);
    if (path == NULL)
        return wr_error_set(err, WR_ERROR_INVALID_ARGUMENT, "wr_npy_write: path is NULL");
    wr_status status = check_array(array, path, err);
    if (status != WR_OK) return status;
    unsigned char header[512];
    size_t header_size = build_header(array, header, sizeof header);
    size_t tmp_size = strlen(path) + 48;
    char* tmp = malloc(tmp_size);
    if (tmp == NULL) return out_of_memory(path, tmp_size, err);
    int fd = create_temp(path, tmp, tmp_size);
    bool failed =
        fd < 0 || write_temp(fd, header, header_size, array) != 0 || rename(tmp, path) != 0;
    int saved = errno;
    if (failed && fd >= 0) unlink(tmp);
    free(tmp);
    if (failed)
        return wr_error_set(err, WR_ERROR_IO, "%s: cannot write: %s", path, strerror(saved));
    return WR_OK;
}
