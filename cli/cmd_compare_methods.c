/* `wgslrun compare`: each method as a child process with a time limit, so one that hangs or
 * crashes is reported and the others still run. Dawn and wgpu-native are this binary's own
 * `wgslrun run`; Chromium, wasm, Node and Deno are bench/web/compare/runner.mjs, which runs the
 * same job in JavaScript (or `wgslrun run` compiled to wasm32, in Chromium). Every child prints
 * one JSON object on stdout (as `wgslrun run --json` does) and writes its outputs as .npy.
 * This file: which program runs a method, with which arguments, and what its answer means;
 * cmd_compare_child.c runs it. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "args.h"
#include "cmd_compare.h"
#include "json.h"

#define CMP_MAX_ARGS (16 + 4 * CMP_MAX_BINDS + 2 * CMP_MAX_DEFINES)
#define CMP_ARG_MAX 1400
#define CMP_RUNNER "bench/web/compare/runner.mjs"

/* Exit status of the runner when a method is not installed; its stdout says why. */
#define CMP_EXIT_UNAVAILABLE 3

typedef struct arg_list {
    char* argv[CMP_MAX_ARGS + 1];
    char text[CMP_MAX_ARGS][CMP_ARG_MAX];
    int count;
} arg_list;

static void push(arg_list* a, const char* fmt, ...) __attribute__((format(printf, 2, 3)));

static void push(arg_list* a, const char* fmt, ...) {
    if (a->count == CMP_MAX_ARGS) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(a->text[a->count], CMP_ARG_MAX, fmt, ap);
    va_end(ap);
    a->argv[a->count] = a->text[a->count];
    a->argv[++a->count] = NULL;
}

/* ---------------------------------------------------------------- finding the programs */

static bool executable(const char* path) {
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, X_OK) == 0;
}

/* `name` on PATH, or the program named by `env`; false with the reason. */
static bool find_program(const char* env, const char* name, const char* fallback, char* out, size_t size,
                         char* reason, size_t reason_size) {
    const char* given = getenv(env);
    if (given != NULL && given[0] != '\0') {
        snprintf(out, size, "%s", given);
        if (executable(out)) return true;
        snprintf(reason, reason_size, "%s=%s: not an executable file", env, given);
        return false;
    }
    if (fallback != NULL) {
        snprintf(out, size, "%s", fallback);
        if (executable(out)) return true;
        snprintf(reason, reason_size, "%s not found at %s (set %s)", name, fallback, env);
        return false;
    }
    const char* path = getenv("PATH");
    char dirs[4096];
    snprintf(dirs, sizeof dirs, "%s", path ? path : "/usr/bin:/bin");
    for (char *dir = dirs, *colon; dir != NULL; dir = colon ? colon + 1 : NULL) {
        colon = strchr(dir, ':');
        if (colon) *colon = '\0';
        snprintf(out, size, "%s/%s", dir[0] ? dir : ".", name);
        if (executable(out)) return true;
    }
    snprintf(reason, reason_size, "%s not found on PATH (set %s)", name, env);
    return false;
}

static const char* source_dir(void) {
    const char* env = getenv("WGSLRUN_SOURCE_DIR");
    return env != NULL && env[0] != '\0' ? env : WGSLRUN_SOURCE_DIR;
}

static bool source_file(const char* relative, char* out, size_t size, char* reason, size_t reason_size,
                        const char* remedy) {
    snprintf(out, size, "%s/%s", source_dir(), relative);
    if (access(out, R_OK) == 0) return true;
    snprintf(reason, reason_size, "%s is missing (%s)", out, remedy);
    return false;
}

/* ---------------------------------------------------------------- command lines */

static void push_run_args(const cmp_plan* plan, cmp_method_id method, arg_list* a) {
    const cmp_options* o = plan->options;
    push(a, "run");
    push(a, "%s", o->file);
    push(a, "--entry");
    push(a, "%s", plan->entry->name);
    for (size_t i = 0; i < o->bind_count; i++) {
        const cmp_bind* b = &o->binds[i];
        push(a, "--bind");
        push(a, "%s=%s", b->target, b->source.kind == CLI_SOURCE_VALUES ? b->spec : b->input_path);
    }
    push(a, o->size[0] ? "--size" : "--grid");
    push(a, "%s", o->size[0] ? o->size_text : o->grid_text);
    cmp_constant constants[CMP_MAX_DEFINES];
    size_t n = cmp_method_constants(plan, method, constants);
    for (size_t i = 0; i < n; i++) {
        push(a, "--define");
        push(a, "%s=%.17g", constants[i].name, constants[i].value);
    }
    push(a, "--repeat");
    push(a, "%llu", (unsigned long long)o->repeat);
    push(a, "--warmup");
    push(a, "%llu", (unsigned long long)o->warmup);
    push(a, "--impl");
    push(a, "%s", cmp_methods[method].name);
    for (size_t i = 0; i < o->bind_count; i++) {
        if (!o->binds[i].is_output) continue;
        push(a, "--out");
        push(a, "%s=%s/%s/%s.npy", o->binds[i].target, plan->work_dir, cmp_methods[method].name, o->binds[i].info->name);
    }
    push(a, "--json");
}

static bool native_command(const cmp_plan* plan, cmp_run* run, arg_list* a) {
    char self[CMP_PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n <= 0) {
        snprintf(run->reason, sizeof run->reason, "cannot find the running wgslrun: /proc/self/exe: %s", strerror(errno));
        return false;
    }
    self[n] = '\0';
    push(a, "%s", self);
    push_run_args(plan, run->id, a);
    return true;
}

static bool runner_command(const cmp_plan* plan, cmp_run* run, arg_list* a) {
    char runner[CMP_PATH_MAX], program[CMP_PATH_MAX], extra[CMP_PATH_MAX];
    if (!source_file(CMP_RUNNER, runner, sizeof runner, run->reason, sizeof run->reason,
                     "compare's JavaScript runner; set WGSLRUN_SOURCE_DIR to a wgslrun checkout"))
        return false;
    if (run->id == CMP_WASM &&
        !source_file("bench/wasm/build/wgslrun.wasm", extra, sizeof extra, run->reason, sizeof run->reason,
                     "build it with bench/wasm/build.sh"))
        return false;
    if (run->id == CMP_CHROMIUM || run->id == CMP_WASM) {
        if (!find_program("WGSLRUN_CHROMIUM", "chromium", "/usr/bin/chromium", extra, sizeof extra, run->reason,
                          sizeof run->reason))
            return false;
    }
    if (run->id == CMP_DENO) {
        snprintf(extra, sizeof extra, "%s/bench/web/node_modules/@deno/linux-x64-glibc/deno", source_dir());
        if (!find_program("WGSLRUN_DENO", "deno", extra, program, sizeof program, run->reason, sizeof run->reason))
            return false;
        push(a, "%s", program);
        push(a, "run");
        push(a, "--no-config");
        push(a, "--no-lock");
        push(a, "--no-npm");
        push(a, "--no-remote");
        push(a, "--allow-read");
        push(a, "--allow-write=%s", plan->work_dir);
        push(a, "--allow-env");
    } else {
        if (!find_program("WGSLRUN_NODE", "node", NULL, program, sizeof program, run->reason, sizeof run->reason))
            return false;
        push(a, "%s", program);
    }
    push(a, "%s", runner);
    push(a, "%s", cmp_methods[run->id].name);
    push(a, "%s", plan->job_path);
    return true;
}

/* ---------------------------------------------------------------- what it said */

/* The last lines of the child's stderr (without the Vulkan loader's environment chatter). */
static void stderr_tail(const cmp_run* run, char* out, size_t size) {
    char path[CMP_PATH_MAX + 16];
    snprintf(path, sizeof path, "%s/stderr.txt", run->dir);
    out[0] = '\0';
    FILE* f = fopen(path, "r");
    if (f == NULL) return;
    char lines[4][512] = {{0}};
    int n = 0;
    char line[512];
    while (fgets(line, sizeof line, f) != NULL) {
        line[strcspn(line, "\n")] = '\0';
        if (line[0] == '\0' || strstr(line, "XDG_RUNTIME_DIR") != NULL) continue;
        snprintf(lines[n++ % 4], sizeof lines[0], "%s", line);
    }
    fclose(f);
    for (int i = n > 4 ? n - 4 : 0; i < n; i++) {
        size_t used = strlen(out);
        snprintf(out + used, size - used, "%s%s", used ? " | " : "", lines[i % 4]);
    }
}

static timing_stats read_stats(const json_value* v) {
    timing_stats s = {0};
    if (json_type_of(v) != JSON_OBJECT) return s;
    s.count = (size_t)json_get_number(v, "count", 0);
    s.min = json_get_number(v, "min", 0);
    s.median = json_get_number(v, "median", 0);
    s.max = json_get_number(v, "max", 0);
    return s;
}

static void copy_string(const json_value* root, const char* key, char* out, size_t size) {
    const char* s = json_get_string(root, key, NULL);
    if (s != NULL) snprintf(out, size, "%s", s);
}

static bool software_adapter(const char* name) {
    static const char* const software[] = {"SwiftShader", "llvmpipe", "lavapipe", "softpipe", "Software"};
    for (size_t i = 0; i < sizeof software / sizeof software[0]; i++)
        if (strstr(name, software[i]) != NULL) return true;
    return false;
}

static void read_report(cmp_run* run, const json_value* root) {
    copy_string(root, "impl", run->implementation, sizeof run->implementation);
    copy_string(root, "implementation", run->implementation, sizeof run->implementation);
    copy_string(root, "adapter", run->adapter, sizeof run->adapter);
    copy_string(root, "backend", run->backend, sizeof run->backend);
    copy_string(root, "driver", run->driver, sizeof run->driver);
    snprintf(run->device_class, sizeof run->device_class, "%s", software_adapter(run->adapter) ? "cpu" : "gpu");
    copy_string(root, "device_class", run->device_class, sizeof run->device_class);
    run->wall = read_stats(json_object_get(root, "wall_ms"));
    run->gpu = read_stats(json_object_get(root, "gpu_ms"));
    const json_value* versions = json_object_get(root, "versions");
    for (size_t i = 0; i < json_object_length(versions) && run->version_count < CMP_MAX_VERSIONS; i++) {
        const char* value = json_string(json_object_value_at(versions, i));
        if (value == NULL) continue;
        snprintf(run->versions[run->version_count][0], sizeof run->versions[0][0], "%s", json_object_key_at(versions, i));
        snprintf(run->versions[run->version_count++][1], sizeof run->versions[0][1], "%s", value);
    }
}

static void interpret(const cmp_plan* plan, cmp_run* run, int status, bool in_time) {
    char tail[CMP_REASON_MAX / 2], path[CMP_PATH_MAX + 16];
    stderr_tail(run, tail, sizeof tail);
    snprintf(path, sizeof path, "%s/stdout.json", run->dir);
    char message[256];
    json_value* root = json_parse_file(path, message, sizeof message);
    int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    if (cmp_interrupted()) {
        run->state = CMP_FAILED;
        snprintf(run->reason, sizeof run->reason, "interrupted (signal %d)", cmp_interrupt_signal());
    } else if (!in_time) {
        run->state = CMP_TIMED_OUT;
        snprintf(run->reason, sizeof run->reason, "no result within the --timeout of %g s (killed)%s%s",
                 plan->options->timeout_s, tail[0] ? "; stderr: " : "", tail);
    } else if (code == CMP_EXIT_UNAVAILABLE && json_get_string(root, "unavailable", NULL) != NULL) {
        run->state = CMP_UNAVAILABLE;
        snprintf(run->reason, sizeof run->reason, "%s", json_get_string(root, "unavailable", ""));
    } else if (code == 0 && root != NULL) {
        run->state = CMP_DONE;
        read_report(run, root);
    } else {
        run->state = CMP_FAILED;
        char how[64];
        if (WIFSIGNALED(status)) snprintf(how, sizeof how, "killed by signal %d", WTERMSIG(status));
        else if (code == 0) snprintf(how, sizeof how, "no JSON on stdout: %s", message);
        else snprintf(how, sizeof how, "exit status %d", code);
        snprintf(run->reason, sizeof run->reason, "%s%s%s", how, tail[0] ? ": " : "", tail);
    }
    json_free(root);
}

void cmp_run_method(cmp_plan* plan, cmp_run* run) {
    snprintf(run->dir, sizeof run->dir, "%s/%s", plan->work_dir, cmp_methods[run->id].name);
    if (mkdir(run->dir, 0700) != 0 && errno != EEXIST) {
        run->state = CMP_FAILED;
        snprintf(run->reason, sizeof run->reason, "%s: cannot create: %s", run->dir, strerror(errno));
        return;
    }
    static arg_list args;
    memset(&args, 0, sizeof args);
    bool native = run->id == CMP_DAWN || run->id == CMP_WGPU;
    if (!(native ? native_command(plan, run, &args) : runner_command(plan, run, &args))) {
        run->state = CMP_UNAVAILABLE;
        return;
    }
    char out_path[CMP_PATH_MAX + 16], err_path[CMP_PATH_MAX + 16];
    snprintf(out_path, sizeof out_path, "%s/stdout.json", run->dir);
    snprintf(err_path, sizeof err_path, "%s/stderr.txt", run->dir);
    /* As bench/web/driver.mjs runs Deno: no update check over the network, no prompt, and
     * Vulkan pinned (unless given) so that the result can name its backend. */
    const char* deno_env[] = {"DENO_NO_UPDATE_CHECK=1", "DENO_NO_PROMPT=1",
                              getenv("DENO_WEBGPU_BACKEND") ? NULL : "DENO_WEBGPU_BACKEND=vulkan", NULL};
    cmp_child child = {.argv = args.argv, .stdout_path = out_path, .stderr_path = err_path,
                       .env = run->id == CMP_DENO ? deno_env : NULL, .timeout_s = plan->options->timeout_s,
                       .label = cmp_methods[run->id].name};
    int status = 0;
    bool in_time = cmp_child_run(&child, &status, &run->seconds, run->reason, sizeof run->reason);
    if (status == -1 && in_time) {
        run->state = CMP_FAILED;
        return;
    }
    interpret(plan, run, status, in_time);
}

int cmp_load_outputs(const cmp_plan* plan, cmp_run* run) {
    for (size_t i = 0; i < plan->options->bind_count; i++) {
        const cmp_bind* b = &plan->options->binds[i];
        if (!b->is_output) continue;
        char path[CMP_PATH_MAX + WR_NAME_MAX + 8];
        snprintf(path, sizeof path, "%s/%s.npy", run->dir, b->info->name);
        wr_error err = {0};
        if (wr_npy_read(path, &run->outputs[i], &err) != WR_OK) {
            snprintf(run->reason, sizeof run->reason, "output '%s': %s", b->info->name, err.message);
            return CLI_EXIT_FAILURE;
        }
    }
    return CLI_EXIT_OK;
}
