/* What an adapter is and supports, in wgslrun's terms (wr_adapter_info), for callers and for
 * `wgslrun info`. */
#include <stdio.h>
#include <string.h>

#include "context.h"

const wr_adapter_info* wr_context_info(const wr_context* ctx) {
    return &ctx->info;
}

static const char* backend_name(WGPUBackendType type) {
    switch (type) {
    case WGPUBackendType_Null: return "null";
    case WGPUBackendType_WebGPU: return "webgpu";
    case WGPUBackendType_D3D11: return "d3d11";
    case WGPUBackendType_D3D12: return "d3d12";
    case WGPUBackendType_Metal: return "metal";
    case WGPUBackendType_Vulkan: return "vulkan";
    case WGPUBackendType_OpenGL: return "opengl";
    case WGPUBackendType_OpenGLES: return "opengles";
    default: return "unknown";
    }
}

static const char* adapter_type_name(WGPUAdapterType type) {
    switch (type) {
    case WGPUAdapterType_DiscreteGPU: return "discrete-gpu";
    case WGPUAdapterType_IntegratedGPU: return "integrated-gpu";
    case WGPUAdapterType_CPU: return "cpu";
    default: return "unknown";
    }
}

void wr_ctx_copy_limits(wr_limits* out, const WGPULimits* in) {
    *out = (wr_limits){
        .max_buffer_size = in->maxBufferSize,
        .max_storage_buffer_binding_size = in->maxStorageBufferBindingSize,
        .max_uniform_buffer_binding_size = in->maxUniformBufferBindingSize,
        .max_storage_buffers_per_shader_stage = in->maxStorageBuffersPerShaderStage,
        .max_bind_groups = in->maxBindGroups,
        .max_compute_workgroup_storage_size = in->maxComputeWorkgroupStorageSize,
        .max_compute_invocations_per_workgroup = in->maxComputeInvocationsPerWorkgroup,
        .max_compute_workgroup_size = {in->maxComputeWorkgroupSizeX, in->maxComputeWorkgroupSizeY,
                                       in->maxComputeWorkgroupSizeZ},
        .max_compute_workgroups_per_dimension = in->maxComputeWorkgroupsPerDimension,
        .min_storage_buffer_offset_alignment = in->minStorageBufferOffsetAlignment,
    };
}

typedef struct feature_name {
    WGPUFeatureName feature;
    const char* name;
} feature_name;

static const feature_name known_features[] = {
    {WGPUFeatureName_TimestampQuery, "timestamp-query"},
    {WGPUFeatureName_ShaderF16, "shader-f16"},
    {WGPUFeatureName_Subgroups, "subgroups"},
    {WGPUFeatureName_Float32Filterable, "float32-filterable"},
    {WGPUFeatureName_Float32Blendable, "float32-blendable"},
    {WGPUFeatureName_IndirectFirstInstance, "indirect-first-instance"},
    {WGPUFeatureName_BGRA8UnormStorage, "bgra8unorm-storage"},
    {WGPUFeatureName_DepthClipControl, "depth-clip-control"},
    {WGPUFeatureName_TextureCompressionBC, "texture-compression-bc"},
};

/* wgpu-native reports subgroups only as its native feature (wgpu.h's WGPUNativeFeature_Subgroup,
 * 0x00030021), not as the standard WGPUFeatureName_Subgroups; requesting it makes naga compile
 * the subgroup built-ins. */
#define WGPU_NATIVE_FEATURE_SUBGROUP ((WGPUFeatureName)0x00030021)

WGPUFeatureName wr_ctx_adapter_feature(const wr_procs* procs, WGPUAdapter adapter, WGPUFeatureName feature) {
    WGPUFeatureName value = wr_procs_feature(procs, feature);
    if (procs->AdapterHasFeature(adapter, value)) return value;
    if (feature == WGPUFeatureName_Subgroups && procs->kind == WR_IMPL_WGPU_NATIVE &&
        procs->AdapterHasFeature(adapter, WGPU_NATIVE_FEATURE_SUBGROUP))
        return WGPU_NATIVE_FEATURE_SUBGROUP;
    return (WGPUFeatureName)0;
}

static void list_features(const wr_procs* procs, WGPUAdapter adapter, char* list, size_t list_size) {
    for (size_t i = 0; i < sizeof known_features / sizeof known_features[0]; i++) {
        if (!wr_ctx_adapter_feature(procs, adapter, known_features[i].feature)) continue;
        size_t used = strlen(list);
        snprintf(list + used, list_size - used, "%s%s", used ? "," : "", known_features[i].name);
    }
}

void wr_ctx_read_adapter_info(const wr_procs* procs, WGPUAdapter adapter, wr_adapter_info* info) {
    memset(info, 0, sizeof *info);
    snprintf(info->impl_name, sizeof info->impl_name, "%s", procs->name);
    snprintf(info->impl_path, sizeof info->impl_path, "%s", procs->path);
    WGPUAdapterInfo raw = WGPU_ADAPTER_INFO_INIT;
    if (procs->AdapterGetInfo(adapter, &raw) == WGPUStatus_Success) {
        wr_sv_copy(info->vendor, sizeof info->vendor, raw.vendor);
        wr_sv_copy(info->architecture, sizeof info->architecture, raw.architecture);
        wr_sv_copy(info->device, sizeof info->device, raw.device);
        wr_sv_copy(info->description, sizeof info->description, raw.description);
        snprintf(info->backend, sizeof info->backend, "%s", backend_name(raw.backendType));
        snprintf(info->adapter_type, sizeof info->adapter_type, "%s", adapter_type_name(raw.adapterType));
        info->vendor_id = raw.vendorID;
        info->device_id = raw.deviceID;
        procs->AdapterInfoFreeMembers(raw);
    }
    WGPULimits limits = WGPU_LIMITS_INIT;
    if (procs->AdapterGetLimits(adapter, &limits) == WGPUStatus_Success)
        wr_ctx_copy_limits(&info->adapter_limits, &limits);
    list_features(procs, adapter, info->features, sizeof info->features);
}
