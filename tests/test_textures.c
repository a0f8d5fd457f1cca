/* Texture and sampler integration tests on one implementation (argv[1]: dawn or wgpu): storage
 * textures of every format wgslrun creates, written, read-written and read by kernels computing
 * a known function of random texels; sampled textures with nearest (exact) and linear
 * (tolerance) sampling; transfers with and without row padding; binding errors. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "wgslrun.h"
#include "integration.h"

/* ---------------------------------------------------------------- half precision */

static uint16_t to_f16(float value) {
    uint32_t bits;
    memcpy(&bits, &value, 4);
    uint32_t sign = (bits >> 16) & 0x8000u, exponent = (bits >> 23) & 0xffu, mantissa = bits & 0x7fffffu;
    if (exponent < 113) return (uint16_t)sign; /* the tests use values in [0, 4): no subnormals */
    uint32_t half = ((exponent - 112) << 10) | (mantissa >> 13);
    uint32_t rest = mantissa & 0x1fffu;
    if (rest > 0x1000u || (rest == 0x1000u && (half & 1u))) half++;
    return (uint16_t)(sign | half);
}

static float from_f16(uint16_t h) {
    uint32_t exponent = (h >> 10) & 0x1fu, mantissa = h & 0x3ffu;
    float value = exponent == 0 ? ldexpf((float)mantissa, -24) : ldexpf((float)(mantissa | 0x400u), (int)exponent - 25);
    return (h & 0x8000u) ? -value : value;
}

/* ---------------------------------------------------------------- texels as doubles */

/* Random texels for `format`: floats in [0, 1), integers over their range, bytes. */
static void fill_random(wr_texture_format format, void* data, size_t channels) {
    for (size_t i = 0; i < channels; i++) {
        switch (wr_texture_format_dtype(format)) {
        case WR_DTYPE_U8: ((uint8_t*)data)[i] = (uint8_t)next_u32(); break;
        case WR_DTYPE_F16: ((uint16_t*)data)[i] = to_f16(next_unit()); break;
        case WR_DTYPE_F32: ((float*)data)[i] = next_unit(); break;
        default: ((uint32_t*)data)[i] = next_u32() * 65537u; break;
        }
    }
}

/* The kernels' function: 1 - v for unorm, 2v + 0.25 for floats, 3v + 7 (wrapping) for
 * integers; `data` holds the input texel channel, the result is what the texture stores. */
static double expected_channel(wr_texture_format format, const void* data, size_t i) {
    switch (wr_texture_format_dtype(format)) {
    case WR_DTYPE_U8: return 255 - ((const uint8_t*)data)[i];
    case WR_DTYPE_F16: return from_f16(to_f16(from_f16(((const uint16_t*)data)[i]) * 2.0f + 0.25f));
    case WR_DTYPE_F32: return ((const float*)data)[i] * 2.0f + 0.25f;
    case WR_DTYPE_I32: return (int32_t)((uint32_t)((const int32_t*)data)[i] * 3u + 7u);
    default: return (uint32_t)(((const uint32_t*)data)[i] * 3u + 7u);
    }
}

static double channel_value(wr_texture_format format, const void* data, size_t i) {
    switch (wr_texture_format_dtype(format)) {
    case WR_DTYPE_U8: return ((const uint8_t*)data)[i];
    case WR_DTYPE_F16: return from_f16(((const uint16_t*)data)[i]);
    case WR_DTYPE_F32: return ((const float*)data)[i];
    case WR_DTYPE_I32: return ((const int32_t*)data)[i];
    default: return ((const uint32_t*)data)[i];
    }
}

static const char* texel_function(wr_texture_format format) {
    switch (wr_texture_format_sample_type(format)) {
    case WR_DTYPE_U32: return "v * 3u + 7u";
    case WR_DTYPE_I32: return "v * 3i + 7i";
    default: return format == WR_TEXTURE_FORMAT_RGBA8UNORM ? "vec4f(1.0) - v" : "v * 2.0 + 0.25";
    }
}

/* ---------------------------------------------------------------- helpers */

static wr_texture* make_texture(wr_context* ctx, wr_texture_format format, uint32_t w, uint32_t h, const void* data,
                                const char* label) {
    wr_texture* texture = NULL;
    wr_status status = wr_texture_create(ctx, &(wr_texture_desc){.width = w, .height = h, .format = format, .label = label},
                                         &texture);
    CHECK_MSG(status == WR_OK, "create %s %s: %s", label, wr_texture_format_name(format), wr_context_error(ctx));
    if (status == WR_OK && data != NULL) {
        status = wr_texture_upload(ctx, texture, data, wr_texture_byte_size(texture));
        CHECK_MSG(status == WR_OK, "upload %s: %s", label, wr_context_error(ctx));
    }
    return texture;
}

static wr_kernel* make_kernel(wr_context* ctx, const char* source) {
    wr_kernel* kernel = NULL;
    wr_status status = wr_kernel_create(ctx, &(wr_kernel_desc){.source = source, .source_name = "tex.wgsl"}, &kernel);
    CHECK_MSG(status == WR_OK, "kernel: %s\n%s", wr_context_error(ctx), source);
    return kernel;
}

/* Counts channels of `texture` (downloaded) that differ from the kernel's function of `input`. */
static size_t count_wrong(wr_context* ctx, wr_texture* texture, const void* input, const char* what) {
    wr_texture_format format = wr_texture_info(texture)->format;
    size_t bytes = wr_texture_byte_size(texture);
    size_t channels = bytes / wr_dtype_size(wr_texture_format_dtype(format));
    void* out = malloc(bytes);
    wr_status status = wr_texture_download(ctx, texture, out, bytes);
    CHECK_MSG(status == WR_OK, "%s: download: %s", what, wr_context_error(ctx));
    size_t wrong = 0;
    for (size_t i = 0; i < channels && status == WR_OK; i++) {
        double want = expected_channel(format, input, i), got = channel_value(format, out, i);
        double tolerance = format == WR_TEXTURE_FORMAT_R32FLOAT || format == WR_TEXTURE_FORMAT_RGBA32FLOAT ? 1e-6 : 0;
        if (fabs(got - want) > tolerance * (1 + fabs(want))) {
            if (wrong == 0) fprintf(stderr, "%s: channel %zu: got %.9g, want %.9g\n", what, i, got, want);
            wrong++;
        }
    }
    free(out);
    return status == WR_OK ? wrong : channels;
}

static wr_status dispatch2(wr_context* ctx, wr_kernel* kernel, const wr_binding* bindings, size_t count, uint32_t w,
                           uint32_t h) {
    return wr_dispatch(ctx, &(wr_dispatch_desc){.kernel = kernel, .bindings = bindings, .binding_count = count,
                                                 .problem_size = {w, h}},
                       NULL);
}

static const char* const kernel_body =
    "@compute @workgroup_size(8, 8)\n"
    "fn main(@builtin(global_invocation_id) id : vec3<u32>) {\n"
    "  let d = textureDimensions(dst);\n"
    "  if (id.x >= d.x || id.y >= d.y) { return; }\n"
    "  let p = vec2<i32>(id.xy);\n"
    "  let v = %s;\n"
    "  textureStore(dst, p, %s);\n"
    "}\n";

/* ---------------------------------------------------------------- storage textures */

/* src: texture_2d<T> (textureLoad) or texture_storage_2d<F, read>; dst: write-only storage. */
static void test_storage_write(wr_context* ctx, wr_texture_format format, uint32_t w, uint32_t h, bool read_only_src) {
    const char* name = wr_texture_format_name(format);
    const char* sample = wr_dtype_name(wr_texture_format_sample_type(format));
    char source[2048];
    int n = read_only_src
                ? snprintf(source, sizeof source, "@group(0) @binding(0) var src : texture_storage_2d<%s, read>;\n", name)
                : snprintf(source, sizeof source, "@group(0) @binding(0) var src : texture_2d<%s>;\n", sample);
    n += snprintf(source + n, sizeof source - (size_t)n, "@group(0) @binding(1) var dst : texture_storage_2d<%s, write>;\n",
                  name);
    snprintf(source + n, sizeof source - (size_t)n, kernel_body, read_only_src ? "textureLoad(src, p)" : "textureLoad(src, p, 0)",
             texel_function(format));
    size_t channels = (size_t)w * h * wr_texture_format_channels(format);
    void* input = malloc(channels * 4);
    fill_random(format, input, channels);
    wr_kernel* kernel = make_kernel(ctx, source);
    wr_texture* src = make_texture(ctx, format, w, h, input, "src");
    wr_texture* dst = make_texture(ctx, format, w, h, NULL, "dst");
    if (kernel && src && dst) {
        wr_binding bindings[] = {{.name = "src", .texture = src}, {.name = "dst", .texture = dst}};
        wr_status status = dispatch2(ctx, kernel, bindings, 2, w, h);
        CHECK_MSG(status == WR_OK, "%s %ux%u: %s", name, w, h, wr_context_error(ctx));
        char what[96];
        snprintf(what, sizeof what, "%s %ux%u%s", name, w, h, read_only_src ? " (read-only source)" : "");
        if (status == WR_OK) CHECK_MSG(count_wrong(ctx, dst, input, what) == 0, "%s: wrong texels", what);
    }
    wr_texture_destroy(src), wr_texture_destroy(dst), wr_kernel_destroy(kernel);
    free(input);
}

/* One read_write texture updated in place (WGSL core allows it for r32float/uint/sint). */
static void test_storage_read_write(wr_context* ctx, wr_texture_format format, uint32_t w, uint32_t h) {
    const char* name = wr_texture_format_name(format);
    char source[2048];
    int n = snprintf(source, sizeof source, "@group(0) @binding(0) var dst : texture_storage_2d<%s, read_write>;\n", name);
    snprintf(source + n, sizeof source - (size_t)n, kernel_body, "textureLoad(dst, p)", texel_function(format));
    size_t channels = (size_t)w * h;
    void* input = malloc(channels * 4);
    fill_random(format, input, channels);
    wr_kernel* kernel = make_kernel(ctx, source);
    wr_texture* dst = make_texture(ctx, format, w, h, input, "dst");
    if (kernel && dst) {
        wr_binding binding = {.name = "dst", .texture = dst};
        wr_status status = dispatch2(ctx, kernel, &binding, 1, w, h);
        CHECK_MSG(status == WR_OK, "%s read_write: %s", name, wr_context_error(ctx));
        if (status == WR_OK) CHECK_MSG(count_wrong(ctx, dst, input, name) == 0, "%s read_write: wrong texels", name);
    }
    wr_texture_destroy(dst), wr_kernel_destroy(kernel);
    free(input);
}

/* ---------------------------------------------------------------- sampling */

static const char sample_wgsl[] =
    "@group(0) @binding(0) var tex : texture_2d<f32>;\n"
    "@group(0) @binding(1) var smp : sampler;\n"
    "@group(0) @binding(2) var<storage, read> uv : array<vec2f>;\n"
    "@group(0) @binding(3) var<storage, read_write> result : array<vec4f>;\n"
    "@compute @workgroup_size(64)\n"
    "fn main(@builtin(global_invocation_id) id : vec3<u32>) {\n"
    "  if (id.x >= arrayLength(&uv)) { return; }\n"
    "  result[id.x] = textureSampleLevel(tex, smp, uv[id.x], 0.0);\n"
    "}\n";

static int wrap(int i, int n, wr_address_mode mode) {
    if (mode == WR_ADDRESS_CLAMP) return i < 0 ? 0 : i >= n ? n - 1 : i;
    return ((i % n) + n) % n;
}

static double texel(const uint8_t* image, int w, int h, int x, int y, int c, wr_address_mode mode) {
    return image[((size_t)wrap(y, h, mode) * (size_t)w + (size_t)wrap(x, w, mode)) * 4 + (size_t)c] / 255.0;
}

/* What the sampler should return at (u, v), per the WebGPU filtering rules. */
static double reference_sample(const uint8_t* image, int w, int h, float u, float v, int c, const wr_sampler_desc* s) {
    double x = (double)u * w, y = (double)v * h;
    if (s->filter == WR_FILTER_NEAREST) return texel(image, w, h, (int)floor(x), (int)floor(y), c, s->address);
    x -= 0.5, y -= 0.5;
    int x0 = (int)floor(x), y0 = (int)floor(y);
    double fx = x - x0, fy = y - y0;
    double top = texel(image, w, h, x0, y0, c, s->address) * (1 - fx) + texel(image, w, h, x0 + 1, y0, c, s->address) * fx;
    double bottom = texel(image, w, h, x0, y0 + 1, c, s->address) * (1 - fx) +
                    texel(image, w, h, x0 + 1, y0 + 1, c, s->address) * fx;
    return top * (1 - fy) + bottom * fy;
}

/* Points near texel centres (never on an edge, so nearest is exact), some outside [0, 1] where
 * the address mode decides. */
static void sample_points(float* uv, size_t n, int w, int h) {
    for (size_t i = 0; i < n; i++) {
        int tx = (int)(next_u32() % (uint32_t)(3 * w)) - w, ty = (int)(next_u32() % (uint32_t)(3 * h)) - h;
        uv[2 * i] = ((float)tx + 0.5f + (next_unit() - 0.5f) * 0.8f) / (float)w;
        uv[2 * i + 1] = ((float)ty + 0.5f + (next_unit() - 0.5f) * 0.8f) / (float)h;
    }
}

static wr_buffer* make_buffer(wr_context* ctx, const void* data, size_t size, const char* label) {
    wr_buffer* buffer = NULL;
    CHECK(wr_buffer_create(ctx, &(wr_buffer_desc){.size = size, .label = label}, &buffer) == WR_OK);
    if (buffer && data) CHECK(wr_buffer_upload(ctx, buffer, 0, data, size) == WR_OK);
    return buffer;
}

static void test_sampling(wr_context* ctx, wr_sampler_desc sampler_desc) {
    enum { W = 13, H = 7, N = 500 };
    uint8_t image[W * H * 4];
    float uv[2 * N], result[4 * N];
    fill_random(WR_TEXTURE_FORMAT_RGBA8UNORM, image, sizeof image);
    sample_points(uv, N, W, H);
    wr_kernel* kernel = make_kernel(ctx, sample_wgsl);
    wr_texture* tex = make_texture(ctx, WR_TEXTURE_FORMAT_RGBA8UNORM, W, H, image, "tex");
    wr_sampler* sampler = NULL;
    CHECK_MSG(wr_sampler_create(ctx, &sampler_desc, &sampler) == WR_OK, "sampler: %s", wr_context_error(ctx));
    wr_buffer* buv = make_buffer(ctx, uv, sizeof uv, "uv");
    wr_buffer* bresult = make_buffer(ctx, NULL, sizeof result, "result");
    const char* what = sampler_desc.filter == WR_FILTER_LINEAR ? "linear" : "nearest";
    if (kernel && tex && sampler && buv && bresult) {
        wr_binding bindings[] = {{.name = "tex", .texture = tex}, {.name = "smp", .sampler = sampler},
                                 {.name = "uv", .buffer = buv}, {.name = "result", .buffer = bresult}};
        wr_status status = wr_dispatch(ctx, &(wr_dispatch_desc){.kernel = kernel, .bindings = bindings, .binding_count = 4,
                                                                 .problem_size = {N}}, NULL);
        CHECK_MSG(status == WR_OK, "%s: %s", what, wr_context_error(ctx));
        CHECK(wr_buffer_download(ctx, bresult, 0, result, sizeof result) == WR_OK);
        /* Nearest is exact; linear filtering weights have 8 fractional bits on real GPUs. */
        double tolerance = sampler_desc.filter == WR_FILTER_LINEAR ? 1.0 / 128 : 1e-6;
        size_t wrong = 0;
        for (size_t i = 0; i < N * 4 && status == WR_OK; i++) {
            double want = reference_sample(image, W, H, uv[2 * (i / 4)], uv[2 * (i / 4) + 1], (int)(i % 4), &sampler_desc);
            if (fabs(result[i] - want) > tolerance) {
                if (wrong++ == 0)
                    fprintf(stderr, "%s %s: point %zu channel %zu: got %.6f, want %.6f\n", what,
                            sampler_desc.address == WR_ADDRESS_REPEAT ? "repeat" : "clamp", i / 4, i % 4, result[i], want);
            }
        }
        CHECK_MSG(wrong == 0, "%s: %zu wrong samples", what, wrong);
    }
    wr_buffer_destroy(buv), wr_buffer_destroy(bresult), wr_sampler_destroy(sampler);
    wr_texture_destroy(tex), wr_kernel_destroy(kernel);
}

/* ---------------------------------------------------------------- transfers and errors */

/* Row pitches below, at and above WebGPU's 256-byte copy alignment come back as they went. */
static void test_round_trip(wr_context* ctx) {
    const uint32_t widths[] = {1, 63, 64, 65, 300};
    for (size_t i = 0; i < sizeof widths / sizeof widths[0]; i++) {
        wr_texture* t = make_texture(ctx, WR_TEXTURE_FORMAT_RGBA8UNORM, widths[i], 5, NULL, "round");
        if (t == NULL) continue;
        size_t bytes = wr_texture_byte_size(t);
        CHECK(bytes == (size_t)widths[i] * 5 * 4);
        uint8_t* in = malloc(bytes);
        uint8_t* out = malloc(bytes);
        fill_random(WR_TEXTURE_FORMAT_RGBA8UNORM, in, bytes);
        CHECK(wr_texture_upload(ctx, t, in, bytes) == WR_OK);
        CHECK_MSG(wr_texture_download(ctx, t, out, bytes) == WR_OK, "%s", wr_context_error(ctx));
        CHECK_MSG(memcmp(in, out, bytes) == 0, "round trip of width %u differs", widths[i]);
        CHECK(wr_texture_upload(ctx, t, in, bytes - 1) == WR_ERROR_INVALID_ARGUMENT);
        CHECK_CONTAINS(wr_context_error(ctx), "upload of texture 'round'");
        free(in), free(out);
        wr_texture_destroy(t);
    }
}

static void expect_binding_error(wr_context* ctx, wr_kernel* kernel, const wr_binding* b, size_t n, const char* message) {
    wr_status status = dispatch2(ctx, kernel, b, n, 8, 8);
    CHECK_MSG(status == WR_ERROR_BINDING || status == WR_ERROR_UNSUPPORTED, "status %d for '%s'", (int)status, message);
    CHECK_CONTAINS(wr_context_error(ctx), message);
}

/* What WebGPU core refuses comes back as WR_ERROR_UNSUPPORTED naming the binding. */
static void test_refusals(wr_context* ctx) {
    wr_kernel* kernel = NULL;
    const char read_write[] = "@group(0) @binding(0) var img : texture_storage_2d<rgba8unorm, read_write>;\n"
                              "@compute @workgroup_size(1) fn main() { textureStore(img, vec2i(0), textureLoad(img, vec2i(0))); }\n";
    CHECK(wr_kernel_create(ctx, &(wr_kernel_desc){.source = read_write, .source_name = "rw.wgsl"}, &kernel) ==
          WR_ERROR_UNSUPPORTED);
    CHECK_CONTAINS(wr_context_error(ctx), "rw.wgsl:1: error: binding 'img' is texture_storage_2d<rgba8unorm, read_write>");
    wr_kernel* sampling = make_kernel(ctx, sample_wgsl);
    wr_texture* f = make_texture(ctx, WR_TEXTURE_FORMAT_R32FLOAT, 4, 4, NULL, "f");
    wr_sampler* sampler = NULL;
    CHECK(wr_sampler_create(ctx, NULL, &sampler) == WR_OK);
    wr_buffer* uv = make_buffer(ctx, NULL, 8, "uv");
    wr_buffer* result = make_buffer(ctx, NULL, 16, "result");
    if (sampling && f && sampler && uv && result) {
        wr_binding bindings[] = {{.name = "tex", .texture = f}, {.name = "smp", .sampler = sampler},
                                 {.name = "uv", .buffer = uv}, {.name = "result", .buffer = result}};
        CHECK(wr_dispatch(ctx, &(wr_dispatch_desc){.kernel = sampling, .bindings = bindings, .binding_count = 4,
                                                    .problem_size = {1}}, NULL) == WR_ERROR_UNSUPPORTED);
        CHECK_CONTAINS(wr_context_error(ctx), "binding 'tex' (line 1, texture_2d<f32>): texture 'f' is r32float, which "
                                              "cannot be sampled through a sampler");
    }
    wr_buffer_destroy(uv), wr_buffer_destroy(result), wr_sampler_destroy(sampler), wr_texture_destroy(f);
    wr_kernel_destroy(sampling);
}

static void test_errors(wr_context* ctx) {
    wr_texture* t = NULL;
    CHECK(wr_texture_create(ctx, &(wr_texture_desc){.width = 4, .height = 0, .format = WR_TEXTURE_FORMAT_R32FLOAT, .label = "empty"}, &t) ==
          WR_ERROR_INVALID_ARGUMENT);
    CHECK_CONTAINS(wr_context_error(ctx), "texture 'empty': size 4x0 has no texels");
    CHECK(wr_texture_create(ctx, &(wr_texture_desc){.width = 4, .height = 4}, &t) == WR_ERROR_INVALID_ARGUMENT);
    CHECK(wr_texture_create(ctx, &(wr_texture_desc){.width = 1u << 20, .height = 4, .format = WR_TEXTURE_FORMAT_R32FLOAT, .label = "wide"}, &t) !=
          WR_OK);
    CHECK_CONTAINS(wr_context_error(ctx), "texture 'wide' (1048576x4 r32float)");
    char source[1024];
    int n = snprintf(source, sizeof source, "@group(0) @binding(0) var src : texture_2d<u32>;\n"
                                            "@group(0) @binding(1) var dst : texture_storage_2d<r32float, write>;\n");
    snprintf(source + n, sizeof source - (size_t)n, kernel_body, "vec4f(textureLoad(src, p, 0))", "v");
    wr_kernel* kernel = make_kernel(ctx, source);
    wr_texture* f = make_texture(ctx, WR_TEXTURE_FORMAT_R32FLOAT, 8, 8, NULL, "f");
    wr_texture* u = make_texture(ctx, WR_TEXTURE_FORMAT_R32UINT, 8, 8, NULL, "u");
    wr_buffer* buffer = make_buffer(ctx, NULL, 256, "buf");
    if (kernel && f && u && buffer) {
        expect_binding_error(ctx, kernel, (wr_binding[]){{.name = "src", .texture = u}}, 1,
                             "kernel 'main': binding 'dst' (@group(0) @binding(1), line 2) is not bound");
        expect_binding_error(ctx, kernel, (wr_binding[]){{.name = "src", .texture = u}, {.name = "dst", .texture = u}}, 2,
                             "binding 'dst' (line 2, texture_storage_2d<r32float, write>) is given a texture of another "
                             "format: texture 'u' is r32uint");
        expect_binding_error(ctx, kernel, (wr_binding[]){{.name = "src", .texture = f}, {.name = "dst", .texture = f}}, 2,
                             "binding 'src' (line 1, texture_2d<u32>) cannot sample it: texture 'f' is r32float, read as f32");
        expect_binding_error(ctx, kernel, (wr_binding[]){{.name = "src", .buffer = buffer}, {.name = "dst", .texture = f}}, 2,
                             "binding 'src' (line 1, texture_2d<u32>) needs a texture, not a buffer or sampler");
    }
    wr_buffer_destroy(buffer), wr_texture_destroy(f), wr_texture_destroy(u), wr_kernel_destroy(kernel);
    test_refusals(ctx);
}

int main(int argc, char** argv) {
    const char* impl;
    wr_context* ctx = open_test_context(argc, argv, &impl);
    if (ctx == NULL) return check_summary();
    const wr_texture_format formats[] = {WR_TEXTURE_FORMAT_R32FLOAT, WR_TEXTURE_FORMAT_R32UINT, WR_TEXTURE_FORMAT_R32SINT,
                                         WR_TEXTURE_FORMAT_RGBA8UNORM, WR_TEXTURE_FORMAT_RGBA16FLOAT,
                                         WR_TEXTURE_FORMAT_RGBA32FLOAT, WR_TEXTURE_FORMAT_RGBA32UINT};
    for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++) {
        test_storage_write(ctx, formats[i], 37, 13, false);
        test_storage_write(ctx, formats[i], 64, 3, false);
        test_storage_write(ctx, formats[i], 37, 13, true);
    }
    test_storage_read_write(ctx, WR_TEXTURE_FORMAT_R32FLOAT, 37, 13);
    test_storage_read_write(ctx, WR_TEXTURE_FORMAT_R32UINT, 37, 13);
    test_storage_read_write(ctx, WR_TEXTURE_FORMAT_R32SINT, 37, 13);
    for (int address = 0; address < 2; address++) {
        test_sampling(ctx, (wr_sampler_desc){.filter = WR_FILTER_NEAREST, .address = (wr_address_mode)address});
        test_sampling(ctx, (wr_sampler_desc){.filter = WR_FILTER_LINEAR, .address = (wr_address_mode)address});
    }
    test_round_trip(ctx);
    test_errors(ctx);
    wr_context_destroy(ctx);
    return check_summary();
}
