// Host process for headless Chromium (Debian's /usr/bin/chromium; never a downloaded browser),
// driven by playwright-core. Serves bench/ on 127.0.0.1, opens host/page.html and runs each unit
// in the page. If the page or browser dies, this process exits non-zero so run.mjs records the
// case as aborted and continues in a fresh browser, as it does for a crashing dawn.node.
//   node host/chromium.mjs '<job json>'

import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { serve } from '../serve.mjs';
import { encodeEvent, decodeJob } from './protocol.mjs';
import { baseFlags, webgpuFlags, launchOptions } from '../chromium_flags.mjs';

const WEB_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const CHROMIUM_FLAGS = [...baseFlags(), ...webgpuFlags()];

function emit(event) {
  process.stdout.write(encodeEvent(event));
}

function die(message, code = 3) {
  process.stderr.write(`[chromium] ${message}\n`);
  process.exit(code);
}

async function openPage(browser, url) {
  const page = await browser.newPage();
  page.on('console', (m) => process.stderr.write(`${m.text()}\n`));
  page.on('pageerror', (e) => process.stderr.write(`[page error] ${e.message}\n`));
  // A crashed renderer or GPU process must end this host so the parent can record it.
  page.on('crash', () => die('page crashed (renderer process died)'));
  page.setDefaultTimeout(0); // run.mjs owns the per-case timeout
  await page.goto(`${url}/web/host/page.html`);
  await page.waitForFunction(() => window.wgslrunPage !== undefined);
  return page;
}

async function main() {
  const job = decodeJob(process.argv[process.argv.length - 1]);
  const server = await serve({ '/web/': WEB_DIR, '/': job.benchDir });
  const browser = await chromium.launch(launchOptions(CHROMIUM_FLAGS));
  // Playwright listens to 'disconnected' itself, so the handler is gated rather than removed.
  let closing = false;
  browser.on('disconnected', () => closing || die('browser disconnected (chromium exited)'));
  const page = await openPage(browser, server.url);
  const info = await page.evaluate((args) => window.wgslrunPage.init(args), {
    size: job.size, seed: job.seed, host: job.host ?? null,
  });
  const version = browser.version();
  emit({
    type: 'ready', adapter_info: info.adapter_info, timestamps: info.timestamps,
    implementation: `chromium ${version}`,
    versions: { chromium: version, 'playwright-core': await playwrightVersion() },
    backend: null,
    extra: { host_flags: CHROMIUM_FLAGS, cross_origin_isolated: info.cross_origin_isolated, user_agent: info.user_agent },
  });
  for (const key of job.keys) {
    emit({ type: 'start', key });
    const entry = await page.evaluate((k) => window.wgslrunPage.run(k), key);
    emit({ type: 'result', key, entry });
  }
  await page.evaluate(() => window.wgslrunPage.close());
  closing = true;
  await browser.close();
  await server.close();
  emit({ type: 'done' });
}

async function playwrightVersion() {
  const { createRequire } = await import('node:module');
  return createRequire(import.meta.url)('playwright-core/package.json').version;
}

main().then(
  () => process.exit(0),
  (e) => die(`fatal: ${e?.stack ?? e}`, 2),
);
