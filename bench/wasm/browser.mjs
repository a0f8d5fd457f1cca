// Node side of the wasm32 row: serves bench/ on 127.0.0.1, starts Debian's Chromium headless
// with a fresh profile through playwright-core (never a downloaded browser), opens
// host.html and runs wgslrun commands in the page (host_page.mjs). Used by run.mjs and the tests.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { serve } from '../web/serve.mjs';
import { pageBroken } from '../web/jobs.mjs';
import { baseFlags, webgpuFlags, launchOptions } from '../web/chromium_flags.mjs';

export const WASM_DIR = path.dirname(fileURLToPath(import.meta.url));
export const BENCH_DIR = path.resolve(WASM_DIR, '..');
export const WASM_BINARY = path.join(WASM_DIR, 'build', 'wgslrun.wasm');
export const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

/** The same Chromium flags as every browser row (bench/web/chromium_flags.mjs). */
export function chromiumFlags() {
  return [...baseFlags(), ...webgpuFlags()];
}

/**
 * playwright-core: bench/wasm's own install if present, else the one bench/web installs.
 * Only the library is used; the browser is chromium_flags.mjs's CHROMIUM.
 */
async function loadPlaywright() {
  for (const base of [WASM_DIR, path.join(BENCH_DIR, 'web')]) {
    try {
      const resolved = createRequire(path.join(base, 'package.json')).resolve('playwright-core');
      const module = await import(resolved);
      return { chromium: module.chromium ?? module.default.chromium, version: playwrightVersion(resolved) };
    } catch {
      // try the next location
    }
  }
  throw new Error('playwright-core not found: run `npm ci` in bench/wasm (or in bench/web)');
}

function playwrightVersion(resolved) {
  let dir = path.dirname(resolved);
  while (!fs.existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir);
  return JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).version;
}

/**
 * Opens the host page; resolves to {chromiumVersion, playwrightVersion, flags, broken, describe(), run(request),
 * close()}; `broken` rejects when the page crashes or closes (bench/web/jobs.mjs).
 * `onLog` receives the page's console output (the runner's progress lines).
 */
export async function openBrowser({ onLog = () => {} } = {}) {
  if (!fs.existsSync(WASM_BINARY)) throw new Error(`${WASM_BINARY} is missing: run bench/wasm/build.sh`);
  const { chromium, version: playwrightVersion } = await loadPlaywright();
  const server = await serve({ '/': BENCH_DIR });
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'wgslrun-wasm-profile-'));
  const flags = chromiumFlags();
  const env = { ...process.env, VK_ICD_FILENAMES: process.env.VK_ICD_FILENAMES || SWIFTSHADER_ICD };
  let context;
  try {
    context = await chromium.launchPersistentContext(profile, { ...launchOptions(flags), env });
  } catch (e) {
    await server.close();
    fs.rmSync(profile, { recursive: true, force: true });
    throw e;
  }
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(0); // the caller owns timeouts; a large benchmark takes long
  page.on('console', (message) => onLog(message.text()));
  page.on('pageerror', (error) => onLog(`[page error] ${error.message}`));
  await page.goto(`${server.url}/wasm/host.html`);
  await page.waitForFunction(() => window.wgslrunWasm !== undefined);
  const broken = pageBroken(page);
  const chromiumVersion = context.browser()?.version() ?? (await page.evaluate(() => navigator.userAgent.match(/Chrome\/([\d.]+)/)?.[1]));
  return {
    chromiumVersion,
    playwrightVersion,
    flags,
    broken,
    describe: () => page.evaluate(() => window.wgslrunWasm.describe()),
    run: (request) => page.evaluate((r) => window.wgslrunWasm.run(r), request),
    async close() {
      await context.close();
      await server.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** A file the page wrote, as bytes. */
export function fileBytes(result, filePath) {
  const data = result.files[filePath];
  return data === undefined ? null : Buffer.from(data, 'base64');
}
