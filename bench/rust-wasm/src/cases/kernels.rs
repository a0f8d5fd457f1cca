//! The kernel cases: buffers and dispatches built once, timed by GPU timestamps.
//!
//! They all verify the same way: write inputs and poison outputs (synchronous: queue writes),
//! one run, read one buffer back, compare with the CPU reference (synchronous). So each builder
//! only supplies a `prepare` closure that writes the inputs and returns an [`Expect`]; the
//! awaiting is done once, in [`KernelCase::verify`].

use super::*;
use crate::check;
use crate::gpu::{f32s, fold_1d, u32s};
use crate::program::Program;
use crate::reference::{self, MandelbrotView};

type Prepare = Box<dyn FnMut(&Gpu, &mut Rng) -> Expect>;
type Compare = Box<dyn FnOnce(&[u8], &mut Rng) -> Outcome>;

pub struct KernelCase {
    program: Program,
    pub inner: u32,
    /// Metric units (bytes, flops, interactions, iterations) one run does.
    work: f64,
    prepare: Prepare,
}

/// What the verification run must leave behind: the buffer to read back, and the comparison
/// of its bytes with the reference (given the rng too: some cases sample what they check).
pub struct Expect {
    output: wgpu::Buffer,
    check: Compare,
}

impl Expect {
    fn new(
        output: &wgpu::Buffer,
        check: impl FnOnce(&[u8], &mut Rng) -> Outcome + 'static,
    ) -> Self {
        Expect {
            output: output.clone(),
            check: Box::new(check),
        }
    }
}

pub struct Outcome {
    check: Check,
    /// Work per run counted from the output, where the metric counts what the GPU actually
    /// did (mandelbrot's iterations) rather than a formula of the size.
    work: Option<f64>,
}

impl From<Check> for Outcome {
    fn from(check: Check) -> Self {
        Outcome { check, work: None }
    }
}

impl KernelCase {
    fn new(
        program: Program,
        inner: u32,
        work: f64,
        prepare: impl FnMut(&Gpu, &mut Rng) -> Expect + 'static,
    ) -> Self {
        KernelCase {
            program,
            inner,
            work,
            prepare: Box::new(prepare),
        }
    }

    pub async fn verify(&mut self, gpu: &Gpu, rng: &mut Rng) -> Result<Check, String> {
        let expect = (self.prepare)(gpu, rng);
        self.program.run(gpu, 1, None).await;
        let bytes = gpu.read(&expect.output).await?;
        let outcome = (expect.check)(&bytes, rng);
        if let Some(work) = outcome.work {
            self.work = work;
        }
        Ok(outcome.check)
    }

    pub async fn sample(&self, gpu: &Gpu, stamps: Option<Stamps<'_>>) -> f64 {
        self.program.run(gpu, self.inner, stamps).await
    }

    pub fn metric(&self, seconds_per_run: f64) -> f64 {
        per_second_g(self.work, seconds_per_run)
    }
}

pub fn build(gpu: &Gpu, spec: &CaseSpec, kernel: &Kernel) -> Result<KernelCase, BuildError> {
    match spec.id.as_str() {
        "copy" => stream(gpu, spec, kernel, false),
        "triad" => stream(gpu, spec, kernel, true),
        "reduce" => reduce(gpu, spec, kernel),
        "scan" => scan(gpu, spec, kernel),
        "histogram" => histogram(gpu, spec, kernel),
        "sgemm_naive" => sgemm(gpu, spec, kernel, 16),
        "sgemm_tiled" => sgemm(gpu, spec, kernel, 64),
        "nbody" => nbody(gpu, spec, kernel),
        "stencil" => stencil(gpu, spec, kernel),
        "mandelbrot" => mandelbrot(gpu, spec, kernel),
        other => Err(BuildError::Unsupported(format!("unknown case id {other}"))),
    }
}

fn invalid(message: String) -> BuildError {
    BuildError::Failed(message)
}

const TRIAD_SCALAR: f32 = 3.0;

/// `copy` and `triad` over vec4<f32>.
fn stream(
    gpu: &Gpu,
    spec: &CaseSpec,
    kernel: &Kernel,
    triad: bool,
) -> Result<KernelCase, BuildError> {
    let n = spec.param_u32("n")?;
    let bytes = n as u64 * 16;
    check_buffer_size(gpu, "a vec4 stream", bytes, true)?;
    let entry = kernel.entry(if triad { "triad" } else { "copy" })?;
    let (src_b, dst) = (gpu.storage("src_b", bytes), gpu.storage("dst", bytes));
    // copy never reads src_c; allocating it anyway would only cost memory at large sizes.
    let src_c = triad.then(|| gpu.storage("src_c", bytes));
    let params = gpu.params("params", &[TRIAD_SCALAR.to_bits(), n]);
    let mut buffers = vec![(0, &src_b), (2, &dst), (3, &params)];
    buffers.extend(src_c.as_ref().map(|c| (1, c)));
    let program =
        Program::default().step(entry, entry.bind(gpu, &buffers)?, fold_1d(n.div_ceil(256)));
    let work = if triad { 48.0 } else { 32.0 } * n as f64;
    Ok(KernelCase::new(
        program,
        spec.inner,
        work,
        move |gpu: &Gpu, rng: &mut Rng| {
            let len = n as usize * 4;
            let b = rng.vec_f32(len, 0.0, 1.0);
            let c = rng.vec_f32(len, 0.0, 1.0);
            gpu.write(&src_b, bytes_f32(&b));
            if let Some(src_c) = &src_c {
                gpu.write(src_c, bytes_f32(&c));
            }
            gpu.poison(&dst);
            Expect::new(&dst, move |out, _| {
                let got = f32s(out);
                let outcome = if triad {
                    check::relative_f32("dst", &got, &reference::triad(&b, &c, TRIAD_SCALAR), 1e-6)
                } else {
                    check::exact_f32("dst", &got, &b)
                };
                outcome.into()
            })
        },
    ))
}

const REDUCE_PARTIALS: u64 = 1024;

fn reduce(gpu: &Gpu, spec: &CaseSpec, kernel: &Kernel) -> Result<KernelCase, BuildError> {
    let n = spec.param_u32("n")?;
    if n % 4 != 0 {
        return Err(invalid(format!("reduce: n = {n} is not a multiple of 4")));
    }
    check_buffer_size(gpu, "reduce input", n as u64 * 4, true)?;
    let input = gpu.storage("input", n as u64 * 4);
    let partials = gpu.storage("partials", REDUCE_PARTIALS * 4);
    let result = gpu.storage("result", 4);
    let params = gpu.params("params", &[n]);
    let buffers = [(0, &input), (1, &partials), (2, &result), (3, &params)];
    let (first, last) = (kernel.entry("partial_sums")?, kernel.entry("final_sum")?);
    let program = Program::default()
        .step(
            first,
            first.bind(gpu, &buffers)?,
            [REDUCE_PARTIALS as u32, 1, 1],
        )
        .step(last, last.bind(gpu, &buffers)?, [1, 1, 1]);
    Ok(KernelCase::new(
        program,
        spec.inner,
        4.0 * n as f64,
        move |gpu: &Gpu, rng: &mut Rng| {
            let values = rng.vec_f32(n as usize, 0.0, 1.0);
            gpu.write(&input, bytes_f32(&values));
            gpu.poison(&partials);
            gpu.poison(&result);
            Expect::new(&result, move |out, _| {
                let got = f32s(out)[0];
                let want = reference::sum(&values);
                let rel = (got as f64 - want).abs() / want;
                Check::against(rel, 1e-5, || format!("sum = {got}, expected {want}")).into()
            })
        },
    ))
}

const SCAN_BLOCK: u32 = 4096;
const SCAN_MAX_BLOCKS: u32 = 16384;

fn scan(gpu: &Gpu, spec: &CaseSpec, kernel: &Kernel) -> Result<KernelCase, BuildError> {
    let n = spec.param_u32("n")?;
    let blocks = n / SCAN_BLOCK;
    if n % SCAN_BLOCK != 0 || blocks == 0 || blocks > SCAN_MAX_BLOCKS {
        return Err(invalid(format!(
            "scan: n = {n} must be k * {SCAN_BLOCK} with 1 <= k <= {SCAN_MAX_BLOCKS}"
        )));
    }
    check_buffer_size(gpu, "scan input", n as u64 * 4, true)?;
    let input = gpu.storage("input", n as u64 * 4);
    let output = gpu.storage("output", n as u64 * 4);
    let sums = gpu.storage("sums", blocks as u64 * 4);
    let params = gpu.params("params", &[n]);
    let buffers = [(0, &input), (1, &output), (2, &sums), (3, &params)];
    let mut program = Program::default();
    for (name, groups) in [
        ("block_sums", fold_1d(blocks)),
        ("scan_sums", [1, 1, 1]),
        ("scan_blocks", fold_1d(blocks)),
    ] {
        let entry = kernel.entry(name)?;
        program = program.step(entry, entry.bind(gpu, &buffers)?, groups);
    }
    Ok(KernelCase::new(
        program,
        spec.inner,
        8.0 * n as f64,
        move |gpu: &Gpu, rng: &mut Rng| {
            let values = rng.vec_u32_below(n as usize, 256);
            gpu.write(&input, bytes_u32(&values));
            gpu.poison(&output);
            gpu.poison(&sums);
            Expect::new(&output, move |out, _| {
                check::exact_u32("output", &u32s(out), &reference::inclusive_scan(&values)).into()
            })
        },
    ))
}

const HISTOGRAM_MAX_GROUPS: u32 = 2048;

fn histogram(gpu: &Gpu, spec: &CaseSpec, kernel: &Kernel) -> Result<KernelCase, BuildError> {
    let n = spec.param_u32("n")?;
    check_buffer_size(gpu, "histogram keys", n as u64 * 4, true)?;
    let keys = gpu.storage("keys", n as u64 * 4);
    let bins = gpu.storage("bins", 256 * 4);
    let params = gpu.params("params", &[n]);
    let entry = kernel.entry("histogram")?;
    let bind_group = entry.bind(gpu, &[(0, &keys), (1, &bins), (2, &params)])?;
    let groups = n.div_ceil(256).min(HISTOGRAM_MAX_GROUPS);
    let program = Program::default().step(entry, bind_group, [groups, 1, 1]);
    Ok(KernelCase::new(
        program,
        spec.inner,
        4.0 * n as f64,
        move |gpu: &Gpu, rng: &mut Rng| {
            let values = rng.vec_u32(n as usize);
            gpu.write(&keys, bytes_u32(&values));
            // Bins accumulate, so they start from zero rather than poison.
            gpu.write(&bins, &[0u8; 256 * 4]);
            Expect::new(&bins, move |out, _| {
                check::exact_u32("bins", &u32s(out), &reference::histogram256(&values)).into()
            })
        },
    ))
}

/// Outputs compared with the f64 reference: all of them up to 256×256, else a sample.
const SGEMM_CHECK_ALL: usize = 256 * 256;
const SGEMM_SAMPLED: usize = 256;

/// `sgemm_naive` (16×16 outputs per workgroup) and `sgemm_tiled` (64×64).
fn sgemm(gpu: &Gpu, spec: &CaseSpec, kernel: &Kernel, tile: u32) -> Result<KernelCase, BuildError> {
    let n = spec.param_u32("n")?;
    if n % tile != 0 {
        return Err(invalid(format!(
            "{}: n = {n} is not a multiple of {tile}",
            spec.id
        )));
    }
    let bytes = n as u64 * n as u64 * 4;
    check_buffer_size(gpu, "a matrix", bytes, true)?;
    let entry = kernel.entry(if tile == 64 {
        "sgemm_tiled"
    } else {
        "sgemm_naive"
    })?;
    let (a, b, c) = (
        gpu.storage("a", bytes),
        gpu.storage("b", bytes),
        gpu.storage("c", bytes),
    );
    let params = gpu.params("params", &[n]);
    let bind_group = entry.bind(gpu, &[(0, &a), (1, &b), (2, &c), (3, &params)])?;
    let program = Program::default().step(entry, bind_group, [n / tile, n / tile, 1]);
    let flops = 2.0 * (n as f64).powi(3);
    Ok(KernelCase::new(
        program,
        spec.inner,
        flops,
        move |gpu: &Gpu, rng: &mut Rng| {
            let len = n as usize * n as usize;
            let a_host = rng.vec_f32(len, -1.0, 1.0);
            let b_host = rng.vec_f32(len, -1.0, 1.0);
            gpu.write(&a, bytes_f32(&a_host));
            gpu.write(&b, bytes_f32(&b_host));
            gpu.poison(&c);
            Expect::new(&c, move |out, rng| {
                check_gemm(&f32s(out), &a_host, &b_host, n as usize, rng).into()
            })
        },
    ))
}

/// Max abs error over the checked outputs / (max |reference| + 1), as the spec defines it.
fn check_gemm(c: &[f32], a: &[f32], b: &[f32], n: usize, rng: &mut Rng) -> Check {
    let count = if n * n <= SGEMM_CHECK_ALL {
        n * n
    } else {
        SGEMM_SAMPLED
    };
    let picks = sample_indices(rng, n * n, count);
    let want: Vec<f64> = picks
        .iter()
        .map(|&i| reference::gemm_element(a, b, n, i / n, i % n))
        .collect();
    let max_ref = want.iter().fold(0.0f64, |m, w| m.max(w.abs()));
    let err = |k: usize| (c[picks[k]] as f64 - want[k]).abs();
    let max_err = check::max_by_element(picks.len(), err);
    Check::against(max_err / (max_ref + 1.0), 1e-4, || {
        let worst = (0..picks.len())
            .max_by(|&x, &y| err(x).total_cmp(&err(y)))
            .unwrap_or(0);
        let i = picks[worst];
        format!(
            "c[{}][{}] = {} expected {}",
            i / n,
            i % n,
            c[i],
            want[worst]
        )
    })
}

/// `count` indices in `0..len`, or all of them when `len` is that small.
fn sample_indices(rng: &mut Rng, len: usize, count: usize) -> Vec<usize> {
    if len <= count {
        return (0..len).collect();
    }
    (0..count).map(|_| rng.below(len as u32) as usize).collect()
}

const NBODY_EPS2: f32 = 0.01;
const NBODY_SAMPLED: usize = 64;

fn nbody(gpu: &Gpu, spec: &CaseSpec, kernel: &Kernel) -> Result<KernelCase, BuildError> {
    let n = spec.param_u32("n")?;
    if n % 256 != 0 {
        return Err(invalid(format!("nbody: n = {n} is not a multiple of 256")));
    }
    check_buffer_size(gpu, "nbody bodies", n as u64 * 16, true)?;
    let entry = kernel.entry("nbody_forces")?;
    let bodies = gpu.storage("bodies", n as u64 * 16);
    let accel = gpu.storage("accel", n as u64 * 16);
    let params = gpu.params("params", &[n, NBODY_EPS2.to_bits()]);
    let bind_group = entry.bind(gpu, &[(0, &bodies), (1, &accel), (2, &params)])?;
    let program = Program::default().step(entry, bind_group, [n / 256, 1, 1]);
    let interactions = (n as f64).powi(2);
    Ok(KernelCase::new(
        program,
        spec.inner,
        interactions,
        move |gpu: &Gpu, rng: &mut Rng| {
            let host = random_bodies(rng, n as usize);
            gpu.write(&bodies, bytes_f32(&host));
            gpu.poison(&accel);
            Expect::new(&accel, move |out, rng| {
                check_nbody(&f32s(out), &host, rng).into()
            })
        },
    ))
}

/// Positions uniform in [−1,1)³, masses in [0.5,1).
fn random_bodies(rng: &mut Rng, n: usize) -> Vec<f32> {
    let mut v = Vec::with_capacity(4 * n);
    for _ in 0..n {
        for _ in 0..3 {
            v.push(rng.range_f32(-1.0, 1.0));
        }
        v.push(rng.range_f32(0.5, 1.0));
    }
    v
}

/// Error of the whole acceleration vector relative to |a| on sampled bodies: it bounds the
/// error of |a| that the spec tolerates and also catches a wrong direction; w must be 0.
fn check_nbody(got: &[f32], bodies: &[f32], rng: &mut Rng) -> Check {
    let picks = sample_indices(rng, bodies.len() / 4, NBODY_SAMPLED);
    let rel = |k: usize| {
        let i = picks[k];
        let g = &got[4 * i..4 * i + 4];
        if g[3] != 0.0 {
            return f64::NAN;
        }
        let want = reference::nbody_accel(bodies, i, NBODY_EPS2);
        let d2: f64 = (0..3).map(|c| (g[c] as f64 - want[c]).powi(2)).sum();
        let w2: f64 = want.iter().map(|w| w * w).sum();
        (d2 / w2).sqrt()
    };
    let max = check::max_by_element(picks.len(), rel);
    Check::against(max, 1e-3, || {
        let k = (0..picks.len())
            .find(|&k| !check::within(rel(k), 1e-3))
            .unwrap_or(0);
        let i = picks[k];
        let want = reference::nbody_accel(bodies, i, NBODY_EPS2);
        format!(
            "accel[{i}] = {:?} expected {want:?} (w must be 0)",
            &got[4 * i..4 * i + 4]
        )
    })
}

/// Jacobi iterations ping-ponging between two buffers (two bind groups) in one pass.
fn stencil(gpu: &Gpu, spec: &CaseSpec, kernel: &Kernel) -> Result<KernelCase, BuildError> {
    let (width, height) = (spec.param_u32("width")?, spec.param_u32("height")?);
    let iterations = spec.param_u32("iterations")?;
    let bytes = width as u64 * height as u64 * 4;
    check_buffer_size(gpu, "a stencil grid", bytes, true)?;
    let entry = kernel.entry("jacobi")?;
    let (a, b) = (gpu.storage("grid_a", bytes), gpu.storage("grid_b", bytes));
    let params = gpu.params("params", &[width, height]);
    let a_to_b = entry.bind(gpu, &[(0, &a), (1, &b), (2, &params)])?;
    let b_to_a = entry.bind(gpu, &[(0, &b), (1, &a), (2, &params)])?;
    let groups = [width.div_ceil(16), height.div_ceil(16), 1];
    let mut program = Program::default();
    for i in 0..iterations {
        let bind_group = if i % 2 == 0 { &a_to_b } else { &b_to_a };
        program = program.step(entry, bind_group.clone(), groups);
    }
    let last = if iterations % 2 == 1 {
        b.clone()
    } else {
        a.clone()
    };
    let work = 8.0 * width as f64 * height as f64 * iterations as f64;
    Ok(KernelCase::new(
        program,
        spec.inner,
        work,
        move |gpu: &Gpu, rng: &mut Rng| {
            let (w, h) = (width as usize, height as usize);
            let input = rng.vec_f32(w * h, 0.0, 1.0);
            gpu.write(&a, bytes_f32(&input));
            gpu.poison(&b);
            Expect::new(&last, move |out, _| {
                let want = reference::jacobi(&input, w, h, iterations);
                check::absolute_f32("grid", &f32s(out), &want, 1e-5).into()
            })
        },
    ))
}

/// Fraction of sampled pixels allowed to differ (FMA contraction moves boundary pixels).
const MANDELBROT_ALLOWED_DIFF: f64 = 0.01;
const MANDELBROT_ROW_STRIDE: usize = 16;

fn mandelbrot(gpu: &Gpu, spec: &CaseSpec, kernel: &Kernel) -> Result<KernelCase, BuildError> {
    let view = MandelbrotView::standard(
        spec.param_u32("width")?,
        spec.param_u32("height")?,
        spec.param_u32("max_iter")?,
    );
    let bytes = view.width as u64 * view.height as u64 * 4;
    check_buffer_size(gpu, "counts", bytes, true)?;
    let entry = kernel.entry("mandelbrot")?;
    let counts = gpu.storage("counts", bytes);
    let v = &view;
    let words = [
        v.width,
        v.height,
        v.max_iter,
        v.x0.to_bits(),
        v.y0.to_bits(),
        v.dx.to_bits(),
        v.dy.to_bits(),
    ];
    let params = gpu.params("params", &words);
    let bind_group = entry.bind(gpu, &[(0, &counts), (1, &params)])?;
    let groups = [view.width.div_ceil(16), view.height.div_ceil(16), 1];
    let program = Program::default().step(entry, bind_group, groups);
    // The iteration count is only known from the verification output (Σ counts).
    Ok(KernelCase::new(
        program,
        spec.inner,
        f64::NAN,
        move |gpu: &Gpu, _rng: &mut Rng| {
            gpu.poison(&counts);
            Expect::new(&counts, move |out, _| {
                let got = u32s(out);
                Outcome {
                    check: check_mandelbrot(&got, &view),
                    work: Some(got.iter().map(|&c| c as f64).sum()),
                }
            })
        },
    ))
}

fn check_mandelbrot(got: &[u32], view: &MandelbrotView) -> Check {
    let w = view.width as usize;
    let mut checked = 0usize;
    let mut differ = Vec::new();
    for y in (0..view.height).step_by(MANDELBROT_ROW_STRIDE) {
        for x in 0..view.width {
            checked += 1;
            let (g, want) = (got[y as usize * w + x as usize], view.count(x, y));
            if g != want {
                differ.push((x, y, g, want));
            }
        }
    }
    let fraction = differ.len() as f64 / checked.max(1) as f64;
    Check::against(fraction, MANDELBROT_ALLOWED_DIFF, || {
        let (x, y, g, want) = differ[0];
        format!(
            "{} of {checked} sampled pixels differ; first ({x}, {y}) = {g} expected {want}",
            differ.len()
        )
    })
}
