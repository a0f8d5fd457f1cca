// How the environment shapes every browser row's launch (chromium_flags.mjs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { baseFlags, webgpuFlags, launchOptions, displayMode } from '../chromium_flags.mjs';

test('headless by default, with the closed-network flags', () => {
  const flags = baseFlags({});
  assert.equal(flags[0], '--headless');
  assert.ok(flags.includes('--no-sandbox') && flags.includes('--disable-background-networking'));
  assert.ok(!flags.some((f) => f.startsWith('--ozone-platform')));
  assert.equal(launchOptions(flags, {}).headless, true);
});

test('x11 display: a windowed browser on DISPLAY, not headless', () => {
  const env = { WGSLRUN_CHROMIUM_DISPLAY: 'x11', DISPLAY: ':99' };
  const flags = baseFlags(env);
  assert.ok(flags.includes('--ozone-platform=x11'));
  assert.ok(!flags.includes('--headless'));
  assert.equal(launchOptions(flags, env).headless, false);
});

test('x11 without DISPLAY and unknown modes are refused with the variable named', () => {
  assert.throws(() => displayMode({ WGSLRUN_CHROMIUM_DISPLAY: 'x11' }), /needs DISPLAY/);
  assert.throws(() => displayMode({ WGSLRUN_CHROMIUM_DISPLAY: 'wayland' }), /WGSLRUN_CHROMIUM_DISPLAY=wayland: expected headless or x11/);
});

test('extra flags and the adapter choice are appended', () => {
  const flags = baseFlags({ WGSLRUN_CHROMIUM_FLAGS: '  --ignore-gpu-blocklist   --use-angle=vulkan ' });
  assert.deepEqual(flags.slice(-2), ['--ignore-gpu-blocklist', '--use-angle=vulkan']);
  assert.ok(webgpuFlags({ WGSLRUN_CHROMIUM_ADAPTER: 'swiftshader' }).includes('--use-webgpu-adapter=swiftshader'));
  assert.ok(!webgpuFlags({}).some((f) => f.startsWith('--use-webgpu-adapter')));
});
