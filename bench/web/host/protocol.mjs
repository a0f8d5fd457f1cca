// The line protocol between run.mjs and a host process. A host prints events on stdout as
// lines starting with PREFIX; anything else on stdout (a driver's chatter) is ignored, so the
// parent can tell "the process died in the middle of case X" from its last `start` event.
//   {type: 'ready', adapter_info, timestamps, implementation, versions, backend, extra}
//   {type: 'start', key}
//   {type: 'result', key, entry}
//   {type: 'done'}

export const PREFIX = '@wgslrun ';

export function encodeEvent(event) {
  return PREFIX + JSON.stringify(event) + '\n';
}

/** Parses one stdout line; null when it is not an event. */
export function decodeEvent(line) {
  if (!line.startsWith(PREFIX)) return null;
  try {
    return JSON.parse(line.slice(PREFIX.length));
  } catch {
    return null;
  }
}

/**
 * The job a host process gets as its single argument (JSON): which bench directory, size,
 * seed and unit keys to run.
 */
export function encodeJob(job) {
  return JSON.stringify(job);
}

export function decodeJob(text) {
  const job = JSON.parse(text);
  for (const k of ['benchDir', 'size', 'seed', 'keys']) {
    if (job[k] === undefined) throw new Error(`host job lacks ${k}`);
  }
  return job;
}
