/* The page's entry point into wgslrun.wasm, a WASI reactor rather than a command. In a command,
 * wasm-ld wraps every export but _start in a run of the constructors, so each malloc or free
 * the glue calls re-ran wasi-libc's preopen registration: its table grew by one entry a call
 * and each call scanned it, which made the H200's round trips slower the longer a run went
 * (240 us each at 200 a sample, 1.5 ms at 10000). A reactor runs the constructors once, in
 * _initialize; this then runs main with the WASI arguments and exits as _start would. */
#include <stdlib.h>

int __main_void(void); /* wasi-libc: fetches argc/argv through WASI and calls main */

__attribute__((export_name("wgslrun_main"))) void wgslrun_main(void) {
    exit(__main_void());
}
