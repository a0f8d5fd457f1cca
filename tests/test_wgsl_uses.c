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

int main(void) {
    test_binding_conflicts();
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
