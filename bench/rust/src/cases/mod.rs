//! The suite's cases. Each builds its pipelines and buffers once ([`build`]), then verifies
//! and times through the [`Workload`] trait.
//!
//! Shared with bench/rust-wasm (through `#[path]`): the GPU waits are `async` (immediately
//! ready natively, where the runner drives them with `pollster::block_on`). Cases implement
//! [`Case`] with `async fn`s; [`Workload`] is its dyn-compatible face, with boxed futures.

mod dispatch;
mod histogram;
mod mandelbrot;
mod nbody;
mod reduce;
mod saxpy;
mod scan;
mod sgemm;
mod stencil;
mod stream;
mod transfer;

use crate::check::Check;
use crate::gpu::Gpu;
use crate::gpu::Stopwatch;
use crate::kernel::{Entry, Kernel};
use crate::rng::Rng;
use crate::suite::{CaseSpec, VerifySpec};
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::future::Future;
use std::pin::Pin;

/// Which clock the metric uses for a case.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Clock {
    /// GPU timestamps when the device has them (wall time is recorded too).
    Gpu,
    /// Host wall time only: the spec measures these cases end to end on the host.
    Wall,
}

/// Query indices for the timestamps written at the beginning and end of one sample.
#[derive(Clone, Copy)]
pub struct Stamps<'a> {
    pub query_set: &'a wgpu::QuerySet,
    pub begin: u32,
}

impl<'a> Stamps<'a> {
    fn first_pass(self) -> wgpu::ComputePassTimestampWrites<'a> {
        wgpu::ComputePassTimestampWrites {
            query_set: self.query_set,
            beginning_of_pass_write_index: Some(self.begin),
            end_of_pass_write_index: Some(self.begin + 1),
        }
    }
}

/// What every case does, with `async` GPU waits.
#[allow(async_fn_in_trait)] // single-threaded on both targets: no `Send` bound wanted
pub trait Case {
    /// Fresh random inputs, poisoned outputs, one run, and the comparison with the CPU
    /// reference.
    async fn verify(&mut self, gpu: &Gpu, rng: &mut Rng) -> Result<Check, String>;

    /// One sample (`runs_per_sample` runs in one submission where the case allows it);
    /// returns the host wall time in ms from submit to completion.
    async fn sample(&mut self, gpu: &Gpu, stamps: Option<Stamps<'_>>) -> Result<f64, String>;

    fn runs_per_sample(&self) -> u32;

    fn clock(&self) -> Clock {
        Clock::Gpu
    }

    /// The sum of the verification run's output, for metrics that count it (suite.json
    /// `metric.count.output_sum`: mandelbrot's iterations).
    fn output_sum(&self) -> f64 {
        0.0
    }
}

type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + 'a>>;

/// [`Case`] as a trait object: what [`build`] returns and the runner drives.
pub trait Workload {
    fn verify<'a>(
        &'a mut self,
        gpu: &'a Gpu,
        rng: &'a mut Rng,
    ) -> BoxFuture<'a, Result<Check, String>>;
    fn sample<'a>(
        &'a mut self,
        gpu: &'a Gpu,
        stamps: Option<Stamps<'a>>,
    ) -> BoxFuture<'a, Result<f64, String>>;
    fn runs_per_sample(&self) -> u32;
    fn clock(&self) -> Clock;
    fn output_sum(&self) -> f64;
}

impl<C: Case> Workload for C {
    fn verify<'a>(
        &'a mut self,
        gpu: &'a Gpu,
        rng: &'a mut Rng,
    ) -> BoxFuture<'a, Result<Check, String>> {
        Box::pin(Case::verify(self, gpu, rng))
    }
    fn sample<'a>(
        &'a mut self,
        gpu: &'a Gpu,
        stamps: Option<Stamps<'a>>,
    ) -> BoxFuture<'a, Result<f64, String>> {
        Box::pin(Case::sample(self, gpu, stamps))
    }
    fn runs_per_sample(&self) -> u32 {
        Case::runs_per_sample(self)
    }
    fn clock(&self) -> Clock {
        Case::clock(self)
    }
    fn output_sum(&self) -> f64 {
        Case::output_sum(self)
    }
}

/// Why a case could not be set up.
#[derive(Debug)]
pub enum BuildError {
    /// The device can't run it at all (e.g. a buffer larger than the device allows).
    Unsupported(String),
    Failed(String),
}

impl From<String> for BuildError {
    fn from(e: String) -> Self {
        BuildError::Failed(e)
    }
}

/// One result row of a case: the case itself, or one of its variants / transfer sizes.
#[derive(Clone, Debug)]
pub struct Instance {
    pub variant: Option<String>,
    pub params: Map<String, Value>,
}

impl Instance {
    pub fn label(&self, case: &str) -> String {
        match &self.variant {
            Some(v) => format!("{case}/{v}"),
            None => case.to_string(),
        }
    }
}

/// Expands a case into its result rows: one per variant, and for `transfer` one per size.
pub fn instances(spec: &CaseSpec) -> Result<Vec<Instance>, String> {
    let variants: Vec<Option<String>> = if spec.variants.is_empty() {
        vec![None]
    } else {
        spec.variants.iter().cloned().map(Some).collect()
    };
    if spec.id != "transfer" {
        return Ok(variants
            .into_iter()
            .map(|variant| Instance {
                variant,
                params: spec.params.clone(),
            })
            .collect());
    }
    let sizes = spec.param_u64_list("bytes")?;
    let mut out = Vec::new();
    for variant in &variants {
        for &bytes in &sizes {
            let mut params = Map::new();
            params.insert("bytes".into(), bytes.into());
            out.push(Instance {
                variant: variant.clone(),
                params,
            });
        }
    }
    Ok(out)
}

/// Where the kernels' WGSL comes from: natively, the files at the paths suite.json gives; on
/// the web (no file system) the page passes the sources, keyed by those paths.
pub enum Sources {
    Files,
    Given(BTreeMap<String, String>),
}

/// This runner's name in the reason of an unsupported result.
const RUNNER: &str = if cfg!(target_arch = "wasm32") {
    "rust-wasm runner"
} else {
    "Rust runner"
};

/// Every case this runner implements, with the suite variants it implements (none: the case
/// takes no variant). Not the *_mapped transfers: wgpu's write_buffer and mapped staging are
/// already what `upload` and `readback` time.
const IMPLEMENTED: &[(&str, &[&str])] = &[
    ("copy", &[]),
    ("triad", &[]),
    ("reduce", &[]),
    ("reduce_subgroups", &[]),
    ("scan", &[]),
    ("scan_lookback", &[]),
    ("histogram", &[]),
    ("sgemm_naive", &[]),
    ("sgemm_tiled", &[]),
    ("sgemm_subgroups", &[]),
    ("nbody", &[]),
    ("stencil", &[]),
    ("mandelbrot", &[]),
    ("dispatch", &["one_pass", "submit_each", "round_trip"]),
    ("transfer", &["upload", "readback"]),
    ("e2e_saxpy", &[]),
];

/// Why this runner cannot run `inst`, or `None`: a case or variant of the suite it does not
/// implement is an unsupported result, never an error or a silent drop (bench/README.md).
pub fn not_implemented(spec: &CaseSpec, inst: &Instance) -> Option<String> {
    let Some((_, variants)) = IMPLEMENTED.iter().find(|(id, _)| *id == spec.id) else {
        return Some(format!(
            "not implemented by the {RUNNER}: case '{}'",
            spec.id
        ));
    };
    match inst.variant.as_deref() {
        Some(v) if !variants.contains(&v) => Some(format!(
            "not implemented by the {RUNNER}: variant '{}/{v}'",
            spec.id
        )),
        _ => None,
    }
}

pub fn build(
    gpu: &Gpu,
    sources: &Sources,
    spec: &CaseSpec,
    inst: &Instance,
) -> Result<Box<dyn Workload>, BuildError> {
    if let Some(reason) = not_implemented(spec, inst) {
        return Err(BuildError::Unsupported(reason));
    }
    if let Some(missing) = spec.requires.iter().find(|f| !gpu.has_feature(f)) {
        return Err(BuildError::Unsupported(format!(
            "the case requires the '{missing}' feature, which the {RUNNER}'s device on '{}' does not have",
            gpu.info.name
        )));
    }
    let variant = inst.variant.as_deref().unwrap_or("");
    match spec.id.as_str() {
        "copy" => Ok(Box::new(stream::Stream::build(gpu, sources, spec, false)?)),
        "triad" => Ok(Box::new(stream::Stream::build(gpu, sources, spec, true)?)),
        // The subgroup variants keep their base case's bindings and dispatch: only the kernel differs.
        "reduce" | "reduce_subgroups" => Ok(Box::new(reduce::Reduce::build(gpu, sources, spec)?)),
        "scan" => Ok(Box::new(scan::Scan::build(gpu, sources, spec)?)),
        "scan_lookback" => Ok(Box::new(scan::Scan::build_lookback(gpu, sources, spec)?)),
        "histogram" => Ok(Box::new(histogram::Histogram::build(gpu, sources, spec)?)),
        "sgemm_naive" => Ok(Box::new(sgemm::Sgemm::build(gpu, sources, spec, false)?)),
        "sgemm_tiled" | "sgemm_subgroups" => Ok(Box::new(sgemm::Sgemm::build(gpu, sources, spec, true)?)),
        "nbody" => Ok(Box::new(nbody::NBody::build(gpu, sources, spec)?)),
        "stencil" => Ok(Box::new(stencil::Stencil::build(gpu, sources, spec)?)),
        "mandelbrot" => Ok(Box::new(mandelbrot::Mandelbrot::build(gpu, sources, spec)?)),
        "dispatch" => Ok(Box::new(dispatch::Dispatch::build(
            gpu, sources, spec, variant,
        )?)),
        "transfer" => Ok(Box::new(transfer::Transfer::build(gpu, inst, variant)?)),
        "e2e_saxpy" => Ok(Box::new(saxpy::Saxpy::build(gpu, sources, spec)?)),
        other => unreachable!("IMPLEMENTED lists case {other} without building it"),
    }
}

/// Loads the case's kernel file with all the entry points suite.json lists.
fn load_kernel(gpu: &Gpu, sources: &Sources, spec: &CaseSpec) -> Result<Kernel, String> {
    let path = spec
        .kernel
        .as_ref()
        .ok_or_else(|| format!("case {} names no kernel", spec.id))?;
    match sources {
        Sources::Files => Kernel::load(gpu, path, &spec.entries),
        Sources::Given(given) => {
            let key = path
                .to_str()
                .ok_or_else(|| format!("case {} names no kernel", spec.id))?;
            let source = given
                .get(key)
                .ok_or_else(|| format!("the page passed no source for {key}"))?;
            Kernel::from_source(gpu, key, source, &spec.entries)
                .map_err(|e| format!("kernel {key}: {e}"))
        }
    }
}

/// Refuses buffers the device can't hold, so the case reports why instead of a wgpu error.
fn check_buffer_size(gpu: &Gpu, what: &str, bytes: u64, storage: bool) -> Result<(), BuildError> {
    let limits = gpu.device.limits();
    let max = if storage {
        limits
            .max_storage_buffer_binding_size
            .min(limits.max_buffer_size)
    } else {
        limits.max_buffer_size
    };
    if bytes > max {
        return Err(BuildError::Unsupported(format!(
            "{what} needs {bytes} bytes; the device allows {max}"
        )));
    }
    Ok(())
}

/// The dispatches of one run, recorded into a single compute pass.
struct Step {
    pipeline: wgpu::ComputePipeline,
    bind_group: wgpu::BindGroup,
    groups: [u32; 3],
}

#[derive(Default)]
pub(crate) struct Program {
    steps: Vec<Step>,
}

impl Program {
    fn step(mut self, entry: &Entry, bind_group: wgpu::BindGroup, groups: [u32; 3]) -> Self {
        self.steps.push(Step {
            pipeline: entry.pipeline.clone(),
            bind_group,
            groups,
        });
        self
    }

    /// `runs` back-to-back runs in one pass; wgpu inserts the barriers between dispatches
    /// that depend on each other, and a single pass lets the timestamps bracket the sample.
    fn encode(&self, encoder: &mut wgpu::CommandEncoder, runs: u32, stamps: Option<Stamps>) {
        let mut pass = encoder.begin_compute_pass(&wgpu::ComputePassDescriptor {
            label: None,
            timestamp_writes: stamps.map(Stamps::first_pass),
        });
        for _ in 0..runs {
            for s in &self.steps {
                pass.set_pipeline(&s.pipeline);
                pass.set_bind_group(0, &s.bind_group, &[]);
                pass.dispatch_workgroups(s.groups[0], s.groups[1], s.groups[2]);
            }
        }
    }

    /// Encodes (untimed), then times submit + wait.
    async fn run(&self, gpu: &Gpu, runs: u32, stamps: Option<Stamps<'_>>) -> Result<f64, String> {
        let mut encoder = gpu.device.create_command_encoder(&Default::default());
        self.encode(&mut encoder, runs, stamps);
        let commands = encoder.finish();
        let start = Stopwatch::start();
        gpu.submit_wait(commands).await?;
        Ok(start.elapsed_ms())
    }
}

/// Bytes of f32 / u32 host data for `queue.write_buffer`.
fn bytes_f32(v: &[f32]) -> &[u8] {
    bytemuck::cast_slice(v)
}

fn bytes_u32(v: &[u32]) -> &[u8] {
    bytemuck::cast_slice(v)
}

/// Picks `count` distinct-enough sample indices in `0..len`, or all of them when `len` is small.
fn sample_indices(rng: &mut Rng, len: usize, count: usize) -> Vec<usize> {
    if len <= count {
        return (0..len).collect();
    }
    (0..count).map(|_| rng.below(len as u32) as usize).collect()
}
