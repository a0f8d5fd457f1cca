/* Context settings from the command line or the environment: the options shared by
 * `wgslrun run` and `wgslrun bench` (how long a GPU wait may take, how transfers and waits are
 * done, Dawn toggles) and the implementation every command that opens a context honours. */
#ifndef WGSLRUN_CLI_CONTEXT_OPTIONS_H
#define WGSLRUN_CLI_CONTEXT_OPTIONS_H

#include <stddef.h>

#include "wgslrun.h"

/* The usage lines for these options. */
extern const char cli_context_options_usage[];

/* If argv[*i] is one of the options, consumes it (and its value) into `desc` and returns 1;
 * 0 when it is not one; -1 with a message in `error` when its value is bad. */
int cli_context_option(int argc, char** argv, int* i, wr_context_desc* desc, char* error, size_t error_size);

/* Fills what the command line left unset from the environment: WGSLRUN_IMPL, WGSLRUN_DEPS,
 * WGSLRUN_DAWN_TOGGLES, WGSLRUN_IMPL_LOG, WGSLRUN_TIMEOUT_S, WGSLRUN_WAIT, WGSLRUN_STAGING_MB and
 * WGSLRUN_COPY_THREADS; false with a message when one is bad. */
bool cli_context_env(wr_context_desc* desc, char* error, size_t error_size);
/* The same for the implementation's settings alone (WGSLRUN_IMPL, WGSLRUN_DEPS,
 * WGSLRUN_DAWN_TOGGLES, WGSLRUN_IMPL_LOG), for the commands that take no transfer options (info, check). */
bool cli_implementation_env(wr_context_desc* desc, char* error, size_t error_size);

/* Returns `status`; when it is a failure whose message names a wr_context_desc field that
 * wgslrun sets from a flag or variable (deps_dir), appends which one. */
wr_status cli_name_settings(wr_status status, wr_error* err);

/* After a failure: when a wait ran past the limit, reports `what` (the kernel or case) and
 * ends the process with status 1 at once (see the comment in context_options.c). */
void cli_exit_if_timed_out(wr_context* ctx, const char* command, const char* what);

#endif
