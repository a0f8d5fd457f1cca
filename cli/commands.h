/* The wgslrun subcommands; each takes the arguments after its name and returns the exit code. */
#ifndef WGSLRUN_CLI_COMMANDS_H
#define WGSLRUN_CLI_COMMANDS_H

#include <stddef.h>

int cmd_info(int argc, char** argv);
int cmd_check(int argc, char** argv);
int cmd_run(int argc, char** argv);
int cmd_bench(int argc, char** argv);
int cmd_report(int argc, char** argv);
int cmd_compare(int argc, char** argv);

#endif
