// Browser side of the WebGL2 row: one WebGL2 context, the cases of cases.mjs, and the spec's
// timing policy. run.mjs drives it through window.wgslrunWebgl2; results come back as the
// fields of a `wgslrun-result/1` entry that the page alone knows.

import { makeRng, hashString } from '/web/rng.mjs';
import { noiseIfDone, warmUp } from '/web/sampling.mjs';
import { CASES } from './cases.mjs';
import { metricValue, extraMetrics } from '/web/contract.mjs';
import { fence, checkError, releaseAll } from './gl.mjs';

let gl = null, timer = null, timing = null, seed = 1;

const summarize = (v) => {
  const s = [...v].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return { min: s[0], median: s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2, max: s[s.length - 1], count: s.length };
};

function openContext() {
  const canvas = document.createElement('canvas');
  const ctx = canvas.getContext('webgl2', { antialias: false, depth: false, stencil: false, powerPreference: 'high-performance' });
  if (!ctx) throw new Error('canvas.getContext("webgl2") returned null: no WebGL2');
  // Rendering to RGBA32F/R32F is what makes fragment GPGPU possible at all.
  if (!ctx.getExtension('EXT_color_buffer_float')) throw new Error('EXT_color_buffer_float is missing');
  return ctx;
}

function rendererInfo() {
  const dbg = gl.getExtension('WEBGL_debug_renderer_info');
  return {
    renderer: gl.getParameter(dbg ? dbg.UNMASKED_RENDERER_WEBGL : gl.RENDERER),
    vendor: gl.getParameter(dbg ? dbg.UNMASKED_VENDOR_WEBGL : gl.VENDOR),
    version: gl.getParameter(gl.VERSION),
    glsl: gl.getParameter(gl.SHADING_LANGUAGE_VERSION),
    max_texture_size: gl.getParameter(gl.MAX_TEXTURE_SIZE),
    debug_renderer_info: !!dbg,
  };
}

const nextTask = () => new Promise((r) => setTimeout(r, 0));

/** GPU ms of the work between begin and end, or null (no extension, disjoint, or never ready). */
async function queryMs(query) {
  const deadline = performance.now() + 5e3;
  // Query results become visible only between tasks, so this yields rather than spins.
  while (!gl.getQueryParameter(query, gl.QUERY_RESULT_AVAILABLE)) {
    if (performance.now() > deadline) return null;
    await nextTask();
  }
  const disjoint = gl.getParameter(timer.GPU_DISJOINT_EXT);
  const ns = gl.getQueryParameter(query, gl.QUERY_RESULT);
  return disjoint ? null : ns / 1e6;
}

/** One sample of a GPU case: `inner` runs back to back, fenced by a blocking 1-texel read. */
async function kernelSample(state, inner) {
  const query = timer ? gl.createQuery() : null;
  const t0 = performance.now();
  if (query) gl.beginQuery(timer.TIME_ELAPSED_EXT, query);
  for (let r = 0; r < inner; r++) state.run();
  if (query) gl.endQuery(timer.TIME_ELAPSED_EXT);
  fence(gl, state.output);
  const wall = performance.now() - t0;
  const gpu = query ? await queryMs(query) : null;
  if (query) gl.deleteQuery(query);
  return { wall: wall / inner, gpu: gpu == null ? null : gpu / inner };
}

// Warm-up, then timed samples until the suite's rule stops them (bench/web/sampling.mjs).
async function measure(state, inner) {
  const wall = [], gpu = [];
  const sample = async () => {
    const s = state.sample ? { wall: state.sample() / inner, gpu: null } : await kernelSample(state, inner);
    checkError(gl, 'timed sample');
    return s;
  };
  await warmUp(timing, sample);
  const t0 = performance.now();
  let noise = null;
  while (!noise) {
    const s = await sample();
    wall.push(s.wall);
    gpu.push(s.gpu);
    noise = noiseIfDone(timing, gpu.every((g) => g != null) ? gpu : wall, (performance.now() - t0) / 1e3);
  }
  // GPU time counts only when every sample had one; a mix would compare unlike clocks.
  return { wall: summarize(wall), gpu: gpu.every((g) => g != null) ? summarize(gpu) : null, noise };
}

function timed(unit, state, { wall, gpu, noise }) {
  const time = gpu ?? wall;
  const outputSum = state.outputSum ?? 0;
  const out = { timing: gpu ? 'gpu' : 'wall', time_ms: time, wall_ms: wall, gpu_ms: gpu, noise,
    metric_value: metricValue(unit.def.metric, unit.params, time.median, outputSum) };
  const extra = extraMetrics(unit.def, unit.params, time.median, outputSum);
  if (extra) out.extra_metrics = extra;
  return out;
}

async function runUnit(unit) {
  const impl = CASES[unit.id];
  // A case or variant of the suite this runner lacks is a result saying so (bench/README.md).
  if (!impl) return { unsupported: `not implemented by the WebGL2 runner: case '${unit.id}'` };
  if (unit.variant != null && !impl.anyVariant && !(impl.variants ?? []).includes(unit.variant)) {
    return { unsupported: `not implemented by the WebGL2 runner: variant '${unit.id}/${unit.variant}'` };
  }
  const ctx = { gl, rng: makeRng((seed ^ hashString(unit.key)) >>> 0), maxTexture: gl.getParameter(gl.MAX_TEXTURE_SIZE) };
  const state = impl.setup(ctx, unit);
  if (state.unsupported) return { unsupported: state.unsupported };
  checkError(gl, 'setup');
  const check = state.verify();
  checkError(gl, 'verification run');
  const maxError = Number.isFinite(check.maxError) ? check.maxError : null;
  if (!check.ok) return { verified: false, max_error: maxError, error: `verification failed: ${check.bad} bad; ${check.detail}` };
  const times = await measure(state, unit.inner);
  return { verified: true, max_error: maxError, ...timed(unit, state, times) };
}

window.wgslrunWebgl2 = {
  /** Opens the context; returns what the result header needs. */
  init(args) {
    ({ timing, seed } = args);
    gl = openContext();
    timer = gl.getExtension('EXT_disjoint_timer_query_webgl2');
    return { ...rendererInfo(), timer_query: !!timer, cross_origin_isolated: self.crossOriginIsolated, user_agent: navigator.userAgent };
  },
  /** One unit → entry fields; a thrown error or a lost context is a failed case, not a crash. */
  async run(unit) {
    try {
      const out = await runUnit(unit);
      if (gl.isContextLost()) return { verified: false, error: 'WebGL context lost' };
      return out;
    } catch (e) {
      return { verified: false, error: gl.isContextLost() ? `WebGL context lost; ${e.message}` : e.message };
    } finally {
      releaseAll(gl);
    }
  },
};
