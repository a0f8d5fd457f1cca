/* Kernels: WGSL compiled into compute pipelines, with diagnostics in compiler format. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "context.h"
#include "kernel_cache.h"
#include "texture.h"
#include "wait.h"
#include "wgsl_uses.h"

struct wr_kernel {
    wr_context* ctx;
    struct wr_pipeline_entry* entry;
};

/* ---------------------------------------------------------------- cache key */

/* The key is "entry\0constants|source": same_key compares both halves. */
static char* make_key(const wr_kernel_desc* desc, const char* entry) {
    size_t entry_length = strlen(entry);
    size_t size = entry_length + strlen(desc->source) + 3;
    for (size_t i = 0; i < desc->constant_count; i++) size += strlen(desc->constants[i].name) + 40;
    char* key = malloc(size);
    if (key == NULL) return NULL;
    memcpy(key, entry, entry_length + 1);
    size_t pos = entry_length + 1;
    for (size_t i = 0; i < desc->constant_count; i++)
        pos += (size_t)snprintf(key + pos, size - pos, "%s=%.17g;", desc->constants[i].name,
                                desc->constants[i].value);
    snprintf(key + pos, size - pos, "|%s", desc->source);
    return key;
}

static bool same_key(const char* a, const char* b) {
    size_t a_entry = strlen(a), b_entry = strlen(b);
    return a_entry == b_entry && memcmp(a, b, a_entry) == 0 && strcmp(a + a_entry + 1, b + b_entry + 1) == 0;
}

static void free_entry(wr_context* ctx, struct wr_pipeline_entry* entry) {
    for (int g = 0; g < WR_MAX_GROUPS; g++)
        if (entry->layouts[g]) ctx->procs.BindGroupLayoutRelease(entry->layouts[g]);
    if (entry->pipeline) ctx->procs.ComputePipelineRelease(entry->pipeline);
    wr_shader_info_free(&entry->shader);
    free(entry->binding_used);
    free(entry->key);
    free(entry);
}

void wr_kernel_cache_clear(wr_context* ctx) {
    while (ctx->pipelines) {
        struct wr_pipeline_entry* next = ctx->pipelines->next;
        free_entry(ctx, ctx->pipelines);
        ctx->pipelines = next;
    }
}

/* ---------------------------------------------------------------- checks before WebGPU */

static void list_entries(const wr_shader_info* info, char* out, size_t size) {
    out[0] = '\0';
    for (size_t i = 0; i < info->entry_count; i++) {
        size_t used = strlen(out);
        snprintf(out + used, size - used, "%s%s", i ? ", " : "", info->entries[i].name);
    }
}

static wr_status choose_entry(wr_context* ctx, const wr_shader_info* info, const char* name,
                              const char* file, const wr_entry_info** out) {
    *out = wr_shader_find_entry(info, name);
    if (*out != NULL) return WR_OK;
    char names[512];
    list_entries(info, names, sizeof names);
    if (info->entry_count == 0)
        return wr_ctx_fail(ctx, WR_ERROR_COMPILE, "%s: error: no @compute entry point", file);
    if (name == NULL)
        return wr_ctx_fail(ctx, WR_ERROR_COMPILE,
                           "%s: error: several @compute entry points (%s): choose one", file, names);
    return wr_ctx_fail(ctx, WR_ERROR_COMPILE,
                       "%s: error: entry point '%s' not found; @compute entry points: %s", file,
                       name, names);
}

static const wr_override_info* find_override(const wr_shader_info* info, const char* name) {
    for (size_t i = 0; i < info->override_count; i++)
        if (strcmp(info->overrides[i].name, name) == 0) return &info->overrides[i];
    return NULL;
}

/* A constant names an override by its name or, for `@id(n) override`, by n (as WebGPU keys it). */
static const wr_override_info* find_override_key(const wr_shader_info* info, const char* key) {
    const wr_override_info* o = find_override(info, key);
    if (o != NULL || key[0] < '0' || key[0] > '9') return o;
    char* end = NULL;
    unsigned long id = strtoul(key, &end, 10);
    for (size_t i = 0; *end == '\0' && i < info->override_count; i++)
        if (info->overrides[i].has_id && info->overrides[i].id == id) return &info->overrides[i];
    return NULL;
}

/* The key WebGPU takes for an override: its id's decimal string when it has @id. */
static void override_key(const wr_override_info* o, char out[WR_NAME_MAX]) {
    if (o->has_id) snprintf(out, WR_NAME_MAX, "%u", (unsigned)o->id);
    else snprintf(out, WR_NAME_MAX, "%s", o->name);
}

/* Resolves each constant to the override it sets (targets[i]); a constant set twice, once by
 * name and once by id, is an error rather than a silent last-wins. */
static wr_status check_constants(wr_context* ctx, const wr_kernel_desc* desc,
                                 const wr_shader_info* info, const char* file,
                                 const wr_override_info** targets) {
    for (size_t i = 0; i < desc->constant_count; i++) {
        const wr_constant* c = &desc->constants[i];
        targets[i] = c->name ? find_override_key(info, c->name) : NULL;
        if (targets[i] == NULL)
            return wr_ctx_fail(ctx, WR_ERROR_COMPILE,
                               "%s: error: constant '%s' is not an `override` declared in the shader",
                               file, c->name ? c->name : "(null)");
        if (!isfinite(c->value))
            return wr_ctx_fail(ctx, WR_ERROR_INVALID_ARGUMENT, "%s: error: constant '%s' is not finite",
                               file, c->name);
        for (size_t k = 0; k < i; k++)
            if (targets[k] == targets[i])
                return wr_ctx_fail(ctx, WR_ERROR_INVALID_ARGUMENT,
                                   "%s: error: override '%s' is set twice (as '%s' and as '%s')", file,
                                   targets[i]->name, desc->constants[k].name, c->name);
    }
    return WR_OK;
}

/* A named workgroup dimension takes the caller's constant, else the override's default, else
 * the module-scope const of that name. */
static wr_status resolve_workgroup_size(wr_context* ctx, const wr_kernel_desc* desc,
                                        const wr_shader_info* info, const wr_entry_info* entry,
                                        const wr_override_info* const* targets, const char* file,
                                        uint32_t out[3]) {
    for (int d = 0; d < 3; d++) {
        out[d] = entry->workgroup_size[d];
        const char* name = entry->workgroup_size_name[d];
        if (name[0] == '\0' && out[d] == 0)
            return wr_ctx_fail(ctx, WR_ERROR_COMPILE,
                               "%s:%u: error: cannot evaluate dimension %c of @workgroup_size of '%s': use a "
                               "literal, a const or an override",
                               file, entry->line, "xyz"[d], entry->name);
        if (name[0] == '\0') continue;
        double value = NAN;
        const wr_override_info* o = find_override(info, name);
        for (size_t i = 0; o != NULL && i < desc->constant_count; i++)
            if (targets[i] == o) value = desc->constants[i].value;
        if (isnan(value) && o != NULL && o->has_default) value = o->default_value;
        for (size_t i = 0; isnan(value) && i < info->const_count; i++)
            if (strcmp(info->consts[i].name, name) == 0) value = info->consts[i].value;
        if (isnan(value) || value < 1 || value > 65535 || value != floor(value))
            return wr_ctx_fail(ctx, WR_ERROR_COMPILE,
                               "%s:%u: error: @workgroup_size of '%s' uses '%s', which has no "
                               "value: define it",
                               file, entry->line, entry->name, name);
        out[d] = (uint32_t)value;
    }
    return WR_OK;
}

/* ---------------------------------------------------------------- compilation */

/* A WebGPU error report before it is condensed into a message (see context.c's scopes). */
#define WR_SCOPE_REPORT_MAX 8192

typedef struct compile_result {
    bool done;
    char text[WR_ERROR_MESSAGE_MAX];
    bool has_error;
} compile_result;

typedef struct compile_callback_data {
    compile_result* result;
    const char* file;
} compile_callback_data;

static const char* message_kind(WGPUCompilationMessageType type) {
    switch (type) {
    case WGPUCompilationMessageType_Error: return "error";
    case WGPUCompilationMessageType_Warning: return "warning";
    default: return "note";
    }
}

static void on_compilation_info(WGPUCompilationInfoRequestStatus status, const WGPUCompilationInfo* info,
                                void* userdata1, void* userdata2) {
    compile_callback_data* data = userdata1;
    (void)userdata2;
    compile_result* result = data->result;
    result->done = true;
    if (status != WGPUCompilationInfoRequestStatus_Success || info == NULL) return;
    for (size_t i = 0; i < info->messageCount; i++) {
        const WGPUCompilationMessage* m = &info->messages[i];
        if (m->type == WGPUCompilationMessageType_Error) result->has_error = true;
        if (m->type == WGPUCompilationMessageType_Info) continue;
        char text[512];
        wr_sv_copy(text, sizeof text, m->message);
        size_t used = strlen(result->text);
        snprintf(result->text + used, sizeof result->text - used, "%s%s:%llu:%llu: %s: %s",
                 used ? "\n" : "", data->file, (unsigned long long)m->lineNum,
                 (unsigned long long)m->linePos, message_kind(m->type), text);
    }
}

static void compilation_messages(wr_context* ctx, WGPUShaderModule module, const char* file,
                                 compile_result* result) {
    compile_callback_data data = {result, file};
    WGPUFuture future = ctx->procs.ShaderModuleGetCompilationInfo(
        module, (WGPUCompilationInfoCallbackInfo){
                    .mode = ctx->callback_mode, .callback = on_compilation_info, .userdata1 = &data});
    (void)wr_ctx_wait(ctx, future, &result->done);
}

/* The `L:C` at the end of wgpu-native's `┌─ NAME:L:C` marker line (NAME is the module's label,
 * or "wgsl"); false when the line does not end in two numbers. */
static bool marker_position(const char* line, size_t length, unsigned* out_line, unsigned* out_col) {
    size_t colon2 = length;
    while (colon2 > 0 && line[colon2 - 1] != ':') colon2--;
    size_t colon1 = colon2 > 1 ? colon2 - 1 : 0;
    while (colon1 > 0 && line[colon1 - 1] != ':') colon1--;
    if (colon2 == 0 || colon1 == 0) return false;
    char* end;
    unsigned long l = strtoul(line + colon1, &end, 10);
    if (end != line + colon2 - 1 || l == 0) return false;
    unsigned long c = strtoul(line + colon2, &end, 10);
    if (end != line + length || c == 0) return false;
    *out_line = (unsigned)l;
    *out_col = (unsigned)c;
    return true;
}

/* The first line of `report` (its headline) and each later line that is a `= note`. */
static void append_report_lines(const char* report, size_t n, char* out, size_t size) {
    size_t used = 0;
    for (size_t pos = 0, index = 0; pos < n && used + 1 < size; index++) {
        size_t length = strcspn(report + pos, "\n");
        if (pos + length > n) length = n - pos;
        size_t blank = strspn(report + pos, " ");
        if (index == 0 || (blank < length && report[pos + blank] == '=')) {
            int wrote = snprintf(out + used, size - used, "%s%.*s", index ? "\n" : "", (int)length,
                                 report + pos);
            used = wrote < 0 ? size : used + (size_t)wrote;
        }
        pos += length + 1;
    }
}

/* wgpu-native wraps a WGSL diagnostic in "Validation Error / Caused by: / In wgpuDevice..."
 * and ends it with a repeat of its notes after two blank lines; between the two is the
 * compiler's report: a headline after "error: ", a `┌─ NAME:L:C` marker, the source excerpt
 * and the `= ...` notes that give the reason (a missing capability, say). The caller gets
 * `file:line:col: error: ` and that whole report, not just its headline. Dawn's validation
 * text has neither part and is passed on whole. */
static void format_validation_error(const char* message, const char* file, char* out, size_t size) {
    const char* report = strstr(message, "Caused by:") ? strstr(message, "error: ") : NULL;
    report = report ? report + 7 : message;
    const char* repeat = strstr(report, "\n\n\n");
    size_t n = repeat ? (size_t)(repeat - report) : strlen(report);
    while (n > 0 && (report[n - 1] == '\n' || report[n - 1] == ' ' || report[n - 1] == '\r')) n--;
    unsigned line = 0, col = 0;
    const char* marker = strstr(report, "\xe2\x94\x8c\xe2\x94\x80 "); /* "┌─ " */
    if (marker != NULL && marker < report + n) {
        size_t marker_length = strcspn(marker, "\n");
        if (!marker_position(marker, marker_length, &line, &col)) line = 0;
    }
    int used = line > 0 ? snprintf(out, size, "%s:%u:%u: error: ", file, line, col)
                        : snprintf(out, size, "%s: error: ", file);
    if (used < 0 || (size_t)used >= size) return;
    if ((size_t)used + n < size) {
        snprintf(out + used, size - (size_t)used, "%.*s", (int)n, report);
        return;
    }
    /* Too long (a long source line in the excerpt): the headline and the notes carry the
     * reason, so those are kept and the excerpt goes. */
    append_report_lines(report, n, out + used, size - (size_t)used);
}

/* naga (wgpu-native) rejects `enable subgroups;` as "not yet implemented" (gfx-rs/wgpu#5555)
 * while it compiles the subgroup built-ins whenever the device has the feature, and Tint
 * requires the directive. So for wgpu-native a line holding only that directive is blanked
 * (spaces keep every line and column of the diagnostics). Returns a malloc'd copy, or NULL
 * when the source needs no change or memory ran out (then the original is compiled). */
static char* without_subgroups_enable(const char* source) {
    static const char directive[] = "enable subgroups;";
    char* copy = NULL;
    for (const char* line = source; *line != '\0';) {
        const char* start = line + strspn(line, " \t");
        size_t length = strcspn(line, "\n");
        const char* after = start + sizeof directive - 1;
        if (strncmp(start, directive, sizeof directive - 1) == 0 && after <= line + length &&
            strspn(after, " \t\r") == (size_t)(line + length - after)) {
            if (copy == NULL) {
                if ((copy = malloc(strlen(source) + 1)) == NULL) return NULL;
                strcpy(copy, source);
            }
            memset(copy + (start - source), ' ', sizeof directive - 1);
        }
        line += length + (line[length] == '\n');
    }
    return copy;
}

static wr_status create_module(wr_context* ctx, const char* source, const char* file,
                               WGPUShaderModule* out) {
    char* adapted = ctx->procs.kind == WR_IMPL_WGPU_NATIVE ? without_subgroups_enable(source) : NULL;
    WGPUShaderSourceWGSL wgsl = WGPU_SHADER_SOURCE_WGSL_INIT;
    wgsl.code = wr_sv(adapted ? adapted : source);
    WGPUShaderModuleDescriptor desc = WGPU_SHADER_MODULE_DESCRIPTOR_INIT;
    desc.nextInChain = &wgsl.chain;
    desc.label = wr_sv(file);
    wr_ctx_push_scopes(ctx);
    *out = ctx->procs.DeviceCreateShaderModule(ctx->device, &desc);
    free(adapted);
    char scope_message[WR_SCOPE_REPORT_MAX] = "";
    wr_status status = wr_ctx_pop_scopes(ctx, WR_ERROR_COMPILE, scope_message, sizeof scope_message);
    compile_result result = {0};
    if (*out != NULL && ctx->procs.has_compilation_info) compilation_messages(ctx, *out, file, &result);
    if (status == WR_OK && !result.has_error && *out != NULL) return WR_OK;
    if (result.has_error) return wr_ctx_fail(ctx, WR_ERROR_COMPILE, "%s", result.text);
    char formatted[WR_ERROR_MESSAGE_MAX];
    format_validation_error(scope_message[0] ? scope_message : "shader module creation failed", file,
                            formatted, sizeof formatted);
    return wr_ctx_fail(ctx, status == WR_OK ? WR_ERROR_COMPILE : status, "%s", formatted);
}

static wr_status create_pipeline(wr_context* ctx, WGPUShaderModule module, const wr_kernel_desc* desc,
                                 const wr_override_info* const* targets, const char* entry,
                                 const char* file, WGPUComputePipeline* out) {
    WGPUConstantEntry* constants = calloc(desc->constant_count + 1, sizeof *constants);
    char(*keys)[WR_NAME_MAX] = calloc(desc->constant_count + 1, sizeof *keys);
    if (constants == NULL || keys == NULL) {
        free(constants);
        free(keys);
        return wr_ctx_fail(ctx, WR_ERROR_OUT_OF_MEMORY, "out of host memory");
    }
    for (size_t i = 0; i < desc->constant_count; i++) {
        override_key(targets[i], keys[i]);
        constants[i] = (WGPUConstantEntry){.key = wr_sv(keys[i]), .value = desc->constants[i].value};
    }
    WGPUComputePipelineDescriptor pipeline_desc = WGPU_COMPUTE_PIPELINE_DESCRIPTOR_INIT;
    pipeline_desc.label = wr_sv(entry);
    pipeline_desc.compute.module = module;
    pipeline_desc.compute.entryPoint = wr_sv(entry);
    pipeline_desc.compute.constantCount = desc->constant_count;
    pipeline_desc.compute.constants = constants;
    wr_ctx_push_scopes(ctx);
    *out = ctx->procs.DeviceCreateComputePipeline(ctx->device, &pipeline_desc);
    char message[WR_SCOPE_REPORT_MAX] = "";
    wr_status status = wr_ctx_pop_scopes(ctx, WR_ERROR_COMPILE, message, sizeof message);
    free(constants);
    free(keys);
    if (status == WR_OK && *out != NULL) return WR_OK;
    if (*out != NULL) ctx->procs.ComputePipelineRelease(*out);
    *out = NULL;
    char formatted[WR_ERROR_MESSAGE_MAX];
    format_validation_error(message[0] ? message : "pipeline creation failed", file, formatted,
                            sizeof formatted);
    return wr_ctx_fail(ctx, status == WR_OK ? WR_ERROR_COMPILE : status, "%s", formatted);
}

/* WGSL forbids two resources at one @group/@binding only within one entry point's interface,
 * so the check runs on what this entry point reaches. */
static wr_status check_binding_conflicts(wr_context* ctx, const struct wr_pipeline_entry* entry,
                                         const char* file) {
    size_t first, second;
    if (!wr_wgsl_find_binding_conflict(&entry->shader, entry->binding_used, &first, &second))
        return WR_OK;
    const wr_binding_info* a = &entry->shader.bindings[first];
    const wr_binding_info* b = &entry->shader.bindings[second];
    return wr_ctx_fail(ctx, WR_ERROR_COMPILE,
                       "%s:%u: error: @group(%u) @binding(%u) of '%s' is already used by '%s' on line "
                       "%u, and entry point '%s' uses both",
                       file, b->line, b->group, b->binding, b->name, a->name, a->line,
                       entry->entry.name);
}

static wr_status check_declarations(wr_context* ctx, const wr_kernel_desc* desc, const char* file,
                                    struct wr_pipeline_entry* entry,
                                    const wr_override_info** targets) {
    const wr_entry_info* chosen;
    wr_status status = choose_entry(ctx, &entry->shader, desc->entry, file, &chosen);
    if (status == WR_OK) status = check_constants(ctx, desc, &entry->shader, file, targets);
    if (status == WR_OK)
        status = resolve_workgroup_size(ctx, desc, &entry->shader, chosen, targets, file,
                                        entry->workgroup_size);
    if (status != WR_OK) return status;
    entry->entry = *chosen;
    entry->binding_used = calloc(entry->shader.binding_count + 1, sizeof(bool));
    if (entry->binding_used == NULL) return wr_ctx_fail(ctx, WR_ERROR_OUT_OF_MEMORY, "out of host memory");
    wr_wgsl_mark_used_bindings(desc->source, strlen(desc->source), &entry->shader, chosen->name,
                               entry->binding_used);
    return check_binding_conflicts(ctx, entry, file);
}

static wr_status compile_entry(wr_context* ctx, const wr_kernel_desc* desc, const char* file,
                               struct wr_pipeline_entry* entry) {
    wr_error err;
    if (wr_wgsl_scan(desc->source, strlen(desc->source), file, &entry->shader, &err) != WR_OK)
        return wr_ctx_fail(ctx, err.status, "%s", err.message);
    const wr_override_info** targets = calloc(desc->constant_count + 1, sizeof *targets);
    if (targets == NULL) return wr_ctx_fail(ctx, WR_ERROR_OUT_OF_MEMORY, "out of host memory");
    wr_status status = check_declarations(ctx, desc, file, entry, targets);
    WGPUShaderModule module = NULL;
    if (status == WR_OK) status = create_module(ctx, desc->source, file, &module);
    if (status == WR_OK) {
        status = create_pipeline(ctx, module, desc, targets, entry->entry.name, file, &entry->pipeline);
        if (status != WR_OK)
            status = wr_texture_explain_pipeline_error(ctx, &entry->shader, entry->binding_used, file, status);
    }
    if (module) ctx->procs.ShaderModuleRelease(module);
    free(targets);
    return status;
}

wr_status wr_kernel_create(wr_context* ctx, const wr_kernel_desc* desc, wr_kernel** out) {
    *out = NULL;
    if (desc == NULL || desc->source == NULL)
        return wr_ctx_fail(ctx, WR_ERROR_INVALID_ARGUMENT, "wr_kernel_create: no WGSL source");
    const char* file = desc->source_name ? desc->source_name : "<input>";
    wr_kernel* kernel = calloc(1, sizeof *kernel);
    char* key = make_key(desc, desc->entry ? desc->entry : "");
    if (kernel == NULL || key == NULL) {
        free(kernel);
        free(key);
        return wr_ctx_fail(ctx, WR_ERROR_OUT_OF_MEMORY, "out of host memory");
    }
    kernel->ctx = ctx;
    for (struct wr_pipeline_entry* e = ctx->pipelines; e != NULL; e = e->next)
        if (same_key(e->key, key)) kernel->entry = e;
    if (kernel->entry != NULL) {
        free(key);
        *out = kernel;
        return WR_OK;
    }
    struct wr_pipeline_entry* entry = calloc(1, sizeof *entry);
    if (entry == NULL) {
        free(kernel);
        free(key);
        return wr_ctx_fail(ctx, WR_ERROR_OUT_OF_MEMORY, "out of host memory");
    }
    entry->key = key;
    wr_status status = compile_entry(ctx, desc, file, entry);
    if (status != WR_OK) {
        free_entry(ctx, entry);
        free(kernel);
        return status;
    }
    entry->next = ctx->pipelines;
    ctx->pipelines = entry;
    kernel->entry = entry;
    *out = kernel;
    return WR_OK;
}

void wr_kernel_destroy(wr_kernel* kernel) {
    /* The pipeline stays in the context's cache until the context is destroyed. */
    free(kernel);
}

const wr_shader_info* wr_kernel_shader_info(const wr_kernel* kernel) {
    return &kernel->entry->shader;
}

const wr_entry_info* wr_kernel_entry(const wr_kernel* kernel) {
    return &kernel->entry->entry;
}

/* Names are unique in a module; a @binding index may be shared by resources that different
 * entry points use, so an index means the one this kernel's entry point reaches. */
const wr_binding_info* wr_kernel_find_binding(const wr_kernel* kernel, const char* name_or_index) {
    const wr_shader_info* info = &kernel->entry->shader;
    const bool* used = kernel->entry->binding_used;
    const wr_binding_info* found = wr_shader_find_binding(info, name_or_index);
    if (found == NULL || name_or_index[0] < '0' || name_or_index[0] > '9') return found;
    for (int any_group = 0; any_group < 2; any_group++)
        for (size_t k = 0; k < info->binding_count; k++)
            if (used[k] && info->bindings[k].binding == found->binding &&
                (any_group || info->bindings[k].group == 0))
                return &info->bindings[k];
    return found;
}

void wr_kernel_workgroup_size(const wr_kernel* kernel, uint32_t size[3]) {
    memcpy(size, kernel->entry->workgroup_size, sizeof kernel->entry->workgroup_size);
}

struct wr_pipeline_entry* wr_kernel_pipeline(const wr_kernel* kernel) {
    return kernel->entry;
}

WGPUBindGroupLayout wr_kernel_layout(wr_context* ctx, struct wr_pipeline_entry* entry, uint32_t group) {
    if (group >= WR_MAX_GROUPS) return NULL;
    if (entry->layouts[group] == NULL)
        entry->layouts[group] = ctx->procs.ComputePipelineGetBindGroupLayout(entry->pipeline, group);
    return entry->layouts[group];
}
