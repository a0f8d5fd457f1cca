// Host process for Node (dawn.node from npm "webgpu") and Deno (its built-in, wgpu-based
// navigator.gpu). Runs the units named in its job and streams results to run.mjs; a crash
// inside the WebGPU implementation kills only this process, and the parent records it.
//   node host/worker.mjs '<job json>'     deno run --allow-read host/worker.mjs '<job json>'

import { readFile } from 'node:fs/promises';
import path from 'node:path';
import process from 'node:process';
import { createRunner } from '../suite.mjs';
import { encodeEvent, decodeJob } from './protocol.mjs';

const isDeno = typeof globalThis.Deno !== 'undefined';

// dawn.node's adapters and devices do not keep the object returned by create() alive. If it is
// garbage-collected while a device still has work in flight, Dawn's instance is freed under a
// pending ProcessEvents and the process aborts (futex / mutex errors, SIGSEGV): the crash seen
// with 1M-element writeBuffer + dispatch, where the big typed arrays bring the GC in. See
// README.md and repro/dawn-node-instance-gc.mjs. So the instance is pinned here for the life of
// the process.
let dawnInstance = null;

// Pinning the backend makes the header's "backend" a fact rather than a guess. Dawn quantises
// timestamps to 4.096 µs by default (a browser's anti-fingerprinting measure); a benchmark wants
// them whole, as Chromium gives them with --enable-webgpu-developer-features.
const DAWN_OPTIONS = ['backend=vulkan', 'disable-dawn-features=timestamp_quantization'];

// Test hook: abort the process when this unit starts, to exercise run.mjs's crash handling.
const CRASH_ON = process.env.WGSLRUN_TEST_CRASH_ON || null;

function emit(event) {
  process.stdout.write(encodeEvent(event));
}

function log(line) {
  process.stderr.write(`[worker] ${line}\n`);
}

/** The WebGPU entry point and what the result header says about it. */
async function openHost() {
  if (isDeno) {
    return {
      gpu: navigator.gpu,
      implementation: `deno ${Deno.version.deno} (wgpu)`,
      versions: { deno: Deno.version.deno, v8: Deno.version.v8 },
      // Deno's adapter info names no backend; run.mjs pins it with DENO_WEBGPU_BACKEND.
      backend: process.env.DENO_WEBGPU_BACKEND || null,
      flags: process.env.DENO_WEBGPU_BACKEND ? [`DENO_WEBGPU_BACKEND=${process.env.DENO_WEBGPU_BACKEND}`] : [],
    };
  }
  const { create, globals } = await import('webgpu');
  Object.assign(globalThis, globals);
  const version = await dawnNodeVersion();
  dawnInstance = create(DAWN_OPTIONS);
  return {
    gpu: dawnInstance,
    implementation: `dawn.node ${version}`,
    versions: { 'dawn.node (npm webgpu)': version, node: process.version },
    backend: 'vulkan',
    flags: DAWN_OPTIONS,
  };
}

async function dawnNodeVersion() {
  const pkgPath = new URL('../node_modules/webgpu/package.json', import.meta.url);
  return JSON.parse(await readFile(pkgPath, 'utf8')).version;
}

async function main() {
  const job = decodeJob(process.argv[process.argv.length - 1]);
  const suite = JSON.parse(await readFile(path.join(job.benchDir, 'suite.json'), 'utf8'));
  const loadText = (rel) => readFile(path.join(job.benchDir, rel), 'utf8');
  const host = await openHost();
  const runner = await createRunner({
    suite, size: job.size, loadText, gpu: host.gpu, seed: job.seed, host: job.host ?? null, log,
  });
  emit({
    type: 'ready', adapter_info: runner.adapterInfo, timestamps: runner.timestamps,
    implementation: host.implementation, versions: host.versions, backend: host.backend,
    extra: { host_flags: host.flags },
  });
  for (const key of job.keys) {
    emit({ type: 'start', key });
    if (key === CRASH_ON) process.abort();
    const entry = await runner.run(key);
    emit({ type: 'result', key, entry });
  }
  runner.close();
  emit({ type: 'done' });
  dawnInstance = null;
}

main().then(
  () => process.exit(0), // dawn.node keeps the event loop alive while its instance exists
  (e) => {
    log(`fatal: ${e?.stack ?? e}`);
    process.exit(2);
  },
);
