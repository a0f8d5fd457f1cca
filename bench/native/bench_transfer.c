/* Copies between ordinary host memory and a device buffer (bench/README.md: transfer). */
#include <math.h>
#include <string.h>

#include "bench.h"

typedef struct transfer_state {
    bool upload;
    wr_buffer* device;
    unsigned char* source;    /* what is uploaded */
    unsigned char* landing;   /* where readbacks land */
    size_t bytes;
} transfer_state;

/* Each sample is timed on the host to completion: an upload is only done once the GPU has the
 * data, so it waits for the queue to drain. */
static bool sample(bench_session* s, void* state, uint32_t inner, wr_timing* timing) {
    transfer_state* t = state;
    double start = wr_now_ms();
    for (uint32_t i = 0; i < inner; i++) {
        wr_status status = t->upload ? wr_buffer_upload(s->ctx, t->device, 0, t->source, t->bytes)
                                     : wr_buffer_download(s->ctx, t->device, 0, t->landing, t->bytes);
        if (status == WR_OK && t->upload) status = wr_context_wait_idle(s->ctx);
        if (status != WR_OK) return bench_fail_ctx(s, t->upload ? "uploading" : "reading back");
    }
    *timing = (wr_timing){.wall_ms = wr_now_ms() - start, .gpu_ms = -1.0};
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

static void run_transfer(bench_session* s, const bench_job* job, transfer_state* t) {
    bench_rng rng = bench_rng_for(job);
    t->source = bench_host(s, t->bytes);
    t->landing = bench_host(s, t->bytes);
    if (t->source == NULL || t->landing == NULL) return;
    for (size_t i = 0; i < t->bytes; i++) t->source[i] = (unsigned char)bench_rng_u32(&rng);
    memset(t->landing, 0xFF, t->bytes);
    /* The round trip checks both directions, whichever one the variant times. */
    t->device = bench_storage_with(s, "device", t->source, t->bytes);
    if (!bench_download(s, t->device, t->landing, t->bytes)) return;
    verify(s, t);
    if (bench_measure(s, job, sample, t)) bench_set_giga_rate(s, (double)t->bytes);
}

void bench_transfer(bench_session* s, const bench_job* job) {
    double bytes = bench_param_value(job, "bytes");
    transfer_state t = {.upload = strcmp(job->variant, "upload") == 0, .bytes = (size_t)bytes};
    uint64_t limit = wr_context_info(s->ctx)->limits.max_buffer_size;
    if (!t.upload && strcmp(job->variant, "readback") != 0) {
        bench_unsupported(s, "unknown transfer variant '%s'", job->variant);
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
