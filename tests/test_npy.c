/* Tests of the .npy codec: round trips, byte images laid out per numpy's format spec, every
 * rejection with its message, a mutation fuzz of the parser, and the writer's atomicity. */
#include "wgslrun.h"

#include "check.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static char tmp_dir[64];

/* ---------------------------------------------------------------- helpers */

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;

static uint64_t rng_next(void) {
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

static void fill_random(void* data, size_t size) {
    unsigned char* p = data;
    for (size_t i = 0; i < size; i++) p[i] = (unsigned char)rng_next();
}

static const char* tmp_path(const char* name) {
    static char path[256];
    snprintf(path, sizeof path, "%s/%s", tmp_dir, name);
    return path;
}

static size_t count_dir_entries(const char* dir) {
    DIR* d = opendir(dir);
    if (d == NULL) return (size_t)-1;
    size_t n = 0;
    for (struct dirent* e; (e = readdir(d)) != NULL;)
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) n++;
    closedir(d);
    return n;
}

static void empty_dir(const char* dir) {
    DIR* d = opendir(dir);
    if (d == NULL) return;
    for (struct dirent* e; (e = readdir(d)) != NULL;) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
        char path[512];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (remove(path) != 0) {
            empty_dir(path);
            remove(path);
        }
    }
    closedir(d);
}

static unsigned char* slurp(const char* path, size_t* size) {
    FILE* f = fopen(path, "rb");
    if (f == NULL) return NULL;
    unsigned char* data = malloc(1 << 20);
    *size = fread(data, 1, 1 << 20, f);
    fclose(f);
    return data;
}

static bool file_exists(const char* path) { return access(path, F_OK) == 0; }

/* A .npy image per the spec: magic, version, little-endian header length (u16 for 1.0, u32
 * after), the dict, spaces and '\n' up to a multiple of `align` (none when align is 0), data. */
static size_t make_npy(unsigned char* out, unsigned major, const char* dict, size_t align,
                       const void* data, size_t data_size) {
    size_t length_bytes = major == 1 ? 2 : 4, prefix = 8 + length_bytes;
    size_t dict_len = strlen(dict) + 1;
    if (align > 0) dict_len = (prefix + dict_len + align - 1) / align * align - prefix;
    memcpy(out, "\x93NUMPY", 6);
    out[6] = (unsigned char)major;
    out[7] = 0;
    for (size_t i = 0; i < length_bytes; i++) out[8 + i] = (unsigned char)(dict_len >> (8 * i));
    memset(out + prefix, ' ', dict_len);
    memcpy(out + prefix, dict, strlen(dict));
    out[prefix + dict_len - 1] = '\n';
    if (data_size > 0) memcpy(out + prefix + dict_len, data, data_size);
    return prefix + dict_len + data_size;
}

/* Parses a hand-made image and expects a failure of `status` whose message holds `needle`. */
static void expect_parse_error(const void* bytes, size_t size, wr_status status,
                               const char* needle) {
    wr_array a;
    wr_error err;
    wr_status got = wr_npy_parse(bytes, size, "data.npy", &a, &err);
    CHECK_MSG(got == status, "status %d, wanted %d (%s)", (int)got, (int)status, err.message);
    CHECK(err.status == status);
    CHECK_CONTAINS(err.message, needle);
    CHECK_MSG(strncmp(err.message, "data.npy: ", 10) == 0, "\"%s\" lacks the file name",
              err.message);
    CHECK(a.data == NULL && a.count == 0);
    wr_array_free(&a);
}

static void expect_dict_error(const char* dict, const char* needle) {
    unsigned char image[1024];
    static const float data[64];
    size_t size = make_npy(image, 1, dict, 64, data, sizeof data);
    expect_parse_error(image, size, WR_ERROR_FORMAT, needle);
}

static void expect_dict_ok(const char* dict, wr_dtype dtype, uint32_t ndim, size_t count) {
    unsigned char image[1024];
    float data[16];
    fill_random(data, sizeof data);
    size_t size = make_npy(image, 1, dict, 64, data, sizeof data);
    wr_array a;
    wr_error err;
    wr_status status = wr_npy_parse(image, size, "data.npy", &a, &err);
    CHECK_MSG(status == WR_OK, "%s: %s", dict, err.message);
    CHECK_MSG(a.dtype == dtype && a.ndim == ndim && a.count == count, "%s", dict);
    CHECK(a.byte_size == count * wr_dtype_size(dtype));
    CHECK(a.byte_size == 0 || memcmp(a.data, data, a.byte_size) == 0);
    wr_array_free(&a);
}

/* ---------------------------------------------------------------- round trips */

static void check_same(const wr_array* a, const wr_array* b) {
    CHECK(a->dtype == b->dtype);
    CHECK(a->ndim == b->ndim);
    CHECK(memcmp(a->shape, b->shape, a->ndim * sizeof a->shape[0]) == 0);
    CHECK(a->count == b->count);
    CHECK(a->byte_size == b->byte_size);
    CHECK(a->byte_size == 0 || memcmp(a->data, b->data, a->byte_size) == 0);
}

static void round_trip(wr_dtype dtype, uint32_t ndim, const size_t* shape) {
    wr_array a = {.dtype = dtype, .ndim = ndim, .count = 1};
    for (uint32_t i = 0; i < ndim; i++) {
        a.shape[i] = shape[i];
        a.count *= shape[i];
    }
    a.byte_size = a.count * wr_dtype_size(dtype);
    a.data = a.byte_size > 0 ? malloc(a.byte_size) : NULL;
    fill_random(a.data, a.byte_size);

    wr_error err;
    const char* path = tmp_path("round.npy");
    wr_status status = wr_npy_write(path, &a, &err);
    CHECK_MSG(status == WR_OK, "%s", err.message);
    wr_array b;
    status = wr_npy_read(path, &b, &err);
    CHECK_MSG(status == WR_OK, "%s", err.message);
    check_same(&a, &b);
    wr_array_free(&b);

    size_t size = 0;
    unsigned char* bytes = slurp(path, &size);
    CHECK(bytes != NULL && (size - a.byte_size) % 64 == 0);
    CHECK(bytes != NULL && bytes[size - a.byte_size - 1] == '\n');
    status = wr_npy_parse(bytes, size, path, &b, &err);
    CHECK_MSG(status == WR_OK, "%s", err.message);
    check_same(&a, &b);
    wr_array_free(&b);
    free(bytes);
    free(a.data);
    remove(path);
}

static void test_round_trips(void) {
    static const size_t shapes[][WR_ARRAY_MAX_DIMS] = {
        {0}, {0}, {1}, {5}, {2, 3, 4}, {3, 0, 2}, {2, 1, 2, 1, 2, 1, 2, 3}, {1000},
    };
    static const uint32_t ndims[] = {0, 1, 1, 1, 3, 3, 8, 1};
    static const wr_dtype dtypes[] = {WR_DTYPE_F16, WR_DTYPE_F32, WR_DTYPE_F64, WR_DTYPE_I32,
                                      WR_DTYPE_U32, WR_DTYPE_U8};
    for (size_t d = 0; d < sizeof dtypes / sizeof dtypes[0]; d++)
        for (size_t s = 0; s < sizeof ndims / sizeof ndims[0]; s++)
            round_trip(dtypes[d], ndims[s], shapes[s]);
    CHECK(count_dir_entries(tmp_dir) == 0);
}

/* ---------------------------------------------------------------- reading spec images */

#define SPACES10 "          "

/* Byte for byte what np.save(f, np.arange(3, dtype='<f4')) writes. */
static const char numpy_arange3_f4[] =
    "\x93NUMPY\x01\x00\x76\x00"
    "{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }" SPACES10 SPACES10 SPACES10
    SPACES10 SPACES10 SPACES10 "\n"
    "\x00\x00\x00\x00" "\x00\x00\x80\x3f" "\x00\x00\x00\x40";

static void test_numpy_image(void) {
    wr_array a;
    wr_error err;
    size_t size = sizeof numpy_arange3_f4 - 1;
    CHECK(size == 140);
    CHECK(wr_npy_parse(numpy_arange3_f4, size, "arange.npy", &a, &err) == WR_OK);
    CHECK(a.dtype == WR_DTYPE_F32 && a.ndim == 1 && a.shape[0] == 3 && a.count == 3);
    CHECK(a.byte_size == 12);
    float expected[3] = {0.0f, 1.0f, 2.0f};
    CHECK(a.data != NULL && memcmp(a.data, expected, sizeof expected) == 0);

    /* the writer must produce the same bytes numpy does */
    const char* path = tmp_path("arange.npy");
    CHECK(wr_npy_write(path, &a, &err) == WR_OK);
    size_t written_size = 0;
    unsigned char* written = slurp(path, &written_size);
    CHECK(written != NULL && written_size == size && memcmp(written, numpy_arange3_f4, size) == 0);
    free(written);
    remove(path);
    wr_array_free(&a);

    unsigned char image[256];
    CHECK(make_npy(image, 1, "{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }", 64,
                   expected, sizeof expected) == size);
    CHECK(memcmp(image, numpy_arange3_f4, size) == 0);
}

static void test_versions(void) {
    unsigned char image[1024];
    double data[6];
    fill_random(data, sizeof data);
    const char* dict = "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }";
    struct { unsigned major; size_t align; } cases[] = {{1, 64}, {1, 16}, {1, 0}, {2, 64},
                                                        {2, 0},  {3, 64}, {3, 7}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t size = make_npy(image, cases[i].major, dict, cases[i].align, data, sizeof data);
        wr_array a;
        wr_error err;
        wr_status status = wr_npy_parse(image, size, "v.npy", &a, &err);
        CHECK_MSG(status == WR_OK, "version %u align %zu: %s", cases[i].major, cases[i].align,
                  err.message);
        CHECK(a.dtype == WR_DTYPE_F64 && a.ndim == 2 && a.shape[0] == 2 && a.shape[1] == 3);
        CHECK(a.data != NULL && memcmp(a.data, data, sizeof data) == 0);
        wr_array_free(&a);
    }
    /* a version 2.0 header longer than a u16 can count */
    char* long_dict = malloc(70000);
    strcpy(long_dict, "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }");
    size_t dict_len = strlen(long_dict);
    memset(long_dict + dict_len, ' ', 69000);
    long_dict[dict_len + 69000] = '\0';
    unsigned char* big = malloc(80000);
    size_t size = make_npy(big, 2, long_dict, 64, data, sizeof data);
    wr_array a;
    wr_error err;
    CHECK(wr_npy_parse(big, size, "v2.npy", &a, &err) == WR_OK);
    CHECK(a.count == 6 && a.data != NULL && memcmp(a.data, data, sizeof data) == 0);
    wr_array_free(&a);
    free(big);
    free(long_dict);
}

static void test_header_variants(void) {
    expect_dict_ok("{'descr': '<f2', 'fortran_order': False, 'shape': (), }", WR_DTYPE_F16, 0, 1);
    expect_dict_ok("{'descr': '<i4', 'fortran_order': False, 'shape': (0,), }", WR_DTYPE_I32, 1, 0);
    expect_dict_ok("{'descr': '<u4', 'fortran_order': False, 'shape': (2, 0, 3), }", WR_DTYPE_U32,
                   3, 0);
    expect_dict_ok("{\"shape\" : ( 2 ,3 ) ,\"fortran_order\":False,\"descr\":\"<i4\"}",
                   WR_DTYPE_I32, 2, 6);
    expect_dict_ok("{'descr':'<f4','fortran_order':False,'shape':(4,)}", WR_DTYPE_F32, 1, 4);
    expect_dict_ok("{'descr': '<f4', 'fortran_order': False, 'shape': (2L, 3L), }", WR_DTYPE_F32,
                   2, 6);
    expect_dict_ok("{'descr': '|f4', 'fortran_order': False, 'shape': (4,), }", WR_DTYPE_F32, 1, 4);
    expect_dict_ok("{'descr': '=f8', 'fortran_order': False, 'shape': (4,), }", WR_DTYPE_F64, 1, 4);
    expect_dict_ok("{'descr': 'u4', 'fortran_order': False, 'shape': (4,), }", WR_DTYPE_U32, 1, 4);
    /* Fortran order lays out the same bytes as C order when at most one dimension exceeds 1 */
    expect_dict_ok("{'descr': '<f4', 'fortran_order': True, 'shape': (1, 5, 1), }", WR_DTYPE_F32,
                   3, 5);
    expect_dict_ok("{'descr': '<f4', 'fortran_order': True, 'shape': (), }", WR_DTYPE_F32, 0, 1);
    /* bytes after the data are ignored, as np.load ignores them */
    expect_dict_ok("{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }", WR_DTYPE_F32, 1, 3);
}

/* ---------------------------------------------------------------- rejections */

static void test_preamble_errors(void) {
    expect_parse_error("", 0, WR_ERROR_FORMAT, "data.npy: not a .npy file (bad magic)");
    expect_parse_error(NULL, 0, WR_ERROR_FORMAT, "not a .npy file (bad magic)");
    expect_parse_error("\x93NUMP", 5, WR_ERROR_FORMAT, "not a .npy file (bad magic)");
    expect_parse_error("PK\x03\x04 a zip, not a npy", 24, WR_ERROR_FORMAT, "bad magic");
    expect_parse_error("\x93NUMPY\x01", 7, WR_ERROR_FORMAT, "ends inside the preamble");
    expect_parse_error("\x93NUMPY\x02\x00\x10\x00\x00", 11, WR_ERROR_FORMAT,
                       "ends inside the preamble");
    expect_parse_error("\x93NUMPY\x04\x00\x10\x00", 10, WR_ERROR_FORMAT,
                       "unsupported .npy format version 4.0 (supported: 1.0, 2.0, 3.0)");
    expect_parse_error("\x93NUMPY\x01\x01\x10\x00", 10, WR_ERROR_FORMAT, "version 1.1");
    expect_parse_error("\x93NUMPY\x00\x00\x10\x00", 10, WR_ERROR_FORMAT, "version 0.0");

    unsigned char image[256];
    size_t size = make_npy(image, 1, "{'descr': '<f4', 'fortran_order': False, 'shape': (), }", 64,
                           "\0\0\0\0", 4);
    image[8] = 0xff; /* header length 0x00ff runs past the file's 132 bytes */
    expect_parse_error(image, size, WR_ERROR_FORMAT,
                       "malformed .npy header: it claims 255 bytes but the file has only 122");
    size = make_npy(image, 2, "{'descr': '<f4', 'fortran_order': False, 'shape': (), }", 64,
                    "\0\0\0\0", 4);
    image[11] = 0xff; /* a u32 length near 4 GiB */
    expect_parse_error(image, size, WR_ERROR_FORMAT, "it claims 4278190196 bytes");
}

static void test_dtype_errors(void) {
    expect_dict_error("{'descr': '>f4', 'fortran_order': False, 'shape': (3,), }",
                      "data.npy: big-endian dtype '>f4' is unsupported; convert it with "
                      "a.astype('<f4')");
    expect_dict_error("{'descr': '>u4', 'fortran_order': False, 'shape': (3,), }", "astype('<u4')");
    expect_dict_error("{'descr': '<i8', 'fortran_order': False, 'shape': (3,), }",
                      "data.npy: unsupported dtype '<i8'; supported dtypes: '<f2', '<f4', '<f8', "
                      "'<i4', '<u4'");
    expect_dict_error("{'descr': '>i8', 'fortran_order': False, 'shape': (3,), }",
                      "unsupported dtype '>i8'");
    expect_dict_error("{'descr': '|b1', 'fortran_order': False, 'shape': (3,), }",
                      "unsupported dtype '|b1'");
    expect_dict_error("{'descr': '|O', 'fortran_order': False, 'shape': (3,), }",
                      "unsupported dtype '|O'");
    expect_dict_error("{'descr': '', 'fortran_order': False, 'shape': (3,), }",
                      "unsupported dtype ''");
    expect_dict_error("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (3,), }",
                      "structured dtypes are unsupported");
    expect_dict_error("{'descr': 5, 'fortran_order': False, 'shape': (3,), }",
                      "'descr' must be a short string");
    expect_dict_error("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3), }",
                      "data.npy: Fortran-order arrays are unsupported; save with "
                      "np.ascontiguousarray");
    expect_dict_error("{'descr': '<f4', 'fortran_order': 1, 'shape': (3,), }",
                      "'fortran_order' must be True or False");
    expect_dict_error("{'descr': '<f4', 'fortran_order': Falsey, 'shape': (3,), }",
                      "'fortran_order' must be True or False");
}

static void test_dict_errors(void) {
    expect_dict_error("{'fortran_order': False, 'shape': (3,), }", "missing key 'descr'");
    expect_dict_error("{'descr': '<f4', 'shape': (3,), }", "missing key 'fortran_order'");
    expect_dict_error("{'descr': '<f4', 'fortran_order': False, }", "missing key 'shape'");
    expect_dict_error("{}", "malformed .npy header: missing key 'descr'");
    expect_dict_error("{'descr': '<f4', 'fortran_order': False, 'shape': (3,), 'x': 1}",
                      "unexpected key 'x'");
    expect_dict_error("{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, 'shape': (3,)}",
                      "duplicate key 'descr'");
    expect_dict_error("'descr': '<f4'", "expected '{'");
    expect_dict_error("", "expected '{'");
    expect_dict_error("{'descr' '<f4'}", "expected ':' after a key");
    expect_dict_error("{descr: '<f4'}", "expected a quoted key");
    expect_dict_error("{'descr': '<f4' 'fortran_order': False}", "expected ',' or '}'");
    expect_dict_error("{'descr': '<f4', 'fortran_order': False, 'shape': (3,)",
                      "expected ',' or '}'");
    expect_dict_error("{'descr': '<f4', 'fortran_order': False, 'shape': (3,)} x",
                      "unexpected text after the dict");
    expect_dict_error("{'descr': '<f4\\n', 'fortran_order': False, 'shape': (3,)}",
                      "'descr' must be a short string");
    expect_dict_error("{'desc\x01r': '<f4', 'fortran_order': False, 'shape': (3,)}",
                      "expected a quoted key");
    expect_dict_error("{'descr': '<f4", "'descr' must be a short string");
}

static void test_shape_errors(void) {
    static const char* const bad[] = {"(3)", "[3]", "3", "(-1,)", "(3.0,)", "(,)", "(1,,2)",
                                      "(1 2)", "(1e3,)", "('3',)", "(3,"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char dict[128];
        snprintf(dict, sizeof dict, "{'descr': '<f4', 'fortran_order': False, 'shape': %s}",
                 bad[i]);
        expect_dict_error(dict, "data.npy: malformed .npy header: ");
    }
    expect_dict_error("{'descr': '<f4', 'fortran_order': False, 'shape': (3)}",
                      "'shape' (N) is not a tuple; numpy writes (N,)");
    expect_dict_error("{'descr': '<f4', 'fortran_order': False, 'shape': [3]}",
                      "'shape' must be a tuple such as (2, 3)");
    expect_dict_error("{'descr': '<f4', 'fortran_order': False, 'shape': (-1,)}",
                      "'shape' must hold non-negative integers");
    expect_dict_error("{'descr': '<f4', 'fortran_order': False, 'shape': (1 2)}",
                      "expected ',' or ')' in 'shape'");
    expect_dict_error("{'descr': '<f4', 'fortran_order': False, "
                      "'shape': (99999999999999999999999,)}",
                      "a 'shape' dimension overflows size_t");
    expect_dict_error("{'descr': '<f4', 'fortran_order': False, "
                      "'shape': (4294967296, 4294967296)}",
                      "data.npy: shape (4294967296, 4294967296) is too large: its size overflows");
    /* the element size can overflow a count that fits */
    expect_dict_error("{'descr': '<f8', 'fortran_order': False, 'shape': (4611686018427387904,)}",
                      "shape (4611686018427387904,) is too large");
    expect_dict_error("{'descr': '<f4', 'fortran_order': False, 'shape': (1,1,1,1,1,1,1,1,1)}",
                      "data.npy: the array has more than 8 dimensions");
    /* a zero dimension empties the array however large the rest is */
    expect_dict_ok("{'descr': '<f4', 'fortran_order': False, 'shape': (0, 18446744073709551615)}",
                   WR_DTYPE_F32, 2, 0);
}

static void test_truncated_data(void) {
    unsigned char image[256];
    size_t size = make_npy(image, 1, "{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }",
                           64, "\0\0\0\0\0\0\0\0\0\0\0\0", 12);
    expect_parse_error(image, size - 4, WR_ERROR_FORMAT,
                       "data.npy: truncated: header says 12 bytes of data, file has 8");
    expect_parse_error(image, size - 12, WR_ERROR_FORMAT,
                       "header says 12 bytes of data, file has 0");
    /* a huge claimed shape must fail on the size check, not on an allocation */
    size = make_npy(image, 1, "{'descr': '<f8', 'fortran_order': False, 'shape': (1000000000000,)}",
                    64, "", 0);
    expect_parse_error(image, size, WR_ERROR_FORMAT,
                       "truncated: header says 8000000000000 bytes of data, file has 0");
    /* every prefix of a valid image fails cleanly */
    size = make_npy(image, 1, "{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }", 64,
                    "\0\0\0\0\0\0\0\0\0\0\0\0", 12);
    int failures = 0;
    for (size_t cut = 0; cut < size; cut++) {
        wr_array a;
        wr_error err;
        unsigned char* copy = malloc(cut + 1); /* exact size, so ASan sees any overread */
        memcpy(copy, image, cut);
        if (wr_npy_parse(copy, cut, "cut.npy", &a, &err) != WR_ERROR_FORMAT) failures++;
        free(copy);
    }
    CHECK_MSG(failures == 0, "%d prefixes did not fail with WR_ERROR_FORMAT", failures);
}

/* Random mutations of valid images: each must parse or fail with WR_ERROR_FORMAT, and never
 * read outside the (exactly sized) buffer. */
static void test_fuzz(void) {
    static const char* const dicts[] = {
        "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }",
        "{'descr': '<u4', 'fortran_order': False, 'shape': (6,), }",
        "{'descr': '<f2', 'fortran_order': False, 'shape': (), }",
    };
    static const char alphabet[] = "{}()[],:' \"\n0123456789L<>|=fiuTrueFalse\x93\x00\xff";
    unsigned char seed[256], data[24] = {0};
    int bad = 0, parsed = 0;
    for (int iteration = 0; iteration < 30000; iteration++) {
        size_t size = make_npy(seed, 1 + (unsigned)(rng_next() % 3), dicts[rng_next() % 3],
                               rng_next() % 2 ? 64 : 0, data, sizeof data);
        for (int m = 1 + (int)(rng_next() % 4); m > 0; m--) {
            size_t at = (size_t)(rng_next() % size);
            seed[at] = rng_next() % 2 ? (unsigned char)rng_next()
                                      : (unsigned char)alphabet[rng_next() % (sizeof alphabet - 1)];
        }
        size_t cut = rng_next() % 4 == 0 ? (size_t)(rng_next() % (size + 1)) : size;
        unsigned char* copy = malloc(cut + 1);
        memcpy(copy, seed, cut);
        wr_array a;
        wr_error err;
        wr_status status = wr_npy_parse(copy, cut, "fuzz.npy", &a, &err);
        if (status == WR_OK) {
            parsed++;
            if (a.byte_size != a.count * wr_dtype_size(a.dtype) || a.byte_size > cut) bad++;
        } else if (status != WR_ERROR_FORMAT || strncmp(err.message, "fuzz.npy: ", 10) != 0) {
            bad++;
        }
        wr_array_free(&a);
        free(copy);
    }
    CHECK_MSG(bad == 0, "%d mutated images misbehaved", bad);
    CHECK(parsed > 0);
}

static void test_read_errors(void) {
    wr_array a;
    wr_error err;
    const char* missing = tmp_path("missing.npy");
    CHECK(wr_npy_read(missing, &a, &err) == WR_ERROR_IO);
    CHECK(err.status == WR_ERROR_IO);
    char expected[512];
    snprintf(expected, sizeof expected, "%s: cannot open: %s", missing, strerror(ENOENT));
    CHECK_CONTAINS(err.message, expected);
    CHECK(a.data == NULL);
    wr_array_free(&a);

    CHECK(wr_npy_read(tmp_dir, &a, &err) == WR_ERROR_IO);
    CHECK_CONTAINS(err.message, tmp_dir);
    CHECK(strstr(err.message, "cannot open") != NULL || strstr(err.message, "cannot read") != NULL);

    const char* path = tmp_path("short.npy");
    FILE* f = fopen(path, "wb");
    fwrite(numpy_arange3_f4, 1, sizeof numpy_arange3_f4 - 3, f);
    fclose(f);
    CHECK(wr_npy_read(path, &a, &err) == WR_ERROR_FORMAT);
    CHECK_CONTAINS(err.message, "short.npy: truncated: header says 12 bytes of data, file has 10");
    remove(path);

    CHECK(wr_npy_read(NULL, &a, &err) == WR_ERROR_INVALID_ARGUMENT);
    CHECK(wr_npy_parse(NULL, 4, "x", &a, &err) == WR_ERROR_INVALID_ARGUMENT);
    CHECK(wr_npy_parse("", 0, "x", NULL, &err) == WR_ERROR_INVALID_ARGUMENT);
    /* err and name may be NULL */
    CHECK(wr_npy_parse("", 0, NULL, &a, NULL) == WR_ERROR_FORMAT);
}

static void test_read_file(void) {
    /* a file larger than stdio's buffers, read through wr_npy_read, data correctly placed */
    wr_array a = {.dtype = WR_DTYPE_F64, .ndim = 2, .shape = {300, 217}, .count = 300 * 217};
    a.byte_size = a.count * 8;
    a.data = malloc(a.byte_size);
    fill_random(a.data, a.byte_size);
    wr_error err;
    const char* path = tmp_path("big.npy");
    CHECK(wr_npy_write(path, &a, &err) == WR_OK);
    /* trailing bytes after the data are ignored */
    FILE* f = fopen(path, "ab");
    fputs("trailing", f);
    fclose(f);
    wr_array b;
    CHECK_MSG(wr_npy_read(path, &b, &err) == WR_OK, "%s", err.message);
    check_same(&a, &b);
    CHECK(err.status == WR_OK);
    wr_array_free(&b);
    free(a.data);
    remove(path);
}

/* wr_npy_read_into: the data lands in the placed memory; a placement that fails, a file that
 * is short and a pipe that ends early are errors with the memory left to its owner. */
typedef struct fixed_place {
    unsigned char memory[64];
    size_t calls;
    bool refuse;
} fixed_place;

static wr_status place_fixed(void* user, const wr_array* layout, void** data, wr_error* err) {
    fixed_place* p = user;
    p->calls++;
    if (p->refuse || layout->byte_size > sizeof p->memory) {
        snprintf(err->message, sizeof err->message, "no room for %zu bytes", layout->byte_size);
        return err->status = WR_ERROR_OUT_OF_MEMORY;
    }
    memset(p->memory, 0xee, sizeof p->memory);
    *data = p->memory;
    return WR_OK;
}

static void test_read_into(void) {
    char path[256], fifo[256];
    snprintf(path, sizeof path, "%s", tmp_path("into.npy"));
    snprintf(fifo, sizeof fifo, "%s", tmp_path("into.fifo"));
    FILE* f = fopen(path, "wb");
    fwrite(numpy_arange3_f4, 1, sizeof numpy_arange3_f4, f);
    fclose(f);
    fixed_place p = {0};
    wr_array a;
    wr_error err;
    CHECK_MSG(wr_npy_read_into(path, place_fixed, &p, &a, &err) == WR_OK, "%s", err.message);
    const float expected[3] = {0.0f, 1.0f, 2.0f};
    CHECK(a.data == p.memory && a.dtype == WR_DTYPE_F32 && a.count == 3 && a.byte_size == 12);
    CHECK(memcmp(p.memory, expected, 12) == 0 && p.memory[12] == 0xee);
    p.refuse = true;
    CHECK(wr_npy_read_into(path, place_fixed, &p, &a, &err) == WR_ERROR_OUT_OF_MEMORY && a.data == NULL);
    CHECK_CONTAINS(err.message, "no room for 12 bytes");
    /* Short: refused from the file's size, before placing. */
    f = fopen(path, "wb");
    fwrite(numpy_arange3_f4, 1, sizeof numpy_arange3_f4 - 5, f);
    fclose(f);
    p = (fixed_place){0};
    CHECK(wr_npy_read_into(path, place_fixed, &p, &a, &err) == WR_ERROR_FORMAT && p.calls == 0);
    CHECK_CONTAINS(err.message, "into.npy: truncated: header says 12 bytes of data, file has 8");
    /* Through a pipe the size is unknown: placed, then the data runs short. */
    CHECK(mkfifo(fifo, 0600) == 0);
    pid_t child = fork();
    if (child == 0) {
        FILE* w = fopen(fifo, "wb");
        fwrite(numpy_arange3_f4, 1, sizeof numpy_arange3_f4 - 5, w);
        fclose(w);
        _exit(0);
    }
    CHECK(wr_npy_read_into(fifo, place_fixed, &p, &a, &err) == WR_ERROR_FORMAT && p.calls == 1 && a.data == NULL);
    CHECK_CONTAINS(err.message, "truncated: header says 12 bytes of data, file has 8");
    int child_status = 0;
    waitpid(child, &child_status, 0);
    CHECK(wr_npy_read_into(path, NULL, &p, &a, &err) == WR_ERROR_INVALID_ARGUMENT);
    remove(fifo);
    remove(path);
}

static void test_free(void) {
    wr_array a = {0};
    wr_array_free(&a);
    wr_array_free(&a);
    wr_array_free(NULL);
    a.data = malloc(0);
    wr_array_free(&a);
    CHECK(a.data == NULL);
}

/* ---------------------------------------------------------------- writing */

static wr_array small_array(float* storage) {
    for (int i = 0; i < 6; i++) storage[i] = (float)i;
    return (wr_array){.dtype = WR_DTYPE_F32, .ndim = 2, .shape = {2, 3}, .count = 6,
                      .byte_size = 24, .data = storage};
}

static void expect_invalid_write(const wr_array* a, const char* needle) {
    wr_error err;
    const char* path = tmp_path("invalid.npy");
    CHECK(wr_npy_write(path, a, &err) == WR_ERROR_INVALID_ARGUMENT);
    CHECK(err.status == WR_ERROR_INVALID_ARGUMENT);
    CHECK_CONTAINS(err.message, needle);
    CHECK(!file_exists(path));
}

static void test_write_validation(void) {
    float storage[6];
    wr_array a = small_array(storage);
    expect_invalid_write(NULL, "the array is NULL");
    a.dtype = WR_DTYPE_INVALID;
    expect_invalid_write(&a, "dtype is invalid");
    a.dtype = (wr_dtype)99;
    expect_invalid_write(&a, "dtype is invalid");
    a = small_array(storage);
    a.byte_size = 20;
    expect_invalid_write(&a, "byte_size is not count * dtype size");
    a = small_array(storage);
    a.count = 5;
    expect_invalid_write(&a, "count is not the product of its shape");
    a = small_array(storage);
    a.data = NULL;
    expect_invalid_write(&a, "data is NULL");
    a = small_array(storage);
    a.ndim = WR_ARRAY_MAX_DIMS + 1;
    expect_invalid_write(&a, "more than WR_ARRAY_MAX_DIMS dimensions");
    a = (wr_array){.dtype = WR_DTYPE_U32, .ndim = 2, .shape = {SIZE_MAX / 2, 4}};
    expect_invalid_write(&a, "shape overflows");
    wr_error err;
    a = small_array(storage);
    CHECK(wr_npy_write(NULL, &a, &err) == WR_ERROR_INVALID_ARGUMENT);

    /* an empty array needs no data */
    a = (wr_array){.dtype = WR_DTYPE_F32, .ndim = 1, .shape = {0}};
    CHECK(wr_npy_write(tmp_path("empty.npy"), &a, NULL) == WR_OK);
    wr_array b;
    CHECK(wr_npy_read(tmp_path("empty.npy"), &b, &err) == WR_OK);
    CHECK(b.ndim == 1 && b.shape[0] == 0 && b.count == 0 && b.byte_size == 0);
    wr_array_free(&b);
    remove(tmp_path("empty.npy"));
}

static void test_write_io_errors(void) {
    float storage[6];
    wr_array a = small_array(storage);
    wr_error err;
    CHECK(wr_npy_write("/nonexistent-dir/x.npy", &a, &err) == WR_ERROR_IO);
    CHECK(err.status == WR_ERROR_IO);
    char expected[256];
    snprintf(expected, sizeof expected, "/nonexistent-dir/x.npy: cannot write: %s",
             strerror(ENOENT));
    CHECK_CONTAINS(err.message, expected);
    CHECK(!file_exists("/nonexistent-dir/x.npy"));
    CHECK(!file_exists("/nonexistent-dir"));

    /* renaming over a directory fails after the temporary is written: it must be removed */
    const char* dir = tmp_path("a-directory");
    CHECK(mkdir(dir, 0755) == 0);
    CHECK(wr_npy_write(dir, &a, &err) == WR_ERROR_IO);
    CHECK_CONTAINS(err.message, "a-directory: cannot write: ");
    CHECK(count_dir_entries(tmp_dir) == 1);
    rmdir(dir);
}

/* A size limit makes write() fail halfway through the data, the case of a full disk. */
static void test_write_fails_midway(void) {
    float storage[6];
    wr_array old = small_array(storage);
    const char* path = tmp_path("kept.npy");
    wr_error err;
    CHECK(wr_npy_write(path, &old, &err) == WR_OK);

    size_t count = 100000;
    float* values = calloc(count, sizeof *values);
    wr_array big = {.dtype = WR_DTYPE_F32, .ndim = 1, .shape = {count}, .count = count,
                    .byte_size = count * sizeof *values, .data = values};
    struct rlimit saved;
    CHECK(getrlimit(RLIMIT_FSIZE, &saved) == 0);
    void (*previous)(int) = signal(SIGXFSZ, SIG_IGN);
    struct rlimit limited = {.rlim_cur = 4096, .rlim_max = saved.rlim_max};
    CHECK(setrlimit(RLIMIT_FSIZE, &limited) == 0);
    wr_status status = wr_npy_write(path, &big, &err);
    CHECK(setrlimit(RLIMIT_FSIZE, &saved) == 0);
    signal(SIGXFSZ, previous);

    CHECK(status == WR_ERROR_IO);
    char expected[512];
    snprintf(expected, sizeof expected, "%s: cannot write: %s", path, strerror(EFBIG));
    CHECK_CONTAINS(err.message, expected);
    CHECK(count_dir_entries(tmp_dir) == 1); /* no temporary left behind */
    wr_array back;
    CHECK(wr_npy_read(path, &back, &err) == WR_OK);
    check_same(&old, &back); /* the old file is untouched */
    wr_array_free(&back);
    free(values);
    remove(path);
}

static void test_overwrite_is_atomic(void) {
    float first_values[6], second_values[6];
    wr_array first = small_array(first_values);
    wr_array second = small_array(second_values);
    fill_random(second_values, sizeof second_values);
    second.dtype = WR_DTYPE_U32;
    const char* path = tmp_path("replaced.npy");
    wr_error err;
    CHECK(wr_npy_write(path, &first, &err) == WR_OK);

    /* a reader that opened the old file keeps seeing all of it: the new file replaced the old
     * by rename, it was not truncated and rewritten in place */
    size_t old_size = 0;
    unsigned char* old_bytes = slurp(path, &old_size);
    FILE* reader = fopen(path, "rb");
    CHECK(wr_npy_write(path, &second, &err) == WR_OK);
    unsigned char seen[256];
    size_t seen_size = reader != NULL ? fread(seen, 1, sizeof seen, reader) : 0;
    CHECK(seen_size == old_size && old_bytes != NULL && memcmp(seen, old_bytes, old_size) == 0);
    if (reader != NULL) fclose(reader);
    free(old_bytes);

    wr_array back;
    CHECK(wr_npy_read(path, &back, &err) == WR_OK);
    check_same(&second, &back);
    wr_array_free(&back);
    CHECK(count_dir_entries(tmp_dir) == 1);

    /* the new file's mode comes from the umask, as np.save's does (mkstemp would give 0600) */
    mode_t previous = umask(022);
    CHECK(wr_npy_write(path, &first, &err) == WR_OK);
    umask(previous);
    struct stat st;
    CHECK(stat(path, &st) == 0 && (st.st_mode & 0777) == 0644);
    remove(path);
}

int main(void) {
    snprintf(tmp_dir, sizeof tmp_dir, "/tmp/test_npy.XXXXXX");
    if (mkdtemp(tmp_dir) == NULL) {
        perror("mkdtemp");
        return 1;
    }
    test_round_trips();
    test_numpy_image();
    test_versions();
    test_header_variants();
    test_preamble_errors();
    test_dtype_errors();
    test_dict_errors();
    test_shape_errors();
    test_truncated_data();
    test_fuzz();
    test_read_errors();
    test_read_file();
    test_read_into();
    test_free();
    test_write_validation();
    test_write_io_errors();
    test_write_fails_midway();
    test_overwrite_is_atomic();
    empty_dir(tmp_dir);
    rmdir(tmp_dir);
    return check_summary();
}
