#!/usr/bin/env node
// CLI for the JavaScript WebGPU rows of the wgslrun suite.
//   node bench/web/run.mjs --host node|deno|chromium|all --size small|large
//        [--filter REGEX] [--json FILE] [--seed N] [--round N] [--timeout SECONDS] [--verbose]
// One result file per host: with one host FILE is written as given; with several, the host
// name goes before the extension (out.json → out-node.json), or replaces "{host}" in FILE.
// A progress line per case goes to stderr; without --json a summary table goes to stdout.

import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { runHost, HOSTS, BENCH_DIR } from './driver.mjs';

const USAGE = `usage: node bench/web/run.mjs --host node|deno|chromium|all --size small|large
       [--filter REGEX] [--json FILE] [--seed N] [--round N] [--timeout SECONDS] [--bench-dir DIR] [--verbose]
--round N records "round": N in the results (wgslrun report compares rounds of one method).`;

function parseCli(argv) {
  const { values } = parseArgs({
    args: argv,
    options: {
      host: { type: 'string', default: 'all' },
      size: { type: 'string', default: 'small' },
      filter: { type: 'string' },
      json: { type: 'string' },
      seed: { type: 'string' },
      round: { type: 'string' },
      timeout: { type: 'string' },
      'bench-dir': { type: 'string' },
      verbose: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const hosts = values.host === 'all' ? Object.keys(HOSTS) : values.host.split(',');
  for (const h of hosts) if (!HOSTS[h]) fail(`unknown host ${h}\n${USAGE}`);
  if (!['small', 'large'].includes(values.size)) fail(`unknown size ${values.size}\n${USAGE}`);
  if (values.round !== undefined && !/^[1-9][0-9]{0,5}$/.test(values.round)) fail(`--round ${values.round} is not a whole number from 1\n${USAGE}`);
  if (values.filter) new RegExp(values.filter); // a bad pattern fails here, not in every child
  return {
    hosts,
    size: values.size,
    filter: values.filter ?? null,
    json: values.json ?? null,
    // A fresh seed per run ("fresh random inputs"), printed in the result to reproduce it.
    seed: values.seed !== undefined ? Number(values.seed) >>> 0 : (Date.now() ^ (process.pid << 16)) >>> 0,
    round: values.round !== undefined ? Number(values.round) : null,
    timeoutMs: values.timeout ? Number(values.timeout) * 1e3 : undefined,
    benchDir: path.resolve(values['bench-dir'] ?? BENCH_DIR),
    verbose: values.verbose,
  };
}

function fail(message) {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

/** Where host `name`'s result goes when `file` was asked for `count` hosts. */
export function outputPath(file, name, count) {
  if (file.includes('{host}')) return file.replaceAll('{host}', name);
  if (count === 1) return file;
  const ext = path.extname(file);
  return `${file.slice(0, file.length - ext.length)}-${name}${ext || '.json'}`;
}

function summaryTable(result) {
  const rows = result.results.map((e) => {
    const unit = e.variant ? `${e.case}/${e.variant}${e.params.bytes ? `/${e.params.bytes}` : ''}` : e.case;
    const metric = e.metric.value == null ? '-' : `${e.metric.value.toPrecision(4)} ${e.metric.unit}`;
    const status = e.unsupported ? `unsupported: ${e.unsupported}` : e.verified ? 'verified' : `FAILED: ${e.error}`;
    return `| ${unit} | ${metric} | ${e.timing ?? '-'} | ${status} |`;
  });
  return [`${result.method} — ${result.implementation} on ${result.adapter} (${result.backend ?? '?'}, ${result.device_class})`,
    '| case | metric | timing | verified |', '| --- | --- | --- | --- |', ...rows].join('\n');
}

async function main() {
  const opts = parseCli(process.argv.slice(2));
  const suite = JSON.parse(readFileSync(path.join(opts.benchDir, 'suite.json'), 'utf8'));
  const command = ['node', 'bench/web/run.mjs', ...process.argv.slice(2)].join(' ');
  let failed = 0;
  for (const name of opts.hosts) {
    const result = await runHost(name, {
      ...opts, suite, command, onProgress: (line) => process.stderr.write(`${line}\n`),
    });
    failed += result.results.filter((e) => e.verified === false).length;
    if (opts.json) {
      const file = outputPath(opts.json, name, opts.hosts.length);
      mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
      writeFileSync(file, JSON.stringify(result, null, 2) + '\n');
      process.stderr.write(`[${name}] wrote ${file}\n`);
    } else {
      process.stdout.write(summaryTable(result) + '\n\n');
    }
  }
  // Failed cases are results, not a CLI error; the exit code only flags them for scripts.
  process.exitCode = failed ? 1 : 0;
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('run.mjs')) {
  main().catch((e) => fail(e?.stack ?? String(e)));
}
