// The page side of the wasm32 row: runs one wgslrun CLI command (run, check, info, bench) in
// a fresh instance of build/wgslrun.wasm per call, with
//   - "webgpu": webgpu_glue.mjs over navigator.gpu, the wait suspending through JSPI;
//   - "wasi_snapshot_preview1": wasi_shim.mjs, with bench/ (suite.json and kernels) mounted at
//     /wgslrun/bench, the path the build gives the runner as its source directory;
//   - "wgslrun_host": job and timing-loop marks from glue_hooks.c, to attribute the glue's
//     call and byte counts to each benchmark result.
// The module runs one command per instance (main's globals start fresh), so each call
// instantiates anew; the compiled module is kept.
// Exposed as window.wgslrunWasm for run.mjs and the tests (through Playwright's evaluate).

import { MemoryFileSystem, Wasi, runCommand } from './wasi_shim.mjs';
import { WebGPUGlue } from './webgpu_glue.mjs';
import { requestGpuAdapter } from '../web/gpu.mjs';

const WASM_URL = '/wasm/build/wgslrun.wasm';
const BENCH_MOUNT = '/wgslrun/bench';

let compiled = null;
let benchFiles = null;

async function fetchBytes(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

/** suite.json and every kernel it names, fetched once: {relative path: bytes}. */
async function loadBenchFiles() {
  const suite = await fetchBytes('/suite.json');
  const kernels = new Set(JSON.parse(new TextDecoder().decode(suite)).cases.map((c) => c.kernel).filter(Boolean));
  const files = { 'suite.json': suite };
  for (const kernel of kernels) files[kernel] = await fetchBytes(`/${kernel}`);
  return files;
}

function toBase64(bytes) {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

function fromBase64(text) {
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}

/** The "wgslrun_host" imports: per-job differences of the glue's counters. */
class JobMarks {
  constructor(glue) {
    this.glue = glue;
    this.records = [];
    this.current = null;
  }
  attach(memory) {
    this.memory = memory;
  }
  static difference(after, before) {
    return Object.fromEntries(Object.keys(after).map((k) => [k, after[k] - before[k]]));
  }
  imports() {
    return {
      wgslrun_host: {
        job_begin: (labelPtr) => {
          this.current = { label: this.memory.cstring(labelPtr >>> 0), start: this.glue.snapshot() };
        },
        job_end: (verified) => {
          const job = this.current;
          this.records.push({ label: job.label, verified: verified !== 0,
                              glue: JobMarks.difference(this.glue.snapshot(), job.start), per_sample: job.perSample ?? null });
        },
        measure_begin: () => {
          this.current.measureStart = this.glue.snapshot();
        },
        measure_end: (samples) => {
          const total = JobMarks.difference(this.glue.snapshot(), this.current.measureStart);
          this.current.perSample = Object.fromEntries(Object.entries(total).map(([k, v]) => [k, v / samples]));
        },
      },
    };
  }
}

/** Forwards whole lines of the runner's stderr to the console, where run.mjs shows them live. */
function lineLogger() {
  let partial = '';
  return (text) => {
    const lines = (partial + text).split('\n');
    partial = lines.pop();
    for (const line of lines) console.log(line);
  };
}

function writtenFiles(fs) {
  const files = {};
  for (const path of fs.written) {
    const bytes = fs.readFile(path);
    if (bytes) files[path] = toBase64(bytes);
  }
  return files;
}

/**
 * Runs `wgslrun ...args` in a new instance.
 * @param {{args: string[], env?: Object, files?: Object<string, string>, binaryFiles?: Object<string, string>}} request
 *   files: text files to create (absolute paths); binaryFiles: the same in base64.
 * @returns {{exit_code, stdout, stderr, fatal, files: {path: base64}, glue}}
 */
async function run({ args, env = {}, files = {}, binaryFiles = {} }) {
  compiled ??= WebAssembly.compileStreaming(fetch(WASM_URL));
  benchFiles ??= loadBenchFiles();
  const fs = new MemoryFileSystem();
  for (const [path, bytes] of Object.entries(await benchFiles)) fs.writeFile(`${BENCH_MOUNT}/${path}`, bytes);
  for (const [path, text] of Object.entries(files)) fs.writeFile(path, text);
  for (const [path, text] of Object.entries(binaryFiles)) fs.writeFile(path, fromBase64(text));
  fs.written.clear();
  fs.dirs.add('/out');

  const glue = new WebGPUGlue({ gpu: navigator.gpu, log: (text) => console.warn(text) });
  const wasi = new Wasi({ args: ['wgslrun', ...args], env, fs, onStderr: lineLogger() });
  const marks = new JobMarks(glue);
  const instance = await WebAssembly.instantiate(await compiled, {
    ...glue.imports(), ...marks.imports(), wasi_snapshot_preview1: wasi.imports(),
  });
  wasi.attach(instance);
  glue.attach(instance);
  marks.attach(glue.mem);

  let exitCode, fatal = null;
  try {
    instance.exports._initialize(); // the reactor's constructors, once (reactor_main.c)
    exitCode = await runCommand(instance, WebAssembly.promising(instance.exports.wgslrun_main));
  } catch (e) {
    fatal = String(e?.stack ?? e);
    exitCode = 134; // as a native process killed by abort()
  }
  return {
    exit_code: exitCode, stdout: wasi.stdout.text, stderr: wasi.stderr.text, fatal, files: writtenFiles(fs),
    glue: { totals: glue.snapshot(), by_function: glue.callsByFunction, jobs: marks.records },
  };
}

/** What the browser offers, before any wasm runs. */
async function describe() {
  const adapter = await requestGpuAdapter(navigator.gpu); // the library's request, high-performance
  const info = {};
  for (const key in adapter?.info ?? {}) {
    const value = adapter.info[key];
    if (typeof value !== 'object' && typeof value !== 'function') info[key] = value;
  }
  return {
    user_agent: navigator.userAgent,
    cross_origin_isolated: globalThis.crossOriginIsolated === true,
    jspi: typeof WebAssembly.Suspending === 'function' && typeof WebAssembly.promising === 'function',
    webgpu: Boolean(navigator.gpu),
    adapter: adapter ? info : null,
    features: adapter ? [...adapter.features].sort() : [],
  };
}

window.wgslrunWasm = { run, describe };
