//! Runs the suite: verification first, then warmup and timed samples, per the spec's rules
//! (the shared steps are in [`crate::execute`]).

use crate::cases::{Instance, Sources};
pub use crate::execute::matches_filter;
use crate::execute::{plan, progress_line, verify_and_time};
use crate::gpu::Gpu;
use crate::report::{CaseResult, Report};
use crate::suite::{CaseSpec, Size, Suite, Timing};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;

#[derive(Clone, Debug)]
pub struct Options {
    pub suite: PathBuf,
    pub size: Size,
    /// Substring of `case` or `case/variant`; `|` separates alternatives.
    pub filter: Option<String>,
    pub adapter: Option<String>,
    pub backends: wgpu::Backends,
    pub seed: u64,
    /// `--round N`, recorded in the result file.
    pub round: Option<u32>,
    /// How the run was invoked, recorded in the result file.
    pub command: String,
}

impl Options {
    /// Defaults: the repository's suite, small size, Vulkan.
    pub fn new(suite: PathBuf, size: Size) -> Self {
        Options {
            suite,
            size,
            filter: None,
            adapter: None,
            backends: wgpu::Backends::VULKAN,
            seed: 0x5EED_2026,
            round: None,
            command: String::new(),
        }
    }
}

/// Runs every selected case. `Err` only for problems that stop the whole run (suite file,
/// adapter); a case that fails is a result row.
pub fn run_suite(opts: &Options, progress: &mut dyn FnMut(&str)) -> Result<Report, String> {
    let suite = Suite::load(&opts.suite, opts.size)?;
    let planned = plan(&suite, opts.filter.as_deref())?;
    let mut gpu = Gpu::open(opts.backends, opts.adapter.as_deref())?;
    progress(&format!(
        "adapter: {} ({}, {:?}), timestamps: {}",
        gpu.info.name,
        gpu.info.backend.to_str(),
        gpu.info.device_type,
        if gpu.timestamp_period.is_some() {
            "yes"
        } else {
            "no"
        }
    ));
    let mut results = Vec::new();
    for (k, (spec, inst)) in planned.iter().enumerate() {
        // A device per case, as the JS runner has (bench/web/suite.mjs, createRunner, says
        // why): on the H200 a shared device's later buffers copied at 0.4 of its first ones'.
        if k > 0 {
            gpu = Gpu::open(opts.backends, opts.adapter.as_deref())?;
        }
        let result = run_instance(&gpu, spec, inst, suite.timing, opts.seed);
        progress(&progress_line(k + 1, planned.len(), &result));
        results.push(result);
    }
    let suite_path = std::fs::canonicalize(&opts.suite).unwrap_or_else(|_| opts.suite.clone());
    let mut report = Report::new(
        &gpu,
        &opts.command,
        &suite_path.display().to_string(),
        opts.size,
        results,
    );
    report.round = opts.round;
    Ok(report)
}

/// Builds, verifies and times one case instance, never letting a broken case stop the run.
pub fn run_instance(
    gpu: &Gpu,
    spec: &CaseSpec,
    inst: &Instance,
    timing: Timing,
    seed: u64,
) -> CaseResult {
    let mut result = CaseResult::new(spec, inst);
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        pollster::block_on(verify_and_time(
            gpu,
            &Sources::Files,
            spec,
            inst,
            timing,
            seed,
            &mut result,
        ))
    }));
    if outcome.is_err() {
        // Keep a passed verification, but no times from a case that blew up while timing.
        result.error = Some("panicked (see stderr)".into());
        (result.wall, result.gpu, result.metric_value) = (None, None, None);
    }
    result
}
