// The page side of the browser-rust-wasm row: fetches suite.json and the kernels it names
// (the wasm module has no file system), hands them to the Rust runner, and returns the result
// document. Exposed as window.wgslrunRustWasm for run.mjs and the tests.

import init, { runSuite, wgpuVersion } from './build/pkg/wgslrun_bench_rust_wasm.mjs';
import { requestGpuAdapter } from '../web/gpu.mjs';

let ready = null;

async function fetchText(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response.text();
}

/** suite.json (parsed) and {kernel path: WGSL source} for every kernel it names. */
async function loadInputs() {
  const suite = JSON.parse(await fetchText('/suite.json'));
  const paths = [...new Set(suite.cases.map((c) => c.kernel).filter(Boolean))];
  const sources = await Promise.all(paths.map((p) => fetchText(`/${p}`)));
  return { suite, kernels: Object.fromEntries(paths.map((p, i) => [p, sources[i]])) };
}

/** The adapter as the browser describes it (developer features add backend and driver). */
async function adapterInfo() {
  // Also readies the request wgpu makes (requestGpuAdapter says why that matters).
  const adapter = await requestGpuAdapter(navigator.gpu);
  if (!adapter) return null;
  const info = {};
  for (const key in adapter.info) {
    const value = adapter.info[key];
    if (typeof value !== 'object' && typeof value !== 'function') info[key] = value;
  }
  return { info, features: [...adapter.features].sort() };
}

async function describe() {
  ready ??= init();
  await ready;
  return {
    user_agent: navigator.userAgent,
    cross_origin_isolated: globalThis.crossOriginIsolated === true,
    webgpu: Boolean(navigator.gpu),
    adapter: await adapterInfo(),
    wgpu: wgpuVersion(),
  };
}

/**
 * Runs the suite. Resolves to {report} or {fatal} (the wasm instance died: a Rust panic, whose
 * message the panic hook has logged to the console, or a rejected run).
 * @param {{size?: string, filter?: string, seed?: number, command?: string}} options
 */
async function run(options = {}) {
  ready ??= init();
  await ready;
  const request = { ...(await loadInputs()), ...options };
  try {
    const text = await runSuite(JSON.stringify(request), (line) => console.log(line));
    return { report: JSON.parse(text), fatal: null };
  } catch (e) {
    return { report: null, fatal: String(e?.stack ?? e) };
  }
}

window.wgslrunRustWasm = { describe, run };
