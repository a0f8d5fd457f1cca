/* `wgslrun compare`: one kernel, the same inputs and dispatches, every method. The pieces:
 *   cmd_compare.c          options, the plan, and the order of the steps
 *   cmd_compare_inputs.c   the shader's bindings, inputs written once as files, the job file
 *   cmd_compare_methods.c  which program runs each method, and what its answer means
 *   cmd_compare_child.c    a method's process, with a time limit
 *   cmd_compare_diff.c     outputs compared across methods (bit-identical or within tolerance)
 *   cmd_compare_output.c   the table on stdout, wgslrun-result/1 files and the HTML report */
#ifndef WGSLRUN_CLI_CMD_COMPARE_H
#define WGSLRUN_CLI_CMD_COMPARE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sources.h"
#include "stats.h"
#include "wgslrun.h"

#define CMP_MAX_BINDS 32
#define CMP_MAX_DEFINES 32
#define CMP_PATH_MAX 1024
#define CMP_REASON_MAX 1024
#define CMP_MAX_VERSIONS 4

typedef enum cmp_method_id { CMP_DAWN, CMP_WGPU, CMP_CHROMIUM, CMP_WASM, CMP_NODE, CMP_DENO, CMP_METHOD_COUNT } cmp_method_id;

/* A method's names: on the command line, in result files (method / implementation). */
typedef struct cmp_method_def {
    const char* name;
    const char* result_method;
} cmp_method_def;

extern const cmp_method_def cmp_methods[CMP_METHOD_COUNT];
cmp_method_id cmp_method_find(const char* name); /* CMP_METHOD_COUNT when unknown */

typedef struct cmp_bind {
    char target[WR_NAME_MAX];     /* as given: a name or an @binding index */
    const char* spec;             /* the source as given */
    cli_source source;
    const wr_binding_info* info;  /* the declaration it binds */
    char input_path[CMP_PATH_MAX];/* the file every method reads (values: the spec goes as is) */
    size_t byte_size;
    bool is_output;               /* a writable storage buffer: compared across methods */
    wr_dtype out_dtype;           /* how it is read back, as `wgslrun run` reads it back */
    size_t out_count, out_shape[2];
    uint32_t out_ndim;
} cmp_bind;

typedef struct cmp_define {
    cmp_method_id method;         /* CMP_METHOD_COUNT: every method */
    char name[WR_NAME_MAX];
    double value;
    const char* text;             /* NAME=VALUE as given */
} cmp_define;

/* Float outputs agree element by element when any one of these holds (a negative one is off). */
typedef struct cmp_tolerance {
    double ulp, rel, abs;
} cmp_tolerance;

typedef struct cmp_options {
    const char* file;
    const char* entry;
    cmp_bind binds[CMP_MAX_BINDS];
    size_t bind_count;
    cmp_define defines[CMP_MAX_DEFINES];
    size_t define_count;
    const char* grid_text;
    const char* size_text;
    uint64_t grid[3], size[3];
    uint64_t repeat, warmup;
    bool wanted[CMP_METHOD_COUNT];
    cmp_tolerance tolerance;
    const char* tolerance_text;
    double timeout_s;
    const char* json_path;
    const char* report_path;
    const char* keep_dir;         /* --keep: the work directory, kept */
    char command[4096];           /* the command line, for the result files */
} cmp_options;

typedef enum cmp_state { CMP_NOT_RUN, CMP_UNAVAILABLE, CMP_FAILED, CMP_TIMED_OUT, CMP_DONE } cmp_state;

/* What one method did. */
typedef struct cmp_run {
    cmp_method_id id;
    cmp_state state;
    char reason[CMP_REASON_MAX];  /* why unavailable, failed or timed out */
    char implementation[128], adapter[256], backend[64], driver[128], device_class[8];
    char versions[CMP_MAX_VERSIONS][2][96]; /* name, version: what the runner ran on */
    size_t version_count;
    timing_stats wall, gpu;          /* count 0 when absent */
    double seconds;               /* the child's run time, start-up included */
    char dir[CMP_PATH_MAX];       /* where its outputs are */
    wr_array outputs[CMP_MAX_BINDS]; /* per bind; only outputs are filled */
    /* Comparison: the group of methods whose outputs agree with each other. */
    int group;
    bool agrees;                  /* in the largest group (ties: the one of the earliest method) */
    int reference;                /* the method index it was compared with, or -1 */
    char difference[CMP_REASON_MAX];
} cmp_run;

typedef struct cmp_plan {
    cmp_options* options;
    char* source;
    wr_shader_info shader;
    const wr_entry_info* entry;
    char work_dir[CMP_PATH_MAX];  /* temporary: inputs, job file, outputs */
    char job_path[CMP_PATH_MAX];
    char source_dir[CMP_PATH_MAX];/* the tree holding bench/web and bench/wasm */
    cmp_run runs[CMP_METHOD_COUNT];
    size_t run_count;
} cmp_plan;

/* cmd_compare_inputs.c: each returns CLI_EXIT_OK or prints the error and returns its code. */
int cmp_scan_shader(cmp_plan* plan);
int cmp_write_inputs(cmp_plan* plan);
int cmp_write_job(cmp_plan* plan);
typedef struct cmp_constant {
    const char* name;
    double value;
} cmp_constant;
/* The constants `method` runs with: each name once, its own --define-for over --define. */
size_t cmp_method_constants(const cmp_plan* plan, cmp_method_id method, cmp_constant out[CMP_MAX_DEFINES]);
void cmp_remove_tree(const char* path);

/* cmd_compare_methods.c */
void cmp_run_method(cmp_plan* plan, cmp_run* run);

/* cmd_compare_child.c: runs argv (stdin /dev/null, stdout and stderr to the files, `env`
 * "K=V" entries added, NULL-terminated) in a process group of its own. False when it overran
 * `timeout_s` and was ended; *status -1 when it could not start (`error` says why). */
typedef struct cmp_child {
    char** argv;
    const char* stdout_path;
    const char* stderr_path;
    const char* const* env;
    double timeout_s;
    const char* label; /* for the progress lines */
} cmp_child;
bool cmp_child_run(const cmp_child* child, int* status, double* seconds, char* error, size_t error_size);
/* A SIGINT, SIGTERM or SIGHUP arrived while a method ran: it was ended; run no more. */
bool cmp_interrupted(void);
int cmp_interrupt_signal(void);
int cmp_load_outputs(const cmp_plan* plan, cmp_run* run);

/* cmd_compare_diff.c */
bool cmp_parse_tolerance(const char* text, cmp_tolerance* out);
/* Compares `a` with `b` (output `name`); false with the first differing element in `out`. */
bool cmp_arrays_agree(const char* name, const wr_array* a, const wr_array* b, const cmp_tolerance* tol,
                      const char* a_name, const char* b_name, char* out, size_t out_size);
void cmp_compare_runs(cmp_plan* plan);

/* cmd_compare_output.c */
void cmp_print_table(const cmp_plan* plan);
int cmp_write_results(const cmp_plan* plan, char paths[][CMP_PATH_MAX], size_t* path_count);
int cmp_write_report(const cmp_plan* plan, char paths[][CMP_PATH_MAX], size_t path_count);

#endif
