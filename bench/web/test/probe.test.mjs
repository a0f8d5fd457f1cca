// The Chromium probe (probe_chromium.mjs) on this machine's adapter. Without a GPU that is
// SwiftShader, a fallback adapter: the kernel verifies, but no configuration counts as reaching
// a GPU, so the probe exits 1 and writes no configuration to use.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const PROBE = fileURLToPath(new URL('../probe_chromium.mjs', import.meta.url));
const onGpuMachine = existsSync('/dev/nvidia0');

function runProbe(args, env = {}) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'wgslrun-probe-'));
  const json = path.join(dir, 'probe.json');
  const envOut = path.join(dir, 'chromium.env');
  const r = spawnSync(process.execPath, [PROBE, ...args, '--json', json, '--env-out', envOut],
    { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 240e3 });
  return { status: r.status, stderr: r.stderr, report: existsSync(json) ? JSON.parse(readFileSync(json, 'utf8')) : null, envOut };
}

function assertVerifiedReport(r, config) {
  assert.ok(r.report, `no report; stderr: ${r.stderr}`);
  const [report] = r.report.reports;
  assert.equal(report.config, config);
  assert.equal(report.error, undefined, `probe failed: ${report.error}`);
  assert.ok(report.adapters.default && report.adapters.first_request, 'the default and the rows\' adapter');
  assert.ok(report.compute.adapter, 'the adapter the kernel ran on');
  assert.equal(report.compute.ok, true, `kernel: ${JSON.stringify(report.compute)}`);
  assert.equal(report.compute.wrong, 0);
  assert.ok(report.gpu_page.some((l) => /WebGPU/.test(l)), 'chrome://gpu lines kept');
  if (!onGpuMachine) {
    assert.equal(report.compute.adapter.is_fallback, true, 'SwiftShader is a fallback adapter');
    assert.equal(r.status, 1, 'a fallback adapter is not a GPU');
    assert.equal(readFileSync(r.envOut, 'utf8'), '', 'no configuration to use');
  }
  return report;
}

test('probe: headless Chromium gives a verified adapter and its chrome://gpu lines', { timeout: 300e3 }, () => {
  const report = assertVerifiedReport(runProbe(['--config', 'headless-gpu']), 'headless-gpu');
  assert.ok(report.flags.includes('--ignore-gpu-blocklist') && report.flags.includes('--headless'));
});

test('probe: a windowed Chromium under Xvfb (--ozone-platform=x11)', { timeout: 300e3 }, async (t) => {
  const display = ':' + (90 + (process.pid % 9));
  const xvfb = spawn('Xvfb', [display, '-screen', '0', '1024x768x24', '-nolisten', 'tcp'], { stdio: 'ignore' });
  const spawned = await new Promise((resolve) => { xvfb.once('error', () => resolve(false)); setTimeout(() => resolve(true), 1500); });
  if (!spawned) return t.skip('Xvfb is not installed (scripts/setup.sh installs it)');
  try {
    const report = assertVerifiedReport(runProbe(['--config', 'x11-gpu'], { DISPLAY: display }), 'x11-gpu');
    assert.ok(report.flags.includes('--ozone-platform=x11') && !report.flags.includes('--headless'));
  } finally {
    xvfb.kill();
  }
});

test('probe: an unknown configuration is refused with exit status 2', () => {
  const r = runProbe(['--config', 'no-such-config']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /unknown configuration no-such-config/);
});

test('probe: --list names every configuration and --help the options', () => {
  const list = spawnSync(process.execPath, [PROBE, '--list'], { encoding: 'utf8' });
  assert.equal(list.status, 0);
  for (const name of ['headless', 'headless-angle-vulkan', 'x11-gpu']) assert.match(list.stdout, new RegExp(`^${name}\\t`, 'm'));
  const help = spawnSync(process.execPath, [PROBE, '--help'], { encoding: 'utf8' });
  assert.equal(help.status, 0);
  assert.match(help.stdout, /--env-out FILE/);
});
