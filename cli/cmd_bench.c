/* `wgslrun bench`: run the benchmark suite natively on Dawn and/or wgpu-native, verify every case,
 * and write wgslrun-result/1 JSON (bench/README.md). The cases live in bench/native. */
#include <errno.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "bench.h"
#include "commands.h"
#include "context_options.h"
#include "json.h"
#include "paths.h"

static const char bench_usage[] =
    "usage: wgslrun bench [options]\n"
    "\n"
    "Runs the benchmark suite (bench/suite.json and bench/kernels) natively: for each case, a\n"
    "verification run against a CPU reference on random inputs, then warm-up and timed samples.\n"
    "Prints a progress line per case on stderr and a table on stdout; a case that fails\n"
    "verification is reported with no time and makes the exit status 1.\n"
    "\n"
    "options:\n"
    "  --impl dawn|wgpu|all   WebGPU implementation(s) (default $WGSLRUN_IMPL or dawn)\n"
    "  --size small|large     problem sizes from the suite (default small: a quick check;\n"
    "                         large is the measurement on a real GPU)\n"
    "  --filter REGEX         run the cases whose name matches (POSIX extended regex, searched\n"
    "                         in 'id' or 'id/variant', e.g. 'sgemm', '^copy$', 'dispatch/one_pass')\n"
    "  --json FILE            write the results as wgslrun-result/1 JSON; with --impl all, one\n"
    "                         file per implementation: results.json -> results-dawn.json, ...\n"
    "  --suite PATH           the suite file (default $WGSLRUN_SUITE, else the installed one,\n"
    "                         share/wgslrun/suite.json beside bin/, else the source tree's\n"
    "                         bench/suite.json); kernel paths are relative to its directory\n"
    "  --adapter A            adapter index or name substring (see `wgslrun info`)\n"
    "  --context per-case|shared\n"
    "                         a new WebGPU device for each case (default, as the Rust and JS\n"
    "                         runners do: on an H200 a device's later large buffers can run at\n"
    "                         0.39 of its first), or one device for the whole run\n"
    "  --settle SECONDS       before the first case, load the GPU with the copy kernel until\n"
    "                         consecutive timings agree within 3%% or SECONDS pass (an idle GPU\n"
    "                         runs at a low clock); 0: off. Default: the suite's\n"
    "                         timing.<size>.settle_seconds (small 0, large 10)\n"
    "  --round N              record \"round\": N in the results, so `wgslrun report` compares\n"
    "                         repeated runs of one method (rounds) case by case\n"
    "%s"
    "  $WGSLRUN_TRANSFER_STATS=1 prints where each transfer case's time went (stderr)\n"
    "\n"
    "examples:\n"
    "  wgslrun bench --impl all --size small --json results.json\n"
    "  wgslrun bench --impl wgpu --filter 'sgemm|nbody' --size large\n";

#define BENCH_COMMAND_MAX 4096

typedef struct bench_options {
    const char* impl;        /* NULL: the library's default */
    const char* size;
    const char* filter;
    const char* suite;
    const char* json_path;
    const char* adapter;
    wr_context_desc context;  /* --timeout, --wait, ... (context_options.h) */
    bool shared_context;     /* one context for every case instead of one per case */
    double settle_seconds;   /* --settle; < 0: the suite's default */
    long round;              /* --round; 0: none */
    char command[BENCH_COMMAND_MAX];
    char default_suite[BENCH_PATH_MAX];  /* where o->suite points without --suite, $WGSLRUN_SUITE */
} bench_options;

/* What one implementation produced. */
typedef struct impl_run {
    char name[WR_NAME_MAX];
    bool available;
    char error[WR_ERROR_MESSAGE_MAX];
    wr_adapter_info info;
    char date[32];
    bench_settle settle;     /* the warm-up load, when one ran */
    bench_result* results;   /* one per job of the plan */
} impl_run;

/* ---------------------------------------------------------------- options */

static int usage_error(const char* fmt, const char* detail) {
    fprintf(stderr, "wgslrun bench: error: ");
    fprintf(stderr, fmt, detail);
    fprintf(stderr, "\n(see wgslrun bench --help)\n");
    return CLI_EXIT_USAGE;
}

static bool needs_quotes(const char* arg) {
    if (arg[0] == '\0') return true;
    for (const char* p = arg; *p; p++)
        if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-./=:,+@%", *p)) return true;
    return false;
}

/* The command line as a shell would take it back, recorded in the results. */
static void record_command(int argc, char** argv, char* out, size_t size) {
    snprintf(out, size, "wgslrun bench");
    for (int i = 0; i < argc; i++) {
        size_t used = strlen(out);
        snprintf(out + used, size - used, needs_quotes(argv[i]) ? " '%s'" : " %s", argv[i]);
    }
}

static int parse_bench_args(int argc, char** argv, bench_options* o) {
    o->size = "small";
    o->settle_seconds = -1;
    const char* context = "per-case";
    const char* settle = NULL;
    const char* round = NULL;
    char error[256];
    for (int i = 0; i < argc; i++) {
        const char* v = NULL;
        int m;
#define OPTION(name) ((m = cli_option_value(argc, argv, &i, name, &v, error, sizeof error)) != 0)
        if (OPTION("--impl")) o->impl = v;
        else if (OPTION("--size")) o->size = v;
        else if (OPTION("--filter")) o->filter = v;
        else if (OPTION("--suite")) o->suite = v;
        else if (OPTION("--json")) o->json_path = v;
        else if (OPTION("--adapter")) o->adapter = v;
        else if (OPTION("--context")) context = v;
        else if (OPTION("--settle")) settle = v;
        else if (OPTION("--round")) round = v;
        else if ((m = cli_context_option(argc, argv, &i, &o->context, error, sizeof error)) != 0) {}
        else if (argv[i][0] == '-') return usage_error("unknown option '%s'", argv[i]);
        else return usage_error("unexpected argument '%s'", argv[i]);
#undef OPTION
        if (m < 0) return usage_error("%s", error);
    }
    if (!cli_context_env(&o->context, error, sizeof error)) return usage_error("%s", error);
    if (strcmp(o->size, "small") != 0 && strcmp(o->size, "large") != 0)
        return usage_error("--size '%s' is not small or large", o->size);
    if (strcmp(context, "per-case") != 0 && strcmp(context, "shared") != 0)
        return usage_error("--context '%s' is not per-case or shared", context);
    o->shared_context = strcmp(context, "shared") == 0;
    char* end = NULL;
    if (settle != NULL && ((o->settle_seconds = strtod(settle, &end)) < 0 || end == settle || *end != '\0' ||
                           !(o->settle_seconds <= 3600)))
        return usage_error("--settle '%s' is not a number of seconds from 0 to 3600", settle);
    if (round != NULL && ((o->round = strtol(round, &end, 10)) < 1 || end == round || *end != '\0' || o->round > 1000000))
        return usage_error("--round '%s' is not a whole number from 1", round);
    if (o->suite == NULL) o->suite = getenv("WGSLRUN_SUITE");
    if (o->suite == NULL || o->suite[0] == '\0') {
        cli_default_suite(o->default_suite, sizeof o->default_suite);
        o->suite = o->default_suite;
    }
    record_command(argc, argv, o->command, sizeof o->command);
    return CLI_EXIT_OK;
}

static int compile_filter(const char* filter, regex_t* out) {
    int code = regcomp(out, filter, REG_EXTENDED | REG_NOSUB);
    if (code == 0) return CLI_EXIT_OK;
    char message[256];
    regerror(code, out, message, sizeof message);
    fprintf(stderr, "wgslrun bench: error: --filter '%s' is not a valid regular expression: %s\n", filter, message);
    return CLI_EXIT_USAGE;
}

/* Fails before the run, not after minutes of it, when the results cannot be written. */
static int check_writable(const char* path) {
    char dir[BENCH_PATH_MAX];
    if (cli_can_write_beside(path, dir, sizeof dir)) return CLI_EXIT_OK;
    fprintf(stderr, "wgslrun bench: error: --json %s: cannot write to %s: %s\n", path, dir, strerror(errno));
    return CLI_EXIT_FAILURE;
}

/* ---------------------------------------------------------------- running */

static void format_metric(const bench_job* job, const bench_result* r, char* out, size_t size) {
    if (r->outcome == BENCH_VERIFIED) snprintf(out, size, "%.4g %s", r->metric_value, job->metric.info.unit);
    else snprintf(out, size, "-");
}

static void report_progress(const bench_job* job, const bench_result* r) {
    char metric[128];
    format_metric(job, r, metric, sizeof metric);
    if (r->outcome == BENCH_VERIFIED) fprintf(stderr, "%s verified\n", metric);
    else if (r->outcome == BENCH_FAILED) fprintf(stderr, "FAILED: %s\n", r->error);
    else fprintf(stderr, "unsupported: %s\n", r->error);
}

/* A fresh context for the next case; on failure the case records why and the run goes on.
 * `keeper` (the run's first context) stays open: see run_impl. */
static bool reopen_context(const wr_context_desc* desc, bench_session* session, wr_context* keeper,
                           bench_result* result) {
    if (session->ctx != keeper) wr_context_destroy(session->ctx);
    session->ctx = NULL;
    wr_error err = {0};
    if (cli_name_settings(wr_context_create(desc, &session->ctx, &err), &err) == WR_OK) return true;
    memset(result, 0, sizeof *result);
    result->outcome = BENCH_FAILED;
    snprintf(result->error, sizeof result->error, "creating this case's context: %s", err.message);
    return false;
}

static void settle_gpu(bench_session* session, const char* suite, double seconds, bench_settle* out) {
    fprintf(stderr, "wgslrun bench: settling the GPU (copy kernel, up to %g s) ... ", seconds);
    fflush(stderr);
    if (!bench_settle_load(session->ctx, suite, seconds, out)) fprintf(stderr, "FAILED: %s\n", out->error);
    else fprintf(stderr, "%s after %.2f s, spread %.1f%%\n", out->settled ? "settled" : "not settled (cap)", out->seconds,
                 100 * out->spread);
}

static bool run_impl(const bench_options* o, const char* impl, const bench_plan* plan, impl_run* run) {
    snprintf(run->name, sizeof run->name, "%s", impl ? impl : "default");
    run->results = calloc(plan->count ? plan->count : 1, sizeof *run->results);
    if (run->results == NULL) {
        snprintf(run->error, sizeof run->error, "out of host memory");
        return false;
    }
    bench_session session = {0};
    wr_error err = {0};
    wr_context_desc desc = o->context;
    if (impl != NULL) desc.impl = impl; /* else $WGSLRUN_IMPL's, from cli_context_env */
    desc.adapter = o->adapter;
    if (cli_name_settings(wr_context_create(&desc, &session.ctx, &err), &err) != WR_OK) {
        snprintf(run->error, sizeof run->error, "%s", err.message);
        return false;
    }
    run->available = true;
    run->info = *wr_context_info(session.ctx);
    snprintf(run->name, sizeof run->name, "%s", run->info.impl_name);
    bench_utc_now(run->date, sizeof run->date);
    fprintf(stderr, "wgslrun bench: %s on %s (%s, %s), %s sizes\n", run->name, run->info.device, run->info.backend,
            run->info.adapter_type, o->size);
    double settle = o->settle_seconds >= 0 ? o->settle_seconds : plan->settle_seconds;
    if (settle > 0) settle_gpu(&session, o->suite, settle, &run->settle);
    /* With a context per case, the first stays open until the run ends: destroying a process's
     * last instance makes the Vulkan loader unload the driver, and on the H200 reloading
     * NVIDIA's libnvidia-tls failed after about 35 cycles ("cannot allocate memory in static
     * TLS block"), which cost Dawn the suite's last cases
     * (results/archive/h200-campaign-2026-12-04-0201). */
    wr_context* keeper = o->shared_context ? NULL : session.ctx;
    for (size_t i = 0; i < plan->count; i++) {
        /* The first case runs on the context opened above, unless the warm-up load used it
         * (its buffers would take the device's first placement). A new one is opened before
         * the progress line starts: drivers print warnings while a device is created. */
        bool fresh = i > 0 || run->settle.ran;
        bool ready = (o->shared_context && i > 0) || !fresh || reopen_context(&desc, &session, keeper, &run->results[i]);
        fprintf(stderr, "[%zu/%zu] %s %s %s ... ", i + 1, plan->count, run->name, plan->jobs[i].label, o->size);
        fflush(stderr);
        if (ready) bench_run_job(&session, &plan->jobs[i], &run->results[i]);
        report_progress(&plan->jobs[i], &run->results[i]);
        cli_exit_if_timed_out(session.ctx, "bench", plan->jobs[i].label);
    }
    if (session.ctx != keeper) wr_context_destroy(session.ctx);
    wr_context_destroy(keeper);
    return true;
}

/* ---------------------------------------------------------------- JSON */

static void json_header(json_writer* w, const bench_options* o, const impl_run* run) {
    const wr_adapter_info* info = &run->info;
    char version[128];
    bench_impl_version(info, version, sizeof version);
    bench_version versions[] = {{run->name, version}};
    bench_result_header header = {
        .method = "native-c",
        .implementation = run->name,
        .adapter = info->device,
        .backend = info->backend,
        .driver = info->description[0] ? info->description : NULL,
        .device_class = strcmp(info->adapter_type, "cpu") == 0 ? "cpu" : "gpu",
        .versions = versions,
        .version_count = 1,
        .date = run->date,
        .command = o->command,
        .size = o->size,
    };
    bench_json_header(w, &header);
    if (o->round > 0) {
        json_key(w, "round");
        json_number_value(w, (double)o->round);
    }
    if (run->settle.ran) bench_json_settle(w, &run->settle);
}

/* Written beside `path` and renamed, so a failure never leaves a truncated result file. */
static bool write_results(const bench_options* o, const bench_plan* plan, const impl_run* run, const char* path) {
    char tmp[BENCH_PATH_MAX + 8];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE* f = fopen(tmp, "w");
    if (f == NULL) {
        fprintf(stderr, "wgslrun bench: error: %s: cannot write: %s\n", tmp, strerror(errno));
        return false;
    }
    json_writer w;
    json_writer_init(&w, f);
    json_begin_object(&w);
    json_header(&w, o, run);
    json_key(&w, "results");
    json_begin_array(&w);
    for (size_t i = 0; i < plan->count; i++) bench_json_result(&w, &plan->jobs[i], &run->results[i]);
    json_end_array(&w);
    json_end_object(&w);
    bool ok = json_writer_finish(&w);
    ok = fclose(f) == 0 && ok;
    if (!ok || rename(tmp, path) != 0) {
        fprintf(stderr, "wgslrun bench: error: %s: cannot write: %s\n", path, strerror(errno));
        remove(tmp);
        return false;
    }
    fprintf(stderr, "wgslrun bench: wrote %s\n", path);
    return true;
}

/* ---------------------------------------------------------------- the table */

static void format_params(const bench_job* job, char* out, size_t size) {
    out[0] = '\0';
    for (size_t i = 0; i < job->param_count; i++) {
        size_t used = strlen(out);
        snprintf(out + used, size - used, "%s%s=%.15g", i ? " " : "", job->params[i].name, job->params[i].value);
    }
}

static void print_table(const bench_plan* plan, const impl_run* runs, size_t run_count) {
    printf("%-6s %-22s %-36s %-22s %s\n", "impl", "case", "params", "metric", "verified");
    for (size_t k = 0; k < run_count; k++) {
        if (!runs[k].available) {
            printf("%-6s unavailable: %s\n", runs[k].name, runs[k].error);
            continue;
        }
        for (size_t i = 0; i < plan->count; i++) {
            const bench_job* job = &plan->jobs[i];
            const bench_result* r = &runs[k].results[i];
            char name[2 * BENCH_TEXT_MAX + 2], params[256], metric[128];
            snprintf(name, sizeof name, "%s%s%s", job->case_id, job->variant[0] ? "/" : "", job->variant);
            format_params(job, params, sizeof params);
            format_metric(job, r, metric, sizeof metric);
            const char* verdict = r->outcome == BENCH_VERIFIED ? "yes" : r->outcome == BENCH_FAILED ? "FAILED" : "unsupported";
            printf("%-6s %-22s %-36s %-22s %s\n", runs[k].name, name, params, metric, verdict);
        }
    }
}

/* ---------------------------------------------------------------- the command */

static bool all_verified(const bench_plan* plan, const impl_run* run) {
    if (!run->available) return false;
    for (size_t i = 0; i < plan->count; i++)
        if (run->results[i].outcome == BENCH_FAILED) return false;
    return true;
}

static int run_all(const bench_options* o, const bench_plan* plan) {
    static const char* const every_impl[] = {"dawn", "wgpu"};
    bool all = o->impl != NULL && strcmp(o->impl, "all") == 0;
    size_t run_count = all ? 2 : 1;
    impl_run* runs = calloc(run_count, sizeof *runs);
    if (runs == NULL) return CLI_EXIT_FAILURE;
    int rc = CLI_EXIT_OK;
    for (size_t k = 0; k < run_count; k++) {
        impl_run* run = &runs[k];
        if (!run_impl(o, all ? every_impl[k] : o->impl, plan, run))
            fprintf(stderr, "wgslrun bench: error: %s: %s\n", run->name, run->error);
        char path[BENCH_PATH_MAX];
        if (run->available && o->json_path != NULL) {
            if (all) cli_path_with_tag(o->json_path, run->name, path, sizeof path);
            else snprintf(path, sizeof path, "%s", o->json_path);
            if (!write_results(o, plan, run, path)) rc = CLI_EXIT_FAILURE;
        }
        if (!all_verified(plan, run)) rc = CLI_EXIT_FAILURE;
    }
    print_table(plan, runs, run_count);
    for (size_t k = 0; k < run_count; k++) free(runs[k].results);
    free(runs);
    return rc;
}

int cmd_bench(int argc, char** argv) {
    for (int i = 0; i < argc; i++)
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            printf(bench_usage, cli_context_options_usage);
            return CLI_EXIT_OK;
        }
    bench_options options = {0};
    int rc = parse_bench_args(argc, argv, &options);
    regex_t filter;
    bool has_filter = rc == CLI_EXIT_OK && options.filter != NULL;
    if (has_filter && (rc = compile_filter(options.filter, &filter)) != CLI_EXIT_OK) has_filter = false;
    if (rc == CLI_EXIT_OK && options.json_path != NULL) rc = check_writable(options.json_path);
    bench_plan plan = {0};
    char error[BENCH_ERROR_MAX];
    if (rc == CLI_EXIT_OK && !bench_plan_load(options.suite, options.size, has_filter ? &filter : NULL, &plan, error,
                                              sizeof error)) {
        fprintf(stderr, "wgslrun bench: error: %s\n", error);
        rc = CLI_EXIT_FAILURE;
    }
    if (rc == CLI_EXIT_OK && plan.count == 0)
        rc = usage_error("no case of the suite matches --filter '%s'", options.filter ? options.filter : "");
    if (rc == CLI_EXIT_OK) rc = run_all(&options, &plan);
    bench_plan_free(&plan);
    if (has_filter) regfree(&filter);
    return rc;
}
