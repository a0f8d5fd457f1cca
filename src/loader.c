/* Loading a WebGPU implementation at run time: the only platform-specific file besides the
 * wait primitive, so the rest of the library also builds for wasm32. */
#include "procs.h"

#include <dlfcn.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "error.h"

#ifndef WGSLRUN_BUILD_DEPS_DIR
#define WGSLRUN_BUILD_DEPS_DIR "deps"
#endif
#ifndef WGSLRUN_INSTALL_DEPS_DIR
#define WGSLRUN_INSTALL_DEPS_DIR "/usr/local/lib/wgslrun"
#endif

typedef struct impl_name_entry {
    const char* name;
    const char* relative_path;
    wr_impl_kind kind;
} impl_name_entry;

static const impl_name_entry known_impls[] = {
    {"dawn", "dawn/libwebgpu_wrapper.so", WR_IMPL_DAWN},
    {"wgpu", "wgpu/libwgpu_native-release.so", WR_IMPL_WGPU_NATIVE},
};

const char* wr_procs_default_impl(void) {
    return "dawn";
}

static const impl_name_entry* find_known_impl(const char* impl) {
    for (size_t i = 0; i < sizeof known_impls / sizeof known_impls[0]; i++)
        if (strcmp(impl, known_impls[i].name) == 0) return &known_impls[i];
    return NULL;
}

/* The source tree's deps/ while it still has the library, else where `make install` put it. */
const char* wr_procs_default_deps_dir(const char* impl) {
    const impl_name_entry* known = find_known_impl(impl);
    if (known == NULL) return WGSLRUN_BUILD_DEPS_DIR;
    char candidate[512];
    snprintf(candidate, sizeof candidate, "%s/%s", WGSLRUN_BUILD_DEPS_DIR, known->relative_path);
    if (access(candidate, R_OK) == 0) return WGSLRUN_BUILD_DEPS_DIR;
    snprintf(candidate, sizeof candidate, "%s/%s", WGSLRUN_INSTALL_DEPS_DIR, known->relative_path);
    if (access(candidate, R_OK) == 0) return WGSLRUN_INSTALL_DEPS_DIR;
    return WGSLRUN_BUILD_DEPS_DIR;
}

static wr_status resolve_library_path(wr_procs* procs, const char* impl, const char* deps_dir,
                                      wr_error* err) {
    const impl_name_entry* known = find_known_impl(impl);
    if (known != NULL) {
        snprintf(procs->path, sizeof procs->path, "%s/%s", deps_dir, known->relative_path);
        snprintf(procs->name, sizeof procs->name, "%s", known->name);
        procs->kind = known->kind;
        if (access(procs->path, R_OK) != 0)
            return wr_error_set(err, WR_ERROR_LOAD,
                                "implementation '%s' not found at %s (deps directory %s): run "
                                "scripts/setup.sh, or set deps_dir to the directory it fills",
                                impl, procs->path, deps_dir);
        return WR_OK;
    }
    if (strchr(impl, '/') == NULL && strstr(impl, ".so") == NULL)
        return wr_error_set(err, WR_ERROR_LOAD,
                            "unknown implementation '%s': use 'dawn', 'wgpu' or a path to a "
                            "shared library",
                            impl);
    snprintf(procs->path, sizeof procs->path, "%s", impl);
    procs->kind = WR_IMPL_UNKNOWN;
    snprintf(procs->name, sizeof procs->name, "custom");
    return WR_OK;
}

/* A library given by path is recognised by the extensions only one implementation exports. */
static void identify_kind(wr_procs* procs) {
    if (procs->kind != WR_IMPL_UNKNOWN) return;
    if (dlsym(procs->library, "wgpuDevicePoll") != NULL) {
        procs->kind = WR_IMPL_WGPU_NATIVE;
        snprintf(procs->name, sizeof procs->name, "wgpu");
    } else if (dlsym(procs->library, "wgpuDeviceTick") != NULL) {
        procs->kind = WR_IMPL_DAWN;
        snprintf(procs->name, sizeof procs->name, "dawn");
    }
}

/* POSIX lets dlsym's object pointer stand for a function; ISO C does not, hence the copy. */
typedef void (*generic_proc)(void);

static generic_proc lookup(void* library, const char* name) {
    void* symbol = dlsym(library, name);
    generic_proc proc;
    memcpy(&proc, &symbol, sizeof proc);
    return proc;
}

#define WR_RESOLVE_PROC(name)                                                   \
    procs->name = (WGPUProc##name)lookup(procs->library, "wgpu" #name);         \
    if (procs->name == NULL) {                                                  \
        missing = "wgpu" #name;                                                 \
        goto fail;                                                              \
    }

wr_status wr_procs_load(wr_procs* procs, const char* impl, const char* deps_dir, wr_error* err) {
    memset(procs, 0, sizeof *procs);
    wr_status status = resolve_library_path(procs, impl, deps_dir, err);
    if (status != WR_OK) return status;

    procs->library = dlopen(procs->path, RTLD_NOW | RTLD_LOCAL);
    if (procs->library == NULL)
        return wr_error_set(err, WR_ERROR_LOAD, "cannot load %s: %s", procs->path, dlerror());
    identify_kind(procs);

    const char* missing = NULL;
    WR_REQUIRED_PROCS(WR_RESOLVE_PROC)
    WR_TEXTURE_PROCS(WR_RESOLVE_PROC)
    procs->DevicePoll = (wr_proc_device_poll)lookup(procs->library, "wgpuDevicePoll");
    procs->InstanceEnumerateAdapters =
        (wr_proc_enumerate_adapters)lookup(procs->library, "wgpuInstanceEnumerateAdapters");
    if (procs->kind == WR_IMPL_DAWN)
        procs->DeviceSetLoggingCallback =
            (wr_proc_device_set_logging_callback)lookup(procs->library, "wgpuDeviceSetLoggingCallback");
    procs->has_compilation_info = procs->kind != WR_IMPL_WGPU_NATIVE;
    procs->legacy_abi =
        dlsym(procs->library, "wgpuGetInstanceCapabilities") != NULL &&
        dlsym(procs->library, "wgpuGetInstanceFeatures") == NULL;
    return WR_OK;

fail:
    status = wr_error_set(err, WR_ERROR_LOAD, "%s does not export %s: not a webgpu.h implementation",
                          procs->path, missing);
    wr_procs_unload(procs);
    return status;
}

/* The library stays mapped: Dawn and wgpu-native keep process-wide state (the Vulkan loader,
 * driver threads, caches) beyond their instances, and unmapping it under them turns that state
 * into apparent leaks and leaves exit-time handlers pointing into unmapped code. dlopen counts
 * references, so contexts created again reuse the same mapping. */
void wr_procs_unload(wr_procs* procs) {
    procs->library = NULL;
}

/* Before CoreFeaturesAndLimits moved to 1, it was 0x12, TimestampQuery was 3, and the
 * features between them sat one lower (facts of the older webgpu.h numbering). */
WGPUFeatureName wr_procs_feature(const wr_procs* procs, WGPUFeatureName feature) {
    if (!procs->legacy_abi) return feature;
    switch (feature) {
    case WGPUFeatureName_CoreFeaturesAndLimits: return (WGPUFeatureName)0x12;
    case WGPUFeatureName_DepthClipControl: return (WGPUFeatureName)0x1;
    case WGPUFeatureName_Depth32FloatStencil8: return (WGPUFeatureName)0x2;
    case WGPUFeatureName_TimestampQuery: return (WGPUFeatureName)0x3;
    default:
        if (feature >= WGPUFeatureName_IndirectFirstInstance && feature <= WGPUFeatureName_Subgroups)
            return (WGPUFeatureName)(feature - 1);
        return feature; /* the texture-compression features kept their values */
    }
}
