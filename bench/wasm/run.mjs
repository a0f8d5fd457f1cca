// The "browser-wasm" row: the native benchmark runner (cli/cmd_bench.c + bench/native),
// compiled unchanged to wasm32 with the library (build.sh), run in headless Chromium over
// WebGPU, written as wgslrun-result/1 JSON with the cost of the wasm/JavaScript boundary
// (webgpu.h calls, JSPI suspensions, bytes copied in and out of linear memory) per result.
//
//   node bench/wasm/run.mjs [--size small|large] [--filter REGEX] [--out FILE]
//
// Default output: bench/wasm/build/browser-wasm-SIZE.json. The exit status is the runner's
// (1 when a case failed verification), or 2 when the run itself broke.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { WASM_BINARY, WASM_DIR, openBrowser, fileBytes } from './browser.mjs';

const RESULT_PATH = '/out/results.json';

function options() {
  const { values } = parseArgs({
    options: { size: { type: 'string', default: 'small' }, filter: { type: 'string' }, out: { type: 'string' },
               help: { type: 'boolean', default: false } },
  });
  if (values.help) {
    process.stdout.write('usage: node bench/wasm/run.mjs [--size small|large] [--filter REGEX] [--out FILE]\n');
    process.exit(0);
  }
  values.out ??= path.join(WASM_DIR, 'build', `browser-wasm-${values.size}.json`);
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
  report.runner_command = `wgslrun ${runnerArgs(opts).join(' ')}`;
  report.host = {
    flags: browser.flags, user_agent: page.user_agent, cross_origin_isolated: page.cross_origin_isolated,
    jspi: page.jspi, wasm_bytes: fs.statSync(WASM_BINARY).size,
    runner: 'cli/cmd_bench.c + bench/native/*.c, unchanged, compiled for wasm32-wasi',
  };
}

function runnerArgs(opts) {
  return ['bench', '--size', opts.size, '--json', RESULT_PATH, ...(opts.filter ? ['--filter', opts.filter] : [])];
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
  const browser = await openBrowser({ onLog: (line) => line && process.stderr.write(`${line}\n`) });
  try {
    const page = await browser.describe();
    if (!page.jspi) throw new Error('this Chromium has no JSPI (WebAssembly.Suspending): it cannot block on the GPU from wasm');
    const outcome = await browser.run({ args: runnerArgs(opts), env: { HOSTNAME: os.hostname() } });
    if (outcome.fatal) throw new Error(`the wasm runner died: ${outcome.fatal}`);
    const bytes = fileBytes(outcome, RESULT_PATH);
    if (!bytes) throw new Error(`the runner wrote no results (exit ${outcome.exit_code}):\n${outcome.stderr}`);
    const report = JSON.parse(bytes.toString('utf8'));
    describeRow(report, { browser, page, opts });
    addBoundary(report.results, outcome.glue.jobs);
    report.glue_calls_by_function = Object.fromEntries(Object.entries(outcome.glue.by_function).filter(([, n]) => n > 0));
    writeJson(opts.out, report);
    printTable(report.results);
    console.log(`wrote ${opts.out}`);
    return outcome.exit_code;
  } finally {
    await browser.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`run.mjs: error: ${error?.stack ?? error}\n`);
    process.exit(2);
  },
);
