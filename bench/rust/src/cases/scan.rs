//! `scan`: three-kernel inclusive prefix sum of u32; `scan_lookback`: the same sum in one pass
//! (decoupled look-back) after a kernel that clears its tile counter and descriptors.

use super::*;
use crate::check;
use crate::gpu::fold_1d;
use crate::reference;

const BLOCK: u32 = 4096;
const MAX_BLOCKS: u32 = 16384;

pub struct Scan {
    n: u32,
    inner: u32,
    input: wgpu::Buffer,
    output: wgpu::Buffer,
    /// The block sums (scan) or the tile counter and descriptors (scan_lookback).
    sums: wgpu::Buffer,
    program: Program,
}

/// The number of blocks of 4096 in `n`, or why `n` is refused.
fn blocks_of(id: &str, n: u32) -> Result<u32, BuildError> {
    let blocks = n / BLOCK;
    if n % BLOCK != 0 || blocks == 0 || blocks > MAX_BLOCKS {
        return Err(BuildError::Failed(format!(
            "{id}: n = {n} must be k * {BLOCK} with 1 <= k <= {MAX_BLOCKS}"
        )));
    }
    Ok(blocks)
}

impl Scan {
    /// bench/README.md's scan_lookback: `clear_state` over the 4 (blocks + 1) state words,
    /// then `scan_lookback` over the blocks, both folded.
    pub fn build_lookback(gpu: &Gpu, sources: &Sources, spec: &CaseSpec) -> Result<Self, BuildError> {
        let n = spec.param_u32("n")?;
        let blocks = blocks_of(&spec.id, n)?;
        check_buffer_size(gpu, "scan input", n as u64 * 4, true)?;
        let kernel = load_kernel(gpu, sources, spec)?;
        let input = gpu.storage("input", n as u64 * 4);
        let output = gpu.storage("output", n as u64 * 4);
        let words = 4 * (blocks + 1);
        let state = gpu.storage("state", words as u64 * 4);
        let params = gpu.params("params", &[n]);
        let buffers = [(0, &input), (1, &output), (2, &state), (3, &params)];
        let (clear, scan) = (kernel.entry("clear_state")?, kernel.entry("scan_lookback")?);
        let program = Program::default()
            .step(clear, clear.bind(gpu, &buffers)?, fold_1d(words.div_ceil(256)))
            .step(scan, scan.bind(gpu, &buffers)?, fold_1d(blocks));
        Ok(Scan {
            n,
            inner: spec.inner,
            input,
            output,
            sums: state,
            program,
        })
    }

    pub fn build(gpu: &Gpu, sources: &Sources, spec: &CaseSpec) -> Result<Self, BuildError> {
        let n = spec.param_u32("n")?;
        let blocks = blocks_of(&spec.id, n)?;
        check_buffer_size(gpu, "scan input", n as u64 * 4, true)?;
        let kernel = load_kernel(gpu, sources, spec)?;
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
        Ok(Scan {
            n,
            inner: spec.inner,
            input,
            output,
            sums,
            program,
        })
    }
}

impl Case for Scan {
    async fn verify(&mut self, gpu: &Gpu, rng: &mut Rng) -> Result<Check, String> {
        let values = rng.vec_u32_below(self.n as usize, 256);
        gpu.write(&self.input, bytes_u32(&values));
        gpu.poison(&self.output);
        gpu.poison(&self.sums);
        self.program.run(gpu, 1, None).await?;
        let got = gpu.read_u32(&self.output).await?;
        Ok(check::exact_u32(
            "output",
            &got,
            &reference::inclusive_scan(&values),
        ))
    }

    async fn sample(&mut self, gpu: &Gpu, stamps: Option<Stamps<'_>>) -> Result<f64, String> {
        self.program.run(gpu, self.inner, stamps).await
    }

    fn runs_per_sample(&self) -> u32 {
        self.inner
    }
}
