/* Context settings: what each zero field of wr_context_desc stands for, in one place, and
 * which values are refused. */
#include "context.h"

#include "host_copy.h"
#include "procs.h"

#define WR_DEFAULT_WAIT_TIMEOUT_S 120.0
/* Transfers move through staging buffers in chunks of this many bytes unless told otherwise. */
#define WR_DEFAULT_STAGING_CHUNK ((size_t)32 << 20)
#define WR_MIN_STAGING_CHUNK ((size_t)4096)

static size_t staging_chunk(size_t requested) {
    size_t chunk = requested ? requested : WR_DEFAULT_STAGING_CHUNK;
    return chunk < WR_MIN_STAGING_CHUNK ? WR_MIN_STAGING_CHUNK : (chunk + 3) & ~(size_t)3;
}

wr_context_desc wr_context_desc_defaults(const wr_context_desc* desc) {
    wr_context_desc out = desc ? *desc : (wr_context_desc){0};
    if (out.impl == NULL || out.impl[0] == '\0') out.impl = wr_procs_default_impl();
    if (out.deps_dir == NULL || out.deps_dir[0] == '\0') out.deps_dir = wr_procs_default_deps_dir(out.impl);
    if (out.wait_timeout_s == 0) out.wait_timeout_s = WR_DEFAULT_WAIT_TIMEOUT_S;
    out.staging_chunk_bytes = staging_chunk(out.staging_chunk_bytes);
    out.copy_threads = wr_host_copy_threads(out.copy_threads);
    if (out.dawn_toggle_count == 0) out.dawn_toggles = NULL;
    return out;
}

wr_status wr_ctx_check_desc(const wr_context_desc* desc, wr_error* err) {
    if (!(desc->wait_timeout_s >= 0) || (unsigned)desc->wait_mode > WR_WAIT_SLEEP)
        return wr_error_set(err, WR_ERROR_INVALID_ARGUMENT,
                            "wr_context_create: wait_timeout_s must be >= 0 and wait_mode a wr_wait_mode");
    for (size_t i = 0; i < desc->dawn_toggle_count; i++)
        if (desc->dawn_toggles == NULL || desc->dawn_toggles[i] == NULL || desc->dawn_toggles[i][0] == '\0')
            return wr_error_set(err, WR_ERROR_INVALID_ARGUMENT,
                                "wr_context_create: dawn_toggles[%zu] of %zu is NULL or empty", i,
                                desc->dawn_toggle_count);
    return WR_OK;
}
