// The "browser-wasm" row: the native benchmark runner (cli/cmd_bench.c + bench/native),
// compiled unchanged to wasm32 with the library (build.sh), run in headless Chromium over
// WebGPU, written as wgslrun-result/1 JSON with the cost of the wasm/JavaScript boundary
// (webgpu.h calls, JSPI suspensions, bytes copied in and out of linear memory) per result.
//
//   node bench/wasm/run.mjs [--size small|large] [--filter REGEX] [--job-timeout SECONDS] [--suite FILE] [--json FILE]
//
// The runner runs once per job (a case, or a variant of one: `wgslrun bench --filter '^job$'`),
// so a job that traps, crashes the page or outlives --job-timeout (default 120 s small, 300 s
// large) is recorded as failed and the rest run in a fresh browser (bench/web/jobs.mjs). --filter is a
// regular expression on job names ("copy", "dispatch/round_trip"). --suite runs another suite
// file (default bench/suite.json); it and the kernels it names are copied into the page.
// Default output: bench/wasm/build/browser-wasm-SIZE.json. The exit status is 1 when a case
// failed verification or a job failed, 2 when the run itself broke.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { WASM_BINARY, WASM_DIR, BENCH_DIR, openBrowser, fileBytes } from './browser.mjs';
import { JOB_TIMEOUT_S, jobTimeoutSeconds, suiteJobs, runJobs, mergeReports } from '../web/jobs.mjs';

const RESULT_PATH = '/out/results.json';

/** Bad command-line input: reported as one line, without a stack. */
class UsageError extends Error {}
const USAGE = 'usage: node bench/wasm/run.mjs [--size small|large] [--filter REGEX] [--job-timeout SECONDS] [--suite FILE] [--json FILE]\n';
// Where a --suite file and its kernels sit in the page's file system, apart from bench/'s.
const USER_SUITE_DIR = '/wgslrun/user-suite';

function options() {
  const { values } = parseArgs({
    options: { size: { type: 'string', default: 'small' }, filter: { type: 'string' }, json: { type: 'string' },
               'job-timeout': { type: 'string' }, suite: { type: 'string' }, help: { type: 'boolean', default: false } },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    process.exit(0);
  }
  if (!(values.size in JOB_TIMEOUT_S)) throw new UsageError(`--size must be small or large\n${USAGE}`);
  const timeout = jobTimeoutSeconds(values['job-timeout'], values.size);
  if (timeout === null) throw new UsageError(`--job-timeout must be a positive number of seconds\n${USAGE}`);
  values.jobTimeoutMs = timeout * 1e3;
  values.json ??= path.join(WASM_DIR, 'build', `browser-wasm-${values.size}.json`);
  return values;
}

function compilerVersion() {
  try {
    return fs.readFileSync(path.join(WASM_DIR, 'build', 'compiler.txt'), 'utf8').trim();
  } catch {
    return 'unknown';
  }
}

function formatBytes(n) {
  if (n >= 1 << 20) return `${(n / (1 << 20)).toFixed(1)} MiB`;
  if (n >= 1 << 10) return `${(n / (1 << 10)).toFixed(1)} KiB`;
  return `${Math.round(n)} B`;
}

function round(value) {
  return Math.round(value * 100) / 100;
}

/** The job label the runner gave this result: "id[/variant]" and the parameters after it. */
function sameJob(result, label) {
  const name = result.variant ? `${result.case}/${result.variant}` : result.case;
  return label === name || label.startsWith(`${name} `);
}

function boundaryNote(perSample) {
  if (!perSample) return 'wasm32 + JSPI: no timed samples';
  return `wasm32 + JSPI, per sample: ${round(perSample.calls)} webgpu.h calls, ${round(perSample.waits)} suspensions, ` +
    `${formatBytes(perSample.bytes_in)} copied in, ${formatBytes(perSample.bytes_out)} copied out of linear memory`;
}

/** Adds each job's boundary counts to its result, matched in order and checked by label. */
function addBoundary(results, jobs) {
  if (jobs.length !== results.length) throw new Error(`${jobs.length} jobs marked but ${results.length} results written`);
  results.forEach((result, i) => {
    const job = jobs[i];
    if (!sameJob(result, job.label)) throw new Error(`result ${i} is ${result.case} but job ${i} was '${job.label}'`);
    const perSample = job.per_sample && Object.fromEntries(Object.entries(job.per_sample).map(([k, v]) => [k, round(v)]));
    result.glue = { ...job.glue, per_sample: perSample };
    result.note = boundaryNote(job.per_sample);
  });
}

/** The runner knows the C side; the host knows the browser, the machine and the toolchain. */
function describeRow(report, { browser, page, opts }) {
  const adapter = page.adapter ?? {};
  report.method = 'browser-wasm';
  report.implementation = `chromium ${browser.chromiumVersion} + wasm32 (clang 19)`;
  report.backend = adapter.backend ?? report.backend;
  report.driver = adapter.driver ?? report.driver;
  report.machine = { hostname: os.hostname(), cpu: os.cpus()[0]?.model ?? 'unknown', os: `${os.type()} ${os.release()}` };
  report.versions = { wgslrun: report.versions?.wgslrun, chromium: browser.chromiumVersion, clang: compilerVersion(),
                      'playwright-core': browser.playwrightVersion };
  report.command = `node bench/wasm/run.mjs ${process.argv.slice(2).join(' ')}`.trim();
  report.runner_command = `wgslrun ${runnerArgs(opts, 'JOB').join(' ')} (once per job; the jobs after the first with --settle 0)`;
  report.host = {
    flags: browser.flags, user_agent: page.user_agent, cross_origin_isolated: page.cross_origin_isolated,
    jspi: page.jspi, wasm_bytes: fs.statSync(WASM_BINARY).size,
    runner: 'cli/cmd_bench.c + bench/native/*.c, unchanged, compiled for wasm32-wasi',
  };
}

// The first job loads the GPU until its timings settle (the suite's settle_seconds); the jobs
// after it follow at once on a GPU already up to speed, so they skip it.
function runnerArgs({ size, runner }, jobName, settled = false) {
  const suite = runner.suitePath ? ['--suite', runner.suitePath] : [];
  return ['bench', '--size', size, ...suite, '--json', RESULT_PATH, '--filter', `^${jobName}$`,
    ...(settled ? ['--settle', '0'] : [])];
}

function readText(file, what) {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`${what} ${file}: ${e.code === 'ENOENT' ? 'no such file' : e.message}`);
  }
}

/**
 * The suite the jobs come from. bench/suite.json is already mounted in the page; another suite
 * file travels to it with the kernels it names, which are read relative to the suite's folder.
 */
function loadSuite(file) {
  const suiteFile = file ?? path.join(BENCH_DIR, 'suite.json');
  const text = readText(suiteFile, '--suite');
  let suite;
  try {
    suite = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`--suite ${suiteFile}: not JSON: ${e.message}`);
  }
  if (!Array.isArray(suite?.cases)) throw new UsageError(`--suite ${suiteFile}: no "cases" array`);
  if (!file) return { suite, pageFiles: {}, suitePath: null };
  const suitePath = `${USER_SUITE_DIR}/suite.json`;
  const pageFiles = { [suitePath]: text };
  for (const kernel of new Set(suite.cases.map((c) => c.kernel).filter(Boolean))) {
    pageFiles[`${USER_SUITE_DIR}/${kernel}`] = readText(path.resolve(path.dirname(suiteFile), kernel), `kernel of --suite ${suiteFile}:`);
  }
  return { suite, pageFiles, suitePath };
}

/** One job in a fresh wasm instance of the open page: its results with their boundary counts. */
async function runJob(browser, opts, job) {
  const outcome = await browser.run({ args: runnerArgs(opts, job.name, opts.runner.settled),
                                      env: { HOSTNAME: os.hostname() }, files: opts.runner.files });
  opts.runner.settled = true;
  if (outcome.fatal) throw new Error(`the wasm runner died: ${outcome.fatal}`);
  const bytes = fileBytes(outcome, RESULT_PATH);
  if (!bytes) throw new Error(`the runner wrote no results (exit ${outcome.exit_code}): ${outcome.stderr.trim()}`);
  const report = JSON.parse(bytes.toString('utf8'));
  addBoundary(report.results, outcome.glue.jobs);
  return { report, byFunction: outcome.glue.by_function, exitCode: outcome.exit_code };
}

/** One document from the jobs, with the webgpu.h calls of every finished job summed by function. */
function combine(outcomes) {
  const report = mergeReports(outcomes, (value) => value.report);
  const byFunction = {};
  for (const { value } of outcomes.filter((o) => o.value)) {
    for (const [name, n] of Object.entries(value.byFunction)) if (n > 0) byFunction[name] = (byFunction[name] ?? 0) + n;
  }
  report.glue_calls_by_function = byFunction;
  return report;
}

function printTable(results) {
  const rows = results.map((r) => [
    r.variant ? `${r.case}/${r.variant}` : r.case,
    Object.entries(r.params).map(([k, v]) => `${k}=${v}`).join(' '),
    r.metric?.value == null ? '-' : `${r.metric.value.toPrecision(4)} ${r.metric.unit}`,
    r.verified === true ? 'yes' : r.verified === false ? 'FAILED' : 'unsupported',
    r.glue?.per_sample ? String(r.glue.per_sample.calls) : '-',
    r.glue?.per_sample ? String(r.glue.per_sample.waits) : '-',
    r.glue?.per_sample ? `${formatBytes(r.glue.per_sample.bytes_in)} / ${formatBytes(r.glue.per_sample.bytes_out)}` : '-',
  ]);
  const header = ['case', 'params', 'metric', 'verified', 'calls/sample', 'waits/sample', 'bytes in/out per sample'];
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  for (const row of [header, ...rows]) console.log(row.map((cell, c) => cell.padEnd(widths[c])).join('  '));
}

function writeJson(file, value) {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const tmp = `${file}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(value, null, 2) + '\n');
  fs.renameSync(tmp, file);
}

async function main() {
  const opts = options();
  const { suite, pageFiles, suitePath } = loadSuite(opts.suite);
  opts.runner = { suitePath, files: pageFiles };
  const filter = opts.filter ? new RegExp(opts.filter) : null;
  const jobs = suiteJobs(suite, opts.size, (name) => !filter || filter.test(name));
  if (!jobs.length) throw new UsageError(`no case of the suite matches --filter '${opts.filter}'`);
  const onLog = (line) => line && process.stderr.write(`${line}\n`);
  let first = null; // the browser and page the header describes
  const open = async () => {
    const browser = await openBrowser({ onLog });
    const page = await browser.describe();
    if (!page.jspi) {
      await browser.close();
      throw new Error('this Chromium has no JSPI (WebAssembly.Suspending): it cannot block on the GPU from wasm');
    }
    first ??= { browser, page };
    return { run: (job) => runJob(browser, opts, job), broken: browser.broken, close: () => browser.close() };
  };
  const outcomes = await runJobs(jobs, {
    open, timeoutMs: opts.jobTimeoutMs,
    onOutcome: ({ job, error }) => error && onLog(`run.mjs: job ${job.name} failed: ${error}; the next job runs in a fresh browser`),
  });
  const report = combine(outcomes);
  describeRow(report, { ...first, opts });
  writeJson(opts.json, report);
  printTable(report.results);
  console.log(`wrote ${opts.json}`);
  const failed = outcomes.some((o) => o.error || o.value.exitCode !== 0);
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`run.mjs: error: ${error instanceof UsageError ? error.message : error?.stack ?? error}\n`);
    process.exit(2);
  },
);
