/* wgslrun: run WGSL compute shaders natively on Dawn or wgpu-native. */
#include <stdio.h>
#include <string.h>

#include "args.h"
#include "commands.h"
#include "wgslrun.h"

static const char main_usage[] =
    "usage: wgslrun COMMAND [options]\n"
    "\n"
    "Runs WGSL compute shaders natively through webgpu.h, on Dawn or wgpu-native.\n"
    "\n"
    "commands:\n"
    "  info    list implementations, adapters, limits and features\n"
    "  check   compile a WGSL file and print diagnostics\n"
    "  run     bind data to a WGSL kernel, dispatch it, time it and save its outputs\n"
    "  bench   run the benchmark suite (bench/suite.json), verified, as JSON results\n"
    "  report  turn result files into one HTML or Markdown report\n"
    "  compare run one kernel through every method (native, browser, wasm, Node, Deno): times\n"
    "          and whether their outputs agree\n"
    "\n"
    "`wgslrun COMMAND --help` describes each command. Environment (a flag, where there is one,\n"
    "wins over its variable):\n"
    "  WGSLRUN_IMPL           default implementation: dawn (default) or wgpu (--impl)\n"
    "  WGSLRUN_DEPS           directory holding dawn/ and wgpu/ (from scripts/setup.sh)\n"
    "  WGSLRUN_TIMEOUT_S      seconds one wait on the GPU may take (default 120; --timeout)\n"
    "  WGSLRUN_WAIT           how waits block: default, spin, block, sleep (--wait)\n"
    "  WGSLRUN_STAGING_MB     staging chunk of transfers in MiB (default 32; --staging-mb)\n"
    "  WGSLRUN_COPY_THREADS   host threads copying to and from staging (default 8; --copy-threads)\n"
    "  WGSLRUN_DAWN_TOGGLES   Dawn toggles to enable, comma-separated (--dawn-toggles)\n"
    "  WGSLRUN_IMPL_LOG       a file the implementation's device log is appended to (--impl-log)\n"
    "  WGSLRUN_SUITE          bench: the suite file (default the installed one, else the source\n"
    "                         tree's bench/suite.json; --suite)\n"
    "  WGSLRUN_TRANSFER_STATS bench: 1 prints where each transfer case's time went\n"
    "  WGSLRUN_SOURCE_DIR     compare: the source tree holding bench/ (default: the one built\n"
    "                         from)\n"
    "  WGSLRUN_NODE, WGSLRUN_DENO, WGSLRUN_CHROMIUM\n"
    "                         compare: the programs that run the JS and browser methods\n"
    "  DENO_WEBGPU_BACKEND    compare: Deno's WebGPU backend (default vulkan)\n"
    "  VK_ICD_FILENAMES       Vulkan driver; without a GPU use\n"
    "                         /usr/lib/chromium/vk_swiftshader_icd.json\n";

typedef struct command {
    const char* name;
    int (*run)(int argc, char** argv);
} command;

static const command commands[] = {
    {"info", cmd_info},
    {"check", cmd_check},
    {"run", cmd_run},
    {"bench", cmd_bench},
    {"report", cmd_report},
    {"compare", cmd_compare},
};

int main(int argc, char** argv) {
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0) {
        fputs(main_usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? CLI_EXIT_USAGE : CLI_EXIT_OK;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("wgslrun %s\n", WR_VERSION);
        return CLI_EXIT_OK;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(argv[1], commands[i].name) == 0) return commands[i].run(argc - 2, argv + 2);
    fprintf(stderr, "wgslrun: error: unknown command '%s' (see wgslrun --help)\n", argv[1]);
    return CLI_EXIT_USAGE;
}
