/* Loading the WebGPU implementation on wasm32: there is no dlopen, so the webgpu.h functions
 * are wasm imports from the module "webgpu" (implemented in JavaScript over navigator.gpu by
 * the host, see bench/wasm/webgpu_glue.mjs) and the table is filled from them at link time.
 * Everything above the table (context.c, buffer.c, ...) is the same code as on native. */
#include "procs.h"

#include <stdio.h>
#include <string.h>

#include "error.h"

/* webgpu.h declares these without an import module; wasm-ld would otherwise import them from
 * "env", which says nothing about who must provide them. */
#define WR_IMPORT_PROC(name) \
    extern __typeof__(wgpu##name) wgpu##name __attribute__((import_module("webgpu"), import_name("wgpu" #name)));
WR_REQUIRED_PROCS(WR_IMPORT_PROC)

/* The one implementation a wasm module can reach is the host's; its name appears in messages
 * where native builds name "dawn" or "wgpu". */
#define WR_WASM_IMPL_NAME "browser"

static bool is_host_impl(const char* impl) {
    return impl == NULL || impl[0] == '\0' || strcmp(impl, WR_WASM_IMPL_NAME) == 0 ||
           strcmp(impl, "webgpu") == 0;
}

const char* wr_procs_default_impl(void) {
    return WR_WASM_IMPL_NAME;
}

/* Nothing is loaded from disk. */
const char* wr_procs_default_deps_dir(const char* impl) {
    (void)impl;
    return NULL;
}

#define WR_BIND_PROC(name) procs->name = wgpu##name;

wr_status wr_procs_load(wr_procs* procs, const char* impl, const char* deps_dir, wr_error* err) {
    (void)deps_dir;
    memset(procs, 0, sizeof *procs);
    if (!is_host_impl(impl))
        return wr_error_set(err, WR_ERROR_LOAD,
                            "unknown implementation '%s': the wasm32 build runs on the host's WebGPU "
                            "only (use '" WR_WASM_IMPL_NAME "' or leave it unset)",
                            impl);
    snprintf(procs->name, sizeof procs->name, "%s", WR_WASM_IMPL_NAME);
    snprintf(procs->path, sizeof procs->path, "wasm import module \"webgpu\"");
    /* UNKNOWN makes context.c ask for TimedWaitAny and WaitAnyOnly callbacks, the mode in which
     * a wait is a single import call that JSPI can suspend (wait_wasm.c). */
    procs->kind = WR_IMPL_UNKNOWN;
    procs->has_compilation_info = true;
    procs->legacy_abi = false;
    WR_REQUIRED_PROCS(WR_BIND_PROC)
    return WR_OK;
}

void wr_procs_unload(wr_procs* procs) {
    procs->library = NULL;
}

/* The host implements the webgpu.h this file was compiled against: no renumbering. */
WGPUFeatureName wr_procs_feature(const wr_procs* procs, WGPUFeatureName feature) {
    (void)procs;
    return feature;
}
