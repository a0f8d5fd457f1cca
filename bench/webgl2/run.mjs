#!/usr/bin/env node
// CLI for the WebGL2 row (method "webgl2"): the suite as fragment-shader passes in headless
// Chromium (Debian's /usr/bin/chromium, driven by bench/web's playwright-core).
//   node bench/webgl2/run.mjs --size small|large [--json FILE] [--filter REGEX] [--seed N] [--verbose]
// Units, result entries, the server and the machine header come from bench/web's modules, so
// this row's results line up key for key with the WebGPU rows.

import { writeFileSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { serve } from '../web/serve.mjs';
import { listUnits, failedEntry, assembleResult, describeEntry } from '../web/suite.mjs';
import { machineInfo, wgslrunVersion, BENCH_DIR, WEB_DIR } from '../web/driver.mjs';
import { baseFlags, launchOptions } from '../web/chromium_flags.mjs';

export const WEBGL_DIR = path.dirname(fileURLToPath(import.meta.url));
// playwright-core is bench/web's dependency; resolving through its package keeps one install.
const requireWeb = createRequire(path.join(WEB_DIR, 'package.json'));
const { chromium } = requireWeb('playwright-core');


// Every browser row's flags (bench/web/chromium_flags.mjs) without the WebGPU ones. Without a GPU,
// Chromium 13x+ only falls back to SwiftShader for WebGL when told it may (--enable-unsafe-swiftshader).
export const CHROMIUM_FLAGS = [
  ...baseFlags(), '--ignore-gpu-blocklist', '--enable-unsafe-swiftshader',
  ...(process.env.WGSLRUN_WEBGL_ANGLE ? [`--use-angle=${process.env.WGSLRUN_WEBGL_ANGLE}`] : []),
];

const SOFTWARE = /swiftshader|llvmpipe|lavapipe|softpipe|software/i;

/** Header fields from the renderer string, e.g. "ANGLE (Google, Vulkan 1.3.0 (SwiftShader ...), ...)". */
export function describeRenderer(info) {
  const renderer = info?.renderer ?? 'unknown';
  const angle = /^ANGLE \([^,]*, ([A-Za-z]+)/.exec(renderer);
  return {
    adapter: renderer,
    backend: angle ? `angle-${angle[1].toLowerCase()}` : null,
    driver: null, // WebGL exposes no driver version; the renderer string names the driver
    device_class: SOFTWARE.test(renderer) ? 'cpu' : 'gpu',
  };
}

/** A page entry's fields on top of the common entry skeleton. */
function toEntry(unit, fields) {
  const base = { ...failedEntry(unit, null), verified: null };
  if (fields.unsupported) return { ...base, unsupported: fields.unsupported };
  const { metric_value: value = null, ...rest } = fields;
  return { ...base, ...rest, metric: { ...base.metric, value: Number.isFinite(value) ? value : null } };
}

async function openPage(browser, url, log) {
  const page = await browser.newPage();
  page.on('console', (m) => log(`[page] ${m.text()}`));
  page.on('pageerror', (e) => log(`[page error] ${e.message}`));
  page.setDefaultTimeout(0);
  await page.goto(`${url}/webgl2/page.html`);
  await page.waitForFunction(() => window.wgslrunWebgl2 !== undefined);
  return page;
}

/** Runs the suite (optionally filtered) and returns the `wgslrun-result/1` object. */
export async function runWebgl2({ size, seed = 1, filter = null, command = null, onProgress = () => {}, log = () => {} }) {
  const suite = JSON.parse(readFileSync(path.join(BENCH_DIR, 'suite.json'), 'utf8'));
  const units = listUnits(suite, size, filter);
  const server = await serve({ '/webgl2/': WEBGL_DIR, '/web/': WEB_DIR, '/': BENCH_DIR });
  const browser = await chromium.launch(launchOptions(CHROMIUM_FLAGS));
  try {
    const page = await openPage(browser, server.url, log);
    const { cross_origin_isolated: isolated, user_agent: ua, ...info } = await page.evaluate(
      (a) => window.wgslrunWebgl2.init(a), { timing: suite.timing[size], seed });
    const results = [];
    for (const unit of units) {
      const t0 = Date.now();
      const job = { key: unit.key, id: unit.def.id, variant: unit.variant, params: unit.params, inner: unit.def.inner?.[size] ?? 1 };
      let entry;
      try {
        entry = toEntry(unit, await page.evaluate((u) => window.wgslrunWebgl2.run(u), job));
      } catch (e) {
        entry = failedEntry(unit, `page failed: ${e.message.split('\n')[0]}`); // a crashed renderer, say
      }
      results.push(entry);
      onProgress(`[webgl2] ${unit.key}: ${describeEntry(entry)} [${((Date.now() - t0) / 1e3).toFixed(1)} s]`);
    }
    const version = browser.version();
    const result = assembleResult({
      meta: {
        method: 'webgl2', implementation: `chromium ${version} WebGL2`,
        machine: machineInfo(), command,
        versions: { wgslrun: wgslrunVersion(), chromium: version, 'playwright-core': requireWeb('playwright-core/package.json').version },
        extra: { host_flags: CHROMIUM_FLAGS, cross_origin_isolated: isolated, user_agent: ua },
      },
      size, seed, adapterInfo: info, timestamps: info.timer_query, results,
    });
    return { ...result, ...describeRenderer(info) };
  } finally {
    await browser.close();
    await server.close();
  }
}

function parseCli(argv) {
  const { values } = parseArgs({
    args: argv,
    options: {
      size: { type: 'string', default: 'small' }, json: { type: 'string' }, filter: { type: 'string' },
      seed: { type: 'string' }, verbose: { type: 'boolean', default: false },
    },
  });
  if (!['small', 'large'].includes(values.size)) throw new Error(`unknown size ${values.size} (small|large)`);
  return {
    ...values,
    // Fresh inputs per run unless asked; the seed is in the result to reproduce them.
    seed: values.seed !== undefined ? Number(values.seed) >>> 0 : (Date.now() ^ (process.pid << 16)) >>> 0,
  };
}

function table(result) {
  const rows = result.results.map((e) => {
    const key = e.variant ? `${e.case}/${e.variant}${e.params.bytes ? `/${e.params.bytes}` : ''}` : e.case;
    const metric = e.metric.value == null ? '-' : `${e.metric.value.toPrecision(4)} ${e.metric.unit}`;
    const status = e.unsupported ? `unsupported: ${e.unsupported}` : e.verified ? 'verified' : `FAILED: ${e.error}`;
    return `| ${key} | ${metric} | ${e.timing ?? '-'} | ${status} |`;
  });
  return [`${result.implementation} on ${result.adapter} (${result.device_class})`,
    '| case | metric | timing | verified |', '| --- | --- | --- | --- |', ...rows].join('\n');
}

async function main() {
  const opts = parseCli(process.argv.slice(2));
  const command = ['node', 'bench/webgl2/run.mjs', ...process.argv.slice(2)].join(' ');
  const stderr = (line) => process.stderr.write(`${line}\n`);
  const result = await runWebgl2({ ...opts, command, onProgress: stderr, log: opts.verbose ? stderr : () => {} });
  if (opts.json) {
    mkdirSync(path.dirname(path.resolve(opts.json)), { recursive: true });
    writeFileSync(opts.json, JSON.stringify(result, null, 2) + '\n');
    stderr(`wrote ${opts.json}`);
  }
  process.stdout.write(table(result) + '\n');
  // Failed cases are results; the exit code only flags them for scripts.
  process.exitCode = result.results.some((e) => e.verified === false) ? 1 : 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((e) => {
    process.stderr.write(`${e?.stack ?? e}\n`);
    process.exit(2);
  });
}
