// One `wgslrun compare` job on any WebGPU host (dawn.node, Deno, a browser page): the kernel,
// its buffers and the dispatch as `wgslrun run` makes them (cli/cmd_run.c): buffers uploaded
// once and never reset, `warmup` untimed runs and `repeat` timed ones, each one dispatch in its
// own submission, waited for; wall time around submit and wait, GPU time from timestamps at the
// pass's begin and end. Only the standard WebGPU API.

import { openDevice, describeAdapter, plainInfo, summarize } from '../suite.mjs';
import { PassTimer, readBuffer, withErrorScopes, compilationErrors } from '../gpu.mjs';

const align4 = (n) => Math.max(4, Math.ceil(n / 4) * 4);

/** Workgroup counts for a problem size, folded over y and z as src/dispatch.c folds them. */
export function workgroupCounts(size, workgroupSize, limit) {
  const counts = [0, 1, 2].map((d) => Math.ceil((size[d] || 1) / workgroupSize[d]));
  if (counts[0] > limit && counts[1] === 1 && counts[2] === 1) {
    const total = counts[0];
    const rows = Math.ceil(total / limit);
    counts[2] = Math.ceil(rows / limit);
    counts[1] = Math.ceil(rows / counts[2]);
    counts[0] = Math.ceil(total / (counts[1] * counts[2]));
  }
  counts.forEach((c, d) => {
    if (c > limit) throw new Error(`problem size needs ${c} workgroups in dimension ${'xyz'[d]}, over the device limit of ${limit}`);
  });
  return counts;
}

function createBuffers(device, bindings) {
  const u = globalThis.GPUBufferUsage;
  return bindings.map((b) => {
    const usage = b.kind === 'uniform' ? u.UNIFORM | u.COPY_DST : u.STORAGE | u.COPY_DST | u.COPY_SRC;
    const buffer = device.createBuffer({ label: b.name, size: align4(b.data.length), usage });
    const padded = new Uint8Array(align4(b.data.length));
    padded.set(b.data);
    device.queue.writeBuffer(buffer, 0, padded);
    return buffer;
  });
}

/** One explicit layout per group up to the highest bound one, so any group numbering works. */
function createBindGroups(device, bindings, buffers) {
  const groups = Math.max(...bindings.map((b) => b.group)) + 1;
  const layouts = [], bindGroups = [];
  for (let g = 0; g < groups; g++) {
    const members = bindings.map((b, i) => ({ b, buffer: buffers[i] })).filter(({ b }) => b.group === g);
    const layout = device.createBindGroupLayout({
      label: `group ${g}`,
      entries: members.map(({ b }) => ({ binding: b.binding, visibility: globalThis.GPUShaderStage.COMPUTE, buffer: { type: b.kind } })),
    });
    layouts.push(layout);
    bindGroups.push(device.createBindGroup({ layout, entries: members.map(({ b, buffer }) => ({ binding: b.binding, resource: { buffer } })) }));
  }
  return { layout: device.createPipelineLayout({ bindGroupLayouts: layouts }), bindGroups };
}

async function createPipeline(device, job, layout) {
  const module = device.createShaderModule({ label: job.kernelName, code: job.source });
  const errors = await compilationErrors(module);
  if (errors) throw new Error(`${job.kernelName} does not compile:\n${errors}`);
  return device.createComputePipelineAsync({
    label: `${job.kernelName}:${job.entry}`, layout, compute: { module, entryPoint: job.entry, constants: job.constants },
  });
}

/** One run: returns its wall and GPU time in ms (GPU null without timestamps). */
async function runOnce(device, pipeline, bindGroups, grid, timer) {
  const encoder = device.createCommandEncoder();
  const pass = encoder.beginComputePass(timer ? { timestampWrites: timer.timestampWrites } : {});
  pass.setPipeline(pipeline);
  bindGroups.forEach((group, g) => pass.setBindGroup(g, group));
  pass.dispatchWorkgroups(...grid);
  pass.end();
  timer?.encodeResolve(encoder);
  const commands = encoder.finish();
  const start = performance.now();
  device.queue.submit([commands]);
  await device.queue.onSubmittedWorkDone();
  const wall = performance.now() - start;
  return { wall, gpu: timer ? await timer.readMs() : null };
}

/**
 * Runs `job` ({source, kernelName, entry, constants, workgroupSize, size, grid, repeat, warmup,
 * bindings: [{name, group, binding, kind, data: Uint8Array, output: {dtype, shape} | null}]}).
 * Resolves to {adapter, backend, driver, device_class, adapter_info, wall_ms, gpu_ms,
 * outputs: {name: Uint8Array}}.
 */
export async function runCompareJob(gpu, job) {
  const dev = await openDevice(gpu);
  const { device } = dev;
  try {
    return await withErrorScopes(device, async () => {
      const buffers = createBuffers(device, job.bindings);
      const { layout, bindGroups } = createBindGroups(device, job.bindings, buffers);
      const pipeline = await createPipeline(device, job, layout);
      const grid = job.grid ?? workgroupCounts(job.size, job.workgroupSize, device.limits.maxComputeWorkgroupsPerDimension);
      const timer = dev.timestamps ? new PassTimer(device) : null;
      for (let i = 0; i < job.warmup; i++) await runOnce(device, pipeline, bindGroups, grid, null);
      const walls = [], gpus = [];
      for (let i = 0; i < job.repeat; i++) {
        const t = await runOnce(device, pipeline, bindGroups, grid, timer);
        walls.push(t.wall);
        gpus.push(t.gpu);
      }
      const outputs = {};
      for (const [i, b] of job.bindings.entries()) {
        if (b.output) outputs[b.name] = new Uint8Array(await readBuffer(device, buffers[i], b.data.length));
      }
      if (dev.lost) throw new Error(dev.lost);
      const info = plainInfo(dev.adapter);
      return { ...describeAdapter(info), adapter_info: info, wall_ms: summarize(walls), gpu_ms: summarize(gpus), outputs, grid };
    });
  } finally {
    device.destroy();
  }
}
