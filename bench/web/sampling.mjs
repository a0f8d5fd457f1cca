// The suite's sampling rule (bench/README.md, rule 2), shared by every JavaScript host: after
// the warm-up (warmUp), timed samples until the relative standard deviation of the per-run times is at
// most timing.rsd_target (and at least timing.samples were taken), or timing.max_seconds of
// timed samples have passed, or timing.max_samples were taken. Without rsd_target the count is
// fixed at timing.samples, as before the rule existed.

/**
 * The warm-up: timing.warmup untimed samples, and more until timing.warmup_seconds have passed,
 * because the GPU idles down while a case's CPU reference runs and a few short samples do not
 * bring its clock back (results/h200/notes/stencil-clocks.md).
 */
export async function warmUp(timing, sample) {
  const t0 = performance.now();
  const seconds = timing.warmup_seconds ?? 0;
  for (let i = 0; i < timing.warmup || (performance.now() - t0) / 1e3 < seconds; i++) await sample();
}

/** Sample standard deviation over the mean; 0 for fewer than two values. */
export function relativeSd(values) {
  const n = values.length;
  if (n < 2) return 0;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const squares = values.reduce((a, v) => a + (v - mean) ** 2, 0);
  return mean > 0 ? Math.sqrt(squares / (n - 1)) / mean : Infinity;
}

/**
 * Whether sampling stops after `times` (per-run times the metric uses) and `elapsedS` seconds
 * of timed samples: null to go on, else the result's "noise" object.
 */
export function noiseIfDone(timing, times, elapsedS) {
  const target = timing.rsd_target ?? null;
  const maxSamples = Math.max(timing.max_samples ?? timing.samples, timing.samples);
  const rsd = relativeSd(times);
  const noise = (converged, stoppedBy) => ({
    samples: times.length, rsd, converged, rsd_target: target, stopped_by: stoppedBy,
  });
  if (times.length < timing.samples) return null;
  if (target != null && rsd <= target) return noise(true, 'rsd_target');
  if (times.length >= maxSamples) return noise(false, target == null ? 'fixed' : 'max_samples');
  if (timing.max_seconds != null && elapsedS >= timing.max_seconds) return noise(false, 'max_seconds');
  return null;
}
