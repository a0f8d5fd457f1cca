// Minimal reproduction of the dawn.node (npm webgpu 0.6.2) abort seen with 1M-element
// writeBuffer + dispatch on SwiftShader. Root cause: the object returned by create() owns Dawn's
// instance, and adapters/devices do not keep it alive. Once it is garbage-collected, a pending
// onSubmittedWorkDone/mapAsync makes dawn.node's AsyncRunner call Instance::ProcessEvents on
// freed memory: std::system_error (EINVAL), "The futex facility returned an unexpected error
// code", a pthread_mutex_lock assertion, or SIGSEGV, depending on what reused the memory.
// Large typed arrays matter only because they make the GC run while work is in flight.
//
//   VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json \
//     node --expose-gc bench/web/repro/dawn-node-instance-gc.mjs          # aborts
//   ... node --expose-gc bench/web/repro/dawn-node-instance-gc.mjs --keep  # prints "ok"

import { create, globals } from 'webgpu';

Object.assign(globalThis, globals);
const keep = process.argv.includes('--keep');
if (typeof globalThis.gc !== 'function') throw new Error('run with node --expose-gc');

/** The create() result is reachable only from here unless --keep pins it. */
async function openDevice() {
  const gpu = create([]);
  if (keep) globalThis.pinnedDawnInstance = gpu;
  const adapter = await gpu.requestAdapter();
  if (!adapter) throw new Error('no adapter (set VK_ICD_FILENAMES to a Vulkan ICD)');
  return adapter.requestDevice();
}

const device = await openDevice();
const words = 1 << 20; // 1M u32, as in the original report
const buffer = device.createBuffer({ size: 4 * words, usage: GPUBufferUsage.COPY_DST | GPUBufferUsage.COPY_SRC });
for (let round = 0; round < 20; round++) {
  device.queue.writeBuffer(buffer, 0, new Uint32Array(words).fill(round));
  globalThis.gc(); // what a 1M-element allocation does sooner or later on its own
  await device.queue.onSubmittedWorkDone();
}
console.log('ok: 20 rounds with the instance', keep ? 'pinned' : 'unpinned (the bug did not trigger)');
process.exit(0);
