/* stencil_probe: what makes the suite's 20 dependent stencil sweeps in one submission slow and
 * bimodal on WebGPU (bench/README.md: stencil; scripts/device/kernels_probe.sh runs it).
 * One configuration per run; prints one JSON object with every sample's GPU and wall time in
 * the order they ran, so a clock ramp (slow first, fast later) shows apart from a placement
 * effect (slow for the whole run). Configurations: one pass per sweep (the suite) or every
 * sweep in one pass; a fresh context per sample; a spacer allocation before the grids; the
 * grids allocated in the other order; a copy kernel on the same grids (placement check).
 * Every run is verified first: 64 sampled cells against an exact windowed CPU reference. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "wgslrun.h"

#define TILE 16u
#define CHECKED_CELLS 64
#define MAX_SAMPLES 200

typedef struct probe_options {
    const char* impl;
    const char* kernel_path;
    uint32_t width, height, sweeps, samples, warmup;
    uint32_t spacer_mib;  /* allocated (and touched) before the grids */
    uint32_t idle_ms;     /* the GPU left idle this long between verification and timing, as
                             wgslrun bench leaves it while its CPU reference runs */
    bool one_pass;        /* every sweep in one compute pass instead of a pass each */
    bool fresh;           /* a new context per sample */
    bool dst_first;       /* allocate grid b before grid a */
    bool copy;            /* the kernel is a copy: the reference is the input */
} probe_options;

typedef struct probe_run {
    wr_context* ctx;
    wr_buffer* spacer;
    wr_buffer* grids[2];
    wr_buffer* uniform;
    wr_kernel* kernel;
    wr_batch* batch;
} probe_run;

static int fail(const char* what, const char* detail) {
    fprintf(stderr, "stencil_probe: %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
    return 1;
}

static uint32_t next_random(uint64_t* state) {
    *state = *state * 6364136223846793005ull + 1442695040888963407ull;
    return (uint32_t)(*state >> 33);
}

static float* random_grid(size_t count) {
    float* grid = malloc(count * sizeof *grid);
    uint64_t state = 7;
    for (size_t i = 0; grid != NULL && i < count; i++) grid[i] = (next_random(&state) >> 8) * (1.0f / 16777216.0f);
    return grid;
}

static char* read_text(const char* path) {
    FILE* f = fopen(path, "rb");
    if (f == NULL) return NULL;
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fseek(f, 0, SEEK_SET);
    char* text = size >= 0 ? malloc((size_t)size + 1) : NULL;
    if (text != NULL && fread(text, 1, (size_t)size, f) != (size_t)size) {
        free(text);
        text = NULL;
    }
    if (text != NULL) text[size] = '\0';
    fclose(f);
    return text;
}

static void run_destroy(probe_run* r) {
    wr_batch_destroy(r->batch);
    wr_kernel_destroy(r->kernel);
    wr_buffer_destroy(r->uniform);
    wr_buffer_destroy(r->grids[0]);
    wr_buffer_destroy(r->grids[1]);
    wr_buffer_destroy(r->spacer);
    wr_context_destroy(r->ctx);
    memset(r, 0, sizeof *r);
}

static wr_buffer* storage(probe_run* r, size_t bytes, const char* label) {
    wr_buffer_desc desc = {.size = bytes, .kind = WR_BUFFER_STORAGE, .label = label};
    wr_buffer* b = NULL;
    return wr_buffer_create(r->ctx, &desc, &b) == WR_OK ? b : NULL;
}

/* Spacer, then the grids in the chosen order; grid a holds the input, b is poisoned. */
static bool allocate(probe_run* r, const probe_options* o, const float* grid, size_t bytes) {
    if (o->spacer_mib > 0) {
        uint32_t word = 0;
        r->spacer = storage(r, (size_t)o->spacer_mib << 20, "spacer");
        if (r->spacer == NULL || wr_buffer_upload(r->ctx, r->spacer, 0, &word, sizeof word) != WR_OK) return false;
    }
    int first = o->dst_first ? 1 : 0;
    r->grids[first] = storage(r, bytes, first ? "grid b" : "grid a");
    r->grids[1 - first] = storage(r, bytes, first ? "grid a" : "grid b");
    if (r->grids[0] == NULL || r->grids[1] == NULL) return false;
    float* poison = malloc(bytes);
    if (poison == NULL) return false;
    memset(poison, 0xFF, bytes);
    bool ok = wr_buffer_upload(r->ctx, r->grids[0], 0, grid, bytes) == WR_OK &&
              wr_buffer_upload(r->ctx, r->grids[1], 0, poison, bytes) == WR_OK;
    free(poison);
    return ok;
}

static bool record(probe_run* r, const probe_options* o) {
    wr_batch_desc desc = {.pass_per_dispatch = !o->one_pass, .gpu_timing = true};
    if (wr_batch_create(r->ctx, &desc, &r->batch) != WR_OK) return false;
    for (uint32_t i = 0; i < o->sweeps; i++) {
        wr_binding bindings[] = {
            {.name = "src", .buffer = r->grids[i % 2]},
            {.name = "dst", .buffer = r->grids[(i + 1) % 2]},
            {.name = "params", .buffer = r->uniform},
        };
        wr_dispatch_desc d = {.kernel = r->kernel, .bindings = bindings, .binding_count = 3,
                              .workgroups = {(o->width + TILE - 1) / TILE, (o->height + TILE - 1) / TILE, 1}};
        if (wr_batch_add(r->ctx, r->batch, &d) != WR_OK) return false;
    }
    return true;
}

static bool run_open(probe_run* r, const probe_options* o, const char* source, const float* grid) {
    /* The library reads no environment; the device scripts set these. */
    wr_context_desc cd = {.impl = o->impl ? o->impl : getenv("WGSLRUN_IMPL"), .deps_dir = getenv("WGSLRUN_DEPS")};
    wr_error err = {0};
    if (wr_context_create(&cd, &r->ctx, &err) != WR_OK) {
        fail("creating the context", err.message);
        return false;
    }
    size_t bytes = (size_t)o->width * o->height * sizeof(float);
    uint32_t params[2] = {o->width, o->height};
    wr_buffer_desc ud = {.size = sizeof params, .kind = WR_BUFFER_UNIFORM, .label = "params"};
    wr_kernel_desc kd = {.source = source, .source_name = o->kernel_path, .entry = "jacobi"};
    bool ok = allocate(r, o, grid, bytes) && wr_buffer_create(r->ctx, &ud, &r->uniform) == WR_OK &&
              wr_buffer_upload(r->ctx, r->uniform, 0, params, sizeof params) == WR_OK &&
              wr_kernel_create(r->ctx, &kd, &r->kernel) == WR_OK && record(r, o);
    if (!ok) fail("setting up", wr_context_error(r->ctx));
    return ok;
}

/* Cell (x, y) after `sweeps` sweeps, from the (2 sweeps + 1)^2 window around it: each sweep
 * leaves the window's outer ring stale, and the centre is exact after the last. */
static float reference_cell(const float* grid, const probe_options* o, uint32_t x, uint32_t y, float* a, float* b) {
    int r = (int)o->sweeps, side = 2 * r + 1;
    for (int wy = 0; wy < side; wy++)
        for (int wx = 0; wx < side; wx++) {
            long gx = (long)x + wx - r, gy = (long)y + wy - r;
            bool inside = gx >= 0 && gy >= 0 && gx < o->width && gy < o->height;
            a[wy * side + wx] = inside ? grid[(size_t)gy * o->width + (size_t)gx] : 0.0f;
        }
    for (uint32_t s = 0; s < o->sweeps; s++) {
        for (int wy = 0; wy < side; wy++)
            for (int wx = 0; wx < side; wx++) {
                long gx = (long)x + wx - r, gy = (long)y + wy - r;
                int i = wy * side + wx;
                bool edge = wx == 0 || wy == 0 || wx == side - 1 || wy == side - 1;
                bool border = gx <= 0 || gy <= 0 || gx >= (long)o->width - 1 || gy >= (long)o->height - 1;
                b[i] = (edge || border || o->copy) ? a[i] : 0.25f * (a[i - 1] + a[i + 1] + a[i - side] + a[i + side]);
            }
        float* t = a;
        a = b;
        b = t;
    }
    return a[r * side + r];
}

/* Runs the batch once and checks CHECKED_CELLS sampled cells; returns the worst error or -1. */
static double verify(probe_run* r, const probe_options* o, const float* grid) {
    size_t count = (size_t)o->width * o->height;
    int side = 2 * (int)o->sweeps + 1;
    float* got = malloc(count * sizeof *got);
    float* a = malloc((size_t)side * side * sizeof *a);
    float* b = malloc((size_t)side * side * sizeof *b);
    double worst = -1;
    if (got != NULL && a != NULL && b != NULL && wr_batch_run(r->ctx, r->batch, 1, NULL) == WR_OK &&
        wr_buffer_download(r->ctx, r->grids[o->sweeps % 2], 0, got, count * sizeof *got) == WR_OK) {
        uint64_t state = 11;
        worst = 0;
        for (int k = 0; k < CHECKED_CELLS; k++) {
            /* The corners first (borders), then random cells. */
            uint32_t x = k < 2 ? k * (o->width - 1) : next_random(&state) % o->width;
            uint32_t y = k < 2 ? k * (o->height - 1) : next_random(&state) % o->height;
            double diff = fabs((double)got[(size_t)y * o->width + x] - reference_cell(grid, o, x, y, a, b));
            worst = isnan(diff) || diff > worst ? (isnan(diff) ? INFINITY : diff) : worst;
        }
    }
    free(got);
    free(a);
    free(b);
    return worst;
}

static bool run_samples(probe_run* r, uint32_t warmup, uint32_t count, double* gpu, double* wall) {
    for (uint32_t i = 0; i < warmup + count; i++) {
        wr_timing t = {0};
        if (wr_batch_run(r->ctx, r->batch, 1, &t) != WR_OK) return false;
        if (i >= warmup) {
            gpu[i - warmup] = t.gpu_ms;
            wall[i - warmup] = t.wall_ms;
        }
    }
    return true;
}

static void print_list(const char* name, const double* v, uint32_t n) {
    printf("\"%s\": [", name);
    for (uint32_t i = 0; i < n; i++) printf("%s%.5f", i ? ", " : "", v[i]);
    printf("]");
}

static int compare_doubles(const void* a, const void* b) {
    double x = *(const double*)a, y = *(const double*)b;
    return (x > y) - (x < y);
}

static void print_result(const probe_options* o, const wr_adapter_info* info, double error, const double* gpu,
                         const double* wall) {
    double sorted[MAX_SAMPLES];
    memcpy(sorted, gpu, o->samples * sizeof *gpu);
    qsort(sorted, o->samples, sizeof *sorted, compare_doubles);
    double median = sorted[o->samples / 2];
    double bytes = 8.0 * o->width * o->height * o->sweeps;
    printf("{\"impl\": \"%s\", \"adapter\": \"%s\", \"kernel\": \"%s\", \"width\": %u, \"height\": %u, "
           "\"sweeps\": %u, \"passes\": \"%s\", \"fresh_context\": %s, \"spacer_mib\": %u, \"dst_first\": %s, \"idle_ms\": %u, "
           "\"verified\": true, \"max_error\": %.3g, \"median_gpu_ms\": %.5f, \"median_gb_s\": %.1f, "
           "\"min_gb_s\": %.1f, \"max_gb_s\": %.1f, ",
           info->impl_name, info->device, o->kernel_path, o->width, o->height, o->sweeps,
           o->one_pass ? "one" : "per_sweep", o->fresh ? "true" : "false", o->spacer_mib,
           o->dst_first ? "true" : "false", o->idle_ms, error, median, bytes / median / 1e6, bytes / sorted[o->samples - 1] / 1e6,
           bytes / sorted[0] / 1e6);
    print_list("gpu_ms", gpu, o->samples);
    printf(", ");
    print_list("wall_ms", wall, o->samples);
    printf("}\n");
}

/* Verification on the first context; with --fresh every sample gets its own context. */
static int probe(const probe_options* o, const char* source, const float* grid) {
    double gpu[MAX_SAMPLES], wall[MAX_SAMPLES], error = -1;
    wr_adapter_info info = {0};
    uint32_t per_context = o->fresh ? 1 : o->samples;
    for (uint32_t done = 0; done < o->samples; done += per_context) {
        probe_run r = {0};
        bool ok = run_open(&r, o, source, grid);
        if (ok && done == 0) {
            info = *wr_context_info(r.ctx);
            error = verify(&r, o, grid);
            ok = error >= 0 && error <= 1e-5;
            if (!ok) fprintf(stderr, "stencil_probe: verification failed: max abs error %.3g (> 1e-5)\n", error);
            struct timespec idle = {.tv_sec = o->idle_ms / 1000, .tv_nsec = (long)(o->idle_ms % 1000) * 1000000L};
            if (ok && o->idle_ms > 0) nanosleep(&idle, NULL);
        }
        ok = ok && run_samples(&r, o->warmup, per_context, gpu + done, wall + done);
        if (!ok && error >= 0 && error <= 1e-5) fail("running", wr_context_error(r.ctx));
        run_destroy(&r);
        if (!ok) return 1;
    }
    print_result(o, &info, error, gpu, wall);
    return 0;
}

static bool parse_u32(const char* text, uint32_t* out) {
    char* end = NULL;
    unsigned long v = strtoul(text, &end, 10);
    if (end == text || *end != '\0' || v > 0xFFFFFFFFul) return false;
    *out = (uint32_t)v;
    return true;
}

static const char USAGE[] =
    "usage: stencil_probe [--impl dawn|wgpu] [--kernel FILE.wgsl] [--copy] [--width W] [--height H]\n"
    "                     [--sweeps N] [--samples N] [--warmup N] [--one-pass] [--fresh]\n"
    "                     [--spacer MIB] [--dst-first] [--idle-ms MS]\n";

static bool parse_option(probe_options* o, const char* name, const char* value) {
    if (strcmp(name, "--impl") == 0) return (o->impl = value) != NULL;
    if (strcmp(name, "--kernel") == 0) return (o->kernel_path = value) != NULL;
    if (strcmp(name, "--width") == 0) return value && parse_u32(value, &o->width);
    if (strcmp(name, "--height") == 0) return value && parse_u32(value, &o->height);
    if (strcmp(name, "--sweeps") == 0) return value && parse_u32(value, &o->sweeps);
    if (strcmp(name, "--samples") == 0) return value && parse_u32(value, &o->samples);
    if (strcmp(name, "--warmup") == 0) return value && parse_u32(value, &o->warmup);
    if (strcmp(name, "--spacer") == 0) return value && parse_u32(value, &o->spacer_mib);
    if (strcmp(name, "--idle-ms") == 0) return value && parse_u32(value, &o->idle_ms);
    return false;
}

static bool parse_flag(probe_options* o, const char* name) {
    bool* flag = strcmp(name, "--one-pass") == 0    ? &o->one_pass
                 : strcmp(name, "--fresh") == 0     ? &o->fresh
                 : strcmp(name, "--dst-first") == 0 ? &o->dst_first
                 : strcmp(name, "--copy") == 0      ? &o->copy
                                                    : NULL;
    if (flag != NULL) *flag = true;
    return flag != NULL;
}

int main(int argc, char** argv) {
    probe_options o = {.kernel_path = "bench/kernels/stencil.wgsl", .width = 8192, .height = 8192,
                       .sweeps = 20, .samples = 10, .warmup = 3};
    for (int i = 1; i < argc; i++) {
        if (parse_flag(&o, argv[i])) continue;
        if (i + 1 < argc && parse_option(&o, argv[i], argv[i + 1])) {
            i++;
            continue;
        }
        fprintf(stderr, "stencil_probe: bad option '%s'\n%s", argv[i], USAGE);
        return 2;
    }
    if (o.width < 1 || o.height < 1 || o.sweeps < 1 || o.samples < 1 || o.samples > MAX_SAMPLES) {
        fprintf(stderr, "stencil_probe: width, height, sweeps must be >= 1 and samples 1..%d\n%s", MAX_SAMPLES, USAGE);
        return 2;
    }
    char* source = read_text(o.kernel_path);
    if (source == NULL) return fail("cannot read", o.kernel_path);
    float* grid = random_grid((size_t)o.width * o.height);
    int rc = grid != NULL ? probe(&o, source, grid) : fail("out of memory", NULL);
    free(grid);
    free(source);
    return rc;
}
