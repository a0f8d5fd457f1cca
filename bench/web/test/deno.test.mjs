// The small suite in Deno (built-in navigator.gpu, wgpu).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runSmall, assertWellFormed, assertAllVerified } from './helpers.mjs';

test('deno (wgpu): every small case verifies', { timeout: 300e3 }, async () => {
  const { result } = await runSmall('deno');
  assertWellFormed(result, { method: 'deno-js', implementation: /^deno \d+\.\d+\.\d+ \(wgpu\)$/ });
  assert.equal(result.backend, 'vulkan');
  assertAllVerified(result);
});
