/* Tests of the WGSL declaration scanner: bindings, layouts, overrides, consts, entry points,
 * errors with positions, and scanning every truncation of a shader. */
#include "wgslrun.h"

#include "check.h"

#include <stdlib.h>
#include <string.h>

/* Scans a NUL-terminated source that is expected to succeed. */
static wr_shader_info scan_ok(const char* src) {
    wr_shader_info info;
    wr_error err = {0};
    wr_status status = wr_wgsl_scan(src, strlen(src), "test.wgsl", &info, &err);
    CHECK_MSG(status == WR_OK, "scan failed: %s", err.message);
    return info;
}

/* Scans a source expected to fail with WR_ERROR_COMPILE and a message containing `expect`. */
static void scan_fails(const char* src, const char* name, const char* expect) {
    wr_shader_info info;
    wr_error err = {0};
    wr_status status = wr_wgsl_scan(src, strlen(src), name, &info, &err);
    CHECK_MSG(status == WR_ERROR_COMPILE, "status %d for: %s", (int)status, src);
    CHECK_CONTAINS(err.message, expect);
    CHECK(info.bindings == NULL && info.binding_count == 0 && info.entries == NULL);
}

/* The layout of `type` as the only binding of a shader (with `decls` before it). */
static wr_binding_info layout_of(const char* decls, const char* type) {
    char src[2048];
    snprintf(src, sizeof src, "%s\n@group(0) @binding(0) var<storage, read_write> v : %s;\n",
             decls, type);
    wr_shader_info info = scan_ok(src);
    wr_binding_info b;
    memset(&b, 0, sizeof b);
    CHECK_MSG(info.binding_count == 1, "%zu bindings for %s", info.binding_count, type);
    if (info.binding_count == 1) b = info.bindings[0];
    wr_shader_info_free(&info);
    return b;
}

#define CHECK_LAYOUT(decls, type, size, scalar, comps, runtime, stride)                         \
    do {                                                                                        \
        wr_binding_info b_ = layout_of((decls), (type));                                        \
        CHECK_MSG(b_.min_size == (size), "%s: min_size %zu, want %zu", (type), b_.min_size,     \
                  (size_t)(size));                                                              \
        CHECK_MSG(b_.scalar_type == (scalar), "%s: scalar %s", (type),                          \
                  wr_dtype_name(b_.scalar_type));                                               \
        CHECK_MSG(b_.components == (comps), "%s: components %u", (type), (unsigned)b_.components); \
        CHECK_MSG(b_.runtime_array == (runtime), "%s: runtime %d", (type), (int)b_.runtime_array); \
        CHECK_MSG(b_.element_stride == (stride), "%s: stride %zu", (type), b_.element_stride);  \
    } while (0)

static const char* const sample_shader =
    "// A sample with most of what the scanner looks at.\n"
    "enable f16;\n"
    "/* block /* nested */ comment\n"
    "   still comment */\n"
    "const N = 4u;\n"
    "const WG: u32 = 64;\n"
    "override scale: f32 = 2.5;\n"
    "@id(3) override count = 7u;\n"
    "override unset: i32;\n"
    "alias Vec = vec3<f32>;\n"
    "struct Params {\n"
    "  a: f32,\n"
    "  @align(16) b: Vec,\n"
    "  @size(32) c: u32,\n"
    "}\n"
    "struct Particles { n: u32, items: array<vec4f> }\n"
    "@group(0)\n"
    "  @binding(0)\n"
    "  var<storage,\n"
    "      read>  input : array< f32 >;\n"
    "@binding(1) /* between */ @group(0) var<storage, read_write> output: array<f32, N>;\n"
    "@group(1) @binding(0) var<uniform> params: Params;\n"
    "@group(1) @binding(1) var<storage, read_write> particles: Particles;\n"
    "@group(2) @binding(0) var tex: texture_2d<f32>;\n"
    "@group(2) @binding(1) var samp: sampler;\n"
    "var<workgroup> tile: array<f32, WG>;\n"
    "var<private> seed: u32 = 1u;\n"
    "fn helper(x: f32) -> f32 {\n"
    "  var<function> t: f32 = x; // not module scope\n"
    "  { let y = t * 2.0; }\n"
    "  return t;\n"
    "}\n"
    "@compute @workgroup_size(WG)\n"
    "fn main(@builtin(global_invocation_id) gid: vec3<u32>) {\n"
    "  output[gid.x] = input[gid.x] * scale;\n"
    "}\n"
    "@workgroup_size(8, 8u, 2)\n"
    "@compute\n"
    "fn tiled() {}\n"
    "@compute @workgroup_size(count, 4) fn named() {}\n";

static void test_sample(void) {
    wr_shader_info info = scan_ok(sample_shader);
    CHECK(info.binding_count == 6);
    if (info.binding_count == 6) {
        const wr_binding_info* b = info.bindings;
        CHECK(strcmp(b[0].name, "input") == 0 && b[0].group == 0 && b[0].binding == 0);
        CHECK(b[0].space == WR_SPACE_STORAGE && b[0].access == WR_ACCESS_READ);
        CHECK_MSG(strcmp(b[0].type_text, "array<f32>") == 0, "%s", b[0].type_text);
        CHECK(b[0].line == 19);
        CHECK(b[0].runtime_array && b[0].min_size == 4 && b[0].element_stride == 4);
        CHECK(b[0].scalar_type == WR_DTYPE_F32 && b[0].components == 1);

        CHECK(strcmp(b[1].name, "output") == 0 && b[1].group == 0 && b[1].binding == 1);
        CHECK(b[1].access == WR_ACCESS_READ_WRITE && b[1].line == 21);
        CHECK_MSG(strcmp(b[1].type_text, "array<f32, N>") == 0, "%s", b[1].type_text);
        CHECK(!b[1].runtime_array && b[1].min_size == 16 && b[1].element_stride == 0);

        CHECK(strcmp(b[2].name, "params") == 0 && b[2].group == 1 && b[2].binding == 0);
        CHECK(b[2].space == WR_SPACE_UNIFORM && b[2].access == WR_ACCESS_READ);
        /* a at 0, b at 16 (size 12), c at 28 with @size(32) -> end 60 -> 64 */
        CHECK_MSG(b[2].min_size == 64, "%zu", b[2].min_size);
        CHECK(b[2].scalar_type == WR_DTYPE_INVALID && b[2].components == 0);

        CHECK(strcmp(b[3].name, "particles") == 0 && b[3].runtime_array);
        CHECK_MSG(b[3].min_size == 32 && b[3].element_stride == 16, "%zu %zu", b[3].min_size,
                  b[3].element_stride);

        CHECK(strcmp(b[4].name, "tex") == 0 && b[4].space == WR_SPACE_OTHER);
        CHECK_MSG(strcmp(b[4].type_text, "texture_2d<f32>") == 0, "%s", b[4].type_text);
        CHECK(b[4].min_size == 0 && b[4].components == 0);
        CHECK(strcmp(b[5].name, "samp") == 0 && b[5].space == WR_SPACE_OTHER);
    }

    CHECK(info.const_count == 2);
    if (info.const_count == 2) {
        CHECK(strcmp(info.consts[0].name, "N") == 0 && info.consts[0].value == 4.0);
        CHECK(info.consts[0].line == 5);
        CHECK(strcmp(info.consts[1].name, "WG") == 0 && info.consts[1].value == 64.0);
    }

    CHECK(info.override_count == 3);
    if (info.override_count == 3) {
        const wr_override_info* o = info.overrides;
        CHECK(strcmp(o[0].name, "scale") == 0 && o[0].type == WR_DTYPE_F32);
        CHECK(o[0].has_default && o[0].default_value == 2.5 && o[0].line == 7);
        CHECK(strcmp(o[1].name, "count") == 0 && o[1].type == WR_DTYPE_U32);
        CHECK(o[1].has_default && o[1].default_value == 7.0);
        CHECK(strcmp(o[2].name, "unset") == 0 && o[2].type == WR_DTYPE_I32 && !o[2].has_default);
    }

    CHECK(info.entry_count == 3);
    if (info.entry_count == 3) {
        const wr_entry_info* e = info.entries;
        CHECK(strcmp(e[0].name, "main") == 0 && e[0].line == 34);
        CHECK(e[0].workgroup_size[0] == 64 && e[0].workgroup_size[1] == 1 &&
              e[0].workgroup_size[2] == 1 && e[0].workgroup_size_name[0][0] == '\0');
        CHECK(strcmp(e[1].name, "tiled") == 0);
        CHECK(e[1].workgroup_size[0] == 8 && e[1].workgroup_size[1] == 8 &&
              e[1].workgroup_size[2] == 2);
        CHECK(strcmp(e[2].name, "named") == 0 && e[2].workgroup_size[0] == 0);
        CHECK(strcmp(e[2].workgroup_size_name[0], "count") == 0);
        CHECK(e[2].workgroup_size[1] == 4 && e[2].workgroup_size_name[1][0] == '\0');
        CHECK(e[2].workgroup_size[2] == 1);
    }

    CHECK(wr_shader_find_binding(&info, "output") == &info.bindings[1]);
    CHECK(wr_shader_find_binding(&info, "1") == &info.bindings[1]); /* group 0 first */
    CHECK(wr_shader_find_binding(&info, "0") == &info.bindings[0]);
    CHECK(wr_shader_find_binding(&info, "nope") == NULL);
    CHECK(wr_shader_find_binding(&info, "9") == NULL);
    CHECK(wr_shader_find_binding(&info, "") == NULL);
    CHECK(wr_shader_find_binding(&info, "99999999999999999999") == NULL);
    CHECK(wr_shader_find_binding(NULL, "0") == NULL);
    CHECK(wr_shader_find_entry(&info, "tiled") == &info.entries[1]);
    CHECK(wr_shader_find_entry(&info, NULL) == NULL); /* three entries: ambiguous */
    CHECK(wr_shader_find_entry(&info, "helper") == NULL);

    wr_shader_info_free(&info);
    CHECK(info.bindings == NULL && info.binding_count == 0 && info.entry_count == 0);
    wr_shader_info_free(&info); /* again, on the zeroed struct */
    wr_shader_info_free(NULL);
}

static void test_find_binding_other_group(void) {
    wr_shader_info info = scan_ok("@group(1) @binding(3) var<storage> a: array<u32>;\n"
                                  "@group(0) @binding(2) var<storage> b: array<u32>;\n"
                                  "@compute @workgroup_size(1) fn only() {}\n");
    CHECK(wr_shader_find_binding(&info, "3") == &info.bindings[0]); /* any group */
    CHECK(wr_shader_find_binding(&info, "2") == &info.bindings[1]);
    CHECK(wr_shader_find_binding(&info, "b") == &info.bindings[1]);
    CHECK(wr_shader_find_entry(&info, NULL) == &info.entries[0]);
    CHECK(info.bindings[0].space == WR_SPACE_STORAGE && info.bindings[0].access == WR_ACCESS_READ);
    wr_shader_info_free(&info);
}

static void test_scalar_vector_layouts(void) {
    CHECK_LAYOUT("", "f32", 4, WR_DTYPE_F32, 1, false, 0);
    CHECK_LAYOUT("", "i32", 4, WR_DTYPE_I32, 1, false, 0);
    CHECK_LAYOUT("", "u32", 4, WR_DTYPE_U32, 1, false, 0);
    CHECK_LAYOUT("enable f16;", "f16", 2, WR_DTYPE_F16, 1, false, 0);
    CHECK_LAYOUT("", "bool", 0, WR_DTYPE_INVALID, 0, false, 0); /* not host-shareable */
    CHECK_LAYOUT("", "vec2<f32>", 8, WR_DTYPE_F32, 2, false, 0);
    CHECK_LAYOUT("", "vec3<f32>", 12, WR_DTYPE_F32, 3, false, 0);
    CHECK_LAYOUT("", "vec4<f32>", 16, WR_DTYPE_F32, 4, false, 0);
    CHECK_LAYOUT("", "vec2f", 8, WR_DTYPE_F32, 2, false, 0);
    CHECK_LAYOUT("", "vec3i", 12, WR_DTYPE_I32, 3, false, 0);
    CHECK_LAYOUT("", "vec4u", 16, WR_DTYPE_U32, 4, false, 0);
    CHECK_LAYOUT("", "vec4h", 8, WR_DTYPE_F16, 4, false, 0);
    CHECK_LAYOUT("", "vec3<f16>", 6, WR_DTYPE_F16, 3, false, 0);
    CHECK_LAYOUT("", "vec2< u32 , >", 8, WR_DTYPE_U32, 2, false, 0);
    CHECK_LAYOUT("", "vec3<bool>", 0, WR_DTYPE_INVALID, 0, false, 0);
    CHECK_LAYOUT("", "atomic<u32>", 4, WR_DTYPE_U32, 1, false, 0);
    CHECK_LAYOUT("", "atomic<i32>", 4, WR_DTYPE_I32, 1, false, 0);
    CHECK_LAYOUT("", "atomic<f32>", 0, WR_DTYPE_INVALID, 0, false, 0);
}

static void test_matrix_layouts(void) {
    CHECK_LAYOUT("", "mat4x4<f32>", 64, WR_DTYPE_F32, 16, false, 0);
    CHECK_LAYOUT("", "mat4x4f", 64, WR_DTYPE_F32, 16, false, 0);
    CHECK_LAYOUT("", "mat3x3<f32>", 48, WR_DTYPE_F32, 9, false, 0); /* columns padded to 16 */
    CHECK_LAYOUT("", "mat2x2f", 16, WR_DTYPE_F32, 4, false, 0);
    CHECK_LAYOUT("", "mat2x3f", 32, WR_DTYPE_F32, 6, false, 0);
    CHECK_LAYOUT("", "mat3x2<f32>", 24, WR_DTYPE_F32, 6, false, 0);
    CHECK_LAYOUT("", "mat2x4h", 16, WR_DTYPE_F16, 8, false, 0);
    CHECK_LAYOUT("", "mat3x3h", 24, WR_DTYPE_F16, 9, false, 0);
    CHECK_LAYOUT("", "mat4x4<i32>", 0, WR_DTYPE_INVALID, 0, false, 0);
}

static void test_array_layouts(void) {
    CHECK_LAYOUT("", "array<vec3<f32>, 4>", 64, WR_DTYPE_F32, 3, false, 0);
    CHECK_LAYOUT("", "array<f32, 10>", 40, WR_DTYPE_F32, 1, false, 0);
    CHECK_LAYOUT("", "array<f32,10u,>", 40, WR_DTYPE_F32, 1, false, 0);
    CHECK_LAYOUT("", "array<f32, 0x10>", 64, WR_DTYPE_F32, 1, false, 0);
    CHECK_LAYOUT("", "array<vec3<f32>>", 16, WR_DTYPE_F32, 3, true, 16);
    CHECK_LAYOUT("", "array<vec2h>", 4, WR_DTYPE_F16, 2, true, 4);
    CHECK_LAYOUT("", "array<f16>", 2, WR_DTYPE_F16, 1, true, 2);
    CHECK_LAYOUT("", "array<atomic<u32>>", 4, WR_DTYPE_U32, 1, true, 4);
    CHECK_LAYOUT("", "array<array<f32, 3>, 2>", 24, WR_DTYPE_F32, 1, false, 0);
    CHECK_LAYOUT("", "array<array<vec3f, 2>>", 32, WR_DTYPE_F32, 3, true, 32);
    CHECK_LAYOUT("", "array<mat4x4f, 2>", 128, WR_DTYPE_F32, 16, false, 0);
    CHECK_LAYOUT("const M = 8;", "array<u32, M>", 32, WR_DTYPE_U32, 1, false, 0);
    /* consts may be declared after their use */
    CHECK_LAYOUT("alias A = array<i32, K>; const K: u32 = 3u;", "A", 12, WR_DTYPE_I32, 1, false,
                 0);
    CHECK_LAYOUT("override O = 4;", "array<f32, O>", 0, WR_DTYPE_INVALID, 0, false, 0);
    CHECK_LAYOUT("", "array<f32, 0>", 0, WR_DTYPE_INVALID, 0, false, 0);
    CHECK_LAYOUT("", "array<f32, 2 * 4>", 0, WR_DTYPE_INVALID, 0, false, 0);
    CHECK_LAYOUT("", "array<array<f32>, 2>", 0, WR_DTYPE_INVALID, 0, false, 0);
    CHECK_LAYOUT("", "array<f32, 4294967295>", (size_t)4294967295u * 4, WR_DTYPE_F32, 1, false,
                 0);
}

static void test_struct_layouts(void) {
    CHECK_LAYOUT("struct S { a: f32, b: vec3<f32> }", "S", 32, WR_DTYPE_INVALID, 0, false, 0);
    CHECK_LAYOUT("struct S { b: vec3<f32>, a: f32 }", "S", 16, WR_DTYPE_INVALID, 0, false, 0);
    CHECK_LAYOUT("struct S { a: u32, b: vec2<f32>, }", "S", 16, WR_DTYPE_INVALID, 0, false, 0);
    CHECK_LAYOUT("struct S { a: f32, @align(16) b: f32 }", "S", 32, WR_DTYPE_INVALID, 0, false, 0);
    CHECK_LAYOUT("struct S { @size(32) c: u32 }", "S", 32, WR_DTYPE_INVALID, 0, false, 0);
    CHECK_LAYOUT("struct S { a: f32, @align(16) b: vec3<f32>, @size(32) c: u32 }", "S", 64,
                 WR_DTYPE_INVALID, 0, false, 0);
    CHECK_LAYOUT("const A = 32; struct S { @align(A) a: f32 }", "S", 32, WR_DTYPE_INVALID, 0,
                 false, 0);
    CHECK_LAYOUT("enable f16; struct S { a: f16, b: f16, c: vec3h }", "S", 16, WR_DTYPE_INVALID,
                 0, false, 0);
    CHECK_LAYOUT("struct S { a: f32, m: mat4x4f }", "S", 80, WR_DTYPE_INVALID, 0, false, 0);
    CHECK_LAYOUT("struct S { a: f32, d: array<f32> }", "S", 8, WR_DTYPE_INVALID, 0, true, 4);
    /* SizeOf with one runtime element: the fixed part plus one element, rounded up to the
     * struct's alignment (16 + 4 -> 32, 16 + 12 -> 32), as WebGPU's minimum binding size */
    CHECK_LAYOUT("struct S { a: vec4f, d: array<f32> }", "S", 32, WR_DTYPE_INVALID, 0, true, 4);
    CHECK_LAYOUT("struct S { a: vec4f, d: array<array<f32, 3>> }", "S", 32, WR_DTYPE_INVALID, 0,
                 true, 12);
    CHECK_LAYOUT("struct S { a: vec3f, b: f32, c: vec2f, d: array<vec2f> }", "S", 32,
                 WR_DTYPE_INVALID, 0, true, 8);
    CHECK_LAYOUT("struct S { n: u32, d: array<vec3f> }", "S", 32, WR_DTYPE_INVALID, 0, true, 16);
    /* nested structs, declared in any order, through aliases */
    CHECK_LAYOUT("struct O { x: f32, i: I } alias I = Inner; struct Inner { v: vec2f, w: f32 }",
                 "O", 24, WR_DTYPE_INVALID, 0, false, 0);
    CHECK_LAYOUT("struct P { p: vec3f, q: f32 }", "array<P, 3>", 48, WR_DTYPE_INVALID, 0, false, 0);
    CHECK_LAYOUT("struct P { p: vec3f }", "array<P>", 16, WR_DTYPE_INVALID, 0, true, 16);
    /* member attributes the layout ignores, across lines, with comments */
    CHECK_LAYOUT("struct S {\n  @location(0) // c\n  a: f32,\n  /* c */ @builtin(position) b: "
                 "vec4f,\n}",
                 "S", 32, WR_DTYPE_INVALID, 0, false, 0);
    /* layouts that cannot be computed are not errors */
    CHECK_LAYOUT("struct S { a: Unknown }", "S", 0, WR_DTYPE_INVALID, 0, false, 0);
    CHECK_LAYOUT("struct S { a: S }", "S", 0, WR_DTYPE_INVALID, 0, false, 0);
    CHECK_LAYOUT("alias A = B; alias B = A;", "A", 0, WR_DTYPE_INVALID, 0, false, 0);
    CHECK_LAYOUT("struct S { d: array<f32>, a: f32 }", "S", 0, WR_DTYPE_INVALID, 0, false, 0);
    CHECK_LAYOUT("struct I { d: array<f32> } struct S { a: f32, i: I }", "S", 0, WR_DTYPE_INVALID,
                 0, false, 0);
    CHECK_LAYOUT("struct S { @size(2) a: f32 }", "S", 0, WR_DTYPE_INVALID, 0, false, 0);
    CHECK_LAYOUT("struct S { @align(3) a: f32 }", "S", 0, WR_DTYPE_INVALID, 0, false, 0);
    CHECK_LAYOUT("struct S { }", "S", 0, WR_DTYPE_INVALID, 0, false, 0);
    CHECK_LAYOUT("", "ptr<storage, f32>", 0, WR_DTYPE_INVALID, 0, false, 0);
}

static void test_type_text(void) {
    wr_binding_info b = layout_of("", "array < vec4 < f32 > , 4 >");
    CHECK_MSG(strcmp(b.type_text, "array<vec4<f32>, 4>") == 0, "%s", b.type_text);
    b = layout_of("", "array<vec4<f32>,\n  4 /* four */>");
    CHECK_MSG(strcmp(b.type_text, "array<vec4<f32>, 4>") == 0, "%s", b.type_text);
    CHECK(b.min_size == 64);
    char longer[400] = "array<";
    for (int k = 0; k < 30; k++) strcat(longer, "array<");
    strcat(longer, "f32");
    for (int k = 0; k < 30; k++) strcat(longer, ", 1>");
    strcat(longer, ", 2>");
    b = layout_of("", longer);
    CHECK(strlen(b.type_text) == sizeof b.type_text - 1); /* cut short, still terminated */
    CHECK(b.min_size == 8);
}

static void test_overrides_and_consts(void) {
    wr_shader_info info = scan_ok("override a: u32;\n"
                                  "override b = 1;\n"
                                  "override c = 1.0;\n"
                                  "override d = 1f;\n"
                                  "override e = 1h;\n"
                                  "override f = 2u;\n"
                                  "override g = -3i;\n"
                                  "override h: f32 = 4;\n"
                                  "override i = 1e3;\n"
                                  "override j: u32 = a * 2u;\n"
                                  "override k = 0x1F;\n"
                                  "@id(0) override l: bool = true;\n"
                                  "override m = 0x1p4;\n"
                                  "override n;\n"
                                  "const C1 = 16;\n"
                                  "const C2: f32 = -2.5;\n"
                                  "const C3 = vec2(1, 2);\n"
                                  "const C4 = 2 * 8;\n"
                                  "const C5 = .5;\n"
                                  "fn f() { const inner = 3; }\n");
    CHECK(info.override_count == 14);
    if (info.override_count == 14) {
        const wr_override_info* o = info.overrides;
        CHECK(o[0].type == WR_DTYPE_U32 && !o[0].has_default);
        CHECK(o[1].type == WR_DTYPE_I32 && o[1].has_default && o[1].default_value == 1.0);
        CHECK(o[2].type == WR_DTYPE_F32 && o[2].default_value == 1.0);
        CHECK(o[3].type == WR_DTYPE_F32 && o[3].default_value == 1.0);
        CHECK(o[4].type == WR_DTYPE_F16 && o[4].default_value == 1.0);
        CHECK(o[5].type == WR_DTYPE_U32 && o[5].default_value == 2.0);
        CHECK(o[6].type == WR_DTYPE_I32 && o[6].default_value == -3.0);
        CHECK(o[7].type == WR_DTYPE_F32 && o[7].has_default && o[7].default_value == 4.0);
        CHECK(o[8].type == WR_DTYPE_F32 && o[8].default_value == 1000.0);
        CHECK(o[9].type == WR_DTYPE_U32 && !o[9].has_default);
        CHECK(o[10].type == WR_DTYPE_I32 && o[10].default_value == 31.0);
        CHECK(strcmp(o[11].name, "l") == 0 && o[11].type == WR_DTYPE_INVALID);
        CHECK(o[11].has_default && o[11].default_value == 1.0);
        CHECK(o[12].type == WR_DTYPE_F32 && o[12].default_value == 16.0);
        CHECK(o[13].type == WR_DTYPE_INVALID && !o[13].has_default && o[13].line == 14);
    }
    CHECK(info.const_count == 3);
    if (info.const_count == 3) {
        CHECK(strcmp(info.consts[0].name, "C1") == 0 && info.consts[0].value == 16.0);
        CHECK(strcmp(info.consts[1].name, "C2") == 0 && info.consts[1].value == -2.5);
        CHECK(info.consts[1].line == 16);
        CHECK(strcmp(info.consts[2].name, "C5") == 0 && info.consts[2].value == 0.5);
    }
    CHECK(info.binding_count == 0 && info.entry_count == 0);
    wr_shader_info_free(&info);
}

static void test_entry_points(void) {
    wr_shader_info info = scan_ok("const TX = 16;\n"
                                  "const BAD = 2.5;\n"
                                  "override TY: u32 = 4;\n"
                                  "@compute @workgroup_size(256) fn one() {}\n"
                                  "@compute @workgroup_size(TX, TY) fn two() {}\n"
                                  "@compute\n@workgroup_size(\n  4,\n  2,\n  0x2u,\n)\nfn three() {}\n"
                                  "@compute @workgroup_size(TX * 2) fn expr() {}\n"
                                  "@compute @workgroup_size(BAD) fn bad_const() {}\n"
                                  "@vertex fn vs() -> @builtin(position) vec4f { return vec4f(); }\n"
                                  "@fragment fn fs() -> @location(0) vec4f { return vec4f(); }\n"
                                  "fn plain() {}\n");
    CHECK(info.entry_count == 5);
    if (info.entry_count == 5) {
        const wr_entry_info* e = info.entries;
        CHECK(strcmp(e[0].name, "one") == 0 && e[0].line == 4);
        CHECK(e[0].workgroup_size[0] == 256 && e[0].workgroup_size[1] == 1 &&
              e[0].workgroup_size[2] == 1);
        CHECK(strcmp(e[1].name, "two") == 0);
        CHECK(e[1].workgroup_size[0] == 16 && e[1].workgroup_size_name[0][0] == '\0');
        CHECK(e[1].workgroup_size[1] == 0 && strcmp(e[1].workgroup_size_name[1], "TY") == 0);
        CHECK(e[1].workgroup_size[2] == 1);
        CHECK(strcmp(e[2].name, "three") == 0 && e[2].line == 12);
        CHECK(e[2].workgroup_size[0] == 4 && e[2].workgroup_size[1] == 2 &&
              e[2].workgroup_size[2] == 2);
        CHECK(e[3].workgroup_size[0] == 0 && e[3].workgroup_size_name[0][0] == '\0');
        CHECK(e[4].workgroup_size[0] == 0 && strcmp(e[4].workgroup_size_name[0], "BAD") == 0);
    }
    CHECK(wr_shader_find_entry(&info, "two") == &info.entries[1]);
    CHECK(wr_shader_find_entry(&info, "vs") == NULL);
    wr_shader_info_free(&info);

    info = scan_ok("@compute @workgroup_size(WG) fn late() {} const WG = 32u;");
    CHECK(info.entry_count == 1 && info.entries[0].workgroup_size[0] == 32);
    wr_shader_info_free(&info);
}

/* Issue 11's kernels: extension directives and the subgroup builtins as entry-point
 * parameters (after `enable`, nothing is a declaration; parameters' attributes are not the
 * entry point's). */
static void test_subgroup_shaders(void) {
    wr_shader_info info = scan_ok("enable subgroups;\n"
                                  "enable f16, subgroups;\n"
                                  "requires readonly_and_readwrite_storage_textures;\n"
                                  "@group(0) @binding(0) var<storage, read_write> out : array<u32>;\n"
                                  "@compute @workgroup_size(64)\n"
                                  "fn reduce(@builtin(global_invocation_id) gid : vec3<u32>,\n"
                                  "          @builtin(subgroup_invocation_id) lane : u32,\n"
                                  "          @builtin(subgroup_size) size : u32) {\n"
                                  "  let s = subgroupAdd(out[gid.x]);\n"
                                  "  if (lane == 0u) { out[gid.x / size] = s; }\n"
                                  "}\n"
                                  "@compute @workgroup_size(32, 2) fn second(@builtin(subgroup_size) n : u32) {}\n");
    CHECK(info.binding_count == 1 && strcmp(info.bindings[0].name, "out") == 0 && info.bindings[0].line == 4);
    CHECK(info.entry_count == 2);
    if (info.entry_count == 2) {
        CHECK(strcmp(info.entries[0].name, "reduce") == 0 && info.entries[0].workgroup_size[0] == 64 &&
              info.entries[0].line == 6);
        CHECK(strcmp(info.entries[1].name, "second") == 0 && info.entries[1].workgroup_size[0] == 32 &&
              info.entries[1].workgroup_size[1] == 2);
    }
    wr_shader_info_free(&info);
}

static void test_bindings_with_const_indices(void) {
    wr_shader_info info = scan_ok("const G = 2; const B = 0x3u;\n"
                                  "@group(G) @binding(B) var<storage> a: array<u32>;\n"
                                  "@group(0x0) @binding(1u,) var<uniform> u: vec4f;\n");
    CHECK(info.binding_count == 2);
    if (info.binding_count == 2) {
        CHECK(info.bindings[0].group == 2 && info.bindings[0].binding == 3);
        CHECK(info.bindings[1].group == 0 && info.bindings[1].binding == 1);
        CHECK(info.bindings[1].min_size == 16);
    }
    wr_shader_info_free(&info);
}

static void test_errors(void) {
    scan_fails("const a = 1;\n  /* open /* nested */ never closed\n", "x.wgsl",
               "x.wgsl:2:3: error: unterminated block comment");
    scan_fails("/* /* */", NULL, "<input>:1:1: error: unterminated block comment");
    scan_fails("@group(0)\n@binding(x) var<storage> a: array<f32>;", "e.wgsl",
               "e.wgsl:2:10: error: malformed @binding attribute");
    scan_fails("@group(1.5) @binding(0) var<storage> a: array<f32>;", "e.wgsl",
               "e.wgsl:1:8: error: malformed @group attribute");
    scan_fails("@group(-1) @binding(0) var<storage> a: array<f32>;", "e.wgsl",
               "e.wgsl:1:8: error: malformed @group attribute");
    scan_fails("@group @binding(0) var<storage> a: array<f32>;", "e.wgsl",
               "e.wgsl:1:1: error: malformed @group attribute");
    scan_fails("@group(0) @binding() var<storage> a: array<f32>;", "e.wgsl",
               "e.wgsl:1:11: error: malformed @binding attribute");
    scan_fails("@group(0) @binding(4294967296) var<storage> a: array<f32>;", "e.wgsl",
               "e.wgsl:1:20: error: malformed @binding attribute");
    scan_fails("override O = 1;\n@group(O) @binding(0) var<storage> a: array<f32>;", "e.wgsl",
               "e.wgsl:2:8: error: malformed @group attribute");
    scan_fails("\n\n  @binding(0)\n  var<storage> a: array<f32>;", "m.wgsl",
               "m.wgsl:4:3: error: 'a' has @binding but no @group");
    scan_fails("@group(0) var<storage> a: array<f32>;", "m.wgsl",
               "m.wgsl:1:11: error: 'a' has @group but no @binding");
    char src[512];
    char longname[WR_NAME_MAX + 1];
    memset(longname, 'n', WR_NAME_MAX);
    longname[WR_NAME_MAX] = '\0';
    snprintf(src, sizeof src, "@group(0) @binding(0)\nvar<storage> %s: array<f32>;", longname);
    scan_fails(src, "l.wgsl", "l.wgsl:2:14: error: name 'nnnnnnnn");
    scan_fails(src, "l.wgsl", "is longer than 63 characters");
    snprintf(src, sizeof src, "override %s: u32;", longname);
    scan_fails(src, "l.wgsl", "l.wgsl:1:10: error: name");
    snprintf(src, sizeof src, "const %s = 1;", longname);
    scan_fails(src, "l.wgsl", "l.wgsl:1:7: error: name");
    snprintf(src, sizeof src, "@compute @workgroup_size(1) fn %s() {}", longname);
    scan_fails(src, "l.wgsl", "l.wgsl:1:32: error: name");
    snprintf(src, sizeof src, "@compute @workgroup_size(%s) fn f() {}", longname);
    scan_fails(src, "l.wgsl", "l.wgsl:1:26: error: name");
    scan_fails("@compute\nfn  f() {}", "c.wgsl",
               "c.wgsl:2:5: error: @compute entry point 'f' has no @workgroup_size");

    /* a 63-character name fits exactly */
    longname[WR_NAME_MAX - 1] = '\0';
    snprintf(src, sizeof src, "override %s: u32;", longname);
    wr_shader_info info = scan_ok(src);
    CHECK(info.override_count == 1 && strlen(info.overrides[0].name) == WR_NAME_MAX - 1);
    wr_shader_info_free(&info);
}

static void test_not_errors(void) {
    /* unknown things, stray attributes, long names that are not collected */
    char src[1024];
    char longname[100];
    memset(longname, 'q', sizeof longname - 1);
    longname[sizeof longname - 1] = '\0';
    snprintf(src, sizeof src,
             "fn %s() {}\nstruct %s { a: f32 }\nvar<private> %s: f32;\n"
             "@group(0) @binding(0) var<storage> ok: garbage<<<;\n"
             "@compute @workgroup_size(1) fn e() { @group(x) }\n"
             "const c = ;\noverride;\nvar;\nfn;\nstruct;\n@;\n@@@\n@ 1\n",
             longname, longname, longname);
    wr_shader_info info = scan_ok(src);
    CHECK(info.binding_count == 1 && info.bindings[0].min_size == 0);
    CHECK(info.entry_count == 1);
    wr_shader_info_free(&info);
    info = scan_ok("");
    CHECK(info.binding_count == 0 && info.entries == NULL);
    wr_shader_info_free(&info);
    wr_error err = {0};
    CHECK(wr_wgsl_scan(NULL, 0, NULL, &info, &err) == WR_OK);
    CHECK(wr_wgsl_scan(NULL, 1, NULL, &info, &err) == WR_ERROR_INVALID_ARGUMENT);
    CHECK(wr_wgsl_scan("", 0, NULL, NULL, NULL) == WR_ERROR_INVALID_ARGUMENT);
}

static void test_lines_and_columns(void) {
    /* CRLF counts once, lone CR counts, and columns count code points, not bytes */
    const char* src = "// \xc3\xa9t\xc3\xa9\r\n"
                      "const x = 1;\r"
                      "/* \xe2\x80\xa8 */"
                      "\xc3\xa9\xc3\xa9 @group(0) var<storage> a: f32;";
    wr_shader_info info;
    wr_error err = {0};
    CHECK(wr_wgsl_scan(src, strlen(src), "u.wgsl", &info, &err) == WR_ERROR_COMPILE);
    CHECK_CONTAINS(err.message, "u.wgsl:4:17: error: 'a' has @group but no @binding");
}

static void test_embedded_nul(void) {
    const char src[] = "@group(0) @binding(0) var<storage> a: array<f32>;\0"
                       "@group(0) @binding(1) var<storage> b: array<u32>;";
    wr_shader_info info;
    wr_error err = {0};
    CHECK(wr_wgsl_scan(src, sizeof src - 1, NULL, &info, &err) == WR_OK);
    CHECK(info.binding_count == 2);
    wr_shader_info_free(&info);
    /* `length` is authoritative: the second declaration is not read */
    CHECK(wr_wgsl_scan(src, 50, NULL, &info, &err) == WR_OK);
    CHECK(info.binding_count == 1);
    wr_shader_info_free(&info);
}

/* Every truncation of the sample, each in its own exactly-sized heap block so that the
 * sanitizers see any read past `length`. Truncations may cut a block comment open, which is
 * the only error such a cut can cause in this sample. */
static void test_all_prefixes(void) {
    size_t n = strlen(sample_shader);
    size_t failures = 0, unexpected = 0;
    for (size_t len = 0; len <= n; len++) {
        char* copy = malloc(len ? len : 1);
        if (copy == NULL) return;
        memcpy(copy, sample_shader, len);
        wr_shader_info info;
        wr_error err = {0};
        wr_status status = wr_wgsl_scan(copy, len, "p.wgsl", &info, &err);
        if (status != WR_OK) {
            failures++;
            if (status != WR_ERROR_COMPILE ||
                (strstr(err.message, "unterminated block comment") == NULL &&
                 strstr(err.message, "has @group but no @binding") == NULL &&
                 strstr(err.message, "has @binding but no @group") == NULL &&
                 strstr(err.message, "has no @workgroup_size") == NULL &&
                 strstr(err.message, "malformed @") == NULL)) {
                unexpected++;
                fprintf(stderr, "prefix %zu: %s\n", len, err.message);
            }
        }
        wr_shader_info_free(&info);
        free(copy);
    }
    CHECK_MSG(unexpected == 0, "%zu unexpected failures", unexpected);
    CHECK(failures < n); /* most prefixes scan cleanly */
}

/* Odd bytes everywhere: the scanner must neither crash nor read out of bounds. */
static void test_noise(void) {
    unsigned state = 12345;
    const char alphabet[] = "@(){}<>,;:=-/*.0123456789xpeEuifh_azAZ\n\r \t\0\xc2\x85\xe2\x80\xa8";
    for (int round = 0; round < 2000; round++) {
        size_t len = (size_t)(round % 97);
        char* buf = malloc(len ? len : 1);
        if (buf == NULL) return;
        for (size_t k = 0; k < len; k++) {
            state = state * 1103515245u + 12345u;
            buf[k] = alphabet[(state >> 16) % (sizeof alphabet - 1)];
        }
        wr_shader_info info;
        wr_status status = wr_wgsl_scan(buf, len, NULL, &info, NULL);
        CHECK_MSG(status == WR_OK || status == WR_ERROR_COMPILE, "status %d", (int)status);
        wr_shader_info_free(&info);
        free(buf);
    }
}

/* Texture and sampler declarations: kind, storage format and access, sampled type. */
static void test_textures_and_samplers(void) {
    wr_shader_info info = scan_ok(
        "@group(0) @binding(0) var a : texture_storage_2d<rgba8unorm, write>;\n"
        "@group(0) @binding(1) var b : texture_storage_2d< r32float , read_write >;\n"
        "@group(0) @binding(2) var c : texture_storage_2d<rgba16float, read>;\n"
        "@group(0) @binding(3) var d : texture_2d<u32>;\n"
        "@group(0) @binding(4) var e : sampler;\n"
        "@group(0) @binding(5) var f : texture_storage_2d<bgra8unorm, write>;\n"
        "@group(0) @binding(6) var g : texture_3d<f32>;\n"
        "@group(0) @binding(7) var h : sampler_comparison;\n"
        "@group(0) @binding(8) var i : texture_2d_array<f32>;\n"
        "@group(0) @binding(9) var<storage> j : array<u32>;\n"
        "@group(0) @binding(10) var k : texture_storage_2d<r32uint, write,>;\n");
    CHECK(info.binding_count == 11);
    if (info.binding_count == 11) {
        const wr_binding_info* b = info.bindings;
        CHECK(b[0].resource == WR_RESOURCE_STORAGE_TEXTURE && b[0].texture_format == WR_TEXTURE_FORMAT_RGBA8UNORM);
        CHECK(b[0].access == WR_ACCESS_WRITE && b[0].space == WR_SPACE_OTHER && b[0].scalar_type == WR_DTYPE_F32);
        CHECK(b[1].resource == WR_RESOURCE_STORAGE_TEXTURE && b[1].texture_format == WR_TEXTURE_FORMAT_R32FLOAT);
        CHECK(b[1].access == WR_ACCESS_READ_WRITE);
        CHECK(b[2].texture_format == WR_TEXTURE_FORMAT_RGBA16FLOAT && b[2].access == WR_ACCESS_READ);
        CHECK(b[3].resource == WR_RESOURCE_SAMPLED_TEXTURE && b[3].scalar_type == WR_DTYPE_U32);
        CHECK(b[4].resource == WR_RESOURCE_SAMPLER);
        /* a storage format wgslrun has no texture for: dispatch names it */
        CHECK(b[5].resource == WR_RESOURCE_STORAGE_TEXTURE && b[5].texture_format == WR_TEXTURE_FORMAT_INVALID);
        CHECK(b[6].resource == WR_RESOURCE_OTHER && b[7].resource == WR_RESOURCE_OTHER);
        CHECK(b[8].resource == WR_RESOURCE_OTHER);
        CHECK(b[9].resource == WR_RESOURCE_BUFFER && b[9].space == WR_SPACE_STORAGE);
        CHECK(b[10].texture_format == WR_TEXTURE_FORMAT_R32UINT && b[10].access == WR_ACCESS_WRITE);
    }
    wr_shader_info_free(&info);
    CHECK(wr_texture_format_parse("rgba32uint") == WR_TEXTURE_FORMAT_RGBA32UINT);
    CHECK(wr_texture_format_parse("bgra8unorm") == WR_TEXTURE_FORMAT_INVALID);
    CHECK(wr_texture_format_channels(WR_TEXTURE_FORMAT_RGBA8UNORM) == 4);
    CHECK(wr_texture_format_dtype(WR_TEXTURE_FORMAT_RGBA8UNORM) == WR_DTYPE_U8);
    CHECK(wr_texture_format_sample_type(WR_TEXTURE_FORMAT_R32SINT) == WR_DTYPE_I32);
    CHECK(strcmp(wr_texture_format_name(WR_TEXTURE_FORMAT_RGBA16FLOAT), "rgba16float") == 0);
}

/* Issue 15.1: resources of different entry points may share a @group/@binding; the scanner
 * keeps both (the per-entry-point check is in the kernel, tests/test_wgsl_uses.c). */
static void test_shared_binding_slots(void) {
    wr_shader_info info = scan_ok("@group(0) @binding(1) var<storage> a: array<f32>;\n"
                                  "@group(1) @binding(1) var<storage> b: array<f32>;\n"
                                  "@binding(1) @group(0) var<uniform> c: vec4f;\n");
    CHECK(info.binding_count == 3);
    if (info.binding_count == 3) {
        CHECK(strcmp(info.bindings[2].name, "c") == 0 && info.bindings[2].group == 0 &&
              info.bindings[2].binding == 1 && info.bindings[2].line == 3);
        CHECK(wr_shader_find_binding(&info, "c") == &info.bindings[2]);
        CHECK(wr_shader_find_binding(&info, "1") == &info.bindings[0]);
    }
    wr_shader_info_free(&info);
}

/* Issue 15.2: @id(n) is recorded (literal, suffixed, hex or const), and an id the scanner
 * cannot evaluate leaves has_id false. */
static void test_override_ids(void) {
    wr_shader_info info = scan_ok("const BASE = 40;\n"
                                  "@id(7) override scale: f32 = 1.5;\n"
                                  "@id(0x10u) override width = 64u;\n"
                                  "@id(BASE) override depth: i32;\n"
                                  "override plain = 2;\n"
                                  "@id(BASE + 1) override computed: u32;\n"
                                  "@id ( 3 , ) /* c */ override spaced: f32;\n");
    CHECK(info.override_count == 6);
    if (info.override_count == 6) {
        const wr_override_info* o = info.overrides;
        CHECK(strcmp(o[0].name, "scale") == 0 && o[0].has_id && o[0].id == 7);
        CHECK(o[0].has_default && o[0].default_value == 1.5);
        CHECK(o[1].has_id && o[1].id == 16 && o[1].type == WR_DTYPE_U32);
        CHECK(o[2].has_id && o[2].id == 40);
        CHECK(!o[3].has_id && strcmp(o[3].name, "plain") == 0);
        CHECK(!o[4].has_id);
        CHECK(o[5].has_id && o[5].id == 3);
    }
    wr_shader_info_free(&info);
}

/* Issue 15.3: where a runtime array starts, for the whole-elements check. */
static void test_runtime_offsets(void) {
    wr_binding_info b = layout_of("struct S { a: vec4f, d: array<f32> }", "S");
    CHECK(b.runtime_array && b.runtime_offset == 16 && b.element_stride == 4 && b.min_size == 32);
    b = layout_of("struct S { a: f32, d: array<vec3f> }", "S");
    CHECK(b.runtime_offset == 16 && b.element_stride == 16 && b.min_size == 32);
    b = layout_of("", "array<f32>");
    CHECK(b.runtime_offset == 0 && b.min_size == 4);
    b = layout_of("struct S { a: vec4f, b: f32 }", "S");
    CHECK(!b.runtime_array && b.runtime_offset == 0 && b.min_size == 32);
}

#define CHECK_VALUES(decls, type, cols, col_stride, size, stride)                              \
    do {                                                                                       \
        wr_binding_info v_ = layout_of((decls), (type));                                       \
        CHECK_MSG(v_.columns == (cols) && v_.column_stride == (col_stride) &&                  \
                      v_.value_size == (size) && v_.value_stride == (stride),                  \
                  "%s: columns %u column_stride %zu value_size %zu value_stride %zu", (type), \
                  (unsigned)v_.columns, v_.column_stride, v_.value_size, v_.value_stride);     \
    } while (0)

/* Issue 15.7: the padding inside and between values, for reading outputs back by stride. */
static void test_value_layouts(void) {
    CHECK_VALUES("", "array<f32>", 1, 4, 4, 4);
    CHECK_VALUES("", "array<vec3<f32>>", 1, 12, 12, 16);
    CHECK_VALUES("", "array<vec3f, 5>", 1, 12, 12, 16);
    CHECK_VALUES("", "array<vec2<u32>>", 1, 8, 8, 8);
    CHECK_VALUES("", "vec3f", 1, 12, 12, 16);
    CHECK_VALUES("", "mat3x3<f32>", 3, 16, 44, 48);
    CHECK_VALUES("", "array<mat3x3f>", 3, 16, 44, 48);
    CHECK_VALUES("", "array<mat2x3f>", 2, 16, 28, 32);
    CHECK_VALUES("", "array<mat3x2f>", 3, 8, 24, 24);
    CHECK_VALUES("", "array<mat4x4f>", 4, 16, 64, 64);
    CHECK_VALUES("enable f16;", "array<vec3h>", 1, 6, 6, 8);
    CHECK_VALUES("", "array<array<vec3f, 2>>", 1, 12, 12, 16);
    CHECK_VALUES("alias V = vec3<i32>;", "array<V>", 1, 12, 12, 16);
    CHECK_VALUES("", "array<atomic<u32>>", 1, 4, 4, 4);
    CHECK_VALUES("struct P { p: vec3f }", "array<P>", 0, 0, 0, 0);
    wr_binding_info m = layout_of("", "array<mat3x3f>");
    CHECK(m.components == 9 && m.scalar_type == WR_DTYPE_F32);
}

int main(void) {
    test_sample();
    test_textures_and_samplers();
    test_find_binding_other_group();
    test_scalar_vector_layouts();
    test_matrix_layouts();
    test_array_layouts();
    test_struct_layouts();
    test_type_text();
    test_overrides_and_consts();
    test_entry_points();
    test_subgroup_shaders();
    test_bindings_with_const_indices();
    test_errors();
    test_not_errors();
    test_lines_and_columns();
    test_embedded_nul();
    test_all_prefixes();
    test_noise();
    test_shared_binding_slots();
    test_override_ids();
    test_runtime_offsets();
    test_value_layouts();
    return check_summary();
}
