// The job-by-job runner of the wasm and WebGL2 rows (jobs.mjs), with fake sessions: a job that hangs, throws
// or breaks its page becomes a failure, and the next job runs in a fresh session.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { suiteJobs, runJobs, mergeReports } from '../jobs.mjs';

const suite = JSON.parse(readFileSync(new URL('../../suite.json', import.meta.url), 'utf8'));

test('jobs: one per case or variant, in suite order, with their units', () => {
  const jobs = suiteJobs(suite, 'large');
  const names = jobs.map((j) => j.name);
  assert.deepEqual(names.slice(0, 2), ['copy', 'triad']);
  assert.ok(names.includes('dispatch/round_trip') && names.includes('transfer/upload'));
  assert.equal(new Set(names).size, names.length, 'no job twice');
  assert.equal(jobs.find((j) => j.name === 'transfer/upload').units.length, 4, 'the large suite has four upload sizes');
  assert.deepEqual(suiteJobs(suite, 'small', (n) => n.startsWith('dispatch/')).map((j) => j.name),
    ['dispatch/one_pass', 'dispatch/submit_each', 'dispatch/round_trip']);
});

function fakeSessions(behaviour) {
  const opened = [];
  const open = async () => {
    let breakPage;
    const broken = new Promise((_, reject) => { breakPage = reject; });
    broken.catch(() => {});
    const session = {
      id: opened.length, closed: false, broken,
      run: (job) => behaviour(job, { breakPage }),
      close: async () => { session.closed = true; },
    };
    opened.push(session);
    return session;
  };
  return { open, opened };
}

test('jobs: a hang, a throw and a broken page each fail one job; the rest run in fresh sessions', async () => {
  const jobs = ['a', 'hang', 'b', 'throw', 'crash', 'c'].map((name) => ({ name, units: [] }));
  const { open, opened } = fakeSessions((job, { breakPage }) => {
    if (job.name === 'hang') return new Promise(() => {});
    if (job.name === 'throw') return Promise.reject(new Error('the wasm runner died: unreachable\nstack...'));
    if (job.name === 'crash') {
      breakPage(new Error('page crashed (renderer process died)'));
      return new Promise(() => {});
    }
    return Promise.resolve(`result of ${job.name}`);
  });
  const failures = [];
  const outcomes = await runJobs(jobs, { open, timeoutMs: 200, onOutcome: ({ job, error }) => error && failures.push(job.name) });
  assert.deepEqual(outcomes.map((o) => o.value ?? o.error), [
    'result of a', 'no result within 0.2 s (job timeout)', 'result of b',
    'the wasm runner died: unreachable', 'page crashed (renderer process died)', 'result of c',
  ]);
  assert.deepEqual(failures, ['hang', 'throw', 'crash']);
  assert.equal(opened.length, 4, 'one session to start, a fresh one after each failure');
  assert.ok(opened.every((s) => s.closed), 'every session closed');
});

test('jobs: merged results keep job order, a failed job\'s units fail with its error', () => {
  const [copy, triad, upload] = suiteJobs(suite, 'large', (n) => ['copy', 'triad', 'transfer/upload'].includes(n));
  const doc = (name, results) => ({ report: { method: 'm', adapter: name, results } });
  const merged = mergeReports([
    { job: copy, error: 'no result within 300 s (job timeout)' },
    { job: triad, value: doc('first finished', [{ case: 'triad', verified: true }]) },
    { job: upload, value: doc('later', [{ case: 'transfer', verified: true }]) },
  ], (value) => value.report);
  assert.equal(merged.adapter, 'first finished', 'the header of the first job that finished');
  assert.deepEqual(merged.results.map((e) => [e.case, e.verified]), [['copy', false], ['triad', true], ['transfer', true]]);
  assert.equal(merged.results[0].error, 'no result within 300 s (job timeout)');
  assert.equal(merged.results[0].metric.value, null, 'no time for a failed job');
  assert.throws(() => mergeReports([{ job: copy, error: 'page crashed' }], (v) => v.report), /no job finished; the first failed with: page crashed/);
});
