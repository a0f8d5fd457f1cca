// The browser-rust-wasm row in headless Chromium on SwiftShader (VK_ICD_FILENAMES defaults to
// Chromium's SwiftShader ICD, as for bench/wasm):
//   - run.mjs runs the small suite: every case verifies, or says why it cannot run;
//   - verification comes first: a kernel that skips an element fails and records no time;
//   - a kernel that does not compile fails its case, not the run.
// Needs bench/rust-wasm/build.sh to have run, and playwright-core from bench/web.

import test, { after, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { BENCH_DIR, SWIFTSHADER_ICD } from '../../wasm/browser.mjs';
import { RUST_WASM_DIR, openSession } from '../session.mjs';
import { keepResult } from '../../web/test/helpers.mjs';

const RUN = path.join(RUST_WASM_DIR, 'run.mjs');
const suite = JSON.parse(fs.readFileSync(path.join(BENCH_DIR, 'suite.json'), 'utf8'));
let workDir;

before(() => {
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wgslrun-rust-wasm-test-'));
});

after(() => fs.rmSync(workDir, { recursive: true, force: true }));

function runCli(args) {
  const env = { ...process.env, VK_ICD_FILENAMES: process.env.VK_ICD_FILENAMES || SWIFTSHADER_ICD };
  return spawnSync(process.execPath, [RUN, ...args], { env, encoding: 'utf8', timeout: 600_000 });
}

/** Result rows the small suite must produce: one per variant, and per transfer size. */
function expectedLabels() {
  return suite.cases.flatMap((c) => {
    const variants = c.variants ?? [null];
    const sizes = c.id === 'transfer' ? c.sizes.small.bytes.length : 1;
    return variants.flatMap((v) => Array(sizes).fill(v ? `${c.id}/${v}` : c.id));
  });
}

const label = (r) => (r.variant ? `${r.case}/${r.variant}` : r.case);

test('the small suite runs in Chromium and every case verifies (or says why it cannot run)', () => {
  const out = path.join(workDir, 'small.json');
  const r = runCli(['--size', 'small', '--json', out]);
  assert.equal(r.status, 0, `run.mjs exited ${r.status}\n${r.stdout}\n${r.stderr}`);
  const report = JSON.parse(fs.readFileSync(out, 'utf8'));
  keepResult(report, 'browser-rust-wasm');
  assert.equal(report.schema, 'wgslrun-result/1');
  assert.equal(report.method, 'browser-rust-wasm');
  assert.match(report.implementation, /^chromium [\d.]+ \+ wgpu \d+\.\d+\.\d+ \(wasm32\)$/);
  assert.equal(report.size, 'small');
  assert.deepEqual(report.results.map(label), expectedLabels());
  for (const result of report.results) {
    const name = label(result);
    if (result.verified === null) {
      assert.ok(typeof result.unsupported === 'string' && result.unsupported.length > 0, `${name}: unsupported needs a reason`);
      assert.equal(result.time_ms, null, `${name}: an unsupported case has no time`);
      continue;
    }
    assert.equal(result.verified, true, `${name}: ${result.error}`);
    assert.equal(result.error, null, `${name}: ${result.error}`);
    assert.ok(result.metric.value > 0 && Number.isFinite(result.metric.value), `${name} has a metric`);
    // As many times as the suite's sampling rule took, and said so in "noise".
    assert.ok(result.time_ms.count >= suite.timing.small.samples && result.time_ms.count <= suite.timing.small.max_samples,
      `${name}: ${result.time_ms.count} samples`);
    if (result.noise) assert.equal(result.noise.samples, result.time_ms.count, `${name}: noise counts the samples`);
    assert.ok(result.time_ms.min <= result.time_ms.median && result.time_ms.median <= result.time_ms.max, name);
    const gpuTimed = result.timing === 'gpu';
    assert.deepEqual(result.time_ms, gpuTimed ? result.gpu_ms : result.wall_ms, `${name}: time_ms follows timing`);
  }
});

test('an unknown filter stops the run with a message', () => {
  const r = runCli(['--size', 'small', '--filter', 'no-such-case', '--json', path.join(workDir, 'none.json')]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /filter "no-such-case" matches no case/);
});

test('a --job-timeout that is not a positive number of seconds stops the run with a message', () => {
  for (const bad of ['0', '-5', 'soon']) {
    const r = runCli(['--size', 'small', `--job-timeout=${bad}`, '--json', path.join(workDir, 'none.json')]);
    assert.equal(r.status, 2, `--job-timeout ${bad}`);
    assert.match(r.stderr, /--job-timeout must be a positive number of seconds/);
  }
  assert.ok(!fs.existsSync(path.join(workDir, 'none.json')), 'no result file');
});

test('verification comes first: a wrong or broken kernel fails its case and records no time', async () => {
  const session = await openSession();
  try {
    const stream = fs.readFileSync(path.join(BENCH_DIR, 'kernels', 'stream.wgsl'), 'utf8');
    // Skips the last element, which keeps the 0xFF poison (NaN).
    const skipsOne = stream.replace('dst[i] = src_b[i];', 'if (i + 1u < params.n) { dst[i] = src_b[i]; }');
    assert.notEqual(skipsOne, stream, 'stream.wgsl changed: update this test');
    const wrong = await session.run({ size: 'small', filter: 'copy', kernels: { 'kernels/stream.wgsl': skipsOne } });
    assert.equal(wrong.fatal, null);
    const [copy] = wrong.report.results;
    assert.equal(copy.verified, false);
    assert.match(copy.error, /dst\[\d+\] = NaN expected/);
    assert.equal(copy.time_ms, null);
    assert.equal(copy.metric.value, null);

    const broken = await session.run({ size: 'small', filter: 'copy', kernels: { 'kernels/stream.wgsl': 'fn (' } });
    assert.equal(broken.fatal, null);
    assert.equal(broken.report.results[0].verified, false);
    assert.match(broken.report.results[0].error, /kernel kernels\/stream\.wgsl/);
  } finally {
    await session.close();
  }
});
