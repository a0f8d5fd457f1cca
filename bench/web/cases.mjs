// The cases of bench/README.md. Each case turns a unit (case, variant, params) into a state
// whose resources exist before timing starts. Kernel cases expose `encode(pass)` (one run, timed
// by the suite with timestamps and wall clock); host-driven cases (dispatch, transfer,
// e2e_saxpy) expose `sample()` returning the wall time of one run in ms.
// Every state has `verify()` → a comparison from reference.mjs, and `destroy()`. Constants and
// tolerances come from the case's suite.json entry (contract.mjs), and so does the metric: the
// suite computes it from the time of one run (and `state.outputSum`, mandelbrot's iterations).

import {
  fold1D, storageBuffer, uniformBuffer, poison, zero, readBuffer, bindGroup, Staging,
} from './gpu.mjs';
import { uniformF32, uniformU32, randomBytes, sampleIndices } from './rng.mjs';
import * as ref from './reference.mjs';
import { constant, verifyRule } from './contract.mjs';

/** Builds a state's destroy() from the buffers it owns. */
function owning(buffers, extra = {}) {
  return { ...extra, destroy: () => buffers.forEach((b) => b.destroy()) };
}

async function readF32(ctx, buffer) {
  return new Float32Array(await readBuffer(ctx.device, buffer));
}

async function readU32(ctx, buffer) {
  return new Uint32Array(await readBuffer(ctx.device, buffer));
}

// ---- stream: copy and triad -----------------------------------------------------------------

function streamCase(entry) {
  const triad = entry === 'triad';
  return {
    async setup(ctx, { def, params }) {
      const { device } = ctx;
      // copy binds the same uniform; its scalar is unused.
      const n = params.n, bytes = 16 * n, scalar = triad ? constant(def, 'scalar') : 0;
      const kinds = triad ? { 0: 'read', 1: 'read', 2: 'rw', 3: 'uniform' } : { 0: 'read', 2: 'rw', 3: 'uniform' };
      const p = await ctx.pipelines('kernels/stream.wgsl', [entry], kinds);
      const b = uniformF32(ctx.rng, 4 * n);
      const c = triad ? uniformF32(ctx.rng, 4 * n) : null;
      const srcB = storageBuffer(device, bytes, 'src_b'), dst = storageBuffer(device, bytes, 'dst');
      const srcC = triad ? storageBuffer(device, bytes, 'src_c') : null;
      const uni = uniformBuffer(device, [['f32', scalar], ['u32', n]], 'params');
      const group = bindGroup(device, p.layout, triad ? { 0: srcB, 1: srcC, 2: dst, 3: uni } : { 0: srcB, 2: dst, 3: uni });
      const grid = fold1D(Math.ceil(n / 256));
      return owning([srcB, dst, uni, srcC].filter(Boolean), {
        encode(pass) {
          pass.setPipeline(p[entry]);
          pass.setBindGroup(0, group);
          pass.dispatchWorkgroups(...grid);
        },
        async verify() {
          device.queue.writeBuffer(srcB, 0, b);
          if (triad) device.queue.writeBuffer(srcC, 0, c);
          poison(device, dst);
          await ctx.runOnce(this);
          if (!triad) return ref.compareExact(await readU32(ctx, dst), new Uint32Array(b.buffer));
          return ref.compareRelative(await readF32(ctx, dst), ref.triadRef(b, c, scalar), verifyRule(def).tolerance);
        },
      });
    },
  };
}

// ---- reduce -----------------------------------------------------------------------------------

const reduce = {
  async setup(ctx, { def, params }) {
    const { device } = ctx;
    const n = params.n;
    const p = await ctx.pipelines('kernels/reduce.wgsl', ['partial_sums', 'final_sum'], { 0: 'read', 1: 'rw', 2: 'rw', 3: 'uniform' });
    const x = uniformF32(ctx.rng, n);
    const input = storageBuffer(device, 4 * n, 'input');
    const partials = storageBuffer(device, 4 * 1024, 'partials');
    const result = storageBuffer(device, 4, 'result');
    const uni = uniformBuffer(device, [['u32', n]], 'params');
    const group = bindGroup(device, p.layout, { 0: input, 1: partials, 2: result, 3: uni });
    return owning([input, partials, result, uni], {
      encode(pass) {
        pass.setBindGroup(0, group);
        pass.setPipeline(p.partial_sums);
        pass.dispatchWorkgroups(1024, 1, 1);
        pass.setPipeline(p.final_sum);
        pass.dispatchWorkgroups(1, 1, 1);
      },
      async verify() {
        device.queue.writeBuffer(input, 0, x);
        poison(device, partials);
        poison(device, result);
        await ctx.runOnce(this);
        return ref.compareScalar((await readF32(ctx, result))[0], ref.sumRef(x), verifyRule(def).tolerance);
      },
    });
  },
};

// ---- scan -------------------------------------------------------------------------------------

const scan = {
  async setup(ctx, { params }) {
    const { device } = ctx;
    const n = params.n, blocks = n / 4096;
    const p = await ctx.pipelines('kernels/scan.wgsl', ['block_sums', 'scan_sums', 'scan_blocks'], { 0: 'read', 1: 'rw', 2: 'rw', 3: 'uniform' });
    const x = uniformU32(ctx.rng, n, 8);
    const input = storageBuffer(device, 4 * n, 'input');
    const output = storageBuffer(device, 4 * n, 'output');
    const sums = storageBuffer(device, 4 * blocks, 'sums');
    const uni = uniformBuffer(device, [['u32', n]], 'params');
    const group = bindGroup(device, p.layout, { 0: input, 1: output, 2: sums, 3: uni });
    const grid = fold1D(blocks);
    return owning([input, output, sums, uni], {
      encode(pass) {
        pass.setBindGroup(0, group);
        pass.setPipeline(p.block_sums);
        pass.dispatchWorkgroups(...grid);
        pass.setPipeline(p.scan_sums);
        pass.dispatchWorkgroups(1, 1, 1);
        pass.setPipeline(p.scan_blocks);
        pass.dispatchWorkgroups(...grid);
      },
      async verify() {
        device.queue.writeBuffer(input, 0, x);
        poison(device, output);
        poison(device, sums);
        await ctx.runOnce(this);
        return ref.compareExact(await readU32(ctx, output), ref.inclusiveScanU32(x));
      },
    });
  },
};

// ---- histogram --------------------------------------------------------------------------------

const histogram = {
  async setup(ctx, { params }) {
    const { device } = ctx;
    const n = params.n;
    const p = await ctx.pipelines('kernels/histogram.wgsl', ['histogram'], { 0: 'read', 1: 'rw', 2: 'uniform' });
    const keys = uniformU32(ctx.rng, n);
    const input = storageBuffer(device, 4 * n, 'keys');
    const bins = storageBuffer(device, 4 * 256, 'bins');
    const uni = uniformBuffer(device, [['u32', n]], 'params');
    const group = bindGroup(device, p.layout, { 0: input, 1: bins, 2: uni });
    const groups = Math.min(Math.ceil(n / 256), 2048);
    return owning([input, bins, uni], {
      encode(pass) {
        pass.setPipeline(p.histogram);
        pass.setBindGroup(0, group);
        pass.dispatchWorkgroups(groups, 1, 1);
      },
      async verify() {
        device.queue.writeBuffer(input, 0, keys);
        zero(device, bins); // bins accumulate, so the README zeroes them instead of poisoning
        await ctx.runOnce(this);
        return ref.compareExact(await readU32(ctx, bins), ref.histogram256(keys));
      },
    });
  },
};

// ---- sgemm ------------------------------------------------------------------------------------

function sgemmCase(entry) {
  return {
    async setup(ctx, { def, params }) {
      const { device } = ctx;
      // The tile of c one workgroup computes comes from the suite, like the kernel.
      const { n, tile_rows: rows, tile_cols: cols } = params;
      if (!(rows > 0 && cols > 0 && n % rows === 0 && n % cols === 0)) {
        throw new Error(`n = ${n} is not a multiple of the tile ${rows} x ${cols}`);
      }
      const p = await ctx.pipelines('kernels/sgemm.wgsl', [entry], { 0: 'read', 1: 'read', 2: 'rw', 3: 'uniform' });
      const a = uniformF32(ctx.rng, n * n, -1, 1), b = uniformF32(ctx.rng, n * n, -1, 1);
      const rule = verifyRule(def);
      const samples = sampleIndices(ctx.rng, n * n, n <= rule.check_all_up_to_n ? n * n : rule.samples);
      const bufA = storageBuffer(device, 4 * n * n, 'a'), bufB = storageBuffer(device, 4 * n * n, 'b');
      const bufC = storageBuffer(device, 4 * n * n, 'c');
      const uni = uniformBuffer(device, [['u32', n]], 'params');
      const group = bindGroup(device, p.layout, { 0: bufA, 1: bufB, 2: bufC, 3: uni });
      return owning([bufA, bufB, bufC, uni], {
        encode(pass) {
          pass.setPipeline(p[entry]);
          pass.setBindGroup(0, group);
          pass.dispatchWorkgroups(n / cols, n / rows, 1);
        },
        async verify() {
          device.queue.writeBuffer(bufA, 0, a);
          device.queue.writeBuffer(bufB, 0, b);
          poison(device, bufC);
          await ctx.runOnce(this);
          const c = await readF32(ctx, bufC);
          const got = samples.map((i) => c[i]);
          const want = samples.map((i) => ref.sgemmElement(a, b, n, Math.floor(i / n), i % n));
          return ref.compareSgemm(got, want, rule.tolerance);
        },
      });
    },
  };
}

// ---- nbody ------------------------------------------------------------------------------------

function randomBodies(rng, n) {
  const pos = uniformF32(rng, 3 * n, -1, 1), mass = uniformF32(rng, n, 0.5, 1);
  const bodies = new Float32Array(4 * n);
  for (let i = 0; i < n; i++) {
    bodies.set(pos.subarray(3 * i, 3 * i + 3), 4 * i);
    bodies[4 * i + 3] = mass[i];
  }
  return bodies;
}

const nbody = {
  async setup(ctx, { def, params }) {
    const { device } = ctx;
    const n = params.n, eps2 = constant(def, 'eps2'), rule = verifyRule(def);
    const p = await ctx.pipelines('kernels/nbody.wgsl', ['nbody_forces'], { 0: 'read', 1: 'rw', 2: 'uniform' });
    const bodies = randomBodies(ctx.rng, n);
    const sampled = sampleIndices(ctx.rng, n, rule.samples);
    const bufBodies = storageBuffer(device, 16 * n, 'bodies'), accel = storageBuffer(device, 16 * n, 'accel');
    const uni = uniformBuffer(device, [['u32', n], ['f32', eps2]], 'params');
    const group = bindGroup(device, p.layout, { 0: bufBodies, 1: accel, 2: uni });
    return owning([bufBodies, accel, uni], {
      encode(pass) {
        pass.setPipeline(p.nbody_forces);
        pass.setBindGroup(0, group);
        pass.dispatchWorkgroups(n / 256, 1, 1);
      },
      async verify() {
        device.queue.writeBuffer(bufBodies, 0, bodies);
        poison(device, accel);
        await ctx.runOnce(this);
        const a = await readF32(ctx, accel);
        const badW = sampled.find((i) => a[4 * i + 3] !== 0);
        if (badW !== undefined) return { ok: false, maxError: Infinity, bad: 1, detail: `accel[${badW}].w = ${a[4 * badW + 3]}, expected 0` };
        const got = sampled.map((i) => [a[4 * i], a[4 * i + 1], a[4 * i + 2]]);
        const want = sampled.map((i) => ref.nbodyAccel(bodies, n, i, eps2));
        return ref.compareVectors(got, want, rule.tolerance);
      },
    });
  },
};

// ---- stencil ----------------------------------------------------------------------------------

const stencil = {
  async setup(ctx, { def, params }) {
    const { device } = ctx;
    const { width, height, iterations } = params;
    const cells = width * height;
    const p = await ctx.pipelines('kernels/stencil.wgsl', ['jacobi'], { 0: 'read', 1: 'rw', 2: 'uniform' });
    const init = uniformF32(ctx.rng, cells);
    const bufA = storageBuffer(device, 4 * cells, 'grid a'), bufB = storageBuffer(device, 4 * cells, 'grid b');
    const uni = uniformBuffer(device, [['u32', width], ['u32', height]], 'params');
    // Two bind groups are the ping-pong: even iterations read a and write b, odd ones the reverse.
    const groups = [
      bindGroup(device, p.layout, { 0: bufA, 1: bufB, 2: uni }),
      bindGroup(device, p.layout, { 0: bufB, 1: bufA, 2: uni }),
    ];
    const grid = [Math.ceil(width / 16), Math.ceil(height / 16), 1];
    return owning([bufA, bufB, uni], {
      encode(pass) {
        pass.setPipeline(p.jacobi);
        for (let it = 0; it < iterations; it++) {
          pass.setBindGroup(0, groups[it % 2]);
          pass.dispatchWorkgroups(...grid);
        }
      },
      async verify() {
        device.queue.writeBuffer(bufA, 0, init);
        poison(device, bufB);
        await ctx.runOnce(this);
        const out = await readF32(ctx, iterations % 2 ? bufB : bufA);
        return ref.compareAbsolute(out, ref.jacobiRef(init, width, height, iterations, constant(def, 'weight')),
          verifyRule(def).tolerance);
      },
    });
  },
};

// ---- mandelbrot -------------------------------------------------------------------------------

const mandelbrot = {
  async setup(ctx, { def, params }) {
    const { device } = ctx;
    const { width, height, max_iter: maxIter } = params;
    const view = { x0: constant(def, 'x0'), y0: constant(def, 'y0'), span: constant(def, 'span') };
    const mp = ref.mandelbrotParams(width, height, maxIter, view);
    const p = await ctx.pipelines('kernels/mandelbrot.wgsl', ['mandelbrot'], { 0: 'rw', 1: 'uniform' });
    const counts = storageBuffer(device, 4 * width * height, 'counts');
    const uni = uniformBuffer(device, [
      ['u32', width], ['u32', height], ['u32', maxIter], ['f32', mp.x0], ['f32', mp.y0], ['f32', mp.dx], ['f32', mp.dy],
    ], 'params');
    const group = bindGroup(device, p.layout, { 0: counts, 1: uni });
    const state = owning([counts, uni], {
      outputSum: 0, // Σ counts of the verification output: the metric's work
      encode(pass) {
        pass.setPipeline(p.mandelbrot);
        pass.setBindGroup(0, group);
        pass.dispatchWorkgroups(Math.ceil(width / 16), Math.ceil(height / 16), 1);
      },
      async verify() {
        poison(device, counts);
        await ctx.runOnce(this);
        const out = await readU32(ctx, counts);
        state.outputSum = out.reduce((s, v) => s + v, 0);
        return ref.checkMandelbrotRows(out, mp, verifyRule(def));
      },
    });
    return state;
  },
};

// ---- dispatch overhead ------------------------------------------------------------------------
// Timed from the first encode to the last wait: WebGPU command buffers are single-use, so
// encoding is part of what every dispatch costs a JS program.

const dispatchVariants = {
  async one_pass(ctx, s, count) {
    const encoder = ctx.device.createCommandEncoder();
    const pass = encoder.beginComputePass();
    pass.setPipeline(s.pipeline);
    pass.setBindGroup(0, s.group);
    for (let i = 0; i < count; i++) pass.dispatchWorkgroups(1, 1, 1);
    pass.end();
    ctx.device.queue.submit([encoder.finish()]);
    await ctx.device.queue.onSubmittedWorkDone();
  },
  async submit_each(ctx, s, count) {
    for (let i = 0; i < count; i++) ctx.device.queue.submit([oneTick(ctx.device, s)]);
    await ctx.device.queue.onSubmittedWorkDone();
  },
  async round_trip(ctx, s, count) {
    for (let i = 0; i < count; i++) {
      ctx.device.queue.submit([oneTick(ctx.device, s)]);
      await ctx.device.queue.onSubmittedWorkDone();
    }
  },
};

function oneTick(device, s) {
  const encoder = device.createCommandEncoder();
  const pass = encoder.beginComputePass();
  pass.setPipeline(s.pipeline);
  pass.setBindGroup(0, s.group);
  pass.dispatchWorkgroups(1, 1, 1);
  pass.end();
  return encoder.finish();
}

const dispatch = {
  variants: Object.keys(dispatchVariants),
  units: (def, sizeParams) => def.variants.map((variant) => ({ variant, params: { ...sizeParams } })),
  async setup(ctx, { variant, params }) {
    const { device } = ctx;
    const count = params.dispatches;
    const p = await ctx.pipelines('kernels/dispatch.wgsl', ['tick'], { 0: 'rw' });
    const counter = storageBuffer(device, 4, 'counter');
    const s = { pipeline: p.tick, group: bindGroup(device, p.layout, { 0: counter }) };
    const run = dispatchVariants[variant];
    return owning([counter], {
      async verify() {
        zero(device, counter); // a counter must start at 0 to count
        await run(ctx, s, count);
        return ref.compareExact(await readU32(ctx, counter), Uint32Array.of(count));
      },
      async sample() {
        const t0 = performance.now();
        await run(ctx, s, count);
        return performance.now() - t0;
      },
    });
  },
};

// ---- transfer ---------------------------------------------------------------------------------

async function uploadOnce(device, buffer, data) {
  device.queue.writeBuffer(buffer, 0, data);
  await device.queue.onSubmittedWorkDone();
}

// The *_mapped variants (wgslrun's wr_buffer_map_upload/download) are not implemented: in
// Chromium a mapped range is a copy out of the GPU process, so it would time another copy.
const transfer = {
  variants: ['upload', 'readback'],
  units: (def, sizeParams) => def.variants.flatMap((variant) => sizeParams.bytes.map((bytes) => ({ variant, params: { bytes } }))),
  async setup(ctx, { variant, params }) {
    const { device } = ctx;
    const bytes = params.bytes;
    const limit = device.limits.maxBufferSize;
    if (bytes > limit) return { unsupported: `${bytes} bytes exceed this device's maxBufferSize (${limit})` };
    const host = randomBytes(ctx.rng, bytes); // ordinary JS memory, as the README asks
    const hostOut = new Uint8Array(bytes);
    const deviceBuf = storageBuffer(device, bytes, 'device');
    const staging = new Staging(device, bytes, 'read-back');
    const upload = variant === 'upload';
    return owning([deviceBuf, staging], {
      async verify() {
        poison(device, deviceBuf);
        hostOut.fill(0xff);
        await uploadOnce(device, deviceBuf, host);
        await staging.read(deviceBuf, bytes, hostOut);
        return ref.compareExact(hostOut, host);
      },
      async sample() {
        const t0 = performance.now();
        if (upload) await uploadOnce(device, deviceBuf, host);
        else await staging.read(deviceBuf, bytes, hostOut);
        return performance.now() - t0;
      },
    });
  },
};

// ---- end-to-end saxpy -------------------------------------------------------------------------

const e2eSaxpy = {
  async setup(ctx, { def, params }) {
    const { device } = ctx;
    const n = params.n, a = constant(def, 'a');
    const p = await ctx.pipelines('kernels/saxpy.wgsl', ['saxpy'], { 0: 'read', 1: 'rw', 2: 'uniform' });
    const x = uniformF32(ctx.rng, n), y = uniformF32(ctx.rng, n);
    const yOut = new Float32Array(n);
    const bufX = storageBuffer(device, 4 * n, 'x'), bufY = storageBuffer(device, 4 * n, 'y');
    const uni = uniformBuffer(device, [['f32', a], ['u32', n]], 'params');
    const group = bindGroup(device, p.layout, { 0: bufX, 1: bufY, 2: uni });
    const staging = new Staging(device, 4 * n, 'y read-back');
    const grid = fold1D(Math.ceil(n / 256));
    const once = async () => {
      device.queue.writeBuffer(bufX, 0, x);
      device.queue.writeBuffer(bufY, 0, y);
      const encoder = device.createCommandEncoder();
      const pass = encoder.beginComputePass();
      pass.setPipeline(p.saxpy);
      pass.setBindGroup(0, group);
      pass.dispatchWorkgroups(...grid);
      pass.end();
      staging.encodeCopy(encoder, bufY, 4 * n);
      device.queue.submit([encoder.finish()]);
      await staging.take(4 * n, new Uint8Array(yOut.buffer));
    };
    return owning([bufX, bufY, uni, staging], {
      async verify() {
        poison(device, bufY);
        yOut.fill(NaN);
        await once();
        return ref.compareRelative(yOut, ref.saxpyRef(a, x, y), verifyRule(def).tolerance);
      },
      async sample() {
        const t0 = performance.now();
        await once();
        return performance.now() - t0;
      },
    });
  },
};

export const CASES = {
  copy: streamCase('copy'),
  triad: streamCase('triad'),
  reduce,
  scan,
  histogram,
  sgemm_naive: sgemmCase('sgemm_naive'),
  sgemm_tiled: sgemmCase('sgemm_tiled'),
  nbody,
  stencil,
  mandelbrot,
  dispatch,
  transfer,
  e2e_saxpy: e2eSaxpy,
};
