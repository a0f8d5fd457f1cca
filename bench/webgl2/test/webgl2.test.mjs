// The small suite as WebGL2 fragment passes in headless Chromium (SwiftShader without a GPU:
// VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { runWebgl2, describeRenderer } from '../run.mjs';
import { listUnits } from '../../web/suite.mjs';
import { unknownPartsSuite, UNKNOWN_PARTS_FILTER, assertUnknownPartsUnsupported, keepResult } from '../../web/test/helpers.mjs';

const suite = JSON.parse(readFileSync(new URL('../../suite.json', import.meta.url), 'utf8'));

// What this row runs; everything else must come back unsupported with a reason.
const SUPPORTED = new Set(['copy', 'triad', 'reduce', 'sgemm_naive', 'nbody', 'stencil', 'mandelbrot', 'transfer', 'e2e_saxpy']);

test('webgl2: every supported small case verifies, the rest say why not', { timeout: 300e3 }, async () => {
  const result = await runWebgl2({ size: 'small', seed: 12345 });
  keepResult(result, 'webgl2');
  assert.equal(result.schema, 'wgslrun-result/1');
  assert.equal(result.method, 'webgl2');
  assert.match(result.implementation, /^chromium \d+\.\d+\.\d+\.\d+ WebGL2$/);
  assert.equal(result.device_class, /swiftshader/i.test(result.adapter) ? 'cpu' : 'gpu');
  assert.deepEqual(result.results.map((e) => e.case), listUnits(suite, 'small').map((u) => u.def.id), 'one entry per unit, in suite order');
  const problems = [];
  for (const e of result.results) {
    const name = e.variant ? `${e.case}/${e.variant}/${e.params.bytes}` : e.case;
    const mapped = e.case === 'transfer' && /_mapped$/.test(e.variant);
    if (mapped && !/^not implemented by the WebGL2 runner: variant 'transfer\/\w+_mapped'$/.test(e.unsupported)) {
      problems.push(`${name}: ${e.unsupported ?? 'ran'}, not the unsupported rule's reason`);
    } else if (!SUPPORTED.has(e.case) || mapped) {
      if (e.verified !== null || typeof e.unsupported !== 'string' || !e.unsupported || e.time_ms !== null) problems.push(`${name}: not a well-formed unsupported entry`);
    } else if (e.verified !== true) {
      problems.push(`${name}: ${e.unsupported ?? e.error}`);
    } else if (!(e.time_ms?.median > 0) || !(e.metric.value > 0) || !e.wall_ms) {
      problems.push(`${name}: verified but no time or metric`);
    } else if (e.noise?.samples !== e.time_ms.count || e.time_ms.count < suite.timing.small.samples
               || e.time_ms.count > suite.timing.small.max_samples || e.noise.converged !== (e.noise.stopped_by === 'rsd_target')) {
      problems.push(`${name}: ${e.time_ms.count} samples, noise ${JSON.stringify(e.noise)}: not the suite's sampling rule`);
    }
  }
  assert.deepEqual(problems, []);
});

test('webgl2: a case or variant the runner lacks is an unsupported result, not a throw or a drop', { timeout: 120e3 }, async () => {
  const result = await runWebgl2({ size: 'small', seed: 3, suite: unknownPartsSuite(), filter: UNKNOWN_PARTS_FILTER });
  assertUnknownPartsUnsupported(result.results, 'WebGL2 runner');
});

test('renderer strings map to adapter, backend and device class', () => {
  const sw = describeRenderer({ renderer: 'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)' });
  assert.equal(sw.adapter, 'SwiftShader Device (Subzero)', 'the device, as the WebGPU rows name it');
  assert.equal(sw.backend, 'angle-vulkan');
  const h200 = describeRenderer({ renderer: 'ANGLE (NVIDIA, Vulkan 1.4.312 (NVIDIA NVIDIA H200 (0x00002335)), NVIDIA)' });
  assert.deepEqual([h200.adapter, h200.device_class], ['NVIDIA H200', 'gpu']);
  assert.equal(sw.device_class, 'cpu');
  const d3d = describeRenderer({ renderer: 'ANGLE (NVIDIA, NVIDIA H100 (0x2330) Direct3D11 vs_5_0 ps_5_0, D3D11)' });
  assert.deepEqual([d3d.adapter, d3d.device_class], ['ANGLE (NVIDIA, NVIDIA H100 (0x2330) Direct3D11 vs_5_0 ps_5_0, D3D11)', 'gpu']);
});

test('a unit past its job timeout fails alone, with the reason, and the header stays whole', { timeout: 120e3 }, async () => {
  const result = await runWebgl2({ size: 'small', seed: 7, filter: '^(copy|triad)$', jobTimeoutS: 0.05 });
  assert.deepEqual(result.results.map((e) => e.case), ['copy', 'triad']);
  for (const e of result.results) {
    assert.equal(e.verified, false);
    assert.match(e.error, /no result within 0\.05 s \(job timeout\)/);
    assert.equal(e.metric.value, null, 'no time for a failed case');
  }
  assert.match(result.adapter, /ANGLE|SwiftShader|NVIDIA/);
});

test('a --job-timeout that is not a positive number of seconds stops the CLI with exit status 2', () => {
  const run = fileURLToPath(new URL('../run.mjs', import.meta.url));
  for (const bad of ['0', '-3', 'x']) {
    const r = spawnSync(process.execPath, [run, '--size', 'small', `--job-timeout=${bad}`], { encoding: 'utf8', timeout: 60e3 });
    assert.equal(r.status, 2, `--job-timeout ${bad}`);
    assert.match(r.stderr, /--job-timeout must be a positive number of seconds/);
  }
});
