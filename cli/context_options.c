/* The settings of wr_context_desc that wgslrun takes from its command line and environment:
 * --timeout, --wait, --staging-mb, --copy-threads, --dawn-toggles, --impl-log and their environment
 * variables, and the implementation (WGSLRUN_IMPL, WGSLRUN_DEPS). The library itself reads
 * no environment; this is where wgslrun's variables become its fields. */
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
    "                         $WGSLRUN_COPY_THREADS, else 8)\n"
    "  --dawn-toggles LIST    Dawn toggles to enable, comma-separated, e.g. disable_robustness\n"
    "                         (default $WGSLRUN_DAWN_TOGGLES, else none); wgpu ignores them\n"
    "  --impl-log FILE        append the implementation's device log to FILE (default\n"
    "                         $WGSLRUN_IMPL_LOG): Dawn's, where --dawn-toggles dump_shaders\n"
    "                         writes each shader as Tint compiled it; wgpu has none\n";

static bool parse_impl(const char* text, wr_context_desc* desc) {
    desc->impl = text;
    return true;
}

static bool parse_deps(const char* text, wr_context_desc* desc) {
    desc->deps_dir = text;
    return true;
}

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

#define CLI_MAX_DAWN_TOGGLES 32

/* The toggles live as long as the process: the desc they go into is used until it exits. */
static char toggle_text[1024];
static const char* toggle_list[CLI_MAX_DAWN_TOGGLES];

static bool parse_toggles(const char* text, wr_context_desc* desc) {
    if (strlen(text) >= sizeof toggle_text) return false;
    memcpy(toggle_text, text, strlen(text) + 1);
    size_t n = 0;
    for (char* item = strtok(toggle_text, ","); item != NULL; item = strtok(NULL, ",")) {
        if (n == CLI_MAX_DAWN_TOGGLES) return false;
        toggle_list[n++] = item;
    }
    desc->dawn_toggles = toggle_list;
    desc->dawn_toggle_count = n;
    return n > 0;
}

static void write_log(void* user, const char* message) {
    fprintf(user, "%s\n", message);
    fflush(user);
}

/* Opened once, for the process: the desc it goes into is used until the command exits. */
static bool parse_log(const char* path, wr_context_desc* desc) {
    static FILE* file;
    if (file == NULL && (file = fopen(path, "a")) == NULL) return false;
    desc->log = write_log;
    desc->log_user = file;
    return true;
}

static bool impl_set(const wr_context_desc* d) { return d->impl != NULL; }
static bool deps_set(const wr_context_desc* d) { return d->deps_dir != NULL; }
static bool timeout_set(const wr_context_desc* d) { return d->wait_timeout_s > 0; }
static bool wait_set(const wr_context_desc* d) { return d->wait_mode != WR_WAIT_DEFAULT; }
static bool staging_set(const wr_context_desc* d) { return d->staging_chunk_bytes != 0; }
static bool threads_set(const wr_context_desc* d) { return d->copy_threads != 0; }
static bool toggles_set(const wr_context_desc* d) { return d->dawn_toggle_count != 0; }
static bool log_set(const wr_context_desc* d) { return d->log != NULL; }

typedef struct context_option {
    const char* flag;    /* NULL: the command parses it (--impl) or there is none (deps) */
    const char* env;
    /* The wr_context_desc field it sets, as the library's messages name it; NULL for a field
     * no library message names (log: a common word that would draw false hints). */
    const char* field;
    bool (*parse)(const char* text, wr_context_desc* desc);
    bool (*is_set)(const wr_context_desc* desc);
    const char* expected;
    /* Which implementation and device: every command that opens a context honours these. */
    bool implementation;
} context_option;

static const context_option options[] = {
    {NULL, "WGSLRUN_IMPL", "impl", parse_impl, impl_set, "", true},
    {NULL, "WGSLRUN_DEPS", "deps_dir", parse_deps, deps_set, "", true},
    {"--dawn-toggles", "WGSLRUN_DAWN_TOGGLES", "dawn_toggles", parse_toggles, toggles_set,
     "a comma-separated list of at most 32 toggles (1023 characters)", true},
    {"--impl-log", "WGSLRUN_IMPL_LOG", NULL, parse_log, log_set, "a file that can be opened for appending", true},
    {"--timeout", "WGSLRUN_TIMEOUT_S", "wait_timeout_s", parse_timeout, timeout_set, "a positive number of seconds",
     false},
    {"--wait", "WGSLRUN_WAIT", "wait_mode", parse_wait, wait_set, "default, spin, block or sleep", false},
    {"--staging-mb", "WGSLRUN_STAGING_MB", "staging_chunk_bytes", parse_staging, staging_set,
     "a whole number of MiB in 1..4096", false},
    {"--copy-threads", "WGSLRUN_COPY_THREADS", "copy_threads", parse_threads, threads_set, "a whole number in 1..64",
     false},
};
#define OPTION_COUNT (sizeof options / sizeof options[0])

int cli_context_option(int argc, char** argv, int* i, wr_context_desc* desc, char* error, size_t error_size) {
    for (size_t k = 0; k < OPTION_COUNT; k++) {
        if (options[k].flag == NULL) continue;
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

static bool fill_from_env(wr_context_desc* desc, bool implementation_only, char* error, size_t error_size) {
    for (size_t k = 0; k < OPTION_COUNT; k++) {
        if (implementation_only && !options[k].implementation) continue;
        const char* value = getenv(options[k].env);
        if (value == NULL || value[0] == '\0' || options[k].is_set(desc)) continue;
        if (!options[k].parse(value, desc)) {
            snprintf(error, error_size, "%s='%s' is not %s", options[k].env, value, options[k].expected);
            return false;
        }
    }
    return true;
}

bool cli_context_env(wr_context_desc* desc, char* error, size_t error_size) {
    return fill_from_env(desc, false, error, error_size);
}

bool cli_implementation_env(wr_context_desc* desc, char* error, size_t error_size) {
    return fill_from_env(desc, true, error, error_size);
}

static bool is_name_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

/* `name` as a whole word of `text` (so "impl" is not found in "implementation"). */
static bool names_word(const char* text, const char* name) {
    size_t n = strlen(name);
    for (const char* at = strstr(text, name); at != NULL; at = strstr(at + 1, name))
        if ((at == text || !is_name_char(at[-1])) && !is_name_char(at[n])) return true;
    return false;
}

/* A library message names the desc field to change; wgslrun's user changes a variable. */
wr_status cli_name_settings(wr_status status, wr_error* err) {
    if (status == WR_OK) return status;
    for (size_t k = 0; k < OPTION_COUNT; k++) {
        if (options[k].field == NULL || !names_word(err->message, options[k].field)) continue;
        size_t used = strlen(err->message);
        snprintf(err->message + used, sizeof err->message - used, "; wgslrun sets %s from %s%s%s",
                 options[k].field, options[k].flag ? options[k].flag : "", options[k].flag ? " or " : "",
                 options[k].env);
    }
    return status;
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
