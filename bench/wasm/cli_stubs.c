/* The CLI commands left out of the wasm32 build: `report` writes files through umask,
 * mkstemp and fchmod, and `compare` starts child processes, which WASI does not have, and a
 * browser page has no use for either. */
#include <stdio.h>

#include "commands.h"

int cmd_report(int argc, char** argv) {
    (void)argc, (void)argv;
    fprintf(stderr, "wgslrun report: error: not available in the wasm32 build; run the native wgslrun\n");
    return 1;
}

int cmd_compare(int argc, char** argv) {
    (void)argc, (void)argv;
    fprintf(stderr, "wgslrun compare: error: not available in the wasm32 build; run the native wgslrun\n");
    return 1;
}
