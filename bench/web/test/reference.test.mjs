// CPU references and bookkeeping against small answers worked out by hand.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as ref from '../reference.mjs';
import { makeRng, uniformF32, uniformU32, sampleIndices, hashString } from '../rng.mjs';
import { listUnits, summarize, describeAdapter } from '../suite.mjs';
import { fold1D } from '../gpu.mjs';
import { outputPath } from '../run.mjs';

const suite = JSON.parse(readFileSync(new URL('../../suite.json', import.meta.url), 'utf8'));

test('triad and saxpy', () => {
  assert.deepEqual([...ref.triadRef([1, 2], [0.5, -1], 3)], [2.5, -1]);
  assert.deepEqual([...ref.saxpyRef(2, [1, 3], [10, 20])], [12, 26]);
});

test('sum in double', () => {
  assert.equal(ref.sumRef(Float32Array.of(0.5, 0.25, 0.125)), 0.875);
});

test('inclusive scan wraps at 2^32', () => {
  assert.deepEqual([...ref.inclusiveScanU32(Uint32Array.of(1, 2, 3, 4))], [1, 3, 6, 10]);
  assert.deepEqual([...ref.inclusiveScanU32(Uint32Array.of(0xffffffff, 2, 5))], [0xffffffff, 1, 6]);
});

test('histogram bins key & 255', () => {
  const bins = ref.histogram256(Uint32Array.of(0, 256, 1, 511, 0xffffffff));
  assert.equal(bins[0], 2);
  assert.equal(bins[1], 1);
  assert.equal(bins[255], 2);
  assert.equal(bins.reduce((s, v) => s + v, 0), 5);
});

test('sgemm element of a 2x2 product', () => {
  const a = [1, 2, 3, 4], b = [5, 6, 7, 8]; // [[19, 22], [43, 50]]
  assert.deepEqual([0, 1, 2, 3].map((i) => ref.sgemmElement(a, b, 2, i >> 1, i & 1)), [19, 22, 43, 50]);
});

test('nbody: two unit masses one apart; the self term adds 0', () => {
  const bodies = Float32Array.of(0, 0, 0, 1, 1, 0, 0, 1);
  const tiny = 1e-30; // softening too small to change 1/1^1.5 in double, but keeps j = i finite
  assert.deepEqual(ref.nbodyAccel(bodies, 2, 0, tiny), [1, 0, 0]);
  assert.deepEqual(ref.nbodyAccel(bodies, 2, 1, tiny), [-1, 0, 0]);
  // With softening: 1 / (1 + 0.01)^1.5
  assert.ok(Math.abs(ref.nbodyAccel(bodies, 2, 0, 0.01)[0] - 1 / 1.01 ** 1.5) < 1e-15);
});

test('jacobi: one step on 3x3 averages the centre, copies borders', () => {
  const src = Float32Array.of(0, 1, 0, 2, 9, 3, 0, 4, 0);
  const out = ref.jacobiRef(src, 3, 3, 1, 0.25);
  assert.equal(out[4], 0.25 * (2 + 3 + 1 + 4));
  assert.deepEqual([...out].filter((_, i) => i !== 4), [0, 1, 0, 2, 3, 0, 4, 0]);
  assert.deepEqual([...ref.jacobiRef(src, 3, 3, 2, 0.25)], [...ref.jacobiRef(out, 3, 3, 1, 0.25)]);
});

test('mandelbrot escape counts', () => {
  const p = (cr, ci, maxIter) => ({ x0: cr, y0: ci, dx: 0, dy: 0, max_iter: maxIter });
  assert.equal(ref.mandelbrotCount(0, 0, p(0, 0, 100)), 100); // inside
  assert.equal(ref.mandelbrotCount(0, 0, p(1, 1, 100)), 2); // 0 → 1+i (|z|²=2) → 1+3i (10)
  assert.equal(ref.mandelbrotCount(0, 0, p(2, 0, 100)), 2); // 0 → 2 (4, still ≤ 4) → 6
  assert.equal(ref.mandelbrotCount(0, 0, p(-2, 0, 50)), 50); // -2 → 2 → 2 ... stays at |z|² = 4
  const mp = ref.mandelbrotParams(256, 256, 256, { x0: -2, y0: -1.25, span: 2.5 });
  assert.equal(mp.dx, Math.fround(2.5 / 256));
  assert.equal(ref.mandelbrotCount(100, 128, mp), 256); // c ≈ (-1.02, 0): period-2 bulb, inside
  assert.equal(ref.mandelbrotCount(0, 0, mp), 1); // c = (-2, -1.25): |c|² > 4 after one step
});

test('comparisons', () => {
  assert.equal(ref.compareExact(Uint32Array.of(1, 2), Uint32Array.of(1, 2)).ok, true);
  const bad = ref.compareExact(Uint32Array.of(1, 5), Uint32Array.of(1, 2));
  assert.equal(bad.ok, false);
  assert.equal(bad.bad, 1);
  assert.match(bad.detail, /index 1: got 5, expected 2/);
  assert.equal(ref.compareRelative([1.0000005], [1], 1e-6).ok, true);
  assert.equal(ref.compareRelative([1.00001], [1], 1e-6).ok, false);
  assert.equal(ref.compareRelative([NaN], [1], 1e-6).ok, false, 'poison (NaN) must fail');
  assert.equal(ref.compareAbsolute([NaN], [0], 1).ok, false);
  assert.equal(ref.compareScalar(100.0001, 100, 1e-5).ok, true);
  assert.equal(ref.compareSgemm([10.0005], [10], 1e-4).ok, true); // 5e-4 / 11
  assert.equal(ref.compareSgemm([10.01], [10], 1e-4).ok, false);
  assert.equal(ref.compareVectors([[1, 0, 0.0005]], [[1, 0, 0]], 1e-3).ok, true);
  assert.equal(ref.compareVectors([[1, 0, 0.01]], [[1, 0, 0]], 1e-3).ok, false);
  const frac = ref.compareFraction([1, 2, 3, 4], [1, 2, 3, 5], 0.25);
  assert.equal(frac.ok, true);
  assert.equal(frac.maxError, 0.25);
});

test('random generator: reproducible, in range, never all zeros', () => {
  const a = uniformF32(makeRng(42), 1000), b = uniformF32(makeRng(42), 1000);
  assert.deepEqual(a, b);
  assert.ok(a.every((v) => v >= 0 && v < 1));
  assert.ok(a.some((v) => v > 0.5) && a.some((v) => v < 0.5));
  assert.ok(uniformF32(makeRng(1), 1000, -1, 1).some((v) => v < 0));
  assert.ok(uniformU32(makeRng(1), 1000, 8).every((v) => v < 256));
  assert.notEqual(hashString('copy'), hashString('triad'));
  const idx = sampleIndices(makeRng(3), 1000, 64);
  assert.equal(new Set(idx).size, 64);
  assert.deepEqual(sampleIndices(makeRng(3), 5, 64), [0, 1, 2, 3, 4]);
});

test('workgroup folding follows the README (balanced rows)', () => {
  assert.deepEqual(fold1D(256), [256, 1, 1]);
  assert.deepEqual(fold1D(65535), [65535, 1, 1]);
  assert.deepEqual(fold1D(65536), [32768, 2, 1]);
  assert.deepEqual(fold1D(131070), [65535, 2, 1]);
  assert.deepEqual(fold1D(131071), [43691, 3, 1]);
  for (const g of [65536, 100000, 262144, 16777216 / 4]) {
    const [x, y] = fold1D(g);
    assert.ok(x <= 65535 && x * y >= g && x * (y - 1) < g, `fold1D(${g}) covers g with no spare row`);
  }
});

test('units: one per case, per dispatch variant, per transfer variant and size', () => {
  const keys = listUnits(suite, 'small').map((u) => u.key);
  assert.ok(keys.includes('copy') && keys.includes('dispatch/round_trip'));
  assert.ok(keys.includes('transfer/upload/1048576') && keys.includes('transfer/readback/16777216'));
  assert.equal(keys.length, new Set(keys).size);
  assert.deepEqual(listUnits(suite, 'small', '^sgemm_(naive|tiled)$').map((u) => u.key), ['sgemm_naive', 'sgemm_tiled']);
});

test('statistics', () => {
  assert.deepEqual(summarize([3, 1, 2]), { min: 1, median: 2, max: 3, count: 3 });
  assert.deepEqual(summarize([4, 1, 3, 2]), { min: 1, median: 2.5, max: 4, count: 4 });
  assert.equal(summarize([1, null]), null);
});

test('adapter description', () => {
  const d = describeAdapter({ vendor: 'google', architecture: 'swiftshader', description: 'SwiftShader Device (Subzero)', driver: 'SwiftShader driver 5.0.0', backend: 'vulkan' });
  assert.deepEqual(d, { adapter: 'SwiftShader Device (Subzero)', backend: 'vulkan', driver: 'SwiftShader driver 5.0.0', device_class: 'cpu' });
  assert.equal(describeAdapter({ vendor: 'nvidia', description: 'NVIDIA H100' }, 'vulkan').device_class, 'gpu');
});

test('result file names per host', () => {
  assert.equal(outputPath('out.json', 'node', 1), 'out.json');
  assert.equal(outputPath('r/out.json', 'deno', 3), 'r/out-deno.json');
  assert.equal(outputPath('r/{host}-small.json', 'chromium', 3), 'r/chromium-small.json');
});

test('dawn.node adapter info: the device name, not the driver', () => {
  const d = describeAdapter({ vendor: 'google', architecture: 'swiftshader', device: 'swiftshader-device-subzero-', description: 'SwiftShader driver 5.0.0', isFallbackAdapter: true }, 'vulkan');
  assert.deepEqual(d, { adapter: 'swiftshader-device-subzero-', backend: 'vulkan', driver: 'SwiftShader driver 5.0.0', device_class: 'cpu' });
  // On the H200 its description is the NVIDIA driver's version.
  const h200 = describeAdapter({ vendor: 'nvidia', architecture: '', device: 'nvidia-h200', description: 'NVIDIA: 580.159.04 580.159.4.0', isFallbackAdapter: false }, 'vulkan');
  assert.deepEqual(h200, { adapter: 'nvidia-h200', backend: 'vulkan', driver: 'NVIDIA: 580.159.04 580.159.4.0', device_class: 'gpu' });
});
