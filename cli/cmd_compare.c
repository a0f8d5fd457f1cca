/* `wgslrun compare`: one kernel measured across every method, with the outputs checked against
 * each other. This file: the options and the order of the steps (cmd_compare.h lists the rest). */
#include "cmd_compare.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "commands.h"
#include "paths.h"

static const char compare_usage[] =
    "usage: wgslrun compare FILE.wgsl --bind B=SOURCE... (--size N | --grid X,Y,Z) [options]\n"
    "\n"
    "Runs one WGSL kernel through every method: natively on Dawn and wgpu-native, in Chromium\n"
    "from JavaScript and from WebAssembly (this CLI compiled to wasm32), in Node (dawn.node) and\n"
    "in Deno (wgpu). Every method gets the same inputs (generated once, passed as .npy files)\n"
    "and runs the same dispatches; their outputs are compared, and a table gives per method the\n"
    "GPU and wall time (median, min-max, noise = (max-min)/median), the ratio to the fastest,\n"
    "the adapter, and whether its outputs agree with the others'.\n"
    "\n"
    "options as for `wgslrun run` (see wgslrun run --help):\n"
    "  --entry NAME, --bind B=SOURCE, --grid X[,Y,Z], --size N[,M,K], --define NAME=VALUE,\n"
    "  --repeat N (default 1), --warmup M (default 0)\n"
    "options of compare:\n"
    "  --methods LIST         comma-separated dawn, wgpu, chromium, wasm, node, deno, or all\n"
    "                         (default all)\n"
    "  --define-for M:NAME=VALUE\n"
    "                         a constant for method M only, over --define (e.g. a workgroup\n"
    "                         size tuned per method; outputs that then differ are reported)\n"
    "  --tolerance SPEC       when float outputs agree, per element: ulp:N, rel:X, abs:X, comma-\n"
    "                         separated, any one suffices (default ulp:4); integer outputs must\n"
    "                         be bit-identical, NaN agrees with NaN\n"
    "  --timeout S            seconds one method may take, start-up included (default 300);\n"
    "                         one that overruns or crashes is reported, the others still run\n"
    "  --json FILE            one wgslrun-result/1 file per method, for `wgslrun report`:\n"
    "                         FILE-dawn.json, ...; with one method FILE itself; '{method}' in\n"
    "                         FILE is replaced by the method's name\n"
    "  --report FILE.html     the results as an HTML report (as `wgslrun report` draws them)\n"
    "  --keep DIR             keep the inputs and every method's outputs (DIR/METHOD/NAME.npy),\n"
    "                         its stdout and stderr, in DIR instead of a temporary directory\n"
    "\n"
    "A method that is not installed here is listed as unavailable, with the reason. Buffers are\n"
    "not reset between runs (as in `wgslrun run`), so the outputs compared are those after all\n"
    "warm-up and timed runs. Progress goes to stderr. Exit status: 0 when every method that ran\n"
    "agrees, 1 when one failed, timed out or differs (or none could run), 2 a usage error.\n"
    "\n"
    "environment:\n"
    "  WGSLRUN_NODE       node binary for chromium, wasm and node (default: node on PATH)\n"
    "  WGSLRUN_DENO       deno binary (default bench/web/node_modules/@deno/linux-x64-glibc/deno)\n"
    "  WGSLRUN_CHROMIUM   the browser (default /usr/bin/chromium; see bench/web/chromium_flags.mjs)\n"
    "  WGSLRUN_SOURCE_DIR the source tree holding bench/ (default: the one this was built from)\n"
    "\n"
    "examples:\n"
    "  wgslrun compare examples/saxpy.wgsl --bind x=random:f32:65536 --bind y=fill:f32:65536:1\n"
    "      --bind params=values:f32:2.0 --size 65536 --methods dawn,wgpu --repeat 3\n"
    "  wgslrun compare examples/saxpy.wgsl --bind x=random:f32:4096 --bind y=zeros:f32:4096\n"
    "      --bind params=values:f32:0.5 --size 4096 --methods dawn,wgpu\n"
    "      --define-for wgpu:WORKGROUP_SIZE=64 --json saxpy.json --report saxpy.html\n";

const cmp_method_def cmp_methods[CMP_METHOD_COUNT] = {
    [CMP_DAWN] = {"dawn", "native-c"},       [CMP_WGPU] = {"wgpu", "native-c"},
    [CMP_CHROMIUM] = {"chromium", "browser-js"}, [CMP_WASM] = {"wasm", "browser-wasm"},
    [CMP_NODE] = {"node", "node-js"},        [CMP_DENO] = {"deno", "deno-js"},
};

cmp_method_id cmp_method_find(const char* name) {
    for (int m = 0; m < CMP_METHOD_COUNT; m++)
        if (strcmp(cmp_methods[m].name, name) == 0) return (cmp_method_id)m;
    return CMP_METHOD_COUNT;
}

/* ---------------------------------------------------------------- parsing */

static int usage_error(const char* fmt, const char* detail) {
    fprintf(stderr, "wgslrun compare: error: ");
    fprintf(stderr, fmt, detail);
    fprintf(stderr, "\n(see wgslrun compare --help)\n");
    return CLI_EXIT_USAGE;
}

static int add_bind(cmp_options* o, const char* value) {
    if (o->bind_count == CMP_MAX_BINDS) return usage_error("more than %s --bind options", "32");
    cmp_bind* b = &o->binds[o->bind_count];
    const char* spec;
    if (!cli_split_assignment(value, b->target, sizeof b->target, &spec))
        return usage_error("--bind '%s' is not BINDING=SOURCE", value);
    char error[256];
    if (!cli_source_parse(spec, &b->source, error, sizeof error)) {
        fprintf(stderr, "wgslrun compare: error: --bind %s: %s\n", b->target, error);
        return CLI_EXIT_USAGE;
    }
    b->spec = spec;
    o->bind_count++;
    return CLI_EXIT_OK;
}

/* --define NAME=VALUE, or with `for_method`, --define-for METHOD:NAME=VALUE. */
static int add_define(cmp_options* o, const char* value, bool for_method) {
    if (o->define_count == CMP_MAX_DEFINES) return usage_error("more than %s defines", "32");
    cmp_define* d = &o->defines[o->define_count];
    d->method = CMP_METHOD_COUNT;
    const char* text = value;
    if (for_method) {
        const char* colon = strchr(value, ':');
        char method[32];
        if (colon == NULL || (size_t)(colon - value) >= sizeof method)
            return usage_error("--define-for '%s' is not METHOD:NAME=VALUE", value);
        snprintf(method, sizeof method, "%.*s", (int)(colon - value), value);
        d->method = cmp_method_find(method);
        if (d->method == CMP_METHOD_COUNT)
            return usage_error("--define-for: unknown method '%s' (dawn, wgpu, chromium, wasm, node, deno)", method);
        text = colon + 1;
    }
    const char* number;
    if (!cli_split_assignment(text, d->name, sizeof d->name, &number) || !cli_parse_double(number, &d->value))
        return usage_error(for_method ? "--define-for '%s' is not METHOD:NAME=NUMBER" : "--define '%s' is not NAME=NUMBER",
                           value);
    d->text = text;
    o->define_count++;
    return CLI_EXIT_OK;
}

static int parse_methods(cmp_options* o, const char* list) {
    memset(o->wanted, 0, sizeof o->wanted);
    if (strcmp(list, "all") == 0) {
        for (int m = 0; m < CMP_METHOD_COUNT; m++) o->wanted[m] = true;
        return CLI_EXIT_OK;
    }
    char buffer[256];
    if (list[0] == '\0' || strlen(list) >= sizeof buffer) return usage_error("--methods '%s' is not a list of methods", list);
    snprintf(buffer, sizeof buffer, "%s", list);
    for (char *name = buffer, *comma; name != NULL; name = comma ? comma + 1 : NULL) {
        comma = strchr(name, ',');
        if (comma) *comma = '\0';
        cmp_method_id m = cmp_method_find(name);
        if (m == CMP_METHOD_COUNT)
            return usage_error("--methods: unknown method '%s' (dawn, wgpu, chromium, wasm, node, deno or all)", name);
        o->wanted[m] = true;
    }
    return CLI_EXIT_OK;
}

static int parse_count(const char* name, const char* value, uint64_t* out) {
    if (!cli_parse_u64(value, out)) {
        fprintf(stderr, "wgslrun compare: error: %s '%s' is not a non-negative integer\n", name, value);
        return CLI_EXIT_USAGE;
    }
    return CLI_EXIT_OK;
}

static int parse_dims(const char* name, const char* value, uint64_t out[3], const char** text) {
    if (!cli_parse_dims(value, out)) {
        fprintf(stderr, "wgslrun compare: error: %s '%s' is not X[,Y[,Z]] of positive integers\n", name, value);
        return CLI_EXIT_USAGE;
    }
    *text = value;
    return CLI_EXIT_OK;
}

static int parse_timeout(cmp_options* o, const char* value) {
    if (!cli_parse_double(value, &o->timeout_s) || !(o->timeout_s > 0) || isinf(o->timeout_s))
        return usage_error("--timeout '%s' is not a positive number of seconds", value);
    return CLI_EXIT_OK;
}

static int parse_tolerance(cmp_options* o, const char* value) {
    if (!cmp_parse_tolerance(value, &o->tolerance))
        return usage_error("--tolerance '%s' is not a comma-separated list of ulp:N, rel:X and abs:X (N, X >= 0)", value);
    o->tolerance_text = value;
    return CLI_EXIT_OK;
}

static int parse_one(int argc, char** argv, int* i, cmp_options* o) {
    const char* v = NULL;
    char error[128];
    int m = 0;
#define OPTION(name) ((m = cli_option_value(argc, argv, i, name, &v, error, sizeof error)) != 0)
#define WITH(call) (m > 0 ? (call) : usage_error("%s", error))
    if (OPTION("--entry")) return WITH((o->entry = v, CLI_EXIT_OK));
    if (OPTION("--bind")) return WITH(add_bind(o, v));
    if (OPTION("--define")) return WITH(add_define(o, v, false));
    if (OPTION("--define-for")) return WITH(add_define(o, v, true));
    if (OPTION("--grid")) return WITH(parse_dims("--grid", v, o->grid, &o->grid_text));
    if (OPTION("--size")) return WITH(parse_dims("--size", v, o->size, &o->size_text));
    if (OPTION("--repeat")) return WITH(parse_count("--repeat", v, &o->repeat));
    if (OPTION("--warmup")) return WITH(parse_count("--warmup", v, &o->warmup));
    if (OPTION("--methods")) return WITH(parse_methods(o, v));
    if (OPTION("--tolerance")) return WITH(parse_tolerance(o, v));
    if (OPTION("--timeout")) return WITH(parse_timeout(o, v));
    if (OPTION("--json")) return WITH((o->json_path = v, CLI_EXIT_OK));
    if (OPTION("--report")) return WITH((o->report_path = v, CLI_EXIT_OK));
    if (OPTION("--keep")) return WITH((o->keep_dir = v, CLI_EXIT_OK));
#undef WITH
#undef OPTION
    if (argv[*i][0] == '-' && argv[*i][1] != '\0') return usage_error("unknown option '%s'", argv[*i]);
    if (o->file != NULL) return usage_error("unexpected argument '%s'", argv[*i]);
    o->file = argv[*i];
    return CLI_EXIT_OK;
}

static void record_command(cmp_options* o, int argc, char** argv) {
    size_t used = (size_t)snprintf(o->command, sizeof o->command, "wgslrun compare");
    for (int i = 0; i < argc && used < sizeof o->command; i++)
        used += (size_t)snprintf(o->command + used, sizeof o->command - used, " %s", argv[i]);
}

static bool has_suffix(const char* s, const char* suffix) {
    size_t n = strlen(s), m = strlen(suffix);
    return n > m && strcmp(s + n - m, suffix) == 0;
}

/* Fails before the methods run, not after them, when a result cannot be written. */
static int check_writable(const char* option, const char* path) {
    char dir[CMP_PATH_MAX];
    if (cli_can_write_beside(path, dir, sizeof dir)) return CLI_EXIT_OK;
    fprintf(stderr, "wgslrun compare: error: %s %s: cannot write to %s: %s\n", option, path, dir, strerror(errno));
    return CLI_EXIT_FAILURE;
}

static int check_options(const cmp_options* o) {
    if (o->file == NULL) return usage_error("%s", "no WGSL file given");
    if (o->repeat == 0) return usage_error("%s", "--repeat must be at least 1");
    bool has_grid = o->grid[0] != 0, has_size = o->size[0] != 0;
    if (has_grid == has_size)
        return usage_error("%s", has_grid ? "give --grid or --size, not both" : "give --grid X[,Y,Z] or --size N[,M,K]");
    if (o->bind_count == 0) return usage_error("%s", "no --bind given: the outputs to compare are bound buffers");
    if (o->json_path != NULL && o->json_path[0] == '\0') return usage_error("%s", "--json needs a file name");
    if (o->keep_dir != NULL && o->keep_dir[0] == '\0') return usage_error("%s", "--keep needs a directory");
    if (o->report_path != NULL && !has_suffix(o->report_path, ".html") && !has_suffix(o->report_path, ".htm"))
        return usage_error("--report '%s': the report is HTML, name it FILE.html", o->report_path);
    int rc = o->json_path ? check_writable("--json", o->json_path) : CLI_EXIT_OK;
    if (rc == CLI_EXIT_OK && o->report_path) rc = check_writable("--report", o->report_path);
    return rc;
}

static int parse_compare_args(int argc, char** argv, cmp_options* o) {
    o->repeat = 1;
    o->timeout_s = 300;
    parse_tolerance(o, "ulp:4");
    parse_methods(o, "all");
    for (int i = 0; i < argc; i++) {
        int rc = parse_one(argc, argv, &i, o);
        if (rc != CLI_EXIT_OK) return rc;
    }
    record_command(o, argc, argv);
    return check_options(o);
}

/* ---------------------------------------------------------------- the steps */

static void run_methods(cmp_plan* plan) {
    size_t total = 0, done = 0;
    for (int m = 0; m < CMP_METHOD_COUNT; m++) total += plan->options->wanted[m];
    for (int m = 0; m < CMP_METHOD_COUNT && !cmp_interrupted(); m++) {
        if (!plan->options->wanted[m]) continue;
        cmp_run* run = &plan->runs[plan->run_count++];
        run->id = (cmp_method_id)m;
        run->reference = -1;
        fprintf(stderr, "[compare %zu/%zu] %s: running\n", ++done, total, cmp_methods[m].name);
        cmp_run_method(plan, run);
        if (run->state == CMP_DONE && cmp_load_outputs(plan, run) != CLI_EXIT_OK) run->state = CMP_FAILED;
        const char* what = run->state == CMP_DONE ? "done" : run->state == CMP_UNAVAILABLE ? "unavailable"
                         : run->state == CMP_TIMED_OUT ? "timed out" : "failed";
        fprintf(stderr, "[compare %zu/%zu] %s: %s after %.1f s%s%s\n", done, total, cmp_methods[m].name, what,
                run->seconds, run->state == CMP_DONE ? "" : ": ", run->state == CMP_DONE ? "" : run->reason);
    }
}

static int exit_status(const cmp_plan* plan) {
    size_t ran = 0;
    bool bad = false;
    for (size_t i = 0; i < plan->run_count; i++) {
        const cmp_run* r = &plan->runs[i];
        ran += r->state == CMP_DONE;
        bad |= r->state == CMP_FAILED || r->state == CMP_TIMED_OUT || (r->state == CMP_DONE && !r->agrees);
    }
    if (cmp_interrupted()) fprintf(stderr, "wgslrun compare: error: interrupted; the methods after it were not run\n");
    else if (ran == 0) fprintf(stderr, "wgslrun compare: error: no method could run\n");
    return ran == 0 || bad || cmp_interrupted() ? CLI_EXIT_FAILURE : CLI_EXIT_OK;
}

static int execute(cmp_plan* plan) {
    int rc = cmp_scan_shader(plan);
    if (rc == CLI_EXIT_OK) rc = cmp_write_inputs(plan);
    if (rc == CLI_EXIT_OK) rc = cmp_write_job(plan);
    if (rc != CLI_EXIT_OK) return rc;
    run_methods(plan);
    cmp_compare_runs(plan);
    cmp_print_table(plan);
    static char paths[CMP_METHOD_COUNT][CMP_PATH_MAX];
    size_t path_count = 0;
    rc = cmp_write_results(plan, paths, &path_count);
    if (rc == CLI_EXIT_OK && plan->options->report_path != NULL) rc = cmp_write_report(plan, paths, path_count);
    int status = exit_status(plan);
    return rc != CLI_EXIT_OK ? rc : status;
}

static void release(cmp_plan* plan) {
    for (size_t i = 0; i < plan->run_count; i++)
        for (size_t b = 0; b < CMP_MAX_BINDS; b++) wr_array_free(&plan->runs[i].outputs[b]);
    if (plan->work_dir[0] && plan->options->keep_dir == NULL) cmp_remove_tree(plan->work_dir);
    wr_shader_info_free(&plan->shader);
    free(plan->source);
}

int cmd_compare(int argc, char** argv) {
    for (int i = 0; i < argc; i++)
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fputs(compare_usage, stdout);
            return CLI_EXIT_OK;
        }
    cmp_options* options = calloc(1, sizeof *options);
    cmp_plan* plan = calloc(1, sizeof *plan);
    int rc = options && plan ? parse_compare_args(argc, argv, options) : CLI_EXIT_FAILURE;
    if (rc == CLI_EXIT_OK) {
        plan->options = options;
        rc = execute(plan);
        release(plan);
    }
    free(plan);
    free(options);
    return rc;
}
