/* Output paths shared by the commands that write result files (bench, compare), where bench
 * finds its suite, and the messages that list a shader's bindings (run, compare). */
#ifndef WGSLRUN_CLI_PATHS_H
#define WGSLRUN_CLI_PATHS_H

#include <stdbool.h>
#include <stddef.h>

#include "wgslrun.h"

/* True when the directory that would hold `path` is writable; `dir` gets that directory, for
 * the message when it is not (errno says why). Commands check before they run, so that a run
 * of minutes does not end in "cannot write". */
bool cli_can_write_beside(const char* path, char* dir, size_t dir_size);

/* results.json -> results-dawn.json: `tag` goes before the extension (or at the end). */
void cli_path_with_tag(const char* path, const char* tag, char* out, size_t size);

/* The suite `wgslrun bench` runs without --suite: the one `make install` put beside this
 * executable (../share/wgslrun/suite.json from its bin/) when there is one, else the source
 * tree's bench/suite.json. */
void cli_default_suite(char* out, size_t size);

/* "x (@binding(0)), y (@binding(1))" for a message naming what a shader declares. */
void cli_list_bindings(const wr_shader_info* shader, char* out, size_t size);

#endif
