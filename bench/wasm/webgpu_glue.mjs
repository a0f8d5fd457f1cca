// The webgpu.h functions wgslrun imports (module "webgpu"), implemented over the WebGPU
// JavaScript API (navigator.gpu) for a wasm32 module compiled by clang.
//
// What crosses the boundary, and how:
//   - objects: C sees small integer handles; `Handles` maps them to GPU* objects. 0 is NULL.
//   - descriptors: read from linear memory at the offsets layout.mjs computes for wasm32
//     (pointers and size_t are 4 bytes; verified against clang by test/layout.test.mjs).
//   - strings: WGPUStringView {data, length}, length WGPU_STRLEN (SIZE_MAX) = NUL-terminated.
//   - structs passed by value (callback infos, AdapterInfo, SupportedFeatures) arrive as
//     pointers, as the wasm32 C ABI passes them; uint64_t arrives as BigInt; WGPUFuture, a
//     struct of one uint64_t, comes back as an i64 (BigInt).
//   - futures: each async call registers its promise under a future id; the C callback runs
//     when wgpuInstanceWaitAny is given that id and the promise has settled (WaitAnyOnly).
//   - blocking: wgpuInstanceWaitAny is async and is imported through WebAssembly.Suspending,
//     so the C stack is suspended (JSPI) until a promise settles; the page calls the module
//     through WebAssembly.promising.
//   - mapped memory cannot be shared with the GPU process: getMappedRange copies the mapped
//     ArrayBuffer into malloc'd linear memory (read mappings) and unmap copies it back (write
//     mappings); writeBuffer copies straight from a view of linear memory. `counters` counts
//     these bytes and every call, the cost of the boundary that native code does not pay.

import { LAYOUT, LIMIT_FIELDS } from './layout.mjs';
import { LinearMemory, SIZE_MAX, UINT32_MAX, UINT64_MAX } from './memory.mjs';

const L = Object.fromEntries(Object.entries(LAYOUT).map(([name, layout]) => [name, layout.fields]));
const SIZE = Object.fromEntries(Object.entries(LAYOUT).map(([name, layout]) => [name, layout.size]));

// ------------------------------------------------------------------ webgpu.h enum values

const STATUS_SUCCESS = 1;
const WAIT = { Success: 1, TimedOut: 2, Error: 3 };
const CALLBACK_MODE = { WaitAnyOnly: 1, AllowProcessEvents: 2, AllowSpontaneous: 3 };
const REQUEST_ADAPTER = { Success: 1, Unavailable: 3, Error: 4 };
const REQUEST_DEVICE = { Success: 1, Error: 3 };
const MAP_ASYNC = { Success: 1, Error: 3, Aborted: 4 };
const POP_ERROR_SCOPE = { Success: 1, Error: 3 };
const COMPILATION_INFO = { Success: 1, CallbackCancelled: 2 };
const QUEUE_WORK_DONE = { Success: 1, Error: 3 };
const ERROR_TYPE = { NoError: 1, Validation: 2, OutOfMemory: 3, Internal: 4, Unknown: 5 };
const DEVICE_LOST = { Unknown: 1, Destroyed: 2 };
const ADAPTER_TYPE = { CPU: 3, Unknown: 4 };
const BACKEND_WEBGPU = 2;
const MAP_READ = 1, MAP_WRITE = 2;
const STYPE_SHADER_SOURCE_WGSL = 2;
const QUERY_TYPES = { 1: 'occlusion', 2: 'timestamp' };
const ERROR_FILTERS = { 1: 'validation', 2: 'out-of-memory', 3: 'internal' };
const POWER_PREFERENCES = { 1: 'low-power', 2: 'high-performance' };
const MESSAGE_TYPES = { error: 1, warning: 2, info: 3 };

// WGPUFeatureName values of deps/wgpu/webgpu.h, in order from 1.
const FEATURE_NAMES = [
  'core-features-and-limits', 'depth-clip-control', 'depth32float-stencil8', 'texture-compression-bc',
  'texture-compression-bc-sliced-3d', 'texture-compression-etc2', 'texture-compression-astc',
  'texture-compression-astc-sliced-3d', 'timestamp-query', 'indirect-first-instance', 'shader-f16',
  'rg11b10ufloat-renderable', 'bgra8unorm-storage', 'float32-filterable', 'float32-blendable', 'clip-distances',
  'dual-source-blending', 'subgroups', 'texture-formats-tier1', 'texture-formats-tier2', 'primitive-index',
  'texture-component-swizzle',
];
const featureName = (value) => FEATURE_NAMES[value - 1];
const featureValue = (name) => FEATURE_NAMES.indexOf(name) + 1; // 0 when this header has no such feature

/**
 * The wasm signature clang gives each import (wasm32 C ABI), as test/glue.test.mjs reads it
 * from the binary: the glue's arguments are exactly these, BigInt where i64.
 */
export const SIGNATURES = {
  wgpuCreateInstance: 'i32 -> i32',
  wgpuInstanceRequestAdapter: 'i32 i32 i32 -> i64',
  wgpuInstanceWaitAny: 'i32 i32 i32 i64 -> i32',
  wgpuInstanceProcessEvents: 'i32 ->',
  wgpuInstanceRelease: 'i32 ->',
  wgpuAdapterGetInfo: 'i32 i32 -> i32',
  wgpuAdapterInfoFreeMembers: 'i32 ->',
  wgpuAdapterGetLimits: 'i32 i32 -> i32',
  wgpuAdapterGetFeatures: 'i32 i32 ->',
  wgpuAdapterHasFeature: 'i32 i32 -> i32',
  wgpuSupportedFeaturesFreeMembers: 'i32 ->',
  wgpuAdapterRequestDevice: 'i32 i32 i32 -> i64',
  wgpuAdapterRelease: 'i32 ->',
  wgpuDeviceGetQueue: 'i32 -> i32',
  wgpuDeviceGetLimits: 'i32 i32 -> i32',
  wgpuDeviceCreateBuffer: 'i32 i32 -> i32',
  wgpuDeviceCreateShaderModule: 'i32 i32 -> i32',
  wgpuDeviceCreateComputePipeline: 'i32 i32 -> i32',
  wgpuDeviceCreateBindGroup: 'i32 i32 -> i32',
  wgpuDeviceCreateCommandEncoder: 'i32 i32 -> i32',
  wgpuDeviceCreateQuerySet: 'i32 i32 -> i32',
  wgpuDevicePushErrorScope: 'i32 i32 ->',
  wgpuDevicePopErrorScope: 'i32 i32 -> i64',
  wgpuDeviceDestroy: 'i32 ->',
  wgpuDeviceRelease: 'i32 ->',
  wgpuShaderModuleGetCompilationInfo: 'i32 i32 -> i64',
  wgpuShaderModuleRelease: 'i32 ->',
  wgpuComputePipelineGetBindGroupLayout: 'i32 i32 -> i32',
  wgpuComputePipelineRelease: 'i32 ->',
  wgpuBindGroupLayoutRelease: 'i32 ->',
  wgpuBindGroupRelease: 'i32 ->',
  wgpuBufferMapAsync: 'i32 i64 i32 i32 i32 -> i64',
  wgpuBufferGetMappedRange: 'i32 i32 i32 -> i32',
  wgpuBufferGetConstMappedRange: 'i32 i32 i32 -> i32',
  wgpuBufferUnmap: 'i32 ->',
  wgpuBufferDestroy: 'i32 ->',
  wgpuBufferRelease: 'i32 ->',
  wgpuCommandEncoderBeginComputePass: 'i32 i32 -> i32',
  wgpuCommandEncoderCopyBufferToBuffer: 'i32 i32 i64 i32 i64 i64 ->',
  wgpuCommandEncoderResolveQuerySet: 'i32 i32 i32 i32 i32 i64 ->',
  wgpuCommandEncoderFinish: 'i32 i32 -> i32',
  wgpuCommandEncoderRelease: 'i32 ->',
  wgpuComputePassEncoderSetPipeline: 'i32 i32 ->',
  wgpuComputePassEncoderSetBindGroup: 'i32 i32 i32 i32 i32 ->',
  wgpuComputePassEncoderDispatchWorkgroups: 'i32 i32 i32 i32 ->',
  wgpuComputePassEncoderEnd: 'i32 ->',
  wgpuComputePassEncoderRelease: 'i32 ->',
  wgpuCommandBufferRelease: 'i32 ->',
  wgpuQueueSubmit: 'i32 i32 i32 ->',
  wgpuQueueWriteBuffer: 'i32 i32 i64 i32 i32 ->',
  wgpuQueueOnSubmittedWorkDone: 'i32 i32 -> i64',
  wgpuQueueRelease: 'i32 ->',
  wgpuQuerySetRelease: 'i32 ->',
};

// ------------------------------------------------------------------ handles and futures

/** Integer handles for JS objects, never reused, so a stale handle fails loudly. */
class Handles {
  constructor() {
    this.entries = new Map();
    this.next = 1;
  }
  add(kind, object, state = {}) {
    const handle = this.next++;
    this.entries.set(handle, { kind, object, state });
    return handle;
  }
  entry(handle, kind) {
    const entry = this.entries.get(handle);
    if (!entry || entry.kind !== kind)
      throw new Error(`webgpu glue: handle ${handle} is ${entry ? `a ${entry.kind}` : 'not live'}, expected a ${kind}`);
    return entry;
  }
  get(handle, kind) {
    return this.entry(handle, kind).object;
  }
  release(handle) {
    const entry = this.entries.get(handle);
    this.entries.delete(handle);
    return entry;
  }
}

/** Promises of async calls by future id; each settles once and delivers its callback once. */
class Futures {
  constructor() {
    this.pending = new Map();
    this.next = 1n;
  }
  add(promise, mode, deliver) {
    const future = { id: this.next++, mode, settled: false, outcome: null, deliver };
    future.done = Promise.resolve(promise).then(
      (value) => ({ ok: true, value }),
      (error) => ({ ok: false, error }),
    ).then((outcome) => {
      future.settled = true;
      future.outcome = outcome;
      if (mode === CALLBACK_MODE.AllowSpontaneous) this.fire(future);
    });
    this.pending.set(future.id, future);
    return future.id;
  }
  fire(future) {
    if (this.pending.delete(future.id)) future.deliver(future.outcome);
  }
  settled(mode) {
    return [...this.pending.values()].filter((f) => f.settled && f.mode === mode);
  }
}

// ------------------------------------------------------------------ helpers

function errorType(error) {
  if (!error) return ERROR_TYPE.NoError;
  switch (error.constructor?.name) {
    case 'GPUValidationError': return ERROR_TYPE.Validation;
    case 'GPUOutOfMemoryError': return ERROR_TYPE.OutOfMemory;
    case 'GPUInternalError': return ERROR_TYPE.Internal;
    default: return ERROR_TYPE.Unknown;
  }
}

const utf8Length = (text) => new TextEncoder().encode(text).length;

/**
 * JS reports compilation message positions in UTF-16 code units; webgpu.h in bytes of the
 * UTF-8 source. Identical for ASCII, which is checked first to skip the work.
 */
function bytePositions(code, message) {
  const { lineNum, linePos, offset, length } = message;
  if (!code || /^[\x00-\x7f]*$/.test(code)) return { lineNum, linePos, offset, length };
  const lineStart = offset - (linePos - 1);
  return {
    lineNum,
    linePos: utf8Length(code.slice(lineStart, offset)) + 1,
    offset: utf8Length(code.slice(0, offset)),
    length: utf8Length(code.slice(offset, offset + length)),
  };
}

function deadline(timeoutNS) {
  const ms = Number(timeoutNS) / 1e6;
  let timer;
  const promise = new Promise((resolve) => {
    if (ms < 2 ** 31 - 1) timer = setTimeout(resolve, ms);
  });
  return { promise, cancel: () => clearTimeout(timer) };
}

// ------------------------------------------------------------------ the glue

export class WebGPUGlue {
  /** @param {{gpu?: GPU, memory?: LinearMemory, log?: (text) => void}} options */
  constructor({ gpu = globalThis.navigator?.gpu, memory = new LinearMemory(), log = console.warn } = {}) {
    this.gpu = gpu;
    this.mem = memory;
    this.log = log;
    this.handles = new Handles();
    this.futures = new Futures();
    this.counters = { calls: 0, bytes_in: 0, bytes_out: 0, waits: 0 };
    this.callsByFunction = {};
  }

  /** Call after instantiation: callbacks go through the module's indirect function table. */
  attach(instance) {
    this.mem.attach(instance.exports);
    this.table = instance.exports.__indirect_function_table;
  }

  /** A copy of the counters, for differences around a piece of work. */
  snapshot() {
    return { ...this.counters };
  }

  /** The "webgpu" import module: every function counted, the wait suspending through JSPI. */
  imports() {
    const module = {};
    for (const name of Object.keys(SIGNATURES)) {
      if (typeof this[name] !== 'function') throw new Error(`webgpu glue: ${name} is not implemented`);
      module[name] = this.counted(name, this[name].bind(this));
    }
    module.wgpuInstanceWaitAny = new WebAssembly.Suspending(module.wgpuInstanceWaitAny);
    return { webgpu: module };
  }

  // i32 arguments arrive as signed numbers; every i32 of these prototypes is unsigned
  // (handles, pointers, enums, uint32_t, size_t), so pointers past 2 GiB stay positive.
  counted(name, fn) {
    this.callsByFunction[name] = 0;
    return (...args) => {
      this.counters.calls++;
      this.callsByFunction[name]++;
      for (let i = 0; i < args.length; i++) if (typeof args[i] === 'number') args[i] >>>= 0;
      return fn(...args);
    };
  }

  // ---------------------------------------------------------------- callbacks

  readCallbackInfo(ptr) {
    const C = L.BufferMapCallbackInfo;
    return { mode: this.mem.u32(ptr + C.mode), callback: this.mem.u32(ptr + C.callback),
             userdata1: this.mem.u32(ptr + C.userdata1), userdata2: this.mem.u32(ptr + C.userdata2) };
  }

  /** Calls a C callback whose arguments are (...before, WGPUStringView message, userdata1, userdata2). */
  invoke(info, before, message) {
    if (!info.callback) return;
    const view = this.mem.malloc(SIZE.StringView);
    const text = this.mem.setStringView(view, message);
    try {
      this.table.get(info.callback)(...before, view, info.userdata1, info.userdata2);
    } finally {
      this.mem.free(text);
      this.mem.free(view);
    }
  }

  /** Registers `promise` as a future whose callback `deliver(outcome, info)` runs when waited for. */
  future(promise, infoPtr, deliver) {
    const info = this.readCallbackInfo(infoPtr);
    return this.futures.add(promise, info.mode, (outcome) => deliver(outcome, info));
  }

  // ---------------------------------------------------------------- instance

  wgpuCreateInstance() {
    return this.gpu ? this.handles.add('instance', this.gpu) : 0;
  }

  wgpuInstanceRelease(handle) {
    this.handles.release(handle);
  }

  wgpuInstanceProcessEvents() {
    for (const f of this.futures.settled(CALLBACK_MODE.AllowProcessEvents)) this.futures.fire(f);
  }

  readAdapterOptions(ptr) {
    if (!ptr) return {};
    const O = L.RequestAdapterOptions;
    return { powerPreference: POWER_PREFERENCES[this.mem.u32(ptr + O.powerPreference)],
             forceFallbackAdapter: this.mem.u32(ptr + O.forceFallbackAdapter) !== 0 };
  }

  wgpuInstanceRequestAdapter(instance, optionsPtr, infoPtr) {
    const gpu = this.handles.get(instance, 'instance');
    return this.future(gpu.requestAdapter(this.readAdapterOptions(optionsPtr)), infoPtr, (outcome, info) => {
      if (outcome.ok && outcome.value) {
        const adapter = this.handles.add('adapter', outcome.value);
        this.invoke(info, [REQUEST_ADAPTER.Success, adapter], '');
      } else if (outcome.ok) {
        this.invoke(info, [REQUEST_ADAPTER.Unavailable, 0], 'navigator.gpu.requestAdapter() returned null');
      } else {
        this.invoke(info, [REQUEST_ADAPTER.Error, 0], String(outcome.error?.message ?? outcome.error));
      }
    });
  }

  /**
   * Blocks the C caller until one of the futures completes or the timeout passes: an async
   * function imported through WebAssembly.Suspending, so awaiting here suspends the wasm stack
   * and returns control to the browser's event loop, which is what completes GPU work.
   */
  async wgpuInstanceWaitAny(instance, count, infosPtr, timeoutNS) {
    this.counters.waits++;
    const F = L.FutureWaitInfo, stride = SIZE.FutureWaitInfo;
    const ids = Array.from({ length: count }, (_, i) => this.mem.u64(infosPtr + i * stride + F.future));
    const futures = ids.map((id) => this.futures.pending.get(id));
    const waiting = futures.filter((f) => f && !f.settled);
    if (count > 0 && waiting.length === count) {
      if (timeoutNS === 0n) return WAIT.TimedOut;
      const timer = deadline(timeoutNS);
      await Promise.race([...waiting.map((f) => f.done), timer.promise]);
      timer.cancel();
    }
    let completed = false;
    futures.forEach((f, i) => {
      if (f && !f.settled) return;
      if (f) this.futures.fire(f);
      this.mem.setU32(infosPtr + i * stride + F.completed, 1);
      completed = true;
    });
    return completed ? WAIT.Success : WAIT.TimedOut;
  }

  // ---------------------------------------------------------------- adapter

  // Chromium's GPUAdapterInfo.device is the PCI device id ("0xc0de") and .description the
  // name; Dawn's C API puts the name in `device` and the driver in `description`. The C side
  // gets Dawn's arrangement, so results name the adapter as the native rows do.
  wgpuAdapterGetInfo(adapterHandle, ptr) {
    const info = this.handles.get(adapterHandle, 'adapter').info;
    const A = L.AdapterInfo;
    this.mem.setStringView(ptr + A.vendor, info.vendor);
    this.mem.setStringView(ptr + A.architecture, info.architecture);
    this.mem.setStringView(ptr + A.device, info.description || info.device);
    this.mem.setStringView(ptr + A.description, info.driver ?? info.description);
    this.mem.setU32(ptr + A.backendType, BACKEND_WEBGPU);
    this.mem.setU32(ptr + A.adapterType, info.type === 'CPU' || info.isFallbackAdapter ? ADAPTER_TYPE.CPU : ADAPTER_TYPE.Unknown);
    this.mem.setU32(ptr + A.vendorID, 0);
    this.mem.setU32(ptr + A.deviceID, /^0x[0-9a-f]+$/i.test(info.device) ? parseInt(info.device, 16) : 0);
    this.mem.setU32(ptr + A.subgroupMinSize, info.subgroupMinSize ?? 0);
    this.mem.setU32(ptr + A.subgroupMaxSize, info.subgroupMaxSize ?? 0);
    return STATUS_SUCCESS;
  }

  wgpuAdapterInfoFreeMembers(ptr) {
    const A = L.AdapterInfo;
    for (const field of [A.vendor, A.architecture, A.device, A.description]) this.mem.free(this.mem.u32(ptr + field));
  }

  writeLimits(ptr, limits) {
    for (const [name, type] of LIMIT_FIELDS) {
      const value = limits[name];
      if (value === undefined) continue;
      const at = ptr + L.Limits[name];
      if (type === 'u64') this.mem.setU64(at, value);
      else this.mem.setU32(at, value);
    }
    return STATUS_SUCCESS;
  }

  /** A WGPULimits as requiredLimits: the fields that are set and that this browser knows. */
  readLimits(ptr, supported) {
    const limits = {};
    for (const [name, type] of LIMIT_FIELDS) {
      const at = ptr + L.Limits[name];
      const value = type === 'u64' ? this.mem.u64(at) : this.mem.u32(at);
      if (value === UINT64_MAX || value === UINT32_MAX || !(name in supported)) continue;
      limits[name] = Number(value);
    }
    return limits;
  }

  wgpuAdapterGetLimits(adapter, ptr) {
    return this.writeLimits(ptr, this.handles.get(adapter, 'adapter').limits);
  }

  wgpuAdapterHasFeature(adapter, feature) {
    return this.handles.get(adapter, 'adapter').features.has(featureName(feature)) ? 1 : 0;
  }

  wgpuAdapterGetFeatures(adapter, ptr) {
    const values = [...this.handles.get(adapter, 'adapter').features].map(featureValue).filter((v) => v > 0);
    const array = this.mem.malloc(4 * values.length);
    values.forEach((v, i) => this.mem.setU32(array + 4 * i, v));
    this.mem.setU32(ptr + L.SupportedFeatures.featureCount, values.length);
    this.mem.setU32(ptr + L.SupportedFeatures.features, array);
  }

  wgpuSupportedFeaturesFreeMembers(ptr) {
    this.mem.free(this.mem.u32(ptr + L.SupportedFeatures.features));
  }

  wgpuAdapterRelease(handle) {
    this.handles.release(handle);
  }

  // ---------------------------------------------------------------- device

  readDeviceDescriptor(ptr, adapter) {
    const D = L.DeviceDescriptor;
    const featureCount = this.mem.u32(ptr + D.requiredFeatureCount);
    const features = this.mem.u32(ptr + D.requiredFeatures);
    const limits = this.mem.u32(ptr + D.requiredLimits);
    const uncaptured = ptr + D.uncapturedErrorCallbackInfo, U = L.UncapturedErrorCallbackInfo;
    return {
      request: {
        label: this.mem.stringView(ptr + D.label),
        requiredFeatures: Array.from({ length: featureCount }, (_, i) => featureName(this.mem.u32(features + 4 * i))),
        requiredLimits: limits ? this.readLimits(limits, adapter.limits) : {},
      },
      lost: this.readCallbackInfo(ptr + D.deviceLostCallbackInfo),
      uncaptured: { callback: this.mem.u32(uncaptured + U.callback), userdata1: this.mem.u32(uncaptured + U.userdata1),
                    userdata2: this.mem.u32(uncaptured + U.userdata2) },
    };
  }

  wgpuAdapterRequestDevice(adapterHandle, descPtr, infoPtr) {
    const adapter = this.handles.get(adapterHandle, 'adapter');
    const desc = descPtr ? this.readDeviceDescriptor(descPtr, adapter)
                         : { request: {}, lost: { callback: 0 }, uncaptured: { callback: 0 } };
    return this.future(adapter.requestDevice(desc.request), infoPtr, (outcome, info) => {
      if (!outcome.ok) return this.invoke(info, [REQUEST_DEVICE.Error, 0], String(outcome.error?.message ?? outcome.error));
      const handle = this.addDevice(outcome.value, desc);
      this.invoke(info, [REQUEST_DEVICE.Success, handle], '');
    });
  }

  // The lost and uncaptured-error callbacks take `WGPUDevice const *`: the handle lives in a
  // malloc'd word for the device's lifetime. Both fire spontaneously, as the library asks.
  addDevice(device, desc) {
    const self = this.mem.malloc(4);
    const handle = this.handles.add('device', device, { self, released: false });
    this.mem.setU32(self, handle);
    const state = this.handles.entry(handle, 'device').state;
    device.onuncapturederror = (event) => {
      if (!state.released) this.invoke(desc.uncaptured, [self, errorType(event.error)], event.error?.message ?? '');
    };
    device.lost.then((info) => {
      const reason = info.reason === 'destroyed' ? DEVICE_LOST.Destroyed : DEVICE_LOST.Unknown;
      if (!state.released) this.invoke(desc.lost, [self, reason], info.message ?? '');
    });
    return handle;
  }

  wgpuDeviceGetQueue(device) {
    return this.handles.add('queue', this.handles.get(device, 'device').queue);
  }

  wgpuDeviceGetLimits(device, ptr) {
    return this.writeLimits(ptr, this.handles.get(device, 'device').limits);
  }

  wgpuDevicePushErrorScope(device, filter) {
    this.handles.get(device, 'device').pushErrorScope(ERROR_FILTERS[filter]);
  }

  wgpuDevicePopErrorScope(device, infoPtr) {
    return this.future(this.handles.get(device, 'device').popErrorScope(), infoPtr, (outcome, info) => {
      if (!outcome.ok) return this.invoke(info, [POP_ERROR_SCOPE.Error, ERROR_TYPE.NoError], String(outcome.error?.message));
      this.invoke(info, [POP_ERROR_SCOPE.Success, errorType(outcome.value)], outcome.value?.message ?? '');
    });
  }

  wgpuDeviceDestroy(device) {
    this.handles.get(device, 'device').destroy();
  }

  wgpuDeviceRelease(handle) {
    const entry = this.handles.release(handle);
    entry.state.released = true;
    this.mem.free(entry.state.self);
  }

  // ---------------------------------------------------------------- buffers

  wgpuDeviceCreateBuffer(device, ptr) {
    const B = L.BufferDescriptor;
    const desc = { label: this.mem.stringView(ptr + B.label), usage: Number(this.mem.u64(ptr + B.usage)),
                   size: Number(this.mem.u64(ptr + B.size)), mappedAtCreation: this.mem.u32(ptr + B.mappedAtCreation) !== 0 };
    let buffer;
    try {
      buffer = this.handles.get(device, 'device').createBuffer(desc);
    } catch (e) {
      // mappedAtCreation throws (RangeError) where webgpu.h returns NULL.
      this.log(`webgpu glue: createBuffer(${desc.size} bytes) failed: ${e.message}`);
      return 0;
    }
    return this.handles.add('buffer', buffer, { mapMode: desc.mappedAtCreation ? MAP_WRITE : 0, ranges: [] });
  }

  wgpuBufferMapAsync(handle, mode, offset, size, infoPtr) {
    const entry = this.handles.entry(handle, 'buffer');
    const mapMode = Number(mode);
    const promise = entry.object.mapAsync(mapMode, offset, size === SIZE_MAX ? undefined : size);
    return this.future(promise, infoPtr, (outcome, info) => {
      if (outcome.ok) {
        entry.state.mapMode = mapMode;
        return this.invoke(info, [MAP_ASYNC.Success], '');
      }
      const status = outcome.error?.name === 'AbortError' ? MAP_ASYNC.Aborted : MAP_ASYNC.Error;
      this.invoke(info, [status], String(outcome.error?.message ?? outcome.error));
    });
  }

  // The mapped ArrayBuffer lives outside linear memory: C gets a malloc'd shadow, filled from
  // it for read mappings and copied back into it at unmap for write mappings. A write
  // mapping's shadow is not filled first; the library writes every byte it later copies.
  mappedRange(handle, offset, size) {
    const entry = this.handles.entry(handle, 'buffer');
    if (!entry.state.mapMode) return 0;
    let range;
    try {
      range = entry.object.getMappedRange(offset, size === SIZE_MAX ? undefined : size);
    } catch (e) {
      this.log(`webgpu glue: getMappedRange failed: ${e.message}`);
      return 0;
    }
    const ptr = this.mem.malloc(range.byteLength);
    if (entry.state.mapMode & MAP_READ) {
      this.mem.bytes(ptr, range.byteLength).set(new Uint8Array(range));
      this.counters.bytes_out += range.byteLength;
    }
    entry.state.ranges.push({ ptr, range });
    return ptr;
  }

  wgpuBufferGetMappedRange(handle, offset, size) {
    return this.mappedRange(handle, offset, size);
  }

  wgpuBufferGetConstMappedRange(handle, offset, size) {
    return this.mappedRange(handle, offset, size);
  }

  releaseRanges(state, copyBack) {
    for (const { ptr, range } of state.ranges) {
      if (copyBack) {
        new Uint8Array(range).set(this.mem.bytes(ptr, range.byteLength));
        this.counters.bytes_in += range.byteLength;
      }
      this.mem.free(ptr);
    }
    state.ranges = [];
  }

  wgpuBufferUnmap(handle) {
    const entry = this.handles.entry(handle, 'buffer');
    this.releaseRanges(entry.state, (entry.state.mapMode & MAP_WRITE) !== 0);
    entry.object.unmap();
    entry.state.mapMode = 0;
  }

  wgpuBufferDestroy(handle) {
    const entry = this.handles.entry(handle, 'buffer');
    this.releaseRanges(entry.state, false);
    entry.object.destroy();
    entry.state.mapMode = 0;
  }

  wgpuBufferRelease(handle) {
    const entry = this.handles.release(handle);
    this.releaseRanges(entry.state, false);
  }

  wgpuQueueWriteBuffer(queue, buffer, offset, data, size) {
    const target = this.handles.get(buffer, 'buffer');
    this.handles.get(queue, 'queue').writeBuffer(target, Number(offset), this.mem.buffer, data, size);
    this.counters.bytes_in += size;
  }

  // ---------------------------------------------------------------- shaders and pipelines

  /** The WGSL of a shader module descriptor's chain; SPIR-V cannot reach a browser. */
  wgslSource(chain) {
    for (let link = chain; link; link = this.mem.u32(link + L.ChainedStruct.next)) {
      if (this.mem.u32(link + L.ChainedStruct.sType) === STYPE_SHADER_SOURCE_WGSL)
        return this.mem.stringView(link + L.ShaderSourceWGSL.code);
    }
    throw new Error('webgpu glue: createShaderModule without a WGSL source (only WGSL reaches a browser)');
  }

  wgpuDeviceCreateShaderModule(device, ptr) {
    const code = this.wgslSource(this.mem.u32(ptr + L.ShaderModuleDescriptor.nextInChain));
    const label = this.mem.stringView(ptr + L.ShaderModuleDescriptor.label);
    const module = this.handles.get(device, 'device').createShaderModule({ label, code });
    return this.handles.add('shaderModule', module, { code });
  }

  wgpuShaderModuleGetCompilationInfo(handle, infoPtr) {
    const entry = this.handles.entry(handle, 'shaderModule');
    return this.future(entry.object.getCompilationInfo(), infoPtr, (outcome, info) => {
      if (!info.callback) return;
      if (!outcome.ok) {
        this.table.get(info.callback)(COMPILATION_INFO.CallbackCancelled, 0, info.userdata1, info.userdata2);
        return;
      }
      this.deliverCompilationInfo(outcome.value.messages, entry.state.code, info);
    });
  }

  /** Builds a WGPUCompilationInfo in linear memory for the duration of the callback. */
  deliverCompilationInfo(messages, code, info) {
    const M = L.CompilationMessage, stride = SIZE.CompilationMessage;
    const array = this.mem.malloc(stride * messages.length);
    const strings = messages.map((m, i) => {
      const at = array + i * stride;
      this.mem.zero(at, stride);
      const p = bytePositions(code, m);
      this.mem.setU32(at + M.type, MESSAGE_TYPES[m.type] ?? MESSAGE_TYPES.info);
      this.mem.setU64(at + M.lineNum, p.lineNum);
      this.mem.setU64(at + M.linePos, p.linePos);
      this.mem.setU64(at + M.offset, p.offset);
      this.mem.setU64(at + M.length, p.length);
      return this.mem.setStringView(at + M.message, m.message);
    });
    const compilation = this.mem.malloc(SIZE.CompilationInfo);
    this.mem.zero(compilation, SIZE.CompilationInfo);
    this.mem.setU32(compilation + L.CompilationInfo.messageCount, messages.length);
    this.mem.setU32(compilation + L.CompilationInfo.messages, array);
    try {
      this.table.get(info.callback)(COMPILATION_INFO.Success, compilation, info.userdata1, info.userdata2);
    } finally {
      strings.forEach((s) => this.mem.free(s));
      this.mem.free(array);
      this.mem.free(compilation);
    }
  }

  wgpuShaderModuleRelease(handle) {
    this.handles.release(handle);
  }

  readConstants(count, ptr) {
    const C = L.ConstantEntry, stride = SIZE.ConstantEntry;
    const constants = {};
    for (let i = 0; i < count; i++) constants[this.mem.stringView(ptr + i * stride + C.key)] = this.mem.f64(ptr + i * stride + C.value);
    return constants;
  }

  wgpuDeviceCreateComputePipeline(device, ptr) {
    const P = L.ComputePipelineDescriptor, S = L.ComputeState;
    const compute = ptr + P.compute;
    const layout = this.mem.u32(ptr + P.layout);
    const desc = {
      label: this.mem.stringView(ptr + P.label),
      layout: layout ? this.handles.get(layout, 'pipelineLayout') : 'auto',
      compute: {
        module: this.handles.get(this.mem.u32(compute + S.module), 'shaderModule'),
        entryPoint: this.mem.stringView(compute + S.entryPoint),
        constants: this.readConstants(this.mem.u32(compute + S.constantCount), this.mem.u32(compute + S.constants)),
      },
    };
    return this.handles.add('computePipeline', this.handles.get(device, 'device').createComputePipeline(desc));
  }

  wgpuComputePipelineGetBindGroupLayout(pipeline, index) {
    return this.handles.add('bindGroupLayout', this.handles.get(pipeline, 'computePipeline').getBindGroupLayout(index));
  }

  wgpuComputePipelineRelease(handle) { this.handles.release(handle); }
  wgpuBindGroupLayoutRelease(handle) { this.handles.release(handle); }
  wgpuBindGroupRelease(handle) { this.handles.release(handle); }

  readBindGroupEntry(ptr) {
    const E = L.BindGroupEntry;
    const buffer = this.mem.u32(ptr + E.buffer);
    if (!buffer) throw new Error('webgpu glue: bind group entries other than buffers are not supported');
    return { binding: this.mem.u32(ptr + E.binding),
             resource: { buffer: this.handles.get(buffer, 'buffer'), offset: this.mem.size64(ptr + E.offset) ?? 0,
                         size: this.mem.size64(ptr + E.size) } };
  }

  wgpuDeviceCreateBindGroup(device, ptr) {
    const G = L.BindGroupDescriptor;
    const entries = this.mem.u32(ptr + G.entries);
    const desc = {
      label: this.mem.stringView(ptr + G.label),
      layout: this.handles.get(this.mem.u32(ptr + G.layout), 'bindGroupLayout'),
      entries: Array.from({ length: this.mem.u32(ptr + G.entryCount) }, (_, i) => this.readBindGroupEntry(entries + i * SIZE.BindGroupEntry)),
    };
    return this.handles.add('bindGroup', this.handles.get(device, 'device').createBindGroup(desc));
  }

  wgpuDeviceCreateQuerySet(device, ptr) {
    const Q = L.QuerySetDescriptor;
    const desc = { label: this.mem.stringView(ptr + Q.label), type: QUERY_TYPES[this.mem.u32(ptr + Q.type)],
                   count: this.mem.u32(ptr + Q.count) };
    return this.handles.add('querySet', this.handles.get(device, 'device').createQuerySet(desc));
  }

  wgpuQuerySetRelease(handle) { this.handles.release(handle); }

  // ---------------------------------------------------------------- commands

  wgpuDeviceCreateCommandEncoder(device, ptr) {
    const desc = ptr ? { label: this.mem.stringView(ptr + L.CommandEncoderDescriptor.label) } : {};
    return this.handles.add('commandEncoder', this.handles.get(device, 'device').createCommandEncoder(desc));
  }

  readTimestampWrites(ptr) {
    const T = L.PassTimestampWrites;
    const index = (field) => {
      const value = this.mem.u32(ptr + field);
      return value === UINT32_MAX ? undefined : value;
    };
    return { querySet: this.handles.get(this.mem.u32(ptr + T.querySet), 'querySet'),
             beginningOfPassWriteIndex: index(T.beginningOfPassWriteIndex), endOfPassWriteIndex: index(T.endOfPassWriteIndex) };
  }

  wgpuCommandEncoderBeginComputePass(encoder, ptr) {
    const P = L.ComputePassDescriptor;
    const desc = {};
    if (ptr) {
      desc.label = this.mem.stringView(ptr + P.label);
      const writes = this.mem.u32(ptr + P.timestampWrites);
      if (writes) desc.timestampWrites = this.readTimestampWrites(writes);
    }
    return this.handles.add('computePass', this.handles.get(encoder, 'commandEncoder').beginComputePass(desc));
  }

  wgpuCommandEncoderCopyBufferToBuffer(encoder, source, sourceOffset, destination, destinationOffset, size) {
    this.handles.get(encoder, 'commandEncoder').copyBufferToBuffer(
      this.handles.get(source, 'buffer'), Number(sourceOffset), this.handles.get(destination, 'buffer'),
      Number(destinationOffset), size === UINT64_MAX ? undefined : Number(size));
  }

  wgpuCommandEncoderResolveQuerySet(encoder, querySet, first, count, destination, offset) {
    this.handles.get(encoder, 'commandEncoder').resolveQuerySet(
      this.handles.get(querySet, 'querySet'), first, count, this.handles.get(destination, 'buffer'), Number(offset));
  }

  wgpuCommandEncoderFinish(encoder, ptr) {
    const desc = ptr ? { label: this.mem.stringView(ptr + L.CommandBufferDescriptor.label) } : {};
    return this.handles.add('commandBuffer', this.handles.get(encoder, 'commandEncoder').finish(desc));
  }

  wgpuCommandEncoderRelease(handle) { this.handles.release(handle); }

  wgpuComputePassEncoderSetPipeline(pass, pipeline) {
    this.handles.get(pass, 'computePass').setPipeline(this.handles.get(pipeline, 'computePipeline'));
  }

  wgpuComputePassEncoderSetBindGroup(pass, index, group, offsetCount, offsets) {
    const dynamicOffsets = offsetCount ? Array.from(new Uint32Array(this.mem.buffer, offsets, offsetCount)) : [];
    this.handles.get(pass, 'computePass').setBindGroup(index, group ? this.handles.get(group, 'bindGroup') : null, dynamicOffsets);
  }

  wgpuComputePassEncoderDispatchWorkgroups(pass, x, y, z) {
    this.handles.get(pass, 'computePass').dispatchWorkgroups(x, y, z);
  }

  wgpuComputePassEncoderEnd(pass) {
    this.handles.get(pass, 'computePass').end();
  }

  wgpuComputePassEncoderRelease(handle) { this.handles.release(handle); }
  wgpuCommandBufferRelease(handle) { this.handles.release(handle); }

  // ---------------------------------------------------------------- queue

  wgpuQueueSubmit(queue, count, ptr) {
    const buffers = Array.from({ length: count }, (_, i) => this.handles.get(this.mem.u32(ptr + 4 * i), 'commandBuffer'));
    this.handles.get(queue, 'queue').submit(buffers);
  }

  wgpuQueueOnSubmittedWorkDone(queue, infoPtr) {
    return this.future(this.handles.get(queue, 'queue').onSubmittedWorkDone(), infoPtr, (outcome, info) => {
      if (outcome.ok) this.invoke(info, [QUEUE_WORK_DONE.Success], '');
      else this.invoke(info, [QUEUE_WORK_DONE.Error], String(outcome.error?.message ?? outcome.error));
    });
  }

  wgpuQueueRelease(handle) { this.handles.release(handle); }
}
