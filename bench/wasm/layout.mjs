// The wasm32 layout of the webgpu.h structs the glue reads and writes, computed from a
// declaration of each struct (field order and C types copied from deps/wgpu/webgpu.h) with the
// C rules clang follows for wasm32: every field at the next multiple of its alignment, the
// struct padded to its largest alignment. Pointers, size_t and enums are 4 bytes; uint64_t
// and double are 8 and 8-aligned. test/layout.test.mjs checks every offset and size against
// build/layout.wasm (layout.c: offsetof/sizeof as clang computed them).

const SCALARS = {
  u32: { size: 4, align: 4 },
  i32: { size: 4, align: 4 },
  bool: { size: 4, align: 4 }, // WGPUBool is uint32_t
  enum: { size: 4, align: 4 },
  ptr: { size: 4, align: 4 },
  size: { size: 4, align: 4 }, // size_t
  u64: { size: 8, align: 8 },
  f64: { size: 8, align: 8 },
};

// Each moded *CallbackInfo of webgpu.h has this shape.
const CALLBACK_INFO = [['nextInChain', 'ptr'], ['mode', 'enum'], ['callback', 'ptr'], ['userdata1', 'ptr'], ['userdata2', 'ptr']];
const LABELLED = [['nextInChain', 'ptr'], ['label', 'StringView']];

export const LIMIT_FIELDS = [
  ['maxTextureDimension1D', 'u32'], ['maxTextureDimension2D', 'u32'], ['maxTextureDimension3D', 'u32'],
  ['maxTextureArrayLayers', 'u32'], ['maxBindGroups', 'u32'], ['maxBindGroupsPlusVertexBuffers', 'u32'],
  ['maxBindingsPerBindGroup', 'u32'], ['maxDynamicUniformBuffersPerPipelineLayout', 'u32'],
  ['maxDynamicStorageBuffersPerPipelineLayout', 'u32'], ['maxSampledTexturesPerShaderStage', 'u32'],
  ['maxSamplersPerShaderStage', 'u32'], ['maxStorageBuffersPerShaderStage', 'u32'],
  ['maxStorageTexturesPerShaderStage', 'u32'], ['maxUniformBuffersPerShaderStage', 'u32'],
  ['maxUniformBufferBindingSize', 'u64'], ['maxStorageBufferBindingSize', 'u64'],
  ['minUniformBufferOffsetAlignment', 'u32'], ['minStorageBufferOffsetAlignment', 'u32'], ['maxVertexBuffers', 'u32'],
  ['maxBufferSize', 'u64'], ['maxVertexAttributes', 'u32'], ['maxVertexBufferArrayStride', 'u32'],
  ['maxInterStageShaderVariables', 'u32'], ['maxColorAttachments', 'u32'], ['maxColorAttachmentBytesPerSample', 'u32'],
  ['maxComputeWorkgroupStorageSize', 'u32'], ['maxComputeInvocationsPerWorkgroup', 'u32'],
  ['maxComputeWorkgroupSizeX', 'u32'], ['maxComputeWorkgroupSizeY', 'u32'], ['maxComputeWorkgroupSizeZ', 'u32'],
  ['maxComputeWorkgroupsPerDimension', 'u32'], ['maxImmediateSize', 'u32'],
];

// Declaration order matters: a struct may only use structs declared above it.
export const DECLARATIONS = {
  StringView: [['data', 'ptr'], ['length', 'size']],
  ChainedStruct: [['next', 'ptr'], ['sType', 'enum']],
  FutureWaitInfo: [['future', 'u64'], ['completed', 'bool']],
  Limits: [['nextInChain', 'ptr'], ...LIMIT_FIELDS],
  AdapterInfo: [
    ['nextInChain', 'ptr'], ['vendor', 'StringView'], ['architecture', 'StringView'], ['device', 'StringView'],
    ['description', 'StringView'], ['backendType', 'enum'], ['adapterType', 'enum'], ['vendorID', 'u32'],
    ['deviceID', 'u32'], ['subgroupMinSize', 'u32'], ['subgroupMaxSize', 'u32'],
  ],
  SupportedFeatures: [['featureCount', 'size'], ['features', 'ptr']],
  RequestAdapterOptions: [
    ['nextInChain', 'ptr'], ['featureLevel', 'enum'], ['powerPreference', 'enum'], ['forceFallbackAdapter', 'bool'],
    ['backendType', 'enum'], ['compatibleSurface', 'ptr'],
  ],
  InstanceDescriptor: [['nextInChain', 'ptr'], ['requiredFeatureCount', 'size'], ['requiredFeatures', 'ptr'], ['requiredLimits', 'ptr']],
  BufferMapCallbackInfo: CALLBACK_INFO,
  RequestDeviceCallbackInfo: CALLBACK_INFO,
  UncapturedErrorCallbackInfo: [['nextInChain', 'ptr'], ['callback', 'ptr'], ['userdata1', 'ptr'], ['userdata2', 'ptr']],
  QueueDescriptor: LABELLED,
  DeviceDescriptor: [
    ...LABELLED, ['requiredFeatureCount', 'size'], ['requiredFeatures', 'ptr'], ['requiredLimits', 'ptr'],
    ['defaultQueue', 'QueueDescriptor'], ['deviceLostCallbackInfo', 'RequestDeviceCallbackInfo'],
    ['uncapturedErrorCallbackInfo', 'UncapturedErrorCallbackInfo'],
  ],
  BufferDescriptor: [...LABELLED, ['usage', 'u64'], ['size', 'u64'], ['mappedAtCreation', 'bool']],
  QuerySetDescriptor: [...LABELLED, ['type', 'enum'], ['count', 'u32']],
  ShaderModuleDescriptor: LABELLED,
  ShaderSourceWGSL: [['chain', 'ChainedStruct'], ['code', 'StringView']],
  CompilationInfo: [['nextInChain', 'ptr'], ['messageCount', 'size'], ['messages', 'ptr']],
  CompilationMessage: [
    ['nextInChain', 'ptr'], ['message', 'StringView'], ['type', 'enum'], ['lineNum', 'u64'], ['linePos', 'u64'],
    ['offset', 'u64'], ['length', 'u64'],
  ],
  ConstantEntry: [['nextInChain', 'ptr'], ['key', 'StringView'], ['value', 'f64']],
  ComputeState: [
    ['nextInChain', 'ptr'], ['module', 'ptr'], ['entryPoint', 'StringView'], ['constantCount', 'size'], ['constants', 'ptr'],
  ],
  ComputePipelineDescriptor: [...LABELLED, ['layout', 'ptr'], ['compute', 'ComputeState']],
  BindGroupEntry: [
    ['nextInChain', 'ptr'], ['binding', 'u32'], ['buffer', 'ptr'], ['offset', 'u64'], ['size', 'u64'],
    ['sampler', 'ptr'], ['textureView', 'ptr'],
  ],
  BindGroupDescriptor: [...LABELLED, ['layout', 'ptr'], ['entryCount', 'size'], ['entries', 'ptr']],
  CommandEncoderDescriptor: LABELLED,
  CommandBufferDescriptor: LABELLED,
  PassTimestampWrites: [['nextInChain', 'ptr'], ['querySet', 'ptr'], ['beginningOfPassWriteIndex', 'u32'], ['endOfPassWriteIndex', 'u32']],
  ComputePassDescriptor: [...LABELLED, ['timestampWrites', 'ptr']],
};

const alignUp = (n, a) => Math.ceil(n / a) * a;

function computeLayouts(declarations) {
  const layouts = {};
  for (const [name, fields] of Object.entries(declarations)) {
    let offset = 0, align = 1;
    const offsets = {};
    for (const [field, type] of fields) {
      const t = SCALARS[type] ?? layouts[type];
      if (!t) throw new Error(`layout: ${name}.${field} has unknown type ${type}`);
      offset = alignUp(offset, t.align);
      offsets[field] = offset;
      offset += t.size;
      align = Math.max(align, t.align);
    }
    layouts[name] = { size: alignUp(offset, align), align, fields: offsets };
  }
  return layouts;
}

/** {Name: {size, align, fields: {field: offset}}}, the shape layout.wasm prints. */
export const LAYOUT = computeLayouts(DECLARATIONS);

/** The C type of each field, for readers that must pick u32 or u64 (limits). */
export function fieldType(struct, field) {
  return DECLARATIONS[struct].find(([f]) => f === field)?.[1];
}
