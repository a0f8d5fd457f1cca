// The "browser-rust-wasm" row: bench/rust-wasm (Rust + wgpu's WebGPU backend, compiled to
// wasm32-unknown-unknown by build.sh) run in headless Chromium, written as wgslrun-result/1.
//
//   node bench/rust-wasm/run.mjs [--size small|large] [--filter REGEX] [--seed N] [--job-timeout SECONDS] [--json FILE]
//
// --filter: a regular expression searched for in `case` or `case/variant` (as every runner).
// The suite runs one job (a case, or a variant of one) per call into the page, so a job that
// traps the wasm, crashes the page or outlives --job-timeout (default 120 s small, 300 s large)
// is recorded as failed and the rest run in a fresh browser (bench/web/jobs.mjs).
// Default output: bench/rust-wasm/build/browser-rust-wasm-SIZE.json. Exit status: 0 when every
// case verified or is unsupported, 1 when a case or a job failed, 2 when the run itself broke.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { RUST_WASM_DIR, WASM_MODULE, openSession } from './session.mjs';
import { jobTimeoutSeconds, suiteJobs, runJobs, mergeReports } from '../web/jobs.mjs';
import { BENCH_DIR } from '../wasm/browser.mjs';

const USAGE = 'usage: node bench/rust-wasm/run.mjs [--size small|large] [--filter REGEX] [--seed N] [--job-timeout SECONDS] [--json FILE]\n';

function options() {
  const { values } = parseArgs({
    options: {
      size: { type: 'string', default: 'small' }, filter: { type: 'string' }, seed: { type: 'string' },
      json: { type: 'string' }, 'job-timeout': { type: 'string' }, help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    process.exit(0);
  }
  if (!['small', 'large'].includes(values.size)) throw new Error(`--size must be small or large\n${USAGE}`);
  try {
    if (values.filter) new RegExp(values.filter);
  } catch (e) {
    throw new Error(`--filter ${values.filter} is not a regular expression: ${e.message}\n${USAGE}`);
  }
  // The seed travels through JSON as a JS number: exact only up to 2^53.
  if (values.seed !== undefined && !(/^\d+$/.test(values.seed) && Number.isSafeInteger(Number(values.seed))))
    throw new Error(`--seed must be an integer in [0, 2^53)\n${USAGE}`);
  const timeout = jobTimeoutSeconds(values['job-timeout'], values.size);
  if (timeout === null) throw new Error(`--job-timeout must be a positive number of seconds\n${USAGE}`);
  values.jobTimeoutMs = timeout * 1e3;
  values.json ??= path.join(RUST_WASM_DIR, 'build', `browser-rust-wasm-${values.size}.json`);
  return values;
}

/** build.sh's record of the compiler and bindgen versions: {rustc, 'wasm-bindgen'}. */
function toolchain() {
  try {
    const [rustc, bindgen] = fs.readFileSync(path.join(RUST_WASM_DIR, 'build', 'toolchain.txt'), 'utf8').trim().split('\n');
    return { rustc: rustc.replace(/^rustc /, ''), 'wasm-bindgen': bindgen.replace(/^wasm-bindgen /, '') };
  } catch {
    return { rustc: 'unknown', 'wasm-bindgen': 'unknown' };
  }
}

/**
 * The finished document: wasm knows what it ran and on which WebGPU adapter; the host knows
 * the browser (with developer features, the adapter's real backend and driver), the machine,
 * the date and the toolchain.
 */
function describeRow(report, { session, page, command }) {
  const info = page.adapter?.info ?? {};
  const cpu = info.type === 'CPU' || info.isFallbackAdapter === true;
  return {
    schema: report.schema,
    method: report.method,
    implementation: `chromium ${session.chromiumVersion} + wgpu ${page.wgpu} (wasm32)`,
    adapter: report.adapter || info.description, // the adapter wgpu ran on names itself
    backend: info.backend || report.backend,
    driver: info.driver || report.driver,
    device_class: cpu ? 'cpu' : report.device_class,
    adapter_info: info,
    timestamp_queries: report.timestamp_queries,
    machine: { hostname: os.hostname(), cpu: os.cpus()[0]?.model ?? 'unknown', os: `${os.type()} ${os.release()}` },
    versions: { ...report.versions, chromium: session.chromiumVersion, ...toolchain(), 'playwright-core': session.playwrightVersion },
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    command,
    suite: report.suite,
    size: report.size,
    host: {
      flags: session.flags, user_agent: page.user_agent, cross_origin_isolated: page.cross_origin_isolated,
      wasm_bytes: fs.statSync(WASM_MODULE).size,
      runner: 'bench/rust-wasm (Rust, wgpu webgpu backend) compiled for wasm32-unknown-unknown, wasm-bindgen glue',
    },
    results: report.results,
  };
}

function label(r) {
  return r.variant ? `${r.case}/${r.variant}` : r.case;
}

function printTable(results) {
  const rows = results.map((r) => [
    label(r),
    Object.entries(r.params).map(([k, v]) => `${k}=${v}`).join(' '),
    r.metric?.value == null ? '-' : `${r.metric.value.toPrecision(4)} ${r.metric.unit}`,
    r.timing ?? '-',
    r.verified === true ? 'yes' : r.verified === false ? `FAILED: ${r.error}` : `unsupported: ${r.unsupported}`,
  ]);
  const header = ['case', 'params', 'metric', 'timing', 'verified'];
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((row) => row[c].length)));
  for (const row of [header, ...rows]) console.log(row.map((cell, c) => cell.padEnd(widths[c])).join('  ').trimEnd());
}

function writeJson(file, value) {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const tmp = `${file}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(value, null, 2) + '\n');
  fs.renameSync(tmp, file);
}

/** The suite's filter rule, in every runner: the regular expression is found in the name. */
function filterMatches(filter, name) {
  return !filter || new RegExp(filter).test(name);
}

const escapeRegex = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** One job in the open page: the page's filter is the job's name, anchored, so it runs alone. */
async function runJob(session, opts, command, job) {
  const filter = `^${escapeRegex(job.name)}$`;
  const request = { size: opts.size, filter, command, ...(opts.seed ? { seed: Number(opts.seed) } : {}) };
  const outcome = await session.run(request);
  if (outcome.fatal) throw new Error(`the wasm runner died: ${outcome.fatal}`);
  const own = outcome.report.results.filter((r) => label(r) === job.name);
  return { report: { ...outcome.report, results: own } };
}

async function main() {
  const opts = options();
  const command = `node bench/rust-wasm/run.mjs ${process.argv.slice(2).join(' ')}`.trim();
  const suite = JSON.parse(fs.readFileSync(path.join(BENCH_DIR, 'suite.json'), 'utf8'));
  const jobs = suiteJobs(suite, opts.size, (name) => filterMatches(opts.filter, name));
  if (!jobs.length) throw new Error(`filter "${opts.filter}" matches no case of the suite`);
  const onLog = (line) => line && process.stderr.write(`${line}\n`);
  let first = null; // the session and page the header describes
  const open = async () => {
    const session = await openSession({ onLog });
    const page = await session.describe();
    if (!page.webgpu) {
      await session.close();
      throw new Error('this Chromium exposes no navigator.gpu');
    }
    first ??= { session, page };
    return { run: (job) => runJob(session, opts, command, job), broken: session.broken, close: () => session.close() };
  };
  const outcomes = await runJobs(jobs, {
    open, timeoutMs: opts.jobTimeoutMs,
    onOutcome: ({ job, error }) => error && onLog(`run.mjs: job ${job.name} failed: ${error}; the next job runs in a fresh browser`),
  });
  const report = describeRow(mergeReports(outcomes, (value) => value.report), { ...first, command });
  writeJson(opts.json, report);
  printTable(report.results);
  console.log(`wrote ${opts.json}`);
  return report.results.some((r) => r.verified === false) ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`run.mjs: error: ${error?.stack ?? error}\n`);
    process.exit(2);
  },
);
