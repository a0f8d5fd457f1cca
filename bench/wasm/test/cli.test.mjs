// run.mjs's command line: bad arguments stop it with exit status 2, one message line naming
// the argument, and no result file, before any browser starts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, existsSync, writeFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const RUN = fileURLToPath(new URL('../run.mjs', import.meta.url));
const out = path.join(mkdtempSync(path.join(os.tmpdir(), 'wgslrun-wasm-cli-')), 'none.json');

function runCli(args) {
  return spawnSync(process.execPath, [RUN, ...args, '--json', out], { encoding: 'utf8', timeout: 60e3 });
}

test('a filter that matches no job is refused', () => {
  const r = runCli(['--size', 'small', '--filter', '^no-such-case$']);
  assert.equal(r.status, 2);
  assert.equal(r.stderr.trim(), "run.mjs: error: no case of the suite matches --filter '^no-such-case$'");
  assert.ok(!existsSync(out));
});

test('a --job-timeout that is not a positive number of seconds is refused', () => {
  for (const bad of ['0', '-1', 'later']) {
    const r = runCli(['--size', 'small', `--job-timeout=${bad}`]);
    assert.equal(r.status, 2, `--job-timeout ${bad}`);
    assert.match(r.stderr, /^run\.mjs: error: --job-timeout must be a positive number of seconds\nusage: /);
  }
  assert.ok(!existsSync(out));
});

test('an unknown size is refused', () => {
  const r = runCli(['--size', 'huge']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /^run\.mjs: error: --size must be small or large/);
});

test('a --suite file that is missing, not JSON, or names a missing kernel is refused by name', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'wgslrun-wasm-suite-'));
  const missing = path.join(dir, 'missing.json');
  let r = runCli(['--suite', missing]);
  assert.equal(r.status, 2);
  assert.equal(r.stderr.trim(), `run.mjs: error: --suite ${missing}: no such file`);

  const broken = path.join(dir, 'broken.json');
  writeFileSync(broken, '{"cases": [');
  r = runCli(['--suite', broken]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, new RegExp(`^run\\.mjs: error: --suite ${broken}: not JSON: `));

  const suite = path.join(dir, 'suite.json');
  mkdirSync(path.join(dir, 'kernels'));
  writeFileSync(suite, JSON.stringify({ cases: [{ id: 'copy', kernel: 'kernels/copy.wgsl', sizes: { small: { n: 64 } } }] }));
  r = runCli(['--suite', suite]);
  assert.equal(r.status, 2);
  assert.equal(r.stderr.trim(), `run.mjs: error: kernel of --suite ${suite}: ${path.join(dir, 'kernels', 'copy.wgsl')}: no such file`);
  assert.ok(!existsSync(out));
});
