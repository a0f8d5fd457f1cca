/* `wgslrun check`: compile every entry point of a WGSL file and print diagnostics. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "commands.h"
#include "context_options.h"
#include "wgsl_file.h"
#include "wgslrun.h"

static const char check_usage[] =
    "usage: wgslrun check FILE.wgsl [--entry NAME] [--define NAME=VALUE]... [--impl dawn|wgpu|PATH]\n"
    "\n"
    "Compiles each @compute entry point of FILE.wgsl (or only --entry) into a pipeline and\n"
    "prints diagnostics as FILE:LINE:COLUMN: error: MESSAGE. Exit status 1 on any error.\n"
    "\n"
    "examples:\n"
    "  wgslrun check examples/saxpy.wgsl\n";

#define CHECK_MAX_DEFINES 32

typedef struct check_options {
    const char* file;
    const char* entry;
    wr_context_desc context;
    char names[CHECK_MAX_DEFINES][WR_NAME_MAX];
    wr_constant defines[CHECK_MAX_DEFINES];
    size_t define_count;
} check_options;

static int usage_error(const char* message, const char* detail) {
    fprintf(stderr, "wgslrun check: error: %s%s\n(see wgslrun check --help)\n", message, detail);
    return CLI_EXIT_USAGE;
}

static int parse_check_args(int argc, char** argv, check_options* o) {
    char error[256];
    for (int i = 0; i < argc; i++) {
        const char* v = NULL;
        int m;
        if ((m = cli_option_value(argc, argv, &i, "--entry", &v, error, sizeof error)) > 0) o->entry = v;
        else if (m == 0 && (m = cli_option_value(argc, argv, &i, "--impl", &v, error, sizeof error)) > 0) o->context.impl = v;
        else if (m == 0 && (m = cli_option_value(argc, argv, &i, "--adapter", &v, error, sizeof error)) > 0) o->context.adapter = v;
        else if (m == 0 && (m = cli_option_value(argc, argv, &i, "--define", &v, error, sizeof error)) > 0) {
            const char* text;
            if (o->define_count == CHECK_MAX_DEFINES ||
                !cli_split_assignment(v, o->names[o->define_count], WR_NAME_MAX, &text) ||
                !cli_parse_double(text, &o->defines[o->define_count].value))
                return usage_error("--define is not NAME=NUMBER: ", v);
            o->defines[o->define_count].name = o->names[o->define_count];
            o->define_count++;
        } else if (m < 0) return usage_error(error, "");
        else if (argv[i][0] == '-' && argv[i][1] != '\0') return usage_error("unknown option ", argv[i]);
        else if (o->file == NULL) o->file = argv[i];
        else return usage_error("unexpected argument ", argv[i]);
    }
    if (!cli_implementation_env(&o->context, error, sizeof error)) return usage_error(error, "");
    return o->file ? CLI_EXIT_OK : usage_error("no WGSL file given", "");
}

static int check_entries(wr_context* ctx, const check_options* o, const char* source) {
    wr_error err;
    wr_shader_info info = {0};
    if (wr_wgsl_scan(source, strlen(source), o->file, &info, &err) != WR_OK) {
        fprintf(stderr, "%s\n", err.message);
        return CLI_EXIT_FAILURE;
    }
    size_t count = o->entry ? 1 : info.entry_count;
    int rc = CLI_EXIT_OK;
    /* An error in the module (not in one entry point) fails every entry point with the same
     * message: it is printed once. */
    char last_error[WR_ERROR_MESSAGE_MAX] = "";
    for (size_t i = 0; i < count || (count == 0 && i == 0); i++) {
        wr_kernel_desc desc = {.source = source, .source_name = o->file, .constants = o->defines,
                               .constant_count = o->define_count,
                               .entry = o->entry ? o->entry : count ? info.entries[i].name : NULL};
        wr_kernel* kernel;
        if (wr_kernel_create(ctx, &desc, &kernel) != WR_OK) {
            if (strcmp(last_error, wr_context_error(ctx)) != 0) fprintf(stderr, "%s\n", wr_context_error(ctx));
            snprintf(last_error, sizeof last_error, "%s", wr_context_error(ctx));
            rc = CLI_EXIT_FAILURE;
            continue;
        }
        uint32_t wg[3];
        wr_kernel_workgroup_size(kernel, wg);
        printf("%s: entry '%s' ok, workgroup_size (%u, %u, %u)\n", o->file, wr_kernel_entry(kernel)->name, wg[0], wg[1], wg[2]);
        wr_kernel_destroy(kernel);
    }
    wr_shader_info_free(&info);
    return rc;
}

int cmd_check(int argc, char** argv) {
    for (int i = 0; i < argc; i++)
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fputs(check_usage, stdout);
            return CLI_EXIT_OK;
        }
    check_options o = {0};
    int rc = parse_check_args(argc, argv, &o);
    if (rc != CLI_EXIT_OK) return rc;
    char error[1200];
    char* source = read_wgsl_file(o.file, error, sizeof error);
    if (source == NULL) {
        fprintf(stderr, "wgslrun check: error: %s\n", error);
        return CLI_EXIT_FAILURE;
    }
    wr_error err;
    wr_context* ctx;
    if (cli_name_settings(wr_context_create(&o.context, &ctx, &err), &err) != WR_OK) {
        fprintf(stderr, "wgslrun check: error: %s\n", err.message);
        free(source);
        return CLI_EXIT_FAILURE;
    }
    rc = check_entries(ctx, &o, source);
    wr_context_destroy(ctx);
    free(source);
    return rc;
}
