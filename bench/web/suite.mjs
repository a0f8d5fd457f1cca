// The wgslrun suite runner for any JavaScript WebGPU host (Node + dawn.node, Deno, a browser).
// It takes the suite JSON, a way to load kernel text and a `navigator.gpu`-like object, and
// produces `wgslrun-result/1` (bench/README.md). It imports nothing host-specific.
//
//   const runner = await createRunner({ suite, size, loadText, gpu });
//   for (const unit of listUnits(suite, size)) results.push(await runner.run(unit.key));
//
// or `runSuite(...)` for the whole thing at once.

import { CASES } from './cases.mjs';
import { makeRng, hashString } from './rng.mjs';
import { noiseIfDone, warmUp } from './sampling.mjs';
import { metricValue, extraMetrics } from './contract.mjs';
import {
  PassTimer, withErrorScopes, bindGroupLayout, compilationErrors, requestGpuAdapter,
} from './gpu.mjs';

export const SCHEMA = 'wgslrun-result/1';

// ---- units: one result each -------------------------------------------------------------------

/** Key of a unit: "copy", "dispatch/one_pass", "transfer/upload/1048576". */
function unitKey(id, variant, params) {
  if (id === 'transfer') return `${id}/${variant}/${params.bytes}`;
  return variant ? `${id}/${variant}` : id;
}

/**
 * A host's own parameters for one variant (suite.json `cases[].host_sizes.HOST.SIZE.VARIANT`):
 * Deno's waits sleep 10 ms between polls, so it measures round trips with fewer of them. The
 * result records them in `params`, as every parameter.
 */
function hostParams(def, size, host, variant) {
  return (host && def.host_sizes?.[host]?.[size]?.[variant ?? '']) || null;
}

/**
 * Every result the suite asks for at `size` on `host` ("node", "deno", "chromium"; null: the
 * suite's own sizes), in suite order, optionally filtered by a RegExp.
 */
export function listUnits(suite, size, filter = null, host = null) {
  const units = [];
  for (const def of suite.cases) {
    const sizeParams = def.sizes[size];
    if (!sizeParams) throw new Error(`case ${def.id} has no size ${size}`);
    const impl = CASES[def.id];
    // A case this runner lacks still lists a unit per variant, each reported unsupported.
    const parts = impl?.units ? impl.units(def, sizeParams)
      : (def.variants ?? [null]).map((variant) => ({ variant, params: { ...sizeParams } }));
    for (const part of parts) {
      const { variant } = part;
      const params = { ...part.params, ...hostParams(def, size, host, variant) };
      const key = unitKey(def.id, variant, params);
      // --filter is searched in the result's name, "id" or "id/variant", as in every runner.
      if (!filter || new RegExp(filter).test(variant ? `${def.id}/${variant}` : def.id)) {
        units.push({ key, def, variant, params });
      }
    }
  }
  return units;
}

// ---- statistics and result entries ------------------------------------------------------------

export function summarize(values) {
  if (!values || !values.length || values.some((v) => v == null || !Number.isFinite(v))) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { min: sorted[0], median, max: sorted[sorted.length - 1], count: sorted.length };
}

/** A result's metric: what suite.json says it is, without the suite's counting rule. */
function metricHeader({ name, unit, better }) {
  return { name, unit, better, value: null };
}

function baseEntry(unit) {
  return {
    case: unit.def.id,
    class: unit.def.class,
    variant: unit.variant,
    params: unit.params,
    verified: null,
    max_error: null,
    error: null,
    timing: null,
    time_ms: null,
    wall_ms: null,
    gpu_ms: null,
    metric: metricHeader(unit.def.metric),
  };
}

/** A case the process could not finish: what the parent records when a host dies mid-case. */
export function failedEntry(unit, error) {
  return { ...baseEntry(unit), verified: false, error };
}

/**
 * Why this runner cannot run the unit, or null: a case or variant of the suite it does not
 * implement is an unsupported result, never a throw or a silent drop (bench/README.md).
 */
export function notImplemented(unit, impl) {
  if (!impl) return `not implemented by the JS runner: case '${unit.def.id}'`;
  if (unit.variant != null && !(impl.variants ?? []).includes(unit.variant)) {
    return `not implemented by the JS runner: variant '${unit.def.id}/${unit.variant}'`;
  }
  return null;
}

function unsupportedEntry(unit, reason) {
  return { ...baseEntry(unit), unsupported: reason };
}

function finiteOrNull(x) {
  return Number.isFinite(x) ? x : null;
}

// ---- devices ----------------------------------------------------------------------------------

// Large sizes need buffers past WebGPU's default limits (256 MiB buffers bound whole); a
// benchmark asks for what the adapter offers instead of splitting buffers.
const RAISED_LIMITS = ['maxBufferSize', 'maxStorageBufferBindingSize', 'maxComputeWorkgroupStorageSize'];

/** A device with the adapter's raised limits and, where offered, timestamp queries. */
export async function openDevice(gpu) {
  const adapter = await requestGpuAdapter(gpu);
  if (!adapter) throw new Error('requestAdapter returned null: no WebGPU adapter');
  const timestamps = adapter.features.has('timestamp-query');
  const requiredLimits = Object.fromEntries(RAISED_LIMITS.map((k) => [k, adapter.limits[k]]));
  const device = await adapter.requestDevice({
    requiredFeatures: timestamps ? ['timestamp-query'] : [],
    requiredLimits,
  });
  const state = { adapter, device, timestamps, lost: null };
  device.lost.then((info) => { state.lost = `device lost (${info.reason}): ${info.message}`; });
  return state;
}

/** GPUAdapterInfo as a plain object (its fields are prototype getters, invisible to JSON). */
export function plainInfo(adapter) {
  const out = {};
  const info = adapter.info ?? {};
  for (const key in info) {
    const v = info[key];
    if (v == null || typeof v === 'function' || typeof v === 'object') continue;
    out[key] = v;
  }
  if (adapter.isFallbackAdapter !== undefined) out.isFallbackAdapter ??= adapter.isFallbackAdapter;
  return out;
}

const SOFTWARE = /swiftshader|llvmpipe|lavapipe|softpipe|software|warp|basic render/i;

/** Header fields the adapter determines: adapter, backend, driver, device_class. */
export function describeAdapter(info, fallbackBackend = null) {
  // dawn.node puts the driver in `description` ("SwiftShader driver 5.0.0", "NVIDIA: 580.159.04
  // 580.159.4.0") and a sanitised device name in `device` ("swiftshader-device-subzero-",
  // "nvidia-h200"); the device name alone is what other runners report, up to that sanitising,
  // which the report's adapter comparison ignores.
  const driverLike = /driver|^[A-Za-z][\w ]*: [0-9]/i.test(info.description ?? '');
  const name = !driverLike && info.description
    ? info.description
    : info.device || [info.vendor, info.architecture].filter(Boolean).join(' ');
  const software = info.isFallbackAdapter === true || info.type === 'CPU'
    || SOFTWARE.test([info.vendor, info.architecture, info.device, info.description].join(' '));
  return {
    adapter: name || 'unknown',
    backend: info.backend ?? fallbackBackend,
    driver: info.driver ?? (driverLike ? info.description : null),
    device_class: software ? 'cpu' : 'gpu',
  };
}

// ---- the runner -------------------------------------------------------------------------------

/**
 * Creates a runner that gives each unit a WebGPU device of its own, as the job-by-job browser
 * rows do: on the H200 through Dawn, only the first one or two 256 MiB buffer pairs of a
 * device copied at full bandwidth and later ones at 0.39 of it, while a fresh device's first
 * pair was fast every time (bench/web/repro/copy-bandwidth.mjs, results/archive/h200-2026-12-01-03/README.md), so a
 * shared device made a unit's speed depend on the units before it. `loadText(path)` loads a file relative to the
 * bench/ directory (e.g. "kernels/stream.wgsl"). `seed` makes the random inputs reproducible;
 * each unit draws from its own stream so results do not depend on which units ran before.
 */
export async function createRunner({ suite, size, loadText, gpu, seed = 1, host = null, log = () => {} }) {
  const timing = suite.timing[size];
  if (!timing) throw new Error(`suite has no timing for size ${size}`);
  let dev = await openDevice(gpu);
  let modules = new Map();
  let unitsRun = 0;
  const units = new Map(listUnits(suite, size, null, host).map((u) => [u.key, u]));

  async function shaderModule(path) {
    if (!modules.has(path)) {
      modules.set(path, (async () => {
        const module = dev.device.createShaderModule({ label: path, code: await loadText(path) });
        const errors = await compilationErrors(module);
        if (errors) throw new Error(`${path} does not compile:\n${errors}`);
        return module;
      })());
    }
    return modules.get(path);
  }

  function context(unit) {
    const { device } = dev;
    return {
      device,
      rng: makeRng((seed ^ hashString(unit.key)) >>> 0),
      /** Pipelines for `entries` of one file sharing an explicit bind group layout. */
      async pipelines(path, entries, kinds) {
        const module = await shaderModule(path);
        const layout = bindGroupLayout(device, kinds, `${path} group 0`);
        const pipelineLayout = device.createPipelineLayout({ bindGroupLayouts: [layout] });
        const out = { layout };
        for (const entryPoint of entries) {
          out[entryPoint] = await device.createComputePipelineAsync({
            label: `${path}:${entryPoint}`, layout: pipelineLayout, compute: { module, entryPoint },
          });
        }
        return out;
      },
      /** One run of a kernel state in its own submission, waited for. */
      async runOnce(state) {
        const encoder = device.createCommandEncoder();
        const pass = encoder.beginComputePass();
        state.encode(pass);
        pass.end();
        device.queue.submit([encoder.finish()]);
        await device.queue.onSubmittedWorkDone();
      },
    };
  }

  /** One sample of a kernel case: `inner` runs in one pass, one submission. Times per run. */
  async function kernelSample(state, inner, timer) {
    const { device } = dev;
    const encoder = device.createCommandEncoder();
    const pass = encoder.beginComputePass(timer ? { timestampWrites: timer.timestampWrites } : {});
    for (let r = 0; r < inner; r++) state.encode(pass);
    pass.end();
    if (timer) timer.encodeResolve(encoder);
    const commands = encoder.finish();
    const t0 = performance.now();
    device.queue.submit([commands]);
    await device.queue.onSubmittedWorkDone();
    const wall = performance.now() - t0;
    const gpuMs = timer ? await timer.readMs() : null;
    return { wall: wall / inner, gpu: gpuMs == null ? null : gpuMs / inner };
  }

  async function measure(unit, state) {
    const inner = unit.def.inner?.[size] ?? 1;
    const hostTimed = typeof state.sample === 'function';
    const timer = !hostTimed && dev.timestamps ? new PassTimer(dev.device) : null;
    const wall = [], gpuTimes = [];
    const sample = async () => (hostTimed ? { wall: (await state.sample()) / inner, gpu: null }
      : kernelSample(state, inner, timer));
    let noise = null;
    try {
      await warmUp(timing, sample);
      const t0 = performance.now();
      while (!noise) {
        const s = await sample();
        wall.push(s.wall);
        gpuTimes.push(s.gpu);
        // The RSD is of the times the metric will use: GPU while every sample has GPU time.
        const used = timer && gpuTimes.every((g) => g != null && Number.isFinite(g)) ? gpuTimes : wall;
        noise = noiseIfDone(timing, used, (performance.now() - t0) / 1e3);
      }
    } finally {
      timer?.destroy();
    }
    return { wall: summarize(wall), gpu: timer ? summarize(gpuTimes) : null, noise };
  }

  async function runUnit(unit, impl) {
    const entry = baseEntry(unit);
    const ctx = context(unit);
    const state = await withErrorScopes(dev.device, () => impl.setup(ctx, unit));
    if (state.unsupported) return unsupportedEntry(unit, state.unsupported);
    try {
      const check = await withErrorScopes(dev.device, () => state.verify());
      entry.max_error = finiteOrNull(check.maxError);
      if (!check.ok) {
        return { ...entry, verified: false, error: `verification failed: ${check.bad} bad; ${check.detail}` };
      }
      entry.verified = true;
      const times = await withErrorScopes(dev.device, () => measure(unit, state));
      return withTimes(entry, unit, state, times);
    } finally {
      state.destroy();
    }
  }

  function withTimes(entry, unit, state, { wall, gpu, noise }) {
    const timeMs = gpu ?? wall;
    const out = { ...entry, timing: gpu ? 'gpu' : 'wall', time_ms: timeMs, wall_ms: wall, gpu_ms: gpu, noise };
    const outputSum = state.outputSum ?? 0;
    out.metric = { ...entry.metric, value: timeMs ? finiteOrNull(metricValue(unit.def.metric, unit.params, timeMs.median, outputSum)) : null };
    const extra = timeMs ? extraMetrics(unit.def, unit.params, timeMs.median, outputSum) : null;
    if (extra) out.extra_metrics = extra;
    return out;
  }

  return {
    adapterInfo: plainInfo(dev.adapter),
    timestamps: dev.timestamps,
    /** Runs one unit by key and returns its result entry; never throws for a case's failure. */
    async run(key) {
      const unit = units.get(key);
      if (!unit) throw new Error(`no unit ${key} at size ${size}`);
      const impl = CASES[unit.def.id];
      const missing = notImplemented(unit, impl);
      if (missing) return unsupportedEntry(unit, missing);
      if (dev.lost) log(`reopening the device after: ${dev.lost}`);
      if (dev.lost || unitsRun++ > 0) await reopen();
      const t0 = performance.now();
      let entry;
      try {
        entry = await runUnit(unit, impl);
      } catch (e) {
        entry = failedEntry(unit, dev.lost ? `${dev.lost}; ${errorText(e)}` : errorText(e));
      }
      if (dev.lost && entry.verified !== false) entry = failedEntry(unit, dev.lost);
      log(`${key}: ${describeEntry(entry)} (${((performance.now() - t0) / 1e3).toFixed(1)} s)`);
      return entry;
    },
    close() {
      dev.device.destroy();
    },
  };

  // Modules belong to their device, so a fresh device starts without them.
  async function reopen() {
    if (!dev.lost) dev.device.destroy();
    dev = await openDevice(gpu);
    modules = new Map();
  }
}

export function errorText(e) {
  return e instanceof Error ? e.message : String(e);
}

/** One-line summary of an entry for progress output. */
export function describeEntry(e) {
  if (e.unsupported) return `unsupported: ${e.unsupported}`;
  if (!e.verified) return `FAILED: ${e.error}`;
  const v = e.metric.value;
  const shown = v == null ? 'n/a' : v >= 100 ? v.toFixed(1) : v.toPrecision(4);
  return `verified, ${shown} ${e.metric.unit} (${e.timing}, median ${e.time_ms.median.toPrecision(4)} ms)`;
}

/**
 * Runs every unit (optionally filtered) and returns the whole `wgslrun-result/1` object.
 * `meta` supplies what only the host knows: method, implementation, versions, machine, command,
 * and `backend` when the adapter does not report one.
 */
export async function runSuite({ suite, size, loadText, gpu, seed = 1, filter = null, host = null, meta = {}, log, onResult }) {
  const runner = await createRunner({ suite, size, loadText, gpu, seed, host, log });
  const results = [];
  try {
    for (const unit of listUnits(suite, size, filter, host)) {
      const entry = await runner.run(unit.key);
      results.push(entry);
      onResult?.(entry);
    }
  } finally {
    runner.close();
  }
  return assembleResult({ meta, size, seed, adapterInfo: runner.adapterInfo, timestamps: runner.timestamps, results });
}

/** The result object from its parts; also used by the CLI when results come from child processes. */
export function assembleResult({ meta, size, seed, adapterInfo, timestamps, results }) {
  const { backend, ...rest } = meta;
  return {
    schema: SCHEMA,
    method: rest.method ?? null,
    implementation: rest.implementation ?? null,
    ...describeAdapter(adapterInfo ?? {}, backend ?? null),
    machine: rest.machine ?? null,
    versions: rest.versions ?? {},
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    command: rest.command ?? null,
    size,
    ...(rest.round != null ? { round: rest.round } : {}),
    seed,
    adapter_info: adapterInfo ?? null,
    timestamp_query: timestamps ?? null,
    ...(rest.extra ?? {}),
    results,
  };
}
