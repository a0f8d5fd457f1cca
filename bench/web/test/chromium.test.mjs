// The small suite in headless Chromium (Debian's /usr/bin/chromium, SwiftShader adapter).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runSmall, assertWellFormed, assertAllVerified } from './helpers.mjs';

test('chromium: every small case verifies', { timeout: 300e3 }, async () => {
  const { result } = await runSmall('chromium');
  assertWellFormed(result, { method: 'browser-js', implementation: /^chromium \d+\.\d+\.\d+\.\d+$/ });
  assert.equal(result.cross_origin_isolated, true, 'the page is cross-origin isolated (fine performance.now)');
  assert.ok(Array.isArray(result.host_flags) && result.host_flags.includes('--enable-unsafe-webgpu'));
  assertAllVerified(result);
});
