// run.mjs --suite: another suite file and its kernels travel into the page, and the runner
// measures the sizes that file gives (here the dispatch case at a count bench/suite.json lacks).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const RUN = fileURLToPath(new URL('../run.mjs', import.meta.url));
const BENCH = fileURLToPath(new URL('../..', import.meta.url));

test('a --suite file with its own sizes runs in the page with those sizes', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wgslrun-wasm-user-suite-'));
  const suite = JSON.parse(fs.readFileSync(path.join(BENCH, 'suite.json'), 'utf8'));
  const dispatch = suite.cases.find((c) => c.id === 'dispatch');
  dispatch.sizes.small = { dispatches: 7 };
  fs.mkdirSync(path.join(dir, 'kernels'));
  fs.copyFileSync(path.join(BENCH, dispatch.kernel), path.join(dir, dispatch.kernel));
  fs.writeFileSync(path.join(dir, 'suite.json'), JSON.stringify({ ...suite, cases: [dispatch] }));

  const out = path.join(dir, 'result.json');
  const r = spawnSync(process.execPath, [RUN, '--suite', path.join(dir, 'suite.json'), '--filter', 'one_pass', '--json', out],
                      { encoding: 'utf8', timeout: 120e3 });
  assert.equal(r.status, 0, r.stderr);
  const report = JSON.parse(fs.readFileSync(out, 'utf8'));
  assert.equal(report.results.length, 1);
  const [result] = report.results;
  assert.equal(`${result.case}/${result.variant}`, 'dispatch/one_pass');
  assert.deepEqual(result.params, { dispatches: 7 });
  assert.equal(result.verified, true, result.error);
  assert.match(report.runner_command, /--suite \/wgslrun\/user-suite\/suite\.json/);
  fs.rmSync(dir, { recursive: true, force: true });
});
