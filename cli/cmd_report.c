/* `wgslrun report`: turn benchmark result files into one HTML or Markdown report. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "args.h"
#include "commands.h"
#include "report_format.h"
#include "report_model.h"
#include "report_render.h"
#include "report_write.h"

static const char report_usage[] =
    "usage: wgslrun report RESULT.json... -o REPORT.html|REPORT.md|REPORT.json [options]\n"
    "\n"
    "Combines benchmark result files (schema wgslrun-result/1: `wgslrun bench --json`,\n"
    "bench/cuda, bench/rust, bench/web) into one report. Per case, size and variant: a bar\n"
    "chart (HTML only) and a table of every method with its metric, min..max, median time,\n"
    "timing source, verification, and ratios to the baseline and to the fastest WebGPU\n"
    "method, compared only between results on the same adapter. On top: machines, adapters,\n"
    "drivers, versions, dates and commands, per workload class the geometric mean of the\n"
    "ratio to the baseline, and at a glance a row per case with the baseline's fastest value\n"
    "and each other method's ratio to it (its best implementation, median over rounds).\n"
    "\n"
    "options:\n"
    "  -o, --output FILE   the report: .html/.htm for one self-contained page (inline SVG,\n"
    "                      no script, viewable offline), .md/.markdown for README tables,\n"
    "                      .json for scripts (schema wgslrun-report/1: the files and the at-a-\n"
    "                      glance view as numbers); written to a temporary file and renamed,\n"
    "                      so never left partial\n"
    "  --title TEXT        the report's title (default \"wgslrun benchmark report\")\n"
    "  --baseline IMPL     the reference of the ratios, a method or implementation name as in\n"
    "                      the result files (default cuda)\n"
    "  --limits FILE       measured limits, a JSON object {\"case\" or \"case/variant\": \"why\"},\n"
    "                      shown where the best WebGPU result is below 0.8 of the reference\n"
    "  --suite FILE        suite.json giving case order and titles (default: a suite.json in\n"
    "                      the directory of a result file, if any; else the order first seen)\n"
    "\n"
    "A ratio is this result's speed over the reference's: 1.00 = as fast, below 1 = slower.\n"
    "Where the best WebGPU result of a case is below 0.8 of the baseline, the report quotes the\n"
    "result's optional \"limit\" (or \"note\") string, else says \"limit not yet measured\".\n"
    "Exit status: 0 written, 1 a file could not be read or written, 2 a usage error.\n"
    "\n"
    "examples:\n"
    "  wgslrun report results/h200/r[0-9]*-*.json -o report.html --title \"H200, 2026-12-04\"\n"
    "  wgslrun report results/h200/r[0-9]*-*.json --suite bench/suite.json --limits results/h200/notes/limits.json \\\n"
    "      --baseline native-c -o report-vs-native.md\n";

typedef enum report_format { FORMAT_HTML, FORMAT_MARKDOWN, FORMAT_JSON } report_format;

typedef struct report_options {
    const char** inputs;
    size_t input_count;
    const char *output, *title, *baseline, *suite, *limits;
    report_format format;
} report_options;

static int usage_error(const char* message, const char* detail) {
    fprintf(stderr, "wgslrun report: error: %s%s\n(see wgslrun report --help)\n", message, detail);
    return CLI_EXIT_USAGE;
}

static int fail(const char* message) {
    fprintf(stderr, "wgslrun report: error: %s\n", message);
    return CLI_EXIT_FAILURE;
}

static bool has_suffix(const char* s, const char* suffix) {
    size_t n = strlen(s), m = strlen(suffix);
    return n > m && strcmp(s + n - m, suffix) == 0;
}

static int pick_format(report_options* o) {
    if (has_suffix(o->output, ".html") || has_suffix(o->output, ".htm")) o->format = FORMAT_HTML;
    else if (has_suffix(o->output, ".md") || has_suffix(o->output, ".markdown")) o->format = FORMAT_MARKDOWN;
    else if (has_suffix(o->output, ".json")) o->format = FORMAT_JSON;
    else return usage_error("cannot tell the format from the output name (use .html, .md or .json): ", o->output);
    return CLI_EXIT_OK;
}

/* Returns -1 to stop with exit 0 (--help), else an exit code. */
static int parse_report_args(int argc, char** argv, report_options* o) {
    char error[128];
    for (int i = 0; i < argc; i++) {
        const char* v = NULL;
        int m;
#define OPTION(name) ((m = cli_option_value(argc, argv, &i, name, &v, error, sizeof error)) != 0)
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) return -1;
        else if (OPTION("-o") || OPTION("--output")) o->output = v;
        else if (OPTION("--title")) o->title = v;
        else if (OPTION("--baseline")) o->baseline = v;
        else if (OPTION("--suite")) o->suite = v;
        else if (OPTION("--limits")) o->limits = v;
        else if (argv[i][0] == '-' && argv[i][1] != '\0') return usage_error("unknown option ", argv[i]);
        else o->inputs[o->input_count++] = argv[i];
#undef OPTION
        if (m < 0) return usage_error(error, "");
    }
    if (o->input_count == 0) return usage_error("no result files given", "");
    if (o->output == NULL || o->output[0] == '\0') return usage_error("no output given (-o report.html, report.md or report.json)", "");
    if (o->baseline != NULL && o->baseline[0] == '\0') return usage_error("--baseline needs a name", "");
    return pick_format(o);
}

/* "dir/suite.json" for the directory holding `result`, if that file exists. */
static char* suite_next_to(const char* result) {
    const char* slash = strrchr(result, '/');
    char* path = slash ? rp_strdupf("%.*ssuite.json", (int)(slash - result + 1), result) : rp_strdup("suite.json");
    if (access(path, R_OK) == 0) return path;
    free(path);
    return NULL;
}

static bool load_all(rp_report* r, const report_options* o, char** found_suite, char* error, size_t size) {
    const char* suite = o->suite;
    for (size_t i = 0; suite == NULL && i < o->input_count; i++) suite = *found_suite = suite_next_to(o->inputs[i]);
    if (suite != NULL && !rp_report_load_suite(r, suite, error, size)) return false;
    if (o->limits != NULL && !rp_report_load_limits(r, o->limits, error, size)) return false;
    for (size_t i = 0; i < o->input_count; i++)
        if (!rp_report_load_file(r, o->inputs[i], error, size)) return false;
    return rp_report_build(r, error, size);
}

static const rp_writer writers[] = {[FORMAT_HTML] = rp_write_html, [FORMAT_MARKDOWN] = rp_write_markdown,
                                     [FORMAT_JSON] = rp_write_json};

static int run_report(const report_options* o) {
    rp_report r;
    rp_report_init(&r, o->title ? o->title : "wgslrun benchmark report", o->baseline);
    char error[1024];
    char* found_suite = NULL;
    int rc = CLI_EXIT_OK;
    if (!load_all(&r, o, &found_suite, error, sizeof error)) rc = fail(error);
    else if (!rp_write_atomic(o->output, writers[o->format], &r, error, sizeof error))
        rc = fail(error);
    else printf("wrote %s from %zu result file%s\n", o->output, r.file_count, r.file_count == 1 ? "" : "s");
    rp_report_free(&r);
    free(found_suite);
    return rc;
}

int cmd_report(int argc, char** argv) {
    report_options o = {.inputs = rp_xrealloc(NULL, (size_t)argc + 1, sizeof(const char*))};
    int rc = parse_report_args(argc, argv, &o);
    if (rc < 0) {
        fputs(report_usage, stdout);
        rc = CLI_EXIT_OK;
    } else if (rc == CLI_EXIT_OK) {
        rc = run_report(&o);
    }
    free(o.inputs);
    return rc;
}
