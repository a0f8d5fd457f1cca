// The small suite in Node on dawn.node, and the crash handling that protects it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CASES } from '../cases.mjs';
import { listUnits, notImplemented } from '../suite.mjs';
import {
  runSmall, assertWellFormed, assertAllVerified, unknownPartsSuite, benchDirWith, UNKNOWN_PARTS_FILTER,
  assertUnknownPartsUnsupported, suite,
} from './helpers.mjs';

test('node (dawn.node): every small case verifies', { timeout: 300e3 }, async () => {
  const { result } = await runSmall('node');
  assertWellFormed(result, { method: 'node-js', implementation: /^dawn\.node \d+\.\d+\.\d+$/ });
  assert.equal(result.backend, 'vulkan');
  assertAllVerified(result);
  // Kernel cases are timed by timestamp queries where the adapter has them.
  if (result.timestamp_query) assert.equal(result.results.find((e) => e.case === 'copy').timing, 'gpu');
  assert.equal(result.results.find((e) => e.case === 'transfer').timing, 'wall');
});

test('a case that kills the host process is recorded, and the rest still run', { timeout: 120e3 }, async () => {
  process.env.WGSLRUN_TEST_CRASH_ON = 'triad';
  let out;
  try {
    out = await runSmall('node', { filter: '^(copy|triad|stencil)$' });
  } finally {
    delete process.env.WGSLRUN_TEST_CRASH_ON;
  }
  const byCase = Object.fromEntries(out.result.results.map((e) => [e.case, e]));
  assert.equal(byCase.copy.verified, true);
  assert.equal(byCase.triad.verified, false);
  assert.match(byCase.triad.error, /^process aborted: killed by SIGABRT/);
  assert.equal(byCase.triad.time_ms, null);
  assert.equal(byCase.triad.metric.value, null);
  assert.equal(byCase.stencil.verified, true, 'the case after the crash ran in a fresh process');
  assert.ok(out.lines.some((l) => /triad: FAILED: process aborted/.test(l)), 'progress line names the crash');
});

test('a case or variant the JS runner lacks is an unsupported result, not a throw or a drop', { timeout: 120e3 }, async () => {
  const parts = unknownPartsSuite();
  const { result } = await runSmall('node', { suite: parts, benchDir: benchDirWith(parts), filter: UNKNOWN_PARTS_FILTER });
  assertUnknownPartsUnsupported(result.results, 'JS runner');
  const mapped = listUnits(suite, 'small').filter((u) => /_mapped$/.test(u.variant ?? ''));
  assert.ok(mapped.length > 0, 'suite.json lists the mapped transfer variants');
  for (const u of mapped) {
    assert.equal(notImplemented(u, CASES.transfer), `not implemented by the JS runner: variant '${u.key.replace(/\/\d+$/, '')}'`);
  }
});
