// The C-wasm runner (bench/native compiled to wasm32) follows bench/README.md's rule: a suite
// case or variant it does not implement is an unsupported result naming it, and the run goes on.

import test, { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openBrowser, fileBytes } from '../browser.mjs';
import { unknownPartsSuite, UNKNOWN_PARTS_FILTER, assertUnknownPartsUnsupported } from '../../web/test/helpers.mjs';

let browser;

before(async () => {
  browser = await openBrowser();
});

after(async () => {
  await browser?.close();
});

test('wasm32: a case or variant the C-wasm runner lacks is an unsupported result', async () => {
  const suite = unknownPartsSuite();
  for (const c of suite.cases) if (c.kernel) c.kernel = `/wgslrun/bench/${c.kernel}`; // where the page mounts bench/
  const r = await browser.run({
    args: ['bench', '--size', 'small', '--suite', '/in/suite.json', '--filter', UNKNOWN_PARTS_FILTER, '--json', '/out/u.json'],
    files: { '/in/suite.json': JSON.stringify(suite) },
  });
  assert.equal(r.fatal, null, `the wasm module died: ${r.fatal}`);
  assert.equal(r.exit_code, 0, r.stderr);
  assertUnknownPartsUnsupported(JSON.parse(fileBytes(r, '/out/u.json').toString('utf8')).results, 'C-wasm runner');
});
