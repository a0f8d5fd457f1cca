// The per-case numbers of suite.json that every runner reads instead of hard-coding them
// (bench/schema/suite.schema.json): constants, the verification tolerance and sampling, and how
// a metric follows from the time of one run. Shared by the WebGPU rows and the WebGL2 page.

/** A constant of case `def` (suite.json "constants"); throws when the suite lacks it. */
export function constant(def, name) {
  const value = def.constants?.[name];
  if (typeof value !== 'number') throw new Error(`suite.json: case ${def.id ?? '?'} has no number constants.${name}`);
  return value;
}

/** The case's verification rule: {rule, tolerance, samples, check_all_up_to_n, row_stride}. */
export function verifyRule(def) {
  const v = def.verify;
  if (!v || (v.rule !== 'exact' && !(v.tolerance > 0))) throw new Error(`suite.json: case ${def.id ?? '?'} has no verify tolerance`);
  return v;
}

/** count = factor × the named parameters (× the verification output's sum when output_sum). */
function metricCount(spec, params, outputSum) {
  const count = spec.count.params.reduce((c, name) => c * params[name], spec.count.factor);
  return spec.count.output_sum ? count * outputSum : count;
}

/** The metric of one run that took `ms` milliseconds, by the suite's rule. */
export function metricValue(spec, params, ms, outputSum = 0) {
  const count = metricCount(spec, params, outputSum);
  if (spec.rule === 'time_per_count') return (ms * (spec.unit === 'us' ? 1e3 : 1)) / count;
  if (spec.rule === 'giga_per_second') return count / (ms * 1e-3) / 1e9;
  throw new Error(`suite.json: unknown metric rule ${spec.rule}`);
}

/** The result's extra_metrics: the suite's extra_metric, when the case has one. */
export function extraMetrics(def, params, ms, outputSum = 0) {
  const m = def.extra_metric;
  return m ? [{ name: m.name, unit: m.unit, value: metricValue(m, params, ms, outputSum), better: m.better }] : null;
}
