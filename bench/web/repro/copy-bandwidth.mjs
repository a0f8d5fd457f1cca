// Why does the JavaScript runner's stream copy reach 0.4 of the C runner's bandwidth on the
// same GPU (results/archive/h200-2026-12-01-03/README.md, "Noticed")? Both submit the same kernel text, dispatch shape
// and 10 dispatches per timed pass; they differ in the order and the way buffers are filled.
// Each recipe below is a sequence of steps on fresh src and dst buffers; every `time` step
// times the copy kernel (GPU timestamps, 10 dispatches per pass, median of --samples).
//   write:B   queue.writeBuffer of the whole buffer (src random, dst 0xFF), as the JS runner
//   stage:B   one copyBufferToBuffer from a mapped MAP_WRITE buffer of the whole size
//   chunks:B  the same through 8 MiB pieces, as the C library uploads
//   bind      create the bind group (else the first `time` does)
//   run       one dispatch, waited for (the runners' verification run)
//   read:B    copy B to a MAP_READ buffer and map it (the runners' read-back)
//   time      time the kernel
//
//   node bench/web/repro/copy-bandwidth.mjs [--n VEC4S] [--samples N] [--keep] [--gap MIB] [--fresh-device] [--recipe NAME]...
//   deno run --allow-read --allow-env bench/web/repro/copy-bandwidth.mjs
// Prints one line per `time` step: GPU time per dispatch (median, min..max) and GB/s; the last
// step of each recipe checks that dst equals src. Exit status 1 when a copy is wrong.
// A recipe may be named more than once. Placement: --keep leaves each recipe's buffers alive
// until the end (else they are destroyed before the next recipe), and --gap allocates a spacer
// buffer of that many MiB between src and dst; --fresh-device gives each recipe a device of its
// own (the job-by-job browser rows do, the JS runner does not).

import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { fold1D, PassTimer, readBuffer } from '../gpu.mjs';
import { openDevice } from '../suite.mjs';

const KERNEL = new URL('../../kernels/stream.wgsl', import.meta.url);
const INNER = 10;
const WARMUP = 3;
const CHUNK = 8 << 20;

export const RECIPES = {
  'write-time': 'write:src write:dst time',
  'js-runner': 'bind write:src write:dst run read:dst time',
  'bind-write-time': 'bind write:src write:dst time',
  'write-run-time': 'write:src write:dst run time',
  'write-read-time': 'write:src write:dst read:dst time',
  'stage-time': 'stage:src stage:dst time',
  'chunks-time': 'chunks:src chunks:dst time',
  'c-runner': 'chunks:src chunks:dst bind run read:dst time',
  'unwritten-time': 'time',
  'src-only-time': 'write:src time',
  'dst-only-time': 'write:dst time',
  'rewrite': 'stage:src stage:dst time write:src time write:dst time',
};

function parseCli() {
  const { values } = parseArgs({
    options: {
      n: { type: 'string', default: String(16 * 1024 * 1024) },
      samples: { type: 'string', default: '10' },
      recipe: { type: 'string', multiple: true },
      keep: { type: 'boolean', default: false },
      gap: { type: 'string', default: '0' },
      'fresh-device': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(`usage: copy-bandwidth.mjs [--n VEC4S] [--samples N] [--keep] [--gap MIB] [--fresh-device] [--recipe NAME]...\nrecipes:\n${
      Object.entries(RECIPES).map(([k, v]) => `  ${k.padEnd(16)} ${v}`).join('\n')}`);
    process.exit(0);
  }
  const recipes = values.recipe ?? Object.keys(RECIPES);
  const unknown = recipes.filter((r) => !RECIPES[r]);
  if (unknown.length) {
    console.error(`copy-bandwidth: unknown recipe ${unknown.join(', ')} (--help lists them)`);
    process.exit(2);
  }
  const gapMiB = Number(values.gap);
  if (!(gapMiB >= 0)) {
    console.error(`copy-bandwidth: --gap must be a number of MiB, not '${values.gap}'`);
    process.exit(2);
  }
  return { n: Number(values.n), samples: Number(values.samples), recipes, keep: values.keep, gapBytes: gapMiB * 2 ** 20,
           freshDevice: values['fresh-device'] };
}

async function openGpu() {
  if (typeof globalThis.Deno !== 'undefined') return navigator.gpu;
  const { create, globals } = await import('webgpu');
  Object.assign(globalThis, globals);
  // Kept reachable for the life of the script (see dawn-node-instance-gc.mjs).
  globalThis.pinnedDawnInstance = create(['backend=vulkan', 'disable-dawn-features=timestamp_quantization']);
  return globalThis.pinnedDawnInstance;
}

/** The benchmark's device (bench/web/suite.mjs), which must offer timestamp queries. */
async function openTimedDevice(gpu) {
  const { adapter, device, timestamps } = await openDevice(gpu);
  if (!timestamps) throw new Error('the adapter offers no timestamp-query: the copy cannot be timed on the GPU');
  return { device, adapterName: adapter.info?.description || adapter.info?.device || 'unknown adapter' };
}

/** The state one recipe works on: fresh buffers, the pipeline and the pass timer. */
function createBench(device, pipeline, n, gapBytes) {
  const bytes = 16 * n;
  const usage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST | GPUBufferUsage.COPY_SRC;
  const src = device.createBuffer({ size: bytes, usage });
  const gap = gapBytes > 0 ? device.createBuffer({ size: Math.ceil(gapBytes / 4) * 4, usage }) : null;
  const bench = {
    device, pipeline, n, bytes, group: null, gap,
    buffers: { src, dst: device.createBuffer({ size: bytes, usage }) },
    params: device.createBuffer({ size: 16, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST }),
    timer: new PassTimer(device),
  };
  device.queue.writeBuffer(bench.params, 0, new Uint32Array([0x40400000, n, 0, 0]));
  return bench;
}

function destroyBench(bench) {
  for (const b of [bench.buffers.src, bench.buffers.dst, bench.gap, bench.params]) b?.destroy();
  bench.timer.destroy();
}

function contents(bench, name, source) {
  return name === 'src' ? source : new Uint8Array(bench.bytes).fill(0xff);
}

function submitCopy(device, from, fromOffset, to, toOffset, size) {
  const encoder = device.createCommandEncoder();
  encoder.copyBufferToBuffer(from, fromOffset, to, toOffset, size);
  device.queue.submit([encoder.finish()]);
}

function stageInto(device, buffer, data, chunk) {
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  for (let offset = 0; offset < bytes.length; offset += chunk) {
    const size = Math.min(chunk, bytes.length - offset);
    const staging = device.createBuffer({ size, usage: GPUBufferUsage.MAP_WRITE | GPUBufferUsage.COPY_SRC, mappedAtCreation: true });
    new Uint8Array(staging.getMappedRange()).set(bytes.subarray(offset, offset + size));
    staging.unmap();
    submitCopy(device, staging, 0, buffer, offset, size);
    staging.destroy();
  }
}

function ensureGroup(bench) {
  bench.group ??= bench.device.createBindGroup({
    layout: bench.pipeline.getBindGroupLayout(0),
    entries: [
      { binding: 0, resource: { buffer: bench.buffers.src } },
      { binding: 2, resource: { buffer: bench.buffers.dst } },
      { binding: 3, resource: { buffer: bench.params } },
    ],
  });
  return bench.group;
}

/** One submission of `dispatches` copies in one pass; the pass's GPU time in ms, or null untimed. */
async function submitKernel(bench, dispatches, timed) {
  const { device } = bench;
  const encoder = device.createCommandEncoder();
  const pass = encoder.beginComputePass(timed ? { timestampWrites: bench.timer.timestampWrites } : {});
  const grid = fold1D(Math.ceil(bench.n / 256));
  for (let r = 0; r < dispatches; r++) {
    pass.setPipeline(bench.pipeline);
    pass.setBindGroup(0, ensureGroup(bench));
    pass.dispatchWorkgroups(...grid);
  }
  pass.end();
  if (timed) bench.timer.encodeResolve(encoder);
  device.queue.submit([encoder.finish()]);
  if (!timed) return device.queue.onSubmittedWorkDone().then(() => null);
  const ms = await bench.timer.readMs();
  if (ms === null) throw new Error('the timestamps of a timed pass are unusable (end not after begin)');
  return ms;
}

async function timeKernel(bench, samples) {
  const times = [];
  for (let i = 0; i < WARMUP + samples; i++) {
    const ms = await submitKernel(bench, INNER, true);
    if (i >= WARMUP) times.push(ms / INNER);
  }
  times.sort((a, b) => a - b);
  return { ms: times[times.length >> 1], min: times[0], max: times[times.length - 1] };
}

async function runStep(bench, step, source) {
  const [action, name] = step.split(':');
  const buffer = bench.buffers[name];
  if (name && !buffer) throw new Error(`step ${step}: no buffer ${name}`);
  if (action === 'write') bench.device.queue.writeBuffer(buffer, 0, contents(bench, name, source));
  else if (action === 'stage') stageInto(bench.device, buffer, contents(bench, name, source), bench.bytes);
  else if (action === 'chunks') stageInto(bench.device, buffer, contents(bench, name, source), CHUNK);
  else if (action === 'bind') ensureGroup(bench);
  else if (action === 'run') await submitKernel(bench, 1, false);
  else if (action === 'read') await readBuffer(bench.device, buffer, bench.bytes);
  else throw new Error(`unknown step ${step}`);
}

/** Runs a recipe; returns whether dst equals src at its end (null when src was never written). */
async function runRecipe(bench, recipe, source, samples, report) {
  const steps = RECIPES[recipe].split(' ');
  for (const [i, step] of steps.entries()) {
    if (step !== 'time') {
      await runStep(bench, step, source);
      continue;
    }
    const r = await timeKernel(bench, samples);
    const gbs = (32 * bench.n) / (r.ms * 1e-3) / 1e9;
    report(`${recipe} [${steps.slice(0, i).join(' ') || 'nothing written'}]: ${r.ms.toFixed(4)} ms (${r.min.toFixed(4)}..${r.max.toFixed(4)}) ${gbs.toFixed(0)} GB/s`);
  }
  if (!steps.some((s) => /^(write|stage|chunks):src$/.test(s))) return null;
  const read = async (buffer) => new Uint32Array(await readBuffer(bench.device, buffer, bench.bytes));
  const [src, dst] = [await read(bench.buffers.src), await read(bench.buffers.dst)];
  return src.findIndex((w, i) => w !== dst[i]) === -1;
}

/** The copy pipeline on a device. */
function copyPipeline(device) {
  const module = device.createShaderModule({ code: readFileSync(KERNEL, 'utf8') });
  return device.createComputePipeline({ layout: 'auto', compute: { module, entryPoint: 'copy' } });
}

async function main() {
  const { n, samples, recipes, keep, gapBytes, freshDevice } = parseCli();
  const gpu = await openGpu();
  let { device, adapterName } = await openTimedDevice(gpu);
  let pipeline = copyPipeline(device);
  const source = new Float32Array(4 * n);
  for (let i = 0; i < source.length; i++) source[i] = Math.random();
  console.log(`${adapterName}: copy of ${n} vec4 (${(16 * n) / 2 ** 20} MiB), ${INNER} dispatches per timed pass, ` +
    `median of ${samples}; buffers ${keep ? 'kept to the end' : 'destroyed after each recipe'}, gap ${gapBytes / 2 ** 20} MiB, ` +
    `${freshDevice ? 'a device per recipe' : 'one device'}`);
  let wrong = 0;
  const kept = [];
  for (const [index, recipe] of recipes.entries()) {
    if (freshDevice && index > 0) {
      kept.splice(0).forEach(destroyBench);
      device.destroy();
      ({ device } = await openTimedDevice(gpu));
      pipeline = copyPipeline(device);
    }
    const bench = createBench(device, pipeline, n, gapBytes);
    try {
      const exact = await runRecipe(bench, recipe, source, samples, (line) => console.log(`#${index + 1} ${line}`));
      if (exact === false) {
        wrong++;
        console.log(`${recipe}: COPY WRONG (dst differs from src)`);
      }
    } finally {
      if (keep) kept.push(bench);
      else destroyBench(bench);
    }
  }
  kept.forEach(destroyBench);
  device.destroy();
  console.log(wrong ? `${wrong} recipes copied wrongly` : 'every checked copy exact');
  process.exitCode = wrong ? 1 : 0;
}

await main();
