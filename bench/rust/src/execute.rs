//! The part of running the suite both rows share (bench/rust-wasm includes this file through
//! `#[path]`): planning, verification first, then warmup and timed samples, per the spec's
//! rules. `async` for the web; natively the futures are ready at once and `runner` drives
//! them with `pollster::block_on`.

use crate::cases::{self, BuildError, Clock, Instance, Sources, Stamps, Workload};
use crate::gpu::{Gpu, OUT_OF_MEMORY, Stopwatch, warn};
use crate::report::CaseResult;
use crate::rng::Rng;
use crate::stats::{Noise, Summary};
use crate::suite::{CaseSpec, Suite, Timing};

/// `--filter`: a regular expression searched for in "id" or "id/variant", as in every runner.
pub fn compile_filter(filter: Option<&str>) -> Result<Option<regex::Regex>, String> {
    filter
        .map(|f| regex::Regex::new(f).map_err(|e| format!("--filter {f:?} is not a regular expression: {e}")))
        .transpose()
}

pub fn matches_filter(filter: Option<&regex::Regex>, label: &str) -> bool {
    filter.is_none_or(|f| f.is_match(label))
}

/// The selected case instances, in suite order; `Err` when the filter matches none.
pub fn plan<'a>(
    suite: &'a Suite,
    filter: Option<&str>,
) -> Result<Vec<(&'a CaseSpec, Instance)>, String> {
    let pattern = compile_filter(filter)?;
    let mut planned = Vec::new();
    for spec in &suite.cases {
        for inst in cases::instances(spec)? {
            if matches_filter(pattern.as_ref(), &inst.label(&spec.id)) {
                planned.push((spec, inst));
            }
        }
    }
    if planned.is_empty() {
        return Err(format!("filter {:?} matches no case", filter.unwrap_or("")));
    }
    Ok(planned)
}

pub fn progress_line(k: usize, total: usize, r: &CaseResult) -> String {
    let head = format!("[{k:>2}/{total}] {:<22} {:<34}", r.label(), r.params_text());
    match (r.verified, &r.metric_value) {
        (None, _) => format!(
            "{head} unsupported: {}",
            r.unsupported.as_deref().unwrap_or("")
        ),
        (Some(false), _) => format!("{head} FAILED: {}", r.error.as_deref().unwrap_or("")),
        (Some(true), Some(v)) => format!(
            "{head} ok  {v:.3} {} ({} median {:.4} ms)",
            r.metric.unit,
            r.timing().unwrap_or("-"),
            r.time().map_or(0.0, |t| t.median)
        ),
        (Some(true), None) => format!(
            "{head} verified, timing failed: {}",
            r.error.as_deref().unwrap_or("")
        ),
    }
}

/// Builds, verifies and times one case instance into `result`, which says how far it got.
pub async fn verify_and_time(
    gpu: &Gpu,
    sources: &Sources,
    spec: &CaseSpec,
    inst: &Instance,
    timing: Timing,
    seed: u64,
    result: &mut CaseResult,
) {
    let mut work = match gpu
        .scoped(async { cases::build(gpu, sources, spec, inst) })
        .await
    {
        Ok(work) => work,
        Err(BuildError::Unsupported(reason)) => return result.set_unsupported(reason),
        Err(BuildError::Failed(e)) if e.starts_with(OUT_OF_MEMORY) => {
            return result.set_unsupported(e);
        }
        Err(BuildError::Failed(e)) => {
            result.error = Some(e);
            return;
        }
    };
    let mut rng = Rng::for_label(seed, &format!("{} {:?}", inst.label(&spec.id), inst.params));
    match gpu.scoped(work.verify(gpu, &mut rng)).await {
        Ok(check) => {
            result.max_error = check.max_error.is_finite().then_some(check.max_error);
            if let Some(e) = check.error {
                result.error = Some(e);
                return;
            }
        }
        // The device couldn't hold the case's data: a limit of the device, not a wrong result.
        Err(e) if e.starts_with(OUT_OF_MEMORY) => return result.set_unsupported(e),
        Err(e) => {
            result.error = Some(e);
            return;
        }
    }
    result.verified = Some(true);
    match gpu.scoped(measure(gpu, work.as_mut(), timing)).await {
        Ok((wall, gpu_ms, noise)) => {
            result.noise = Some(noise);
            result.wall = Summary::of(&wall);
            result.gpu = gpu_ms.as_deref().and_then(Summary::of);
            let seconds = result.time().map(|t| t.median / 1e3);
            let output_sum = work.output_sum();
            result.metric_value = seconds.map(|s| spec.metric.value(&inst.params, s, output_sum));
            result.extra_metrics = match (seconds, &spec.extra_metric) {
                (Some(s), Some(m)) => vec![serde_json::json!({
                    "name": m.name, "unit": m.unit,
                    "value": m.value(&inst.params, s, output_sum), "better": m.better,
                })],
                _ => Vec::new(),
            };
        }
        Err(e) => result.error = Some(format!("timing: {e}")),
    }
}

/// A query set holds at most 4096 timestamps, two per sample.
const MAX_TIMED_SAMPLES: u32 = 2048;

/// Warmup (`warmup` samples and at least `warmup_seconds`: the GPU idles down while a case's CPU
/// reference runs), then timed samples until the suite's rule stops them (stats::Noise::if_done);
/// returns per-run wall and (when available) GPU times in ms, and how sampling ended.
async fn measure(
    gpu: &Gpu,
    work: &mut dyn Workload,
    timing: Timing,
) -> Result<(Vec<f64>, Option<Vec<f64>>, Noise), String> {
    let mut timing = timing;
    timing.max_samples = timing.max_samples.min(MAX_TIMED_SAMPLES);
    timing.samples = timing.samples.min(timing.max_samples);
    let runs = work.runs_per_sample() as f64;
    let mut timer = match (work.clock(), gpu.timestamp_period) {
        (Clock::Gpu, Some(period)) => Some(Timer::new(gpu, timing.max_samples, period)),
        _ => None,
    };
    let warming = Stopwatch::start();
    let mut warmed = 0;
    while warmed < timing.warmup || warming.elapsed_ms() / 1e3 < timing.warmup_seconds.unwrap_or(0.0) {
        work.sample(gpu, None).await?;
        warmed += 1;
    }
    let clock = Stopwatch::start();
    let mut wall = Vec::with_capacity(timing.samples as usize);
    loop {
        let k = wall.len() as u32;
        let elapsed_ms = work
            .sample(gpu, timer.as_ref().map(|t| t.stamps(k)))
            .await?;
        wall.push(elapsed_ms / runs);
        if wall.len() < timing.samples as usize {
            continue;
        }
        // Read between samples, outside the timestamps that bracket each one.
        let gpu_ms: Option<Vec<f64>> = match &timer {
            Some(t) => t
                .read_ns(gpu, k + 1)
                .await?
                .map(|ns| ns.iter().map(|ns| ns / 1e6 / runs).collect()),
            None => None,
        };
        if gpu_ms.is_none() {
            timer = None; // unusable timestamps: wall time from here on, without more warnings
        }
        let used = gpu_ms.as_deref().unwrap_or(&wall);
        if let Some(noise) = Noise::if_done(&timing, used, clock.elapsed_ms() / 1e3) {
            return Ok((wall, gpu_ms, noise));
        }
    }
}

/// Timestamp queries for a case's samples: queries 2k and 2k+1 bracket sample k, and all are
/// resolved once after the last sample so reading them costs nothing inside the samples.
struct Timer {
    query_set: wgpu::QuerySet,
    resolve: wgpu::Buffer,
    staging: wgpu::Buffer,
    count: u32,
    period_ns: f64,
}

impl Timer {
    fn new(gpu: &Gpu, samples: u32, period_ns: f64) -> Timer {
        let count = 2 * samples;
        let size = count as u64 * 8;
        Timer {
            query_set: gpu.device.create_query_set(&wgpu::QuerySetDescriptor {
                label: Some("sample timestamps"),
                ty: wgpu::QueryType::Timestamp,
                count,
            }),
            resolve: gpu.device.create_buffer(&wgpu::BufferDescriptor {
                label: Some("timestamp resolve"),
                size,
                usage: wgpu::BufferUsages::QUERY_RESOLVE | wgpu::BufferUsages::COPY_SRC,
                mapped_at_creation: false,
            }),
            staging: gpu.staging("timestamp readback", size),
            count,
            period_ns,
        }
    }

    fn stamps(&self, sample: u32) -> Stamps<'_> {
        Stamps {
            query_set: &self.query_set,
            begin: 2 * sample,
        }
    }

    /// GPU durations in ns of the first `samples` samples, or `None` (with a warning) when
    /// the driver's timestamps are unusable, in which case the case falls back to wall time.
    async fn read_ns(&self, gpu: &Gpu, samples: u32) -> Result<Option<Vec<f64>>, String> {
        let queries = (2 * samples).min(self.count);
        let mut encoder = gpu.device.create_command_encoder(&Default::default());
        encoder.resolve_query_set(&self.query_set, 0..queries, &self.resolve, 0);
        encoder.copy_buffer_to_buffer(&self.resolve, 0, &self.staging, 0, queries as u64 * 8);
        gpu.queue.submit([encoder.finish()]);
        let mut bytes = vec![0u8; queries as usize * 8];
        gpu.map_into(&self.staging, &mut bytes).await?;
        let ticks: Vec<u64> = bytes
            .chunks_exact(8)
            .map(|c| u64::from_le_bytes(c.try_into().unwrap()))
            .collect();
        if ticks.chunks_exact(2).any(|p| p[1] <= p[0]) {
            warn("GPU timestamps not increasing; using wall time for this case");
            return Ok(None);
        }
        Ok(Some(
            ticks
                .chunks_exact(2)
                .map(|p| (p[1] - p[0]) as f64 * self.period_ns)
                .collect(),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filter_is_a_regular_expression() {
        let matches = |f: &str, label: &str| matches_filter(compile_filter(Some(f)).unwrap().as_ref(), label);
        assert!(matches_filter(None, "copy"));
        assert!(matches("copy|triad", "triad"));
        assert!(matches("dispatch/one", "dispatch/one_pass"));
        assert!(!matches("sgemm", "copy"));
        assert!(matches("^sgemm_(naive|tiled)$", "sgemm_tiled"));
        assert!(!matches("^copy$", "copy2"));
        assert!(matches("^dispatch/", "dispatch/round_trip") && !matches("^dispatch/", "e2e_dispatch"));
        let bad = compile_filter(Some("copy(")).unwrap_err();
        assert!(bad.contains("not a regular expression"), "{bad}");
    }
}
