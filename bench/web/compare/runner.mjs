// `wgslrun compare`'s runner for the JavaScript and WebAssembly methods. The C CLI writes a job
// file (cli/cmd_compare_inputs.c: the kernel, its bindings with their input files, the
// dispatch, per method its constants and workgroup size) and starts, per method, one of
//   node runner.mjs node|chromium|wasm JOB.json        deno run ... runner.mjs deno JOB.json
// which runs the job and writes each output as WORK_DIR/METHOD/NAME.npy, then prints one JSON
// object on stdout as `wgslrun run --json` does (impl, adapter, backend, wall_ms, gpu_ms).
//   node      dawn.node (npm "webgpu") in Node
//   deno      Deno's built-in WebGPU (wgpu)
//   chromium  execute.mjs in a page of headless Chromium (bench/web/chromium_flags.mjs)
//   wasm      `wgslrun run`, compiled to wasm32 (bench/wasm), in a page of the same Chromium
// Exit status 0 with the result, 3 when the method is not installed here (stdout:
// {"unavailable": reason}), 1 when it failed (the reason on stderr). The C side owns the time limit.

import fs from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { parseNpy, formatNpy, DTYPE_BYTES } from './npy.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const WEB_DIR = path.resolve(HERE, '..');
const EXIT_UNAVAILABLE = 3;

/** The method cannot run on this machine: not installed, no adapter, no JSPI. */
class Unavailable extends Error {}

const isDeno = typeof globalThis.Deno !== 'undefined';

/** The job for execute.mjs, with the input bytes (or, for a page, the URLs to fetch them from). */
function executeJob(job, method, inputOf) {
  const settings = job.methods[method];
  return {
    source: fs.readFileSync(job.kernel, 'utf8'),
    kernelName: path.basename(job.kernel),
    entry: job.entry,
    constants: settings.constants,
    workgroupSize: settings.workgroup_size,
    size: job.size,
    grid: job.grid,
    repeat: job.repeat,
    warmup: job.warmup,
    bindings: job.bindings.map((b) => ({ name: b.name, group: b.group, binding: b.binding, kind: b.kind, output: b.output, ...inputOf(b) })),
  };
}

/** An input's bytes: the payload of its .npy, or the raw literal values. */
function inputBytes(binding) {
  const bytes = new Uint8Array(fs.readFileSync(binding.input));
  return binding.values === null ? parseNpy(bytes, binding.input).data : bytes;
}

function writeOutputs(job, method, outputs) {
  const dir = path.join(job.work_dir, method);
  for (const b of job.bindings) {
    if (!b.output) continue;
    const bytes = outputs[b.name];
    if (!bytes) throw new Error(`no output ${b.name}`);
    const count = b.output.shape.reduce((a, n) => a * n, 1);
    fs.writeFileSync(path.join(dir, `${b.name}.npy`), formatNpy(b.output.dtype, b.output.shape, bytes.subarray(0, count * DTYPE_BYTES[b.output.dtype])));
  }
}

function report(result, implementation, versions) {
  return {
    impl: implementation, implementation, adapter: result.adapter, backend: result.backend, driver: result.driver,
    device_class: result.device_class, versions, grid: result.grid, wall_ms: result.wall_ms, gpu_ms: result.gpu_ms,
  };
}

// ---- node and deno ----------------------------------------------------------------------------

// As bench/web/host/worker.mjs: Vulkan pinned, timestamps whole, and the instance kept alive
// for the life of the process (dawn.node frees it under pending work otherwise).
const DAWN_OPTIONS = ['backend=vulkan', 'disable-dawn-features=timestamp_quantization'];
let dawnInstance = null;

async function runNode(job) {
  let webgpu;
  try {
    webgpu = await import('webgpu');
  } catch (e) {
    throw new Unavailable(`npm package "webgpu" (dawn.node) is not installed in ${WEB_DIR}/node_modules: ${e.message.split('\n')[0]}`);
  }
  Object.assign(globalThis, webgpu.globals);
  dawnInstance = webgpu.create(DAWN_OPTIONS);
  const version = JSON.parse(fs.readFileSync(path.join(WEB_DIR, 'node_modules', 'webgpu', 'package.json'), 'utf8')).version;
  const { runCompareJob } = await import('./execute.mjs');
  const result = await gpuJob(runCompareJob, dawnInstance, executeJob(job, 'node', (b) => ({ data: inputBytes(b) })));
  writeOutputs(job, 'node', result.outputs);
  result.backend ??= 'vulkan'; // pinned by DAWN_OPTIONS; dawn.node's adapter info names none
  return report(result, `dawn.node ${version}`, { 'dawn.node (npm webgpu)': version, node: process.version });
}

async function runDeno(job) {
  if (!globalThis.navigator?.gpu) throw new Unavailable(`deno ${Deno.version.deno} has no navigator.gpu`);
  const { runCompareJob } = await import('./execute.mjs');
  const result = await gpuJob(runCompareJob, navigator.gpu, executeJob(job, 'deno', (b) => ({ data: inputBytes(b) })));
  writeOutputs(job, 'deno', result.outputs);
  result.backend ??= process.env.DENO_WEBGPU_BACKEND || null;
  return report(result, `deno ${Deno.version.deno} (wgpu)`, { deno: Deno.version.deno, v8: Deno.version.v8 });
}

/** No adapter at all is a machine without the method, not a failure of the kernel. */
async function gpuJob(run, gpu, job) {
  try {
    return await run(gpu, job);
  } catch (e) {
    if (/requestAdapter returned null/.test(e.message)) throw new Unavailable(e.message);
    throw e;
  }
}

// ---- chromium and wasm ------------------------------------------------------------------------

async function playwright() {
  try {
    const module = await import('playwright-core');
    return module.chromium ?? module.default.chromium;
  } catch (e) {
    throw new Unavailable(`npm package "playwright-core" is not installed in ${WEB_DIR}/node_modules: ${e.message.split('\n')[0]}`);
  }
}

const toBase64 = (bytes) => Buffer.from(bytes).toString('base64');
const fromBase64 = (text) => new Uint8Array(Buffer.from(text, 'base64'));

async function runChromium(job) {
  const chromium = await playwright();
  const { serve } = await import('../serve.mjs');
  const { baseFlags, webgpuFlags, launchOptions } = await import('../chromium_flags.mjs');
  const { pageBroken } = await import('../jobs.mjs');
  const flags = [...baseFlags(), ...webgpuFlags()];
  const server = await serve({ '/web/': WEB_DIR, '/job/': job.work_dir });
  const browser = await chromium.launch(launchOptions(flags));
  try {
    const page = await browser.newPage();
    page.on('console', (m) => process.stderr.write(`[page] ${m.text()}\n`));
    await page.goto(`${server.url}/web/compare/page.html`);
    await page.waitForFunction(() => window.wgslrunCompare !== undefined);
    const pageJob = executeJob(job, 'chromium', (b) => ({ url: `/job/${path.relative(job.work_dir, b.input)}`, raw: b.values !== null }));
    const result = await Promise.race([page.evaluate((j) => window.wgslrunCompare.run(j), pageJob), pageBroken(page)]);
    if (result.unavailable) throw new Unavailable(result.unavailable);
    if (result.error) throw new Error(result.error);
    writeOutputs(job, 'chromium', Object.fromEntries(Object.entries(result.outputs).map(([k, v]) => [k, fromBase64(v)])));
    const version = browser.version();
    return { ...report(result, `chromium ${version}`, { chromium: version }), host_flags: flags };
  } finally {
    await browser.close();
    await server.close();
  }
}

/** The `wgslrun run` command line in the page: the kernel and inputs under /in, outputs under /out. */
function wasmArgs(job) {
  const args = ['run', `/in/${path.basename(job.kernel)}`, '--entry', job.entry];
  for (const b of job.bindings) args.push('--bind', `${b.target}=${b.values ?? `/in/inputs/${path.basename(b.input)}`}`);
  args.push(job.size ? '--size' : '--grid', job.size ? job.size_text : job.grid_text);
  for (const [name, value] of Object.entries(job.methods.wasm.constants)) args.push('--define', `${name}=${value}`);
  args.push('--repeat', String(job.repeat), '--warmup', String(job.warmup));
  for (const b of job.bindings) if (b.output) args.push('--out', `${b.target}=/out/${b.name}.npy`);
  args.push('--json');
  return args;
}

async function runWasm(job) {
  await playwright();
  const { openBrowser, fileBytes } = await import('../../wasm/browser.mjs');
  const browser = await openBrowser({ onLog: (line) => line && process.stderr.write(`${line}\n`) });
  try {
    const page = await browser.describe();
    if (!page.jspi) throw new Unavailable('this Chromium has no JSPI (WebAssembly.Suspending): wasm cannot wait on the GPU');
    if (!page.adapter) throw new Unavailable('Chromium offers no WebGPU adapter');
    const binaryFiles = { [`/in/${path.basename(job.kernel)}`]: toBase64(fs.readFileSync(job.kernel)) };
    for (const b of job.bindings) if (b.values === null) binaryFiles[`/in/inputs/${path.basename(b.input)}`] = toBase64(fs.readFileSync(b.input));
    const outcome = await Promise.race([browser.run({ args: wasmArgs(job), binaryFiles }), browser.broken]);
    if (outcome.fatal) throw new Error(`the wasm CLI died: ${outcome.fatal.split('\n')[0]}`);
    if (outcome.exit_code !== 0) throw new Error(`wgslrun run in wasm32 exited with ${outcome.exit_code}: ${outcome.stderr.trim()}`);
    const dir = path.join(job.work_dir, 'wasm');
    for (const b of job.bindings) {
      if (!b.output) continue;
      const bytes = fileBytes(outcome, `/out/${b.name}.npy`);
      if (!bytes) throw new Error(`the wasm CLI wrote no /out/${b.name}.npy`);
      fs.writeFileSync(path.join(dir, `${b.name}.npy`), bytes);
    }
    const run = JSON.parse(outcome.stdout);
    const implementation = `chromium ${browser.chromiumVersion} + wasm32`;
    // The wasm build's own adapter info says "webgpu"; the page's names the browser's backend.
    return { ...run, impl: implementation, implementation, backend: page.adapter.backend || run.backend || null,
             versions: { chromium: browser.chromiumVersion }, host_flags: browser.flags };
  } finally {
    await browser.close();
  }
}

// ---- main -------------------------------------------------------------------------------------

const METHODS = { node: runNode, deno: runDeno, chromium: runChromium, wasm: runWasm };

async function main() {
  const [method, jobPath] = process.argv.slice(2);
  if (!METHODS[method] || !jobPath) throw new Error(`usage: runner.mjs node|deno|chromium|wasm JOB.json (got ${process.argv.slice(2).join(' ')})`);
  if ((method === 'deno') !== isDeno) throw new Error(`method ${method} runs under ${method === 'deno' ? 'deno' : 'node'}`);
  const job = JSON.parse(fs.readFileSync(jobPath, 'utf8'));
  return METHODS[method](job);
}

main().then(
  (result) => {
    process.stdout.write(JSON.stringify(result) + '\n');
    dawnInstance = null;
    process.exit(0);
  },
  (e) => {
    if (e instanceof Unavailable) {
      process.stdout.write(JSON.stringify({ unavailable: e.message }) + '\n');
      process.exit(EXIT_UNAVAILABLE);
    }
    process.stderr.write(`${String(e?.message ?? e)}\n`);
    process.exit(1);
  },
);
