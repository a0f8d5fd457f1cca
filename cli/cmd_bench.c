/* `wgslrun bench`: placeholder until the bench command lands. */
#include <stdio.h>

#include "commands.h"

int cmd_bench(int argc, char** argv) {
    (void)argc, (void)argv;
    fprintf(stderr, "wgslrun bench: not built yet\n");
    return 1;
}
