/* libFuzzer harness for the WGSL declaration scanner and the entry-point reachability walk:
 * any text either scans into declarations that satisfy the scanner's documented invariants, or
 * fails with a `name:line:col: error:` message; the walk then runs for every entry point. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_check.h"
#include "wgsl_uses.h"
#include "wgslrun.h"

static bool terminated(const char* text, size_t cap) { return memchr(text, '\0', cap) != NULL; }

static void check_binding(const wr_binding_info* b) {
    FUZZ_ASSERT(terminated(b->name, sizeof b->name) && b->name[0] != '\0');
    FUZZ_ASSERT(terminated(b->type_text, sizeof b->type_text));
    FUZZ_ASSERT(b->line >= 1);
    if (b->runtime_array && b->min_size > 0) {
        FUZZ_ASSERT(b->element_stride > 0);
        FUZZ_ASSERT(b->runtime_offset + b->element_stride <= b->min_size);
    }
    if (!b->runtime_array) FUZZ_ASSERT(b->element_stride == 0);
    if (b->value_stride > 0) {
        FUZZ_ASSERT(b->columns >= 1 && b->components % b->columns == 0);
        FUZZ_ASSERT(b->value_size <= b->value_stride && b->value_size > 0);
    }
}

static void check_info(const char* text, size_t size, const wr_shader_info* info) {
    for (size_t i = 0; i < info->binding_count; i++) {
        check_binding(&info->bindings[i]);
        FUZZ_ASSERT(wr_shader_find_binding(info, info->bindings[i].name) != NULL);
    }
    for (size_t i = 0; i < info->override_count; i++)
        FUZZ_ASSERT(terminated(info->overrides[i].name, WR_NAME_MAX));
    for (size_t i = 0; i < info->const_count; i++)
        FUZZ_ASSERT(terminated(info->consts[i].name, WR_NAME_MAX));
    bool* used = calloc(info->binding_count + 1, sizeof *used);
    FUZZ_ASSERT(used != NULL);
    for (size_t i = 0; i < info->entry_count; i++) {
        const wr_entry_info* e = &info->entries[i];
        FUZZ_ASSERT(terminated(e->name, WR_NAME_MAX));
        for (int d = 0; d < 3; d++) {
            FUZZ_ASSERT(terminated(e->workgroup_size_name[d], WR_NAME_MAX));
            FUZZ_ASSERT(e->workgroup_size[d] == 0 || e->workgroup_size_name[d][0] == '\0');
        }
        FUZZ_ASSERT(wr_shader_find_entry(info, e->name) != NULL);
        memset(used, 0, info->binding_count + 1);
        wr_wgsl_mark_used_bindings(text, size, info, e->name, used);
    }
    free(used);
}

int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const char* text = (const char*)data;
    wr_shader_info info;
    wr_error err = {0};
    wr_status status = wr_wgsl_scan(text, size, "fuzz.wgsl", &info, &err);
    if (status != WR_OK) {
        FUZZ_ASSERT(status == WR_ERROR_COMPILE || status == WR_ERROR_OUT_OF_MEMORY);
        FUZZ_ASSERT(strncmp(err.message, "fuzz.wgsl", 9) == 0);
        FUZZ_ASSERT(info.bindings == NULL && info.binding_count == 0);
        return 0;
    }
    check_info(text, size, &info);
    wr_shader_info_free(&info);
    return 0;
}
