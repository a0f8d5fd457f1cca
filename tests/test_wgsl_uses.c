/* Unit tests of the entry-point reachability walk behind automatic bind group layouts. */
#include <stdlib.h>

#include "check.h"
#include "wgsl_uses.h"
#include "wgslrun.h"

static const char source[] =
    "@group(0) @binding(0) var<storage, read> a : array<f32>;\n"
    "@group(0) @binding(1) var<storage, read_write> b : array<f32>;\n"
    "@group(0) @binding(2) var<storage, read_write> c : array<f32>;\n"
    "/* c is named here { but this is a comment } */\n"
    "fn helper(i : u32) -> f32 { return a[i]; } // c\n"
    "fn unused() { c[0] = 1.0; }\n"
    "@compute @workgroup_size(1) fn first(@builtin(global_invocation_id) id : vec3<u32>) {\n"
    "  if (true) { b[id.x] = helper(id.x); }\n"
    "}\n"
    "@compute @workgroup_size(1) fn second() { c[0] = 2.0; }\n";

/* Issue 15.1: a @group/@binding shared by resources of different entry points is a conflict
 * only for an entry point that reaches both. */
static const char shared_slots[] =
    "@group(0) @binding(0) var<storage, read_write> counts : array<u32>;\n"
    "@group(0) @binding(0) var<storage, read_write> sums : array<f32>;\n"
    "@group(1) @binding(0) var<storage, read_write> other : array<f32>;\n"
    "fn add() { sums[0] += 1.0; }\n"
    "@compute @workgroup_size(1) fn count() { counts[0] = 1u; other[0] = 0.0; }\n"
    "@compute @workgroup_size(1) fn total() { add(); other[1] = 0.0; }\n"
    "@compute @workgroup_size(1) fn both() { counts[1] = 2u; add(); }\n";

static void test_binding_conflicts(void) {
    wr_shader_info info = {0};
    wr_error err;
    CHECK(wr_wgsl_scan(shared_slots, sizeof shared_slots - 1, "shared.wgsl", &info, &err) == WR_OK);
    CHECK(info.binding_count == 3);
    const char* entries[] = {"count", "total", "both"};
    for (int e = 0; e < 3; e++) {
        bool used[3] = {false, false, false};
        size_t first = 99, second = 99;
        wr_wgsl_mark_used_bindings(shared_slots, sizeof shared_slots - 1, &info, entries[e], used);
        bool conflict = wr_wgsl_find_binding_conflict(&info, used, &first, &second);
        CHECK_MSG(conflict == (e == 2), "%s: conflict %d", entries[e], (int)conflict);
        if (e == 2) CHECK(first == 0 && second == 1);
    }
    wr_shader_info_free(&info);
}

/* Names that are not uses: members, parameters and locals in scope. Names that are: the same
 * name outside the local's scope, in its own initializer, after a for-loop's body. */
static const char scoped[] =
    "struct P { data : f32, out : u32 }\n"
    "@group(0) @binding(0) var<storage, read_write> data : array<f32>;\n"
    "@group(0) @binding(1) var<storage, read_write> out : array<u32>;\n"
    "@group(0) @binding(2) var<storage, read_write> tmp : array<f32>;\n"
    "@group(0) @binding(3) var<uniform> p : P;\n"
    "@group(0) @binding(4) var<storage, read_write> late : array<f32>;\n"
    "@group(0) @binding(5) var<storage, read_write> own : array<f32>;\n"
    "fn member_only(q : P) -> f32 { return q.data + f32(q.out); }\n"
    "fn param(data : f32) -> f32 { return data * 2.0; }\n"
    "@compute @workgroup_size(1) fn a() {\n"
    "  { let tmp = 1.0; p.out; }\n"                              /* tmp shadowed, p used */
    "  let x = member_only(P(1.0, 2u)) + param(3.0);\n"
    "  for (var late = 0u; late < 4u; late++) { let own = own[late]; }\n" /* own used in its initializer */
    "  late[0] = x;\n"                                            /* after the loop: the binding */
    "}\n"
    "@compute @workgroup_size(1) fn b() { var<function> data : f32; data = 1.0; tmp[0] = data; }\n";

static void test_scopes(void) {
    wr_shader_info info = {0};
    wr_error err;
    CHECK(wr_wgsl_scan(scoped, sizeof scoped - 1, "scoped.wgsl", &info, &err) == WR_OK);
    CHECK(info.binding_count == 6);
    bool a[6] = {false}, b[6] = {false};
    wr_wgsl_mark_used_bindings(scoped, sizeof scoped - 1, &info, "a", a);
    /* data, out, tmp, p, late, own */
    CHECK_MSG(!a[0] && !a[1] && !a[2] && a[3] && a[4] && a[5], "a: %d %d %d %d %d %d", a[0], a[1], a[2], a[3], a[4], a[5]);
    wr_wgsl_mark_used_bindings(scoped, sizeof scoped - 1, &info, "b", b);
    CHECK_MSG(!b[0] && !b[1] && b[2] && !b[3] && !b[4] && !b[5], "b: %d %d %d %d %d %d", b[0], b[1], b[2], b[3], b[4], b[5]);
    wr_shader_info_free(&info);
}

int main(void) {
    test_binding_conflicts();
    test_scopes();
    wr_shader_info info = {0};
    wr_error err;
    CHECK(wr_wgsl_scan(source, sizeof source - 1, "uses.wgsl", &info, &err) == WR_OK);
    CHECK(info.binding_count == 3);
    bool used[3] = {false, false, false};
    wr_wgsl_mark_used_bindings(source, sizeof source - 1, &info, "first", used);
    CHECK(used[0] && used[1] && !used[2]);
    bool used2[3] = {false, false, false};
    wr_wgsl_mark_used_bindings(source, sizeof source - 1, &info, "second", used2);
    CHECK(!used2[0] && !used2[1] && used2[2]);
    bool fallback[3] = {false, false, false};
    wr_wgsl_mark_used_bindings(source, sizeof source - 1, &info, "absent", fallback);
    CHECK(fallback[0] && fallback[1] && fallback[2]);
    /* Every truncation of the source is walked without reading past it. */
    for (size_t n = 0; n < sizeof source - 1; n++) {
        bool u[3] = {false, false, false};
        wr_wgsl_mark_used_bindings(source, n, &info, "first", u);
    }
    wr_shader_info_free(&info);
    return check_summary();
}
