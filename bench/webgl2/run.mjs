#!/usr/bin/env node
// CLI for the WebGL2 row (method "webgl2"): the suite as fragment-shader passes in headless
// Chromium (Debian's /usr/bin/chromium, driven by bench/web's playwright-core).
//   node bench/webgl2/run.mjs --size small|large [--json FILE] [--filter REGEX] [--seed N] [--job-timeout S] [--verbose]
// Each unit runs as a job (bench/web/jobs.mjs): one that crashes the page or outlives
// --job-timeout (default 120 s small, 300 s large) fails alone; the next runs in a fresh browser.
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
import { JOB_TIMEOUT_S, jobTimeoutSeconds, runJobs, pageBroken } from '../web/jobs.mjs';

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

/**
 * The device ANGLE's renderer string names on Vulkan, as the WebGPU rows name it, so the report
 * compares them ("ANGLE (NVIDIA, Vulkan 1.4.312 (NVIDIA NVIDIA H200 (0x00002335)), NVIDIA)":
 * "NVIDIA H200", the vendor ANGLE puts before the device's own name dropped); else the string.
 */
function rendererDevice(renderer) {
  const inner = /, Vulkan [0-9.]+ \((.+) \(0x[0-9A-Fa-f]+\)\)/.exec(renderer)?.[1];
  if (!inner) return renderer;
  const [vendor, ...rest] = inner.split(' ');
  const named = rest.join(' ');
  return named.toLowerCase().startsWith(`${vendor.toLowerCase()} `) ? named : inner;
}

/** Header fields from the renderer string, e.g. "ANGLE (Google, Vulkan 1.3.0 (SwiftShader ...), ...)". */
export function describeRenderer(info) {
  const renderer = info?.renderer ?? 'unknown';
  const angle = /^ANGLE \([^,]*, ([A-Za-z]+)/.exec(renderer);
  return {
    adapter: rendererDevice(renderer),
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

const USAGE = `usage: node bench/webgl2/run.mjs [--size small|large] [--json FILE] [--filter REGEX] [--seed N]
                                   [--job-timeout SECONDS] [--verbose]
The suite as WebGL2 fragment-shader passes in Chromium; cases WebGL2 cannot express are
reported as unsupported. --filter is searched in each result's name: id or id/variant.
Exit status: 0 all verified or unsupported, 1 a case failed, 2 the run broke.
`;

function pageFailure(job, error) {
  return failedEntry(job.units[0], `page failed: ${error}`); // a crashed renderer, say
}

/** A browser with the row's page open and initialised: a session for bench/web/jobs.mjs. */
async function openSession({ serverUrl, timing, seed, size, log }) {
  const browser = await chromium.launch(launchOptions(CHROMIUM_FLAGS));
  try {
    const page = await openPage(browser, serverUrl, log);
    const { cross_origin_isolated: isolated, user_agent: ua, ...info } = await page.evaluate(
      (a) => window.wgslrunWebgl2.init(a), { timing, seed });
    const run = async ({ units: [unit] }) => {
      const { constants, verify, metric, extra_metric } = unit.def;
      const job = {
        key: unit.key, id: unit.def.id, variant: unit.variant, params: unit.params, inner: unit.def.inner?.[size] ?? 1,
        def: { id: unit.def.id, constants, verify, metric, extra_metric },
      };
      return toEntry(unit, await page.evaluate((u) => window.wgslrunWebgl2.run(u), job));
    };
    return { run, broken: pageBroken(page), close: () => browser.close(), version: browser.version(), info, isolated, ua };
  } catch (e) {
    await browser.close();
    throw e;
  }
}

/**
 * Runs the suite (optionally filtered) and returns the `wgslrun-result/1` object. Each unit is
 * a job of bench/web/jobs.mjs: one that crashes the page or outlives `jobTimeoutS` fails
 * alone, and the next runs in a fresh browser.
 */
export async function runWebgl2({ size, seed = 1, filter = null, command = null, jobTimeoutS = JOB_TIMEOUT_S[size],
                                  onProgress = () => {}, log = () => {},
                                  suite = JSON.parse(readFileSync(path.join(BENCH_DIR, 'suite.json'), 'utf8')) }) {
  const jobs = listUnits(suite, size, filter).map((unit) => ({ name: unit.key, units: [unit] }));
  const server = await serve({ '/webgl2/': WEBGL_DIR, '/web/': WEB_DIR, '/': BENCH_DIR });
  let first = null; // the session the header describes
  const open = async () => {
    const session = await openSession({ serverUrl: server.url, timing: suite.timing[size], seed, size, log });
    first ??= session;
    return session;
  };
  try {
    const outcomes = await runJobs(jobs, {
      open, timeoutMs: jobTimeoutS * 1e3,
      onOutcome: ({ job, value, error }, seconds) => onProgress(
        `[webgl2] ${job.name}: ${describeEntry(value ?? pageFailure(job, error))} [${seconds.toFixed(1)} s]`),
    });
    const results = outcomes.map(({ job, value, error }) => value ?? pageFailure(job, error));
    const { version, info, isolated, ua } = first;
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
    await server.close();
  }
}

function parseCli(argv) {
  const { values } = parseArgs({
    args: argv,
    options: {
      size: { type: 'string', default: 'small' }, json: { type: 'string' }, filter: { type: 'string' },
      seed: { type: 'string' }, verbose: { type: 'boolean', default: false }, 'job-timeout': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    process.exit(0);
  }
  if (!['small', 'large'].includes(values.size)) throw new Error(`unknown size ${values.size} (small|large)`);
  const jobTimeoutS = jobTimeoutSeconds(values['job-timeout'], values.size);
  if (jobTimeoutS === null) throw new Error('--job-timeout must be a positive number of seconds');
  return {
    ...values,
    jobTimeoutS,
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
  // Failed cases are results; the exit code only flags them for scripts. Exiting here, not when
  // the event loop drains: a browser that crashed may never let it.
  process.exit(result.results.some((e) => e.verified === false) ? 1 : 0);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((e) => {
    process.stderr.write(`${e?.stack ?? e}\n`);
    process.exit(2);
  });
}
