// Small WebGPU helpers shared by the cases. Only the standard WebGPU API (no host extensions),
// so the same code runs on dawn.node, Deno's wgpu and Chromium.

/* global GPUBufferUsage, GPUMapMode */

export const MAX_GROUPS = 65535;

/**
 * The high-performance adapter every WebGPU row asks for, asked twice: Chromium on ANGLE's
 * Vulkan answered a fresh page's first request with null and the next ones with the GPU (H200,
 * results/archive/h200-2026-12-01-03/probe/chromium-probe.json). Null when there is none, or no `gpu` at all.
 */
export async function requestGpuAdapter(gpu) {
  const options = { powerPreference: 'high-performance' };
  return (await gpu?.requestAdapter(options)) ?? (await gpu?.requestAdapter(options)) ?? null;
}

/** README fold: a 1D grid of more than 65535 workgroups continues in y, balanced over rows. */
export function fold1D(groups) {
  const rows = Math.max(1, Math.ceil(groups / MAX_GROUPS));
  return [Math.ceil(groups / rows), rows, 1];
}

// Constants are read from the host's globals at call time: dawn.node only installs them when
// the host assigns its `globals`, which happens after this module is imported.
const usage = () => globalThis.GPUBufferUsage;

/** Storage buffer that can also be written from the host and copied out for read-back. */
export function storageBuffer(device, bytes, label) {
  const u = usage();
  return device.createBuffer({ label, size: align4(bytes), usage: u.STORAGE | u.COPY_DST | u.COPY_SRC });
}

/** Uniform buffer holding consecutive 4-byte scalars, e.g. [['f32', 3], ['u32', n]]. */
export function uniformBuffer(device, fields, label) {
  const bytes = Math.max(16, Math.ceil((fields.length * 4) / 16) * 16);
  const data = new DataView(new ArrayBuffer(bytes));
  fields.forEach(([type, value], i) => {
    if (type === 'f32') data.setFloat32(4 * i, value, true);
    else data.setUint32(4 * i, value, true);
  });
  const u = usage();
  const buffer = device.createBuffer({ label, size: bytes, usage: u.UNIFORM | u.COPY_DST });
  device.queue.writeBuffer(buffer, 0, data.buffer);
  return buffer;
}

function align4(bytes) {
  return Math.ceil(bytes / 4) * 4;
}

/** Writes 0xFF bytes (NaN as f32, 0xFFFFFFFF as u32) so an unwritten output cannot pass. */
export function poison(device, buffer, bytes = buffer.size) {
  device.queue.writeBuffer(buffer, 0, new Uint8Array(bytes).fill(0xff));
}

export function zero(device, buffer, bytes = buffer.size) {
  device.queue.writeBuffer(buffer, 0, new Uint8Array(bytes));
}

/**
 * A MAP_READ staging buffer kept for the life of a case, so repeated read-backs (e2e, transfer,
 * timestamps) allocate nothing. `read` copies `bytes` of `src` into host memory.
 */
export class Staging {
  constructor(device, bytes, label = 'staging') {
    const u = usage();
    this.device = device;
    this.buffer = device.createBuffer({ label, size: align4(bytes), usage: u.MAP_READ | u.COPY_DST });
  }

  /** Records the copy into an encoder the caller submits itself. */
  encodeCopy(encoder, src, bytes) {
    encoder.copyBufferToBuffer(src, 0, this.buffer, 0, align4(bytes));
  }

  /** Maps after a submitted copy and copies into `into` (a Uint8Array) or a fresh ArrayBuffer. */
  async take(bytes, into) {
    await this.buffer.mapAsync(globalThis.GPUMapMode.READ, 0, align4(bytes));
    const mapped = new Uint8Array(this.buffer.getMappedRange(0, align4(bytes)), 0, bytes);
    const out = into ?? new Uint8Array(bytes);
    out.set(mapped);
    this.buffer.unmap();
    return out.buffer;
  }

  async read(src, bytes, into) {
    const encoder = this.device.createCommandEncoder();
    this.encodeCopy(encoder, src, bytes);
    this.device.queue.submit([encoder.finish()]);
    return this.take(bytes, into);
  }

  destroy() {
    this.buffer.destroy();
  }
}

/** One-off read-back of a whole buffer (verification only). */
export async function readBuffer(device, src, bytes = src.size) {
  const staging = new Staging(device, bytes, 'verify read-back');
  try {
    return await staging.read(src, bytes);
  } finally {
    staging.destroy();
  }
}

/**
 * GPU time of one compute pass from two timestamp queries (begin and end of the pass).
 * Returns null from `readMs` when the implementation gave an unusable pair.
 */
export class PassTimer {
  constructor(device) {
    const u = usage();
    this.querySet = device.createQuerySet({ type: 'timestamp', count: 2 });
    this.resolveBuffer = device.createBuffer({ size: 16, usage: u.QUERY_RESOLVE | u.COPY_SRC });
    this.staging = new Staging(device, 16, 'timestamps');
  }

  get timestampWrites() {
    return { querySet: this.querySet, beginningOfPassWriteIndex: 0, endOfPassWriteIndex: 1 };
  }

  encodeResolve(encoder) {
    encoder.resolveQuerySet(this.querySet, 0, 2, this.resolveBuffer, 0);
    this.staging.encodeCopy(encoder, this.resolveBuffer, 16);
  }

  async readMs() {
    const [begin, end] = new BigUint64Array(await this.staging.take(16));
    if (end <= begin) return null;
    return Number(end - begin) / 1e6;
  }

  destroy() {
    this.querySet.destroy();
    this.resolveBuffer.destroy();
    this.staging.destroy();
  }
}

/**
 * Runs `fn` inside validation, out-of-memory and internal error scopes and throws the first
 * error any of them caught, so a case reports WebGPU errors instead of silently producing junk.
 */
export async function withErrorScopes(device, fn) {
  const scopes = ['validation', 'out-of-memory', 'internal'];
  for (const s of scopes) device.pushErrorScope(s);
  let value, thrown;
  try {
    value = await fn();
  } catch (e) {
    thrown = e;
  }
  const errors = [];
  for (const s of [...scopes].reverse()) {
    const err = await device.popErrorScope();
    if (err) errors.push(`${s} error: ${err.message}`);
  }
  if (errors.length) throw new Error(errors.join('; '));
  if (thrown) throw thrown;
  return value;
}

const LAYOUT_TYPES = { read: 'read-only-storage', rw: 'storage', uniform: 'uniform' };

/**
 * Explicit bind group layout from the README's binding table, e.g. {0: 'read', 2: 'rw', 3:
 * 'uniform'}. Explicit rather than 'auto' because several entry points of one file share a bind
 * group while each uses only some of its bindings.
 */
export function bindGroupLayout(device, kinds, label) {
  const entries = Object.entries(kinds).map(([binding, kind]) => ({
    binding: Number(binding),
    visibility: globalThis.GPUShaderStage.COMPUTE,
    buffer: { type: LAYOUT_TYPES[kind] },
  }));
  return device.createBindGroupLayout({ label, entries });
}

/** Bind group from {binding: GPUBuffer}. */
export function bindGroup(device, layout, buffers, label) {
  const entries = Object.entries(buffers).map(([binding, buffer]) => ({ binding: Number(binding), resource: { buffer } }));
  return device.createBindGroup({ label, layout, entries });
}

/** Compilation errors of a shader module as one string, or '' when there are none. */
export async function compilationErrors(module) {
  if (!module.getCompilationInfo) return '';
  const info = await module.getCompilationInfo();
  return info.messages
    .filter((m) => m.type === 'error')
    .map((m) => `${m.lineNum}:${m.linePos} ${m.message}`)
    .join('\n');
}
