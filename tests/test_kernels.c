/* Integration tests: real kernels on one implementation (argv[1]: dawn or wgpu), checked against
 * C references on random inputs. Run once per implementation, they also exercise every
 * webgpu.h entry point wgslrun loads, so a header/ABI mismatch fails here. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "wgslrun.h"
#include "integration.h"

static float next_f32(void) {
    return next_unit() * 2.0f - 1.0f;
}

static wr_buffer* make_buffer(wr_context* ctx, const void* data, size_t size, wr_buffer_kind kind, const char* label) {
    wr_buffer* buffer = NULL;
    wr_status status = wr_buffer_create(ctx, &(wr_buffer_desc){.size = size, .kind = kind, .label = label}, &buffer);
    CHECK_MSG(status == WR_OK, "create %s: %s", label, wr_context_error(ctx));
    if (status == WR_OK && data != NULL) {
        status = wr_buffer_upload(ctx, buffer, 0, data, size);
        CHECK_MSG(status == WR_OK, "upload %s: %s", label, wr_context_error(ctx));
    }
    return buffer;
}

static wr_kernel* make_kernel(wr_context* ctx, const char* source, const char* entry) {
    wr_kernel* kernel = NULL;
    wr_status status = wr_kernel_create(ctx, &(wr_kernel_desc){.source = source, .source_name = "test.wgsl", .entry = entry}, &kernel);
    CHECK_MSG(status == WR_OK, "kernel %s: %s", entry ? entry : "", wr_context_error(ctx));
    return kernel;
}

/* ---------------------------------------------------------------- element-wise */

static const char saxpy_wgsl[] =
    "struct Params { a : f32, n : u32 }\n"
    "@group(0) @binding(0) var<storage, read> x : array<f32>;\n"
    "@group(0) @binding(1) var<storage, read_write> y : array<f32>;\n"
    "@group(0) @binding(2) var<uniform> params : Params;\n"
    "@compute @workgroup_size(64)\n"
    "fn main(@builtin(global_invocation_id) id : vec3<u32>, @builtin(num_workgroups) groups : vec3<u32>) {\n"
    "  let i = id.x + id.y * groups.x * 64u;\n"
    "  if (i < params.n) { y[i] = params.a * x[i] + y[i]; }\n"
    "}\n";

static void test_saxpy(wr_context* ctx, size_t n) {
    float* x = malloc(n * sizeof *x);
    float* y = malloc(n * sizeof *y);
    float* out = malloc(n * sizeof *out);
    for (size_t i = 0; i < n; i++) x[i] = next_f32(), y[i] = next_f32();
    struct { float a; uint32_t n; } params = {next_f32() * 4.0f, (uint32_t)n};
    wr_kernel* kernel = make_kernel(ctx, saxpy_wgsl, NULL);
    wr_buffer* bx = make_buffer(ctx, x, n * 4, WR_BUFFER_STORAGE, "x");
    wr_buffer* by = make_buffer(ctx, y, n * 4, WR_BUFFER_STORAGE, "y");
    wr_buffer* bp = make_buffer(ctx, &params, sizeof params, WR_BUFFER_UNIFORM, "params");
    wr_binding bindings[] = {{.name = "x", .buffer = bx}, {.index = 1, .buffer = by}, {.name = "params", .buffer = bp}};
    wr_timing timing = {0};
    wr_status status = wr_dispatch(ctx, &(wr_dispatch_desc){.kernel = kernel, .bindings = bindings, .binding_count = 3, .problem_size = {n}}, &timing);
    CHECK_MSG(status == WR_OK, "saxpy: %s", wr_context_error(ctx));
    CHECK(timing.wall_ms > 0);
    CHECK(wr_buffer_download(ctx, by, 0, out, n * 4) == WR_OK);
    size_t wrong = 0;
    for (size_t i = 0; i < n; i++) {
        float expected = params.a * x[i] + y[i];
        if (fabsf(out[i] - expected) > 1e-5f * (1.0f + fabsf(expected))) wrong++;
    }
    CHECK_MSG(wrong == 0, "saxpy n=%zu: %zu wrong elements", n, wrong);
    wr_buffer_destroy(bx), wr_buffer_destroy(by), wr_buffer_destroy(bp), wr_kernel_destroy(kernel);
    free(x), free(y), free(out);
}

/* ---------------------------------------------------------------- reduction with atomics */

static const char reduce_wgsl[] =
    "@group(0) @binding(0) var<storage, read> values : array<u32>;\n"
    "@group(0) @binding(1) var<storage, read_write> total : atomic<u32>;\n"
    "var<workgroup> partial : array<u32, 256>;\n"
    "@compute @workgroup_size(256)\n"
    "fn main(@builtin(global_invocation_id) id : vec3<u32>, @builtin(local_invocation_index) lid : u32) {\n"
    "  partial[lid] = select(0u, values[id.x], id.x < arrayLength(&values));\n"
    "  workgroupBarrier();\n"
    "  for (var stride = 128u; stride > 0u; stride = stride / 2u) {\n"
    "    if (lid < stride) { partial[lid] = partial[lid] + partial[lid + stride]; }\n"
    "    workgroupBarrier();\n"
    "  }\n"
    "  if (lid == 0u) { atomicAdd(&total, partial[0]); }\n"
    "}\n";

static void test_reduction(wr_context* ctx, size_t n) {
    uint32_t* values = malloc(n * sizeof *values);
    uint32_t expected = 0;
    for (size_t i = 0; i < n; i++) values[i] = next_u32() & 0xffff, expected += values[i];
    uint32_t zero = 0, total = 1;
    wr_kernel* kernel = make_kernel(ctx, reduce_wgsl, "main");
    wr_buffer* bv = make_buffer(ctx, values, n * 4, WR_BUFFER_STORAGE, "values");
    wr_buffer* bt = make_buffer(ctx, &zero, 4, WR_BUFFER_STORAGE, "total");
    wr_binding bindings[] = {{.name = "values", .buffer = bv}, {.name = "total", .buffer = bt}};
    wr_status status = wr_dispatch(ctx, &(wr_dispatch_desc){.kernel = kernel, .bindings = bindings, .binding_count = 2, .problem_size = {n}}, NULL);
    CHECK_MSG(status == WR_OK, "reduce: %s", wr_context_error(ctx));
    CHECK(wr_buffer_download(ctx, bt, 0, &total, 4) == WR_OK);
    CHECK_MSG(total == expected, "reduction of %zu: got %u, expected %u", n, total, expected);
    wr_buffer_destroy(bv), wr_buffer_destroy(bt), wr_kernel_destroy(kernel);
    free(values);
}

/* ---------------------------------------------------------------- two kernels, one submission */

static const char two_stage_wgsl[] =
    "@group(0) @binding(0) var<storage, read_write> data : array<f32>;\n"
    "@group(0) @binding(1) var<storage, read_write> squares : array<f32>;\n"
    "@compute @workgroup_size(64) fn scale(@builtin(global_invocation_id) id : vec3<u32>) {\n"
    "  if (id.x < arrayLength(&data)) { data[id.x] = data[id.x] * 3.0 + 1.0; }\n"
    "}\n"
    "@compute @workgroup_size(64) fn square(@builtin(global_invocation_id) id : vec3<u32>) {\n"
    "  if (id.x < arrayLength(&data)) { squares[id.x] = data[id.x] * data[id.x]; }\n"
    "}\n";

static void test_two_kernels(wr_context* ctx, size_t n, bool pass_per_dispatch) {
    float* data = malloc(n * 4);
    float* out = malloc(n * 4);
    for (size_t i = 0; i < n; i++) data[i] = next_f32();
    wr_kernel* scale = make_kernel(ctx, two_stage_wgsl, "scale");
    wr_kernel* square = make_kernel(ctx, two_stage_wgsl, "square");
    wr_buffer* bd = make_buffer(ctx, data, n * 4, WR_BUFFER_STORAGE, "data");
    wr_buffer* bs = make_buffer(ctx, NULL, n * 4, WR_BUFFER_STORAGE, "squares");
    wr_binding only_data[] = {{.name = "data", .buffer = bd}};
    wr_binding both[] = {{.name = "data", .buffer = bd}, {.name = "squares", .buffer = bs}};
    wr_batch* batch = NULL;
    CHECK(wr_batch_create(ctx, &(wr_batch_desc){.pass_per_dispatch = pass_per_dispatch, .gpu_timing = true}, &batch) == WR_OK);
    /* `scale` reaches only `data`; binding `squares` too is allowed and ignored. */
    CHECK_MSG(wr_batch_add(ctx, batch, &(wr_dispatch_desc){.kernel = scale, .bindings = only_data, .binding_count = 1, .problem_size = {n}}) == WR_OK,
              "%s", wr_context_error(ctx));
    CHECK_MSG(wr_batch_add(ctx, batch, &(wr_dispatch_desc){.kernel = square, .bindings = both, .binding_count = 2, .problem_size = {n}}) == WR_OK,
              "%s", wr_context_error(ctx));
    wr_timing timing = {0};
    CHECK_MSG(wr_batch_run(ctx, batch, 2, &timing) == WR_OK, "%s", wr_context_error(ctx));
    if (wr_context_info(ctx)->has_timestamps) CHECK_MSG(timing.gpu_ms > 0, "gpu_ms %f", timing.gpu_ms);
    CHECK(wr_buffer_download(ctx, bs, 0, out, n * 4) == WR_OK);
    size_t wrong = 0;
    for (size_t i = 0; i < n; i++) {
        float once = data[i] * 3.0f + 1.0f, twice = once * 3.0f + 1.0f;
        if (fabsf(out[i] - twice * twice) > 1e-4f * (1.0f + twice * twice)) wrong++;
    }
    CHECK_MSG(wrong == 0, "two kernels x2 (pass per dispatch %d): %zu wrong", pass_per_dispatch, wrong);
    wr_batch_destroy(batch);
    wr_buffer_destroy(bd), wr_buffer_destroy(bs), wr_kernel_destroy(scale), wr_kernel_destroy(square);
    free(data), free(out);
}

/* ---------------------------------------------------------------- transfers */

static void test_large_transfer(wr_context* ctx) {
    /* Larger than two staging chunks and not a multiple of one, so chunking is exercised. */
    size_t size = ((size_t)80 << 20) + 4096;
    uint32_t* in = malloc(size);
    uint32_t* out = malloc(size);
    for (size_t i = 0; i < size / 4; i++) in[i] = next_u32();
    wr_buffer* b = make_buffer(ctx, in, size, WR_BUFFER_STORAGE, "big");
    memset(out, 0xab, size);
    CHECK_MSG(wr_buffer_download(ctx, b, 0, out, size) == WR_OK, "%s", wr_context_error(ctx));
    CHECK_MSG(memcmp(in, out, size) == 0, "80 MB round trip differs");
    /* A partial, offset read through the same staging buffers. */
    memset(out, 0, 4096);
    CHECK(wr_buffer_download(ctx, b, 1 << 20, out, 4096) == WR_OK);
    CHECK(memcmp(in + (1 << 18), out, 4096) == 0);
    wr_buffer_destroy(b);
    free(in), free(out);
}

/* Zero-copy mappings: data through them, then every misuse is refused and nothing breaks. */
static void test_mapped_transfers(wr_context* ctx) {
    size_t n = ((size_t)40 << 20) / 4 + 1000; /* over one staging chunk: no chunking here */
    float* x = malloc(n * 4);
    for (size_t i = 0; i < n; i++) x[i] = next_f32();
    wr_buffer* b = make_buffer(ctx, NULL, n * 4, WR_BUFFER_STORAGE, "mapped");
    void* up = NULL;
    CHECK_MSG(wr_buffer_map_upload(ctx, b, 0, n * 4, &up) == WR_OK && up != NULL, "%s", wr_context_error(ctx));
    memcpy(up, x, n * 4);
    CHECK(wr_buffer_commit_upload(ctx, b) == WR_OK);
    /* Commit twice, commit/release what is not mapped that way. */
    CHECK(wr_buffer_commit_upload(ctx, b) == WR_ERROR_INVALID_ARGUMENT);
    CHECK_CONTAINS(wr_context_error(ctx), "not mapped for upload");
    CHECK(wr_buffer_release_download(ctx, b) == WR_ERROR_INVALID_ARGUMENT);
    CHECK_CONTAINS(wr_context_error(ctx), "not mapped for download");
    /* The GPU doubles it; a download mapping sees the dispatch submitted before it. */
    wr_kernel* scale = make_kernel(ctx,
        "@group(0) @binding(0) var<storage, read_write> d : array<f32>;\n"
        "@compute @workgroup_size(64) fn main(@builtin(global_invocation_id) id : vec3<u32>,\n"
        "  @builtin(num_workgroups) g : vec3<u32>) {\n"
        "  let i = id.x + id.y * g.x * 64u; if (i < arrayLength(&d)) { d[i] = d[i] * 2.0; } }\n", NULL);
    wr_binding binding = {.name = "d", .buffer = b};
    CHECK(wr_dispatch(ctx, &(wr_dispatch_desc){.kernel = scale, .bindings = &binding, .binding_count = 1, .problem_size = {n}}, NULL) == WR_OK);
    const void* down = NULL;
    CHECK_MSG(wr_buffer_map_download(ctx, b, 4, (n - 1) * 4, &down) == WR_OK && down != NULL, "%s", wr_context_error(ctx));
    size_t bad = 0;
    for (size_t i = 1; i < n && down; i++) bad += ((const float*)down)[i - 1] != x[i] * 2.0f;
    CHECK_MSG(bad == 0, "%zu of %zu mapped values differ", bad, n);
    /* Map while mapped, and transfers through a mapped buffer, are refused. */
    void* again = &again;
    CHECK(wr_buffer_map_upload(ctx, b, 0, 4, &again) == WR_ERROR_INVALID_ARGUMENT && again == NULL);
    CHECK_CONTAINS(wr_context_error(ctx), "already mapped by wr_buffer_map_download");
    CHECK(wr_buffer_upload(ctx, b, 0, x, 4) == WR_ERROR_INVALID_ARGUMENT);
    CHECK_CONTAINS(wr_context_error(ctx), "release (wr_buffer_release_download) it first");
    CHECK(wr_buffer_release_download(ctx, b) == WR_OK);
    /* Bounds: past the end, unaligned, empty. */
    CHECK(wr_buffer_map_upload(ctx, b, 8, n * 4, &up) == WR_ERROR_INVALID_ARGUMENT);
    CHECK_CONTAINS(wr_context_error(ctx), "exceeds its");
    CHECK(wr_buffer_map_download(ctx, b, 2, 4, &down) == WR_ERROR_INVALID_ARGUMENT);
    CHECK_CONTAINS(wr_context_error(ctx), "multiples of 4");
    CHECK(wr_buffer_map_upload(ctx, b, 0, 0, &up) == WR_ERROR_INVALID_ARGUMENT);
    CHECK(wr_buffer_map_download(ctx, b, 0, 4, NULL) == WR_ERROR_INVALID_ARGUMENT);
    /* Ordering: an upload mapped but not committed is not seen; a small second mapping reuses
     * the staging and lands at its offset. */
    CHECK(wr_buffer_map_upload(ctx, b, 16, 8, &up) == WR_OK);
    CHECK(wr_buffer_download(ctx, b, 0, x, 4) == WR_ERROR_INVALID_ARGUMENT);
    CHECK_CONTAINS(wr_context_error(ctx), "mapped by wr_buffer_map_upload");
    uint32_t words[2] = {0xdeadbeef, 7}, back[6] = {0};
    memcpy(up, words, 8);
    CHECK(wr_buffer_commit_upload(ctx, b) == WR_OK);
    CHECK(wr_buffer_download(ctx, b, 8, back, 24) == WR_OK);
    CHECK(back[2] == 0xdeadbeef && back[3] == 7);
    /* Destroy while mapped, both ways: the mapping ends with the buffer. */
    CHECK(wr_buffer_map_upload(ctx, b, 0, 64, &up) == WR_OK);
    wr_buffer_destroy(b);
    wr_buffer* c = make_buffer(ctx, x, 64, WR_BUFFER_STORAGE, "mapped2");
    CHECK(wr_buffer_map_download(ctx, c, 0, 64, &down) == WR_OK && memcmp(down, x, 64) == 0);
    wr_buffer_destroy(c);
    wr_kernel_destroy(scale);
    free(x);
}

/* The misuses test_mapped_transfers leaves out: each is refused with a message naming it, and
 * the mapping that was open stays usable. */
static void test_mapped_misuse(wr_context* ctx) {
    enum { n = 1024 };
    uint32_t data[n], back[n];
    for (size_t i = 0; i < n; i++) data[i] = next_u32();
    wr_buffer* b = make_buffer(ctx, data, sizeof data, WR_BUFFER_STORAGE, "misuse");
    void* up = NULL, *again = &again;
    const void* down = NULL;
    /* Map twice for upload: refused, the first mapping still commits. */
    CHECK(wr_buffer_map_upload(ctx, b, 64, 64, &up) == WR_OK && up != NULL);
    CHECK(wr_buffer_map_upload(ctx, b, 0, 4, &again) == WR_ERROR_INVALID_ARGUMENT && again == NULL);
    CHECK_CONTAINS(wr_context_error(ctx), "buffer 'misuse': it is already mapped by wr_buffer_map_upload");
    CHECK(wr_buffer_release_download(ctx, b) == WR_ERROR_INVALID_ARGUMENT);
    CHECK(wr_buffer_map_download(ctx, b, 0, 4, &down) == WR_ERROR_INVALID_ARGUMENT && down == NULL);
    memset(up, 0x5a, 64);
    CHECK(wr_buffer_commit_upload(ctx, b) == WR_OK);
    memset(data + 16, 0x5a, 64);
    /* Map twice for download, commit a download mapping, release twice. */
    CHECK(wr_buffer_map_download(ctx, b, 0, sizeof data, &down) == WR_OK && memcmp(down, data, sizeof data) == 0);
    CHECK(wr_buffer_map_download(ctx, b, 0, 4, &down) == WR_ERROR_INVALID_ARGUMENT && down == NULL);
    CHECK_CONTAINS(wr_context_error(ctx), "already mapped by wr_buffer_map_download");
    CHECK(wr_buffer_commit_upload(ctx, b) == WR_ERROR_INVALID_ARGUMENT);
    CHECK_CONTAINS(wr_context_error(ctx), "not mapped for upload");
    CHECK(wr_buffer_release_download(ctx, b) == WR_OK);
    CHECK(wr_buffer_release_download(ctx, b) == WR_ERROR_INVALID_ARGUMENT);
    CHECK_CONTAINS(wr_context_error(ctx), "each mapping is released once");
    /* Zero size and ranges past the end, including one whose end overflows size_t. */
    CHECK(wr_buffer_map_download(ctx, b, 0, 0, &down) == WR_ERROR_INVALID_ARGUMENT);
    CHECK_CONTAINS(wr_context_error(ctx), "size is 0");
    CHECK(wr_buffer_map_download(ctx, b, sizeof data + 4, 4, &down) == WR_ERROR_INVALID_ARGUMENT);
    CHECK_CONTAINS(wr_context_error(ctx), "exceeds its 4096 bytes");
    CHECK(wr_buffer_map_upload(ctx, b, sizeof data, 4, &up) == WR_ERROR_INVALID_ARGUMENT);
    CHECK(wr_buffer_map_upload(ctx, b, 4, SIZE_MAX - 3, &up) == WR_ERROR_INVALID_ARGUMENT && up == NULL);
    CHECK(wr_buffer_map_upload(ctx, b, 0, 6, &up) == WR_ERROR_INVALID_ARGUMENT);
    CHECK_CONTAINS(wr_context_error(ctx), "multiples of 4");
    CHECK(wr_buffer_map_upload(ctx, NULL, 0, 4, &up) == WR_ERROR_INVALID_ARGUMENT);
    CHECK(wr_buffer_commit_upload(ctx, NULL) == WR_ERROR_INVALID_ARGUMENT);
    CHECK(wr_buffer_release_download(ctx, NULL) == WR_ERROR_INVALID_ARGUMENT);
    /* None of that changed the buffer. */
    CHECK(wr_buffer_download(ctx, b, 0, back, sizeof back) == WR_OK && memcmp(back, data, sizeof data) == 0);
    wr_buffer_destroy(b);
}

/* Ordering: a dispatch submitted while an upload is mapped runs on the old data, the commit
 * lands after it; a larger mapping after a commit still in flight grows the staging. */
static void test_mapped_ordering(wr_context* ctx) {
    enum { n = 4096 };
    uint32_t data[n], fresh[n], back[n];
    for (size_t i = 0; i < n; i++) data[i] = next_u32() >> 1, fresh[i] = next_u32() >> 1;
    wr_buffer* b = make_buffer(ctx, data, sizeof data, WR_BUFFER_STORAGE, "ordering");
    wr_kernel* inc = make_kernel(ctx,
        "@group(0) @binding(0) var<storage, read_write> d : array<u32>;\n"
        "@compute @workgroup_size(64) fn main(@builtin(global_invocation_id) id : vec3<u32>) {\n"
        "  if (id.x < arrayLength(&d)) { d[id.x] = d[id.x] + 1u; } }\n", NULL);
    wr_binding binding = {.name = "d", .buffer = b};
    wr_dispatch_desc dispatch = {.kernel = inc, .bindings = &binding, .binding_count = 1, .problem_size = {n}};
    void* up = NULL;
    CHECK(wr_buffer_map_upload(ctx, b, 0, sizeof data / 2, &up) == WR_OK);
    memcpy(up, fresh, sizeof data / 2);
    CHECK_MSG(wr_dispatch(ctx, &dispatch, NULL) == WR_OK, "%s", wr_context_error(ctx));
    CHECK(wr_buffer_commit_upload(ctx, b) == WR_OK);
    CHECK(wr_buffer_download(ctx, b, 0, back, sizeof back) == WR_OK);
    size_t bad = 0;
    for (size_t i = 0; i < n; i++) bad += back[i] != (i < n / 2 ? fresh[i] : data[i] + 1);
    CHECK_MSG(bad == 0, "%zu of %d values are not the commit after the dispatch", bad, n);
    CHECK(wr_buffer_map_upload(ctx, b, 0, sizeof fresh, &up) == WR_OK);
    memcpy(up, fresh, sizeof fresh);
    CHECK(wr_buffer_commit_upload(ctx, b) == WR_OK);
    CHECK(wr_dispatch(ctx, &dispatch, NULL) == WR_OK);
    const void* down = NULL;
    CHECK(wr_buffer_map_download(ctx, b, 0, sizeof back, &down) == WR_OK && down != NULL);
    bad = 0;
    for (size_t i = 0; i < n && down; i++) bad += ((const uint32_t*)down)[i] != fresh[i] + 1;
    CHECK_MSG(bad == 0, "%zu of %d values missed the grown mapping or the dispatch after it", bad, n);
    /* Destroyed while mapped for download after a dispatch: the mapping ends with the buffer. */
    wr_buffer_destroy(b);
    wr_kernel_destroy(inc);
}

/* Every wait mode and a small staging chunk with one copy thread give the same results. */
static void test_wait_modes(const char* impl) {
    static const char* const modes[] = {"default", "spin", "block", "sleep"};
    for (size_t m = 0; m < 4; m++) {
        wr_error err;
        wr_context* ctx = NULL;
        wr_context_desc desc = {.impl = impl, .wait_mode = wr_wait_mode_parse(modes[m]), .wait_timeout_s = 60,
                                .staging_chunk_bytes = m == 3 ? 1 << 20 : 0, .copy_threads = m == 3 ? 1 : 0};
        CHECK_MSG(wr_context_create(&desc, &ctx, &err) == WR_OK, "%s: %s", modes[m], err.message);
        if (ctx == NULL) continue;
        test_saxpy(ctx, 1000);
        size_t size = (size_t)3 << 20;
        uint32_t* in = malloc(size);
        uint32_t* out = calloc(1, size);
        for (size_t i = 0; i < size / 4; i++) in[i] = next_u32();
        wr_buffer* b = make_buffer(ctx, in, size, WR_BUFFER_STORAGE, "modes");
        wr_context_reset_transfer_stats(ctx);
        CHECK(wr_buffer_download(ctx, b, 0, out, size) == WR_OK && memcmp(in, out, size) == 0);
        wr_transfer_stats stats;
        wr_context_transfer_stats(ctx, &stats);
        CHECK_MSG(stats.download_bytes == (double)size && stats.chunks == (m == 3 ? 3u : 1u) && stats.host_copy_ms > 0,
                  "%s: %g bytes, %llu chunks", modes[m], stats.download_bytes, (unsigned long long)stats.chunks);
        wr_buffer_destroy(b);
        free(in), free(out);
        wr_context_destroy(ctx);
    }
    wr_error err;
    wr_context* ctx = NULL;
    CHECK(wr_wait_mode_parse("nap") == -1);
    CHECK(wr_context_create(&(wr_context_desc){.impl = impl, .wait_timeout_s = -1}, &ctx, &err) == WR_ERROR_INVALID_ARGUMENT);
    CHECK_CONTAINS(err.message, "wait_timeout_s must be >= 0");
}

/* ---------------------------------------------------------------- errors */

static void test_errors(wr_context* ctx) {
    wr_kernel* kernel = NULL;
    wr_status status = wr_kernel_create(ctx, &(wr_kernel_desc){.source = "@compute @workgroup_size(1) fn main() {\n  let x : f32 = 1u;\n}\n", .source_name = "bad.wgsl"}, &kernel);
    CHECK(status == WR_ERROR_COMPILE);
    CHECK_CONTAINS(wr_context_error(ctx), "bad.wgsl:2:");
    CHECK_CONTAINS(wr_context_error(ctx), "error");

    status = wr_kernel_create(ctx, &(wr_kernel_desc){.source = saxpy_wgsl, .source_name = "s.wgsl", .entry = "nope"}, &kernel);
    CHECK(status == WR_ERROR_COMPILE);
    CHECK_CONTAINS(wr_context_error(ctx), "entry point 'nope' not found");

    status = wr_kernel_create(ctx, &(wr_kernel_desc){.source = saxpy_wgsl, .constants = &(wr_constant){"missing", 1}, .constant_count = 1}, &kernel);
    CHECK(status == WR_ERROR_COMPILE);
    CHECK_CONTAINS(wr_context_error(ctx), "'missing' is not an `override`");

    kernel = make_kernel(ctx, saxpy_wgsl, NULL);
    wr_buffer* small = make_buffer(ctx, NULL, 4, WR_BUFFER_STORAGE, "tiny");
    wr_buffer* uniform = make_buffer(ctx, NULL, 4, WR_BUFFER_UNIFORM, "params4");
    wr_binding missing[] = {{.name = "x", .buffer = small}};
    status = wr_dispatch(ctx, &(wr_dispatch_desc){.kernel = kernel, .bindings = missing, .binding_count = 1, .workgroups = {1}}, NULL);
    CHECK(status == WR_ERROR_BINDING);
    CHECK_CONTAINS(wr_context_error(ctx), "binding 'y'");
    CHECK_CONTAINS(wr_context_error(ctx), "is not bound");

    wr_binding unknown[] = {{.name = "zzz", .buffer = small}};
    status = wr_dispatch(ctx, &(wr_dispatch_desc){.kernel = kernel, .bindings = unknown, .binding_count = 1, .workgroups = {1}}, NULL);
    CHECK(status == WR_ERROR_BINDING);
    CHECK_CONTAINS(wr_context_error(ctx), "declares no binding 'zzz'");

    wr_binding too_small[] = {{.name = "x", .buffer = small}, {.name = "y", .buffer = small}, {.name = "params", .buffer = uniform}};
    status = wr_dispatch(ctx, &(wr_dispatch_desc){.kernel = kernel, .bindings = too_small, .binding_count = 3, .workgroups = {1}}, NULL);
    CHECK(status == WR_ERROR_BINDING);
    CHECK_CONTAINS(wr_context_error(ctx), "needs at least 8 bytes");

    uint32_t limit = wr_context_info(ctx)->limits.max_compute_workgroups_per_dimension;
    wr_buffer* params = make_buffer(ctx, NULL, 8, WR_BUFFER_UNIFORM, "params");
    wr_binding ok[] = {{.name = "x", .buffer = small}, {.name = "y", .buffer = small}, {.name = "params", .buffer = params}};
    status = wr_dispatch(ctx, &(wr_dispatch_desc){.kernel = kernel, .bindings = ok, .binding_count = 3, .workgroups = {limit + 1u}}, NULL);
    CHECK(status == WR_ERROR_LIMIT);
    CHECK_CONTAINS(wr_context_error(ctx), "exceed the device limit");

    /* A 1D problem beyond one dimension's limit is folded into y, not refused. */
    uint32_t counts[3];
    uint64_t huge = (uint64_t)limit * 64 * 3;
    CHECK(wr_dispatch_resolve(ctx, &(wr_dispatch_desc){.kernel = kernel, .problem_size = {huge}}, counts) == WR_OK);
    CHECK_MSG(counts[0] == limit && counts[1] == 3 && counts[2] == 1, "%u %u %u", counts[0], counts[1], counts[2]);
    uint64_t just_over = ((uint64_t)limit + 1) * 64;
    CHECK(wr_dispatch_resolve(ctx, &(wr_dispatch_desc){.kernel = kernel, .problem_size = {just_over}}, counts) == WR_OK);
    CHECK_MSG(counts[1] == 2 && counts[0] == (limit + 2) / 2 && (uint64_t)counts[0] * counts[1] * 64 >= just_over,
              "%u %u %u", counts[0], counts[1], counts[2]);

    wr_buffer* too_big = NULL;
    status = wr_buffer_create(ctx, &(wr_buffer_desc){.size = (size_t)wr_context_info(ctx)->limits.max_buffer_size + 4, .label = "huge"}, &too_big);
    CHECK(status == WR_ERROR_LIMIT && too_big == NULL);
    CHECK_CONTAINS(wr_context_error(ctx), "maxBufferSize");

    wr_buffer_destroy(small), wr_buffer_destroy(uniform), wr_buffer_destroy(params), wr_kernel_destroy(kernel);
}

/* Issue 15 through the library: an @id override set by id and by name, a runtime-array struct
 * that needs its rounded size (20 bytes refused, 32 needed), and a @binding index that two
 * entry points' resources share, resolved to the one the chosen entry uses. */
static const char issue15_wgsl[] =
    "struct Samples { gain : vec4<f32>, values : array<f32> }\n"
    "@id(5) override boost : f32 = 1.0;\n"
    "@group(0) @binding(0) var<storage, read_write> s : Samples;\n"
    "@group(0) @binding(0) var<storage, read_write> other : array<u32>;\n"
    "@compute @workgroup_size(4) fn scale(@builtin(global_invocation_id) id : vec3<u32>) {\n"
    "  if (id.x < arrayLength(&s.values)) { s.values[id.x] = s.values[id.x] * s.gain[id.x] * boost; }\n"
    "}\n"
    "@compute @workgroup_size(1) fn mark() { other[0] = 7u; }\n";

static void run_issue15(wr_context* ctx, const char* key, float boost) {
    wr_kernel* kernel = NULL;
    wr_status status = wr_kernel_create(ctx, &(wr_kernel_desc){.source = issue15_wgsl, .source_name = "i15.wgsl", .entry = "scale",
                                                               .constants = &(wr_constant){key, boost}, .constant_count = 1}, &kernel);
    CHECK_MSG(status == WR_OK, "%s: %s", key, wr_context_error(ctx));
    if (status != WR_OK) return;
    float data[8] = {0};
    for (int i = 0; i < 8; i++) data[i] = next_f32();
    wr_buffer* small = make_buffer(ctx, data, 20, WR_BUFFER_STORAGE, "small");
    wr_buffer* buffer = make_buffer(ctx, data, 32, WR_BUFFER_STORAGE, "samples");
    wr_binding by_index = {.index = 0, .buffer = small};
    status = wr_dispatch(ctx, &(wr_dispatch_desc){.kernel = kernel, .bindings = &by_index, .binding_count = 1, .workgroups = {1}}, NULL);
    CHECK(status == WR_ERROR_BINDING);
    CHECK_CONTAINS(wr_context_error(ctx), "binding 's' (line 3, Samples) needs at least 32 bytes, buffer 'small' provides 20");
    by_index.buffer = buffer;
    status = wr_dispatch(ctx, &(wr_dispatch_desc){.kernel = kernel, .bindings = &by_index, .binding_count = 1, .workgroups = {1}}, NULL);
    CHECK_MSG(status == WR_OK, "%s", wr_context_error(ctx));
    float out[8];
    CHECK(wr_buffer_download(ctx, buffer, 0, out, sizeof out) == WR_OK);
    bool same = true;
    for (int i = 0; i < 4; i++) same &= out[i] == data[i] && fabsf(out[4 + i] - data[4 + i] * data[i] * boost) < 1e-6f;
    CHECK_MSG(same, "constant %s", key);
    wr_buffer_destroy(small), wr_buffer_destroy(buffer), wr_kernel_destroy(kernel);
}

static void test_issue15(wr_context* ctx) {
    run_issue15(ctx, "5", 3.0f);
    run_issue15(ctx, "boost", -2.0f);
}

static void test_context_errors(const char* impl) {
    wr_error err;
    wr_context* ctx = NULL;
    CHECK(wr_context_create(&(wr_context_desc){.impl = "vulkan-magic"}, &ctx, &err) == WR_ERROR_LOAD && ctx == NULL);
    CHECK_CONTAINS(err.message, "unknown implementation 'vulkan-magic'");
    CHECK(wr_context_create(&(wr_context_desc){.impl = impl, .deps_dir = "/nonexistent"}, &ctx, &err) == WR_ERROR_LOAD);
    CHECK_CONTAINS(err.message, "scripts/setup.sh");
    CHECK(wr_context_create(&(wr_context_desc){.impl = impl, .adapter = "no-such-adapter"}, &ctx, &err) == WR_ERROR_ADAPTER);
    CHECK_CONTAINS(err.message, "no adapter matches 'no-such-adapter'");
    CHECK(wr_context_create(&(wr_context_desc){.impl = impl, .adapter = "0"}, &ctx, &err) == WR_OK);
    wr_context_destroy(ctx);
}

/* Every default in one place: what wr_context_desc_defaults fills in is what a context uses,
 * a caller's values are kept, and the environment plays no part. */
static void test_context_settings(const char* impl) {
    setenv("WGSLRUN_IMPL", "no-such-impl", 1);
    setenv("WGSLRUN_DEPS", "/nonexistent", 1);
    wr_context_desc d = wr_context_desc_defaults(NULL);
    CHECK(strcmp(d.impl, "dawn") == 0 && d.deps_dir != NULL && strcmp(d.deps_dir, "/nonexistent") != 0);
    CHECK(d.adapter == NULL && !d.default_limits && !d.no_timestamps && d.wait_mode == WR_WAIT_DEFAULT);
    CHECK(d.wait_timeout_s == 120 && d.staging_chunk_bytes == (size_t)32 << 20 && d.copy_threads == 8);
    CHECK(d.dawn_toggles == NULL && d.dawn_toggle_count == 0);
    static const char* const toggles[] = {"disable_robustness"};
    d = wr_context_desc_defaults(&(wr_context_desc){.impl = impl, .deps_dir = "/x", .wait_timeout_s = 2.5,
                                                    .staging_chunk_bytes = 5001, .copy_threads = 40,
                                                    .dawn_toggles = toggles, .dawn_toggle_count = 1});
    CHECK(strcmp(d.impl, impl) == 0 && strcmp(d.deps_dir, "/x") == 0 && d.wait_timeout_s == 2.5);
    CHECK(d.staging_chunk_bytes == 5004 && d.copy_threads == 16 && d.dawn_toggles == toggles);
    CHECK(wr_context_desc_defaults(&(wr_context_desc){.staging_chunk_bytes = 100}).staging_chunk_bytes == 4096);

    /* The environment set above would fail both, were it read. */
    wr_error err;
    wr_context* ctx = NULL;
    CHECK_MSG(wr_context_create(&(wr_context_desc){.dawn_toggles = toggles, .dawn_toggle_count = 1}, &ctx, &err) == WR_OK,
              "%s", err.message);
    CHECK(ctx != NULL && strcmp(wr_context_info(ctx)->impl_name, "dawn") == 0);
    wr_context_destroy(ctx);
    unsetenv("WGSLRUN_IMPL");
    unsetenv("WGSLRUN_DEPS");
    ctx = NULL;
    CHECK(wr_context_create(&(wr_context_desc){.impl = impl, .dawn_toggle_count = 1}, &ctx, &err) == WR_ERROR_INVALID_ARGUMENT);
    CHECK_CONTAINS(err.message, "dawn_toggles[0] of 1 is NULL or empty");
    CHECK(ctx == NULL);
}

static void test_info(wr_context* ctx, const char* impl) {
    const wr_adapter_info* info = wr_context_info(ctx);
    CHECK(strcmp(info->impl_name, impl) == 0);
    CHECK(info->device[0] != '\0');
    CHECK(strcmp(info->backend, "unknown") != 0);
    /* Values read through the header's WGPULimits must be plausible for any implementation. */
    CHECK(info->limits.max_compute_invocations_per_workgroup >= 256);
    CHECK(info->limits.max_compute_workgroup_size[0] >= 256);
    CHECK(info->limits.max_compute_workgroups_per_dimension >= 65535);
    CHECK(info->limits.max_storage_buffer_binding_size >= ((uint64_t)128 << 20));
    CHECK(info->limits.max_buffer_size >= info->limits.max_storage_buffer_binding_size);
    CHECK(info->limits.min_storage_buffer_offset_alignment >= 4 && info->limits.min_storage_buffer_offset_alignment <= 256);
}

int main(int argc, char** argv) {
    const char* impl;
    wr_context* ctx = open_test_context(argc, argv, &impl);
    if (ctx == NULL) return check_summary();
    test_info(ctx, impl);
    const size_t sizes[] = {1, 63, 64, 1000, 65536 + 17};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) test_saxpy(ctx, sizes[i]);
    test_reduction(ctx, 1);
    test_reduction(ctx, 100003);
    test_two_kernels(ctx, 5000, false);
    test_two_kernels(ctx, 5000, true);
    test_large_transfer(ctx);
    test_mapped_transfers(ctx);
    test_mapped_misuse(ctx);
    test_mapped_ordering(ctx);
    test_errors(ctx);
    test_issue15(ctx);
    wr_context_destroy(ctx);
    test_context_errors(impl);
    test_context_settings(impl);
    test_wait_modes(impl);
    return check_summary();
}
