/* Soak test: one process uploads, dispatches and downloads a small kernel thousands of times
 * on one implementation (argv[1]: dawn or wgpu) and its resident memory stays flat: after a
 * warm-up, RSS may grow by at most SOAK_MAX_GROWTH_MIB. Every result is checked against the C
 * reference, so a leak fix that breaks the kernel cannot pass.
 *   test_soak IMPL [ITERATIONS]     (default 20000; warm-up is the first tenth)
 * Each iteration also creates and destroys a buffer and a (cached) kernel handle, the objects a
 * long-running caller makes per request. With SOAK_LEAK=1 that buffer is not destroyed (4 KiB
 * a round), which the bound must catch: ctest runs that too and expects the failure. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "wgslrun.h"

#define SOAK_N 1024
#define SOAK_MAX_GROWTH_MIB 8.0

static const char soak_wgsl[] =
    "@group(0) @binding(0) var<storage, read> x : array<u32>;\n"
    "@group(0) @binding(1) var<storage, read_write> y : array<u32>;\n"
    "@group(0) @binding(2) var<uniform> k : u32;\n"
    "@compute @workgroup_size(64)\n"
    "fn main(@builtin(global_invocation_id) id : vec3<u32>) {\n"
    "  if (id.x < arrayLength(&y)) { y[id.x] = x[id.x] * 3u + k + id.x; }\n"
    "}\n";

/* Resident set size from /proc/self/statm (pages), in MiB. */
static double rss_mib(void) {
    FILE* f = fopen("/proc/self/statm", "r");
    unsigned long size = 0, resident = 0;
    if (f == NULL) return -1;
    int n = fscanf(f, "%lu %lu", &size, &resident);
    fclose(f);
    return n == 2 ? (double)resident * (double)sysconf(_SC_PAGESIZE) / (1024.0 * 1024.0) : -1;
}

typedef struct soak {
    wr_context* ctx;
    wr_kernel* kernel;
    wr_buffer *x, *y, *k;
    uint32_t host_x[SOAK_N], host_y[SOAK_N];
    uint64_t rng;
} soak;

static uint32_t next_u32(soak* s) {
    s->rng ^= s->rng << 13;
    s->rng ^= s->rng >> 7;
    s->rng ^= s->rng << 17;
    return (uint32_t)(s->rng >> 16);
}

/* One round: new input and constant, dispatch, read back, compare; false on any failure. */
static bool round_trip(soak* s, uint32_t iteration) {
    for (size_t i = 0; i < SOAK_N; i++) s->host_x[i] = next_u32(s);
    uint32_t k = iteration;
    wr_kernel* handle = NULL;
    wr_buffer* scratch = NULL;
    bool ok = wr_kernel_create(s->ctx, &(wr_kernel_desc){.source = soak_wgsl, .source_name = "soak.wgsl"}, &handle) == WR_OK &&
              wr_buffer_create(s->ctx, &(wr_buffer_desc){.size = 4096, .label = "scratch"}, &scratch) == WR_OK &&
              wr_buffer_upload(s->ctx, s->x, 0, s->host_x, sizeof s->host_x) == WR_OK &&
              wr_buffer_upload(s->ctx, s->k, 0, &k, sizeof k) == WR_OK;
    wr_binding bindings[] = {{.name = "x", .buffer = s->x}, {.name = "y", .buffer = s->y}, {.name = "k", .buffer = s->k}};
    ok = ok && wr_dispatch(s->ctx, &(wr_dispatch_desc){.kernel = handle, .bindings = bindings, .binding_count = 3,
                                                       .problem_size = {SOAK_N}}, NULL) == WR_OK;
    ok = ok && wr_buffer_download(s->ctx, s->y, 0, s->host_y, sizeof s->host_y) == WR_OK;
    if (getenv("SOAK_LEAK") == NULL) wr_buffer_destroy(scratch);
    wr_kernel_destroy(handle);
    if (!ok) {
        fprintf(stderr, "iteration %u: %s\n", iteration, wr_context_error(s->ctx));
        return false;
    }
    for (uint32_t i = 0; i < SOAK_N; i++)
        if (s->host_y[i] != s->host_x[i] * 3u + k + i) {
            fprintf(stderr, "iteration %u: y[%u] = %u, want %u\n", iteration, i, s->host_y[i], s->host_x[i] * 3u + k + i);
            return false;
        }
    return true;
}

static bool setup(soak* s, const char* impl) {
    wr_error err = {0};
    if (wr_context_create(&(wr_context_desc){.impl = impl}, &s->ctx, &err) != WR_OK) {
        fprintf(stderr, "context: %s\n", err.message);
        return false;
    }
    bool ok = wr_kernel_create(s->ctx, &(wr_kernel_desc){.source = soak_wgsl, .source_name = "soak.wgsl"}, &s->kernel) == WR_OK &&
              wr_buffer_create(s->ctx, &(wr_buffer_desc){.size = sizeof s->host_x, .label = "x"}, &s->x) == WR_OK &&
              wr_buffer_create(s->ctx, &(wr_buffer_desc){.size = sizeof s->host_y, .label = "y"}, &s->y) == WR_OK &&
              wr_buffer_create(s->ctx, &(wr_buffer_desc){.size = 4, .kind = WR_BUFFER_UNIFORM, .label = "k"}, &s->k) == WR_OK;
    if (!ok) fprintf(stderr, "setup: %s\n", wr_context_error(s->ctx));
    return ok;
}

static void teardown(soak* s) {
    wr_buffer_destroy(s->x);
    wr_buffer_destroy(s->y);
    wr_buffer_destroy(s->k);
    wr_kernel_destroy(s->kernel);
    wr_context_destroy(s->ctx);
}

int main(int argc, char** argv) {
    const char* impl = argc > 1 ? argv[1] : "dawn";
    uint32_t iterations = argc > 2 ? (uint32_t)strtoul(argv[2], NULL, 10) : 20000;
    uint32_t warmup = iterations / 10;
    soak* s = calloc(1, sizeof *s);
    s->rng = 0x5eed5eedull;
    bool ok = s != NULL && setup(s, impl);
    double start_ms = wr_now_ms(), after_warmup = 0, peak = 0;
    for (uint32_t i = 0; ok && i < iterations; i++) {
        ok = round_trip(s, i);
        double rss = rss_mib();
        if (i + 1 == warmup) after_warmup = rss;
        if (i >= warmup && rss > peak) peak = rss;
    }
    double end = rss_mib(), seconds = (wr_now_ms() - start_ms) / 1000.0;
    CHECK(ok);
    CHECK(after_warmup > 0 && end > 0);
    printf("soak %s: %u round trips in %.1f s (%.2f ms each); RSS after %u warm-up %.1f MiB, at end %.1f MiB, "
           "peak %.1f MiB, growth %.2f MiB (bound %.0f)\n",
           impl, iterations, seconds, seconds * 1000.0 / iterations, warmup, after_warmup, end, peak, peak - after_warmup,
           SOAK_MAX_GROWTH_MIB);
    CHECK_MSG(peak - after_warmup < SOAK_MAX_GROWTH_MIB, "RSS grew by %.2f MiB after warm-up", peak - after_warmup);
    if (s != NULL && s->ctx != NULL) teardown(s);
    free(s);
    return check_summary();
}
