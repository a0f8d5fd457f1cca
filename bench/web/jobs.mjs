// Runs a browser row job by job (a job: one case, or one variant of a case, as a runner's
// filter selects them), so that a job which crashes the page or outlives its time limit
// becomes failed results and the next job runs in a fresh browser, as bench/web/driver.mjs does
// for its hosts. Jobs that finished keep their results whatever happens after them.
// Used by bench/wasm, bench/rust-wasm and bench/webgl2 (their run.mjs).

import { listUnits, failedEntry } from './suite.mjs';

/** Default time one job may take, in seconds, per suite size. */
export const JOB_TIMEOUT_S = { small: 120, large: 300 };

/** A runner's --job-timeout (or the default for `size`) in seconds; null when not a positive number. */
export function jobTimeoutSeconds(text, size) {
  const seconds = Number(text ?? JOB_TIMEOUT_S[size]);
  return seconds > 0 ? seconds : null;
}

/**
 * The suite's jobs for `size`, in suite order, that `select(name)` keeps; each holds its units
 * (bench/web/suite.mjs), from which a failed job's entries are made.
 */
export function suiteJobs(suite, size, select = () => true) {
  const jobs = [];
  for (const unit of listUnits(suite, size)) {
    const name = unit.variant ? `${unit.def.id}/${unit.variant}` : unit.def.id;
    if (!select(name)) continue;
    const last = jobs.at(-1);
    if (last?.name === name) last.units.push(unit);
    else jobs.push({ name, units: [unit] });
  }
  return jobs;
}

/**
 * Runs `jobs` in order. `open()` resolves to a session {run(job), broken, close()}: `run`
 * resolves to the job's value; `broken` is a promise that rejects when the page or the browser
 * dies. A job that throws, breaks the session or outlives `timeoutMs` gives {job, error}, and
 * its session is closed; the next job opens a fresh one. `onOutcome(outcome, seconds)` hears of
 * each job as it ends. Resolves to [{job, value} | {job, error}], in job order.
 */
export async function runJobs(jobs, { open, timeoutMs, onOutcome = () => {} }) {
  const outcomes = [];
  let session = null;
  for (const job of jobs) {
    const start = Date.now();
    session ??= await open();
    let outcome;
    try {
      const value = await withTimeout(Promise.race([session.run(job), session.broken]), timeoutMs,
        `no result within ${timeoutMs / 1e3} s (job timeout)`);
      outcome = { job, value };
    } catch (e) {
      outcome = { job, error: String(e?.message ?? e).split('\n')[0] };
      await closeQuietly(session);
      session = null;
    }
    outcomes.push(outcome);
    onOutcome(outcome, (Date.now() - start) / 1e3);
  }
  if (session) await closeQuietly(session);
  return outcomes;
}

// A browser whose page crashed can take its time to close; a run must not hang on it.
const CLOSE_TIMEOUT_MS = 15e3;

async function closeQuietly(session) {
  await withTimeout(session.close(), CLOSE_TIMEOUT_MS, 'close timed out').catch(() => {});
}

/**
 * One result document from the outcomes: the header of the first job that finished, then every
 * job's results in job order, a failed job's units as failed entries with its error.
 * `reportOf(value)` is a finished job's document.
 */
export function mergeReports(outcomes, reportOf) {
  const first = outcomes.find((o) => o.value);
  if (!first) throw new Error(`no job finished; the first failed with: ${outcomes[0]?.error}`);
  const results = outcomes.flatMap((o) => (o.value ? reportOf(o.value).results : o.job.units.map((u) => failedEntry(u, o.error))));
  return { ...reportOf(first.value), results };
}

/** `promise`, or a rejection with `message` once `ms` have passed. */
export function withTimeout(promise, ms, message) {
  let timer;
  const timeout = new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(message)), ms); });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** A promise that rejects when `page` crashes or closes (and on `pageerror` when asked); never unhandled. */
export function pageBroken(page, { onPageError = false } = {}) {
  const broken = new Promise((_, reject) => {
    page.on('crash', () => reject(new Error('page crashed (renderer process died)')));
    page.on('close', () => reject(new Error('page closed (browser exited)')));
    if (onPageError) page.on('pageerror', (e) => reject(new Error(`page error: ${e.message}`)));
  });
  broken.catch(() => {});
  return broken;
}
