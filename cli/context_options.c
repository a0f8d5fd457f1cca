/* --timeout, --wait, --staging-mb, --copy-threads and their environment variables. */
#include "context_options.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "args.h"
#include "commands.h"

const char cli_context_options_usage[] =
    "  --timeout SECONDS      the longest one GPU wait may take (default $WGSLRUN_TIMEOUT_S,\n"
    "                         else 120); past it the command names what ran and exits with 1\n"
    "  --wait MODE            how waits block: default, spin, block, sleep (default\n"
    "                         $WGSLRUN_WAIT, else default)\n"
    "  --staging-mb N         staging chunk of transfers in MiB (default $WGSLRUN_STAGING_MB,\n"
    "                         else 32)\n"
    "  --copy-threads N       host threads copying to and from staging (default\n"
    "                         $WGSLRUN_COPY_THREADS, else 8)\n";

static bool parse_timeout(const char* text, wr_context_desc* desc) {
    double seconds;
    if (!cli_parse_double(text, &seconds) || !(seconds > 0) || seconds > 1e9) return false;
    desc->wait_timeout_s = seconds;
    return true;
}

static bool parse_wait(const char* text, wr_context_desc* desc) {
    int mode = wr_wait_mode_parse(text);
    if (mode < 0) return false;
    desc->wait_mode = (wr_wait_mode)mode;
    return true;
}

static bool parse_staging(const char* text, wr_context_desc* desc) {
    uint64_t mib;
    if (!cli_parse_u64(text, &mib) || mib == 0 || mib > 4096) return false;
    desc->staging_chunk_bytes = (size_t)mib << 20;
    return true;
}

static bool parse_threads(const char* text, wr_context_desc* desc) {
    uint64_t n;
    if (!cli_parse_u64(text, &n) || n == 0 || n > 64) return false;
    desc->copy_threads = (uint32_t)n;
    return true;
}

typedef struct context_option {
    const char* flag;
    const char* env;
    bool (*parse)(const char* text, wr_context_desc* desc);
    const char* expected;
} context_option;

static const context_option options[] = {
    {"--timeout", "WGSLRUN_TIMEOUT_S", parse_timeout, "a positive number of seconds"},
    {"--wait", "WGSLRUN_WAIT", parse_wait, "default, spin, block or sleep"},
    {"--staging-mb", "WGSLRUN_STAGING_MB", parse_staging, "a whole number of MiB in 1..4096"},
    {"--copy-threads", "WGSLRUN_COPY_THREADS", parse_threads, "a whole number in 1..64"},
};
#define OPTION_COUNT (sizeof options / sizeof options[0])

static bool is_set(const wr_context_desc* desc, size_t index) {
    switch (index) {
    case 0: return desc->wait_timeout_s > 0;
    case 1: return desc->wait_mode != WR_WAIT_DEFAULT;
    case 2: return desc->staging_chunk_bytes != 0;
    default: return desc->copy_threads != 0;
    }
}

int cli_context_option(int argc, char** argv, int* i, wr_context_desc* desc, char* error, size_t error_size) {
    for (size_t k = 0; k < OPTION_COUNT; k++) {
        const char* value = NULL;
        int m = cli_option_value(argc, argv, i, options[k].flag, &value, error, error_size);
        if (m == 0) continue;
        if (m < 0) return -1;
        if (options[k].parse(value, desc)) return 1;
        snprintf(error, error_size, "%s '%s' is not %s", options[k].flag, value, options[k].expected);
        return -1;
    }
    return 0;
}

bool cli_context_env(wr_context_desc* desc, char* error, size_t error_size) {
    for (size_t k = 0; k < OPTION_COUNT; k++) {
        const char* value = getenv(options[k].env);
        if (value == NULL || value[0] == '\0' || is_set(desc, k)) continue;
        if (!options[k].parse(value, desc)) {
            snprintf(error, error_size, "%s='%s' is not %s", options[k].env, value, options[k].expected);
            return false;
        }
    }
    return true;
}

/* The work that overran may still be running (on SwiftShader, on CPU threads the driver
 * owns) and webgpu.h cannot cancel it. exit() would run the driver's and the
 * implementation's exit-time destructors, which join those threads or wait for the queue, so
 * the process would hang; _exit ends it at once. Nothing is left half-written: outputs are
 * written only after every wait, each to a temporary file renamed into place. */
void cli_exit_if_timed_out(wr_context* ctx, const char* command, const char* what) {
    if (!wr_context_timed_out(ctx)) return;
    fprintf(stderr, "wgslrun %s: error: %s ran too long: %s\n", command, what, wr_context_error(ctx));
    fflush(stdout);
    fflush(stderr);
    _exit(CLI_EXIT_FAILURE);
}
