// Node side of the browser-rust-wasm row: serves bench/ and starts Debian's Chromium headless
// with bench/web's server and bench/wasm's flags (imported, not copied), opens host.html and runs the suite
// in the page. Used by run.mjs and the tests.
//
// bench/wasm/browser.mjs's openBrowser() is tied to its own page and binary, so the session is
// opened here from the pieces it exports: chromiumFlags, BENCH_DIR, and the launch
// options of bench/web/chromium_flags.mjs.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { serve } from '../web/serve.mjs';
import { BENCH_DIR, SWIFTSHADER_ICD, chromiumFlags } from '../wasm/browser.mjs';
import { launchOptions } from '../web/chromium_flags.mjs';
import { pageBroken } from '../web/jobs.mjs';

export const RUST_WASM_DIR = path.dirname(fileURLToPath(import.meta.url));
export const PKG_DIR = path.join(RUST_WASM_DIR, 'build', 'pkg');
export const WASM_MODULE = path.join(PKG_DIR, 'wgslrun_bench_rust_wasm_bg.wasm');

/** playwright-core as installed for the other web rows (the library only; never its browsers). */
async function loadPlaywright() {
  for (const dir of [RUST_WASM_DIR, path.join(BENCH_DIR, 'wasm'), path.join(BENCH_DIR, 'web')]) {
    let resolved;
    try {
      resolved = createRequire(path.join(dir, 'package.json')).resolve('playwright-core');
    } catch {
      continue; // not installed there
    }
    const module = await import(resolved);
    return { chromium: module.chromium ?? module.default.chromium, version: packageVersion(resolved) };
  }
  throw new Error('playwright-core not found: run `npm ci` in bench/web');
}

function packageVersion(resolved) {
  let dir = path.dirname(resolved);
  while (!fs.existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir);
  return JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).version;
}

/**
 * Opens the host page; resolves to {chromiumVersion, playwrightVersion, flags, broken, describe(),
 * run(options), close()}; `broken` rejects when the page crashes, closes or throws (a wasm trap).
 * `onLog` receives the page's console lines (progress, panics).
 */
export async function openSession({ onLog = () => {} } = {}) {
  if (!fs.existsSync(WASM_MODULE)) throw new Error(`${WASM_MODULE} is missing: run bench/rust-wasm/build.sh`);
  const { chromium, version: playwrightVersion } = await loadPlaywright();
  const server = await serve({ '/': BENCH_DIR });
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'wgslrun-rust-wasm-profile-'));
  const flags = chromiumFlags();
  const env = { ...process.env, VK_ICD_FILENAMES: process.env.VK_ICD_FILENAMES || SWIFTSHADER_ICD };
  const cleanup = async () => {
    await server.close();
    fs.rmSync(profile, { recursive: true, force: true });
  };
  let context;
  try {
    context = await chromium.launchPersistentContext(profile, { ...launchOptions(flags), env });
  } catch (e) {
    await cleanup();
    throw e;
  }
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(0); // a large suite takes long; callers own their timeouts
  page.on('console', (message) => onLog(message.text()));
  page.on('pageerror', (error) => onLog(`[page error] ${error.message}`));
  await page.goto(`${server.url}/rust-wasm/host.html`);
  await page.waitForFunction(() => window.wgslrunRustWasm !== undefined);
  // A wasm trap inside wgpu's futures leaves the run's promise pending for ever: a page error
  // ends the session instead (bench/web/jobs.mjs).
  const broken = pageBroken(page, { onPageError: true });
  return {
    chromiumVersion: context.browser()?.version() ?? (await page.evaluate(() => navigator.userAgent.match(/Chrome\/([\d.]+)/)?.[1])),
    playwrightVersion,
    flags,
    broken,
    describe: () => page.evaluate(() => window.wgslrunRustWasm.describe()),
    run: (options) => page.evaluate((o) => window.wgslrunRustWasm.run(o), options),
    async close() {
      await context.close();
      await cleanup();
    },
  };
}
