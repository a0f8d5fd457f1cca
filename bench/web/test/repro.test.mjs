// bench/web/repro/copy-bandwidth.mjs on dawn.node (SwiftShader here): every recipe's copy is
// checked against its source, repeated recipes with kept buffers and a spacer run, and a bad
// recipe or --gap stops it with exit status 2 before any GPU work.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ICD_HINT } from './helpers.mjs';

const SCRIPT = fileURLToPath(new URL('../repro/copy-bandwidth.mjs', import.meta.url));

function run(args) {
  return spawnSync(process.execPath, [SCRIPT, ...args], { encoding: 'utf8', timeout: 240e3 });
}

test('every recipe copies exactly and prints a bandwidth for each timed step', () => {
  const r = run(['--n', '65536', '--samples', '3']);
  assert.equal(r.status, 0, `${r.stdout}${r.stderr}${ICD_HINT}`);
  const lines = r.stdout.trim().split('\n');
  assert.match(lines[0], /copy of 65536 vec4 \(1 MiB\)/);
  assert.equal(lines.at(-1), 'every checked copy exact');
  const timed = lines.filter((l) => /^#\d+ /.test(l));
  assert.ok(timed.length >= 12, `one line per timed step, got ${timed.length}`);
  for (const line of timed) assert.match(line, /: \d+\.\d{4} ms \(\d+\.\d{4}\.\.\d+\.\d{4}\) \d+ GB\/s$/);
});

test('a recipe named twice, buffers kept and a gap between src and dst', () => {
  const r = run(['--n', '65536', '--samples', '3', '--keep', '--gap', '1', '--recipe', 'write-time', '--recipe', 'write-time']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /buffers kept to the end, gap 1 MiB/);
  assert.match(r.stdout, /^#1 write-time .*\n#2 write-time /m);
  assert.match(r.stdout, /every checked copy exact\n$/);
});

test('an unknown recipe or a bad --gap is refused with status 2', () => {
  let r = run(['--recipe', 'no-such-recipe']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /copy-bandwidth: unknown recipe no-such-recipe \(--help lists them\)/);
  r = run(['--gap', 'wide']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /copy-bandwidth: --gap must be a number of MiB, not 'wide'/);
});
