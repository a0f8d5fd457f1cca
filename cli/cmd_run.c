/* `wgslrun run`: compile a WGSL kernel, bind data to it, dispatch, time and save outputs. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "args.h"
#include "commands.h"
#include "context_options.h"
#include "json.h"
#include "sources.h"
#include "stats.h"
#include "summary.h"
#include "png_file.h"
#include "texture_binds.h"
#include "wgsl_file.h"
#include "wgslrun.h"

#define CLI_MAX_BINDS 32
#define CLI_MAX_DEFINES 32

static const char run_usage[] =
    "usage: wgslrun run FILE.wgsl [options]\n"
    "\n"
    "Compiles FILE.wgsl, binds data to its buffers, dispatches it and prints each writable\n"
    "buffer (shape, first values, sum) and the run times.\n"
    "\n"
    "options:\n"
    "  --entry NAME           the @compute entry point (default: the only one)\n"
    "  --bind B=SOURCE        bind B (a variable name or @binding index) to SOURCE:\n"
    "                           FILE.npy            a .npy file (f16/f32/f64/i32/u32/u8, C order)\n"
    "                           FILE:TYPE           raw little-endian elements, e.g. data.bin:f32\n"
    "                           zeros:TYPE:N        N zeros\n"
    "                           iota:TYPE:N         0, 1, ..., N-1\n"
    "                           random:TYPE:N[:S]   floats in [0,1), integers over their range; seed S\n"
    "                           fill:TYPE:N:V       N copies of V\n"
    "                           values:[TYPE:]V,... literal values, e.g. values:u32:1024,f32:0.5\n"
    "                         texture bindings (texture_2d<T>, texture_storage_2d<F, A>):\n"
    "                           FILE.png            RGBA8 (rgba8unorm), any PNG converted\n"
    "                           FILE.npy            HxW or HxWxC: f32 -> r32float (C=4: rgba32float),\n"
    "                                               u32 -> r32uint, u8 C=4 -> rgba8unorm, f16 C=4 ->\n"
    "                                               rgba16float; a storage texture's format must match\n"
    "                           zeros:FORMAT:HxW    also iota:, random:FORMAT:HxW[:S], fill:FORMAT:HxW:V\n"
    "  --sampler S=FILTER[,ADDRESS]  sampler S: linear or nearest, clamp (default) or repeat;\n"
    "                         samplers not given are nearest,clamp\n"
    "  --grid X[,Y,Z]         workgroup counts\n"
    "  --size N[,M,K]         problem size in invocations; workgroup counts are derived from\n"
    "                         @workgroup_size (a 1D size over the device limit spills into y, z)\n"
    "  --define NAME=VALUE    set a pipeline-overridable constant (`override NAME`); one declared\n"
    "                         `@id(N) override NAME` is set as NAME=VALUE or as N=VALUE\n"
    "  --out B=FILE           save buffer or texture B after the run, as .npy, .png (rgba8unorm\n"
    "                         textures), or raw for any other name; buffers hold the values as\n"
    "                         printed, without WGSL's padding: array<vec3<f32>> as N x 3 floats\n"
    "                         (not 4), mat3x3<f32> as 3 x 3 (column, row), a struct as its raw bytes\n"
    "  --repeat N             timed runs (default 1)\n"
    "  --warmup M             untimed runs before them (default 0)\n"
    "  --impl dawn|wgpu|PATH  WebGPU implementation (default $WGSLRUN_IMPL or dawn)\n"
    "  --adapter A            adapter index or name substring (see `wgslrun info`)\n"
    "  --default-limits       request WebGPU's default limits instead of the adapter's\n"
    "  --json                 print one JSON object instead of text\n"
    "%s"
    "\n"
    "Each run dispatches once and waits; buffers are not reset between runs, so a kernel that\n"
    "updates in place accumulates. Times: wall = host time around submit and wait; gpu =\n"
    "timestamp queries (when the adapter has them).\n"
    "\n"
    "examples:\n"
    "  wgslrun run examples/saxpy.wgsl --bind x=random:f32:1048576 --bind y=fill:f32:1048576:1\n"
    "      --bind params=values:f32:2.0 --size 1048576 --out y=y.npy\n"
    "  wgslrun run examples/saxpy.wgsl --bind 0=x.npy --bind 1=y.npy --bind 2=values:f32:0.5\n"
    "      --size 1048576 --repeat 20 --warmup 3 --json\n"
    "  wgslrun run examples/blur.wgsl --bind src=random:rgba8unorm:64x64 --bind dst=zeros:rgba8unorm:64x64\n"
    "      --sampler smp=linear --size 64,64 --out dst=blurred.png\n";

typedef struct bind_request {
    char target[WR_NAME_MAX];
    const char* spec;
    cli_source source;
    cli_texture_source texture_source;
    bool is_sampler;                 /* from --sampler, or a default for an unbound sampler */
    wr_sampler_desc sampler_desc;
    const wr_binding_info* info;
    wr_array data;
    wr_buffer* buffer;
    wr_texture* texture;
    wr_sampler* sampler;
} bind_request;

typedef struct out_request {
    char target[WR_NAME_MAX];
    const char* path;
} out_request;

typedef struct run_options {
    const char* file;
    const char* entry;
    wr_context_desc context;
    bind_request binds[CLI_MAX_BINDS];
    size_t bind_count;
    char define_names[CLI_MAX_DEFINES][WR_NAME_MAX];
    wr_constant defines[CLI_MAX_DEFINES];
    size_t define_count;
    out_request outs[CLI_MAX_BINDS];
    size_t out_count;
    uint64_t grid[3], size[3];
    uint64_t repeat, warmup;
    bool json;
} run_options;

/* ---------------------------------------------------------------- parsing */

static int usage_error(const char* fmt, const char* detail) {
    fprintf(stderr, "wgslrun run: error: ");
    fprintf(stderr, fmt, detail);
    fprintf(stderr, "\n(see wgslrun run --help)\n");
    return CLI_EXIT_USAGE;
}

static int add_bind(run_options* o, const char* value) {
    if (o->bind_count == CLI_MAX_BINDS) return usage_error("more than %s --bind options", "32");
    bind_request* b = &o->binds[o->bind_count];
    const char* spec;
    if (!cli_split_assignment(value, b->target, sizeof b->target, &spec))
        return usage_error("--bind '%s' is not BINDING=SOURCE", value);
    char error[256];
    int texture = cli_texture_source_parse(spec, &b->texture_source, error, sizeof error);
    if (texture < 0 || (texture == 0 && !cli_source_parse(spec, &b->source, error, sizeof error))) {
        fprintf(stderr, "wgslrun run: error: --bind %s: %s\n", b->target, error);
        return CLI_EXIT_USAGE;
    }
    b->spec = spec;
    o->bind_count++;
    return CLI_EXIT_OK;
}

static int add_sampler(run_options* o, const char* value) {
    if (o->bind_count == CLI_MAX_BINDS) return usage_error("more than %s --bind and --sampler options", "32");
    bind_request* b = &o->binds[o->bind_count];
    char error[256];
    if (!cli_sampler_parse(value, b->target, sizeof b->target, &b->sampler_desc, error, sizeof error))
        return usage_error("%s", error);
    b->is_sampler = true;
    b->spec = value;
    o->bind_count++;
    return CLI_EXIT_OK;
}

static int add_define(run_options* o, const char* value) {
    if (o->define_count == CLI_MAX_DEFINES) return usage_error("more than %s --define options", "32");
    char* name = o->define_names[o->define_count];
    const char* text;
    double number;
    if (!cli_split_assignment(value, name, WR_NAME_MAX, &text) || !cli_parse_double(text, &number))
        return usage_error("--define '%s' is not NAME=NUMBER", value);
    o->defines[o->define_count++] = (wr_constant){.name = name, .value = number};
    return CLI_EXIT_OK;
}

static int add_out(run_options* o, const char* value) {
    if (o->out_count == CLI_MAX_BINDS) return usage_error("more than %s --out options", "32");
    out_request* out = &o->outs[o->out_count];
    if (!cli_split_assignment(value, out->target, sizeof out->target, &out->path) || out->path[0] == '\0')
        return usage_error("--out '%s' is not BINDING=FILE", value);
    o->out_count++;
    return CLI_EXIT_OK;
}

static int parse_number_option(const char* name, const char* value, uint64_t* out) {
    if (!cli_parse_u64(value, out)) {
        fprintf(stderr, "wgslrun run: error: %s '%s' is not a non-negative integer\n", name, value);
        return CLI_EXIT_USAGE;
    }
    return CLI_EXIT_OK;
}

static int parse_dims_option(const char* name, const char* value, uint64_t out[3]) {
    if (!cli_parse_dims(value, out)) {
        fprintf(stderr, "wgslrun run: error: %s '%s' is not X[,Y[,Z]] of positive integers\n", name, value);
        return CLI_EXIT_USAGE;
    }
    return CLI_EXIT_OK;
}

static int parse_run_args(int argc, char** argv, run_options* o) {
    o->repeat = 1;
    char error[256];
    for (int i = 0; i < argc; i++) {
        const char* v = NULL;
        int rc = CLI_EXIT_OK, m = 0;
#define OPTION(name) ((m = cli_option_value(argc, argv, &i, name, &v, error, sizeof error)) != 0)
        if (strcmp(argv[i], "--json") == 0) o->json = true;
        else if (strcmp(argv[i], "--default-limits") == 0) o->context.default_limits = true;
        else if (OPTION("--entry")) o->entry = v;
        else if (OPTION("--bind")) rc = m > 0 ? add_bind(o, v) : CLI_EXIT_USAGE;
        else if (OPTION("--sampler")) rc = m > 0 ? add_sampler(o, v) : CLI_EXIT_USAGE;
        else if (OPTION("--define")) rc = m > 0 ? add_define(o, v) : CLI_EXIT_USAGE;
        else if (OPTION("--out")) rc = m > 0 ? add_out(o, v) : CLI_EXIT_USAGE;
        else if (OPTION("--grid")) rc = m > 0 ? parse_dims_option("--grid", v, o->grid) : CLI_EXIT_USAGE;
        else if (OPTION("--size")) rc = m > 0 ? parse_dims_option("--size", v, o->size) : CLI_EXIT_USAGE;
        else if (OPTION("--repeat")) rc = m > 0 ? parse_number_option("--repeat", v, &o->repeat) : CLI_EXIT_USAGE;
        else if (OPTION("--warmup")) rc = m > 0 ? parse_number_option("--warmup", v, &o->warmup) : CLI_EXIT_USAGE;
        else if (OPTION("--impl")) o->context.impl = v;
        else if (OPTION("--adapter")) o->context.adapter = v;
        else if ((m = cli_context_option(argc, argv, &i, &o->context, error, sizeof error)) != 0) {}
        else if (argv[i][0] == '-' && argv[i][1] != '\0') return usage_error("unknown option '%s'", argv[i]);
        else if (o->file == NULL) o->file = argv[i];
        else return usage_error("unexpected argument '%s'", argv[i]);
#undef OPTION
        if (m < 0) return usage_error("%s", error);
        if (rc != CLI_EXIT_OK) return rc;
    }
    if (!cli_context_env(&o->context, error, sizeof error)) return usage_error("%s", error);
    if (o->file == NULL) return usage_error("%s", "no WGSL file given");
    if (o->repeat == 0) return usage_error("%s", "--repeat must be at least 1");
    bool has_grid = o->grid[0] != 0, has_size = o->size[0] != 0;
    if (has_grid == has_size)
        return usage_error("%s", has_grid ? "give --grid or --size, not both" : "give --grid X[,Y,Z] or --size N[,M,K]");
    return CLI_EXIT_OK;
}

/* ---------------------------------------------------------------- execution */

typedef struct run_state {
    run_options* options;
    char* source;
    wr_context* ctx;
    wr_kernel* kernel;
    wr_batch* batch;
    double* wall_ms;
    double* gpu_ms;
} run_state;

static int fail(const run_state* s, const char* message) {
    (void)s;
    fprintf(stderr, "wgslrun run: error: %s\n", message);
    return CLI_EXIT_FAILURE;
}

static int fail_ctx(const run_state* s) {
    char what[WR_NAME_MAX + 1100];
    snprintf(what, sizeof what, "kernel '%s' of %s", s->kernel ? wr_kernel_entry(s->kernel)->name : "?", s->options->file);
    cli_exit_if_timed_out(s->ctx, "run", what);
    return fail(s, wr_context_error(s->ctx));
}

static void list_bindings(const wr_shader_info* shader, char* out, size_t size) {
    out[0] = '\0';
    for (size_t i = 0; i < shader->binding_count; i++) {
        size_t used = strlen(out);
        snprintf(out + used, size - used, "%s%s (@binding(%u))", i ? ", " : "", shader->bindings[i].name,
                 shader->bindings[i].binding);
    }
}

static const wr_binding_info* find_binding(const run_state* s, const char* target, char* error, size_t size) {
    const wr_shader_info* shader = wr_kernel_shader_info(s->kernel);
    const wr_binding_info* info = wr_kernel_find_binding(s->kernel, target);
    if (info == NULL) {
        char names[600];
        list_bindings(shader, names, sizeof names);
        snprintf(error, size, "%s: no binding '%s' in the shader; it declares: %s", s->options->file, target,
                 names[0] ? names : "none");
    }
    return info;
}

/* The data must match the declared element type, and a runtime array must get whole elements. */
static bool check_data(const run_state* s, const bind_request* b, char* error, size_t size) {
    const wr_binding_info* d = b->info;
    bool typed = b->source.kind != CLI_SOURCE_VALUES;
    if (typed && d->scalar_type != WR_DTYPE_INVALID && d->scalar_type != b->data.dtype) {
        snprintf(error, size, "%s:%u: binding '%s' is %s (elements of %s) but --bind %s=%s holds %s", s->options->file,
                 d->line, d->name, d->type_text, wr_dtype_name(d->scalar_type), b->target, b->spec,
                 wr_dtype_name(b->data.dtype));
        return false;
    }
    if (b->data.byte_size < d->min_size) {
        snprintf(error, size, "%s:%u: binding '%s' (%s) needs at least %zu bytes; --bind %s=%s gives %zu",
                 s->options->file, d->line, d->name, d->type_text, d->min_size, b->target, b->spec, b->data.byte_size);
        return false;
    }
    if (d->runtime_array && d->element_stride > 0) {
        size_t fixed = d->runtime_offset;
        if ((b->data.byte_size - fixed) % d->element_stride != 0) {
            snprintf(error, size,
                     "%s:%u: binding '%s' (%s): %zu bytes from %s is not a whole number of %zu-byte elements",
                     s->options->file, d->line, d->name, d->type_text, b->data.byte_size, b->spec, d->element_stride);
            return false;
        }
    }
    return true;
}

/* --sampler names a sampler, and only --sampler does. */
static bool check_sampler_kind(const run_state* s, const bind_request* b, char* error, size_t size) {
    bool is_sampler = b->info->resource == WR_RESOURCE_SAMPLER;
    if (b->is_sampler == is_sampler) return true;
    if (is_sampler)
        snprintf(error, size, "%s:%u: binding '%s' is a sampler: give --sampler %s=linear|nearest[,repeat|clamp]",
                 s->options->file, b->info->line, b->info->name, b->target);
    else
        snprintf(error, size, "%s:%u: --sampler %s: binding '%s' is %s, not a sampler", s->options->file,
                 b->info->line, b->target, b->info->name, b->info->type_text);
    return false;
}

/* Samplers the command line does not mention get nearest filtering, clamped to the edge. */
static int add_default_samplers(run_state* s) {
    const wr_shader_info* shader = wr_kernel_shader_info(s->kernel);
    run_options* o = s->options;
    for (size_t i = 0; i < shader->binding_count; i++) {
        const wr_binding_info* d = &shader->bindings[i];
        bool bound = false;
        for (size_t k = 0; k < o->bind_count; k++) bound |= o->binds[k].info == d;
        if (d->resource != WR_RESOURCE_SAMPLER || bound) continue;
        if (o->bind_count == CLI_MAX_BINDS) return fail(s, "more than 32 bindings");
        bind_request* b = &o->binds[o->bind_count++];
        snprintf(b->target, sizeof b->target, "%s", d->name);
        b->spec = "nearest,clamp";
        b->is_sampler = true;
        b->info = d;
    }
    return CLI_EXIT_OK;
}

static int resolve_bindings(run_state* s) {
    char error[1200];
    for (size_t i = 0; i < s->options->bind_count; i++) {
        bind_request* b = &s->options->binds[i];
        b->info = find_binding(s, b->target, error, sizeof error);
        if (b->info == NULL) return fail(s, error);
        if (!check_sampler_kind(s, b, error, sizeof error)) return fail(s, error);
        for (size_t k = 0; k < i; k++)
            if (s->options->binds[k].info == b->info) {
                snprintf(error, sizeof error, "binding '%s' is given twice (--bind %s and --bind %s)", b->info->name,
                         s->options->binds[k].target, b->target);
                return fail(s, error);
            }
    }
    return add_default_samplers(s);
}

static bool is_texture(const wr_binding_info* d) {
    return d->resource == WR_RESOURCE_STORAGE_TEXTURE || d->resource == WR_RESOURCE_SAMPLED_TEXTURE;
}

static int prepare_texture(run_state* s, bind_request* b) {
    char error[1200];
    wr_texture_format format;
    if (!cli_texture_load(&b->texture_source, &b->source, b->info, s->options->file, b->spec, &b->data, &format, error,
                          sizeof error))
        return fail(s, error);
    wr_texture_desc desc = {.width = (uint32_t)b->data.shape[1], .height = (uint32_t)b->data.shape[0],
                            .format = format, .label = b->info->name};
    if (wr_texture_create(s->ctx, &desc, &b->texture) != WR_OK ||
        wr_texture_upload(s->ctx, b->texture, b->data.data, b->data.byte_size) != WR_OK)
        return fail_ctx(s);
    return CLI_EXIT_OK;
}

/* wr_array_place_fn for a buffer binding: checks the data's layout against the binding,
 * creates the buffer and hands out its mapped upload staging, so the source is read or
 * generated straight into memory the GPU copies from. */
typedef struct staging_place {
    run_state* s;
    bind_request* b;
    bool context_failed;     /* the message is the context's: report it through fail_ctx */
} staging_place;

static wr_status place_in_staging(void* user, const wr_array* layout, void** data, wr_error* err) {
    staging_place* p = user;
    bind_request* b = p->b;
    b->data = *layout;
    if (!check_data(p->s, b, err->message, sizeof err->message)) return err->status = WR_ERROR_INVALID_ARGUMENT;
    wr_buffer_desc desc = {.size = layout->byte_size, .label = b->info->name,
                           .kind = b->info->space == WR_SPACE_UNIFORM ? WR_BUFFER_UNIFORM : WR_BUFFER_STORAGE};
    size_t mapped = (layout->byte_size + 3) & ~(size_t)3;
    wr_context* ctx = p->s->ctx;
    wr_status status = wr_buffer_create(ctx, &desc, &b->buffer);
    if (status == WR_OK) status = wr_buffer_map_upload(ctx, b->buffer, 0, mapped, data);
    if (status != WR_OK) {
        p->context_failed = true;
        return err->status = status;
    }
    /* The staging memory starts unspecified: the bytes past the data pad it to whole words. */
    memset((unsigned char*)*data + layout->byte_size, 0, mapped - layout->byte_size);
    return WR_OK;
}

static int prepare_buffer(run_state* s, bind_request* b) {
    wr_error err = {0};
    staging_place place = {.s = s, .b = b};
    wr_array loaded;
    if (cli_source_load_into(&b->source, place_in_staging, &place, &loaded, &err) != WR_OK)
        return place.context_failed ? fail_ctx(s) : fail(s, err.message);
    /* Only the layout is kept: the data lives in the buffer once committed. */
    b->data = loaded;
    b->data.data = NULL;
    return wr_buffer_commit_upload(s->ctx, b->buffer) == WR_OK ? CLI_EXIT_OK : fail_ctx(s);
}

static int prepare_binding(run_state* s, bind_request* b) {
    char error[1200];
    if (b->is_sampler)
        return wr_sampler_create(s->ctx, &b->sampler_desc, &b->sampler) == WR_OK ? CLI_EXIT_OK : fail_ctx(s);
    if (is_texture(b->info)) return prepare_texture(s, b);
    if (b->texture_source.kind != CLI_TEXTURE_NONE) {
        snprintf(error, sizeof error, "%s:%u: binding '%s' is %s, a buffer: --bind %s=%s is a texture source",
                 s->options->file, b->info->line, b->info->name, b->info->type_text, b->target, b->spec);
        return fail(s, error);
    }
    return prepare_buffer(s, b);
}

static const bind_request* bind_for(const run_options* o, const wr_binding_info* info) {
    for (size_t i = 0; i < o->bind_count; i++)
        if (o->binds[i].info == info) return &o->binds[i];
    return NULL;
}

static int check_outputs(const run_state* s) {
    char error[1200];
    for (size_t i = 0; i < s->options->out_count; i++) {
        const out_request* out = &s->options->outs[i];
        const wr_binding_info* info = find_binding(s, out->target, error, sizeof error);
        if (info == NULL) return fail(s, error);
        if (bind_for(s->options, info) == NULL) {
            snprintf(error, sizeof error, "--out %s: binding '%s' is not bound (give --bind %s=...)", out->target,
                     info->name, out->target);
            return fail(s, error);
        }
        /* Fail before the run, not after it, when the output cannot be written. */
        char dir[1024];
        snprintf(dir, sizeof dir, "%s", out->path);
        char* slash = strrchr(dir, '/');
        if (slash) *(slash == dir ? slash + 1 : slash) = '\0';
        else snprintf(dir, sizeof dir, ".");
        if (access(dir, W_OK) != 0) {
            snprintf(error, sizeof error, "--out %s: cannot write %s: %s", out->target, out->path, strerror(errno));
            return fail(s, error);
        }
    }
    return CLI_EXIT_OK;
}

static int build_batch(run_state* s) {
    run_options* o = s->options;
    wr_binding bindings[CLI_MAX_BINDS];
    for (size_t i = 0; i < o->bind_count; i++)
        bindings[i] = (wr_binding){.name = o->binds[i].info->name, .buffer = o->binds[i].buffer,
                                   .texture = o->binds[i].texture, .sampler = o->binds[i].sampler};
    wr_dispatch_desc dispatch = {.kernel = s->kernel, .bindings = bindings, .binding_count = o->bind_count};
    for (int d = 0; d < 3; d++) {
        dispatch.workgroups[d] = (uint32_t)(o->grid[d] > UINT32_MAX ? UINT32_MAX : o->grid[d]);
        dispatch.problem_size[d] = o->size[d];
    }
    if (wr_batch_create(s->ctx, &(wr_batch_desc){.gpu_timing = true}, &s->batch) != WR_OK ||
        wr_batch_add(s->ctx, s->batch, &dispatch) != WR_OK)
        return fail_ctx(s);
    return CLI_EXIT_OK;
}

static int run_timed(run_state* s) {
    run_options* o = s->options;
    for (uint64_t i = 0; i < o->warmup; i++)
        if (wr_batch_run(s->ctx, s->batch, 1, NULL) != WR_OK) return fail_ctx(s);
    s->wall_ms = calloc(o->repeat, sizeof(double));
    s->gpu_ms = calloc(o->repeat, sizeof(double));
    if (s->wall_ms == NULL || s->gpu_ms == NULL) return fail(s, "out of host memory");
    for (uint64_t i = 0; i < o->repeat; i++) {
        wr_timing t;
        if (wr_batch_run(s->ctx, s->batch, 1, &t) != WR_OK) return fail_ctx(s);
        s->wall_ms[i] = t.wall_ms;
        s->gpu_ms[i] = t.gpu_ms;
    }
    return CLI_EXIT_OK;
}

/* A writable buffer read back as the values its type holds, padding dropped (summary.h),
 * viewed straight from the mapped download staging: no intermediate host copy. */
static int download(run_state* s, const bind_request* b, wr_array* out) {
    char error[WR_ERROR_MESSAGE_MAX];
    if (b->texture != NULL)
        return cli_texture_read(s->ctx, b->texture, out, error, sizeof error) ? CLI_EXIT_OK : fail(s, error);
    size_t bytes = b->data.byte_size;
    const void* mapped = NULL;
    if (wr_buffer_map_download(s->ctx, b->buffer, 0, (bytes + 3) & ~(size_t)3, &mapped) != WR_OK) return fail_ctx(s);
    wr_error err = {0};
    wr_status status = cli_values_view(b->info, b->data.dtype, mapped, bytes, out, &err);
    if (wr_buffer_release_download(s->ctx, b->buffer) != WR_OK) {
        wr_array_free(out);
        return fail_ctx(s);
    }
    return status == WR_OK ? CLI_EXIT_OK : fail(s, err.message);
}

static int save_output(run_state* s, const out_request* out, const wr_array* array) {
    wr_error err = {0};
    size_t n = strlen(out->path);
    if (n > 4 && strcmp(out->path + n - 4, ".npy") == 0) {
        if (wr_npy_write(out->path, array, &err) != WR_OK) return fail(s, err.message);
        return CLI_EXIT_OK;
    }
    if (n > 4 && strcmp(out->path + n - 4, ".png") == 0)
        return cli_png_write(out->path, array, err.message, sizeof err.message) ? CLI_EXIT_OK : fail(s, err.message);
    char tmp[1100];
    snprintf(tmp, sizeof tmp, "%s.tmp", out->path);
    FILE* f = fopen(tmp, "wb");
    bool ok = f != NULL && fwrite(array->data, 1, array->byte_size, f) == array->byte_size;
    if (f != NULL && fclose(f) != 0) ok = false;
    if (!ok || rename(tmp, out->path) != 0) {
        char error[1300];
        snprintf(error, sizeof error, "%s: cannot write: %s", out->path, strerror(errno));
        remove(tmp);
        return fail(s, error);
    }
    return CLI_EXIT_OK;
}

static bool is_output(const run_options* o, const bind_request* b) {
    if (b->info->space == WR_SPACE_STORAGE && b->info->access != WR_ACCESS_READ) return true;
    if (b->info->resource == WR_RESOURCE_STORAGE_TEXTURE && b->info->access != WR_ACCESS_READ) return true;
    for (size_t i = 0; i < o->out_count; i++)
        if (strcmp(o->outs[i].target, b->target) == 0) return true;
    return false;
}

static void report_header(const run_state* s, json_writer* w) {
    const wr_adapter_info* info = wr_context_info(s->ctx);
    uint32_t wg[3];
    wr_kernel_workgroup_size(s->kernel, wg);
    if (!s->options->json) {
        printf("%s: entry '%s', workgroup_size (%u, %u, %u) on %s: %s (%s)\n", s->options->file,
               wr_kernel_entry(s->kernel)->name, wg[0], wg[1], wg[2], info->impl_name, info->device, info->backend);
        return;
    }
    json_key(w, "file");
    json_string_value(w, s->options->file);
    json_key(w, "entry");
    json_string_value(w, wr_kernel_entry(s->kernel)->name);
    json_key(w, "impl");
    json_string_value(w, info->impl_name);
    json_key(w, "adapter");
    json_string_value(w, info->device);
    json_key(w, "backend");
    json_string_value(w, info->backend);
    json_key(w, "workgroup_size");
    json_begin_array_inline(w);
    for (int d = 0; d < 3; d++) json_int_value(w, wg[d]);
    json_end_array(w);
}

static void report_times(run_state* s, json_writer* w) {
    size_t n = (size_t)s->options->repeat;
    bool has_gpu = s->gpu_ms[0] >= 0;
    timing_stats wall = timing_stats_of(s->wall_ms, n);
    timing_stats gpu = has_gpu ? timing_stats_of(s->gpu_ms, n) : (timing_stats){0};
    if (!s->options->json) {
        printf("time over %zu run%s (%llu warm-up): wall min %.4f / median %.4f / max %.4f ms", n, n == 1 ? "" : "s",
               (unsigned long long)s->options->warmup, wall.min, wall.median, wall.max);
        if (has_gpu) printf("; gpu min %.4f / median %.4f / max %.4f ms", gpu.min, gpu.median, gpu.max);
        printf("\n");
        return;
    }
    json_key(w, "repeat");
    json_int_value(w, (long long)n);
    json_key(w, "warmup");
    json_int_value(w, (long long)s->options->warmup);
    timing_stats_json(w, "wall_ms", wall);
    timing_stats_json(w, "gpu_ms", gpu);
}

static int finish(run_state* s) {
    run_options* o = s->options;
    json_writer w;
    json_writer_init(&w, stdout);
    if (o->json) json_begin_object(&w);
    report_header(s, &w);
    if (o->json) {
        json_key(&w, "outputs");
        json_begin_array(&w);
    }
    int rc = CLI_EXIT_OK;
    for (size_t i = 0; i < o->bind_count && rc == CLI_EXIT_OK; i++) {
        bind_request* b = &o->binds[i];
        if (!is_output(o, b)) continue;
        wr_array array;
        rc = download(s, b, &array);
        if (rc != CLI_EXIT_OK) break;
        for (size_t k = 0; k < o->out_count && rc == CLI_EXIT_OK; k++)
            if (wr_kernel_find_binding(s->kernel, o->outs[k].target) == b->info)
                rc = save_output(s, &o->outs[k], &array);
        if (o->json) cli_json_array(&w, b->info->name, &array);
        else cli_print_array(stdout, b->info->name, &array);
        wr_array_free(&array);
    }
    if (o->json) json_end_array(&w);
    if (rc == CLI_EXIT_OK) report_times(s, &w);
    if (o->json) {
        json_end_object(&w);
        json_writer_finish(&w);
    }
    return rc;
}

static int execute(run_state* s) {
    run_options* o = s->options;
    char error[1200];
    s->source = read_wgsl_file(o->file, error, sizeof error);
    if (s->source == NULL) return fail(s, error);
    wr_error err = {0};
    if (cli_name_settings(wr_context_create(&o->context, &s->ctx, &err), &err) != WR_OK) return fail(s, err.message);
    wr_kernel_desc kernel_desc = {.source = s->source, .source_name = o->file, .entry = o->entry,
                                  .constants = o->defines, .constant_count = o->define_count};
    if (wr_kernel_create(s->ctx, &kernel_desc, &s->kernel) != WR_OK) return fail_ctx(s);
    int rc = resolve_bindings(s);
    if (rc == CLI_EXIT_OK) rc = check_outputs(s);
    for (size_t i = 0; i < o->bind_count && rc == CLI_EXIT_OK; i++) rc = prepare_binding(s, &o->binds[i]);
    if (rc == CLI_EXIT_OK) rc = build_batch(s);
    if (rc == CLI_EXIT_OK) rc = run_timed(s);
    if (rc == CLI_EXIT_OK) rc = finish(s);
    return rc;
}

static void release(run_state* s) {
    for (size_t i = 0; i < s->options->bind_count; i++) {
        wr_buffer_destroy(s->options->binds[i].buffer);
        wr_texture_destroy(s->options->binds[i].texture);
        wr_sampler_destroy(s->options->binds[i].sampler);
        wr_array_free(&s->options->binds[i].data);
    }
    wr_batch_destroy(s->batch);
    wr_kernel_destroy(s->kernel);
    wr_context_destroy(s->ctx);
    free(s->source);
    free(s->wall_ms);
    free(s->gpu_ms);
}

int cmd_run(int argc, char** argv) {
    for (int i = 0; i < argc; i++)
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            printf(run_usage, cli_context_options_usage);
            return CLI_EXIT_OK;
        }
    run_options* options = calloc(1, sizeof *options);
    if (options == NULL) return CLI_EXIT_FAILURE;
    int rc = parse_run_args(argc, argv, options);
    if (rc == CLI_EXIT_OK) {
        run_state state = {.options = options};
        rc = execute(&state);
        release(&state);
    }
    free(options);
    return rc;
}
