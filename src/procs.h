/* Internal: the table of webgpu.h entry points wgslrun calls, filled at run time from the
 * implementation's shared library, so one binary drives Dawn or wgpu-native. */
#ifndef WGSLRUN_SRC_PROCS_H
#define WGSLRUN_SRC_PROCS_H

#include <webgpu.h>

#include "wgslrun.h"

/* Every entry point wgslrun needs; each must be exported by the implementation. */
#define WR_REQUIRED_PROCS(X)                                                              \
    X(CreateInstance) X(InstanceRequestAdapter) X(InstanceWaitAny) X(InstanceProcessEvents) \
    X(InstanceRelease) X(AdapterGetInfo) X(AdapterInfoFreeMembers) X(AdapterGetLimits)      \
    X(AdapterGetFeatures) X(AdapterHasFeature) X(SupportedFeaturesFreeMembers)              \
    X(AdapterRequestDevice) X(AdapterRelease) X(DeviceGetQueue) X(DeviceGetLimits)          \
    X(DeviceCreateBuffer) X(DeviceCreateShaderModule) X(DeviceCreateComputePipeline)        \
    X(DeviceCreateBindGroup) X(DeviceCreateCommandEncoder) X(DeviceCreateQuerySet)          \
    X(DevicePushErrorScope) X(DevicePopErrorScope) X(DeviceDestroy) X(DeviceRelease)        \
    X(ShaderModuleGetCompilationInfo) X(ShaderModuleRelease)                                \
    X(ComputePipelineGetBindGroupLayout) X(ComputePipelineRelease)                          \
    X(BindGroupLayoutRelease) X(BindGroupRelease) X(BufferMapAsync)                         \
    X(BufferGetMappedRange) X(BufferGetConstMappedRange) X(BufferUnmap) X(BufferDestroy)    \
    X(BufferRelease) X(CommandEncoderBeginComputePass) X(CommandEncoderCopyBufferToBuffer)  \
    X(CommandEncoderResolveQuerySet) X(CommandEncoderFinish) X(CommandEncoderRelease)       \
    X(ComputePassEncoderSetPipeline) X(ComputePassEncoderSetBindGroup)                      \
    X(ComputePassEncoderDispatchWorkgroups) X(ComputePassEncoderEnd)                        \
    X(ComputePassEncoderRelease) X(CommandBufferRelease) X(QueueSubmit) X(QueueWriteBuffer) \
    X(QueueOnSubmittedWorkDone) X(QueueRelease) X(QuerySetRelease)

/* Textures and samplers: every native implementation exports them; the wasm32 build leaves
 * them NULL (its JavaScript glue has no textures), and texture.c reports that. */
#define WR_TEXTURE_PROCS(X)                                                              \
    X(DeviceCreateTexture) X(TextureCreateView) X(TextureDestroy) X(TextureRelease)         \
    X(TextureViewRelease) X(DeviceCreateSampler) X(SamplerRelease) X(QueueWriteTexture)     \
    X(CommandEncoderCopyTextureToBuffer)

/* wgpu-native extensions (wgpu.h), looked up when present. */
typedef WGPUBool (*wr_proc_device_poll)(WGPUDevice device, WGPUBool wait, const void* index);
typedef size_t (*wr_proc_enumerate_adapters)(WGPUInstance instance, const void* options,
                                             WGPUAdapter* adapters);

/* Dawn's device log (facts of Dawn's ABI; webgpu.h has no logging): a callback info struct in
 * the webgpu.h style, passed by value to wgpuDeviceSetLoggingCallback. */
typedef void (*wr_dawn_logging_callback)(uint32_t type, WGPUStringView message, void* userdata1,
                                         void* userdata2);
typedef struct wr_dawn_logging_callback_info {
    WGPUChainedStruct* next_in_chain;
    wr_dawn_logging_callback callback;
    void* userdata1;
    void* userdata2;
} wr_dawn_logging_callback_info;
typedef void (*wr_proc_device_set_logging_callback)(WGPUDevice device, wr_dawn_logging_callback_info info);

#define WR_DECLARE_PROC(name) WGPUProc##name name;

typedef struct wr_procs {
    void* library;                 /* dlopen handle */
    wr_impl_kind kind;
    char name[32];                 /* "dawn", "wgpu" */
    char path[512];
    /* Dawn builds from before two mid-2025 webgpu.h changes: InstanceDescriptor took a
     * capabilities struct where newer headers put requiredFeatures (see create_instance in
     * context.c), and FeatureName had CoreFeaturesAndLimits last (see wr_procs_feature). */
    bool legacy_abi;
    /* wgpu-native exports wgpuShaderModuleGetCompilationInfo but aborts in it. */
    bool has_compilation_info;
    WR_REQUIRED_PROCS(WR_DECLARE_PROC)
    WR_TEXTURE_PROCS(WR_DECLARE_PROC)
    wr_proc_device_poll DevicePoll;                   /* wgpu-native only */
    wr_proc_enumerate_adapters InstanceEnumerateAdapters; /* wgpu-native only */
    wr_proc_device_set_logging_callback DeviceSetLoggingCallback; /* Dawn only */
} wr_procs;

/* Loads `impl` ("dawn", "wgpu" or a library path), resolving names under `deps_dir`; both
 * as wr_context_desc_defaults resolved them. */
wr_status wr_procs_load(wr_procs* procs, const char* impl, const char* deps_dir, wr_error* err);
/* The platform's defaults for wr_context_desc's impl and (for that impl) deps_dir. */
const char* wr_procs_default_impl(void);
const char* wr_procs_default_deps_dir(const char* impl);
void wr_procs_unload(wr_procs* procs);

/* The value the loaded implementation uses for a feature named by this webgpu.h. */
WGPUFeatureName wr_procs_feature(const wr_procs* procs, WGPUFeatureName feature);

#endif
