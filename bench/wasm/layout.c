/* Prints, as JSON, the wasm32 layout clang gives every webgpu.h struct that webgpu_glue.mjs
 * reads or writes in linear memory: {"Name": {"size": S, "align": A, "fields": {"f": offset}}}.
 * The glue computes its offsets from its own declaration of the same structs; the test
 * test/layout.test.mjs runs this module and requires the two to agree field by field, so a
 * slip in the glue (or a change of webgpu.h) shows up as a named mismatch, not as garbage. */
#include <stdalign.h>
#include <stddef.h>
#include <stdio.h>
#include <webgpu.h>

static int field_count;

static void begin_struct(const char* name, size_t size, size_t align, int first) {
    printf("%s\n  \"%s\": {\"size\": %zu, \"align\": %zu, \"fields\": {", first ? "" : ",", name, size, align);
    field_count = 0;
}

static void field(const char* name, size_t offset) {
    printf("%s\"%s\": %zu", field_count++ ? ", " : "", name, offset);
}

static void end_struct(void) {
    printf("}}");
}

#define BEGIN(T, first) begin_struct(#T, sizeof(WGPU##T), alignof(WGPU##T), first)
#define F(T, f) field(#f, offsetof(WGPU##T, f))

static void strings_and_futures(void) {
    BEGIN(StringView, 1); F(StringView, data); F(StringView, length); end_struct();
    BEGIN(ChainedStruct, 0); F(ChainedStruct, next); F(ChainedStruct, sType); end_struct();
    BEGIN(FutureWaitInfo, 0); F(FutureWaitInfo, future); F(FutureWaitInfo, completed); end_struct();
}

static void limits(void) {
    BEGIN(Limits, 0);
    F(Limits, nextInChain); F(Limits, maxTextureDimension1D); F(Limits, maxTextureDimension2D);
    F(Limits, maxTextureDimension3D); F(Limits, maxTextureArrayLayers); F(Limits, maxBindGroups);
    F(Limits, maxBindGroupsPlusVertexBuffers); F(Limits, maxBindingsPerBindGroup);
    F(Limits, maxDynamicUniformBuffersPerPipelineLayout); F(Limits, maxDynamicStorageBuffersPerPipelineLayout);
    F(Limits, maxSampledTexturesPerShaderStage); F(Limits, maxSamplersPerShaderStage);
    F(Limits, maxStorageBuffersPerShaderStage); F(Limits, maxStorageTexturesPerShaderStage);
    F(Limits, maxUniformBuffersPerShaderStage); F(Limits, maxUniformBufferBindingSize);
    F(Limits, maxStorageBufferBindingSize); F(Limits, minUniformBufferOffsetAlignment);
    F(Limits, minStorageBufferOffsetAlignment); F(Limits, maxVertexBuffers); F(Limits, maxBufferSize);
    F(Limits, maxVertexAttributes); F(Limits, maxVertexBufferArrayStride); F(Limits, maxInterStageShaderVariables);
    F(Limits, maxColorAttachments); F(Limits, maxColorAttachmentBytesPerSample);
    F(Limits, maxComputeWorkgroupStorageSize); F(Limits, maxComputeInvocationsPerWorkgroup);
    F(Limits, maxComputeWorkgroupSizeX); F(Limits, maxComputeWorkgroupSizeY); F(Limits, maxComputeWorkgroupSizeZ);
    F(Limits, maxComputeWorkgroupsPerDimension); F(Limits, maxImmediateSize);
    end_struct();
}

static void adapter(void) {
    BEGIN(AdapterInfo, 0);
    F(AdapterInfo, nextInChain); F(AdapterInfo, vendor); F(AdapterInfo, architecture); F(AdapterInfo, device);
    F(AdapterInfo, description); F(AdapterInfo, backendType); F(AdapterInfo, adapterType); F(AdapterInfo, vendorID);
    F(AdapterInfo, deviceID); F(AdapterInfo, subgroupMinSize); F(AdapterInfo, subgroupMaxSize);
    end_struct();
    BEGIN(SupportedFeatures, 0); F(SupportedFeatures, featureCount); F(SupportedFeatures, features); end_struct();
    BEGIN(RequestAdapterOptions, 0);
    F(RequestAdapterOptions, nextInChain); F(RequestAdapterOptions, featureLevel);
    F(RequestAdapterOptions, powerPreference); F(RequestAdapterOptions, forceFallbackAdapter);
    F(RequestAdapterOptions, backendType); F(RequestAdapterOptions, compatibleSurface);
    end_struct();
    BEGIN(InstanceDescriptor, 0);
    F(InstanceDescriptor, nextInChain); F(InstanceDescriptor, requiredFeatureCount);
    F(InstanceDescriptor, requiredFeatures); F(InstanceDescriptor, requiredLimits);
    end_struct();
}

/* Every *CallbackInfo with a mode shares one layout; the glue reads them all as this one. */
static void callbacks(void) {
    BEGIN(BufferMapCallbackInfo, 0);
    F(BufferMapCallbackInfo, nextInChain); F(BufferMapCallbackInfo, mode); F(BufferMapCallbackInfo, callback);
    F(BufferMapCallbackInfo, userdata1); F(BufferMapCallbackInfo, userdata2);
    end_struct();
    BEGIN(RequestDeviceCallbackInfo, 0);
    F(RequestDeviceCallbackInfo, nextInChain); F(RequestDeviceCallbackInfo, mode);
    F(RequestDeviceCallbackInfo, callback); F(RequestDeviceCallbackInfo, userdata1);
    F(RequestDeviceCallbackInfo, userdata2);
    end_struct();
    BEGIN(UncapturedErrorCallbackInfo, 0);
    F(UncapturedErrorCallbackInfo, nextInChain); F(UncapturedErrorCallbackInfo, callback);
    F(UncapturedErrorCallbackInfo, userdata1); F(UncapturedErrorCallbackInfo, userdata2);
    end_struct();
}

static void device(void) {
    BEGIN(QueueDescriptor, 0); F(QueueDescriptor, nextInChain); F(QueueDescriptor, label); end_struct();
    BEGIN(DeviceDescriptor, 0);
    F(DeviceDescriptor, nextInChain); F(DeviceDescriptor, label); F(DeviceDescriptor, requiredFeatureCount);
    F(DeviceDescriptor, requiredFeatures); F(DeviceDescriptor, requiredLimits); F(DeviceDescriptor, defaultQueue);
    F(DeviceDescriptor, deviceLostCallbackInfo); F(DeviceDescriptor, uncapturedErrorCallbackInfo);
    end_struct();
    BEGIN(BufferDescriptor, 0);
    F(BufferDescriptor, nextInChain); F(BufferDescriptor, label); F(BufferDescriptor, usage);
    F(BufferDescriptor, size); F(BufferDescriptor, mappedAtCreation);
    end_struct();
    BEGIN(QuerySetDescriptor, 0);
    F(QuerySetDescriptor, nextInChain); F(QuerySetDescriptor, label); F(QuerySetDescriptor, type);
    F(QuerySetDescriptor, count);
    end_struct();
}

static void shaders(void) {
    BEGIN(ShaderModuleDescriptor, 0);
    F(ShaderModuleDescriptor, nextInChain); F(ShaderModuleDescriptor, label);
    end_struct();
    BEGIN(ShaderSourceWGSL, 0); F(ShaderSourceWGSL, chain); F(ShaderSourceWGSL, code); end_struct();
    BEGIN(CompilationInfo, 0);
    F(CompilationInfo, nextInChain); F(CompilationInfo, messageCount); F(CompilationInfo, messages);
    end_struct();
    BEGIN(CompilationMessage, 0);
    F(CompilationMessage, nextInChain); F(CompilationMessage, message); F(CompilationMessage, type);
    F(CompilationMessage, lineNum); F(CompilationMessage, linePos); F(CompilationMessage, offset);
    F(CompilationMessage, length);
    end_struct();
}

static void pipelines(void) {
    BEGIN(ConstantEntry, 0); F(ConstantEntry, nextInChain); F(ConstantEntry, key); F(ConstantEntry, value); end_struct();
    BEGIN(ComputeState, 0);
    F(ComputeState, nextInChain); F(ComputeState, module); F(ComputeState, entryPoint);
    F(ComputeState, constantCount); F(ComputeState, constants);
    end_struct();
    BEGIN(ComputePipelineDescriptor, 0);
    F(ComputePipelineDescriptor, nextInChain); F(ComputePipelineDescriptor, label);
    F(ComputePipelineDescriptor, layout); F(ComputePipelineDescriptor, compute);
    end_struct();
    BEGIN(BindGroupEntry, 0);
    F(BindGroupEntry, nextInChain); F(BindGroupEntry, binding); F(BindGroupEntry, buffer); F(BindGroupEntry, offset);
    F(BindGroupEntry, size); F(BindGroupEntry, sampler); F(BindGroupEntry, textureView);
    end_struct();
    BEGIN(BindGroupDescriptor, 0);
    F(BindGroupDescriptor, nextInChain); F(BindGroupDescriptor, label); F(BindGroupDescriptor, layout);
    F(BindGroupDescriptor, entryCount); F(BindGroupDescriptor, entries);
    end_struct();
}

static void commands(void) {
    BEGIN(CommandEncoderDescriptor, 0);
    F(CommandEncoderDescriptor, nextInChain); F(CommandEncoderDescriptor, label);
    end_struct();
    BEGIN(CommandBufferDescriptor, 0);
    F(CommandBufferDescriptor, nextInChain); F(CommandBufferDescriptor, label);
    end_struct();
    BEGIN(PassTimestampWrites, 0);
    F(PassTimestampWrites, nextInChain); F(PassTimestampWrites, querySet);
    F(PassTimestampWrites, beginningOfPassWriteIndex); F(PassTimestampWrites, endOfPassWriteIndex);
    end_struct();
    BEGIN(ComputePassDescriptor, 0);
    F(ComputePassDescriptor, nextInChain); F(ComputePassDescriptor, label); F(ComputePassDescriptor, timestampWrites);
    end_struct();
}

int main(void) {
    printf("{");
    strings_and_futures();
    limits();
    adapter();
    callbacks();
    device();
    shaders();
    pipelines();
    commands();
    printf("\n}\n");
    return 0;
}
