/* `wgslrun compare`: the shader's bindings, the inputs generated once and written as files
 * every method reads, and the job file the JavaScript runner (bench/web/compare/) takes. */
#define _XOPEN_SOURCE 700 /* nftw */
#include <errno.h>
#include <ftw.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "args.h"
#include "cmd_compare.h"
#include "commands.h"
#include "json.h"
#include "paths.h"
#include "wgsl_file.h"

static int fail(const char* message) {
    fprintf(stderr, "wgslrun compare: error: %s\n", message);
    return CLI_EXIT_FAILURE;
}

/* ---------------------------------------------------------------- the shader */

static int resolve_bind(cmp_plan* plan, size_t index) {
    cmp_bind* b = &plan->options->binds[index];
    char error[1400];
    b->info = wr_shader_find_binding(&plan->shader, b->target);
    if (b->info == NULL) {
        char names[600];
        cli_list_bindings(&plan->shader, names, sizeof names);
        snprintf(error, sizeof error, "%s: no binding '%s' in the shader; it declares: %s", plan->options->file,
                 b->target, names[0] ? names : "none");
        return fail(error);
    }
    for (size_t k = 0; k < index; k++)
        if (plan->options->binds[k].info == b->info) {
            snprintf(error, sizeof error, "binding '%s' is given twice (--bind %s and --bind %s)", b->info->name,
                     plan->options->binds[k].target, b->target);
            return fail(error);
        }
    if (b->info->space == WR_SPACE_OTHER) {
        snprintf(error, sizeof error, "%s:%u: binding '%s' (%s) is not a buffer: compare binds storage and uniform buffers",
                 plan->options->file, b->info->line, b->info->name, b->info->type_text);
        return fail(error);
    }
    b->is_output = b->info->space == WR_SPACE_STORAGE && b->info->access != WR_ACCESS_READ;
    return CLI_EXIT_OK;
}

/* A named workgroup dimension takes the method's define, else the common one, else the
 * override's default, else a module-scope const: the order src/kernel.c resolves it in. */
static double named_value(const cmp_plan* plan, cmp_method_id method, const char* name) {
    double value = NAN;
    for (size_t i = 0; i < plan->options->define_count; i++) {
        const cmp_define* d = &plan->options->defines[i];
        if (strcmp(d->name, name) == 0 && (d->method == method || (d->method == CMP_METHOD_COUNT && isnan(value))))
            value = d->value;
    }
    for (size_t i = 0; isnan(value) && i < plan->shader.override_count; i++)
        if (strcmp(plan->shader.overrides[i].name, name) == 0 && plan->shader.overrides[i].has_default)
            value = plan->shader.overrides[i].default_value;
    for (size_t i = 0; isnan(value) && i < plan->shader.const_count; i++)
        if (strcmp(plan->shader.consts[i].name, name) == 0) value = plan->shader.consts[i].value;
    return value;
}

/* The workgroup size `method` runs with; 0 in a dimension the CLI will refuse with its message. */
static void workgroup_size_for(const cmp_plan* plan, cmp_method_id method, uint32_t out[3]) {
    for (int d = 0; d < 3; d++) {
        out[d] = plan->entry->workgroup_size[d];
        if (plan->entry->workgroup_size_name[d][0] == '\0') continue;
        double v = named_value(plan, method, plan->entry->workgroup_size_name[d]);
        out[d] = isnan(v) || v < 1 || v > 65535 || v != floor(v) ? 0 : (uint32_t)v;
    }
}

static int find_entry(cmp_plan* plan) {
    const wr_shader_info* s = &plan->shader;
    char error[600];
    if (plan->options->entry != NULL) plan->entry = wr_shader_find_entry(s, plan->options->entry);
    else if (s->entry_count == 1) plan->entry = &s->entries[0];
    if (plan->entry != NULL) return CLI_EXIT_OK;
    size_t used = (size_t)snprintf(error, sizeof error, "%s: ", plan->options->file);
    if (s->entry_count == 0) snprintf(error + used, sizeof error - used, "no @compute entry point");
    else {
        used += (size_t)snprintf(error + used, sizeof error - used, plan->options->entry ? "no entry point '%s'; " : "%s",
                                 plan->options->entry ? plan->options->entry : "");
        used += (size_t)snprintf(error + used, sizeof error - used, "%s: ",
                                 plan->options->entry ? "it has" : "several entry points, choose one with --entry");
        for (size_t i = 0; i < s->entry_count && used < sizeof error; i++)
            used += (size_t)snprintf(error + used, sizeof error - used, "%s%s", i ? ", " : "", s->entries[i].name);
    }
    return fail(error);
}

int cmp_scan_shader(cmp_plan* plan) {
    char error[1200];
    plan->source = read_wgsl_file(plan->options->file, error, sizeof error);
    if (plan->source == NULL) return fail(error);
    wr_error err = {0};
    if (wr_wgsl_scan(plan->source, strlen(plan->source), plan->options->file, &plan->shader, &err) != WR_OK)
        return fail(err.message);
    int rc = find_entry(plan);
    for (size_t i = 0; i < plan->options->bind_count && rc == CLI_EXIT_OK; i++) rc = resolve_bind(plan, i);
    bool any_output = false;
    for (size_t i = 0; i < plan->options->bind_count; i++) any_output |= plan->options->binds[i].is_output;
    if (rc == CLI_EXIT_OK && !any_output)
        rc = fail("no writable storage buffer is bound: there is no output to compare");
    return rc;
}

/* ---------------------------------------------------------------- inputs */

/* What the methods check themselves; checked here once, so no method runs on data that the
 * others refuse. The same conditions and wording as `wgslrun run`. */
static int check_data(const cmp_plan* plan, const cmp_bind* b, const wr_array* data) {
    const wr_binding_info* d = b->info;
    char error[1400];
    if (b->source.kind != CLI_SOURCE_VALUES && d->scalar_type != WR_DTYPE_INVALID && d->scalar_type != data->dtype) {
        snprintf(error, sizeof error, "%s:%u: binding '%s' is %s (elements of %s) but --bind %s=%s holds %s",
                 plan->options->file, d->line, d->name, d->type_text, wr_dtype_name(d->scalar_type), b->target, b->spec,
                 wr_dtype_name(data->dtype));
        return fail(error);
    }
    if (data->byte_size < d->min_size) {
        snprintf(error, sizeof error, "%s:%u: binding '%s' (%s) needs at least %zu bytes; --bind %s=%s gives %zu",
                 plan->options->file, d->line, d->name, d->type_text, d->min_size, b->target, b->spec, data->byte_size);
        return fail(error);
    }
    return CLI_EXIT_OK;
}

/* The array an output is read back as: the declared element type and vector width. */
static void plan_output(cmp_bind* b, const wr_array* data) {
    const wr_binding_info* d = b->info;
    b->out_dtype = d->scalar_type != WR_DTYPE_INVALID ? d->scalar_type : data->dtype;
    b->out_count = data->byte_size / wr_dtype_size(b->out_dtype);
    b->out_ndim = 1;
    b->out_shape[0] = b->out_count;
    if (d->components > 1 && b->out_count % d->components == 0) {
        b->out_ndim = 2;
        b->out_shape[0] = b->out_count / d->components;
        b->out_shape[1] = d->components;
    }
}

static int write_raw(const char* path, const wr_array* data) {
    FILE* f = fopen(path, "wb");
    bool ok = f != NULL && fwrite(data->data, 1, data->byte_size, f) == data->byte_size;
    if (f != NULL && fclose(f) != 0) ok = false;
    if (ok) return CLI_EXIT_OK;
    char error[1200];
    snprintf(error, sizeof error, "%s: cannot write: %s", path, strerror(errno));
    return fail(error);
}

/* Generated or read once; literal values (uniforms) go to the CLI methods as they were given,
 * and to the JavaScript runner as their bytes. */
static int write_input(cmp_plan* plan, cmp_bind* b) {
    wr_error err = {0};
    wr_array data;
    if (cli_source_load(&b->source, &data, &err) != WR_OK) return fail(err.message);
    int rc = check_data(plan, b, &data);
    b->byte_size = data.byte_size;
    if (rc == CLI_EXIT_OK) plan_output(b, &data);
    bool raw = b->source.kind == CLI_SOURCE_VALUES;
    snprintf(b->input_path, sizeof b->input_path, "%s/inputs/%s.%s", plan->work_dir, b->info->name, raw ? "bin" : "npy");
    if (rc == CLI_EXIT_OK && raw) rc = write_raw(b->input_path, &data);
    else if (rc == CLI_EXIT_OK && wr_npy_write(b->input_path, &data, &err) != WR_OK) rc = fail(err.message);
    wr_array_free(&data);
    return rc;
}

static int make_work_dir(cmp_plan* plan) {
    char error[1200];
    const char* keep = plan->options->keep_dir;
    if (keep != NULL) {
        snprintf(plan->work_dir, sizeof plan->work_dir, "%s", keep);
        if (mkdir(keep, 0755) == 0 || (errno == EEXIST && access(keep, W_OK) == 0)) return CLI_EXIT_OK;
        snprintf(error, sizeof error, "--keep %s: cannot create or write: %s", keep, strerror(errno));
        plan->work_dir[0] = '\0';
        return fail(error);
    }
    const char* tmp = getenv("TMPDIR");
    snprintf(plan->work_dir, sizeof plan->work_dir, "%s/wgslrun-compare-XXXXXX", tmp && tmp[0] ? tmp : "/tmp");
    if (mkdtemp(plan->work_dir) == NULL) {
        snprintf(error, sizeof error, "%s: cannot create a temporary directory: %s", plan->work_dir, strerror(errno));
        plan->work_dir[0] = '\0';
        return fail(error);
    }
    return CLI_EXIT_OK;
}

int cmp_write_inputs(cmp_plan* plan) {
    int rc = make_work_dir(plan);
    if (rc != CLI_EXIT_OK) return rc;
    char error[1200], inputs[CMP_PATH_MAX + 16];
    snprintf(inputs, sizeof inputs, "%s/inputs", plan->work_dir);
    if (mkdir(inputs, 0700) != 0 && errno != EEXIST) {
        snprintf(error, sizeof error, "%s: cannot create: %s", inputs, strerror(errno));
        return fail(error);
    }
    for (size_t i = 0; i < plan->options->bind_count; i++) {
        rc = write_input(plan, &plan->options->binds[i]);
        if (rc != CLI_EXIT_OK) return rc;
    }
    return CLI_EXIT_OK;
}

static int remove_entry(const char* path, const struct stat* st, int flag, struct FTW* ftw) {
    (void)st, (void)flag, (void)ftw;
    remove(path);
    return 0;
}

void cmp_remove_tree(const char* path) {
    nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* ---------------------------------------------------------------- the job file */

static const char* buffer_kind(const wr_binding_info* info) {
    if (info->space == WR_SPACE_UNIFORM) return "uniform";
    return info->access == WR_ACCESS_READ ? "read-only-storage" : "storage";
}

static void json_dims(json_writer* w, const char* key, const uint64_t dims[3]) {
    json_key(w, key);
    if (dims[0] == 0) {
        json_null_value(w);
        return;
    }
    json_begin_array_inline(w);
    for (int d = 0; d < 3; d++) json_int_value(w, (long long)(dims[d] ? dims[d] : 1));
    json_end_array(w);
}

static void json_binding(json_writer* w, const cmp_bind* b) {
    json_begin_object(w);
    json_key(w, "name");
    json_string_value(w, b->info->name);
    json_key(w, "target");
    json_string_value(w, b->target);
    json_key(w, "group");
    json_int_value(w, b->info->group);
    json_key(w, "binding");
    json_int_value(w, b->info->binding);
    json_key(w, "kind");
    json_string_value(w, buffer_kind(b->info));
    json_key(w, "input");
    json_string_value(w, b->input_path);
    json_key(w, "values");  /* a literal source the CLI takes as is, else null */
    json_string_value(w, b->source.kind == CLI_SOURCE_VALUES ? b->spec : NULL);
    json_key(w, "bytes");
    json_int_value(w, (long long)b->byte_size);
    json_key(w, "output");
    if (!b->is_output) json_null_value(w);
    else {
        json_begin_object(w);
        json_key(w, "dtype");
        json_string_value(w, wr_dtype_name(b->out_dtype));
        json_key(w, "shape");
        json_begin_array_inline(w);
        for (uint32_t d = 0; d < b->out_ndim; d++) json_int_value(w, (long long)b->out_shape[d]);
        json_end_array(w);
        json_end_object(w);
    }
    json_end_object(w);
}

size_t cmp_method_constants(const cmp_plan* plan, cmp_method_id method, cmp_constant out[CMP_MAX_DEFINES]) {
    size_t n = 0;
    for (size_t i = 0; i < plan->options->define_count; i++) {
        const cmp_define* d = &plan->options->defines[i];
        if (d->method != CMP_METHOD_COUNT && d->method != method) continue;
        bool seen = false; /* a name given twice is passed once, with the value that wins */
        for (size_t k = 0; k < n; k++) seen |= strcmp(out[k].name, d->name) == 0;
        if (seen) continue;
        out[n].name = d->name;
        out[n++].value = named_value(plan, method, d->name);
    }
    return n;
}

/* Per method: the constants (common ones, then its own over them) and the workgroup size. */
static void json_method_settings(json_writer* w, const cmp_plan* plan, cmp_method_id m) {
    json_key(w, cmp_methods[m].name);
    json_begin_object(w);
    json_key(w, "constants");
    json_begin_object(w);
    cmp_constant constants[CMP_MAX_DEFINES];
    size_t n = cmp_method_constants(plan, m, constants);
    for (size_t i = 0; i < n; i++) {
        json_key(w, constants[i].name);
        json_number_value(w, constants[i].value);
    }
    json_end_object(w);
    uint32_t wg[3];
    workgroup_size_for(plan, m, wg);
    json_key(w, "workgroup_size");
    json_begin_array_inline(w);
    for (int d = 0; d < 3; d++) json_int_value(w, wg[d]);
    json_end_array(w);
    json_end_object(w);
}

static void json_job(json_writer* w, const cmp_plan* plan) {
    const cmp_options* o = plan->options;
    json_begin_object(w);
    json_key(w, "kernel");
    json_string_value(w, o->file);
    json_key(w, "entry");
    json_string_value(w, plan->entry->name);
    json_key(w, "entry_given");
    json_bool_value(w, o->entry != NULL);
    json_dims(w, "size", o->size);
    json_dims(w, "grid", o->grid);
    json_key(w, "size_text");
    json_string_value(w, o->size_text);
    json_key(w, "grid_text");
    json_string_value(w, o->grid_text);
    json_key(w, "repeat");
    json_int_value(w, (long long)o->repeat);
    json_key(w, "warmup");
    json_int_value(w, (long long)o->warmup);
    json_key(w, "work_dir");
    json_string_value(w, plan->work_dir);
    json_key(w, "bindings");
    json_begin_array(w);
    for (size_t i = 0; i < o->bind_count; i++) json_binding(w, &o->binds[i]);
    json_end_array(w);
    json_key(w, "methods");
    json_begin_object(w);
    for (int m = 0; m < CMP_METHOD_COUNT; m++) json_method_settings(w, plan, (cmp_method_id)m);
    json_end_object(w);
    json_end_object(w);
}

int cmp_write_job(cmp_plan* plan) {
    snprintf(plan->job_path, sizeof plan->job_path, "%s/job.json", plan->work_dir);
    FILE* f = fopen(plan->job_path, "w");
    char error[1200];
    if (f == NULL) {
        snprintf(error, sizeof error, "%s: cannot write: %s", plan->job_path, strerror(errno));
        return fail(error);
    }
    json_writer w;
    json_writer_init(&w, f);
    json_job(&w, plan);
    bool ok = json_writer_finish(&w);
    if (fclose(f) != 0 || !ok) {
        snprintf(error, sizeof error, "%s: cannot write", plan->job_path);
        return fail(error);
    }
    return CLI_EXIT_OK;
}
