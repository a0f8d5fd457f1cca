/* Command-line parsing helpers shared by the wgslrun subcommands. */
#ifndef WGSLRUN_CLI_ARGS_H
#define WGSLRUN_CLI_ARGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Exit codes: the run failed (bad shader, bad data, GPU error); the command line was wrong. */
enum { CLI_EXIT_OK = 0, CLI_EXIT_FAILURE = 1, CLI_EXIT_USAGE = 2 };

/* Matches argv[*i] against `--name VALUE` or `--name=VALUE`. On a match sets *value, advances
 * *i past the value and returns 1; returns 0 if argv[*i] is another option; returns -1 (with a
 * message in `error`) if the option lacks its value. */
int cli_option_value(int argc, char** argv, int* i, const char* name, const char** value, char* error,
                     size_t error_size);

/* Parses "X[,Y[,Z]]" of positive integers; missing entries stay 0. */
bool cli_parse_dims(const char* text, uint64_t out[3]);

/* Splits "NAME=VALUE" at the first '='; NAME must be non-empty. */
bool cli_split_assignment(const char* text, char* name, size_t name_size, const char** value);

/* A whole-string number (decimal, hex with 0x, or floating point). */
bool cli_parse_double(const char* text, double* out);
bool cli_parse_u64(const char* text, uint64_t* out);

#endif
