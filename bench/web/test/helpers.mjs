// Shared by the host tests: run the small suite on one host and check the result thoroughly.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runHost } from '../driver.mjs';
import { listUnits } from '../suite.mjs';

export const suite = JSON.parse(readFileSync(new URL('../../suite.json', import.meta.url), 'utf8'));

/** A hint for the commonest reason no host finds an adapter on a GPU-less machine. */
export const ICD_HINT = process.env.VK_ICD_FILENAMES
  ? ''
  : ' (VK_ICD_FILENAMES is not set; on a machine without a GPU set it to /usr/lib/chromium/vk_swiftshader_icd.json)';

/**
 * Leaves a runner's result document in $WGSLRUN_RESULTS_OUT (ctest sets it) as NAME.json, so
 * tests/schema validates what the runner tests produced without running them again.
 */
export function keepResult(result, name) {
  const dir = process.env.WGSLRUN_RESULTS_OUT;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, `${name}.json`), `${JSON.stringify(result, null, 1)}\n`);
}

export async function runSmall(host, opts = {}) {
  const lines = [];
  const result = await runHost(host, {
    suite, size: 'small', seed: 12345, timeoutMs: 240e3, ...opts, onProgress: (l) => lines.push(l),
  });
  const failedStart = result.results.find((e) => /^host failed to start/.test(e.error ?? ''));
  if (failedStart) assert.fail(`${host} found no WebGPU device${ICD_HINT}: ${failedStart.error}`);
  if (Object.keys(opts).length === 0) keepResult(result, `${result.method}-${host}`);
  return { result, lines };
}

/** Every field the README's result format names, on the header and on each entry. */
export function assertWellFormed(result, { method, implementation, filter = null }) {
  assert.equal(result.schema, 'wgslrun-result/1');
  assert.equal(result.method, method);
  assert.match(result.implementation, implementation);
  for (const k of ['adapter', 'backend', 'device_class', 'machine', 'versions', 'date', 'size', 'results']) {
    assert.ok(result[k] !== undefined, `header lacks ${k}`);
  }
  assert.equal(result.size, 'small');
  const keys = listUnits(suite, 'small', filter);
  assert.equal(result.results.length, keys.length, 'one entry per unit');
  for (const e of result.results) {
    for (const k of ['case', 'class', 'variant', 'params', 'verified', 'max_error', 'error', 'timing', 'time_ms', 'wall_ms', 'gpu_ms', 'metric']) {
      assert.ok(k in e, `${e.case}: entry lacks ${k}`);
    }
  }
}

/**
 * Every case verified with times and a metric, or, where the host genuinely cannot run it,
 * says so explicitly with a reason. Failures are listed all at once.
 */
export function assertAllVerified(result) {
  const problems = [];
  for (const e of result.results) {
    const name = e.variant ? `${e.case}/${e.variant}/${JSON.stringify(e.params)}` : e.case;
    if (e.unsupported) {
      if (e.verified !== null || typeof e.unsupported !== 'string' || !e.unsupported.length) problems.push(`${name}: malformed unsupported entry`);
      continue;
    }
    if (e.verified !== true) {
      problems.push(`${name}: ${e.error}`);
      continue;
    }
    if (!(e.time_ms?.median > 0) || !(e.metric.value > 0)) problems.push(`${name}: verified but no time or metric`);
    if (e.timing === 'gpu' && JSON.stringify(e.gpu_ms) !== JSON.stringify(e.time_ms)) problems.push(`${name}: gpu timing but time_ms is not gpu_ms`);
    if (!e.wall_ms) problems.push(`${name}: no wall time`);
    const n = e.noise;
    const timing = suite.timing.small;
    if (!n || n.samples !== e.time_ms.count || !(n.rsd >= 0) || n.rsd_target !== timing.rsd_target
        || n.samples < timing.samples || n.samples > timing.max_samples
        || n.converged !== (n.stopped_by === 'rsd_target')
        || !['rsd_target', 'max_seconds', 'max_samples'].includes(n.stopped_by)) {
      problems.push(`${name}: noise ${JSON.stringify(n)} does not follow the suite's rule for ${e.time_ms.count} samples`);
    }
  }
  assert.deepEqual(problems, [], `cases that did not verify${ICD_HINT}`);
}

/**
 * suite.json plus a case no runner has, an unknown transfer variant and a variant given to a
 * case that takes none: bench/README.md's rule makes each an unsupported result.
 */
export function unknownPartsSuite() {
  const s = structuredClone(suite);
  const byId = Object.fromEntries(s.cases.map((c) => [c.id, c]));
  byId.transfer.variants = ['upload', 'teleport'];
  byId.copy.variants = ['bogus'];
  s.cases.push({ ...structuredClone(byId.triad), id: 'no_such_case' });
  return s;
}

/** A bench directory holding `suite` beside the real kernels, for runners that read it from disk. */
export function benchDirWith(suiteObject) {
  const dir = mkdtempSync(path.join(tmpdir(), 'wgslrun-suite-'));
  writeFileSync(path.join(dir, 'suite.json'), JSON.stringify(suiteObject));
  symlinkSync(new URL('../../kernels', import.meta.url).pathname, path.join(dir, 'kernels'));
  return dir;
}

/** The units of unknownPartsSuite that are unknown, and nothing else. */
export const UNKNOWN_PARTS_FILTER = '^(copy|transfer/teleport|no_such_case)';

/** Each unknown part came back unsupported, with `runner`'s reason and no times. */
export function assertUnknownPartsUnsupported(results, runner) {
  const got = results.map((e) => [e.variant ? `${e.case}/${e.variant}` : e.case, e.unsupported, e.verified, e.time_ms]);
  const say = (what) => `not implemented by the ${runner}: ${what}`;
  assert.deepEqual(got, [
    ['copy/bogus', say("variant 'copy/bogus'"), null, null],
    ['transfer/teleport', say("variant 'transfer/teleport'"), null, null],
    ['transfer/teleport', say("variant 'transfer/teleport'"), null, null],
    ['no_such_case', say("case 'no_such_case'"), null, null],
  ]);
}
