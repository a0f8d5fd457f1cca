/* Copies between host memory and a device buffer (bench/README.md: transfer). The spec's
 * variants copy ordinary host memory (wr_buffer_upload/download); the *_mapped variants
 * write or read the staging memory itself (wr_buffer_map_upload/map_download), the path
 * without a host memcpy, compared with CUDA's pinned copies. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"

typedef struct transfer_state {
    bool upload;
    bool mapped;
    wr_buffer* device;
    unsigned char* source;    /* what is uploaded */
    unsigned char* landing;   /* where readbacks land */
    size_t bytes;
} transfer_state;

/* Mapped upload: the bytes are produced in the mapped memory (here: copied from `source`,
 * standing in for a generator or a file read that would write there anyway). The fill is
 * timed: where the staging memory is the GPU's own, mapped over the PCIe BAR (the H200's
 * Vulkan driver offers that), the fill is the transfer, and the copy that commit queues stays
 * on the GPU (timing only the commit measured 200-400 GB/s there, over PCIe's ~55). */
static wr_status upload_mapped(bench_session* s, transfer_state* t) {
    void* ptr;
    wr_status status = wr_buffer_map_upload(s->ctx, t->device, 0, t->bytes, &ptr);
    if (status != WR_OK) return status;
    memcpy(ptr, t->source, t->bytes);
    return wr_buffer_commit_upload(s->ctx, t->device);
}

/* Mapped readback: the caller consumes the bytes where they are; the timed loop reads one
 * byte per page, verification compares them all. */
static wr_status readback_mapped(bench_session* s, transfer_state* t, bool all) {
    const void* ptr;
    wr_status status = wr_buffer_map_download(s->ctx, t->device, 0, t->bytes, &ptr);
    if (status != WR_OK) return status;
    const unsigned char* bytes = ptr;
    static volatile unsigned sink; /* keeps the reads */
    if (all) memcpy(t->landing, bytes, t->bytes);
    else
        for (size_t i = 0; i < t->bytes; i += 4096) sink += bytes[i];
    return wr_buffer_release_download(s->ctx, t->device);
}

static wr_status transfer_once(bench_session* s, transfer_state* t) {
    if (t->mapped)
        return t->upload ? upload_mapped(s, t) : readback_mapped(s, t, false);
    return t->upload ? wr_buffer_upload(s->ctx, t->device, 0, t->source, t->bytes)
                     : wr_buffer_download(s->ctx, t->device, 0, t->landing, t->bytes);
}

/* $WGSLRUN_TRANSFER_STATS=1: where the timed samples' time went, on stderr. */
static void print_stats(bench_session* s, const transfer_state* t, double wall_ms) {
    const char* env = getenv("WGSLRUN_TRANSFER_STATS");
    if (env == NULL || strcmp(env, "1") != 0) return;
    wr_transfer_stats st;
    wr_context_transfer_stats(s->ctx, &st);
    fprintf(stderr, "\n  transfer-stats %s%s %zu bytes: wall %.3f ms, host memcpy %.3f, map wait %.3f, submit %.3f, "
            "chunks %llu, bytes up %.0f down %.0f\n  ", t->upload ? "upload" : "readback", t->mapped ? "_mapped" : "",
            t->bytes, wall_ms, st.host_copy_ms, st.map_wait_ms, st.submit_ms, (unsigned long long)st.chunks,
            st.upload_bytes, st.download_bytes);
}

/* Each sample is timed on the host to completion: an upload is only done once the GPU has the
 * data, so it waits for the queue to drain. */
static bool sample(bench_session* s, void* state, uint32_t inner, wr_timing* timing) {
    transfer_state* t = state;
    wr_context_reset_transfer_stats(s->ctx);
    double start = wr_now_ms();
    for (uint32_t i = 0; i < inner; i++) {
        wr_status status = transfer_once(s, t);
        if (status == WR_OK && t->upload) status = wr_context_wait_idle(s->ctx);
        if (status != WR_OK) return bench_fail_ctx(s, t->upload ? "uploading" : "reading back");
    }
    *timing = (wr_timing){.wall_ms = wr_now_ms() - start, .gpu_ms = -1.0};
    print_stats(s, t, timing->wall_ms);
    return true;
}

static void verify(bench_session* s, const transfer_state* t) {
    double worst = 0;
    for (size_t i = 0; i < t->bytes; i++) {
        double diff = fabs((double)t->landing[i] - t->source[i]);
        worst = diff > worst ? diff : worst;
    }
    bench_check(s, worst == 0, worst, "the bytes read back differ from those written");
}

/* The round trip checks both directions through the path the variant times. */
static bool round_trip(bench_session* s, transfer_state* t) {
    if (!t->mapped) {
        t->device = bench_storage_with(s, "device", t->source, t->bytes);
        return bench_download(s, t->device, t->landing, t->bytes);
    }
    t->device = bench_storage(s, "device", t->bytes);
    if (t->device == NULL) return false;
    if (upload_mapped(s, t) != WR_OK || readback_mapped(s, t, true) != WR_OK)
        return bench_fail_ctx(s, "a mapped round trip");
    return true;
}

static void run_transfer(bench_session* s, const bench_job* job, transfer_state* t) {
    bench_rng rng = bench_rng_for(job);
    t->source = bench_host(s, t->bytes);
    t->landing = bench_host(s, t->bytes);
    if (t->source == NULL || t->landing == NULL) return;
    for (size_t i = 0; i < t->bytes; i++) t->source[i] = (unsigned char)bench_rng_u32(&rng);
    memset(t->landing, 0xFF, t->bytes);
    if (!round_trip(s, t)) return;
    verify(s, t);
    if (bench_measure(s, job, sample, t)) bench_set_metric(s, job, 0);
}

void bench_transfer(bench_session* s, const bench_job* job) {
    double bytes = bench_param_value(job, "bytes");
    const char* v = job->variant;
    bool upload = strncmp(v, "upload", 6) == 0;
    bool mapped = strcmp(v, "upload_mapped") == 0 || strcmp(v, "readback_mapped") == 0;
    transfer_state t = {.upload = upload, .mapped = mapped, .bytes = (size_t)bytes};
    uint64_t limit = wr_context_info(s->ctx)->limits.max_buffer_size;
    if (!mapped && strcmp(v, "upload") != 0 && strcmp(v, "readback") != 0) {
        bench_unsupported_variant(s, job);
        return;
    }
    if (!bench_require(s, bytes > 0 && bytes == floor(bytes) && fmod(bytes, 4) == 0,
                       "bytes must be a positive multiple of 4"))
        return;
    if (bytes > (double)limit) {
        bench_unsupported(s, "%.0f bytes exceed the device's maxBufferSize of %llu", bytes, (unsigned long long)limit);
        return;
    }
    run_transfer(s, job, &t);
}
