// The suite's sampling rule (sampling.mjs) and per-host parameters (listUnits), without a GPU:
// when sampling stops and what "noise" it records, and Deno's shorter round trip.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { relativeSd, noiseIfDone, warmUp } from '../sampling.mjs';
import { listUnits } from '../suite.mjs';

const suite = JSON.parse(readFileSync(new URL('../../suite.json', import.meta.url), 'utf8'));
const rule = { warmup: 1, samples: 3, max_samples: 6, rsd_target: 0.01, max_seconds: 1 };

test('relativeSd is the sample standard deviation over the mean', () => {
  assert.equal(relativeSd([5]), 0);
  assert.ok(Math.abs(relativeSd([1, 2, 3]) - 0.5) < 1e-12);
});

test('a steady case stops at the minimum count, converged', () => {
  assert.equal(noiseIfDone(rule, [1, 1.001], 0), null, 'under the minimum it goes on');
  const noise = noiseIfDone(rule, [1, 1.001, 0.999], 0);
  assert.deepEqual(noise, { samples: 3, rsd: noise.rsd, converged: true, rsd_target: 0.01, stopped_by: 'rsd_target' });
});

test('the warm-up takes its count of samples, and more until warmup_seconds have passed', async () => {
  let samples = 0;
  await warmUp({ warmup: 3 }, async () => { samples++; });
  assert.equal(samples, 3);
  samples = 0;
  const t0 = performance.now();
  await warmUp({ warmup: 1, warmup_seconds: 0.05 }, async () => {
    samples++;
    await new Promise((done) => setTimeout(done, 5));
  });
  assert.ok(performance.now() - t0 >= 50, 'not before warmup_seconds');
  assert.ok(samples >= 5, `${samples} samples of 5 ms in 50 ms`);
});

test('a noisy case goes on until the time cap or max_samples stops it, not converged', () => {
  assert.equal(noiseIfDone(rule, [1, 2, 3], 0.5), null);
  assert.equal(noiseIfDone(rule, [1, 2, 3], 1.0).stopped_by, 'max_seconds');
  const capped = noiseIfDone(rule, [1, 2, 3, 1, 2, 3], 0.1);
  assert.equal(capped.stopped_by, 'max_samples');
  assert.equal(capped.converged, false);
});

test('without rsd_target the count is fixed', () => {
  const fixed = { warmup: 0, samples: 2 };
  assert.equal(noiseIfDone(fixed, [1], 0), null);
  assert.deepEqual(noiseIfDone(fixed, [1, 3], 0), { samples: 2, rsd: relativeSd([1, 3]), converged: false,
    rsd_target: null, stopped_by: 'fixed' });
});

test('the suite gives Deno fewer round trips at large, recorded in params; other hosts and variants keep theirs', () => {
  const params = (host, key) => listUnits(suite, 'large', `^${key}$`, host)[0].params.dispatches;
  const want = suite.cases.find((c) => c.id === 'dispatch').sizes.large.dispatches;
  assert.equal(params('deno', 'dispatch/round_trip'), 200);
  assert.equal(params('deno', 'dispatch/submit_each'), want);
  assert.equal(params('node', 'dispatch/round_trip'), want);
  assert.equal(params(null, 'dispatch/round_trip'), want);
  const small = suite.cases.find((c) => c.id === 'dispatch').sizes.small.dispatches;
  assert.equal(listUnits(suite, 'small', '^dispatch/round_trip$', 'deno')[0].params.dispatches, small);
});
